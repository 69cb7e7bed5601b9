"""Ladda upp in headless Chromium, as a person does it (the issue's first "Done when"): download the pre-filled
template, change two projects and add one in it, upload it, see exactly those three in the preview, save, see them
on the project pages and in their history, undo, and see the previous state. And axe-core finds nothing on the page
with a preview showing (errors, refusals-free changes and new rows) or with the undo dialog open."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from layouts import upload as ui
from tests.browser.conftest import (
    api_json,
    login,
    normalise,
    open_page,
    project_id,
    severe_console_messages,
    wait,
    wait_for_dash_idle,
    wait_for_page,
)
from tests.browser.test_accessibility import axe_violations, describe
from tests.callbacks.test_upload import BOTNIA, CHANGES, NEW_PROJECT, NEW_ROWS, UMECO, edit_projects_workbook

FILE_INPUT = f"#{ui.UPLOAD} input[type=file]"


@pytest.fixture
def downloads(browser, tmp_path):
    """A folder the browser downloads into (headless Chromium needs to be told so)."""
    folder = tmp_path / "nedladdat"
    folder.mkdir()
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)})
    yield folder
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "default"})


@pytest.fixture
def as_editor(live_server, browser):
    browser.get("about:blank")
    login(browser, live_server, "redaktor")
    severe_console_messages(browser)
    yield browser
    browser.delete_all_cookies()


def downloaded(folder: Path, pattern: str, timeout: float = 30) -> Path:
    """The file matching `pattern` once the browser has finished writing it."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        done = [p for p in folder.glob(pattern) if not p.name.endswith(".crdownload")]
        if done and not list(folder.glob("*.crdownload")):
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"ingen nedladdning {pattern} i {folder}: {[p.name for p in folder.iterdir()]}")


def click(driver, element) -> None:
    """Scroll `element` to the middle at once (Bootstrap's smooth scrolling would move it under the click), click."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    element.click()


def text(driver, css: str) -> str:
    found = driver.find_elements(By.CSS_SELECTOR, css)
    return normalise(found[0].text) if found else ""


def wait_for_text_in(driver, css: str, expected: str) -> None:
    wait(driver).until(lambda d: expected in text(d, css), f"{css} visade aldrig {expected!r}")


def upload(driver, path: Path) -> None:
    """Choose `path` in the upload's file input, as the file dialog would, and wait for the preview."""
    driver.find_element(By.CSS_SELECTOR, FILE_INPUT).send_keys(str(path))
    wait_for_text_in(driver, f"#{ui.PREVIEW} h2", f"Förhandsgranskning: {path.name}")
    wait_for_dash_idle(driver)


def table_rows(driver, heading: str) -> list[list[str]]:
    """The body rows of the preview table that follows the h3 `heading` (e.g. 'Ändrade rader (2)')."""
    tables = driver.find_elements(
        By.XPATH, f"//div[@id='{ui.PREVIEW}']//h3[normalize-space()='{heading}']/following-sibling::div[1]//table"
    )
    assert tables, f"ingen tabell under {heading!r}"
    return [
        [normalise(td.text) for td in tr.find_elements(By.TAG_NAME, "td")]
        for tr in tables[0].find_elements(By.CSS_SELECTOR, "tbody tr")
    ]


def project_page(driver, base_url: str, name: str) -> str:
    open_page(driver, base_url, f"/projekt/{project_id(driver, name)}", name)
    return normalise(driver.find_element(By.ID, "shell-page").text)


