"""Forms of the calculator and of the profile facts; they hand services plain values."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectChoice, SelectField, StringField

from approvals.eligibility.vocabulary import FIGURES, QUALIFICATIONS, SIZES


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, text) for value, text in pairs]


def _sizes():
    return _choices([("", _("未填写"))] + [(k, _(v)) for k, v in SIZES.items()])


def _money(text):
    return StringField(text, render_kw={"inputmode": "decimal"})


class BasicsForm(FlaskForm):
    industry_code = StringField(_l("行业代码（GB/T 4754）"), render_kw={"maxlength": 5})
    size = SelectField(_l("企业规模"), validate_choice=False)
    established_on = StringField(_l("成立日期"), render_kw={"type": "date"})

    def offer(self) -> BasicsForm:
        self.size.choices = _sizes()
        return self

    def values(self) -> dict:
        return {name: self[name].data for name in ("industry_code", "size", "established_on")}


class FiguresForm(FlaskForm):
    year = StringField(_l("年度"), render_kw={"inputmode": "numeric", "maxlength": 4})
    rd_spend = _money(_l("研发投入（元）"))
    revenue = _money(_l("营业收入（元）"))
    investment = _money(_l("固定资产投资（元）"))

    def values(self) -> dict:
        return {name: self[name].data for name in ("year", *FIGURES)}


class QualificationForm(FlaskForm):
    kind = SelectField(_l("资质类型"), validate_choice=False)
    certificate_number = StringField(_l("证书编号"), render_kw={"maxlength": 64})
    valid_from = StringField(_l("有效期起"), render_kw={"type": "date"})
    valid_until = StringField(_l("有效期至"), render_kw={"type": "date"})
    file = FileField(_l("证书文件（PDF、JPEG 或 PNG）"))
    attachment_id = SelectField(_l("或选择已上传的申报材料"), validate_choice=False)

    def offer(self, attachments) -> QualificationForm:
        self.kind.choices = _choices(
            [("", _("请选择"))] + [(k, _(v)) for k, v in QUALIFICATIONS.items()]
        )
        self.attachment_id.choices = _choices(
            [("", _("不选择"))]
            + [(str(a.id), f"{a.claim.number} · {a.filename}") for a in attachments]
        )
        return self

    def values(self) -> dict:
        upload = self.file.data
        picked = (self.attachment_id.data or "").strip()
        return {
            "kind": self.kind.data,
            "certificate_number": self.certificate_number.data,
            "valid_from": self.valid_from.data,
            "valid_until": self.valid_until.data,
            "file": (upload.read(), upload.filename) if upload else None,
            "attachment_id": int(picked) if picked.isascii() and picked.isdigit() else None,
        }


class RemoveForm(FlaskForm):
    qualification_id = HiddenField()


class CalculatorForm(FlaskForm):
    """What a visitor types into the calculator (a GET form: it changes nothing)."""

    class Meta:
        csrf = False

    entered = HiddenField(default="1")
    industry_code = StringField(_l("行业代码（GB/T 4754，如 C3511）"), render_kw={"maxlength": 5})
    size = SelectField(_l("企业规模"), validate_choice=False)
    established_on = StringField(_l("成立日期"), render_kw={"type": "date"})
    rd_spend = _money(_l("上年度研发投入（元）"))
    revenue = _money(_l("上年度营业收入（元）"))
    investment = _money(_l("上年度固定资产投资（元）"))
    principal = _money(_l("贷款本金（元，贷款贴息类）"))
    annual_rate = StringField(_l("年利率（%）"), render_kw={"inputmode": "decimal"})
    months = StringField(_l("贴息月数"), render_kw={"inputmode": "numeric", "maxlength": 3})

    def offer(self) -> CalculatorForm:
        self.size.choices = _sizes()
        return self

    def qualification_fields(self):
        return [self[f"until_{kind}"] for kind in QUALIFICATIONS]


# One date per qualification: the day its certificate is valid until (blank: not held).
for _kind, _label in QUALIFICATIONS.items():
    setattr(
        CalculatorForm,
        f"until_{_kind}",
        StringField(_l("%(name)s证书有效期至", name=_l(_label)), render_kw={"type": "date"}),
    )
