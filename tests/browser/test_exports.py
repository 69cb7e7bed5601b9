"""The meeting pack in headless Chromium: both links on a page follow its filter, and clicking them downloads a
PowerPoint and an Excel file that read back with that filter; axe finds nothing on the links."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from openpyxl import load_workbook
from pptx import Presentation
from selenium.webdriver.common.by import By

from tests.browser.conftest import open_logged_in, wait, wait_for_dash_idle
from tests.browser.test_accessibility import axe_violations, describe
from tests.unit.test_exports import sheet_rows


def _downloaded(folder: Path, suffix: str, timeout: float = 30) -> Path:
    """The file Chromium finished downloading into `folder` (no partial .crdownload left)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if p.suffix == suffix]
        partial = [p for p in folder.iterdir() if p.suffix == ".crdownload"]
        if done and not partial:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"ingen {suffix}-fil laddades ner till {folder}: {sorted(p.name for p in folder.iterdir())}")


def test_both_packs_download_from_the_page_for_its_filter(live_server, browser, tmp_path):
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    open_logged_in(browser, live_server, "/verksamhetsplan?ar=2005&kommun=V%C3%A4nn%C3%A4s")
    link = browser.find_element(By.LINK_TEXT, "Ladda ner som PowerPoint")
    wait(browser).until(
        lambda d: parse_qs(urlsplit(link.get_attribute("href")).query) == {"kommun": ["Vännäs"], "ar": ["2005"]},
        "länken följde aldrig sidans urval",
    )
    wait_for_dash_idle(browser)

    link.click()
    pptx = _downloaded(tmp_path, ".pptx")
    assert pptx.name.endswith("-vannas-2005.pptx")
    subtitle = Presentation(str(pptx)).slides[0].placeholders[1].text_frame.text
    assert "Kommun: Vännäs · Insatsområde: alla · Verksamhetsplan: 2005" in subtitle

    browser.find_element(By.LINK_TEXT, "Ladda ner som Excel").click()
    xlsx = _downloaded(tmp_path, ".xlsx")
    wb = load_workbook(xlsx)
    assert wb["Uppdrag"]["A2"].value.startswith("Kommun: Vännäs")
    projects = [r[0] for r in sheet_rows(xlsx.read_bytes(), "Projekt")]
    assert projects and all("Vännäs" in r[9] for r in sheet_rows(xlsx.read_bytes(), "Projekt"))
    assert "Bibliotek 2007" not in projects  # a project of no municipality in particular


def test_the_pack_links_have_no_axe_violations(live_server, browser, axe_source):
    open_logged_in(browser, live_server, "/projekt?kommun=V%C3%A4nn%C3%A4s")
    assert browser.find_element(By.LINK_TEXT, "Ladda ner som Excel").is_displayed()
    violations = axe_violations(browser, axe_source)
    assert violations == [], describe(violations)
