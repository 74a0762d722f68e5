"""转办: a department hands a claim declared to it, but within another department's remit, to
that department, with its reason; the claim keeps its number and its file, the new
department reviews and sees it, the old one no longer does, and the enterprise is told."""

from __future__ import annotations

import re
import subprocess

import pytest
from sqlalchemy import select

from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.notices.models import Notice
from approvals.workflow.registry import load_file
from approvals.workflow.spec import WorkflowError
from tests.web.conftest import text
from tests.workflow.catalog import shipped_catalog

REASON = "项目属于科技成果转化，应由市科技局初审"
WORKFLOW = "workflows/enterprise_claim/v1.toml"


def _transfer(api, claim_id, to="KJJ", who="reviewer_jmj", reason=REASON):
    version = api("admin").claim(claim_id).json["version"]  # as the page showed it
    return api(who).fire(claim_id, "transfer", version, transfer_to=to, comment=reason)


def _notice_text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True)
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))


def _options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no select named {name}"
    return re.findall(r'<option[^>]*value="([^"]*)"', select.group(1))


def test_the_claim_page_offers_the_other_departments_with_reviewers(web, submitted_claim):
    page = text(web("reviewer_jmj").get(f"/claims/{submitted_claim}"))
    choices = _options(page, "transfer_to")
    assert choices[0] == ""  # 请选择
    assert "KJJ" in choices and "CZJ" in choices
    assert "JMJ" not in choices  # its own
    assert "SFB" not in choices  # the city government's office has no reviewer
    assert 'value="transfer"' in page


def test_a_transfer_from_the_claim_page_hands_the_claim_over(seeded, web, submitted_claim):
    client = web("reviewer_jmj")
    with seeded.app_context():
        before = db.session.get(Claim, submitted_claim)
        number, events, version = before.number, len(before.events), before.version
        attachments = [a.id for a in before.attachments]
    res = client.act(submitted_claim, "transfer", version, transfer_to="KJJ", comment=REASON)
    # Out of the department's remit now: back to its queue, not to a page it may not open.
    assert res.status_code == 302 and res.location.endswith("/queue")
    with seeded.app_context():
        claim = db.session.get(Claim, submitted_claim)
        assert claim.department.code == "KJJ"
        assert claim.state == "submitted" and claim.number == number
        assert [a.id for a in claim.attachments] == attachments
        assert len(claim.events) == events + 1
        event = claim.events[-1]
        assert event.trigger == "transfer" and event.comment == REASON
        assert event.payload["transfer_from"] == "JMJ"
        assert event.payload["transfer_to"] == "KJJ"
        notice = db.session.scalar(select(Notice).where(Notice.event_id == event.id))
        assert notice.kind == "transfer"
        assert notice.department.code == "JMJ"  # issued by the department it left
        assert notice.all_facts["addressee"] == claim.enterprise.name
        assert notice.all_facts["cc"] == ["示范市科学技术局"]
        words = _notice_text(notice.pdf)
    for said in (
        "转办告知书",
        "原由示范市经济贸易局受理",
        "属于示范市科学技术局的职责范围",
        "转办至示范市科学技术局办理",
        f"转办理由：{REASON}",
        "抄送：示范市科学技术局",
    ):
        assert said in words


def test_after_a_transfer_only_the_new_department_sees_and_decides_the_claim(
    web, api, submitted_claim
):
    assert _transfer(api, submitted_claim).status_code == 200
    old, new = web("reviewer_jmj"), web("reviewer_kjj")
    assert old.get(f"/claims/{submitted_claim}").status_code == 404
    assert f'href="/claims/{submitted_claim}"' not in text(old.get("/queue"))
    assert api("reviewer_jmj").claim(submitted_claim).status_code == 404
    listed = api("reviewer_jmj").get("/api/v1/claims").json["items"]
    assert submitted_claim not in [c["id"] for c in listed]
    assert f'href="/claims/{submitted_claim}"' in text(new.get("/queue"))
    page = text(new.get(f"/claims/{submitted_claim}"))
    assert 'value="dept_approve"' in page
    res = api("reviewer_kjj").fire(
        submitted_claim, "dept_approve", approved_amount="1000.00", comment="同意"
    )
    assert res.status_code == 200, res.json
    assert res.json["department"] == "KJJ"
    recognition = res.json["notices"][-1]
    assert recognition["kind"] == "recognition" and recognition["number"].startswith("科兑")


