"""Expert review and 择优立项 through the API: three experts score, one recused; the ranking
funds the best within the clause's budget (1,000,000.00) and refuses the rest."""

from __future__ import annotations

from tests.expert_review.conftest import POLICY, REVIEWER, notices_of


def _score_all(fund, claims: dict[str, int]) -> None:
    # 江南 89 + 88 (赵 recused): 88.50; 华东 85, 80, 83: 82.67; 嘉禾 (300k) 70 each;
    # the fourth (200k) 60 each.
    sheets = {
        "jiangnan": {"expert_wang": (36, 27, 26), "expert_li": (35, 26, 27)},
        "huadong": {
            "expert_wang": (34, 26, 25),
            "expert_li": (31, 25, 24),
            "expert_zhao": (33, 27, 23),
        },
        "jiahe": {e: (30, 20, 20) for e in ("expert_wang", "expert_li", "expert_zhao")},
        "fourth": {e: (20, 20, 20) for e in ("expert_wang", "expert_li", "expert_zhao")},
    }
    for key, by_expert in sheets.items():
        for expert, points in by_expert.items():
            res = fund.score(expert, claims[key], *points)
            assert res.status_code == 200, res.json


def test_three_experts_score_a_recused_one_is_refused_and_the_best_are_funded(
    fund, api, make_enterprise, seeded
):
    fourth = make_enterprise()
    claims = {
        "jiangnan": fund.file("ent_jiangnan", "500000.00"),
        "huadong": fund.file("ent_huadong", "600000.00"),
        "jiahe": fund.file("ent_jiahe", "300000.00"),
        "fourth": fund.file(fourth, "200000.00"),
    }
    assert fund.state(claims["jiangnan"]) == "expert_review"

    refused = fund.score("expert_zhao", claims["jiangnan"], 40, 30, 30)
    assert refused.status_code == 403
    assert "利益冲突" in refused.json["error"]["message"]

    # The sheet that completes the panel (the two non-recused) moves the claim on.
    assert fund.score("expert_wang", claims["jiangnan"], 36, 27, 26).status_code == 200
    assert fund.state(claims["jiangnan"]) == "expert_review"
    # Funding waits while any claim of the clause is still being scored.
    early = api(REVIEWER).post(f"/api/v1/expert-review/rankings/{POLICY}/fund", json={})
    assert early.status_code == 409 and early.json["error"]["code"] == "still_scoring"
    _score_all(fund, claims)
    assert {fund.state(c) for c in claims.values()} == {"ranking"}
    # The applicant's history names no expert: the system closes the review.
    history = api("ent_jiangnan").claim(claims["jiangnan"]).json["history"]
    closed = next(e for e in history if e["trigger"] == "close_expert_review")
    assert closed["actor"] == "系统"

    ranking = fund.ranking().json
    rows = {r["claim_id"]: r for r in ranking["rows"]}
    order = [r["claim_id"] for r in ranking["rows"]]
    assert order == [claims[k] for k in ("jiangnan", "huadong", "jiahe", "fourth")]
    jiangnan = rows[claims["jiangnan"]]
    assert jiangnan["mean"] == "88.50" and jiangnan["rank"] == 1
    zhao = next(m["id"] for m in ranking["panel"] if m["name"].startswith("赵"))
    assert jiangnan["recused"] == [zhao] and jiangnan["scores"][str(zhao)] is None
    assert rows[claims["huadong"]]["mean"] == "82.67"
    # 500k fits; 600k more would be 1.1M: the cut-off, and every claim below it is out,
    # even the 300k one that would still fit (merit decides, not size).
    assert [rows[c]["funded"] for c in order] == [True, False, False, False]
    assert ranking["cutoff_claim_id"] == claims["huadong"]
    assert ranking["budget"] == "1000000.00" and ranking["funded_total"] == "500000.00"

    res = api(REVIEWER).post(
        f"/api/v1/expert-review/rankings/{POLICY}/fund", json={"ranked": order}
    )
    assert res.status_code == 200, res.json
    assert fund.state(claims["jiangnan"]) == "recognised"  # on the next 申请认定表
    assert api("admin").claim(claims["jiangnan"]).json["approved_amount"] == "500000.00"
    assert {fund.state(claims[k]) for k in ("huadong", "jiahe", "fourth")} == {"not_selected"}
    assert not any(r["waiting"] for r in res.json["rows"])

    kind, text = notices_of(seeded, claims["jiangnan"])[-1]
    assert kind == "selection" and "专家评审及择优立项结果" in text and "排名第1位" in text
    kind, text = notices_of(seeded, claims["jiahe"])[-1]
    assert kind == "non_selection" and "未入选" in text and "排名第3位" in text

    # The ranking reads the same after it acted; nothing is left for it.
    again = api(REVIEWER).post(f"/api/v1/expert-review/rankings/{POLICY}/fund", json={})
    assert again.status_code == 409 and again.json["error"]["code"] == "nothing_to_rank"


