"""Översikt: headline figures, what needs attention and what changed since the last meeting, the plan's focus areas,
the funding mix by kind of funder, deadlines, latest meeting."""

from __future__ import annotations

import functools
from urllib.parse import parse_qsl, urlencode

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts.charts import PALETTE, base_figure, chart_with_table, graph, plotly_text
from layouts.components import STATUS_ICONS, data_table, empty_state, kpi_card, page_header
from layouts.format import FUNDER_KIND_LABELS, format_date, format_kr, format_number

PROJECTS = "overview-projects"
ACTIVE_PROJECTS = "overview-active-projects"
BUDGET = "overview-budget"
OPEN_TASKS = "overview-open-tasks"
OVERDUE_TASKS = "overview-overdue-tasks"
FUNDING_GRAPH = "overview-funding-graph"
FOCUS_AREAS = "overview-focus-areas"
DEADLINES = "overview-deadlines"
LATEST_MEETING = "overview-latest-meeting"
SIGNALS = "overview-signals"
CHANGES = "overview-changes"
CHANGES_PAGE = "/forandringar"

# The counts of "Sedan förra mötet", in the order and the words of the Förändringar page.
CHANGE_ROWS = (
    (("tasks", "added"), "Nya uppdrag"),
    (("tasks", "completed"), "Uppdrag som blivit klara"),
    (("tasks", "overdue"), "Uppdrag som blivit försenade"),
    (("tasks", "redated"), "Uppdrag med nytt datum"),
    (("projects",), "Projekt med ändringar"),
    (("activities",), "Aktiviteter med ny status"),
    (("imports",), "Importer"),
)

MEETING_KINDS = {"kommunchefsmöte": "Kommunchefsmöte", "regionråd": "Regionrådet", "annat": "Annat möte"}
# Rolled-up focus-area status → icon and a Bootstrap class whose text meets 4.5:1 on its background.
ROLLED_UP_LOOK = {
    "pågår": (STATUS_ICONS["pågår"], "text-bg-primary"),
    "planerad": (STATUS_ICONS["planerad"], "text-bg-secondary"),
    "pausad": (STATUS_ICONS["pausad"], "text-bg-warning"),
    "klar": (STATUS_ICONS["klar"], "text-bg-success"),
    "inga": ("–", "text-bg-light border"),
}


def href(path: str, kommun: str | None, fragment: str | None = None, **params: str) -> str:
    """A link inside the dashboard that keeps the municipality filter."""
    query = {**params, **({"kommun": kommun} if kommun else {})}
    return path + ("?" + urlencode(query) if query else "") + (f"#{fragment}" if fragment else "")


def keep_filter(link: str, kommun: str | None) -> str:
    """A link from the data (which may have a query of its own, "/verksamhetsplan?ar=2005") with the filter kept."""
    path, _, query = link.partition("?")
    return href(path, kommun, **dict(parse_qsl(query)))


def format_share(share: float | None) -> str:
    return "–" if share is None else f"{format_number(share * 100, 1)}\u00a0%"


def rolled_up_badge(status: str, label: str) -> html.Span:
    """A focus area's rolled-up status as icon and word, never colour alone."""
    icon, look = ROLLED_UP_LOOK.get(status, ("•", "text-bg-secondary"))
    return html.Span([html.Span(icon, **{"aria-hidden": "true"}), " ", label], className=f"badge status-badge {look}")


