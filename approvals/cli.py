"""`flask` commands: demo data, accounts, workflows, the ledger, budgets, timers, calendar."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from approvals.cli_options import now_option
from approvals.errors import DomainError
from approvals.workflow.registry import workflows

DEMO_FILE = Path(__file__).with_name("demo.toml")


def register_commands(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_user_command)
    app.cli.add_command(check_workflows)
    app.cli.add_command(workflow_diagram)
    app.cli.add_command(set_position_command)
    app.cli.add_command(migrate_claims_command)
    app.cli.add_command(check_ledger)
    app.cli.add_command(set_budget_command)
    from approvals.organisations.commands import COMMANDS as ACCOUNT_COMMANDS

    for command in ACCOUNT_COMMANDS:  # deactivate-user, activate-user, reset-link
        app.cli.add_command(command)
    app.cli.add_command(tick)
    app.cli.add_command(calendar_day_command)
    app.cli.add_command(calendar_days_command)


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Load the demo departments, policies and accounts, then claims in every state while
    there are none (idempotent); print the accounts and the claims by state."""
    from approvals.demo import seed
    from approvals.demo_claims import seed_claims
    from approvals.expert_review.demo import seed_panels, seed_scores

    data = tomllib.loads(DEMO_FILE.read_text(encoding="utf-8"))
    accounts = seed(data)
    seed_panels(data)  # 专家评审: the special-fund clause's panel, criteria and conflicts
    click.echo("演示账号 / demo accounts (password: see below)")
    for username, role, where, password in accounts:
        click.echo(f"  {username:<16} {role:<11} {where:<24} {password}")
    click.echo(seed_claims().summary())
    seed_scores(data)  # the demo claims' expert scores, once they are being scored
    from approvals.idle_land.demo import seed_cases

    seed_cases()  # 闲置工业用地: a case reported, one before the city, one rectifying
    from approvals.proactive.demo import seed_offer

    seed_offer()  # 免申即享: an offer waiting for 华东精密机械's confirmation


@click.command("create-user")
@with_appcontext
@click.option("--username", required=True)
@click.option("--password", required=True)
@click.option("--role", required=True)
@click.option("--department", "department_code")
@click.option("--enterprise-name")
@click.option("--credit-code")
@click.option(
    "--position", help="an official's sign-off position: case_officer, section_chief, leader"
)
def create_user_command(
    username, password, role, department_code, enterprise_name, credit_code, position
):
    """Create one account; an enterprise user names its company and credit code."""
    from approvals.organisations.services import create_user

    try:
        user = create_user(
            username,
            password,
            role,
            department_code=department_code,
            enterprise_name=enterprise_name,
            credit_code=credit_code,
            position=position,
        )
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"created {user.username} ({user.role})")


@click.command("set-position")
@with_appcontext
@click.argument("username")
@click.argument("position", required=False)
def set_position_command(username, position):
    """Give an official a sign-off position (case_officer, section_chief, leader), or none."""
    from approvals.organisations.services import set_position

    try:
        user = set_position(username, position or None)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"{user.username}: {user.position or '-'}")


@click.command("check-workflows")
@with_appcontext
def check_workflows() -> None:
    """Validate every workflow file (they are also validated at start-up)."""
    for engine in workflows().values():
        spec = engine.spec
        click.echo(
            f"ok  {spec.name} v{spec.version}: {len(spec.states)} states, "
            f"{len(spec.transitions)} transitions ({spec.path})"
        )


@click.command("workflow-diagram")
@click.argument("name", default="enterprise_claim")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh")
@with_appcontext
def workflow_diagram(name: str, lang: str) -> None:
    """Print a workflow as a Mermaid state diagram."""
    from approvals.workflow.diagram import mermaid

    known = {engine.spec.name: engine for engine in workflows().latest()}
    if name not in known:
        raise click.ClickException(f"unknown workflow {name!r}; known: {', '.join(known)}")
    click.echo(mermaid(known[name].spec, lang), nl=False)


