"""Funding types and evidence kinds, with the Chinese labels users see."""

from approvals.i18n import N_

FUNDING_TYPES = {
    "grant": N_("无偿资助"),
    "loan_interest": N_("贷款贴息"),
    "award": N_("奖励"),
    "tax_share": N_("税收分成"),
}

EVIDENCE_KINDS = {
    "business_licence": N_("营业执照"),
    "financial_statement": N_("财务审计报告"),
    "project_plan": N_("项目方案"),
    "loan_contract": N_("贷款合同"),
    "interest_voucher": N_("付息凭证"),
    "certificate": N_("认定证书"),
    "investment_proof": N_("投资证明"),
    "tax_certificate": N_("完税证明"),
    "other": N_("其他材料"),
}
