"""A department's list of eligible enterprises: valid rows become offers, each refused row
is reported with its row number and reason, nothing is half-imported, and a file the app
cannot read is refused with what is wrong (4xx, never 500)."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from sqlalchemy import select

from approvals.claims import services
from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.notices.models import Notice
from approvals.notifications.models import Message
from approvals.organisations.credit_code import make_credit_code
from approvals.proactive.models import ProactiveImport
from tests.conftest import PDF_BYTES
from tests.finance.conftest import actor
from tests.proactive.conftest import CLAUSE, csv_bytes, enterprise_of, row_of, xlsx_bytes


def _reasons(done) -> dict[int, str]:
    return {row["row"]: row["reason"] for row in done.rejected}


def test_valid_rows_become_offers_and_the_others_are_reported_by_row(
    seeded, imported, make_enterprise
):
    first, second = make_enterprise(), make_enterprise()
    with seeded.app_context():
        services.create_claim(actor("ent_jiangnan"), CLAUSE, "自行申报", "100000.00")
        rows = [
            row_of(first),  # row 2
            row_of(second, amount="100000"),  # row 3: the fixed amount, written out
            [make_credit_code("91330100MC0000001"), "未登记企业有限公司", "新认定", ""],  # 4
            ["91330100", "代码有误有限公司", "新认定", ""],  # row 5
            [enterprise_of(first).credit_code, "别的名字有限公司", "新认定", ""],  # row 6
            row_of(first),  # row 7: the same enterprise again
            row_of("ent_jiangnan"),  # row 8: it filed a claim of its own
            row_of("ent_huadong", amount="5000"),  # row 9: not the clause's fixed amount
            row_of("ent_huadong", fact=""),  # row 10
        ]
    done, offers = imported(rows)
    assert (done.rows_read, done.offered) == (9, 2)
    reasons = _reasons(done)
    assert sorted(reasons) == [4, 5, 6, 7, 8, 9, 10]
    assert "未在本系统登记" in reasons[4]
    assert "18位" in reasons[5]
    assert "不一致" in reasons[6]
    assert "与第2行重复" in reasons[7]
    assert "已有本条款" in reasons[8]
    assert "100,000.00" in reasons[9]
    assert "符合条件事实" in reasons[10]
    with seeded.app_context():
        for claim_id, _row in offers:
            claim = db.session.get(Claim, claim_id)
            assert claim.workflow == "proactive_grant" and claim.state == "offer_pending"
            assert claim.approved_amount == claim.requested_amount == Decimal("100000.00")
            notice = db.session.scalar(select(Notice).filter_by(claim_id=claim_id))
            assert notice.kind == "proactive_offer"
            message = db.session.scalar(select(Message).filter_by(claim_id=claim_id))
            assert message.recipient.enterprise_id == claim.enterprise_id
            assert f"/claims/{claim_id}" in message.body and notice.number in message.body


def test_the_same_list_again_offers_no_one_twice(seeded, imported, make_enterprise):
    username = make_enterprise()
    with seeded.app_context():
        rows = [row_of(username)]
    first, _ = imported(rows)
    again, offers = imported(rows)
    assert (first.offered, again.offered, offers) == (1, 0, [])
    assert "已于" in _reasons(again)[2]


def test_an_xlsx_list_is_read_with_its_amounts(seeded, imported, make_enterprise, make_policy):
    code = make_policy(proactive=True, offer_days=5, cap=Decimal("50000"), amount_rule=None)
    good, big, bad = make_enterprise(), make_enterprise(), make_enterprise()
    with seeded.app_context():
        rows = [
            row_of(good, amount=30000),  # a number cell
            row_of(big, amount="60000"),
            row_of(bad, amount="三万"),
            row_of("ent_huadong"),  # no amount, and the clause fixes none
        ]
    done, offers = imported(filename="名单.xlsx", clause=code, data=xlsx_bytes(rows))
    assert done.offered == 1
    reasons = _reasons(done)
    assert "上限" in reasons[3] and "金额" in reasons[4] and "请填写金额" in reasons[5]
    with seeded.app_context():
        assert db.session.get(Claim, offers[0][0]).approved_amount == Decimal("30000.00")


def test_a_gbk_csv_as_excel_saves_it_is_read(seeded, imported, make_enterprise):
    username = make_enterprise()
    with seeded.app_context():
        data = csv_bytes([row_of(username)], encoding="gb18030")
    done, _ = imported(data=data)
    assert done.offered == 1


def _upload(client, data: bytes, filename: str, clause: str = CLAUSE):
    return client.post(
        f"/proactive/{clause}/imports",
        {"file": (BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def test_a_file_that_is_no_list_is_refused_with_what_is_wrong(seeded, web):
    reviewer = web("reviewer_jmj")
    cases = [
        (PDF_BYTES, "名单.pdf", "只能导入 CSV 或 XLSX 文件"),
        (b"PK\x03\x04 not a workbook", "名单.xlsx", "不是有效的 XLSX"),
        ("姓名,电话\n张三,1\n".encode(), "名单.csv", "缺少列"),
        ("统一社会信用代码,企业名称,符合条件事实\n".encode(), "名单.csv", "没有数据行"),
        (b"\xff\xfe\x00\x00\x81", "名单.csv", "编码"),
    ]
    for data, filename, message in cases:
        res = _upload(reviewer, data, filename)
        assert res.status_code == 422, (filename, res.status_code)
        assert message in res.get_data(as_text=True), filename
    res = reviewer.post(f"/proactive/{CLAUSE}/imports", {}, content_type="multipart/form-data")
    assert res.status_code == 422
    with seeded.app_context():
        assert db.session.scalar(select(ProactiveImport).limit(1)) is None  # nothing recorded


def test_only_the_clauses_department_imports(seeded, web):
    data = "统一社会信用代码,企业名称,符合条件事实\n".encode()
    assert _upload(web("reviewer_kjj"), data, "a.csv").status_code == 403
    assert _upload(web("ent_huadong"), data, "a.csv").status_code == 403
    assert web("reviewer_kjj").get(f"/proactive/{CLAUSE}").status_code == 403
    assert web("reviewer_jmj").get("/proactive/JMJ-PLAN").status_code == 404  # not proactive


def test_the_import_page_reports_the_rows_it_rejected(seeded, web, make_enterprise):
    username = make_enterprise()
    reviewer = web("reviewer_jmj")
    with seeded.app_context():
        data = csv_bytes([row_of(username), ["91330100", "代码有误", "新认定", ""]])
    res = _upload(reviewer, data, "名单.csv")
    assert res.status_code == 303
    page = reviewer.get(res.headers["Location"]).get_data(as_text=True)
    assert 'id="offered-count">1<' in page and 'id="rejected-row-3"' in page
    csv_text = reviewer.get(res.headers["Location"] + "/rejected.csv").get_data(as_text=True)
    assert "91330100" in csv_text and "统一社会信用代码" in csv_text
