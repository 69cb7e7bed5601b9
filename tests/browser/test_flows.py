"""End-to-end flows in headless Chromium: log in, filter by municipality, open a project, log out.

The expected figures are the seeded demo data (tests/conftest.py loads it into every fresh database).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from tests.browser.conftest import (
    api_json,
    login,
    normalise,
    open_logged_in,
    open_page,
    page_heading,
    project_id,
    severe_console_messages,
    submit_login,
    wait,
    wait_for_dash_idle,
    wait_for_page,
    wait_for_text,
)

ALL_FIGURES = {"overview-projects": "8", "overview-budget": "71 056 000 kr", "overview-open-tasks": "15"}
UMEA_FIGURES = {"overview-projects": "2", "overview-budget": "36 800 000 kr", "overview-open-tasks": "0"}
VANNAS = "Vännäs"
VANNAS_PROJECTS = ["Botniabanan som tillväxtfaktor", "Stad och Land", "Tillväxt i Umeåregionens kranskommuner (TURK)"]
BOTNIABANAN = "Botniabanan som tillväxtfaktor"
BOTNIABANAN_FUNDERS = [
    ["Kommunerna i Umeåregionen", "kommunerna", "2 400 000 kr/år"],
    ["Umeå universitet", "universitet", "200 000 kr/år"],
    ["AC läns landsting", "region/landsting", "350 000 kr/år"],
    ["FöreningsSparbanken", "privat", "200 000 kr/år"],
    ["EG:s strukturfond", "EU", "750 000 kr/år"],
    ["Ej specificerat", "–", "750 000 kr/år"],
]
# Every page of the dashboard and the heading it shows once drawn.
PAGES = [
    ("/", "Översikt"),
    ("/verksamhetsplan", "Umeåregionens verksamhetsplan 2005"),
    ("/projekt", "Projekt"),
    ("/projekt/{botniabanan}", BOTNIABANAN),
    ("/finansiering", "Finansiering"),
    ("/uppdrag", "Uppdrag"),
    ("/moten", "Möten"),
    ("/ladda-upp", "Ladda upp"),
    ("/?kommun=V%C3%A4nn%C3%A4s", "Översikt"),
    ("/projekt?kommun=V%C3%A4nn%C3%A4s", "Projekt"),
    ("/uppdrag?kommun=V%C3%A4nn%C3%A4s", "Uppdrag"),
    ("/?kommun=Stockholm", "Översikt"),
]


@pytest.fixture
def logged_in(live_server, browser):
    """The browser on the overview as admin: the current session is reused when it is still valid."""
    open_logged_in(browser, live_server, "/", "Översikt")
    severe_console_messages(browser)  # start each test with an empty console log
    return browser


def query(driver) -> dict[str, list[str]]:
    return query_of(driver.current_url)


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def path(driver) -> str:
    return urlsplit(driver.current_url).path


def kommun_select(driver) -> Select:
    return Select(driver.find_element(By.ID, "shell-kommun-select"))


def assert_figures(driver, figures: dict[str, str]) -> None:
    for element_id, expected in figures.items():
        wait_for_text(driver, f"#{element_id}", expected)


def grid_names(driver) -> list[str]:
    """The project names in the Projekt page's table (AG Grid), in row order."""
    rows = driver.find_elements(By.CSS_SELECTOR, "#projects-grid .ag-center-cols-container .ag-row")
    rows = sorted(rows, key=lambda r: int(r.get_attribute("row-index")))
    return [normalise(r.find_element(By.CSS_SELECTOR, "[col-id='name']").text) for r in rows]


def table_rows(driver, caption: str) -> list[list[str]]:
    """The body cells of the table with this caption, whitespace normalised."""
    table = driver.find_element(By.XPATH, f"//table[caption[normalize-space()='{caption}']]")
    return [
        [normalise(td.text) for td in tr.find_elements(By.TAG_NAME, "td")]
        for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")
    ]


def test_login_through_the_form_lands_on_the_overview_with_the_seeded_figures(live_server, browser):
    login(browser, live_server)

    assert path(browser) == "/"
    assert page_heading(browser) == "Översikt"
    assert_figures(browser, ALL_FIGURES)
    assert normalise(browser.find_element(By.CSS_SELECTOR, "#overview-open-tasks + .kpi-note").text) == "av 15 uppdrag"
    assert kommun_select(browser).first_selected_option.get_attribute("value") == "alla"


def test_a_wrong_password_shows_the_error_and_stays_on_the_login_page(live_server, browser):
    submit_login(browser, live_server, "admin", "fel-losenord-123")

    error = wait(browser).until(EC.visibility_of_element_located((By.ID, "login-error")))
    assert normalise(error.text) == "Fel användarnamn eller lösenord."
    assert path(browser) == "/login"
    assert browser.find_element(By.NAME, "password").get_attribute("value") == ""
    assert not browser.find_elements(By.ID, "shell-page")
    # The refused login answers 401, which Chromium logs as a failed resource; nothing else may be logged.
    unexpected = [m for m in severe_console_messages(browser) if "status of 401" not in m]
    assert unexpected == []


