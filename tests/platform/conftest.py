"""Department/township track fixtures: the demo's township (示范市青山镇) and platform
developer file claims under the track's clauses through the API, which the lead department
and the joint review (经贸局, 招商局, 财政局) then move; and the signed-in web client."""

from __future__ import annotations

import re
import subprocess

import pytest
from sqlalchemy import select

from approvals.extensions import db
from approvals.notices.models import Notice
from tests.tasks.conftest import decide_as, task_of  # noqa: F401  (the tests use them too)
from tests.web.conftest import compiled_catalogs, web  # noqa: F401  (fixtures)

TOWNSHIP, PLATFORM = "town_qingshan", "plat_devzone"
JOINT = ("JMJ", "ZSJ", "CZJ")  # 经贸局 and 招商局 with 财政局 (DOMAIN.md: 联合审核)
REVIEWER = {code: f"reviewer_{code.lower()}" for code in (*JOINT, "KJJ")}
LEAD = {"PT1-INFRA": "JMJ", "PT2-PLAN": "JMJ", "PT3-INDUSTRY": "JMJ", "PT4-TAXSHARE": "CZJ"}
LEAD["PT5-MAJOR"] = "ZSJ"
# Two people a clause-5 claim rewards (有功人员): GB 11643 numbers, the second ending in X.
LIN = {
    "name": "林晓东",
    "id_number": "330402198506121238",
    "amount": "60000.00",
    "bank_name": "中国工商银行南湖支行",
    "bank_account": "6222021204001234567",
    "contribution": "项目首谈人",
}
SHEN = {
    "name": "沈佳怡",
    "id_number": "33040219900308234X",
    "amount": "40000.00",
    "bank_name": "中国建设银行青山支行",
    "bank_account": "6217001234567890123",
    "contribution": "跟踪服务项目落地",
}
SHARE = {"recognised_share": "30", "share_from": "2027-01-01", "share_until": "2031-12-31"}


def notice_text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True)
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))


def notices_of(app, claim_id: int) -> list[tuple[str, str]]:
    """(kind, text) of the claim's notices, in the order issued."""
    with app.app_context():
        rows = db.session.scalars(
            select(Notice).where(Notice.claim_id == claim_id).order_by(Notice.id)
        )
        return [(n.kind, notice_text(n.pdf)) for n in rows]


class Track:
    """Claims of the department/township track, moved through the API as their people do."""

    def __init__(self, api):
        self.api = api

    def file(self, policy: str, claimant: str = TOWNSHIP, amount: str | None = "100000.00"):
        """A draft under `policy` with the evidence its clause requires: the claim's JSON."""
        client = self.api(claimant)
        body = {"policy_code": policy, "project_title": "引进重大产业项目"}
        if amount is not None:
            body["requested_amount"] = amount
        res = client.post("/api/v1/claims", json=body)
        assert res.status_code == 201, res.json
        required = {
            p["code"]: p["required_evidence"] for p in client.get("/api/v1/policies").json["items"]
        }[policy]
        for kind in required:
            assert client.attach(res.json["id"], kind).status_code == 201
        return res.json["id"]

    def reward(self, claim_id: int, person: dict, claimant: str = TOWNSHIP):
        return self.api(claimant).post(f"/api/v1/claims/{claim_id}/reward-recipients", json=person)

    def submit(self, claim_id: int, claimant: str = TOWNSHIP) -> None:
        res = self.api(claimant).fire(claim_id, "submit")
        assert res.status_code == 200, res.json

    def lead(self, claim_id: int, policy: str, trigger: str = "lead_approve", **fields):
        """The lead department's decision (a payout's amount, a recognition's share)."""
        body = {"comment": "经审核，材料齐全，同意", **fields}
        return self.api(REVIEWER[LEAD[policy]]).fire(claim_id, trigger, **body)

    def joint(self, claim_id: int, *codes: str, decision: str = "agree", opinion: str = "同意"):
        """The review tasks of `codes` (all three by default), decided in that order."""
        for code in codes or JOINT:
            res = decide_as(
                self.api, self.joint_reviewer(code, claim_id), claim_id, decision, opinion
            )
            assert res.status_code == 200, res.json

    def joint_reviewer(self, code: str, claim_id: int) -> str:
        """The department's reviewer, or its section chief where four-eyes bars the reviewer
        (the lead department's reviewer took the lead review)."""
        reviewer = REVIEWER[code]
        if task_of(self.api(reviewer), claim_id) is not None:
            return reviewer
        return f"chief_{code.lower()}"

    def state(self, claim_id: int, username: str = "admin") -> str:
        return self.api(username).claim(claim_id).json["state"]

    def to_joint_review(self, policy: str, claimant: str = TOWNSHIP, **lead_fields) -> int:
        """A claim in joint review: an amount of 90,000.00 approved, or (given the share
        and period) a recognition proposed, by the lead department."""
        recognition = "recognised_share" in lead_fields
        claim_id = self.file(policy, claimant, amount=None if recognition else "100000.00")
        self.submit(claim_id, claimant)
        fields = lead_fields or {"approved_amount": "90000.00"}
        trigger = "lead_recognise" if recognition else "lead_approve"
        res = self.lead(claim_id, policy, trigger, **fields)
        assert res.status_code == 200, res.json
        return claim_id


@pytest.fixture
def track(seeded, api) -> Track:
    return Track(api)
