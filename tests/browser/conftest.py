"""Browser fixtures: the app on a real HTTP server with its own database, one headless Chromium, and helpers that
drive the login form and wait for Dash to finish rendering.

Every test in this folder gets the `browser` marker. A missing Chromium, chromedriver or axe-core fails the test
with the command that installs it: a browser test that skips is a test that never runs.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import PASSWORDS

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
INSTALL_BROWSER = "Installera Chromium och chromedriver: apt-get install -y chromium chromium-driver"
# Seconds: an upper bound for waits that normally end within a second or two. Generous, because a loaded CI machine
# (two cores, other test runs hashing passwords) can stall a page; a passing wait ends as soon as its condition holds.
WAIT = 30


def pytest_collection_modifyitems(config, items):
    # This hook sees the whole session's items, not only this folder's.
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _settings(db_url: str) -> dict:
    from dashboard.config import TestConfig

    return {**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}, "DATABASE_URL": db_url}


class _QuietHandler(WSGIRequestHandler):
    """Logs only the requests that failed (status 400 and up), so a failing test's captured log stays readable."""

    def log_request(self, code="-", size="-"):
        try:
            failed = int(code) >= 400
        except (TypeError, ValueError):
            failed = True
        if failed:
            super().log_request(code, size)


@contextmanager
def serving(db_url: str):
    """The app on `db_url`, served over HTTP on a free port in a thread: yields (base URL without a trailing slash,
    the Dash app)."""
    from dashboard import create_app

    app = create_app(_settings(db_url))
    server = make_server("127.0.0.1", 0, app.server, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.server.extensions["engine"].dispose()


@pytest.fixture(scope="module")
def live_server(databases):
    """Base URL (no trailing slash) of the app served over HTTP on a free port, on a fresh seeded database."""
    with serving(databases.fresh()) as (base_url, _app):
        yield base_url


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run; cookies are cleared by the helpers that need a clean start."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.fail(f"Saknas: {', '.join(missing)}. {INSTALL_BROWSER}", pytrace=False)
    os.environ["SE_OFFLINE"] = "true"  # selenium must not try to download a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1920,1080",
        "--lang=sv-SE",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    except WebDriverException as exc:
        pytest.fail(f"Chromium startade inte: {exc.msg}. {INSTALL_BROWSER}", pytrace=False)
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"Saknas: {AXE}. Kör `npm ci` i {ROOT} för att installera axe-core.", pytrace=False)
    return AXE.read_text(encoding="utf-8")


# --- helpers -------------------------------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Collapse every kind of whitespace (no-break spaces included) into single plain spaces."""
    return " ".join(text.split())


def wait(driver, timeout: float = WAIT) -> WebDriverWait:
    """A wait that polls through Dash's re-renders (an element replaced mid-check is simply checked again)."""
    return WebDriverWait(driver, timeout, poll_frequency=0.1, ignored_exceptions=(StaleElementReferenceException,))


def severe_console_messages(driver) -> list[str]:
    """SEVERE console entries since the previous call (reading the log empties it)."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def wait_for_dash_idle(driver) -> None:
    """Wait until Dash's renderer has no callback queued or running."""
    wait(driver).until(
        lambda d: d.execute_script(
            """
        const store = window.store;
        if (!store) return false;
        const state = store.getState();
        const cbs = Object.assign({}, state.callbacks);
        delete cbs.stored; delete cbs.completed;
        return !state.isLoading && Object.values(cbs).every(list => list.length === 0);
        """
        ),
        "Dash blev aldrig klar med sina callbacks",
    )


def page_heading(driver) -> str:
    return normalise(driver.find_element(By.CSS_SELECTOR, "#shell-page h1").text)


def wait_for_page(driver, heading: str | None = None) -> None:
    """Wait until the routed page's h1 is drawn (with text `heading`, if given) and every callback has settled."""
    if heading is None:
        wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#shell-page h1")))
    else:
        wait(driver).until(
            lambda d: any(normalise(h.text) == heading for h in d.find_elements(By.CSS_SELECTOR, "#shell-page h1")),
            f"rubriken {heading!r} visades aldrig",
        )
    wait_for_dash_idle(driver)


def open_page(driver, base_url: str, path: str, heading: str | None = None) -> None:
    driver.get(base_url + path)
    wait_for_page(driver, heading)


def wait_for_text(driver, css: str, expected: str) -> None:
    """Wait until the element at `css` shows `expected` (whitespace normalised); the message shows what it showed."""

    def shows(d):
        elements = d.find_elements(By.CSS_SELECTOR, css)
        return bool(elements) and normalise(elements[0].text) == expected

    try:
        wait(driver).until(shows)
    except TimeoutException:
        found = driver.find_elements(By.CSS_SELECTOR, css)
        actual = normalise(found[0].text) if found else "<inget element>"
        raise AssertionError(f"{css}: väntade {expected!r}, visade {actual!r} på {driver.current_url}") from None


def submit_login(driver, base_url: str, username: str, password: str) -> None:
    """Start logged out (no cookies), open /login and send the form as a person would."""
    driver.get(base_url + "/login")
    driver.delete_all_cookies()
    driver.get(base_url + "/login")
    form = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "main form")))
    form.find_element(By.NAME, "username").send_keys(username)
    form.find_element(By.NAME, "password").send_keys(password)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


def login(driver, base_url: str, username: str = "admin") -> None:
    """Log in through the real form and wait until the overview is drawn."""
    submit_login(driver, base_url, username, PASSWORDS[username])
    try:
        wait(driver).until(EC.visibility_of_element_located((By.ID, "overview-projects")))
    except TimeoutException:
        errors = driver.find_elements(By.ID, "login-error")
        raise AssertionError(
            f"översikten visades inte efter inloggningen som {username}: adress {driver.current_url}, "
            f"felmeddelande {normalise(errors[0].text) if errors else None!r}, "
            f"konsolen {severe_console_messages(driver)}"
        ) from None
    wait_for_dash_idle(driver)


def open_logged_in(driver, base_url: str, path: str, heading: str | None = None) -> None:
    """Open `path` as a logged-in admin: the browser's session is reused while valid, else the form is used first."""
    driver.get(base_url + path)
    wait(driver).until(
        EC.any_of(
            EC.presence_of_element_located((By.CSS_SELECTOR, "#shell-page h1")),
            EC.presence_of_element_located((By.NAME, "password")),
        )
    )
    if driver.find_elements(By.NAME, "password"):
        login(driver, base_url)
        driver.get(base_url + path)
    wait_for_page(driver, heading)


def api_json(driver, path: str):
    """GET `path` (e.g. /api/projects) from the page with the browser's own session, parsed as JSON."""
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0]).then(r => r.json()).then(done, e => done({fetch_error: String(e)}));",
        path,
    )
    assert not (isinstance(result, dict) and "fetch_error" in result), result
    return result


def project_id(driver, name: str) -> int:
    """The id of the project called `name`, from the JSON API (the browser must be logged in)."""
    ids = [p["id"] for p in api_json(driver, "/api/projects") if p["name"] == name]
    assert len(ids) == 1, f"{len(ids)} projekt heter {name!r}"
    return ids[0]
