"""Uppdrag: the page, its grid's rows (one page at a time from SQL), its URL filters, and the status/note editor.

Every write is decided here and again in data.tasks.update_task, from the logged-in user on the server: what the
layout shows or hides is never what decides.
"""

from __future__ import annotations

import datetime as dt
import time
from urllib.parse import urlencode

from dash import Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate
from flask_login import current_user

from callbacks.routing import Page, params_from_search, search_with
from callbacks.shell import kommun_from_search
from dashboard.database import session_scope
from data.filters import Filter, UnknownMunicipality, parse_filter
from data.models import TASK_STATUSES
from data.tasks import (
    EDIT_ROLES,
    NOT_DONE,
    NOTE_MAX_LENGTH,
    TaskQuery,
    TaskUpdateError,
    edit_refusal,
    task_detail,
    task_owner_names,
    task_rows,
    task_summary,
    update_task,
)
from layouts import ids
from layouts import tasks as ui


def _suffix(kommun: str | None) -> str:
    return search_with("", kommun=kommun)


def _user():
    """(username, role, municipality) of the logged-in user; role None when nobody is logged in."""
    if not getattr(current_user, "is_authenticated", False):
        return None, None, None
    return current_user.username, current_user.role, current_user.municipality


def task_query(params: dict[str, str]) -> TaskQuery:
    status = params.get("status")
    return TaskQuery(
        search=params.get("sok") or None,
        status=status if status in TASK_STATUSES or status == NOT_DONE else None,
        overdue_only=params.get("forsenade") == "1",
        owner=params.get("ansvarig") or None,
    )


def build_tasks(session, flt, params):
    today = dt.date.today()
    _, role, _ = _user()
    csv = "/api/tasks?" + urlencode({"format": "csv", **({"kommun": flt.kommun} if flt.kommun else {})})
    return ui.tasks_page(
        kommun=flt.kommun,
        params={**params, "kommun": flt.kommun},
        summary=task_summary(session, flt, today=today),
        statuses=TASK_STATUSES,
        owners=task_owner_names(session, flt),
        can_edit=role in EDIT_ROLES,
        csv_href=csv,
        clear_href="/uppdrag" + _suffix(flt.kommun),
    )


PAGES = [Page("/uppdrag", build_tasks)]


def _filter_from(session, search: str | None) -> Filter:
    try:
        return parse_filter(session, kommun_from_search(search))
    except UnknownMunicipality:
        return Filter()


def grid_rows(request: dict | None, search: str | None) -> dict:
    """The rows the grid asked for (startRow…endRow, its sort and column filters) under the URL's filters."""
    if not request or not isinstance(request, dict):
        raise PreventUpdate
    params = params_from_search(search)
    with session_scope() as s:
        flt = _filter_from(s, search)
        page = task_rows(
            s,
            flt,
            task_query(params),
            start=request.get("startRow", 0),
            end=request.get("endRow", 25),
            sort_model=request.get("sortModel"),
            filter_model=request.get("filterModel"),
            today=dt.date.today(),
        )
    suffix = _suffix(flt.kommun)
    return {"rowData": [ui.grid_row(t, suffix) for t in page["rows"]], "rowCount": page["total"]}


def update_filters(sok: str | None, status: str | None, ansvarig: str | None, forsenade: bool | None, search):
    """Search box, status, owner and overdue → the URL (the router then redraws the page with them)."""
    new = search_with(
        search,
        sok=(sok or "").strip() or None,
        status=None if status in (None, ui.ALL) else status,
        ansvarig=None if ansvarig in (None, ui.ALL) else ansvarig,
        forsenade="1" if forsenade else None,
    )
    return new if new != (search or "") else no_update


def chosen_task_id(cell_clicked, selected_rows, trigger: str | None) -> int | None:
    """The task a person chose: the row clicked (every click, even on the row already chosen), or the row selected
    with the keyboard (space)."""
    if trigger == "cellClicked":
        value = cell_clicked.get("rowId") if isinstance(cell_clicked, dict) else None
    elif isinstance(selected_rows, list) and selected_rows and isinstance(selected_rows[0], dict):
        value = selected_rows[0].get("id")
    else:
        value = None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _dialog(session, task_id: int, suffix: str):
    _, role, municipality = _user()
    detail = task_detail(session, task_id, today=dt.date.today())
    refusal = edit_refusal(session, task_id, role=role, user_municipality=municipality)
    body = ui.task_dialog(
        detail,
        suffix=suffix,
        statuses=TASK_STATUSES,
        note_max=NOTE_MAX_LENGTH,
        may_edit=refusal is None,
        refusal=refusal,
    )
    return detail, body


