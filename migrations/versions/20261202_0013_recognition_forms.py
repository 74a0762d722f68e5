"""The 申请认定表 (application-recognition form) a department sends to 市财政局（企业科）: filled in by issue 13's recognition-form work.

Revision ID: 0013_recognition_forms
Revises: 0012_payout_lines
Create Date: 2026-12-02 06:30:00

"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0013_recognition_forms"
down_revision = "0012_payout_lines"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
