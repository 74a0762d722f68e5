"""The 申请认定表 as a notice: numbered by the sending department, addressed to 市财政局（企业科）,
in the 文件格式, listing its claims and their total, signed by the department's chain."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from approvals.clock import LOCAL, chinese_date
from approvals.extensions import db
from approvals.money import ZERO
from approvals.notices import render
from approvals.notices.documents import issue_document
from approvals.notices.issue import verify_url
from approvals.notices.models import Notice
from approvals.organisations.models import Department
from approvals.organisations.naming import full_name
from approvals.recognition_forms.models import RecognitionForm

KIND = "recognition_form"
# The office that receives the forms: the finance bureau's 企业科.
FINANCE_SECTION = "企业科"
SIGNER_TITLES = (("prepared_by", "prepared_at", "经办人"), ("checked_by", "checked_at", "审核人"),
                 ("sent_by", "sent_at", "审批人"))  # fmt: skip


def _finance() -> Department | None:
    code = current_app.config["FINANCE_DEPARTMENT"]
    return db.session.scalar(select(Department).where(Department.code == code))


def _name(user) -> str:
    return user.display_name or user.username


def signatures(form: RecognitionForm) -> list[str]:
    """经办人：张三　2027年2月3日, one per step signed, in the chain's order."""
    lines = []
    for who, when, title in SIGNER_TITLES:
        user, at = getattr(form, who), getattr(form, when)
        if user is not None and at is not None:
            lines.append(f"{title}：{_name(user)}　{chinese_date(at.astimezone(LOCAL))}")
    return lines


def title(form: RecognitionForm, issuer: str) -> str:
    return f"{issuer}{form.call_year}年度政策兑现项目申请认定表（{form.batch_name}）"


def _rows(form: RecognitionForm) -> list[dict]:
    return [
        {
            "claim_number": item.claim.number,
            "enterprise": item.claim.enterprise.name,
            "project": item.claim.project_title,
            "policy": item.claim.policy.title_zh,
            "amount": f"{item.approved_amount:,.2f}" if item.approved_amount is not None else "—",
            "opinion": item.opinion,
        }
        for item in form.items
    ]


def total(form: RecognitionForm) -> Decimal:
    return sum((item.approved_amount or ZERO for item in form.items), ZERO)


def _context(form: RecognitionForm, number: str, code: str, now: datetime) -> dict:
    issuer = form.department
    finance = _finance()
    local = now.astimezone(LOCAL)
    url = verify_url(code)
    issuer_name = full_name(issuer)
    sum_ = total(form)
    return {
        "number": number,
        "issuer_name": issuer_name,
        "heading": title(form, issuer_name),
        "we": "我" + issuer.name[-1:],
        "addressee": f"{full_name(finance)}（{FINANCE_SECTION}）",
        "call_year": form.call_year,
        "batch_name": form.batch_name,
        "supplementary": (form.seq or 1) > 1,
        "count": len(form.items),
        "total": render.amount(sum_),
        "total_figures": f"{sum_:,.2f}",
        "rows": _rows(form),
        "signatures": signatures(form),
        "contact_name": issuer.contact_name,
        "contact_phone": issuer.contact_phone,
        "issued_on": chinese_date(local),
        "created": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verification_code": code,
        "verify_url": url,
        "total_amount": sum_,
    }


def issue(form: RecognitionForm, now: datetime) -> Notice:
    """Number and store the form's notice (rendered after the commit); the caller's transaction
    commits it."""
    return issue_document(
        KIND,
        form.department,
        now,
        "notices/recognition_form.html",
        lambda number, verification: _context(form, number, verification, now),
        lambda context: {
            "addressee": context["addressee"],
            "call_year": form.call_year,
            "batch_name": f"{form.call_year}年度{form.batch_name}",
            "claims": [
                {"number": row["claim_number"], "amount": row["amount"]} for row in context["rows"]
            ],
            "signatures": context["signatures"],
        },
        recognition_form_id=form.id,
    )
