"""Projekt: a timeline (Gantt) of the projects grouped by focus area, a table of the same rows, and each project's
page with its money and its history."""

from __future__ import annotations

import datetime as dt
from functools import cache
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html

from layouts.charts import PALETTE, PATTERNS, base_figure, chart_with_table, graph, plotly_text
from layouts.components import STATUS_ICONS, empty_state, page_header, status_badge
from layouts.format import format_date, format_kr, format_number
from layouts.grid import data_grid

TIMELINE_GRAPH = "projects-timeline-graph"
GRID = "projects-grid"
FOCUS_SELECT = "projects-focus-area-select"
STATUS_SELECT = "projects-status-select"
FROM_SELECT = "projects-from-select"
TO_SELECT = "projects-to-select"
PAGE_INFO = "projects-page-info"
UNDATED = "projects-undated"
TIMELINE_TABLE = "projects-timeline-table"
FILTERS = [FOCUS_SELECT, STATUS_SELECT, FROM_SELECT, TO_SELECT]
# The URL query parameter each filter writes.
FILTER_PARAMS = ["insatsomrade", "status", "fran", "till"]

NO_FOCUS_AREA = "Utan insatsområde"
# A select's value for "no filter" (an empty value leaves dbc.Select showing nothing).
ALL = "alla"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
DAY_MS = 86_400_000
ROW_PX = 30
NAME_CHARS = 42
# Status by pattern and text as well as colour (Okabe–Ito colours, the shared pattern list).
STATUS_STYLE = {
    "pågår": {"color": PALETTE[0], "pattern": PATTERNS[0]},
    "planerad": {"color": PALETTE[4], "pattern": PATTERNS[1]},
    "avslutad": {"color": PALETTE[2], "pattern": PATTERNS[2]},
    "pausad": {"color": PALETTE[1], "pattern": PATTERNS[3]},
}
OUTLINE = "#212529"
TODAY_COLOR = PALETTE[5]
TODAY_TEXT = "#a04000"  # vermilion darkened to 4.5:1 on white
PHASE_COLORS = ["#000000", "#6c757d"]


def status_label(status: str) -> str:
    """'pågår' → '◐ pågår': the status as icon and word."""
    return f"{STATUS_ICONS.get(status, '•')} {status}"


def _short(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1].rstrip() + "…"


def _day_after(iso: str) -> str:
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=1)).isoformat()


def _span_ms(start: str, end: str) -> int:
    """Milliseconds from the start of `start` to the end of `end` (a bar covers its last day whole)."""
    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days * DAY_MS + DAY_MS


def time_frame_text(p: dict) -> str:
    """'1 januari 2005 – 31 december 2006'; a missing end is said as such."""
    start, end = p.get("start_date"), p.get("end_date")
    if not start and not end:
        return "tidsram ej angiven"
    first = format_date(start, long=True) if start else "start ej angiven"
    last = format_date(end, long=True) if end else "slut ej angivet"
    return f"{first} – {last}"


def _hover(p: dict) -> str:
    lines = [
        f"<b>{plotly_text(p['name'])}</b>",
        f"Insatsområde: {plotly_text(p['focus_area'] or NO_FOCUS_AREA)}",
        time_frame_text(p),
        f"Status: {status_label(p['status'])}",
    ]
    if p["phases"]:
        lines.append(f"Etapper: {len(p['phases'])}")
    lines.append("Klicka för projektets sida")
    return "<br>".join(lines)


@cache
def _base_layout() -> dict:
    """The shared chart look (layouts.charts.base_figure) as plain data, made once: building a go.Figure and
    updating it costs tens of milliseconds, and the timeline is drawn on every change of the URL."""
    return base_figure().layout.to_plotly_json()


