"""A recovery notice states the case's amounts, read from its ledger, whichever door the move
came by: the finance services (资金追回 page), the one door as the claim page's decision form
takes it (`runtime.advance`), or the API. The opinion block holds only what was typed."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from approvals.claims.models import Claim, ClaimEvent
from approvals.extensions import db
from approvals.finance import recovery
from approvals.notices.facts import facts_from_json
from approvals.notices.models import Notice
from approvals.notices.numerals import to_capital_yuan
from approvals.notices.render import render_notice
from approvals.organisations.models import User
from approvals.workflow import runtime
from tests.notices.test_wording import notice_text

DOORS = ("service", "runtime", "api")
REASON = "企业五年内迁出本市，违反兑现承诺"
NOTE = "企业分两次退回"
WRITE_OFF_REASON = "企业已注销，无财产可供执行"
DUE, FIRST, REST = "60000.00", "25000.50", "34999.50"

# The moves of a case ending each way: (trigger, the values the official gives).
START = ("put_in_recovery", {"recovery_amount": DUE, "comment": REASON})
FIRST_REPAYMENT = ("record_repayment", {"repayment_amount": FIRST})
ENDINGS = {
    "recovered": [
        START,
        FIRST_REPAYMENT,
        ("record_repayment", {"repayment_amount": REST, "comment": NOTE}),
        ("close_recovery", {}),
    ],
    "written_off": [START, FIRST_REPAYMENT, ("write_off", {"comment": WRITE_OFF_REASON})],
}
LABELS = ("应追回金额", "本次还款金额", "累计还款金额", "尚欠金额", "核销金额")


def stated(label: str, figure: str) -> str:
    """A row of the notice's table as pdftotext reads it, whitespace removed."""
    value = Decimal(figure)
    return f"{label}{value:,.2f}元人民币{to_capital_yuan(value)}"


# What each notice of a case must state, in the order its moves are taken.
MUST = {
    "recovered": [
        ("recovery", [stated("应追回金额", DUE), f"追回原因：{REASON}"]),
        (
            "repayment",
            [
                stated("应追回金额", DUE),
                stated("本次还款金额", FIRST),
                stated("累计还款金额", FIRST),
                stated("尚欠金额", REST),
                "尚欠资金请按追回通知书的要求及时退回",
            ],
        ),
        (
            "repayment",
            [
                stated("本次还款金额", REST),
                stated("累计还款金额", DUE),
                stated("尚欠金额", "0"),
                "应追回资金已全部退回",
                f"备注：{NOTE}",
            ],
        ),
        ("recovery_closed", [stated("应追回金额", DUE), stated("累计还款金额", DUE)]),
    ],
    "written_off": [
        ("recovery", [stated("应追回金额", DUE)]),
        ("repayment", [stated("尚欠金额", REST)]),
        (
            "write_off",
            [
                stated("应追回金额", DUE),
                stated("累计还款金额", FIRST),
                stated("核销金额", REST),
                f"核销原因：{WRITE_OFF_REASON}",
            ],
        ),
    ],
}


def _finance() -> User:
    return db.session.scalar(select(User).filter_by(username="finance"))


def _version(claim_id: int) -> int:
    return db.session.get(Claim, claim_id, populate_existing=True).version


def _by_service(claim_id: int, trigger: str, values: dict) -> None:
    finance, version = _finance(), _version(claim_id)
    if trigger == "put_in_recovery":
        recovery.start(finance, claim_id, values["recovery_amount"], REASON, version=version)
    elif trigger == "record_repayment":
        note = values.get("comment", "")
        recovery.repay(finance, claim_id, values["repayment_amount"], version=version, note=note)
    elif trigger == "close_recovery":
        recovery.close(finance, claim_id, version=version)
    else:
        recovery.waive(finance, claim_id, values["comment"], version=version)