def test_the_round_trip_download_edit_upload_preview_save_history_undo(live_server, as_editor, downloads, axe_source):
    browser = as_editor
    open_page(browser, live_server, "/ladda-upp", "Ladda upp")
    assert "Ladda ner mall med nuvarande data (.xlsx)" in text(browser, f"#{ui.TEMPLATE_LINK}")
    click(browser, browser.find_element(By.ID, ui.TEMPLATE_LINK))
    template = downloaded(downloads, "projekt-*.xlsx")

    edited = downloads / "projekt-ändrad.xlsx"
    edited.write_bytes(edit_projects_workbook(template.read_bytes(), CHANGES, NEW_ROWS))
    upload(browser, edited)

    said = text(browser, f"#{ui.MESSAGE}")
    assert said.startswith("Förhandsgranskningen är klar: 1 ny, 2 ändrade, "), said
    assert "0 borttagna" in said
    assert [r[1] for r in table_rows(browser, "Nya rader (1)")] == [NEW_PROJECT]
    changed = {r[1]: r[2] for r in table_rows(browser, "Ändrade rader (2)")}
    assert set(changed) == {BOTNIA, UMECO}
    assert changed[BOTNIA] == "Budget (kr): före: 4 650 000 kr → efter: 5 100 000 kr"
    assert changed[UMECO] == "Status: före: pågår → efter: avslutad"
    preview = text(browser, f"#{ui.PREVIEW}")
    assert "Rader som tas bort" not in preview and "Fel i filen" not in preview
    confirm = browser.find_element(By.ID, ui.CONFIRM)
    assert confirm.is_displayed() and confirm.is_enabled()

    click(browser, confirm)
    wait_for_text_in(browser, f"#{ui.MESSAGE}", "Importen av projekt-ändrad.xlsx är sparad: 1 ny, 2 ändrade")
    wait_for_dash_idle(browser)
    assert text(browser, f"#{ui.PREVIEW}") == ""
    assert not browser.find_element(By.ID, ui.CONFIRM).is_displayed()
    assert "projekt-ändrad.xlsx" in text(browser, f"#{ui.LATEST}")
    assert "projekt-ändrad.xlsx" in text(browser, f"#{ui.HISTORY}")
    # The undo button appears at once, without reloading the page.
    wait(browser).until(EC.visibility_of_element_located((By.ID, ui.UNDO)))
    assert severe_console_messages(browser) == []

    # The project page, reached from the link in the confirmation: the new value and its history.
    click(
        browser,
        browser.find_element(By.CSS_SELECTOR, f"#{ui.MESSAGE} a[href='/projekt/{project_id(browser, BOTNIA)}']"),
    )
    wait_for_page(browser, BOTNIA)
    page = normalise(browser.find_element(By.ID, "shell-page").text)
    assert "5 100 000 kr" in page
    assert "redaktor uppladdning: projekt-ändrad.xlsx Ändrad: Budget: 4 650 000 → 5 100 000" in page
    assert "avslutad" in project_page(browser, live_server, UMECO)
    assert NEW_PROJECT in [p["name"] for p in api_json(browser, "/api/projects")]

    # Back to the upload page: undo the import.
    open_page(browser, live_server, "/ladda-upp", "Ladda upp")
    undo = browser.find_element(By.ID, ui.UNDO)
    assert undo.is_displayed()
    click(browser, undo)
    wait(browser).until(EC.visibility_of_element_located((By.ID, ui.UNDO_MODAL_TEXT)))
    assert text(browser, f"#{ui.UNDO_MODAL_TEXT}").startswith("Ångra importen av fil projekt-ändrad.xlsx?")
    violations = axe_violations(browser, axe_source)
    assert violations == [], describe(violations)
    click(browser, browser.find_element(By.ID, ui.UNDO_CONFIRM))
    wait(browser).until(lambda d: d.find_elements(By.CSS_SELECTOR, f"#{ui.UNDO_MESSAGE} [role=status]"))
    wait_for_dash_idle(browser)
    assert "Det finns ingen import att ångra." in text(browser, f"#{ui.LATEST}")
    assert "Ångrad" in text(browser, f"#{ui.HISTORY}")

    # The previous state is back.
    page = project_page(browser, live_server, BOTNIA)
    assert "4 650 000 kr" in page and "5 100 000 kr/år" not in page.split("Ändringshistorik")[0]
    assert "pågår" in project_page(browser, live_server, UMECO).split("Ändringshistorik")[0]
    assert NEW_PROJECT not in [p["name"] for p in api_json(browser, "/api/projects")]
    assert severe_console_messages(browser) == []


