"""Who a notice is addressed to (主送), in which GB/T 9704 format, and who gets a copy (抄送)."""

from __future__ import annotations

from dataclasses import dataclass

# One department's opinion in a joint review (会签意见单): to the lead department, which
# gathers the opinions into one; the lead's own goes to the office that re-reviews them.
COUNTERSIGN = "countersign"
# A joint review's disagreement (联合审核退回) goes back to the lead department, which reviews
# the claim again with every opinion before it.
JOINT_SEND_BACK = "joint_send_back"
# Kinds addressed to the office that acts next, the queue the claim moves to: a send-back
# goes to the office that must look again, the 认定表 to finance (企业科); and the 会签意见单
# to the lead department. They use the 文件格式; every other notice is a letter to the
# enterprise (信函格式).
RECOGNITION = "recognition"
TO_THE_NEXT_OFFICE = frozenset({"send_back", RECOGNITION, COUNTERSIGN, JOINT_SEND_BACK})
# The department's decisions that finance is copied on.
DEPARTMENT_DECISIONS = frozenset({"supplement", "rejection", "lapse"})


@dataclass(frozen=True)
class Offices:
    """Full names of the offices a claim passes through, and which one issues."""

    issuer: str
    reviewer: str  # the department that owns the policy clause (初审)
    finance: str
    government: str
    issuer_role: str  # department, finance or government


@dataclass(frozen=True)
class Addressing:
    letter: bool
    addressee: str
    cc: tuple[str, ...]


def address(kind: str, to_queue: str, offices: Offices, enterprise: str) -> Addressing:
    if kind == COUNTERSIGN:
        # the lead is the claim's department (`reviewer`), the one it is declared to
        candidates = (offices.reviewer, offices.finance, offices.government)
        addressee = next((name for name in candidates if name and name != offices.issuer), "")
        return Addressing(False, addressee, ())
    if kind == RECOGNITION:
        # The claim's 认定表 waits in the department until its 申请认定表 carries it to
        # finance (approvals/recognition_forms): it is finance's all the same.
        to_queue = "finance"
    if kind in TO_THE_NEXT_OFFICE:
        addressee = {
            "department": offices.reviewer,
            "finance": offices.finance,
            "government": offices.government,
        }.get(to_queue, offices.finance)
        letter = False
    else:
        addressee, letter = enterprise, True
    return Addressing(letter, addressee, _copies(kind, to_queue, offices, addressee))


def _copies(kind: str, to_queue: str, offices: Offices, addressee: str) -> tuple[str, ...]:
    if offices.issuer_role == "finance":
        copies = [offices.reviewer]
        if to_queue == "government":
            copies.append(offices.government)
    elif offices.issuer_role == "government":
        copies = [offices.finance, offices.reviewer]
    elif kind in DEPARTMENT_DECISIONS:
        copies = [offices.finance]
    else:
        copies = []
    seen = {offices.issuer, addressee}
    result = []
    for name in copies:
        if name and name not in seen:
            seen.add(name)
            result.append(name)
    return tuple(result)
