"""Ladda upp: choose what to update, download a template, upload the edited file, check the preview of exactly what
would change, save it, and undo the latest import.

Everything taken from a file is shown as plain text (never as HTML or Markdown).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts import documents as document_ui
from layouts.components import data_table, empty_state, page_header
from layouts.format import NBSP, format_date, format_kr, format_number

KIND = "upload-kind"
TEMPLATE_LINK = "upload-template-link"
BLANK_LINK = "upload-blank-link"
UPLOAD = "upload-file"
UPLOAD_HELP = "upload-file-help"
REMOVE = "upload-remove-missing"
REMOVE_HELP = "upload-remove-missing-help"
LIMIT = "upload-limit"  # the size limit in bytes, for the check in the browser
FILE = "upload-file-data"  # the chosen file (base64) once the browser has accepted its size
LABELLED = "upload-labelled"  # output of the client-side labelling of the file input (nothing reads it)
MESSAGE = "upload-message"
PREVIEW = "upload-preview"
PREVIEW_LOADING = "upload-preview-loading"
TOKEN = "upload-token"
ACTIONS = "upload-actions"
CONFIRM = "upload-confirm"
CANCEL = "upload-cancel"
LATEST = "upload-latest"
UNDO = "upload-undo"
UNDO_MESSAGE = "upload-undo-message"
UNDO_MODAL = "upload-undo-modal"
UNDO_MODAL_TITLE = "upload-undo-modal-title"
UNDO_MODAL_TEXT = "upload-undo-modal-text"
UNDO_CONFIRM = "upload-undo-confirm"
UNDO_CANCEL = "upload-undo-cancel"
HISTORY = "upload-history"

DEFAULT_KIND = "projekt"
ACCEPT = ".xlsx,.csv,.txt"
ROW_LIMIT = 200  # rows shown per list in the preview; the rest are counted
STOCKHOLM = ZoneInfo("Europe/Stockholm")
HIDDEN = "d-none"
SHOWN = "d-flex flex-wrap gap-2 mb-4"
UNDO_SHOWN = "mt-2"
READER_TEXT = "Din roll (läsare) kan inte ladda upp data. Kontakta kansliet."
BUSY_TEXT = "Läser och kontrollerar filen …"
CONFIRM_TEXT = "Spara ändringarna"
SAVING_TEXT = "Sparar …"
AMOUNT_FIELDS = {"budget_amount", "amount"}


# --- small formatters --------------------------------------------------------------------------------------------


def format_bytes(n: int) -> str:
    """10485760 → '10 MB', 1536 → '1,5 kB' (binary units, Swedish decimal comma, no-break spaces)."""
    for unit, size in (("MB", 1024 * 1024), ("kB", 1024)):
        if n >= size:
            value = n / size
            return f"{format_number(value, 0 if value == int(value) else 1)}{NBSP}{unit}"
    return f"{format_number(n)}{NBSP}byte"


def local_time(iso: str | None, *, long: bool = False) -> str:
    """A stored UTC time in Swedish time: '2026-11-23 06:14', or with long=True '23 november 2026 kl. 06:14'."""
    if not iso:
        return "–"
    at = dt.datetime.fromisoformat(iso)
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    at = at.astimezone(STOCKHOLM)
    if long:
        return f"{format_date(at.date(), long=True)} kl. {at:%H:%M}"
    return f"{at:%Y-%m-%d %H:%M}"


def show_value(field: str, value) -> str:
    """A value from the preview as text: amounts in kronor, lists joined, nothing as '(tomt)'."""
    if value is None or value == "" or value == []:
        return "(tomt)"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int | float):
        return format_kr(value) if field in AMOUNT_FIELDS else str(value)
    if isinstance(value, list | tuple):
        return ", ".join(show_value(field, v) for v in value)
    return str(value)


def plural(n: int, one: str, many: str) -> str:
    return f"{format_number(n)} {one if n == 1 else many}"


def counts_text(counts: dict) -> str:
    """'3 nya, 2 ändrade, 40 oförändrade, 0 borttagna' (the unchanged are left out when not counted)."""
    parts = [
        plural(counts.get("new", 0), "ny", "nya"),
        plural(counts.get("changed", 0), "ändrad", "ändrade"),
    ]
    if "unchanged" in counts:
        parts.append(plural(counts.get("unchanged", 0), "oförändrad", "oförändrade"))
    parts.append(plural(counts.get("removed", 0), "borttagen", "borttagna"))
    return ", ".join(parts)


def _row_number(row) -> str:
    return "–" if row is None else str(row)


def _more(total: int) -> html.P | None:
    if total <= ROW_LIMIT:
        return None
    return html.P(f"… och {format_number(total - ROW_LIMIT)} till.", className="small text-body-secondary")


# --- the page ----------------------------------------------------------------------------------------------------


def template_href(kind: str, *, blank: bool = False) -> str:
    return f"/ladda-upp/mall/{kind}.xlsx" + ("?tom=1" if blank else "")


def _kind_choice(kinds: list[dict], kind: str) -> html.Section:
    document = kind == document_ui.DOCUMENT_KIND  # Dokument: no template (issue 5)
    options = [
        {
            "label": [
                html.Span(k["label"], className="fw-semibold"),
                html.Br(),
                html.Span(k["description"], className="small text-body-secondary"),
            ],
            "value": k["key"],
        }
        for k in kinds
    ]
    return html.Section(
        [
            html.H2("1. Välj vad du vill uppdatera och ladda ner mallen", className="h4"),
            html.Fieldset(
                [
                    html.Legend("Vad vill du uppdatera?", className="fs-6 fw-semibold"),
                    dbc.RadioItems(id=KIND, options=options, value=kind, class_name="upload-kinds"),
                ],
                className="mb-3",
            ),
            html.P(
                [
                    html.A(
                        "Ladda ner mall med nuvarande data (.xlsx)",
                        id=TEMPLATE_LINK,
                        href=template_href(kind),
                        download=f"{kind}.xlsx",
                        className="btn btn-outline-primary",
                    ),
                    html.A(
                        "Tom mall (.xlsx)",
                        id=BLANK_LINK,
                        href=template_href(kind, blank=True),
                        download=f"{kind}-tom-mall.xlsx",
                        className="btn btn-outline-secondary",
                    ),
                ],
                className=HIDDEN if document else "d-flex flex-wrap gap-2",
            ),
            html.P(
                document_ui.EXPLANATION
                if document
                else "Mallen har svenska rubriker, en flik per tabell och en flik med instruktioner. Ändra i Excel, "
                "spara och ladda upp filen här. Rader med ett Id eller ett känt namn uppdateras, nya rader läggs till.",
                className="small text-body-secondary",
            ),
        ],
        className="mb-4",
    )


def _upload_zone(max_bytes: int, document: bool = False) -> html.Section:
    return html.Section(
        [
            html.H2("2. Ladda upp dokumentet" if document else "2. Ladda upp den ändrade filen", className="h4"),
            dcc.Upload(
                id=UPLOAD,
                accept=document_ui.ACCEPT if document else ACCEPT,
                multiple=False,
                className="upload-zone",
                className_active="upload-zone--active",
                className_reject="upload-zone--reject",
                className_disabled="upload-zone--busy",
                children=html.Div(
                    [
                        html.Span("Dra filen hit eller ", className="me-1"),
                        html.Span("Välj fil", className="btn btn-primary btn-sm upload-zone-button"),
                        html.P(
                            document_ui.HELP_TEXT.format(limit=format_bytes(max_bytes))
                            if document
                            else f"Excel (.xlsx) eller CSV (.csv, .txt), högst {format_bytes(max_bytes)}.",
                            id=UPLOAD_HELP,
                            className="small text-body-secondary mb-0 mt-2",
                        ),
                    ]
                ),
            ),
            html.Div(
                [
                    dbc.Checkbox(id=REMOVE, label="Ta bort rader som saknas i filen", value=False),
                    dbc.FormText(
                        "Av som standard: rader som finns i databasen men inte i filen lämnas orörda. Kryssa i rutan "
                        "bara om filen är den fullständiga listan; då tas de rader som saknas bort (du ser vilka i "
                        "förhandsgranskningen innan något sparas).",
                        id=REMOVE_HELP,
                    ),
                ],
                className=HIDDEN if document else "mt-3",
            ),
        ],
        className="mb-3",
    )


def _latest_section(latest: dict | None) -> html.Section:
    body, undo_class, _ = latest_panel(latest)
    return html.Section(
        [
            html.H2("Senaste import", className="h4"),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.Div(body, id=LATEST),
                        dbc.Button("Ångra senaste import", id=UNDO, color="outline-danger", className=undo_class),
                        html.Div(id=UNDO_MESSAGE, className="mt-3", **{"aria-live": "polite"}),
                    ]
                ),
                className="mb-4",
            ),
        ]
    )


def _undo_modal(latest: dict | None) -> dbc.Modal:
    _, _, question = latest_panel(latest)
    return dbc.Modal(
        [
            dbc.ModalHeader(html.H2("Ångra import", id=UNDO_MODAL_TITLE, className="h4 mb-0"), close_button=False),
            dbc.ModalBody(html.P(question, id=UNDO_MODAL_TEXT, className="mb-0")),
            dbc.ModalFooter(
                [
                    dbc.Button("Ja, ångra importen", id=UNDO_CONFIRM, color="danger"),
                    dbc.Button("Avbryt", id=UNDO_CANCEL, color="secondary"),
                ]
            ),
        ],
        id=UNDO_MODAL,
        is_open=False,
        # No fade: the dialog is there at once (and never half-transparent when read or measured).
        fade=False,
        labelledby=UNDO_MODAL_TITLE,
    )


def upload_page(
    can_edit: bool,
    *,
    kinds: list[dict] | None = None,
    kind: str = DEFAULT_KIND,
    max_bytes: int = 10 * 1024 * 1024,
    latest: dict | None = None,
    imports: list[dict] | None = None,
    notice: str | None = None,
) -> html.Div:
    """The page. `kinds` are dicts with key, label and description; `latest` and `imports` come from the import
    log (latest_undoable, list_imports). A läsare gets only the explanation: no upload controls at all."""
    header = page_header("Ladda upp", "Uppdatera projekt, finansiering, uppdrag, verksamhetsplan och möten från Excel.")
    if not can_edit:
        return html.Div([header, empty_state(READER_TEXT)])
    return html.Div(
        [
            header,
            dbc.Alert(notice, color="warning") if notice else None,
            _kind_choice(kinds or [], kind),
            _upload_zone(max_bytes, kind == document_ui.DOCUMENT_KIND),
            html.Div(id=MESSAGE, className="mb-3", **{"aria-live": "polite"}),
            dcc.Loading(
                html.Div(id=PREVIEW),
                id=PREVIEW_LOADING,
                target_components={PREVIEW: "children"},
                custom_spinner=html.Div(
                    [dbc.Spinner(size="sm", spinner_class_name="me-2"), BUSY_TEXT],
                    role="status",
                    className="d-flex align-items-center my-3",
                ),
            ),
            html.Div(
                [
                    dbc.Button(CONFIRM_TEXT, id=CONFIRM, color="primary", disabled=True),
                    dbc.Button("Avbryt", id=CANCEL, color="secondary"),
                ],
                id=ACTIONS,
                className=HIDDEN,
            ),
            _latest_section(latest),
            html.Section(
                [html.H2("Tidigare importer", className="h4"), html.Div(history_table(imports or []), id=HISTORY)]
            ),
            _undo_modal(latest),
            dcc.Store(id=LIMIT, data=max_bytes),
            dcc.Store(id=FILE),
            dcc.Store(id=TOKEN),
            dcc.Store(id=LABELLED),
        ]
    )


# --- the preview -------------------------------------------------------------------------------------------------


def _problem_rows(problems: list[dict]) -> list[list]:
    return [
        [
            p.get("sheet") or "–",
            _row_number(p.get("row")),
            p.get("column") or "–",
            "–" if p.get("value") in (None, "") else str(p["value"]),
            p.get("message") or "",
        ]
        for p in problems[:ROW_LIMIT]
    ]


def _fields(changes: list[dict]) -> html.Ul:
    return html.Ul(
        [html.Li(f"{c.get('label') or c.get('field')}: {show_value(c.get('field'), c.get('new'))}") for c in changes],
        className="list-unstyled mb-0",
    )


def _changes(changes: list[dict]) -> html.Ul:
    return html.Ul(
        [
            html.Li(
                [
                    f"{c.get('label') or c.get('field')}: ",
                    html.Del([html.Span("före: ", className="visually-hidden"), show_value(c["field"], c.get("old"))]),
                    " → ",
                    html.Ins([html.Span("efter: ", className="visually-hidden"), show_value(c["field"], c.get("new"))]),
                ]
            )
            for c in changes
        ],
        className="list-unstyled mb-0",
    )


def _what(r: dict) -> str:
    sheet = r.get("sheet")
    return f"{r.get('key')} ({sheet})" if sheet and r.get("multi_sheet") else str(r.get("key"))


def _list_section(title: str, rows: list[dict], headers: list[str], cells, caption: str) -> list:
    if not rows:
        return []
    return [
        html.H3(f"{title} ({format_number(len(rows))})", className="h5 mt-4"),
        data_table(headers, [cells(r) for r in rows[:ROW_LIMIT]], caption=caption),
        _more(len(rows)),
    ]


def preview_panel(p: dict) -> html.Section:
    """What the file would change: problems and refusals first, then new, changed and removed rows, the unchanged
    as a count, and the notes. `p` is Preview.to_dict()."""
    errors, refused = p.get("errors") or [], p.get("refused") or []
    sheets = {r.get("sheet") for key in ("new", "changed", "removed") for r in p.get(key) or []}
    multi = len(sheets) > 1
    mark = (lambda rows: [{**r, "multi_sheet": True} for r in rows]) if multi else (lambda rows: rows)
    new, changed, removed = mark(p.get("new") or []), mark(p.get("changed") or []), mark(p.get("removed") or [])
    unchanged = p.get("unchanged") or []
    parts: list = [
        html.H2(f"Förhandsgranskning: {p.get('filename') or 'filen'}", className="h4"),
        html.P(
            [f"{p.get('kind_label') or p.get('kind') or ''}: ", counts_text(p.get("counts") or {}), "."],
            className="fw-semibold",
        ),
    ]
    if errors:
        parts += [
            html.Div(
                [
                    html.Strong("Filen kan inte sparas förrän felen är rättade. "),
                    f"{plural(len(errors), 'fel', 'fel')} hittades. Rätta dem i filen och ladda upp den igen.",
                ],
                role="alert",
                className="alert alert-danger mt-3",
            ),
            html.H3(f"Fel i filen ({format_number(len(errors))})", className="h5"),
            data_table(["Flik", "Rad", "Kolumn", "Värde", "Fel"], _problem_rows(errors), caption="Fel i filen"),
            _more(len(errors)),
        ]
    if refused:
        parts += [
            html.Div(
                [
                    html.Strong("Filen innehåller rader du inte får ändra. "),
                    "Ta bort dem ur filen eller be en redigerare för hela regionen att ladda upp den.",
                ],
                role="alert",
                className="alert alert-danger mt-3",
            ),
            html.H3(f"Rader du inte får ändra ({format_number(len(refused))})", className="h5"),
            data_table(
                ["Rad", "Vad", "Skäl"],
                [
                    [_row_number(r.get("row")), r.get("value") or r.get("sheet") or "–", r.get("message") or ""]
                    for r in refused[:ROW_LIMIT]
                ],
                caption="Rader du inte får ändra",
            ),
            _more(len(refused)),
        ]
    parts += _list_section(
        "Nya rader",
        new,
        ["Rad", "Vad", "Uppgifter"],
        lambda r: [_row_number(r.get("row")), _what(r), _fields(r.get("changes") or [])],
        "Rader som läggs till",
    )
    parts += _list_section(
        "Ändrade rader",
        changed,
        ["Rad", "Vad", "Ändring"],
        lambda r: [_row_number(r.get("row")), _what(r), _changes(r.get("changes") or [])],
        "Rader som ändras, fält för fält: före → efter",
    )
    parts += _list_section(
        "Rader som tas bort",
        removed,
        ["Vad"],
        lambda r: [_what(r)],
        "Rader som finns i databasen men saknas i filen och tas bort",
    )
    if unchanged:
        parts += [
            html.H3(f"Oförändrade rader ({format_number(len(unchanged))})", className="h5 mt-4"),
            html.Details(
                [
                    html.Summary("Visa vilka"),
                    html.Ul(
                        [html.Li(f"Rad {_row_number(r.get('row'))}: {r.get('key')}") for r in unchanged[:ROW_LIMIT]]
                    ),
                    _more(len(unchanged)),
                ]
            ),
        ]
    if p.get("notes"):
        parts += [
            html.H3("Att notera", className="h5 mt-4"),
            html.Ul([html.Li(str(n)) for n in p["notes"]], className="small"),
        ]
    if not errors and not refused and not (new or changed or removed):
        parts.append(empty_state("Filen innehåller inga ändringar jämfört med det som redan finns sparat."))
    return html.Section(parts, className="upload-preview mb-3")


def preview_status(p: dict) -> str:
    """What a screen reader hears when the preview is ready."""
    errors, refused = len(p.get("errors") or []), len(p.get("refused") or [])
    if errors or refused:
        found = []
        if errors:
            found.append(plural(errors, "fel", "fel"))
        if refused:
            found.append(plural(refused, "rad du inte får ändra", "rader du inte får ändra"))
        return f"Förhandsgranskningen är klar: filen har {' och '.join(found)} och kan inte sparas."
    counts = p.get("counts") or {}
    text = f"Förhandsgranskningen är klar: {counts_text(counts)}."
    if p.get("can_confirm"):
        text += " Kontrollera ändringarna och välj Spara ändringarna."
    return text


def message(text, *, ok: bool) -> html.Div:
    """A confirmation (role status) or an error (role alert), in Swedish."""
    return html.Div(
        text, role="status" if ok else "alert", className="alert mb-0 " + ("alert-success" if ok else "alert-danger")
    )


def info(text) -> html.Div:
    return html.Div(text, role="status", className="alert alert-info mb-0")


def saved_message(result_message: str, projects: list[dict]) -> html.Div:
    """The confirmation after a save, with links to the projects it touched (at most 20)."""
    links = None
    if projects:
        shown = projects[:20]
        links = html.Div(
            [
                html.P("Se projekten som ändrades:", className="mb-1 mt-2"),
                html.Ul(
                    [
                        html.Li(
                            dcc.Link(p.get("key") or f"Projekt {p['entity_id']}", href=f"/projekt/{p['entity_id']}")
                        )
                        for p in shown
                    ],
                    className="mb-0",
                ),
                html.P(f"… och {format_number(len(projects) - 20)} till.", className="mb-0")
                if len(projects) > 20
                else None,
            ]
        )
    return html.Div(
        [html.P(result_message, className="mb-0"), links], role="status", className="alert alert-success mb-0"
    )


# --- the import log ------------------------------------------------------------------------------------------------


def latest_panel(latest: dict | None) -> tuple:
    """(the card's body, the undo button's class, the undo dialog's question) for the latest undoable import."""
    if not latest:
        return html.P("Det finns ingen import att ångra.", className="mb-0"), HIDDEN, ""
    counts = latest.get("counts") or {}
    facts = [
        ("Vad", latest.get("kind_label") or latest.get("kind")),
        ("Fil", latest.get("filename")),
        ("Vem", latest.get("username")),
        ("När", local_time(latest.get("at"), long=True)),
        ("Resultat", counts_text({k: v for k, v in counts.items() if k != "unchanged"})),
    ]
    body = html.Dl([x for k, v in facts for x in (html.Dt(k), html.Dd(v or "–"))], className="facts mb-0")
    question = (
        f"Ångra importen av fil {latest.get('filename')}? Tidigare värden återställs och tillagda rader tas bort."
    )
    return body, UNDO_SHOWN, question


def history_table(imports: list[dict]):
    if not imports:
        return empty_state("Inga importer ännu.")

    def status(i: dict) -> str:
        if i.get("undone_at"):
            return f"Ångrad {local_time(i['undone_at'])} av {i.get('undone_by') or 'okänd'}"
        return "Sparad"

    return data_table(
        ["Tid", "Vem", "Typ", "Fil", "Nya", "Ändrade", "Borttagna", "Status"],
        [
            [
                local_time(i.get("at")),
                i.get("username") or "–",
                i.get("kind_label") or i.get("kind") or "–",
                i.get("filename") or "–",
                format_number((i.get("counts") or {}).get("new", 0)),
                format_number((i.get("counts") or {}).get("changed", 0)),
                format_number((i.get("counts") or {}).get("removed", 0)),
                status(i),
            ]
            for i in imports
        ],
        caption="De tio senaste importerna, senaste först",
    )


def not_found_page(path: str) -> html.Div:
    return html.Div([page_header("Sidan finns inte"), empty_state(f"Det finns ingen sida på adressen {path}.")])
