"""The server's database: one engine per process, sessions per unit of work."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from flask import Flask, current_app
from sqlalchemy.orm import Session

from data.db import make_engine, make_session_factory
from data.db import session_scope as _scope


def init_database(server: Flask) -> None:
    engine = make_engine(server.config["DATABASE_URL"])
    server.extensions["engine"] = engine
    server.extensions["sessions"] = make_session_factory(engine)


@contextlib.contextmanager
def session_scope(server: Flask | None = None) -> Iterator[Session]:
    """A transaction on the current server's database (commit at the end, roll back on error)."""
    server = server or current_app
    with _scope(server.extensions["sessions"]) as session:
        yield session
