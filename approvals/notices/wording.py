"""The words a notice prints for recorded values, shared by the PDF and the verification
page: dates, and the signatures of a review round. Kept in the notices package, so that
stored facts print the same words for ever."""

from __future__ import annotations

from dataclasses import dataclass

from approvals.clock import LOCAL, chinese_date
from approvals.notices.facts import Signer

DECISION_WORDS = {"agree": "同意", "disagree": "不同意", "return": "退回"}
# A sign-off step as a form names its signer; outside a chain the signer is 签署人.
SIGNER_TITLES = {"case_officer": "经办人", "section_chief": "审核人", "leader": "审批人"}


@dataclass(frozen=True)
class SignedPart:
    """One department's part of a review round as printed: its decision and what its
    signers wrote, then its signatures (经办人：张三　2027年1月5日), each kept on one line."""

    department: str
    decision: str  # its latest decision: 同意, 不同意, 退回
    said: str  # what its signers wrote, a bare 同意 aside; "" when nothing more
    signatures: tuple[str, ...]

    @property
    def opinion(self) -> str:
        """The decision and what was said: 同意。符合政策条件."""
        if not self.said:
            return self.decision
        return self.said if self.said.startswith(self.decision) else f"{self.decision}。{self.said}"


def signed_parts(signers: tuple[Signer, ...]) -> list[SignedPart]:
    """The signatures grouped by department, in the order recorded. A department's opinion
    is its latest decision with what its signers wrote (a bare 同意 adds nothing to it)."""
    by_department: dict[str, list[Signer]] = {}
    for signer in signers:
        by_department.setdefault(signer.department, []).append(signer)
    parts = []
    for department, group in by_department.items():
        latest = sorted(group, key=lambda s: s.signed_at)[-1]  # stable: a later step wins a tie
        said: list[str] = []
        for signer in group:
            text = signer.opinion.strip()
            if text and text not in DECISION_WORDS.values() and text not in said:
                said.append(text)
        signatures = tuple(signature(s) for s in group)
        parts.append(
            SignedPart(department, DECISION_WORDS[latest.decision], "；".join(said), signatures)
        )
    return parts


def signature(signer: Signer) -> str:
    """经办人：张三　2027年1月5日; a substitute as 李四（代 赵六）."""
    title = SIGNER_TITLES.get(signer.step, "签署人")
    name = f"{signer.name}（代 {signer.on_behalf_of}）" if signer.on_behalf_of else signer.name
    return f"{title}：{name}　{chinese_date(signer.signed_at.astimezone(LOCAL))}"
