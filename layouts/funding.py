"""Finansiering: the funding mix by kind of funder and by funder on a common yearly basis, and each project's stated
budget against the sum of its funders ("ej specificerat")."""

from __future__ import annotations

import functools
import json

import dash_bootstrap_components as dbc
from dash import html

from layouts.charts import PALETTE, PATTERNS, base_figure, chart_with_table, graph, plotly_text
from layouts.components import data_table, empty_state, kpi_card, page_header
from layouts.format import format_kr, format_number
from layouts.grid import data_grid

FROM_SELECT = "funding-from-select"
TO_SELECT = "funding-to-select"
KIND_SELECT = "funding-kind-select"
YEAR_GRAPH = "funding-year-graph"
FUNDER_GRAPH = "funding-funder-graph"
PROJECT_GRID = "funding-projects-grid"
KPI_FUNDERS = "funding-kpi-funders"
KPI_GAP = "funding-kpi-gap"
KPI_BUDGET = "funding-kpi-budget"

# The kinds of funder in the data model's order, then the gap; the same colour and pattern in every chart.
KINDS = ("kommunerna", "EU", "stat", "region/landsting", "universitet", "privat", "övrigt")
GAP = "ej specificerat"
OTHERS = "Övriga"
ALL = "alla"  # the selectors' value for "no limit" (an empty value would show the select's hidden placeholder)
ROW_HEIGHT = 104
PAGE_SIZE = 25
STYLE = {kind: (PALETTE[i], PATTERNS[i]) for i, kind in enumerate(KINDS)}
STYLE[GAP] = ("#8C8C8C", "|")  # grey with vertical lines: unlike any kind, in colour and in greyscale
OTHERS_STYLE = ("#D9D9D9", "")

RULE = (
    "Belopp per år räknas för varje kalenderår som projektet pågår. Pågår projektet bara en del av ett år räknas en "
    "andel efter antalet månader (en månad räknas om projektet pågår någon dag i den): sex av tolv månader ger halva "
    "årsbeloppet. Ett belopp för hela perioden fördelas jämnt på projektets månader och summeras per kalenderår. "
    "”Ej specificerat” är skillnaden mellan projektets angivna budget och summan av dess finansiärer, räknad år för "
    "år på samma sätt. Belopp i projekt som saknar start- eller slutdatum kan inte placeras på år och listas separat "
    "med sina belopp. Finansiärer utan angivet belopp listas som ”belopp ej angivet”; i de projekten går skillnaden "
    "mot budgeten inte att räkna ut och ingår inte i diagrammen."
)


def label_of(category: str) -> str:
    """'kommunerna' → 'Kommunerna', 'EU' stays, 'ej specificerat' → 'Ej specificerat'."""
    return category[:1].upper() + category[1:]


def _bar_style(category: str) -> dict:
    color, pattern = STYLE.get(category, OTHERS_STYLE)
    return {
        "color": color,
        "pattern": {"shape": pattern, "solidity": 0.35, "fgcolor": "#000000" if category == GAP else None},
        "line": {"color": "#ffffff", "width": 1},
    }


@functools.cache
def _base_layout() -> str:
    """The app's figure layout (layouts.charts.base_figure) as JSON, made once: figures here are plain dicts, which
    cost well under a millisecond where building and validating a go.Figure costs some 20 ms."""
    return json.dumps(base_figure().to_plotly_json()["layout"])


def _figure(traces: list[dict], **layout) -> dict:
    base = json.loads(_base_layout())
    for key, value in layout.items():
        base[key] = {**base[key], **value} if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return {"data": traces, "layout": base}


def year_kind_figure(by_year: list[dict], categories: list[str]) -> dict:
    """A stacked bar per year, one series per kind of funder and one for "ej specificerat"."""
    years = [str(row["year"]) for row in by_year]
    traces = [
        {
            "type": "bar",
            "name": label_of(category),
            "x": years,
            "y": [row[category] for row in by_year],
            "marker": _bar_style(category),
            "hovertemplate": "%{x}: %{y:,.0f} kr<extra>" + label_of(category) + "</extra>",
        }
        for category in categories
    ]
    return _figure(
        traces,
        height=420,
        barmode="stack",
        margin={"t": 60},
        legend={"traceorder": "normal"},
        showlegend=True,
        xaxis={"type": "category", "title": {"text": "År"}},
        yaxis={"tickformat": ",.0f", "ticksuffix": " kr", "title": {"text": "Kronor per år"}},
    )


