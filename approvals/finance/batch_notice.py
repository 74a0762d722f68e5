"""The batch list notice (拨付批次清单): a Notice numbered by the finance bureau, verifiable."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import select

from approvals.clock import LOCAL
from approvals.db import utcnow
from approvals.extensions import db
from approvals.finance.models import Batch
from approvals.notices import render
from approvals.notices.documents import issue_document
from approvals.notices.issue import verify_url
from approvals.notices.joint import joint_reviewers
from approvals.notices.models import Notice
from approvals.organisations.models import Department
from approvals.organisations.naming import full_name

KIND = "batch_list"


def _context(batch: Batch, issuer: Department, number: str, code: str, now: datetime) -> dict:
    from approvals.finance.batches import totals

    local = now.astimezone(LOCAL)
    sums = totals(batch)
    # The department/township track's claims were reviewed jointly (联合审核), not re-reviewed.
    joint = {item.claim_id for item in batch.items if joint_reviewers(item.claim)}
    url = verify_url(code)
    # The departments whose clauses are paid are told; the city government is copied.
    departments = sorted({item.claim.policy.department for item in batch.items}, key=lambda d: d.id)
    government = db.session.scalar(
        select(Department).where(Department.code == current_app.config["GOVERNMENT_DEPARTMENT"])
    )
    return {
        "number": number,
        "issuer_name": full_name(issuer),
        "heading": f"{full_name(issuer)}关于下达{batch.name}政策兑现资金拨付清单的通知",
        "we": "我" + issuer.name[-1:],
        "addressees": [full_name(d) for d in departments if d.id != issuer.id] or ["各有关部门"],
        "cc": [full_name(government)] if government else [],
        "contact_name": issuer.contact_name,
        "contact_phone": issuer.contact_phone,
        # 经市政府审定 is said only of the claims that went through the government's review.
        "government": sum(1 for item in batch.items if item.claim.reached_government),
        "joint": len(joint),
        "all_accounts": all(item.payee_account for item in batch.items),
        # Some of it went to the people a claim rewards (有功人员), to their own accounts.
        "to_people": any(line.recipient for item in batch.items for line in item.lines),
        "batch_name": batch.name,
        "issued_on": f"{local.year}年{local.month}月{local.day}日",
        "created": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "count": sums["count"],
        "total": render.amount(sums["amount"]),
        "total_figures": f"{sums['amount']:,.2f}",
        "by_type": [(label, n, f"{amount:,.2f}") for label, n, amount in sums["by_type"]],
        "scaled": bool(batch.scaling),
        "rows": [
            {
                "enterprise": item.claim.enterprise.name,
                "claim_number": item.claim.number,
                "via_government": item.claim.reached_government,
                "joint": item.claim_id in joint,
                "policy": item.claim.policy.title_zh,
                "funding_type": item.claim.policy.funding_type_label,
                "amount": f"{item.amount:,.2f}",
                "reference": item.reference,
            }
            for item in batch.items
        ],
        "verification_code": code,
        "verify_url": url,
        "total_amount": sums["amount"],
    }


def issue_list(batch: Batch) -> Notice:
    """Number and store the list, rendered after the commit; the caller's transaction
    commits it."""
    code = current_app.config["FINANCE_DEPARTMENT"]
    issuer = db.session.scalar(select(Department).where(Department.code == code))
    now = utcnow()
    return issue_document(
        KIND,
        issuer,
        now,
        "notices/batch_list.html",
        lambda number, verification: _context(batch, issuer, number, verification, now),
        lambda context: {"batch_name": batch.name},
        batch_id=batch.id,
    )
