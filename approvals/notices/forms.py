"""Forms of the public verification page."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from approvals import limits


class LookupForm(FlaskForm):
    code = StringField(
        "验证码",
        validators=[DataRequired("请输入通知书上的验证码"), Length(max=limits.VERIFICATION_CODE)],
    )


class CompareForm(FlaskForm):
    file = FileField("通知书 PDF 文件", validators=[FileRequired("请选择要核验的 PDF 文件")])
