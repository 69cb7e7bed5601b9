"""Nobody reaches anything but the login page and static assets without logging in; the session is guarded."""

from __future__ import annotations

import logging
import re

import pytest
from werkzeug.routing import Rule

from tests.conftest import csrf_token, do_login

PUBLIC = {"auth.login", "_dash_assets.static"}
SAMPLE_ARGS = {"path": "projekt/1", "filename": "style.css", "package_name": "dash", "fingerprinted_path": "x.js"}


def concrete_url(rule: Rule) -> str:
    """A real URL for a rule, with a sample value in every placeholder."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: SAMPLE_ARGS.get(m.group(1), "1"), rule.rule)


def all_rules(app):
    return [r for r in app.server.url_map.iter_rules()]


def test_the_url_map_has_the_routes_we_guard(app):
    endpoints = {r.endpoint for r in all_rules(app)}
    for expected in (
        "/_dash-layout",
        "/_dash-dependencies",
        "/_dash-update-component",
        "/_reload-hash",
        "api.projects",
        "auth.logout",
        "auth.login",
    ):
        assert expected in endpoints
    assert len(endpoints) > 12


def test_every_rule_refuses_an_anonymous_request(app, client):
    checked = 0
    for rule in all_rules(app):
        if rule.endpoint in PUBLIC:
            continue
        url = concrete_url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, json={} if method == "POST" else None)
            checked += 1
            body = response.get_data(as_text=True)
            if url.startswith(("/_dash-", "/_reload-hash", "/_favicon", "/api/")):
                assert response.status_code == 401, (method, url, response.status_code)
            else:
                assert response.status_code == 302, (method, url, response.status_code)
                assert response.headers["Location"].startswith("/login"), (method, url)
            assert "Botniabanan" not in body and "4650000" not in body
    assert checked >= 12


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-layout",
        "/_dash-dependencies",
        "/api/projects",
        "/api/tasks",
        "/_dash-component-suites/dash/dash-renderer/build/dash_renderer.min.js",
    ],
)
def test_dash_and_api_paths_answer_401_not_a_redirect(client, path):
    assert client.get(path).status_code == 401


def test_a_forged_callback_post_is_refused_anonymously(client):
    payload = {
        "output": "shell-page.children",
        "outputs": {"id": "shell-page", "property": "children"},
        "inputs": [{"id": "shell-url", "property": "pathname", "value": "/projekt"}],
        "changedPropIds": [],
    }
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 401
    assert "Botniabanan" not in response.get_data(as_text=True)


def test_login_page_and_assets_are_public(client):
    assert client.get("/login").status_code == 200
    for asset in ("/assets/bootstrap.min.css", "/assets/style.css"):
        with client.get(asset) as response:
            assert response.status_code == 200


def test_login_page_is_swedish_with_named_fields(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="sv">' in page
    assert 'name="username"' in page and 'name="password"' in page and 'name="csrf_token"' in page
    assert "Logga in" in page


def test_login_lands_on_the_overview(client):
    response = do_login(client, "admin")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/_dash-layout").status_code == 200


def test_login_follows_only_local_next_paths(client):
    token = csrf_token(client)
    data = {"username": "admin", "password": "admin-losenord-1", "csrf_token": token}
    response = client.post("/login?next=//evil.example/x", data=data)
    assert response.headers["Location"] == "/"
    client.post("/logout", data={"csrf_token": csrf_token(client, "/login")})
    token = csrf_token(client)
    response = client.post("/login?next=/projekt%3Fkommun%3DUme%C3%A5", data={**data, "csrf_token": token})
    assert response.headers["Location"] == "/projekt?kommun=Ume%C3%A5"


def test_login_without_csrf_token_is_refused(client):
    response = client.post("/login", data={"username": "admin", "password": "admin-losenord-1"})
    assert response.status_code == 400
    assert client.get("/_dash-layout").status_code == 401


def test_wrong_password_is_refused_in_swedish_and_logged(client, caplog):
    with caplog.at_level(logging.WARNING, logger="umearegionen.audit"):
        response = do_login(client, "admin", "fel-losenord-123")
    assert response.status_code == 401
    assert "Fel användarnamn eller lösenord." in response.get_data(as_text=True)
    assert any("Misslyckad inloggning" in r.getMessage() and "admin" in r.getMessage() for r in caplog.records)
    assert not any("fel-losenord-123" in r.getMessage() for r in caplog.records)


def test_repeated_failures_are_slowed_down_for_the_account(client, caplog):
    for _ in range(3):
        assert do_login(client, "admin", "fel-losenord-123").status_code == 401
    with caplog.at_level(logging.WARNING, logger="umearegionen.audit"):
        response = do_login(client, "admin")  # even the right password waits its turn
    assert response.status_code == 429
    assert "För många misslyckade försök" in response.get_data(as_text=True)
    assert any("stoppad" in r.getMessage() for r in caplog.records)


def test_repeated_failures_from_one_address_slow_down_other_accounts_too(client):
    for name in ("x1", "x2", "x3"):
        assert do_login(client, name, "fel-losenord-123").status_code == 401
    assert do_login(client, "lasare").status_code == 429


def test_session_cookie_is_httponly_and_samesite_lax(client):
    response = do_login(client, "admin")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("ur_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_logout_ends_the_session_and_an_old_cookie_no_longer_works(client):
    do_login(client, "admin")
    old = client.get_cookie("ur_session").value
    assert client.get("/_dash-layout").status_code == 200
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/login")})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert client.get("/_dash-layout").status_code == 401
    client.set_cookie("ur_session", old)
    assert client.get("/_dash-layout").status_code == 401


def test_logout_requires_csrf_token(client):
    do_login(client, "admin")
    assert client.post("/logout").status_code == 400
    assert client.get("/_dash-layout").status_code == 200


def test_session_changes_at_login(client):
    client.get("/login")
    before = client.get_cookie("ur_session")
    do_login(client, "admin")
    after = client.get_cookie("ur_session")
    assert after is not None and (before is None or before.value != after.value)


def test_logged_in_requests_carry_a_csrf_cookie_for_dash(client):
    do_login(client, "admin")
    response = client.get("/")
    assert any(h.startswith("_csrf_token=") for h in response.headers.getlist("Set-Cookie"))


def test_dash_callback_without_csrf_header_is_refused(login, client):
    login("admin")
    payload = {
        "output": "..shell-page.children...shell-filter-alert.children...shell-root.className..",
        "outputs": [
            {"id": "shell-page", "property": "children"},
            {"id": "shell-filter-alert", "property": "children"},
            {"id": "shell-root", "property": "className"},
        ],
        "inputs": [
            {"id": "shell-url", "property": "pathname", "value": "/"},
            {"id": "shell-url", "property": "search", "value": ""},
        ],
        "changedPropIds": ["shell-url.pathname"],
    }
    assert client.post("/_dash-update-component", json=payload).status_code == 400
    token = client.get_cookie("_csrf_token").value
    ok = client.post("/_dash-update-component", json=payload, headers={"X-CSRFToken": token})
    assert ok.status_code == 200
    assert "Översikt" in ok.get_data(as_text=True)


def test_security_headers_are_set(login, client):
    login("admin")
    for path in ("/", "/login", "/api/projects"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self' 'sha256-" in csp and "unsafe-eval" not in csp
        assert "frame-ancestors" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "SAMEORIGIN"


def test_only_the_presentation_may_be_framed_by_the_configured_origin(databases):
    from dashboard import create_app
    from dashboard.config import TestConfig

    settings = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    app = create_app(
        {**settings, "DATABASE_URL": databases.fresh(), "PRESENTATION_FRAME_ANCESTORS": "https://intranat.example"}
    )
    try:
        client = app.server.test_client()
        do_login(client, "admin")
        shown = client.get("/presentation").headers
        assert "frame-ancestors 'self' https://intranat.example" in shown["Content-Security-Policy"]
        assert "X-Frame-Options" not in shown
        for path in ("/", "/projekt", "/login", "/api/projects"):
            other = client.get(path).headers
            assert other["Content-Security-Policy"].endswith("frame-ancestors 'self'"), path
            assert other["X-Frame-Options"] == "SAMEORIGIN"
    finally:
        app.server.extensions["engine"].dispose()


@pytest.mark.parametrize(("proxies", "seen"), [(0, "127.0.0.1"), (1, "203.0.113.7")])
def test_the_client_address_comes_from_the_proxy_only_when_one_is_trusted(databases, caplog, proxies, seen):
    from dashboard import create_app
    from dashboard.config import TestConfig

    settings = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    app = create_app({**settings, "DATABASE_URL": databases.fresh(), "TRUSTED_PROXIES": proxies})
    try:
        client = app.server.test_client()
        headers = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
        token = csrf_token(client)
        with caplog.at_level(logging.WARNING, logger="umearegionen.audit"):
            client.post(
                "/login",
                data={"username": "admin", "password": "fel-losenord-1", "csrf_token": token},
                headers=headers,
                base_url="http://localhost",
            )
        [failed] = [r for r in caplog.records if getattr(r, "event", None) == "login_failed"]
        assert failed.fields["address"] == seen
    finally:
        app.server.extensions["engine"].dispose()
