"""`flask` commands for account administration: deactivate, activate, reset-link."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from approvals.errors import DomainError
from approvals.extensions import db
from approvals.organisations import credentials
from approvals.organisations.models import User


def _account(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"no account named {username!r}")
    return user


def _administrator() -> User:
    """The console acts as the first active administrator, who is recorded as the actor."""
    query = select(User).where(User.role == "admin", User.active.is_(True)).order_by(User.id)
    admin = db.session.scalar(query)
    if admin is None:
        raise click.ClickException("no active admin account: run seed-demo or create-user first")
    return admin


def _set_active(username: str, active: bool) -> User:
    try:
        return credentials.set_active(_administrator(), _account(username).id, active)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc


@click.command("deactivate-user")
@click.argument("username")
@with_appcontext
def deactivate_user(username: str) -> None:
    """Deactivate an account: every session and API token of it ends at once."""
    user = _set_active(username, False)
    click.echo(f"deactivated {user.username}: its sessions and tokens have ended")


@click.command("activate-user")
@click.argument("username")
@with_appcontext
def activate_user(username: str) -> None:
    """Allow a deactivated account to sign in again."""
    click.echo(f"activated {_set_active(username, True).username}")


@click.command("reset-link")
@click.argument("username")
@with_appcontext
def reset_link(username: str) -> None:
    """Print a one-time link with which the user sets a new password."""
    try:
        link = credentials.issue_reset_link(_administrator(), _account(username).id)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(link.url)
    click.echo(f"valid once, until {link.expires_at:%Y-%m-%d %H:%M} UTC", err=True)


COMMANDS = (deactivate_user, activate_user, reset_link)
