"""The form of 进度查询: a claim number and the claimant's credit code."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from approvals import limits


class ProgressForm(FlaskForm):
    number = StringField(
        _l("申报编号"),
        validators=[DataRequired(_l("请输入申报编号")), Length(max=32)],
        render_kw={"autocomplete": "off", "maxlength": 32},
    )
    credit_code = StringField(
        _l("统一社会信用代码"),
        validators=[DataRequired(_l("请输入统一社会信用代码")), Length(max=limits.CREDIT_CODE)],
        render_kw={"autocomplete": "off", "maxlength": limits.CREDIT_CODE},
    )
