"""The same key sent twice at the same moment runs the action once (threads, both databases)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from approvals.claims.models import Claim
from approvals.extensions import db
from tests.api_idempotency.test_idempotency import NEW_CLAIM
from tests.threads import at_once

# Threads, each with its own connection: the rows must be committed for them to meet.
pytestmark = pytest.mark.committed


def test_a_duplicate_sent_at_the_same_moment_files_one_claim(seeded, api):
    headers = {**api("ent_huadong").headers, "Idempotency-Key": "at-once"}

    def send():
        res = seeded.test_client().post("/api/v1/claims", json=NEW_CLAIM, headers=headers)
        return res.status_code, res.headers.get("Idempotent-Replayed"), res.json

    results = at_once(seeded, [send] * 4)
    fresh = [r for r in results if r[0] == 201 and r[1] is None]
    assert len(fresh) == 1, results
    for status, replayed, body in results:
        if status == 201 and replayed == "true":
            assert body["id"] == fresh[0][2]["id"]
        elif status != 201:
            assert (status, body["error"]["code"]) == (409, "idempotency_key_in_progress")
    with seeded.app_context():
        assert db.session.scalar(select(func.count()).select_from(Claim)) == 1
