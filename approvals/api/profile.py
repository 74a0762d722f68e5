"""API v1: the enterprise's own profile (企业信息) and payee account."""

from __future__ import annotations

from flask import jsonify

from approvals.api import bp, parsing
from approvals.api.auth import token_required
from approvals.limits import column_length
from approvals.organisations import profile
from approvals.organisations.models import Enterprise
from approvals.organisations.payee import mask_account

# Every field is text within its column; absent (or null) keeps the stored value.
PROFILE = {name: parsing.Text(column_length(Enterprise, name)) for name in profile.PROFILE_FIELDS}


def profile_json(enterprise) -> dict:
    data = profile.profile_values(enterprise)
    data.update(
        {
            "enterprise_name": enterprise.name,
            "credit_code": enterprise.credit_code,
            # The enterprise's own account is shown to its own users in full, to edit it.
            "bank_account_masked": mask_account(enterprise.bank_account),
            "payable": profile.payee_problem(enterprise) is None,
            "payee_problem": profile.payee_problem(enterprise),
        }
    )
    return data


@bp.get("/enterprise/profile")
@token_required
def get_profile(actor):
    return jsonify(profile_json(profile.own_enterprise(actor)))


@bp.put("/enterprise/profile")
@token_required
def put_profile(actor):
    profile.own_enterprise(actor)  # 403 for any other role, before the body is read
    enterprise = profile.update_profile(actor, parsing.body(PROFILE))
    return jsonify(profile_json(enterprise))
