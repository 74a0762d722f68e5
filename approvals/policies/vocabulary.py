"""Funding types and evidence kinds, with the Chinese labels users see."""

FUNDING_TYPES = {
    "grant": "无偿资助",
    "loan_interest": "贷款贴息",
    "award": "奖励",
    "tax_share": "税收分成",
}

EVIDENCE_KINDS = {
    "business_licence": "营业执照",
    "financial_statement": "财务审计报告",
    "project_plan": "项目方案",
    "loan_contract": "贷款合同",
    "interest_voucher": "付息凭证",
    "certificate": "认定证书",
    "investment_proof": "投资证明",
    "tax_certificate": "完税证明",
    "other": "其他材料",
}
