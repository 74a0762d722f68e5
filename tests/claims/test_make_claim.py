"""make_claim puts a claim straight into any state: proven against the claim page, which
shows it to exactly the people the state's history lets see it, and against the audit and
the ledger checks, which find nothing to say."""

import pytest

from tests.audit.conftest import check_audit
from tests.finance.conftest import reconciles
from tests.web.conftest import text

ACCOUNTS = ("ent_huadong", "ent_jiangnan", "reviewer_jmj", "reviewer_kjj", "finance", "gov")
# state → who sees a JMJ claim of 华东精密机械 in it; admin sees every claim. The department
# sees what was filed (the shortest way to `withdrawn` is from the draft, never filed);
# finance what reached its queue; the government what reached its
# own, which under JMJ-PLAN (no government approval) only government_review does, made
# under JMJ-INFRA.
ALL_BUT_OTHERS = {"ent_huadong", "reviewer_jmj"}
PAST_FINANCE = ALL_BUT_OTHERS | {"finance"}
SEES = {
    "draft": {"ent_huadong"},
    "submitted": ALL_BUT_OTHERS,
    "returned": ALL_BUT_OTHERS,
    "recognised": ALL_BUT_OTHERS,  # approved, not yet sent to finance on a 申请认定表
    "finance_review": PAST_FINANCE,
    "government_review": PAST_FINANCE | {"gov"},
    "approved": PAST_FINANCE,
    "disbursed": PAST_FINANCE,
    "in_recovery": PAST_FINANCE,
    "recovered": PAST_FINANCE,
    "written_off": PAST_FINANCE,
    "rejected": ALL_BUT_OTHERS,
    "withdrawn": {"ent_huadong"},
    "lapsed": ALL_BUT_OTHERS,
}


@pytest.fixture
def clients(web):
    return {username: web(username) for username in (*ACCOUNTS, "admin")}


@pytest.mark.parametrize("state", SEES)
def test_a_made_claim_shows_its_state_to_exactly_who_may_see_it(make_claim, clients, state):
    claim = make_claim(state)
    assert claim.state == state
    for username, client in clients.items():
        res = client.get(f"/claims/{claim.id}")
        if username in SEES[state] or username == "admin":
            assert res.status_code == 200, (username, res.status_code)
            assert claim.number in text(res)
        else:
            assert res.status_code == 404, (username, res.status_code)


def test_made_claims_keep_the_record_and_the_ledger_whole(seeded, make_claim, make_enterprise):
    for state in SEES:
        make_claim(state, enterprise=make_enterprise())
    make_claim("approved", policy="JMJ-INFRA", enterprise=make_enterprise())
    code, output = check_audit(seeded)
    assert code == 0, output
    reconciles(seeded)


def test_overrides_set_the_claims_amounts(api, make_claim):
    claim = make_claim("approved", requested_amount="5000.00", approved_amount="4000.00")
    shown = api("finance").claim(claim.id).json
    assert (shown["requested_amount"], shown["approved_amount"]) == ("5000.00", "4000.00")
    assert shown["version"] == claim.version
