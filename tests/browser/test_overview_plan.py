"""Översikt and Verksamhetsplan in headless Chromium: the figures and focus-area tiles a person reads, the tile that
leads to its section of the plan, the year select, the municipality filter, and axe-core on both pages.

The server here has its own database: the seed plus a small plan for 2004, so that the year select has a choice
(2005 stays the latest, so the overview still shows the seeded plan).
"""

from __future__ import annotations

import datetime as dt
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select
from werkzeug.serving import make_server

from data.db import make_engine, make_session_factory, session_scope
from data.models import Activity, FocusArea, Plan
from tests.browser.conftest import (
    AXE,
    normalise,
    open_logged_in,
    severe_console_messages,
    submit_login,
    wait,
    wait_for_dash_idle,
    wait_for_page,
    wait_for_text,
)
from tests.conftest import PASSWORDS

PLAN_2005 = "Umeåregionens verksamhetsplan 2005"
PLAN_2004 = "Umeåregionens verksamhetsplan 2004"
FOCUS_AREAS_2005 = [
    "Närings- och utveckling",
    "Förnyelse av offentlig verksamhet",
    "Infrastruktur",
    "Kultur och kompetensutveckling",
    "Den hållbara Umeåregionen",
    "Internationalisering",
    "Omvärldsanalys",
]
VANNAS = "Vännäs"
VANNAS_Q = "kommun=V%C3%A4nn%C3%A4s"
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


@pytest.fixture(scope="module")
def live_server(databases):
    """The app over HTTP on a fresh seeded database that also holds a 2004 plan (overrides the folder's server)."""
    from dashboard import create_app
    from dashboard.config import TestConfig

    url = databases.fresh()
    engine = make_engine(url)
    with session_scope(make_session_factory(engine)) as s:
        area = FocusArea(name="Regional utveckling", position=0)
        area.activities = [
            Activity(title="Regional tillväxtstrategi", status="klar", responsible="Kansliet", position=0),
            Activity(title="Gemensam turistbyrå", status="pågår", due_text="under hösten", position=1),
        ]
        s.add(
            Plan(
                year=2004,
                title=PLAN_2004,
                adopted_on=dt.date(2003, 12, 5),
                adopted_by="Regionrådet",
                focus_areas=[area],
            )
        )
    engine.dispose()
    app = create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}, "DATABASE_URL": url})
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server-overview-plan", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.server.extensions["engine"].dispose()


def ensure_logged_in(driver, base_url: str) -> None:
    """Log in as admin unless the browser's session is still valid.

    Tried up to three times: Chromium's favicon request races the login page for the session's CSRF token (both
    start a session at once), and the losing form is refused with 400.
    """
    driver.get(base_url + "/")
    wait(driver).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#shell-page h1") or d.find_elements(By.NAME, "password")
    )
    for attempt in range(3):
        if not driver.find_elements(By.NAME, "password"):
            return
        submit_login(driver, base_url, "admin", PASSWORDS["admin"])
        try:
            wait(driver, 10).until(lambda d: d.find_elements(By.ID, "overview-projects"))
        except TimeoutException:
            if attempt == 2:
                raise
            driver.get(base_url + "/login")


@pytest.fixture
def page(live_server, browser):
    """A function that opens a path as a logged-in admin and waits for its heading."""

    def _open(path: str, heading: str):
        ensure_logged_in(browser, live_server)
        open_logged_in(browser, live_server, path, heading)
        return browser

    severe_console_messages(browser)  # start with an empty console log
    return _open


def query(driver) -> dict[str, list[str]]:
    return parse_qs(urlsplit(driver.current_url).query)


def text(driver, css: str) -> str:
    return normalise(driver.find_element(By.CSS_SELECTOR, css).text)


def tiles(driver) -> dict[str, str]:
    """Each focus-area tile's heading → the rest of its text."""
    result = {}
    for card in driver.find_elements(By.CSS_SELECTOR, "#overview-focus-areas .card"):
        name = normalise(card.find_element(By.TAG_NAME, "h3").text)
        result[name] = normalise(card.text)
    return result


def plan_headings(driver) -> list[str]:
    return [normalise(h.text) for h in driver.find_elements(By.CSS_SELECTOR, "#plan-focus-areas h2")]


def project_links(driver) -> list[str]:
    return [normalise(a.text) for a in driver.find_elements(By.CSS_SELECTOR, "#plan-focus-areas a[href^='/projekt/']")]


