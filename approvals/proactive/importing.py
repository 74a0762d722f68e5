"""Importing a department's list of eligible enterprises: each row checked on its own, the
valid ones made offers in one transaction, the others reported with their row and reason.

Nothing is half-imported: the offers of one upload are made together or not at all (a move
refused midway rolls every one back), and the import's record, with its rejected rows, is
written in the same transaction. The department corrects the rejected rows and imports
them again; a row already offered is then refused as such, never offered twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal

from flask import current_app
from sqlalchemy import func, select

from approvals.claims import claimants, duplicates
from approvals.claims.models import Claim
from approvals.clock import LOCAL, current_time
from approvals.db import transaction
from approvals.errors import Forbidden, Invalid, NotFound, TooLarge
from approvals.extensions import db
from approvals.limits import parse_id
from approvals.money import amount_error
from approvals.organisations.credit_code import credit_code_error, normalise
from approvals.organisations.models import Enterprise, User
from approvals.organisations.payee import same_name
from approvals.policies import amount_rules
from approvals.policies.models import Policy
from approvals.proactive.models import FACT_MAX, ProactiveImport, ProactiveOffer
from approvals.proactive.moves import OFFER
from approvals.proactive.rows import Row, read_rows
from approvals.workflow.registry import workflows
from approvals.workflow.runtime import advance

WORKFLOW = "proactive_grant"  # the workflow an offer runs on, whatever the clause's own is
NOT_YOURS = "只有该条款主管部门的初审人员可以导入免申即享名单"


@dataclass(frozen=True)
class Valid:
    row: Row
    enterprise: Enterprise
    claimant: User  # the enterprise's user the claim is addressed to
    amount: Decimal


def clauses_of(actor: User) -> list[Policy]:
    """The proactive clauses of the actor's department, by code."""
    if actor.role != "reviewer" or actor.department_id is None:
        return []
    query = select(Policy).where(Policy.proactive, Policy.department_id == actor.department_id)
    return list(db.session.scalars(query.order_by(Policy.code)))


def clause_for(actor: User, code: str) -> Policy:
    """The proactive clause `code`, for a reviewer of its department; 404 / 403 otherwise."""
    policy = db.session.scalar(select(Policy).where(Policy.code == (code or "")))
    if policy is None or not policy.proactive:
        raise NotFound("没有该免申即享条款")
    if actor.role != "reviewer" or actor.department_id != policy.department_id:
        raise Forbidden(NOT_YOURS)
    return policy


def imports_of(policy: Policy) -> list[ProactiveImport]:
    query = select(ProactiveImport).where(ProactiveImport.policy_id == policy.id)
    return list(db.session.scalars(query.order_by(ProactiveImport.id.desc())))


def outcomes_of(policy: Policy) -> dict[str, int]:
    """The clause's offers by outcome (offered, confirmed, declined, expired)."""
    query = (
        select(ProactiveOffer.outcome, func.count())
        .where(ProactiveOffer.policy_id == policy.id)
        .group_by(ProactiveOffer.outcome)
    )
    return dict(db.session.execute(query).all())


def get_import(actor: User, policy_code: str, import_id) -> ProactiveImport:
    policy = clause_for(actor, policy_code)
    number = parse_id(import_id)
    batch = db.session.get(ProactiveImport, number) if number else None
    if batch is None or batch.policy_id != policy.id:
        raise NotFound("没有该导入记录")
    return batch


# Checking a row --------------------------------------------------------------------------


def _amount(policy: Policy, written: str) -> tuple[Decimal | None, str | None]:
    """The grant: the clause's fixed amount (a written one must agree), else the list's,
    within the clause's caps."""
    rule = policy.amount_rule
    if rule and rule.get("type") == "fixed":
        fixed = amount_rules.compute(rule, None, policy.cap).maximum
        if written:
            amount, problem = amount_error(written)
            if problem or amount != fixed:
                return None, f"金额应为该条款的定额 {fixed:,.2f} 元，或不填"
        return fixed, None
    amount, problem = amount_error(written)
    if problem:
        return None, f"金额：{problem}"
    caps = [policy.cap] + ([Decimal(rule["cap"])] if rule and rule.get("cap") else [])
    if amount > min(caps):
        return None, f"金额超过该条款上限 {min(caps):,.2f} 元"
    return amount, None


def _earlier(policy: Policy, enterprise: Enterprise) -> str | None:
    """Why the enterprise cannot be offered this clause again: an offer already made under
    it (whatever became of it), or a claim of its own that is still live."""
    offered = db.session.scalar(
        select(ProactiveOffer)
        .where(ProactiveOffer.policy_id == policy.id, ProactiveOffer.enterprise_id == enterprise.id)
        .limit(1)
    )
    if offered is not None:
        on = offered.source.imported_at.astimezone(LOCAL)
        return f"已于{on:%Y-%m-%d}向该企业发出本条款的兑现告知（编号 {offered.claim.number}）"
    live = duplicates.live_claim(enterprise.id, policy.id)
    if live is not None:
        return f"该企业已有本条款{policy.call_year}年度的申报（编号 {live.number}）"
    return None


