"""Evidence is frozen at submission: a file added or removed beside a submission never
leaves a submitted claim whose files differ from its submit event's snapshot."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from approvals.claims import evidence, services
from approvals.claims.models import Attachment, Claim, ClaimEvent
from approvals.db import transaction
from approvals.errors import Conflict, Invalid
from approvals.extensions import db
from approvals.organisations.models import User
from approvals.workflow import runtime
from tests.conftest import PASSWORD, PDF_BYTES
from tests.threads import at_once

REQUIRED = ("business_licence", "project_plan")  # JMJ-PLAN's evidence
RACES = 20


def _actor(username: str) -> User:
    return db.session.scalar(select(User).filter_by(username=username))


def _files(claim_id: int) -> set[tuple[str, str]]:
    rows = db.session.execute(
        select(Attachment.kind, Attachment.sha256).where(Attachment.claim_id == claim_id)
    )
    return {tuple(row) for row in rows}


def _submitted_snapshot(claim_id: int) -> set[tuple[str, str]]:
    event = db.session.scalar(
        select(ClaimEvent).where(ClaimEvent.claim_id == claim_id, ClaimEvent.trigger == "submit")
    )
    return {(e["kind"], e["sha256"]) for e in event.snapshot["evidence"]}


def _draft(app, username: str, kinds=REQUIRED) -> tuple[int, dict[str, int]]:
    """A JMJ-PLAN draft with one file of each kind: (claim id, kind → attachment id)."""
    with app.app_context():
        ent = _actor(username)
        claim = services.create_claim(ent, "JMJ-PLAN", "智能制造平台规划", "1000.00")
        files = {}
        for kind in kinds:
            data = PDF_BYTES + f"{username}-{kind}".encode()
            files[kind] = services.add_attachment(ent, claim.id, data, f"{kind}.pdf", kind).id
        return claim.id, files


# Both databases: the version is what makes a submission read before a change stale. -------


def test_an_upload_changes_the_version_so_a_submission_read_before_it_is_stale(api):
    ent = api("ent_huadong")
    claim = ent.create_claim()
    for kind in REQUIRED:
        assert ent.attach(claim["id"], kind).status_code == 201
    seen = ent.claim(claim["id"]).json["version"]
    assert ent.attach(claim["id"], "other", PDF_BYTES + b"more").status_code == 201
    res = ent.fire(claim["id"], "submit", version=seen)
    assert res.status_code == 409
    assert res.json["error"]["code"] == "stale_version"
    assert ent.claim(claim["id"]).json["state"] == "draft"


def test_a_removal_changes_the_version_so_a_submission_read_before_it_is_stale(seeded, api):
    claim_id, files = _draft(seeded, "ent_huadong", (*REQUIRED, "other"))
    ent = api("ent_huadong")
    seen = ent.claim(claim_id).json["version"]
    with seeded.app_context():
        services.remove_attachment(_actor("ent_huadong"), claim_id, files["other"])
    assert ent.fire(claim_id, "submit", version=seen).json["error"]["code"] == "stale_version"
    assert ent.fire(claim_id, "submit").status_code == 200  # read again, it goes through


def test_a_file_added_or_removed_after_submission_is_refused_and_nothing_changes(seeded, api):
    claim_id, files = _draft(seeded, "ent_huadong")
    ent = api("ent_huadong")
    assert ent.fire(claim_id, "submit").status_code == 200
    res = ent.attach(claim_id, "other", PDF_BYTES + b"late")
    assert res.status_code == 409 and res.json["error"]["code"] == "not_editable"
    with seeded.app_context(), pytest.raises(Conflict) as refused:
        services.remove_attachment(_actor("ent_huadong"), claim_id, files["project_plan"])
    assert refused.value.code == "not_editable"
    with seeded.app_context():
        assert _files(claim_id) == _submitted_snapshot(claim_id)


def test_the_same_file_twice_under_one_kind_is_kept_once(api):
    ent = api("ent_huadong")
    claim = ent.create_claim()
    first = ent.attach(claim["id"], "business_licence")
    version = ent.claim(claim["id"]).json["version"]
    again = ent.attach(claim["id"], "business_licence")
    assert again.status_code == 201 and again.json["id"] == first.json["id"]
    assert ent.claim(claim["id"]).json["version"] == version  # nothing changed


def test_a_duplicate_file_row_is_a_conflict_not_a_server_error(seeded, api):
    """The database's unique key is the last word when two uploads of one file collide."""
    claim_id, _files_ = _draft(seeded, "ent_huadong", ("business_licence",))
    with seeded.app_context():
        kept = db.session.scalar(select(Attachment).where(Attachment.claim_id == claim_id))
        twin = Attachment(
            claim_id=claim_id,
            kind=kept.kind,
            filename="again.pdf",
            content_type=kept.content_type,
            size=kept.size,
            sha256=kept.sha256,
            uploaded_by_id=kept.uploaded_by_id,
        )
        with pytest.raises(Conflict) as refused, evidence.same_file_refused(), transaction():
            db.session.add(twin)
        assert refused.value.code == "duplicate_attachment"
        assert len(_files(claim_id)) == 1


