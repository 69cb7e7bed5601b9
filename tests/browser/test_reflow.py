"""Reflow (WCAG 1.4.10): at a phone's width the header's brand, navigation, municipality filter and logout wrap
onto lines of their own inside the blue bar, so nothing runs off the screen and every link can be reached."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.browser.conftest import open_logged_in
from tests.browser.test_accessibility import axe_violations, describe


@pytest.fixture
def narrow(browser):
    size = browser.get_window_size()
    browser.set_window_size(400, 900)
    yield browser
    browser.set_window_size(size["width"], size["height"])


def test_the_header_wraps_inside_the_screen_at_400_px(live_server, narrow, axe_source):
    open_logged_in(narrow, live_server, "/")
    width = narrow.execute_script("return document.documentElement.clientWidth")
    header = narrow.find_element(By.CSS_SELECTOR, "header .navbar").rect
    outside = [
        e.text or e.get_attribute("aria-label") or e.tag_name
        for e in narrow.find_elements(By.CSS_SELECTOR, "header a, header select, header button")
        if e.rect["x"] < 0
        or e.rect["x"] + e.rect["width"] > width + 1
        or e.rect["y"] + e.rect["height"] > header["y"] + header["height"] + 1
    ]
    assert outside == [], f"utanför skärmen eller den blå raden vid {width} px: {outside}"
    violations = axe_violations(narrow, axe_source)
    assert violations == [], describe(violations)
