"""Inför mötet in headless Chromium: choosing a meeting writes `?mote=` into the URL and the page follows (keeping the
municipality); the navigation leads there; axe-core finds nothing on the page, with every history open, for Vännäs
and with a `?mote=` that is no meeting."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.browser.conftest import normalise, open_logged_in, page_heading, wait, wait_for_dash_idle, wait_for_page
from tests.browser.test_accessibility import axe_violations, describe

HEADING = "Uppföljning inför mötet 2019-08-22"
BASAVTAL = "Ta fram avtalsförslag till basavtal"
WORKSHOP = "Arbetsmöte kompetensförsörjning för personalchefer och kommunchefer"


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def _option_value(select: Select, label: str) -> str:
    values = [o.get_attribute("value") for o in select.options if normalise(o.text) == label]
    assert len(values) == 1, [o.text for o in select.options]
    return values[0]


def test_choosing_a_meeting_puts_it_in_the_url_and_redraws(live_server, browser):
    open_logged_in(browser, live_server, "/uppfoljning?kommun=V%C3%A4nn%C3%A4s", HEADING)
    assert "1 öppet uppdrag som berör Vännäs" in normalise(browser.find_element(By.ID, "followup-summary").text)

    select = Select(browser.find_element(By.ID, "followup-meeting"))
    may = _option_value(select, "Kommunchefsmöte 2019-05-16")
    select.select_by_value(may)
    wait(browser).until(lambda d: _query(d.current_url).get("mote") == [may], "?mote= skrevs aldrig in i adressen")
    wait_for_page(browser, "Uppföljning inför mötet 2019-05-16")
    assert _query(browser.current_url)["kommun"] == ["Vännäs"]
    assert "Det finns inga möten före 2019-05-16" in normalise(browser.find_element(By.ID, "followup-list").text)
    assert Select(browser.find_element(By.ID, "followup-meeting")).first_selected_option.get_attribute("value") == may

    select = Select(browser.find_element(By.ID, "followup-meeting"))
    june = _option_value(select, f"Annat möte 2019-06-20 – {WORKSHOP}")
    select.select_by_value(june)
    wait_for_page(browser, "Uppföljning inför mötet 2019-06-20")
    assert _query(browser.current_url)["mote"] == [june]
    assert "gemensam avfallsplan" in normalise(browser.find_element(By.ID, "followup-list").text)


def test_the_history_opens_and_the_navigation_leads_here(live_server, browser):
    open_logged_in(browser, live_server, "/moten", "Möten")
    browser.find_element(By.ID, "shell-nav-uppfoljning").click()
    wait_for_page(browser, HEADING)
    assert urlsplit(browser.current_url).path == "/uppfoljning"
    assert BASAVTAL in normalise(browser.find_element(By.ID, "followup-list").text)

    first = browser.find_element(By.CSS_SELECTOR, "#followup-list details")
    assert first.get_attribute("open") is None
    first.find_element(By.TAG_NAME, "summary").click()
    wait(browser).until(lambda d: "system: inläst (demodata)" in normalise(first.text), "historiken visades inte")

    browser.find_element(By.ID, "followup-history-toggle").click()
    wait(browser).until(lambda d: _query(d.current_url).get("historik") == ["1"], "?historik=1 kom aldrig")
    wait_for_dash_idle(browser)
    details = browser.find_elements(By.CSS_SELECTOR, "#followup-list details")
    assert len(details) == 15 and all(d.get_attribute("open") is not None for d in details)
    assert page_heading(browser) == HEADING


@pytest.mark.parametrize(
    "path",
    ["/uppfoljning", "/uppfoljning?historik=1", "/uppfoljning?kommun=V%C3%A4nn%C3%A4s&mote=hej", "/uppfoljning?mote=1"],
)
def test_the_page_has_no_axe_violations(live_server, browser, axe_source, path):
    open_logged_in(browser, live_server, path)
    violations = axe_violations(browser, axe_source)
    assert violations == [], describe(violations)