# PostgreSQL, with threads: the races themselves. --------------------------------------------


def _outcome(job):
    """A job's result, or the domain error it was refused with (anything else fails)."""

    def run():
        try:
            return job()
        except (Conflict, Invalid) as exc:
            return exc

    return run


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
@pytest.mark.committed  # threads, each on its own connection
def test_submission_racing_uploads_and_removals_keeps_what_was_submitted(seeded, make_enterprise):
    """20 races of a submission against a removal of a required file, an extra upload, or
    the upload of the last missing file: every submitted claim holds exactly the files of
    its submit event's snapshot, every refusal is a clear 409 or 422, and a refused change
    leaves the files as they were."""
    races = []
    for i in range(RACES):
        username = make_enterprise()
        if i % 3 == 2:  # the last required file arrives while the claim is submitted
            claim_id, files = _draft(seeded, username, ("business_licence",))
        else:
            claim_id, files = _draft(seeded, username)
        races.append((i % 3, username, claim_id, files))

    submitted = 0
    for kind_of_race, username, claim_id, files in races:
        with seeded.app_context():
            before = _files(claim_id)
            version = db.session.get(Claim, claim_id).version

        def submit(username=username, claim_id=claim_id, version=version):
            return runtime.advance(_actor(username), claim_id, "submit", version=version)

        def change(kind_of_race=kind_of_race, username=username, claim_id=claim_id, files=files):
            ent = _actor(username)
            if kind_of_race == 0:
                return services.remove_attachment(ent, claim_id, files["project_plan"])
            kind = "other" if kind_of_race == 1 else "project_plan"
            data = PDF_BYTES + f"race-{claim_id}".encode()
            return services.add_attachment(ent, claim_id, data, "补充.pdf", kind)

        submit_result, change_result = at_once(seeded, [_outcome(submit), _outcome(change)])
        for result in (submit_result, change_result):
            if isinstance(result, Conflict):
                assert result.code in ("stale_version", "not_editable"), result.message
            elif isinstance(result, Invalid):
                assert result.code == "condition_failed", result.message  # missing evidence
            else:
                assert not isinstance(result, Exception), repr(result)
        with seeded.app_context():
            claim = db.session.get(Claim, claim_id)
            if claim.state == "submitted":
                submitted += 1
                assert _files(claim_id) == _submitted_snapshot(claim_id)
                assert not claim.policy.missing_evidence({k for k, _sha in _files(claim_id)})
            if isinstance(change_result, Conflict):
                assert _files(claim_id) == before  # the losing change lost nothing else
            raced_in = claim.state == "submitted"
        # Which side wins depends on the scheduler (under load the change often does). A
        # submission that lost is made again, as the enterprise would, so every race ends
        # with a submitted claim whose files are its snapshot's.
        if not raced_in and isinstance(submit_result, Conflict):
            with seeded.app_context():
                version = db.session.get(Claim, claim_id).version
                try:
                    runtime.advance(_actor(username), claim_id, "submit", version=version)
                except Invalid as exc:
                    assert exc.code == "condition_failed"  # the change removed a required file
                    continue
                submitted += 1
                assert _files(claim_id) == _submitted_snapshot(claim_id)
    assert submitted >= RACES // 3  # removals may leave a claim that cannot be submitted


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
@pytest.mark.committed  # threads, each on its own connection
def test_the_same_file_uploaded_twice_at_once_is_kept_once_without_a_server_error(seeded, api):
    claim = api("ent_huadong").create_claim()

    def client():
        http = seeded.test_client()
        res = http.post(
            "/api/v1/auth/token", json={"username": "ent_huadong", "password": PASSWORD}
        )
        return http, {"Authorization": f"Bearer {res.json['token']}"}

    clients = [client(), client()]
    for round_ in range(10):
        data = PDF_BYTES + f"round-{round_}".encode()
        barrier, answers = threading.Barrier(2), [None, None]

        def upload(i, data=data, barrier=barrier, answers=answers):
            from io import BytesIO

            http, headers = clients[i]
            barrier.wait()
            answers[i] = http.post(
                f"/api/v1/claims/{claim['id']}/attachments",
                data={"kind": "other", "file": (BytesIO(data), "同一文件.pdf")},
                headers=headers,
                content_type="multipart/form-data",
            )

        threads = [threading.Thread(target=upload, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        codes = sorted(a.status_code for a in answers)
        assert codes in ([201, 201], [201, 409]), [a.json for a in answers]
        ids = {a.json["id"] for a in answers if a.status_code == 201}
        assert len(ids) == 1  # the second upload answered with the same file
        for a in answers:
            if a.status_code == 409:
                assert a.json["error"]["code"] in ("duplicate_attachment", "stale_version")
    with seeded.app_context():
        assert len(_files(claim["id"])) == 10
