"""The officials' queues, and finance acting on several claims at once."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from approvals.access.pages import OFFICIALS, roles_required, safe_next
from approvals.access.roles import POSITION_LABELS, ROLE_LABELS
from approvals.claims import queries
from approvals.claims.forms import BatchForm, QueueFilterForm, options
from approvals.claims.models import Claim
from approvals.errors import DomainError, Invalid
from approvals.extensions import db
from approvals.finance import confirmations
from approvals.finance import routes as finance_routes
from approvals.i18n import N_
from approvals.limits import parse_id
from approvals.organisations.models import Enterprise
from approvals.web import bp
from approvals.web.filters import label, policy_title, state_label, state_name_label
from approvals.workflow import tasks
from approvals.workflow.models import ReviewTask
from approvals.workflow.registry import workflows
from approvals.workflow.runtime import advance, available_transitions
from approvals.workflow.spec import TransitionSpec

# The fields of a bulk move the bar carries: one value for every ticked claim.
BULK_FIELDS = ("payment_reference", "comment")


def bulk_moves() -> dict[str, TransitionSpec]:
    """The moves the workflows offer for several claims at once (marked `bulk`), by trigger:
    each trigger's first declaration in the newest version of each workflow."""
    moves: dict[str, TransitionSpec] = {}
    for engine in workflows().latest():
        for t in engine.spec.with_effect("bulk"):
            moves.setdefault(t.trigger, engine.spec.first(t.trigger))
    return moves


def _filter_form() -> tuple[QueueFilterForm, queries.QueueFilter]:
    form = QueueFilterForm(request.args)
    policies = queries.queue_policies(current_user)
    form.policy.choices = options(
        [("", _("全部政策"))] + [(p.code, f"{p.code} {policy_title(p)}") for p in policies]
    )
    states = queries.queue_states(current_user)
    form.state.choices = options([("", _("全部状态"))] + [(s, state_name_label(s)) for s in states])
    if not form.validate():
        return form, queries.QueueFilter()
    chosen = queries.QueueFilter(
        policy=form.policy.data or None,
        state=form.state.data or None,
        overdue=form.overdue.data,
        newest_first=form.order.data == "newest",
    )
    return form, chosen


def _batch_form(shown: list[Claim] | None = None) -> BatchForm:
    """The bulk bar; on the queue page it offers only what some claim shown there allows
    (the confirmation page then checks the selection: every claim must allow it)."""
    form = BatchForm()
    moves = bulk_moves()
    if shown is not None:
        offered = {t.trigger for c in shown for t in available_transitions(current_user, c)}
        moves = {trigger: t for trigger, t in moves.items() if trigger in offered}
    form.trigger.choices = options([(trigger, label(t.label)) for trigger, t in moves.items()])
    return form


# The tabs of the review tasks (待办审核任务): awaiting a decision (held or not), held, decided.
TASK_TABS = {"open": N_("待办"), "claimed": N_("已认领"), "done": N_("已办")}


@dataclass(frozen=True)
class TaskList:
    """One page of the review tasks the official may act on or holds, with their claims."""

    status: str  # a key of TASK_TABS
    rows: list[tuple[ReviewTask, Claim]]
    next_cursor: str | None
    args: dict  # the page's other arguments, kept by the tabs and the pager


def _task_list(size: int) -> TaskList | None:
    """The review tasks section, paged by its own cursor beside the claims'; None for an
    official with no task at all (the section is left out)."""
    status = request.args.get("tasks", "open")
    cursor = request.args.get("tasks_after")
    after = parse_id(cursor) if cursor else None
    if cursor and after is None:
        raise Invalid("tasks_after 无效", fields={"tasks_after": "无效"})
    rows, next_cursor = tasks.queue(current_user, Claim, status=status, limit=size, cursor=after)
    # Nothing waits and no tab was asked for: show the section only to one who ever had a task.
    unasked = not rows and "tasks" not in request.args
    if unasked and not tasks.queue(current_user, Claim, status="done", limit=1)[0]:
        return None
    # Their enterprises in one read: each claim's then finds its own in the session.
    ids = {claim.enterprise_id for _task, claim in rows}
    list(db.session.scalars(db.select(Enterprise).where(Enterprise.id.in_(ids))))
    args = {k: v for k, v in request.args.items() if k not in ("tasks", "tasks_after")}
    return TaskList(status, rows, next_cursor, args)


