"""The publicity pages through the web: finance publishes from its page, anyone objects on
the public page, the department settles the objection on its own, and the public page shows
the period's end and the outcome without a word about who objected."""

from __future__ import annotations

from io import BytesIO

from sqlalchemy import select

from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.publicity.models import Objection, Publicity
from tests.conftest import PDF_BYTES
from tests.publicity.conftest import POLICY, at
from tests.web.conftest import WebClient


def client(app, username: str | None = None) -> WebClient:
    web = WebClient(app.test_client())
    if username:
        web.signin(username)
    return web


def test_publish_object_and_settle_through_the_pages(seeded, approved):
    [claim_id] = approved(1)
    at(seeded, "2026-12-07T10:00")
    finance = client(seeded, "finance")
    page = finance.get("/publicity/pending").get_data(as_text=True)
    assert POLICY in page
    res = finance.post("/publicity/publish", {"policy": POLICY})
    assert res.status_code == 302
    with seeded.app_context():
        publicity = db.session.scalar(select(Publicity))
        publicity_id, item_id = publicity.id, publicity.items[0].id
        enterprise = db.session.get(Claim, claim_id).enterprise.name

    at(seeded, "2026-12-08T10:00")
    public = client(seeded)  # nobody signed in
    listing = public.get("/publicity").get_data(as_text=True)
    assert f"/publicity/{publicity_id}" in listing
    shown = public.get(f"/publicity/{publicity_id}").get_data(as_text=True)
    assert enterprise in shown and "1,000.00" in shown
    form = f"/publicity/{publicity_id}/items/{item_id}/objection"
    assert public.get(form).status_code == 200
    refused = public.post(form, {"name": "王芳", "grounds": "不属实"})
    assert refused.status_code == 422  # no contact details, no evidence
    res = public.post(
        form,
        {
            "name": "王芳",
            "phone": "0571-88880000",
            "email": "",
            "grounds": "该项目规划编制费用已由其他专项资金支付。",
            "evidence": (BytesIO(PDF_BYTES), "付款凭证.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert res.status_code == 302
    with seeded.app_context():
        objection_id = db.session.scalar(select(Objection.id))

    reviewer = client(seeded, "reviewer_jmj")
    assert "王芳" in reviewer.get(f"/publicity/objections/{objection_id}").get_data(as_text=True)
    evidence = reviewer.get(f"/publicity/objections/{objection_id}/evidence")
    assert evidence.status_code == 200 and evidence.data == PDF_BYTES
    evidence.close()
    assert (
        client(seeded, "reviewer_kjj").get(f"/publicity/objections/{objection_id}").status_code
        == 404
    )
    res = reviewer.post(
        f"/publicity/objections/{objection_id}/resolve",
        {"outcome": "dismissed", "reasons": "经核实，该项目未获其他专项资金支持。"},
    )
    assert res.status_code == 302

    at(seeded, "2026-12-14T09:00")
    shown = public.get(f"/publicity/{publicity_id}").get_data(as_text=True)
    assert 'id="ended"' in shown
    assert "经核实，该项目未获其他专项资金支持。" in shown
    for private in ("王芳", "0571-88880000", "付款凭证"):
        assert private not in shown
    assert public.get("/publicity/objections").status_code == 302  # to the sign-in page
    assert public.get(form).get_data(as_text=True).count('id="objection-form"') == 0


def test_the_administrator_sets_a_clauses_publicity_period_on_its_form(seeded):
    from approvals.policies.forms import form_data
    from approvals.policies.models import Policy

    with seeded.app_context():
        data = form_data(db.session.scalar(select(Policy).filter_by(code=POLICY)))
    # As a browser posts it: ticked boxes as "y", unticked ones absent.
    posted = {k: ("y" if v else None) if isinstance(v, bool) else v for k, v in data.items()}
    posted = {k: v for k, v in posted.items() if v is not None}
    admin = client(seeded, "admin")
    refused = admin.post(f"/admin/policies/{POLICY}", posted | {"publicity_days": "99"})
    assert refused.status_code == 422 and "公示期" in refused.get_data(as_text=True)
    res = admin.post(f"/admin/policies/{POLICY}", posted | {"publicity_days": "5"})
    assert res.status_code == 302, res.get_data(as_text=True)
    with seeded.app_context():
        policy = db.session.scalar(select(Policy).filter_by(code=POLICY))
        assert policy.publicity_days == 5 and policy.versions[-1].publicity_days == 5
