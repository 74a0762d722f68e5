"""政策计算器: a visitor's typed figures or a signed-in enterprise's profile, judged against
the open clauses, each with its estimated amount written out; bad input named, never a 500."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.eligibility.conftest import today_of
from tests.web.conftest import text

INVESTMENT = [
    {"kind": "industry", "codes": ["C"]},
    {"kind": "figure", "figure": "investment", "min": "1000000.00"},
]
RULE = {"type": "percentage", "rate": "0.2", "cap": "500000"}


def _section(html: str, section: str) -> str:
    return html.split(f'id="{section}"', 1)[1].split("</div>", 1)[0] if section in html else ""


def _result(html: str, code: str) -> str:
    return html.split(f'id="result-{code}"', 1)[1].split("</article>", 1)[0]


def _has_error(html: str, field: str) -> bool:
    return bool(re.search(rf'<div class="field has-error">\s*<label for="{field}"', html))


def test_a_visitor_sees_the_clauses_its_typed_figures_qualify_for_with_the_estimate(
    seeded, make_policy
):
    code = make_policy(title_zh="计算器测试技改补助", eligibility=INVESTMENT, amount_rule=RULE)
    query = "entered=1&industry_code=C3511&investment=2000000"
    res = seeded.test_client().get(f"/calculator?{query}")
    html = text(res)
    assert res.status_code == 200
    assert f'id="result-{code}"' in _section(html, "qualifying")
    result = _result(html, code)
    assert "400,000.00" in result
    assert "投资额 2,000,000.00 × 资助比例 20% = 400,000.00 元" in result
    assert f'href="/guides/{code}"' in result
    assert "/signin?next=" in result  # a visitor signs in to claim


def test_a_figure_a_little_short_is_nearly_and_says_how_much_is_missing(seeded, make_policy):
    code = make_policy(eligibility=INVESTMENT, amount_rule=RULE)
    html = text(seeded.test_client().get("/calculator?entered=1&industry_code=C&investment=900000"))
    assert f'id="result-{code}"' in _section(html, "nearly")
    assert "还差100,000.00元" in _result(html, code)
    far = text(seeded.test_client().get("/calculator?entered=1&industry_code=F51&investment=1"))
    assert f'id="result-{code}"' not in far


def test_a_loan_subsidy_is_estimated_from_the_typed_loan(seeded):
    today = today_of(seeded)
    query = (
        f"entered=1&size=small&until_tech_sme={today + timedelta(days=90)}"
        "&principal=1000000&annual_rate=4.35&months=12"
    )
    html = text(seeded.test_client().get(f"/calculator?{query}"))
    result = _result(html, "KJJ-LOAN")
    assert 'id="result-KJJ-LOAN"' in _section(html, "qualifying")
    assert "21,750.00" in result and "贴息比例 50%" in result


def test_bad_input_is_refused_with_the_field_named(seeded):
    client = seeded.test_client()
    query = (
        "entered=1&rd_spend=abc&established_on=2999-01-01&until_high_tech=soon&months=0&principal=1"
    )
    res = client.get(f"/calculator?{query}")
    html = text(res)
    assert res.status_code == 422
    for field in ("rd_spend", "established_on", "until_high_tech", "months"):
        assert _has_error(html, field), field
    assert 'id="results"' not in html
    assert client.get("/calculator?entered=1&industry_code=" + "9" * 400).status_code == 422


def test_a_signed_in_enterprise_is_judged_from_its_profile(seeded, web):
    html = text(web("ent_huadong").get("/calculator"))
    assert 'id="from-profile"' in html
    qualifying = _section(html, "qualifying")
    assert 'id="result-KJJ-HITECH"' in qualifying
    assert 'id="result-JMJ-RENOVATION"' in qualifying
    renovation = _result(html, "JMJ-RENOVATION")
    assert "超过上限，按上限 1,000,000.00 元" in renovation
    assert 'href="/calculator/claim/JMJ-RENOVATION"' in renovation
    # 江南新材料's 科技型中小企业 record lapsed: nearly, and why.
    html = text(web("ent_jiangnan").get("/calculator"))
    expired = (today_of(seeded) - timedelta(days=217)).isoformat()
    loan = _result(html, "KJJ-LOAN")
    assert 'id="result-KJJ-LOAN"' in _section(html, "nearly")
    assert f"需持有有效的科技型中小企业证书（您的证书已于{expired}到期）" in loan


def test_the_calculator_starts_a_claim_pre_filled_from_the_profile(seeded, web):
    from approvals.claims.models import Claim
    from approvals.extensions import db

    client = web("ent_huadong")
    html = text(client.get("/calculator/claim/JMJ-RENOVATION"))
    assert re.search(r'id="requested_amount"[^>]*value="1000000.00"', html)
    assert 'value="12000000.00"' in html  # the investment, the rule's base
    award = text(client.get("/calculator/claim/KJJ-HITECH"))  # no rule: up to the cap
    assert re.search(r'id="requested_amount"[^>]*value="200000.00"', award)
    res = client.post(
        "/calculator/claim/JMJ-RENOVATION",
        {
            "project_title": "“零土地”技术改造项目补助",
            "requested_amount": "1000000.00",
            "amount_inputs-base": "12000000.00",
        },
    )
    assert res.status_code == 302, text(res)
    claim_id = int(res.headers["Location"].rsplit("/", 1)[1])
    with seeded.app_context():
        claim = db.session.get(Claim, claim_id)
        assert claim.amount_inputs == {"base": "12000000.00"}
        assert claim.policy.code == "JMJ-RENOVATION"
