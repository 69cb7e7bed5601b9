"""Verksamhetsplan: the router draws the chosen year's plan; the year select writes `?ar=` to the URL."""

from __future__ import annotations

from dash import Input, Output, State, no_update

from callbacks.routing import Page, search_with, url_number
from data.plan import plan_for_year, plan_years
from layouts import ids
from layouts.plan import RENDERED, SCROLLED, YEAR_SELECT, plan_page


def requested_year(params: dict[str, str]) -> int | None:
    """The URL's `ar` as a year, or None when absent or not a number."""
    return url_number(params.get("ar"))


def build_plan(session, flt, params):
    plan = plan_for_year(session, requested_year(params), flt, expanded_focus_area=url_number(params.get("alla")))
    return plan_page(plan, plan_years(session), flt.kommun, params.get("ar"))


def choose_year(year: str | None, search: str | None, shown: dict | None = None):
    """The URL's query with `ar` set to the chosen year (the municipality filter kept).

    Nothing changes when the select only reports the year the page already shows (it does so when it is drawn).
    """
    if not year or (shown and shown.get("year") == year):
        return no_update
    new = search_with(search, ar=year)
    return new if new != (search or "") else no_update


# After the page is drawn, bring the focus area named by the URL's #fragment into view and focus it: the browser's
# own jump happens before Dash has drawn the page, and dcc.Link scrolls to the top. (Bootstrap scrolls smoothly.)
SCROLL_TO_FRAGMENT = """
function(_rendered, hash) {
    const id = decodeURIComponent((hash || window.location.hash || '').replace(/^#/, ''));
    const target = id && document.getElementById(id);
    if (target) {
        target.scrollIntoView();
        target.focus({preventScroll: true});
    }
    return window.dash_clientside.no_update;
}
"""

PAGES = [Page("/verksamhetsplan", build_plan)]


def register(app) -> None:
    app.callback(
        Output(ids.URL, "search", allow_duplicate=True),
        Input(YEAR_SELECT, "value"),
        State(ids.URL, "search"),
        State(RENDERED, "data"),
        prevent_initial_call=True,
    )(choose_year)
    app.clientside_callback(
        SCROLL_TO_FRAGMENT,
        Output(SCROLLED, "data"),
        Input(RENDERED, "data"),
        State(ids.URL, "hash"),
    )
