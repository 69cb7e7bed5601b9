"""The frame around every page: skip link, navigation, municipality filter, user menu."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts import ids

NAV_ITEMS = [
    ("/", "Översikt"),
    ("/verksamhetsplan", "Verksamhetsplan"),
    ("/projekt", "Projekt"),
    ("/finansiering", "Finansiering"),
    ("/uppdrag", "Uppdrag"),
    ("/moten", "Möten"),
    ("/forandringar", "Förändringar"),
    ("/ladda-upp", "Ladda upp"),
]
ALL = "alla"


def kommun_options(municipalities: list[str]) -> list[dict]:
    return [{"label": "Alla sju kommuner", "value": ALL}] + [{"label": m, "value": m} for m in municipalities]


def shell(*, municipalities: list[str], username: str, role: str, csrf_token: str) -> html.Div:
    """The page frame; the routing callback fills `ids.PAGE`."""
    nav = dbc.Nav(
        [
            dbc.NavItem(dbc.NavLink(label, href=path, id=ids.nav_link(path), active="exact"))
            for path, label in NAV_ITEMS
        ],
        navbar=True,
        className="me-auto",
        id=ids.NAV,
    )
    kommun = html.Div(
        [
            dbc.Label("Kommun", html_for=ids.KOMMUN_SELECT, className="text-white mb-0 me-2"),
            dbc.Select(
                id=ids.KOMMUN_SELECT,
                options=kommun_options(municipalities),
                value=ALL,
                size="sm",
                className="kommun-select",
            ),
        ],
        className="d-flex align-items-center me-3 my-2",
    )
    user = html.Form(
        [
            dcc.Input(type="hidden", name="csrf_token", value=csrf_token, id="shell-logout-csrf"),
            html.Span(f"{username} ({role})", className="text-white small me-2"),
            html.Button("Logga ut", type="submit", className="btn btn-outline-light btn-sm"),
        ],
        action="/logout",
        method="POST",
        className="d-flex align-items-center my-2",
    )
    header = html.Header(
        dbc.Navbar(
            dbc.Container(
                [
                    dbc.NavbarBrand("Umeåregionen – strategisk uppföljning", href="/", className="fw-semibold"),
                    html.Div([nav, kommun, user], className="d-flex flex-wrap align-items-center flex-grow-1"),
                ],
                fluid=True,
            ),
            color="primary",
            dark=True,
            expand=True,
            className="mb-4",
        )
    )
    return html.Div(
        [
            html.A("Hoppa till innehållet", href="#main", className="visually-hidden-focusable skip-link"),
            dcc.Location(id=ids.URL, refresh="callback-nav"),
            header,
            html.Main(
                dbc.Container([html.Div(id=ids.FILTER_ALERT), html.Div(id=ids.PAGE, className="page")], fluid="xl"),
                id="main",
                tabIndex="-1",
            ),
        ],
        id=ids.SHELL,
    )
