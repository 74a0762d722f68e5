"""Fixtures: a fresh app and database per test, on SQLite and on PostgreSQL."""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

from approvals import create_app
from approvals.cli import DEMO_FILE
from approvals.extensions import db
from tests.database import PostgresBaselines, SqliteTemplates
from tests.postgres import TestDatabase, rolled_back
from tests.redis_server import redis_url  # noqa: F401  (a fixture: the task queue tests' Redis)

if TYPE_CHECKING:
    from tests.factories import ClaimRef

DEMO = tomllib.loads(DEMO_FILE.read_text(encoding="utf-8"))
PASSWORD = DEMO["password"]

# A tiny but genuine PDF, enough for the content sniffing of uploads.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def base_config(tmp_path, url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "STORAGE_DIR": str(tmp_path / "storage"),
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast hashes keep the suite quick
        "PUBLIC_BASE_URL": "https://approvals.example.gov.cn",
        "RATELIMIT_ENABLED": False,
    }


@pytest.fixture(scope="session")
def postgres_server():
    server = TestDatabase()
    yield server
    server.close()


@pytest.fixture
def postgres_empty(postgres_server):
    """A new, empty PostgreSQL database (for migrations)."""
    return postgres_server.create("empty")


@pytest.fixture(scope="session")
def postgres_baselines(postgres_server, tmp_path_factory):
    """The worker's PostgreSQL databases a test starts in (tests/database.py)."""
    folder = tmp_path_factory.mktemp("postgres")
    return PostgresBaselines(
        postgres_server, lambda url: create_app(base_config(folder, url)), DEMO
    )


@pytest.fixture(scope="session")
def postgres(postgres_baselines):
    """The worker's database with the tables and no rows: each test then leaves it as it
    found it (the `app` fixture)."""
    return postgres_baselines.url(seeded=False)


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory):
    """The worker's SQLite files a test's database is copied from (tests/database.py)."""
    folder = tmp_path_factory.mktemp("templates")
    return SqliteTemplates(folder, lambda url: create_app(base_config(folder, url)), DEMO)


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def backend(request):
    return request.param


# Whether the test's database holds the demo seed, for `seeded`.
DEMO_LAID = pytest.StashKey[bool]()


@pytest.fixture
def app(request, backend, tmp_path):
    """A new app per test, with a database of its own holding the tables, and the demo seed
    when the test uses `seeded`; both laid once per worker (tests/database.py). On SQLite, a
    new database file. On PostgreSQL, the worker's database, the test inside one transaction
    rolled back at its end (tests/postgres.py `rolled_back`); a test marked `committed`
    (threads, a connection of its own) commits for real, and the database is laid again
    after it."""
    seeded = "seeded" in request.fixturenames
    request.node.stash[DEMO_LAID] = seeded
    if backend == "postgresql":
        baselines = request.getfixturevalue("postgres_baselines")
        url = baselines.url(seeded=seeded)
    else:
        path = tmp_path / "test.sqlite3"
        request.getfixturevalue("sqlite_templates").copy(path, seeded=seeded)
        url = f"sqlite:///{path}"
    app = create_app(base_config(tmp_path, url))
    if backend == "sqlite":
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    elif request.node.get_closest_marker("committed"):
        yield app
        baselines.restore(app, seeded=seeded)
    else:
        with rolled_back(app):
            yield app


@pytest.fixture
def seeded(request, app):
    """The demo departments, policies and accounts, found in the database (the `app`
    fixture starts it from the seed laid once per worker)."""
    if not request.node.stash.get(DEMO_LAID, False):  # asked for late: getfixturevalue
        from approvals.demo import seed

        with app.app_context():
            seed(DEMO)
    return app


@pytest.fixture
def make_policy(seeded):
    """Create a policy; overrides change any field (window, cap, evidence …)."""
    from approvals.organisations.models import Department
    from approvals.policies.models import Policy

    counter = iter(range(1, 1000))

    def make(**overrides) -> str:
        today = date.today()
        with seeded.app_context():
            dept_code = overrides.pop("department", "JMJ")
            dept = db.session.scalar(db.select(Department).filter_by(code=dept_code))
            values = {
                "code": f"TEST-{next(counter)}",
                "title_zh": "测试政策条款",
                "department": dept,
                "funding_type": "grant",
                "cap": Decimal("100000"),
                "requires_government_approval": False,
                "call_year": today.year,
                "window_open": today - timedelta(days=10),
                "window_close": today + timedelta(days=10),
                "required_evidence": ["business_licence"],
            }
            values.update(overrides)
            policy = Policy(**values)
            db.session.add(policy)
            db.session.commit()
            return policy.code

    return make


@pytest.fixture
def make_enterprise(seeded):
    """make_enterprise() → the username of a new enterprise's user (password PASSWORD), with
    a payee account in its own name. An enterprise holds one live claim per policy and year,
    so tests that need several claims under one policy file them from several enterprises."""
    from approvals.organisations.credit_code import make_credit_code
    from approvals.organisations.models import Enterprise, User
    from approvals.organisations.services import hash_password

    counter = iter(range(1, 10**6))

    def make(name: str | None = None) -> str:
        n = next(counter)
        name = name or f"测试企业{n:03d}有限公司"
        with seeded.app_context():
            enterprise = Enterprise(
                name=name,
                credit_code=make_credit_code(f"91330100MB{n:07d}"),
                bank_name="中国银行示范市分行",
                bank_account=f"621700{n:013d}",
                account_name=name,
            )
            user = User(
                username=f"ent_test_{n:03d}",
                password_hash=hash_password(PASSWORD),
                role="enterprise",
                display_name=name,
                enterprise=enterprise,
            )
            db.session.add_all([enterprise, user])
            db.session.commit()
            return user.username

    return make


