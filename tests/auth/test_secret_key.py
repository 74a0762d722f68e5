"""The secret key: the app refuses the built-in one outside debug and tests; `make run`
writes a random one to instance/secret_key once, mode 0600, and the config reads it."""

from __future__ import annotations

import stat

import pytest

from approvals import create_app
from approvals.config import from_environment
from approvals.secret_key import BUILTIN, ensure
from tests.conftest import base_config


def _production(tmp_path, **overrides) -> dict:
    config = base_config(tmp_path, f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    config.update({"TESTING": False, "DEBUG": False, **overrides})
    return config


def test_the_app_refuses_to_start_with_the_built_in_key(tmp_path):
    with pytest.raises(RuntimeError, match="Set the SECRET_KEY environment variable"):
        create_app(_production(tmp_path, SECRET_KEY=BUILTIN))


def test_the_app_refuses_to_start_without_any_key(tmp_path):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(_production(tmp_path, SECRET_KEY=""))


def test_debug_mode_may_use_the_built_in_key(tmp_path):
    assert create_app(_production(tmp_path, SECRET_KEY=BUILTIN, DEBUG=True)).debug


def test_the_app_starts_with_a_key_of_its_own(tmp_path):
    app = create_app(_production(tmp_path, SECRET_KEY="f" * 64))
    assert not app.testing and app.config["SECRET_KEY"] == "f" * 64


def test_the_instance_key_is_made_once_private_and_reused(tmp_path):
    path = ensure(tmp_path / "instance")
    key = path.read_text().strip()
    assert len(key) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert ensure(tmp_path / "instance").read_text().strip() == key


def test_config_reads_the_instance_key_when_the_variable_is_unset(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    assert from_environment(str(tmp_path))["SECRET_KEY"] == BUILTIN
    key = ensure(tmp_path).read_text().strip()
    assert from_environment(str(tmp_path))["SECRET_KEY"] == key
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert from_environment(str(tmp_path))["SECRET_KEY"] == "from-the-environment"
