"""Verksamhetsplan: focus areas, their activities and projects."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts.components import empty_state, page_header, status_badge
from layouts.format import format_date


def plan_page(plans: list[dict], kommun: str | None) -> html.Div:
    if not plans:
        return html.Div([page_header("Verksamhetsplan"), empty_state("Ingen verksamhetsplan är inläst ännu.")])
    plan = plans[0]
    adopted = (
        f"Antagen av {plan['adopted_by']} {format_date(plan['adopted_on'], long=True)}" if plan["adopted_on"] else None
    )
    sections = []
    for fa in plan["focus_areas"]:
        activities = [
            html.Li(
                [
                    html.Div([html.Strong(a["title"]), " ", status_badge(a["status"])]),
                    html.Div(a["description"], className="small"),
                    html.Div(
                        [
                            f"Ansvarig: {a['responsible']}" if a["responsible"] else "Ansvarig: ej angiven",
                            f" · Klart: {a['due_text']}" if a["due_text"] else "",
                        ],
                        className="small text-body-secondary",
                    ),
                ],
                className="mb-2",
            )
            for a in fa["activities"]
        ]
        projects = [
            html.Li([dcc.Link(p["name"], href=f"/projekt/{p['id']}"), " ", status_badge(p["status"])])
            for p in fa["projects"]
        ]
        sections.append(
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H2(fa["name"], className="h4"),
                        html.H3("Aktiviteter", className="h6 mt-3"),
                        html.Ul(activities, className="list-unstyled") if activities else html.P("Inga aktiviteter."),
                        html.H3("Projekt", className="h6 mt-3"),
                        html.Ul(projects)
                        if projects
                        else html.P(
                            "Inga projekt" + (f" som berör {kommun}." if kommun else "."),
                            className="text-body-secondary",
                        ),
                    ]
                ),
                className="mb-3",
            )
        )
    return html.Div([page_header(plan["title"], adopted), *sections])
