"""补正 deadlines: whether a claim's 补正期限 is provisional; the `system` role that lapses
overdue supplements, whose account can never sign in.

Revision ID: 0007_supplement
Revises: 0006_money
Create Date: 2026-12-01 16:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0007_supplement"
down_revision = "0006_money"
branch_labels = None
depends_on = None

ROLES_BEFORE = "role IN ('enterprise', 'reviewer', 'finance', 'government', 'admin')"
ROLES_AFTER = "role IN ('enterprise', 'reviewer', 'finance', 'government', 'admin', 'system')"
SYSTEM_CANNOT_SIGN_IN = "role <> 'system' OR (password_hash = '!' AND NOT active)"


def upgrade():
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "supplement_due_provisional",
                sa.Boolean(),
                server_default=sa.false(),
                nullable=False,
            )
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_users_role_known"), type_="check")
        batch_op.create_check_constraint("role_known", ROLES_AFTER)
        batch_op.create_check_constraint("system_cannot_sign_in", SYSTEM_CANNOT_SIGN_IN)


def downgrade():
    # A database that already has its system account (and events by it) cannot go back:
    # the old role check refuses that row, and the downgrade stops there, changing nothing.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_users_system_cannot_sign_in"), type_="check")
        batch_op.drop_constraint(op.f("ck_users_role_known"), type_="check")
        batch_op.create_check_constraint("role_known", ROLES_BEFORE)
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_column("supplement_due_provisional")
