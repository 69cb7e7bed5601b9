"""Backup and restore of the app's own data: every table of the models, at one schema revision.

Two kinds of file:
- `sqlite`: a copy of an SQLite database made with SQLite's online backup API (a consistent snapshot, taken while
  the app runs); the default on SQLite.
- `dump`: a portable dump, gzip-compressed JSON lines (a header, then per table a line naming its columns and one
  JSON array per row, then a trailer with the row counts); the default on PostgreSQL, and possible from SQLite.
  Values are typed by the column they belong to, so that dates, times, timestamps (as UTC with offset), big
  integers, binary data, JSON (its stored text, so JSON null stays apart from SQL NULL) and NULLs come back exactly.

Restore reads either kind into the same rows and writes them through one path, so a dump from PostgreSQL restores
into SQLite and the other way round. It checks the whole file before it writes anything, then replaces every
table's rows in the caller's one transaction (a failure leaves the data as it was), and records the restore in the
history.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import gzip
import json
import os
import sqlite3
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    Text,
    Time,
    bindparam,
    cast,
    create_engine,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from data.audit import audit, audit_on_commit
from data.db import alembic_config
from data.history import as_utc, record_change, serialise_writes, utcnow
from data.models import Base

FORMATS = ("sqlite", "dump")
DUMP_FORMAT = "umearegionen-backup"
DUMP_VERSION = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
GZIP_MAGIC = b"\x1f\x8b"
UPGRADE = "flask --app app:server db upgrade"

TABLES: list[Table] = list(Base.metadata.sorted_tables)

TABLE_LABELS = {
    "municipality": "kommuner",
    "plan": "verksamhetsplaner",
    "focus_area": "insatsområden",
    "activity": "aktiviteter",
    "project": "projekt",
    "project_municipality": "projektens kommuner",
    "phase": "etapper",
    "funding_line": "finansiärer",
    "budget_part": "budgetdelar",
    "party": "personer och grupper",
    "meeting": "möten",
    "meeting_participant": "mötesdeltagare",
    "agenda_item": "dagordningspunkter",
    "decision": "beslut",
    "task": "uppdrag",
    "task_owner": "uppdragens ansvariga",
    "task_note": "uppföljningsanteckningar",
    "app_user": "användare",
    "login_failure": "misslyckade inloggningar",
    "import_batch": "importer",
    "pending_upload": "väntande uppladdningar",
    "change_record": "historikposter",
}


class BackupProblem(ValueError):
    """A backup or restore that cannot be carried out; the message is Swedish and shown as is."""


@dataclass
class Backup:
    """A backup file, read and checked: its kind, schema revision, and every table's rows (column order of the
    models; JSON columns as their stored text)."""

    filename: str
    kind: str
    revision: str
    counts: dict[str, int]
    created_at: str | None = None
    dialect: str | None = None
    rows: dict[str, list[tuple]] = field(default_factory=dict, repr=False)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def describe(self) -> str:
        """What the file is, in Swedish, e.g. `portabel dump från postgresql, skapad …, schemaversion 0003`."""
        if self.kind == "sqlite":
            what = "SQLite-databas"
        else:
            what = f"portabel dump från {self.dialect or 'okänd databas'}"
            if self.created_at:
                what += f", skapad {self.created_at}"
        return f"{what}, schemaversion {self.revision}"


def count_lines(counts: dict[str, int]) -> list[str]:
    """One line per table (Swedish label, table name, rows) in the order of the domain, and a total."""
    order = list(TABLE_LABELS)
    tables = sorted(counts, key=lambda t: (order.index(t) if t in order else len(order), t))
    names = {t: f"{TABLE_LABELS.get(t, t)} ({t})" for t in tables}
    width = max((len(n) for n in names.values()), default=0)
    lines = [f"  {names[t]:<{width}} {counts[t]:>7}" for t in tables]
    lines.append(f"  {'totalt':<{width}} {sum(counts.values()):>7} rader")
    return lines


# Values, typed by their column. JSON columns travel as their stored text (see _read_rows).


def value_kind(column: Column) -> str:
    """How values of `column` are written in a dump (json, binary, bool, int, datetime, date, time, float, decimal,
    str); TypeError for a column type with no encoding."""
    t = column.type
    for kind, types in (
        ("json", JSON),
        ("binary", LargeBinary),
        ("bool", Boolean),
        ("int", Integer),
        ("datetime", DateTime),
        ("date", Date),
        ("time", Time),
        ("float", Float),
        ("decimal", Numeric),
        ("str", String),
    ):
        if isinstance(t, types):
            return kind
    raise TypeError(f"Ingen kodning för kolumnen {column.table.name}.{column.name} av typen {t!r}")


def encode_value(column: Column, value: Any) -> Any:
    """`value` of `column` as plain JSON: dates and times as ISO text, timestamps with their UTC offset, binary data
    as base64, decimals as text; None stays None."""
    if value is None:
        return None
    kind = value_kind(column)
    if kind == "datetime":
        return as_utc(value).isoformat() if column.type.timezone else value.isoformat()
    if kind in ("date", "time"):
        return value.isoformat()
    if kind == "binary":
        return base64.b64encode(value).decode("ascii")
    if kind == "decimal" and not isinstance(column.type, Float):
        return str(value)
    return value


def _need(value: Any, types: type | tuple[type, ...], what: str) -> Any:
    if not isinstance(value, types) or (isinstance(value, bool) and types is not bool):
        raise ValueError(f"väntade {what}, fick {value!r:.60}")
    return value


def decode_value(column: Column, value: Any) -> Any:
    """The Python value of `column` for `value` as `encode_value` wrote it; ValueError when it does not fit."""
    if value is None:
        return None
    kind = value_kind(column)
    if kind == "int":
        return _need(value, int, "ett heltal")
    if kind == "bool":
        return _need(value, bool, "sant eller falskt")
    if kind == "float":
        return float(_need(value, (int, float), "ett tal"))
    if kind == "decimal":
        try:
            return decimal.Decimal(_need(value, str, "ett decimaltal som text"))
        except decimal.InvalidOperation as exc:
            raise ValueError(f"ogiltigt decimaltal {value!r:.60}") from exc
    if kind == "str":
        return _need(value, str, "text")
    if kind == "json":
        json.loads(_need(value, str, "JSON-text"))  # ValueError when it is not JSON
        return value
    if kind == "binary":
        try:
            return base64.b64decode(_need(value, str, "base64-text"), validate=True)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"ogiltig base64-text {value!r:.60}") from exc
    text_ = _need(value, str, "ett datum eller en tid som text")
    if kind == "date":
        return dt.date.fromisoformat(text_)
    if kind == "time":
        return dt.time.fromisoformat(text_)
    moment = dt.datetime.fromisoformat(text_)
    if column.type.timezone:
        if moment.tzinfo is None:
            raise ValueError(f"tidpunkten {text_!r} saknar tidszon")
        return moment.astimezone(dt.UTC)
    if moment.tzinfo is not None:
        raise ValueError(f"tidpunkten {text_!r} ska inte ha tidszon")
    return moment


# Reading rows from a database (the live one for a dump, or an SQLite backup file for a restore).


def _read_rows(conn: Connection, table: Table) -> Iterator[tuple]:
    """Every row of `table`, by primary key: JSON columns as their stored text (so JSON null and SQL NULL stay
    apart) and timestamps with a time zone in UTC (SQLite returns them naive, stored in UTC)."""
    columns = [cast(c, Text).label(c.name) if value_kind(c) == "json" else c for c in table.columns]
    aware = [value_kind(c) == "datetime" and c.type.timezone for c in table.columns]
    query = select(*columns).order_by(*table.primary_key.columns)
    if conn.dialect.name == "postgresql":  # a server-side cursor: staged uploads can be megabytes each
        query = query.execution_options(yield_per=500)
    for row in conn.execute(query):
        yield tuple(as_utc(v) if a and v is not None else v for v, a in zip(row, aware, strict=True))


def _revision(conn: Connection) -> str | None:
    """The schema revision Alembic recorded (read directly: MigrationContext logs two lines each time)."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.scalar(text("SELECT version_num FROM alembic_version"))


