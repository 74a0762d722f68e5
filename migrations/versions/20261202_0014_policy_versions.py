"""Policy clause versions: a claim keeps the version of the clause it was filed under (issue 13).

Revision ID: 0014_policy_versions
Revises: 0013_recognition_forms
Create Date: 2026-12-02 06:30:00

"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0014_policy_versions"
down_revision = "0013_recognition_forms"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
