"""Presentation mode in Chromium at 1920×1080, as a presenter uses it on a shared screen: full screen in large type,
buttons and arrow keys, the slide in the URL, the municipality switched on the slide, automatic advance, and axe."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from tests.browser.conftest import normalise, open_logged_in, wait, wait_for_dash_idle, wait_for_text

VANNAS = "kommun=V%C3%A4nn%C3%A4s"
TITLES = {
    1: "Översikt",
    2: "Närings- och utveckling",
    3: "Förnyelse av offentlig verksamhet",
    9: "Projektens tidslinje",
    10: "Finansiering",
    11: "Öppna uppdrag",
}

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa']})
  .then(result => done(result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
      target: v.nodes.length ? v.nodes[0].target.join(' ') : '',
  }))))
  .catch(error => done({axe_error: String(error)}));
"""

INTERVAL_DISABLED = """
const state = window.store.getState();
let node = state.layout;
for (const key of state.paths.strs['presentation-interval']) node = node[key];
return node.props.disabled;
"""


def title(driver) -> str:
    return normalise(driver.find_element(By.ID, "presentation-slide-title").text)


def wait_for_slide(driver, number: int, heading: str, total: int = 11) -> None:
    """Wait until slide `number` is drawn, named in the position line and in the URL, and Dash has settled."""
    wait_for_text(driver, "#presentation-position", f"Bild {number} av {total}: {heading}")
    wait_for_text(driver, "#presentation-slide-title", heading)
    wait(driver).until(lambda d: f"bild={number}" in d.current_url or (number == 1 and "bild=" not in d.current_url))
    wait_for_dash_idle(driver)


def press(driver, key) -> None:
    driver.find_element(By.TAG_NAME, "body").send_keys(key)


def px(driver, css: str, prop: str = "fontSize") -> float:
    value = driver.execute_script(f"return getComputedStyle(document.querySelector(arguments[0])).{prop};", css)
    return float(value.removesuffix("px"))


def luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(driver, text_css: str, background_css: str) -> float:
    fg = driver.execute_script("return getComputedStyle(document.querySelector(arguments[0])).color;", text_css)
    bg = driver.execute_script(
        "return getComputedStyle(document.querySelector(arguments[0])).backgroundColor;", background_css
    )
    light, dark = sorted([luminance(fg), luminance(bg)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_presentation_fills_the_screen_in_large_type_without_the_navigation(browser, live_server):
    open_logged_in(browser, live_server, "/presentation", "Översikt")

    assert "presentation-mode" in browser.find_element(By.ID, "shell-root").get_attribute("class")
    assert not browser.find_element(By.CSS_SELECTOR, "#shell-root > header").is_displayed()
    assert not browser.find_elements(By.CSS_SELECTOR, "#shell-nav a")[0].is_displayed()
    assert browser.execute_script("return innerWidth;") == 1920
    assert browser.find_element(By.ID, "presentation-root").size["width"] >= 1900
    assert px(browser, "#presentation-slide") >= 28
    assert px(browser, "#presentation-slide .presentation-tile-note") >= 28
    assert px(browser, "#presentation-position") >= 28
    assert px(browser, "#presentation-slide-title") >= 48
    assert contrast(browser, "#presentation-slide", "#presentation-root") >= 7
    assert contrast(browser, "#presentation-next", "#presentation-next") >= 7
    assert normalise(browser.find_element(By.ID, "presentation-exit").text) == "Avsluta presentation"
    assert "71 056 000 kr" in normalise(browser.find_element(By.ID, "presentation-slide").text)
    # Nothing to edit: the only form control is the municipality select.
    assert [e.get_attribute("id") for e in browser.find_elements(By.CSS_SELECTOR, "#presentation-root input, "
            "#presentation-root select, #presentation-root textarea")] == ["presentation-kommun-select"]  # fmt: skip

    open_logged_in(browser, live_server, "/presentation?bild=2", "Närings- och utveckling")
    assert px(browser, "#presentation-slide h2") >= 48
    assert px(browser, "#presentation-slide .presentation-item") >= 28


def test_buttons_and_arrow_keys_move_between_slides_and_the_url_keeps_the_slide(browser, live_server):
    open_logged_in(browser, live_server, "/presentation", "Översikt")
    wait_for_slide(browser, 1, "Översikt")

    browser.find_element(By.ID, "presentation-next").click()
    wait_for_slide(browser, 2, TITLES[2])
    assert browser.find_element(By.ID, "presentation-announcer").get_attribute("aria-live") == "polite"
    wait_for_text(browser, "#presentation-announcer", "Bild 2 av 11: Närings- och utveckling")

    press(browser, Keys.ARROW_RIGHT)
    wait_for_slide(browser, 3, TITLES[3])
    wait_for_text(browser, "#presentation-announcer", "Bild 3 av 11: Förnyelse av offentlig verksamhet")
    press(browser, Keys.ARROW_LEFT)
    wait_for_slide(browser, 2, TITLES[2])
    press(browser, Keys.PAGE_DOWN)
    wait_for_slide(browser, 3, TITLES[3])
    press(browser, Keys.END)
    wait_for_slide(browser, 11, TITLES[11])
    press(browser, Keys.HOME)
    wait_for_slide(browser, 1, TITLES[1])

    browser.find_element(By.ID, "presentation-prev").click()  # already the first: stays
    wait_for_dash_idle(browser)
    assert title(browser) == "Översikt"

    # A keyboard user on Nästa stays on Nästa while the page is drawn anew.
    browser.find_element(By.ID, "presentation-next").send_keys(Keys.ENTER)
    wait_for_slide(browser, 2, TITLES[2])
    wait(browser).until(lambda d: d.switch_to.active_element.get_attribute("id") == "presentation-next")
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    wait_for_slide(browser, 3, TITLES[3])

    # A reload, or the same link opened elsewhere, shows the same slide.
    browser.refresh()
    wait_for_slide(browser, 3, TITLES[3])


def test_the_arrow_keys_leave_a_form_control_alone(browser, live_server):
    open_logged_in(browser, live_server, "/presentation?bild=3", TITLES[3])
    browser.execute_script(
        "const select = document.getElementById('presentation-kommun-select'); select.focus();"
        "select.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true, cancelable: true}));"
    )
    wait_for_dash_idle(browser)
    assert "bild=3" in browser.current_url and title(browser) == TITLES[3]
    # The same key outside the select does move.
    browser.execute_script(
        "document.body.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}));"
    )
    wait_for_slide(browser, 4, "Infrastruktur")


def test_the_presenter_switches_municipality_on_the_slide(browser, live_server):
    open_logged_in(browser, live_server, "/presentation?bild=11", TITLES[11])
    wait_for_text(browser, "#presentation-slide .presentation-summary", "15 öppna uppdrag, varav 5 försenade. Här de 5 "
                  "med datum närmast idag.")  # fmt: skip

    Select(browser.find_element(By.ID, "presentation-kommun-select")).select_by_visible_text("Vännäs")
    wait_for_text(browser, "#presentation-slide .presentation-summary", "1 öppet uppdrag, varav 1 försenat.")
    assert VANNAS in browser.current_url and "bild=11" in browser.current_url
    assert normalise(browser.find_element(By.CSS_SELECTOR, ".presentation-kicker").text) == "Vännäs"
    wait_for_dash_idle(browser)

    press(browser, Keys.ARROW_LEFT)
    wait_for_slide(browser, 10, TITLES[10])
    assert VANNAS in browser.current_url
    slide = normalise(browser.find_element(By.ID, "presentation-slide").get_attribute("textContent"))
    assert "Stad och Land" in slide and "LAPP" not in slide
    assert "ej specificerat 750 000 kr" in slide

    browser.find_element(By.ID, "presentation-exit").click()
    wait(browser).until(lambda d: d.current_url.endswith("/?" + VANNAS))
    wait_for_text(browser, "#shell-page h1", "Översikt")
    assert browser.find_element(By.CSS_SELECTOR, "#shell-root > header").is_displayed()


def test_automatic_advance_starts_and_pauses_with_one_button(browser, live_server):
    open_logged_in(browser, live_server, "/presentation?bild=3", TITLES[3])
    play = browser.find_element(By.ID, "presentation-play")
    assert normalise(play.text) == "▶ Visa automatiskt (20 s per bild)"
    assert browser.execute_script(INTERVAL_DISABLED) is True

    play.click()
    wait_for_text(browser, "#presentation-play", "⏸ Pausa automatisk visning")
    assert "spela=ja" in browser.current_url
    assert browser.execute_script(INTERVAL_DISABLED) is False
    # Twenty seconds later the next slide comes by itself.
    wait(browser, timeout=45).until(lambda d: "bild=4" in d.current_url)
    wait_for_slide(browser, 4, "Infrastruktur")
    wait_for_text(browser, "#presentation-play", "⏸ Pausa automatisk visning")

    browser.find_element(By.ID, "presentation-play").click()
    wait_for_text(browser, "#presentation-play", "▶ Visa automatiskt (20 s per bild)")
    assert "spela" not in browser.current_url
    assert browser.execute_script(INTERVAL_DISABLED) is True
    assert title(browser) == "Infrastruktur"


SCANS = [
    *((f"/presentation?bild={n}", TITLES[n]) for n in (1, 2, 3, 9, 10, 11)),
    *((f"/presentation?bild={n}&{VANNAS}", TITLES[n]) for n in (1, 2, 9, 10, 11)),
]


@pytest.mark.parametrize(("path", "heading"), SCANS, ids=[p for p, _ in SCANS])
def test_slides_have_no_axe_violations(browser, live_server, axe_source, path, heading):
    open_logged_in(browser, live_server, path, heading)
    for summary in browser.find_elements(By.CSS_SELECTOR, "#presentation-slide details summary"):
        summary.click()  # the table beside a chart is scanned too
    if not browser.execute_script("return typeof window.axe === 'object';"):
        browser.execute_script(axe_source)
    violations = browser.execute_async_script(RUN_AXE)
    assert not isinstance(violations, dict), f"axe kunde inte köras: {violations}"
    assert not violations, f"axe på {path}:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}, {v['count']} element): {v['help']}; först {v['target']}" for v in violations
    )


def test_an_unknown_municipality_keeps_its_notice_and_the_url(browser, live_server):
    open_logged_in(browser, live_server, "/presentation?bild=2&kommun=Stockholm", TITLES[2])
    wait_for_dash_idle(browser)
    assert "Okänd kommun" in browser.find_element(By.ID, "shell-filter-alert").text
    assert "kommun=Stockholm" in browser.current_url
    assert Select(browser.find_element(By.ID, "presentation-kommun-select")).first_selected_option.text == (
        "Alla sju kommuner"
    )
