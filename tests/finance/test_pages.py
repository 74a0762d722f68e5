"""Finance pages: who may open them, and the batch built and confirmed through the forms."""

import pytest
from sqlalchemy import select

from approvals.extensions import db
from approvals.finance.models import Batch
from tests.finance.conftest import signed_in

PAGES = ["/finance/", "/finance/recoveries", "/finance/reports"]


def _client(app, username):
    return signed_in(app, username)


@pytest.mark.parametrize(
    ("username", "status"),
    [("finance", 200), ("gov", 200), ("admin", 200), ("reviewer_jmj", 403), ("ent_huadong", 403)],
)
def test_finance_pages_are_for_finance_government_and_admin(seeded, username, status):
    client = _client(seeded, username)
    for page in PAGES:
        assert client.get(page).status_code == status, page


def test_signed_out_visitor_is_sent_to_sign_in(seeded):
    res = seeded.test_client().get("/finance/")
    assert res.status_code in (302, 401)


def test_finance_builds_scales_and_confirms_a_batch_through_the_pages(seeded, claims):
    ids = claims(3, to="approved", amount="100.00")
    client = _client(seeded, "finance")
    page = client.get("/finance/")
    assert "编制拨付批次" in page.get_data(as_text=True)
    res = client.post("/finance/batches", data={"claim_id": [str(i) for i in ids]})
    assert res.status_code == 302
    with seeded.app_context():
        batch_id = db.session.scalar(select(Batch.id))
    res = client.post(
        f"/finance/batches/{batch_id}/scale", data={"policy_code": "JMJ-PLAN", "limit": "200.00"}
    )
    page = client.get(f"/finance/batches/{batch_id}").get_data(as_text=True)
    assert "按比例核减" in page and "+0.01" in page and "200.00" in page
    page = client.post(f"/finance/batches/{batch_id}/confirm").get_data(as_text=True)
    assert "请核对后确认" in page and "200.00" in page  # shown first, nothing paid yet
    client.post(f"/finance/batches/{batch_id}/confirm", data={"confirmed": "1"})
    page = client.get(f"/finance/batches/{batch_id}").get_data(as_text=True)
    assert "已拨付" in page and "批次清单" in page
    assert client.get(f"/finance/batches/{batch_id}/list.pdf").data.startswith(b"%PDF")


def test_government_reads_batches_but_cannot_confirm(seeded, claims):
    ids = claims(1, to="approved")
    finance = _client(seeded, "finance")
    finance.post("/finance/batches", data={"claim_id": [str(ids[0])]})
    with seeded.app_context():
        batch_id = db.session.scalar(select(Batch.id))
    gov = _client(seeded, "gov")
    assert gov.get(f"/finance/batches/{batch_id}").status_code == 200
    assert gov.post(f"/finance/batches/{batch_id}/confirm").status_code == 403
    confirmed = {"confirmed": "1"}
    assert gov.post(f"/finance/batches/{batch_id}/confirm", data=confirmed).status_code == 403
    assert gov.get(f"/finance/batches/{batch_id}/payment.csv").status_code == 403


def test_recovery_through_the_page(seeded, claims):
    [cid] = claims(1, to="disbursed", amount="1000.00")
    client = _client(seeded, "finance")
    with seeded.app_context():
        from approvals.claims.models import Claim

        version = db.session.get(Claim, cid).version
    client.post(
        f"/finance/recoveries/{cid}/put_in_recovery",
        data={"amount": "300", "reason": "迁出本市", "version": version, "confirmed": "1"},
    )
    page = client.get("/finance/recoveries").get_data(as_text=True)
    assert "追回中" in page and "300.00" in page
