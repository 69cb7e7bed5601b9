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
    ("/uppfoljning", "Inför mötet"),
    ("/forandringar", "Förändringar"),
    ("/ladda-upp", "Ladda upp"),
]
ALL = "alla"
EXPORT_BASE = "/export/paket"
# The URL parameters that narrow the meeting pack, as the pages name them.
EXPORT_PARAMS = ("kommun", "insatsomrade", "ar", "sedan")


def kommun_options(municipalities: list[str]) -> list[dict]:
    return [{"label": "Alla sju kommuner", "value": ALL}] + [{"label": m, "value": m} for m in municipalities]


def export_links() -> html.Div:
    """The links "Ladda ner som PowerPoint / Excel": the meeting pack for the page's filter (hrefs follow the URL)."""
    return html.Div(
        [
            html.Span("Mötespaket för urvalet:", className="small"),
            *(
                html.A(
                    f"Ladda ner som {label}",
                    id=link_id,
                    href=f"{EXPORT_BASE}.{fmt}",
                    download="",
                    className="btn btn-outline-primary btn-sm ms-2",
                )
                for fmt, label, link_id in (("pptx", "PowerPoint", ids.EXPORT_PPTX), ("xlsx", "Excel", ids.EXPORT_XLSX))
            ),
        ],
        className="export-bar d-flex flex-wrap align-items-center justify-content-end mb-2",
    )


def shell(*, municipalities: list[str], username: str, role: str, csrf_token: str) -> html.Div:
    """The page frame; the routing callback fills `ids.PAGE`."""
    nav = dbc.Nav(
        [
            dbc.NavItem(dbc.NavLink(label, href=path, id=ids.nav_link(path), active="exact"))
            for path, label in NAV_ITEMS
        ],
        navbar=True,
        className="me-auto flex-wrap",
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
                dbc.Container(
                    [export_links(), html.Div(id=ids.FILTER_ALERT), html.Div(id=ids.PAGE, className="page")],
                    fluid="xl",
                ),
                id="main",
                tabIndex="-1",
            ),
        ],
        id=ids.SHELL,
    )
