"""Every notice of the department/township track says only what is true for the path taken:
each move of workflows/platform_claim/v1.toml is driven and its notice read against a table
of what it must and must not say; a move without its row fails the table's own test."""

from __future__ import annotations

import tomllib
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from approvals.claims.models import Claim, ClaimEvent
from approvals.claims.supplement import lapse_overdue
from approvals.clock import LOCAL
from approvals.config import REPO_ROOT
from approvals.extensions import db
from approvals.notices.models import Notice
from tests.platform.conftest import LIN, PLATFORM, SHARE, TOWNSHIP, notice_text

WORKFLOW = REPO_ROOT / "workflows" / "platform_claim" / "v1.toml"
JOINTLY = "经示范市经济贸易局会同示范市招商局、示范市财政局联合审核"
BY_ZSJ = "经示范市招商局会同示范市经济贸易局、示范市财政局联合审核"  # clause 5's lead
ENTERPRISE_PATH = ("市财政局复核", "我局复核", "初审、")
RETURN = {"comment": "请补充规划成果评审意见", "supplement_days": 10}


def step(who, trigger, kind, source, dest, must=(), must_not=(), **payload):
    return (who, trigger, payload, (kind, trigger, source, dest, must, must_not))


def submitted(source="draft", again=False):
    said = ("受理回执", "不代表审核意见", *(("补正后重新提交",) if again else ()))
    return step("claimant", "submit", "receipt", source, "lead_review", said, ("联合审核",))


def jointly(dest: str, must=(), must_not=()):
    return step(
        "joint", "joint_approve", "joint_opinion", "under_joint_review", dest, must, must_not
    )


LEAD = step(
    "lead", "lead_approve", "lead_opinion", "lead_review", "under_joint_review",
    ("审核意见书", "经我局审核", "核定金额如下", "现由我局会同示范市招商局、示范市财政局联合审核"),
    ("审定", "拨付", "你局"), approved_amount="90000.00", comment="材料齐全，同意",
)  # fmt: skip
# (policy, claimant, steps): each path files its own claim.
PATHS = {
    "direct payout": ("PT2-PLAN", TOWNSHIP, [
        submitted(), LEAD,
        jointly("approved", (JOINTLY, "同意按核定金额予以拨付"), ("审定", *ENTERPRISE_PATH)),
        step("finance", "disburse", "payout", "approved", "disbursed",
             (JOINTLY, "拨付至你单位账户", "********6789"), ("市政府审定", *ENTERPRISE_PATH),
             payment_reference="ZF-2026-01"),
    ]),
    "returned and withdrawn": ("PT2-PLAN", PLATFORM, [
        submitted(),
        step("lead", "return_for_supplement", "supplement", "lead_review", "returned",
             ("补正事项", "视为放弃申报"), ("联合审核",), **RETURN),
        submitted("returned", again=True),
        step("claimant", "withdraw", "withdrawal", "lead_review", "withdrawn",
             ("撤回", "终止办理"), (), comment="项目调整"),
    ]),
    "lapsed": ("PT3-INDUSTRY", TOWNSHIP, [
        submitted(),
        step("lead", "return_for_supplement", "supplement", "lead_review", "returned", **RETURN),
        step("system", "lapse", "lapse", "returned", "lapsed", ("逾期未补正，视为放弃申报",)),
    ]),
    "withdrawn when returned": ("PT3-INDUSTRY", TOWNSHIP, [
        submitted(),
        step("lead", "return_for_supplement", "supplement", "lead_review", "returned", **RETURN),
        step("claimant", "withdraw", "withdrawal", "returned", "withdrawn", ("撤回",)),
    ]),
    "withdrawn as a draft": ("PT4-TAXSHARE", PLATFORM, [
        step("claimant", "withdraw", "withdrawal", "draft", "withdrawn", ("尚未提交",)),
    ]),
    "rejected by the lead": ("PT2-PLAN", TOWNSHIP, [
        submitted(),
        step("lead", "lead_reject", "rejection", "lead_review", "rejected",
             ("经我局初审", "决定不予支持", "行政复议"), ("联合审核", "复核", "审定"),
             comment="不属于工业平台规划"),
    ]),
    "sent back and rejected by the government": ("PT1-INFRA", PLATFORM, [
        submitted(), LEAD, jointly("government_review", ("报请市政府审定",), ENTERPRISE_PATH),
        step("gov", "gov_send_back", "send_back", "government_review", "lead_review",
             ("示范市经济贸易局：", "经我办审查，现退回你局重新审核"), ("复核",),
             comment="贴息基数请再核"),
        LEAD,
        step("joint_disagree", "joint_return", "joint_send_back", "under_joint_review",
             "lead_review", ("示范市经济贸易局：", "意见不一致", "现退回你局重新审核"),
             ("同意按",)),
        LEAD, jointly("government_review"),
        step("gov", "gov_reject", "rejection", "government_review", "rejected",
             (f"{JOINTLY}、市政府审定", "决定不予支持"), ENTERPRISE_PATH, comment="不符合条件"),
    ]),
    "recognised": ("PT4-TAXSHARE", TOWNSHIP, [
        submitted(),
        step("lead", "lead_recognise", "lead_opinion", "lead_review", "under_joint_review",
             ("拟认定地方税收分成比例和期限如下", "拟认定分成比例30%"), ("核定金额",),
             comment="同意认定", **SHARE),
        jointly("government_review", ("同意按下列分成比例和期限报请市政府审定",), ("核定金额",)),
        step("gov", "gov_approve", "recognition_result", "government_review", "recognised",
             ("认定你单位地方税收分成比例为30%", "不涉及资金拨付"), ("核定金额", "申报金额"),
             comment="同意"),
    ]),
    "rewards approved by the government": ("PT5-MAJOR", TOWNSHIP, [
        step("rewards", "submit", "receipt", "draft", "lead_review", ("受理回执",)),
        step("lead", "lead_approve", "lead_opinion", "lead_review", "under_joint_review",
             approved_amount="90000.00", comment="同意"),
        jointly("government_review"),
        step("gov", "gov_approve", "approval", "government_review", "approved",
             (f"{BY_ZSJ}、市政府审定", "资金由市财政局按规定拨付"), ENTERPRISE_PATH,
             comment="同意"),
    ]),
}  # fmt: skip


