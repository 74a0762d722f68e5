"""Delivery after the commit: e-mail reaches a real SMTP server, SMS a gateway's HTTP
receiver; a server that is down or refuses leaves the delivery failed and the step
committed, and `deliver-pending` sends it once the server is back, at most a capped number of
times; with a task queue the deliveries go to its workers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from approvals.claims.models import Claim
from approvals.clock import chinese_date, current_time
from approvals.extensions import db
from approvals.notifications import delivery
from approvals.notifications.models import Delivery
from tests.notifications.conftest import choose_channels

RETURN = {"comment": "请补充近三年审计报告", "supplement_days": "10"}


def _return(api, claim_id):
    res = api("reviewer_jmj").fire(claim_id, "return_for_supplement", **RETURN)
    assert res.status_code == 200, res.json
    assert res.json["state"] == "returned"  # committed, whatever the channels did


def _deliveries(app, claim_id) -> list[Delivery]:
    from approvals.notifications.models import Message

    with app.app_context():
        rows = db.session.scalars(
            select(Delivery).join(Message).where(Message.claim_id == claim_id).order_by(Delivery.id)
        ).all()
        db.session.expunge_all()
        return list(rows)


def _later(minutes: int) -> str:
    return (current_time() + timedelta(minutes=minutes)).isoformat()


def test_an_email_reaches_the_smtp_server_with_the_supplement_deadline(
    seeded, api, submitted_claim, smtp
):
    smtp.start()
    choose_channels(seeded, "ent_huadong", email=True, email_address="caiwu@huadong.example.cn")
    _return(api, submitted_claim)
    [(to, mail)] = smtp.received
    assert to == ["caiwu@huadong.example.cn"]
    assert mail["Subject"].startswith("请补正申报材料：")
    assert mail["From"] == seeded.config["MAIL_FROM"]
    with seeded.app_context():
        due = db.session.get(Claim, submitted_claim).supplement_due
    assert f"请于{chinese_date(due)}前补正" in mail.get_content()
    [sent] = _deliveries(seeded, submitted_claim)
    assert (sent.channel, sent.status, sent.attempts) == ("email", "sent", 1)
    assert sent.address == "caiwu@huadong.example.cn" and sent.sent_at is not None


def test_an_sms_reaches_the_gateway_as_json(seeded, api, submitted_claim, sms):
    choose_channels(seeded, "ent_huadong", sms=True, sms_phone="13800000001")
    _return(api, submitted_claim)
    [body] = sms.received
    assert body["to"] == "13800000001"
    assert body["subject"].startswith("请补正申报材料") and "逾期未补正" in body["text"]
    assert sms.headers[0]["Authorization"] == "Bearer gw-token"
    [sent] = _deliveries(seeded, submitted_claim)
    assert (sent.channel, sent.status) == ("sms", "sent")


def test_a_down_smtp_server_leaves_the_delivery_failed_and_deliver_pending_sends_it_later(
    seeded, api, submitted_claim, smtp, sms
):
    choose_channels(
        seeded,
        "ent_huadong",
        email=True,
        email_address="a@huadong.example.cn",
        sms=True,
        sms_phone="13800000001",
    )
    _return(api, submitted_claim)  # the SMTP server is not started: nobody answers its port
    failed, sent = _deliveries(seeded, submitted_claim)
    assert (failed.channel, failed.status, failed.attempts) == ("email", "failed", 1)
    assert "Connection" in failed.last_error or "refused" in failed.last_error.lower()
    assert (sent.channel, sent.status) == ("sms", "sent")  # one channel's failure is its own

    runner = seeded.test_cli_runner()
    # Not due again before its backoff has passed.
    assert "sent 0, failed 0, pending 1" in runner.invoke(args=["deliver-pending"]).output
    smtp.start()
    result = runner.invoke(args=["deliver-pending", "--now", _later(2)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "messages: sent 1, failed 0, pending 0"
    [(to, mail)] = smtp.received
    assert to == ["a@huadong.example.cn"] and mail["Subject"].startswith("请补正申报材料")
    again, _ = _deliveries(seeded, submitted_claim)
    assert (again.status, again.attempts, again.last_error) == ("sent", 2, "")
    assert len(sms.received) == 1  # the SMS was sent once, not again


def test_tick_retries_the_failed_deliveries_too(seeded, api, submitted_claim, sms):
    choose_channels(seeded, "ent_huadong", sms=True, sms_phone="13800000001")
    sms.status = 503  # the gateway refuses
    _return(api, submitted_claim)
    [failed] = _deliveries(seeded, submitted_claim)
    assert failed.status == "failed" and "503" in failed.last_error
    sms.status = 200
    output = seeded.test_cli_runner().invoke(args=["tick", "--now", _later(2)]).output
    assert "messages: sent 1, failed 0, pending 0" in output
    assert len(sms.received) == 2


def test_a_delivery_is_tried_at_most_the_capped_number_of_times(seeded, api, submitted_claim, smtp):
    seeded.config["NOTIFY_MAX_ATTEMPTS"] = 3
    choose_channels(seeded, "ent_huadong", email=True, email_address="a@huadong.example.cn")
    _return(api, submitted_claim)  # attempt 1, the server down
    runner = seeded.test_cli_runner()
    for minutes in (5, 30, 60):  # attempts 2 and 3, then none: the cap is reached
        runner.invoke(args=["deliver-pending", "--now", _later(minutes)])
    [capped] = _deliveries(seeded, submitted_claim)
    assert (capped.status, capped.attempts) == ("failed", 3)
    assert "pending 0" in runner.invoke(args=["deliver-pending", "--now", _later(600)]).output


def test_with_a_task_queue_the_deliveries_go_to_its_workers(
    seeded, api, submitted_claim, sms, monkeypatch
):
    from approvals import jobs, worker

    handed = []
    monkeypatch.setattr(worker, "enqueue", lambda name, *args: handed.append((name, args)) or True)
    seeded.config["CELERY_BROKER_URL"] = "redis://127.0.0.1:1/0"  # never reached: a stand-in
    choose_channels(seeded, "ent_huadong", sms=True, sms_phone="13800000001")
    _return(api, submitted_claim)
    # The notice's PDF goes to the queue too (approvals/notices/outbox.py).
    [(name, args)] = [job for job in handed if job[0] == delivery.DELIVER_JOB]
    assert sms.received == []  # left to the worker
    with seeded.app_context():
        assert jobs.run(name, list(args)) == 1  # what the worker runs (approvals/worker.py)
    assert len(sms.received) == 1


def test_a_channel_turned_off_before_the_retry_is_not_used(seeded, api, submitted_claim, smtp):
    choose_channels(seeded, "ent_huadong", email=True, email_address="a@huadong.example.cn")
    _return(api, submitted_claim)  # the server down: failed, to be retried
    choose_channels(seeded, "ent_huadong")  # the enterprise turns e-mail off
    smtp.start()
    output = seeded.test_cli_runner().invoke(args=["deliver-pending", "--now", _later(2)]).output
    assert output.strip() == "messages: sent 0, failed 1, pending 0"
    assert smtp.received == []
    [off] = _deliveries(seeded, submitted_claim)
    assert (off.status, off.last_error) == ("failed", "email turned off")
