"""The frame: the municipality filter lives in the URL (?kommun=NAME), and every nav link keeps it."""

from __future__ import annotations

from collections.abc import Callable

from dash import Input, Output, ctx, no_update

from callbacks.routing import params_from_search, search_with
from dashboard.database import session_scope
from data.filters import canonical_municipality
from layouts import ids
from layouts.shell import ALL, EXPORT_BASE, EXPORT_PARAMS, NAV_ITEMS


def kommun_from_search(search: str | None) -> str | None:
    kommun = params_from_search(search).get("kommun")
    return kommun if kommun != ALL else None


def search_with_kommun(search: str | None, kommun: str | None) -> str:
    return search_with(search, kommun=None if kommun == ALL else kommun)


def canonical_kommun(name: str) -> str | None:
    """The municipality's own name for any spelling the filter accepts ("Umea" → "Umeå"); None if unknown."""
    with session_scope() as s:
        return canonical_municipality(s, name)


def sync_kommun(search: str | None, selected: str | None, trigger: str | None, canonical: Callable[[str], str | None]):
    """Select → URL when the person picks a municipality; URL → select when a page is opened or shared."""
    if trigger == ids.KOMMUN_SELECT:
        new = search_with_kommun(search, selected)
        return (new if new != (search or "") else no_update), no_update
    kommun = kommun_from_search(search)
    return no_update, (canonical(kommun) or ALL) if kommun else ALL


def update_nav_links(search: str | None) -> list[str]:
    kommun = kommun_from_search(search)
    suffix = search_with_kommun("", kommun)
    return [path + suffix for path, _ in NAV_ITEMS]


def export_hrefs(search: str | None) -> tuple[str, str]:
    """The meeting pack's links for the URL's filter (municipality, focus area, plan year, comparison date)."""
    params = params_from_search(search)
    query = search_with("", **{key: params.get(key) for key in EXPORT_PARAMS})
    if params.get("kommun") == ALL:
        query = search_with(query, kommun=None)
    return f"{EXPORT_BASE}.pptx{query}", f"{EXPORT_BASE}.xlsx{query}"


def register(app) -> None:
    app.callback(
        Output(ids.URL, "search"),
        Output(ids.KOMMUN_SELECT, "value"),
        Input(ids.URL, "search"),
        Input(ids.KOMMUN_SELECT, "value"),
    )(lambda search, selected: sync_kommun(search, selected, ctx.triggered_id, canonical_kommun))
    app.callback(
        [Output(ids.nav_link(path), "href") for path, _ in NAV_ITEMS],
        Input(ids.URL, "search"),
    )(update_nav_links)
    app.callback(
        Output(ids.EXPORT_PPTX, "href"),
        Output(ids.EXPORT_XLSX, "href"),
        Input(ids.URL, "search"),
    )(export_hrefs)
