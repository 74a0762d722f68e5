"""The supervision page (督办): the 督办通知 issued, each with its PDF; for 市府办 and the
administrator all of them, for another office those addressed to it."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, render_template, send_file
from flask_login import current_user

from approvals.access.pages import roles_required
from approvals.access.rules import SUPERVISION_READERS, supervisions_seen
from approvals.i18n import label
from approvals.notices.queries import still_rendering
from approvals.supervision import queries
from approvals.supervision.escalation import state_spec
from approvals.workflow.deadlines import last_day_of

bp = Blueprint("supervision", __name__, url_prefix="/supervision")


@bp.get("")
@roles_required(*SUPERVISION_READERS)
def index():
    return render_template(
        "supervision/index.html",
        supervisions=queries.visible(current_user),
        every=supervisions_seen(current_user) == "all",
        state_label=_state_label,
        last_day_of=last_day_of,
    )


def _state_label(supervision) -> str:
    """The state in the reader's language, from its workflow file (its name if gone)."""
    state = state_spec(supervision.workflow, supervision.state)
    return label(state.label) if state is not None else supervision.state


@bp.get("/<int:supervision_id>.pdf")
@roles_required(*SUPERVISION_READERS)
def pdf(supervision_id: int):
    supervision = queries.get_visible(current_user, supervision_id)
    notice = queries.notice_with_pdf(supervision)
    if notice.file is None:
        return still_rendering(notice)
    return send_file(
        BytesIO(notice.pdf),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"{notice.number}.pdf",
    )
