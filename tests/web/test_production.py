"""The README's production section, as written: `flask db upgrade`, `flask seed`, then gunicorn with several workers on
PostgreSQL. A logged-in session works whichever worker answers; workers do not migrate, and until `db upgrade` has
run every request gets a clear 503."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from sqlalchemy import make_url, text

from data.db import make_engine
from tests.web.servers import gunicorn

ROOT = Path(__file__).resolve().parent.parent.parent
SERVER = os.environ.get("TEST_DATABASE_URL") or "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
PASSWORD = "produktion-losen-1"


@pytest.fixture
def pg_url():
    """A new, empty PostgreSQL database (the README's production database), dropped afterwards."""
    admin = make_engine(SERVER, isolation_level="AUTOCOMMIT")
    name = f"ur_prod_{os.getpid()}_{secrets.token_hex(3)}"
    try:
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server says the same thing
        admin.dispose()
        pytest.fail(f"PostgreSQL på {SERVER} svarar inte ({exc.__class__.__name__}); starta den.", pytrace=False)
    yield make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _env(url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32), "DASHBOARD_ADMIN_PASSWORD": PASSWORD}
    env.pop("DASHBOARD_INSTANCE", None)
    return env


def _flask(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app:server", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture
def serve(tmp_path):
    """Start gunicorn with two workers as the README says; yields a function that starts it and gives its URL."""
    with contextlib.ExitStack() as stack:
        yield lambda env: stack.enter_context(gunicorn(env, tmp_path / "gunicorn.log", workers=2))


def _attempt(base: str, username: str, password: str, http: requests.Session | None = None) -> requests.Response:
    """The login form posted as a browser does, from a new session unless one is given."""
    http = http or requests.Session()
    token = CSRF_RE.search(http.get(base + "/login", timeout=10).text).group(1)
    return http.post(
        base + "/login",
        data={"username": username, "password": password, "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )


def _login(base: str) -> requests.Session:
    http = requests.Session()
    response = _attempt(base, "admin", PASSWORD, http)
    assert response.status_code == 302, response.text[:300]
    return http


def test_the_readme_production_setup_serves_a_logged_in_session_from_several_workers(pg_url, serve):
    env = _env(pg_url)
    upgraded = _flask(env, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert "Databasen är uppgraderad." in upgraded.stdout
    seeded = _flask(env, "seed")
    assert seeded.returncode == 0 and "Demodata inläst." in seeded.stdout, seeded.stderr

    base = serve(env)
    http = _login(base)
    for _ in range(30):  # the session must hold whichever worker answers
        response = http.get(base + "/api/projects?kommun=Vännäs", timeout=10)
        assert response.status_code == 200
        assert {p["name"] for p in response.json()} >= {"Botniabanan som tillväxtfaktor"}
        assert http.get(base + "/_dash-layout", timeout=10).status_code == 200
    assert http.get(base + "/export/paket.xlsx", timeout=30).status_code == 200
    assert requests.get(base + "/api/projects", timeout=10).status_code == 401  # without the session

    # The login throttle holds across workers: it counts failures in the database, not in a worker's memory.
    for _ in range(3):
        assert _attempt(base, "admin", "fel-losenord-123").status_code == 401
    refused = _attempt(base, "admin", PASSWORD)
    assert refused.status_code == 429 and "För många misslyckade försök" in refused.text


def test_workers_do_not_migrate_and_say_so_until_db_upgrade_has_run(pg_url, serve):
    env = _env(pg_url)
    base = serve(env)  # on an empty database, before `flask db upgrade`
    response = requests.get(base + "/login", timeout=10)
    assert response.status_code == 503
    assert "flask --app app:server db upgrade" in response.text
    engine = make_engine(pg_url)
    try:
        with engine.connect() as c:
            assert c.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).scalar() == 0
    finally:
        engine.dispose()
    assert _flask(env, "db", "upgrade").returncode == 0
    assert requests.get(base + "/login", timeout=10).status_code == 200  # noticed without a restart
