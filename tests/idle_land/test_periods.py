"""An idle-land case through its procedure: the report checked against the criteria, the
joint on-site verification, the city government's confirmation, the notice with three months
to rectify; then either rectified in time (closed, no fee), or the idle fee at the first
deadline and repossession at the second, taken by the system at the tick, each step with
its numbered notice."""

from __future__ import annotations

from tests.idle_land.conftest import FEE, FEE_CAPITAL, LAND_BUREAU, notices_of


def test_a_case_goes_through_both_periods_to_repossession(cases):
    cases.at("2026-06-10T10:00")
    claim_id = cases.to_government()
    assert cases.state(claim_id) == "government_review"
    cases.move("gov", claim_id, "gov_confirm_idle", comment="同意认定为闲置工业用地")
    cases.at("2026-06-15T09:30")
    cases.move(LAND_BUREAU, claim_id, "serve_idle_notice", comment="请限期整改")
    assert cases.state(claim_id) == "rectifying"

    # Three months from 15 June: in time to the end of 15 September.
    cases.tick("2026-09-15T23:00")
    assert cases.state(claim_id) == "rectifying"
    cases.tick("2026-09-16T00:30")
    assert cases.state(claim_id) == "fee_rectifying"
    assert f"{cases.parcel(claim_id).idle_fee:,.2f}" == FEE
    cases.tick("2026-09-16T01:00")  # a second tick does nothing twice
    assert cases.state(claim_id) == "fee_rectifying"

    # Three more months from 16 September: to 16 December.
    cases.tick("2026-12-16T12:00")
    assert cases.state(claim_id) == "fee_rectifying"
    cases.tick("2026-12-17T00:30")
    assert cases.state(claim_id) == "repossessed"

    moves = cases.events(claim_id)
    assert moves[-2:] == [("charge_idle_fee", "system"), ("repossess", "system")]
    notices = notices_of(cases.app, claim_id)
    assert [kind for kind, _ in notices] == [
        "idle_finding",
        "idle_notice",
        "idle_fee",
        "idle_repossession",
    ]
    finding, notice, fee, repossession = (text for _, text in notices)
    assert "示范市人民政府办公室：" in finding  # to the city government, with each bureau
    assert "初步认定为闲置工业用地" in finding and "尚未动工" in finding
    for bureau in ("示范市经济贸易局", "示范市规划局"):
        assert bureau in finding
    assert "嘉禾纺织印染有限公司：" in notice  # to the land user, copied to the township
    assert "抄送：示范市青山镇人民政府" in notice
    assert "约定动工之日起满一年未动工开发" in notice
    assert "自本通知送达之日起3个月（至2026年9月15日）整改" in notice
    assert all("—2—" not in text for _, text in notices), "each notice is one page"
    assert f"土地闲置费{FEE}元（人民币{FEE_CAPITAL}）" in fee
    assert "3个月（至2026年12月16日）整改" in fee
    assert "12,345,678.90元" in fee  # the premium it is a fifth of
    assert "收回你单位该宗地的国有建设用地使用权" in repossession
    numbers = [text.split("号")[0][-12:] for text in (notice, fee, repossession)]
    assert all("国土兑〔2026〕" in n for n in numbers), numbers


def test_rectified_in_time_the_case_closes_without_a_fee(cases):
    cases.at("2026-06-15T09:30")
    claim_id = cases.served()
    cases.at("2026-09-01T10:00")
    cases.move(LAND_BUREAU, claim_id, "confirm_rectified", comment="已于8月动工，整改到位")
    assert cases.state(claim_id) == "rectified_in_time"
    cases.tick("2026-12-31T10:00")  # the deadline's timer finds the case closed
    assert cases.state(claim_id) == "rectified_in_time"
    assert cases.parcel(claim_id).idle_fee is None
    kinds = [kind for kind, _ in notices_of(cases.app, claim_id)]
    assert kinds == ["idle_finding", "idle_notice", "idle_closed"]
    closed = notices_of(cases.app, claim_id)[-1][1]
    assert "整改到位" in closed and "不征收土地闲置费" in closed and "闲置费" + FEE not in closed


def test_rectified_in_the_second_period_the_fee_stands(cases):
    cases.at("2026-06-15T09:30")
    claim_id = cases.served()
    cases.tick("2026-09-16T00:30")
    cases.at("2026-10-08T10:00")
    cases.move(LAND_BUREAU, claim_id, "confirm_rectified", comment="已缴纳闲置费并动工")
    assert cases.state(claim_id) == "rectified_after_fee"
    closed = notices_of(cases.app, claim_id)[-1][1]
    assert f"土地闲置费{FEE}元（人民币{FEE_CAPITAL}）不予退还" in closed
    cases.tick("2026-12-20T10:00")
    assert cases.state(claim_id) == "rectified_after_fee"


def test_the_periods_are_the_systems_alone(cases):
    cases.at("2026-06-15T09:30")
    claim_id = cases.served()
    res = cases.fire(LAND_BUREAU, claim_id, "charge_idle_fee")
    assert res.status_code == 403
    assert cases.state(claim_id) == "rectifying"


def test_the_case_and_claim_pages_show_the_period_and_offer_the_rectification(cases):
    from tests.web.conftest import text

    cases.at("2026-06-15T09:30")
    claim_id = cases.served()
    cases.at("2026-07-01T10:00")
    page = text(cases.web(LAND_BUREAU).get(f"/idle-land/{claim_id}"))
    assert "2026-09-15" in page and "剩余 76 天" in page
    claim_page = cases.web(LAND_BUREAU).get(f"/claims/{claim_id}")
    assert claim_page.status_code == 200
    assert 'value="confirm_rectified"' in text(claim_page)
    assert "闲置土地" in text(cases.web("gov").get("/idle-land/"))
    assert "闲置土地" in text(cases.web("town_qingshan").get("/idle-land/"))
