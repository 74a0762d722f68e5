"""Who signed is printed on the notice of a move that review tasks fired: each department's
opinion with its signer and date in a joint review (会签), each step's signer and date in a
sign-off chain (经办人, 审核人, 审批人; a substitute as 李四（代 赵六）), inside the body above
the signature, the 附注 and the 版记. They are facts of the notice: it re-renders byte for
byte, and the verification page shows them. A move no task fired prints none."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from approvals import workflow
from approvals.claims.models import Claim
from approvals.clock import LOCAL
from approvals.config import REPO_ROOT
from approvals.db import transaction
from approvals.extensions import db
from approvals.notices.facts import facts_from_json
from approvals.notices.models import Notice
from approvals.notices.render import render_notice
from approvals.organisations.models import User
from approvals.workflow import rounds, runtime
from approvals.workflow.models import ReviewTask
from tests.notices.pdfmeasure import ink_box, pages_of, red_ink
from tests.notices.test_wording import notice_text
from tests.tasks import conftest as joint_track
from tests.tasks.conftest import decide_as, joint_claim_text

# The joint-review track's fixtures (tests/tasks/conftest.py), lent to this module; its
# `deploy` is this module's own, below.
file_joint, make_reviewer, reviewers = (
    joint_track.file_joint,
    joint_track.make_reviewer,
    joint_track.reviewers,
)
LEFT, RIGHT, BLOCK_BOTTOM = 28.0, 184.0, 262.0  # the 156 × 225 mm text block
# The joint-review track with a notice on each move: the 认定表 to finance when every
# department agrees, the 补正 notice at a return, the 撤回确认书 of a withdrawal.
NOTICES = {
    'trigger = "joint_approve"\n': 'notice = "recognition"\n',
    'trigger = "joint_return"\n': 'notice = "supplement"\n',
    'trigger = "withdraw"\n': 'notice = "withdrawal"\n',
}


@pytest.fixture
def deploy(seeded, tmp_path):
    """The app restarted on the shipped enterprise track and the noticed joint-review track
    (the name `file_joint` of tests/tasks/conftest.py asks for)."""
    root = tmp_path / "workflows"
    (root / "enterprise_claim").mkdir(parents=True)
    (root / "joint_claim").mkdir()
    shutil.copy(REPO_ROOT / "workflows/enterprise_claim/v1.toml", root / "enterprise_claim")

    def run(completion: str) -> None:
        text = joint_claim_text(completion)
        for anchor, line in NOTICES.items():
            assert text.count(anchor) == 1
            text = text.replace(anchor, anchor + line)
        (root / "joint_claim" / "v1.toml").write_text(text, "utf-8")
        seeded.config["WORKFLOWS_DIR"] = str(root)
        workflow.init_app(seeded)

    return run


def _notice(claim_id: int, kind: str) -> Notice:
    [notice] = db.session.scalars(select(Notice).filter_by(claim_id=claim_id, kind=kind)).all()
    return notice


def _day(when: datetime) -> str:
    local = when.astimezone(LOCAL)
    return f"{local.year}年{local.month}月{local.day}日"


def _lines(pdf: bytes, tmp_path: Path):
    [lines] = pages_of(pdf, tmp_path)
    return lines


def _line(lines, needle: str):
    found = [line for line in lines if needle in line.text]
    assert found, f"no line holds {needle!r}: {[line.text for line in lines]}"
    return found[0]


def _signature(lines, who: str, day: str) -> list:
    """The signer and the date, side by side on one row (pdftotext parts them at the wide
    space between)."""
    signer = _line(lines, who)
    date = [
        line
        for line in lines
        if day in line.text
        and abs(line.box.top - signer.box.top) < 1
        and line.box.left >= signer.box.left
    ]
    assert date, f"{day} is not on the row of {who}"
    return [signer, date[0]]


def _in_the_body(signed, lines, pdf: bytes, tmp_path: Path, issuer: str) -> None:
    """The signer lines lie in the text block, under the facts table, above the signature
    (署名), the 附注 and the 版记, and the seal covers none of them."""
    table_foot = max(line.box.bottom for line in lines if line.text.startswith("项目名称"))
    signature = min(line.box.top for line in lines if line.text == issuer)
    annotation = next(line for line in lines if line.text.startswith("（联系人"))
    imprint = [line for line in lines if "抄送" in line.text or line.text.endswith("印发")]
    [ink] = red_ink(pdf, tmp_path)
    seal = ink_box(ink, signature - 25, 270)
    for line in signed:
        assert line.box.left >= LEFT - 0.5 and line.box.right <= RIGHT + 0.5, line.text
        assert table_foot < line.box.top and line.box.bottom < signature, line.text
        assert line.box.bottom < annotation.box.top
        assert all(line.box.bottom < foot.box.top for foot in imprint)
        assert line.box.bottom <= BLOCK_BOTTOM
        assert not any(word.box.intersects(seal) for word in line.words), line.text


def test_a_joint_review_notice_prints_each_departments_opinion_signer_and_date(
    seeded, api, file_joint, tmp_path
):
    claim_id = file_joint()
    # 招商局 signs last: its decision fires the move, so the 认定表 is in its name.
    for username, opinion in (
        ("reviewer_jmj", "符合政策条件"),
        ("reviewer_czj", "预算已落实"),
        ("reviewer_zsj", "同意"),
    ):
        assert decide_as(api, username, claim_id, opinion=opinion).status_code == 200
    with seeded.app_context():
        notice = _notice(claim_id, "recognition")
        tasks = {t.department.code: t for t in db.session.scalars(select(ReviewTask))}
        lines = {
            "JMJ": ("示范市经济贸易局意见：同意。符合政策条件", "市经贸局初审"),
            "CZJ": ("示范市财政局意见：同意。预算已落实", "市财政局初审"),
            "ZSJ": ("示范市招商局意见：同意", "市招商局初审"),
        }
        text, page = notice_text(notice.pdf), _lines(notice.pdf, tmp_path)
        signed = []
        for code, (opinion, signer) in lines.items():
            day = _day(tasks[code].decided_at)
            assert f"{opinion}签署人：{signer}{day}" in text, (opinion, signer)
            signed += [_line(page, opinion), *_signature(page, f"签署人：{signer}", day)]
        assert text.index("示范市经济贸易局意见") < text.index("示范市招商局意见")  # in order
        assert "会签意见：" not in text  # the opinions are printed once, by department
        _in_the_body(signed, page, notice.pdf, tmp_path, "示范市招商局")
        # Facts of the notice: stored with it, and the same bytes again from them.
        stored = notice.all_facts["signers"]
        # in the order the policy lists the departments, whatever the order they signed in
        assert [s["name"] for s in stored] == ["市经贸局初审", "市招商局初审", "市财政局初审"]
        assert render_notice(facts_from_json(notice.facts)) == notice.pdf
        code = notice.verification_code
    page = api(None).client.get(f"/verify/{code}").get_data(as_text=True)
    assert "示范市财政局意见" in page and "签署人：市财政局初审" in page


def _user(username: str) -> User:
    return db.session.scalar(select(User).filter_by(username=username))


def _at(day: int, hour: int = 10) -> datetime:
    return datetime(2027, 1, day, hour, tzinfo=LOCAL)


def test_a_sign_off_chain_prints_each_step_and_a_substitute_for_whom(
    seeded, api, file_joint, make_reviewer, tmp_path
):
    """经办人：张三　2027年1月5日　审核人：李四（代 赵六）　2027年1月6日　审批人：王五　…"""
    claim_id = file_joint(departments=("JMJ",))
    for username, name in (("zhang", "张三"), ("li", "李四"), ("zhao", "赵六"), ("wang", "王五")):
        make_reviewer(username, "JMJ", display_name=name)
    with seeded.app_context():
        # The department's round as its chain leaves it (the engine's rows, written here).
        ids = {username: _user(username).id for username in ("zhang", "li", "zhao", "wang")}
        [prepared] = db.session.scalars(select(ReviewTask).filter_by(claim_id=claim_id)).all()
        prepared.step, prepared.status, prepared.decision = "case_officer", "done", "agree"
        prepared.opinion, prepared.decided_by_id = "材料齐全，拟核定补助8万元", ids["zhang"]
        prepared.decided_at = _at(5)
        for step, who, day, behalf in (
            ("section_chief", "li", 6, "zhao"),
            ("leader", "wang", 7, None),
        ):
            db.session.add(
                ReviewTask(
                    claim_id=claim_id,
                    state=prepared.state,
                    round=prepared.round,
                    department_id=prepared.department_id,
                    role=prepared.role,
                    step=step,
                    status="done",
                    decision="agree",
                    opinion="同意",
                    decided_by_id=ids[who],
                    decided_at=_at(day),
                    on_behalf_of_id=ids.get(behalf),
                )
            )
        db.session.commit()
        # The leader's signature completes the round: the move it fires, as the tasks fire it.
        claim = db.session.get(Claim, claim_id)
        rule = runtime.engine_for(claim).spec.tasks_of(claim.state)
        summary = rounds.summary(rounds.round_of(prepared))
        with transaction():
            runtime.take(_user("wang"), claim, rule.on_complete, {"comment": summary}, _at(7, 11))
        notice = _notice(claim_id, "recognition")
        text = notice_text(notice.pdf)
        chain = (
            "经办人：张三2027年1月5日",
            "审核人：李四（代赵六）2027年1月6日",
            "审批人：王五2027年1月7日",
        )
        # The 认定表 is the department's approval: its opinion, without a word for it.
        assert "认定意见：材料齐全，拟核定补助8万元" + "".join(chain) in text
        page = _lines(notice.pdf, tmp_path)
        signed = [_line(page, "认定意见：材料齐全")]
        for who, day in (("经办人：张三", 5), ("审核人：李四（代赵六）", 6), ("审批人：王五", 7)):
            signed += _signature(page, who, f"2027年1月{day}日")  # never parted across lines
        _in_the_body(signed, page, notice.pdf, tmp_path, "示范市经济贸易局")
        stored = notice.all_facts["signers"]
        assert [(s["step"], s["name"], s["on_behalf_of"]) for s in stored] == [
            ("case_officer", "张三", ""),
            ("section_chief", "李四", "赵六"),
            ("leader", "王五", ""),
        ]
        assert render_notice(facts_from_json(notice.facts)) == notice.pdf


def test_the_signers_are_those_of_the_round_that_fired_the_move(seeded, api, file_joint):
    claim_id = file_joint(departments=("JMJ", "ZSJ"))
    # Round 1: 经贸局 returns the claim; the 补正 notice prints that signature alone.
    assert decide_as(api, "reviewer_jmj", claim_id, "return", "请补充投资协议").status_code == 200
    assert api("ent_huadong").fire(claim_id, "submit").status_code == 200
    # Round 2: both agree; the 认定表 prints round 2's signatures, not round 1's return.
    assert decide_as(api, "reviewer_jmj", claim_id, opinion="已补齐，符合条件").status_code == 200
    assert decide_as(api, "reviewer_zsj", claim_id, opinion="同意").status_code == 200
    with seeded.app_context():
        returned = _notice(claim_id, "supplement")
        assert [s["decision"] for s in returned.all_facts["signers"]] == ["return"]
        assert "示范市经济贸易局意见" not in notice_text(returned.pdf)  # its own, as 补正事项
        assert "补正事项：请补充投资协议签署人：市经贸局初审" in notice_text(returned.pdf)
        approved = _notice(claim_id, "recognition")
        assert [(s["name"], s["decision"]) for s in approved.all_facts["signers"]] == [
            ("市经贸局初审", "agree"),
            ("市招商局初审", "agree"),
        ]
        text = notice_text(approved.pdf)
        assert "已补齐，符合条件" in text and "请补充投资协议" not in text


def test_a_move_no_task_fired_prints_no_signers(seeded, api, file_joint):
    claim_id = file_joint(departments=("JMJ", "ZSJ"))
    assert decide_as(api, "reviewer_jmj", claim_id, opinion="符合条件").status_code == 200
    # The enterprise withdraws while 招商局 has not decided: its own move, not the tasks'.
    assert api("ent_huadong").fire(claim_id, "withdraw").status_code == 200
    with seeded.app_context():
        notice = _notice(claim_id, "withdrawal")
        assert notice.all_facts["signers"] == []
        text = notice_text(notice.pdf)
        assert "签署人" not in text and "市经贸局初审" not in text
