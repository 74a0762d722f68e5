"""The API's own rows: the answers kept for retries with an Idempotency-Key."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from approvals.extensions import db


class IdempotencyKey(db.Model):
    """One user's Idempotency-Key and the first answer given to it (approvals/api/idempotency.py).

    `status` is NULL while the first request runs: the row is written before the action,
    so that the unique (user, key) stops a concurrent duplicate. Server errors (5xx) are
    never kept, so that a retry runs again."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        UniqueConstraint("user_id", "key"),
        CheckConstraint("status IS NULL OR (status >= 100 AND status < 500)", name="status_kept"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(128))
    method: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(Text)
    request_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the body, hex
    status: Mapped[int | None]
    response_body: Mapped[str | None] = mapped_column(Text)
    content_type: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime]
