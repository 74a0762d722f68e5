"""The input limits are the columns' lengths: what a form or the API lets through, the
database stores."""

import pytest

from approvals import limits
from approvals.claims.models import Attachment, Claim, ClaimEvent
from approvals.notices.models import Notice
from approvals.organisations.models import Enterprise, User
from approvals.policies.models import Policy


@pytest.mark.parametrize(
    ("limit", "model", "column"),
    [
        ("USERNAME", User, "username"),
        ("DISPLAY_NAME", User, "display_name"),
        ("ENTERPRISE_NAME", Enterprise, "name"),
        ("CREDIT_CODE", Enterprise, "credit_code"),
        ("POLICY_CODE", Policy, "code"),
        ("PROJECT_TITLE", Claim, "project_title"),
        ("PAYMENT_REFERENCE", Claim, "payment_reference"),
        ("STATE", Claim, "state"),
        ("STATE", ClaimEvent, "from_state"),
        ("STATE", ClaimEvent, "to_state"),
        ("TRIGGER", ClaimEvent, "trigger"),
        ("ATTACHMENT_KIND", Attachment, "kind"),
        ("ATTACHMENT_FILENAME", Attachment, "filename"),
        ("VERIFICATION_CODE", Notice, "verification_code"),
    ],
)
def test_each_text_limit_is_its_column_length(limit, model, column):
    assert getattr(limits, limit) == limits.column_length(model, column)
