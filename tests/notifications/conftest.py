"""Fixtures of the notification tests: a real SMTP server (aiosmtpd) and an SMS gateway (a
local HTTP receiver), each on a free port of its own, and the enterprise's messages."""

from __future__ import annotations

import json
import socket
import threading
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from approvals.extensions import db
from approvals.notifications.models import Message
from approvals.organisations.models import User
from tests.web.conftest import web  # noqa: F401  (the fixture)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """aiosmtpd's handler: every message the server accepted, parsed."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's name
        mail = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append((envelope.rcpt_tos, mail))
        return "250 OK"


class SmtpServer:
    """A real SMTP server on `port`, started and stopped by the test."""

    def __init__(self, port: int):
        self.port, self.mailbox, self.controller = port, Mailbox(), None

    def start(self) -> SmtpServer:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def received(self):
        return self.mailbox.received


@pytest.fixture
def smtp(seeded):
    """An SMTP server, not yet started, that the app is configured to send through."""
    server = SmtpServer(free_port())
    seeded.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=server.port, SMTP_TIMEOUT=5)
    yield server
    server.stop()


class SmsGateway:
    """A local HTTP receiver standing for the SMS provider: records every POST's JSON and
    answers `status`."""

    def __init__(self):
        self.received: list[dict] = []
        self.headers: list[dict] = []
        self.status = 200
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — http.server's name
                length = int(self.headers.get("Content-Length", 0))
                gateway.received.append(json.loads(self.rfile.read(length)))
                gateway.headers.append(dict(self.headers))
                self.send_response(gateway.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def log_message(self, *args):  # quiet in the test output
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/sms"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def sms(seeded):
    gateway = SmsGateway()
    seeded.config.update(SMS_GATEWAY_URL=gateway.url, SMS_GATEWAY_TOKEN="gw-token")
    yield gateway
    gateway.close()


@pytest.fixture
def inbox_of(seeded):
    """inbox_of("ent_huadong") → that user's messages, oldest first."""

    def read(username: str) -> list[Message]:
        with seeded.app_context():
            user_id = db.session.scalar(select(User.id).where(User.username == username))
            rows = db.session.scalars(
                select(Message).where(Message.recipient_id == user_id).order_by(Message.id)
            ).all()
            for row in rows:
                row.deliveries  # noqa: B018  (loaded before the session closes)
            db.session.expunge_all()
            return list(rows)

    return read


def choose_channels(app, username: str, **choice) -> None:
    """The enterprise's choice of channels, kept through the service the profile page uses."""
    from approvals.notifications.inbox import set_channels

    values = {"email": False, "email_address": "", "sms": False, "sms_phone": ""} | choice
    with app.app_context():
        actor = db.session.scalar(select(User).where(User.username == username))
        set_channels(actor, **values)
