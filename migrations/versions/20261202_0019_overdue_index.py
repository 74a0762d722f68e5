"""The queues' overdue filter reads an index on (state, department_id, due_at, id), and the
city offices' on (state, due_at, id) (issue 14).

Revision ID: 0019_overdue_index
Revises: 0018_notice_outbox
Create Date: 2026-12-02 19:00:00

"""

from alembic import op

revision = "0019_overdue_index"
down_revision = "0018_notice_outbox"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_claims_state_department_id_due_at": ["state", "department_id", "due_at", "id"],
    "ix_claims_state_due_at": ["state", "due_at", "id"],
}


def upgrade():
    for name, columns in INDEXES.items():
        op.create_index(name, "claims", columns, unique=False)


def downgrade():
    for name in INDEXES:
        op.drop_index(name, table_name="claims")
