"""When a clause with conditions opens, the enterprises whose profile matches are told, once,
in their inbox and on their chosen channels, with a link that starts a pre-filled claim."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from approvals.eligibility.models import ClauseMatch
from approvals.extensions import db
from approvals.notifications.models import Message
from approvals.organisations.models import User
from tests.eligibility.conftest import today_of

HIGH_TECH = [{"kind": "qualification", "qualification": "high_tech"}]


def _messages(app, username: str) -> list[Message]:
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == username))
        rows = db.session.scalars(select(Message).where(Message.recipient_id == user_id))
        return [(m.subject, m.body, [d.channel for d in m.deliveries]) for m in rows]


def _at(day, time="00:01") -> str:
    return f"{day.isoformat()}T{time}+08:00"


def test_enterprises_that_match_are_told_once_when_the_clause_opens(seeded, make_policy, tick):
    today = today_of(seeded)
    tomorrow = today + timedelta(days=1)
    code = make_policy(
        title_zh="匹配测试高企奖励",
        eligibility=HIGH_TECH,
        window_open=tomorrow,
        window_close=today + timedelta(days=30),
    )
    before = len(_messages(seeded, "ent_huadong"))
    tick(_at(today, "12:00"))  # not open yet: nobody is told
    assert len(_messages(seeded, "ent_huadong")) == before
    output = tick(_at(tomorrow))
    assert f"{code}: told 1" in output
    told = _messages(seeded, "ent_huadong")[before:]
    assert len(told) == 1
    subject, body, _channels = told[0]
    assert "匹配测试高企奖励" in subject
    assert f"https://approvals.example.gov.cn/calculator/claim/{code}" in body
    assert f"/guides/{code}" in body and "需持有有效的高新技术企业证书" in body
    # 江南新材料 holds no high-tech certificate: not told.
    assert not any(code in body for _s, body, _c in _messages(seeded, "ent_jiangnan"))
    # Another tick, even of the same day, tells nobody again.
    tick(_at(tomorrow, "08:00"))
    tick(_at(tomorrow + timedelta(days=1)))
    assert len(_messages(seeded, "ent_huadong")) == before + 1
    with seeded.app_context():
        assert db.session.scalar(select(func.count()).select_from(ClauseMatch)) == 1


def test_a_clause_created_open_is_announced_at_the_next_tick_on_the_chosen_channels(
    seeded, make_policy, tick
):
    from approvals.notifications.models import ChannelChoice

    with seeded.app_context():
        user = db.session.scalar(select(User).where(User.username == "ent_huadong"))
        db.session.add(
            ChannelChoice(
                enterprise_id=user.enterprise_id, email=True, email_address="a@huadong.example.cn"
            )
        )
        db.session.commit()
    today = today_of(seeded)
    code = make_policy(eligibility=HIGH_TECH, window_open=today - timedelta(days=2))
    assert f"{code}: told 1" in tick(_at(today, "09:00"))
    [(_subject, body, channels)] = [m for m in _messages(seeded, "ent_huadong") if code in m[1]]
    assert channels == ["email"]


def test_a_clause_whose_opening_moved_is_announced_on_its_new_day(seeded, make_policy, tick):
    from approvals.policies.models import Policy

    today = today_of(seeded)
    code = make_policy(
        eligibility=HIGH_TECH,
        window_open=today + timedelta(days=1),
        window_close=today + timedelta(days=30),
    )
    with seeded.app_context():
        policy = db.session.scalar(select(Policy).where(Policy.code == code))
        policy.window_open = today + timedelta(days=5)
        db.session.commit()
    output = tick(_at(today + timedelta(days=1)))
    assert f"obsolete: {code} now opens on" in output
    assert not any(code in m[1] for m in _messages(seeded, "ent_huadong"))
    assert f"{code}: told 1" in tick(_at(today + timedelta(days=5)))


def test_a_clause_without_conditions_tells_nobody(seeded, make_policy, tick):
    today = today_of(seeded)
    code = make_policy(window_open=today)
    assert code not in tick(_at(today, "09:00"))
