"""Payout batches (拨付批次): compose, scale down pro rata, confirm exactly once, export.

Confirmation pays one item per transaction, each through advance() (its payout notice,
its ledger rows, and the item marked paid, all in that one transaction). An item is
taken by locking its claim's row, which other confirmers skip, so two people confirming
at once share the work and never pay an item twice; a confirmation cut off half-way
leaves the paid items paid and the rest pending, and confirming again resumes it. A
claim in a batch is paid through its batch only (ledger.pay refuses a payout outside it).
Scaling changes what a batch item pays, never the department's assessed amount (核定金额):
the payout records the difference as a reduction (核减).
Claims of every workflow share a batch: which claims wait for payout is their state's tag
(`payable`), and the move that pays one is the one naming `budget.pay` in its own workflow.
"""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from approvals.claims.models import Claim
from approvals.claims.rewards import mask_id_number
from approvals.claims.tagged import in_states_tagged, is_tagged, trigger_with
from approvals.clock import LOCAL, local_today
from approvals.db import transaction, utcnow
from approvals.errors import Conflict, Invalid, NotFound
from approvals.extensions import db
from approvals.finance import ledger, payout_holds, payout_lines, prorata
from approvals.finance.budgets import FINANCE_ROLES, READER_ROLES, require
from approvals.finance.models import PAYOUT_LINE_KINDS, Batch, BatchItem
from approvals.money import ZERO, parse_amount
from approvals.organisations.models import User
from approvals.organisations.profile import freeze_payee, payee_problem, unfreeze_payee
from approvals.policies.models import Policy
from approvals.policies.vocabulary import FUNDING_TYPES
from approvals.workflow import runtime


def get_batch(actor: User, batch_id: int) -> Batch:
    require(actor, READER_ROLES)
    batch = db.session.get(Batch, batch_id)
    if batch is None:
        raise NotFound("拨付批次不存在")
    return batch


def payable_claims() -> list[Claim]:
    """Claims waiting for payout (tagged `payable`) not yet in any batch, oldest first;
    not those another feature holds back (公示: approvals/finance/payout_holds.py)."""
    in_batch = select(BatchItem.claim_id)
    return list(
        db.session.scalars(
            select(Claim)
            .where(in_states_tagged("payable"), Claim.id.not_in(in_batch), ~payout_holds.held())
            .order_by(Claim.id)
        )
    )


class Exclusion(NamedTuple):
    """A claim left out of a batch, and why."""

    claim_id: int
    number: str
    reason: str


def compose(actor: User, claim_ids: list[int], note: str = "") -> Batch:
    """An open batch of the given claims waiting for payout: the year's next number (第N批).

    Each claim's payee account is frozen on it and on its batch item. A claim whose account
    is missing or invalid is left out: `batch.excluded` lists those, each with the reason.
    """
    require(actor, FINANCE_ROLES)
    ids = sorted({int(i) for i in claim_ids})
    if not ids:
        raise Invalid("请选择要编入批次的申报", fields={"claims": "请至少选择一项"})
    year = utcnow().astimezone(LOCAL).year
    try:
        with transaction():
            # In claim order: the items, their references and the scaling's extra fen follow it.
            query = select(Claim).where(Claim.id.in_(ids)).order_by(Claim.id)
            claims = db.session.scalars(query).all()
            refused = [c.number for c in claims if not is_tagged(c, "payable")]
            if len(claims) != len(ids) or refused:
                raise Invalid("只能编入待拨付（已审定）的申报：" + "、".join(map(str, refused)))
            # A claim another feature holds back (公示 not cleared) is left out, with why.
            today = local_today()
            excluded = [
                Exclusion(c.id, c.number, problem)
                for c in claims
                if (problem := payee_problem(c.enterprise) or payout_holds.problem(c, today))
            ]
            left_out = {e.claim_id for e in excluded}
            claims = [c for c in claims if c.id not in left_out]
            if not claims:
                reasons = "；".join(f"{e.number}：{e.reason}" for e in excluded)
                raise Invalid("所选申报均不能编入批次。" + reasons, fields={"claims": reasons})
            seq = (
                db.session.scalar(select(func.max(Batch.seq)).where(Batch.year == year)) or 0
            ) + 1
            batch = Batch(year=year, seq=seq, note=(note or "").strip(), created_by_id=actor.id)
            db.session.add(batch)
            db.session.flush()
            for claim in claims:
                payee = freeze_payee(claim)
                item = BatchItem(
                    batch_id=batch.id,
                    claim_id=claim.id,
                    approved_amount=claim.approved_amount,
                    amount=claim.approved_amount,
                    payee_bank_name=payee.bank_name,
                    payee_account=payee.account,
                    payee_account_name=payee.account_name,
                    reference=f"{year}B{seq:02d}-{claim.id:06d}",
                )
                payout_lines.compose(item, claim)  # the people it rewards, one line each
                db.session.add(item)
    except (IntegrityError, StaleDataError) as exc:
        # Another batch took one of these claims (or froze its account), or this year's
        # number, first.
        raise Conflict("有申报已编入其他批次或批次号已被占用，请刷新后重试") from exc
    batch.excluded = excluded  # not stored: what the page tells the composer
    return batch


