"""Constant-time sign-in: an unknown or inactive user costs the same hash work as a known one
(same method and parameters as real hashes), so timing does not reveal who has an account."""

from __future__ import annotations

import pytest

from approvals.extensions import db
from approvals.organisations import passwords, services
from approvals.organisations.models import User
from tests.conftest import PASSWORD


@pytest.fixture
def hashes_checked(seeded, monkeypatch):
    """The parameters (`method:params`) of every hash a sign-in checks, in order."""
    seen: list[str] = []
    real = passwords.check_password_hash

    def spy(pwhash, password):
        seen.append(pwhash.split("$", 1)[0])
        return real(pwhash, password)

    monkeypatch.setattr(passwords, "check_password_hash", spy)
    return seen


def _deactivate(username):
    user = db.session.scalar(db.select(User).filter_by(username=username))
    user.active = False
    db.session.commit()


CASES = [
    ("known user, right password", "ent_huadong", PASSWORD),
    ("known user, wrong password", "ent_huadong", "not the password"),
    ("unknown user", "nobody-at-all", PASSWORD),
    ("inactive user, right password", "ent_jiangnan", PASSWORD),
    ("username too long for the column", "x" * 500, PASSWORD),
    ("password not a string", "ent_huadong", 12345),
]


def test_every_sign_in_checks_exactly_one_hash_of_the_configured_method(seeded, hashes_checked):
    with seeded.app_context():
        _deactivate("ent_jiangnan")
        configured = passwords.hash_password("whatever it is").split("$", 1)[0]
        for _label, username, password in CASES:
            services.authenticate(username, password)
    assert hashes_checked == [configured] * len(CASES)


def test_the_dummy_hash_follows_the_production_method(seeded, hashes_checked):
    """scrypt in production, N = 2**16 (ASVS 2.4.6): an unknown user pays for an scrypt
    hash of the production parameters, not a cheap pbkdf2."""
    from approvals.config import from_environment

    production = from_environment(seeded.instance_path)["PASSWORD_HASH_METHOD"]
    assert production == "scrypt:65536:8:1"
    seeded.config["PASSWORD_HASH_METHOD"] = production
    with seeded.app_context():
        assert services.authenticate("nobody-at-all", PASSWORD) is None
    assert hashes_checked == ["scrypt:65536:8:1"]


def test_a_hash_of_older_parameters_is_upgraded_at_sign_in(seeded):
    seeded.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:2000"
    with seeded.app_context():
        assert services.authenticate("finance", PASSWORD) is not None
        stored = db.session.scalar(db.select(User.password_hash).filter_by(username="finance"))
    assert stored.startswith("pbkdf2:sha256:2000$")
