"""Forms of the claim pages and queues; they hand services plain values, never themselves."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from approvals import limits
from approvals.policies.amount_rules import input_fields


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


class AttachmentForm(FlaskForm):
    kind = SelectField(_l("材料类别"), validators=[DataRequired()])
    file = FileField(_l("文件（PDF、JPEG 或 PNG，不超过 20 MB）"), validators=[FileRequired()])


class DecisionForm(FlaskForm):
    """One action on a claim; which fields matter comes from the transition's `requires`."""

    trigger = HiddenField(validators=[DataRequired()])
    version = IntegerField(validators=[InputRequired()])
    approved_amount = StringField(_l("核定金额（元）"))
    comment = TextAreaField(_l("意见"), validators=[Length(max=limits.COMMENT)])
    payment_reference = StringField(
        _l("拨付凭证号"), validators=[Length(max=limits.PAYMENT_REFERENCE)]
    )
    # Text here: the service says what is wrong with "abc" or 31, in the page's words.
    supplement_days = StringField(_l("补正期限（工作日）"), default="10")

    def payload(self) -> dict:
        names = ("approved_amount", "comment", "payment_reference", "supplement_days")
        return {name: self[name].data for name in names if self[name].data}


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
