"""好差评: the claimant of an ended claim rates it once, 1 to 5 with a comment; nobody else
may, nor before it ended; bad input is a 4xx with the problem named; the ratings per
department are one GROUP BY the oversight page shows."""

import pytest
from sqlalchemy import select

from approvals.extensions import db
from approvals.ratings.models import ServiceRating
from approvals.ratings.service import by_department
from tests.finance.conftest import signed_in


def _rate(client, claim_id, **form):
    return client.post(f"/claims/{claim_id}/rating", data=form)


def test_the_claimant_rates_a_paid_claim_once(seeded, make_claim):
    claim = make_claim("disbursed", approved_amount="1000.00")
    ent = signed_in(seeded, "ent_huadong")
    page = ent.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "本次办理您满意吗？" in page
    res = _rate(ent, claim.id, score="4", comment="办理及时")
    assert res.status_code == 303
    page = ent.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "★★★★☆" in page and "办理及时" in page and "本次办理您满意吗？" not in page
    assert _rate(ent, claim.id, score="1").status_code == 409  # once
    with seeded.app_context():
        ratings = by_department()
        assert [(r.department, r.count, r.average, r.satisfied_share) for r in ratings] == [
            ("市经贸局", 1, 4.0, "100.0%")
        ]


def test_a_claim_still_in_review_cannot_be_rated(seeded, make_claim):
    claim = make_claim("submitted")
    ent = signed_in(seeded, "ent_huadong")
    assert "本次办理您满意吗？" not in ent.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert _rate(ent, claim.id, score="5").status_code == 409


def test_only_the_claimant_rates(seeded, make_claim):
    claim = make_claim("rejected")
    assert _rate(signed_in(seeded, "reviewer_jmj"), claim.id, score="5").status_code == 403
    assert _rate(signed_in(seeded, "ent_jiangnan"), claim.id, score="5").status_code == 404


@pytest.mark.parametrize("score", ["0", "6", "abc", "", "4.5"])
def test_a_score_outside_one_to_five_is_refused(seeded, make_claim, score):
    claim = make_claim("rejected")
    res = _rate(signed_in(seeded, "ent_huadong"), claim.id, score=score)
    assert res.status_code == 422
    assert "请选择 1 至 5 分" in res.get_data(as_text=True)
    with seeded.app_context():
        assert db.session.scalar(select(ServiceRating)) is None


def test_the_oversight_page_shows_the_ratings_per_department(seeded, make_claim):
    claim = make_claim("rejected")
    assert _rate(signed_in(seeded, "ent_huadong"), claim.id, score="2").status_code == 303
    page = signed_in(seeded, "gov").get("/oversight").get_data(as_text=True)
    section = page[page.index('id="oversight-ratings"') :]
    assert "市经贸局" in section and "2.00" in section and "0.0%" in section
