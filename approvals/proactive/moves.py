"""The proactive grant's moves as workflows/proactive_grant names them: the guards that open
and close an offer, the effects of making, accepting, declining and expiring it (each offer's
notice and the enterprise's message), and the timer that expires it at its deadline."""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app
from sqlalchemy import exists, select

from approvals.claims.models import Claim, ClaimEvent
from approvals.claims.tagged import trigger_with
from approvals.clock import chinese_date
from approvals.extensions import db
from approvals.notices.facts import KIND_TITLES
from approvals.notices.issue import issue
from approvals.notifications.models import ChannelChoice
from approvals.notifications.record import record
from approvals.organisations.payee import enterprise_payee, mask_account
from approvals.proactive.models import ProactiveOffer
from approvals.workflow.calendar import add_working_days, load_overrides
from approvals.workflow.deadlines import after, last_day_of
from approvals.workflow.guards import GuardContext
from approvals.workflow.timers import schedule

# Effects the workflow file names; the code finds its moves by them, never by trigger.
OFFER, ACCEPT, DECLINE, EXPIRE = (
    "proactive.offer",
    "proactive.accept",
    "proactive.decline",
    "proactive.expire",
)
EXPIRY_TIMER = "proactive.expiry"
DEFAULT_OFFER_DAYS = 20  # a proactive clause saved without a period (the form asks for one)


def offer_of(claim_id: int) -> ProactiveOffer | None:
    return db.session.scalar(select(ProactiveOffer).where(ProactiveOffer.claim_id == claim_id))


def offer_days(terms) -> int:
    return terms.offer_days or DEFAULT_OFFER_DAYS


def last_day(claim) -> date | None:
    """The offer's last day to confirm (Beijing date), once it is made."""
    return last_day_of(claim.due_at) if claim.due_at is not None else None


def claim_url(claim) -> str:
    """The claim page, absolute, for a message read by e-mail or SMS outside the app."""
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/claims/{claim.id}"


# Guards ------------------------------------------------------------------------------------


def offer_unmade(claim, ctx: GuardContext) -> bool:
    """Before the claim's first event: only the import, which made it, makes the offer."""
    return not db.session.scalar(select(exists().where(ClaimEvent.claim_id == claim.id)))


def _made_text(claim, ctx: GuardContext) -> str:
    return "兑现告知已发出，不能重复发出"


def offer_open(claim, ctx: GuardContext) -> bool:
    last = last_day(claim)
    return last is not None and ctx.today <= last


def _closed_text(claim, ctx: GuardContext) -> str:
    last = last_day(claim)
    return f"意愿确认期限（{last:%Y-%m-%d}）已过，不能再确认" if last else "兑现告知尚未发出"


def offer_overdue(claim, ctx: GuardContext) -> bool:
    last = last_day(claim)
    return last is not None and ctx.today > last


def _not_overdue_text(claim, ctx: GuardContext) -> str:
    last = last_day(claim)
    return f"意愿确认期限（{last:%Y-%m-%d}）尚未届满" if last else "兑现告知尚未发出"


# Effects -----------------------------------------------------------------------------------


def _notice_facts(claim, offer: ProactiveOffer) -> dict:
    last = offer.last_day
    return {
        "fact": offer.fact,
        "offer_days": str(offer_days(claim.terms)),
        "last_day": chinese_date(last) if last else "",
        "provisional": bool(claim.due_provisional),
        "claim_url": claim_url(claim),
    }


def _issue_and_tell(step, kind: str, subject: str, body: str) -> None:
    """The move's notice, in the name of the claim's department, and the enterprise's message
    about it, in the move's transaction. Issued here rather than by `notice =`: the general
    wording of a message says 您单位申报的, and this enterprise filed nothing."""
    claim = step.subject
    offer = offer_of(claim.id)
    notice = issue(
        claim, step.event, kind, claim.department, {"proactive": _notice_facts(claim, offer)}
    )
    choice = db.session.get(ChannelChoice, claim.enterprise_id)
    record(
        claim.created_by_id,
        subject[:200],
        f"{body}（{KIND_TITLES[kind]}{notice.number}）",
        choice.channels if choice else (),
        claim_id=claim.id,
        notice=notice,
        at=step.now,
    )


