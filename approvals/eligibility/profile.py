"""The enterprise's profile facts (一企一档): its industry, size and establishment, its
qualifications with their evidence, its yearly figures; edited by the enterprise's own users,
read by the calculator and the matching. Each call is one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, select

from approvals.claims.models import Attachment, Claim
from approvals.claims.storage import sniff_type, store
from approvals.clock import local_today
from approvals.db import transaction, utcnow
from approvals.eligibility import facts_input
from approvals.eligibility.conditions import Facts, Held
from approvals.eligibility.models import EnterpriseFacts, Qualification, YearFigures
from approvals.eligibility.vocabulary import FIGURES, QUALIFICATIONS
from approvals.errors import Forbidden, Invalid, NotFound
from approvals.extensions import db
from approvals.i18n import N_

OFFERED_ATTACHMENTS = 50  # the newest of the enterprise's claims' files, to name as evidence


def _own(actor) -> int:
    if actor.role != "enterprise" or actor.enterprise_id is None:
        raise Forbidden(N_("只有企业用户可以维护企业档案"))
    return actor.enterprise_id


def _refuse(errors: dict) -> None:
    if errors:
        raise Invalid("；".join(f"{k}：{v}" for k, v in errors.items()), fields=errors)


@dataclass(frozen=True)
class Profile:
    basics: EnterpriseFacts | None
    qualifications: list[Qualification]
    figures: list[YearFigures]  # newest year first


def profile_of(enterprise_id: int) -> Profile:
    return Profile(
        db.session.get(EnterpriseFacts, enterprise_id),
        list(
            db.session.scalars(
                select(Qualification)
                .where(Qualification.enterprise_id == enterprise_id)
                .order_by(Qualification.kind, Qualification.valid_until.desc(), Qualification.id)
            )
        ),
        list(
            db.session.scalars(
                select(YearFigures)
                .where(YearFigures.enterprise_id == enterprise_id)
                .order_by(YearFigures.year.desc())
            )
        ),
    )


def facts_of(enterprise_id: int) -> Facts:
    """What the conditions read of the enterprise, from its profile."""
    found = profile_of(enterprise_id)
    basics = found.basics
    return Facts(
        qualifications=tuple(
            Held(q.kind, q.valid_from, q.valid_until, q.certificate_number)
            for q in found.qualifications
        ),
        industry_code=basics.industry_code if basics else None,
        size=basics.size if basics else None,
        established_on=basics.established_on if basics else None,
        figures={f.year: {name: getattr(f, name) for name in FIGURES} for f in found.figures},
    )


def save_basics(actor, values: dict) -> EnterpriseFacts:
    """`industry_code`, `size`, `established_on` as typed; blank clears."""
    enterprise_id = _own(actor)
    errors: dict = {}
    clean = {}
    for name, parse in (("industry_code", facts_input.industry), ("size", facts_input.size)):
        clean[name], problem = parse(values.get(name))
        if problem:
            errors[name] = problem
    clean["established_on"], problem = facts_input.day(
        values.get("established_on"), latest=local_today()
    )
    if problem:
        errors["established_on"] = problem
    _refuse(errors)
    with transaction():
        row = db.session.get(EnterpriseFacts, enterprise_id)
        if row is None:
            row = EnterpriseFacts(enterprise_id=enterprise_id)
            db.session.add(row)
        for name, value in clean.items():
            setattr(row, name, value)
        row.updated_at, row.updated_by_id = utcnow(), actor.id
    return row


def save_figures(actor, values: dict) -> YearFigures:
    """One year's figures: `year` and each of FIGURES (blank: not given)."""
    enterprise_id = _own(actor)
    errors: dict = {}
    year, problem = facts_input.year(values.get("year"))
    if problem:
        errors["year"] = problem
    elif year > local_today().year:
        errors["year"] = N_("不能填报未来年度的数据")
    clean = {}
    for name in FIGURES:
        clean[name], problem = facts_input.money(values.get(name))
        if problem:
            errors[name] = problem
    _refuse(errors)
    with transaction():
        row = db.session.get(YearFigures, (enterprise_id, year))
        if row is None:
            row = YearFigures(enterprise_id=enterprise_id, year=year)
            db.session.add(row)
        for name, value in clean.items():
            setattr(row, name, value)
        row.updated_at = utcnow()
    return row


