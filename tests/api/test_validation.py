"""Bad input gets a clear 4xx with field messages; conflicts get 409; nothing is lost."""

import pytest

from approvals.organisations.credit_code import make_credit_code


def _error(res, status, code):
    assert res.status_code == status, res.json
    assert set(res.json) == {"error"}
    assert set(res.json["error"]) == {"code", "message", "fields"}
    assert res.json["error"]["code"] == code
    return res.json["error"]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5.00", "必须大于0"),
        ("0", "必须大于0"),
        ("100.123", "两位小数"),
        ("300000.01", "政策上限"),  # JMJ-PLAN's cap is 300000
        ("十万元", "格式不正确"),
        ("NaN", "格式不正确"),
        (True, "格式不正确"),
        (None, "请填写金额"),
    ],
)
def test_bad_requested_amount_is_refused(api, amount, message):
    res = api("ent_huadong").post(
        "/api/v1/claims",
        json={"policy_code": "JMJ-PLAN", "project_title": "项目", "requested_amount": amount},
    )
    error = _error(res, 422, "invalid")
    assert message in error["fields"]["requested_amount"]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-1", "必须大于0"),
        ("1000.001", "两位小数"),
        ("120000.01", "超过申报金额"),  # requested was 120000.00
        ("abc", "格式不正确"),
    ],
)
def test_bad_approved_amount_is_refused(api, submitted_claim, amount, message):
    res = api("reviewer_jmj").fire(
        submitted_claim, "dept_approve", approved_amount=amount, comment="同意"
    )
    error = _error(res, 422, "invalid")
    assert message in error["fields"]["approved_amount"]
    assert api("reviewer_jmj").claim(submitted_claim).json["state"] == "submitted"


def test_a_cap_lowered_after_filing_does_not_bind_the_claim(api, make_policy, seeded):
    """A claim keeps the terms it was filed under (a revised clause binds new claims): the
    cap lowered since does not refuse its approval; more than it asked for is refused."""
    from approvals.extensions import db
    from approvals.policies.models import Policy

    code = make_policy(cap="50000", required_evidence=[])
    ent = api("ent_huadong")
    claim = ent.create_claim(code, "50000.00")
    assert ent.fire(claim["id"], "submit").status_code == 200
    with seeded.app_context():
        db.session.scalar(db.select(Policy).filter_by(code=code)).cap = 30000
        db.session.commit()
    reviewer = api("reviewer_jmj")
    res = reviewer.fire(claim["id"], "dept_approve", approved_amount="60000", comment="同意")
    assert "不能超过申报金额" in _error(res, 422, "invalid")["fields"]["approved_amount"]
    res = reviewer.fire(claim["id"], "dept_approve", approved_amount="40000", comment="同意")
    assert res.status_code == 200 and res.json["approved_amount"] == "40000.00", res.json


def test_decisions_need_their_fields(api, submitted_claim):
    reviewer = api("reviewer_jmj")
    error = _error(reviewer.fire(submitted_claim, "dept_approve"), 422, "invalid")
    assert set(error["fields"]) == {"approved_amount", "comment"}  # every problem at once
    error = _error(
        reviewer.fire(submitted_claim, "return_for_supplement", comment="  "), 422, "invalid"
    )
    assert "comment" in error["fields"]


def test_submit_without_evidence_names_what_is_missing(api):
    ent = api("ent_huadong")
    claim = ent.create_claim()
    ent.attach(claim["id"], "business_licence")
    error = _error(ent.fire(claim["id"], "submit"), 422, "condition_failed")
    assert error["fields"]["attachments"] == "缺少证明材料：项目方案"


def test_submit_outside_the_window_is_refused(api, make_policy):
    from datetime import date, timedelta

    code = make_policy(
        window_open=date.today() - timedelta(days=60),
        window_close=date.today() - timedelta(days=30),
        required_evidence=[],
    )
    ent = api("ent_huadong")
    claim = ent.create_claim(code, "1000")
    error = _error(ent.fire(claim["id"], "submit"), 422, "condition_failed")
    assert "不在申报期内" in error["fields"]["policy"]