def click(driver, element) -> None:
    """Click `element` after scrolling it to the middle of the window at once (Bootstrap's smooth scrolling would
    still be moving when WebDriver clicks)."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element)
    element.click()


def test_the_overview_shows_the_figures_and_a_tile_per_focus_area(page):
    browser = page("/", "Översikt")

    for element_id, expected in {
        "overview-projects": "8",
        "overview-active-projects": "6",
        "overview-budget": "71 056 000 kr",
        "overview-open-tasks": "15",
        "overview-overdue-tasks": "5",
    }.items():
        wait_for_text(browser, f"#{element_id}", expected)
    found = tiles(browser)
    assert list(found) == FOCUS_AREAS_2005
    assert "Pågår" in found["Närings- och utveckling"]
    assert "Aktiviteter: 4 av 5 aktiviteter pågår, 1 planerad" in found["Närings- och utveckling"]
    assert "Planerad" in found["Omvärldsanalys"]
    # What needs attention and what changed come right after the figures, each with its counts in words.
    signals = text(browser, "#overview-signals")
    assert signals.startswith("Att uppmärksamma (")
    assert "Uppdrag efter utsatt tid (5)" in signals
    assert "Botniabanan som tillväxtfaktor: Finansiärerna summerar till 3 900 000 kr/år" in signals
    changes = text(browser, "#overview-changes")
    assert changes.startswith("Sedan förra mötet Förändringar sedan kommunchefsmötet 2019-08-22.")
    assert "Uppdrag som blivit försenade 5" in changes
    headings = [normalise(h.text) for h in browser.find_elements(By.CSS_SELECTOR, "#shell-page h2")]
    assert headings.index(normalise(signals.split(")")[0] + ")")) < headings.index("Sedan förra mötet")
    assert headings.index("Sedan förra mötet") < headings.index("Insatsområden i verksamhetsplan 2005")
    deadlines = text(browser, "#overview-deadlines")
    assert deadlines.count("Försenat") == 5
    meeting = text(browser, "#overview-latest-meeting")
    assert "22 augusti 2019" in meeting and "Kommunchefsmöte" in meeting
    assert browser.find_element(By.LINK_TEXT, "Till mötet 2019-08-22").get_attribute("href").split("/")[-2] == "moten"
    assert severe_console_messages(browser) == []


def test_the_changes_and_the_signals_lead_to_the_changes_page_for_the_same_municipality(page):
    browser = page("/?" + VANNAS_Q, "Översikt")
    assert "Uppdrag och projekt som berör Vännäs" in text(browser, "#overview-signals")

    click(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Uppdrag som blivit försenade"))

    wait_for_page(browser, "Sedan förra mötet")
    assert urlsplit(browser.current_url).path == "/forandringar"
    assert query(browser)["kommun"] == [VANNAS]

    browser = page("/?" + VANNAS_Q, "Översikt")
    signals = browser.find_element(By.ID, "overview-signals")
    click(browser, signals.find_element(By.LINK_TEXT, "Botniabanan som tillväxtfaktor"))

    wait_for_page(browser, "Botniabanan som tillväxtfaktor")
    assert urlsplit(browser.current_url).path.startswith("/projekt/")
    assert query(browser) == {"kommun": [VANNAS]}


def test_a_tile_leads_to_its_focus_area_on_the_plan_page(page):
    browser = page("/?" + VANNAS_Q, "Översikt")

    click(browser, browser.find_element(By.LINK_TEXT, "Omvärldsanalys"))

    wait_for_page(browser, PLAN_2005)
    parts = urlsplit(browser.current_url)
    assert (parts.path, parts.fragment) == ("/verksamhetsplan", "insatsomrade-omvarldsanalys")
    assert query(browser) == {"kommun": [VANNAS]}
    wait(browser).until(
        lambda d: d.execute_script("return document.activeElement.id") == "insatsomrade-omvarldsanalys",
        "the focus area's section never got the focus",
    )
    # Bootstrap scrolls smoothly: wait for the section (the last one: the page may end below it) to come into view.
    wait(browser).until(
        lambda d: d.execute_script(
            "const r = document.getElementById('insatsomrade-omvarldsanalys').getBoundingClientRect();"
            "return window.scrollY > 0 && r.top > -2 && r.bottom <= window.innerHeight + 2;"
        ),
        "the focus area's section was never scrolled into view",
    )


def test_the_plan_page_lists_the_focus_areas_and_the_year_select_changes_the_plan(page, live_server):
    browser = page("/verksamhetsplan?" + VANNAS_Q, PLAN_2005)
    assert plan_headings(browser) == FOCUS_AREAS_2005
    select = Select(browser.find_element(By.ID, "plan-year-select"))
    # dbc.Select adds a hidden, empty placeholder option of its own.
    assert [o.text for o in select.options if o.get_attribute("value")] == ["2005", "2004"]
    assert select.first_selected_option.text == "2005"

    select.select_by_visible_text("2004")

    wait_for_page(browser, PLAN_2004)
    assert query(browser) == {"kommun": [VANNAS], "ar": ["2004"]}
    assert plan_headings(browser) == ["Regional utveckling"]
    assert "1 av 2 klara/avslutade" in text(browser, "#plan-focus-areas")

    browser.refresh()  # the year lives in the URL: a reload or a shared link shows the same plan
    wait_for_page(browser, PLAN_2004)
    assert Select(browser.find_element(By.ID, "plan-year-select")).first_selected_option.text == "2004"

    page("/verksamhetsplan?ar=2005", PLAN_2005)
    assert plan_headings(browser) == FOCUS_AREAS_2005
    assert severe_console_messages(browser) == []


def test_the_municipality_filter_narrows_the_projects_but_not_the_activities(page):
    browser = page("/verksamhetsplan", PLAN_2005)
    assert len(project_links(browser)) == 8
    activities = len(browser.find_elements(By.CSS_SELECTOR, "#plan-focus-areas details"))
    assert activities == 23

    browser = page("/verksamhetsplan?" + VANNAS_Q, PLAN_2005)

    assert project_links(browser) == [
        "Botniabanan som tillväxtfaktor",
        "Stad och Land",
        "Tillväxt i Umeåregionens kranskommuner (TURK)",
    ]
    assert len(browser.find_elements(By.CSS_SELECTOR, "#plan-focus-areas details")) == activities
    assert "Aktiviteterna gäller hela regionen och visas alltid alla." in text(browser, "#shell-page")
    link = browser.find_element(By.LINK_TEXT, "Stad och Land").get_attribute("href")
    assert urlsplit(link).path.startswith("/projekt/") and parse_qs(urlsplit(link).query) == {"kommun": [VANNAS]}

    browser = page("/?" + VANNAS_Q, "Översikt")
    wait_for_text(browser, "#overview-projects", "3")
    wait_for_text(browser, "#overview-active-projects", "1")
    assert "Projekt som berör Vännäs: 1 av 3 projekt pågår, 2 planerade" in tiles(browser)["Närings- och utveckling"]


def test_an_activity_opens_its_details_from_the_keyboard(page):
    browser = page("/verksamhetsplan", PLAN_2005)
    details = browser.find_element(By.XPATH, "//details[summary[contains(., 'E-kultur')]]")
    assert details.get_attribute("open") is None
    summary = details.find_element(By.TAG_NAME, "summary")

    browser.execute_script("arguments[0].focus()", summary)
    summary.send_keys(Keys.ENTER)

    wait(browser).until(lambda d: details.get_attribute("open") is not None, "the details never opened")
    body = normalise(details.text)
    assert "Ansvarig IT-Västerbotten" in body
    assert "”under april 2005” (som det står i planen), tolkat som 2005-04-30" in body
    assert "Osäkert i källan:" in body


def axe_violations(driver) -> list[dict]:
    if not driver.execute_script("return typeof window.axe === 'object';"):
        driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(RUN_AXE, RULESETS)
    assert not isinstance(result, dict), f"axe kunde inte köras: {result}"
    return result


AXE_PAGES = [
    ("/", "Översikt"),
    ("/?" + VANNAS_Q, "Översikt"),
    ("/verksamhetsplan", PLAN_2005),
    ("/verksamhetsplan?" + VANNAS_Q, PLAN_2005),
    ("/verksamhetsplan?ar=2004", PLAN_2004),
]


@pytest.mark.parametrize(("path", "heading"), AXE_PAGES, ids=[p for p, _ in AXE_PAGES])
def test_no_axe_violations_with_every_disclosure_open(page, path, heading):
    if not AXE.exists():
        pytest.fail(f"Saknas: {AXE}. Kör `npm ci` för att installera axe-core.", pytrace=False)
    browser = page(path, heading)
    # Open every <details> (activities, "Visa som tabell") so that their contents are scanned too.
    browser.execute_script("document.querySelectorAll('#shell-page details').forEach(d => d.open = true);")
    wait_for_dash_idle(browser)

    violations = axe_violations(browser)

    assert not violations, f"axe på {path}:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}, {v['count']}): {v['help']} — {v['target']} {v['html']}" for v in violations
    )
