"""Forms refuse what no column stores, and their limits are the columns' own."""

from __future__ import annotations

import pytest

from approvals import limits
from approvals.claims.forms import BatchForm, ClaimForm, decision_form_class
from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.organisations.credit_code import make_credit_code
from approvals.organisations.forms import InviteForm, SignUpForm
from approvals.organisations.models import Enterprise, User
from tests.web.conftest import text


def _max(form_class, name: str) -> int:
    field = getattr(form_class, name)
    return next(v.max for v in field.kwargs["validators"] if hasattr(v, "max") and v.max > 0)


@pytest.mark.parametrize(
    ("form", "field", "column"),
    [
        (SignUpForm, "enterprise_name", Enterprise.__table__.c.name),
        (SignUpForm, "credit_code", Enterprise.__table__.c.credit_code),
        (SignUpForm, "username", User.__table__.c.username),
        (InviteForm, "display_name", User.__table__.c.display_name),
        (ClaimForm, "project_title", Claim.__table__.c.project_title),
    ],
)
def test_form_limits_are_the_column_lengths(form, field, column):
    assert _max(form, field) == column.type.length


def test_the_decision_forms_limits_are_the_declared_fields_and_the_columns(app):
    """The decision form is built from the field registry: its limits are the fields',
    which are the columns' (the payment reference) and the opinion's."""
    from approvals.workflow.registry import catalog

    declared = catalog(app).fields
    form = decision_form_class((declared["payment_reference"], declared["comment"]))
    assert _max(form, "payment_reference") == Claim.__table__.c.payment_reference.type.length
    assert _max(form, "comment") == limits.COMMENT


def test_sign_up_with_a_company_name_longer_than_a_display_name_succeeds(web, seeded):
    """A 128-character company name is allowed; the first user's display name, which
    holds 64, is the company's name cut to fit (PostgreSQL refused it before)."""
    name = "华" * limits.ENTERPRISE_NAME
    res = web(None).post(
        "/signup",
        {
            "enterprise_name": name,
            "credit_code": make_credit_code("91330100MA2H9J0K1"),
            "username": "longname",
            "password": "secret-pass-2026",
            "confirm": "secret-pass-2026",
        },
    )
    assert res.status_code == 302, text(res)[:500]
    with seeded.app_context():
        user = db.session.scalar(db.select(User).filter_by(username="longname"))
        assert user.enterprise.name == name
        assert user.display_name == name[: limits.DISPLAY_NAME]


@pytest.mark.parametrize("value", ["JMJ\x00PLAN", "a\x00"])
def test_nul_in_any_form_field_is_refused_before_the_database(web, value):
    res = web("finance").post(
        "/finance/budgets", {"policy_code": value, "year": "2026", "amount": "1", "confirmed": "1"}
    )
    assert res.status_code == 422
    assert "空字符" in text(res)


def test_nul_in_a_path_or_query_is_refused(web):
    assert web(None).get("/verify/ABCD%00EFGH").status_code == 422
    assert web("ent_huadong").get("/claims?cursor=%00").status_code == 422


@pytest.mark.parametrize("path", ["/claims/2147483648", "/claims/99999999999999999999"])
def test_claim_page_beyond_the_integer_column_is_404(web, path):
    assert web("ent_huadong").get(path).status_code == 404


def test_claims_list_cursor_beyond_the_column_is_refused(web):
    assert web("ent_huadong").get("/claims?cursor=99999999999999999999").status_code == 422


def test_budget_for_a_year_no_column_holds_is_refused(web):
    res = web("finance").post(
        "/finance/budgets",
        {"policy_code": "JMJ-PLAN", "year": str(10**20), "amount": "1", "confirmed": "1"},
        follow_redirects=True,
    )
    assert res.status_code < 500
    assert "年度应为" in text(res)


def test_superscript_digits_in_a_batch_selection_are_ignored(seeded):
    with seeded.test_request_context(method="POST", data={"claims": ["²:1", "1:³", "3:2"]}):
        form = BatchForm(meta={"csrf": False})
        assert form.selected() == [(3, 2)]
