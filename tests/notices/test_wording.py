"""Notices say only what is true: every notice of every path of the claim workflow, driven
through the services, is checked against a table of what it must and must not say.
Adding a path to workflows/enterprise_claim/v1.toml without its wording fails the suite."""

from __future__ import annotations

import re
import subprocess
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from approvals.claims import services
from approvals.claims.models import Claim, ClaimEvent
from approvals.extensions import db
from approvals.notices.models import Notice
from approvals.organisations.models import User
from approvals.policies.models import Policy
from approvals.workflow import runtime
from tests.conftest import PDF_BYTES

LOCAL = ZoneInfo("Asia/Shanghai")
WORKFLOW = Path(__file__).resolve().parents[2] / "workflows" / "enterprise_claim" / "v1.toml"
BASIS = "根据《关于推进工业提升发展的若干政策意见（试行）》（市委发〔2026〕40号）"
GOVERNMENT = ("市政府审定", "报请")
REVIEWERS = {"JMJ-PLAN": "reviewer_jmj", "JMJ-INFRA": "reviewer_jmj"}


@dataclass(frozen=True)
class Says:
    """A row of the table: the notice of (kind, trigger, source → dest) on one path."""

    kind: str
    trigger: str
    source: str
    dest: str
    must: tuple[str, ...] = ()
    must_not: tuple[str, ...] = ()
    # printed only when the deadline is not provisional (the year's calendar is official)
    if_official: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    who: str
    trigger: str
    payload: dict = field(default_factory=dict)
    says: Says | None = None


def step(who, trigger, source, dest, kind, must=(), must_not=(), if_official=(), **payload):
    return Step(
        who, trigger, payload, Says(kind, trigger, source, dest, must, must_not, if_official)
    )


# The wording of each move, shared by the paths that take it.
def submitted(source="draft", resubmission=False) -> Step:
    again = ("补正后重新提交",) if resubmission else ()
    return step(
        "ent_huadong", "submit", source, "submitted", "receipt",
        must=("受理回执", "营业执照", "营业执照.pdf", "不代表审核意见", *again),
        must_not=("经形式审查", "予以受理", "审核通过", "抄送", *(() if again else ("补正后",))),
    )  # fmt: skip


def recognised(source="submitted") -> Step:
    return step(
        "reviewer", "dept_approve", source, "finance_review", "recognition",
        must=("示范市经济贸易局文件", "示范市财政局：", "申请认定表", BASIS, "请予复核", "印发"),
        must_not=("你单位", "审定"),
        approved_amount="100000.00", comment="材料齐全，核定补助10万元",
    )  # fmt: skip


def finance_approved(to_government: bool) -> Step:
    if to_government:
        return step(
            "finance", "finance_approve", "finance_review", "government_review",
            "finance_opinion",
            must=("复核意见书", "同意按核定金额报请市政府审定", "审定结果另行通知",
                  "抄送：示范市经济贸易局，示范市人民政府办公室"),
            must_not=("予以拨付", "文件"), comment="预算充足，同意",
        )  # fmt: skip
    return step(
        "finance", "finance_approve", "finance_review", "approved", "finance_opinion",
        must=("复核意见书", "我局复核", "同意按核定金额予以拨付", "抄送：示范市经济贸易局"),
        must_not=(*GOVERNMENT, "审定", "文件"), comment="预算充足，同意",
    )  # fmt: skip


def disbursed(via_government: bool) -> Step:
    government = ("示范市经济贸易局初审、我局复核、市政府审定",) if via_government else ()
    return step(
        "finance", "disburse", "approved", "disbursed", "payout",
        must=("示范市财政局关于拨付", "兑现资金的通知", BASIS, "拨付至你单位账户",
              "开户银行", "中国工商银行城东支行", "********5678", "BOC-2027-0001",
              "实拨金额", *government),
        must_not=("核减", "文件", *(() if via_government else GOVERNMENT)),
        payment_reference="BOC-2027-0001",
    )  # fmt: skip


