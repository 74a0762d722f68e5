"""Dates an administrator enters into the working-day calendar (the city's own exceptions)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from approvals.extensions import db


class CalendarDay(db.Model):
    """A day whose working status differs from the official calendar or the weekend rule."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(primary_key=True)
    workday: Mapped[bool]
    note: Mapped[str] = mapped_column(String(64), default="")
