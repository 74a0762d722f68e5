"""One clause's guide (申兑指南), as its public page shows it: what it supports, who
qualifies, how much, the materials, the window, the basis, who reviews it and whom to ask,
and the steps with their deadlines. Everything comes from the clause's data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from approvals.clock import local_today
from approvals.eligibility import conditions as eligibility
from approvals.errors import NotFound
from approvals.extensions import db
from approvals.guides.materials import Material, materials_of
from approvals.i18n import N_
from approvals.organisations.models import CLAIMANT_TYPE_LABELS, Department
from approvals.policies.amount_rules import describe
from approvals.policies.models import Policy
from approvals.progress.stages import STAGE_LABELS, StageDue, applicable, stage_deadlines
from approvals.workflow.registry import workflows

NOT_FOUND = N_("政策条款不存在")


@dataclass(frozen=True)
class GuideStep:
    stage: str
    label: str  # untranslated
    deadline: date | None
    period: dict | None  # a period counted from reaching the step, {"zh", "en"}


@dataclass(frozen=True)
class Guide:
    policy: Policy
    qualifications: list[str]
    amount_rule: str  # the rule written out (approvals/policies/amount_rules.py describe)
    materials: list[Material]
    open_now: bool
    days_left: int
    opens_in: int
    contact_name: str
    contact_phone: str
    joint_review: list[Department]
    steps: list[GuideStep]


def get_policy(code: str) -> Policy:
    policy = db.session.scalar(select(Policy).where(Policy.code == code))
    if policy is None:
        raise NotFound(NOT_FOUND)
    return policy


def qualifications(policy: Policy) -> list[str]:
    """The conditions the clause holds as data, one sentence each, in the reader's language."""
    types = "、".join(_(CLAIMANT_TYPE_LABELS.get(t, t)) for t in policy.claimant_types or [])
    found = [
        _("申报主体：%(types)s", types=types),
        _(
            "在申报期内（%(start)s 至 %(end)s）提交申报",
            start=policy.window_open.isoformat(),
            end=policy.window_close.isoformat(),
        ),
    ]
    # The eligibility the clause declares as data (approvals/eligibility): certificates,
    # industry, size, age, figures, as the calculator checks them.
    found.extend(eligibility.describe(policy.eligibility, local_today()))
    if policy.required_evidence:
        found.append(_("提交本页所列全部材料"))
    if policy.exclusive_group:
        found.append(
            _(
                "同一项目在同组条款（%(group)s）中只享受最高一项，不重复享受",
                group=policy.exclusive_group,
            )
        )
    if policy.rewards_people:
        found.append(_("奖励到人：申报时须列明有功人员及其奖励金额"))
    if policy.requires_government_approval:
        found.append(_("须经市政府审定后拨付"))
    return found


def steps(policy: Policy) -> list[GuideStep]:
    """The steps a claim under the clause goes through, each with its last day."""
    spec = workflows().get(policy.workflow).spec
    due = stage_deadlines(spec, policy)
    none = StageDue()
    return [
        GuideStep(s, STAGE_LABELS[s], due.get(s, none).day, due.get(s, none).period)
        for s in applicable(spec, policy)
    ]


def guide(policy: Policy, today: date) -> Guide:
    codes = list(policy.joint_review or [])
    joint = list(db.session.scalars(select(Department).where(Department.code.in_(codes))))
    joint.sort(key=lambda d: codes.index(d.code))
    return Guide(
        policy=policy,
        qualifications=qualifications(policy),
        amount_rule=describe(policy.amount_rule),
        materials=materials_of(policy),
        open_now=policy.window_is_open(today),
        days_left=(policy.window_close - today).days,
        opens_in=max(0, (policy.window_open - today).days),
        contact_name=policy.contact_name or policy.department.contact_name,
        contact_phone=policy.contact_phone or policy.department.contact_phone,
        joint_review=joint,
        steps=steps(policy),
    )
