"""Batches: composed from approved claims, totals, confirmed once, resumed, exported."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from approvals.claims.models import Claim, ClaimEvent
from approvals.errors import Conflict, Forbidden, Invalid
from approvals.extensions import db
from approvals.finance import batches
from approvals.finance.models import Batch, LedgerEntry
from approvals.notices.models import Notice
from tests.finance.conftest import actor, budget_of, reconciles, signed_in


def _compose(app, ids):
    with app.app_context():
        return batches.compose(actor("finance"), ids).id


def test_batches_are_numbered_per_year_and_total_by_policy_and_type(seeded, claims):
    plan = claims(2, to="approved", amount="1000.00")
    loan = claims(1, to="approved", policy="JMJ-INFRA", amount="2500.50")
    first = _compose(seeded, plan)
    second = _compose(seeded, loan)
    with seeded.app_context():
        one, two = db.session.get(Batch, first), db.session.get(Batch, second)
        assert (one.seq, two.seq) == (1, 2)
        assert one.name.endswith("第一批") and two.name.endswith("第二批")
        totals = batches.totals(one)
        assert totals["amount"] == Decimal("2000.00") and totals["count"] == 2
        assert totals["by_type"] == [("无偿资助", 2, Decimal("2000.00"))]
        assert batches.totals(two)["by_type"] == [("贷款贴息", 1, Decimal("2500.50"))]


def test_a_claim_goes_into_one_batch_only_and_only_when_approved(seeded, claims):
    ids = claims(2, to="approved")
    [waiting] = claims(1, to="finance_review")
    _compose(seeded, ids[:1])
    with seeded.app_context():
        with pytest.raises(Conflict):
            batches.compose(actor("finance"), ids)
        with pytest.raises(Invalid, match="待拨付"):
            batches.compose(actor("finance"), [waiting])
        with pytest.raises(Forbidden):
            batches.compose(actor("gov"), ids[1:])
        assert [c.id for c in batches.payable_claims()] == ids[1:]


def test_confirm_pays_every_claim_with_its_notice_and_one_list_notice(seeded, claims):
    ids = claims(3, to="approved", amount="800.00")
    batch_id = _compose(seeded, ids)
    with seeded.app_context():
        batch = batches.confirm(actor("finance"), batch_id)
        assert batch.state == "confirmed"
        assert batch.list_notice.pdf.startswith(b"%PDF") and "财兑〔" in batch.list_notice.number
        for item in batch.items:
            claim = db.session.get(Claim, item.claim_id)
            assert claim.state == "disbursed" and claim.payment_reference == item.reference
            kinds = db.session.scalars(select(Notice.kind).filter_by(claim_id=claim.id)).all()
            assert kinds.count("payout") == 1
        again = batches.confirm(actor("finance"), batch_id)  # a retried request
        assert again.state == "confirmed"
        assert (
            db.session.scalar(select(func.count()).select_from(LedgerEntry).filter_by(kind="pay"))
            == 3
        )
    reconciles(seeded)


def test_the_batch_list_is_a_verifiable_notice(seeded, claims):
    import subprocess

    ids = claims(2, to="approved", amount="800.00")
    batch_id = _compose(seeded, ids)
    with seeded.app_context():
        notice = batches.confirm(actor("finance"), batch_id).list_notice
        code, number, pdf = notice.verification_code, notice.number, notice.pdf
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True).stdout
    assert code in text.decode() and "拨付清单" in text.decode()
    page = seeded.test_client().get(f"/verify/{code}").get_data(as_text=True)
    assert "拨付批次清单" in page and number in page and "1600.00" in page


def test_a_claim_in_a_batch_cannot_be_paid_around_it(api, seeded, claims):
    [cid] = claims(1, to="approved")
    _compose(seeded, [cid])
    res = api("finance").fire(cid, "disburse", payment_reference="SIDE-DOOR")
    assert res.status_code == 409
    assert "只能通过确认该批次拨付" in res.json["error"]["message"]


def test_interrupted_batch_resumes_and_pays_each_claim_exactly_once(seeded, claims, monkeypatch):
    ids = claims(8, to="approved", amount="100.00")
    batch_id = _compose(seeded, ids)
    from approvals.notices import issue as notices

    real_issue, calls = notices.issue, []

    def crash_on_fifth(claim, *rest):
        calls.append(claim.id)
        if len(calls) == 5:
            raise RuntimeError("power cut")
        return real_issue(claim, *rest)

    monkeypatch.setattr(notices, "issue", crash_on_fifth)
    with seeded.app_context(), pytest.raises(RuntimeError, match="power cut"):
        batches.confirm(actor("finance"), batch_id)
    with seeded.app_context():
        batch = db.session.get(Batch, batch_id)
        assert batch.state == "confirming"
        assert [i.status for i in batch.items] == ["paid"] * 4 + ["pending"] * 4
        assert budget_of(seeded, "JMJ-PLAN").paid == Decimal("400.00")
    reconciles(seeded)
    monkeypatch.setattr(notices, "issue", real_issue)
    with seeded.app_context():
        assert batches.confirm(actor("finance"), batch_id).state == "confirmed"
        per_claim = db.session.execute(
            select(ClaimEvent.claim_id, func.count())
            .filter_by(trigger="disburse")
            .group_by(ClaimEvent.claim_id)
        ).all()
        assert dict(per_claim) == {cid: 1 for cid in ids}
    assert budget_of(seeded, "JMJ-PLAN").paid == Decimal("800.00")
    reconciles(seeded)


def test_payment_file_as_csv_and_xlsx(seeded, claims):
    ids = claims(2, to="approved", amount="1234.50")
    batch_id = _compose(seeded, ids)
    client = signed_in(seeded, "finance")
    res = client.get(f"/finance/batches/{batch_id}/payment.csv")
    assert res.status_code == 200
    rows = list(csv.reader(io.StringIO(res.data.decode("utf-8-sig"))))
    assert rows[0][:6] == [
        "序号",
        "收款单位",
        "统一社会信用代码",
        "开户银行",
        "银行账号",
        "金额（元）",
    ]
    assert rows[1][1] == "华东精密机械有限公司" and rows[1][4] == "6222020200012345678"
    assert [r[5] for r in rows[1:]] == ["1234.50", "1234.50"]
    res = client.get(f"/finance/batches/{batch_id}/payment.xlsx")
    sheet = load_workbook(io.BytesIO(res.data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][1] == "收款单位"
    assert sum(Decimal(str(v[5])) for v in values[1:]) == Decimal("2469.00")
    assert values[1][6].startswith(f"{values[1][6][:4]}B01-")


def test_payment_file_is_for_finance_only(seeded, claims):
    batch_id = _compose(seeded, claims(1, to="approved"))
    client = signed_in(seeded, "ent_huadong")
    assert client.get(f"/finance/batches/{batch_id}/payment.csv").status_code == 403