def offered_attachments(enterprise_id: int) -> list[Attachment]:
    """The files of the enterprise's own claims it may name as a certificate's evidence."""
    return list(
        db.session.scalars(
            select(Attachment)
            .join(Claim, Claim.id == Attachment.claim_id)
            .where(Claim.enterprise_id == enterprise_id)
            .order_by(Attachment.id.desc())
            .limit(OFFERED_ATTACHMENTS)
        )
    )


def _evidence(enterprise_id: int, values: dict, errors: dict) -> dict:
    """The evidence columns: an uploaded file (`file`: (bytes, filename)) or one of the
    enterprise's claims' attachments (`attachment_id`); one of the two is required."""
    data, filename = values.get("file") or (b"", "")
    attachment_id = values.get("attachment_id")
    if data:
        limit = current_app.config["MAX_UPLOAD_BYTES"]
        content_type = sniff_type(data[:16])
        if len(data) > limit:
            errors["file"] = f"文件不能超过 {limit // (1024 * 1024)} MB"
        elif content_type is None:
            errors["file"] = N_("文件内容不是 PDF、JPEG 或 PNG，请上传这三种格式之一")
        else:
            name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:255]
            return {
                "data": data,
                "evidence_filename": name or "证书",
                "evidence_content_type": content_type,
                "evidence_size": len(data),
            }
        return {}
    if attachment_id:
        attachment = db.session.get(Attachment, attachment_id)
        if attachment is None or attachment.claim.enterprise_id != enterprise_id:
            errors["attachment_id"] = N_("请选择本企业申报中的材料")
            return {}
        return {
            "attachment_id": attachment.id,
            "evidence_sha256": attachment.sha256,
            "evidence_filename": attachment.filename,
            "evidence_content_type": attachment.content_type,
            "evidence_size": attachment.size,
        }
    errors["file"] = N_("请上传证书文件，或选择已上传的申报材料")
    return {}


def add_qualification(actor, values: dict) -> Qualification:
    """A certificate: `kind`, `certificate_number`, `valid_from`, `valid_until` and its
    evidence (`file` or `attachment_id`)."""
    enterprise_id = _own(actor)
    errors: dict = {}
    kind = values.get("kind")
    if kind not in QUALIFICATIONS:
        errors["kind"] = N_("请选择资质类型")
    number, problem = facts_input.certificate(values.get("certificate_number"))
    if problem:
        errors["certificate_number"] = problem
    elif not number:
        errors["certificate_number"] = N_("请填写证书编号")
    valid_from, problem = facts_input.day(values.get("valid_from"))
    if problem:
        errors["valid_from"] = problem
    valid_until, problem = facts_input.day(values.get("valid_until"))
    if problem or valid_until is None:
        errors["valid_until"] = problem or N_("请填写证书有效期截止日期")
    elif valid_from is not None and valid_until < valid_from:
        errors["valid_until"] = N_("有效期截止日期不能早于起始日期")
    evidence = _evidence(enterprise_id, values, errors)
    _refuse(errors)
    data = evidence.pop("data", None)
    if data is not None:  # stored by digest before the transaction: an unnamed file is harmless
        evidence["evidence_sha256"] = store(current_app.config["STORAGE_DIR"], data)
    with transaction():
        row = Qualification(
            enterprise_id=enterprise_id,
            kind=kind,
            certificate_number=number,
            valid_from=valid_from,
            valid_until=valid_until,
            created_by_id=actor.id,
            **evidence,
        )
        db.session.add(row)
    return row


def remove_qualification(actor, qualification_id) -> None:
    enterprise_id = _own(actor)
    with transaction():
        removed = db.session.execute(
            delete(Qualification).where(
                Qualification.id == qualification_id,
                Qualification.enterprise_id == enterprise_id,
            )
        ).rowcount
    if not removed:
        raise NotFound(N_("资质记录不存在"))


def evidence_of(actor, sha256: str) -> Qualification:
    """The enterprise's own certificate with this file; another's is not found."""
    enterprise_id = _own(actor)
    row = db.session.scalar(
        select(Qualification)
        .where(
            Qualification.enterprise_id == enterprise_id, Qualification.evidence_sha256 == sha256
        )
        .limit(1)
    )
    if row is None:
        raise NotFound(N_("文件不存在"))
    return row