def remove_claim(actor: User, batch_id: int, claim_id: int) -> Batch:
    require(actor, FINANCE_ROLES)
    with transaction():
        batch = _locked(batch_id)
        if not batch.is_open:
            raise Conflict("批次已开始拨付，不能调整", code="batch_not_open")
        item = next((i for i in batch.items if i.claim_id == claim_id), None)
        if item is None:
            raise NotFound("该申报不在本批次中")
        unfreeze_payee(item.claim)  # paid later, it goes to the account of that day
        batch.items.remove(item)
    return batch


def scale(actor: User, batch_id: int, policy_code: str, limit) -> list[prorata.Share]:
    """Scale the batch's claims under one policy down pro rata to `limit` (按比例核减)."""
    require(actor, FINANCE_ROLES)
    limit = parse_amount(limit, "limit")
    with transaction():
        batch = _locked(batch_id)
        if not batch.is_open:
            raise Conflict("批次已开始拨付，不能核减", code="batch_not_open")
        items = {i.id: i for i in batch.items if i.claim.policy.code == policy_code}
        if not items:
            raise Invalid("本批次没有该政策的申报", fields={"policy": "无此政策的申报"})
        total = sum((i.approved_amount for i in items.values()), ZERO)
        if limit >= total:
            message = f"可用额度须小于本批次该政策核定合计 {total:,.2f} 元"
            raise Invalid(message, fields={"limit": message})
        shares = prorata.scale({k: i.approved_amount for k, i in items.items()}, limit)
        if any(s.amount <= 0 for s in shares):
            raise Invalid("可用额度过小：有申报核减后不足一分钱", fields={"limit": "额度过小"})
        for share in shares:
            items[share.key].amount = share.amount
            items[share.key].rounding_fen = share.bonus_fen
            # The item's lines (the claimant's share, each person's reward) by its own ratio.
            if not payout_lines.rescale(items[share.key]):
                raise Invalid(
                    "可用额度过小：有收款人核减后不足一分钱", fields={"limit": "额度过小"}
                )
        scaling = dict(batch.scaling or {})
        scaling[policy_code] = {
            "limit": f"{limit:.2f}",
            "total": f"{total:.2f}",
            "ratio": f"{(limit / total):.10f}",
            "remainder_fen": sum(s.bonus_fen for s in shares),
        }
        batch.scaling = scaling  # a new dict: JSON columns notice assignment, not mutation
    return shares


