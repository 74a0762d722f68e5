"""Idempotency keys of the API's POST endpoints: a retry after a lost answer gets the first answer (issue 14).

Revision ID: 0017_idempotency
Revises: 0016_finance_vocabulary
Create Date: 2026-12-02 18:00:00

"""

import sqlalchemy as sa
from alembic import op

import approvals.db

revision = "0017_idempotency"
down_revision = "0016_finance_vocabulary"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("method", sa.String(length=8), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("response_body", sa.Text(), nullable=True),
        sa.Column("content_type", sa.String(length=128), nullable=True),
        sa.Column("created_at", approvals.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IS NULL OR (status >= 100 AND status < 500)",
            name=op.f("ck_idempotency_keys_status_kept"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_idempotency_keys_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint("user_id", "key", name=op.f("uq_idempotency_keys_user_id")),
    )


def downgrade():
    op.drop_table("idempotency_keys")
