"""The inbox page (站内信): the unread count in the header, a message opened is read, all
marked read at once, nobody opens another's message; the enterprise chooses its channels on
its profile page."""

from __future__ import annotations

import re

from sqlalchemy import select

from approvals.extensions import db
from approvals.notifications.models import ChannelChoice
from approvals.organisations.models import User
from tests.web.conftest import text

RETURN = {"comment": "请补充近三年审计报告", "supplement_days": "10"}


def _unread_in_header(page: str) -> str | None:
    match = re.search(r'id="inbox-link">[^<]*(?:<span[^>]*unread-count[^>]*>(\d+)</span>)?', page)
    assert match, "no inbox link in the header"
    return match.group(1)


def test_the_header_counts_the_unread_and_opening_a_message_reads_it(
    seeded, api, web, submitted_claim, inbox_of
):
    api("reviewer_jmj").fire(submitted_claim, "return_for_supplement", **RETURN)
    receipt, supplement = inbox_of("ent_huadong")
    client = web("ent_huadong")
    page = text(client.get("/claims/mine"))
    assert _unread_in_header(page) == "2"

    inbox = text(client.get("/inbox"))
    assert "未读消息：2条" in inbox and supplement.subject in inbox
    opened = text(client.get(f"/inbox?open={supplement.id}"))
    assert supplement.body in opened
    assert _unread_in_header(opened) == "1" and "未读消息：1条" in opened
    read, unread = inbox_of("ent_huadong")[1], inbox_of("ent_huadong")[0]
    assert read.read_at is not None and unread.read_at is None

    res = client.post("/inbox/read")
    assert res.status_code == 302
    page = text(client.get("/inbox"))
    assert _unread_in_header(page) is None and "未读消息：0条" in page
    assert all(m.read_at is not None for m in inbox_of("ent_huadong"))


def test_nobody_opens_another_users_message(seeded, web, submitted_claim, inbox_of):
    [receipt] = inbox_of("ent_huadong")
    for username in ("ent_jiangnan", "reviewer_jmj", "admin"):
        assert web(username).get(f"/inbox?open={receipt.id}").status_code == 404
    assert inbox_of("ent_huadong")[0].read_at is None
    assert web(None).get("/inbox").status_code == 302  # to the sign-in page


def test_officials_have_an_inbox_too(seeded, web):
    page = text(web("reviewer_jmj").get("/inbox"))
    assert "还没有消息" in page and _unread_in_header(page) is None


def _choice(app, username):
    with app.app_context():
        enterprise_id = db.session.scalar(
            select(User.enterprise_id).where(User.username == username)
        )
        choice = db.session.get(ChannelChoice, enterprise_id)
        return None if choice is None else (choice.channels, choice.email_address, choice.sms_phone)


def test_the_enterprise_chooses_its_channels_on_its_profile_page(seeded, web):
    client = web("ent_huadong")
    page = text(client.get("/profile"))
    assert 'action="/inbox/channels"' in page and "站内信（始终开启）" in page
    res = client.post(
        "/inbox/channels",
        {"email": "y", "email_address": "cw@huadong.example.cn", "sms_phone": "13800000001"},
    )
    assert res.status_code == 302 and res.headers["Location"].endswith("/profile#channels")
    assert _choice(seeded, "ent_huadong") == (("email",), "cw@huadong.example.cn", "13800000001")
    page = text(client.get("/profile"))
    assert "通知方式已保存" in page and 'value="cw@huadong.example.cn"' in page

    client.post("/inbox/channels", {"sms": "y", "sms_phone": "12345"})
    assert "请填写11位手机号码" in text(client.get("/profile"))
    assert _choice(seeded, "ent_huadong")[0] == ("email",)  # unchanged
    assert web("reviewer_jmj").post("/inbox/channels", {"sms": "y"}).status_code == 403
