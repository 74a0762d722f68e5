"""The channels a message leaves by: e-mail over SMTP, and SMS through a gateway's HTTP API.

Each sender raises on any failure (refused, down, timed out, a gateway's non-2xx answer);
the caller records it on the delivery and retries later. The SMS gateway is an adapter: one
JSON POST to `SMS_GATEWAY_URL`, `{"to", "subject", "text"}`, so that a provider's own API
(Aliyun, Tencent Cloud, a government SMS platform) is a small bridge in front of it, and
the tests need only a local HTTP receiver.
"""

from __future__ import annotations

import json
import smtplib
import urllib.request
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

from approvals.notifications.models import EMAIL, SMS


class NotConfigured(RuntimeError):
    """The channel has no server configured: the delivery fails and waits for one."""


def send_email(address: str, subject: str, body: str) -> None:
    config = current_app.config
    host = config.get("SMTP_HOST")
    if not host:
        raise NotConfigured("SMTP_HOST is not configured")
    mail = EmailMessage()
    mail["From"] = config["MAIL_FROM"]
    mail["To"] = address
    mail["Subject"] = subject
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain=config["MAIL_FROM"].rpartition("@")[2] or None)
    mail.set_content(body)
    with smtplib.SMTP(host, int(config["SMTP_PORT"]), timeout=config["SMTP_TIMEOUT"]) as smtp:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("SMTP_USERNAME"):
            smtp.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD") or "")
        smtp.send_message(mail)


def send_sms(phone: str, subject: str, body: str) -> None:
    config = current_app.config
    url = config.get("SMS_GATEWAY_URL")
    if not url:
        raise NotConfigured("SMS_GATEWAY_URL is not configured")
    payload = json.dumps({"to": phone, "subject": subject, "text": body}, ensure_ascii=False)
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if config.get("SMS_GATEWAY_TOKEN"):
        headers["Authorization"] = f"Bearer {config['SMS_GATEWAY_TOKEN']}"
    request = urllib.request.Request(url, data=payload.encode(), headers=headers, method="POST")
    # urlopen raises HTTPError for an answer outside 2xx/3xx, URLError when nobody answers.
    with urllib.request.urlopen(request, timeout=config["SMS_GATEWAY_TIMEOUT"]) as answer:
        answer.read()


SENDERS = {EMAIL: send_email, SMS: send_sms}