def database_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return _revision(conn)


def _revision_problem(filename: str, found: str | None, database: str | None, engine: Engine) -> str | None:
    """Why a file of revision `found` cannot be restored into a database at `database` (None if it can)."""
    if database is None:
        return f"Databasen har inget schema ännu. Kör `{UPGRADE}` först och försök sedan igen."
    if found == database:
        return None
    start = f"{filename} har schemaversion {found}, men databasen har {database}; en säkerhetskopia kan bara "
    start += "återställas till samma schemaversion."
    script = ScriptDirectory.from_config(alembic_config(engine))
    known = {r.revision for r in script.walk_revisions()}
    older = (
        found in known
        and database in known
        and found in {r.revision for r in script.iterate_revisions(database, "base")}
    )
    if older:
        return (
            f"{start} Återställ den i en databas med schemaversion {found} (med den version av tjänsten som gjorde "
            f"kopian) och kör sedan `{UPGRADE}`."
        )
    return f"{start} Uppdatera tjänsten och kör `{UPGRADE}` först, så att databasen har schemaversion {found}."


# Backing up.


def _temporary(path: Path) -> Path:
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    return Path(name)


def _sqlite_copy(engine: Engine, target: Path) -> None:
    """Copy the live SQLite database into `target` with the online backup API: one consistent snapshot, while
    other connections go on reading and writing (in WAL mode)."""
    raw = engine.raw_connection()
    try:
        destination = sqlite3.connect(target)
        try:
            raw.driver_connection.backup(destination)
            # The copy is one self-contained file, not a database that needs a -wal file beside it.
            destination.execute("PRAGMA journal_mode=DELETE")
        finally:
            destination.close()
    finally:
        raw.close()


