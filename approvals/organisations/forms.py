"""Sign-in, sign-up, invitation, password and profile forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from approvals import limits
from approvals.organisations.models import Enterprise


class SignInForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired()])
    password = PasswordField(_l("密码"), validators=[DataRequired()])
    next = HiddenField()


class _NewUser(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(), Length(max=limits.USERNAME)])
    display_name = StringField(_l("姓名"), validators=[Length(max=limits.DISPLAY_NAME)])
    password = PasswordField(_l("密码（至少12个字符）"), validators=[DataRequired()])
    confirm = PasswordField(
        _l("再次输入密码"),
        validators=[DataRequired(), EqualTo("password", _l("两次输入的密码不一致"))],
    )


class SignUpForm(_NewUser):
    enterprise_name = StringField(
        _l("企业名称"), validators=[DataRequired(), Length(max=limits.ENTERPRISE_NAME)]
    )
    credit_code = StringField(
        _l("统一社会信用代码"),
        validators=[DataRequired(), Length(min=limits.CREDIT_CODE, max=limits.CREDIT_CODE)],
    )


class InviteForm(_NewUser):
    """An enterprise user creates an account for a colleague of the same enterprise."""


class _NewPassword(FlaskForm):
    """A new password, typed twice; the password rules live in organisations/passwords.py."""

    password = PasswordField(_l("新密码（至少12个字符）"), validators=[DataRequired()])
    confirm = PasswordField(
        _l("再次输入新密码"),
        validators=[DataRequired(), EqualTo("password", _l("两次输入的密码不一致"))],
    )


class PasswordChangeForm(_NewPassword):
    current_password = PasswordField(_l("当前密码"), validators=[DataRequired()])


class PasswordResetForm(_NewPassword):
    """Opened from an administrator's one-time link."""


def _fits(column: str) -> Length:
    """Length(max=…) of the enterprises column the field is stored in."""
    return Length(max=limits.column_length(Enterprise, column))


class ProfileForm(FlaskForm):
    """企业信息 and the payee account; the profile service judges every value."""

    legal_representative = StringField(_l("法定代表人"), validators=[_fits("legal_representative")])
    contact_name = StringField(_l("联系人"), validators=[_fits("contact_name")])
    contact_phone = StringField(_l("联系人手机"), validators=[_fits("contact_phone")])
    contact_email = StringField(_l("电子邮箱"), validators=[_fits("contact_email")])
    bank_name = StringField(_l("开户银行"), validators=[_fits("bank_name")])
    bank_account = StringField(_l("银行账号"), validators=[_fits("bank_account")])
    account_name = StringField(_l("账户名称"), validators=[_fits("account_name")])
