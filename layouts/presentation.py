"""Presentation for Regionrådet: one topic per screen, large type, high contrast, nothing to edit.

The frame (top bar with municipality and exit, the slide, the navigation bar) is the same on every slide; only the
slide's own content changes.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts.charts import base_figure, chart_with_table, plotly_text
from layouts.components import STATUS_ICONS, data_table
from layouts.format import NBSP, format_date, format_kr, format_number
from layouts.shell import ALL, kommun_options

ROOT = "presentation-root"
SLIDE = "presentation-slide"
TITLE = "presentation-slide-title"
POSITION = "presentation-position"
PREV = "presentation-prev"
NEXT = "presentation-next"
FIRST = "presentation-first"
LAST = "presentation-last"
PLAY = "presentation-play"
INTERVAL = "presentation-interval"
STATE = "presentation-state"
KOMMUN_SELECT = "presentation-kommun-select"
EXIT = "presentation-exit"
TIMELINE_GRAPH = "presentation-timeline-graph"
FUNDING_GRAPH = "presentation-funding-graph"

AUTO_SECONDS = 20
FONT_SIZE = 26  # px in the charts; the page's own text is larger (presentation.css)
INK = "#111111"
# A chart on a shared screen: no tool bar, no hover, nothing that moves under the presenter's pointer.
STATIC_CONFIG = {"locale": "sv", "displayModeBar": False, "staticPlot": True, "responsive": True}
# Status in the charts: colour, pattern and (beside the bar) the word.
STATUS_LOOK = {
    "pågår": ("#0072B2", ""),
    "planerad": ("#FFFFFF", "/"),
    "pausad": ("#E69F00", "x"),
    "avslutad": ("#009E73", "."),
}


def status_text(status: str) -> html.Span:
    """Status as icon and word in the text colour: readable in greyscale and at a distance."""
    return html.Span(
        [
            html.Span(STATUS_ICONS.get(status, "•"), className="presentation-status-icon", **{"aria-hidden": "true"}),
            " ",
            status,
        ],
        className="presentation-status",
    )


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{format_number(n)} {status}" for status, n in counts.items())


def _count(n: int, one: str, many: str) -> str:
    return f"{format_number(n)} {one if n == 1 else many}"


def _more(shown: int, total: int, one: str, many: str) -> html.P | None:
    """The line under a list cut short: "… och 7 992 projekt till."."""
    if total <= shown:
        return None
    rest = total - shown
    return html.P(f"… och {format_number(rest)} {one if rest == 1 else many} till.", className="presentation-more")


def _scope(kommun: str | None) -> str:
    return kommun or "alla sju kommuner"


def _percent(part: float, whole: float) -> str:
    return f"{format_number(100 * part / whole)}{NBSP}%" if whole else "–"


# --- the frame ------------------------------------------------------------------------------------------------------


def presentation_page(
    *,
    slide: list,
    title: str,
    kicker: str,
    position: int,
    total: int,
    kommun: str | None,
    municipalities: list[str],
    playing: bool,
    exit_href: str,
) -> html.Div:
    """The whole screen: top bar, the slide with its h1, the navigation bar; `slide` is the slide's body."""
    top = html.Div(
        [
            html.P(
                [
                    "Umeåregionen",
                    html.Span(" · piltangenterna byter bild", className="presentation-keys"),
                ],
                className="presentation-brand",
            ),
            html.Div(
                [
                    html.Label("Kommun", htmlFor=KOMMUN_SELECT, className="presentation-label"),
                    dbc.Select(
                        id=KOMMUN_SELECT,
                        options=kommun_options(municipalities),
                        value=kommun or ALL,
                        className="presentation-select",
                    ),
                    dcc.Link("Avsluta presentation", href=exit_href, id=EXIT, className="btn presentation-exit"),
                ],
                className="presentation-top-controls",
            ),
        ],
        className="presentation-top",
    )
    section = html.Section(
        [
            html.P(kicker, className="presentation-kicker"),
            html.H1(title, id=TITLE, className="presentation-title"),
            *slide,
        ],
        id=SLIDE,
        className="presentation-slide",
        **{"aria-labelledby": TITLE},
    )
    play_label = (
        [html.Span("⏸", **{"aria-hidden": "true"}), " Pausa automatisk visning"]
        if playing
        else [html.Span("▶", **{"aria-hidden": "true"}), f" Visa automatiskt ({AUTO_SECONDS} s per bild)"]
    )
    nav = html.Nav(
        [
            html.Button(
                [html.Span("←", **{"aria-hidden": "true"}), " Föregående"],
                id=PREV,
                n_clicks=0,
                type="button",
                className="btn presentation-nav-button",
            ),
            # presentation.js reads this into a live region of its own that outlives the page's redraws.
            html.P(f"Bild {position} av {total}: {title}", id=POSITION, className="presentation-position"),
            html.Button(
                ["Nästa ", html.Span("→", **{"aria-hidden": "true"})],
                id=NEXT,
                n_clicks=0,
                type="button",
                className="btn presentation-nav-button",
            ),
            # Home and End (presentation.js) click these; a person uses the arrow keys or the buttons above.
            html.Button("Första bilden", id=FIRST, n_clicks=0, type="button", hidden=True),
            html.Button("Sista bilden", id=LAST, n_clicks=0, type="button", hidden=True),
            html.Button(play_label, id=PLAY, n_clicks=0, type="button", className="btn presentation-play"),
        ],
        className="presentation-nav",
        **{"aria-label": "Bildväxling"},
    )
    return html.Div(
        [
            top,
            section,
            nav,
            dcc.Store(id=STATE, data={"bild": position, "antal": total, "kommun": kommun or ALL}),
            dcc.Interval(id=INTERVAL, interval=AUTO_SECONDS * 1000, n_intervals=0, disabled=not playing),
        ],
        id=ROOT,
        className="presentation",
    )