def funder_figure(by_funder: list[dict]) -> dict:
    """The largest funders (a bar each, coloured and patterned by kind), then "Övriga" and "ej specificerat"."""
    labels = [plotly_text(_funder_label(row)) for row in by_funder]
    groups: dict[str, list[int]] = {}
    for i, row in enumerate(by_funder):
        groups.setdefault(row["kind"] or OTHERS, []).append(i)
    traces = [
        {
            "type": "bar",
            "orientation": "h",
            "name": label_of(group),
            "y": [labels[i] for i in members],
            "x": [by_funder[i]["amount"] for i in members],
            "marker": _bar_style(group),
            "text": [format_kr(by_funder[i]["amount"]) for i in members],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{y}: %{x:,.0f} kr<extra></extra>",
        }
        for group, members in sorted(groups.items(), key=lambda g: _group_order(g[0]))
    ]
    return _figure(
        traces,
        height=max(260, 90 + 36 * len(by_funder)),
        barmode="overlay",
        showlegend=True,
        bargap=0.25,
        margin={"t": 60, "r": 120},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": labels, "autorange": "reversed"},
        xaxis={"tickformat": ",.0f", "nticks": 6, "title": {"text": "Kronor, summa för de valda åren"}},
    )


def _group_order(group: str) -> int:
    order = (*KINDS, OTHERS, GAP)
    return order.index(group) if group in order else len(order)


def _funder_label(row: dict) -> str:
    if row["funder"] == OTHERS:
        return f"Övriga ({row['funders']} finansiärer)"
    if row["funder"] == GAP:
        return "Ej specificerat"
    return f"{row['funder']} ({row['kind']})"


def year_table(by_year: list[dict], categories: list[str]) -> html.Table:
    rows = [
        [str(r["year"]), *(format_kr(r[c]) for c in categories), format_kr(sum(r[c] for c in categories))]
        for r in by_year
    ]
    totals = [sum(r[c] for c in categories) for r in by_year]
    rows.append(["Summa", *(format_kr(sum(r[c] for r in by_year)) for c in categories), format_kr(sum(totals))])
    return data_table(
        ["År", *(label_of(c) for c in categories), "Summa"],
        rows,
        caption="Finansiering per år och typ av finansiär, kronor per år",
    )


def funder_table(by_funder: list[dict]) -> html.Table:
    return data_table(
        ["Finansiär", "Typ", "Belopp"],
        [
            [
                _funder_label(r).removesuffix(f" ({r['kind']})") if r["kind"] not in (None, GAP) else _funder_label(r),
                r["kind"] or "flera",
                format_kr(r["amount"]),
            ]
            for r in by_funder
        ],
        caption="Största finansiärerna, summa för de valda åren",
    )


def _select(select_id: str, label: str, options: list[tuple[str, str]], value: str) -> dbc.Col:
    return dbc.Col(
        [
            dbc.Label(label, html_for=select_id),
            dbc.Select(id=select_id, options=[{"label": t, "value": v} for v, t in options], value=value),
        ],
        xs=12,
        sm=4,
        lg=3,
    )


def controls(years: list[int], first: int | None, last: int | None, kind: str | None) -> html.Div:
    year_options = [(str(y), str(y)) for y in sorted({*years, *(y for y in (first, last) if y)})]
    return html.Div(
        [
            dbc.Row(
                [
                    _select(FROM_SELECT, "Från år", [(ALL, "Första året"), *year_options], str(first or ALL)),
                    _select(TO_SELECT, "Till år", [(ALL, "Sista året"), *year_options], str(last or ALL)),
                    _select(
                        KIND_SELECT, "Typ av finansiär", [(ALL, "Alla typer"), *((k, k) for k in KINDS)], kind or ALL
                    ),
                ],
                className="g-3",
            ),
            html.P(
                "Åren gäller diagrammen; typen gäller diagrammen och projekttabellen.",
                className="small text-body-secondary mt-2 mb-0",
            ),
        ],
        className="funding-controls mb-4",
    )


