"""Fixtures of the co-sign tests (会同): an enterprise claim at finance's re-review, its
department's co-sign task, and the notices it was issued."""

from __future__ import annotations

import pytest

from tests.web.conftest import compiled_catalogs, web  # noqa: F401  (fixtures of the page tests)

# The claim's department is 经贸局; its case officer (初审) approved the claim, so four-eyes
# (双人把关) leaves the co-sign to a colleague: the section chief (审核科长).
COSIGNER = "chief_jmj"
COSIGNER_NAME = "市经贸局审核科长"
OTHER_DEPARTMENT = "chief_kjj"
ASK = "请贵局就该项目投资额核定依据出具会签意见"


@pytest.fixture
def at_finance(make_claim):
    """at_finance() → the id of a JMJ-PLAN claim of 华东精密机械 awaiting finance's re-review,
    put there by the factory (the department's way there is not what these tests prove)."""

    def make() -> int:
        return make_claim("finance_review", policy="JMJ-PLAN", approved_amount="100000.00").id

    return make


@pytest.fixture
def at_cosign(api, at_finance):
    """at_cosign() → the id of a claim whose co-sign finance has asked 经贸局 for."""

    def make() -> int:
        claim_id = at_finance()
        res = api("finance").fire(claim_id, "request_cosign", comment=ASK)
        assert res.status_code == 200 and res.json["state"] == "finance_cosign", res.json
        return claim_id

    return make
