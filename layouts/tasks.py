"""Uppdrag: every assignment from the meetings in a server-paged grid, with search and filters in the URL, and a
dialog that shows one task's history and, for those who may, changes its status with a follow-up note."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts.components import STATUS_ICONS, data_table, page_header, status_badge
from layouts.format import format_number
from layouts.grid import data_grid

GRID = "tasks-grid"
SEARCH = "tasks-search"
STATUS_FILTER = "tasks-status-filter"
OWNER_FILTER = "tasks-owner-filter"
OVERDUE_FILTER = "tasks-overdue-filter"
SUMMARY = "tasks-summary"
QUERY = "tasks-query"  # the page's filters as drawn; a change makes the grid fetch its rows again
SAVED = "tasks-saved"  # set after a save; makes the grid fetch its rows again
REFRESHED = "tasks-refreshed"  # output of the client-side refresh (nothing reads it)
SELECTED = "tasks-selected-id"
MODAL = "tasks-edit-modal"
MODAL_TITLE = "tasks-edit-title"
MODAL_BODY = "tasks-edit-body"
DETAILS = "tasks-edit-details"
EDIT_STATUS = "tasks-edit-status"
EDIT_NOTE = "tasks-edit-note"
EDIT_SAVE = "tasks-edit-save"
EDIT_MESSAGE = "tasks-edit-message"
HISTORY = "tasks-edit-history"
CLOSE = "tasks-edit-close"

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOT_DONE = "ej-klara"
ALL = "alla"
OVERDUE_CLASS = "text-danger-emphasis bg-danger-subtle fw-semibold"
ACTIONS = {"create": "Inläst", "update": "Ändrad", "note": "Notering", "delete": "Borttagen"}

# The infinite row model needs one fixed row height: room for four lines, longer texts end in "…" (the dialog
# shows everything). Inline style because the clamp belongs to this grid alone.
ROW_HEIGHT = 88
_CELL = {
    "autoHeight": False,
    "wrapText": True,
    "cellClass": "lh-sm py-2",
    "cellStyle": {"display": "-webkit-box", "WebkitLineClamp": 4, "WebkitBoxOrient": "vertical", "overflow": "hidden"},
}

COLUMNS = [
    {"field": "id", "headerName": "Nr", "filter": "agNumberColumnFilter", "minWidth": 75, "maxWidth": 80},
    {"field": "text", "headerName": "Uppdrag", "flex": 2.6, "minWidth": 240},
    {"field": "owners", "headerName": "Ansvarig", "flex": 1.2, "minWidth": 150},
    {"field": "municipality", "headerName": "Kommun", "flex": 0.9},
    {
        "field": "due_date",
        "headerName": "Klart senast",
        "filter": "agDateColumnFilter",
        "flex": 1,
        "minWidth": 130,
        "cellClassRules": {OVERDUE_CLASS: "params.data && params.data.overdue"},
    },
    {"field": "due_text", "headerName": "Angivet som", "flex": 1.4, "minWidth": 130},
    {"field": "status", "headerName": "Status", "flex": 0.9, "minWidth": 110},
    {"field": "meeting", "headerName": "Möte", "flex": 1.4, "minWidth": 130, "cellRenderer": "markdown"},
    {"field": "latest_note", "headerName": "Senaste notering", "flex": 1.5, "minWidth": 160},
]
COLUMNS = [{**_CELL, **c} for c in COLUMNS]


def _md(text: str) -> str:
    """Text made safe to put inside a markdown cell (no links, emphasis or HTML of its own)."""
    out = "".join("\\" + ch if ch in "\\`*_{}[]()#+-.!<>|~" else ch for ch in text)
    return " ".join(out.split())


def local_time(iso: str) -> str:
    """'2026-11-23T05:10:00+00:00' → '2026-11-23 06:10' in Swedish time."""
    return dt.datetime.fromisoformat(iso).astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")


def status_text(status: str) -> str:
    return f"{STATUS_ICONS.get(status, '•')} {status}"


def due_label(t: dict) -> str:
    text = t["due_date"] or "inget datum"
    return text + (" – Försenat" if t["overdue"] else "")


def due_words(t: dict) -> str:
    parts = []
    if t["due_text"]:
        parts.append(f"”{t['due_text']}”")
    if t["due_rule"]:
        parts.append(f"(tolkat: {t['due_rule']})")
    return " ".join(parts) or "–"


def meeting_label(t: dict) -> str:
    if not t["meeting_date"]:
        return "–"
    text = f"{t['meeting_date']} {t['meeting_kind']}"
    if t["agenda_item_number"] is not None:
        text += f", punkt {t['agenda_item_number']}: {t['agenda_item_title']}"
    return text


def grid_row(t: dict, suffix: str) -> dict:
    """A task as one grid row: display texts, the meeting as a markdown link that keeps the URL's filter."""
    note = t.get("latest_note")
    meeting = "–"
    if t["meeting_date"]:
        link = f"[{_md(t['meeting_date'])}](/moten/{t['meeting_id']}{suffix})"
        item = (
            f", punkt {t['agenda_item_number']}: {_md(t['agenda_item_title'])}"
            if t["agenda_item_number"] is not None
            else ""
        )
        meeting = link + item
    return {
        "id": t["id"],
        "text": t["text"],
        "owners": ", ".join(t["owners"]) or "ej namngiven",
        "municipality": t["municipality"] or "hela regionen",
        "due_date": due_label(t),
        "due_text": due_words(t),
        "status": status_text(t["status"]),
        "overdue": t["overdue"],
        "meeting": meeting,
        "latest_note": f"{note['text']} ({note['username']}, {local_time(note['at'])[:10]})" if note else "–",
    }


