"""Expert review (专家评审) of special-fund clauses: panels, conflicts of interest, scores (issue 13).

Revision ID: 0015_expert_review
Revises: 0014_policy_versions
Create Date: 2026-12-02 06:30:00

"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0015_expert_review"
down_revision = "0014_policy_versions"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
