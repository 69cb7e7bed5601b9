"""Ladda upp → Dokument: the review of what was found in minutes or a verksamhetsplan, side by side with the
sentence each item came from. Every field can be corrected, every item dropped ("Ta bort") and new ones added
("Lägg till rad") before "Spara".

The grids' rows carry hidden keys (`_id` for AG Grid, `_i`/`_j`/`_f`/`_p` pointing at the item in the extracted
`found` dict) so that callbacks/documents.py can rebuild the corrected `found` dict, keeping every field the review
does not show. Everything taken from a document is shown as plain text (never as HTML or Markdown).
"""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts.format import format_number
from layouts.grid import LOCALE_SV

DOCUMENT_KIND = "dokument"
DOCUMENT_OPTION = {
    "key": DOCUMENT_KIND,
    "label": "Dokument",
    "description": "Minnesanteckningar, protokoll eller en verksamhetsplan (.docx, .pdf, .txt, .md): "
    "uppdrag, beslut, projekt och pengar läses ut och du granskar dem innan något sparas.",
}
ACCEPT = ".docx,.pdf,.txt,.md"
FILE_INPUT_LABEL = "Välj dokument att ladda upp (Word .docx, PDF, .txt eller .md)"
HELP_TEXT = "Word (.docx), PDF med text, text (.txt) eller Markdown (.md), högst {limit}."
EXPLANATION = (
    "Ladda upp minnesanteckningar eller protokoll från ett kommunchefsmöte eller Regionrådet, eller en "
    "verksamhetsplan. Du ser vad som hittades bredvid meningen det kom från, kan rätta, ta bort och lägga till, "
    "och sparar först när du bekräftar."
)

REVIEW = "document-review"
TOKEN = "document-token"
FOUND = "document-found"
SAVE_MINUTES = "document-save-minutes"
SAVE_PLAN = "document-save-plan"
SAVE_TEXT = "Spara"
CANCEL = "document-cancel"
SAVING_TEXT = "Sparar …"

MEETING_KIND = "document-meeting-kind"
MEETING_DATE = "document-meeting-date"
MEETING_START = "document-meeting-start"
MEETING_END = "document-meeting-end"
MEETING_PLACE = "document-meeting-place"
NEXT_DATE = "document-next-date"
NEXT_PLACE = "document-next-place"
PLAN_YEAR = "document-plan-year"
PLAN_ADOPTED_ON = "document-plan-adopted-on"
PLAN_ADOPTED_BY = "document-plan-adopted-by"

MEETING_KINDS = [("kommunchefsmöte", "Kommunchefsmöte"), ("regionråd", "Regionråd"), ("annat", "Annat möte")]
ROLES = ["beslutande", "deltagare", "sekreterare", "organisatör", "frånvarande", "föredragande"]
FUNDER_KINDS = ["kommunerna", "EU", "stat", "region/landsting", "universitet", "privat", "övrigt"]
PERIODS = ["total", "per_year"]
PERIOD_LABELS = {"total": "totalt", "per_year": "per år"}

REMOVE = "remove"  # the "Ta bort" column's field
NOTES = "notes"  # what the extractor was unsure of ("”Maria” tolkad som Maria Persson"), read-only
SOURCE = "source"


def grid_id(name: str) -> str:
    return f"document-grid-{name}"


def add_id(name: str) -> str:
    return f"document-add-{name}"


# --- columns -----------------------------------------------------------------------------------------------------

PERIOD_FORMATTER = {"function": "({total: 'totalt', per_year: 'per år'})[params.value] || params.value || ''"}
AMOUNT_FORMATTER = {
    "function": "params.value == null || params.value === '' ? '' : "
    "(typeof params.value === 'number' ? d3.format(',.0f')(params.value).replace(/,/g, '\\u00a0') : params.value)"
}


def _text(field: str, header: str, *, width: int = 1, large: bool = False) -> dict:
    col = {"field": field, "headerName": header, "flex": width, "cellDataType": "text"}
    if large:
        col.update({"cellEditor": "agLargeTextCellEditor", "cellEditorPopup": True, "cellEditorParams": {"rows": 6}})
    return col


