"""Projekt: the list of projects and one project's page."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts.components import data_table, empty_state, page_header, status_badge
from layouts.format import format_date, format_kr


def _time_frame(p: dict) -> str:
    if not p["start_date"] and not p["end_date"]:
        return "ej angiven"
    return f"{format_date(p['start_date'])} – {format_date(p['end_date'])}"


def projects_page(projects: list[dict], kommun: str | None) -> html.Div:
    header = page_header("Projekt", f"Projekt som berör {kommun}" if kommun else "Alla projekt")
    if not projects:
        return html.Div([header, empty_state("Inga projekt" + (f" berör {kommun}." if kommun else "."))])
    rows = [
        [
            dcc.Link(p["name"], href=f"/projekt/{p['id']}"),
            p["focus_area"] or "–",
            _time_frame(p),
            status_badge(p["status"]),
            format_kr(p["budget_amount"], p["budget_period"]),
            ", ".join(p["municipalities"]) or "ej angivet",
        ]
        for p in projects
    ]
    return html.Div(
        [
            header,
            data_table(
                ["Projekt", "Insatsområde", "Tidsram", "Status", "Angiven budget", "Kommuner"],
                rows,
                caption=f"{len(projects)} projekt",
            ),
        ]
    )


def project_detail_page(p: dict | None, history: list[dict]) -> html.Div:
    if p is None:
        return html.Div(
            [
                page_header("Projektet finns inte"),
                empty_state("Det finns inget projekt med det numret."),
                dcc.Link("Till alla projekt", href="/projekt"),
            ]
        )
    facts = [
        ("Insatsområde", p["focus_area"] or "–"),
        ("Status", status_badge(p["status"])),
        ("Tidsram", _time_frame(p)),
        ("Projektägare", p["owner_organisation"] or "ej angiven"),
        ("Kontaktperson", ", ".join(x for x in [p["contact_name"], p["contact_role"]] if x) or "ej angiven"),
        ("Kommuner", ", ".join(p["municipalities"]) or "ej angivet"),
        ("Angiven budget", format_kr(p["budget_amount"], p["budget_period"])),
    ]
    funding_rows = [[f["funder"], f["kind"], format_kr(f["amount"], f["period"])] for f in p["funding"]]
    if p["unspecified_amount"]:
        funding_rows.append([html.Em("Ej specificerat"), "–", format_kr(p["unspecified_amount"], p["budget_period"])])
    return html.Div(
        [
            dcc.Link("← Alla projekt", href="/projekt"),
            page_header(p["name"], p["description"]),
            dbc.Row(
                [
                    dbc.Col(html.Dl([x for k, v in facts for x in (html.Dt(k), html.Dd(v))], className="facts"), md=6),
                    dbc.Col(
                        [
                            html.H2("Etapper", className="h5"),
                            html.Ul(
                                [
                                    html.Li(
                                        f"{ph['name']}: {format_date(ph['start_date'])} – {format_date(ph['end_date'])}"
                                    )
                                    for ph in p["phases"]
                                ]
                            )
                            if p["phases"]
                            else html.P("Inga etapper angivna."),
                            html.H2("Osäkert i underlaget", className="h5"),
                            html.Ul([html.Li(u) for u in p["uncertain"]])
                            if p["uncertain"]
                            else html.P("Inget noterat."),
                        ],
                        md=6,
                    ),
                ]
            ),
            html.H2("Finansiärer", className="h4 mt-3"),
            data_table(["Finansiär", "Typ", "Belopp"], funding_rows, caption="Finansiärer och belopp")
            if funding_rows
            else empty_state("Inga finansiärer angivna."),
            html.H2("Ändringshistorik", className="h4 mt-3"),
            data_table(
                ["När", "Vem", "Källa", "Händelse"],
                [[h["at"][:16].replace("T", " "), h["username"], h["source"], h["action"]] for h in history],
                caption="Ändringar av projektet, senaste först",
            )
            if history
            else empty_state("Ingen historik."),
        ]
    )
