"""The 申请认定表: a department's approved claims of a call year, signed by its chain (经办 →
审核 → 审批, three people) and issued as one notice to 市财政局（企业科）; only its sending
moves the claims on to finance."""

from __future__ import annotations

from approvals.claims.models import ClaimEvent
from approvals.extensions import db
from approvals.notices.models import Notice
from approvals.organisations.models import User
from tests.recognition_forms.conftest import pdf_text


def _finance_sees(api, claim_id) -> bool:
    finance = api("finance")
    listed = {c["id"] for c in finance.get("/api/v1/claims").json["items"]}
    visible = finance.claim(claim_id).status_code == 200
    assert listed.__contains__(claim_id) == visible
    return visible


def _step(client, form, action, **body):
    return client.post(
        f"/api/v1/recognition-forms/{form['id']}/{action}",
        json={"version": form["version"], **body},
    )


def _sent_form(api, year):
    officer, chief, leader = api("reviewer_jmj"), api("chief_jmj"), api("leader_jmj")
    res = officer.post("/api/v1/recognition-forms", json={"call_year": year})
    assert res.status_code == 201, res.json
    form = res.json
    res = _step(chief, form, "check", comment="审核无误")
    assert res.status_code == 200, res.json
    res = _step(leader, res.json, "send", comment="同意报送")
    assert res.status_code == 200, res.json
    return res.json


def test_department_form_signed_by_its_chain_is_one_notice_to_finance(
    api, approved, make_claim, seeded
):
    first = approved("100000.00", "同意，符合政策条件")
    claim = api("reviewer_jmj").claim(first).json
    year = int(claim["number"][:4])
    other = make_claim("recognised", policy="JMJ-INFRA", enterprise="ent_huadong",
                       approved_amount="50000.00", project_title="园区道路改造")  # fmt: skip
    assert not _finance_sees(api, first) and not _finance_sees(api, other.id)
    assert "forward_to_finance" not in claim["available_triggers"]

    form = _sent_form(api, year)

    assert form["status"] == "sent" and form["batch"] == "第1批"
    assert [c["id"] for c in form["claims"]] == [first, other.id]
    assert form["total"] == "150000.00"
    who = [(e["action"], e["actor"]["name"]) for e in form["events"]]
    assert [action for action, _ in who] == ["prepare", "check", "send"]
    assert len({name for _, name in who}) == 3
    for claim_id in (first, other.id):
        assert _finance_sees(api, claim_id)
        assert api("finance").claim(claim_id).json["state"] == "finance_review"
    res = api("reviewer_jmj").get(f"/api/v1/recognition-forms/{form['id']}.pdf")
    assert res.status_code == 200 and res.mimetype == "application/pdf"
    text = pdf_text(res.data)
    assert form["notice_number"] in text
    assert "市财政局（企业科）：" in text
    assert f"{year}年度政策兑现项目申请认定表（第1批）" in text
    for number in (claim["number"], other.number):
        assert number in text
    assert "华东精密机械" in text and "园区道路改造" in text
    assert "100,000.00" in text and "50,000.00" in text and "150,000.00" in text
    assert "合计（2项）" in text and "人民币壹拾伍万元整" in text
    for title in ("经办人：", "审核人：", "审批人："):
        assert title in text
    # The claim's event names the form; the leader took the move.
    history = api("finance").claim(first).json["history"]
    forward = next(e for e in history if e["trigger"] == "forward_to_finance")
    assert forward["actor"] == form["events"][-1]["actor"]["name"]
    with seeded.app_context():
        event = db.session.scalar(
            db.select(ClaimEvent).filter_by(claim_id=first, trigger="forward_to_finance")
        )
        assert event.payload["recognition_form"]["number"] == form["notice_number"]
        # One notice for the form, verifiable like every other.
        notice = db.session.scalar(db.select(Notice).filter_by(number=form["notice_number"]))
        assert notice.kind == "recognition_form" and notice.claim_id is None
        code = notice.verification_code
    page = seeded.test_client().get(f"/verify/{code}").get_data(as_text=True)
    assert "验证码有效" in page and "市财政局（企业科）" in page


