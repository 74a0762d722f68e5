"""Sign-in, sign-up and invitation forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class SignInForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired()])
    password = PasswordField(_l("密码"), validators=[DataRequired()])
    next = HiddenField()


class _NewUser(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(), Length(max=64)])
    display_name = StringField(_l("姓名"), validators=[Length(max=64)])
    password = PasswordField(_l("密码（至少8位）"), validators=[DataRequired(), Length(min=8)])
    confirm = PasswordField(
        _l("再次输入密码"),
        validators=[DataRequired(), EqualTo("password", _l("两次输入的密码不一致"))],
    )


class SignUpForm(_NewUser):
    enterprise_name = StringField(_l("企业名称"), validators=[DataRequired(), Length(max=128)])
    credit_code = StringField(
        _l("统一社会信用代码"), validators=[DataRequired(), Length(min=18, max=18)]
    )


class InviteForm(_NewUser):
    """An enterprise user creates an account for a colleague of the same enterprise."""
