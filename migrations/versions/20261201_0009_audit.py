"""Tamper-evident record: hash chains on events, notices and ledger entries (existing rows
chained in place), and triggers refusing UPDATE, DELETE and TRUNCATE on both databases.

The hashing and the trigger DDL are the application's own (`approvals.audit`), so that
the chains computed here are the ones `flask check-audit` recomputes.

Revision ID: 0009_audit
Revises: 0008_auth
Create Date: 2026-12-01 16:00:00

"""

import sqlalchemy as sa
from alembic import op

from approvals.audit import append_only
from approvals.audit.chain import GENESIS, digest, entry_content, event_content, notice_content
from approvals.db import Money, UTCDateTime

revision = "0009_audit"
down_revision = "0008_auth"
branch_labels = None
depends_on = None

TABLES = ("claim_events", "notices", "ledger_entries")

# The rows as this revision knows them (typed, so that SQLite hands back datetimes,
# Decimals and dicts as the ORM does).
events = sa.table(
    "claim_events",
    *(sa.column(name) for name in ("id", "claim_id", "trigger", "from_state", "to_state")),
    sa.column("actor_id"),
    sa.column("at", UTCDateTime()),
    sa.column("comment"),
    sa.column("payload", sa.JSON()),
    sa.column("snapshot", sa.JSON()),
    sa.column("prev_hash"),
    sa.column("hash"),
)
notices = sa.table(
    "notices",
    *(sa.column(name) for name in ("id", "claim_id", "event_id", "batch_id", "kind")),
    *(sa.column(name) for name in ("department_id", "year", "seq", "number")),
    *(sa.column(name) for name in ("verification_code", "sha256", "size")),
    sa.column("facts", sa.JSON()),
    sa.column("issued_at", UTCDateTime()),
    sa.column("prev_hash"),
    sa.column("hash"),
)
entries = sa.table(
    "ledger_entries",
    *(sa.column(name) for name in ("id", "budget_id", "claim_id", "event_id", "batch_id")),
    sa.column("kind"),
    sa.column("amount", Money),
    sa.column("note"),
    sa.column("at", UTCDateTime()),
    sa.column("prev_hash"),
    sa.column("hash"),
)

# 0002's ledger trigger, replaced here by the triggers of every append-only table.
LEDGER_0002 = """
CREATE FUNCTION ledger_entries_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entries_refuse_change();
"""


def _seal(bind, table, row, prev: str, content: dict) -> str:
    link = digest(prev, content)
    bind.execute(table.update().where(table.c.id == row.id).values(prev_hash=prev, hash=link))
    return link


def _chain_existing_rows(bind) -> None:
    """Each claim's events and their notices, each budget's entries, each batch list."""
    by_event = {n.event_id: n for n in bind.execute(sa.select(notices)) if n.event_id}
    head: dict = {}
    for event in bind.execute(sa.select(events).order_by(events.c.id)).all():
        link = _seal(bind, events, event, head.get(event.claim_id, GENESIS), event_content(event))
        notice = by_event.get(event.id)
        if notice is not None:
            link = _seal(bind, notices, notice, link, notice_content(notice))
        head[event.claim_id] = link
    for notice in bind.execute(sa.select(notices).where(notices.c.claim_id.is_(None))).all():
        _seal(bind, notices, notice, GENESIS, notice_content(notice))
    head = {}
    for entry in bind.execute(sa.select(entries).order_by(entries.c.id)).all():
        prev = head.get(entry.budget_id, GENESIS)
        head[entry.budget_id] = _seal(bind, entries, entry, prev, entry_content(entry))


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER ledger_entries_append_only ON ledger_entries")
        op.execute("DROP FUNCTION ledger_entries_refuse_change()")
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
            batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    _chain_existing_rows(bind)
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
            batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
    append_only.create_triggers(bind, TABLES)


def downgrade():
    bind = op.get_bind()
    append_only.drop_triggers(bind, TABLES)
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("hash")
            batch_op.drop_column("prev_hash")
    if bind.dialect.name == "postgresql":
        op.execute(LEDGER_0002)
