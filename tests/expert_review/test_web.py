"""Expert review and 择优立项 on the web: the expert's list and score sheet, a recused
expert's refusal, and the department's ranking page with its funding line and button."""

from __future__ import annotations

import re

from tests.expert_review.conftest import POLICY, REVIEWER
from tests.web.conftest import text

POINTS = {"c_innovation": "36", "c_feasibility": "27", "c_benefit": "26"}


def test_experts_score_on_the_web_and_the_department_funds_from_the_ranking(fund, web):
    jiangnan = fund.file("ent_jiangnan", "500000.00")  # 赵 declared a conflict with 江南
    huadong = fund.file("ent_huadong", "600000.00")

    zhao = web("expert_zhao")
    listed = text(zhao.get("/expert-review/"))
    assert "关键核心技术攻关项目" in listed and "已回避" in listed
    page = zhao.get(f"/expert-review/claims/{jiangnan}")
    assert page.status_code == 200 and 'id="recused"' in text(page)
    refused = zhao.post(f"/expert-review/claims/{jiangnan}", POINTS)
    assert refused.status_code == 403 and "利益冲突" in text(refused)

    for expert in ("expert_wang", "expert_li"):
        client = web(expert)
        sheet = text(client.get(f"/expert-review/claims/{jiangnan}"))
        assert "技术创新性（0–40）" in sheet
        assert client.post(f"/expert-review/claims/{jiangnan}", POINTS).status_code == 302
    assert fund.state(jiangnan) == "ranking"

    wrong = web("expert_wang").post(
        f"/expert-review/claims/{huadong}", {**POINTS, "c_benefit": "31"}
    )
    assert wrong.status_code == 422 and "has-error" in text(wrong)
    for expert in ("expert_wang", "expert_li", "expert_zhao"):
        low = {"c_innovation": "20", "c_feasibility": "20", "c_benefit": "20"}
        assert web(expert).post(f"/expert-review/claims/{huadong}", low).status_code == 302

    reviewer = web(REVIEWER)
    assert POLICY in text(reviewer.get("/expert-review/rankings"))
    ranking = text(reviewer.get(f"/expert-review/rankings/{POLICY}"))
    assert ranking.index(f'id="rank-{jiangnan}"') < ranking.index('id="cutoff"')
    assert ranking.index('id="cutoff"') < ranking.index(f'id="rank-{huadong}"')
    assert "89.00" in ranking and "回避" in ranking
    ranked = re.search(r'name="ranked"[^>]*value="([^"]+)"', ranking).group(1)
    assert ranked == f"{jiangnan},{huadong}"
    res = reviewer.post(f"/expert-review/rankings/{POLICY}/fund", {"ranked": ranked})
    assert res.status_code == 302
    assert (fund.state(jiangnan), fund.state(huadong)) == ("recognised", "not_selected")
    assert (
        "择优立项"
        not in text(reviewer.get(f"/expert-review/rankings/{POLICY}"))
        .split('id="ranking"')[1]
        .split("</table>")[1]
    )


def test_the_expert_pages_are_the_experts_and_the_ranking_the_department_s(fund, web):
    claim = fund.file("ent_huadong", "100000.00")
    for username in ("ent_huadong", REVIEWER):
        client = web(username)
        assert client.get("/expert-review/").status_code == 403
        assert client.post(f"/expert-review/claims/{claim}", POINTS).status_code == 403
    expert = web("expert_wang")
    assert expert.get(f"/claims/{claim}").status_code == 404  # no claim page for an expert
    assert expert.get(f"/expert-review/rankings/{POLICY}").status_code == 403
    assert web("reviewer_jmj").get(f"/expert-review/rankings/{POLICY}").status_code == 403
    assert web("admin").post(f"/expert-review/rankings/{POLICY}/fund", {}).status_code == 403
