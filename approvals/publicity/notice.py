"""The 公示通知: one numbered document listing a policy's approved claims for publicity, issued
by the finance bureau in the 文件格式, verifiable like every notice. It prints what the public
page prints (enterprise, project, approved amount) and nothing about any person."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app

from approvals.clock import LOCAL, chinese_date
from approvals.money import ZERO
from approvals.notices import render
from approvals.notices.documents import issue_document
from approvals.notices.issue import verify_url
from approvals.notices.models import Notice
from approvals.organisations.naming import full_name
from approvals.publicity.models import Publicity

KIND = "publicity"
TEMPLATE = "notices/publicity.html"


def heading(publicity: Publicity, issuer_name: str) -> str:
    return f"{issuer_name}关于{publicity.policy.title_zh}拟兑现项目的公示"


def public_url(publicity: Publicity) -> str:
    """The public page of the list, where objections are lodged (its address for print; a
    notice is issued outside any request, as verify_url's address is built)."""
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/publicity/{publicity.id}"


def _context(publicity: Publicity, number: str, code: str, now: datetime) -> dict:
    issuer, policy = publicity.department, publicity.policy
    issuer_name = full_name(issuer)
    total = sum((item.approved_amount for item in publicity.items), ZERO)
    return {
        "number": number,
        "issuer_name": issuer_name,
        "heading": heading(publicity, issuer_name),
        "policy_title": policy.title_zh,
        "basis_title": policy.basis_title or "",
        "basis_number": policy.basis_number or "",
        "basis_clause": policy.basis_clause or "",
        "reviewer_name": full_name(policy.department),
        "days": publicity.days,
        "starts_on": chinese_date(publicity.starts_on),
        "ends_on": chinese_date(publicity.ends_on),
        "page_url": public_url(publicity),
        "cc": [full_name(policy.department)] if policy.department_id != issuer.id else [],
        "contact_name": issuer.contact_name,
        "contact_phone": issuer.contact_phone,
        "count": len(publicity.items),
        "total": render.amount(total),
        "total_figures": f"{total:,.2f}",
        "rows": [
            {
                "enterprise": item.enterprise_name,
                "project": item.project_title,
                "amount": f"{item.approved_amount:,.2f}",
            }
            for item in publicity.items
        ],
        "issued_on": chinese_date(now.astimezone(LOCAL)),
        "created": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verification_code": code,
        "verify_url": verify_url(code),
        "total_amount": total,
    }


def issue(publicity: Publicity, now: datetime) -> Notice:
    """Number and store the list's notice, rendered after the commit; the caller's
    transaction commits it."""
    return issue_document(
        KIND,
        publicity.department,
        now,
        TEMPLATE,
        lambda number, verification: _context(publicity, number, verification, now),
        lambda context: {
            "policy_code": publicity.policy.code,
            "period": [publicity.starts_on.isoformat(), publicity.ends_on.isoformat()],
            "items": [
                {"enterprise": row["enterprise"], "amount": row["amount"]}
                for row in context["rows"]
            ],
        },
        publicity_id=publicity.id,
    )
