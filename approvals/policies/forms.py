"""The administrator's clause form: every term of a clause, handed to the service as plain
values; the service checks them (approvals/policies/terms_input.py)."""

from __future__ import annotations

import json

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

from approvals.i18n import dept_name
from approvals.organisations.models import CLAIMANT_TYPE_LABELS
from approvals.policies.amount_rules import RULE_TYPES
from approvals.policies.vocabulary import EVIDENCE_KINDS, FUNDING_TYPES
from approvals.workflow.registry import workflows

# The amount rule as structured fields: form field → key of the rule.
RULE_FIELDS = {
    "rule_amount": "amount",
    "rule_rate": "rate",
    "rule_share": "share",
    "rule_cap": "cap",
}
TEXT = ("title_zh", "title_en", "description", "basis_title", "basis_number", "basis_clause")
SINGLE = (
    "department",
    "funding_type",
    "workflow",
    "cap",
    "signoff_threshold",
    "promise_days",
    "publicity_days",
    "offer_days",
    "call_year",
)


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, text) for value, text in pairs]


# Choices are checked by the service, with its messages: WTForms' own are English only.
def _select(text):
    return SelectField(text, validate_choice=False)


def _many(text):
    return SelectMultipleField(text, validate_choice=False)


class PolicyForm(FlaskForm):
    code = StringField(_l("条款编号"), render_kw={"maxlength": 32, "autocomplete": "off"})
    title_zh = StringField(_l("条款名称（中文）"), render_kw={"maxlength": 128})
    title_en = StringField(_l("条款名称（英文）"), render_kw={"maxlength": 256})
    description = TextAreaField(_l("说明"), render_kw={"maxlength": 2000, "rows": 3})
    department = _select(_l("主管部门"))
    joint_review = _many(_l("联合审核部门"))
    funding_type = _select(_l("资助方式"))
    cap = StringField(_l("上限（元）"), render_kw={"inputmode": "decimal"})
    call_year = StringField(_l("申报年度"), render_kw={"inputmode": "numeric", "maxlength": 4})
    window_open = StringField(_l("申报开始日期"), render_kw={"type": "date"})
    window_close = StringField(_l("申报截止日期"), render_kw={"type": "date"})
    required_evidence = _many(_l("所需材料"))
    rule_type = _select(_l("金额规则"))
    rule_amount = StringField(_l("定额（元）"), render_kw={"inputmode": "decimal"})
    rule_rate = StringField(
        _l("资助比例（0 至 1，如 0.3 即 30%）"), render_kw={"inputmode": "decimal"}
    )
    rule_share = StringField(
        _l("贴息比例（0 至 1，如 0.5 即 50%）"), render_kw={"inputmode": "decimal"}
    )
    rule_cap = StringField(_l("规则上限（元，可不填）"), render_kw={"inputmode": "decimal"})
    basis_title = StringField(_l("依据文件名称"), render_kw={"maxlength": 200})
    basis_number = StringField(_l("依据文号"), render_kw={"maxlength": 64})
    basis_clause = StringField(_l("依据条款"), render_kw={"maxlength": 64})
    exclusive_group = StringField(_l("就高不重复组"), render_kw={"maxlength": 32})
    workflow = _select(_l("审批流程"))
    claimant_types = _many(_l("申报主体类型"))
    signoff_threshold = StringField(
        _l("分管领导审批起点（元，可不填）"), render_kw={"inputmode": "decimal"}
    )
    promise_days = StringField(
        _l("兑现时限（受理后工作日数，可不填）"), render_kw={"inputmode": "numeric", "maxlength": 3}
    )
    publicity_days = StringField(
        _l("拨付前公示期（工作日，可不填）"), render_kw={"inputmode": "numeric", "maxlength": 2}
    )
    offer_days = StringField(
        _l("免申即享确认期限（工作日，可不填）"), render_kw={"inputmode": "numeric", "maxlength": 3}
    )
    proactive = BooleanField(_l("免申即享（部门导入名单，企业确认即兑现）"))
    requires_government_approval = BooleanField(_l("须经市政府审定"))
    rewards_people = BooleanField(_l("奖励到人（有功人员）"))
    # 资格条件 as a JSON list, checked by approvals/eligibility/conditions.py.
    eligibility = TextAreaField(_l("资格条件（JSON）"), render_kw={"rows": 5})
    version = HiddenField()

    def offer(self, departments) -> PolicyForm:
        """The choices: departments, vocabularies and the loaded workflows."""
        depts = [(d.code, f"{d.code} {dept_name(d)}") for d in departments]
        self.department.choices = _choices([("", _("请选择")), *depts])
        self.joint_review.choices = _choices(depts)
        self.funding_type.choices = _choices(
            [("", _("请选择"))] + [(k, _(v)) for k, v in FUNDING_TYPES.items()]
        )
        self.required_evidence.choices = _choices([(k, _(v)) for k, v in EVIDENCE_KINDS.items()])
        self.claimant_types.choices = _choices([(k, _(v)) for k, v in CLAIMANT_TYPE_LABELS.items()])
        self.rule_type.choices = _choices(
            [("", _("无：按申报金额核定，不超过上限"))] + [(k, _(v)) for k, v in RULE_TYPES.items()]
        )
        # New claims run on a workflow's newest version (approvals/workflow/registry.py).
        self.workflow.choices = _choices(
            sorted((e.spec.name, f"{e.spec.name} v{e.spec.version}") for e in workflows().latest())
        )
        return self

    def values(self) -> dict:
        """The terms as posted, plain values for the service."""
        values = {name: self[name].data or "" for name in TEXT + SINGLE}
        values["exclusive_group"] = self.exclusive_group.data or None
        for name in ("joint_review", "required_evidence", "claimant_types"):
            values[name] = list(self[name].data or [])
        for name in ("window_open", "window_close"):
            values[name] = self[name].data or None
        for name in ("requires_government_approval", "rewards_people", "proactive"):
            values[name] = bool(self[name].data)
        values["amount_rule"] = self.rule()
        values["eligibility"] = eligibility_value(self.eligibility.data)
        if self.code.data is not None:
            values["code"] = self.code.data
        return values

    def rule(self) -> dict | None:
        if not self.rule_type.data:
            return None
        rule = {"type": self.rule_type.data}
        for name, key in RULE_FIELDS.items():
            if (self[name].data or "").strip():
                rule[key] = self[name].data.strip()
        return rule

    def label_of(self, term: str) -> str:
        """The label of a term (a column of the clause) on this form."""
        name = {"department_id": "department", "amount_rule": "rule_type"}.get(term, term)
        return self[name].label.text if name in self else term

    def show(self, fields: dict) -> dict:
        """The service's field errors under this form's names (the rule's keys, by field)."""
        keys = {f"amount_rule.{key}": name for name, key in RULE_FIELDS.items()}
        keys |= {"amount_rule.type": "rule_type", "amount_rule": "rule_type"}
        keys |= {name: "eligibility" for name in fields if name.startswith("eligibility.")}
        return {keys.get(name, name): text for name, text in fields.items()}


