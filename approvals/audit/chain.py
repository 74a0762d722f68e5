"""Hash chains over the record: one per claim (events and their notices), one per budget.

Every row of `claim_events`, `notices` and `ledger_entries` carries `prev_hash` and
`hash = SHA-256(prev_hash ‖ canonical JSON of the row's content)`. Canonical JSON has
sorted keys, no whitespace, ASCII escapes, Decimals as strings (a ledger amount with its
two places) and datetimes in ISO 8601, UTC; it is computed from the JSON form the
database stores, so an in-memory row and the same row read back hash alike.

**A claim's chain** runs through its events *and* their notices, in order:

    GENESIS → event 1 → notice of event 1 → event 2 → event 3 → notice of event 3 → …

The notice of an event is its own link, whose `prev_hash` is the event's hash and whose
content is its number, code and facts; the next event's `prev_hash` is that notice's hash.
So every event's hash covers every earlier notice's facts, and a notice cannot be changed
without breaking its own link (or, when its hash is recomputed too, the next event's).
The PDF is rendered from the facts after the commit (the outbox, 0018), so its SHA-256
cannot be in a link that later events follow: the file (`notice_files`) is a side link
whose `prev_hash` is its notice's hash and whose content is the PDF's SHA-256 and size.
Rendering is deterministic (the same facts give the same bytes), so the facts the chain
covers fix the PDF, and the side link fixes which bytes were issued. Why not put the
notice inside its own event's hash: the event is written first (the ledger rows that a
transition writes refer to it, and the notice states what those rows did), so its hash
would have to be rewritten after the notice exists, and the record is append-only. The one
rule this asks of writers: a transition's notice is inserted in the transition's
transaction, before the claim's next event.

**A budget's chain** runs through its ledger entries in id order. **A batch list** (a
notice of no claim) is a one-link chain from GENESIS.

Serialisation: a claim's previous link is read when its new event is flushed, after the
claim's version check has taken the claim's row (advance() flushes the claim first, and a
transaction that loses the version race rolls back); a budget's previous entry is read
under the budget's row lock (`ledger.locked_budget`), which every writer of entries holds.
Hashes are filled in by a `before_flush` listener, so no writer can forget them.

A chain proves that nothing before its head was changed; someone able to rewrite a whole
chain to its end can recompute it. `check-audit` finds every break; anchoring the heads
elsewhere is what would catch a full rewrite.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session

from approvals.claims.models import ClaimEvent
from approvals.db import utcnow
from approvals.finance.models import LedgerEntry
from approvals.money import fmt
from approvals.notices.models import Notice, NoticeFile

GENESIS = "0" * 64

# The columns each link's hash covers (beside prev_hash). Adding one changes what every
# existing link recomputes to: only together with a migration that re-chains the existing
# rows, as 0009 chained them when the chains came.
EVENT_FIELDS = ("claim_id", "trigger", "from_state", "to_state", "actor_id", "at", "comment",
                "payload", "snapshot")  # fmt: skip
NOTICE_FIELDS = ("claim_id", "event_id", "batch_id", "kind", "department_id", "year", "seq",
                 "number", "verification_code", "facts", "issued_at")  # fmt: skip
# A notice's PDF, its own link after the notice's (0018): rendered after the commit.
FILE_FIELDS = ("sha256", "size")
ENTRY_FIELDS = ("budget_id", "claim_id", "event_id", "batch_id", "kind", "amount", "note", "at")


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not canonical JSON: {type(value).__name__}")


def canonical(content: dict) -> str:
    # Through JSON and back first: what the database's JSON columns hand back (lists for
    # tuples, string keys) is what was hashed.
    plain = json.loads(json.dumps(content, default=_plain))
    return json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def digest(prev_hash: str, content: dict) -> str:
    return hashlib.sha256((prev_hash + canonical(content)).encode("ascii")).hexdigest()


def _content(row, fields) -> dict:
    return {name: getattr(row, name) for name in fields}


def event_content(row) -> dict:
    return _content(row, EVENT_FIELDS)


def notice_content(row) -> dict:
    return _content(row, NOTICE_FIELDS)


def file_content(row) -> dict:
    return _content(row, FILE_FIELDS)


def entry_content(row) -> dict:
    content = _content(row, ENTRY_FIELDS)
    content["amount"] = fmt(content["amount"])  # NUMERIC(14, 2): 1000 is read back as 1000.00
    return content


# Sealing new rows ----------------------------------------------------------------------


def _claim_head(session: Session, claim_id: int) -> str:
    """The hash of a claim's last link: its last event's notice, else that event."""
    row = session.execute(
        select(ClaimEvent.hash, Notice.hash)
        .outerjoin(Notice, Notice.event_id == ClaimEvent.id)
        .where(ClaimEvent.claim_id == claim_id)
        .order_by(ClaimEvent.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return GENESIS
    return row[1] or row[0]


# session.info: claim id → the head read with the claim by the door (`head_of_claim`).
HEADS_READ = "approvals.claim_heads_read"


def head_of_claim(claim_id_column):
    """The head of a claim's chain as a column of the door's read of the claim (a scalar
    subquery), so that sealing the move's event needs no read of its own."""
    last = (
        select(func.coalesce(Notice.hash, ClaimEvent.hash))
        .select_from(ClaimEvent)
        .outerjoin(Notice, Notice.event_id == ClaimEvent.id)
        .where(ClaimEvent.claim_id == claim_id_column)
        .order_by(ClaimEvent.id.desc())
        .limit(1)
        .correlate_except(ClaimEvent, Notice)
        .scalar_subquery()
    )
    return func.coalesce(last, GENESIS)


