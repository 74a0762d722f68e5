"""Notices through a transactional outbox: the PDF rendered after commit, stored apart from
the facts the chain covers (issue 14).

- notice_files: each notice's PDF, its SHA-256 and size, written once when it is rendered
  (append-only), a side link of the hash chain after its notice's.
- notices loses sha256, size and pdf: a notice is written, numbered, with its facts in the
  transition's transaction, and a notice without a file is pending.
- The chains are computed again (`approvals.audit.chain`): a notice's link now covers its
  facts, not its PDF's SHA-256, so every claim's links from its first notice on change.

The downgrade puts the PDFs back on their notices and chains them as 0017 did; it stops
at a pending notice (render it first: `flask --app approvals render-pending`).

Revision ID: 0018_notice_outbox
Revises: 0017_idempotency
Create Date: 2026-12-02 18:00:00

"""

import sqlalchemy as sa
from alembic import op

import approvals.db
from approvals.audit import append_only
from approvals.audit.chain import GENESIS, digest, event_content, file_content, notice_content

revision = "0018_notice_outbox"
down_revision = "0017_idempotency"
branch_labels = None
depends_on = None

CHAINED = ("claim_events", "notices")
# What a notice's link covered before this revision: its PDF's SHA-256 and size too.
NOTICE_FIELDS_0017 = ("claim_id", "event_id", "batch_id", "kind", "department_id", "year",
                      "seq", "number", "verification_code", "sha256", "size", "facts",
                      "issued_at")  # fmt: skip

# The rows as this revision knows them (typed, so that SQLite hands back datetimes and
# dicts as the ORM does).
events = sa.table(
    "claim_events",
    *(sa.column(name) for name in ("id", "claim_id", "trigger", "from_state", "to_state")),
    sa.column("actor_id"),
    sa.column("at", approvals.db.UTCDateTime()),
    sa.column("comment"),
    sa.column("payload", sa.JSON()),
    sa.column("snapshot", sa.JSON()),
    sa.column("prev_hash"),
    sa.column("hash"),
)


def _notice_columns() -> tuple:
    return (
        *(sa.column(name) for name in ("id", "claim_id", "event_id", "batch_id", "kind")),
        *(sa.column(name) for name in ("department_id", "year", "seq", "number")),
        sa.column("verification_code"),
        sa.column("facts", sa.JSON()),
        sa.column("issued_at", approvals.db.UTCDateTime()),
        sa.column("prev_hash"),
        sa.column("hash"),
    )


notices = sa.table("notices", *_notice_columns())
notices_0017 = sa.table("notices", *_notice_columns(), sa.column("sha256"), sa.column("size"))
files = sa.table(
    "notice_files",
    *(sa.column(name) for name in ("notice_id", "sha256", "size", "prev_hash", "hash")),
)


def _drop_triggers(bind, tables) -> None:
    # Not append_only.drop_triggers: that also drops PostgreSQL's shared function, which the
    # ledger's triggers still use.
    dialect = bind.dialect.name
    for table in tables:
        for name in append_only.trigger_names(table, dialect):
            on = f" ON {table}" if dialect == "postgresql" else ""
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}{on}")


def _seal(bind, table, key, row, prev: str, content: dict) -> str:
    link = digest(prev, content)
    bind.execute(table.update().where(key == row[0]).values(prev_hash=prev, hash=link))
    return link


def _rechain(bind, notice_table, content_of) -> dict[int, str]:
    """Each claim's events and their notices, and each document notice: the notices'
    hashes by id."""
    by_event = {n.event_id: n for n in bind.execute(sa.select(notice_table)) if n.event_id}
    hashes: dict[int, str] = {}
    head: dict = {}
    for event in bind.execute(sa.select(events).order_by(events.c.id)).all():
        prev = head.get(event.claim_id, GENESIS)
        link = _seal(bind, events, events.c.id, event, prev, event_content(event))
        notice = by_event.get(event.id)
        if notice is not None:
            link = _seal(bind, notice_table, notice_table.c.id, notice, link, content_of(notice))
            hashes[notice.id] = link
        head[event.claim_id] = link
    documents = sa.select(notice_table).where(notice_table.c.claim_id.is_(None))
    for notice in bind.execute(documents).all():
        c = notice_table.c.id
        hashes[notice.id] = _seal(bind, notice_table, c, notice, GENESIS, content_of(notice))
    return hashes


def upgrade():
    bind = op.get_bind()
    _drop_triggers(bind, CHAINED)
    # Staged without a foreign key: SQLite rebuilds `notices` below to drop its columns,
    # which a table referring to it would stop.
    op.execute(
        "CREATE TABLE notice_files_staging AS"
        " SELECT id AS notice_id, sha256, size, pdf, issued_at AS rendered_at FROM notices"
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_column("pdf")
        batch_op.drop_column("size")
        batch_op.drop_column("sha256")
    op.create_table(
        "notice_files",
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("rendered_at", approvals.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notices.id"], name=op.f("fk_notice_files_notice_id_notices")
        ),
        sa.PrimaryKeyConstraint("notice_id", name=op.f("pk_notice_files")),
    )
    op.execute(
        "INSERT INTO notice_files (notice_id, sha256, size, pdf, rendered_at, prev_hash, hash)"
        " SELECT notice_id, sha256, size, pdf, rendered_at, '', '' FROM notice_files_staging"
    )
    op.drop_table("notice_files_staging")
    hashes = _rechain(bind, notices, notice_content)
    for row in bind.execute(sa.select(files)).all():
        prev = hashes[row.notice_id]
        _seal(bind, files, files.c.notice_id, row, prev, file_content(row))
    append_only.create_triggers(bind, (*CHAINED, "notice_files"))


def downgrade():
    bind = op.get_bind()
    pending = bind.scalar(
        sa.text("SELECT count(*) FROM notices WHERE id NOT IN (SELECT notice_id FROM notice_files)")
    )
    if pending:
        raise RuntimeError(
            f"{pending} notices are pending: render them first (flask render-pending)"
        )
    _drop_triggers(bind, (*CHAINED, "notice_files"))
    op.execute("CREATE TABLE notice_files_staging AS SELECT * FROM notice_files")
    op.drop_table("notice_files")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("size", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("pdf", sa.LargeBinary(), nullable=True))
    for column in ("sha256", "size", "pdf"):
        op.execute(
            f"UPDATE notices SET {column} = (SELECT s.{column} FROM notice_files_staging s"
            " WHERE s.notice_id = notices.id)"
        )
    op.drop_table("notice_files_staging")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.alter_column("sha256", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("size", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("pdf", existing_type=sa.LargeBinary(), nullable=False)
    _rechain(bind, notices_0017, lambda n: {f: getattr(n, f) for f in NOTICE_FIELDS_0017})
    append_only.create_triggers(bind, CHAINED)
