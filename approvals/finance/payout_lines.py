"""The lines of a batch item whose claim rewards people (有功人员): one payment each.

When such a claim enters a batch, its assessed amount (核定) is split and frozen: the
claimant's share (that amount less the rewards it listed) to the claimant's account frozen
on the item, then one line per person to the account in that person's own name. A pro-rata
scale-down (按比例核减) scales every line of the item by the item's ratio, to the fen by the largest
remainder (approvals/finance/prorata.py): people and claimant bear the shortfall alike, and
the lines always sum to what the item pays. The bank file has one row per line, the payout
notice lists them (identity numbers and accounts masked), and check-ledger proves the sums.
A claim with such a list is paid through a batch only (`rewards_paid_in_batch`): a direct
payout would send every yuan to the claimant's account.
"""

from __future__ import annotations

from sqlalchemy import select

from approvals.extensions import db
from approvals.finance import prorata
from approvals.finance.models import BatchItem, PayoutLine
from approvals.money import ZERO
from approvals.notices.facts import PaidLine
from approvals.organisations.payee import mask_account


def compose(item: BatchItem, claim) -> None:
    """The item's lines, when the claim names people: its share first, then each person."""
    people = list(claim.reward_recipients)
    if not people:
        return
    share = item.approved_amount - sum((r.amount for r in people), ZERO)
    lines = []
    if share > 0:
        lines.append(
            PayoutLine(
                kind="claimant",
                payee_name=item.payee_account_name or claim.enterprise.name,
                bank_name=item.payee_bank_name or "",
                account=item.payee_account or "",
                approved_amount=share,
                amount=share,
            )
        )
    for person in people:
        lines.append(
            PayoutLine(
                kind="person",
                recipient=person,
                payee_name=person.name,
                bank_name=person.bank_name,
                account=person.bank_account,
                approved_amount=person.amount,
                amount=person.amount,
            )
        )
    for seq, line in enumerate(lines, 1):
        line.seq = seq
    item.lines = lines


def rescale(item: BatchItem) -> bool:
    """Spread the item's (scaled) amount over its lines; False when a line would get nothing."""
    if not item.lines:
        return True
    if item.amount == item.approved_amount:
        for line in item.lines:
            line.amount = line.approved_amount
        return True
    shares = prorata.scale({line.seq: line.approved_amount for line in item.lines}, item.amount)
    by_seq = {share.key: share.amount for share in shares}
    if any(amount <= 0 for amount in by_seq.values()):
        return False
    for line in item.lines:
        line.amount = by_seq[line.seq]
    return True


def reference(item: BatchItem, line: PayoutLine) -> str:
    """Each payment's own reference: the item's, numbered."""
    return f"{item.reference}-{line.seq}"


def notice_lines(claim) -> tuple[dict, ...]:
    """The lines of the claim's batch item as the payout notice records them, masked: empty
    for a claim paid to the claimant alone."""
    from approvals.claims.rewards import mask_id_number

    item = db.session.scalar(select(BatchItem).where(BatchItem.claim_id == claim.id))
    if item is None:
        return ()
    return tuple(
        PaidLine(
            kind=line.kind,
            payee_name=line.payee_name,
            id_number=mask_id_number(line.recipient.id_number) if line.recipient else "",
            bank_name=line.bank_name,
            account=mask_account(line.account),
            amount=line.amount,
        )
        for line in item.lines
    )


def line_problems(item: BatchItem) -> list[str]:
    """What does not add up on the item's lines (none: no lines, or they sum right)."""
    if not item.lines:
        return []
    problems = []
    paid = sum((line.amount for line in item.lines), ZERO)
    assessed = sum((line.approved_amount for line in item.lines), ZERO)
    if paid != item.amount:
        problems.append(f"支付明细合计 {paid} 与批次金额 {item.amount} 不符")
    if assessed != item.approved_amount:
        problems.append(f"支付明细核定合计 {assessed} 与核定金额 {item.approved_amount} 不符")
    return problems


# The guard before a direct payout ------------------------------------------------------


def _in_batch_text(claim, ctx) -> str:
    return "该申报含有功人员奖励，须编入拨付批次，按名单逐人拨付至本人账户"


def rewards_paid_in_batch(claim, ctx) -> bool:
    """A claim that names people is paid through a batch, whose lines pay each of them."""
    if not claim.reward_recipients:
        return True
    found = db.session.scalar(select(BatchItem.id).where(BatchItem.claim_id == claim.id))
    return found is not None


def register(cat) -> None:
    cat.guard("rewards_paid_in_batch", _in_batch_text, "batch")(rewards_paid_in_batch)