def eligibility_value(text: str | None):
    """The conditions as typed: a JSON list, or the text itself when it is no JSON (approvals/
    eligibility/conditions.py, which checks them, then says what is wrong)."""
    text = (text or "").strip()
    if not text:
        return []
    try:
        return json.loads(text, parse_float=str, parse_int=str)
    except ValueError:
        return text


def eligibility_text(conditions) -> str:
    """The conditions as the form shows them: JSON, one condition a line."""
    if not conditions:
        return ""
    return "[\n" + ",\n".join(json.dumps(c, ensure_ascii=False) for c in conditions) + "\n]"


def form_data(policy) -> dict:
    """The clause's terms as the form shows them."""
    rule = policy.amount_rule or {}
    data = {
        name: getattr(policy, name)
        for name in (*TEXT, "funding_type", "workflow", "exclusive_group")
    }
    data |= {
        "code": policy.code,
        "department": policy.department.code,
        "joint_review": list(policy.joint_review or []),
        "required_evidence": list(policy.required_evidence or []),
        "claimant_types": list(policy.claimant_types or []),
        "cap": f"{policy.cap:.2f}",
        "signoff_threshold": f"{policy.signoff_threshold:.2f}" if policy.signoff_threshold else "",
        "promise_days": str(policy.promise_days or ""),
        "publicity_days": str(policy.publicity_days or ""),
        "offer_days": str(policy.offer_days or ""),
        "proactive": policy.proactive,
        "window_open": policy.window_open.isoformat(),
        "window_close": policy.window_close.isoformat(),
        "requires_government_approval": policy.requires_government_approval,
        "rewards_people": policy.rewards_people,
        "rule_type": rule.get("type", ""),
        "version": policy.version,
        "call_year": str(policy.call_year),
        **{name: str(rule.get(key, "")) for name, key in RULE_FIELDS.items()},
        "eligibility": eligibility_text(policy.eligibility),
    }
    return data