# --- the page -------------------------------------------------------------------------------------------------------


def summary_text(summary: dict, kommun: str | None) -> str:
    where = f" som berör {kommun}" if kommun else ""
    return (
        f"{format_number(summary['total'])} uppdrag{where}, varav {format_number(summary['open'])} öppna "
        f"(öppen eller pågår) och {format_number(summary['overdue'])} försenade."
    )


def _filters(params: dict, statuses: tuple[str, ...], owners: list[str], clear_href: str) -> html.Div:
    status_options = [{"label": "Alla", "value": ALL}, {"label": "Ej klara (öppen eller pågår)", "value": NOT_DONE}] + [
        {"label": s, "value": s} for s in statuses
    ]
    owner = params.get("ansvarig", ALL)
    owner_options = [{"label": "Alla", "value": ALL}] + [{"label": o, "value": o} for o in owners]
    if owner and owner not in owners:
        owner_options.append({"label": owner, "value": owner})
    status = params.get("status", ALL)
    if status not in {o["value"] for o in status_options}:
        status = ALL
    return html.Div(
        dbc.Row(
            [
                dbc.Col(
                    [
                        dbc.Label("Sök bland uppdragen", html_for=SEARCH),
                        dbc.Input(
                            id=SEARCH,
                            type="search",
                            value=params.get("sok", ""),
                            debounce=True,
                            autoComplete="off",
                        ),
                        dbc.FormText(
                            "Text, ansvarig, kommun eller dagordningspunkt. Tryck Enter för att söka.",
                            id="tasks-search-help",
                        ),
                    ],
                    md=4,
                ),
                dbc.Col(
                    [
                        dbc.Label("Status", html_for=STATUS_FILTER),
                        dbc.Select(id=STATUS_FILTER, options=status_options, value=status),
                    ],
                    md=3,
                ),
                dbc.Col(
                    [
                        dbc.Label("Ansvarig", html_for=OWNER_FILTER),
                        dbc.Select(id=OWNER_FILTER, options=owner_options, value=owner),
                    ],
                    md=3,
                ),
                dbc.Col(
                    [
                        dbc.Checkbox(
                            id=OVERDUE_FILTER,
                            label="Bara försenade",
                            value=params.get("forsenade") == "1",
                            class_name="mt-md-4 pt-md-2",
                        ),
                        dcc.Link("Rensa filter", href=clear_href, className="small"),
                    ],
                    md=2,
                ),
            ],
            className="g-3 align-items-start",
        ),
        role="search",
        **{"aria-label": "Sök och filtrera uppdrag"},
        className="mb-3",
    )


def _grid(csv_href: str) -> html.Div:
    """The shared grid, set to choose one row at a time (click, or space on the focused row)."""
    return data_grid(
        GRID,
        COLUMNS,
        label="Uppdrag",
        csv_href=csv_href,
        infinite=True,
        height="70vh",
        grid_options={
            "rowSelection": {"mode": "singleRow", "checkboxes": False, "enableClickSelection": True},
            "rowHeight": ROW_HEIGHT,
        },
    )


def _modal() -> dbc.Modal:
    return dbc.Modal(
        [
            dbc.ModalHeader(html.H2("Uppdrag", id=MODAL_TITLE, className="h4 mb-0"), close_button=False),
            dbc.ModalBody(id=MODAL_BODY),
            dbc.ModalFooter(dbc.Button("Stäng", id=CLOSE, color="secondary")),
        ],
        id=MODAL,
        is_open=False,
        # No fade: the dialog is there at once (and never half-transparent when read or measured).
        fade=False,
        size="lg",
        scrollable=True,
        labelledby=MODAL_TITLE,
    )


