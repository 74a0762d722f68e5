"""Special-fund fixtures: the demo's KJJ-RD clause (科技计划项目) with its panel (王, 李, 赵),
criteria (40 + 30 + 30 points) and 赵's declared conflict with 江南新材料; claims filed by
enterprises through the API, checked and passed to expert review by 市科技局."""

from __future__ import annotations

import pytest

from approvals.expert_review.demo import seed_panels
from tests.conftest import DEMO
from tests.platform.conftest import notice_text, notices_of  # noqa: F401  (tests use them)
from tests.web.conftest import compiled_catalogs, web  # noqa: F401  (fixtures)

POLICY = "KJJ-RD"
REVIEWER = "reviewer_kjj"
EXPERTS = ("expert_wang", "expert_li", "expert_zhao")
CONFLICTED = ("expert_zhao", "ent_jiangnan")  # the demo's declared conflict


class SpecialFund:
    """KJJ-RD claims, moved through the API as their people do."""

    def __init__(self, api):
        self.api = api

    def file(self, enterprise: str, amount: str) -> int:
        """A claim with its evidence, submitted and passed to expert review at `amount`."""
        client = self.api(enterprise)
        claim = client.create_claim(POLICY, amount, "关键核心技术攻关项目")
        for kind in ("business_licence", "project_plan"):
            assert client.attach(claim["id"], kind).status_code == 201
        assert client.fire(claim["id"], "submit").status_code == 200
        res = self.api(REVIEWER).fire(
            claim["id"],
            "refer_to_experts",
            approved_amount=amount,
            comment="材料齐全，提请专家评审",
        )
        assert res.status_code == 200, res.json
        return claim["id"]

    def score(self, expert: str, claim_id: int, innovation: int, feasibility: int, benefit: int):
        points = {"innovation": innovation, "feasibility": feasibility, "benefit": benefit}
        return self.api(expert).post(
            f"/api/v1/expert-review/claims/{claim_id}/scores", json={"points": points}
        )

    def state(self, claim_id: int) -> str:
        return self.api("admin").claim(claim_id).json["state"]

    def ranking(self, username: str = REVIEWER):
        return self.api(username).get(f"/api/v1/expert-review/rankings/{POLICY}")


@pytest.fixture
def fund(seeded, api) -> SpecialFund:
    with seeded.app_context():
        seed_panels(DEMO)
    return SpecialFund(api)
