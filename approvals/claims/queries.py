"""Read-only lists of claims, always filtered by what the actor may see."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from approvals.claims.models import Claim
from approvals.claims.permissions import visible_clause
from approvals.errors import Invalid
from approvals.extensions import db
from approvals.organisations.models import User
from approvals.policies.models import Policy

MAX_PAGE = 100


def _parse_limit(limit) -> int:
    try:
        value = int(limit) if limit not in (None, "") else 20
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= MAX_PAGE:
        raise Invalid(f"limit 应为 1 到 {MAX_PAGE} 之间的整数", fields={"limit": "无效"})
    return value


def _parse_cursor(cursor) -> int | None:
    if cursor in (None, ""):
        return None
    try:
        return int(cursor)
    except (TypeError, ValueError):
        raise Invalid("cursor 无效", fields={"cursor": "无效"}) from None


def list_claims(
    actor: User, *, state=None, policy=None, limit=None, cursor=None
) -> tuple[list[Claim], str | None]:
    """Newest first, keyset-paginated on the primary key; returns (items, next_cursor)."""
    size = _parse_limit(limit)
    after = _parse_cursor(cursor)
    query = (
        select(Claim)
        .where(visible_clause(actor))
        .options(selectinload(Claim.enterprise), selectinload(Claim.policy))
        .order_by(Claim.id.desc())
        .limit(size + 1)
    )
    if state:
        query = query.where(Claim.state == state)
    if policy:
        query = query.where(Claim.policy_id.in_(select(Policy.id).where(Policy.code == policy)))
    if after is not None:
        query = query.where(Claim.id < after)
    rows = list(db.session.scalars(query))
    next_cursor = str(rows[size - 1].id) if len(rows) > size else None
    return rows[:size], next_cursor