def test_the_enterprise_sees_the_transfer_on_its_timeline_and_in_its_notices(
    web, api, submitted_claim
):
    assert _transfer(api, submitted_claim).status_code == 200
    page = text(web("ent_huadong").get(f"/claims/{submitted_claim}"))
    assert "由市经贸局转办至市科技局" in page
    assert REASON in page
    assert "转办告知书" in page
    department = re.search(r'id="claim-department">([^<]*)<', page).group(1)
    assert department == "市科技局"
    claim = api("ent_huadong").claim(submitted_claim).json
    assert claim["history"][-1]["trigger"] == "transfer"
    assert [n["kind"] for n in claim["notices"]] == ["receipt", "transfer"]


@pytest.mark.parametrize(
    ("to", "problem"),
    [
        ("JMJ", "不能转办给本部门"),
        ("NOPE", "不存在"),
        ("SFB", "没有初审人员"),
        ("", "请选择转办的部门"),
        (None, "请选择转办的部门"),
        ("K" * 40, "不能超过"),
        (12, "应为文字"),
    ],
)
def test_a_transfer_needs_another_department_that_has_reviewers(api, submitted_claim, to, problem):
    body = {"trigger": "transfer", "comment": REASON}
    if to is not None:
        body["transfer_to"] = to
    reviewer = api("reviewer_jmj")
    before = reviewer.claim(submitted_claim).json
    res = reviewer.post(
        f"/api/v1/claims/{submitted_claim}/transitions", json={**body, "version": before["version"]}
    )
    assert res.status_code == 422, res.json
    assert problem in res.json["error"]["fields"]["transfer_to"]
    after = reviewer.claim(submitted_claim).json
    assert (after["department"], after["version"]) == ("JMJ", before["version"])


def test_a_transfer_needs_its_reason(api, submitted_claim):
    res = api("reviewer_jmj").fire(submitted_claim, "transfer", transfer_to="KJJ")
    assert res.status_code == 422
    assert "comment" in res.json["error"]["fields"]


def test_a_refused_transfer_keeps_what_was_typed_on_the_claim_page(seeded, web, submitted_claim):
    client = web("reviewer_jmj")
    with seeded.app_context():
        version = db.session.get(Claim, submitted_claim).version
    res = client.act(submitted_claim, "transfer", version, transfer_to="JMJ", comment=REASON)
    assert res.status_code == 422
    page = text(res)
    assert "不能转办给本部门" in page and REASON in page


@pytest.mark.parametrize("who", ["reviewer_kjj", "ent_huadong", "finance"])
def test_only_the_claims_own_department_transfers_it(api, submitted_claim, who):
    res = _transfer(api, submitted_claim, to="CZJ", who=who)
    assert res.status_code == 403, res.json
    assert api("admin").claim(submitted_claim).json["department"] == "JMJ"


def test_a_workflow_that_transfers_without_asking_where_to_is_refused(tmp_path):
    from approvals.config import REPO_ROOT

    good = (REPO_ROOT / WORKFLOW).read_text(encoding="utf-8")
    bad = good.replace('requires = ["transfer_to", "comment"]', 'requires = ["comment"]')
    assert bad != good
    folder = tmp_path / "enterprise_claim"
    folder.mkdir()
    (folder / "v1.toml").write_text(bad, encoding="utf-8")
    with pytest.raises(WorkflowError, match="claim.transfer"):
        load_file(folder / "v1.toml", shipped_catalog())
