"""Finansiering in headless Chromium, as a person reads it: Botniabanan's budget, funders and gap per year in the
project table, the yearly mix behind "Visa som tabell", Vännäs narrowing the page, a year chosen in a selector going
into the URL (and surviving a reload); and axe-core finds nothing, for all seven and for Vännäs."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.browser.conftest import normalise, open_logged_in, severe_console_messages, wait, wait_for_page
from tests.browser.test_accessibility import axe_violations, describe

BOTNIA = "Botniabanan som tillväxtfaktor"
TURK = "Tillväxt i Umeåregionens kranskommuner (TURK)"
VANNAS = "?kommun=V%C3%A4nn%C3%A4s"
ALL_EIGHT = [
    "Bibliotek 2007",
    "Bio Fuel Region",
    BOTNIA,
    "LAPP; Local Action Plans in Progress",
    "Stad och Land",
    TURK,
    "UME&Co",
    "Via Uma",
]
GRID = "#funding-projects-grid"


@pytest.fixture
def logged_in(live_server, browser):
    open_logged_in(browser, live_server, "/finansiering", "Finansiering")
    severe_console_messages(browser)
    return browser


def open_funding(driver, base_url: str, search: str = "") -> None:
    open_logged_in(driver, base_url, "/finansiering" + search, "Finansiering")


def grid_rows(driver) -> dict[str, dict[str, str]]:
    """The project table's rows (AG Grid, the rows loaded from the server): name → {column id: text}."""
    rows = {}
    for row in driver.find_elements(By.CSS_SELECTOR, f"{GRID} .ag-center-cols-container .ag-row"):
        cells = {c.get_attribute("col-id"): normalise(c.text) for c in row.find_elements(By.CSS_SELECTOR, ".ag-cell")}
        if cells.get("name"):
            rows[cells["name"]] = cells
    return rows


def wait_for_rows(driver, names: list[str]) -> dict[str, dict[str, str]]:
    try:
        wait(driver).until(lambda d: sorted(grid_rows(d)) == sorted(names))
    except Exception:
        raise AssertionError(f"tabellen visade {sorted(grid_rows(driver))!r}, väntade {sorted(names)!r}") from None
    return grid_rows(driver)


def totals_row(driver) -> dict[str, str]:
    row = driver.find_element(By.CSS_SELECTOR, f"{GRID} .ag-floating-bottom .ag-row-pinned")
    return {c.get_attribute("col-id"): normalise(c.text) for c in row.find_elements(By.CSS_SELECTOR, ".ag-cell")}


def test_botniabanan_shows_budget_funders_and_unspecified_per_year(logged_in, live_server):
    rows = wait_for_rows(logged_in, ALL_EIGHT)
    botnia = rows[BOTNIA]
    assert botnia["budget"] == "4 650 000 kr/år"
    assert botnia["funding_sum"] == "3 900 000 kr/år"
    assert botnia["unspecified_amount"] == "750 000 kr/år"
    assert botnia["start"] == "2005-01 – 2006-12"
    assert botnia["kinds"].startswith("kommunerna 2 400 000 kr/år; EU 750 000 kr/år")
    assert rows["Stad och Land"]["unspecified_amount"] == "okänt (4 finansiärer utan belopp)"
    totals = totals_row(logged_in)
    assert totals["name"] == "Summa, 8 projekt"
    assert totals["budget_whole"] == "71 056 000"
    headings = [normalise(h.text) for h in logged_in.find_elements(By.CSS_SELECTOR, "#shell-page h1, #shell-page h2")]
    assert headings[0] == "Finansiering"
    assert "Så räknas beloppen om till år" in headings
    assert "fördelas jämnt på projektets månader" in normalise(logged_in.find_element(By.ID, "shell-page").text)
    assert not severe_console_messages(logged_in)


def test_visa_som_tabell_opens_the_yearly_mix_with_each_kind(logged_in, live_server):
    open_funding(logged_in, live_server, VANNAS)
    details = logged_in.find_element(By.CSS_SELECTOR, "#funding-year-graph").find_element(
        By.XPATH, "ancestor::div[@role='figure']/following-sibling::details"
    )
    table = details.find_element(By.TAG_NAME, "table")
    assert not table.is_displayed()
    summary = details.find_element(By.TAG_NAME, "summary")
    logged_in.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", summary)
    summary.click()
    wait(logged_in).until(lambda d: table.is_displayed())
    headers = [normalise(th.text) for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    assert headers == [
        "År",
        "Kommunerna",
        "EU",
        "Region/landsting",
        "Universitet",
        "Privat",
        "Ej specificerat",
        "Summa",
    ]
    rows = [
        [normalise(td.text) for td in tr.find_elements(By.TAG_NAME, "td")]
        for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")
    ]
    assert rows[0] == [
        "2005",
        "2 400 000 kr",
        "750 000 kr",
        "350 000 kr",
        "200 000 kr",
        "200 000 kr",
        "750 000 kr",
        "4 650 000 kr",
    ]
    assert [r[0] for r in rows] == ["2005", "2006", "Summa"]


def test_vannas_narrows_the_table_and_the_charts(logged_in, live_server):
    open_funding(logged_in, live_server, VANNAS)
    rows = wait_for_rows(logged_in, [BOTNIA, "Stad och Land", TURK])
    assert rows[BOTNIA]["unspecified_amount"] == "750 000 kr/år"
    assert totals_row(logged_in)["name"] == "Summa, 3 projekt"
    page = normalise(logged_in.find_element(By.ID, "shell-page").text)
    assert "Projekt som berör Vännäs" in page
    assert "UME&Co" not in page
    assert "kommun=V%C3%A4nn%C3%A4s" in logged_in.find_element(By.LINK_TEXT, "Ladda ner som CSV (Excel)").get_attribute(
        "href"
    )


def test_a_chosen_year_goes_into_the_url_and_survives_a_reload(logged_in, live_server):
    open_funding(logged_in, live_server, VANNAS)
    Select(logged_in.find_element(By.ID, "funding-from-select")).select_by_visible_text("2006")
    wait(logged_in).until(lambda d: parse_qs(urlsplit(d.current_url).query).get("fran") == ["2006"])
    wait_for_page(logged_in, "Finansiering")
    assert parse_qs(urlsplit(logged_in.current_url).query)["kommun"] == ["Vännäs"]
    kpi = logged_in.find_element(By.ID, "funding-kpi-funders")
    assert normalise(kpi.text) == "3 900 000 kr"  # Botniabanan's funders in 2006
    logged_in.refresh()
    wait_for_page(logged_in, "Finansiering")
    assert Select(logged_in.find_element(By.ID, "funding-from-select")).first_selected_option.text == "2006"
    assert normalise(logged_in.find_element(By.ID, "funding-kpi-funders").text) == "3 900 000 kr"


@pytest.mark.parametrize("search", ["", VANNAS], ids=["alla-sju", "vannas"])
def test_finansiering_has_no_axe_violations(logged_in, live_server, axe_source, search):
    open_funding(logged_in, live_server, search)
    wait_for_rows(logged_in, [BOTNIA, "Stad och Land", TURK] if search else ALL_EIGHT)
    for details in logged_in.find_elements(By.CSS_SELECTOR, "#shell-page details"):
        logged_in.execute_script("arguments[0].open = true;", details)  # the tables behind "Visa som tabell" too

    violations = axe_violations(logged_in, axe_source)

    assert not violations, f"axe på /finansiering{search}:\n{describe(violations)}"
