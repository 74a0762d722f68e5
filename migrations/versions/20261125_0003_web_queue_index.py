"""Web queues: an index on claims (state, id) so the city offices' queues read in id order.

Revision ID: 0003_web
Revises: 0002_finance
Create Date: 2026-11-25 13:30:00

"""

from alembic import op

revision = "0003_web"
down_revision = "0002_finance"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index("ix_claims_state_id", ["state", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index("ix_claims_state_id")
