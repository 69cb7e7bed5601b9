"""Översikt: the headline figures."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from layouts.components import kpi_card, page_header
from layouts.format import format_kr, format_number


def overview_page(figures: dict, kommun: str | None) -> html.Div:
    scope = kommun or "alla sju kommuner"
    budget_note = "Årsbelopp räknat över projektets hela tidsram."
    missing = figures["projects_without_budget"] + figures["projects_yearly_budget_without_time_frame"]
    if missing:
        budget_note += f" {missing} projekt saknar angiven budget eller tidsram och ingår inte."
    cards = [
        kpi_card("Projekt", format_number(figures["project_count"]), f"som berör {scope}", card_id="overview-projects"),
        kpi_card("Total angiven budget", format_kr(figures["total_budget"]), budget_note, card_id="overview-budget"),
        kpi_card(
            "Öppna uppdrag",
            format_number(figures["open_tasks"]),
            f"av {format_number(figures['task_count'])} uppdrag",
            card_id="overview-open-tasks",
        ),
        kpi_card(
            "Försenade uppdrag",
            format_number(figures["overdue_tasks"]),
            "öppna uppdrag vars datum har passerat",
            card_id="overview-overdue-tasks",
        ),
    ]
    return html.Div(
        [
            page_header("Översikt", f"Läget för {scope}"),
            html.H2("Nyckeltal", className="visually-hidden"),
            dbc.Row([dbc.Col(c, xs=12, sm=6, lg=3, className="mb-3") for c in cards]),
        ]
    )
