"""The server's database: one engine per process, sessions per unit of work."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from flask import Flask, current_app
from sqlalchemy.orm import Session

from data.db import make_engine, make_session_factory, schema_is_current
from data.db import session_scope as _scope

log = logging.getLogger("dashboard.database")


NOT_UPGRADED = (
    "Databasen är inte uppgraderad till den här versionen av tjänsten. Kör "
    "`flask --app app:server db upgrade` och starta sedan om servern."
)


def init_database(server: Flask) -> None:
    engine = make_engine(server.config["DATABASE_URL"])
    server.extensions["engine"] = engine
    server.extensions["sessions"] = make_session_factory(engine)
    checked = []

    @server.before_request
    def _schema_is_current():
        # Workers never migrate (two would race): until `flask db upgrade` has run, every request gets a clear 503.
        # Checked until it holds once per process, so a later upgrade is noticed without a restart.
        if not checked:
            if not schema_is_current(engine):
                from dashboard.errors import error_response

                log.error("Databasens schema är inte det senaste: kör flask --app app:server db upgrade")
                return error_response(503, NOT_UPGRADED)
            checked.append(True)
        return None


@contextlib.contextmanager
def session_scope(server: Flask | None = None) -> Iterator[Session]:
    """A transaction on the current server's database (commit at the end, roll back on error)."""
    server = server or current_app
    with _scope(server.extensions["sessions"]) as session:
        yield session
