"""全程代办: an official files a claim on a claimant's behalf, with the claimant's consent
recorded in the system.

A reviewer picks the claimant (by its 统一社会信用代码 or name) and a clause of its own
department, and drafts the claim as the claimant would (`file_on_behalf`): the claim is the
claimant's in every respect (it sees it, is notified, is paid), with the official as its
`agent`. The agent changes the draft and its evidence as the claimant could (the rule table's
`agent_of` scope, approvals/access/rules.py); a user of the claimant consents (`consent`),
and from then on the agent may submit it too (the `agency_consented` guard). Refusing is
withdrawing the draft, as with any draft. The submission records the agent and the consent
in its event and on its receipt (`on_submission`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select

from approvals import limits
from approvals.access.rules import can_consent, rule_for
from approvals.claims import services
from approvals.claims.models import Claim
from approvals.claims.tagged import is_tagged
from approvals.clock import LOCAL, chinese_date, current_time
from approvals.db import transaction
from approvals.errors import Conflict, Forbidden, Invalid
from approvals.extensions import db
from approvals.i18n import N_
from approvals.organisations.credit_code import normalise
from approvals.organisations.models import Enterprise, User
from approvals.organisations.naming import full_name
from approvals.workflow.runtime import STALE, stale_guard

FIELD = "on_behalf_of"  # the claimant's 统一社会信用代码, as the page and the API post it
SEARCH_LIMIT = 10
NOT_AN_AGENT = N_("只有职能部门工作人员可以代办申报")
NO_CLAIMANT = N_("未找到该统一社会信用代码的申报单位")
NO_USER = N_("该单位尚无可登录的账号，无法确认代办：请先协助其注册")


def _has_users(enterprise: Enterprise) -> bool:
    """Whether someone of the claimant can sign in to consent."""
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    User.enterprise_id == enterprise.id,
                    User.role == "enterprise",
                    User.active.is_(True),
                )
            )
        )
    )


def claimant(credit_code) -> Enterprise | None:
    if not isinstance(credit_code, str):
        return None
    code = normalise(credit_code)
    if not code or len(code) > limits.CREDIT_CODE:
        return None
    return db.session.scalar(select(Enterprise).where(Enterprise.credit_code == code))


def find_claimants(text) -> list[Enterprise]:
    """The claimants a search names: the one of that 统一社会信用代码, else those whose name
    contains the text (a few, by name)."""
    text = (text or "").strip() if isinstance(text, str) else ""
    if not text:
        return []
    found = claimant(text)
    if found is not None:
        return [found]
    wanted = text[: limits.ENTERPRISE_NAME].replace("\\", "\\\\")
    wanted = wanted.replace("%", "\\%").replace("_", "\\_")
    query = (
        select(Enterprise)
        .where(Enterprise.name.like(f"%{wanted}%", escape="\\"))
        .order_by(Enterprise.name, Enterprise.id)
        .limit(SEARCH_LIMIT)
    )
    return list(db.session.scalars(query))


def may_file(actor: User) -> bool:
    """Whether `actor`'s role files claims on claimants' behalf (the rule table says)."""
    return rule_for(actor).agent_of is not None


def file_on_behalf(
    agent: User,
    credit_code,
    policy_code: str,
    project_title: str,
    requested_amount,
    amount_inputs=None,
) -> Claim:
    """A draft of the claimant's, filed by `agent` under a clause of its own department."""
    if not may_file(agent):
        raise Forbidden(NOT_AN_AGENT)
    enterprise = claimant(credit_code)
    if enterprise is None:
        raise Invalid(NO_CLAIMANT, fields={FIELD: NO_CLAIMANT})
    if not _has_users(enterprise):
        raise Invalid(NO_USER, code="no_claimant_user", fields={FIELD: NO_USER})
    return services.draft_claim(
        agent, enterprise, policy_code, project_title, requested_amount, amount_inputs, agent=agent
    )


def consent(actor: User, claim_id: int, version: int | None = None) -> Claim:
    """The claimant's user agrees to the agency: who and when, on the claim."""
    claim = services.get_visible(actor, claim_id)
    decision = can_consent(actor, claim)
    if not decision:
        raise Forbidden(decision.reason)
    if claim.agent_id is None:
        raise Conflict(N_("该申报由你单位自行申报，无需确认代办"), code="not_agency")
    if claim.agency_consent_at is not None:
        raise Conflict(N_("你单位已确认过此代办申报"), code="already_consented")
    if not is_tagged(claim, "unsubmitted"):
        raise Conflict(N_("只有尚未提交的代办申报需要确认"), code="not_unsubmitted")
    if version is not None and version != claim.version:
        raise Conflict(STALE, code="stale_version")
    with stale_guard(), transaction():
        now = current_time()
        claim.agency_consent_by = actor
        claim.agency_consent_at = now
        claim.updated_at = now
    return claim


# What the claim shows and records of its agent --------------------------------------------


def _name(user: User) -> str:
    return user.display_name or user.username


@dataclass(frozen=True)
class Agency:
    """An agency filing as the claim page shows it."""

    department: object  # the agent's Department
    agent: str
    consent_by: str | None
    consent_at: datetime | None
    may_consent: bool  # this viewer may consent now
    is_agent: bool  # this viewer is the agent


def shown_to(actor: User, claim: Claim) -> Agency | None:
    if claim.agent is None:
        return None
    waiting = claim.agency_consent_at is None and is_tagged(claim, "unsubmitted")
    return Agency(
        department=claim.agent.department,
        agent=_name(claim.agent),
        consent_by=_name(claim.agency_consent_by) if claim.agency_consent_by else None,
        consent_at=claim.agency_consent_at,
        may_consent=waiting and bool(can_consent(actor, claim)),
        is_agent=claim.agent_id == actor.id,
    )


def record(claim: Claim) -> dict | None:
    """The agency as an event's payload and the API state it; None for the claimant's own."""
    if claim.agent is None:
        return None
    agent, by = claim.agent, claim.agency_consent_by
    return {
        "agent": {
            "id": agent.id,
            "name": _name(agent),
            "department": agent.department.code if agent.department else None,
        },
        "consented_by": {"id": by.id, "name": _name(by)} if by else None,
        "consented_at": claim.agency_consent_at.isoformat() if claim.agency_consent_at else None,
    }


def on_submission(step) -> None:
    """What a submission of an agency filing keeps: the agent and the consent in its event's
    payload, and on its receipt who filed it and who of the claimant confirmed when."""
    claim = step.subject
    if claim.agent is None:
        return
    step.facts["agency"] = record(claim)
    agent = claim.agent
    consented = claim.agency_consent_at
    step.notice_facts.update(
        {
            "agent": f"{full_name(agent.department)} {_name(agent)}".strip(),
            "agency_consent_by": _name(claim.agency_consent_by) if claim.agency_consent_by else "",
            "agency_consent_on": chinese_date(consented.astimezone(LOCAL)) if consented else "",
        }
    )


def filed_by(agent: User, limit: int = 50) -> list[Claim]:
    """The claims `agent` filed on claimants' behalf, newest first."""
    query = select(Claim).where(Claim.agent_id == agent.id).order_by(Claim.id.desc()).limit(limit)
    return list(db.session.scalars(query))
