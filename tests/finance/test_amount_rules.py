"""Each amount rule on known values, to the fen, rounding half up; the claim obeys it."""

from decimal import Decimal

import pytest

from approvals.policies.amount_rules import compute, input_fields, validate_inputs

CAP = Decimal("2000000.00")


def test_loan_interest_is_principal_rate_share_months_over_twelve():
    rule = {"type": "loan_interest", "share": "0.5"}
    inputs = {"principal": "1000000.00", "annual_rate": "4.35", "months": "6"}
    result = compute(rule, inputs, CAP)
    assert result.maximum == Decimal("10875.00")
    assert result.text == ("本金 1,000,000.00 × 年利率 4.35% × 贴息比例 50% × 6/12 = 10,875.00 元")


def test_loan_interest_rounds_half_up_to_the_fen():
    # 333,333.33 × 3.85% × 50% × 7/12 = 3,743.0555… → 3,743.06
    rule = {"type": "loan_interest", "share": "0.5"}
    inputs = {"principal": "333333.33", "annual_rate": "3.85", "months": "7"}
    result = compute(rule, inputs, CAP)
    assert result.maximum == Decimal("3743.06")
    assert "四舍五入到分" in result.text


def test_exact_half_fen_rounds_up():
    # 0.05 × 10% = 0.005 → 0.01 (half up, not to even)
    result = compute({"type": "percentage", "rate": "0.10"}, {"base": "0.05"}, CAP)
    assert result.maximum == Decimal("0.01")


def test_percentage_of_base_with_its_cap():
    rule = {"type": "percentage", "rate": "0.10", "cap": "1000000"}
    assert compute(rule, {"base": "4567890.12"}, CAP).maximum == Decimal("456789.01")
    capped = compute(rule, {"base": "20000000"}, CAP)
    assert capped.maximum == Decimal("1000000.00")
    assert "超过上限，按上限 1,000,000.00 元" in capped.text


def test_policy_cap_applies_when_lower_than_the_rules():
    rule = {"type": "percentage", "rate": "0.5", "cap": "1000000"}
    assert compute(rule, {"base": "900000"}, Decimal("300000")).maximum == Decimal("300000")


def test_fixed_award_needs_no_inputs():
    rule = {"type": "fixed", "amount": "300000"}
    assert input_fields(rule) == ()
    assert compute(rule, None, Decimal("500000")).maximum == Decimal("300000.00")


def test_no_rule_means_up_to_the_cap():
    assert compute(None, None, Decimal("300000")).maximum == Decimal("300000")


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"principal": "abc", "annual_rate": "4.35", "months": "6"}, "principal"),
        ({"principal": "1000", "annual_rate": "150", "months": "6"}, "annual_rate"),
        ({"principal": "1000", "annual_rate": "4.35", "months": "0"}, "months"),
        ({"principal": "1000", "annual_rate": "4.35"}, "months"),
    ],
)
def test_bad_loan_inputs_are_named(raw, field):
    clean, errors = validate_inputs({"type": "loan_interest", "share": "0.5"}, raw)
    assert clean is None and field in errors


def test_claim_needs_its_rules_inputs_and_stays_within_the_maximum(api):
    ent = api("ent_huadong")
    body = {"policy_code": "KJJ-LOAN", "project_title": "贴息", "requested_amount": "10875.00"}
    res = ent.post("/api/v1/claims", json=body)
    assert res.status_code == 422
    assert "amount_inputs.principal" in res.json["error"]["fields"]
    inputs = {"principal": "1000000", "annual_rate": "4.35", "months": 6}
    res = ent.post(
        "/api/v1/claims", json=body | {"requested_amount": "10875.01", "amount_inputs": inputs}
    )
    assert res.status_code == 422
    assert "10,875.00 元" in res.json["error"]["fields"]["requested_amount"]
    res = ent.post("/api/v1/claims", json=body | {"amount_inputs": inputs})
    assert res.status_code == 201, res.json
    assert res.json["maximum"] == {
        "amount": "10875.00",
        "computation": "本金 1,000,000.00 × 年利率 4.35% × 贴息比例 50% × 6/12 = 10,875.00 元",
    }


def test_policies_list_the_inputs_their_rule_needs(api):
    items = {p["code"]: p for p in api("ent_huadong").get("/api/v1/policies").json["items"]}
    names = [f["name"] for f in items["KJJ-LOAN"]["amount_inputs"]]
    assert names == ["principal", "annual_rate", "months"]
    assert items["JMJ-PLAN"]["amount_inputs"] == []


def test_reviewer_cannot_approve_above_the_rules_maximum(api):
    ent = api("ent_huadong")
    inputs = {"base": "2000000"}  # 10% → 200,000.00
    res = ent.post(
        "/api/v1/claims",
        json={
            "policy_code": "JMJ-RENOVATION",
            "project_title": "技改",
            "requested_amount": "200000.00",
            "amount_inputs": inputs,
        },
    )
    cid = res.json["id"]
    # Raise the request afterwards is refused too: the rule still binds.
    res = ent.patch(f"/api/v1/claims/{cid}", json={"requested_amount": "200000.01"})
    assert res.status_code == 422
    for kind in ("business_licence", "investment_proof", "financial_statement"):
        ent.attach(cid, kind)
    assert ent.fire(cid, "submit").status_code == 200
    reviewer = api("reviewer_jmj")
    res = reviewer.fire(cid, "dept_approve", approved_amount="200000.01", comment="同意")
    assert res.status_code == 422
    res = reviewer.fire(cid, "dept_approve", approved_amount="200000.00", comment="同意")
    assert res.status_code == 200, res.json