def open_task(cell_clicked, selected_rows, search, trigger: str | None):
    """A row chosen in the grid → the dialog with that task (and the form, if this user may change it)."""
    task_id = chosen_task_id(cell_clicked, selected_rows, trigger)
    if task_id is None:
        raise PreventUpdate
    with session_scope() as s:
        detail, body = _dialog(s, task_id, _suffix(_filter_from(s, search).kommun))
    title = f"Uppdrag nr {task_id}" if detail else "Uppdraget finns inte"
    return True, title, body, task_id


def close_task(n_clicks):
    if not n_clicks:
        raise PreventUpdate
    return False


def _refused(text: str) -> tuple:
    return ui.message(text, ok=False), no_update, no_update, no_update, no_update, no_update


def save_task(n_clicks, task_id, status, note, search):
    """Save a new status and/or a follow-up note, if the logged-in user may; say what happened in Swedish."""
    if not n_clicks:
        raise PreventUpdate
    username, role, municipality = _user()
    if role not in EDIT_ROLES:
        return _refused("Du har inte behörighet att ändra uppdrag.")
    try:
        task_id = int(task_id)
    except (TypeError, ValueError):
        return _refused("Välj ett uppdrag att ändra.")
    today = dt.date.today()
    try:
        with session_scope() as s:
            detail = update_task(
                s,
                task_id,
                status=status,
                note=note,
                username=username,
                role=role,
                user_municipality=municipality,
                today=today,
            )
    except TaskUpdateError as exc:
        return _refused(str(exc))
    with session_scope() as s:
        flt = _filter_from(s, search)
        summary = ui.summary_text(task_summary(s, flt, today=today), flt.kommun)
    suffix = _suffix(flt.kommun)
    said = f"Sparat: status {detail['status']}" + (" och en uppföljningsnotering." if (note or "").strip() else ".")
    return (
        ui.message(said, ok=True),
        ui.task_details(detail, suffix),
        ui.task_history(detail["history"]),
        "",
        time.time(),
        summary,
    )


# The grid keeps its own cache of rows: after a save, or when the page's filters change, it is told to fetch again.
REFRESH_GRID = """
function(saved, query) {
    try {
        const api = dash_ag_grid.getApi('GRID_ID');
        if (api) { api.refreshInfiniteCache(); }
    } catch (e) { /* the grid is not drawn yet: it will fetch its rows when it is */ }
    return window.dash_clientside.no_update;
}
""".replace("GRID_ID", ui.GRID)


def _triggered_prop() -> str | None:
    """The property that fired the running callback ("cellClicked", "selectedRows", …)."""
    prop_ids = list(ctx.triggered_prop_ids)
    return prop_ids[0].rsplit(".", 1)[-1] if prop_ids else None


def register(app) -> None:
    app.callback(
        Output(ui.GRID, "getRowsResponse"),
        Input(ui.GRID, "getRowsRequest"),
        State(ids.URL, "search"),
    )(grid_rows)
    app.callback(
        Output(ids.URL, "search", allow_duplicate=True),
        Input(ui.SEARCH, "value"),
        Input(ui.STATUS_FILTER, "value"),
        Input(ui.OWNER_FILTER, "value"),
        Input(ui.OVERDUE_FILTER, "value"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )(update_filters)
    app.callback(
        Output(ui.MODAL, "is_open"),
        Output(ui.MODAL_TITLE, "children"),
        Output(ui.MODAL_BODY, "children"),
        Output(ui.SELECTED, "data"),
        Input(ui.GRID, "cellClicked"),
        Input(ui.GRID, "selectedRows"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )(lambda cell, rows, search: open_task(cell, rows, search, _triggered_prop()))
    app.callback(
        Output(ui.MODAL, "is_open", allow_duplicate=True),
        Input(ui.CLOSE, "n_clicks"),
        prevent_initial_call=True,
    )(close_task)
    app.callback(
        Output(ui.EDIT_MESSAGE, "children"),
        Output(ui.DETAILS, "children"),
        Output(ui.HISTORY, "children"),
        Output(ui.EDIT_NOTE, "value"),
        Output(ui.SAVED, "data"),
        Output(ui.SUMMARY, "children"),
        Input(ui.EDIT_SAVE, "n_clicks"),
        State(ui.SELECTED, "data"),
        State(ui.EDIT_STATUS, "value"),
        State(ui.EDIT_NOTE, "value"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )(save_task)
    app.clientside_callback(
        REFRESH_GRID,
        Output(ui.REFRESHED, "data"),
        Input(ui.SAVED, "data"),
        Input(ui.QUERY, "data"),
    )