def test_a_conflict_declared_on_a_claim_recuses_the_expert_and_completes_the_scoring(fund, api):
    claim = fund.file("ent_huadong", "100000.00")
    assert fund.score("expert_wang", claim, 30, 20, 20).status_code == 200
    assert fund.score("expert_li", claim, 30, 25, 20).status_code == 200
    zhao = api("expert_zhao")
    blank = zhao.post(f"/api/v1/expert-review/claims/{claim}/conflict", json={"reason": " "})
    assert blank.status_code == 422 and "reason" in blank.json["error"]["fields"]
    res = zhao.post(
        f"/api/v1/expert-review/claims/{claim}/conflict", json={"reason": "曾为该企业提供咨询"}
    )
    assert res.status_code == 200 and res.json["recused"] is True
    assert fund.state(claim) == "ranking"
    row = fund.ranking().json["rows"][0]
    assert row["mean"] == "72.50"  # (70 + 75) / 2: 赵's sheet, had there been one, not counted


def test_an_expert_sees_only_the_claims_it_is_asked_to_score(fund, api, submitted_claim):
    scored = fund.file("ent_huadong", "100000.00")
    unchecked = api("ent_jiangnan").create_claim(POLICY, "100000.00")["id"]
    wang = api("expert_wang")
    listed = wang.get("/api/v1/expert-review/claims").json["items"]
    assert [s["claim_id"] for s in listed] == [scored]
    assert set(listed[0]) >= {"enterprise_name", "project_title", "criteria", "recused"}
    assert "payee_account" not in listed[0] and "events" not in listed[0]
    for other in (submitted_claim, unchecked):  # another clause's; not yet passed to experts
        assert wang.get(f"/api/v1/expert-review/claims/{other}").status_code == 404
    # The claim pages and lists show an expert no claim, not even the ones it scores.
    assert wang.claim(scored).status_code == 404
    assert wang.get("/api/v1/claims").json["items"] == []


def test_only_experts_score_and_only_the_clause_s_department_ranks(fund, api):
    claim = fund.file("ent_huadong", "100000.00")
    path = f"/api/v1/expert-review/claims/{claim}/scores"
    body = {"points": {"innovation": 30, "feasibility": 20, "benefit": 20}}
    for username in ("ent_huadong", REVIEWER, "finance"):
        assert api(username).post(path, json=body).status_code == 403
    over = api("expert_wang").post(
        path, json={"points": {"innovation": 41, "feasibility": 20, "benefit": 20, "x": 1}}
    )
    assert over.status_code == 422
    assert set(over.json["error"]["fields"]) == {"innovation", "x"}
    missing = api("expert_wang").post(path, json={"points": {"innovation": 30}})
    assert missing.status_code == 422 and "feasibility" in missing.json["error"]["fields"]
    for username in ("expert_wang", "reviewer_jmj", "ent_huadong"):
        assert fund.ranking(username).status_code == 403
    assert fund.ranking("admin").status_code == 200
    # An expert cannot take the department's moves, nor the department the experts'.
    version = api("admin").claim(claim).json["version"]
    res = api("expert_wang").fire(claim, "fund", version, comment="x")
    assert res.status_code == 403
    res = api(REVIEWER).fire(claim, "close_expert_review")
    assert res.status_code == 403


def test_a_claim_moves_to_its_own_side_of_the_cutoff_only(fund, api, make_enterprise):
    best = fund.file("ent_huadong", "700000.00")
    second = fund.file("ent_jiangnan", "600000.00")
    for expert in ("expert_wang", "expert_li", "expert_zhao"):
        assert fund.score(expert, best, 40, 30, 30).status_code == 200
    for expert in ("expert_wang", "expert_li"):
        assert fund.score(expert, second, 10, 10, 10).status_code == 200
    reviewer = api(REVIEWER)
    wrong = reviewer.fire(second, "fund", comment="直接立项")
    assert wrong.status_code == 422 and wrong.json["error"]["code"] == "condition_failed"
    wrong = reviewer.fire(best, "not_select", comment="不立项")
    assert wrong.status_code == 422
    stale = reviewer.post(
        f"/api/v1/expert-review/rankings/{POLICY}/fund", json={"ranked": [second, best]}
    )
    assert stale.status_code == 409 and stale.json["error"]["code"] == "ranking_changed"
    # Scoring is over once the claim left expert review.
    late = fund.score("expert_wang", best, 1, 1, 1)
    assert late.status_code == 409 and late.json["error"]["code"] == "scoring_closed"
