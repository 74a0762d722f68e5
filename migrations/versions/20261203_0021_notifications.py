"""Notifications (issue 15): messages (站内信), their deliveries by e-mail and SMS, and the
channels each enterprise chose.

Revision ID: 0021_notifications
Revises: 0020_claim_counts
Create Date: 2026-12-03 14:00:00

"""

import sqlalchemy as sa
from alembic import op

import approvals.db

revision = "0021_notifications"
down_revision = "0020_claim_counts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", approvals.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", approvals.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["recipient_id"], ["users.id"], name=op.f("fk_messages_recipient_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_messages_claim_id_claims")
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notices.id"], name=op.f("fk_messages_notice_id_notices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
    )
    with op.batch_alter_table("messages") as batch_op:
        batch_op.create_index("ix_messages_claim_id", ["claim_id"], unique=False)
        batch_op.create_index("ix_messages_recipient_id_id", ["recipient_id", "id"], unique=False)
        batch_op.create_index(
            "ix_messages_recipient_id_read_at", ["recipient_id", "read_at"], unique=False
        )

    op.create_table(
        "message_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=8), server_default="pending", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("address", sa.String(length=254), server_default="", nullable=False),
        sa.Column("last_error", sa.String(length=500), server_default="", nullable=False),
        sa.Column("next_attempt_at", approvals.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sent_at", approvals.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "channel IN ('email', 'sms')", name=op.f("ck_message_deliveries_channel_known")
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'failed')",
            name=op.f("ck_message_deliveries_status_known"),
        ),
        sa.CheckConstraint(
            "attempts >= 0", name=op.f("ck_message_deliveries_attempts_not_negative")
        ),
        sa.CheckConstraint(
            "(status = 'sent') = (sent_at IS NOT NULL)",
            name=op.f("ck_message_deliveries_sent_at_iff_sent"),
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_message_deliveries_message_id_messages"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_deliveries")),
        sa.UniqueConstraint("message_id", "channel", name=op.f("uq_message_deliveries_message_id")),
    )
    with op.batch_alter_table("message_deliveries") as batch_op:
        batch_op.create_index("ix_message_deliveries_status_id", ["status", "id"], unique=False)

    op.create_table(
        "channel_choices",
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.Column("email_address", sa.String(length=254), nullable=False),
        sa.Column("sms", sa.Boolean(), nullable=False),
        sa.Column("sms_phone", sa.String(length=20), nullable=False),
        sa.Column("updated_at", approvals.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "NOT email OR email_address <> ''", name=op.f("ck_channel_choices_email_has_address")
        ),
        sa.CheckConstraint(
            "NOT sms OR sms_phone <> ''", name=op.f("ck_channel_choices_sms_has_phone")
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_channel_choices_enterprise_id_enterprises"),
        ),
        sa.PrimaryKeyConstraint("enterprise_id", name=op.f("pk_channel_choices")),
    )


def downgrade():
    op.drop_table("channel_choices")
    with op.batch_alter_table("message_deliveries") as batch_op:
        batch_op.drop_index("ix_message_deliveries_status_id")
    op.drop_table("message_deliveries")
    with op.batch_alter_table("messages") as batch_op:
        batch_op.drop_index("ix_messages_recipient_id_read_at")
        batch_op.drop_index("ix_messages_recipient_id_id")
        batch_op.drop_index("ix_messages_claim_id")
    op.drop_table("messages")
