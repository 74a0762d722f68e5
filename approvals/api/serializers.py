"""Claims, policies and notices as the API's JSON."""

from __future__ import annotations

from flask import url_for

from approvals.access.tasks import STEP_LABELS
from approvals.claims import agency, rewards
from approvals.claims.models import Claim
from approvals.money import fmt
from approvals.notices.models import Notice
from approvals.organisations.models import User
from approvals.organisations.profile import payee_facts
from approvals.policies import amount_rules
from approvals.policies.models import Policy
from approvals.workflow.runtime import available_transitions


def policy_json(policy: Policy) -> dict:
    return {
        "code": policy.code,
        "title": policy.title_zh,
        "title_en": policy.title_en,
        "department": policy.department.code,
        "funding_type": policy.funding_type,
        "cap": fmt(policy.cap),
        "requires_government_approval": policy.requires_government_approval,
        "window_open": policy.window_open.isoformat(),
        "window_close": policy.window_close.isoformat(),
        "required_evidence": list(policy.required_evidence),
        "claimant_types": list(policy.claimant_types or ()),
        "rewards_people": policy.rewards_people,
        "amount_rule": policy.amount_rule,
        "amount_rule_text": amount_rules.describe(policy.amount_rule),
        "amount_inputs": [
            {"name": f.name, "label": f.label, "kind": f.kind, "help": f.help}
            for f in amount_rules.input_fields(policy.amount_rule)
        ],
    }


def claim_summary(claim: Claim) -> dict:
    return {
        "id": claim.id,
        "number": claim.number,
        "state": claim.state,
        "version": claim.version,
        "policy_code": claim.policy.code,
        "policy_version": claim.policy_version,  # the clause's terms it was filed under
        "enterprise": {
            "name": claim.enterprise.name,
            "credit_code": claim.enterprise.credit_code,
            "claimant_type": claim.enterprise.claimant_type,
        },
        # The department that reviews it: the policy's, or the one it was transferred to.
        "department": claim.department.code,
        "project_title": claim.project_title,
        "requested_amount": fmt(claim.requested_amount),
        "approved_amount": fmt(claim.approved_amount),
        # Paid, and a pro-rata reduction (核减) with its reason: approved = paid + reduction.
        "paid_amount": fmt(claim.paid_amount),
        "reduction": fmt(claim.reduction),
        "reduction_reason": claim.reduction_reason,
        "due_at": claim.due_at.isoformat() if claim.due_at else None,
        # 补正期限: the last day (Beijing date) a returned claim may be resubmitted.
        "supplement_due": claim.supplement_due.isoformat() if claim.supplement_due else None,
        "supplement_due_provisional": claim.supplement_due_provisional,
        "created_at": claim.created_at.isoformat(),
    }


def person_json(user: User | None) -> dict | None:
    if user is None:
        return None
    return {"id": user.id, "name": user.display_name or user.username}


def review_task_json(task) -> dict:
    """A review task as the claim lists it: whose part it is (and which step of a sign-off
    chain: `step` "" outside one), what its first step prepared, its decision and signer,
    and whom the signer substituted for (委派)."""
    return {
        "id": task.id,
        "state": task.state,
        "round": task.round,
        "department": task.department.code if task.department else None,
        "role": task.role,
        "step": task.step,
        "step_label": STEP_LABELS.get(task.step, ""),
        "prepared": task.prepared,
        "assignee": person_json(task.assignee),
        "status": task.status,
        "decision": task.decision,
        "opinion": task.opinion,
        "decided_by": person_json(task.decided_by),
        "on_behalf_of": person_json(task.on_behalf_of),
        "decided_at": task.decided_at.isoformat() if task.decided_at else None,
        "version": task.version,
    }


def notice_json(notice: Notice) -> dict:
    return {
        "id": notice.id,
        "kind": notice.kind,
        "number": notice.number,
        "status": notice.status,  # pending until its PDF is rendered (the outbox)
        "sha256": notice.sha256,
        "verification_code": notice.verification_code,
        "url": url_for("api.notice_pdf", notice_id=notice.id),
    }


def claim_json(claim: Claim, actor: User, notices: list[Notice]) -> dict:
    data = claim_summary(claim)
    data["payment_reference"] = claim.payment_reference
    data["amount_inputs"] = claim.amount_inputs
    computed = amount_rules.maximum_for(claim)
    data["maximum"] = {"amount": fmt(computed.maximum), "computation": computed.text}
    data["available_triggers"] = [t.trigger for t in available_transitions(actor, claim)]
    data["payee"] = payee_facts(actor, claim)  # the number in full for finance only
    # 全程代办: the official filing it for the claimant and the claimant's consent; or None.
    data["agency"] = agency.record(claim)
    # 税收分成认定: the share and period the departments gave (none for a payout).
    data["recognition"] = {
        "share": fmt(claim.recognised_share),
        "from": claim.share_from.isoformat() if claim.share_from else None,
        "until": claim.share_until.isoformat() if claim.share_until else None,
    }
    # The people it rewards, identity numbers masked for everyone.
    data["reward_recipients"] = [rewards.shown(r, actor) for r in claim.reward_recipients]
    data["attachments"] = [
        {"id": a.id, "filename": a.filename, "kind": a.kind, "size": a.size, "sha256": a.sha256}
        for a in claim.attachments
    ]
    data["history"] = [
        {
            "trigger": e.trigger,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "actor": e.actor.display_name or e.actor.username,
            "at": e.at.isoformat(),
            "comment": e.comment,
        }
        for e in claim.events
    ]
    # Every round's tasks, oldest first: the joint opinions (会签) with who signed them.
    data["tasks"] = [review_task_json(t) for t in claim.review_tasks]
    data["notices"] = [notice_json(n) for n in notices]
    return data
