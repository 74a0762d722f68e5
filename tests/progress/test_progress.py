"""进度查询 and the claim page's stepper: anyone with the claim number and the claimant's
credit code sees the state and dates, nothing else; a wrong pair tells nothing; failures
are throttled; the claimant follows its claim step by step."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from approvals import create_app
from approvals.claims.models import Claim
from approvals.extensions import db
from tests.conftest import base_config
from tests.web.conftest import WebClient, text


def _credit_code(app, claim_id: int) -> str:
    with app.app_context():
        return db.session.get(Claim, claim_id).enterprise.credit_code


def _ask(client: WebClient, number: str, code: str):
    page = text(client.get("/progress"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return client.client.post(
        "/progress", data={"number": number, "credit_code": code, "csrf_token": token}
    )


def test_number_and_credit_code_show_the_state_and_dates_only(seeded, make_claim):
    claim = make_claim("finance_review", requested_amount="88000.00", project_title="保密项目名称")
    code = _credit_code(seeded, claim.id)
    res = _ask(WebClient(seeded.test_client()), claim.number.lower(), code.lower())
    html = text(res)
    assert res.status_code == 200
    assert claim.number in html
    assert 'id="progress-state">待市财政局复核' in html or "progress-state" in html
    # Done: 提交 and 初审; finance's re-review in progress with its deadline.
    assert re.search(r'data-stage="filing" data-status="done"', html)
    assert re.search(r'data-stage="review" data-status="done"', html)
    assert re.search(r'data-stage="rereview" data-status="current"', html)
    for secret in ("保密项目名称", "88,000.00", "88000", "华东", "测试企业"):
        assert secret not in html


def test_a_wrong_pair_says_the_same_whether_the_number_exists(seeded, make_claim):
    claim = make_claim("submitted")
    other = make_claim("submitted", enterprise="ent_jiangnan")
    client = WebClient(seeded.test_client())
    wrong_code = _ask(client, claim.number, _credit_code(seeded, other.id))
    no_number = _ask(client, "2026-JMJ-999999", _credit_code(seeded, claim.id))
    assert wrong_code.status_code == no_number.status_code == 404
    miss = re.compile(r'<p class="flash flash-error" role="alert" id="progress-miss">(.*?)</p>')
    assert miss.search(text(wrong_code)).group(1) == miss.search(text(no_number)).group(1)
    assert 'id="progress-result"' not in text(wrong_code)


def test_a_draft_is_not_found_by_its_number(seeded, make_claim):
    claim = make_claim("draft")
    res = _ask(WebClient(seeded.test_client()), claim.number, _credit_code(seeded, claim.id))
    assert res.status_code == 404


def test_empty_fields_are_a_form_error(seeded):
    res = _ask(WebClient(seeded.test_client()), "", "")
    assert res.status_code == 422


def test_failed_look_ups_are_throttled_per_address(app, tmp_path):
    config = base_config(tmp_path, app.config["SQLALCHEMY_DATABASE_URI"])
    config.update(RATELIMIT_ENABLED=True, PROGRESS_RATE_LIMIT="3 per minute")
    limited = create_app(config)  # the same database, with rate limits on
    client = WebClient(limited.test_client())
    try:
        answers = [_ask(client, f"2026-JMJ-00000{n}", "91330100MB0000001X") for n in range(4)]
        assert [res.status_code for res in answers] == [404, 404, 404, 429]
        assert "Retry-After" in answers[-1].headers
    finally:
        with limited.app_context():
            db.session.remove()
            db.engine.dispose()


def test_the_claim_page_shows_the_stepper_with_dates_and_the_deadline(seeded, make_claim, web):
    claim = make_claim("finance_review")
    html = text(web("ent_huadong").get(f"/claims/{claim.id}"))
    stepper = html.split('id="stepper"')[1].split("</section>")[0]
    assert re.search(r'data-stage="filing" data-status="done">.*?\d{4}-\d\d-\d\d', stepper, re.S)
    current = stepper.split('data-stage="rereview"')[1].split("</li>")[0]
    assert 'data-status="current"' in current
    assert re.search(r"step-deadline\">[^<]*\d{4}-03-31", current)
    assert 'data-stage="payout" data-status="pending"' in stepper


def test_a_rejected_claim_ends_at_its_step(seeded, make_claim, web):
    claim = make_claim("rejected")
    html = text(web("ent_huadong").get(f"/claims/{claim.id}"))
    stepper = html.split('id="stepper"')[1].split("</section>")[0]
    assert 'data-status="ended"' in stepper
    assert 'data-status="current"' not in stepper


def test_a_paid_claim_has_every_step_done(seeded, make_claim):
    from approvals.progress.stepper import steps_for

    claim = make_claim("disbursed")
    with seeded.app_context():
        steps = steps_for(db.session.get(Claim, claim.id))
    assert [s.status for s in steps] == ["done"] * len(steps)
    assert [s.stage for s in steps] == ["filing", "review", "rereview", "payout"]


def test_the_stepper_follows_the_workflow_not_state_names(seeded):
    """A return for supplement is part of the preliminary review, finance's request for the
    department's co-signature part of the re-review: derived from the workflow's graph."""
    from approvals.progress.stages import STAGES, stage_of
    from approvals.workflow.registry import workflows

    with seeded.app_context():
        spec = workflows().get("enterprise_claim").spec
        step = {name: stage_of(spec, name) for name in spec.states}
    assert STAGES[step["returned"]] == "review"
    assert STAGES[step["finance_cosign"]] == "rereview"
    assert STAGES[step["government_review"]] == "approval"
    assert STAGES[step["approved"]] == "payout"


def test_notices_are_listed_at_the_top_of_the_claim_page(seeded, submitted_claim, web):
    html = text(web("ent_huadong").get(f"/claims/{submitted_claim}"))
    top = html.split('id="claim-notices"')[1].split("</ul>")[0]
    assert "受理回执" in top or ".pdf" in top


@pytest.mark.parametrize("state", ["submitted", "returned", "approved"])
def test_every_state_has_one_step_in_progress(seeded, make_claim, state):
    from approvals.progress.stepper import steps_for

    claim = make_claim(state)
    with seeded.app_context():
        steps = steps_for(db.session.scalar(select(Claim).filter_by(id=claim.id)))
    assert [s.status for s in steps].count("current") == 1