def _unknown_section(unknown: dict) -> html.Div:
    if not unknown["rows"]:
        return html.P("Alla finansiärer har ett angivet belopp.")
    rows = []
    for r in unknown["rows"]:
        names = ", ".join(r["projects"])
        more = r["project_count"] - len(r["projects"])
        rows.append(
            [r["funder"], r["kind"], "belopp ej angivet", names + (f" och {format_number(more)} till" if more else "")]
        )
    return html.Div(
        [
            data_table(
                ["Finansiär", "Typ", "Belopp", "Projekt"],
                rows,
                caption=f"{format_number(unknown['lines'])} finansiärsrader utan angivet belopp",
            ),
            html.P(f"Och {format_number(unknown['more'])} finansiärer till.") if unknown["more"] else None,
        ]
    )


def _unplaced_section(unplaced: dict) -> html.Div:
    if not unplaced["rows"]:
        return html.P("Alla belopp hör till projekt med start- och slutdatum och finns med i diagrammen.")
    rows = [
        [
            r["project"],
            label_of(r["funder"]) if r["funder"] == GAP else r["funder"],
            r["kind"],
            format_kr(r["amount"], r["period"]),
        ]
        for r in unplaced["rows"]
    ]
    return html.Div(
        [
            data_table(
                ["Projekt", "Finansiär", "Typ", "Belopp som angivet"],
                rows,
                caption="Belopp i projekt utan start- eller slutdatum",
            ),
            html.P(f"Och {format_number(unplaced['more'])} rader till (se CSV-filen).") if unplaced["more"] else None,
        ]
    )


def _column(header: str, field: str, col_id: str, width: int, filter_: str | bool = "agNumberColumnFilter", **more):
    return {"headerName": header, "field": field, "colId": col_id, "minWidth": width, "filter": filter_, **more}


# Each column shows a text field and is sorted and filtered by the server on the number (or text) named by its colId
# (see data.funding.funding_table).
PROJECT_COLUMNS = [
    _column("Projekt", "name_md", "name", 170, "agTextColumnFilter", cellRenderer="markdown"),
    _column("Period", "period_text", "start", 100, False),
    _column("Angiven budget", "budget_text", "budget", 140),
    _column("Summa finansiärer", "funding_text", "funding_sum", 140),
    _column("Ej specificerat", "gap_text", "unspecified_amount", 140),
    _column("Finansiering per typ", "mix_text", "kinds", 260, "agTextColumnFilter", sortable=False),
    _column("Budget, hela perioden (kr)", "budget_whole_text", "budget_whole", 110),
    _column("Finansiärer, hela perioden (kr)", "funding_whole_text", "funding_whole", 110),
    _column("Ej specificerat, hela perioden (kr)", "unspecified_whole_text", "unspecified_whole", 120),
]
for _c in PROJECT_COLUMNS:
    _c["filterParams"] = {"buttons": ["reset", "apply"], "closeOnApply": True, "maxNumConditions": 1}


def project_grid(totals_row: dict, csv_href: str, project_count: int) -> html.Div:
    """The per-project table, fetched a page at a time from the server, with a totals row pinned at the bottom."""
    visible = min(max(project_count, 1), PAGE_SIZE)
    return data_grid(
        PROJECT_GRID,
        PROJECT_COLUMNS,
        label="Budget och finansiering per projekt",
        csv_href=csv_href,
        infinite=True,
        page_size=PAGE_SIZE,
        height=f"{(visible + 1) * ROW_HEIGHT + 150}px",
        get_row_id=None,
        # Rows of a fixed height (the infinite row model cannot size rows to their text), headers that wrap.
        grid_options={"pinnedBottomRowData": [totals_row], "rowHeight": ROW_HEIGHT},
        column_defaults={
            "wrapText": True,
            "cellClass": "lh-sm py-1",
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
            "minWidth": 100,
        },
    )


