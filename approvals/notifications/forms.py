"""The enterprise's choice of channels, on its profile page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import Length


class ChannelsForm(FlaskForm):
    email = BooleanField(_l("电子邮件"))
    email_address = StringField(_l("接收通知的电子邮箱"), validators=[Length(max=254)])
    sms = BooleanField(_l("手机短信"))
    sms_phone = StringField(_l("接收短信的手机号码"), validators=[Length(max=20)])
