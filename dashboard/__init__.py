"""Wiring: the app factory that puts config, database, login, API, pages and callbacks together."""

from __future__ import annotations

import dash
from flask import Flask

from dashboard.config import ROOT, Config, instance_dir, load_settings, resolve_secret_key
from dashboard.logs import configure_logging

INDEX_STRING = """<!DOCTYPE html>
<html lang="sv">
    <head>
        {%metas%}
        <title>{%title%}</title>
        <link rel="icon" type="image/svg+xml" href="/assets/favicon.svg">
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""


def create_app(config: dict | type | None = None, *, dev: bool = False) -> dash.Dash:
    """Build the Dash app on its own Flask server.

    `config` is a Config subclass or a dict of overrides; `dev=True` (python app.py) may create a secret key.
    """
    base, overrides = (config, None) if isinstance(config, type) else (Config, config)
    settings = load_settings(base, overrides)
    settings["SECRET_KEY"] = resolve_secret_key(settings, dev=dev)

    server = Flask(__name__, instance_path=str(instance_dir()))
    server.config.update(settings)
    if settings["TRUSTED_PROXIES"]:
        # The client's address (login throttle, logs) and scheme (Secure cookies) from the proxy's X-Forwarded-*.
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = settings["TRUSTED_PROXIES"]
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=n, x_proto=n)
    server.json.ensure_ascii = False
    configure_logging(settings["LOG_FORMAT"])

    from dashboard.auth import init_auth
    from dashboard.database import init_database

    init_database(server)

    app = dash.Dash(
        __name__,
        server=server,
        assets_folder=str(ROOT / "assets"),
        title="Umeåregionen – strategisk uppföljning",
        update_title=None,
        suppress_callback_exceptions=True,
        serve_locally=True,
        index_string=INDEX_STRING,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    init_auth(server)

    from dashboard import api, cli, errors, exports, pages, security, uploads

    errors.init_errors(server)
    api.init_api(server)
    exports.init_exports(server)
    uploads.init_uploads(server)
    cli.init_cli(server)
    pages.init_pages(app)
    security.init_security(app)
    return app


def freeze_startup_objects() -> None:
    """Move the objects made at start-up out of the garbage collector's way.

    Without it, a full collection over the ~200 000 start-up objects pauses a request for 100 ms now and then.
    Call once per process after the app is built (app.py does), not in tests that build many apps.
    """
    import gc

    gc.collect()
    gc.freeze()
