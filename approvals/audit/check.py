"""Recompute the record's hash chains and stored PDFs' SHA-256, and name every break.

Beyond the links themselves: a claim whose state is not where its last event left it has
lost that event (the one removal a chain cannot show), and a claim's notice whose event is
gone is named too; so is every trigger that should refuse changes and does not (those of
the append-only tables and of decided review tasks), since without one a row can be edited.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select

from approvals.audit import append_only, decided_tasks
from approvals.audit.chain import (
    GENESIS,
    digest,
    entry_content,
    event_content,
    file_content,
    notice_content,
)
from approvals.claims.models import Claim, ClaimEvent
from approvals.extensions import db
from approvals.finance.models import Budget, LedgerEntry
from approvals.notices.models import Notice, NoticeFile
from approvals.policies.models import Policy

# Rows are streamed: the record of a whole city is larger than memory.
_STREAM = {"yield_per": 500}


@dataclass
class AuditReport:
    breaks: list[str] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.breaks


def _link(report: AuditReport, where: str, row, expected_prev: str, content: dict) -> None:
    """Check one link: it follows the link before it, and its content gives its hash."""
    if row.prev_hash != expected_prev:
        report.breaks.append(
            f"{where}: prev_hash does not follow the link before it"
            " (a link before it was changed, removed or inserted)"
        )
    if digest(row.prev_hash or "", content) != row.hash:
        report.breaks.append(f"{where}: its content does not match its hash (changed)")


def _claim_tail(report: AuditReport, number: str, state: str, last: ClaimEvent) -> None:
    if state != last.to_state:
        report.breaks.append(
            f"claim {number}: its state {state!r} is not where its last event {last.id} left it"
            f" ({last.to_state!r}): an event is missing"
        )


def check_claims(report: AuditReport, claim_ids=None) -> None:
    """Each claim's chain: its events in order, each followed by its notice if it has one."""
    stmt = (
        select(Claim.id, Claim.number, Claim.state, ClaimEvent, Notice)
        .join(ClaimEvent, ClaimEvent.claim_id == Claim.id)
        .outerjoin(Notice, Notice.event_id == ClaimEvent.id)
        .order_by(Claim.id, ClaimEvent.id)
        .execution_options(populate_existing=True, **_STREAM)
    )
    if claim_ids is not None:
        stmt = stmt.where(Claim.id.in_(claim_ids))
    current = previous = None
    for claim_id, number, state, event, notice in db.session.execute(stmt):
        number = number or f"#{claim_id}"
        if claim_id != current:
            if previous is not None:
                _claim_tail(report, *previous)
            current, prev_hash = claim_id, GENESIS
            report.counts["claims"] += 1
        _link(report, f"claim {number} event {event.id}", event, prev_hash, event_content(event))
        prev_hash = event.hash
        report.counts["events"] += 1
        if notice is not None:
            where = f"claim {number} notice {notice.number}"
            _link(report, where, notice, event.hash, notice_content(notice))
            prev_hash = notice.hash
            report.counts["notices"] += 1
        previous = (number, state, event)
    if previous is not None:
        _claim_tail(report, *previous)


def check_batch_lists(report: AuditReport, notice_ids=None) -> None:
    stmt = select(Notice).where(Notice.claim_id.is_(None)).order_by(Notice.id)
    if notice_ids is not None:
        stmt = stmt.where(Notice.id.in_(notice_ids))
    for notice in db.session.scalars(stmt.execution_options(populate_existing=True, **_STREAM)):
        _link(report, f"notice {notice.number}", notice, GENESIS, notice_content(notice))
        report.counts["notices"] += 1


def check_orphans(report: AuditReport) -> None:
    """A claim's notice whose event is gone: the chain check never reaches it."""
    stmt = select(Notice.number, Notice.event_id).where(
        Notice.event_id.is_not(None),
        Notice.event_id.not_in(select(ClaimEvent.id)),
    )
    for number, event_id in db.session.execute(stmt):
        report.breaks.append(f"notice {number}: its event {event_id} is missing (removed)")


def check_budgets(report: AuditReport) -> None:
    """Each budget's chain: its ledger entries in id order."""
    stmt = (
        select(Budget.id, Policy.code, Budget.year, LedgerEntry)
        .join(Policy, Policy.id == Budget.policy_id)
        .join(LedgerEntry, LedgerEntry.budget_id == Budget.id)
        .order_by(Budget.id, LedgerEntry.id)
        .execution_options(populate_existing=True, **_STREAM)
    )
    current = None
    for budget_id, code, year, entry in db.session.execute(stmt):
        if budget_id != current:
            current, prev_hash = budget_id, GENESIS
            report.counts["budgets"] += 1
        where = f"budget {code} {year} ledger entry {entry.id}"
        _link(report, where, entry, prev_hash, entry_content(entry))
        prev_hash = entry.hash
        report.counts["entries"] += 1


def check_pdfs(report: AuditReport, notice_ids=None) -> None:
    """Every stored PDF hashes to the SHA-256 stored beside it, and its side link follows
    its notice's. A notice still pending (its PDF not rendered yet) is counted, not a break:
    `flask render-pending` renders it from its facts."""
    stmt = (
        select(Notice.number, Notice.hash, NoticeFile, NoticeFile.pdf)
        .join(NoticeFile, NoticeFile.notice_id == Notice.id)
        .order_by(Notice.id)
    )
    pending = select(func.count(Notice.id)).where(~Notice.file.has())
    if notice_ids is not None:
        stmt = stmt.where(Notice.id.in_(notice_ids))
        pending = pending.where(Notice.id.in_(notice_ids))
    for number, notice_hash, row, pdf in db.session.execute(stmt.execution_options(**_STREAM)):
        if hashlib.sha256(pdf or b"").hexdigest() != row.sha256 or len(pdf or b"") != row.size:
            report.breaks.append(f"notice {number}: the stored PDF does not match its SHA-256")
        _link(report, f"notice {number}'s PDF", row, notice_hash, file_content(row))
        report.counts["pdfs"] += 1
    report.counts["pending"] += db.session.scalar(pending) or 0


def audit() -> AuditReport:
    """The whole record: every chain, every PDF, and the triggers that guard them and the
    decided review tasks."""
    report = AuditReport()
    check_claims(report)
    check_batch_lists(report)
    check_orphans(report)
    check_budgets(report)
    check_pdfs(report)
    connection = db.session.connection()
    report.breaks.extend(append_only.missing_triggers(connection))
    report.breaks.extend(decided_tasks.missing_triggers(connection))
    return report


def notice_breaks(notice: Notice) -> list[str]:
    """What is wrong with the record behind one notice: its PDF, and its whole chain."""
    report = AuditReport()
    check_pdfs(report, [notice.id])
    if notice.claim_id is None:
        check_batch_lists(report, [notice.id])
    else:
        check_claims(report, [notice.claim_id])
    return report.breaks