def _date(field: str, header: str) -> dict:
    # Dates stay ISO text ("2019-08-22"): the save checks them and says which one is wrong.
    return {"field": field, "headerName": header, "flex": 1, "cellDataType": "text", "minWidth": 120}


def _amount(field: str, header: str, *, editable: bool = True) -> dict:
    return {
        "field": field,
        "headerName": header,
        "flex": 1,
        "cellDataType": "number",
        "valueFormatter": AMOUNT_FORMATTER,
        "type": "rightAligned",
        "editable": editable,
        "minWidth": 130,
    }


def _choice(field: str, header: str, values: list, formatter: dict | None = None) -> dict:
    col = {
        "field": field,
        "headerName": header,
        "flex": 1,
        "cellDataType": "text",
        "cellEditor": "agSelectCellEditor",
        "cellEditorParams": {"values": values},
    }
    if formatter:
        col["valueFormatter"] = formatter
    return col


def _read_only(field: str, header: str, *, width: int = 1) -> dict:
    return {"field": field, "headerName": header, "flex": width, "editable": False, "cellDataType": "text"}


def _source() -> dict:
    return {
        "field": SOURCE,
        "headerName": "Källa",
        "flex": 3,
        "editable": False,
        "cellDataType": "text",
        "cellClass": "document-source",
        "minWidth": 260,
    }


def _remove() -> dict:
    return {
        "field": REMOVE,
        "headerName": "Ta bort",
        "cellDataType": "boolean",
        "editable": True,
        "width": 110,
        "minWidth": 110,
        "maxWidth": 120,
        "flex": 0,
    }


COLUMNS: dict[str, list[dict]] = {
    "participants": [_text("name", "Namn", width=2), _choice("role", "Roll", ROLES), _remove()],
    "agenda": [
        _text("number", "Punkt"),
        _text("title", "Rubrik", width=3, large=True),
        _text("presenter", "Föredragande", width=2),
        _remove(),
    ],
    "decisions": [_text("number", "Punkt"), _text("text", "Beslut", width=3, large=True), _source(), _remove()],
    "assignments": [
        _text("number", "Punkt"),
        _text("owners", "Ansvariga", width=2),
        _text("what", "Vad", width=3, large=True),
        _text("due_text", "Klart (som skrivet)", width=2),
        _date("due_date", "Klart senast"),
        _read_only("due_rule", "Hur datumet räknades", width=2),
        _read_only(NOTES, "Att kontrollera", width=2),
        _source(),
        _remove(),
    ],
    "activities": [
        _text("focus", "Insatsområde", width=2),
        _text("title", "Aktivitet", width=2),
        _text("text", "Beskrivning", width=3, large=True),
        _source(),
        _remove(),
    ],
    "projects": [
        _text("focus", "Insatsområde", width=2),
        _text("name", "Projekt", width=2),
        _date("start", "Start"),
        _date("end", "Slut"),
        _amount("total_budget_sek", "Total budget (kr)"),
        _choice("budget_period", "Budgetperiod", PERIODS, PERIOD_FORMATTER),
        _text("owner_org", "Projektägare", width=2),
        _text("contact_name", "Kontaktperson", width=2),
        _text("contact_role", "Kontaktpersonens roll", width=2),
        _text("municipalities", "Kommuner", width=2),
        _amount("funding_gap_sek", "Ofinansierat (kr)", editable=False),
        _read_only(NOTES, "Att kontrollera", width=2),
        _source(),
        _remove(),
    ],
    "phases": [
        _text("project", "Projekt", width=2),
        _text("name", "Etapp", width=2),
        _date("start", "Start"),
        _date("end", "Slut"),
        _remove(),
    ],
    "funders": [
        _text("project", "Projekt", width=2),
        _text("name", "Finansiär", width=2),
        _choice("kind", "Slag", FUNDER_KINDS),
        _amount("amount_sek", "Belopp (kr)"),
        _choice("period", "Period", PERIODS, PERIOD_FORMATTER),
        _remove(),
    ],
    "parts": [
        _text("project", "Projekt", width=2),
        _text("name", "Budgetdel", width=2),
        _amount("amount_sek", "Belopp (kr)"),
        _remove(),
    ],
}

