"""Versions of a clause's terms: a claim keeps the terms it was filed under.

Every change to a clause's terms, by the administrator's pages, the API, seeding or a
command, goes through the session's flush, so the rule is kept there, once:
- a new clause gets version 1;
- a change to a clause's terms makes a new version, which new claims are filed under;
  claims filed before keep theirs (`Claim.policy_version`, read through `claim.terms`);
- a version is never changed once committed: only in the transaction that wrote it (seeding
  a clause and then its basis, say) is it updated in place.
Always a new version, even for a clause nobody has claimed under yet: deciding "in use"
would race a claim being filed at the same moment, and the history then shows every edit.
"""

from __future__ import annotations

from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session

from approvals.db import utcnow
from approvals.extensions import db
from approvals.policies.models import Policy, PolicyVersion

# The clause's terms: every column the two tables share.
TERMS = tuple(
    column.key
    for column in PolicyVersion.__table__.columns
    if column.key in Policy.__table__.columns and column.key not in ("id", "version")
)
_WRITTEN = "policy_versions_written"  # session.info: versions written in this transaction


def terms_of(policy) -> dict:
    """The terms as plain values, keyed as the columns are."""
    return {name: getattr(policy, name) for name in TERMS}


def history(policy: Policy) -> list[PolicyVersion]:
    """The clause's versions, newest first, with who wrote each."""
    return list(
        db.session.scalars(
            select(PolicyVersion)
            .where(PolicyVersion.policy_id == policy.id)
            .order_by(PolicyVersion.version.desc())
        )
    )


def claims_filed(policy: Policy) -> dict[int, int]:
    """version → how many claims were filed under it."""
    # Claims import policies: the claims table is read by name, not through Claim.
    claims = db.metadata.tables["claims"]
    rows = db.session.execute(
        select(claims.c.policy_version, func.count())
        .where(claims.c.policy_id == policy.id)
        .group_by(claims.c.policy_version)
    )
    return dict(rows.all())


def changes(history: list[PolicyVersion]) -> dict[int, list[str]]:
    """version → the terms it changed from the version before (a history, newest first)."""
    older = {v.version: v for v in history}
    found = {}
    for version in history:
        before = older.get(version.version - 1)
        if before is not None:
            found[version.version] = [
                name for name in TERMS if getattr(before, name) != getattr(version, name)
            ]
    return found


def _changed(policy: Policy) -> bool:
    state = inspect(policy)
    # The department may be set by relationship: its id follows only at the flush.
    return any(state.attrs[name].history.has_changes() for name in (*TERMS, "department"))


def _written(session: Session) -> set:
    """The versions written in the session's current transaction (updatable in place)."""
    transaction = session.get_transaction()
    mark = session.info.get(_WRITTEN)
    if mark is None or mark[0] is not transaction:
        mark = session.info[_WRITTEN] = (transaction, set())
    return mark[1]


def _write(session: Session, policy: Policy, number: int) -> None:
    # Set by the administrator's service for the one edit (services.py), then forgotten.
    author = vars(policy).pop("edited_by", None)
    version = PolicyVersion(
        policy=policy,
        version=number,
        department=policy.department,
        created_by_id=author.id if author is not None else None,
        created_at=utcnow(),
        # What a new clause leaves unset takes the column's default, as the clause's does.
        **{name: value for name, value in terms_of(policy).items() if value is not None},
    )
    policy.version = number
    session.add(version)
    _written(session).add(version)


def _current(session: Session, policy: Policy) -> PolicyVersion | None:
    for version in _written(session):
        if version.policy is policy and version.version == policy.version:
            return version
    return None


def _before_flush(session: Session, _context, _instances) -> None:
    for policy in [o for o in session.new if isinstance(o, Policy)]:
        if not policy.versions:
            _write(session, policy, 1)
    for policy in [o for o in session.dirty if isinstance(o, Policy)]:
        if not _changed(policy):
            continue
        current = _current(session, policy)
        if current is not None:
            for name, value in terms_of(policy).items():
                setattr(current, name, value)
            current.department = policy.department
        else:
            _write(session, policy, policy.version + 1)


def init_app(app) -> None:
    # On the Session class, once per process: every app's sessions are of that class.
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