REJECTION = ("不予支持", "行政复议", "行政诉讼")
DIRECT = [submitted(), recognised(), finance_approved(False), disbursed(False)]
VIA_GOVERNMENT = [
    submitted(),
    recognised(),
    finance_approved(True),
    step(
        "gov", "gov_approve", "government_review", "approved", "approval",
        must=("审定意见书", "市财政局复核、市政府审定", "示范市人民政府办公室",
              "抄送：示范市财政局，示范市经济贸易局"),
        comment="同意",
    ),
    disbursed(True),
]  # fmt: skip
RECOVERY = [
    step(
        "finance", "put_in_recovery", "disbursed", "in_recovery", "recovery",
        must=("示范市财政局关于追回", "退回我局指定账户", "追回原因：企业迁出本市",
              "应追回金额60,000.00元人民币陆万元整"),
        recovery_amount="60000.00", comment="企业迁出本市",
    ),
    step(
        "finance", "record_repayment", "in_recovery", "in_recovery", "repayment",
        must=("还款确认书", "还款已收到", "本次还款金额60,000.00元人民币陆万元整",
              "尚欠金额0.00元人民币零元整", "应追回资金已全部退回"),
        must_not=("尚有欠款", "备注"), repayment_amount="60000.00",
    ),
]  # fmt: skip

PATHS: dict[str, tuple[str, list[Step]]] = {
    "direct payout": ("JMJ-PLAN", DIRECT),
    "via government": ("JMJ-INFRA", VIA_GOVERNMENT),
    "finance send-back, then rejection": ("JMJ-PLAN", [
        submitted(), recognised(),
        step(
            "finance", "finance_send_back", "finance_review", "submitted", "send_back",
            must=("示范市财政局文件", "示范市经济贸易局：", "退回你局重新审核", "退回意见"),
            must_not=("你单位", "审定"), comment="请核实项目投资额",
        ),
        recognised(),
        step(
            "finance", "finance_reject", "finance_review", "rejected", "rejection",
            must=("示范市财政局关于", "不予支持的通知", "我局复核", *REJECTION),
            must_not=GOVERNMENT, comment="项目不符合申报条件",
        ),
    ]),
    "government send-back, then rejection": ("JMJ-INFRA", [
        submitted(), recognised(), finance_approved(True),
        step(
            "gov", "gov_send_back", "government_review", "finance_review", "send_back",
            must=("示范市人民政府办公室文件", "示范市财政局：", "退回你局重新复核",
                  "抄送：示范市经济贸易局"),
            must_not=("你单位", "经市政府审定"), comment="请核实贷款合同",
        ),
        finance_approved(True),
        step(
            "gov", "gov_reject", "government_review", "rejected", "rejection",
            must=("市财政局复核、市政府审定", *REJECTION), comment="不符合支持方向",
        ),
    ]),
    "department rejection": ("JMJ-PLAN", [
        submitted(),
        step(
            "reviewer", "dept_reject", "submitted", "rejected", "rejection",
            must=("经我局初审", "抄送：示范市财政局", *REJECTION),
            must_not=("复核", "审定"), comment="不属于本政策支持范围",
        ),
    ]),
    "withdrawal of a draft": ("JMJ-PLAN", [
        step(
            "ent_huadong", "withdraw", "draft", "withdrawn", "withdrawal",
            must=("撤回确认书", "该申报尚未提交"), must_not=("终止办理", "审核"),
        ),
    ]),
    "withdrawal after submission": ("JMJ-PLAN", [
        submitted(),
        step(
            "ent_huadong", "withdraw", "submitted", "withdrawn", "withdrawal",
            must=("撤回确认书", "该申报自即日起终止办理"), must_not=("尚未提交",),
        ),
    ]),
    "supplement, resubmission, payout": ("JMJ-PLAN", [
        submitted(),
        step(
            "reviewer", "return_for_supplement", "submitted", "returned", "supplement",
            must=("关于补正工业平台规划编制经费申报材料的通知", "请于", "前补正",
                  "逾期未补正的，视为放弃申报", "请补充审计报告", "抄送：示范市财政局"),
            if_official=("（5个工作日）",), comment="请补充审计报告", supplement_days=5,
        ),
        submitted("returned", resubmission=True),
        recognised(), finance_approved(False), disbursed(False),
    ]),
    "supplement, withdrawal": ("JMJ-PLAN", [
        submitted(),
        Step("reviewer", "return_for_supplement", {"comment": "请补充审计报告"}),
        step(
            "ent_huadong", "withdraw", "returned", "withdrawn", "withdrawal",
            must=("该申报自即日起终止办理",), must_not=("尚未提交",),
        ),
    ]),
    "supplement lapsed": ("JMJ-PLAN", [
        submitted(),
        Step("reviewer", "return_for_supplement", {"comment": "请补充审计报告"}),
        step(
            "system", "lapse", "returned", "lapsed", "lapse",
            must=("逾期未补正视为放弃申报的通知", "补正期限为", "逾期未补正，视为放弃申报",
                  "终止办理", "抄送：示范市财政局"),
            must_not=("请于",),
        ),
    ]),
    "recovery closed": ("JMJ-PLAN", [
        *DIRECT, *RECOVERY,
        step(
            "finance", "close_recovery", "in_recovery", "recovered", "recovery_closed",
            must=("追回结案的通知", "已全部退回", "累计还款金额60,000.00元人民币陆万元整"),
        ),
    ]),
    "recovery written off": ("JMJ-PLAN", [
        *DIRECT,
        RECOVERY[0],
        Step("finance", "record_repayment", {"repayment_amount": "10000.00"}),
        step(
            "finance", "write_off", "in_recovery", "written_off", "write_off",
            must=("关于核销", "未追回资金的通知", "予以核销", "核销原因：企业已注销",
                  "累计还款金额10,000.00元人民币壹万元整", "核销金额50,000.00元人民币伍万元整"),
            comment="企业已注销",
        ),
    ]),
}  # fmt: skip


