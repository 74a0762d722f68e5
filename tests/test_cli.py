"""The flask commands an administrator runs."""

from sqlalchemy import select

from approvals.extensions import db
from approvals.organisations.credit_code import make_credit_code
from approvals.organisations.models import User
from approvals.policies.models import Policy


def test_seed_demo_is_idempotent_and_prints_accounts(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "reviewer_jmj" in first.output and "ent_huadong" in first.output
    with app.app_context():
        counts = (db.session.query(User).count(), db.session.query(Policy).count())
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0
    with app.app_context():
        assert (db.session.query(User).count(), db.session.query(Policy).count()) == counts
        codes = set(db.session.scalars(db.select(Policy.code)))
    assert {"JMJ-PLAN", "JMJ-INFRA", "KJJ-HITECH", "ZSJ-MAJOR"} <= codes


def test_create_user_for_an_enterprise(seeded):
    runner = seeded.test_cli_runner()
    code = make_credit_code("91330100MA2Q1W2E3")
    result = runner.invoke(
        args=[
            "create-user",
            "--username",
            "acme",
            "--password",
            "secret-123-cli",
            "--role",
            "enterprise",
            "--enterprise-name",
            "顶峰科技有限公司",
            "--credit-code",
            code,
        ]
    )
    assert result.exit_code == 0, result.output
    with seeded.app_context():
        user = db.session.scalar(db.select(User).filter_by(username="acme"))
        assert user.enterprise.credit_code == code


def test_create_user_refuses_a_bad_credit_code(seeded):
    result = seeded.test_cli_runner().invoke(
        args=[
            "create-user",
            "--username",
            "acme",
            "--password",
            "secret-123-cli",
            "--role",
            "enterprise",
            "--enterprise-name",
            "顶峰科技有限公司",
            "--credit-code",
            "91330100MA2Q1W2E3A",
        ]
    )
    assert result.exit_code != 0
    assert "校验位错误" in result.output


def test_create_reviewer_needs_a_known_department(seeded):
    result = seeded.test_cli_runner().invoke(
        args=[
            "create-user",
            "--username",
            "r2",
            "--password",
            "secret-123-cli",
            "--role",
            "reviewer",
            "--department",
            "NOPE",
        ]
    )
    assert result.exit_code != 0
    assert "未知部门" in result.output


def test_check_workflows(app):
    result = app.test_cli_runner().invoke(args=["check-workflows"])
    assert result.exit_code == 0
    assert "enterprise_claim" in result.output


def test_an_official_gets_a_sign_off_position_and_an_enterprise_user_none(seeded):
    runner = seeded.test_cli_runner()
    created = runner.invoke(
        args=[
            "create-user",
            "--username",
            "chief2_jmj",
            "--password",
            "secret-123-cli-chief",
            "--role",
            "reviewer",
            "--department",
            "JMJ",
            "--position",
            "section_chief",
        ]
    )
    assert created.exit_code == 0, created.output
    with seeded.app_context():
        chief = db.session.scalar(select(User).where(User.username == "chief2_jmj"))
        assert chief.position_label == "科室负责人"
    assert runner.invoke(args=["set-position", "chief2_jmj", "leader"]).output.strip() == (
        "chief2_jmj: leader"
    )
    refused = runner.invoke(args=["set-position", "ent_huadong", "leader"])
    assert refused.exit_code != 0 and "只有部门工作人员有签批职务" in refused.output
    unknown = runner.invoke(args=["set-position", "chief2_jmj", "boss"])
    assert unknown.exit_code != 0 and "未知职务" in unknown.output
