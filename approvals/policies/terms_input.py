"""Checking a clause's terms as an administrator gives them, field by field, in Chinese:
the one set of rules behind the admin pages and the API (approvals/policies/services.py)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from approvals import limits
from approvals.extensions import db
from approvals.i18n import N_
from approvals.money import amount_error, number_text
from approvals.organisations.models import CLAIMANT_TYPES, Department
from approvals.policies import amount_rules
from approvals.policies.vocabulary import EVIDENCE_KINDS, FUNDING_TYPES
from approvals.workflow.calendar import MAX_WORKING_DAYS
from approvals.workflow.registry import workflows

CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,31}")
TEXTS = {  # field → (maximum length, required)
    "title_zh": (128, True),
    "title_en": (256, False),
    "description": (2000, False),
    "basis_title": (200, False),
    "basis_number": (64, False),
    "basis_clause": (64, False),
    "exclusive_group": (32, False),
}
FLAGS = ("requires_government_approval", "rewards_people", "proactive")
FIRST_YEAR, LAST_YEAR = limits.YEAR_MIN, limits.YEAR_MAX
# What a new clause cannot do without; the rest have their defaults.
REQUIRED = (
    "code",
    "title_zh",
    "department",
    "funding_type",
    "cap",
    "call_year",
    "window_open",
    "window_close",
)
NOT_GIVEN = N_("请填写此项")
# Terms a feature that builds on policies checks: name → clean(value) → (value, {key: problem}),
# registered in its init_app so that policies imports none of them (`eligibility`: approvals/
# eligibility/conditions.py).
CHECKED_ELSEWHERE: dict = {}
PUBLICITY_MAX = 30  # working days of 公示 (publicities.days)


def _text(name: str, value) -> tuple[str | None, str | None]:
    maximum, required = TEXTS[name]
    if value is None:
        value = ""
    if not isinstance(value, str):
        return None, N_("应为文字")
    value = value.strip()
    if required and not value:
        return None, NOT_GIVEN
    if len(value) > maximum:
        return None, f"不能超过{maximum}个字符"
    problem = limits.text_problem(value)
    return (None, problem) if problem else (value, None)


def _codes(value, known, what: str) -> tuple[list | None, str | None]:
    """A list of codes from `known`, each once, in the order given."""
    if value is None:
        value = []
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        return None, N_("应为代码列表")
    unknown = [v for v in value if v not in known]
    if unknown:
        return None, f"未知的{what}：{'、'.join(unknown[:5])}"
    return list(dict.fromkeys(value)), None


def _department_codes() -> set[str]:
    return set(db.session.scalars(select(Department.code)))


def _day(value) -> tuple[date | None, str | None]:
    if isinstance(value, date):
        return value, None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()), None
        except ValueError:
            pass
    return None, N_("应为日期，如 2026-03-31")


def _year(value) -> tuple[int | None, str | None]:
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        return None, N_("应为年份，如 2026")
    if not FIRST_YEAR <= value <= LAST_YEAR:
        return None, f"应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间"
    return value, None


def _promise_days(value) -> tuple[int | None, str | None]:
    """兑现时限 in working days (approvals/claims/promise.py); empty: the clause promises none."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_WORKING_DAYS:
        return None, f"兑现时限应为 1 至 {MAX_WORKING_DAYS} 个工作日，或留空"
    return value, None