def remember_head(session: Session, claim_id: int, head: str) -> None:
    """Keep the head read with the claim for this transaction's first event of the claim.

    Safe without a lock: the move's version check (the claim's UPDATE, flushed before its
    event) fails if anyone moved the claim since it was read, and only a move or a review
    task's decision appends to a chain; the door remembers a head only for a claim in a state
    without review tasks, where no decision can be taken. Forgotten at the transaction's end.
    """
    session.info.setdefault(HEADS_READ, {})[claim_id] = head


def head_known(session: Session, claim_id: int) -> bool:
    return claim_id in session.info.get(HEADS_READ, {})


def _forget_heads(session: Session, *_args) -> None:
    session.info.pop(HEADS_READ, None)


def _budget_head(session: Session, budget_id: int) -> str:
    head = session.scalar(
        select(LedgerEntry.hash)
        .where(LedgerEntry.budget_id == budget_id)
        .order_by(LedgerEntry.id.desc())
        .limit(1)
    )
    return head or GENESIS


def _defaults(row) -> None:
    """Column defaults apply at INSERT, after hashing: apply them before."""
    if isinstance(row, ClaimEvent):
        row.at = row.at or utcnow()
        row.payload = {} if row.payload is None else row.payload
        row.snapshot = {} if row.snapshot is None else row.snapshot
    elif isinstance(row, Notice):
        row.issued_at = row.issued_at or utcnow()
        row.facts = {} if row.facts is None else row.facts
    elif isinstance(row, NoticeFile):
        row.rendered_at = row.rendered_at or utcnow()
    else:
        row.at = row.at or utcnow()
        row.note = "" if row.note is None else row.note


def _seal(session: Session, row, heads: dict) -> None:
    _defaults(row)
    if isinstance(row, ClaimEvent):
        key = ("claim", row.claim_id)
        read = session.info.get(HEADS_READ, {}).pop(row.claim_id, None)
        prev = heads.get(key) or read or _claim_head(session, row.claim_id)
        row.prev_hash, row.hash = prev, digest(prev, event_content(row))
    elif isinstance(row, NoticeFile):
        # A side link: nothing follows it, so the claim's chain runs on from the notice.
        notice = row.notice if row.notice is not None else session.get(Notice, row.notice_id)
        row.prev_hash, row.hash = notice.hash, digest(notice.hash, file_content(row))
        return
    elif isinstance(row, Notice):
        if row.claim_id is None:  # a batch list: a chain of its own
            row.prev_hash = GENESIS
            row.hash = digest(GENESIS, notice_content(row))
            return
        if row.event_id is None:
            raise RuntimeError("a claim's notice is written after its event: flush the event")
        key = ("claim", row.claim_id)
        prev = session.get(ClaimEvent, row.event_id).hash
        row.prev_hash, row.hash = prev, digest(prev, notice_content(row))
    else:
        key = ("budget", row.budget_id)
        prev = heads.get(key) or _budget_head(session, row.budget_id)
        row.prev_hash, row.hash = prev, digest(prev, entry_content(row))
    heads[key] = row.hash


def _seal_new_links(session: Session, flush_context, instances) -> None:
    # Every new link is sealed here, whatever hash its writer may have set.
    links = ClaimEvent | Notice | NoticeFile | LedgerEntry
    new = [row for row in session.new if isinstance(row, links)]
    if not new:
        return
    heads: dict = {}  # links of this flush that follow one another
    for row in sorted(new, key=lambda row: inspect(row).insert_order):
        _seal(session, row, heads)


def install() -> None:
    """Seal new links at every flush; installed once, by approvals.audit.init_app."""
    from approvals.claims import history

    # The door reads the claim's chain head with the claim (approvals/claims/history.py).
    history.also_read(
        "chain_head",
        history.AlsoRead(
            column=head_of_claim,
            keep=lambda session, claim, head: remember_head(session, claim.id, head),
            ready=lambda session, claim: head_known(session, claim.id),
        ),
    )
    if not event.contains(Session, "before_flush", _seal_new_links):
        event.listen(Session, "before_flush", _seal_new_links)
        event.listen(Session, "after_commit", _forget_heads)
        event.listen(Session, "after_rollback", _forget_heads)
