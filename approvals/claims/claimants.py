"""Who may claim under a clause (申报主体): enterprises on the enterprise track; departments,
townships (streets) and platform developers on the department/township track, as each
policy's `claimant_types` says. The same rule refuses the claim (page and API) and leaves
the clause off the claimant's list of policies."""

from __future__ import annotations

from flask_babel import gettext as _

from approvals.organisations.models import CLAIMANT_TYPE_LABELS


def may_claim(organisation, policy) -> bool:
    return organisation is not None and organisation.claimant_type in (policy.claimant_types or ())


def refusal(organisation, policy) -> str | None:
    """Why `organisation` may not claim under `policy`, in the reader's words, or None."""
    if organisation is None or may_claim(organisation, policy):
        return None
    allowed = _("、").join(_(CLAIMANT_TYPE_LABELS[t]) for t in policy.claimant_types or ())
    return _(
        "该政策条款的申报主体为%(allowed)s，%(name)s（%(kind)s）不能申报",
        allowed=allowed or "—",
        name=organisation.name,
        kind=_(organisation.claimant_type_label),
    )


def claimable(actor, policies) -> list:
    """The policies an enterprise-role user's organisation may claim under; every policy for
    the officials, who read them all."""
    if actor.role != "enterprise":
        return list(policies)
    return [p for p in policies if may_claim(actor.enterprise, p)]
