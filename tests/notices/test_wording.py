"""Notices say only what is true: every notice of every path of the claim workflow, driven
through the services, is checked against a table of what it must and must not say.
Adding a path to workflows/enterprise_claim/v1.toml without its wording fails the suite."""

from __future__ import annotations

import re
import subprocess
import tomllib
from datetime import datetime, time, timedelta

import pytest
from flask import current_app
from sqlalchemy import select

from approvals.claims import services
from approvals.claims.models import Claim, ClaimEvent
from approvals.clock import LOCAL
from approvals.extensions import db
from approvals.notices.models import Notice
from approvals.organisations.models import User
from approvals.policies.models import Policy
from approvals.recognition_forms.waiting import forward_trigger
from approvals.workflow import runtime
from tests.conftest import PDF_BYTES
from tests.notices.wording_table import (
    DIRECT,
    PATHS,
    REVIEWERS,
    VIA_GOVERNMENT,
    WORKFLOW,
    Says,
    Step,
)
from tests.recognition_forms.helpers import send_form


def workflow_moves() -> set[tuple[str, str, str, str]]:
    """(notice, trigger, source, dest) of every move the workflow file allows."""
    data = tomllib.loads(WORKFLOW.read_text(encoding="utf-8"))
    moves = set()
    for move in data["transitions"]:
        sources = move["source"] if isinstance(move["source"], list) else [move["source"]]
        for source in sources:
            if move.get("notice"):
                moves.add((move["notice"], move["trigger"], source, move["dest"]))
    return moves


def test_every_move_of_the_workflow_has_its_wording_in_the_table():
    worded = {
        (s.says.kind, s.says.trigger, s.says.source, s.says.dest)
        for _, steps in PATHS.values()
        for s in steps
        if s.says
    }
    missing = sorted(workflow_moves() - worded)
    assert missing == [], f"moves without a row in the wording table: {missing}"


# Driving a path ---------------------------------------------------------------------------


def actor(username: str) -> User:
    if username == "system":
        from approvals.claims.supplement import system_user

        return system_user()
    return db.session.scalar(select(User).filter_by(username=username))


def notice_text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True)
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))


def fire(claim_id: int, s: Step, policy_code: str) -> None:
    who = REVIEWERS[policy_code] if s.who == "reviewer" else s.who
    claim = db.session.get(Claim, claim_id, populate_existing=True)
    if forward_trigger(claim) is not None:
        # Approved, the claim waits for its department's 申请认定表: sending it moves the
        # claim on (its one notice is the form's, tests/recognition_forms).
        send_form(current_app, claim_id)
        claim = db.session.get(Claim, claim_id, populate_existing=True)
    if s.trigger == "lapse":  # the tick, once the 补正期限 has passed
        from approvals.claims.supplement import lapse_overdue

        after = datetime.combine(claim.supplement_due + timedelta(days=1), time(9), LOCAL)
        assert lapse_overdue(after).lapsed == [claim.number]
        return
    runtime.advance(actor(who), claim_id, s.trigger, version=claim.version, **s.payload)


def check(notice: Notice, event: ClaimEvent, says: Says) -> list[str]:
    problems = []
    actual = (notice.kind, event.trigger, event.from_state, event.to_state)
    if actual != (says.kind, says.trigger, says.source, says.dest):
        problems.append(f"the table says {says}, the path took {actual}")
    text = notice_text(notice.pdf)
    must, must_not = list(says.must), list(says.must_not)
    # a provisional deadline prints its date alone: no count of days that may be wrong
    (must_not if event.payload.get("supplement_due_provisional") else must).extend(says.if_official)
    problems += [f"{says.kind}: missing {m!r}" for m in must if m not in text]
    problems += [f"{says.kind}: says {m!r}" for m in must_not if m in text]
    return problems


@pytest.mark.parametrize("path", sorted(PATHS))
def test_each_notice_says_what_is_true_for_the_path_taken(path, seeded):
    policy_code, steps = PATHS[path]
    problems = []
    with seeded.app_context():
        policy = db.session.scalar(select(Policy).filter_by(code=policy_code))
        ent = actor("ent_huadong")
        claim = services.create_claim(ent, policy_code, "智能制造平台规划", "120000.00")
        for kind in policy.required_evidence:
            data = PDF_BYTES + kind.encode()  # one file per kind, each its own hash
            services.add_attachment(ent, claim.id, data, f"{EVIDENCE[kind]}.pdf", kind)
        for n, s in enumerate(steps):
            fire(claim.id, s, policy_code)
            if s.says is None:
                continue
            event = db.session.scalars(
                select(ClaimEvent).where(ClaimEvent.claim_id == claim.id).order_by(ClaimEvent.id)
            ).all()[-1]
            notice = db.session.scalar(select(Notice).where(Notice.event_id == event.id))
            problems += [f"step {n + 1} {s.trigger}: {p}" for p in check(notice, event, s.says)]
    assert problems == []


