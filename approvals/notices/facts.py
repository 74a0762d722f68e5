"""The recorded facts a notice is rendered from; the PDF depends on nothing else."""

from __future__ import annotations

from dataclasses import MISSING, asdict, dataclass, fields
from datetime import date, datetime
from decimal import Decimal

from approvals.i18n import N_

# Notice kinds, with the short Chinese name shown on claim pages (the printed title of a
# notification is longer: see `notice_title`).
KIND_TITLES: dict[str, str] = {
    "receipt": N_("受理回执"),
    "withdrawal": N_("撤回确认书"),
    "supplement": N_("补正通知书"),
    "recognition": N_("认定表"),
    "rejection": N_("不予支持通知书"),
    "finance_opinion": N_("复核意见书"),
    "send_back": N_("退回意见书"),
    "approval": N_("审定意见书"),
    "payout": N_("拨付通知书"),
    "recovery": N_("追回通知书"),
    "repayment": N_("还款确认书"),
    "recovery_closed": N_("追回结案通知书"),
    "write_off": N_("核销通知书"),
    "lapse": N_("逾期未补正通知书"),
    # A department hands the claim to the department whose remit it is in (转办).
    "transfer": N_("转办告知书"),
    # One department's opinion on a claim it reviews with others (会签), to the lead department.
    "countersign": N_("会签意见单"),
    # The department/township track (workflows/platform_claim): the lead department's review,
    # the joint review's one opinion (联合审核) or its return, and a recognition's result.
    "lead_opinion": N_("审核意见书"),
    "joint_opinion": N_("联合审核意见书"),
    "joint_send_back": N_("联合审核退回意见书"),
    "recognition_result": N_("认定结果通知书"),
    # The special-fund track (workflows/special_fund): the result of expert review and
    # ranking (专家评审及择优立项), to a funded claimant or one not selected.
    "selection": N_("立项通知书"),
    "non_selection": N_("未入选通知书"),
    # Idle industrial land (workflows/idle_land): the verified finding to the city
    # government, the notice to rectify, the idle fee, the repossession, the case closed, and
    # a report found not idle (approvals/idle_land/notice.py gives their parcel facts).
    "idle_finding": N_("闲置工业用地初步认定意见书"),
    "idle_notice": N_("闲置工业用地认定通知书"),
    "idle_fee": N_("征缴土地闲置费决定书"),
    "idle_repossession": N_("收回国有建设用地使用权决定书"),
    "idle_closed": N_("闲置工业用地处置结案通知书"),
    "idle_not_idle": N_("不予认定闲置工业用地通知书"),
    # 免申即享 (workflows/proactive_grant): the offer to an eligible enterprise, its decline,
    # and its expiry unconfirmed (approvals/proactive/moves.py gives their `proactive` facts).
    "proactive_offer": N_("兑现告知书"),
    "proactive_declined": N_("放弃享受确认书"),
    "proactive_expired": N_("逾期未确认告知书"),
}


# Titles of every issued document: the notices of transitions and the batch list.
DOCUMENT_TITLES: dict[str, str] = {
    **KIND_TITLES,
    "batch_list": N_("拨付批次清单"),
    "recognition_form": N_("申请认定表（部门汇总）"),
    "publicity": N_("公示通知"),
    "supervision": N_("督办通知"),  # 市府办 to an office past a deadline (approvals/supervision)
}

