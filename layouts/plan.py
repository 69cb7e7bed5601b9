"""Verksamhetsplan: a year's focus areas, their progress, activities (with details) and projects."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts.components import empty_state, page_header, status_badge
from layouts.format import format_date, format_number
from layouts.overview import href, rolled_up_badge

YEAR_SELECT = "plan-year-select"
FOCUS_AREAS = "plan-focus-areas"
# The router's render puts a new value here; a clientside callback then scrolls to the URL's #fragment.
RENDERED = "plan-rendered"
SCROLLED = "plan-scrolled"


def progress_bar(done: int, total: int, name: str) -> html.Div:
    """Share of items done as a bar with an accessible name and the same figure as text."""
    percent = round(100 * done / total) if total else 0
    text = f"{format_number(done)} av {format_number(total)} klara/avslutade"
    return html.Div(
        [
            html.Div(
                html.Div(className="progress-bar bg-success", style={"width": f"{percent}%"}),
                className="progress mb-1",
                role="progressbar",
                **{
                    "aria-label": f"Andel klara eller avslutade i {name}",
                    "aria-valuenow": str(percent),
                    "aria-valuemin": "0",
                    "aria-valuemax": "100",
                    "aria-valuetext": text,
                },
            ),
            html.P(text, className="small mb-0 fw-semibold"),
        ],
        className="plan-progress",
    )


def _due(activity: dict) -> str:
    written, resolved = activity["due_text"], activity["due_date"]
    if written and resolved:
        return f"”{written}” (som det står i planen), tolkat som {format_date(resolved)}"
    if written:
        return f"”{written}” (som det står i planen); inget datum har kunnat tolkas"
    if resolved:
        return format_date(resolved)
    return "ej angivet i planen"


def _activity(activity: dict) -> html.Li:
    responsible = activity["responsible"] or "ej angiven"
    facts = [
        html.Dt("Ansvarig", className="col-sm-3"),
        html.Dd(responsible, className="col-sm-9"),
        html.Dt("Klart", className="col-sm-3"),
        html.Dd(_due(activity), className="col-sm-9"),
        html.Dt("Status", className="col-sm-3"),
        html.Dd(activity["status"], className="col-sm-9"),
    ]
    uncertain = activity["uncertain"]
    return html.Li(
        html.Details(
            [
                html.Summary(
                    [
                        html.Span(activity["title"], className="fw-semibold"),
                        " ",
                        status_badge(activity["status"]),
                        html.Span(f" · Ansvarig: {responsible}", className="small text-body-secondary"),
                    ]
                ),
                html.Div(
                    [
                        html.P(activity["description"] or "Ingen beskrivning.", className="mb-2"),
                        html.Dl(facts, className="row facts mb-2"),
                        html.Div(
                            [
                                html.P("Osäkert i källan:", className="fw-semibold mb-1"),
                                html.Ul([html.Li(u) for u in uncertain]),
                            ]
                        )
                        if uncertain
                        else None,
                    ],
                    className="ps-3 pt-2",
                ),
            ],
            className="plan-activity",
        ),
        className="list-group-item",
    )


def _project(project: dict, kommun: str | None) -> html.Li:
    who = [f"Ägare: {project['owner_organisation']}"] if project["owner_organisation"] else []
    who += [f"Kontakt: {project['contact_name']}"] if project["contact_name"] else []
    return html.Li(
        [
            dcc.Link(project["name"], href=href(f"/projekt/{project['id']}", kommun)),
            " ",
            status_badge(project["status"]),
            html.Span(" · " + (" · ".join(who) or "Ansvarig: ej angiven"), className="small text-body-secondary"),
        ],
        className="list-group-item",
    )


def _more_activities(fa: dict, kommun: str | None, year: int) -> html.P | None:
    """'Visar 10 av 900 aktiviteter' and a link that shows all of this focus area's activities."""
    if fa["activity_count"] <= len(fa["activities"]):
        return None
    return html.P(
        [
            f"Visar {format_number(len(fa['activities']))} av {format_number(fa['activity_count'])} aktiviteter. ",
            dcc.Link(
                "Visa alla aktiviteter i insatsområdet",
                href=href("/verksamhetsplan", kommun, ar=str(year), alla=str(fa["id"])) + f"#{fa['anchor']}",
            ),
        ],
        className="small mt-2",
    )


