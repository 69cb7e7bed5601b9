"""Projekt in headless Chromium, as a person uses it: read the timeline and the table, narrow them to Vännäs, filter
by status (the URL changes and survives a reload), open a project by clicking its bar or, by keyboard, through the
table's links; and axe-core finds nothing on /projekt or on Botniabanan's page, for all seven and for Vännäs."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from tests.browser.conftest import (
    normalise,
    open_logged_in,
    open_page,
    project_id,
    severe_console_messages,
    wait,
    wait_for_dash_idle,
    wait_for_page,
    wait_for_text,
)
from tests.browser.test_accessibility import axe_violations, describe

BOTNIA = "Botniabanan som tillväxtfaktor"
TURK = "Tillväxt i Umeåregionens kranskommuner (TURK)"
VANNAS = "?kommun=V%C3%A4nn%C3%A4s"
# The seed's projects as the timeline lists them (focus areas in the plan's order, then by start date).
TIMELINE = [
    "Stad och Land",
    "UME&Co",
    BOTNIA,
    TURK,
    "Via Uma",
    "Bibliotek 2007",
    "LAPP; Local Action Plans in Progress",
]
FOCUS_AREAS = ["Närings- och utveckling", "Infrastruktur", "Kultur och kompetensutveckling"]


@pytest.fixture
def logged_in(live_server, browser):
    open_logged_in(browser, live_server, "/projekt", "Projekt")
    severe_console_messages(browser)
    return browser


def query(driver) -> dict[str, list[str]]:
    return parse_qs(urlsplit(driver.current_url).query)


def axis_labels(driver) -> list[str]:
    """The timeline's row labels, top to bottom (focus area headings and project names)."""
    labels = driver.find_elements(By.CSS_SELECTOR, "#projects-timeline-graph .yaxislayer-above .ytick text")
    placed = sorted(labels, key=lambda t: t.location["y"])
    return [normalise(t.text) for t in placed]


def bar_labels(driver) -> list[str]:
    """The status words printed beside the bars."""
    return [normalise(t.text) for t in driver.find_elements(By.CSS_SELECTOR, "#projects-timeline-graph .bars text")]


def grid_names(driver) -> list[str]:
    """The project names in the table (AG Grid), in row order."""
    rows = driver.find_elements(By.CSS_SELECTOR, "#projects-grid .ag-center-cols-container .ag-row")
    rows = sorted(rows, key=lambda r: int(r.get_attribute("row-index")))
    return [normalise(r.find_element(By.CSS_SELECTOR, "[col-id='name']").text) for r in rows]


def wait_for_grid(driver, expected: list[str]) -> None:
    try:
        wait(driver).until(lambda d: grid_names(d) == expected)
    except Exception:
        raise AssertionError(f"tabellen visade {grid_names(driver)!r}, väntade {expected!r}") from None


def test_the_timeline_and_the_table_show_the_eight_projects(logged_in, live_server):
    browser = logged_in

    wait_for_text(browser, "#projects-page-info", "Visar 1–7 av 7 projekt med tidsram")
    labels = axis_labels(browser)
    assert [x for x in labels if x in FOCUS_AREAS] == FOCUS_AREAS
    projects = [x for x in labels if x not in FOCUS_AREAS]
    assert projects == [n if len(n) <= 42 else n[:41].rstrip() + "…" for n in TIMELINE]
    assert labels.index("Infrastruktur") == labels.index(TIMELINE[3][:41].rstrip() + "…") + 1
    assert sorted(bar_labels(browser)) == sorted(["◐ pågår"] * 4 + ["○ planerad"] * 2)
    undated = browser.find_element(By.ID, "projects-undated")
    assert "Bio Fuel Region" in undated.text and "Utan tidsram" in undated.text
    wait_for_grid(browser, TIMELINE + ["Bio Fuel Region"])
    csv = browser.find_element(By.LINK_TEXT, "Ladda ner som CSV (Excel)").get_attribute("href")
    assert urlsplit(csv).path == "/api/projects" and parse_qs(urlsplit(csv).query) == {"format": ["csv"]}
    assert severe_console_messages(browser) == []


def test_vannas_sees_botniabanan_stad_och_land_and_turk(logged_in, live_server):
    browser = logged_in
    open_page(browser, live_server, "/projekt" + VANNAS, "Projekt")

    wait_for_text(browser, "#projects-page-info", "Visar 1–3 av 3 projekt med tidsram")
    wait_for_grid(browser, ["Stad och Land", BOTNIA, TURK])
    projects = [x for x in axis_labels(browser) if x not in FOCUS_AREAS]
    assert projects == ["Stad och Land", BOTNIA, TURK[:41].rstrip() + "…"]
    assert not browser.find_elements(By.ID, "projects-undated")
    csv = browser.find_element(By.LINK_TEXT, "Ladda ner som CSV (Excel)").get_attribute("href")
    assert parse_qs(urlsplit(csv).query) == {"format": ["csv"], "kommun": ["Vännäs"]}


def test_a_status_filter_goes_into_the_url_and_survives_a_reload(logged_in, live_server):
    browser = logged_in
    open_page(browser, live_server, "/projekt" + VANNAS, "Projekt")

    Select(browser.find_element(By.ID, "projects-status-select")).select_by_visible_text("○ planerad")

    wait(browser).until(lambda d: query(d).get("status") == ["planerad"], "status=planerad kom aldrig in i adressen")
    assert query(browser) == {"kommun": ["Vännäs"], "status": ["planerad"]}
    wait_for_text(browser, "#projects-page-info", "Visar 1–2 av 2 projekt med tidsram")
    wait_for_grid(browser, [BOTNIA, TURK])

    browser.refresh()
    wait_for_page(browser, "Projekt")
    assert query(browser) == {"kommun": ["Vännäs"], "status": ["planerad"]}
    wait_for_text(browser, "#projects-page-info", "Visar 1–2 av 2 projekt med tidsram")
    assert Select(browser.find_element(By.ID, "projects-status-select")).first_selected_option.text == "○ planerad"
    wait_for_grid(browser, [BOTNIA, TURK])
    assert severe_console_messages(browser) == []


