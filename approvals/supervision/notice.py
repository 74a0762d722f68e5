"""The 督办通知 as a notice: issued by 市府办 (config GOVERNMENT_DEPARTMENT) in its sequence of
numbers, addressed to the office that must act, in the 文件格式, listing the overdue claims
of one step's deadline (number, enterprise, project, state, deadline, days overdue)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import select

from approvals.clock import LOCAL, chinese_date
from approvals.extensions import db
from approvals.notices.documents import issue_document
from approvals.notices.issue import verify_url
from approvals.organisations.models import Department
from approvals.organisations.naming import full_name
from approvals.supervision.escalation import days_overdue
from approvals.supervision.models import Supervision, SupervisionItem

KIND = "supervision"
TEMPLATE = "notices/supervision.html"


def city_office() -> Department:
    code = current_app.config["GOVERNMENT_DEPARTMENT"]
    return db.session.scalar(select(Department).where(Department.code == code))


def heading(issuer_name: str) -> str:
    return f"{issuer_name}关于督促办理逾期未办结政策兑现申报的通知"


def _context(occ, supervision: Supervision, issuer, number: str, code: str, now) -> dict:
    issuer_name = full_name(issuer)
    deadline = chinese_date(occ.last_day)
    rows = [
        {
            "claim_number": claim.number,
            "enterprise": claim.enterprise,
            "project": claim.project,
            "state": occ.state_label,
            "deadline": deadline,
            "days_overdue": item.days_overdue,
        }
        for claim, item in zip(occ.claims, supervision.items, strict=True)
    ]
    others = occ.department.id != occ.office.id
    return {
        "number": number,
        "issuer_name": issuer_name,
        "heading": heading(issuer_name),
        "addressee": full_name(occ.office),
        # A department's claims waiting in another office (finance's re-review): named, and
        # the department copied.
        "claims_department": full_name(occ.department) if others else "",
        "cc": [full_name(occ.department)] if others else [],
        "state_label": occ.state_label,
        "deadline": deadline,
        "count": len(rows),
        "rows": rows,
        "contact_name": issuer.contact_name,
        "contact_phone": issuer.contact_phone,
        "issued_on": chinese_date(now.astimezone(LOCAL)),
        "created": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verification_code": code,
        "verify_url": verify_url(code),
        "total_amount": None,  # a 督办通知 states no amount
    }


def issue_supervision(occ, now: datetime):
    """The supervision and its notice, numbered in 市府办's sequence, rendered after the
    commit of the timer's transaction."""
    supervision = Supervision(
        timer_id=occ.timer.id,
        department_id=occ.office.id,
        workflow=occ.timer.payload.get("workflow"),
        state=occ.timer.state,
        deadline=occ.timer.deadline,
        claim_count=len(occ.claims),
        issued_at=now,
        items=[
            SupervisionItem(claim_id=claim.id, days_overdue=days_overdue(occ, now))
            for claim in occ.claims
        ],
    )
    db.session.add(supervision)
    db.session.flush()
    issuer = city_office()
    notice = issue_document(
        KIND,
        issuer,
        now,
        TEMPLATE,
        lambda number, code: _context(occ, supervision, issuer, number, code, now),
        lambda context: {
            "addressee": context["addressee"],
            "state": occ.timer.state,
            "deadline": occ.last_day.isoformat(),
            "claims": [
                {"number": row["claim_number"], "days_overdue": row["days_overdue"]}
                for row in context["rows"]
            ],
        },
        supervision_id=supervision.id,
    )
    return supervision, notice
