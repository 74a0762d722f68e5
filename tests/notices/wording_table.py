"""The wording table of tests/notices/test_wording.py: for each path of the claim workflow,
the moves taken and what each notice must and must not say."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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
        "reviewer", "dept_approve", source, "recognised", "recognition",
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
    # 转办: the letter from the department the claim leaves; the department it went to
    # reviews it from then on, and its 认定表 is in that department's name.
    "transfer, then the new department's review": ("JMJ-PLAN", [
        submitted(),
        step(
            "reviewer", "transfer", "submitted", "submitted", "transfer",
            must=("示范市经济贸易局", "经贸兑", "转办告知书", "原由示范市经济贸易局受理",
                  "属于示范市科学技术局的职责范围", "转办至示范市科学技术局办理", "无需重新申报",
                  "转办理由：属于科技成果转化事项", "特此告知", "抄送：示范市科学技术局"),
            must_not=("不予支持", "审核通过", "文件", "抄送：示范市财政局"),
            transfer_to="KJJ", comment="属于科技成果转化事项",
        ),
        step(
            "reviewer_kjj", "dept_approve", "submitted", "recognised", "recognition",
            must=("示范市科学技术局文件", "科兑", "示范市财政局：", "申请认定表", BASIS),
            must_not=("你单位", "经济贸易局"),
            approved_amount="100000.00", comment="材料齐全，核定补助10万元",
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