def timeline_figure(rows: list[dict], *, axis: tuple[str, str] | None, today: str) -> dict:
    """A Gantt chart of `rows` (in the timeline's order, grouped by focus area): one bar per project from start to
    end, filled by status with colour, pattern and a text label; its phases as segments inside it; a project with
    only one date as a marker at that date; a line for today labelled "Idag".

    The traces are plotly.graph_objects (validated); the figure is returned as plain data for dcc.Graph.
    """
    keys, ticks = [], []
    group = object()
    for p in rows:
        if p["focus_area"] != group:
            group = p["focus_area"]
            keys.append(f"g:{group}")
            ticks.append(f"<b>{plotly_text(group or NO_FOCUS_AREA)}</b>")
        keys.append(f"p:{p['id']}")
        ticks.append(plotly_text(_short(p["name"])))
    traces = []
    headers = [k for k in keys if k.startswith("g:")]
    if headers and axis:
        # Invisible points keep the focus areas' heading rows on the category axis.
        traces.append(
            go.Scatter(
                x=[axis[0]] * len(headers),
                y=headers,
                mode="markers",
                marker={"opacity": 0},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    dated = [p for p in rows if p["start_date"] and p["end_date"]]
    for status, style in STATUS_STYLE.items():
        group_rows = [p for p in dated if p["status"] == status]
        if not group_rows:
            continue
        traces.append(
            go.Bar(
                orientation="h",
                name=status_label(status),
                y=[f"p:{p['id']}" for p in group_rows],
                base=[p["start_date"] for p in group_rows],
                x=[_span_ms(p["start_date"], p["end_date"]) for p in group_rows],
                width=0.7,
                marker={
                    "color": "#ffffff" if style["pattern"] else style["color"],
                    "line": {"color": OUTLINE, "width": 1},
                    "pattern": {
                        "shape": style["pattern"],
                        "fgcolor": style["color"],
                        "bgcolor": "#ffffff",
                        "fillmode": "replace",
                        "solidity": 0.45,
                        "size": 8,
                    },
                },
                text=[status_label(status)] * len(group_rows),
                textposition="outside",
                textfont={"color": "#212529", "size": 13},
                cliponaxis=False,
                customdata=[p["id"] for p in group_rows],
                hovertext=[_hover(p) for p in group_rows],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    phases = [(p, i, ph) for p in dated for i, ph in enumerate(p["phases"])]
    if phases:
        traces.append(
            go.Bar(
                orientation="h",
                name="▬ etapp",
                y=[f"p:{p['id']}" for p, _, _ in phases],
                base=[ph["start_date"] for _, _, ph in phases],
                x=[_span_ms(ph["start_date"], ph["end_date"]) for _, _, ph in phases],
                width=0.28,
                marker={
                    "color": [PHASE_COLORS[i % 2] for _, i, _ in phases],
                    "line": {"color": "#ffffff", "width": 2},
                },
                customdata=[p["id"] for p, _, _ in phases],
                hovertext=[
                    f"<b>{plotly_text(p['name'])}</b><br>{plotly_text(ph['name'])}: {time_frame_text(ph)}"
                    for p, _, ph in phases
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    partial = [p for p in rows if bool(p["start_date"]) != bool(p["end_date"])]
    if partial:
        traces.append(
            go.Scatter(
                name="◁ ▷ bara start eller slut angivet",
                y=[f"p:{p['id']}" for p in partial],
                x=[p["end_date"] or p["start_date"] for p in partial],
                mode="markers+text",
                marker={
                    "symbol": ["triangle-left" if p["end_date"] else "triangle-right" for p in partial],
                    "size": 14,
                    "color": [STATUS_STYLE.get(p["status"], STATUS_STYLE["pågår"])["color"] for p in partial],
                    "line": {"color": OUTLINE, "width": 1},
                },
                text=[
                    f"{status_label(p['status'])} · {'start ej angiven' if p['end_date'] else 'slut ej angivet'}"
                    for p in partial
                ],
                textposition=["middle left" if p["end_date"] else "middle right" for p in partial],
                textfont={"color": "#212529", "size": 13},
                cliponaxis=False,
                customdata=[p["id"] for p in partial],
                hovertext=[_hover(p) for p in partial],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    base = _base_layout()
    layout = {
        **base,
        "height": 110 + ROW_PX * max(len(keys), 3),
        "barmode": "overlay",
        "bargap": 0.3,
        "hovermode": "closest",
        "clickmode": "event",
        "dragmode": False,
        "margin": {"l": 10, "r": 20, "t": 70, "b": 40},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "title": {"text": "Status: "}},
        "xaxis": {
            **base.get("xaxis", {}),
            "type": "date",
            "showgrid": True,
            "ticks": "outside",
            "fixedrange": True,
        },
        "yaxis": {
            **base.get("yaxis", {}),
            "type": "category",
            "categoryorder": "array",
            "categoryarray": keys,
            "tickvals": keys,
            "ticktext": ticks,
            "autorange": "reversed",
            "showgrid": False,
            "fixedrange": True,
        },
        "shapes": [],
        "annotations": [],
    }
    if axis:
        start, end = dt.date.fromisoformat(axis[0]), dt.date.fromisoformat(axis[1])
        # A little room on the left, and room on the right for the status labels beside the last bars.
        layout["xaxis"]["range"] = [
            (start - (end - start) * 0.02).isoformat(),
            (end + (end - start) * 0.18).isoformat(),
        ]
        _today_marker(layout, today, start, end)
    return {"data": [t.to_plotly_json() for t in traces], "layout": layout}


def _today_marker(layout: dict, today: str, start: dt.date, end: dt.date) -> None:
    """A dotted line labelled "Idag" where today falls on the axis; outside it, a note at that edge."""
    day = dt.date.fromisoformat(today)
    if start <= day <= end:
        layout["shapes"].append(
            {
                "type": "line",
                "x0": today,
                "x1": today,
                "xref": "x",
                "y0": 0,
                "y1": 1,
                "yref": "paper",
                "line": {"color": TODAY_COLOR, "width": 2, "dash": "dot"},
            }
        )
        layout["annotations"].append(
            {
                "x": today,
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "yanchor": "bottom",
                "text": "<b>Idag</b>",
                "showarrow": False,
                "font": {"color": TODAY_TEXT},
            }
        )
        return
    later = day > end
    when = format_date(day, long=True)
    layout["annotations"].append(
        {
            "x": 1 if later else 0,
            "xref": "paper",
            "xanchor": "right" if later else "left",
            "y": 0,
            "yref": "paper",
            "yanchor": "top",
            "yshift": -22,
            "text": f"Idag ({when}) →" if later else f"← Idag ({when})",
            "showarrow": False,
            "font": {"color": TODAY_TEXT},
        }
    )


# --- the list page -------------------------------------------------------------------------------------------------


def _href(path: str, params: dict[str, str]) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return path + ("?" + query if query else "")


def _select(select_id: str, label: str, options: list[tuple[str, str]], value: str | None) -> dbc.Col:
    return dbc.Col(
        [
            dbc.Label(label, html_for=select_id, className="mb-1"),
            dbc.Select(
                id=select_id,
                options=[{"label": text, "value": v or ALL} for v, text in options],
                value=value or ALL,
            ),
        ],
        xs=12,
        sm=6,
        lg=3,
        className="mb-2",
    )


def _filters(options: dict, params: dict[str, str]) -> html.Div:
    years = [(str(y), str(y)) for y in options["years"]]
    for key in ("fran", "till"):
        if params.get(key) and (params[key], params[key]) not in years:
            years.append((params[key], params[key]))
    return html.Div(
        [
            dbc.Row(
                [
                    _select(
                        FOCUS_SELECT,
                        "Insatsområde",
                        [("", "Alla insatsområden")] + [(n, n) for n in options["focus_areas"]],
                        params.get("insatsomrade"),
                    ),
                    _select(
                        STATUS_SELECT,
                        "Status",
                        [("", "Alla statusar")] + [(s, status_label(s)) for s in options["statuses"]],
                        params.get("status"),
                    ),
                    _select(FROM_SELECT, "Från år", [("", "Från början")] + years, params.get("fran")),
                    _select(TO_SELECT, "Till år", [("", "Till slutet")] + years, params.get("till")),
                ]
            ),
            dcc.Link(
                "Visa alla projekt (rensa filtren)",
                href=_href("/projekt", {"kommun": params.get("kommun")}),
                className="small",
            )
            if any(params.get(k) for k in FILTER_PARAMS)
            else None,
        ],
        role="group",
        className="mb-3",
        **{"aria-label": "Filtrera projekten"},
    )


def _scope(kommun: str | None, params: dict[str, str]) -> str:
    parts = [f"som berör {kommun}" if kommun else "i alla sju kommuner"]
    if params.get("insatsomrade"):
        parts.append(f"inom {params['insatsomrade']}")
    if params.get("status"):
        parts.append(f"med status {params['status']}")
    return "Projekt " + ", ".join(parts)


def _pager(data: dict, params: dict[str, str]) -> html.Div:
    info = (
        f"Visar {format_number(data['first'])}–{format_number(data['last'])} av {format_number(data['total'])} "
        "projekt med tidsram"
        if data["total"]
        else "Inga projekt med tidsram"
    )
    links = []
    if data["pages"] > 1:
        page = data["page"]
        if page > 1:
            links.append(
                dcc.Link("← Föregående", href=_href("/projekt", {**params, "sida": str(page - 1)}), className="me-3")
            )
        links.append(html.Span(f"Sida {format_number(page)} av {format_number(data['pages'])}", className="me-3"))
        if page < data["pages"]:
            links.append(dcc.Link("Nästa →", href=_href("/projekt", {**params, "sida": str(page + 1)})))
    return html.Div(
        [
            html.P(info, id=PAGE_INFO, className="mb-1"),
            html.Nav(links, className="mb-2", **{"aria-label": "Sidor i tidslinjen"}) if links else None,
        ]
    )


TIMELINE_TABLE_HEADERS = ("Projekt", "Insatsområde", "Start", "Slut", "Status", "Etapper")


def _timeline_table(rows: list[dict], params: dict[str, str], caption: str) -> dbc.Table:
    kommun = {"kommun": params.get("kommun")}
    body = [
        html.Tr(
            [
                html.Th(dcc.Link(p["name"], href=_href(f"/projekt/{p['id']}", kommun)), scope="row"),
                html.Td(p["focus_area"] or NO_FOCUS_AREA),
                html.Td(format_date(p["start_date"]) if p["start_date"] else "ej angiven"),
                html.Td(format_date(p["end_date"]) if p["end_date"] else "ej angivet"),
                html.Td(status_badge(p["status"])),
                html.Td(
                    "; ".join(
                        f"{ph['name']} {format_date(ph['start_date'])} – {format_date(ph['end_date'])}"
                        for ph in p["phases"]
                    )
                    or "–"
                ),
            ]
        )
        for p in rows
    ]
    return dbc.Table(
        [
            html.Caption(caption),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in TIMELINE_TABLE_HEADERS])),
            html.Tbody(body),
        ],
        id=TIMELINE_TABLE,
        striped=True,
        responsive=True,
        className="align-middle",
    )


def _undated(data: dict, params: dict[str, str]) -> html.Div | None:
    if not data["undated_total"]:
        return None
    kommun = {"kommun": params.get("kommun")}
    more = data["undated_total"] - len(data["undated"])
    return html.Div(
        [
            html.H3("Utan tidsram", className="h5 mt-3"),
            html.P(
                f"{format_number(data['undated_total'])} projekt har varken start- eller slutdatum och kan inte "
                "placeras på tidslinjen:",
                className="mb-1",
            ),
            html.Ul(
                [
                    html.Li(
                        [
                            dcc.Link(p["name"], href=_href(f"/projekt/{p['id']}", kommun)),
                            " ",
                            status_badge(p["status"]),
                            f" ({p['focus_area'] or NO_FOCUS_AREA}"
                            + (f"; tidsram i källan: ”{p['time_frame_text']}”" if p["time_frame_text"] else "")
                            + ")",
                        ]
                    )
                    for p in data["undated"]
                ]
            ),
            html.P(f"… och {format_number(more)} till: se tabellen nedan.") if more > 0 else None,
        ],
        id=UNDATED,
    )


GRID_COLUMNS = [
    {"field": "name", "headerName": "Projekt", "cellRenderer": "markdown", "minWidth": 320, "flex": 4},
    {"field": "focus_area", "headerName": "Insatsområde", "minWidth": 170, "flex": 2},
    {"field": "start_date", "headerName": "Start", "minWidth": 120, "flex": 1},
    {"field": "end_date", "headerName": "Slut", "minWidth": 120, "flex": 1},
    {"field": "status", "headerName": "Status", "minWidth": 120, "flex": 1},
    {"field": "budget", "headerName": "Angiven budget", "minWidth": 150, "flex": 1, "type": "rightAligned"},
    {
        "field": "municipalities",
        "headerName": "Kommuner",
        "sortable": False,
        "minWidth": 200,
        "flex": 2,
        "tooltipField": "municipalities",
    },
]


def _markdown_text(text: str) -> str:
    return "".join("\\" + ch if ch in "\\[]()*_`<>#" else ch for ch in text)


def grid_rows(rows: list[dict], kommun: str | None) -> list[dict]:
    """The table's rows as the grid shows them: a link to each project, Swedish dates and amounts, status as text."""
    suffix = _href("", {"kommun": kommun})
    return [
        {
            "id": str(r["id"]),
            "name": f"[{_markdown_text(r['name'])}](/projekt/{r['id']}{suffix})",
            "focus_area": r["focus_area"] or NO_FOCUS_AREA,
            "start_date": r["start_date"] or "ej angiven",
            "end_date": r["end_date"] or "ej angivet",
            "status": status_label(r["status"]),
            "budget": format_kr(r["budget_amount"], r["budget_period"])
            if r["budget_amount"] is not None
            else "ej angiven",
            "municipalities": ", ".join(r["municipalities"]) or "ej angivet",
        }
        for r in rows
    ]


GRID_PAGE_SIZE = 25


def _grid_height(rows: int) -> str:
    """Tall enough for one page of rows (header, rows, paging bar), so a short list leaves no empty box."""
    return f"{110 + 43 * max(1, min(rows, GRID_PAGE_SIZE))}px"


def projects_page(
    data: dict, options: dict, params: dict[str, str], kommun: str | None, problems: list[str]
) -> html.Div:
    """The Projekt page: filters, one page of the timeline (with its table and the projects without dates), and the
    table of every project under the filters."""
    caption = (
        f"Tidslinjens projekt {format_number(data['first'])}–{format_number(data['last'])} av "
        f"{format_number(data['total'])}"
    )
    chart = (
        chart_with_table(
            graph(
                TIMELINE_GRAPH,
                timeline_figure(data["rows"], axis=data["axis"], today=data["today"]),
                label="Tidslinje över projekten, grupperade efter insatsområde. Samma uppgifter finns i tabellen "
                "under diagrammet.",
            ),
            _timeline_table(data["rows"], params, caption),
        )
        if data["rows"]
        else empty_state("Inga projekt med tidsram matchar filtren.")
    )
    csv = _href("/api/projects", {"format": "csv", "kommun": kommun})
    return html.Div(
        [
            page_header("Projekt", _scope(kommun, params)),
            *[dbc.Alert(p, color="warning") for p in problems],
            _filters(options, params),
            html.Section(
                [
                    html.H2("Tidslinje", className="h4", id="projects-timeline-heading"),
                    html.P(
                        "Staplarna visar projektens tidsram; mönster och text anger status, tunna svarta och grå "
                        "segment är etapper. Klicka på ett projekt för att öppna det.",
                        className="small text-body-secondary mb-1",
                    ),
                    _pager(data, params),
                    chart,
                    _undated(data, params),
                ],
                className="mb-4",
                **{"aria-labelledby": "projects-timeline-heading"},
            ),
            html.Section(
                [
                    html.H2("Tabell över projekten", className="h4", id="projects-table-heading"),
                    html.P(
                        "Samma filter som tidslinjen, projekt utan tidsram medräknade. Sortera genom att klicka på en "
                        "kolumnrubrik. CSV-filen innehåller alla projekt"
                        + (f" som berör {kommun}." if kommun else "."),
                        className="small text-body-secondary mb-1",
                    ),
                    data_grid(
                        GRID,
                        # The infinite row model measures rows in advance: no autoHeight (see AG Grid's warning).
                        [{"filter": False, "autoHeight": False, "wrapText": False, **c} for c in GRID_COLUMNS],
                        label="Tabell över projekten",
                        csv_href=csv,
                        infinite=True,
                        page_size=GRID_PAGE_SIZE,
                        height=_grid_height(data["total"] + data["undated_total"]),
                    ),
                ],
                **{"aria-labelledby": "projects-table-heading"},
            ),
        ]
    )


# --- one project ---------------------------------------------------------------------------------------------------

FIELD_LABELS = {
    "name": "Namn",
    "focus_area_id": "Insatsområde",
    "description": "Beskrivning",
    "owner_organisation": "Projektägare",
    "contact_name": "Kontaktperson",
    "contact_role": "Kontaktpersonens roll",
    "start_date": "Startdatum",
    "end_date": "Slutdatum",
    "time_frame_text": "Tidsram i källan",
    "status": "Status",
    "budget_amount": "Budget",
    "budget_period": "Budgetperiod",
    "budget_text": "Budget i källan",
    "uncertain": "Osäkert i underlaget",
    "municipalities": "Kommuner",
    "funder": "Finansiär",
    "kind": "Typ",
    "amount": "Belopp",
    "period": "Period",
    "label": "Del",
}
PART_NOUNS = {"phase": "Etapp", "funding_line": "Finansiär", "budget_part": "Budgetdel"}
ACTION_WORDS = {"create": "tillagd", "update": "ändrad", "delete": "borttagen"}


def _amount(value: int | None, period: str | None) -> str:
    """'4 650 000 kr/år', '12 600 000 kr för hela perioden', or 'ej angivet'."""
    if value is None:
        return "ej angivet"
    return format_kr(value, period) + (" för hela perioden" if period == "totalt" else "")


def _value(value) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int):
        return format_number(value)
    return str(value)


def format_when(iso: str) -> str:
    """A stored UTC time as Swedish local time: '23 november 2026 kl. 06:14'."""
    at = dt.datetime.fromisoformat(iso).astimezone(STOCKHOLM)
    return f"{format_date(at.date(), long=True)} kl. {at:%H:%M}"


def _part_detail(entity: str, values: dict | None) -> str | None:
    """What a new part holds: a funder's kind and amount, a phase's dates, a budget part's amount."""
    if not values:
        return None
    if entity == "funding_line":
        return f"{values.get('kind')}, {_amount(values.get('amount'), values.get('period'))}"
    if entity == "phase":
        return f"{format_date(values.get('start_date'))} – {format_date(values.get('end_date'))}"
    if entity == "budget_part" and values.get("amount") is not None:
        return format_kr(values["amount"])
    return None


def history_event(h: dict) -> list:
    """What happened, readably: 'Skapad från demodata', 'Finansiär ”X” tillagd', or each changed field old → new."""
    if h["entity"] == "project":
        if h["action"] == "create":
            head = f"Skapad från {h['source']}"
        elif h["action"] == "delete":
            head = "Borttagen"
        else:
            head = "Ändrad"
    else:
        noun = PART_NOUNS.get(h["entity"], h["entity"])
        head = f"{noun} ”{h['part'] or '?'}” {ACTION_WORDS.get(h['action'], h['action'])}"
        detail = _part_detail(h["entity"], h["after"] if h["action"] == "create" else None)
        if detail:
            head += f" ({detail})"
    if not h["changes"]:
        return [head]
    return [
        head + ":",
        html.Ul(
            [
                html.Li(
                    [
                        f"{FIELD_LABELS.get(c['field'], c['field'])}: ",
                        html.Del(_value(c["before"])),
                        " → ",
                        html.Ins(_value(c["after"])),
                    ]
                )
                for c in h["changes"]
            ],
            className="mb-0",
        ),
    ]


def _table(caption: str, headers: list[str], rows: list[list], *, foot: list[list] | None = None, **kw) -> dbc.Table:
    return dbc.Table(
        [
            html.Caption(caption),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in headers])),
            html.Tbody([html.Tr([html.Td(c) for c in row]) for row in rows]),
            html.Tfoot([html.Tr([html.Th(row[0], scope="row"), *[html.Td(c) for c in row[1:]]]) for row in foot])
            if foot
            else None,
        ],
        striped=True,
        responsive=True,
        className="align-middle",
        **kw,
    )


def _money(p: dict) -> list:
    out = [
        html.H2("Budget och finansiering", className="h4 mt-4"),
        html.P(
            [
                html.Strong("Angiven budget: "),
                _amount(p["budget_amount"], p["budget_period"]),
                f" (i källan: ”{p['budget_text']}”)" if p.get("budget_text") else "",
            ]
        ),
    ]
    rows = [[f["funder"], f["kind"], _amount(f["amount"], f["period"])] for f in p["funding"]]
    gap = p["unspecified_amount"]
    if gap is not None and gap > 0:
        rows.append([html.Em("Ej specificerat"), "–", _amount(gap, p["budget_period"])])
    foot = []
    if p["funding"] and p["funding_sum"] is not None:
        foot.append(["Summa angivna finansiärer", "", _amount(p["funding_sum"], p["funding_sum_period"])])
    if p["budget_amount"] is not None:
        foot.append(["Angiven budget", "", _amount(p["budget_amount"], p["budget_period"])])
    notes = []
    if not p["funding"]:
        notes.append("Källan anger inga finansiärer.")
    if rows:
        out.append(_table("Finansiärer och belopp", ["Finansiär", "Typ", "Belopp"], rows, foot=foot or None))
    else:
        out.append(empty_state("Inga finansiärer och ingen budget angivna."))
    if gap is not None and gap > 0:
        notes.append(
            f"Ej specificerat: {_amount(gap, p['budget_period'])} av den angivna budgeten har ingen angiven "
            "finansiär (budgeten minus summan av finansiärerna)."
        )
    elif gap is not None and gap < 0:
        notes.append(f"Finansiärerna summerar till {_amount(-gap, p['budget_period'])} mer än den angivna budgeten.")
    if p["funding_unknown_count"]:
        notes.append(
            f"{p['funding_unknown_count']} finansiär(er) saknar belopp i källan, så skillnaden mot budgeten kan inte "
            "beräknas."
        )
    elif gap is None and p["funding"] and p["budget_amount"] is not None:
        notes.append("Budget och finansiärer anges för olika perioder och jämförs därför inte.")
    out.extend(html.P(n) for n in notes)
    if p["budget_parts"]:
        out.append(
            _table(
                "Budgetens delar (som källan anger dem; inga finansiärer)",
                ["Del", "Belopp"],
                [[b["label"], format_kr(b["amount"])] for b in p["budget_parts"]],
            )
        )
    return out


def project_detail_page(p: dict | None, history: list[dict], *, project_id: str, back_href: str) -> html.Div:
    """One project: what it is, who runs it, where, when, its money, what the source leaves open, and its history."""
    if p is None:
        return html.Div(
            [
                page_header("Projektet finns inte"),
                empty_state(f"Det finns inget projekt med nummer {project_id}. Det kan ha tagits bort."),
                dcc.Link("← Till alla projekt", href=back_href),
            ]
        )
    contact = ", ".join(x for x in [p["contact_name"], p["contact_role"]] if x)
    facts = [
        (
            "Insatsområde",
            (p["focus_area"] or NO_FOCUS_AREA) + (f" (verksamhetsplan {p['plan_year']})" if p["plan_year"] else ""),
        ),
        ("Status", status_badge(p["status"])),
        ("Tidsram", time_frame_text(p)),
        ("Tidsram i källan", p["time_frame_text"] or "ej angiven"),
        ("Projektägare", p["owner_organisation"] or "ej angiven"),
        ("Kontaktperson", contact or "ej angiven"),
        ("Kommuner", ", ".join(p["municipalities"]) or "ej angivet"),
    ]
    phases = (
        _table(
            "Projektets etapper",
            ["Etapp", "Start", "Slut"],
            [[ph["name"], format_date(ph["start_date"]), format_date(ph["end_date"])] for ph in p["phases"]],
        )
        if p["phases"]
        else html.P("Inga etapper angivna.")
    )
    history_table = (
        _table(
            "Ändringar av projektet och dess delar, senaste först",
            ["När", "Vem", "Källa", "Händelse"],
            [[format_when(h["at"]), h["username"], h["source"], history_event(h)] for h in history],
        )
        if history
        else empty_state("Ingen historik registrerad.")
    )
    return html.Div(
        [
            dcc.Link("← Alla projekt", href=back_href),
            page_header(p["name"]),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            html.H2("Om projektet", className="h4"),
                            html.P(p["description"] or "Ingen beskrivning angiven."),
                            html.Dl([x for k, v in facts for x in (html.Dt(k), html.Dd(v))], className="facts"),
                        ],
                        lg=7,
                    ),
                    dbc.Col([html.H2("Etapper", className="h4"), phases], lg=5),
                ]
            ),
            *_money(p),
            html.H2("Osäkert i underlaget", className="h4 mt-4"),
            html.Ul([html.Li(u) for u in p["uncertain"]]) if p["uncertain"] else html.P("Inget noterat."),
            html.H2("Ändringshistorik", className="h4 mt-4"),
            history_table,
        ]
    )
