"""The moves between the report and the notice: the joint on-site verification (a
disagreement brings the case back to the land bureau), a finding of not idle, the city
government's send-back; and the workflow file's own rules."""

from __future__ import annotations

import re

import pytest

from approvals.idle_land import criteria
from approvals.idle_land.notice import check_spec
from approvals.workflow.spec import parse
from tests.idle_land.conftest import LAND_BUREAU, TOWNSHIP, notices_of
from tests.tasks.conftest import decide_as


def test_a_bureau_that_disagrees_sends_the_case_back_to_the_land_bureau(cases):
    cases.at("2026-06-10T10:00")
    claim_id = cases.drafted()
    cases.move(TOWNSHIP, claim_id, "report_idle")
    cases.move(LAND_BUREAU, claim_id, "start_check", comment="定于6月10日现场核查")
    assert decide_as(cases.api, "chief_gtj", claim_id).status_code == 200
    res = decide_as(cases.api, "reviewer_ghj", claim_id, "disagree", "规划已调整，不属闲置")
    assert res.status_code == 200
    assert cases.state(claim_id) == "suspected"
    cases.move(LAND_BUREAU, claim_id, "find_not_idle", comment="经复核，不予认定")
    assert cases.state(claim_id) == "not_idle"
    [(kind, notice)] = notices_of(cases.app, claim_id)
    assert kind == "idle_not_idle" and "示范市青山镇人民政府：" in notice
    assert "不予认定为闲置工业用地" in notice


def test_the_city_government_may_send_the_finding_back(cases):
    cases.at("2026-06-10T10:00")
    claim_id = cases.to_government()
    cases.move("gov", claim_id, "gov_send_back", comment="请补充核查投资情况")
    assert cases.state(claim_id) == "suspected"
    # The land bureau alone verifies and reports; the township moves no more.
    assert cases.fire(TOWNSHIP, claim_id, "start_check", comment="x").status_code in (403, 404)


def test_the_idle_fee_is_a_fifth_of_the_premium_to_the_fen():
    from decimal import Decimal

    assert criteria.idle_fee(Decimal("12345678.90")) == Decimal("2469135.78")
    assert criteria.idle_fee(Decimal("0.03")) == Decimal("0.01")  # 0.006 rounds half up


def test_a_third_is_a_third_exactly():
    from datetime import date
    from decimal import Decimal
    from types import SimpleNamespace

    third = SimpleNamespace(
        agreed_start_on=date(2020, 2, 29),
        started_on=date(2020, 3, 1),
        built_area=Decimal("1000.00"),
        planned_area=Decimal("3000.00"),
        invested=Decimal("1.00"),
        planned_investment=Decimal("1.00"),
    )
    assert criteria.met(third, date(2022, 3, 1)) == []  # 1/3 built is not less than 1/3
    less = SimpleNamespace(**{**vars(third), "built_area": Decimal("999.99")})
    assert [f.criterion.key for f in criteria.met(less, date(2022, 3, 1))] == ["built_share"]
    assert criteria.met(less, date(2022, 2, 28)) == []  # two years from 29 February: 1 March


def test_a_move_issuing_an_idle_land_notice_must_give_it_its_parcel(tmp_path):
    from approvals.config import REPO_ROOT

    source = (REPO_ROOT / "workflows" / "idle_land" / "v1.toml").read_text(encoding="utf-8")
    broken = tmp_path / "v1.toml"
    broken.write_text(
        source.replace('effects = ["idle_land.charge_fee", "idle_land.notice"]', ""), "utf-8"
    )
    problems = check_spec(parse(broken))
    assert len(problems) == 1 and "idle_fee" in problems[0][1]
    assert check_spec(parse(REPO_ROOT / "workflows" / "idle_land" / "v1.toml")) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[[criteria]]\nkey='x'\nmeasure='height'\nafter_years=1\n", "unknown measure"),
        ("[[criteria]]\nkey='x'\nmeasure='built_share'\nafter_years=2\nbelow='4/3'\n", "(0, 1]"),
        ("[[criteria]]\nkey='x'\nmeasure='not_started'\nafter_years=1\n", "share_of_premium"),
    ],
)
def test_a_broken_criteria_file_is_refused_with_its_problem(text, problem):
    with pytest.raises(criteria.CriteriaError, match=re.escape(problem)):
        criteria.parse(text)


def test_the_demo_has_a_case_reported_one_verified_and_one_rectifying(seeded):
    from collections import Counter

    from sqlalchemy import select

    from approvals.claims.models import Claim
    from approvals.extensions import db
    from approvals.idle_land.demo import seed_cases

    with seeded.app_context():
        assert seed_cases() == 3
        states = Counter(db.session.scalars(select(Claim.state).filter_by(workflow="idle_land")))
        assert states == {"suspected": 1, "government_review": 1, "rectifying": 1}
        assert seed_cases() == 0  # once