def _figures(figures: dict, scope: str) -> html.Section:
    budget_note = "Årsbelopp räknat över projektets hela tidsram."
    missing = figures["projects_without_budget"] + figures["projects_yearly_budget_without_time_frame"]
    if missing:
        budget_note += f" {format_number(missing)} projekt saknar angiven budget eller tidsram och ingår inte."
    cards = [
        kpi_card("Projekt", format_number(figures["project_count"]), f"som berör {scope}", card_id=PROJECTS),
        kpi_card(
            "Aktiva projekt",
            format_number(figures["active_projects"]),
            "projekt med status ”pågår”",
            card_id=ACTIVE_PROJECTS,
        ),
        kpi_card("Total angiven budget", format_kr(figures["total_budget"]), budget_note, card_id=BUDGET),
        kpi_card(
            "Öppna uppdrag",
            format_number(figures["open_tasks"]),
            f"av {format_number(figures['task_count'])} uppdrag",
            card_id=OPEN_TASKS,
        ),
        kpi_card(
            "Försenade uppdrag",
            format_number(figures["overdue_tasks"]),
            "öppna uppdrag vars datum har passerat",
            card_id=OVERDUE_TASKS,
        ),
    ]
    return html.Section(
        [
            html.H2("Nyckeltal", className="visually-hidden"),
            # The budget needs room for "71 056 000 kr" on one line.
            dbc.Row([dbc.Col(c, xs=12, sm=6, lg=4 if i == 2 else 2, className="mb-3") for i, c in enumerate(cards)]),
        ],
        **{"aria-label": "Nyckeltal"},
    )


@functools.cache
def _base_layout() -> dict:
    """The app's chart layout (layouts.charts.base_figure) as plain data, made once per process: building a
    go.Figure costs tens of milliseconds on every render, a dict costs nothing."""
    return base_figure().to_plotly_json()["layout"]


def funding_figure(rows: list[dict]) -> dict:
    """Horizontal bars: the share of each kind of funder, labelled with the share itself (a plain figure dict)."""
    labels = [plotly_text(FUNDER_KIND_LABELS.get(r["kind"], r["kind"])) for r in rows]
    unspecified = [r["kind"] == "ej specificerat" for r in rows]
    base = _base_layout()
    bar = {
        "type": "bar",
        "orientation": "h",
        "y": labels,
        "x": [round((r["share"] or 0) * 100, 2) for r in rows],
        "marker": {
            "color": ["#6c757d" if u else PALETTE[0] for u in unspecified],
            "pattern": {"shape": ["/" if u else "" for u in unspecified]},
        },
        "text": [format_share(r["share"]) for r in rows],
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": [format_kr(r["amount"]) for r in rows],
        "hovertemplate": "%{y}: %{text} (%{customdata})<extra></extra>",
    }
    layout = {
        **base,
        "height": 60 + 34 * len(rows),
        "showlegend": False,
        "margin": {"l": 10, "r": 60, "t": 10, "b": 10},
        "xaxis": {**base.get("xaxis", {}), "ticksuffix": " %", "rangemode": "tozero"},
        "yaxis": {**base.get("yaxis", {}), "autorange": "reversed", "ticklabelstandoff": 6},
    }
    return {"data": [bar], "layout": layout}


def _funding(funding: dict, scope: str) -> html.Section:
    heading = html.H2("Finansiering per typ av finansiär", className="h4", id="overview-funding-heading")
    if not funding["total"]:
        return html.Section([heading, empty_state(f"Inga belopp finns för projekt som berör {scope}.")])
    notes = [
        "Budgetar och finansiärernas belopp räknas över projektets hela tidsram (ett årsbelopp gånger de år "
        "projektet pågår). ”Ej specificerat” är den del av projektens angivna budget som ingen finansiär med "
        f"angivet belopp täcker. Andelarna är av {format_kr(funding['total'])}: finansiärernas belopp plus det "
        "ej specificerade."
    ]
    if funding["projects_with_uncounted_funders"]:
        notes.append(
            f" I ej specificerat ingår {format_kr(funding['unspecified_with_uncounted_funders'])} från "
            f"{format_number(funding['projects_with_uncounted_funders'])} projekt där finansiärer anges utan belopp "
            "(eller med årsbelopp men utan tidsram)."
        )
    if funding["projects_funded_above_budget"]:
        notes.append(
            f" {format_number(funding['projects_funded_above_budget'])} projekt har finansiärer som tillsammans anger "
            "mer än budgeten; där räknas finansiärernas belopp."
        )
    table = data_table(
        ["Typ av finansiär", "Belopp över hela tidsramen", "Andel"],
        [
            [FUNDER_KIND_LABELS.get(r["kind"], r["kind"]), format_kr(r["amount"]), format_share(r["share"])]
            for r in funding["rows"]
        ],
        caption=f"Finansiering per typ av finansiär, {scope}",
    )
    chart = graph(
        FUNDING_GRAPH,
        funding_figure(funding["rows"]),
        label="Stapeldiagram: andel av finansieringen per typ av finansiär. Siffrorna finns i tabellen under.",
    )
    return html.Section(
        [heading, html.P("".join(notes), className="small text-body-secondary"), chart_with_table(chart, table)],
        **{"aria-labelledby": "overview-funding-heading"},
    )


