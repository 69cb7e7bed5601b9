"""Ladda upp → Dokument in headless Chromium (the issue's first "Done when"): upload each seed document with
"Dokument" chosen, see the meeting's assignments (or the plan's projects) in the review beside their source
sentences, correct one, drop one and add one, save, and see the tasks on /uppdrag and the projects on /projekt.
axe-core finds nothing on the review.

The demo data already holds this meeting and plan, so the app here runs on a database without it."""

from __future__ import annotations

import threading

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from werkzeug.serving import make_server

from data.db import make_engine, make_session_factory, session_scope
from data.users import create_user
from layouts import documents as dui
from layouts import upload as ui
from tests.browser.conftest import (
    _QuietHandler,
    _settings,
    api_json,
    login,
    normalise,
    open_page,
    severe_console_messages,
    wait,
    wait_for_dash_idle,
)
from tests.browser.test_accessibility import axe_violations, describe
from tests.callbacks.test_documents import MINUTES, PLAN
from tests.conftest import PASSWORDS, USERS

FILE_INPUT = f"#{ui.UPLOAD} input[type=file]"
ROW_COUNT = "const api = dash_ag_grid.getApi(arguments[0]); return api ? api.getDisplayedRowCount() : -1;"
ROW_DATA = "const out = []; dash_ag_grid.getApi(arguments[0]).forEachNode(n => out.push(n.data)); return out;"
NEW_TASK = "Boka lokal till mötet i augusti"


@pytest.fixture(scope="module")
def live_server(databases):
    """The app over HTTP on a database with the municipalities and the test users, and no demo data."""
    from dashboard import create_app

    url = databases.fresh(seed=False)
    engine = make_engine(url)
    with session_scope(make_session_factory(engine)) as s:
        for name, role, kommun in USERS:
            create_user(s, name, PASSWORDS[name], role=role, municipality=kommun)
    engine.dispose()
    app = create_app(_settings(url))
    server = make_server("127.0.0.1", 0, app.server, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server-documents", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.server.extensions["engine"].dispose()


@pytest.fixture
def as_editor(live_server, browser):
    browser.get("about:blank")
    login(browser, live_server, "redaktor")
    severe_console_messages(browser)
    yield browser
    browser.delete_all_cookies()


def click(driver, element) -> None:
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    element.click()


def text(driver, css: str) -> str:
    found = driver.find_elements(By.CSS_SELECTOR, css)
    return normalise(found[0].text) if found else ""


def upload_document(driver, base_url: str, path) -> None:
    open_page(driver, base_url, "/ladda-upp?typ=dokument", "Ladda upp")
    assert driver.find_element(By.CSS_SELECTOR, f"#{ui.KIND} input[value={dui.DOCUMENT_KIND}]").is_selected()
    assert not driver.find_element(By.ID, ui.TEMPLATE_LINK).is_displayed()  # no template for a document
    file_input = driver.find_element(By.CSS_SELECTOR, FILE_INPUT)
    wait(driver).until(lambda d: file_input.get_attribute("aria-label") == dui.FILE_INPUT_LABEL)
    file_input.send_keys(str(path))
    wait(driver).until(
        lambda d: f"Granska dokumentet: {path.name}" in text(d, f"#{ui.PREVIEW} h2"), "granskningen visades aldrig"
    )
    wait_for_dash_idle(driver)


def grid_rows(driver, name: str) -> list[dict]:
    wait(driver).until(lambda d: d.execute_script(ROW_COUNT, dui.grid_id(name)) >= 0)
    return driver.execute_script(ROW_DATA, dui.grid_id(name))


def cell(driver, name: str, row_index: int, col: str):
    css = f"#{dui.grid_id(name)} .ag-row[row-index='{row_index}'] .ag-cell[col-id='{col}']"
    return wait(driver).until(lambda d: d.find_element(By.CSS_SELECTOR, css))


def type_into(driver, name: str, row_index: int, col: str, value: str) -> None:
    """Click the cell (one click starts editing), replace its text and leave it with Tab, as a person would."""
    click(driver, cell(driver, name, row_index, col))
    editor = wait(driver).until(
        lambda d: d.find_element(
            By.CSS_SELECTOR, f"#{dui.grid_id(name)} .ag-cell-editor input, .ag-popup-editor textarea"
        )
    )
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(value)
    editor.send_keys(Keys.TAB)
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)  # stop editing the next cell
    wait(driver).until(lambda d: any(r.get(col) == value for r in grid_rows(d, name)), f"{col} blev aldrig {value!r}")