# Notifications are titled 发文机关 + 关于 + 事由 + 的通知 (GB/T 9704, 党政机关公文处理
# 工作条例); receipts, confirmations, opinions and forms keep their form title.
NOTIFICATION_SUBJECTS: dict[str, str] = {
    "supplement": "补正{policy}申报材料",
    "rejection": "{policy}申报不予支持",
    "payout": "拨付{policy}兑现资金",
    "recovery": "追回{policy}兑现资金",
    "recovery_closed": "{policy}兑现资金追回结案",
    "write_off": "核销{policy}未追回资金",
    "lapse": "{policy}申报逾期未补正视为放弃申报",
    "recognition_result": "{policy}结果",  # the clause says 认定 already
    "selection": "{policy}专家评审及择优立项结果",
    "non_selection": "{policy}专家评审及择优立项结果",
    "idle_notice": "认定闲置工业用地并限期整改",
    "idle_fee": "征缴土地闲置费",
    "idle_repossession": "收回国有建设用地使用权",
    "idle_closed": "闲置工业用地处置结案",
    "idle_not_idle": "不予认定闲置工业用地",
}
FORM_TITLES: dict[str, str] = {
    "recognition": "{policy}申请认定表",
    "proactive_offer": "{policy}免申即享兑现告知书",
}


@dataclass(frozen=True)
class ReceivedFile:
    """One file of a submission, as the 受理回执 lists it."""

    kind: str  # the evidence kind's label, e.g. 营业执照
    filename: str
    sha256_prefix: str  # the first 8 hex digits of its SHA-256


@dataclass(frozen=True)
class PaidLine:
    """One transfer of a payout as its notice lists it: the claimant's share, or a reward to
    a named person (有功人员), identity number and account masked."""

    kind: str  # claimant or person (approvals/finance/models.py PAYOUT_LINE_KINDS)
    payee_name: str
    id_number: str  # masked: 3301**********123X; "" for the claimant
    bank_name: str
    account: str  # masked: **** **** 5678
    amount: Decimal


@dataclass(frozen=True)
class Signer:
    """One signature of a review round as the notice prints it: a department's opinion in a
    joint review (会签), or one step of its sign-off chain (经办, 审核, 审批)."""

    department: str  # the signing department's name in full, e.g. 示范市经济贸易局
    step: str  # the sign-off step (approvals/access/roles.py POSITIONS); "" outside a chain
    name: str  # who decided
    on_behalf_of: str  # 委派: the official the signer substituted for (代 …); "" when none
    decision: str  # agree, disagree or return (approvals/workflow/models.py TASK_DECISIONS)
    opinion: str
    signed_at: datetime  # timezone-aware UTC; printed as a date in Asia/Shanghai


