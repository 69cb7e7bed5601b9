"""Routing: the URL's path and query decide which page is drawn, from a fresh query each time."""

from __future__ import annotations

from dash import Input, Output

from callbacks import changes, followup, funding, meetings, overview, plan, presentation, projects, tasks, upload
from callbacks.routing import Page, params_from_search
from callbacks.shell import kommun_from_search
from dashboard.database import session_scope
from data.filters import Filter, UnknownMunicipality, parse_filter
from layouts import ids
from layouts.components import filter_notice
from layouts.upload import not_found_page

PAGE_MODULES = [overview, plan, projects, funding, tasks, meetings, followup, changes, upload, presentation]
ROUTES: list[Page] = [page for module in PAGE_MODULES for page in module.PAGES]


def match(pathname: str) -> tuple[Page, dict[str, str]] | tuple[None, dict]:
    for page in ROUTES:
        found = page.regex.match(pathname)
        if found:
            return page, found.groupdict()
    return None, {}


def render_page(pathname: str | None, search: str | None):
    """The page for `pathname` under the URL's filter; a notice if the municipality was not understood; the
    shell's class (presentation mode hides the navigation)."""
    pathname = (pathname or "/").rstrip("/") or "/"
    page, groups = match(pathname)
    if page is None:
        return not_found_page(pathname), None, ""
    alert = None
    with session_scope() as s:
        try:
            flt = parse_filter(s, kommun_from_search(search))
        except UnknownMunicipality as exc:
            flt = Filter()
            alert = filter_notice(str(exc))
        return page.build(s, flt, {**params_from_search(search), **groups}), alert, page.shell_class


def register(app) -> None:
    app.callback(
        Output(ids.PAGE, "children"),
        Output(ids.FILTER_ALERT, "children"),
        Output(ids.SHELL, "className"),
        Input(ids.URL, "pathname"),
        Input(ids.URL, "search"),
    )(render_page)
    for module in PAGE_MODULES:
        module.register(app)
