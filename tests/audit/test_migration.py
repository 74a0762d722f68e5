"""0009 chains the rows already there exactly as the application chains new ones."""

import pytest
from alembic import command
from flask import current_app
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from approvals.audit.check import audit
from approvals.claims import services
from approvals.claims.models import ClaimEvent
from approvals.demo import seed
from approvals.extensions import db
from approvals.finance.models import LedgerEntry
from approvals.notices import render
from approvals.notices.models import Notice
from tests.conftest import DEMO, PDF_BYTES
from tests.finance.conftest import actor, fire
from tests.recognition_forms.helpers import send_form
from tests.test_migrations import empty_database

# 0015's downgrade stops at an expert's account (the old role check refuses it), so the
# record to chain again is the demo's without its expert panel.
WITHOUT_EXPERTS = DEMO | {
    "officials": [row for row in DEMO["officials"] if row["role"] != "expert"],
    "expert_panels": [],
}
STEPS = (
    ("ent_huadong", "submit", {}),
    ("reviewer_jmj", "dept_approve", {"approved_amount": "1000.00", "comment": "同意"}),
    (None, "forward_to_finance", {}),  # by the department's 申请认定表
    ("finance", "finance_approve", {"comment": "同意"}),
)


def _hashes():
    """The links of the record 0009 chains; a 申请认定表's notice (0013) is not among them,
    and a downgrade past 0013 removes it."""
    rows = {
        model: select(model.id, model.prev_hash, model.hash).order_by(model.id)
        for model in (ClaimEvent, Notice, LedgerEntry)
    }
    rows[Notice] = rows[Notice].where(Notice.recognition_form_id.is_(None))
    return {model.__tablename__: db.session.execute(query).all() for model, query in rows.items()}


def test_upgrade_chains_existing_rows_like_the_application(request, backend, tmp_path, monkeypatch):
    monkeypatch.setattr(
        render, "render_notice", lambda facts: b"%PDF-stub " + facts.number.encode()
    )
    with empty_database(request, backend, tmp_path) as config:
        command.upgrade(config, "head")
        seed(WITHOUT_EXPERTS)
        claim = services.create_claim(actor("ent_huadong"), "JMJ-PLAN", "平台规划", "1000.00")
        for kind in claim.policy.required_evidence:
            services.add_attachment(actor("ent_huadong"), claim.id, PDF_BYTES, "证明.pdf", kind)
        for who, trigger, payload in STEPS:
            if who is None:
                send_form(current_app._get_current_object(), claim.id)
            else:
                fire(who, claim.id, trigger, **payload)
        written = _hashes()
        assert all(written.values())
        db.session.remove()

        command.downgrade(config, "0008_auth")  # rows stay, chains and triggers go
        command.upgrade(config, "head")  # and come back, recomputed from the rows

        assert _hashes() == written
        assert audit().breaks == []
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text("UPDATE claim_events SET comment = 'x'"))
        db.session.rollback()
        db.session.remove()