TITLES = {
    "participants": "Deltagare",
    "agenda": "Punkter",
    "decisions": "Beslut",
    "assignments": "Uppdrag",
    "activities": "Insatsområden och aktiviteter",
    "projects": "Projekt",
    "phases": "Etapper",
    "funders": "Finansiärer",
    "parts": "Budgetdelar",
}
MINUTES_GRIDS = ["participants", "agenda", "decisions", "assignments"]
PLAN_GRIDS = ["activities", "projects", "phases", "funders", "parts"]

GRID_LOCALE = {
    **LOCALE_SV,
    "ariaChecked": "markerad",
    "ariaUnchecked": "inte markerad",
    "ariaToggleCellValue": "Tryck på mellanslag för att växla värdet",
    "true": "Ja",
    "false": "Nej",
}


# --- rows: from the extracted dict to what each grid shows ----------------------------------------------------------


def _join(values) -> str:
    return ", ".join(str(v) for v in values or [] if v not in (None, ""))


def _notes(item: dict) -> str | None:
    return " ".join(str(n) for n in item.get("uncertain") or [] if n) or None


def minutes_rows(found: dict) -> dict[str, list[dict]]:
    meeting = found.get("meeting") or {}
    rows: dict[str, list[dict]] = {name: [] for name in MINUTES_GRIDS}
    for i, p in enumerate(meeting.get("participants") or []):
        rows["participants"].append(
            {"_id": f"p{i}", "_i": i, "name": p.get("name"), "role": p.get("role"), REMOVE: False}
        )
    for i, item in enumerate(found.get("agenda_items") or []):
        number = item.get("number")
        rows["agenda"].append(
            {
                "_id": f"a{i}",
                "_i": i,
                "number": None if number is None else str(number),
                "title": item.get("title"),
                "presenter": item.get("presenter"),
                REMOVE: False,
            }
        )
        for j, d in enumerate(item.get("decisions") or []):
            rows["decisions"].append(
                {
                    "_id": f"d{i}.{j}",
                    "_i": i,
                    "_j": j,
                    "number": None if number is None else str(number),
                    "text": d.get("text"),
                    SOURCE: d.get(SOURCE),
                    REMOVE: False,
                }
            )
        for j, a in enumerate(item.get("assignments") or []):
            rows["assignments"].append(
                {
                    "_id": f"u{i}.{j}",
                    "_i": i,
                    "_j": j,
                    "number": None if number is None else str(number),
                    "owners": _join(a.get("owners")),
                    "what": a.get("what"),
                    "due_text": a.get("due_text"),
                    "due_date": a.get("due_date"),
                    "due_rule": a.get("due_rule"),
                    NOTES: _notes(a),
                    SOURCE: a.get(SOURCE),
                    REMOVE: False,
                }
            )
    return rows


