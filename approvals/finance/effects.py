"""Finance's effects: what a move does to the money, registered by name for the workflow files.

A workflow names these on its transitions (`effects = ["budget.reserve"]`); finance never
names a workflow's triggers or states. The load-time check below refuses a file in which a
reservation could be left behind: every move out of a state tagged `holds_budget` into one
without it must pay or release.
"""

from __future__ import annotations

from decimal import Decimal

from approvals.finance import ledger, payout_lines, recovery
from approvals.finance.models import REPAID, WAIVED


def _reserve(step) -> None:
    ledger.reserve(step.subject, step.event)


def _pay(step) -> None:
    ledger.pay(step.subject, step.event)
    # Whom the payment reached, line by line, when the claim rewards people (有功人员).
    lines = payout_lines.notice_lines(step.subject)
    if lines:
        step.notice_facts["payout_lines"] = lines


def _release(step) -> None:
    ledger.release_held(step.subject, step.event, f"{step.transition.label.zh}，释放占用")


# The recovery effects give their case's figures to the move's notice (`Step.notice_facts`).
def _open_recovery(step) -> None:
    amount = Decimal(step.event.payload["recovery_amount"])
    step.notice_facts.update(recovery.open_case(step.subject, step.event, amount))


def _repay(step) -> None:
    amount = Decimal(step.event.payload["repayment_amount"])
    step.notice_facts.update(recovery.receive_repayment(step.subject, step.event, amount))


def _closed(outcome: str):
    def close(step) -> None:
        step.notice_facts.update(recovery.close_case(step.subject, step.event, outcome))

    return close


EFFECTS = {
    "budget.reserve": _reserve,
    "budget.pay": _pay,
    "budget.release": _release,
    "recovery.open": _open_recovery,
    "recovery.repay": _repay,
    "recovery.close": _closed(REPAID),
    "recovery.waive": _closed(WAIVED),
}
# Markers the pages read: offered for several claims at once on the queue (`bulk`), paid
# through a payout batch when the claim is in one (`batch_only`), taken only after a
# confirmation page that shows what will happen (`confirm`).
MARKERS = ("bulk", "batch_only", "confirm")


def reservation_kept(spec) -> list[tuple[int, str]]:
    """Moves that would leave a reservation behind: out of `holds_budget`, neither paying
    nor releasing; and reservations made into a state that does not hold them."""
    problems = []
    for t in spec.transitions:
        holds_after = spec.has_tag(t.dest, "holds_budget")
        if "budget.reserve" in t.effects and not holds_after:
            problems.append((t.line, f"'{t.trigger}' reserves into '{t.dest}' (not holds_budget)"))
        settles = {"budget.pay", "budget.release"} & set(t.effects)
        for source in t.sources:
            if spec.has_tag(source, "holds_budget") and not holds_after and not settles:
                problems.append(
                    (
                        t.line,
                        f"'{t.trigger}' leaves '{source}' (holds_budget): no pay, no release",
                    )
                )
    return problems


def register(cat) -> None:
    for name, run in EFFECTS.items():
        cat.effect(name, run)
    for name in MARKERS:
        cat.effect(name)
    cat.checks.append(reservation_kept)
    payout_lines.register(cat)  # a claim that rewards people is paid through its batch
