"""What an irreversible money move will do, shown before it is done (确认页).

Confirming a batch, starting a recovery, writing off, and finance's bulk actions first
render one of these previews (count, total, payees); only a second POST carries them out.
Nothing here changes a row: the preview reads, the service that follows acts. The words
are the page's (built in a request, in the reader's language); the amounts are data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from approvals.claims.models import Claim
from approvals.claims.services import get_visible
from approvals.claims.tagged import transition_with
from approvals.errors import Conflict, Invalid
from approvals.extensions import db
from approvals.finance import ledger, recovery
from approvals.finance.batches import get_batch
from approvals.finance.budgets import require
from approvals.finance.models import BatchItem
from approvals.i18n import N_
from approvals.money import ZERO
from approvals.notices.numerals import to_capital_yuan
from approvals.organisations.models import User
from approvals.workflow.registry import catalog, engine_for
from approvals.workflow.runtime import available_transitions

STALE = N_("他人已先处理了该申报，请刷新后查看")


@dataclass(frozen=True)
class Line:
    number: str
    payee: str
    amount: Decimal
    note: str = ""


@dataclass
class Preview:
    title: str
    effect: str  # what will happen, in one sentence
    amount_label: str
    lines: list[Line] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)  # what else goes with it

    @property
    def count(self) -> int:
        return len(self.lines)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def total_capital(self) -> str:
        return to_capital_yuan(self.total)

    @property
    def payees(self) -> list[str]:
        return sorted({line.payee for line in self.lines})


def _payee(claim: Claim) -> str:
    return claim.payee_account_name or claim.enterprise.name


def batch_confirmation(actor: User, batch_id: int) -> Preview:
    """What confirming the batch pays: every item not yet paid."""
    require(actor, ("finance",))
    batch = get_batch(actor, batch_id)
    if batch.state == "confirmed":
        raise Conflict(f"{batch.name}已全部拨付", code="batch_confirmed")
    if not batch.items:
        raise Invalid("批次中没有申报")
    lines = [
        Line(
            number=item.claim.number,
            payee=item.payee_account_name or item.claim.enterprise.name,
            amount=item.amount,
            note=(
                f"核定 {item.approved_amount:,.2f}，核减 {item.approved_amount - item.amount:,.2f}"
                if item.amount < item.approved_amount
                else ""
            ),
        )
        for item in batch.items
        if item.status == "pending"
    ]
    preview = Preview(
        title=_("确认拨付%(batch)s", batch=batch.name),
        effect=_("确认后逐项拨付并印发拨付通知书，最后印发拨付批次清单；资金拨付后不能撤回。"),
        amount_label=N_("本批拨付（元）"),
        lines=lines,
    )
    paid = len(batch.items) - len(lines)
    if paid:
        preview.warnings.append(
            _(
                "已拨付 %(paid)s 项，不会重复拨付；本次拨付其余 %(rest)s 项。",
                paid=paid,
                rest=len(lines),
            )
        )
    if any(line.note for line in lines):
        preview.warnings.append(_("核减部分不再拨付：各项核定金额不变，核减金额记入拨付通知书。"))
    return preview


def recovery_confirmation(actor: User, claim_id: int, effect: str, form) -> Preview:
    """Starting a recovery (amount due, reason) or writing off what is still owed: `effect`
    is the move's, `recovery.open` or `recovery.waive`."""
    require(actor, ("finance",))
    claim = get_visible(actor, claim_id)
    reason = (form.get("reason") or "").strip()
    if effect == "recovery.open":
        if transition_with(claim, effect) is None:
            raise Conflict("只有已拨付的申报可以启动追回", code="illegal_transition")
        # Checked as the move will check it: by the declared field (approvals/finance/fields.py).
        due, problem = (
            catalog(current_app).fields["recovery_amount"].parse(claim, form.get("amount"))
        )
        if problem:
            raise Invalid(problem, fields={"recovery_amount": problem})
        if not reason:
            raise Invalid("请填写追回原因", fields={"comment": "请填写追回原因"})
        due, paid = Decimal(due), ledger.paid_for_claim(claim.id)
        return Preview(
            title=_("启动追回：%(number)s", number=claim.number),
            effect=_(
                "向%(payee)s追回资金（已拨付 %(paid)s 元），追回原因：%(reason)s。"
                "确认后印发追回通知书。",
                payee=claim.enterprise.name,
                paid=f"{paid:,.2f}",
                reason=reason,
            ),
            amount_label=N_("应追回（元）"),
            lines=[Line(claim.number, _payee(claim), due, "应追回")],
        )
    if effect == "recovery.waive":
        if transition_with(claim, effect) is None:
            raise Conflict("只有追回中的申报可以核销", code="illegal_transition")
        if not reason:
            raise Invalid("请填写核销原因", fields={"comment": "请填写核销原因"})
        left = recovery.outstanding_for(claim.id)
        return Preview(
            title=_("核销：%(number)s", number=claim.number),
            effect=_(
                "核销%(payee)s尚欠的 %(left)s 元，核销原因：%(reason)s。"
                "核销后不再追讨，追回案件以核销结案并印发核销通知书；此操作不可撤销。",
                payee=claim.enterprise.name,
                left=f"{left:,.2f}",
                reason=reason,
            ),
            amount_label=N_("核销金额（元）"),
            lines=[Line(claim.number, _payee(claim), left, "尚欠")],
        )
    raise Invalid("未知操作")


