"""The inbox (站内信): a user's messages, the unread count, reading them; and the channels an
enterprise chose for its messages besides the inbox."""

from __future__ import annotations

from sqlalchemy import func, select, update

from approvals.clock import current_time
from approvals.db import transaction
from approvals.errors import Forbidden, Invalid, NotFound
from approvals.extensions import db
from approvals.i18n import N_
from approvals.notifications.models import ChannelChoice, Message
from approvals.organisations.profile import EMAIL, MOBILE

PAGE = 50  # the newest; older ones stay on the claim pages' notices
NOT_YOURS = N_("消息不存在")


def unread_count(user_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Message)
        .where(Message.recipient_id == user_id, Message.read_at.is_(None))
    )


def messages_for(user_id: int, limit: int = PAGE) -> list[Message]:
    return list(
        db.session.scalars(
            select(Message)
            .where(Message.recipient_id == user_id)
            .order_by(Message.id.desc())
            .limit(limit)
        )
    )


def open_message(actor, message_id: int) -> Message:
    """The actor's message, read from now on; another's is not found."""
    message = db.session.get(Message, message_id)
    if message is None or message.recipient_id != actor.id:
        raise NotFound(NOT_YOURS)
    if message.read_at is None:
        with transaction():
            message.read_at = current_time()
    return message


def mark_all_read(actor) -> int:
    with transaction():
        return db.session.execute(
            update(Message)
            .where(Message.recipient_id == actor.id, Message.read_at.is_(None))
            .values(read_at=current_time())
        ).rowcount


# The enterprise's channels ------------------------------------------------------------


def channel_values(enterprise) -> dict:
    """The form's values: the choice made, else the profile's contact details to start."""
    choice = db.session.get(ChannelChoice, enterprise.id)
    if choice is None:
        return {
            "email": False,
            "email_address": enterprise.contact_email or "",
            "sms": False,
            "sms_phone": enterprise.contact_phone or "",
        }
    return {
        "email": choice.email,
        "email_address": choice.email_address,
        "sms": choice.sms,
        "sms_phone": choice.sms_phone,
    }


def set_channels(actor, *, email: bool, email_address: str, sms: bool, sms_phone: str):
    """Keep the enterprise's choice; an address is checked when its channel is on."""
    if actor.role != "enterprise" or actor.enterprise_id is None:
        raise Forbidden(N_("只有企业用户可以选择通知方式"))
    email_address, sms_phone = (email_address or "").strip(), (sms_phone or "").strip()
    errors = {}
    if (email or email_address) and not EMAIL.fullmatch(email_address):
        errors["email_address"] = N_("电子邮箱格式不正确")
    if (sms or sms_phone) and not MOBILE.fullmatch(sms_phone):
        errors["sms_phone"] = N_("请填写11位手机号码")
    if errors:
        raise Invalid("；".join(errors.values()), fields=errors)
    with transaction():
        choice = db.session.get(ChannelChoice, actor.enterprise_id)
        if choice is None:
            choice = ChannelChoice(enterprise_id=actor.enterprise_id)
            db.session.add(choice)
        choice.email, choice.email_address = bool(email), email_address
        choice.sms, choice.sms_phone = bool(sms), sms_phone
        choice.updated_at = current_time()
    return choice