@pytest.fixture
def make_claim(seeded):
    """make_claim(state="finance_review", **overrides) → ClaimRef(id, number, version, state):
    a claim put straight into `state`, its rows written directly, for a test that needs a
    claim somewhere in the workflow and not the journey there (tests/factories.py says
    what is written and what is not). Overrides: `policy` (a code), `enterprise` (a
    username), and Claim columns (requested_amount="5000.00", approved_amount=…)."""
    from tests.factories import build_claim  # when used: it imports half the application

    def make(state: str = "draft", **overrides) -> ClaimRef:
        with seeded.app_context():
            return build_claim(state, **overrides)

    return make


@pytest.fixture
def send_form(seeded):
    """send_form(claim_id, …, now=None) → form ids: the claims' departments send their
    申请认定表 (tests/recognition_forms/helpers.py), which moves them on to finance."""
    from tests.recognition_forms.helpers import send_form as send

    return lambda *claim_ids, now=None: send(seeded, *claim_ids, now=now)


class ApiClient:
    """The Flask test client, speaking the API as one signed-in user."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path, **kw):
        return self.client.get(path, headers=self.headers, **kw)

    def post(self, path, json=None, **kw):
        return self.client.post(path, json=json, headers=self.headers, **kw)

    def patch(self, path, json=None, **kw):
        return self.client.patch(path, json=json, headers=self.headers, **kw)

    # Claim helpers used throughout the tests.
    def create_claim(self, policy_code="JMJ-PLAN", amount="120000.00", title="智能制造平台规划"):
        res = self.post(
            "/api/v1/claims",
            json={"policy_code": policy_code, "project_title": title, "requested_amount": amount},
        )
        assert res.status_code == 201, res.json
        return res.json

    def attach(self, claim_id, kind, data=PDF_BYTES, filename="证明.pdf"):
        from io import BytesIO

        return self.client.post(
            f"/api/v1/claims/{claim_id}/attachments",
            data={"kind": kind, "file": (BytesIO(data), filename)},
            headers=self.headers,
            content_type="multipart/form-data",
        )

    def claim(self, claim_id):
        return self.get(f"/api/v1/claims/{claim_id}")

    def fire(self, claim_id, trigger, version=None, **payload):
        if version is None:
            version = self.claim(claim_id).json["version"]
        body = {"trigger": trigger, "version": version, **payload}
        return self.post(f"/api/v1/claims/{claim_id}/transitions", json=body)


@pytest.fixture
def api(seeded):
    """api("ent_huadong") → an ApiClient signed in as that demo account."""
    client = seeded.test_client()

    def as_user(username: str | None) -> ApiClient:
        if username is None:
            return ApiClient(client, None)
        res = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
        assert res.status_code == 200, res.json
        return ApiClient(client, res.json["token"])

    return as_user


SEPTEMBER = (date(2026, 9, 1), date(2026, 9, 30))  # a call window; National Day follows


def set_clock(app, when: str) -> None:
    """The app's clock stands still at Beijing time `when` (ISO, e.g. 2026-09-29T10:00)."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    moment = datetime.fromisoformat(when).replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    app.config["CLOCK"] = lambda: moment.astimezone(UTC)


@pytest.fixture
def submitted_on(seeded, api, make_policy):
    """submitted_on(on=…, window=…) → the id of a claim of 华东精密机械 under a new policy
    with no required evidence, submitted at Beijing time `on` (the app's clock stays there)."""

    def make(on="2026-09-29T10:00", window=SEPTEMBER) -> int:
        code = make_policy(
            call_year=window[0].year,
            window_open=window[0],
            window_close=window[1],
            required_evidence=[],
        )
        set_clock(seeded, on)
        ent = api("ent_huadong")
        claim = ent.create_claim(code, "1000.00")
        assert ent.fire(claim["id"], "submit").status_code == 200
        return claim["id"]

    return make


@pytest.fixture
def submitted_claim(api):
    """A JMJ-PLAN claim by 华东精密机械, with its evidence, submitted: (id, enterprise)."""
    ent = api("ent_huadong")
    claim = ent.create_claim()
    for kind in ("business_licence", "project_plan"):
        assert ent.attach(claim["id"], kind).status_code == 201
    res = ent.fire(claim["id"], "submit")
    assert res.status_code == 200, res.json
    return claim["id"]


def pytest_collection_finish(session):
    """What is alive once the tests are collected (modules, the application's code) lives
    to the end: set it aside from the garbage collector, whose full passes over it took
    ~4 % of a worker's time (gc.freeze)."""
    import gc

    gc.collect()
    gc.freeze()


# The fuzz tally (tests/fuzz) is printed at the end of the run. Under pytest-xdist each
# worker hands its counts to the controller, which prints the sum.
@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    from tests.fuzz.hostile import TALLY

    for suite, backend, tried, errors in node.workeroutput.get("fuzz_tally", []):
        old_tried, old_errors = TALLY.counts.get((suite, backend), (0, 0))
        TALLY.counts[(suite, backend)] = (old_tried + tried, old_errors + errors)


def pytest_sessionfinish(session):
    from tests.fuzz.hostile import TALLY

    if hasattr(session.config, "workeroutput"):  # an xdist worker
        session.config.workeroutput["fuzz_tally"] = [
            [suite, backend, tried, errors]
            for (suite, backend), (tried, errors) in TALLY.counts.items()
        ]


def pytest_terminal_summary(terminalreporter):
    from tests.fuzz.hostile import TALLY

    lines = TALLY.lines()
    if lines:
        terminalreporter.section("fuzz: requests tried and server errors")
        for line in lines:
            terminalreporter.write_line(line)
    TALLY.write()