@bp.get("/queue")
@roles_required(*OFFICIALS)
def queue():
    form, chosen = _filter_form()
    size = current_app.config["QUEUE_PAGE_SIZE"]
    claims, next_cursor = queries.queue_page(
        current_user, chosen, after=request.args.get("after"), size=size
    )
    counts = queries.queue_counts(current_user, chosen.policy)
    batch = _batch_form(claims) if current_user.role == "finance" else None
    args = {k: v for k, v in request.args.items() if k != "after"}
    return render_template(
        "queue/queue.html",
        form=form,
        claims=claims,
        counts=counts,
        next_cursor=next_cursor,
        args=args,
        batch=batch,
        task_list=_task_list(size),
        task_tabs=TASK_TABS,
        role_labels=ROLE_LABELS,
        position_labels=POSITION_LABELS,
    )


@bp.post("/queue/batch")
@roles_required("finance")
def batch():
    """First POST: what the action will do to the selection; second (confirmed) POST: do it."""
    form = _batch_form()
    back = safe_next(request.form.get("next")) if request.form.get("next") else url_for("web.queue")
    if not form.validate_on_submit() or not form.selected():
        flash(_("请先勾选申报并选择批量操作。"), "error")
        return redirect(back)
    selected, trigger = form.selected(), form.trigger.data
    # The server decides which actions suit every selected claim; others are refused.
    moves = bulk_moves()
    why = confirmations.refusals(current_user, selected, tuple(moves))
    if why[trigger] or not finance_routes.confirmed():
        return _bulk_confirmation(form, why, back)
    # What the move requires, from the bar: a payout its reference, an approval the opinion
    # its notice prints.
    required = moves[trigger].requires
    payload = {name: getattr(form, name).data for name in BULK_FIELDS if name in required}
    for number, message, ok in fire_each(selected, trigger, payload):
        flash(f"{number}：{message}", "success" if ok else "error")
    return redirect(back)


def _bulk_confirmation(form: BatchForm, why: dict, back: str):
    trigger, selected = form.trigger.data, form.selected()
    names = {c.value: c.label for c in form.trigger.choices}
    common = [(t, names[t]) for t in bulk_moves() if not why[t]]
    problem = None
    if why[trigger]:
        refused = "；".join(f"{number}（{reason}）" for number, reason in why[trigger].items())
        problem = _(
            "“%(action)s”不能用于所选的全部申报：%(refused)s。",
            action=names[trigger],
            refused=refused,
        )
        problem += " " + (
            _("所选申报都可执行的操作：%(actions)s。", actions="、".join(n for _t, n in common))
            if common
            else _("所选申报没有都可执行的批量操作，请分开办理。")
        )
    carry = {
        "claims": [f"{claim_id}:{version}" for claim_id, version in selected],
        "trigger": trigger,
        "payment_reference": form.payment_reference.data or "",
        "comment": form.comment.data or "",
        "next": back,
    }
    return finance_routes.render_confirmation(
        confirmations.bulk_confirmation(
            current_user,
            selected,
            names[trigger],
            [(_("复核意见"), form.comment.data), (_("拨付凭证号"), form.payment_reference.data)],
        ),
        action_url=url_for("web.batch"),
        cancel_url=back,
        carry=carry,
        confirm_label=_("确认办理"),
        problem=problem,
        choices=common,
        status=422 if problem else 200,
    )


def fire_each(selected: list[tuple[int, int]], trigger: str, payload: dict):
    """advance() once per claim, each its own transaction; yields (number, outcome, ok)."""
    for claim_id, version in selected:
        claim = db.session.get(Claim, claim_id)
        number = claim.number if claim is not None else f"#{claim_id}"
        try:
            advance(current_user, claim_id, trigger, version=version, **payload)
        except DomainError as exc:
            yield number, _(exc.message), False
        else:
            yield number, _("已办理，现为“%(state)s”", state=state_label(claim)), True
