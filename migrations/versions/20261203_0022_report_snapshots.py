"""The reports page's snapshot: its tables as last computed, with the watermark of the data
they came from (issue 14: the reports at a million claims).

Revision ID: 0022_report_snapshots
Revises: 0021_notifications
Create Date: 2026-12-03 14:00:00

"""

import sqlalchemy as sa
from alembic import op

import approvals.db

revision = "0022_report_snapshots"
down_revision = "0021_notifications"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_snapshots",
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("watermark", sa.String(length=200), nullable=False),
        sa.Column("computed_at", approvals.db.UTCDateTime(), nullable=False),
        sa.Column("seconds", sa.Double(), nullable=False),
        sa.Column("tables", sa.JSON(), nullable=False),
        sa.Column("asked_at", approvals.db.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_report_snapshots")),
    )


def downgrade():
    op.drop_table("report_snapshots")
