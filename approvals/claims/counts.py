"""How many claims wait in each state, per department and clause: kept by the database.

Why: the queue pages counted every waiting row (90 % of a queue page at 1M claims, issue 14).
Triggers on `claims` keep `claim_counts` as rows are inserted, moved (state, department or
clause) or deleted, whatever writes them: the door, a migration, the demo seed, the tests'
factory, a bulk import in SQL. Each key is spread over SLOTS rows (by claim id), so that
the December rush's submissions into one department's queue do not all wait for one row's
lock on PostgreSQL; a count is the sum of a key's slots. A move touches its old and new key
in one order (the smaller key first), so two moves the opposite way cannot deadlock.

The SQL lives here, beside the model, so that `create_all` (the tests) and the migration
(0020) lay the same triggers.
"""

from __future__ import annotations

from sqlalchemy import DDL, event, text
from sqlalchemy.orm import Mapped, mapped_column

from approvals import limits
from approvals.claims.models import Claim
from approvals.extensions import db

SLOTS = 16
KEY = "state, department_id, policy_id, slot"


class ClaimCount(db.Model):
    __tablename__ = "claim_counts"

    state: Mapped[str] = mapped_column(db.String(limits.STATE), primary_key=True)
    department_id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(primary_key=True)
    slot: Mapped[int] = mapped_column(primary_key=True)
    claims: Mapped[int] = mapped_column(default=0)


def _add(row: str, delta: str) -> str:
    return (
        f"INSERT INTO claim_counts ({KEY}, claims) VALUES ({row}.state, {row}.department_id,"
        f" {row}.policy_id, {row}.id % {SLOTS}, {delta}) ON CONFLICT ({KEY})"
        f" DO UPDATE SET claims = claim_counts.claims + {delta};"
    )


def _moved(old: str, new: str) -> str:
    return " OR ".join(
        f"{old}.{c} IS NOT {new}.{c}" for c in ("state", "department_id", "policy_id")
    )


# SQLite: one trigger per event; a move's two keys in ascending order by a WHEN each.
SQLITE = [
    f"CREATE TRIGGER claim_counts_insert AFTER INSERT ON claims BEGIN {_add('NEW', '1')} END",
    f"CREATE TRIGGER claim_counts_delete AFTER DELETE ON claims BEGIN {_add('OLD', '-1')} END",
    f"""CREATE TRIGGER claim_counts_update AFTER UPDATE OF state, department_id, policy_id
    ON claims WHEN {_moved("OLD", "NEW")} BEGIN {_add("OLD", "-1")} {_add("NEW", "1")} END""",
]
POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION claim_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {_add("NEW", "1")}
  ELSIF TG_OP = 'DELETE' THEN
    {_add("OLD", "-1")}
  ELSIF {_moved("OLD", "NEW").replace("IS NOT", "IS DISTINCT FROM")} THEN
    IF (OLD.state, OLD.department_id, OLD.policy_id) < (NEW.state, NEW.department_id,
        NEW.policy_id) THEN
      {_add("OLD", "-1")}
      {_add("NEW", "1")}
    ELSE
      {_add("NEW", "1")}
      {_add("OLD", "-1")}
    END IF;
  END IF;
  RETURN NULL;
END $$""",
    """CREATE TRIGGER claim_counts_follow AFTER INSERT OR DELETE
    OR UPDATE OF state, department_id, policy_id ON claims
    FOR EACH ROW EXECUTE FUNCTION claim_counts_follow()""",
]
# Every move rewrites two of these few thousand rows, and PostgreSQL keeps each old version
# until a vacuum, which by default waits for a fifth of the table to be dead: a bulk fill of
# 1M claims left 950k dead versions among 4k rows, and the queue's count read them all
# (12 ms, 1.6 ms once vacuumed). So: vacuumed after a fixed number of changes, at full speed,
# with room left in each page so that an update stays on its page (no index entry per move).
STORAGE = (
    "ALTER TABLE claim_counts SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0,"
    " autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_cost_delay = 0)"
)
POSTGRESQL.append(STORAGE)
DROP = {
    "sqlite": [f"DROP TRIGGER IF EXISTS claim_counts_{e}" for e in ("insert", "delete", "update")],
    "postgresql": [
        "DROP TRIGGER IF EXISTS claim_counts_follow ON claims",
        "DROP FUNCTION IF EXISTS claim_counts_follow()",
    ],
}
# What the counts are from the rows, for a migration that finds claims already there.
RECOUNT = (
    f"INSERT INTO claim_counts ({KEY}, claims) SELECT state, department_id, policy_id,"
    f" id % {SLOTS}, count(*) FROM claims GROUP BY state, department_id, policy_id, id % {SLOTS}"
)


def execute(connection, statement: str) -> None:
    """Run `statement` as written: psycopg reads % as a placeholder unless doubled."""
    if connection.dialect.paramstyle in ("format", "pyformat"):
        statement = statement.replace("%", "%%")
    connection.exec_driver_sql(statement)


TRIGGERS = {
    "sqlite": ("claim_counts_insert", "claim_counts_delete", "claim_counts_update"),
    "postgresql": ("claim_counts_follow",),
}


def missing_triggers(connection) -> list[str]:
    """The count triggers that are absent: a migration that rebuilds `claims` on SQLite
    (a batch operation) drops them and must make them again."""
    if connection.dialect.name == "postgresql":
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    present = set(connection.scalars(text(query)))
    return [name for name in TRIGGERS[connection.dialect.name] if name not in present]


def create_triggers(connection) -> None:
    for statement in POSTGRESQL if connection.dialect.name == "postgresql" else SQLITE:
        execute(connection, statement)


# Laid when `claim_counts` is created, which waits for `claims` (the triggers are on claims
# and write here). DDL formats its text with %, hence the doubled sign of the slot's modulo.
ClaimCount.__table__.add_is_dependent_on(Claim.__table__)
for _dialect, _statements in (("sqlite", SQLITE), ("postgresql", POSTGRESQL)):
    for _statement in _statements:
        event.listen(
            ClaimCount.__table__,
            "after_create",
            DDL(_statement.replace("%", "%%")).execute_if(dialect=_dialect),
        )