def test_illegal_trigger_from_this_state_is_409(api, submitted_claim):
    error = _error(api("ent_huadong").fire(submitted_claim, "submit"), 409, "illegal_transition")
    assert "待初审" in error["message"]


def test_unknown_trigger_is_422(api, submitted_claim):
    _error(api("reviewer_jmj").fire(submitted_claim, "approve_everything"), 422, "invalid")


def test_stale_version_is_409_and_changes_nothing(api, submitted_claim):
    reviewer = api("reviewer_jmj")
    version = reviewer.claim(submitted_claim).json["version"]
    assert (
        reviewer.fire(
            submitted_claim, "return_for_supplement", version=version, comment="补充材料"
        ).status_code
        == 200
    )
    res = reviewer.fire(submitted_claim, "dept_reject", version=version, comment="另一人的决定")
    _error(res, 409, "stale_version")
    assert reviewer.claim(submitted_claim).json["state"] == "returned"


def test_missing_version_is_422(api, submitted_claim):
    res = api("reviewer_jmj").post(
        f"/api/v1/claims/{submitted_claim}/transitions",
        json={"trigger": "dept_reject", "comment": "x"},
    )
    assert "version" in _error(res, 422, "invalid")["fields"]


def test_editing_a_submitted_claim_is_409(api, submitted_claim):
    res = api("ent_huadong").patch(
        f"/api/v1/claims/{submitted_claim}", json={"project_title": "改名"}
    )
    _error(res, 409, "not_editable")


def test_unknown_policy_and_empty_title(api):
    res = api("ent_huadong").post(
        "/api/v1/claims", json={"policy_code": "NOPE", "project_title": "", "requested_amount": "1"}
    )
    assert set(_error(res, 422, "invalid")["fields"]) == {"policy_code", "project_title"}


def test_officials_cannot_file_claims(api):
    res = api("reviewer_jmj").post(
        "/api/v1/claims",
        json={"policy_code": "JMJ-PLAN", "project_title": "x", "requested_amount": "1"},
    )
    _error(res, 403, "forbidden")


def test_body_must_be_json_object(api):
    """A body the endpoint cannot read at all is a 400; wrong values in an object are 422."""
    res = api("ent_huadong").post("/api/v1/claims", json=["not", "an", "object"])
    assert _error(res, 400, "bad_request")["fields"] == {"body": "应为 JSON 对象"}


def test_upload_that_is_not_really_a_pdf_is_refused(api):
    ent = api("ent_huadong")
    claim = ent.create_claim()
    res = ent.attach(
        claim["id"], "business_licence", data=b"MZ\x90\x00 not a pdf", filename="a.pdf"
    )
    assert "PDF" in _error(res, 422, "invalid")["fields"]["file"]
    res = ent.attach(claim["id"], "business_licence", filename="../../etc/执照.pdf")
    assert res.status_code == 201
    assert res.json["filename"] == "执照.pdf"  # the path is dropped; kept for display only
    assert len(res.json["sha256"]) == 64


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91330100MA2B3C4D5X", "校验位错误"),
        ("9133010", "18位"),
        ("91330100MA2B3C4D5I", "无效字符"),
    ],
)
def test_bad_credit_code_is_refused_at_sign_up(api, code, fragment):
    res = api(None).post(
        "/api/v1/auth/register",
        json={
            "enterprise_name": "新企业",
            "credit_code": code,
            "username": "newco",
            "password": "long-enough-1",
        },
    )
    assert fragment in _error(res, 422, "invalid")["fields"]["credit_code"]


def test_sign_up_then_claim(api):
    code = make_credit_code("91330100MA2H9J0K1")
    res = api(None).post(
        "/api/v1/auth/register",
        json={
            "enterprise_name": "新企业",
            "credit_code": code,
            "username": "newco",
            "password": "long-enough-1",
        },
    )
    assert res.status_code == 201, res.json
    again = api(None).post(
        "/api/v1/auth/register",
        json={
            "enterprise_name": "冒名企业",
            "credit_code": code,
            "username": "intruder",
            "password": "long-enough-1",
        },
    )
    _error(again, 409, "enterprise_exists")
