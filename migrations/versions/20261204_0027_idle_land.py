"""Idle industrial land (闲置工业用地): the parcel of each idle-land case (workflows/idle_land),
its owner, grant and progress, and the idle fee once charged.

Revision ID: 0027_idle_land
Revises: 0026_publicity
Create Date: 2026-12-04 19:00:00

"""

import sqlalchemy as sa
from alembic import op

import approvals.db

revision = "0027_idle_land"
down_revision = "0026_publicity"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(precision=14, scale=2)
CHECKS = (
    ("land_area > 0", "land_area_positive"),
    ("land_premium > 0", "land_premium_positive"),
    ("planned_area > 0", "planned_area_positive"),
    ("planned_investment > 0", "planned_investment_positive"),
    ("built_area >= 0", "built_area_not_negative"),
    ("invested >= 0", "invested_not_negative"),
    ("agreed_start_on >= granted_on", "start_after_grant"),
    ("idle_fee IS NULL OR idle_fee > 0", "idle_fee_positive"),
)


def upgrade():
    op.create_table(
        "idle_land_parcels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("land_number", sa.String(length=64), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("land_area", MONEY, nullable=False),
        sa.Column("granted_on", sa.Date(), nullable=False),
        sa.Column("land_premium", MONEY, nullable=False),
        sa.Column("agreed_start_on", sa.Date(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("planned_area", MONEY, nullable=False),
        sa.Column("built_area", MONEY, nullable=False),
        sa.Column("planned_investment", MONEY, nullable=False),
        sa.Column("invested", MONEY, nullable=False),
        sa.Column("idle_fee", MONEY, nullable=True),
        sa.Column("created_at", approvals.db.UTCDateTime(timezone=True), nullable=False),
        *(
            sa.CheckConstraint(sql, name=op.f(f"ck_idle_land_parcels_{name}"))
            for sql, name in CHECKS
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_idle_land_parcels_claim_id_claims")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["enterprises.id"], name=op.f("fk_idle_land_parcels_owner_id_enterprises")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idle_land_parcels")),
        sa.UniqueConstraint("claim_id", name=op.f("uq_idle_land_parcels_claim_id")),
    )
    with op.batch_alter_table("idle_land_parcels") as batch_op:
        batch_op.create_index("ix_idle_land_parcels_owner_id", ["owner_id"], unique=False)
        batch_op.create_index("ix_idle_land_parcels_land_number", ["land_number"], unique=False)


def downgrade():
    with op.batch_alter_table("idle_land_parcels") as batch_op:
        batch_op.drop_index("ix_idle_land_parcels_land_number")
        batch_op.drop_index("ix_idle_land_parcels_owner_id")
    op.drop_table("idle_land_parcels")