EVIDENCE = {
    "business_licence": "营业执照",
    "project_plan": "规划方案",
    "loan_contract": "贷款合同",
    "interest_voucher": "付息凭证",
}


def test_receipt_lists_each_file_with_its_hash_and_the_submission_time(seeded):
    from approvals.notices.facts import facts_from_json

    with seeded.app_context():
        ent = actor("ent_huadong")
        claim = services.create_claim(ent, "JMJ-PLAN", "智能制造平台规划", "120000.00")
        files = [
            services.add_attachment(ent, claim.id, PDF_BYTES + k.encode(), f"{v}.pdf", k)
            for k, v in [("business_licence", "营业执照"), ("project_plan", "规划方案")]
        ]
        claim = runtime.advance(ent, claim.id, "submit", version=claim.version)
        notice = db.session.scalar(select(Notice).where(Notice.claim_id == claim.id))
        text = notice_text(notice.pdf)
        local = claim.submitted_at.astimezone(LOCAL)
        assert (
            f"{local.year}年{local.month}月{local.day}日{local.hour}时{local.minute:02d}分" in text
        )
        for index, (file, label) in enumerate(zip(files, ["营业执照", "项目方案"], strict=True), 1):
            assert f"{index}{label}{file.filename}{file.sha256[:8]}" in text
        # the stored facts give back the very bytes that were issued
        from approvals.notices.render import render_notice

        assert render_notice(facts_from_json(notice.facts)) == notice.pdf


# The batch list ---------------------------------------------------------------------------


def test_batch_list_says_government_approval_only_of_claims_that_had_it(seeded):
    """A scaled batch of one direct and one government claim: the list says 经市政府审定 of
    the one that went there; each payout notice states approved, paid and reduced amounts."""
    from approvals.finance import batches
    from approvals.finance.models import Batch

    with seeded.app_context():
        ids = []
        for policy_code, steps in (("JMJ-PLAN", DIRECT[:3]), ("JMJ-INFRA", VIA_GOVERNMENT[:4])):
            policy = db.session.scalar(select(Policy).filter_by(code=policy_code))
            ent = actor("ent_huadong")
            claim = services.create_claim(ent, policy_code, "平台建设", "120000.00")
            for kind in policy.required_evidence:
                services.add_attachment(ent, claim.id, PDF_BYTES + kind.encode(), "a.pdf", kind)
            for s in steps:
                fire(claim.id, s, policy_code)
            ids.append(claim.id)
        finance = actor("finance")
        batch = batches.compose(finance, ids)
        for code in ("JMJ-PLAN", "JMJ-INFRA"):
            batches.scale(finance, batch.id, code, "90000.00")
        batch = batches.confirm(finance, batch.id)
        batch = db.session.get(Batch, batch.id)
        listing = notice_text(batch.list_notice.pdf)
        assert "（其中1个项目经市政府审定）" in listing
        assert "示范市财政局文件" in listing and "拨付清单的通知" in listing
        assert "经复核、审定" not in listing and "核减部分不再拨付" in listing
        assert "市政府审定" in listing and "财政复核" in listing  # per item
        for cid in ids:
            payout = db.session.scalars(
                select(Notice).where(Notice.claim_id == cid, Notice.kind == "payout")
            ).one()
            text = notice_text(payout.pdf)
            for expected in (
                "核定金额100,000.00元人民币壹拾万元整",
                "实拨金额90,000.00元人民币玖万元整",
                "核减金额10,000.00元人民币壹万元整",
                "专项资金不足，按比例核减，核减部分不再拨付",
                "********5678",
            ):
                assert expected in text, (cid, expected)
            claim = db.session.get(Claim, cid)
            assert ("市政府审定" in text) == claim.reached_government


def test_a_city_name_setting_names_every_office_in_full(seeded):
    from approvals.notices.issue import full_name
    from approvals.organisations.models import Department

    with seeded.app_context():
        dept = db.session.scalar(select(Department).filter_by(code="JMJ"))
        assert full_name(dept) == "示范市经济贸易局"
        dept.full_name = ""
        seeded.config["CITY_NAME"] = "临江市"
        assert full_name(dept) == "临江市经贸局"  # the standard's short form with the city
