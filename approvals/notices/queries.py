"""Reading issued notices, with the same visibility as their claims."""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from approvals.access import can_view_payout_batches
from approvals.claims.services import get_visible
from approvals.errors import NotFound, error_body
from approvals.extensions import db
from approvals.notices.models import Notice, NoticeFile
from approvals.organisations.models import User


def notices_for(claim_id: int) -> list[Notice]:
    return list(
        db.session.scalars(select(Notice).where(Notice.claim_id == claim_id).order_by(Notice.id))
    )


def get_visible_notice(actor: User, notice_id: int) -> Notice:
    notice = db.session.scalar(
        select(Notice)
        .where(Notice.id == notice_id)
        .options(joinedload(Notice.file).undefer(NoticeFile.pdf))
    )
    if notice is None:
        raise NotFound("通知书不存在或无权查看")
    if notice.claim_id is None:  # a batch list: for the offices that handle payouts
        if not can_view_payout_batches(actor):
            raise NotFound("通知书不存在或无权查看")
    else:
        get_visible(actor, notice.claim_id)  # 404 unless the actor may see the claim
    return notice


RETRY_AFTER_SECONDS = 2  # a notice renders in well under a second once its turn comes


def still_rendering(notice: Notice):
    """The answer for a notice's PDF while it is pending: 202 with Retry-After, in the
    API's error shape (a browser's page polls it, approvals' app.js)."""
    body = error_body("notice_pending", _("通知书正在生成，请稍后再试"), {"number": notice.number})
    return jsonify(body), 202, {"Retry-After": str(RETRY_AFTER_SECONDS)}