def _locked(batch_id: int) -> Batch:
    batch = db.session.scalar(
        select(Batch)
        .where(Batch.id == batch_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if batch is None:
        raise NotFound("拨付批次不存在")
    return batch


def confirm(actor: User, batch_id: int) -> Batch:
    """Pay every pending item; safe to call twice at once and to call again after a crash."""
    batch = begin(actor, batch_id)
    if batch.state == "confirmed":
        return batch  # a retried request changes nothing
    while _pay_next(actor, batch_id):
        pass
    return _finish(actor, batch_id)


def begin(actor: User, batch_id: int) -> Batch:
    """Close the batch for payment (state `confirming`, who asked first and when), in a
    transaction of its own; a batch already confirming or confirmed is left as it is."""
    require(actor, ("finance",))
    with transaction():
        batch = _locked(batch_id)
        if batch.state == "confirmed":
            return batch
        if not batch.items:
            raise Invalid("批次中没有申报")
        if batch.is_open:
            batch.state, batch.confirmed_by_id, batch.started_at = "confirming", actor.id, utcnow()
    return batch


def _pay_next(actor: User, batch_id: int) -> bool:
    """Disburse one pending item; False when none is left to take.

    The claim row is locked first, in the order every payment takes (claim, budget, batch
    item), so a direct payout racing the confirmation can never deadlock with it.
    Claims another confirmer holds are skipped; when only held ones are left, wait for the
    next one: its holder either pays it (then it is seen paid) or is refused and lets go.
    """
    claim_id = _lock_next_claim(batch_id, skip_locked=True)
    if claim_id is None:
        claim_id = _lock_next_claim(batch_id, skip_locked=False)
    if claim_id is None:
        db.session.rollback()  # end the read transaction
        return False
    item = db.session.scalar(
        select(BatchItem)
        .where(BatchItem.claim_id == claim_id)
        .execution_options(populate_existing=True)
    )
    if item.status != "pending":  # paid by whoever held the claim before us
        db.session.rollback()
        return True
    claim = db.session.get(Claim, claim_id, populate_existing=True)
    token = ledger.paying_item.set(item.id)
    try:
        # advance() commits this transaction, which holds the claim's lock until then.
        # The payout is the claim's move that pays (`budget.pay`), whatever its workflow calls it.
        payout = trigger_with(claim, "budget.pay")
        runtime.advance(
            actor, claim.id, payout, version=claim.version, payment_reference=item.reference
        )
    except BaseException:
        db.session.rollback()  # a refusal before advance()'s own transaction: drop the lock
        raise
    finally:
        ledger.paying_item.reset(token)
    return True


def _lock_next_claim(batch_id: int, *, skip_locked: bool) -> int | None:
    return db.session.scalar(
        select(Claim.id)
        .join(BatchItem, BatchItem.claim_id == Claim.id)
        .where(BatchItem.batch_id == batch_id, BatchItem.status == "pending")
        .order_by(BatchItem.id)
        .limit(1)
        .with_for_update(of=Claim, skip_locked=skip_locked)
    )


def _finish(actor: User, batch_id: int) -> Batch:
    with transaction():
        batch = _locked(batch_id)
        if batch.state == "confirmed":
            return batch
        pending = db.session.scalar(
            select(func.count())
            .select_from(BatchItem)
            .where(BatchItem.batch_id == batch_id, BatchItem.status == "pending")
        )
        if pending:
            return batch  # another confirmer is paying the rest and will finish
        from approvals.finance.batch_notice import issue_list

        issue_list(batch)
        batch.state, batch.confirmed_at = "confirmed", utcnow()
    return batch


# What the batch page and the payment file show ----------------------------------------


def totals(batch: Batch) -> dict:
    """Count and amount by policy and by funding type; the grand total."""
    by_policy: dict[str, list] = defaultdict(lambda: [None, 0, ZERO, ZERO])
    by_type: dict[str, list] = defaultdict(lambda: [0, ZERO])
    for item in batch.items:
        policy: Policy = item.claim.policy
        row = by_policy[policy.code]
        row[0], row[1] = policy, row[1] + 1
        row[2] += item.approved_amount
        row[3] += item.amount
        by_type[policy.funding_type][0] += 1
        by_type[policy.funding_type][1] += item.amount
    return {
        "by_policy": [tuple(v) for _, v in sorted(by_policy.items())],
        "by_type": [(FUNDING_TYPES[t], n, amount) for t, (n, amount) in sorted(by_type.items())],
        "count": len(batch.items),
        "approved_amount": sum((i.approved_amount for i in batch.items), ZERO),
        "amount": sum((i.amount for i in batch.items), ZERO),
        "paid": sum(1 for i in batch.items if i.status == "paid"),
    }


# A row per payment: an item paid to its claimant alone is one; an item whose claim rewards
# people (有功人员) is one per payout line, each person named with the identity number masked.
PAYMENT_HEADERS = [
    "序号",
    "收款单位",
    "统一社会信用代码",
    "开户银行",
    "银行账号",
    "金额（元）",
    "支付凭证号",
    "申报编号",
    "用途",
    "收款人类别",
    "身份证号码",
]


def payment_rows(batch: Batch) -> list[list]:
    rows = []
    for item in batch.items:
        ent, purpose = (
            item.claim.enterprise,
            f"{batch.name}政策兑现资金：{item.claim.policy.title_zh}",
        )
        if not item.lines:
            rows.append(
                [
                    item.payee_account_name or ent.name,
                    ent.credit_code,
                    item.payee_bank_name or "",  # frozen at composition, never the live profile
                    item.payee_account or "",
                    item.amount,
                    item.reference,
                    item.claim.number,
                    purpose,
                    PAYOUT_LINE_KINDS["claimant"],
                    "",
                ]
            )
            continue
        for line in item.lines:
            person = line.recipient
            rows.append(
                [
                    line.payee_name,
                    "" if person else ent.credit_code,
                    line.bank_name,
                    line.account,
                    line.amount,
                    payout_lines.reference(item, line),
                    item.claim.number,
                    f"{purpose}（有功人员奖励）" if person else purpose,
                    line.kind_label,
                    mask_id_number(person.id_number) if person else "",
                ]
            )
    return [[n, *row] for n, row in enumerate(rows, 1)]


def list_batches() -> list[Batch]:
    return list(db.session.scalars(select(Batch).order_by(Batch.year.desc(), Batch.seq.desc())))
