"""Small reusable builders shared by the pages."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

STATUS_ICONS = {
    "planerad": "○",
    "pågår": "◐",
    "avslutad": "●",
    "klar": "✓",
    "pausad": "‖",
    "öppen": "○",
    "struken": "✕",
}
STATUS_COLORS = {
    "planerad": "secondary",
    "pågår": "primary",
    "avslutad": "success",
    "klar": "success",
    "pausad": "warning",
    "öppen": "secondary",
    "struken": "dark",
}


def page_header(title: str, subtitle: str | None = None) -> html.Div:
    return html.Div(
        [html.H1(title, className="h2 mb-1"), html.P(subtitle, className="text-body-secondary") if subtitle else None],
        className="mb-4",
    )


def kpi_card(label: str, value: str, note: str | None = None, *, card_id: str | None = None) -> dbc.Card:
    return dbc.Card(
        dbc.CardBody(
            [
                html.P(label, className="kpi-label mb-1"),
                html.P(value, className="kpi-value mb-0", id=card_id or ""),
                html.P(note, className="kpi-note small mb-0") if note else None,
            ]
        ),
        className="h-100 kpi-card",
    )


def status_badge(status: str) -> dbc.Badge:
    """Status as icon and word, never colour alone."""
    return dbc.Badge(
        [html.Span(STATUS_ICONS.get(status, "•"), **{"aria-hidden": "true"}), " ", status],
        color=STATUS_COLORS.get(status, "secondary"),
        # Bootstrap's yellow needs dark text to reach 4.5:1.
        text_color="dark" if STATUS_COLORS.get(status) == "warning" else None,
        className="status-badge",
    )


def empty_state(text: str) -> dbc.Alert:
    return dbc.Alert(text, color="light", className="empty-state")


def data_table(headers: list[str], rows: list[list], *, caption: str) -> dbc.Table:
    """An accessible table with a caption and column headers."""
    return dbc.Table(
        [
            html.Caption(caption),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in headers])),
            html.Tbody([html.Tr([html.Td(c) for c in row]) for row in rows]),
        ],
        striped=True,
        hover=True,
        responsive=True,
        className="align-middle",
    )


def filter_notice(message: str) -> dbc.Alert:
    """A notice that the URL's municipality was not understood and all seven are shown."""
    return dbc.Alert(f"{message} Visar alla kommuner.", color="warning")
