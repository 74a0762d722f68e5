"""Clause 5: the people a claim rewards (有功人员), named by the claimant, paid in a batch each
to an account in the person's own name beside the claimant's share; identity numbers masked
on every screen, file and notice; every yuan from the budget to the bank file."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from sqlalchemy import select

from approvals.extensions import db
from approvals.finance import batches
from approvals.finance.models import BatchItem
from approvals.finance.reconcile import check
from approvals.organisations.models import User
from tests.platform.conftest import LIN, PLATFORM, SHEN, TOWNSHIP, notices_of
from tests.web.conftest import text

POLICY = "PT5-MAJOR"
MASKED = {"330402198506121238": "3304**********1238", "33040219900308234X": "3304**********234X"}


def _finance() -> User:
    return db.session.scalar(select(User).filter_by(username="finance"))


def _approved(track, api, amount: str = "180000.00") -> int:
    """A clause-5 claim of the township naming 林晓东 and 沈佳怡, approved for payout."""
    claim_id = track.file(POLICY, amount="200000.00")
    for person in (LIN, SHEN):
        assert track.reward(claim_id, person).status_code == 201
    track.submit(claim_id)
    assert track.lead(claim_id, POLICY, approved_amount=amount).status_code == 200
    track.joint(claim_id)
    assert api("gov").fire(claim_id, "gov_approve", comment="同意").status_code == 200
    return claim_id


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"id_number": "330402198506121239"}, "id_number", "校验位错误"),
        ({"id_number": "33040219851332123X"}, "id_number", "出生日期"),
        ({"id_number": "3304021985"}, "id_number", "18位"),
        ({"bank_account": "6222-ABC"}, "bank_account", "数字"),
        ({"amount": "0"}, "amount", "大于0"),
        ({"name": ""}, "name", "姓名"),
    ],
)
def test_a_person_is_named_with_a_valid_identity_number_and_account(
    track, api, change, field, says
):
    claim_id = track.file(POLICY)
    res = track.reward(claim_id, {**LIN, **change})
    assert res.status_code == 422, res.json
    assert says in res.json["error"]["fields"][field]


def test_the_list_is_kept_while_editable_and_shown_masked_to_everyone(seeded, api, track):
    claim_id = track.file(POLICY)
    res = track.reward(claim_id, LIN)
    assert res.status_code == 201 and res.json["id_number"] == MASKED[LIN["id_number"]]
    assert track.reward(claim_id, LIN).json["error"]["code"] == "duplicate_recipient"
    listed = api(TOWNSHIP).get(f"/api/v1/claims/{claim_id}/reward-recipients").json
    assert [p["name"] for p in listed["items"]] == ["林晓东"] and listed["total"] == "60000.00"
    # Others may not change it: another claimant does not find the claim, an official may not.
    assert track.reward(claim_id, SHEN, claimant=PLATFORM).status_code == 404
    assert api("reviewer_zsj").post(f"/api/v1/claims/{claim_id}/reward-recipients").status_code in (
        403,
        404,
    )
    other = track.file("PT2-PLAN")  # a clause that rewards no one
    assert track.reward(other, LIN).json["error"]["code"] == "no_rewards"
    person = listed["items"][0]["id"]
    path = f"/api/v1/claims/{claim_id}/reward-recipients"
    assert (
        api(TOWNSHIP).client.delete(f"{path}/999999", headers=api(TOWNSHIP).headers).status_code
        == 404
    )
    gone = api(TOWNSHIP).client.delete(f"{path}/{person}", headers=api(TOWNSHIP).headers)
    assert gone.status_code == 200 and gone.json["items"] == []


def test_submission_needs_the_list_and_the_approval_covers_it(seeded, api, track):
    claim_id = track.file(POLICY, amount="50000.00")
    res = api(TOWNSHIP).fire(claim_id, "submit")
    assert res.status_code == 422 and "有功人员奖励名单" in res.json["error"]["message"]
    for person in (LIN, SHEN):
        assert track.reward(claim_id, person).status_code == 201
    res = api(TOWNSHIP).fire(claim_id, "submit")  # 100,000 of rewards in a 50,000 claim
    assert res.status_code == 422 and "超过申报金额" in res.json["error"]["message"]
    res = api(TOWNSHIP).patch(f"/api/v1/claims/{claim_id}", json={"requested_amount": "150000.00"})
    assert res.status_code == 200
    track.submit(claim_id)
    assert track.reward(claim_id, {**LIN, "id_number": "110101199003077777"}).status_code == 409
    res = track.lead(claim_id, POLICY, approved_amount="90000.00")
    assert res.status_code == 422 and "不能低于有功人员奖励合计" in res.json["error"]["message"]


def test_rewards_are_paid_in_a_batch_each_to_the_persons_own_account(seeded, api, track, web):
    claim_id = _approved(track, api)
    res = api("finance").fire(claim_id, "disburse", payment_reference="ZF-1")
    assert res.status_code == 422 and "编入拨付批次" in res.json["error"]["message"]
    with seeded.app_context():
        batch_id = batches.compose(_finance(), [claim_id]).id
        item = db.session.scalar(select(BatchItem).filter_by(claim_id=claim_id))
        lines = [(line.payee_name, line.amount) for line in item.lines]
        assert lines == [
            ("示范市青山镇人民政府", Decimal("80000.00")),
            ("林晓东", Decimal("60000.00")),
            ("沈佳怡", Decimal("40000.00")),
        ]
    finance = web("finance")
    rows = list(
        csv.reader(io.StringIO(text(finance.get(f"/finance/batches/{batch_id}/payment.csv"))))
    )
    body = rows[1:]
    assert [r[1] for r in body] == ["示范市青山镇人民政府", "林晓东", "沈佳怡"]
    assert [r[4] for r in body] == [
        "6228480012300456789",
        LIN["bank_account"],
        SHEN["bank_account"],
    ]
    assert [r[10] for r in body] == ["", *MASKED.values()]
    assert [r[9] for r in body] == ["单位", "个人", "个人"]
    assert sum(Decimal(r[5]) for r in body) == Decimal("180000.00")
    assert len({r[6] for r in body}) == 3  # each transfer its own reference
    with seeded.app_context():
        batches.confirm(_finance(), batch_id)
        assert check().problems == []
    assert track.state(claim_id) == "disbursed"
    kind, notice = notices_of(seeded, claim_id)[-1]
    assert kind == "payout"
    assert "按下表逐笔拨付至你单位和获奖人员本人账户" in notice
    for said in ("林晓东", "3304**********1238", "60,000.00", "沈佳怡", "3304**********234X"):
        assert said in notice, said
    _nowhere_in_full(seeded, api, web, claim_id, batch_id, notice)


def _nowhere_in_full(seeded, api, web, claim_id: int, batch_id: int, notice: str) -> None:
    """No screen, answer or notice shows an identity number in full; the masked one shows."""
    shown = [
        notice,
        str(api(TOWNSHIP).claim(claim_id).json),
        str(api("finance").get(f"/api/v1/claims/{claim_id}/reward-recipients").json),
        text(web(TOWNSHIP).get(f"/claims/{claim_id}")),
        text(web("finance").get(f"/claims/{claim_id}")),
        text(web("gov").get(f"/claims/{claim_id}")),
        text(web("finance").get(f"/finance/batches/{batch_id}")),
    ]
    for where in shown:
        assert not any(full in where for full in MASKED)
    assert all(m in shown[3] for m in MASKED.values())
    assert all(m in shown[6] for m in MASKED.values())


def test_a_scaled_payout_scales_every_line_by_the_items_ratio(seeded, api, track):
    claim_id = _approved(track, api)
    with seeded.app_context():
        batch_id = batches.compose(_finance(), [claim_id]).id
        batches.scale(_finance(), batch_id, POLICY, "90000.00")
        item = db.session.scalar(select(BatchItem).filter_by(claim_id=claim_id))
        assert [line.amount for line in item.lines] == [40000, 30000, 20000]
        assert sum(line.amount for line in item.lines) == item.amount == Decimal("90000.00")
        batches.confirm(_finance(), batch_id)
        assert check().problems == []
    notice = notices_of(seeded, claim_id)[-1][1]
    assert "核减金额90,000.00元" in notice and "30,000.00" in notice and "20,000.00" in notice


def test_a_person_is_named_and_removed_on_the_claim_page(seeded, track, web):
    claim_id = track.file(POLICY)
    page = web(TOWNSHIP)
    res = page.post(f"/claims/{claim_id}/reward-recipients", {**LIN, "id_number": "123"})
    assert res.status_code == 422 and "身份证号码应为18位" in text(res)
    res = page.post(f"/claims/{claim_id}/reward-recipients", LIN)
    assert res.status_code == 302
    shown = text(page.get(f"/claims/{claim_id}"))
    assert "3304**********1238" in shown and LIN["id_number"] not in shown
    with seeded.app_context():
        from approvals.claims.models import Claim

        [person] = db.session.get(Claim, claim_id).reward_recipients
    res = page.post(f"/claims/{claim_id}/reward-recipients/{person.id}/delete", {})
    assert res.status_code == 302
    assert "3304**********1238" not in text(page.get(f"/claims/{claim_id}"))
    assert page.post(f"/claims/{claim_id}/reward-recipients/x/delete", {}).status_code == 404