def _focus_area(fa: dict, kommun: str | None, year: int) -> html.Section:
    scope = f" som berör {kommun}" if kommun else ""
    heading_id = f"{fa['anchor']}-rubrik"
    projects = [_project(p, kommun) for p in fa["projects"]]
    if fa["project_count"] > len(projects):
        more = html.P(
            [
                f"Visar {format_number(len(projects))} av {format_number(fa['project_count'])} projekt{scope}. ",
                dcc.Link(
                    "Alla projekt i insatsområdet",
                    href=href("/projekt", kommun, insatsomrade=fa["name"]),
                ),
            ],
            className="small mt-2",
        )
    else:
        more = None
    return html.Section(
        dbc.Card(
            dbc.CardBody(
                [
                    html.H2(fa["name"], className="h4", id=heading_id),
                    html.Div(
                        [
                            rolled_up_badge(fa["status"], fa["label"]),
                            html.Div(progress_bar(fa["done"], fa["total"], fa["name"]), className="flex-grow-1 ms-3"),
                        ],
                        className="d-flex align-items-start mb-2",
                    ),
                    html.P(
                        [f"Aktiviteter: {fa['activities_text']}. ", f"Projekt{scope}: {fa['projects_text']}."],
                        className="small text-body-secondary",
                    ),
                    html.H3(f"Aktiviteter ({format_number(fa['activity_count'])})", className="h6 mt-3"),
                    html.Ul([_activity(a) for a in fa["activities"]], className="list-group")
                    if fa["activities"]
                    else html.P("Inga aktiviteter.", className="text-body-secondary"),
                    _more_activities(fa, kommun, year),
                    html.H3(f"Projekt{scope} ({format_number(fa['project_count'])})", className="h6 mt-3"),
                    html.Ul(projects, className="list-group")
                    if projects
                    else html.P(f"Inga projekt{scope}.", className="text-body-secondary"),
                    more,
                ]
            ),
            className="mb-3",
        ),
        id=fa["anchor"],
        tabIndex="-1",
        **{"aria-labelledby": heading_id},
    )


def year_select(years: list[int], year: int) -> html.Div:
    return html.Div(
        [
            dbc.Label("Verksamhetsplan för år", html_for=YEAR_SELECT, className="mb-0 me-2"),
            dbc.Select(
                id=YEAR_SELECT,
                options=[{"label": str(y), "value": str(y)} for y in years],
                value=str(year),
                className="w-auto",
            ),
        ],
        className="d-flex align-items-center mb-3",
    )


def plan_page(plan: dict | None, years: list[int], kommun: str | None, requested: str | None = None) -> html.Div:
    """The plan of one year, or a note that no plan is loaded; `requested` is the URL's year as written."""
    if plan is None:
        return html.Div([page_header("Verksamhetsplan"), empty_state("Ingen verksamhetsplan är inläst ännu.")])
    adopted = (
        f"Antagen av {plan['adopted_by'] or 'ej angivet organ'} {format_date(plan['adopted_on'], long=True)}."
        if plan["adopted_on"]
        else "Datum för antagandet är inte angivet."
    )
    notice = None
    if plan["requested_year_missing"] or (requested and not requested.strip().isdigit()):
        notice = dbc.Alert(f"Det finns ingen verksamhetsplan för ”{requested}”. Visar {plan['year']}.", color="warning")
    scope = (
        f"Projekten är de som berör {kommun}. Aktiviteterna gäller hela regionen och visas alltid alla."
        if kommun
        else "Alla projekt visas. Aktiviteterna gäller hela regionen."
    )
    areas = plan["focus_areas"]
    contents = html.Nav(
        [
            html.H2("Insatsområden", className="h6", id="plan-contents-heading"),
            html.Ul([html.Li(html.A(fa["name"], href=f"#{fa['anchor']}")) for fa in areas]),
        ],
        **{"aria-labelledby": "plan-contents-heading"},
    )
    return html.Div(
        [
            page_header(plan["title"], adopted),
            notice,
            year_select(years, plan["year"]),
            html.P(
                [
                    scope,
                    " Status är den som anges i planen eller senare ändrats; framstegen räknas som andelen aktiviteter "
                    "och projekt som är klara eller avslutade (strukna aktiviteter räknas inte).",
                ],
                className="small text-body-secondary",
            ),
            contents if areas else empty_state("Planen har inga insatsområden."),
            html.Div([_focus_area(fa, kommun, plan["year"]) for fa in areas], id=FOCUS_AREAS),
            dcc.Store(id=RENDERED, data={"year": str(plan["year"])}),
            dcc.Store(id=SCROLLED),
        ]
    )