def _signal_group(group: dict, kommun: str | None) -> html.Li:
    items = [
        html.Li(
            [
                dcc.Link(str(sig["title"]), href=keep_filter(sig["link"], kommun)) if sig["link"] else sig["title"],
                ": ",
                str(sig["reason"]),
            ],
            className="mb-1",
        )
        for sig in group["signals"]
    ]
    more = group["count"] - len(group["signals"])
    return html.Li(
        [
            html.H3(
                [html.Span("⚠", **{"aria-hidden": "true"}), f" {group['label']} ({format_number(group['count'])})"],
                className="h6 mb-1",
            ),
            html.Ul(items, className="small mb-1"),
            html.P(
                dcc.Link(
                    f"… och {format_number(more)} till – se sidan Sedan förra mötet",
                    href=href(CHANGES_PAGE, kommun),
                ),
                className="small mb-0",
            )
            if more > 0
            else None,
        ],
        className="mb-3",
    )


def _and_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " och " + words[-1]


def _signals(signals: dict, kommun: str | None, scope: str) -> html.Section:
    heading = html.H2(
        f"Att uppmärksamma ({format_number(signals['count'])})", className="h4", id="overview-signals-heading"
    )
    context = []
    if signals["last_meeting"]:
        context.append(f"Jämfört med kommunchefsmötet {format_date(signals['last_meeting'])}.")
    if signals["next_meeting"]:
        context.append(f"Nästa möte {format_date(signals['next_meeting'])}.")
    context.append(
        f"Uppdrag och projekt som berör {kommun}; aktiviteterna gäller hela regionen."
        if kommun
        else "Uppdrag, projekt och aktiviteter i hela regionen."
    )
    found = [g for g in signals["groups"] if g["count"]]
    if not found:
        body = [empty_state(f"Inget att uppmärksamma för {scope} just nu.")]
    else:
        quiet = [f"”{g['label']}”" for g in signals["groups"] if not g["count"]]
        body = [
            html.Ul([_signal_group(g, kommun) for g in found], className="list-unstyled mb-2"),
            html.P(f"Inget under {_and_list(quiet)}.", className="small text-body-secondary") if quiet else None,
        ]
    return html.Section(
        [heading, html.P(" ".join(context), className="small text-body-secondary"), *body],
        id=SIGNALS,
        className="border rounded p-3 h-100",
        **{"aria-labelledby": "overview-signals-heading"},
    )


def _count_of(changes: dict, key: tuple[str, ...]) -> int:
    value = changes
    for part in key:
        value = value[part]
    return value


