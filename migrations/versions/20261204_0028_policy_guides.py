"""Policy guides (申兑指南, issue 16): a clause's own contact (联系人, 联系电话), and for each
material it requires a description and the department's sample or template
(policy_materials, approvals/guides/models.py).

Revision ID: 0028_policy_guides
Revises: 0027_idle_land
Create Date: 2026-12-04 19:00:00

"""

import sqlalchemy as sa
from alembic import op

import approvals.db

revision = "0028_policy_guides"
down_revision = "0027_idle_land"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN: the contact is no term of the clause, so policy_versions keeps none.
    op.add_column(
        "policies",
        sa.Column("contact_name", sa.String(length=32), server_default="", nullable=False),
    )
    op.add_column(
        "policies",
        sa.Column("contact_phone", sa.String(length=32), server_default="", nullable=False),
    )
    op.create_table(
        "policy_materials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("sample_sha256", sa.String(length=64), nullable=True),
        sa.Column("sample_filename", sa.String(length=255), nullable=True),
        sa.Column("sample_content_type", sa.String(length=128), nullable=True),
        sa.Column("sample_size", sa.Integer(), nullable=True),
        sa.Column("updated_at", approvals.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(sample_sha256 IS NULL) = (sample_filename IS NULL)",
            name=op.f("ck_policy_materials_sample_complete"),
        ),
        sa.ForeignKeyConstraint(
            ["policy_id"], ["policies.id"], name=op.f("fk_policy_materials_policy_id_policies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_materials")),
        sa.UniqueConstraint("policy_id", "kind", name="uq_policy_materials_policy_id_kind"),
    )
    with op.batch_alter_table("policy_materials") as batch_op:
        batch_op.create_index("ix_policy_materials_policy_id", ["policy_id"], unique=False)


def downgrade():
    op.drop_table("policy_materials")
    op.drop_column("policies", "contact_phone")  # SQLite 3.35+ drops a plain column in place
    op.drop_column("policies", "contact_name")
