"""What templates may use: labels in the chosen language, money, local times, error pages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from flask import current_app, jsonify, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from approvals.access.tasks import STEP_LABELS
from approvals.claims.promise import promise_of
from approvals.claims.supplement import deadline_of
from approvals.clock import LOCAL
from approvals.errors import error_body, wants_json
from approvals.i18n import LANGUAGES, N_, dept_name, label, lang
from approvals.notices.facts import KIND_TITLES
from approvals.policies.vocabulary import EVIDENCE_KINDS
from approvals.web import bp
from approvals.workflow import migrate, runtime
from approvals.workflow.registry import catalog, engine_for, workflows
from approvals.workflow.task_spec import TASK_DECISION

# The queue a claim's state sits in says who acts next (workflow data, not code).
NEXT_STEP = {
    "enterprise": N_("待本企业完善材料并提交"),
    "department": N_("待职能部门初审"),
    "finance": N_("待市财政局办理"),
    "government": N_("待市政府审定"),
}


def _spec(claim):
    return engine_for(claim).spec


def state_label(claim) -> str:
    return _spec(claim).label(claim.state, lang())


def state_name_label(state: str, workflow: str | None = None) -> str:
    """A state's label in `workflow` (its newest version); without one, in the first
    workflow that declares the state (the queue's filter lists states of every workflow)."""
    if workflow is not None:
        return workflows().get(workflow).spec.label(state, lang())
    specs = [e.spec for e in workflows().latest()]
    spec = next((s for s in specs if state in s.states), specs[0])
    return spec.label(state, lang())


def trigger_label(claim, trigger: str) -> str:
    spec = _spec(claim)
    if trigger in spec.triggers:
        return label(spec.first(trigger).label)
    # A move between versions is the system's, named by no workflow (approvals/workflow/migrate.py).
    if trigger == migrate.MIGRATE:
        return label(migrate.LABEL)
    # So is a review task's decision, which moves nothing (approvals/workflow/tasks.py).
    return label(runtime.DECISION_LABEL) if trigger == TASK_DECISION else trigger


# A review task's decision, as its event's heading says it.
TASK_DECISION_WORDS = {"agree": N_("同意"), "disagree": N_("不同意"), "return": N_("退回")}


def is_task_decision(event) -> bool:
    return event.trigger == TASK_DECISION


def event_title(claim, event) -> str:
    """An event's heading: its move's label; for a review task's decision, what was decided
    at which step of a sign-off chain (经办：同意), or on a task outside one."""
    if not is_task_decision(event):
        return trigger_label(claim, event.trigger)
    payload = event.payload or {}
    step = payload.get("step")
    where = _(STEP_LABELS[step]) if step in STEP_LABELS else _("审核任务")
    decided = TASK_DECISION_WORDS.get(payload.get("decision"))
    return _("%(step)s：%(decision)s", step=where, decision=_(decided) if decided else "")


def acted_for(event) -> str | None:
    """The official a substitute decided for (委派), as the event's snapshot recorded them."""
    capacity = (event.snapshot or {}).get("actor") or {}
    return (capacity.get("on_behalf_of") or {}).get("name")


def next_step(claim) -> str:
    state = _spec(claim).states[claim.state]
    if state.final:
        return _("已办结")
    if "payable" in state.tags:
        return _("待市财政局拨付")
    if state.queue == "enterprise" and "editable" not in state.tags:
        return _("待本企业确认")  # nothing to fill in: an offer to accept (免申即享)
    return _(NEXT_STEP.get(state.queue or "", "—"))


def is_overdue(claim, now: datetime | None = None) -> bool:
    if claim.due_at is None or _spec(claim).states[claim.state].final:
        return False
    return (now or datetime.now(UTC)) >= claim.due_at


def local_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return value.astimezone(LOCAL).strftime(fmt) if value else "—"


def deadline(value: datetime | None) -> str:
    """due_at is the first instant past the deadline: show the last day still in time."""
    if value is None:
        return "—"
    return date.fromordinal(value.astimezone(LOCAL).date().toordinal() - 1).isoformat()


def money(value: Decimal | str | None) -> str:
    """Yuan with thousands separators; also the amounts stored as text (a batch's scaling)."""
    return "—" if value is None else f"{Decimal(value):,.2f}"


def percent(value: Decimal | str | None) -> str:
    """A ratio as a percentage to two places, in Decimal: 0.7500000000 → 75.00%."""
    return "—" if value is None else f"{Decimal(value) * 100:.2f}%"


def filesize(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def policy_title(policy) -> str:
    return policy.title_en or policy.title_zh if lang() == "en" else policy.title_zh


def event_fields(event) -> list[tuple[str, str]]:
    """What a move recorded of its declared fields, labelled as the claim page asked for
    them: amounts in yuan with separators, the rest as given (the opinion has its own line)."""
    declared = catalog(current_app).fields
    shown, payload = [], dict(event.payload or {})
    if is_task_decision(event):  # what a chain's first step prepared, as the move will carry it
        payload.update(payload.pop("prepared", None) or {})
    for name, value in payload.items():
        field = declared.get(name)
        if field is None or value in (None, ""):
            continue
        shown.append((label(field.label), money(value) if field.widget == "amount" else str(value)))
    return shown


@bp.app_context_processor
def template_helpers() -> dict:
    return {
        "lang": lang,
        "languages": LANGUAGES,
        "state_label": state_label,
        "state_name_label": state_name_label,
        "label": label,
        "next_step": next_step,
        "trigger_label": trigger_label,
        "event_title": event_title,
        "is_task_decision": is_task_decision,
        "acted_for": acted_for,
        "event_fields": event_fields,
        "is_overdue": is_overdue,
        "supplement_deadline": deadline_of,  # 补正期限 with the working days left
        "payout_promise": promise_of,  # 兑现时限 with the working days left, or kept
        "dept_name": dept_name,
        "policy_title": policy_title,
        "evidence_label": lambda kind: _(EVIDENCE_KINDS.get(kind, kind)),
        "notice_title": lambda kind: _(KIND_TITLES.get(kind, kind)),
        # Pages of other features appear in the navigation once they are installed.
        "has_endpoint": lambda name: name in current_app.view_functions,
    }


_FILTERS = {
    "local_time": local_time,
    "deadline": deadline,
    "money": money,
    "percent": percent,
    "filesize": filesize,
}
for _name, _filter in _FILTERS.items():
    bp.add_app_template_filter(_filter, _name)


def _error_page(exc, message: str):
    """Werkzeug's HTTP errors in the user's words; the API keeps its JSON shape."""
    if wants_json():
        code = (exc.name or "error").lower().replace(" ", "_")
        return jsonify(error_body(code, exc.description or exc.name)), exc.code
    return render_template("errors.html", status=exc.code, message=message), exc.code


# Messages for the HTTP errors a user can meet; the domain errors carry their own.
HTTP_MESSAGES = {
    403: N_("您的账号无权访问此页面。"),
    404: N_("页面不存在或无权查看。"),
    405: N_("不支持此操作方式，请从页面上的按钮操作。"),
    413: N_("文件过大：每个文件不能超过 20 MB。"),
    429: N_("登录失败次数过多，请稍等一分钟后再试。"),
}


@bp.app_errorhandler(CSRFError)
def csrf_error(exc):
    return _error_page(exc, _("页面已过期或缺少安全令牌，请返回后刷新页面再试。"))


def _http_error(exc):
    return _error_page(exc, _(HTTP_MESSAGES[exc.code]))


for _code in HTTP_MESSAGES:
    bp.app_errorhandler(_code)(_http_error)


@bp.after_app_request
def security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response