def _claimant(enterprise: Enterprise) -> User | None:
    return db.session.scalar(
        select(User)
        .where(User.enterprise_id == enterprise.id, User.active, User.role == "enterprise")
        .order_by(User.id)
        .limit(1)
    )


def _problem(policy: Policy, row: Row, enterprise: Enterprise | None, seen: dict) -> str | None:
    code = normalise(row.credit_code)
    if problem := credit_code_error(code):
        return problem
    if enterprise is None:
        return "该统一社会信用代码的企业未在本系统登记"
    if not same_name(row.name, enterprise.name):
        return f"企业名称与登记名称（{enterprise.name}）不一致"
    if code in seen:
        return f"与第{seen[code]}行重复"
    if refused := claimants.refusal(enterprise, policy):
        return refused
    if not row.fact:
        return "请填写符合条件事实"
    if len(row.fact) > FACT_MAX:
        return f"符合条件事实不能超过{FACT_MAX}字"
    return _earlier(policy, enterprise)


def check_rows(policy: Policy, rows: list[Row]) -> tuple[list[Valid], list[dict]]:
    """(the rows to offer, the rejected rows with their reasons), in the list's order."""
    codes = {normalise(r.credit_code) for r in rows}
    known = {
        e.credit_code: e
        for e in db.session.scalars(select(Enterprise).where(Enterprise.credit_code.in_(codes)))
    }
    valid, rejected, seen = [], [], {}
    for row in rows:
        code = normalise(row.credit_code)
        enterprise = known.get(code)
        problem = _problem(policy, row, enterprise, seen)
        amount = claimant = None
        if problem is None:
            amount, problem = _amount(policy, row.amount)
        if problem is None and (claimant := _claimant(enterprise)) is None:
            problem = "该企业没有可登录的系统账号，无法进行意愿确认"
        if problem is None:
            seen[code] = row.number  # a later row for it repeats an offer made
            valid.append(Valid(row, enterprise, claimant, amount))
        else:
            rejected.append({**asdict(row), "row": row.number, "reason": problem})
    return valid, rejected


# Making the offers -----------------------------------------------------------------------


def _offer(actor: User, policy: Policy, source: ProactiveImport, item: Valid, now, trigger):
    engine = workflows().get(WORKFLOW)
    duplicates.lock_enterprise(item.enterprise.id)
    claim = Claim(
        workflow=engine.spec.name,
        workflow_version=engine.spec.version,
        policy=policy,
        department_id=policy.department_id,
        enterprise_id=item.enterprise.id,
        # The enterprise's user: its messages and the claim's page are the enterprise's; the
        # department that made the offer is the import's and the offer event's actor.
        created_by=item.claimant,
        project_title=item.row.fact,
        requested_amount=item.amount,
        approved_amount=item.amount,  # assessed already: the fact and the rule decide it
        state=engine.spec.initial,
        # Filed by the department: its officials see the offer from now on.
        submitted_at=now,
        created_at=now,
        updated_at=now,
    )
    db.session.add(claim)
    db.session.flush()
    duplicates.refuse_second(claim)  # re-checked under the enterprise's lock
    claim.number = f"{policy.call_year}-{policy.department.code}-{claim.id:06d}"
    db.session.add(
        ProactiveOffer(
            source=source,
            claim_id=claim.id,
            policy_id=policy.id,
            enterprise_id=item.enterprise.id,
            row_number=item.row.number,
            fact=item.row.fact,
        )
    )
    db.session.flush()
    advance(actor, claim.id, trigger, version=claim.version, now=now)


def import_list(
    actor: User, policy_code: str, filename: str, data: bytes, *, now: datetime | None = None
) -> ProactiveImport:
    """Read, check and import one list for the clause: the record of the import, with the
    rows it offered and those it rejected. One transaction."""
    policy = clause_for(actor, policy_code)
    if policy.is_recognition:
        raise Invalid("税收分成认定不核定金额，不能免申即享", code="not_payable")
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    if len(data) > limit:
        raise TooLarge(f"文件不能超过 {limit // (1024 * 1024)} MB", fields={"file": "文件过大"})
    rows = read_rows(filename, data)
    now = now or current_time()
    trigger = workflows().get(WORKFLOW).spec.with_effect(OFFER)[0].trigger
    with transaction():
        valid, rejected = check_rows(policy, rows)
        source = ProactiveImport(
            policy_id=policy.id,
            imported_by_id=actor.id,
            imported_at=now,
            filename=(filename or "").replace("\\", "/").rsplit("/", 1)[-1][:255] or "未命名",
            sha256=hashlib.sha256(data).hexdigest(),
            rows_read=len(rows),
            offered=len(valid),
            rejected=rejected,
        )
        db.session.add(source)
        db.session.flush()
        for item in valid:
            _offer(actor, policy, source, item, now, trigger)
    return source
