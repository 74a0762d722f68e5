"""/metrics: requests by URL rule, latency, transitions counted once committed, notices
pending and queue depth from the database; readable from loopback or with the token only."""

from __future__ import annotations

import pytest

from tests.operations.conftest import samples, total

REQUESTS = "approvals_http_requests_total"


def test_requests_are_counted_by_url_rule_never_by_raw_path(app, scrape):
    client = app.test_client()
    before = scrape()
    for claim_id in (987654, 987655):
        client.get(f"/api/v1/claims/{claim_id}")
    after = scrape()
    rule = "/api/v1/claims/<int:claim_id>"
    assert total(after, REQUESTS, endpoint=rule, method="GET", status="401") == (
        total(before, REQUESTS, endpoint=rule, method="GET", status="401") + 2
    )
    assert not any("987654" in str(labels) for _, labels in after)
    assert total(after, "approvals_http_request_duration_seconds_count", endpoint=rule) >= 2


def test_unmatched_paths_and_odd_methods_share_one_series(app, scrape):
    client = app.test_client()
    before = scrape()
    client.get("/wp-admin/setup.php")
    client.open("/healthz", method="BREW")
    after = scrape()
    unmatched = dict(endpoint="<unmatched>", method="GET", status="404")
    assert total(after, REQUESTS, **unmatched) == total(before, REQUESTS, **unmatched) + 1
    assert total(after, REQUESTS, method="other") == total(before, REQUESTS, method="other") + 1
    assert not any("wp-admin" in str(labels) or "BREW" in str(labels) for _, labels in after)


@pytest.mark.parametrize("address", ["10.0.0.7", "192.168.1.20", "2001:db8::1"])
def test_metrics_are_not_found_from_other_addresses(app, address):
    res = app.test_client().get("/metrics", environ_overrides={"REMOTE_ADDR": address})
    assert res.status_code == 404


def test_loopback_through_a_proxy_is_not_local(app):
    res = app.test_client().get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert res.status_code == 404


def test_ipv6_loopback_may_read(app):
    res = app.test_client().get("/metrics", environ_overrides={"REMOTE_ADDR": "::1"})
    assert res.status_code == 200


def test_metrics_token_opens_them_to_other_addresses(app):
    app.config["METRICS_TOKEN"] = "s3cret-scrape-token"
    client = app.test_client()
    remote = {"REMOTE_ADDR": "10.0.0.7"}

    def get(authorization):
        headers = {"Authorization": authorization} if authorization else {}
        return client.get("/metrics", environ_overrides=remote, headers=headers).status_code

    assert get("Bearer s3cret-scrape-token") == 200
    assert get("bearer s3cret-scrape-token") == 200
    assert get("Bearer wrong") == 404
    assert get("Basic s3cret-scrape-token") == 404
    assert get("Bearer 秘密") == 404
    assert get(None) == 404
    assert client.get("/metrics").status_code == 200  # loopback still may


def test_metrics_answer_in_prometheus_text_format(app):
    res = app.test_client().get("/metrics")
    assert res.mimetype == "text/plain"
    assert "version=" in res.headers["Content-Type"]
    assert samples(res.get_data(as_text=True))  # parses


def _submits(scraped) -> float:
    return total(scraped, "approvals_transitions_total", trigger="submit")


def test_transitions_are_counted_once_committed(api, seeded, scrape):
    ent = api("ent_huadong")
    claim = ent.create_claim()
    for kind in ("business_licence", "project_plan"):
        assert ent.attach(claim["id"], kind).status_code == 201
    before = _submits(scrape())
    assert ent.fire(claim["id"], "submit").status_code == 200
    scraped = scrape()
    assert _submits(scraped) == before + 1
    # named by the claim's workflow (the counters are the process's, over every test)
    mine = total(scraped, "approvals_transitions_total", workflow="enterprise_claim")
    assert mine >= 1


def test_a_move_rolled_back_counts_nothing(api, seeded, scrape):
    from approvals.claims.models import Claim
    from approvals.clock import current_time
    from approvals.db import transaction
    from approvals.extensions import db
    from approvals.organisations.models import User
    from approvals.workflow.runtime import take

    ent = api("ent_huadong")
    claim = ent.create_claim()
    for kind in ("business_licence", "project_plan"):
        assert ent.attach(claim["id"], kind).status_code == 201
    before = _submits(scrape())
    with seeded.app_context():
        user = db.session.scalar(db.select(User).filter_by(username="ent_huadong"))
        subject = db.session.get(Claim, claim["id"])
        with pytest.raises(RuntimeError), transaction():
            take(user, subject, "submit", {}, current_time())
            raise RuntimeError("after the event, before the commit")
        assert db.session.get(Claim, claim["id"]).state == "draft"
    assert _submits(scrape()) == before


def test_queue_depth_is_counted_by_state_and_skips_final_states(make_claim, scrape):
    waiting = dict(state="submitted", queue="department")
    before = total(scrape(), "approvals_queue_depth", **waiting)
    make_claim("submitted")
    make_claim("submitted")
    make_claim("rejected")
    scraped = scrape()
    assert total(scraped, "approvals_queue_depth", **waiting) == before + 2
    assert total(scraped, "approvals_queue_depth", state="rejected") == 0


def test_notices_pending_counts_the_notices_not_rendered_yet(seeded, api, monkeypatch):
    from approvals.notices import outbox

    def dies(notice):
        raise RuntimeError("the renderer died")

    def pending() -> float:
        res = seeded.test_client().get("/metrics")
        return total(samples(res.get_data(as_text=True)), "approvals_notices_pending")

    before = pending()
    ent = api("ent_huadong")
    claim = ent.create_claim()
    for kind in ("business_licence", "project_plan"):
        ent.attach(claim["id"], kind)
    monkeypatch.setattr(outbox, "pdf_of", dies)
    assert ent.fire(claim["id"], "submit").status_code == 200
    assert pending() == before + 1
    monkeypatch.undo()
    seeded.test_cli_runner().invoke(args=["render-pending"])
    assert pending() == before
