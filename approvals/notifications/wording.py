"""What a claim's step says to its claimant: the subject and body of the message, in Chinese.

Stored as written, like the notices: a message read next year says what was true when it was
sent, whatever the clause or the workflow's labels became since. The notice itself (number,
opinion, amounts in capitals) stays the document of record; the message points at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from approvals.clock import chinese_date
from approvals.notices.facts import KIND_TITLES
from approvals.organisations.payee import mask_account

# Notices from one office to another (会签意见单, a send-back to the office that looks again):
# the claim stays in review and the enterprise has nothing to do or to learn yet.
OFFICE_ONLY = frozenset({"countersign", "send_back", "joint_send_back"})


@dataclass(frozen=True)
class Wording:
    subject: str
    body: str


def yuan(amount: Decimal | None) -> str:
    return "—" if amount is None else f"{amount:,.2f}元"


def for_step(
    claim, notice, *, spec, source: str, state_label: str, comment: str | None
) -> Wording | None:
    """The message for the claimant of `claim` about `notice`, or None when the notice is
    an office's to another office. States are asked of the claim's workflow `spec` by
    their tags, never named here."""
    kind = notice.kind
    if kind in OFFICE_ONLY:
        return None
    title = KIND_TITLES.get(kind, kind)
    project = claim.project_title
    about = f"您单位申报的“{project}”（{claim.terms.title_zh}，申报编号{claim.number}）"
    document = f"（{title}{notice.number}）"
    opinion = f"意见：{comment.strip().rstrip('。')}。" if comment and comment.strip() else ""
    if kind == "receipt":
        again = spec.has_tag(source, "awaiting_supplement")
        subject = f"{'补正材料已受理' if again else '申报已受理'}：{project}"
        body = f"{about}{'补正材料' if again else ''}已由{claim.department.name}受理。{document}"
    elif kind == "supplement":
        due = claim.supplement_due
        subject = f"请补正申报材料：{project}"
        deadline = f"请于{chinese_date(due)}前" if due else "请尽快"
        body = (
            f"{about}需补正材料，{deadline}补正并重新提交；逾期未补正的，视为放弃申报。"
            f"{opinion}{document}"
        )
    elif kind in ("recognition", "recognition_result"):
        subject = f"初审认定通过：{project}"
        amount = f"，核定金额{yuan(claim.approved_amount)}" if claim.approved_amount else ""
        body = f"{about}已通过{claim.department.name}审核认定{amount}，待财政复核。{document}"
    elif kind == "finance_opinion":
        subject = f"财政复核通过：{project}"
        amount = yuan(claim.approved_amount)
        body = f"{about}已通过财政复核，核定金额{amount}，{state_label}。{document}"
    elif kind == "approval":
        subject = f"市政府审定通过：{project}"
        body = (
            f"{about}已经市政府审定通过，核定金额{yuan(claim.approved_amount)}，待拨付。{document}"
        )
    elif kind == "payout":
        paid = claim.paid_amount if claim.paid_amount is not None else claim.approved_amount
        subject = f"兑现资金已拨付：{project}"
        account = mask_account(claim.payee_account)
        to = f"至{claim.payee_bank_name or ''}账户{account}" if account else ""
        reference = f"，付款凭证号{claim.payment_reference}" if claim.payment_reference else ""
        body = f"{about}的兑现资金{yuan(paid)}已拨付{to}{reference}。{document}"
    else:
        subject = f"{title}：{project}"
        body = f"{about}已出具{title}，申报当前状态：{state_label}。{opinion}{document}"
    return Wording(subject=subject[:200], body=body)