def test_a_time_window_narrows_the_timeline(logged_in, live_server):
    browser = logged_in
    open_page(browser, live_server, "/projekt", "Projekt")

    Select(browser.find_element(By.ID, "projects-from-select")).select_by_visible_text("2006")

    wait(browser).until(lambda d: query(d).get("fran") == ["2006"])
    wait_for_text(browser, "#projects-page-info", "Visar 1–3 av 3 projekt med tidsram")
    wait_for_grid(browser, ["UME&Co", BOTNIA, TURK, "Bio Fuel Region"])
    browser.find_element(By.PARTIAL_LINK_TEXT, "rensa filtren").click()
    wait(browser).until(lambda d: "fran" not in query(d))
    wait_for_text(browser, "#projects-page-info", "Visar 1–7 av 7 projekt med tidsram")


def test_clicking_a_bar_opens_the_project_page(logged_in, live_server):
    browser = logged_in
    open_page(browser, live_server, "/projekt" + VANNAS, "Projekt")
    botnia = project_id(browser, BOTNIA)
    labels = [x for x in axis_labels(browser) if x not in FOCUS_AREAS]
    bars = browser.find_elements(By.CSS_SELECTOR, "#projects-timeline-graph .trace.bars .point path")
    # The bars are drawn trace by trace; find Botniabanan's by its height on the screen.
    label = next(
        t
        for t in browser.find_elements(By.CSS_SELECTOR, "#projects-timeline-graph .ytick text")
        if normalise(t.text) == BOTNIA
    )
    assert BOTNIA in labels
    bar = min(bars, key=lambda b: abs(b.location["y"] + b.size["height"] / 2 - label.location["y"] - 8))

    # Bootstrap scrolls smoothly: a click during the scroll lands beside the bar, so scroll at once first.
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", bar)
    ActionChains(browser).move_to_element(bar).click().perform()

    wait_for_page(browser, BOTNIA)
    assert urlsplit(browser.current_url).path == f"/projekt/{botnia}"
    assert query(browser) == {"kommun": ["Vännäs"]}
    facts = normalise(browser.find_element(By.CSS_SELECTOR, "dl.facts").text)
    assert "Anna Olofsson, projektledare" in facts
    rows = browser.find_elements(By.XPATH, "//table[caption[normalize-space()='Finansiärer och belopp']]/tbody/tr")
    assert [normalise(r.text) for r in rows][-1] == "Ej specificerat – 750 000 kr/år"
    history = normalise(
        browser.find_element(
            By.XPATH, "//table[caption[starts-with(normalize-space(), 'Ändringar av projektet')]]"
        ).text
    )
    assert "Skapad från demodata" in history
    browser.find_element(By.LINK_TEXT, "← Alla projekt").click()
    wait_for_page(browser, "Projekt")
    assert query(browser) == {"kommun": ["Vännäs"]}
    assert severe_console_messages(browser) == []


def test_a_keyboard_user_opens_a_project_through_the_timelines_table(logged_in, live_server):
    browser = logged_in
    open_page(browser, live_server, "/projekt", "Projekt")

    summary = browser.find_element(By.XPATH, "//summary[normalize-space()='Visa som tabell']")
    browser.execute_script("arguments[0].focus()", summary)
    summary.send_keys(Keys.ENTER)
    table = wait(browser).until(lambda d: d.find_element(By.ID, "projects-timeline-table"))
    wait(browser).until(lambda d: table.is_displayed())
    rows = [normalise(r.find_element(By.TAG_NAME, "th").text) for r in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
    assert rows == TIMELINE
    link = table.find_element(By.LINK_TEXT, "Bibliotek 2007")
    browser.execute_script("arguments[0].focus()", link)
    link.send_keys(Keys.ENTER)

    wait_for_page(browser, "Bibliotek 2007")
    phases = browser.find_element(By.XPATH, "//table[caption[normalize-space()='Projektets etapper']]")
    assert [normalise(r.text) for r in phases.find_elements(By.CSS_SELECTOR, "tbody tr")] == [
        "Etapp 1 2001-05-01 2002-12-31",
        "Etapp 2 2003-01-01 2005-12-31",
    ]


def test_an_unknown_project_says_so(logged_in, live_server):
    browser = logged_in
    open_page(browser, live_server, "/projekt/99999", "Projektet finns inte")
    assert "Det finns inget projekt med nummer 99999." in browser.find_element(By.ID, "shell-page").text


@pytest.mark.parametrize("kommun", ["", VANNAS])
@pytest.mark.parametrize("page", ["/projekt", "/projekt/{botnia}"])
def test_projekt_pages_have_no_axe_violations(logged_in, live_server, axe_source, page, kommun):
    browser = logged_in
    path = page.format(botnia=project_id(browser, BOTNIA)) + kommun
    open_page(browser, live_server, path, BOTNIA if "{botnia}" in page else "Projekt")
    if page == "/projekt":
        wait(browser).until(lambda d: grid_names(d))
        # Open the chart's table too, so that axe checks it as well.
        browser.find_element(By.XPATH, "//summary[normalize-space()='Visa som tabell']").click()
        wait_for_dash_idle(browser)

    violations = axe_violations(browser, axe_source)

    assert violations == [], f"{path}:\n{describe(violations)}"
