"""Projekt: the timeline with its filters and table, and each project's page."""

from __future__ import annotations

import datetime as dt

from dash import Input, Output, State, no_update

from callbacks.routing import Page, params_from_search, search_with, url_number
from callbacks.shell import kommun_from_search
from dashboard.database import session_scope
from data.filters import Filter, UnknownMunicipality, parse_filter
from data.projects import get_project, project_history
from data.timeline import (
    page_number,
    project_table_rows,
    timeline_filter_from_params,
    timeline_options,
    timeline_page,
)
from layouts import ids
from layouts.projects import (
    ALL,
    FILTER_PARAMS,
    FILTERS,
    GRID,
    TIMELINE_GRAPH,
    grid_rows,
    project_detail_page,
    projects_page,
)


def build_projects(session, flt, params, *, today: dt.date | None = None):
    """The Projekt page under the URL's filters and page (`insatsomrade`, `status`, `fran`, `till`, `sida`)."""
    tf, problems = timeline_filter_from_params(params)
    options = timeline_options(session, today=today)
    if tf.focus_area and tf.focus_area not in options["focus_areas"]:
        problems.append(f"Okänt insatsområde ”{tf.focus_area}”: inga projekt hör dit.")
    data = timeline_page(session, flt, tf, page=page_number(params), today=today)
    return projects_page(data, options, params, flt.kommun, problems)


def build_project(session, flt, params):
    """One project's page; the back link returns to the timeline as it was (filters, page and municipality)."""
    pid = url_number(params["project_id"])  # None: too large to be any project's id
    back = {k: v for k, v in params.items() if k != "project_id"}
    back_href = "/projekt" + search_with("", **back)
    project = get_project(session, pid) if pid is not None else None
    history = project_history(session, pid) if project is not None else []
    return project_detail_page(project, history, project_id=params["project_id"], back_href=back_href)


PAGES = [Page("/projekt", build_projects), Page(r"/projekt/(?P<project_id>\d+)", build_project)]


def apply_filters(focus_area, status, from_year, to_year, search):
    """A changed filter goes into the URL (and back to the first page); the router then redraws the page."""
    values = {
        key: None if value in (None, "", ALL) else value
        for key, value in zip(FILTER_PARAMS, (focus_area, status, from_year, to_year), strict=True)
    }
    new = search_with(search, **values, sida=None)
    return new if new != (search or "") else no_update


def open_clicked_project(click_data):
    """A click on a project's bar (or one of its phases) opens its page; the query string (filters) stays."""
    points = (click_data or {}).get("points") or []
    project_id = points[0].get("customdata") if points else None
    if isinstance(project_id, list):
        project_id = project_id[0] if project_id else None
    if project_id is None:
        return no_update
    return f"/projekt/{int(project_id)}"


def _filter_of(session, search: str | None) -> Filter:
    try:
        return parse_filter(session, kommun_from_search(search))
    except UnknownMunicipality:
        return Filter()


def load_grid_rows(request, search):
    """One block of the table's rows, sorted as the grid asks, under the URL's municipality and filters."""
    if not request or not isinstance(request, dict):
        return no_update
    params = params_from_search(search)
    tf, _ = timeline_filter_from_params(params)
    with session_scope() as s:
        flt = _filter_of(s, search)
        rows, total = project_table_rows(
            s,
            flt,
            tf,
            start=request.get("startRow") or 0,
            end=request.get("endRow") or 100,
            sort=request.get("sortModel") or [],
        )
    return {"rowData": grid_rows(rows, params.get("kommun")), "rowCount": total}


def register(app) -> None:
    app.callback(
        Output(ids.URL, "search", allow_duplicate=True),
        *[Input(f, "value") for f in FILTERS],
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )(apply_filters)
    app.callback(
        Output(ids.URL, "pathname", allow_duplicate=True),
        Input(TIMELINE_GRAPH, "clickData"),
        prevent_initial_call=True,
    )(open_clicked_project)
    app.callback(
        Output(GRID, "getRowsResponse"),
        Input(GRID, "getRowsRequest"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )(load_grid_rows)