@dataclass(frozen=True)
class NoticeFacts:
    kind: str  # a key of KIND_TITLES
    number: str  # 发文字号, e.g. 经贸兑〔2026〕15号
    issuer_code: str  # department code, e.g. JMJ
    issuer_name: str  # e.g. 市经贸局
    issued_at: datetime  # timezone-aware UTC; printed as a date in Asia/Shanghai
    enterprise_name: str
    credit_code: str
    claim_number: str
    policy_code: str
    policy_title: str
    funding_type: str  # Chinese label, e.g. 无偿资助
    project_title: str
    requested_amount: Decimal
    approved_amount: Decimal | None
    comment: str | None
    payment_reference: str | None
    verification_code: str  # printed on the notice and encoded in the QR code
    verify_url: str  # absolute URL of the public verification page for this notice
    # What follows was added for wording true to the path taken and for GB/T 9704;
    # the defaults print a notice as before (stored facts without them still load).
    issuer_full_name: str = ""  # 示范市经济贸易局; empty: issuer_name
    letter: bool = True  # 信函格式 (to one enterprise); False: 文件格式 (to offices)
    addressee: str = ""  # 主送; empty: the enterprise
    cc: tuple[str, ...] = ()  # 抄送
    contact_name: str = ""  # 附注: the issuer's contact person and telephone
    contact_phone: str = ""
    reviewer_name: str = ""  # full name of the department that reviewed the claim (初审)
    # The transition this notice records, and whose queues it left and reached
    # (workflow state tags: enterprise, department, finance, government).
    trigger: str = ""
    from_state: str = ""
    to_state: str = ""
    from_queue: str = ""
    to_queue: str = ""
    via_government: bool = False  # the claim has been through 市政府审定
    resubmission: bool = False  # a submission after a return for supplement
    submitted_at: datetime | None = None  # the last submission, if any
    received: tuple[ReceivedFile, ...] = ()  # the files of a submission
    basis_title: str = ""  # 关于推进工业提升发展的若干政策意见（试行）
    basis_number: str = ""  # 市委发〔2026〕40号
    basis_clause: str = ""  # 第三条
    paid_amount: Decimal | None = None  # 实拨金额
    reduction: Decimal | None = None  # 核减金额
    reduction_reason: str | None = None
    payee_bank_name: str | None = None
    payee_account: str | None = None  # masked: **** **** 5678
    payee_account_name: str | None = None
    supplement_due: date | None = None  # 补正期限
    supplement_days: int | None = None  # working days given
    supplement_due_provisional: bool = False  # the year's calendar is not official yet
    # 补正事项 the reviewer ticked (approvals/library/checklist.py), one line each, e.g.
    # 营业执照：已过期，请上传有效版本; printed as a numbered list. Empty: none ticked.
    supplement_items: tuple[str, ...] = ()
    # A recovery case as its ledger stood after the move (Recovery row, read under its lock):
    recovery_due: Decimal | None = None  # 应追回金额
    repayment: Decimal | None = None  # 本次还款金额
    repaid_total: Decimal | None = None  # 累计还款金额
    outstanding: Decimal | None = None  # 尚欠金额
    amount_written_off: Decimal | None = None  # 核销金额
    # 转办: the departments (in full) the claim left and went to.
    transfer_from: str = ""
    transfer_to: str = ""
    # 全程代办: who filed the claim for the claimant (示范市经济贸易局 张三), and who of the
    # claimant confirmed it on which day (2026年3月1日); empty for a claimant's own filing.
    agent: str = ""
    agency_consent_by: str = ""
    agency_consent_on: str = ""
    # Who signed the review tasks whose decisions fired the move (or, on a 会签意见单, the
    # deciding department's part of its round): printed in the body; none on other moves.
    signers: tuple[Signer, ...] = ()
    proposed_amount: Decimal | None = None  # 拟核定金额: what a chain's 经办 prepared
    # The department/township track: who reviewed the claim together (联合审核, in full, the
    # latest round of several departments), a recognition's share and period, and the
    # transfers a payout was made of (empty: all to the claimant).
    joint_reviewers: tuple[str, ...] = ()
    recognised_share: Decimal | None = None  # percent
    share_from: date | None = None
    share_until: date | None = None
    payout_lines: tuple[PaidLine, ...] = ()
    # An idle-land case's parcel as the notice prints it (approvals/idle_land/notice.py):
    # owner, location, areas, premium, the criteria met, the fee and the period; plain text.
    parcel: dict | None = None
    # A 免申即享 offer as its notices print it (approvals/proactive/moves.py): the fact that
    # qualifies, the last day to confirm and the clause's period; plain text.
    proactive: dict | None = None

    @property
    def title(self) -> str:
        return KIND_TITLES[self.kind]

    @property
    def issuer(self) -> str:
        """The issuing body's name as printed: in full where it is known."""
        return self.issuer_full_name or self.issuer_name


def notice_title(facts: NoticeFacts) -> str:
    """The printed title: 示范市财政局关于拨付…兑现资金的通知, or the form's title."""
    if facts.kind in NOTIFICATION_SUBJECTS:
        subject = NOTIFICATION_SUBJECTS[facts.kind].format(policy=facts.policy_title)
        return f"{facts.issuer}关于{subject}的通知"
    if facts.kind in FORM_TITLES:
        return FORM_TITLES[facts.kind].format(policy=facts.policy_title)
    return KIND_TITLES[facts.kind]


