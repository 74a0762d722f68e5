"""The materials of a clause as its guide lists them (一次性告知): each required evidence
kind with what it must show and, where the department provides one, a sample or template.
The administrator's changes to the guide (contact, descriptions, samples) are one call."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from approvals import limits
from approvals.claims.storage import sniff_type, store
from approvals.db import transaction, utcnow
from approvals.errors import Forbidden, Invalid
from approvals.extensions import db
from approvals.guides.models import PolicyMaterial
from approvals.i18n import N_
from approvals.policies.models import Policy
from approvals.policies.vocabulary import EVIDENCE_KINDS

# What each kind of material must show, where the clause says nothing of its own.
DEFAULT_DESCRIPTIONS = {
    "business_licence": N_("营业执照副本扫描件，加盖单位公章"),
    "financial_statement": N_("上一年度经会计师事务所审计的财务报告"),
    "project_plan": N_("项目实施方案：建设内容、投资构成、进度安排和预期效益"),
    "loan_contract": N_("与金融机构签订的贷款合同，载明本金、利率和期限"),
    "interest_voucher": N_("银行出具的付息凭证或利息清单"),
    "certificate": N_("主管部门颁发的认定证书或批复文件"),
    "investment_proof": N_("项目投资发票、合同或审计报告等投资证明"),
    "tax_certificate": N_("税务机关出具的完税证明"),
    "other": N_("其他能够证明申报事项的材料"),
}
DESCRIPTION_MAX = 500
CONTACT_MAX = 32
SAMPLE_MAX = 10 * 1024 * 1024
# Templates departments hand out are often Word or Excel files: Office Open XML is a ZIP,
# told apart by its extension (the name is only trusted after the content says ZIP).
OFFICE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SAMPLE_TYPES_TEXT = N_("样表应为 PDF、PNG、JPEG、Word（.docx）或 Excel（.xlsx）文件")


@dataclass(frozen=True)
class Material:
    kind: str
    label: str  # untranslated
    description: str  # the clause's own, or the kind's (untranslated) default
    own_description: bool
    sample_filename: str | None
    sample_size: int | None


def rows_of(policy: Policy) -> dict[str, PolicyMaterial]:
    query = select(PolicyMaterial).where(PolicyMaterial.policy_id == policy.id)
    return {row.kind: row for row in db.session.scalars(query)}


def materials_of(policy: Policy) -> list[Material]:
    """The clause's required materials in its order, each with its guide."""
    rows = rows_of(policy)
    found = []
    for kind in policy.required_evidence:
        row = rows.get(kind)
        own = bool(row and row.description)
        found.append(
            Material(
                kind=kind,
                label=EVIDENCE_KINDS.get(kind, kind),
                description=row.description if own else DEFAULT_DESCRIPTIONS.get(kind, ""),
                own_description=own,
                sample_filename=row.sample_filename if row else None,
                sample_size=row.sample_size if row else None,
            )
        )
    return found


def sample_of(policy: Policy, kind: str) -> PolicyMaterial | None:
    if kind not in policy.required_evidence:
        return None
    row = rows_of(policy).get(kind)
    return row if row is not None and row.sample_sha256 else None


def sample_type(data: bytes, filename: str) -> str | None:
    """The sample's type from its content (and, for a ZIP, its extension), else None."""
    sniffed = sniff_type(data[:16])
    if sniffed:
        return sniffed
    extension = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if data.startswith(b"PK\x03\x04") and extension in OFFICE_TYPES:
        return OFFICE_TYPES[extension]
    return None


def _text(value, maximum: int, errors: dict, name: str) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if len(text) > maximum:
        errors[name] = f"不能超过{maximum}个字符"
    elif problem := limits.text_problem(text):
        errors[name] = problem
    return text


def save(actor, policy: Policy, values: dict) -> None:
    """The guide's part of a clause, as the administrator gives it: `contact_name`,
    `contact_phone`, `descriptions` {kind: text}, `samples` {kind: (bytes, filename)},
    `remove_samples` {kind}. Checked field by field (Invalid), then one transaction."""
    if actor.role != "admin":
        raise Forbidden(N_("只有系统管理员可以管理政策条款"))
    errors: dict = {}
    contact_name = _text(values.get("contact_name"), CONTACT_MAX, errors, "contact_name")
    contact_phone = _text(values.get("contact_phone"), CONTACT_MAX, errors, "contact_phone")
    kinds = list(policy.required_evidence)
    descriptions = {
        kind: _text(text, DESCRIPTION_MAX, errors, f"description_{kind}")
        for kind, text in (values.get("descriptions") or {}).items()
        if kind in kinds
    }
    samples = {}
    for kind, (data, filename) in (values.get("samples") or {}).items():
        if kind not in kinds or not data:
            continue
        content_type = sample_type(data, filename or "")
        if len(data) > SAMPLE_MAX:
            errors[f"sample_{kind}"] = N_("样表不能超过 10 MB")
        elif content_type is None:
            errors[f"sample_{kind}"] = SAMPLE_TYPES_TEXT
        else:
            name = (filename or "sample").strip()[-limits.ATTACHMENT_FILENAME :]
            samples[kind] = (data, name, content_type)
    if errors:
        raise Invalid("；".join(f"{k}：{v}" for k, v in errors.items()), fields=errors)
    storage = current_app.config["STORAGE_DIR"]
    # Files first, outside the transaction: stored by digest, a file nobody names is harmless.
    stored = {
        kind: (store(storage, data), name, ct, len(data))
        for kind, (data, name, ct) in samples.items()
    }
    with transaction():
        policy.contact_name, policy.contact_phone = contact_name, contact_phone
        rows = rows_of(policy)
        for kind in kinds:
            row = rows.get(kind)
            wanted = descriptions.get(kind, row.description if row else "")
            removing = kind in (values.get("remove_samples") or ())
            if row is None and not wanted and kind not in stored:
                continue
            if row is None:
                row = PolicyMaterial(policy_id=policy.id, kind=kind)
                db.session.add(row)
            row.description = wanted
            if kind in stored:
                digest, name, content_type, size = stored[kind]
                row.sample_sha256, row.sample_filename = digest, name
                row.sample_content_type, row.sample_size = content_type, size
            elif removing:
                row.sample_sha256 = row.sample_filename = None
                row.sample_content_type = row.sample_size = None
            row.updated_at = utcnow()