def test_every_move_of_the_track_has_its_wording_in_the_table():
    data = tomllib.loads(WORKFLOW.read_text(encoding="utf-8"))
    moves = {
        (m["notice"], m["trigger"], source, m["dest"])
        for m in data["transitions"]
        for source in (m["source"] if isinstance(m["source"], list) else [m["source"]])
    }
    worded = {said[:4] for _, _, steps in PATHS.values() for *_, said in steps}
    assert sorted(moves - worded) == []


def _take(track, api, claim_id: int, policy: str, claimant: str, who, trigger, payload):
    if who == "joint":
        track.joint(claim_id)
    elif who == "joint_disagree":
        track.joint(claim_id, "JMJ", decision="disagree", opinion="贴息基数仍有出入，不同意")
    elif who == "system":  # the tick, once the 补正期限 has passed
        claim = db.session.get(Claim, claim_id)
        after = datetime.combine(claim.supplement_due + timedelta(days=1), time(9), LOCAL)
        assert lapse_overdue(after).lapsed == [claim.number]
    elif who == "lead":
        res = track.lead(claim_id, policy, trigger, **payload)
        assert res.status_code == 200, res.json
    else:
        if who == "rewards":
            assert track.reward(claim_id, LIN, claimant).status_code == 201
        username = {"claimant": claimant, "rewards": claimant}.get(who, who)
        res = api(username).fire(claim_id, trigger, **payload)
        assert res.status_code == 200, res.json


@pytest.mark.parametrize("path", sorted(PATHS))
def test_each_notice_says_what_is_true_for_the_path_taken(seeded, api, track, path):
    policy, claimant, steps = PATHS[path]
    amount = None if policy == "PT4-TAXSHARE" else "100000.00"
    claim_id = track.file(policy, claimant, amount=amount)
    problems = []
    for n, (who, trigger, payload, says) in enumerate(steps, 1):
        with seeded.app_context():
            _take(track, api, claim_id, policy, claimant, who, trigger, payload)
            event = db.session.scalars(
                select(ClaimEvent)
                .where(ClaimEvent.claim_id == claim_id, ClaimEvent.trigger == trigger)
                .order_by(ClaimEvent.id.desc())
            ).first()
            notice = db.session.scalar(select(Notice).where(Notice.event_id == event.id))
            taken = (notice.kind, event.trigger, event.from_state, event.to_state)
            if taken != says[:4]:
                problems.append(f"step {n}: the table says {says[:4]}, the path took {taken}")
            text = notice_text(notice.pdf)
            problems += [f"step {n} {trigger}: missing {m!r}" for m in says[4] if m not in text]
            problems += [f"step {n} {trigger}: says {m!r}" for m in says[5] if m in text]
    assert problems == []