def _changes(changes: dict, kommun: str | None) -> html.Section:
    heading = html.H2("Sedan förra mötet", className="h4", id="overview-changes-heading")
    scope = (
        f"Uppdrag och projekt som berör {kommun}; aktiviteter och importer gäller hela regionen."
        if kommun
        else "Hela regionen."
    )
    intro = html.P(f"Förändringar {changes['label']}. {scope}", className="small text-body-secondary")
    counts = [(label, _count_of(changes, key)) for key, label in CHANGE_ROWS]
    page = href(CHANGES_PAGE, kommun)
    if not any(n for _, n in counts):
        body = [empty_state(f"Inga förändringar {changes['label']}.")]
    else:
        body = [
            html.Ul(
                [
                    html.Li(
                        dcc.Link(
                            [html.Span(label), html.Strong(format_number(n), className="ms-3")],
                            href=page,
                            className="d-flex justify-content-between",
                        ),
                        className="list-group-item",
                    )
                    for label, n in counts
                ],
                className="list-group mb-2",
            )
        ]
    return html.Section(
        [heading, intro, *body, dcc.Link("Se alla förändringar eller jämför med ett annat möte", href=page)],
        id=CHANGES,
        className="border rounded p-3 h-100",
        **{"aria-labelledby": "overview-changes-heading"},
    )


def _focus_area_tile(fa: dict, kommun: str | None) -> dbc.Card:
    scope = f" som berör {kommun}" if kommun else ""
    return dbc.Card(
        dbc.CardBody(
            [
                html.H3(
                    dcc.Link(fa["name"], href=href("/verksamhetsplan", kommun, fa["anchor"])),
                    className="h6 mb-2",
                ),
                html.P(rolled_up_badge(fa["status"], fa["label"]), className="mb-2"),
                html.P(f"Aktiviteter: {fa['activities_text']}", className="small mb-1"),
                html.P(f"Projekt{scope}: {fa['projects_text']}", className="small mb-0"),
            ]
        ),
        className="h-100 focus-area-tile",
    )


def _focus_areas(plan: dict | None, areas: list[dict], kommun: str | None) -> html.Section:
    if plan is None:
        return html.Section(
            [html.H2("Insatsområden", className="h4"), empty_state("Ingen verksamhetsplan är inläst ännu.")]
        )
    scope = f"de projekt som berör {kommun}" if kommun else "alla projekt"
    return html.Section(
        [
            html.H2(f"Insatsområden i verksamhetsplan {plan['year']}", className="h4", id="overview-focus-heading"),
            html.P(
                "Status för varje insatsområde räknas fram ur dess aktiviteter och projekt: Klart när allt är klart "
                "eller avslutat, Pågår när något pågår eller en del är klart, annars Planerad. Aktiviteterna gäller "
                f"hela regionen; av projekten räknas {scope}.",
                className="small text-body-secondary",
            ),
            dbc.Row(
                [dbc.Col(_focus_area_tile(fa, kommun), className="mb-3") for fa in areas],
                className="row-cols-1 row-cols-sm-2 row-cols-lg-4",
                id=FOCUS_AREAS,
            ),
        ],
        **{"aria-labelledby": "overview-focus-heading"},
    )


def _deadline_item(task: dict) -> html.Li:
    due = format_date(task["due_date"], long=True)
    written = f" (”{task['due_text']}”)" if task["due_text"] else ""
    marker = (
        html.Span([html.Span("⚠", **{"aria-hidden": "true"}), " Försenat"], className="badge text-bg-danger me-2")
        if task["overdue"]
        else None
    )
    owners = ", ".join(task["owners"]) if task["owners"] else "ingen ansvarig angiven"
    return html.Li(
        [
            html.Div([marker, html.Strong(f"{due}{written}")]),
            html.Div(task["text"]),
            html.Div(
                [
                    f"Ansvarig: {owners}",
                    " · Från mötet " + format_date(task["meeting_date"]) if task["meeting_date"] else "",
                ],
                className="small text-body-secondary",
            ),
        ],
        className="list-group-item",
    )


