"""The publicity pages' forms: they hand the services plain values, which check them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, RadioField, SelectChoice, StringField, TextAreaField

from approvals import limits


class ObjectionForm(FlaskForm):
    name = StringField(_l("姓名或单位名称"), render_kw={"maxlength": 64, "autocomplete": "name"})
    phone = StringField(_l("联系电话"), render_kw={"maxlength": 20, "autocomplete": "tel"})
    email = StringField(_l("电子邮箱"), render_kw={"maxlength": 254, "autocomplete": "email"})
    grounds = TextAreaField(
        _l("异议事实和理由"), render_kw={"maxlength": limits.COMMENT, "rows": 6}
    )
    evidence = FileField(_l("证明材料（PDF、JPEG 或 PNG，不超过 20 MB）"))


class ResolveForm(FlaskForm):
    outcome = RadioField(
        _l("处理结果"),
        choices=[
            SelectChoice("upheld", _l("异议成立：申报退回重新审核")),
            SelectChoice("dismissed", _l("异议不成立：维持公示结果")),
        ],
        validate_choice=False,  # the service checks it, with its message
    )
    reasons = TextAreaField(_l("处理意见和理由"), render_kw={"maxlength": 1900, "rows": 5})


class PublishForm(FlaskForm):
    policy = HiddenField()