def save(driver) -> str:
    button = driver.find_element(By.CSS_SELECTOR, f"#{dui.SAVE_MINUTES}, #{dui.SAVE_PLAN}")
    click(driver, button)
    wait(driver).until(lambda d: "är sparat" in text(d, f"#{ui.MESSAGE}") or text(d, f"#{ui.MESSAGE} [role=alert]"))
    wait_for_dash_idle(driver)
    return text(driver, f"#{ui.MESSAGE}")


def test_minutes_are_reviewed_corrected_saved_and_their_tasks_shown_on_uppdrag(live_server, as_editor, axe_source):
    browser = as_editor
    upload_document(browser, live_server, MINUTES)
    assert "Kommunchefsmöte 2019-05-16" in text(browser, f"#{ui.PREVIEW}")
    assert browser.find_element(By.ID, dui.MEETING_DATE).get_attribute("value") == "2019-05-16"
    rows = grid_rows(browser, "assignments")
    assert len(rows) >= 10
    assert any(r["owners"] == "Maria Persson, Karin Ahnqvist" for r in rows)
    review = text(browser, f"#{ui.PREVIEW}")
    assert "Källa" in review and "Ta bort" in review and "Lägg till rad" in review
    assert rows[1]["source"] and rows[1]["source"][:40] in normalise(review)  # each item beside its sentence
    violations = axe_violations(browser, axe_source)
    assert violations == [], describe(violations)

    # Correct one due date, drop one assignment, add one.
    type_into(browser, "assignments", 0, "due_date", "2019-09-30")
    click(browser, cell(browser, "assignments", 1, "remove").find_element(By.CSS_SELECTOR, "input[type=checkbox]"))
    wait(browser).until(lambda d: grid_rows(d, "assignments")[1]["remove"] is True, "raden markerades aldrig")
    dropped = rows[1]["what"]
    click(browser, browser.find_element(By.ID, dui.add_id("assignments")))
    wait(browser).until(lambda d: len(grid_rows(d, "assignments")) == len(rows) + 1, "ingen ny rad")
    type_into(browser, "assignments", len(rows), "number", "4")
    type_into(browser, "assignments", len(rows), "what", NEW_TASK)
    type_into(browser, "assignments", len(rows), "owners", "Kansliet")

    said = save(browser)
    assert said.startswith("Dokumentet 000_97e14613fcf6c3ba.txt är sparat"), said
    assert text(browser, f"#{ui.PREVIEW}") == ""
    assert "000_97e14613fcf6c3ba.txt" in text(browser, f"#{ui.LATEST}")

    saved = api_json(browser, "/api/tasks")
    texts = [t["text"] for t in saved]
    assert len(saved) == len(rows) and NEW_TASK in texts and dropped not in texts
    first = next(t for t in saved if t["text"] == rows[0]["what"])
    assert first["due_date"] == "2019-09-30"
    open_page(browser, live_server, "/uppdrag", "Uppdrag")
    wait(browser).until(
        lambda d: NEW_TASK in normalise(d.find_element(By.ID, "shell-page").text), "uppdraget syns inte på /uppdrag"
    )
    assert severe_console_messages(browser) == []


def test_a_plan_is_reviewed_saved_and_its_projects_shown_on_projekt(live_server, as_editor, axe_source):
    browser = as_editor
    upload_document(browser, live_server, PLAN)
    assert "Verksamhetsplan 2005" in text(browser, f"#{ui.PREVIEW}")
    projects = [r["name"] for r in grid_rows(browser, "projects")]
    assert "Botniabanan som tillväxtfaktor" in projects
    assert any(r["amount_sek"] for r in grid_rows(browser, "funders"))
    violations = axe_violations(browser, axe_source)
    assert violations == [], describe(violations)

    said = save(browser)
    assert said.startswith("Dokumentet 002_c534bd840d8e5979.txt är sparat"), said
    assert sorted(p["name"] for p in api_json(browser, "/api/projects")) == sorted(projects)
    open_page(browser, live_server, "/projekt", "Projekt")
    wait(browser).until(
        lambda d: "Botniabanan som tillväxtfaktor" in normalise(d.find_element(By.ID, "shell-page").text),
        "projektet syns inte på /projekt",
    )

    # The same plan again is recognised: a warning and nothing to save.
    upload_document(browser, live_server, PLAN)
    assert "finns redan" in text(browser, f"#{ui.PREVIEW}")
    assert not browser.find_elements(By.ID, dui.SAVE_PLAN)
    assert severe_console_messages(browser) == []