def test_choosing_a_municipality_filters_the_overview_and_the_nav_keeps_the_filter(logged_in, live_server):
    browser = logged_in
    kommun_select(browser).select_by_visible_text(VANNAS)

    wait(browser).until(lambda d: query(d).get("kommun") == [VANNAS], "kommun=Vännäs kom aldrig in i adressen")
    assert "kommun=V%C3%A4nn%C3%A4s" in browser.current_url or "kommun=Vännäs" in browser.current_url
    wait_for_text(browser, "#overview-projects", "3")
    wait_for_dash_idle(browser)
    nav_link = browser.find_element(By.XPATH, "//*[@id='shell-nav']//a[normalize-space()='Projekt']")
    assert query_of(nav_link.get_attribute("href")) == {"kommun": [VANNAS]}

    nav_link.click()

    wait_for_page(browser, "Projekt")
    assert path(browser) == "/projekt"
    assert query(browser) == {"kommun": [VANNAS]}
    assert kommun_select(browser).first_selected_option.get_attribute("value") == VANNAS
    wait(browser).until(lambda d: sorted(grid_names(d)) == VANNAS_PROJECTS, "tabellen visade inte Vännäs tre projekt")
    # The JSON API, asked from the same logged-in browser, agrees with the page.
    assert sorted(p["name"] for p in api_json(browser, "/api/projects?kommun=V%C3%A4nn%C3%A4s")) == VANNAS_PROJECTS
    assert severe_console_messages(browser) == []


def test_a_municipality_without_diacritics_in_the_url_shows_that_municipality(logged_in, live_server):
    browser = logged_in
    open_page(browser, live_server, "/?kommun=Umea", "Översikt")

    assert_figures(browser, UMEA_FIGURES)
    assert normalise(browser.find_element(By.CSS_SELECTOR, "#shell-page h1 + p").text) == "Läget för Umeå"
    assert not normalise(browser.find_element(By.ID, "shell-filter-alert").text)
    selected = kommun_select(browser).first_selected_option
    assert (selected.get_attribute("value"), normalise(selected.text)) == ("Umeå", "Umeå"), (
        "the select does not show the municipality whose figures are on the page"
    )


def test_an_unknown_municipality_shows_a_warning_and_all_figures(logged_in, live_server):
    browser = logged_in
    open_page(browser, live_server, "/?kommun=Stockholm", "Översikt")

    alert = wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#shell-filter-alert .alert")))
    assert "Okänd kommun" in alert.text
    assert "Stockholm" in alert.text
    assert_figures(browser, ALL_FIGURES)
    assert kommun_select(browser).first_selected_option.get_attribute("value") == "alla"


def test_clicking_a_project_opens_its_page_with_its_funders(logged_in, live_server):
    browser = logged_in
    open_page(browser, live_server, "/projekt", "Projekt")
    wait(browser).until(lambda d: BOTNIABANAN in grid_names(d))

    link = browser.find_element(By.CSS_SELECTOR, "#projects-grid").find_element(By.LINK_TEXT, BOTNIABANAN)
    # Bootstrap scrolls smoothly: a click during the scroll lands beside the link, so scroll at once first.
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", link)
    link.click()

    wait_for_page(browser, BOTNIABANAN)
    assert path(browser).startswith("/projekt/")
    assert table_rows(browser, "Finansiärer och belopp") == BOTNIABANAN_FUNDERS
    assert severe_console_messages(browser) == []


def test_logging_out_returns_to_the_login_page_and_closes_the_dashboard(logged_in, live_server):
    browser = logged_in
    button = browser.find_element(By.XPATH, "//form[@action='/logout']//button[normalize-space()='Logga ut']")
    button.click()

    wait(browser).until(EC.visibility_of_element_located((By.NAME, "password")))
    assert path(browser) == "/login"

    browser.get(live_server + "/")
    wait(browser).until(EC.visibility_of_element_located((By.NAME, "password")))
    assert path(browser) == "/login"
    assert not browser.find_elements(By.ID, "shell-page")


def test_no_page_logs_a_console_error(live_server, browser):
    browser.get(live_server + "/login")
    browser.delete_all_cookies()
    severe_console_messages(browser)
    errors = {}
    browser.get(live_server + "/login")
    wait(browser).until(EC.visibility_of_element_located((By.NAME, "password")))
    errors["/login"] = severe_console_messages(browser)
    login(browser, live_server)
    errors["/ (after login)"] = severe_console_messages(browser)
    botniabanan = project_id(browser, BOTNIABANAN)
    for page, heading in PAGES:
        page = page.format(botniabanan=botniabanan)
        open_page(browser, live_server, page, heading)
        errors[page] = severe_console_messages(browser)

    assert {page: messages for page, messages in errors.items() if messages} == {}
