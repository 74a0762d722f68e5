"""好差评: a claimant's rating of an ended claim (approvals/ratings).

Revision ID: 0034_ratings
Revises: 0033_document_library
Create Date: 2026-12-04 20:10:00

"""

import sqlalchemy as sa
from alembic import op

import approvals.db

revision = "0034_ratings"
down_revision = "0033_document_library"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "service_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("rated_by_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.String(length=500), nullable=False),
        sa.Column("created_at", approvals.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name=op.f("ck_service_ratings_score_range")),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_service_ratings_claim_id_claims")
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_service_ratings_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["rated_by_id"], ["users.id"], name=op.f("fk_service_ratings_rated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_ratings")),
        sa.UniqueConstraint("claim_id", name=op.f("uq_service_ratings_claim_id")),
    )
    op.create_index("ix_service_ratings_department_id", "service_ratings", ["department_id"])


def downgrade():
    op.drop_index("ix_service_ratings_department_id", table_name="service_ratings")
    op.drop_table("service_ratings")