def workflow_moves() -> set[tuple[str, str, str, str]]:
    """(notice, trigger, source, dest) of every move the workflow file allows."""
    data = tomllib.loads(WORKFLOW.read_text(encoding="utf-8"))
    moves = set()
    for move in data["transitions"]:
        sources = move["source"] if isinstance(move["source"], list) else [move["source"]]
        for source in sources:
            if move.get("notice"):
                moves.add((move["notice"], move["trigger"], source, move["dest"]))
    return moves


def test_every_move_of_the_workflow_has_its_wording_in_the_table():
    worded = {
        (s.says.kind, s.says.trigger, s.says.source, s.says.dest)
        for _, steps in PATHS.values()
        for s in steps
        if s.says
    }
    missing = sorted(workflow_moves() - worded)
    assert missing == [], f"moves without a row in the wording table: {missing}"


# Driving a path ---------------------------------------------------------------------------


def actor(username: str) -> User:
    if username == "system":
        from approvals.claims.supplement import system_user

        return system_user()
    return db.session.scalar(select(User).filter_by(username=username))


def notice_text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True)
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))


def fire(claim_id: int, s: Step, policy_code: str) -> None:
    who = REVIEWERS[policy_code] if s.who == "reviewer" else s.who
    claim = db.session.get(Claim, claim_id, populate_existing=True)
    if s.trigger == "lapse":  # the tick, once the 补正期限 has passed
        from approvals.claims.supplement import lapse_overdue

        after = datetime.combine(claim.supplement_due + timedelta(days=1), time(9), LOCAL)
        assert lapse_overdue(after).lapsed == [claim.number]
        return
    runtime.advance(actor(who), claim_id, s.trigger, version=claim.version, **s.payload)


def check(notice: Notice, event: ClaimEvent, says: Says) -> list[str]:
    problems = []
    actual = (notice.kind, event.trigger, event.from_state, event.to_state)
    if actual != (says.kind, says.trigger, says.source, says.dest):
        problems.append(f"the table says {says}, the path took {actual}")
    text = notice_text(notice.pdf)
    must, must_not = list(says.must), list(says.must_not)
    # a provisional deadline prints its date alone: no count of days that may be wrong
    (must_not if event.payload.get("supplement_due_provisional") else must).extend(says.if_official)
    problems += [f"{says.kind}: missing {m!r}" for m in must if m not in text]
    problems += [f"{says.kind}: says {m!r}" for m in must_not if m in text]
    return problems


@pytest.mark.parametrize("path", sorted(PATHS))
def test_each_notice_says_what_is_true_for_the_path_taken(path, seeded):
    policy_code, steps = PATHS[path]
    problems = []
    with seeded.app_context():
        policy = db.session.scalar(select(Policy).filter_by(code=policy_code))
        ent = actor("ent_huadong")
        claim = services.create_claim(ent, policy_code, "智能制造平台规划", "120000.00")
        for kind in policy.required_evidence:
            data = PDF_BYTES + kind.encode()  # one file per kind, each its own hash
            services.add_attachment(ent, claim.id, data, f"{EVIDENCE[kind]}.pdf", kind)
        for n, s in enumerate(steps):
            fire(claim.id, s, policy_code)
            if s.says is None:
                continue
            event = db.session.scalars(
                select(ClaimEvent).where(ClaimEvent.claim_id == claim.id).order_by(ClaimEvent.id)
            ).all()[-1]
            notice = db.session.scalar(select(Notice).where(Notice.event_id == event.id))
            problems += [f"step {n + 1} {s.trigger}: {p}" for p in check(notice, event, s.says)]
    assert problems == []