def tasks_page(
    *,
    kommun: str | None,
    params: dict,
    summary: dict,
    statuses: tuple[str, ...],
    owners: list[str],
    can_edit: bool,
    csv_href: str,
    clear_href: str,
) -> html.Div:
    """The page frame; the grid asks the server for its rows a page at a time (getRowsRequest)."""
    header = page_header("Uppdrag", f"Uppdrag som berör {kommun}" if kommun else "Alla uppdrag från mötena")
    how = (
        "Välj ett uppdrag i tabellen (klicka på raden, eller gå dit med piltangenterna och tryck mellanslag) för att "
        "se dess historik" + (" och ändra status eller skriva en uppföljningsnotering." if can_edit else ".")
    )
    return html.Div(
        [
            header,
            _filters(params, statuses, owners, clear_href),
            html.P(summary_text(summary, kommun), id=SUMMARY, className="mb-1"),
            html.P(
                [how, " Försenade uppdrag är markerade med ”Försenat” vid datumet."],
                className="small text-body-secondary",
            ),
            _grid(csv_href),
            _modal(),
            dcc.Store(id=QUERY, data={k: params.get(k) for k in ("kommun", "sok", "status", "ansvarig", "forsenade")}),
            dcc.Store(id=SAVED),
            dcc.Store(id=SELECTED),
            dcc.Store(id=REFRESHED),
        ]
    )


# --- one task in the dialog ---------------------------------------------------------------------------------------


def _row(term: str, value) -> list:
    return [html.Dt(term, className="col-sm-4"), html.Dd(value, className="col-sm-8")]


def task_details(t: dict, suffix: str) -> html.Dl:
    due = [t["due_date"] or "inget datum"]
    if t["overdue"]:
        due += [" ", html.Span("Försenat", className="badge text-bg-danger")]
    meeting = (
        dcc.Link(meeting_label(t), href=f"/moten/{t['meeting_id']}{suffix}") if t["meeting_id"] is not None else "–"
    )
    rows = (
        _row("Uppdrag", t["text"])
        + _row("Ansvarig", ", ".join(t["owners"]) or "ej namngiven")
        + _row("Kommun", t["municipality"] or "hela regionen")
        + _row("Klart senast", due)
        + _row("Angivet i protokollet", f"”{t['due_text']}”" if t["due_text"] else "–")
        + _row("Så tolkades datumet", t["due_rule"] or "–")
        + _row("Status", status_badge(t["status"]))
        + _row("Möte", meeting)
    )
    if t["uncertain"]:
        rows += _row("Osäkert i källan", html.Ul([html.Li(u) for u in t["uncertain"]], className="mb-0"))
    return html.Dl(rows, className="row mb-0")


def _what(e: dict) -> str:
    if e["action"] == "update":
        if e["status_before"] != e["status_after"]:
            return f"Status {e['status_before']} → {e['status_after']}"
        return "Uppföljningsnotering"
    if e["action"] == "create":
        return f"Inläst ({e['source']})" if e["source"] else "Inläst"
    return ACTIONS.get(e["action"], e["action"])


def task_history(history: list[dict]):
    if not history:
        return html.P("Ingen historik ännu.")
    return data_table(
        ["När", "Vem", "Vad", "Notering"],
        [[local_time(e["at"]), e["username"], _what(e), e["note"] or "–"] for e in history],
        caption="Ändringar och noteringar, senaste först",
    )


def message(text: str, *, ok: bool) -> html.Div:
    """The answer to a save: a confirmation (role status) or an error (role alert), in Swedish."""
    return html.Div(
        text, role="status" if ok else "alert", className="alert mb-0 " + ("alert-success" if ok else "alert-danger")
    )


def edit_form(t: dict, statuses: tuple[str, ...], note_max: int) -> html.Div:
    return html.Div(
        [
            html.H3("Ändra status eller skriv en uppföljning", className="h5"),
            dbc.Label("Status", html_for=EDIT_STATUS),
            dbc.Select(
                id=EDIT_STATUS,
                options=[{"label": status_text(s), "value": s} for s in statuses],
                value=t["status"],
                class_name="mb-3",
            ),
            dbc.Label(f"Uppföljningsnotering (valfri, högst {format_number(note_max)} tecken)", html_for=EDIT_NOTE),
            dbc.Textarea(id=EDIT_NOTE, value="", maxLength=note_max, rows=3, class_name="mb-3"),
            dbc.Button("Spara", id=EDIT_SAVE, color="primary", class_name="mb-3"),
            html.Div(id=EDIT_MESSAGE, **{"aria-live": "polite"}),
        ],
        className="border-top pt-3 mt-3",
    )


def task_dialog(
    t: dict | None,
    *,
    suffix: str,
    statuses: tuple[str, ...],
    note_max: int,
    may_edit: bool,
    refusal: str | None,
) -> list:
    """The dialog's body: the task, the form (only if this user may change this task), and its history."""
    if t is None:
        return [html.P("Uppdraget finns inte längre.", role="alert")]
    if may_edit:
        form = edit_form(t, statuses, note_max)
    else:
        form = html.P(refusal or "Du kan läsa uppdraget men inte ändra det.", className="border-top pt-3 mt-3")
    return [
        html.Div(task_details(t, suffix), id=DETAILS),
        form,
        html.H3("Historik", className="h5 mt-4"),
        html.Div(task_history(t["history"]), id=HISTORY),
    ]
