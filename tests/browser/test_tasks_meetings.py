"""Uppdrag and Möten in headless Chromium: an editor changes a task's status with a note and sees it in the grid and
its history; a reader gets no editing controls; search and filters live in the URL; a meeting's follow-up list; and
axe-core finds nothing on the pages, for all seven and for Vännäs, with the task dialog open too."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from tests.browser.conftest import (
    api_json,
    login,
    normalise,
    open_logged_in,
    open_page,
    severe_console_messages,
    wait,
    wait_for_dash_idle,
    wait_for_page,
    wait_for_text,
)

GRID = "#tasks-grid"
DIALOG = ".modal.show"
REKLAM = "Ta fram en grundoffert på en reklamfilm om Umeåregionen."
NOTE = "Offerten kom in i juni; 100 % klart."
RULESETS = ["wcag2a", "wcag2aa", "wcag21aa"]
RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: arguments[0]})
  .then(result => done(result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
      target: v.nodes.length ? v.nodes[0].target.join(' ') : '',
      html: v.nodes.length ? v.nodes[0].html.slice(0, 200) : '',
  }))))
  .catch(error => done({axe_error: String(error)}));
"""
DISPLAYED_ROWS = """
let api = null;
try { api = dash_ag_grid.getApi('tasks-grid'); } catch (e) { return -1; }
if (!api) return -1;
let loading = false;
api.forEachNode(n => { if (!n.data) loading = true; });
return loading ? -1 : api.getDisplayedRowCount();
"""


def axe_violations(driver, axe_source: str) -> list[dict]:
    if not driver.execute_script("return typeof window.axe === 'object';"):
        driver.execute_script(axe_source)
    result = driver.execute_async_script(RUN_AXE, RULESETS)
    assert not isinstance(result, dict), f"axe kunde inte köras: {result}"
    return result


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"- {v['id']} ({v['impact']}, {v['count']} element): {v['help']}\n    först: {v['target']}  {v['html']}"
        for v in violations
    )


def query(driver) -> dict[str, list[str]]:
    return parse_qs(urlsplit(driver.current_url).query)


def wait_for_rows(driver, count: int) -> None:
    """Wait until the grid has loaded exactly `count` rows from the server."""
    wait(driver).until(lambda d: d.execute_script(DISPLAYED_ROWS) == count, f"tabellen fick aldrig {count} rader")


def row_cell(driver, text: str, column: str = "text"):
    """The grid cell in `column` of the row whose task text is `text` (waits for it to be drawn)."""

    def find(d):
        for row in d.find_elements(By.CSS_SELECTOR, f"{GRID} .ag-center-cols-container .ag-row"):
            cells = row.find_elements(By.CSS_SELECTOR, ".ag-cell[col-id='text']")
            if cells and normalise(cells[0].text) == text:
                return row.find_element(By.CSS_SELECTOR, f".ag-cell[col-id='{column}']")
        return False

    return wait(driver).until(find, f"raden {text!r} visades aldrig")


def open_dialog(driver, text: str) -> None:
    row_cell(driver, text).click()
    wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, DIALOG)))
    wait_for_dash_idle(driver)
    wait_for_text(driver, f"{DIALOG} #tasks-edit-details dd", text)


def close_dialog(driver) -> None:
    driver.find_element(By.ID, "tasks-edit-close").click()
    wait(driver).until(lambda d: not d.find_elements(By.CSS_SELECTOR, DIALOG))


@pytest.fixture
def as_admin(live_server, browser):
    open_logged_in(browser, live_server, "/", "Översikt")
    severe_console_messages(browser)
    return browser


def fresh_login(browser, live_server, username: str) -> None:
    """Log in as `username` from a blank page, so that nothing of the previous page's requests is still running."""
    browser.get("about:blank")
    login(browser, live_server, username)


@pytest.fixture
def as_editor(live_server, browser):
    fresh_login(browser, live_server, "redaktor")
    severe_console_messages(browser)
    yield browser
    browser.delete_all_cookies()  # the next test logs in afresh


@pytest.fixture
def as_reader(live_server, browser):
    fresh_login(browser, live_server, "lasare")
    severe_console_messages(browser)
    yield browser
    browser.delete_all_cookies()