# --- the slides -----------------------------------------------------------------------------------------------------


def figure_tile(label: str, value: str, note: str | None = None) -> html.Div:
    return html.Div(
        [
            html.P(label, className="presentation-tile-label"),
            html.P(value, className="presentation-tile-value"),
            html.P(note, className="presentation-tile-note") if note else None,
        ],
        className="presentation-tile",
    )


def overview_slide(
    figures: dict, project_statuses: dict[str, int], plan: dict | None, areas: list[dict], kommun: str | None
) -> list:
    """Headline figures (projects, stated budget, open and overdue tasks) and the plan's focus areas in brief."""
    missing = figures["projects_without_budget"] + figures["projects_yearly_budget_without_time_frame"]
    budget_note = "årsbelopp räknade över hela tidsramen"
    if missing:
        budget_note += f"; {format_number(missing)} projekt utan budget ingår inte"
    tiles = [
        figure_tile("Projekt", format_number(figures["project_count"]), _counts_text(project_statuses) or None),
        figure_tile("Total angiven budget", format_kr(figures["total_budget"]), budget_note),
        figure_tile(
            "Öppna uppdrag", format_number(figures["open_tasks"]), f"av {format_number(figures['task_count'])} uppdrag"
        ),
        figure_tile("Försenade uppdrag", format_number(figures["overdue_tasks"]), "öppna, datumet har passerat"),
    ]
    body = [
        html.H2(f"Nyckeltal för {_scope(kommun)}", className="visually-hidden"),
        html.Div(tiles, className="presentation-tiles"),
    ]
    if not plan:
        return [*body, html.P("Ingen verksamhetsplan är inläst.", className="presentation-note")]
    items = [
        html.Li(
            [
                html.Span(fa["name"], className="presentation-item-title"),
                html.Br(),
                (
                    f"aktiviteter: {_counts_text(fa['activity_status_counts'])}"
                    if fa["activity_status_counts"]
                    else "inga aktiviteter"
                )
                + f" · {_count(fa['project_count'], 'projekt', 'projekt')}",
            ],
            className="presentation-area",
        )
        for fa in areas
    ]
    return [
        *body,
        html.H2(f"Insatsområden i {plan['title']}", className="presentation-h2 presentation-h2-small"),
        html.Ul(items, className="presentation-list presentation-areas"),
    ]


def _list_class(items: list) -> str:
    """Two columns for a long list, one for a short (a lone description reads badly in half the width)."""
    return "presentation-list presentation-list-2" if len(items) > 3 else "presentation-list"