def funding_page(
    mix: dict,
    *,
    kommun: str | None,
    kind: str | None,
    first_year: int | None,
    last_year: int | None,
    totals_row: dict,
    csv_href: str,
) -> html.Div:
    subtitle = (
        f"Projekt som berör {kommun}: " if kommun else "Alla projekt: "
    ) + "finansieringen per typ av finansiär och per finansiär, år för år, och angiven budget mot finansiärerna."
    header = page_header("Finansiering", subtitle)
    if not mix["project_count"]:
        text = (
            "Inga projekt"
            + (f" berör {kommun}" if kommun else "")
            + (f" med finansiär av typen {kind}" if kind else "")
        )
        return html.Div([header, empty_state(text + ".")])
    funders_sum, gap_sum = mix["funders_total"], mix["gap_total"]
    span = _span_text(mix, first_year, last_year)
    totals = mix["totals"]
    kpis = dbc.Row(
        [
            dbc.Col(kpi_card(f"Finansiärer, {span}", format_kr(funders_sum), card_id=KPI_FUNDERS), md=4),
            dbc.Col(
                kpi_card(
                    f"Ej specificerat, {span}",
                    "–" if kind else format_kr(gap_sum),
                    "Visas inte när en typ är vald." if kind else "Budget som ingen angiven finansiär täcker.",
                    card_id=KPI_GAP,
                ),
                md=4,
            ),
            dbc.Col(
                kpi_card(
                    "Angiven budget, hela perioderna",
                    format_kr(totals["budget_whole"]),
                    f"{format_number(totals['projects'])} projekt",
                    card_id=KPI_BUDGET,
                ),
                md=4,
            ),
        ],
        className="g-3 mb-4",
    )
    year_chart = (
        chart_with_table(
            graph(
                YEAR_GRAPH,
                year_kind_figure(mix["by_year"], mix["categories"]),
                label="Stapeldiagram: finansiering "
                "per år, staplad efter typ av finansiär. Siffrorna finns i tabellen under diagrammet.",
            ),
            year_table(mix["by_year"], mix["categories"]),
        )
        if mix["by_year"]
        else empty_state("Inga belopp att visa för de valda åren.")
    )
    funder_chart = (
        chart_with_table(
            graph(
                FUNDER_GRAPH,
                funder_figure(mix["by_funder"]),
                label="Liggande stapeldiagram: de största finansiärerna. Siffrorna finns i tabellen under diagrammet.",
            ),
            funder_table(mix["by_funder"]),
        )
        if mix["by_funder"]
        else empty_state("Inga finansiärer med belopp för de valda åren.")
    )
    notes = []
    if mix["overfunded"]:
        notes.append(
            html.P(
                f"I {format_number(mix['overfunded'])} projekt är finansiärerna något år större än budgeten; "
                "diagrammen visar inget negativt ”ej specificerat”, projekttabellen visar skillnaden.",
                className="small",
            )
        )
    return html.Div(
        [
            header,
            controls(mix["years"], first_year, last_year, kind),
            html.Section(
                [html.H2("Så räknas beloppen om till år", className="h5"), html.P(RULE, className="funding-rule")],
                className="mb-4",
            ),
            kpis,
            html.Section(
                [html.H2("Finansiering per år och typ av finansiär", className="h4"), year_chart, *notes],
                className="mb-4",
            ),
            html.Section(
                [
                    html.H2("Största finansiärerna", className="h4"),
                    html.P(
                        f"De tio största finansiärerna {span}, sedan övriga tillsammans och det som inte är "
                        "specificerat.",
                        className="small text-body-secondary",
                    ),
                    funder_chart,
                ],
                className="mb-4",
            ),
            html.Section(
                [
                    html.H2("Budget och finansiering per projekt", className="h4"),
                    html.P(
                        "Angiven budget mot summan av finansiärerna, som de anges (per år eller för hela perioden), "
                        "och samma belopp räknade över hela projektperioden. Summaraden räknar hela perioderna.",
                        className="small text-body-secondary",
                    ),
                    project_grid(totals_row, csv_href, totals["projects"]),
                ],
                className="mb-4",
            ),
            html.Section(
                [html.H2("Finansiärer utan angivet belopp", className="h4"), _unknown_section(mix["unknown"])],
                className="mb-4",
            ),
            html.Section(
                [html.H2("Belopp som inte kan placeras på år", className="h4"), _unplaced_section(mix["unplaced"])],
                className="mb-4",
            ),
        ]
    )


def _span_text(mix: dict, first: int | None, last: int | None) -> str:
    years = [r["year"] for r in mix["by_year"]] or mix["years"]
    if not years:
        return "alla år"
    lo, hi = first or min(years), last or max(years)
    return f"{lo}–{hi}" if lo != hi else str(lo)
