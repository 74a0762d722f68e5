"""Forms of the claim pages and queues; they hand services plain values, never themselves."""

from __future__ import annotations

from functools import lru_cache
from typing import ClassVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from approvals import limits
from approvals.i18n import label
from approvals.policies.amount_rules import input_fields
from approvals.workflow.fields import Field


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, text) for value, text in pairs]


def amount_input_values(policy, formdata) -> dict | None:
    """The inputs of the policy's amount rule, posted as amount_inputs-<name>."""
    fields = input_fields(policy.amount_rule)
    if not fields:
        return None
    return {f.name: (formdata.get(f"amount_inputs-{f.name}") or "").strip() for f in fields}


class ClaimForm(FlaskForm):
    project_title = StringField(
        _l("项目名称"), validators=[DataRequired(), Length(max=limits.PROJECT_TITLE)]
    )
    # Amounts stay text here: the service parses them into Decimal yuan with its own messages.
    requested_amount = StringField(_l("申报金额（元）"), validators=[DataRequired()])
    version = HiddenField()

    def changes(self, policy, formdata) -> dict:
        values = {
            "project_title": self.project_title.data,
            "requested_amount": self.requested_amount.data,
        }
        inputs = amount_input_values(policy, formdata)
        if inputs is not None:
            values["amount_inputs"] = inputs
        return values

    def version_number(self) -> int | None:
        return limits.parse_id(self.version.data)


class RecognitionClaimForm(ClaimForm):
    """A claim under a tax-share clause (税收分成认定): no amount is asked, the outcome is a
    share and a period the departments give."""

    requested_amount = None

    def changes(self, policy, formdata) -> dict:
        return {"project_title": self.project_title.data}


def claim_form(policy, **kwargs) -> ClaimForm:
    """The claim form a policy asks for."""
    return (RecognitionClaimForm if policy.is_recognition else ClaimForm)(**kwargs)


class RewardRecipientForm(FlaskForm):
    """One person the claim rewards (有功人员); the service checks the identity number (GB
    11643), the account and the amount, in its own words."""

    name = StringField(_l("姓名"), validators=[DataRequired(), Length(max=64)])
    id_number = StringField(_l("身份证号码"), validators=[DataRequired(), Length(max=18)])
    amount = StringField(_l("奖励金额（元）"), validators=[DataRequired()])
    bank_name = StringField(_l("开户银行"), validators=[DataRequired(), Length(max=128)])
    bank_account = StringField(_l("本人银行账号"), validators=[DataRequired(), Length(max=64)])
    contribution = StringField(_l("主要贡献"), validators=[Length(max=200)])

    def values(self) -> dict:
        return {name: self[name].data for name in RECIPIENT_FIELDS}


RECIPIENT_FIELDS = ("name", "id_number", "amount", "bank_name", "bank_account", "contribution")


class OnBehalfForm(FlaskForm):
    """全程代办, first step: whose claim, under which clause of the official's department; the
    claim's own fields follow on the same page (ClaimForm)."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    claimant = StringField(
        _l("申报单位（统一社会信用代码或名称）"),
        validators=[Optional(), Length(max=limits.ENTERPRISE_NAME)],
    )
    policy = SelectField(_l("政策条款"), validators=[Optional()], default="")


class AgencyConsentForm(FlaskForm):
    """The claimant's consent to an agency filing, against the version the page showed."""

    version = IntegerField(validators=[InputRequired()])


class AttachmentForm(FlaskForm):
    kind = SelectField(_l("材料类别"), validators=[DataRequired()])
    file = FileField(_l("文件（PDF、JPEG 或 PNG，不超过 20 MB）"), validators=[FileRequired()])


class DeclaredInputs(FlaskForm):
    """A form with one input per declared field (approvals/workflow/fields.py) in `declared`,
    made per set of fields by a class factory; this one has none."""

    declared: ClassVar[tuple[Field, ...]] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for spec in self.declared:  # the class is shared: its labels are the reader's
            self[spec.name].label.text = label(spec.label)


