"""`python app.py` on a fresh instance folder: schema, demo data, admin, login; a second start loads nothing twice."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"nothing listens on port {port}")


def start(instance: Path, port: int, **env) -> tuple[subprocess.Popen, str]:
    environment = {**os.environ, "DASHBOARD_INSTANCE": str(instance), "PORT": str(port), "HOST": "127.0.0.1", **env}
    environment.pop("DATABASE_URL", None)
    environment.pop("SECRET_KEY", None)
    proc = subprocess.Popen(
        [sys.executable, "app.py"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "Logga in på" in line:
            _wait_for_port(port, deadline)
            return proc, "".join(lines)
    proc.kill()
    pytest.fail("app.py did not start:\n" + "".join(lines))


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=20)
    proc.stdout.close()


def login(base: str, username: str, password: str) -> requests.Session:
    http = requests.Session()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', http.get(base + "/login").text).group(1)
    response = http.post(
        base + "/login", data={"username": username, "password": password, "csrf_token": token}, allow_redirects=False
    )
    assert response.status_code == 302, response.text[:300]
    return http


def test_first_start_creates_everything_and_a_second_start_keeps_changes(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc, output = start(tmp_path, port)
    try:
        assert f"Logga in på {base}/login" in output
        assert "demodata inläst" in output
        password = re.search(r"Lösenord \(visas bara nu\): (\S+)", output).group(1)
        assert (tmp_path / "dashboard.db").exists() and (tmp_path / "secret_key").exists()
        http = login(base, "admin", password)
        projects = http.get(base + "/api/projects").json()
        assert len(projects) == 8
    finally:
        stop(proc)

    from data.db import make_engine, make_session_factory, session_scope
    from data.models import Project

    engine = make_engine(f"sqlite:///{tmp_path / 'dashboard.db'}")
    with session_scope(make_session_factory(engine)) as s:
        s.query(Project).filter_by(name="Bibliotek 2007").one().status = "avslutad"
    engine.dispose()

    proc, output = start(tmp_path, port)
    try:
        assert "demodata inläst" not in output
        assert "visas bara nu" not in output
        http = login(base, "admin", password)  # same secret and same admin as before
        projects = http.get(base + "/api/projects").json()
        assert len(projects) == 8
        assert next(p for p in projects if p["name"] == "Bibliotek 2007")["status"] == "avslutad"
    finally:
        stop(proc)


def test_admin_password_comes_from_the_environment(tmp_path):
    port = free_port()
    proc, output = start(tmp_path, port, DASHBOARD_ADMIN_PASSWORD="miljo-losenord-1")
    try:
        assert "visas bara nu" not in output and "miljo-losenord-1" not in output
        login(f"http://127.0.0.1:{port}", "admin", "miljo-losenord-1")
    finally:
        stop(proc)


def test_a_production_import_without_secret_key_fails_clearly(tmp_path):
    env = {**os.environ, "DASHBOARD_INSTANCE": str(tmp_path), "DATABASE_URL": "sqlite:///" + str(tmp_path / "x.db")}
    env.pop("SECRET_KEY", None)
    result = subprocess.run([sys.executable, "-c", "import app"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY saknas" in result.stderr


def test_server_is_exposed_for_gunicorn(tmp_path):
    env = {
        **os.environ,
        "DASHBOARD_INSTANCE": str(tmp_path),
        "SECRET_KEY": "s" * 32,
        "DATABASE_URL": "sqlite:///" + str(tmp_path / "x.db"),
    }
    code = "import app, flask; assert isinstance(app.server, flask.Flask); print('ok')"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "ok", result.stderr
