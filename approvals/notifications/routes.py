"""The inbox pages (站内信) and the channel choice posted from the enterprise's profile."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from approvals import limits
from approvals.access.pages import roles_required
from approvals.errors import DomainError
from approvals.notifications import inbox
from approvals.notifications.forms import ChannelsForm

bp = Blueprint("inbox", __name__, url_prefix="/inbox")


@bp.get("")
@login_required
def index():
    # A message opens in the list (?open=<id>), which marks it read.
    opened = None
    wanted = request.args.get("open", type=int)
    if wanted is not None and 0 < wanted <= limits.ID_MAX:  # what an INTEGER column holds
        opened = inbox.open_message(current_user, wanted)
    return render_template(
        "notifications/inbox.html",
        messages=inbox.messages_for(current_user.id),
        unread=inbox.unread_count(current_user.id),
        opened=opened,
    )


@bp.post("/read")
@login_required
def read_all():
    count = inbox.mark_all_read(current_user)
    flash(_("已将%(count)d条消息标为已读。", count=count), "success")
    return redirect(url_for("inbox.index"))


@bp.post("/channels")
@roles_required("enterprise")
def channels():
    form = ChannelsForm()
    if form.validate_on_submit():
        try:
            inbox.set_channels(current_user, **{name: form[name].data for name in CHOICE})
        except DomainError as exc:
            for message in exc.fields.values() or [exc.message]:
                flash(_(message), "error")
        else:
            flash(_("通知方式已保存。"), "success")
    else:
        flash(_("页面已过期，请刷新后重试。"), "error")
    return redirect(url_for("auth.profile_page") + "#channels")


CHOICE = ("email", "email_address", "sms", "sms_phone")


def channels_form(enterprise) -> ChannelsForm:
    """The form for the profile page, filled with the enterprise's choice."""
    return ChannelsForm(formdata=None, data=inbox.channel_values(enterprise))
