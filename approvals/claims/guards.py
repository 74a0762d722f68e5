"""The claims feature's guards: facts about a claim that enable or choose a move.

Each answers True or False; its explanation says in Chinese what to fix. `register` puts
them on the app's catalog (approvals/claims/__init__.py), where the workflow files find them.
"""

from __future__ import annotations

from approvals.claims import rewards
from approvals.organisations.payee import claim_payee_problems, payout_refusal
from approvals.workflow.guards import GuardContext


def _window_text(claim, ctx: GuardContext) -> str:
    policy = claim.policy
    return f"不在申报期内（{policy.window_open:%Y-%m-%d} 至 {policy.window_close:%Y-%m-%d}）"


def window_open(claim, ctx: GuardContext) -> bool:
    return claim.policy.window_is_open(ctx.today)


# The window governs the first submission only: a returned claim is resubmitted within its
# 补正期限 (inclusive, Beijing date), however the window stands. A claim returned before
# deadlines were recorded has none, and keeps the window's rule.
def _supplement_text(claim, ctx: GuardContext) -> str:
    if claim.supplement_due is None:
        return _window_text(claim, ctx)
    return f"补正期限（{claim.supplement_due:%Y-%m-%d}）已过，不能再提交补正材料"


def within_supplement_period(claim, ctx: GuardContext) -> bool:
    if claim.supplement_due is None:
        return window_open(claim, ctx)
    return ctx.today <= claim.supplement_due


def _not_overdue_text(claim, ctx: GuardContext) -> str:
    due = claim.supplement_due
    return f"补正期限（{due:%Y-%m-%d}）尚未届满" if due else "该申报没有补正期限"


def supplement_overdue(claim, ctx: GuardContext) -> bool:
    return claim.supplement_due is not None and ctx.today > claim.supplement_due


def _missing_text(claim, ctx: GuardContext) -> str:
    missing = claim.terms.missing_evidence({a.kind for a in claim.attachments})
    return "缺少证明材料：" + "、".join(missing)


def evidence_complete(claim, ctx: GuardContext) -> bool:
    return not claim.terms.missing_evidence({a.kind for a in claim.attachments})


def _no_government_text(claim, ctx: GuardContext) -> str:
    return "该政策无需市政府审定"


def needs_government_approval(claim, ctx: GuardContext) -> bool:
    return bool(claim.terms.requires_government_approval)


# The rule is the payee module's (pure functions of plain values, no database).
def _payee_text(claim, ctx: GuardContext) -> str:
    return payout_refusal(claim_payee_problems(claim))


def payee_valid(claim, ctx: GuardContext) -> bool:
    return not claim_payee_problems(claim)


def _group_conflict(claim):
    if not getattr(claim.policy, "exclusive_group", None):
        return None  # most clauses belong to no group: nothing to look up
    from approvals.claims.duplicates import group_conflict

    return group_conflict(claim)


def _group_text(claim, ctx: GuardContext) -> str:
    rival = _group_conflict(claim)
    if rival is None:
        return ""
    return (
        f"同组政策就高不重复：本企业的申报 {rival.number}（{rival.policy.code} "
        f"{rival.terms.title_zh}）已通过财政复核，同一项目不能重复兑现"
    )


def exclusive_group_clear(claim, ctx: GuardContext) -> bool:
    return _group_conflict(claim) is None


# A fact of the clause, routing a claim (not offered where it does not fit): a recognition
# (税收分成认定) is given a share and a period, a payout an amount.
def _recognition_text(claim, ctx: GuardContext) -> str:
    if claim.terms.is_recognition:
        return "该政策条款为税收分成认定：认定分成比例和期限，不核定金额"
    return "该政策条款不是税收分成认定，请核定金额"


def is_recognition(claim, ctx: GuardContext) -> bool:
    return claim.terms.is_recognition


def _rewards_text(claim, ctx: GuardContext) -> str:
    return rewards.list_problem(claim) or ""


def rewards_listed(claim, ctx: GuardContext) -> bool:
    """A clause that rewards people is filed with the list of them (有功人员名单)."""
    return rewards.list_problem(claim) is None


# 全程代办: a claim an official filed for the claimant is submitted only once the claimant has
# recorded its consent (approvals/claims/agency.py); a claim without an agent needs none.
def _consent_text(claim, ctx: GuardContext) -> str:
    return "该申报由工作人员代办，须经申报单位在本系统确认同意代办后才能提交"


def agency_consented(claim, ctx: GuardContext) -> bool:
    return claim.agent_id is None or claim.agency_consent_at is not None


# (name, check, explanation, the part of the claim to fix)
GUARDS = (
    ("window_open", window_open, _window_text, "policy"),
    ("within_supplement_period", within_supplement_period, _supplement_text, "supplement_due"),
    ("supplement_overdue", supplement_overdue, _not_overdue_text, "supplement_due"),
    ("evidence_complete", evidence_complete, _missing_text, "attachments"),
    ("needs_government_approval", needs_government_approval, _no_government_text, "claim"),
    ("payee_valid", payee_valid, _payee_text, "bank_account"),
    ("exclusive_group_clear", exclusive_group_clear, _group_text, "exclusive_group"),
    ("agency_consented", agency_consented, _consent_text, "agency_consent"),
    ("rewards_listed", rewards_listed, _rewards_text, "reward_recipients"),
)


def register(cat) -> None:
    for name, check, explain, on in GUARDS:
        cat.guard(name, explain, on)(check)
    cat.guard("is_recognition", _recognition_text, "policy", routing=True)(is_recognition)
