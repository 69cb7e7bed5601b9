"""Förändringar in headless Chromium: choosing a meeting writes `?sedan=` into the URL and the page follows; axe-core
finds nothing on the page, for all seven and for Vännäs."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.browser.conftest import normalise, open_logged_in, wait, wait_for_dash_idle
from tests.browser.test_accessibility import axe_violations, describe

HEADING = "Sedan förra mötet"


def _sedan(url: str) -> str | None:
    return parse_qs(urlsplit(url).query).get("sedan", [None])[0]


def test_choosing_a_meeting_puts_it_in_the_url_and_redraws(live_server, browser):
    open_logged_in(browser, live_server, "/forandringar?kommun=V%C3%A4nn%C3%A4s", HEADING)
    select = Select(browser.find_element(By.ID, "changes-meeting"))
    labels = [o.text for o in select.options]
    assert "Kommunchefsmöte 2019-05-16" in labels
    select.select_by_value("2019-05-16")
    wait(browser).until(lambda d: _sedan(d.current_url) == "2019-05-16", "?sedan= skrevs aldrig in i adressen")
    wait(browser).until(
        lambda d: "2019-05-16" in normalise(d.find_element(By.CSS_SELECTOR, "#shell-page h1 + p").text),
        "sidan ritades inte om för det valda mötet",
    )
    wait_for_dash_idle(browser)
    query = parse_qs(urlsplit(browser.current_url).query)
    assert query["kommun"] == ["Vännäs"]
    assert browser.find_element(By.ID, "changes-date").get_attribute("value") == "2019-05-16"
    assert Select(browser.find_element(By.ID, "changes-meeting")).first_selected_option.get_attribute("value") == (
        "2019-05-16"
    )


@pytest.mark.parametrize("path", ["/forandringar", "/forandringar?kommun=V%C3%A4nn%C3%A4s&sedan=2019-05-16"])
def test_the_page_has_no_axe_violations(live_server, browser, axe_source, path):
    open_logged_in(browser, live_server, path, HEADING)
    violations = axe_violations(browser, axe_source)
    assert violations == [], describe(violations)