def focus_area_slide(area: dict, kommun: str | None) -> list:
    """One focus area: its activities with status and who is responsible, and the projects under it."""
    activities = [
        html.Li(
            [
                status_text(a["status"]),
                html.Span(
                    [
                        html.Span(a["title"], className="presentation-item-title"),
                        html.Span(" – " + " · ".join(x for x in [a["responsible"], a["due_text"]] if x))
                        if a["responsible"] or a["due_text"]
                        else None,
                        html.Span(a["description"], className="presentation-item-description")
                        if area["activity_count"] <= 2 and a["description"]
                        else None,
                    ],
                    className="presentation-item-text",
                ),
            ],
            className="presentation-item",
        )
        for a in area["activities"]
    ]
    projects = [
        html.Li(
            [
                status_text(p["status"]),
                html.Span(p["name"], className="presentation-item-text presentation-item-title"),
            ],
            className="presentation-item",
        )
        for p in area["projects"]
    ]
    activity_summary = (
        f"{_count(area['activity_count'], 'aktivitet', 'aktiviteter')}: {_counts_text(area['activity_status_counts'])}"
        if area["activity_count"]
        else "Inga aktiviteter i planen."
    )
    project_summary = (
        f"{format_number(area['project_count'])} projekt: {_counts_text(area['project_status_counts'])}"
        if area["project_count"]
        else (f"Inga projekt som berör {kommun}." if kommun else "Inga projekt.")
    )
    return [
        html.Div(
            [
                html.H2("Aktiviteter", className="presentation-h2"),
                html.P(activity_summary, className="presentation-summary"),
            ],
            className="presentation-heading-row",
        ),
        html.Ul(activities, className=_list_class(activities)) if activities else None,
        _more(len(activities), area["activity_count"], "aktivitet", "aktiviteter"),
        html.Div(
            [
                html.H2("Projekt", className="presentation-h2"),
                html.P(project_summary, className="presentation-summary"),
            ],
            className="presentation-heading-row",
        ),
        html.Ul(projects, className=_list_class(projects)) if projects else None,
        _more(len(projects), area["project_count"], "projekt", "projekt"),
    ]


def _day_after(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso) + dt.timedelta(days=1)


@functools.cache
def _base_layout() -> dict:
    """The app's chart look (layouts.charts.base_figure: Swedish separators, palette, font) as a plain dict, without
    Plotly's default template. Figures here are plain dicts: a go.Figure validates every property on the way and
    costs tens of milliseconds per chart, the dict next to nothing."""
    layout = base_figure().to_plotly_json()["layout"]
    layout.pop("template", None)
    return layout


def _figure(data: list[dict], *, height: int, xaxis: dict, yaxis: dict, **layout) -> dict:
    base = copy.deepcopy(_base_layout())
    return {
        "data": data,
        "layout": {
            **base,
            "height": height,
            "font": {**base.get("font", {}), "size": FONT_SIZE, "color": INK},
            "showlegend": False,
            "xaxis": {**base.get("xaxis", {}), "gridcolor": "#bbbbbb", "tickfont": {"size": FONT_SIZE}, **xaxis},
            "yaxis": {**base.get("yaxis", {}), "tickfont": {"size": FONT_SIZE}, **yaxis},
            **layout,
        },
    }


def _bar_marker(colour: str, pattern: str) -> dict:
    return {"color": colour, "line": {"color": INK, "width": 2}, "pattern": {"shape": pattern, "fgcolor": INK}}


def _right_column(names: list[str], texts: list[str]) -> list[dict]:
    """Words beside each bar, right of the plot: the status or the difference, so nothing rests on colour."""
    return [
        {"x": 1.01, "xref": "paper", "xanchor": "left", "y": name, "yref": "y", "showarrow": False, "text": text}
        for name, text in zip(names, texts, strict=True)
    ]