def plan_rows(found: dict) -> dict[str, list[dict]]:
    plan = found.get("plan") or {}
    rows: dict[str, list[dict]] = {name: [] for name in PLAN_GRIDS}
    for f, area in enumerate(plan.get("focus_areas") or []):
        name = area.get("name")
        activities = area.get("activities") or []
        for j, a in enumerate(activities):
            rows["activities"].append(
                {
                    "_id": f"a{f}.{j}",
                    "_f": f,
                    "_j": j,
                    "focus": name,
                    "title": a.get("title"),
                    "text": a.get("text"),
                    SOURCE: a.get(SOURCE),
                    REMOVE: False,
                }
            )
        if not activities:  # the focus area itself, so that it is kept even without activities
            rows["activities"].append(
                {"_id": f"a{f}", "_f": f, "_j": None, "focus": name, "title": None, "text": None, REMOVE: False}
            )
        for j, p in enumerate(area.get("projects") or []):
            key = f"{f}.{j}"
            contact = p.get("contact") or {}
            rows["projects"].append(
                {
                    "_id": f"p{key}",
                    "_p": key,
                    "focus": name,
                    "name": p.get("name"),
                    "start": p.get("start"),
                    "end": p.get("end"),
                    "total_budget_sek": p.get("total_budget_sek"),
                    "budget_period": p.get("budget_period"),
                    "owner_org": p.get("owner_org"),
                    "contact_name": contact.get("name"),
                    "contact_role": contact.get("role"),
                    "municipalities": _join(p.get("municipalities")),
                    "funding_gap_sek": p.get("funding_gap_sek"),
                    NOTES: _notes(p),
                    SOURCE: p.get(SOURCE),
                    REMOVE: False,
                }
            )
            for k, ph in enumerate(p.get("phases") or []):
                rows["phases"].append(
                    {
                        "_id": f"e{key}.{k}",
                        "_p": key,
                        "_k": k,
                        "project": p.get("name"),
                        "name": ph.get("name"),
                        "start": ph.get("start"),
                        "end": ph.get("end"),
                        REMOVE: False,
                    }
                )
            for k, fu in enumerate(p.get("funders") or []):
                rows["funders"].append(
                    {
                        "_id": f"f{key}.{k}",
                        "_p": key,
                        "_k": k,
                        "project": p.get("name"),
                        "name": fu.get("name"),
                        "kind": fu.get("kind"),
                        "amount_sek": fu.get("amount_sek"),
                        "period": fu.get("period"),
                        REMOVE: False,
                    }
                )
            for k, part in enumerate(p.get("budget_parts") or []):
                rows["parts"].append(
                    {
                        "_id": f"b{key}.{k}",
                        "_p": key,
                        "_k": k,
                        "project": p.get("name"),
                        "name": part.get("name"),
                        "amount_sek": part.get("amount_sek"),
                        REMOVE: False,
                    }
                )
    return rows


# --- the review --------------------------------------------------------------------------------------------------


def review_grid(name: str, rows: list[dict]) -> html.Section:
    """One editable table with its heading, and the button that adds a row under it."""
    title = TITLES[name]
    heading_id = f"document-heading-{name}"
    grid = dag.AgGrid(
        id=grid_id(name),
        columnDefs=COLUMNS[name],
        rowData=rows,
        defaultColDef={
            "editable": True,
            "sortable": False,
            "filter": False,
            "resizable": True,
            "wrapText": True,
            "autoHeight": True,
            "minWidth": 110,
            "suppressMovable": True,
        },
        dashGridOptions={
            "localeText": GRID_LOCALE,
            "domLayout": "autoHeight",
            "singleClickEdit": True,
            "stopEditingWhenCellsLoseFocus": True,
            "enableCellTextSelection": True,
            "ensureDomOrder": True,
            "animateRows": False,
            "suppressDragLeaveHidesColumns": True,
        },
        getRowId="params.data._id",
        columnSize="responsiveSizeToFit",
        style={"width": "100%"},
        className="document-grid",
    )
    return html.Section(
        [
            html.H3(f"{title} ({format_number(len(rows))})", id=heading_id, className="h5 mt-4"),
            html.Div(grid, role="region", **{"aria-labelledby": heading_id}),
            dbc.Button(
                ["Lägg till rad", html.Span(f" i {title.lower()}", className="visually-hidden")],
                id=add_id(name),
                color="outline-primary",
                size="sm",
                className="mt-2",
            ),
        ],
        className="document-table",
    )


def _field(label: str, component_id: str, value, *, kind: str = "text", help_text: str | None = None) -> dbc.Col:
    return dbc.Col(
        [
            dbc.Label(label, html_for=component_id),
            dbc.Input(id=component_id, type=kind, value=value, autocomplete="off"),
            dbc.FormText(help_text) if help_text else None,
        ],
        md=4,
        className="mb-3",
    )