def _publicity_days(value) -> tuple[int | None, str | None]:
    """公示期 in working days (approvals/publicity); empty: paid without publicity."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= PUBLICITY_MAX:
        return None, f"公示期应为 1 至 {PUBLICITY_MAX} 个工作日，或留空（不公示）"
    return value, None


def _offer_days(value) -> tuple[int | None, str | None]:
    """免申即享: the working days an offer stays open (approvals/proactive); empty: 20."""
    days, problem = _promise_days(value)
    if problem:
        return None, f"确认期限应为 1 至 {MAX_WORKING_DAYS} 个工作日，或留空"
    return days, None


def _amount(value, required: bool) -> tuple[Decimal | None, str | None]:
    if not required and (value is None or (isinstance(value, str) and not value.strip())):
        return None, None
    return amount_error(value)


def _rule(value) -> tuple[dict | None, dict]:
    """The amount rule, its numbers kept as text (never float); problems keyed
    `amount_rule.<key>` as the claim's inputs are (`amount_inputs.<name>`)."""
    if value is None or value == {}:
        return None, {}
    if not isinstance(value, dict):
        return None, {"amount_rule": N_("金额规则应为 JSON 对象，或留空")}
    problems = amount_rules.rule_problems(value)
    if problems:
        return None, {f"amount_rule.{key}": text for key, text in problems.items()}
    rule = {"type": value["type"]}
    for key, raw in value.items():
        if key != "type" and raw is not None:
            rule[key] = f"{Decimal(number_text(raw)).normalize():f}"
    return rule, {}


def _one(name: str, value, errors: dict):
    """The clean value of one field; its problem, if any, into `errors`."""
    problem = None
    if name in TEXTS:
        value, problem = _text(name, value)
        if name == "exclusive_group" and not value:
            value = None
    elif name in FLAGS:
        if not isinstance(value, bool):
            value, problem = None, N_("应为是或否")
    elif name == "code":
        if not isinstance(value, str) or not CODE.fullmatch(value.strip()):
            value, problem = None, N_("条款编号为大写字母、数字和连字符，2 至 32 位，如 JMJ-PLAN")
        else:
            value = value.strip()
    elif name == "department":
        if not isinstance(value, str) or value not in _department_codes():
            value, problem = None, N_("请选择有效的部门")
    elif name == "joint_review":
        value, problem = _codes(value, _department_codes(), "部门")
    elif name == "funding_type":
        if value not in FUNDING_TYPES:
            value, problem = None, N_("请选择资助方式")
    elif name == "cap":
        value, problem = _amount(value, True)
    elif name == "signoff_threshold":
        value, problem = _amount(value, False)
    elif name == "call_year":
        value, problem = _year(value)
    elif name == "promise_days":
        value, problem = _promise_days(value)
    elif name == "offer_days":
        value, problem = _offer_days(value)
    elif name == "publicity_days":
        value, problem = _publicity_days(value)
    elif name in ("window_open", "window_close"):
        value, problem = _day(value)
    elif name == "required_evidence":
        value, problem = _codes(value, EVIDENCE_KINDS, "材料类型")
    elif name == "claimant_types":
        value, problem = _codes(value, CLAIMANT_TYPES, "申报主体类型")
        if value == []:
            value, problem = None, N_("请至少选择一类申报主体")
    elif name == "workflow":
        if not isinstance(value, str) or value not in {e.spec.name for e in workflows().latest()}:
            value, problem = None, N_("请选择已加载的审批流程")
    elif name == "amount_rule":
        value, problems = _rule(value)
        errors.update(problems)
        return value
    elif name in CHECKED_ELSEWHERE:
        value, problems = CHECKED_ELSEWHERE[name](value)
        errors.update(problems)
        return value
    if problem:
        errors[name] = problem
    return value


FIELDS = (
    "code",
    *TEXTS,
    *FLAGS,
    "department",
    "joint_review",
    "funding_type",
    "cap",
    "signoff_threshold",
    "promise_days",
    "publicity_days",
    "offer_days",
    "call_year",
    "window_open",
    "window_close",
    "required_evidence",
    "claimant_types",
    "workflow",
    "amount_rule",
    "eligibility",
)


def clean(values: dict, *, creating: bool) -> tuple[dict, dict]:
    """(clean values, field errors) for the fields given; a new clause needs REQUIRED."""
    errors: dict = {}
    if creating:
        for name in REQUIRED:
            if values.get(name) in (None, ""):
                errors[name] = NOT_GIVEN
    given = {n: values[n] for n in FIELDS if n in values and n not in errors}
    return {name: _one(name, value, errors) for name, value in given.items()}, errors
