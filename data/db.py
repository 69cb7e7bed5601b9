"""Engine, sessions and schema: small factories, nothing connects at import."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import JSON, Engine, create_engine, event
from sqlalchemy import exc as exc_
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")


def make_engine(url: str, **kwargs) -> Engine:
    """An engine for `url`; SQLite gets foreign keys and a busy timeout, every pool pings before use."""
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": 30, "check_same_thread": False})
    engine = create_engine(url, pool_pre_ping=True, **kwargs)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            if not url.endswith(":memory:") and "mode=memory" not in url:
                cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit, so reads can be returned as plain data."""
    return sessionmaker(engine, expire_on_commit=False)


@contextlib.contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commit when the block ends, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def insert_rows(session: Session, table, rows: list[dict[str, Any]]) -> None:
    """Insert many rows (all with the same keys) in the session's transaction, as fast as the database allows.

    PostgreSQL gets one COPY (an executemany through psycopg sends a statement per row); elsewhere an executemany.
    """
    if not rows:
        return
    table = getattr(table, "__table__", table)
    session.flush()
    if session.get_bind().dialect.name != "postgresql":
        session.execute(table.insert(), rows)
        return
    import psycopg
    from psycopg import sql

    columns = list(rows[0])
    as_json = {c for c in columns if isinstance(table.c[c].type, JSON)}
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    raw = session.connection().connection.driver_connection
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([json.dumps(row[c]) if c in as_json and row[c] is not None else row[c] for c in columns])
    except psycopg.Error as exc:  # raised past SQLAlchemy: give callers the exceptions they catch elsewhere
        wrapper = {psycopg.IntegrityError: exc_.IntegrityError, psycopg.DataError: exc_.DataError}
        kind = next((w for e, w in wrapper.items() if isinstance(exc, e)), exc_.DBAPIError)
        raise kind(str(statement), None, exc) from exc


def alembic_config(engine: Engine) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to the latest migration (or `revision`)."""
    command.upgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    """The newest migration this code knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def schema_is_current(engine: Engine) -> bool:
    """Whether the database's schema is at this code's newest migration."""
    return current_revision(engine) == head_revision(engine)
