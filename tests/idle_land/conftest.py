"""Idle-land fixtures: the demo's township (示范市青山镇) reports a parcel of a demo
enterprise through the report form, and the land bureau, the verifying bureaus, the city
government and the system move the case through the API and the tick, on a set clock."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from approvals.claims.models import Claim, ClaimEvent
from approvals.extensions import db
from approvals.idle_land.models import IdleParcel
from approvals.organisations.models import User
from tests.conftest import set_clock
from tests.platform.conftest import notices_of  # noqa: F401  (the tests use it)
from tests.tasks.conftest import decide_as
from tests.web.conftest import web  # noqa: F401, F811  (a fixture)

TOWNSHIP, OWNER = "town_qingshan", "ent_jiahe"
LAND_BUREAU = "reviewer_gtj"
# 国土局 with 经贸局 and 规划局; 国土局's by a colleague of the reviewer who started it (双人把关)
VERIFIERS = ("chief_gtj", "reviewer_jmj", "reviewer_ghj")
PREMIUM = "12345678.90"
FEE, FEE_CAPITAL = "2,469,135.78", "贰佰肆拾陆万玖仟壹佰叁拾伍元柒角捌分"  # 20 % of it
# Granted in 2019, to start by the end of that year, never started: idle a year on.
NOT_STARTED = {
    "land_number": "青山工业2019-07",
    "location": "示范市青山镇工业园区纬七路以南",
    "land_area": "20000.00",
    "granted_on": "2019-06-18",
    "land_premium": PREMIUM,
    "agreed_start_on": "2019-12-18",
    "started_on": "",
    "planned_area": "24000.00",
    "built_area": "0",
    "planned_investment": "80000000.00",
    "invested": "0",
}
# Started and well on: half built, 40 % invested.
WELL_ON = {
    **NOT_STARTED,
    "land_number": "青山工业2019-08",
    "started_on": "2020-02-01",
    "built_area": "12000.00",
    "invested": "32000000.00",
}


def beijing(when: str) -> datetime:
    return datetime.fromisoformat(when).replace(tzinfo=ZoneInfo("Asia/Shanghai"))


class Cases:
    """Idle-land cases, moved as their people (and the system) move them."""

    def __init__(self, app, api, signed_in):
        self.app, self.api, self.web = app, api, signed_in

    def at(self, when: str) -> None:
        set_clock(self.app, when)

    def owner_code(self, username: str = OWNER) -> str:
        with self.app.app_context():
            user = db.session.scalar(select(User).filter_by(username=username))
            return user.enterprise.credit_code

    def draft(self, facts: dict | None = None, township: str = TOWNSHIP):
        """The report form posted by the township: the response (a redirect to the case)."""
        client = self.web(township)
        form = {"owner_credit_code": self.owner_code(), **(facts or NOT_STARTED)}
        return client.post("/idle-land/new", data=form)

    def drafted(self, facts: dict | None = None) -> int:
        res = self.draft(facts)
        assert res.status_code == 302, res.get_data(as_text=True)
        return int(res.headers["Location"].rstrip("/").rsplit("/", 1)[-1])

    def fire(self, username: str, claim_id: int, trigger: str, **payload):
        return self.api(username).fire(claim_id, trigger, **payload)

    def move(self, username: str, claim_id: int, trigger: str, **payload) -> dict:
        res = self.fire(username, claim_id, trigger, **payload)
        assert res.status_code == 200, res.json
        return res.json

    def verified(self, claim_id: int, opinion: str = "经现场核查，情况属实") -> None:
        for username in VERIFIERS:
            res = decide_as(self.api, username, claim_id, "agree", opinion)
            assert res.status_code == 200, res.json

    def to_government(self, facts: dict | None = None) -> int:
        claim_id = self.drafted(facts)
        self.move(TOWNSHIP, claim_id, "report_idle")
        self.move(LAND_BUREAU, claim_id, "start_check", comment="定于6月10日现场核查")
        self.verified(claim_id)
        self.move(LAND_BUREAU, claim_id, "report_finding", comment="初步认定为闲置工业用地")
        return claim_id

    def served(self) -> int:
        """A case whose idle-land notice was issued: in its first three months."""
        claim_id = self.to_government()
        self.move("gov", claim_id, "gov_confirm_idle", comment="同意认定为闲置工业用地")
        self.move(LAND_BUREAU, claim_id, "serve_idle_notice", comment="请限期整改")
        return claim_id

    def tick(self, when: str) -> list[str]:
        from approvals import ticking

        with self.app.app_context():
            return ticking.run(beijing(when))

    def state(self, claim_id: int) -> str:
        with self.app.app_context():
            return db.session.get(Claim, claim_id).state

    def parcel(self, claim_id: int) -> IdleParcel:
        with self.app.app_context():
            parcel = db.session.scalar(select(IdleParcel).filter_by(claim_id=claim_id))
            db.session.expunge(parcel)
            return parcel

    def events(self, claim_id: int) -> list[tuple[str, str]]:
        """(trigger, actor's role) of the claim's moves, in order."""
        with self.app.app_context():
            rows = db.session.scalars(
                select(ClaimEvent).filter_by(claim_id=claim_id).order_by(ClaimEvent.id)
            )
            return [(e.trigger, e.actor.role) for e in rows if e.trigger != "task_decision"]


@pytest.fixture
def cases(seeded, api, web) -> Cases:  # noqa: F811  (the fixture)
    return Cases(seeded, api, web)


def file_case(township: User, facts: dict | None = None) -> int:
    """A township's draft report of a parcel of the demo's 嘉禾纺织 meeting the criteria,
    in the caller's app context, each with a land number of its own: the claim's id. (For
    tests that walk every workflow: an idle-land case is filed with its parcel.)"""
    from approvals.idle_land import services

    owner = db.session.scalar(select(User).filter_by(username=OWNER))
    count = db.session.scalar(select(func.count()).select_from(IdleParcel))
    raw = {
        **(facts or NOT_STARTED),
        "land_number": f"测试宗地-{township.id}-{count + 1}",
        "owner_credit_code": owner.enterprise.credit_code,
    }
    return services.file_report(township, raw).id