def timeline_figure(rows: list[dict], today: dt.date) -> dict:
    """A Gantt of the given projects (phases as separate bars), status as colour, pattern and word, and a line for
    today when today falls within the timeline."""
    names = [plotly_text(r["name"]) for r in rows]
    data = []
    for status in dict.fromkeys(r["status"] for r in rows):
        y, base, length = [], [], []
        for r in rows:
            if r["status"] != status:
                continue
            for start, end in [(ph["start_date"], ph["end_date"]) for ph in r["phases"]] or [
                (r["start_date"], r["end_date"])
            ]:
                y.append(plotly_text(r["name"]))
                base.append(start)
                length.append((_day_after(end) - dt.date.fromisoformat(start)).days * 86_400_000)
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "y": y,
                "x": length,
                "base": base,
                "name": f"{STATUS_ICONS.get(status, '•')} {status}",
                "marker": _bar_marker(*STATUS_LOOK.get(status, ("#595959", ""))),
            }
        )
    annotations = _right_column(names, [f"{STATUS_ICONS.get(r['status'], '•')} {r['status']}" for r in rows])
    shapes = []
    if rows and min(r["start_date"] for r in rows) <= today.isoformat() <= max(r["end_date"] for r in rows):
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": today.isoformat(),
                "x1": today.isoformat(),
                "y0": 0,
                "y1": 1,
                "line": {"color": INK, "width": 3, "dash": "dash"},
            }
        )
        annotations.append(
            {"x": today.isoformat(), "y": 0, "yref": "paper", "yanchor": "top", "text": "Idag", "showarrow": False}
        )
    return _figure(
        data,
        height=100 + 58 * len(rows),
        barmode="overlay",
        bargap=0.35,
        margin={"l": 10, "r": 230, "t": 50, "b": 45 if shapes else 10},
        annotations=annotations,
        shapes=shapes,
        xaxis={"type": "date", "tickformat": "%Y", "dtick": "M12", "ticklabelmode": "period", "side": "top"},
        yaxis={"categoryorder": "array", "categoryarray": names, "autorange": "reversed"},
    )


def _time_frame(start: str | None, end: str | None) -> str:
    return f"{format_date(start)} – {format_date(end)}"


def timeline_slide(timeline: dict, today: dt.date, kommun: str | None) -> list:
    """The projects on a time axis: the nearest in time when there are many; those without dates named below."""
    rows = timeline["rows"]
    if not rows:
        body = [html.P(f"Inga projekt med tidsram berör {_scope(kommun)}.", className="presentation-summary")]
    else:
        shown = len(rows)
        summary = (
            f"{format_number(timeline['dated_count'])} projekt med tidsram."
            if shown == timeline["dated_count"]
            else f"De {format_number(shown)} projekt som ligger närmast i tid, av "
            f"{format_number(timeline['dated_count'])} med tidsram. Alla finns på sidan Projekt."
        )
        starts = min(r["start_date"] for r in rows)
        ends = max(r["end_date"] for r in rows)
        if today.isoformat() > ends:
            summary += f" Idag ({format_date(today, long=True)}) ligger efter tidslinjens slut."
        elif today.isoformat() < starts:
            summary += f" Idag ({format_date(today, long=True)}) ligger före tidslinjens början."
        table = data_table(
            ["Projekt", "Tidsram", "Etapper", "Status"],
            [
                [
                    r["name"],
                    _time_frame(r["start_date"], r["end_date"]),
                    "; ".join(f"{ph['name']}: {_time_frame(ph['start_date'], ph['end_date'])}" for ph in r["phases"])
                    or "–",
                    status_text(r["status"]),
                ]
                for r in rows
            ],
            caption="Projektens tidsramar",
        )
        chart = html.Div(
            dcc.Graph(id=TIMELINE_GRAPH, figure=timeline_figure(rows, today), config=STATIC_CONFIG),
            role="img",
            **{
                "aria-label": "Tidslinje: "
                + "; ".join(f"{r['name']} {_time_frame(r['start_date'], r['end_date'])}, {r['status']}" for r in rows)
            },
        )
        body = [html.P(summary, className="presentation-summary"), chart_with_table(chart, table)]
    if timeline["undated_count"]:
        named = ", ".join(
            r["name"] + (f" ({r['time_frame_text']})" if r["time_frame_text"] else "") for r in timeline["undated"]
        )
        rest = timeline["undated_count"] - len(timeline["undated"])
        body.append(
            html.P(
                f"Utan fullständig tidsram: {named}" + (f" och {format_number(rest)} till" if rest > 0 else "") + ".",
                className="presentation-note",
            )
        )
    return body