def test_an_editor_changes_a_tasks_status_with_a_note_and_sees_it_in_grid_and_history(live_server, as_editor):
    browser = as_editor
    open_page(browser, live_server, "/uppdrag", "Uppdrag")
    wait_for_rows(browser, 15)
    assert normalise(row_cell(browser, REKLAM, "status").text) == "◐ pågår"
    assert normalise(browser.find_element(By.ID, "tasks-summary").text).startswith("15 uppdrag, varav 15 öppna")
    open_dialog(browser, REKLAM)
    Select(browser.find_element(By.ID, "tasks-edit-status")).select_by_value("klar")
    browser.find_element(By.ID, "tasks-edit-note").send_keys(NOTE)
    browser.find_element(By.ID, "tasks-edit-save").click()
    wait_for_text(browser, "#tasks-edit-message [role=status]", "Sparat: status klar och en uppföljningsnotering.")
    assert browser.find_element(By.ID, "tasks-edit-note").get_attribute("value") == ""
    assert "✓ klar" in normalise(browser.find_element(By.ID, "tasks-edit-details").text)
    newest = [
        normalise(td.text)
        for td in browser.find_elements(By.CSS_SELECTOR, "#tasks-edit-history tbody tr")[0].find_elements(
            By.TAG_NAME, "td"
        )
    ]
    assert newest[1:] == ["redaktor", "Status pågår → klar", NOTE]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", newest[0]), newest[0]
    close_dialog(browser)
    wait(browser).until(lambda d: normalise(row_cell(d, REKLAM, "status").text) == "✓ klar")
    assert normalise(browser.find_element(By.ID, "tasks-summary").text).startswith("15 uppdrag, varav 14 öppna")
    assert NOTE in normalise(row_cell(browser, REKLAM, "latest_note").text)
    assert severe_console_messages(browser) == []
    # From the database, on the next load and in the API.
    open_page(browser, live_server, "/uppdrag", "Uppdrag")
    wait(browser).until(lambda d: normalise(row_cell(d, REKLAM, "status").text) == "✓ klar")
    task = next(t for t in api_json(browser, "/api/tasks") if t["text"] == REKLAM)
    assert task["status"] == "klar"


def test_the_keyboard_chooses_a_task_and_escape_closes_the_dialog(live_server, as_editor):
    browser = as_editor
    open_page(browser, live_server, "/uppdrag", "Uppdrag")
    wait_for_rows(browser, 15)
    first = browser.find_element(By.CSS_SELECTOR, f"{GRID} .ag-row[row-index='0'] .ag-cell[col-id='text']")
    first_text = normalise(first.text)
    first.click()
    wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, DIALOG)))
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait(browser).until(lambda d: not d.find_elements(By.CSS_SELECTOR, DIALOG))
    wait(browser).until(
        lambda d: d.switch_to.active_element.get_attribute("col-id") == "text", "fokus kom inte tillbaka till tabellen"
    )
    focused = browser.switch_to.active_element
    focused.send_keys(Keys.ARROW_DOWN)
    browser.switch_to.active_element.send_keys(Keys.SPACE)
    wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, DIALOG)))
    wait_for_dash_idle(browser)
    second = normalise(browser.find_element(By.CSS_SELECTOR, "#tasks-edit-details dd").text)
    assert second and second != first_text
    assert browser.find_element(By.ID, "tasks-edit-status").is_displayed()
    close_dialog(browser)


def test_a_reader_sees_no_editing_controls(live_server, as_reader):
    browser = as_reader
    open_page(browser, live_server, "/uppdrag", "Uppdrag")
    wait_for_rows(browser, 15)
    page = normalise(browser.find_element(By.ID, "shell-page").text)
    assert "ändra status" not in page
    open_dialog(browser, REKLAM)
    dialog = normalise(browser.find_element(By.CSS_SELECTOR, DIALOG).text)
    assert "Som läsare kan du se uppdragen men inte ändra dem." in dialog
    assert "Historik" in dialog
    for control in ("tasks-edit-status", "tasks-edit-note", "tasks-edit-save"):
        assert not browser.find_elements(By.ID, control), control
    close_dialog(browser)


def test_search_and_filters_live_in_the_url_and_keep_the_municipality(live_server, as_admin):
    browser = as_admin
    open_page(browser, live_server, "/uppdrag", "Uppdrag")
    wait_for_rows(browser, 15)
    box = browser.find_element(By.ID, "tasks-search")
    box.send_keys("hösten", Keys.ENTER)
    wait(browser).until(lambda d: query(d).get("sok") == ["hösten"])
    wait_for_page(browser, "Uppdrag")
    wait_for_rows(browser, 3)
    Select(browser.find_element(By.ID, "tasks-status-filter")).select_by_value("pågår")
    wait(browser).until(lambda d: query(d).get("status") == ["pågår"])
    wait_for_page(browser, "Uppdrag")
    wait_for_rows(browser, 0)
    # Reload: the filters come back from the URL.
    browser.refresh()
    wait_for_page(browser, "Uppdrag")
    assert browser.find_element(By.ID, "tasks-search").get_attribute("value") == "hösten"
    assert Select(browser.find_element(By.ID, "tasks-status-filter")).first_selected_option.text == "pågår"
    wait_for_rows(browser, 0)
    browser.find_element(By.LINK_TEXT, "Rensa filter").click()
    wait(browser).until(lambda d: "sok" not in query(d) and "status" not in query(d))
    wait_for_page(browser, "Uppdrag")
    wait_for_rows(browser, 15)
    # The municipality filter narrows the grid and survives the page's own filters.
    open_page(browser, live_server, "/uppdrag?kommun=V%C3%A4nn%C3%A4s", "Uppdrag")
    wait_for_rows(browser, 1)
    browser.find_element(By.ID, "tasks-overdue-filter").click()
    wait(browser).until(lambda d: query(d).get("forsenade") == ["1"])
    assert query(browser)["kommun"] == ["Vännäs"]
    wait_for_page(browser, "Uppdrag")
    wait_for_rows(browser, 1)  # the waste plan was due 2021-01-01
    overdue = browser.find_element(By.CSS_SELECTOR, f"{GRID} .ag-row[row-index='0'] .ag-cell[col-id='due_date']")
    assert normalise(overdue.text) == "2021-01-01 – Försenat"
    assert "text-danger-emphasis" in overdue.get_attribute("class")  # and in colour
    csv = browser.find_element(By.LINK_TEXT, "Ladda ner som CSV (Excel)").get_attribute("href")
    assert csv.endswith("/api/tasks?format=csv&kommun=V%C3%A4nn%C3%A4s")


