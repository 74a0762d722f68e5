"""PolicyMaterial: what the guide says of one material a clause requires (一次性告知): a
description, and the sample or template the department provides, stored by SHA-256."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from approvals import limits
from approvals.db import utcnow
from approvals.extensions import db


class PolicyMaterial(db.Model):
    __tablename__ = "policy_materials"
    __table_args__ = (
        UniqueConstraint("policy_id", "kind", name="uq_policy_materials_policy_id_kind"),
        # A sample is a file: its digest, name, type and size come together.
        CheckConstraint(
            "(sample_sha256 IS NULL) = (sample_filename IS NULL)", name="sample_complete"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"), index=True)
    kind: Mapped[str] = mapped_column(String(limits.ATTACHMENT_KIND))  # an evidence kind
    description: Mapped[str] = mapped_column(Text, default="")
    sample_sha256: Mapped[str | None] = mapped_column(String(64))
    sample_filename: Mapped[str | None] = mapped_column(String(limits.ATTACHMENT_FILENAME))
    sample_content_type: Mapped[str | None] = mapped_column(String(128))
    sample_size: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
