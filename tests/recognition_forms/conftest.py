"""Fixtures of the 申请认定表 tests: the web client, approved claims, the PDF as text."""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.web.conftest import web  # noqa: F401  (the fixture)


@pytest.fixture
def approved(api, submitted_claim):
    """approved() → the id of a JMJ-PLAN claim of 华东精密机械 that reviewer_jmj approved
    (核定 100000.00, opinion 同意): it waits for the department's form."""

    def make(amount="100000.00", opinion="同意，符合政策条件") -> int:
        res = api("reviewer_jmj").fire(
            submitted_claim, "dept_approve", approved_amount=amount, comment=opinion
        )
        assert res.status_code == 200, res.json
        assert res.json["state"] == "recognised"
        return submitted_claim

    return make


def pdf_text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True)
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))