@click.command("migrate-claims")
@click.argument("workflow")
@click.argument("from_version", type=int)
@click.argument("to_version", type=int)
@click.option("--dry-run", is_flag=True, help="print what would move; change nothing")
@with_appcontext
def migrate_claims_command(workflow: str, from_version: int, to_version: int, dry_run: bool):
    """Move the claims filed under WORKFLOW version FROM to version TO, by the state map
    TO declares ([migrate_from.FROM]); all of them or, if one cannot go, none."""
    from approvals.claims.models import Claim
    from approvals.claims.supplement import system_user
    from approvals.workflow.migrate import migrate, plan

    try:
        if dry_run:
            found = plan(Claim, workflow, from_version, to_version)
        else:
            found = migrate(Claim, workflow, from_version, to_version, actor=system_user())
    except DomainError as exc:
        for name, why in exc.fields.items():  # the claims that cannot go, each with why
            click.echo(f"refuse  {name}: {why}", err=True)
        raise click.ClickException(exc.message) from exc
    for move in found.moves:
        same = " (same state)" if move.source == move.dest else ""
        click.echo(f"move    {move.name}: {move.source} → {move.dest}{same}")
    for name, why in found.refused.items():
        click.echo(f"refuse  {name}: {why}", err=True)
    where = f"{workflow} v{from_version} → v{to_version}"
    if found.refused:  # a dry run: the real one refuses them all
        raise click.ClickException(f"{where}: {len(found.refused)} refused, nothing would move")
    click.echo(f"{where}: {len(found.moves)} {'would move' if dry_run else 'moved'}")


@click.command("check-ledger")
@with_appcontext
def check_ledger() -> None:
    """Reconcile budgets, ledger, claims and batches; exit 1 on any difference."""
    from approvals.finance.reconcile import check

    report = check()
    click.echo(
        f"{'policy':<16} {'year':>4} {'budget':>16} {'reserved':>16} {'paid':>16} {'repaid':>14}"
    )
    for b in report.balances:
        click.echo(
            f"{b.policy:<16} {b.year:>4} {b.amount:>16,.2f} {b.reserved:>16,.2f} "
            f"{b.paid:>16,.2f} {b.repaid:>14,.2f}"
        )
    for problem in report.problems:
        click.echo(f"MISMATCH {problem}", err=True)
    if not report.ok:
        raise click.exceptions.Exit(1)
    click.echo("ok  ledger reconciles: approved = paid + reduced (or reserved), repaid agree")


@click.command("set-budget")
@click.argument("policy_code")
@click.argument("year", type=int)
@click.argument("amount")
@with_appcontext
def set_budget_command(policy_code: str, year: int, amount: str) -> None:
    """Set a policy's budget (专项资金) for a year, in yuan."""
    from approvals.extensions import db
    from approvals.finance.budgets import set_budget
    from approvals.organisations.models import User

    admin = db.session.scalar(db.select(User).filter_by(role="admin"))
    if admin is None:
        raise click.ClickException("no admin account: run seed-demo or create-user first")
    try:
        budget = set_budget(admin, policy_code, year, amount)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"{policy_code} {year}: {budget.amount:,.2f}")


@click.command("tick")
@now_option
@with_appcontext
def tick(at: datetime | None) -> None:
    """Timed moves: lapse every returned claim past its 补正期限, fire the timers due
    (reminders, 督办, the system's moves at deadlines), then retry the messages' failed
    deliveries. Idempotent; for cron, or Celery beat with a task queue."""
    from approvals import ticking

    for line in ticking.run(at):
        click.echo(line)


@click.command("calendar-day")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--holiday", "status", flag_value="holiday", help="a day off (放假)")
@click.option("--workday", "status", flag_value="workday", help="a working day (调休上班)")
@click.option("--clear", "status", flag_value="clear", help="remove the entry")
@click.option("--note", default="", help="why, e.g. 元旦")
@with_appcontext
def calendar_day_command(day, status: str | None, note: str) -> None:
    """Enter a day of the working-day calendar; it overrides the official calendar."""
    from approvals.workflow.calendar import set_calendar_day

    if status is None:
        raise click.UsageError("say --holiday, --workday or --clear")
    workday = {"holiday": False, "workday": True, "clear": None}[status]
    try:
        set_calendar_day(day.date(), workday, note)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"{day:%Y-%m-%d} {status}" + (f" ({note})" if note and workday is not None else ""))


@click.command("calendar-days")
@click.option("--year", type=int, help="only this year")
@with_appcontext
def calendar_days_command(year: int | None) -> None:
    """List the days an administrator entered, and the years the official calendar covers."""
    from approvals.workflow.calendar import calendar_days, official_years

    years = sorted(official_years())
    click.echo(
        f"official calendar (chinesecalendar): {years[0]}–{years[-1]}; other years: "
        "weekends, plus the days below (deadlines on them are provisional)"
    )
    for row in calendar_days(year):
        kind = "workday" if row.workday else "holiday"
        click.echo(f"{row.day:%Y-%m-%d} {row.day:%a} {kind:<8} {row.note}")
