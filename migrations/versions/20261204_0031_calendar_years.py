"""The years whose holiday schedule the administrator entered and confirmed before the
official calendar (chinesecalendar) knew them: their deadlines are final, not provisional.

Revision ID: 0031_calendar_years
Revises: 0030_payout_promise
Create Date: 2026-12-04 19:40:00

"""

import sqlalchemy as sa
from alembic import op

import approvals.db

revision = "0031_calendar_years"
down_revision = "0030_payout_promise"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "calendar_years",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=False),
        sa.Column("confirmed_at", approvals.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"], ["users.id"], name=op.f("fk_calendar_years_confirmed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_calendar_years")),
    )


def downgrade():
    op.drop_table("calendar_years")
