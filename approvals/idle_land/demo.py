"""The demo's idle industrial land: 规划局 (a party to the on-site verification) with its
reviewers, and the land bureau's clause (`seed_reference`, inside the demo seed); and one
case in each interesting state (`seed_cases`, `flask seed-idle-land`), moved through the one
door at dates in the past, as their officials and the system would have moved them."""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from approvals.claims.models import Claim
from approvals.claims.supplement import system_user
from approvals.clock import current_time, local_today
from approvals.extensions import db
from approvals.idle_land import services
from approvals.organisations.models import Department, Enterprise, User
from approvals.policies.models import Policy
from approvals.workflow.runtime import advance

CLAUSE = "GTJ-IDLE"
PLANNING = {
    "code": "GHJ",
    "name": "市规划局",
    "name_en": "Planning Bureau",
    "notice_prefix": "规划",
    "full_name": "{city}规划局",
    "contact_name": "何平",
    "contact_phone": "0573-82101101",
}
VERIFIERS = ["GTJ", "JMJ", "GHJ"]  # 国土局 leads; 经贸局 and 规划局 verify with it
TOWNSHIP_TYPE = "township"


def seed_reference(departments: dict, account, chain) -> None:
    """规划局 and its chain of reviewers (`chain`: the demo's prefix, position and title of
    each), and the clause idle-land cases are filed under; inside the demo seed's
    transaction (`account` makes a demo account once)."""
    planning = db.session.scalar(select(Department).filter_by(code=PLANNING["code"]))
    if planning is None:
        city = current_app.config["CITY_NAME"]
        planning = Department(**{**PLANNING, "full_name": PLANNING["full_name"].format(city=city)})
        db.session.add(planning)
        db.session.flush()
    departments[planning.code] = planning
    for prefix, position, title in chain:
        username = f"{prefix}_{planning.code.lower()}"
        account(
            username,
            "reviewer",
            planning.name,
            department=planning,
            display_name=f"{planning.name}{title}",
            position=position,
        )
    if db.session.scalar(select(Policy).filter_by(code=CLAUSE)) is None:
        today = local_today()
        db.session.add(
            Policy(
                code=CLAUSE,
                title_zh="闲置工业用地处置",
                title_en="Disposal of idle industrial land",
                department=departments["GTJ"],
                # No money is paid under this clause: the type and cap are the model's
                # required values, printed on no idle-land notice.
                funding_type="grant",
                cap=Decimal("1"),
                requires_government_approval=True,
                call_year=today.year,
                window_open=date(today.year, 1, 1),
                window_close=date(today.year, 12, 31),
                required_evidence=[],
                workflow=services.WORKFLOW,
                joint_review=VERIFIERS,
                # Nobody files under it through the claim form: a township reports a parcel
                # through the idle-land form (services.REPORTERS), with its facts.
                claimant_types=[],
            )
        )


DEMO_FILE = Path(__file__).with_name("demo.toml")
DAYS_APART = 5


def _parcel(n: int, facts: dict) -> dict:
    """A demo parcel of 青山镇's industrial park, granted in 2019, with `facts` changed."""
    base = {
        "land_number": f"青山工业2019-{n:02d}",
        "location": f"示范市青山镇工业园区纬{n}路",
        "land_area": "20000.00",
        "granted_on": "2019-06-18",
        "land_premium": "12345678.90",
        "agreed_start_on": "2019-12-18",
        "started_on": "",
        "planned_area": "24000.00",
        "built_area": "0",
        "planned_investment": "80000000.00",
        "invested": "0",
    }
    return {**base, **facts}


def _user(username: str) -> User:
    return db.session.scalar(select(User).filter_by(username=username))


def seed_cases() -> int:
    """The demo cases of demo.toml, unless there are idle-land cases already; how many."""
    policy = db.session.scalar(select(Policy).filter_by(code=CLAUSE))
    if policy is None:
        return 0
    exists = select(func.count()).select_from(Claim).where(Claim.workflow == services.WORKFLOW)
    if db.session.scalar(exists):
        return 0
    township = _user("town_qingshan")
    if township is None or township.enterprise.claimant_type != TOWNSHIP_TYPE:
        return 0
    data = tomllib.loads(DEMO_FILE.read_text(encoding="utf-8"))
    now = current_time()
    for case in data["cases"]:
        owner = db.session.get(Enterprise, _user(case["owner"]).enterprise_id)
        raw = {**_parcel(case["parcel"], case["facts"]), "owner_credit_code": owner.credit_code}
        claim = services.file_report(township, raw)
        steps = data["steps"][: case["steps"]]
        for n, step in enumerate(steps):
            when = now - timedelta(days=DAYS_APART * (len(steps) - n))
            comment = {"comment": step["comment"]} if "comment" in step else {}
            if "tasks" in step:
                _verify(claim, step["tasks"], step["comment"], when)
            else:
                user = _user(step["by"])
                advance(user, claim.id, step["trigger"], version=claim.version, now=when, **comment)
    system_user()  # the account the periods' moves are taken by
    return len(data["cases"])


def _verify(claim, decision: str, opinion: str, when) -> None:
    """Each bureau of the on-site verification agrees, by its section chief where four-eyes
    keeps the reviewer who started it out."""
    from approvals.workflow.models import ReviewTask
    from approvals.workflow.tasks import decide

    tasks = db.session.scalars(select(ReviewTask).filter_by(claim_id=claim.id, status="open"))
    for task in list(tasks):
        code = task.department.code.lower()
        who = _user(f"chief_{code}") if code == "gtj" else _user(f"reviewer_{code}")
        decide(who, task.id, decision, opinion, version=task.version, now=when)