class DecisionForm(DeclaredInputs):
    """One decision on a claim: the move, the version the page showed, and one input per
    declared field the offered moves need (`decision_form_class`)."""

    trigger = HiddenField(validators=[DataRequired()])
    version = IntegerField(validators=[InputRequired()])

    def payload(self, requires: tuple[str, ...]) -> dict[str, str]:
        """What was typed for the fields a move requires and those kept when given."""
        return {
            spec.name: self[spec.name].data
            for spec in self.declared
            if self[spec.name].data and (spec.name in requires or spec.kept_when_given)
        }

    def typed(self) -> dict[str, str]:
        """Every declared field as typed, to carry into another form."""
        return {spec.name: self[spec.name].data for spec in self.declared}


@lru_cache(maxsize=64)
def decision_form_class(declared: tuple[Field, ...]) -> type[DecisionForm]:
    """The decision form asking for `declared`, in that order."""
    inputs = {spec.name: _input(spec) for spec in declared}
    return type("DecisionForm", (DecisionForm,), {**inputs, "declared": declared})


def _input(spec: Field):
    checks = [Length(max=spec.max_length)] if spec.max_length else []
    if getattr(spec, "choices", None) is not None:
        # Its choices depend on the claim: set with the claim (`with_choices`). Any other
        # value posted is the field parser's to refuse, in its words.
        return SelectField(spec.label.zh, validators=checks, choices=[], validate_choice=False)
    kind = TextAreaField if spec.widget == "textarea" else StringField
    # Text here whatever the widget: the field's parser says what is wrong with "abc" or 31,
    # in the page's words, as the API's callers hear it.
    return kind(spec.label.zh, validators=checks, render_kw=spec.input_attrs())


def with_choices(form: DecisionForm, claim) -> DecisionForm:
    """The choices of the form's select fields, for this claim, after a prompt to choose."""
    for spec in form.declared:
        if getattr(spec, "choices", None) is not None:
            form[spec.name].choices = options([("", _l("请选择")), *spec.choices(claim)])
    return form


class TaskDecisionForm(DeclaredInputs):
    """A decision on one review task, against the task's version the page showed. Whether a
    reason is needed (不同意, 退回) is the engine's rule (approvals/workflow/tasks.py), said
    in its words."""

    decision = RadioField(
        _l("审核意见"),
        choices=options(
            [("agree", _l("同意")), ("disagree", _l("不同意")), ("return", _l("退回"))]
        ),
        # Nothing chosen is said here, in the page's words; any other value is the engine's.
        validators=[InputRequired(message=_l("请选择审核意见：同意、不同意或退回"))],
        validate_choice=False,
    )
    opinion = TextAreaField(_l("意见"), validators=[Length(max=limits.COMMENT)])
    version = IntegerField(validators=[InputRequired()])
    # On a sign-off chain's first step (经办) it also asks for the values of the move the
    # chain fires (`task_form_class`).

    def prepared(self) -> dict[str, str]:
        """What was typed for the values the step prepares."""
        return {spec.name: self[spec.name].data for spec in self.declared}


@lru_cache(maxsize=64)
def task_form_class(declared: tuple[Field, ...]) -> type[TaskDecisionForm]:
    """The task decision form asking for `declared` too, in that order."""
    if not declared:
        return TaskDecisionForm
    inputs = {spec.name: _input(spec) for spec in declared}
    return type("TaskDecisionForm", (TaskDecisionForm,), {**inputs, "declared": declared})


class QueueFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    policy = SelectField(_l("政策条款"), validators=[Optional()], default="")
    state = SelectField(_l("状态"), validators=[Optional()], default="")
    overdue = BooleanField(_l("只看已超期"))
    order = SelectField(
        _l("排序"),
        choices=options([("oldest", _l("最早在先")), ("newest", _l("最新在先"))]),
        default="oldest",
    )


class BatchForm(FlaskForm):
    """Several claims at once; each choice is "id:version" as the page showed it."""

    trigger = SelectField(_l("批量操作"), validators=[DataRequired()])
    claims = SelectMultipleField(choices=[], validate_choice=False)
    payment_reference = StringField(
        _l("拨付凭证号（拨付时填写）"), validators=[Length(max=limits.PAYMENT_REFERENCE)]
    )
    # One opinion for every ticked claim: the notice of each finance approval prints it.
    comment = StringField(_l("复核意见（复核通过时填写）"), validators=[Length(max=limits.COMMENT)])

    def selected(self) -> list[tuple[int, int]]:
        pairs = []
        for value in self.claims.data or []:
            claim_id, _, version = (limits.parse_id(v) for v in value.partition(":"))
            if claim_id is not None and version is not None:
                pairs.append((claim_id, version))
        return pairs
