"""An index on claims.agent_id: a reviewer's queue counts the agency filings it sees beyond
its department by their ids (issue 14), not by probing every waiting claim.

Revision ID: 0023_agent_index
Revises: 0022_report_snapshots
Create Date: 2026-12-03 14:15:00

"""

from alembic import op

revision = "0023_agent_index"
down_revision = "0022_report_snapshots"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_claims_agent_id", "claims", ["agent_id"], unique=False)


def downgrade():
    op.drop_index("ix_claims_agent_id", table_name="claims")
