"""Eligibility conditions as data: each kind met, not met, nearly met; an expired
certificate named with its date; what the administrator gives checked key by key."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from approvals.eligibility.conditions import (
    MET,
    NEAR,
    NEARLY,
    NOT,
    QUALIFIES,
    UNMET,
    Facts,
    Held,
    clean,
    judge,
    verdict,
)

TODAY = date(2026, 12, 4)
HIGH_TECH = {"kind": "qualification", "qualification": "high_tech"}
MANUFACTURING = {"kind": "industry", "codes": ["C35", "I65"]}
SMALL = {"kind": "size", "sizes": ["small", "micro"]}
THREE_YEARS = {"kind": "age", "min_years": 3}
RD_MILLION = {"kind": "figure", "figure": "rd_spend", "min": "1000000.00"}


def _rd(amount: str | None) -> Facts:
    return Facts(figures={2025: {"rd_spend": Decimal(amount) if amount else None}})


CASES = [
    # (condition, facts, expected status, words the reason holds)
    (HIGH_TECH, Facts((Held("high_tech", date(2024, 1, 1), date(2027, 1, 1)),)), MET, "2027-01-01"),
    (HIGH_TECH, Facts((Held("tech_sme", None, date(2027, 1, 1)),)), UNMET, "未登记"),
    (HIGH_TECH, Facts((Held("high_tech", date(2027, 1, 1), date(2030, 1, 1)),)), NEAR, "生效"),
    (MANUFACTURING, Facts(industry_code="C3511"), MET, "C3511"),
    (MANUFACTURING, Facts(industry_code="C3411"), UNMET, "C3411"),
    (MANUFACTURING, Facts(), NEAR, "行业代码"),
    (SMALL, Facts(size="micro"), MET, "微型"),
    (SMALL, Facts(size="large"), UNMET, "大型"),
    (SMALL, Facts(), NEAR, "规模"),
    (THREE_YEARS, Facts(established_on=date(2020, 5, 1)), MET, "已满6年"),
    (THREE_YEARS, Facts(established_on=date(2025, 5, 1)), UNMET, "已满1年"),
    (THREE_YEARS, Facts(established_on=date(2024, 5, 1)), NEAR, "2027-05-01"),
    (RD_MILLION, _rd("1000000"), MET, "1,000,000.00"),
    (RD_MILLION, _rd("300000"), UNMET, "还差700,000.00元"),
    (RD_MILLION, _rd("850000"), NEAR, "还差150,000.00元"),
    (RD_MILLION, _rd(None), NEAR, "2025年度研发投入"),
]


@pytest.mark.parametrize(("condition", "facts", "status", "words"), CASES)
def test_each_kind_of_condition_is_met_not_met_or_nearly_met(condition, facts, status, words):
    [outcome] = judge([condition], facts, TODAY)
    assert outcome.status == status
    assert words in outcome.text


def test_an_expired_certificate_is_named_with_the_day_it_expired():
    facts = Facts((Held("high_tech", date(2023, 5, 1), date(2026, 5, 1)),))
    [outcome] = judge([HIGH_TECH], facts, TODAY)
    assert outcome.status == NEAR
    assert outcome.text == "需持有有效的高新技术企业证书（您的证书已于2026-05-01到期）"


def test_a_clause_qualifies_only_when_every_condition_is_met():
    held = (Held("high_tech", None, date(2027, 1, 1)),)
    met = Facts(held, industry_code="C3511", figures={2025: {"rd_spend": Decimal("2000000")}})
    conditions = [HIGH_TECH, MANUFACTURING, RD_MILLION]
    assert verdict(judge(conditions, met, TODAY)) == QUALIFIES
    short = Facts(held, industry_code="C3511", figures={2025: {"rd_spend": Decimal("900000")}})
    assert verdict(judge(conditions, short, TODAY)) == NEARLY
    elsewhere = Facts(held, industry_code="F5100", figures=met.figures)
    assert verdict(judge(conditions, elsewhere, TODAY)) == NOT


def test_conditions_are_stored_clean_and_wrong_ones_are_named_by_position_and_key():
    conditions, problems = clean(
        [
            {"kind": "industry", "codes": ["c35"]},
            {"kind": "figure", "figure": "revenue", "min": "1,000,000", "max": 20000000},
            {"kind": "age", "max_years": "5"},
        ]
    )
    assert problems == {}
    assert conditions == [
        {"kind": "industry", "codes": ["C35"]},
        {"kind": "figure", "figure": "revenue", "min": "1000000.00", "max": "20000000.00"},
        {"kind": "age", "max_years": 5},
    ]
    _conditions, problems = clean(
        [
            {"kind": "qualification", "qualification": "nobel"},
            {"kind": "figure", "figure": "rd_spend"},
            {"kind": "size", "sizes": ["huge"], "colour": "red"},
            {"kind": "age", "min_years": 10, "max_years": 3},
            "high_tech",
        ]
    )
    assert set(problems) == {
        "eligibility.1.qualification",
        "eligibility.2.min",
        "eligibility.3.sizes",
        "eligibility.3.colour",
        "eligibility.4.max_years",
        "eligibility.5",
    }
    assert clean("not a list")[1] == {"eligibility": "资格条件应为 JSON 列表，或留空"}
    assert clean(None) == ([], {})