def _about(claim) -> str:
    return f"{claim.terms.title_zh}（编号{claim.number}）"


def make_offer(step) -> None:
    """The `proactive.offer` effect, after the event: the offer's deadline (the clause's
    working days from today), its timer, the 兑现告知书 and the message with the link."""
    claim = step.subject
    days = offer_days(claim.terms)
    last = add_working_days(step.today, days, load_overrides())
    claim.due_at, claim.due_provisional = after(last.due), last.provisional
    offer_of(claim.id).last_day = last.due
    schedule(
        EXPIRY_TIMER,
        f"{claim.id}:offer",
        claim.due_at,
        claim_id=claim.id,
        department_id=claim.department_id,
        state=claim.state,
        deadline=claim.due_at,
    )
    amount = f"{claim.approved_amount:,.2f}元"
    _issue_and_tell(
        step,
        "proactive_offer",
        f"免申即享：{claim.terms.title_zh}",
        f"经{claim.department.name}比对核实，你单位符合{_about(claim)}的条件"
        f"（{offer_of(claim.id).fact}），无需申报即可享受{claim.terms.funding_type_label}资金{amount}。"
        f"请于{chinese_date(last.due)}前登录系统确认享受意愿并核对收款账户，逾期未确认视为放弃："
        f"{claim_url(claim)}",
    )


def _answer(step, outcome: str) -> ProactiveOffer:
    offer = offer_of(step.subject.id)
    offer.outcome, offer.answered_by_id, offer.answered_at = outcome, step.actor.id, step.now
    return offer


def accept(step) -> None:
    """The `proactive.accept` effect, before the event: the answer on the offer, and the
    payee account the enterprise confirmed, masked, in the event."""
    offer = _answer(step, "confirmed")
    payee = enterprise_payee(step.subject.enterprise)
    step.facts["proactive"] = {
        "offer_id": offer.id,
        "payee": {
            "bank_name": payee.bank_name,
            "account": mask_account(payee.account),
            "account_name": payee.account_name,
        },
    }


def decline(step) -> None:
    """The `proactive.decline` effect, after the event: the answer, its 放弃享受确认书."""
    _answer(step, "declined")
    claim = step.subject
    _issue_and_tell(
        step,
        "proactive_declined",
        f"已放弃享受：{claim.terms.title_zh}",
        f"你单位已于{chinese_date(step.today)}确认放弃享受{_about(claim)}，该兑现事项终止办理。",
    )


def expire(step) -> None:
    """The `proactive.expire` effect, after the event: the offer lapsed unanswered."""
    last = _answer(step, "expired").last_day
    claim = step.subject
    _issue_and_tell(
        step,
        "proactive_expired",
        f"逾期未确认：{claim.terms.title_zh}",
        f"你单位未在意愿确认期限（{chinese_date(last)}）内确认享受{_about(claim)}，"
        "视为放弃，该兑现事项终止办理。",
    )


# The offer's timer ------------------------------------------------------------------------


def fire_expiry(timer, now: datetime) -> str:
    """The expiry, through the door as the system, if the offer still waits as it did when
    the timer was set (same state, same deadline)."""
    from approvals.claims.supplement import system_user
    from approvals.workflow.runtime import advance

    claim = db.session.get(Claim, timer.claim_id, populate_existing=True)
    if claim is None or claim.state != timer.state or claim.due_at != timer.deadline:
        return "obsolete: the offer was answered"
    trigger = trigger_with(claim, EXPIRE)
    advance(system_user(), claim.id, trigger, version=claim.version, now=now)
    return f"{claim.number}: {trigger}"


def register(cat) -> None:
    # Routing: no page offers the move; the import takes it for the claim it has just made.
    cat.guard("offer_unmade", _made_text, "claim", routing=True)(offer_unmade)
    cat.guard("offer_open", _closed_text, "due_at")(offer_open)
    cat.guard("offer_overdue", _not_overdue_text, "due_at")(offer_overdue)
    cat.effect(OFFER, make_offer)
    cat.effect(ACCEPT, accept, stage="claim")
    cat.effect(DECLINE, decline)
    cat.effect(EXPIRE, expire)
    cat.timer(EXPIRY_TIMER, fire_expiry)
