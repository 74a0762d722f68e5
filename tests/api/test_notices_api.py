"""Every transition issues a stored, numbered PDF notice whose text a person can read."""

import hashlib
import re
import subprocess
from datetime import datetime
from zoneinfo import ZoneInfo

from approvals.notices.facts import KIND_TITLES, NOTIFICATION_SUBJECTS


def pdf_text(data: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return out.stdout.decode("utf-8")


def test_every_notice_pdf_holds_its_chinese_text(api, send_form):
    ent = api("ent_jiangnan")
    claim = ent.create_claim("ZSJ-MAJOR", "800000.00", "新能源电池项目招商引资")
    ent.attach(claim["id"], "investment_proof")
    cid = claim["id"]
    ent.fire(cid, "submit")
    api("reviewer_zsj").fire(cid, "return_for_supplement", comment="请补充投资协议原件")
    ent.fire(cid, "submit")
    api("reviewer_zsj").fire(cid, "dept_approve", approved_amount="600000", comment="核定60万元")
    send_form(cid)  # the 招商局's 申请认定表, a notice of its own (招商兑〔…〕5号)
    api("finance").fire(cid, "finance_approve", comment="预算充足")
    api("gov").fire(cid, "gov_send_back", comment="请核实投资额")
    api("finance").fire(cid, "finance_approve", comment="已核实")
    api("gov").fire(cid, "gov_approve", comment="同意兑现")
    res = api("finance").fire(cid, "disburse", payment_reference="ICBC-2027-0042")
    notices = res.json["notices"]
    assert [n["kind"] for n in notices] == [
        "receipt",
        "supplement",
        "receipt",
        "recognition",
        "finance_opinion",
        "send_back",
        "finance_opinion",
        "approval",
        "payout",
    ]
    year = datetime.now(ZoneInfo("Asia/Shanghai")).year
    # Numbers run per issuing department and year, from 1, without gaps.
    assert [n["number"] for n in notices] == [
        f"招商兑〔{year}〕1号",
        f"招商兑〔{year}〕2号",
        f"招商兑〔{year}〕3号",
        f"招商兑〔{year}〕4号",
        f"财兑〔{year}〕1号",
        f"府办兑〔{year}〕1号",
        f"财兑〔{year}〕2号",
        f"府办兑〔{year}〕2号",
        f"财兑〔{year}〕3号",
    ]
    expected_extra = {
        1: "请补充投资协议原件",
        3: "陆拾万元整",
        5: "请核实投资额",
        8: "ICBC-2027-0042",
    }
    for i, notice in enumerate(notices):
        pdf = ent.get(notice["url"])
        assert pdf.status_code == 200
        assert pdf.mimetype == "application/pdf"
        assert hashlib.sha256(pdf.data).hexdigest() == notice["sha256"]
        text = re.sub(r"\s+", "", pdf_text(pdf.data))
        for fragment in (
            # notifications are titled …关于…的通知, the others by their form's title
            "的通知" if notice["kind"] in NOTIFICATION_SUBJECTS else KIND_TITLES[notice["kind"]],
            notice["number"],
            "江南新材料科技股份有限公司",
            "重大招商项目工作经费补助",
            notice["verification_code"],
        ):
            assert fragment in text, (notice["kind"], fragment)
        if i in expected_extra:
            assert expected_extra[i] in text, (notice["kind"], expected_extra[i])


def test_a_stored_notice_is_served_as_stored(api, submitted_claim, seeded):
    from approvals.extensions import db
    from approvals.notices.models import Notice

    ent = api("ent_huadong")
    notice = ent.claim(submitted_claim).json["notices"][0]
    first = ent.get(notice["url"]).data
    with seeded.app_context():
        stored = db.session.get(Notice, notice["id"])
        assert stored.pdf == first and stored.size == len(first)
    assert ent.get(notice["url"]).data == first