def test_the_upload_page_with_a_preview_and_the_undo_dialog_has_no_axe_violations(
    live_server, as_editor, axe_source, tmp_path
):
    browser = as_editor
    open_page(browser, live_server, "/ladda-upp", "Ladda upp")
    file_input = browser.find_element(By.CSS_SELECTOR, FILE_INPUT)
    assert file_input.get_attribute("aria-label") == "Välj fil att ladda upp (Excel .xlsx eller CSV)"
    browser.execute_script("arguments[0].focus()", file_input)
    zone = browser.find_element(By.CSS_SELECTOR, f"#{ui.UPLOAD} .upload-zone")
    assert zone.value_of_css_property("outline-style") == "solid"  # keyboard focus is visible on the drop zone
    violations = axe_violations(browser, axe_source)
    assert violations == [], describe(violations)

    # A preview with errors, changes and new rows, all at once (errors from a CSV with a bad amount and date).
    csv = tmp_path / "projekt-fel.csv"
    csv.write_text(
        "Projekt;Status;Budget (kr);Start;Slut;Kommuner\n"
        f"{BOTNIA};pågår;4 650 000;2005-01-01;2006-12-31;alla\n"
        "Nytt projekt;planerad;-5 000;2007-01-01;2006-01-01;Umeå\n",
        encoding="utf-8",
    )
    upload(browser, csv)
    assert "Fel i filen" in text(browser, f"#{ui.PREVIEW}")
    violations = axe_violations(browser, axe_source)
    assert violations == [], describe(violations)

    ok = tmp_path / "projekt-ok.csv"
    ok.write_text(
        f"Projekt;Status;Budget (kr)\n{BOTNIA};pausad;4 700 000\n{NEW_PROJECT} 2;planerad;1 mkr\n", encoding="utf-8"
    )
    upload(browser, ok)
    assert "Ändrade rader (1)" in text(browser, f"#{ui.PREVIEW}")
    violations = axe_violations(browser, axe_source)
    assert violations == [], describe(violations)
    click(browser, browser.find_element(By.ID, ui.CANCEL))
    wait_for_text_in(browser, f"#{ui.MESSAGE}", "Inget har sparats")


def test_a_file_over_the_limit_is_stopped_in_the_browser(live_server, as_editor, tmp_path):
    """The browser's own check: nothing is sent, and the message says the size and the limit."""
    browser = as_editor
    open_page(browser, live_server, "/ladda-upp", "Ladda upp")
    big = tmp_path / "stor.csv"
    head = b"Projekt;Budget\n"
    big.write_bytes(head + b"x" * (11 * 1024 * 1024 - len(head)))
    browser.find_element(By.CSS_SELECTOR, FILE_INPUT).send_keys(str(big))
    wait(browser).until(lambda d: d.find_elements(By.CSS_SELECTOR, f"#{ui.MESSAGE} [role=alert]"))
    said = text(browser, f"#{ui.MESSAGE}")
    assert said.startswith("Filen ”stor.csv” är 11 MB.") and "Största tillåtna storlek är 10 MB." in said
    assert text(browser, f"#{ui.PREVIEW}") == ""


def test_choosing_what_to_update_goes_into_the_url_and_the_template_links(live_server, as_editor):
    browser = as_editor
    open_page(browser, live_server, "/ladda-upp?kommun=V%C3%A4nn%C3%A4s", "Ladda upp")
    click(browser, browser.find_element(By.XPATH, f"//div[@id='{ui.KIND}']//label[contains(., 'Finansiering')]"))
    wait(browser).until(lambda d: "typ=finansiering" in d.current_url)
    wait_for_page(browser, "Ladda upp")
    assert "kommun=V%C3%A4nn%C3%A4s" in browser.current_url
    href = browser.find_element(By.ID, ui.TEMPLATE_LINK).get_attribute("href")
    assert href.endswith("/ladda-upp/mall/finansiering.xlsx")
    assert browser.find_element(By.ID, ui.BLANK_LINK).get_attribute("href").endswith("finansiering.xlsx?tom=1")
    assert browser.find_element(By.CSS_SELECTOR, f"#{ui.KIND} input[value=finansiering]").is_selected()
    browser.refresh()
    wait_for_page(browser, "Ladda upp")
    assert browser.find_element(By.CSS_SELECTOR, f"#{ui.KIND} input[value=finansiering]").is_selected()


def test_an_empty_file_gets_a_clear_message(live_server, as_editor, tmp_path):
    browser = as_editor
    open_page(browser, live_server, "/ladda-upp", "Ladda upp")
    empty = tmp_path / "tom.csv"
    empty.write_bytes(b"")
    upload(browser, empty)
    assert "Fel i filen (1)" in text(browser, f"#{ui.PREVIEW}") and "Filen är tom." in text(browser, f"#{ui.PREVIEW}")
    assert browser.find_elements(By.CSS_SELECTOR, f"#{ui.MESSAGE} [role=alert]")