def _file_engine(path: Path) -> Engine:
    """A read-only engine on an SQLite file that leaves the file (and its folder) as it is."""
    uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
    return create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True), poolclass=NullPool)


def _write_dump(conn: Connection, target: Path, revision: str | None) -> dict[str, int]:
    counts: dict[str, int] = {}
    header = {
        "format": DUMP_FORMAT,
        "version": DUMP_VERSION,
        "revision": revision,
        "dialect": conn.dialect.name,
        "created_at": utcnow().replace(microsecond=0).isoformat(),
        "tables": [t.name for t in TABLES],
    }

    def line(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"

    with gzip.open(target, "wt", encoding="utf-8", newline="\n") as out:
        out.write(line(header))
        for table in TABLES:
            columns = list(table.columns)
            out.write(line({"table": table.name, "columns": [c.name for c in columns]}))
            n = 0
            for row in _read_rows(conn, table):
                out.write(line([encode_value(c, v) for c, v in zip(columns, row, strict=True)]))
                n += 1
            counts[table.name] = n
        out.write(line({"end": True, "counts": counts}))
    return counts


def backup_database(engine: Engine, path: Path, *, fmt: str | None = None, overwrite: bool = False) -> Backup:
    """Write a backup of every table of the app to `path` and return what it holds.

    `fmt` is `sqlite` (the default on SQLite: a copy by the online backup API) or `dump` (the default elsewhere: a
    portable dump, read in one snapshot). The file appears only when complete.
    """
    dialect = engine.dialect.name
    fmt = fmt or ("sqlite" if dialect == "sqlite" else "dump")
    if fmt not in FORMATS:
        raise BackupProblem(f"Okänt format {fmt!r}: välj {' eller '.join(FORMATS)}.")
    if fmt == "sqlite" and dialect != "sqlite":
        raise BackupProblem(f"Formatet sqlite finns bara för en SQLite-databas; den här är {dialect}. Välj dump.")
    path = Path(path)
    if path.is_dir():
        raise BackupProblem(f"{path} är en mapp; ange ett filnamn.")
    if path.exists() and not overwrite:
        raise BackupProblem(f"{path} finns redan; välj ett annat namn eller skriv över den med --force.")
    if dialect == "sqlite" and engine.url.database and path.resolve() == Path(engine.url.database).resolve():
        raise BackupProblem(f"{path} är databasen själv; välj ett annat filnamn.")
    if not path.parent.is_dir():
        raise BackupProblem(f"Mappen {path.parent} finns inte.")

    temporary = _temporary(path)
    snapshot = None
    try:
        if dialect == "sqlite":
            snapshot = temporary if fmt == "sqlite" else _temporary(path)
            _sqlite_copy(engine, snapshot)
            source = _file_engine(snapshot)
        else:
            source = engine
        try:
            with source.connect() as conn:
                if dialect == "postgresql":  # one snapshot for every table
                    conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
                revision = _revision(conn)
                if fmt == "dump":
                    counts = _write_dump(conn, temporary, revision)
                else:
                    counts = {t.name: conn.scalar(select(func.count()).select_from(t)) for t in TABLES}
        finally:
            if source is not engine:
                source.dispose()
        os.replace(temporary, path)
    except (OSError, sqlite3.Error) as exc:
        raise BackupProblem(f"Kunde inte skriva {path}: {getattr(exc, 'strerror', None) or exc}.") from exc
    finally:
        for leftover in {temporary, snapshot} - {None}:
            leftover.unlink(missing_ok=True)
    backup = Backup(path.name, fmt, revision or "(ingen)", counts, dialect=dialect)
    audit("backup", f"Säkerhetskopia skriven: {path}", file=str(path), format=fmt, revision=revision, rows=backup.total)
    return backup


# Reading a backup file.


def _foreign(name: str, why: str) -> BackupProblem:
    return BackupProblem(f"{name} är ingen säkerhetskopia från `flask backup` ({why}); inget ändrades.")


def _corrupt(name: str, why: str) -> BackupProblem:
    return BackupProblem(f"{name} är skadad eller avkortad ({why}); inget ändrades. Använd en annan säkerhetskopia.")


def _read_sqlite(path: Path, engine: Engine) -> Backup:
    name = path.name
    source = _file_engine(path)
    try:
        with source.connect() as conn:
            try:
                checked = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").all()]
            except sa_exc.DBAPIError as exc:
                raise _corrupt(name, f"SQLite: {exc.orig}") from exc
            if checked != ["ok"]:
                raise _corrupt(name, "SQLite: " + "; ".join(checked[:3]))
            tables = set(inspect(conn).get_table_names())
            missing = [t.name for t in TABLES if t.name not in tables]
            if "alembic_version" not in tables or len(missing) == len(TABLES):
                raise _foreign(name, "en SQLite-databas utan tjänstens tabeller")
            revision = _revision(conn)
            if revision is None:
                raise _foreign(name, "en SQLite-databas utan schemaversion")
            problem = _revision_problem(name, revision, database_revision(engine), engine)
            if problem:
                raise BackupProblem(problem + " Inget ändrades.")
            for table in TABLES:
                have = {c["name"] for c in inspect(conn).get_columns(table.name)} if table.name in tables else set()
                if have != {c.name for c in table.columns}:
                    raise _foreign(name, f"tabellen {table.name} har andra kolumner än schemaversion {revision}")
            rows = {t.name: list(_read_rows(conn, t)) for t in TABLES}
    except sa_exc.DBAPIError as exc:
        raise _corrupt(name, f"SQLite: {exc.orig}") from exc
    finally:
        source.dispose()
    return Backup(name, "sqlite", revision, {t: len(r) for t, r in rows.items()}, dialect="sqlite", rows=rows)


def _json_line(line: str, where: str) -> Any:
    if not line.endswith("\n"):
        raise ValueError(f"{where} slutar mitt i raden")
    try:
        return json.loads(line)
    except ValueError as exc:
        raise ValueError(f"{where} går inte att läsa som JSON") from exc


def _read_dump(path: Path, engine: Engine) -> Backup:
    name = path.name
    by_name = {t.name: t for t in TABLES}
    try:
        with gzip.open(path, "rt", encoding="utf-8", newline="\n") as f:
            try:
                header = json.loads(f.readline(65536))
            except ValueError:  # UnicodeDecodeError too: a gzip file of something else
                header = None
            if not isinstance(header, dict) or header.get("format") != DUMP_FORMAT:
                raise _foreign(name, "en gzip-fil men ingen dump från tjänsten")
            if header.get("version") != DUMP_VERSION:
                raise BackupProblem(
                    f"{name} är en dump i format {header.get('version')!r}, som den här versionen av tjänsten inte "
                    "kan läsa (den läser format 1). Inget ändrades."
                )
            revision = header.get("revision")
            if not isinstance(revision, str):
                raise _foreign(name, "en dump utan schemaversion")
            problem = _revision_problem(name, revision, database_revision(engine), engine)
            if problem:
                raise BackupProblem(problem + " Inget ändrades.")
            if header.get("tables") != [t.name for t in TABLES]:
                raise _foreign(name, f"andra tabeller än schemaversion {revision}")
            rows: dict[str, list[tuple]] = {}
            line_no = 1
            current: list[Column] | None = None
            table_name = ""
            trailer = None
            for line in f:
                line_no += 1
                where = f"rad {line_no}"
                value = _json_line(line, where)
                if trailer is not None:
                    raise ValueError(f"{where} kommer efter slutraden")
                if isinstance(value, list):
                    if current is None or len(value) != len(current):
                        raise ValueError(f"{where} har {len(value)} värden, väntade {len(current or [])}")
                    try:
                        rows[table_name].append(tuple(decode_value(c, v) for c, v in zip(current, value, strict=True)))
                    except ValueError as exc:
                        raise ValueError(f"{where} (tabellen {table_name}): {exc}") from exc
                elif isinstance(value, dict) and "table" in value:
                    table_name = value["table"]
                    expected = [t.name for t in TABLES][len(rows)] if len(rows) < len(TABLES) else None
                    if table_name != expected:
                        raise ValueError(f"{where}: tabellen {table_name!r} i stället för {expected!r}")
                    table = by_name[table_name]
                    if value.get("columns") != [c.name for c in table.columns]:
                        raise ValueError(f"{where}: tabellen {table_name} har andra kolumner än väntat")
                    current = list(table.columns)
                    rows[table_name] = []
                elif isinstance(value, dict) and value.get("end") is True:
                    trailer = value
                else:
                    raise ValueError(f"{where} går inte att tolka")
            if trailer is None:
                raise ValueError("slutraden saknas")
            counts = {t: len(r) for t, r in rows.items()}
            if len(rows) != len(TABLES) or trailer.get("counts") != counts:
                raise ValueError("antalet rader stämmer inte med slutraden")
    except BackupProblem:
        raise
    except EOFError as exc:
        raise _corrupt(name, "filen tar slut mitt i den komprimerade datan") from exc
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise _corrupt(name, f"gzip-datan är trasig: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise _corrupt(name, "texten är inte UTF-8") from exc
    except ValueError as exc:
        raise _corrupt(name, str(exc)) from exc
    except OSError as exc:
        raise BackupProblem(f"Kunde inte läsa {path}: {exc.strerror or exc}.") from exc
    return Backup(
        name, "dump", revision, counts, created_at=header.get("created_at"), dialect=header.get("dialect"), rows=rows
    )


def read_backup(path: Path, engine: Engine) -> Backup:
    """Read and check the backup in `path` for restoring into `engine`'s database: what kind of file it is, that
    its schema revision is the database's, and every row. BackupProblem (Swedish) when it cannot be restored."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            start = f.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupProblem(f"Kunde inte läsa {path}: {exc.strerror or exc}.") from exc
    if start == SQLITE_MAGIC:
        return _read_sqlite(path, engine)
    if start.startswith(GZIP_MAGIC):
        return _read_dump(path, engine)
    why = "filen är tom" if not start else "varken en SQLite-databas eller en dump (.json.gz)"
    raise _foreign(path.name, why)


# Restoring.


def _insert(table: Table, dialect: str):
    values = {}
    for c in table.columns:
        if value_kind(c) == "json":
            # The stored JSON text as it was; PostgreSQL wants it cast, SQLite stores the text as is.
            param = bindparam(f"p_{c.name}", type_=Text)
            values[c.name] = cast(param, c.type) if dialect == "postgresql" else param
        else:
            values[c.name] = bindparam(f"p_{c.name}", type_=c.type)
    return table.insert().values(values)


def _reset_sequences(conn: Connection) -> None:
    """After rows with explicit ids, let PostgreSQL's sequences continue after the largest id."""
    quote = conn.dialect.identifier_preparer.quote
    for table in TABLES:
        column = table.autoincrement_column
        if column is None:
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:t, :c), COALESCE(MAX({quote(column.name)}), 0) + 1, false) "
                f"FROM {quote(table.name)}"
            ),
            {"t": quote(table.name), "c": column.name},
        )


