"""The record is hash-chained: check-audit and /verify catch a row forged behind its back."""

import hashlib
import re
from io import BytesIO

import pytest
from sqlalchemy import select, text

from approvals.audit.chain import GENESIS
from approvals.claims.models import Claim, ClaimEvent
from approvals.extensions import db
from approvals.finance.models import Budget, LedgerEntry
from approvals.notices.models import Notice
from approvals.policies.models import Policy
from tests.audit.conftest import as_dba, check_audit
from tests.finance.conftest import fire
from tests.recognition_forms.helpers import send_form

FAILED = "记录校验失败"


def _record(app, claim_id):
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        events = db.session.scalars(select(ClaimEvent).filter_by(claim_id=claim_id)).all()
        notices = {
            n.event_id: n for n in db.session.scalars(select(Notice).filter_by(claim_id=claim_id))
        }
        for row in (claim, *events, *notices.values()):
            db.session.expunge(row)
        return claim, events, notices


def _verify_page(app, notice):
    return app.test_client().get(f"/verify/{notice.verification_code}").get_data(as_text=True)


def _upload(app, notice, pdf):
    client = app.test_client()
    page = client.get(f"/verify/{notice.verification_code}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return client.post(
        f"/verify/{notice.verification_code}",
        data={"csrf_token": token, "file": (BytesIO(pdf), "notice.pdf")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)


def test_each_claim_chains_its_events_and_notices_and_each_budget_its_entries(seeded, claims):
    [cid] = claims(1, to="disbursed")
    claim, events, notices = _record(seeded, cid)
    prev = GENESIS
    for event in events:
        assert event.prev_hash == prev
        prev = event.hash
        if event.id in notices:  # the notice follows its event, and the next event follows it
            assert notices[event.id].prev_hash == event.hash
            prev = notices[event.id].hash
    with seeded.app_context():
        entries = db.session.scalars(select(LedgerEntry).order_by(LedgerEntry.id)).all()
        assert entries[0].prev_hash == GENESIS
        assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    code, output = check_audit(seeded)
    assert code == 0, output
    assert (
        # 5 events (the forwarding by the 申请认定表 too); 4 notices of the claim, and the form's
        "ok  record holds: 1 claims (5 events, 5 notices), 1 budgets (2 ledger entries)" in output
    )
    assert FAILED not in _verify_page(seeded, notices[events[0].id])


@pytest.mark.committed  # a DBA's connection of its own
def test_an_event_edited_by_a_dba_is_caught(seeded, claims):
    [cid] = claims(1, to="approved")
    claim, events, notices = _record(seeded, cid)
    approval = next(e for e in events if e.trigger == "dept_approve")
    with as_dba(seeded) as conn:
        conn.execute(
            text("UPDATE claim_events SET comment = '同意，核定金额可提高' WHERE id = :id"),
            {"id": approval.id},
        )
    code, output = check_audit(seeded)
    assert code == 1
    assert f"claim {claim.number} event {approval.id}: its content does not match" in output
    # Every notice of the claim stands on that chain: none is called genuine any more.
    receipt = notices[events[0].id]
    page = _verify_page(seeded, receipt)
    assert FAILED in page and "验证码有效" not in page


@pytest.mark.committed  # a DBA's connection of its own
def test_a_notice_forged_with_its_pdf_and_sha256_is_caught(seeded, claims):
    [cid] = claims(1, to="approved")
    claim, events, notices = _record(seeded, cid)
    notice = notices[next(e.id for e in events if e.trigger == "dept_approve")]
    with seeded.app_context():
        forged = db.session.get(Notice, notice.id).pdf + b"\n% amount: 900000.00"
    with as_dba(seeded) as conn:  # the forger replaces the file and its fingerprint together
        conn.execute(
            text(
                "UPDATE notice_files SET pdf = :pdf, sha256 = :sha256, size = :size"
                " WHERE notice_id = :id"
            ),
            {
                "pdf": forged,
                "sha256": hashlib.sha256(forged).hexdigest(),
                "size": len(forged),
                "id": notice.id,
            },
        )
    code, output = check_audit(seeded)
    assert code == 1
    # the file's own link covers its SHA-256 and follows its notice's
    assert f"notice {notice.number}'s PDF: its content does not match its hash" in output
    html = _upload(seeded, notice, forged)
    assert FAILED in html
    assert "一致：该文件与签发的通知书原件完全一致" not in html


@pytest.mark.committed  # a DBA's connection of its own
def test_a_notice_whose_hash_was_recomputed_breaks_the_next_event(seeded, claims):
    [cid] = claims(1, to="approved")
    claim, events, notices = _record(seeded, cid)
    receipt = notices[events[0].id]
    with as_dba(seeded) as conn:
        conn.execute(
            text("UPDATE notices SET hash = :h WHERE id = :id"), {"h": "f" * 64, "id": receipt.id}
        )
    code, output = check_audit(seeded)
    assert code == 1
    assert f"claim {claim.number} event {events[1].id}: prev_hash does not follow" in output


@pytest.mark.committed  # a DBA's connection of its own
def test_a_ledger_row_edited_by_a_dba_is_caught(seeded, claims):
    [cid] = claims(1, to="approved")
    with seeded.app_context():
        entry = db.session.scalar(select(LedgerEntry).filter_by(claim_id=cid))
        budget = db.session.get(Budget, entry.budget_id)
        policy = db.session.get(Policy, budget.policy_id)
        where = f"budget {policy.code} {budget.year} ledger entry {entry.id}"
    with as_dba(seeded) as conn:
        conn.execute(
            text("UPDATE ledger_entries SET amount = 1.00 WHERE id = :id"), {"id": entry.id}
        )
    code, output = check_audit(seeded)
    assert code == 1
    assert f"{where}: its content does not match its hash" in output


@pytest.mark.committed  # a DBA's connection of its own
def test_a_stored_pdf_changed_alone_is_caught(seeded, claims):
    [cid] = claims(1, to="submitted")
    claim, events, notices = _record(seeded, cid)
    receipt = notices[events[0].id]
    with as_dba(seeded) as conn:
        conn.execute(
            text("UPDATE notice_files SET pdf = :pdf WHERE notice_id = :id"),
            {"pdf": b"%PDF-x", "id": receipt.id},
        )
    code, output = check_audit(seeded)
    assert code == 1
    assert f"notice {receipt.number}: the stored PDF does not match its SHA-256" in output
    assert FAILED in _verify_page(seeded, receipt)


@pytest.mark.committed  # a DBA's connection of its own
def test_a_deleted_last_event_is_caught(seeded, claims):
    [cid] = claims(1, to="finance_review")
    claim, events, notices = _record(seeded, cid)
    last = events[-1]
    with as_dba(seeded) as conn:
        conn.execute(text("DELETE FROM notices WHERE event_id = :id"), {"id": last.id})
        conn.execute(text("DELETE FROM claim_events WHERE id = :id"), {"id": last.id})
    code, output = check_audit(seeded)
    assert code == 1
    assert f"claim {claim.number}: its state 'finance_review' is not where its last event" in output


@pytest.mark.committed  # a DBA's connection of its own
def test_a_disabled_or_dropped_trigger_is_reported(seeded, claims):
    claims(1, to="submitted")
    with seeded.app_context(), db.engine.begin() as conn:
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            conn.execute(text("ALTER TABLE notices DISABLE TRIGGER notices_append_only"))
        else:
            conn.execute(text("DROP TRIGGER notices_no_update"))
    try:
        code, output = check_audit(seeded)
    finally:  # the PostgreSQL database outlives the test
        with seeded.app_context(), db.engine.begin() as conn:
            if postgres:
                conn.execute(text("ALTER TABLE notices ENABLE TRIGGER notices_append_only"))
    assert code == 1
    assert "notices: trigger notices_" in output


def test_the_chain_continues_after_a_send_back(seeded, claims):
    """Events without a notice and claims moving back and forth keep one chain."""
    [cid] = claims(1, to="finance_review")
    with seeded.app_context():
        fire("finance", cid, "finance_send_back", comment="请补充说明")
        fire("reviewer_jmj", cid, "dept_approve", approved_amount="900.00", comment="同意")
        send_form(seeded, cid)  # the department's second 申请认定表 of the year
        fire("finance", cid, "finance_approve", comment="复核通过")
    code, output = check_audit(seeded)
    assert code == 0, output


@pytest.mark.committed  # a DBA's connection of its own
def test_a_forged_batch_list_is_caught(seeded, claims):
    from approvals.finance import batches
    from tests.finance.conftest import actor

    ids = claims(2, to="approved")
    with seeded.app_context():
        batch = batches.confirm(actor("finance"), batches.compose(actor("finance"), ids).id)
        listing = batch.list_notice
        db.session.expunge(listing)
    assert check_audit(seeded)[0] == 0
    with as_dba(seeded) as conn:
        conn.execute(
            text("UPDATE notices SET facts = :facts WHERE id = :id"),
            {"facts": '{"total_amount": "9999999.00"}', "id": listing.id},
        )
    code, output = check_audit(seeded)
    assert code == 1
    assert f"notice {listing.number}: its content does not match its hash" in output
    assert FAILED in _verify_page(seeded, listing)


@pytest.mark.committed  # a DBA's connection of its own
def test_an_event_removed_from_under_its_notice_is_caught(seeded, claims):
    [cid] = claims(1, to="finance_review")
    claim, events, notices = _record(seeded, cid)
    receipt = notices[events[0].id]
    with as_dba(seeded) as conn:
        conn.execute(text("DELETE FROM claim_events WHERE id = :id"), {"id": events[0].id})
    code, output = check_audit(seeded)
    assert code == 1
    assert f"notice {receipt.number}: its event {events[0].id} is missing" in output
    assert f"claim {claim.number} event {events[1].id}: prev_hash does not follow" in output