def _summary(result: dict, filename: str) -> list:
    parts: list = [
        html.H2(f"Granska dokumentet: {filename}", className="h4"),
        html.P(result.get("summary") or "", className="fw-semibold"),
    ]
    found = result.get("found") or {}
    problems = [*(result.get("problems") or []), *(found.get("uncertain") or [])]
    problems += (found.get("plan") or {}).get("uncertain") or []
    if problems:
        parts.append(
            html.Div(
                [html.Strong("Att kontrollera:"), html.Ul([html.Li(str(p)) for p in problems], className="mb-0")],
                role="alert",
                className="alert alert-warning",
            )
        )
    if result.get("duplicate"):
        parts.append(
            html.Div(
                [html.Strong("Dokumentet finns redan. "), str(result["duplicate"]), " Inget sparas en gång till."],
                role="alert",
                className="alert alert-danger",
            )
        )
    return parts


def minutes_review(found: dict) -> list:
    meeting = found.get("meeting") or {}
    nxt = meeting.get("next_meeting") or {}
    rows = minutes_rows(found)
    kind_ids = [k for k, _ in MEETING_KINDS]
    return [
        html.H3("Mötet", className="h5 mt-4"),
        dbc.Row(
            [
                dbc.Col(
                    [
                        dbc.Label("Slag av möte", html_for=MEETING_KIND),
                        dbc.Select(
                            id=MEETING_KIND,
                            options=[{"label": label, "value": key} for key, label in MEETING_KINDS],
                            value=meeting.get("kind") if meeting.get("kind") in kind_ids else "annat",
                        ),
                    ],
                    md=4,
                    className="mb-3",
                ),
                _field("Datum", MEETING_DATE, meeting.get("date"), help_text="ÅÅÅÅ-MM-DD"),
                _field("Plats", MEETING_PLACE, meeting.get("place")),
                _field("Starttid", MEETING_START, meeting.get("start_time"), help_text="TT:MM"),
                _field("Sluttid", MEETING_END, meeting.get("end_time"), help_text="TT:MM"),
                _field("Nästa möte, datum", NEXT_DATE, nxt.get("date"), help_text="ÅÅÅÅ-MM-DD"),
                _field("Nästa möte, plats", NEXT_PLACE, nxt.get("place")),
            ]
        ),
        *[review_grid(name, rows[name]) for name in MINUTES_GRIDS],
    ]


def plan_review(found: dict) -> list:
    plan = found.get("plan") or {}
    rows = plan_rows(found)
    return [
        html.H3("Verksamhetsplanen", className="h5 mt-4"),
        dbc.Row(
            [
                _field("År", PLAN_YEAR, plan.get("year"), kind="number"),
                _field("Antagen", PLAN_ADOPTED_ON, plan.get("adopted_on"), help_text="ÅÅÅÅ-MM-DD"),
                _field("Antagen av", PLAN_ADOPTED_BY, plan.get("adopted_by")),
            ]
        ),
        *[review_grid(name, rows[name]) for name in PLAN_GRIDS],
    ]


def review_panel(result: dict, filename: str) -> html.Section:
    """What preview_document found: the summary, problems, a duplicate warning (then nothing to save), and the
    editable tables with a "Spara" button."""
    found = result.get("found") or {}
    kind = found.get("kind")
    parts = _summary(result, filename)
    if kind == "minutes":
        parts += minutes_review(found)
        save_id = SAVE_MINUTES
    elif kind == "plan":
        parts += plan_review(found)
        save_id = SAVE_PLAN
    else:
        save_id = None
    can_save = bool(result.get("token")) and not result.get("duplicate") and save_id is not None
    if can_save:
        parts.append(
            html.Div(
                [
                    dbc.Button(SAVE_TEXT, id=save_id, color="primary"),
                    dbc.Button("Avbryt", id=CANCEL, color="secondary"),
                    html.Span(
                        "Sparar mötet eller planen med allt som står i tabellerna ovan. Rader markerade "
                        "”Ta bort” sparas inte.",
                        className="small text-body-secondary",
                    ),
                ],
                className="d-flex flex-wrap align-items-center gap-3 mt-4",
            )
        )
    parts += [dcc.Store(id=TOKEN, data=result.get("token") if can_save else None), dcc.Store(id=FOUND, data=found)]
    return html.Section(parts, id=REVIEW, className="document-review mb-3")
