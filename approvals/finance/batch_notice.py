"""The batch list notice (拨付批次清单): numbered in the finance bureau's sequence, stored."""

from __future__ import annotations

import hashlib
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from approvals.extensions import db
from approvals.finance.models import Batch
from approvals.notices import render
from approvals.notices.numbering import format_number, next_seq
from approvals.organisations.models import Department

LOCAL = ZoneInfo("Asia/Shanghai")


def _context(batch: Batch, issuer: Department, number: str, now) -> dict:
    from approvals.finance.batches import totals

    local = now.astimezone(LOCAL)
    sums = totals(batch)
    return {
        "number": number,
        "issuer_name": issuer.name,
        "batch_name": batch.name,
        "issued_on": f"{local.year}年{local.month}月{local.day}日",
        "count": sums["count"],
        "total": render.amount(sums["amount"]),
        "total_figures": f"{sums['amount']:,.2f}",
        "by_type": [(label, n, f"{amount:,.2f}") for label, n, amount in sums["by_type"]],
        "scaled": bool(batch.scaling),
        "rows": [
            {
                "enterprise": item.claim.enterprise.name,
                "policy": item.claim.policy.title_zh,
                "funding_type": item.claim.policy.funding_type_label,
                "amount": f"{item.amount:,.2f}",
                "reference": item.reference,
            }
            for item in batch.items
        ],
        "seal": render.seal(issuer.name),
    }


def render_list(context: dict) -> bytes:
    # The notice renderer's fonts and lock are shared: WeasyPrint is not thread-safe.
    with render._lock:
        renderer = render._get_renderer()
        html = renderer.env.get_template("notices/batch_list.html").render(context)
        return renderer.layout(html).write_pdf()


def issue_list(batch: Batch) -> None:
    """Number, render and store the list; the caller's transaction commits it."""
    from approvals.db import utcnow

    code = current_app.config["FINANCE_DEPARTMENT"]
    issuer = db.session.scalar(select(Department).where(Department.code == code))
    now = utcnow()
    year = now.astimezone(LOCAL).year
    number = format_number(issuer.notice_prefix, year, next_seq(issuer.id, year))
    pdf = render_list(_context(batch, issuer, number, now))
    batch.list_number, batch.list_pdf = number, pdf
    batch.list_sha256 = hashlib.sha256(pdf).hexdigest()
