"""The land parcel of an idle-land case (闲置工业用地): the facts the township reports, and
the idle fee once it is charged. One row per case (a Claim on workflows/idle_land)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approvals.claims.models import Claim
from approvals.db import utcnow
from approvals.extensions import db
from approvals.organisations.models import Enterprise

LOCATION_MAX, LAND_NUMBER_MAX = 200, 64
# Areas in square metres and money in yuan: NUMERIC(14, 2), Decimal (approvals/db.py).


class IdleParcel(db.Model):
    """A parcel of industrial land reported as suspected idle, with its owner (the land
    user, 土地使用权人), its grant and the progress made so far."""

    __tablename__ = "idle_land_parcels"
    __table_args__ = (
        CheckConstraint("land_area > 0", name="land_area_positive"),
        CheckConstraint("land_premium > 0", name="land_premium_positive"),
        CheckConstraint("planned_area > 0", name="planned_area_positive"),
        CheckConstraint("planned_investment > 0", name="planned_investment_positive"),
        CheckConstraint("built_area >= 0", name="built_area_not_negative"),
        CheckConstraint("invested >= 0", name="invested_not_negative"),
        CheckConstraint("agreed_start_on >= granted_on", name="start_after_grant"),
        CheckConstraint("idle_fee IS NULL OR idle_fee > 0", name="idle_fee_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), unique=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    # 宗地编号 (or the title number, 不动产权证号): one live case per parcel.
    land_number: Mapped[str] = mapped_column(String(LAND_NUMBER_MAX), index=True)
    location: Mapped[str] = mapped_column(String(LOCATION_MAX))  # 坐落
    land_area: Mapped[Decimal]  # 土地面积（平方米）
    granted_on: Mapped[date]  # 出让合同签订（供地）日期
    land_premium: Mapped[Decimal]  # 土地出让价款（元）
    agreed_start_on: Mapped[date]  # 约定动工日期
    started_on: Mapped[date | None]  # 实际动工日期; None: not started
    planned_area: Mapped[Decimal]  # 应开发建设面积
    built_area: Mapped[Decimal]  # 已开发建设面积
    planned_investment: Mapped[Decimal]  # 总投资额
    invested: Mapped[Decimal]  # 已完成投资额
    # 土地闲置费: charged when the first period passes without real action.
    idle_fee: Mapped[Decimal | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    claim: Mapped[Claim] = relationship()
    owner: Mapped[Enterprise] = relationship()
