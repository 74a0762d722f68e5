"""What the deadline's messages say to the officials, in Chinese, stored as written (like the
claimants' messages, approvals/notifications/wording.py): the step, its last day, and the
claims, twenty of them at most and then how many in all."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from approvals.clock import chinese_date

LISTED = 20  # claims named in a message; the rest are counted (等 N 件)
SUBJECT_MAX = 200


@dataclass(frozen=True)
class Text:
    subject: str
    body: str


def claim_lines(claims) -> str:
    listed = enumerate(claims[:LISTED], 1)
    lines = [f"{n}. {c.number} {c.enterprise}“{c.project}”" for n, c in listed]
    if len(claims) > LISTED:
        lines.append(f"等{len(claims)}件。")
    return "\n".join(lines)


def _whose(occ) -> str:
    """The claims as the acting office reads them: its own, or a department's it handles."""
    if occ.office.id == occ.department.id:
        return f"以下{len(occ.claims)}件申报"
    return f"{occ.department.name}初审的以下{len(occ.claims)}件申报"


def reminder(occ) -> Text:
    day = chinese_date(occ.last_day)
    return Text(
        f"办理期限提醒：{len(occ.claims)}件申报“{occ.state_label}”{day}到期"[:SUBJECT_MAX],
        f"{_whose(occ)}在“{occ.state_label}”环节的办理期限为{day}，还有3个工作日，"
        f"请抓紧办理：\n{claim_lines(occ.claims)}",
    )


def deadline_passed(occ) -> Text:
    day = chinese_date(occ.last_day)
    return Text(
        f"办理期限已到：{len(occ.claims)}件申报“{occ.state_label}”逾期未办结"[:SUBJECT_MAX],
        f"{_whose(occ)}在“{occ.state_label}”环节的办理期限{day}已过，仍未办结，请督促办理；"
        f"逾期3个工作日仍未办结的，市府办将发出督办通知。\n{claim_lines(occ.claims)}",
    )


def supervised(occ, notice) -> Text:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return Text(
        f"督办通知：{notice.number}"[:SUBJECT_MAX],
        f"{notice.facts['issuer_name']}就{_whose(occ)}在“{occ.state_label}”环节逾期未办结"
        f"（期限{chinese_date(occ.last_day)}）发出督办通知（{notice.number}），"
        f"请抓紧办理并反馈办理情况。通知见“督办”页：{base}/supervision\n"
        f"{claim_lines(occ.claims)}",
    )