def test_a_meeting_shows_its_agenda_and_follow_up_list_and_links_to_the_next(live_server, as_admin):
    browser = as_admin
    open_page(browser, live_server, "/moten?kommun=V%C3%A4nn%C3%A4s", "Möten")
    browser.find_element(By.LINK_TEXT, "16 maj 2019").click()
    wait_for_page(browser, "Kommunchefsmöte 16 maj 2019")
    assert query(browser)["kommun"] == ["Vännäs"]
    follow_up = browser.find_element(By.ID, "meeting-follow-up")
    assert normalise(follow_up.find_element(By.TAG_NAME, "h2").text) == "Uppföljning inför nästa möte (22 augusti 2019)"
    assert [normalise(h.text) for h in follow_up.find_elements(By.TAG_NAME, "h3")] == [
        "Punkt 9: Avfallsplan och taxa hushållsavfall"
    ]
    assert [normalise(h.text) for h in follow_up.find_elements(By.TAG_NAME, "h4")] == ["Ansvarig: Vännäs kommun"]
    assert "Visar de uppdrag som berör Vännäs: 1 av 15." in normalise(browser.find_element(By.ID, "shell-page").text)
    browser.find_element(By.LINK_TEXT, "Kommunchefsmöte 22 augusti 2019").click()
    wait_for_page(browser, "Kommunchefsmöte 22 augusti 2019")
    assert query(browser)["kommun"] == ["Vännäs"]
    open_page(browser, live_server, "/moten/987654", "Mötet finns inte")


# --- axe-core ------------------------------------------------------------------------------------------------------

KOMMUN = {"alla": "", "Vännäs": "?kommun=V%C3%A4nn%C3%A4s"}


@pytest.mark.parametrize("kommun", list(KOMMUN))
@pytest.mark.parametrize(
    ("path", "heading"),
    [("/uppdrag", "Uppdrag"), ("/moten", "Möten"), ("/moten/{id}", "Kommunchefsmöte 16 maj 2019")],
)
def test_pages_have_no_axe_violations(live_server, as_admin, axe_source, path, heading, kommun):
    browser = as_admin
    if "{id}" in path:
        open_page(browser, live_server, "/moten", "Möten")
        href = browser.find_element(By.LINK_TEXT, "16 maj 2019").get_attribute("href")
        path = path.format(id=urlsplit(href).path.rsplit("/", 1)[-1])
    open_page(browser, live_server, path + KOMMUN[kommun], heading)
    if path == "/uppdrag":
        wait_for_rows(browser, 15 if kommun == "alla" else 1)
    violations = axe_violations(browser, axe_source)
    assert violations == [], f"{path} ({kommun}):\n{describe(violations)}"


@pytest.mark.parametrize("kommun", list(KOMMUN))
def test_the_task_dialog_with_its_form_has_no_axe_violations(live_server, as_admin, axe_source, kommun):
    browser = as_admin
    open_page(browser, live_server, "/uppdrag" + KOMMUN[kommun], "Uppdrag")
    wait_for_rows(browser, 15 if kommun == "alla" else 1)
    text = normalise(
        browser.find_element(By.CSS_SELECTOR, f"{GRID} .ag-row[row-index='0'] .ag-cell[col-id='text']").text
    )
    open_dialog(browser, text)
    assert browser.find_element(By.ID, "tasks-edit-status").is_displayed()
    browser.find_element(By.ID, "tasks-edit-save").click()  # an error message shown too
    wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#tasks-edit-message [role=alert]")))
    violations = axe_violations(browser, axe_source)
    assert violations == [], describe(violations)
    close_dialog(browser)


def test_the_task_dialog_of_a_reader_has_no_axe_violations(live_server, as_reader, axe_source):
    browser = as_reader
    open_page(browser, live_server, "/uppdrag", "Uppdrag")
    wait_for_rows(browser, 15)
    open_dialog(browser, REKLAM)
    violations = axe_violations(browser, axe_source)
    assert violations == [], describe(violations)
    close_dialog(browser)