EVIDENCE = {
    "business_licence": "营业执照",
    "project_plan": "规划方案",
    "loan_contract": "贷款合同",
    "interest_voucher": "付息凭证",
}


def test_receipt_lists_each_file_with_its_hash_and_the_submission_time(seeded):
    from approvals.notices.facts import facts_from_json

    with seeded.app_context():
        ent = actor("ent_huadong")
        claim = services.create_claim(ent, "JMJ-PLAN", "智能制造平台规划", "120000.00")
        files = [
            services.add_attachment(ent, claim.id, PDF_BYTES + k.encode(), f"{v}.pdf", k)
            for k, v in [("business_licence", "营业执照"), ("project_plan", "规划方案")]
        ]
        claim = runtime.advance(ent, claim.id, "submit", version=claim.version)
        notice = db.session.scalar(select(Notice).where(Notice.claim_id == claim.id))
        text = notice_text(notice.pdf)
        local = claim.submitted_at.astimezone(LOCAL)
        assert (
            f"{local.year}年{local.month}月{local.day}日{local.hour}时{local.minute:02d}分" in text
        )
        for index, (file, label) in enumerate(zip(files, ["营业执照", "项目方案"], strict=True), 1):
            assert f"{index}{label}{file.filename}{file.sha256[:8]}" in text
        # the stored facts give back the very bytes that were issued
        from approvals.notices.render import render_notice

        assert render_notice(facts_from_json(notice.facts)) == notice.pdf


# The batch list ---------------------------------------------------------------------------


def test_batch_list_says_government_approval_only_of_claims_that_had_it(seeded):
    """A scaled batch of one direct and one government claim: the list says 经市政府审定 of
    the one that went there; each payout notice states approved, paid and reduced amounts."""
    from approvals.finance import batches
    from approvals.finance.models import Batch

    with seeded.app_context():
        ids = []
        for policy_code, steps in (("JMJ-PLAN", DIRECT[:3]), ("JMJ-INFRA", VIA_GOVERNMENT[:4])):
            policy = db.session.scalar(select(Policy).filter_by(code=policy_code))
            ent = actor("ent_huadong")
            claim = services.create_claim(ent, policy_code, "平台建设", "120000.00")
            for kind in policy.required_evidence:
                services.add_attachment(ent, claim.id, PDF_BYTES + kind.encode(), "a.pdf", kind)
            for s in steps:
                fire(claim.id, s, policy_code)
            ids.append(claim.id)
        finance = actor("finance")
        batch = batches.compose(finance, ids)
        for code in ("JMJ-PLAN", "JMJ-INFRA"):
            batches.scale(finance, batch.id, code, "90000.00")
        batch = batches.confirm(finance, batch.id)
        batch = db.session.get(Batch, batch.id)
        listing = notice_text(batch.list_notice.pdf)
        assert "（其中1个项目经市政府审定）" in listing
        assert "示范市财政局文件" in listing and "拨付清单的通知" in listing
        assert "经复核、审定" not in listing and "核减部分不再拨付" in listing
        assert "市政府审定" in listing and "财政复核" in listing  # per item
        for cid in ids:
            payout = db.session.scalars(
                select(Notice).where(Notice.claim_id == cid, Notice.kind == "payout")
            ).one()
            text = notice_text(payout.pdf)
            for expected in (
                "核定金额100,000.00元人民币壹拾万元整",
                "实拨金额90,000.00元人民币玖万元整",
                "核减金额10,000.00元人民币壹万元整",
                "专项资金不足，按比例核减，核减部分不再拨付",
                "********5678",
            ):
                assert expected in text, (cid, expected)
            claim = db.session.get(Claim, cid)
            assert ("市政府审定" in text) == claim.reached_government


def test_a_city_name_setting_names_every_office_in_full(seeded):
    from approvals.notices.issue import full_name
    from approvals.organisations.models import Department

    with seeded.app_context():
        dept = db.session.scalar(select(Department).filter_by(code="JMJ"))
        assert full_name(dept) == "示范市经济贸易局"
        dept.full_name = ""
        seeded.config["CITY_NAME"] = "临江市"
        assert full_name(dept) == "临江市经贸局"  # the standard's short form with the city
