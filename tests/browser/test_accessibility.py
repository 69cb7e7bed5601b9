"""axe-core (WCAG 2.0 A/AA and 2.1 AA rules) on the login page and on every dashboard page, drawn in Chromium.

A page is scanned only once its heading is drawn and Dash has no callback left, so the scan sees what a person sees.
Any violation fails: the message lists each rule with its impact and the first element it found.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from tests.browser.conftest import open_logged_in, project_id, wait

RULESETS = ["wcag2a", "wcag2aa", "wcag21aa"]
BOTNIABANAN = "Botniabanan som tillväxtfaktor"
PAGES = [
    ("/", "Översikt"),
    ("/?kommun=V%C3%A4nn%C3%A4s", "Översikt"),
    ("/?kommun=Stockholm", "Översikt"),
    ("/verksamhetsplan", "Umeåregionens verksamhetsplan 2005"),
    ("/projekt", "Projekt"),
    ("/projekt/{botniabanan}", BOTNIABANAN),
    ("/finansiering", "Finansiering"),
    ("/uppdrag", "Uppdrag"),
    ("/moten", "Möten"),
    ("/uppfoljning", "Uppföljning inför mötet 2019-08-22"),
    ("/forandringar", "Sedan förra mötet"),
    ("/ladda-upp", "Ladda upp"),
]

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


def test_the_login_page_has_no_axe_violations(live_server, browser, axe_source):
    browser.get(live_server + "/login")
    browser.delete_all_cookies()
    browser.get(live_server + "/login")
    wait(browser).until(EC.visibility_of_element_located((By.NAME, "password")))

    violations = axe_violations(browser, axe_source)

    assert not violations, f"axe på /login:\n{describe(violations)}"


@pytest.mark.parametrize(("path", "heading"), PAGES, ids=[p for p, _ in PAGES])
def test_every_page_has_no_axe_violations(browser, live_server, axe_source, path, heading):
    if "{botniabanan}" in path:
        open_logged_in(browser, live_server, "/projekt", "Projekt")
        path = path.format(botniabanan=project_id(browser, BOTNIABANAN))
    open_logged_in(browser, live_server, path, heading)

    violations = axe_violations(browser, axe_source)

    assert not violations, f"axe på {path}:\n{describe(violations)}"
