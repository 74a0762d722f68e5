"""The claim page's one decision form: one opinion box, an input per field the offered moves
need (declared once, approvals/workflow/fields.py), and a button per move, so that what an
official types belongs to the decision, not to a button, and survives a refused submission.

A move marked `confirm` in the workflow file is shown first on a confirmation page with the
values typed, already checked; only the second POST, confirmed, takes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from flask import current_app, render_template, request
from flask_babel import gettext as _

from approvals.claims import panels as page_panels
from approvals.claims.forms import DecisionForm, decision_form_class, with_choices
from approvals.errors import Invalid
from approvals.i18n import label
from approvals.workflow import fields as transition_fields
from approvals.workflow.fields import Field
from approvals.workflow.registry import catalog, engine_for
from approvals.workflow.runtime import available_transitions
from approvals.workflow.spec import TransitionSpec

CONFIRM = "confirm"  # the marker of a move taken only after its confirmation page


@dataclass
class Offer:
    """The moves the claim page offers this user, and those done elsewhere (a payout taken
    through the claim's batch), each with where."""

    panels: dict  # what other features show on the page (approvals/claims/panels.py)
    here: list[TransitionSpec] = field(default_factory=list)
    elsewhere: list[tuple[TransitionSpec, str]] = field(default_factory=list)

    def move(self, trigger: str) -> TransitionSpec | None:
        return next((t for t in self.here if t.trigger == trigger), None)

    def done_elsewhere(self, trigger: str) -> str | None:
        return next((where for t, where in self.elsewhere if t.trigger == trigger), None)


def offer(actor, claim) -> Offer:
    offered = Offer(page_panels.build_all(actor, claim))
    for transition in available_transitions(actor, claim):
        where = page_panels.elsewhere(offered.panels, transition)
        if where:
            offered.elsewhere.append((transition, where))
        else:
            offered.here.append(transition)
    return offered


def declared_for(moves) -> tuple[Field, ...]:
    """The fields to ask for: each one an offered move requires, and those kept with any
    move; the opinion box (kept when given) last, below the figures."""
    fields = catalog(current_app).fields
    wanted = {name for move in moves for name in move.requires}
    chosen = [spec for spec in fields.values() if spec.name in wanted or spec.kept_when_given]
    return tuple(sorted(chosen, key=lambda spec: spec.kept_when_given))


def posted_form(moves) -> DecisionForm:
    """The decision as posted, with the inputs of the moves the page offered."""
    return decision_form_class(declared_for(moves))()


def decision_form(claim, moves, posted: DecisionForm | None = None) -> DecisionForm:
    """The form as posted (with what was typed and its errors), else a fresh one with each
    field's initial value. If the claim moved on since, what was typed is carried into the
    form its moves now need."""
    form_class = decision_form_class(declared_for(moves))
    if type(posted) is form_class:
        return with_choices(posted, claim)
    if posted is not None:
        data = {**posted.typed(), "version": claim.version}
    else:
        data = {spec.name: spec.initial(claim) for spec in form_class.declared}
        data["version"] = claim.version
    return with_choices(form_class(formdata=None, data=data), claim)


def needed_by(moves) -> dict[str, str]:
    """field → the moves that need it, in words ("退回补正、初审不予支持"), for the hints."""
    needs: dict[str, list[str]] = {}
    for move in moves:
        for name in move.requires:
            needs.setdefault(name, []).append(label(move.label))
    return {name: _("、").join(labels) for name, labels in needs.items()}


def ending(claim, moves) -> set[str]:
    """The triggers of the moves into a final state: shown as dangerous."""
    states = engine_for(claim).spec.states
    return {move.trigger for move in moves if states[move.dest].final}


def confirmed_first(moves) -> str:
    """The moves shown on a confirmation page before they are taken, in words."""
    return _("、").join(label(move.label) for move in moves if CONFIRM in move.effects)


def to_confirm(move: TransitionSpec | None) -> bool:
    """A `confirm` move posted from the claim page, not yet from its confirmation page."""
    return move is not None and CONFIRM in move.effects and request.form.get("confirmed") != "1"


def revising() -> bool:
    """Back from the confirmation page to change what was typed."""
    return request.form.get("revise") == "1"


def confirmation_page(claim, move: TransitionSpec, form: DecisionForm):
    """What `move` will do with the values typed, checked by their fields first (a problem
    raises Invalid, shown on the claim page); its form posts them again, confirmed."""
    fields = catalog(current_app).fields
    typed = form.payload(move.requires)
    values, errors = transition_fields.validate(fields, claim, move.requires, typed)
    if errors:
        raise Invalid("；".join(errors.values()), fields=errors)
    page = render_template(
        "claims/confirm.html",
        claim=claim,
        move=move,
        dest=engine_for(claim).spec.states[move.dest],
        shown=[(label(fields[n].label), _shown(fields[n], v)) for n, v in values.items()],
        carry=typed,
        version=form.version.data,
    )
    return page, 200


def _shown(spec: Field, value) -> str:
    if spec.widget == "amount":
        return f"{Decimal(value):,.2f}"
    return str(value)
