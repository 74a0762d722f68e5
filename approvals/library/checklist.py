"""The itemised 补正: the checklist a reviewer ticks when returning a claim for supplement.

The items are the claim's evidence files (`file-<attachment id>`) and the evidence kinds
(`business_licence`, …: the clause's required kinds are offered, any known kind is taken).
The checklist is one declared transition field, `supplement_items`, taken with the move when
given (claims returned without one work as before): its text is one item a line, the key and
an optional remark after a colon (`business_licence：已过期，请上传有效版本`), the API's form
and what the claim page composes from its ticks. The move's event keeps both the numbered
list as the history prints it (`supplement_items`) and the items themselves
(`supplement_checklist`: key, kind, label, remark), which the enterprise answers one by one
(approvals/library/answers.py) and the 补正通知书 prints.
"""

from __future__ import annotations

import re

from approvals.claims.tagged import is_tagged
from approvals.errors import Invalid
from approvals.i18n import N_
from approvals.library.models import REPLY_MAX
from approvals.notices.facts import supplement_lines
from approvals.policies.vocabulary import EVIDENCE_KINDS
from approvals.workflow.fields import Field
from approvals.workflow.registry import engine_for
from approvals.workflow.spec import Label

NAME = "supplement_items"
CHECKLIST = "supplement_checklist"  # the event payload's key for the items themselves
TAG = "awaiting_supplement"
MAX_ITEMS = 40
REMARK_MAX = REPLY_MAX
TEXT_MAX = MAX_ITEMS * (REMARK_MAX + 50)
_SEPARATOR = re.compile(r"\s*[:：]\s*")
# The claim page's inputs: a box per item, and its remark.
TICK = "supplement_item"
ONLY_WITH_RETURN = N_("补正清单只能随退回补正一并提交")
REMARK = "supplement_remark-"


def _kind_label(kind: str) -> str:
    return EVIDENCE_KINDS.get(kind, kind)


def items_of(claim) -> list[dict]:
    """What the reviewer may tick: each evidence file of the claim, then each kind the
    clause requires (said missing when no file of it is there)."""
    present = {a.kind for a in claim.attachments}
    files = [
        {
            "key": f"file-{a.id}",
            "kind": a.kind,
            "label": f"{_kind_label(a.kind)}：{a.filename}",
        }
        for a in claim.attachments
    ]
    kinds = [
        {
            "key": kind,
            "kind": kind,
            "label": _kind_label(kind) + ("" if kind in present else "（未提交）"),
        }
        for kind in claim.terms.required_evidence
    ]
    return files + kinds


def _known(claim) -> dict[str, dict]:
    known = {item["key"]: item for item in items_of(claim)}
    for kind in EVIDENCE_KINDS:
        known.setdefault(kind, {"key": kind, "kind": kind, "label": _kind_label(kind)})
    return known


class Checklist(str):
    """The ticked items: as text, the numbered list the claim's history prints; `items`, the
    items themselves, which the field's applier records in the event's payload."""

    items: tuple[dict, ...]

    def __new__(cls, items: list[dict]):
        lines = supplement_lines({CHECKLIST: items})
        text = "；".join(f"{n}. {line}" for n, line in enumerate(lines, 1))
        made = super().__new__(cls, text)
        made.items = tuple(items)
        return made


def parse(claim, value) -> tuple[Checklist | None, str | None]:
    if not isinstance(value, str):
        return None, N_("补正清单应为文字，每行一项")
    lines = [text.strip() for text in value.splitlines() if text.strip()]
    if not lines:
        return None, N_("补正清单为空：请勾选需要补正的材料，或不提交清单")
    if len(lines) > MAX_ITEMS:
        return None, f"补正清单不能超过{MAX_ITEMS}项"
    known, items, seen = _known(claim), [], set()
    for text in lines:
        key, remark = _split(text)
        if key not in known:
            return None, f"补正清单中的“{key[:40]}”不是该申报的材料或材料类别"
        if key in seen:
            return None, f"补正清单中的“{known[key]['label']}”重复"
        if len(remark) > REMARK_MAX:
            return None, f"每项补正说明不能超过{REMARK_MAX}字"
        seen.add(key)
        items.append({**known[key], "remark": remark})
    return Checklist(items), None


def _split(text: str) -> tuple[str, str]:
    """A line's key, and its remark after the first colon (either width)."""
    parts = _SEPARATOR.split(text, maxsplit=1)
    return parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")


def apply(claim, checklist: Checklist, today) -> dict:
    """Recorded with a return for supplement only: the claim has just entered a state that
    awaits it (the move has fired when fields are applied)."""
    if not is_tagged(claim, TAG):
        raise Invalid(ONLY_WITH_RETURN, fields={NAME: ONLY_WITH_RETURN})
    return {CHECKLIST: list(checklist.items)}


FIELD = Field(
    NAME,
    Label("补正事项清单", "Items to supplement"),
    "textarea",
    parse,
    apply,
    hint=Label("勾选需补正的材料，可逐项说明", "Tick each item to supplement, with a remark"),
    max_length=TEXT_MAX,
    kept_when_given=True,
)


def posted_text(form) -> str:
    """The field's text from the claim page's checklist: one line per ticked item."""
    lines = []
    for key in form.getlist(TICK):
        remark = " ".join((form.get(REMARK + key) or "").split())
        lines.append(f"{key}：{remark}" if remark else key)
    return "\n".join(lines)


def returning_moves(actor, claim) -> set[str]:
    """The triggers from the claim's state into one awaiting supplement that `actor`'s role
    may take: their button posts the checklist with the decision."""
    spec = engine_for(claim).spec
    return {
        t.trigger
        for t in spec.from_state(claim.state)
        if actor.role in t.roles and spec.has_tag(t.dest, TAG)
    }


def return_event(claim):
    """The claim's latest return for supplement: the last event into a state awaiting it
    from one that does not (a migration renaming the state is no return)."""
    spec = engine_for(claim).spec
    for event in reversed(claim.events):
        if spec.has_tag(event.to_state, TAG) and not spec.has_tag(event.from_state, TAG):
            return event
    return None


def listed_items(event) -> list[dict]:
    """The items a return's event listed; none for a return without a checklist."""
    if event is None:
        return []
    return list((event.payload or {}).get(CHECKLIST) or [])