# Label, fill, pattern, and the class of the same look in the HTML legend above the chart (presentation.css).
FUNDING_PARTS = [
    ("Finansiärer med belopp", "#0072B2", "", "is-funded"),
    ("Ej specificerat", "#FFFFFF", "/", "is-unspecified"),
    ("Belopp saknas hos finansiär", "#BBBBBB", ".", "is-unknown"),
]


def _funding_parts(r: dict) -> tuple[float, float, float, str]:
    """Funded, unspecified, unknown (per year) and the words beside the bar."""
    funded = r["funding_yearly"] or 0
    if r["unspecified_yearly"] is not None:
        gap = r["unspecified_yearly"]
        if gap < 0:
            return funded, 0, 0, f"finansiärer {format_kr(round(-gap))} över budget"
        return funded, gap, 0, f"ej specificerat {format_kr(round(gap))}" if gap else "helt finansierad"
    unknown = max(r["budget_yearly"] - funded, 0)
    n = r["funding_unknown_count"]
    return funded, 0, unknown, f"{n} finansiär{'er' if n != 1 else ''} utan belopp" if n else "kan inte jämföras"


def funding_figure(rows: list[dict]) -> dict:
    """Per project, the yearly budget as a bar split into what named funders give, what is unspecified and what is
    unknown because a funder has no amount; the difference in words beside each bar."""
    parts = [_funding_parts(r) for r in rows]
    names = [plotly_text(r["name"]) for r in rows]
    data = [
        {"type": "bar", "orientation": "h", "y": names, "x": [p[i] for p in parts], "name": label,
         "marker": _bar_marker(colour, pattern)}
        for i, (label, colour, pattern, _) in enumerate(FUNDING_PARTS)
        if any(p[i] for p in parts)
    ]  # fmt: skip
    ticks = money_ticks(max((r["budget_yearly"] for r in rows), default=0))
    return _figure(
        data,
        height=70 + 62 * len(rows),
        barmode="stack",
        bargap=0.3,
        margin={"l": 10, "r": 430, "t": 10, "b": 10},
        annotations=_right_column(names, [p[3] for p in parts]),
        xaxis={
            "tickvals": [v for v, _ in ticks],
            "ticktext": [t for _, t in ticks],
            "range": [0, ticks[-1][0] * 1.02],
        },
        yaxis={"categoryorder": "array", "categoryarray": names, "autorange": "reversed"},
    )


