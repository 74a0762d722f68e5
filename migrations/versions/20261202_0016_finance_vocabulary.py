"""Finance's own words: batch and recovery values that are not claim state names (issue 13).

Revision ID: 0016_finance_vocabulary
Revises: 0015_expert_review
Create Date: 2026-12-02 06:30:00

"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0016_finance_vocabulary"
down_revision = "0015_expert_review"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
