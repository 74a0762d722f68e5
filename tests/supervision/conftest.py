"""Supervision fixtures: a claim waiting in 市经贸局's first review (待初审), due by the end of
February 2027 (or finance's claims, through the door); `tick` at a Beijing time; an
official's inbox; a notice's text."""

from __future__ import annotations

import re
import subprocess

import pytest
from sqlalchemy import select

from approvals.extensions import db
from approvals.notifications.models import Message
from approvals.organisations.models import User
from tests.finance.conftest import claims, fast_notices  # noqa: F401  (the fixtures)
from tests.web.conftest import web  # noqa: F401  (the fixture)

# The claims are submitted in September 2026 (call year 2026): 待初审 is due by the end of
# February 2027, Sunday 28 February. 2027's holidays are not published yet, so its working
# days are the weekend rule's: the reminder fires as Wednesday 24 February begins (the third
# working day before the last day: 26, 25, 24), the head is told as 1 March begins, and
# 市府办 issues the 督办 as Thursday 4 March begins (three working days after: 1, 2, 3 March).
BEFORE_REMINDER = "2027-02-23T23:59+08:00"
REMINDER = "2027-02-24T00:01+08:00"
DEADLINE = "2027-03-01T00:01+08:00"
SUPERVISION = "2027-03-04T00:01+08:00"


@pytest.fixture
def tick(seeded):
    """tick("2027-02-24T00:01+08:00") → the command's output; it must succeed."""

    def run(when: str) -> str:
        result = seeded.test_cli_runner().invoke(args=["tick", "--now", when])
        assert result.exit_code == 0, result.output
        return result.output

    return run


@pytest.fixture
def inbox_of(seeded):
    """inbox_of("reviewer_jmj") → (subject, body, notice number or None) of that user's
    messages, oldest first."""

    def read(username: str) -> list[tuple[str, str, str | None]]:
        with seeded.app_context():
            user_id = db.session.scalar(select(User.id).where(User.username == username))
            rows = db.session.scalars(
                select(Message).where(Message.recipient_id == user_id).order_by(Message.id)
            )
            return [(m.subject, m.body, m.notice.number if m.notice else None) for m in rows]

    return read


def claim_number(app, claim_id: int) -> str:
    from approvals.claims.models import Claim

    with app.app_context():
        return db.session.get(Claim, claim_id).number


def pdf_text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True)
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))