_DECIMALS = (
    "requested_amount",
    "approved_amount",
    "paid_amount",
    "reduction",
    "recovery_due",
    "repayment",
    "repaid_total",
    "outstanding",
    "amount_written_off",
    "proposed_amount",
    "recognised_share",
)
_DATES = ("supplement_due", "share_from", "share_until")
_DATETIMES = ("issued_at", "submitted_at")


def facts_to_json(facts: NoticeFacts) -> dict:
    """The facts as stored in `notices.facts`; `facts_from_json` gives them back exactly."""
    # Field by field, not `asdict`: its deep copy of every value was a tenth of a move's time;
    # the nested rows are converted below.
    data = {name: getattr(facts, name) for name in _FIELDS}
    for name in _DECIMALS:
        value = data[name]
        data[name] = None if value is None else f"{value:.2f}"
    for name in _DATETIMES:
        data[name] = None if data[name] is None else data[name].isoformat()
    for name in _DATES:
        data[name] = None if data[name] is None else data[name].isoformat()
    data["cc"] = list(facts.cc)
    data["joint_reviewers"] = list(facts.joint_reviewers)
    data["payout_lines"] = [
        {**asdict(line), "amount": f"{line.amount:.2f}"} for line in facts.payout_lines
    ]
    data["received"] = [asdict(item) for item in facts.received]
    data["supplement_items"] = list(facts.supplement_items)
    data["signers"] = [
        {**asdict(signer), "signed_at": signer.signed_at.isoformat()} for signer in facts.signers
    ]
    # What a field holds by default is not stored: `facts_from_json` gives it back, so the
    # same facts still render the same bytes (issue 14: a notice's facts were half nulls).
    data = {k: v for k, v in data.items() if k not in _DEFAULTS or v != _DEFAULTS[k]}
    data["title"] = notice_title(facts)  # for readers of the record; not an input
    return data


def full_facts(data: dict) -> dict:
    """A notice's stored facts with every field, defaults included: for readers of the
    record (the verification page) that name fields the notice left at their default."""
    return {**_DEFAULTS, **data}


_FIELDS = tuple(f.name for f in fields(NoticeFacts))
# Each optional field's default, in its JSON form (a tuple is stored as a list).
_DEFAULTS = {
    f.name: list(f.default) if isinstance(f.default, tuple) else f.default
    for f in fields(NoticeFacts)
    if f.default is not MISSING
}


def supplement_lines(payload: dict) -> tuple[str, ...]:
    """The 补正事项 a return's event listed (its payload's `supplement_checklist`), as the
    notice prints them: the item, and the reviewer's remark after a colon."""
    return tuple(
        f"{item['label']}：{item['remark']}" if item.get("remark") else item["label"]
        for item in payload.get("supplement_checklist") or ()
    )


def signers_from_json(items: list | None) -> tuple[Signer, ...]:
    return tuple(
        Signer(**{**item, "signed_at": datetime.fromisoformat(item["signed_at"])})
        for item in items or ()
    )


def facts_from_json(data: dict) -> NoticeFacts:
    known = {field.name for field in fields(NoticeFacts)}
    values = {key: value for key, value in data.items() if key in known}
    for name in _DECIMALS:
        if values.get(name) is not None:
            values[name] = Decimal(values[name])
    for name in _DATETIMES:
        if values.get(name) is not None:
            values[name] = datetime.fromisoformat(values[name])
    for name in _DATES:
        if values.get(name):
            values[name] = date.fromisoformat(values[name])
    values["cc"] = tuple(values.get("cc") or ())
    values["joint_reviewers"] = tuple(values.get("joint_reviewers") or ())
    values["payout_lines"] = tuple(
        PaidLine(**{**item, "amount": Decimal(item["amount"])})
        for item in values.get("payout_lines") or ()
    )
    values["received"] = tuple(ReceivedFile(**item) for item in values.get("received") or ())
    values["supplement_items"] = tuple(values.get("supplement_items") or ())
    values["signers"] = signers_from_json(values.get("signers"))
    return NoticeFacts(**values)