def test_forwarding_by_hand_is_refused(api, approved, web):
    claim_id = approved()
    for username in ("reviewer_jmj", "chief_jmj", "leader_jmj"):  # no page offers the move
        page = web(username).get(f"/claims/{claim_id}").get_data(as_text=True)
        assert "待报送认定表" in page and 'value="forward_to_finance"' not in page
    res = api("leader_jmj").fire(claim_id, "forward_to_finance")
    assert res.status_code == 422
    assert res.json["error"]["code"] == "condition_failed"
    assert "申请认定表" in res.json["error"]["message"]
    assert not _finance_sees(api, claim_id)


def test_three_different_people_sign_a_form(api, approved, seeded):
    claim_id = approved()
    year = int(api("reviewer_jmj").claim(claim_id).json["number"][:4])
    officer = api("reviewer_jmj")
    form = officer.post("/api/v1/recognition-forms", json={"call_year": year}).json
    # The case officer may not check it: a section chief's step.
    res = _step(officer, form, "check")
    assert res.status_code == 403 and "科室负责人" in res.json["error"]["message"]
    # Nor once made section chief: they prepared it (双人把关).
    with seeded.app_context():
        user = db.session.scalar(db.select(User).filter_by(username="reviewer_jmj"))
        user.position = "section_chief"
        db.session.commit()
    res = _step(api("reviewer_jmj"), form, "check")
    assert res.status_code == 403
    assert res.json["error"]["code"] == "four_eyes"
    assert "双人把关" in res.json["error"]["message"]
    # Nor may the leader send what nobody checked.
    res = _step(api("leader_jmj"), form, "send")
    assert res.status_code == 409 and res.json["error"]["code"] == "illegal_step"
    # Another department sees nothing of it.
    assert api("chief_kjj").get(f"/api/v1/recognition-forms/{form['id']}").status_code == 404
    assert not _finance_sees(api, claim_id)


def test_a_returned_form_frees_its_claims_for_correction(api, approved):
    claim_id = approved("100000.00")
    officer = api("reviewer_jmj")
    year = int(officer.claim(claim_id).json["number"][:4])
    form = officer.post("/api/v1/recognition-forms", json={"call_year": year}).json
    # Listed on a form on its way, the approval cannot be taken back...
    res = officer.fire(claim_id, "dept_reopen", comment="金额有误")
    assert res.status_code == 422 and "先退回该认定表" in res.json["error"]["message"]
    res = _step(api("chief_jmj"), form, "return")
    assert res.status_code == 422  # a reason is required
    res = _step(api("chief_jmj"), form, "return", comment="第1项金额有误")
    assert res.status_code == 200 and res.json["status"] == "sent_back"
    # ...once it is returned, it can, and the claim is approved and listed again.
    assert officer.fire(claim_id, "dept_reopen", comment="金额有误").json["state"] == "submitted"
    res = officer.fire(claim_id, "dept_approve", approved_amount="90000.00", comment="同意")
    assert res.json["state"] == "recognised"
    form = _sent_form(api, year)
    assert form["claims"][0]["approved_amount"] == "90000.00"
    assert api("finance").claim(claim_id).json["state"] == "finance_review"


def test_a_claim_finance_sends_back_goes_on_a_further_form(api, approved):
    claim_id = approved()
    year = int(api("reviewer_jmj").claim(claim_id).json["number"][:4])
    first = _sent_form(api, year)
    res = api("finance").fire(claim_id, "finance_send_back", comment="请核实金额")
    assert res.status_code == 200 and res.json["state"] == "submitted"
    api("reviewer_jmj").fire(claim_id, "dept_approve", approved_amount="80000.00", comment="同意")
    second = _sent_form(api, year)
    assert (first["batch"], second["batch"]) == ("第1批", "第2批")
    assert second["notice_number"] != first["notice_number"]
    assert api("finance").claim(claim_id).json["state"] == "finance_review"


def test_nothing_to_list_is_refused_clearly(api, seeded):
    res = api("reviewer_jmj").post("/api/v1/recognition-forms", json={"call_year": 2026})
    assert res.status_code == 422 and "没有待报送" in res.json["error"]["message"]
    res = api("chief_jmj").post("/api/v1/recognition-forms", json={"call_year": 2026})
    assert res.status_code == 403
    res = api("reviewer_jmj").post("/api/v1/recognition-forms", json={"call_year": "x"})
    assert res.status_code == 422 and "call_year" in res.json["error"]["fields"]
    res = api("ent_huadong").get("/api/v1/recognition-forms")
    assert res.status_code == 403 and set(res.json["error"]) == {"code", "message", "fields"}
