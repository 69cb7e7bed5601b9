"""Shared fixtures: a fresh seeded database per test (SQLite, or PostgreSQL with TEST_DATABASE_URL), the app, a
client, and a login helper.

Each test gets its own copy of a template database that was migrated and seeded once per run: a file copy on
SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import make_url, text

from data.db import make_engine, make_session_factory, session_scope, upgrade
from data.seeding import ensure_municipalities, load_demo_data
from data.users import create_user

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
SEEDS = SHARED / "seeds"

PASSWORDS = {
    "admin": "admin-losenord-1",
    "redaktor": "redaktor-losenord-1",
    "vannas": "vannas-losenord-1",
    "lasare": "lasare-losenord-1",
}
USERS = [
    ("admin", "admin", None),
    ("redaktor", "redigerare", None),
    ("vannas", "redigerare", "Vännäs"),
    ("lasare", "läsare", None),
]


def _prepare(url: str, *, seed: bool) -> None:
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(make_session_factory(engine)) as s:
        ensure_municipalities(s)
        if seed:
            load_demo_data(s)
            for name, role, kommun in USERS:
                create_user(s, name, PASSWORDS[name], role=role, municipality=kommun)
    engine.dispose()


class DatabaseFactory:
    """Fresh databases for tests, copied from templates made once per run."""

    def __init__(self, base_url: str | None, workdir: Path):
        self.base_url = base_url
        self.workdir = workdir
        self.counter = itertools.count()
        self.created: list[str] = []
        self.templates: dict[bool, str] = {}
        self.admin = None
        if base_url:
            self.admin = make_engine(base_url, isolation_level="AUTOCOMMIT")

    @property
    def is_postgres(self) -> bool:
        return self.base_url is not None

    def _template(self, seed: bool) -> str:
        if seed not in self.templates:
            name = f"ur_tmpl_{os.getpid()}_{int(seed)}"
            if self.is_postgres:
                self._create_pg(name)
                url = make_url(self.base_url).set(database=name).render_as_string(hide_password=False)
            else:
                url = f"sqlite:///{self.workdir / (name + '.db')}"
            _prepare(url, seed=seed)
            self.templates[seed] = name if self.is_postgres else url
        return self.templates[seed]

    def _create_pg(self, name: str, template: str | None = None) -> None:
        with self.admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            c.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
        self.created.append(name)

    def fresh(self, *, seed: bool = True) -> str:
        """The URL of a new database: migrated, with the demo data and test users unless seed=False."""
        template = self._template(seed)
        n = next(self.counter)
        if self.is_postgres:
            name = f"ur_t_{os.getpid()}_{n}"
            self._create_pg(name, template)
            return make_url(self.base_url).set(database=name).render_as_string(hide_password=False)
        path = self.workdir / f"t{n}.db"
        shutil.copyfile(make_url(template).database, path)
        return f"sqlite:///{path}"

    def empty(self) -> str:
        """The URL of a new database with no tables at all."""
        n = next(self.counter)
        if self.is_postgres:
            name = f"ur_e_{os.getpid()}_{n}"
            self._create_pg(name)
            return make_url(self.base_url).set(database=name).render_as_string(hide_password=False)
        return f"sqlite:///{self.workdir / f'e{n}.db'}"

    def close(self) -> None:
        if self.admin is not None:
            with self.admin.connect() as c:
                for name in reversed(self.created):
                    c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            self.admin.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    factory = DatabaseFactory(os.environ.get("TEST_DATABASE_URL"), tmp_path_factory.mktemp("db"))
    yield factory
    factory.close()


@pytest.fixture
def db_url(databases) -> str:
    return databases.fresh()


@pytest.fixture
def engine(db_url):
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine):
    """A session on a fresh database with the demo data; rolled back at the end."""
    s = make_session_factory(engine)()
    yield s
    s.rollback()
    s.close()


@pytest.fixture
def app(db_url):
    from dashboard import create_app
    from dashboard.config import TestConfig

    dash_app = create_app(
        {**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}, "DATABASE_URL": db_url}
    )
    yield dash_app
    dash_app.server.extensions["engine"].dispose()


@pytest.fixture
def client(app):
    return app.server.test_client()


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(client, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(page)
    assert match, "no CSRF token on " + path
    return match.group(1)


def do_login(client, username: str, password: str | None = None):
    """Post the login form as a browser would (with its CSRF token); returns the response."""
    token = csrf_token(client)
    return client.post(
        "/login",
        data={
            "username": username,
            "password": PASSWORDS.get(username, "") if password is None else password,
            "csrf_token": token,
        },
    )


@pytest.fixture
def login(client):
    def _login(username: str = "admin", password: str | None = None):
        response = do_login(client, username, password)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return _login


def pytest_sessionfinish(session, exitstatus):
    # In CI a skipped test is a test that did not run: the run fails (browser or database missing).
    if os.environ.get("CI") and exitstatus == 0:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
        if skipped:
            reporter.write_line(f"CI: {skipped} test(s) skipped; every test must run in CI.", red=True)
            session.exitstatus = 1


# Property-based tests (hypothesis): 2 000 examples per importer in CI, 200 locally; derandomized, so a run is
# reproducible and a failure in CI fails the same way on a laptop. HYPOTHESIS_PROFILE=explore hunts with fresh seeds.
from hypothesis import HealthCheck, settings  # noqa: E402

_PROPERTY = {"deadline": None, "database": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("ci", max_examples=2000, derandomize=True, **_PROPERTY)
settings.register_profile("dev", max_examples=200, derandomize=True, **_PROPERTY)
settings.register_profile("explore", max_examples=10_000, **_PROPERTY)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))