def restore_backup(session: Session, backup: Backup, *, username: str) -> dict[str, int]:
    """Replace every table's rows with the backup's, in the session's transaction, and record it in the history.

    The caller commits; on any failure (raised as BackupProblem) it rolls back and the data is as before.
    """
    serialise_writes(session)
    conn = session.connection()
    engine = conn.engine
    problem = _revision_problem(backup.filename, backup.revision, _revision(conn), engine)
    if problem:
        raise BackupProblem(problem + " Inget ändrades.")
    dialect = conn.dialect.name
    table_name = ""
    try:
        for table in reversed(TABLES):
            table_name = table.name
            conn.execute(table.delete())
        for table in TABLES:
            table_name = table.name
            rows = backup.rows[table.name]
            if rows:
                keys = [f"p_{c.name}" for c in table.columns]
                conn.execute(_insert(table, dialect), [dict(zip(keys, row, strict=True)) for row in rows])
        table_name = ""
        if dialect == "postgresql":
            _reset_sequences(conn)
    except sa_exc.DBAPIError as exc:
        detail = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        where = f" vid tabellen {table_name}" if table_name else ""
        raise BackupProblem(
            f"Återställningen från {backup.filename} avbröts{where}: databasen godtog inte raderna ({detail}). "
            "Inget ändrades."
        ) from exc
    record_change(
        session,
        username=username,
        source=backup.filename[:300],
        entity="database",
        entity_id=None,
        action="restore",
        after={
            "file": backup.filename,
            "format": backup.kind,
            "revision": backup.revision,
            "created_at": backup.created_at,
            "rows": backup.counts,
        },
    )
    session.flush()
    session.expire_all()
    audit_on_commit(
        session,
        "restore",
        f"Databasen återställd från {backup.filename} av {username}",
        file=backup.filename,
        format=backup.kind,
        revision=backup.revision,
        rows=backup.total,
        actor=username,
    )
    return dict(backup.counts)


__all__ = [
    "FORMATS",
    "TABLE_LABELS",
    "Backup",
    "BackupProblem",
    "backup_database",
    "count_lines",
    "database_revision",
    "decode_value",
    "encode_value",
    "value_kind",
    "read_backup",
    "restore_backup",
]
