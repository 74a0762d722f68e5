"""One project, one claim: a live claim per policy and call year, one payout per exclusive group.

An enterprise may hold one live claim per policy clause (a policy belongs to one call year).
Claims that ended without money (withdrawn, rejected, lapsed) do not count; a paid one does.
Clauses of one exclusive group pay a project once, the highest (就高不重复): once finance has
approved one claim of the group, it refuses the enterprise's others of that year.

Both checks take a lock on the enterprise's row (``FOR UPDATE`` on PostgreSQL), so two
requests at once cannot both pass. On SQLite, which has no row locks, the create check
runs after the new claim's row is written, and SQLite's single writer orders it; the group
check there is as good as the embedded, single-process default needs.
"""

from __future__ import annotations

from sqlalchemy import select

from approvals.access import can_view
from approvals.claims.models import Claim
from approvals.claims.tagged import in_states_tagged
from approvals.errors import Conflict
from approvals.extensions import db
from approvals.organisations.models import Enterprise
from approvals.policies.models import Policy


class DuplicateClaim(Conflict):
    """A second live claim for one policy: names the first, so that a user can open it."""

    code = "duplicate_claim"

    def __init__(self, existing: Claim):
        policy = existing.policy
        super().__init__(
            f"本企业已有该政策条款{policy.call_year}年度的申报（申报编号 {existing.number}），"
            "同一政策同一年度只能申报一次",
            fields={"existing_claim_id": existing.id, "existing_claim_number": existing.number},
        )
        self.existing_id = existing.id
        self.existing_number = existing.number


def lock_enterprise(enterprise_id: int) -> None:
    """Serialise the enterprise's creates and group approvals until the transaction ends."""
    db.session.execute(
        select(Enterprise.id).where(Enterprise.id == enterprise_id).with_for_update()
    )


def live_claim(enterprise_id: int, policy_id: int, *, besides: int | None = None) -> Claim | None:
    """The enterprise's live claim under the policy (other than `besides`), if any."""
    query = select(Claim).where(
        Claim.enterprise_id == enterprise_id,
        Claim.policy_id == policy_id,
        # Ended without money (withdrawn, lapsed, rejected): the policy is free again.
        ~in_states_tagged("given_up", "refused"),
    )
    if besides is not None:
        query = query.where(Claim.id != besides)
    return db.session.scalar(query.order_by(Claim.id).limit(1))


def refuse_second(claim: Claim) -> None:
    """Called in the creating transaction, after the new claim's row is written."""
    existing = live_claim(claim.enterprise_id, claim.policy_id, besides=claim.id)
    if existing is not None:
        raise DuplicateClaim(existing)


def _in_group(claim: Claim):
    policy = claim.policy
    return (
        select(Claim)
        .join(Claim.policy)
        .where(
            Claim.enterprise_id == claim.enterprise_id,
            Claim.id != claim.id,
            Policy.exclusive_group == policy.exclusive_group,
            Policy.call_year == policy.call_year,
        )
        .order_by(Claim.id)
    )


def group_rivals(claim: Claim) -> list[Claim]:
    """The enterprise's other submitted claims in the claim's exclusive group and year."""
    if not claim.policy.exclusive_group:
        return []
    return list(db.session.scalars(_in_group(claim).where(~in_states_tagged("unsubmitted"))))


def rivals_shown_to(actor, claim: Claim) -> list[tuple[Claim, bool]]:
    """For an official's claim page: the group's other claims, each with whether `actor`
    may open it (another department's claim is listed, not linked)."""
    if actor.role == "enterprise":
        return []
    return [(rival, can_view(actor, rival)) for rival in group_rivals(claim)]


def group_conflict(claim: Claim) -> Claim | None:
    """Another claim of the group and year that finance has already approved, if any."""
    if not claim.policy.exclusive_group:
        return None
    lock_enterprise(claim.enterprise_id)
    # Past finance's approval (and not rejected since): holding its reservation, or approved.
    query = _in_group(claim).where(in_states_tagged("holds_budget", "approved")).limit(1)
    return db.session.scalar(query)