def _take(app, api, door: str, claim_id: int, trigger: str, values: dict) -> None:
    if door == "api":
        res = api("finance").fire(claim_id, trigger, **values)
        assert res.status_code == 200, res.json
        return
    with app.app_context():
        if door == "service":
            _by_service(claim_id, trigger, values)
        else:
            runtime.advance(_finance(), claim_id, trigger, version=_version(claim_id), **values)


def _notices(app, claim_id: int) -> list[tuple[str, str, str | None]]:
    """(kind, text, the event's comment) of the case's notices, in order."""
    with app.app_context():
        rows = db.session.execute(
            select(Notice, ClaimEvent.comment)
            .join(ClaimEvent, Notice.event_id == ClaimEvent.id)
            .where(Notice.claim_id == claim_id, Notice.kind != "payout")
            .order_by(Notice.id)
        ).all()
        for notice, _ in rows:  # the stored facts give back the very bytes issued
            assert render_notice(facts_from_json(notice.facts)) == notice.pdf
        return [(n.kind, notice_text(n.pdf), comment) for n, comment in rows]


def figures(text: str) -> list[tuple[str, str]]:
    return re.findall(rf"({'|'.join(LABELS)})([\d,]+\.\d{{2}})元", text)


@pytest.mark.parametrize("ending", sorted(ENDINGS))
def test_recovery_notices_state_the_ledger_amounts_whichever_door_was_used(
    ending, seeded, api, make_claim, make_enterprise
):
    stated_by_door = {}
    for door in DOORS:
        claim = make_claim(
            "disbursed",
            enterprise=make_enterprise(),
            requested_amount="120000.00",
            approved_amount="100000.00",
        )
        for trigger, values in ENDINGS[ending]:
            _take(seeded, api, door, claim.id, trigger, values)
        notices = _notices(seeded, claim.id)
        assert [kind for kind, _, _ in notices] == [kind for kind, _ in MUST[ending]], door
        for (kind, text, _), (_, must) in zip(notices, MUST[ending], strict=True):
            missing = [m for m in must if m not in text]
            assert missing == [], (door, kind, missing)
        stated_by_door[door] = [figures(text) for _, text, _ in notices]
    assert stated_by_door["runtime"] == stated_by_door["service"]
    assert stated_by_door["api"] == stated_by_door["service"]


def test_the_opinion_holds_only_what_the_official_typed(seeded, make_claim, make_enterprise):
    """The services no longer write amounts into the opinion: the event's comment is the
    reason or the note, and a close without one has none."""
    claim = make_claim("disbursed", enterprise=make_enterprise(), approved_amount="100000.00")
    for trigger, values in ENDINGS["recovered"]:
        _take(seeded, None, "service", claim.id, trigger, values)
    comments = [comment for _, _, comment in _notices(seeded, claim.id)]
    assert comments == [REASON, None, NOTE, None]
    with seeded.app_context():
        assert recovery.recovery_for(claim.id).reason == REASON


def test_a_recovery_notice_issued_before_its_amounts_were_recorded_still_renders(
    seeded, make_claim, make_enterprise
):
    """Stored facts without the case's figures load and print as they were issued: the
    amounts then stood in the opinion, and the repayment keeps its conditional sentence."""
    claim = make_claim("disbursed", enterprise=make_enterprise(), approved_amount="100000.00")
    for trigger, values in ENDINGS["recovered"][:2]:
        _take(seeded, None, "runtime", claim.id, trigger, values)
    with seeded.app_context():
        notice = db.session.scalars(
            select(Notice).filter_by(claim_id=claim.id, kind="repayment")
        ).one()
        old = {k: v for k, v in notice.facts.items() if k not in ("repayment", "outstanding")}
        old |= {"recovery_due": None, "repaid_total": None}
        old["comment"] = "本次收到还款：25,000.50 元\n尚欠金额：34,999.50 元"
        text = notice_text(render_notice(facts_from_json(old)))
    assert "尚有欠款的，请按追回通知书的要求及时退回" in text
    assert "备注：本次收到还款：25,000.50元" in text
    assert figures(text) == []
