"""A publicity period (公示) before payout, through the real services on both databases, with
the app's clock stopped at chosen Beijing times: an upheld and a dismissed objection with
their notice and messages, and the payout gate before, during and after the period."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from approvals.claims.models import Claim
from approvals.errors import Conflict, Invalid
from approvals.extensions import db
from approvals.finance import batches
from approvals.finance.models import Budget
from approvals.notifications.models import Message
from approvals.organisations.models import User
from approvals.publicity import services
from approvals.publicity.models import Publicity
from approvals.workflow import runtime
from tests.conftest import PDF_BYTES
from tests.finance.conftest import actor
from tests.publicity.conftest import POLICY, at

MONDAY = "2026-12-07T10:00"  # 5 working days: 7–11 December
DURING = "2026-12-09T15:00"
AFTER = "2026-12-14T09:00"  # the Monday after


def objection(publicity, claim_id: int, now, **overrides):
    item = next(i for i in publicity.items if i.claim_id == claim_id)
    values = {
        "name": "李明",
        "phone": "13800001111",
        "email": "liming@example.cn",
        "grounds": "该企业项目尚未建成投产，与申报材料不符。",
        "data": PDF_BYTES,
        "filename": "现场照片说明.pdf",
    } | overrides
    return services.lodge(publicity.id, item.id, now=now, **values)


def disburse(claim_id: int, now):
    claim = db.session.get(Claim, claim_id, populate_existing=True)
    return runtime.advance(
        actor("finance"), claim_id, "disburse", version=claim.version, now=now,
        payment_reference=f"ZF-{claim_id}",
    )  # fmt: skip


def inbox(username: str) -> list[str]:
    user = actor(username)
    return list(db.session.scalars(select(Message.subject).where(Message.recipient_id == user.id)))


def claimant(claim_id: int) -> str:
    return db.session.get(Claim, claim_id).created_by.username


def test_publicity_with_an_upheld_and_a_dismissed_objection(seeded, approved):
    upheld_id, dismissed_id = approved(2)
    with seeded.app_context():
        budget = db.session.scalar(select(Budget).join(Budget.policy).filter_by(code=POLICY))
        reserved_before = budget.reserved
        # An approved claim of a clause with publicity waits for it: not payable, not batched.
        with pytest.raises(Invalid, match="尚未列入公示"):
            disburse(upheld_id, at(seeded, "2026-12-04T10:00"))
        assert {c.id for c in batches.payable_claims()}.isdisjoint({upheld_id, dismissed_id})

        publicity = services.publish(actor("finance"), POLICY, now=at(seeded, MONDAY))
        assert (publicity.starts_on.isoformat(), publicity.ends_on.isoformat()) == (
            "2026-12-07",
            "2026-12-11",
        )
        notice = publicity.notice
        assert notice.kind == "publicity" and notice.number.startswith("财兑〔2026〕")
        assert notice.facts["count"] == 2 and notice.facts["total_amount"] == "2000.00"
        assert notice.pdf.startswith(b"%PDF")  # rendered after the commit, for real
        for claim_id in (upheld_id, dismissed_id):
            assert any("已列入公示" in s for s in inbox(claimant(claim_id)))

        # Objections, by nobody signed in; the department is told of each.
        now = at(seeded, DURING)
        first = objection(publicity, upheld_id, now)
        second = objection(publicity, dismissed_id, now, email="", grounds="金额有误。")
        assert sum("公示异议待处理" in s for s in inbox("reviewer_jmj")) == 2
        with pytest.raises(Invalid, match="正在公示"):
            disburse(dismissed_id, now)
        with pytest.raises(Invalid, match="所选申报均不能编入批次"):
            batches.compose(actor("finance"), [upheld_id, dismissed_id])

        # Upheld: the claim goes back to the department's review, its reservation released.
        reviewer = actor("reviewer_jmj")
        services.resolve(reviewer, first.id, "upheld", "经现场核查，项目未投产，异议属实。",
                         now=now)  # fmt: skip
        claim = db.session.get(Claim, upheld_id, populate_existing=True)
        assert claim.state == "submitted"
        event = claim.events[-1]
        assert event.trigger == "reopen_on_objection" and event.actor.role == "system"
        assert "异议属实" in event.comment
        assert event.payload["publicity_objection"]["decided_by"] == (
            reviewer.display_name or reviewer.username
        )
        db.session.refresh(budget)
        assert budget.reserved == reserved_before - Decimal("1000.00")
        assert any("异议成立" in s for s in inbox(claimant(upheld_id)))

        # Dismissed, with reasons: the claim stays on the list, paid only after the period.
        services.resolve(reviewer, second.id, "dismissed", "经核实，核定金额无误。", now=now)
        assert any("异议不成立" in s for s in inbox(claimant(dismissed_id)))
        with pytest.raises(Invalid, match="正在公示"):
            disburse(dismissed_id, now)
        with pytest.raises(Conflict, match="已处理"):
            services.resolve(reviewer, second.id, "upheld", "再议", now=now)

        # After the period, with nothing open: the dismissed one is paid through a batch.
        at(seeded, AFTER)
        payable = {c.id for c in batches.payable_claims()}
        assert dismissed_id in payable and upheld_id not in payable
        batch = batches.compose(actor("finance"), [dismissed_id])
        batches.confirm(actor("finance"), batch.id)
        assert db.session.get(Claim, dismissed_id, populate_existing=True).state == "disbursed"
        with pytest.raises(Conflict, match="公示期已结束"):
            objection(publicity, dismissed_id, at(seeded, AFTER))


def test_an_open_objection_holds_payout_after_the_period(seeded, approved):
    [claim_id] = approved(1)
    with seeded.app_context():
        publicity = services.publish(actor("finance"), POLICY, now=at(seeded, MONDAY))
        lodged = objection(publicity, claim_id, at(seeded, DURING))
        after = at(seeded, AFTER)
        with pytest.raises(Invalid, match="未处理的公示异议"):
            disburse(claim_id, after)
        assert claim_id not in {c.id for c in batches.payable_claims()}
        with pytest.raises(Invalid, match="未处理的公示异议"):
            batches.compose(actor("finance"), [claim_id])
        services.resolve(actor("reviewer_jmj"), lodged.id, "dismissed", "不属实。", now=after)
        assert claim_id in {c.id for c in batches.payable_claims()}
        disburse(claim_id, after)
        assert db.session.get(Claim, claim_id).state == "disbursed"


def test_the_period_is_counted_in_working_days_over_national_day(seeded, approved):
    [claim_id] = approved(1)
    with seeded.app_context():
        publicity = services.publish(actor("finance"), POLICY, now=at(seeded, "2026-09-29T10:00"))
        # 29 and 30 September, then 9 October and the make-up working day on Saturday the 10th.
        assert publicity.ends_on.isoformat() == "2026-10-10"
        with pytest.raises(Invalid, match="正在公示"):
            disburse(claim_id, at(seeded, "2026-10-10T16:00"))
        disburse(claim_id, at(seeded, "2026-10-12T09:00"))


def test_a_clause_without_publicity_is_paid_as_before(seeded, approved):
    [claim_id] = approved(1, days=None)
    with seeded.app_context():
        assert claim_id in {c.id for c in batches.payable_claims()}
        with pytest.raises(Invalid, match="没有待公示的申报"):
            services.publish(actor("finance"), POLICY, now=at(seeded, MONDAY))
        disburse(claim_id, at(seeded, MONDAY))
        assert db.session.get(Claim, claim_id).state == "disbursed"
        assert db.session.scalar(select(Publicity.id)) is None


def test_objections_refuse_bad_input_and_settling_is_the_departments(seeded, approved):
    [claim_id] = approved(1)
    with seeded.app_context():
        publicity = services.publish(actor("finance"), POLICY, now=at(seeded, MONDAY))
        now = at(seeded, DURING)
        with pytest.raises(Invalid) as refused:
            objection(publicity, claim_id, now, phone="", email="", data=b"not a pdf", name=" ")
        assert set(refused.value.fields) == {"name", "phone", "evidence"}
        with pytest.raises(Invalid) as refused:
            objection(publicity, claim_id, now, phone="12", email="not-an-address")
        assert set(refused.value.fields) == {"phone", "email"}
        lodged = objection(publicity, claim_id, now)
        other = db.session.scalar(select(User).filter_by(username="reviewer_kjj"))
        with pytest.raises(Exception) as hidden:
            services.resolve(other, lodged.id, "upheld", "理由", now=now)
        assert getattr(hidden.value, "status", None) == 404
        with pytest.raises(Invalid):
            services.resolve(actor("reviewer_jmj"), lodged.id, "maybe", "理由", now=now)
        with pytest.raises(Invalid):
            services.resolve(actor("reviewer_jmj"), lodged.id, "dismissed", "  ", now=now)
        with pytest.raises(Exception) as refused_role:
            services.publish(actor("reviewer_jmj"), POLICY, now=now)
        assert getattr(refused_role.value, "status", None) == 403
