"""A POST retried with the same Idempotency-Key gets the first answer, once per user and key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import BytesIO

from sqlalchemy import func, select

from approvals.api.models import IdempotencyKey
from approvals.claims.models import Attachment, Claim
from approvals.extensions import db
from tests.conftest import PDF_BYTES

NEW_CLAIM = {
    "policy_code": "JMJ-PLAN",
    "project_title": "智能制造平台规划",
    "requested_amount": "120000.00",
}


def post(client, path, key, json=None, **kw):
    headers = dict(client.headers)
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.client.post(path, json=json, headers=headers, **kw)


def count(app, model, **where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def test_a_retried_create_gives_the_same_claim_and_files_one(seeded, api):
    ent = api("ent_huadong")
    first = post(ent, "/api/v1/claims", "create-1", NEW_CLAIM)
    again = post(ent, "/api/v1/claims", "create-1", NEW_CLAIM)
    assert first.status_code == again.status_code == 201
    assert again.json["id"] == first.json["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert count(seeded, Claim) == 1


def test_a_retried_transition_replays_its_answer_instead_of_a_stale_version(seeded, api):
    ent = api("ent_huadong")
    claim = ent.create_claim()
    for kind in ("business_licence", "project_plan"):
        assert ent.attach(claim["id"], kind).status_code == 201
    body = {"trigger": "submit", "version": ent.claim(claim["id"]).json["version"]}
    path = f"/api/v1/claims/{claim['id']}/transitions"
    first = post(ent, path, "submit-1", body)
    again = post(ent, path, "submit-1", body)
    assert first.status_code == again.status_code == 200
    assert again.json["version"] == first.json["version"]
    assert again.json["state"] == "submitted"
    # Without the key the same retry is what it always was: a stale version.
    plain = post(ent, path, None, body)
    assert plain.status_code == 409 and plain.json["error"]["code"] == "stale_version"


def test_a_retried_upload_stores_one_attachment(seeded, api):
    ent = api("ent_huadong")
    claim = ent.create_claim()

    def upload():
        data = {"kind": "business_licence", "file": (BytesIO(PDF_BYTES), "证明.pdf")}
        path = f"/api/v1/claims/{claim['id']}/attachments"
        return post(ent, path, "upload-1", data=data, content_type="multipart/form-data")

    first, again = upload(), upload()
    assert first.status_code == again.status_code == 201
    assert again.json["id"] == first.json["id"]
    assert count(seeded, Attachment, claim_id=claim["id"]) == 1


def test_the_same_key_with_another_body_or_path_is_refused(seeded, api):
    ent = api("ent_huadong")
    assert post(ent, "/api/v1/claims", "k", NEW_CLAIM).status_code == 201
    other_body = post(ent, "/api/v1/claims", "k", {**NEW_CLAIM, "project_title": "另一个项目"})
    other_path = post(ent, "/api/v1/auth/signout", "k")
    for res in (other_body, other_path):
        assert res.status_code == 422, res.json
        assert res.json["error"]["code"] == "idempotency_key_reused"
        assert "Idempotency-Key" in res.json["error"]["fields"]
    assert count(seeded, Claim) == 1


def test_another_users_same_key_is_another_key(seeded, api, make_enterprise):
    first = post(api("ent_huadong"), "/api/v1/claims", "shared", NEW_CLAIM)
    second = post(api(make_enterprise()), "/api/v1/claims", "shared", NEW_CLAIM)
    assert first.status_code == second.status_code == 201
    assert second.json["id"] != first.json["id"]
    assert "Idempotent-Replayed" not in second.headers


def test_a_malformed_key_is_refused_before_anything_runs(seeded, api):
    ent = api("ent_huadong")
    for key in ("", "   ", "x" * 129, "clé"):
        res = post(ent, "/api/v1/claims", key, NEW_CLAIM)
        assert res.status_code == 422, key
        assert res.json["error"]["code"] == "invalid"
        assert list(res.json["error"]["fields"]) == ["Idempotency-Key"]
    assert post(ent, "/api/v1/claims", "x" * 128, NEW_CLAIM).status_code == 201
    assert count(seeded, Claim) == 1


def test_refusals_are_kept_and_server_errors_are_not(seeded, api):
    ent = api("ent_huadong")
    bad = {**NEW_CLAIM, "requested_amount": "-1"}
    first = post(ent, "/api/v1/claims", "bad", bad)
    again = post(ent, "/api/v1/claims", "bad", bad)
    assert first.status_code == again.status_code == 422
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    with seeded.app_context():
        statuses = db.session.scalars(select(IdempotencyKey.status)).all()
    assert statuses == [422]  # the CHECK constraint keeps 5xx out of the table


def test_a_key_expires_after_its_hours_and_is_taken_again(seeded, api):
    ent = api("ent_huadong")
    assert post(ent, "/api/v1/claims", "old", NEW_CLAIM).status_code == 201
    later = datetime.now(UTC) + timedelta(hours=seeded.config["IDEMPOTENCY_TTL_HOURS"], minutes=1)
    seeded.config["CLOCK"] = lambda: later
    other = {**NEW_CLAIM, "policy_code": "JMJ-INFRA", "project_title": "技术改造"}
    res = post(ent, "/api/v1/claims", "old", other)
    assert res.status_code == 201, res.json
    assert "Idempotent-Replayed" not in res.headers
    assert count(seeded, IdempotencyKey) == 1


def test_without_a_token_the_key_changes_nothing(seeded, api):
    res = post(api(None), "/api/v1/claims", "anon", NEW_CLAIM)
    assert res.status_code == 401
    assert count(seeded, IdempotencyKey) == 0
