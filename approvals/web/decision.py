"""The claim page's one decision form: one opinion box, the fields the offered moves need,
and a button per move, so that what an official types belongs to the decision, not to a
button, and survives a refused submission."""

from __future__ import annotations

from flask_babel import gettext as _

from approvals.claims.forms import DecisionForm
from approvals.policies.amount_rules import maximum_for
from approvals.web.filters import label


def decision_form(claim, moves, posted: DecisionForm | None = None) -> DecisionForm:
    """The form as posted (with what was typed and its errors), else a fresh one."""
    if posted is not None:
        return posted
    values = {"version": claim.version}
    if any("approved_amount" in t.requires for t in moves):
        values["approved_amount"] = f"{suggested_amount(claim):.2f}"
    return DecisionForm(formdata=None, **values)


def suggested_amount(claim):
    """What a reviewer may approve at most: the request, or the rule's maximum if lower."""
    return min(claim.requested_amount, maximum_for(claim).maximum)


def needed_by(moves) -> dict[str, str]:
    """field → the moves that need it, in words ("退回补正、初审不予支持"), for the hints."""
    needs: dict[str, list[str]] = {}
    for move in moves:
        for name in move.requires:
            needs.setdefault(name, []).append(label(move.label))
    return {name: _("、").join(labels) for name, labels in needs.items()}
