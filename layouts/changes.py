"""Förändringar ("Sedan förra mötet"): what changed since a meeting or a date, and what needs attention.

Every text from the database is given to Dash as a plain string (never markdown or HTML).
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts.components import data_table, empty_state, page_header
from layouts.format import format_date, format_number
from layouts.projects import format_when
from layouts.upload import counts_text

MEETING_SELECT = "changes-meeting"
DATE_INPUT = "changes-date"
DATE_MESSAGE = "changes-date-message"
SIGNALS_SHOWN = 10

TASK_SECTIONS = (
    ("added", "Tillagda"),
    ("completed", "Klara"),
    ("overdue", "Nu försenade"),
    ("redated", "Nytt datum"),
)
TASK_EMPTY = {
    "Tillagda": "Inga nya uppdrag",
    "Klara": "Inga uppdrag har blivit klara",
    "Nu försenade": "Inga uppdrag har blivit försenade",
    "Nytt datum": "Inga uppdrag har fått nytt datum",
}


def _when(iso: str | None) -> str:
    if not iso:
        return "–"
    return format_date(iso, long=True) if len(iso) == 10 else format_when(iso)


def _value(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int):
        return format_number(value)
    return str(value)


def _old_new(old, new) -> list:
    return [html.Del(_value(old)), " → ", html.Ins(_value(new))]


def _heading(text: str, count: int) -> html.H2:
    return html.H2(f"{text} ({format_number(count)})", className="h4 mt-4")


def _chooser(meetings: list[dict], since: str, chosen_meeting: str | None, message: str | None) -> html.Div:
    options = [{"label": "Välj möte", "value": ""}] + [
        {"label": f"{m['kind'][:1].upper()}{m['kind'][1:]} {m['date']}", "value": m["date"]} for m in meetings
    ]
    return html.Div(
        [
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label("Jämför med", html_for=MEETING_SELECT),
                            dbc.Select(id=MEETING_SELECT, options=options, value=chosen_meeting or ""),
                        ],
                        md=6,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("eller ett datum", html_for=DATE_INPUT),
                            dbc.Input(id=DATE_INPUT, type="date", value=since),
                        ],
                        md=4,
                    ),
                ],
                className="g-3",
            ),
            dbc.Alert(message, color="warning", className="mt-3", id=DATE_MESSAGE) if message else None,
        ],
        className="mb-3",
    )


def _task_table(rows: list[dict], title: str, since_label: str, suffix: str) -> list:
    if not rows:
        return [
            html.H3(f"{title} (0)", className="h5 mt-3"),
            empty_state(f"{TASK_EMPTY[title]} {since_label}."),
        ]
    body = [
        [
            str(t["text"]),
            ", ".join(str(o) for o in t["owners"]) or "–",
            _when(t.get("due_date")) if t.get("old_due_date") is None else _old_new(t["old_due_date"], t["due_date"]),
            _when(t.get("at")),
        ]
        for t in rows
    ]
    return [
        html.H3(f"{title} ({format_number(len(rows))})", className="h5 mt-3"),
        data_table(["Uppdrag", "Ansvariga", "Datum", "När"], body, caption=f"Uppdrag: {title.lower()}"),
    ]


def _tasks(tasks: dict, since_label: str, suffix: str) -> html.Section:
    total = sum(len(tasks.get(k, [])) for k, _ in TASK_SECTIONS)
    children = [_heading("Uppdrag", total)]
    for key, title in TASK_SECTIONS:
        children += _task_table(tasks.get(key, []), title, since_label, suffix)
    return html.Section(children, id="changes-tasks")


def _projects(projects: list[dict], since_label: str, suffix: str) -> html.Section:
    children = [_heading("Projekt", len(projects))]
    if not projects:
        children.append(empty_state(f"Inga ändringar av projekt {since_label}."))
    for p in projects:
        children.append(
            html.Div(
                [
                    html.H3(dcc.Link(str(p["name"]), href=f"/projekt/{p['id']}{suffix}"), className="h5 mt-3"),
                    html.Ul(
                        [
                            html.Li(
                                [f"{c['label']}: ", *_old_new(c["old"], c["new"])]
                                + [f" ({c['username'] or 'okänd'}, {_when(c['at'])})"]
                            )
                            for c in p["changes"]
                        ]
                    ),
                ],
                className="changes-project",
            )
        )
    return html.Section(children, id="changes-projects")


def _activities(activities: list[dict], since_label: str) -> html.Section:
    children = [_heading("Aktiviteter", len(activities))]
    if not activities:
        children.append(empty_state(f"Inga ändringar av aktiviteter {since_label}."))
    else:
        rows = [
            [str(a["title"]), str(a["focus_area"]), _old_new(a["old_status"], a["new_status"]), _when(a["at"])]
            for a in activities
        ]
        children.append(data_table(["Aktivitet", "Fokusområde", "Status", "När"], rows, caption="Aktiviteter"))
    return html.Section(children, id="changes-activities")


def _imports(imports: list[dict], since_label: str) -> html.Section:
    children = [_heading("Importer", len(imports))]
    if not imports:
        children.append(empty_state(f"Inga importer {since_label}."))
    else:
        rows = [
            [
                _when(i["at"]),
                str(i["username"] or "–"),
                str(i["filename"] or "–"),
                (counts_text(i["counts"]) if i["counts"] else "–") + (" (ångrad)" if i.get("undone_at") else ""),
            ]
            for i in imports
        ]
        children.append(data_table(["När", "Vem", "Fil", "Antal"], rows, caption="Importer"))
    return html.Section(children, id="changes-imports")


def _href(link: str, suffix: str) -> str:
    """`link` with the query string `suffix` ("?kommun=…") added, also when the link has a query of its own."""
    if suffix and "?" in link:
        return link + "&" + suffix.lstrip("?")
    return link + suffix


def _signals(signals: dict, suffix: str) -> html.Section:
    children = [_heading("Att uppmärksamma", signals["count"])]
    groups = [g for g in signals["groups"] if g["signals"]]
    if not groups:
        children.append(empty_state("Inget att uppmärksamma just nu."))
    for g in groups:
        items = []
        for s in g["signals"][:SIGNALS_SHOWN]:
            title = dcc.Link(str(s["title"]), href=_href(s["link"], suffix)) if s.get("link") else str(s["title"])
            items.append(html.Li([title, ": ", str(s["reason"])]))
        more = len(g["signals"]) - SIGNALS_SHOWN
        children += [
            html.H3(f"{g['label']} ({format_number(len(g['signals']))})", className="h5 mt-3"),
            html.Ul(items),
            html.P(f"… och {format_number(more)} till") if more > 0 else None,
        ]
    return html.Section(children, id="changes-signals")


def changes_page(
    changes: dict,
    signals: dict,
    *,
    meetings: list[dict],
    since: str,
    since_label: str,
    chosen_meeting: str | None,
    message: str | None,
    suffix: str,
) -> html.Div:
    """The page: the chooser, then Uppdrag, Projekt, Aktiviteter, Importer and Att uppmärksamma."""
    kommun = f" – {changes['kommun']}" if changes.get("kommun") else ""
    return html.Div(
        [
            page_header("Sedan förra mötet", f"Förändringar {since_label}{kommun}"),
            _chooser(meetings, since, chosen_meeting, message),
            _tasks(changes["tasks"], since_label, suffix),
            _projects(changes["projects"], since_label, suffix),
            _activities(changes["activities"], since_label),
            _imports(changes["imports"], since_label),
            _signals(signals, suffix),
        ]
    )
