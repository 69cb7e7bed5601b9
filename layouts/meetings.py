"""Möten: meetings with agenda items, decisions and tasks."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from layouts.components import empty_state, page_header, status_badge
from layouts.format import format_date


def _meeting_card(m: dict) -> dbc.Card:
    when = format_date(m["date"], long=True)
    if m["start_time"]:
        when += f", {m['start_time']}–{m['end_time'] or ''}"
    items = [
        html.Li(
            [
                html.Strong(f"{a['number']}. {a['title']}"),
                html.Span(f" (föredragande: {a['presenter']})", className="small") if a["presenter"] else None,
                html.Ul(
                    [html.Li(["Beslut: ", d]) for d in a["decisions"]]
                    + [
                        html.Li(
                            [
                                "Uppdrag: ",
                                t["text"],
                                " – ",
                                ", ".join(t["owners"]) or "ej namngiven",
                                " ",
                                status_badge(t["status"]),
                            ]
                        )
                        for t in a["tasks"]
                    ],
                    className="small",
                ),
            ]
        )
        for a in m["agenda_items"]
    ]
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2(f"{m['kind'].capitalize()} {format_date(m['date'])}", className="h4"),
                html.P([when, html.Br(), m["place"] or "Plats ej angiven"], className="text-body-secondary"),
                html.P("Deltagare: " + ", ".join(p["name"] for p in m["participants"])) if m["participants"] else None,
                html.Ol(items, className="list-unstyled") if items else html.P("Ingen dagordning inläst."),
            ]
        ),
        className="mb-3",
    )


def meetings_page(meetings: list[dict]) -> html.Div:
    header = page_header("Möten", "Kommunchefsmöten, regionråd och andra möten, senaste först")
    if not meetings:
        return html.Div([header, empty_state("Inga möten är inlästa ännu.")])
    return html.Div([header, *[_meeting_card(m) for m in meetings]])