def money_ticks(largest: float, most: int = 5) -> list[tuple[float, str]]:
    """Round tick values from 0 past `largest` (at most `most` of them), labelled in kronor or "mnkr"."""
    step = 1.0
    while largest / step > most - 1:
        for factor in (2, 2.5, 2):
            step *= factor
            if largest / step <= most - 1:
                break
    count = int(-(-largest // step)) if largest else 1
    values = [step * i for i in range(count + 1)]
    if step >= 1_000_000:
        decimals = 0 if step % 1_000_000 == 0 else 1
        labels = [f"{format_number(v / 1_000_000, decimals)}{NBSP}mnkr" for v in values]
    else:
        labels = [format_kr(v) for v in values]
    return [(v, "0" if v == 0 else label) for v, label in zip(values, labels, strict=True)]


def funding_slide(funding: dict, kommun: str | None) -> list:
    """Stated budgets against what the named funders give, per year, with the gap shown as "ej specificerat"."""
    rows = funding["projects"]
    if not rows:
        return [html.P(f"Inga projekt med angiven budget berör {_scope(kommun)}.", className="presentation-summary")]
    totals = (
        f"Per år: angiven budget {format_kr(round(funding['budget_yearly']))} · finansiärer med belopp "
        f"{format_kr(round(funding['funding_yearly']))} · ej specificerat "
        f"{format_kr(round(funding['unspecified_yearly']))}"
    )
    kinds_total = sum(funding["by_kind"].values())
    kinds = " · ".join(f"{kind} {_percent(amount, kinds_total)}" for kind, amount in funding["by_kind"].items())
    shown = len(rows)
    notes = ["Belopp per år; ett belopp för hela projekttiden är delat med projektets längd i år."]
    if shown < funding["with_budget_count"]:
        notes.append(
            f"Diagrammet visar de {format_number(shown)} största av {format_number(funding['with_budget_count'])} "
            "projekt med budget."
        )
    if funding["undetermined_count"]:
        notes.append(
            f"Ej specificerat kan inte räknas för {format_number(funding['undetermined_count'])} projekt där en "
            "finansiär saknar belopp."
        )
    if funding["without_budget_count"]:
        notes.append(f"{format_number(funding['without_budget_count'])} projekt saknar budget eller tidsram.")
    if kinds:
        notes.append(f"Finansiärernas andelar: {kinds}.")
    table = data_table(
        ["Projekt", "Angiven budget", "Budget per år", "Finansiärer per år", "Ej specificerat per år"],
        [
            [
                r["name"],
                format_kr(r["budget_amount"], r["budget_period"]) + ("" if r["budget_period"] == "år" else " totalt"),
                format_kr(round(r["budget_yearly"])),
                format_kr(round(r["funding_yearly"])) if r["funding_yearly"] is not None else "–",
                format_kr(round(r["unspecified_yearly"]))
                if r["unspecified_yearly"] is not None
                else f"okänt ({r['funding_unknown_count']} finansiärer utan belopp)",
            ]
            for r in rows
        ],
        caption="Budget och finansiering per år",
    )
    chart = html.Div(
        dcc.Graph(id=FUNDING_GRAPH, figure=funding_figure(rows), config=STATIC_CONFIG),
        role="img",
        **{
            "aria-label": "Budget per år och projekt: "
            + "; ".join(f"{r['name']} {format_kr(round(r['budget_yearly']))}, {_funding_parts(r)[3]}" for r in rows)
        },
    )
    return [
        html.P(totals, className="presentation-summary"),
        html.Ul(
            [
                html.Li([html.Span(className="presentation-swatch " + css, **{"aria-hidden": "true"}), label])
                for i, (label, _, _, css) in enumerate(FUNDING_PARTS)
                if any(_funding_parts(r)[i] for r in rows)
            ],
            className="presentation-legend",
            **{"aria-label": "Förklaring till diagrammet"},
        ),
        chart_with_table(chart, table),
        html.P(" ".join(notes), className="presentation-note"),
    ]


def _short(text: str, limit: int = 80) -> str:
    """The first words of a long text, ending in "…" (the whole text is on the page Uppdrag)."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def tasks_slide(tasks: dict, kommun: str | None) -> list:
    """Open tasks, overdue first, the overdue ones marked in words."""
    if not tasks["open_count"]:
        return [html.P(f"Inga öppna uppdrag berör {_scope(kommun)}.", className="presentation-summary")]
    summary = (
        f"{_count(tasks['open_count'], 'öppet uppdrag', 'öppna uppdrag')}, varav "
        f"{format_number(tasks['overdue_count'])} {'försenat' if tasks['overdue_count'] == 1 else 'försenade'}."
    )
    shown = len(tasks["tasks"])
    if shown < tasks["open_count"]:
        summary += f" Här de {format_number(shown)} med datum närmast idag."
    items = []
    for t in tasks["tasks"]:
        due = format_date(t["due_date"]) if t["due_date"] else "inget datum"
        if t["due_text"]:
            due += f" (”{t['due_text']}”)"
        overdue = (
            html.Span([html.Span("⚠", **{"aria-hidden": "true"}), " Försenad"], className="presentation-overdue")
            if t["overdue"]
            else None
        )
        items.append(
            html.Li(
                [
                    html.Span(overdue, className="presentation-item-flag"),
                    html.Span(
                        [
                            html.Span(_short(t["text"]), className="presentation-item-title", title=t["text"]),
                            html.Span(
                                [
                                    status_text(t["status"]),
                                    " · Ansvarig: " + (", ".join(t["owners"]) or "ej angiven"),
                                    " · Datum: " + due,
                                ],
                                className="presentation-item-meta",
                            ),
                        ],
                        className="presentation-item-text",
                    ),
                ],
                className="presentation-item" + (" is-overdue" if t["overdue"] else ""),
            )
        )
    return [
        html.P(summary, className="presentation-summary"),
        html.Ul(items, className="presentation-list presentation-tasks"),
        _more(shown, tasks["open_count"], "öppet uppdrag", "öppna uppdrag"),
    ]
