"""The deadline report: which departments sent their 申请认定表 of a call year by the end of
February of the next year (Beijing date), which sent it late, and which have not sent it.

A department counts for a call year while one of its claims of that year awaits a form, or
once a form of that year was sent; its sent forms are listed with number and date, and it is
on time when its first form was sent before the deadline (a 补报 later does not make it
late). Counted in SQL (GROUP BY), never by loading claims.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import distinct, func, select, union

from approvals.claims.models import Claim
from approvals.clock import LOCAL
from approvals.extensions import db
from approvals.i18n import N_
from approvals.notices.models import Notice
from approvals.organisations.models import Department
from approvals.policies.models import Policy
from approvals.recognition_forms.models import RecognitionForm, RecognitionFormItem
from approvals.recognition_forms.waiting import waiting_clause
from approvals.workflow.deadlines import RULES

RULE = "end-of-february"
ON_TIME, LATE, NOT_SENT = "on_time", "late", "not_sent"
STANDING_LABELS = {ON_TIME: N_("按时报送"), LATE: N_("逾期报送"), NOT_SENT: N_("未报送")}


@dataclass(frozen=True)
class SentForm:
    form_id: int
    seq: int  # 第N批
    batch_name: str
    number: str | None
    sent_on: date  # Beijing date
    claims: int
    on_time: bool


@dataclass(frozen=True)
class DepartmentLine:
    department: Department
    approved: int  # claims of the year the department approved (ever)
    waiting: int  # of them, still awaiting a form now
    forms: tuple[SentForm, ...]
    standing: str  # ON_TIME, LATE, NOT_SENT

    @property
    def standing_label(self) -> str:
        return STANDING_LABELS[self.standing]


def deadline(call_year: int) -> datetime:
    """The first instant past the deadline (UTC): 1 March of the next year, Beijing."""
    return RULES[RULE](call_year)


def last_day(call_year: int) -> date:
    return deadline(call_year).astimezone(LOCAL).date() - timedelta(days=1)


def _waiting(call_year: int | None = None):
    """(department, claim, call year) of the claims awaiting a form now."""
    query = (
        select(Claim.department_id, Claim.id.label("claim_id"), Policy.call_year)
        .join(Policy, Policy.id == Claim.policy_id)
        .where(waiting_clause())
    )
    return query if call_year is None else query.where(Policy.call_year == call_year)


def _forwarded(call_year: int | None = None):
    """(department, claim, call year) of the claims a sent form carried to finance."""
    query = (
        select(
            RecognitionForm.department_id,
            RecognitionFormItem.claim_id.label("claim_id"),
            RecognitionForm.call_year,
        )
        .join(RecognitionFormItem, RecognitionFormItem.form_id == RecognitionForm.id)
        .where(RecognitionForm.status == "sent")
    )
    return query if call_year is None else query.where(RecognitionForm.call_year == call_year)


def call_years() -> list[int]:
    """The call years with claims awaiting a form or sent on one, newest first."""
    both = union(_waiting(), _forwarded()).subquery()
    query = select(both.c.call_year).distinct().order_by(both.c.call_year.desc())
    return list(db.session.scalars(query))


def _counts(call_year: int) -> dict[int, tuple[int, int]]:
    """Per department: (claims approved and awaiting a form or sent on one, of them waiting)."""
    both = union(_waiting(call_year), _forwarded(call_year)).subquery()
    approved = select(both.c.department_id, func.count(distinct(both.c.claim_id))).group_by(
        both.c.department_id
    )
    waiting_rows = _waiting(call_year).subquery()
    waiting = dict(
        db.session.execute(
            select(waiting_rows.c.department_id, func.count()).group_by(
                waiting_rows.c.department_id
            )
        ).all()
    )
    return {dept: (n, waiting.get(dept, 0)) for dept, n in db.session.execute(approved)}


def _sent_forms(call_year: int) -> dict[int, list[SentForm]]:
    due = deadline(call_year)
    query = (
        select(RecognitionForm, Notice.number, func.count(RecognitionFormItem.id))
        .join(RecognitionFormItem, RecognitionFormItem.form_id == RecognitionForm.id)
        .outerjoin(Notice, Notice.recognition_form_id == RecognitionForm.id)
        .where(RecognitionForm.call_year == call_year, RecognitionForm.status == "sent")
        .group_by(RecognitionForm.id, Notice.number)
        .order_by(RecognitionForm.seq)
    )
    forms: dict[int, list[SentForm]] = {}
    for form, number, claims in db.session.execute(query):
        forms.setdefault(form.department_id, []).append(
            SentForm(
                form.id,
                form.seq,
                form.batch_name,
                number,
                form.sent_at.astimezone(LOCAL).date(),
                claims,
                form.sent_at < due,
            )
        )
    return forms


def report(call_year: int) -> list[DepartmentLine]:
    """One line per department with approved claims of `call_year`, in department order."""
    counts, forms = _counts(call_year), _sent_forms(call_year)
    ids = sorted(set(counts) | set(forms))
    departments = {
        d.id: d for d in db.session.scalars(select(Department).where(Department.id.in_(ids)))
    }
    lines = []
    for dept_id in ids:
        sent = tuple(forms.get(dept_id, ()))
        standing = NOT_SENT if not sent else (ON_TIME if sent[0].on_time else LATE)
        approved, waiting = counts.get(dept_id, (0, 0))
        lines.append(DepartmentLine(departments[dept_id], approved, waiting, sent, standing))
    return lines


def as_json(call_year: int, lines: list[DepartmentLine]) -> dict:
    return {
        "call_year": call_year,
        "deadline": last_day(call_year).isoformat(),
        "departments": [
            {
                "code": line.department.code,
                "name": line.department.name,
                "standing": line.standing,
                "claims_approved": line.approved,
                "claims_waiting": line.waiting,
                "forms": [
                    {
                        "id": f.form_id,
                        "batch": f.batch_name,
                        "number": f.number,
                        "sent_on": f.sent_on.isoformat(),
                        "claims": f.claims,
                        "on_time": f.on_time,
                    }
                    for f in line.forms
                ],
            }
            for line in lines
        ],
    }