def _deadlines(deadlines: dict, kommun: str | None) -> html.Section:
    heading = html.H2("Närmaste tidsgränser", className="h4", id="overview-deadlines-heading")
    more = dcc.Link("Alla uppdrag", href=href("/uppdrag", kommun))
    if not deadlines["tasks"]:
        body = [empty_state("Inga öppna uppdrag med datum."), more]
    else:
        if deadlines["overdue"]:
            count = deadlines["count"]
            late = "1 uppdrag är försenat" if count == 1 else f"{format_number(count)} uppdrag är försenade"
            intro = f"Alla öppna uppdrag med datum har passerat sitt datum: {late}. De som väntat längst visas först."
        else:
            intro = f"Öppna uppdrag med datum från i dag, det närmaste först ({format_number(deadlines['count'])} st)."
        body = [
            html.P(intro, className="small text-body-secondary"),
            html.Ul([_deadline_item(t) for t in deadlines["tasks"]], className="list-group mb-2", id=DEADLINES),
            more,
        ]
    return html.Section([heading, *body], **{"aria-labelledby": "overview-deadlines-heading"})


def _meeting_facts(meeting: dict, kommun: str | None) -> html.Dl:
    rows = [
        ("Datum", format_date(meeting["date"], long=True)),
        ("Typ", MEETING_KINDS.get(meeting["kind"], meeting["kind"])),
        ("Plats", meeting["place"] or "ej angiven"),
    ]
    if "tasks" in meeting:
        rows.append(
            (
                "Anteckningar",
                f"{format_number(meeting['agenda_items'])} punkter" if meeting["agenda_items"] else "inte inlästa",
            )
        )
        label = "Uppdrag" + (f" som berör {kommun}" if kommun else "")
        tasks = (
            f"{format_number(meeting['open_tasks'])} öppna av {format_number(meeting['tasks'])}"
            if meeting["tasks"]
            else "inga"
        )
        rows.append((label, tasks))
    items = []
    for term, value in rows:
        items += [html.Dt(term, className="col-sm-4"), html.Dd(value, className="col-sm-8")]
    return html.Dl(items, className="row facts mb-2")


def _meetings(meetings: dict, kommun: str | None) -> html.Section:
    heading = html.H2("Senaste mötet", className="h4", id="overview-meeting-heading")
    latest, upcoming = meetings["latest"], meetings["next"]
    body = []
    if latest is None:
        body.append(empty_state("Inget möte har hållits ännu."))
    else:
        body += [
            html.P(html.Strong(latest["title"]), className="mb-1") if latest["title"] else None,
            _meeting_facts(latest, kommun),
            dcc.Link(f"Till mötet {format_date(latest['date'])}", href=href(f"/moten/{latest['id']}", kommun)),
        ]
    if upcoming is not None:
        body += [
            html.H3("Nästa möte", className="h6 mt-3"),
            _meeting_facts(upcoming, kommun),
            dcc.Link(f"Till mötet {format_date(upcoming['date'])}", href=href(f"/moten/{upcoming['id']}", kommun)),
        ]
    body.append(html.P("Mötena gäller hela regionen.", className="small text-body-secondary mt-2 mb-0"))
    return html.Section([heading, *body], id=LATEST_MEETING, **{"aria-labelledby": "overview-meeting-heading"})


def overview_page(data: dict, kommun: str | None) -> html.Div:
    """The overview for all seven municipalities (kommun None) or one."""
    scope = kommun or "alla sju kommuner"
    return html.Div(
        [
            page_header("Översikt", f"Läget för {scope}"),
            _figures(data["figures"], scope),
            dbc.Row(
                [
                    dbc.Col(_signals(data["signals"], kommun, scope), lg=7, className="mb-4"),
                    dbc.Col(_changes(data["changes"], kommun), lg=5, className="mb-4"),
                ]
            ),
            dbc.Row(
                [
                    dbc.Col(_focus_areas(data["plan"], data["focus_areas"], kommun), lg=12, className="mb-2"),
                    dbc.Col(_funding(data["funding"], scope), lg=6, className="mb-4"),
                    dbc.Col(
                        [_deadlines(data["deadlines"], kommun), html.Hr(), _meetings(data["meetings"], kommun)],
                        lg=6,
                        className="mb-4",
                    ),
                ]
            ),
        ]
    )
