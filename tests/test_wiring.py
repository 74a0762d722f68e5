"""Explicit wiring: importing the package changes nothing; create_app() installs each part."""

import subprocess
import sys
import textwrap

from approvals.config import REPO_ROOT

IMPORT_EVERYTHING = textwrap.dedent(
    """
    import importlib, pkgutil
    import approvals
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

    for module in pkgutil.walk_packages(approvals.__path__, "approvals."):
        importlib.import_module(module.name)

    from approvals import db
    from approvals.audit import append_only, chain
    from approvals.claims.models import ClaimEvent

    def installed():
        return {
            "sqlite pragmas": event.contains(Engine, "connect", db._sqlite_pragmas),
            "append-only guard": event.contains(
                Session, "before_flush", append_only._refuse_changes
            ),
            "chain sealing": event.contains(Session, "before_flush", chain._seal_new_links),
            "append-only triggers": event.contains(
                ClaimEvent.__table__, "after_create", append_only._after_create
            ),
        }

    print(sorted(name for name, on in installed().items() if on))
    approvals.create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "k" * 40})
    print(sorted(name for name, on in installed().items() if not on))
    """
)


def test_importing_every_module_installs_nothing_and_create_app_installs_it_all():
    # A fresh interpreter: this one has created apps already.
    run = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    on_import, missing_after_create_app = run.stdout.splitlines()
    assert on_import == "[]", f"installed on import: {on_import}"
    assert missing_after_create_app == "[]", (
        f"not installed by create_app: {missing_after_create_app}"
    )
