"""0009 chains the rows already there exactly as the application chains new ones."""

import pytest
from alembic import command
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
from tests.test_migrations import empty_database

STEPS = (
    ("ent_huadong", "submit", {}),
    ("reviewer_jmj", "dept_approve", {"approved_amount": "1000.00", "comment": "同意"}),
    ("finance", "finance_approve", {"comment": "同意"}),
)


def _hashes():
    return {
        model.__tablename__: db.session.execute(
            select(model.id, model.prev_hash, model.hash).order_by(model.id)
        ).all()
        for model in (ClaimEvent, Notice, LedgerEntry)
    }


def test_upgrade_chains_existing_rows_like_the_application(request, backend, tmp_path, monkeypatch):
    monkeypatch.setattr(
        render, "render_notice", lambda facts: b"%PDF-stub " + facts.number.encode()
    )
    with empty_database(request, backend, tmp_path) as config:
        command.upgrade(config, "head")
        seed(DEMO)
        claim = services.create_claim(actor("ent_huadong"), "JMJ-PLAN", "平台规划", "1000.00")
        for kind in claim.policy.required_evidence:
            services.add_attachment(actor("ent_huadong"), claim.id, PDF_BYTES, "证明.pdf", kind)
        for who, trigger, payload in STEPS:
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
