"""Seed the demo data described in demo.toml; running it twice changes nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from functools import cache

from flask import current_app
from sqlalchemy import select

from approvals.clock import LOCAL
from approvals.db import transaction, utcnow
from approvals.eligibility.demo import seed as seed_eligibility
from approvals.extensions import db
from approvals.finance.models import Budget
from approvals.idle_land.demo import seed_reference as seed_idle_land
from approvals.organisations.credit_code import make_credit_code
from approvals.organisations.models import Department, Enterprise, User
from approvals.organisations.profile import PROFILE_FIELDS
from approvals.organisations.services import hash_password
from approvals.policies import amount_rules
from approvals.policies.models import Policy
from approvals.proactive.demo import seed_reference as seed_proactive

WINDOW_OPENED_DAYS_AGO = 30
WINDOW_CLOSES_IN_DAYS = 60


# The demo accounts of a department's chain: username prefix, position, display title.
DEPARTMENT_CHAIN = (
    ("reviewer", "case_officer", "初审"),
    ("chief", "section_chief", "审核科长"),
    ("leader", "leader", "分管领导"),
)


def _one(model, **where):
    return db.session.scalar(select(model).filter_by(**where))


def seed(data: dict) -> list[tuple[str, str, str, str]]:
    """Insert what is missing; return (username, role, department or enterprise, password)."""
    password = data["password"]
    today = utcnow().astimezone(LOCAL).date()
    opened = today - timedelta(days=WINDOW_OPENED_DAYS_AGO)
    accounts = []
    with transaction():
        departments = {}
        for row in data["departments"]:
            dept = _one(Department, code=row["code"]) or Department(code=row["code"])
            dept.name, dept.name_en = row["name"], row["name_en"]
            dept.notice_prefix = row["notice_prefix"]
            # Full names and contacts for the notices (GB/T 9704: names in full, 附注).
            dept.full_name = row.get("full_name", "").format(city=current_app.config["CITY_NAME"])
            dept.contact_name = row.get("contact_name", "")
            dept.contact_phone = row.get("contact_phone", "")
            db.session.add(dept)
            departments[row["code"]] = dept
        db.session.flush()
        for row in data["policies"]:
            if _one(Policy, code=row["code"]) is None:
                amount_rules.check_rule(row.get("amount_rule"))
                db.session.add(
                    Policy(
                        code=row["code"],
                        title_zh=row["title_zh"],
                        title_en=row["title_en"],
                        department=departments[row["department"]],
                        funding_type=row["funding_type"],
                        cap=Decimal(row["cap"]),
                        requires_government_approval=row["requires_government_approval"],
                        call_year=opened.year,
                        window_open=opened,
                        window_close=today + timedelta(days=WINDOW_CLOSES_IN_DAYS),
                        required_evidence=row["required_evidence"],
                        amount_rule=row.get("amount_rule"),
                        # The department/township track: its workflow, the departments that
                        # review together, who may claim, and whether it rewards people.
                        workflow=row.get("workflow", "enterprise_claim"),
                        joint_review=row.get("joint_review", []),
                        claimant_types=row.get("claimant_types", ["enterprise"]),
                        rewards_people=row.get("rewards_people", False),
                        promise_days=row.get("promise_days"),  # 兑现时限
                    )
                )
        db.session.flush()
        basis = data.get("basis", {})
        for row in data["policies"]:
            policy = _one(Policy, code=row["code"])
            if policy.exclusive_group is None and row.get("exclusive_group"):  # 就高不重复
                policy.exclusive_group = row["exclusive_group"]
            if not policy.basis_title and "basis_clause" in row:  # older demo data gains it
                policy.basis_title, policy.basis_number = basis["title"], basis["number"]
                policy.basis_clause = row["basis_clause"]
            if "budget" in row and _one(Budget, policy_id=policy.id, year=policy.call_year) is None:
                db.session.add(
                    Budget(
                        policy_id=policy.id, year=policy.call_year, amount=Decimal(row["budget"])
                    )
                )

        # Every demo account has the one published password: hashed once, not once per
        # account (a deliberately slow hash, ~0.3 s each on a small machine).
        demo_hash = cache(lambda: hash_password(password))

        def account(username, role, label, **kwargs):
            if _one(User, username=username) is None:
                db.session.add(
                    User(
                        username=username,
                        password_hash=demo_hash(),
                        role=role,
                        display_name=kwargs.pop("display_name", username),
                        **kwargs,
                    )
                )
            accounts.append((username, role, label, password))

        for row in data["officials"]:
            dept = departments.get(row.get("department", ""))
            account(
                row["username"],
                row["role"],
                dept.name if dept else "",
                department=dept,
                display_name=row["display_name"],
            )
        # A reviewer for every department but the city government's office (it decides as
        # the government): 财政局 owns a clause too (CZJ-MERGER), and its 初审 is a
        # reviewer's, not the finance bureau's 复核.
        # Each with its sign-off chain (经办 → 审核 → 审批): the reviewer prepares as case
        # officer, the section chief checks and the leader in charge approves, three people,
        # so four-eyes (双人把关) always finds a second official in the department.
        for code, dept in departments.items():
            if code != "SFB":
                for prefix, position, title in DEPARTMENT_CHAIN:
                    account(
                        f"{prefix}_{code.lower()}",
                        "reviewer",
                        dept.name,
                        department=dept,
                        display_name=f"{dept.name}{title}",
                        position=position,
                    )
        for row in data["enterprises"]:
            credit_code = make_credit_code(row["credit_code_stem"])
            enterprise = _one(Enterprise, credit_code=credit_code)
            if enterprise is None:
                enterprise = Enterprise(
                    name=row["name"],
                    credit_code=credit_code,
                    # A township or a platform developer is made here, never by sign-up.
                    claimant_type=row.get("claimant_type", "enterprise"),
                )
                db.session.add(enterprise)
            # The profile and a valid payee account: filled where blank, so an older demo
            # database gains them and a second run changes nothing.
            for name in PROFILE_FIELDS:
                if not getattr(enterprise, name):
                    setattr(enterprise, name, row[name])
            account(
                row["username"],
                "enterprise",
                row["name"],
                enterprise=enterprise,
                display_name=row["name"],
            )
        seed_idle_land(departments, account, DEPARTMENT_CHAIN)  # 闲置工业用地: 规划局, its clause
        seed_eligibility()  # 资格条件 on three clauses, two enterprises' 一企一档
        seed_proactive(departments)  # 免申即享: 经贸局's clause (its offer: flask seed-proactive)
    return accounts
