"""The Dash side: the shell layout (drawn per request, for the logged-in user) and every callbacks module."""

from __future__ import annotations

import dash
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from callbacks import router
from callbacks import shell as shell_callbacks
from dashboard.database import session_scope
from data.municipalities import list_municipality_names
from layouts.shell import shell


def serve_layout():
    if not current_user.is_authenticated:  # the request gate answers first; this only guards a misconfiguration
        return dash.html.Div("Inloggning krävs.")
    with session_scope() as s:
        municipalities = list_municipality_names(s)
    return shell(
        municipalities=municipalities,
        username=current_user.username,
        role=current_user.role,
        csrf_token=generate_csrf(),
    )


def init_pages(app: dash.Dash) -> None:
    app.layout = serve_layout
    shell_callbacks.register(app)
    router.register(app)