# Finance's bulk actions on the queue ----------------------------------------------------


def _batch_names(claim_ids: list[int]) -> dict[int, str]:
    items = db.session.scalars(select(BatchItem).where(BatchItem.claim_id.in_(claim_ids)))
    return {i.claim_id: i.batch.name for i in items}


def refusals(actor: User, selected: list[tuple[int, int]], triggers) -> dict[str, dict[str, str]]:
    """For each of `triggers`, why it cannot be taken on each selected claim (empty: it can).

    The page showed each claim at a version; a claim since changed is refused for every
    action, so nobody acts on what they did not see.
    """
    ids = [claim_id for claim_id, _ in selected]
    claims = {c.id: c for c in db.session.scalars(select(Claim).where(Claim.id.in_(ids)))}
    in_batch = _batch_names(ids)
    why: dict[str, dict[str, str]] = {t: {} for t in triggers}
    for claim_id, version in selected:
        claim = claims.get(claim_id)
        if claim is None:
            for t in triggers:
                why[t][f"#{claim_id}"] = "申报不存在"
            continue
        offered = {t.trigger: t for t in available_transitions(actor, claim)}
        state = engine_for(claim).spec.label(claim.state)
        for t in triggers:
            if claim.version != version:
                why[t][claim.number] = STALE
            elif t not in offered:
                why[t][claim.number] = f"当前状态为“{state}”"
            elif "batch_only" in offered[t].effects and claim_id in in_batch:
                why[t][claim.number] = f"已编入{in_batch[claim_id]}拨付批次，只能通过该批次拨付"
    return why


def bulk_confirmation(
    actor: User, selected: list[tuple[int, int]], label: str, facts=()
) -> Preview:
    """What taking one action on every selected claim means: count, total, payees."""
    ids = [claim_id for claim_id, _ in selected]
    claims = db.session.scalars(select(Claim).where(Claim.id.in_(ids)).order_by(Claim.id))
    return Preview(
        title=_("批量办理：%(action)s", action=label),
        effect=_(
            "将对所选 %(count)s 项申报逐项执行“%(action)s”，每项各自印发通知书。",
            count=len(ids),
            action=label,
        ),
        amount_label="核定金额（元）",
        lines=[Line(c.number, _payee(c), c.approved_amount or ZERO) for c in claims],
        facts=[(name, value) for name, value in facts if value],
    )
