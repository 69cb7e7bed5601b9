"""`flask backup FILE` and `flask restore FILE`: a snapshot while the app runs, and a restore that brings back every
row exactly, in one transaction, or refuses (in Swedish) and changes nothing."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import JSON, func, null, select, update

from dashboard.database import session_scope
from data.backup import read_backup
from data.db import make_engine
from data.history import as_utc
from data.imports import Actor, import_file
from data.models import Base, ChangeRecord, Municipality, PendingUpload, Project, Task
from tests.unit.test_backup import read_lines, table_lines, write_lines

ROOT = Path(__file__).resolve().parents[2]
TABLES = Base.metadata.sorted_tables
CSV = (
    "Projekt;Status;Budget (kr);Kommuner;Start;Slut\n"
    "Botniabanan som tillväxtfaktor;pågår;5 000 000;Umeå, Örnsköldsvik, Nordmaling;2005-01-01;2006-12-31\n"
    "Cykelled Vännäs–Umeå;planerad;1,6 milj;Vännäs, Umea;jan 2027;dec 2028\n"
)


def make_app(url: str):
    from dashboard import create_app
    from dashboard.config import TestConfig

    return create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}, "DATABASE_URL": url})


def runner_for(app):
    runner = app.server.test_cli_runner()
    return lambda *args, input=None: runner.invoke(args=[str(a) for a in args], input=input)


@pytest.fixture
def cli(app):
    return runner_for(app)


@pytest.fixture
def sqlite_app(tmp_path):
    """A second app on a new SQLite file with the schema, the demo data and its admin (whatever the test database)."""
    other = make_app(f"sqlite:///{tmp_path / 'annan.db'}")
    run = runner_for(other)
    for command in (("db", "upgrade"), ("seed",)):
        result = run(*command)
        assert result.exit_code == 0, result.output
    yield other
    other.server.extensions["engine"].dispose()


def dialect(app) -> str:
    return app.server.extensions["engine"].dialect.name


def rows(app) -> dict[str, list[tuple]]:
    """Every row of every table in primary-key order, each JSON column followed by whether it is SQL NULL (so that
    JSON null and SQL NULL count as different): equal only if every stored value is."""
    with session_scope(app.server) as s:
        out = {}
        for table in TABLES:
            nulls = [c.is_(None).label(f"{c.name}_is_null") for c in table.columns if isinstance(c.type, JSON)]
            query = select(*table.columns, *nulls).order_by(*table.primary_key.columns)
            out[table.name] = [tuple(r) for r in s.execute(query)]
        return out


def portable(data: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """The same rows with every timestamp as an aware UTC instant (SQLite returns naive UTC, PostgreSQL aware)."""

    def value(v):
        return as_utc(v) if isinstance(v, dt.datetime) else v

    return {t: [tuple(value(v) for v in r) for r in rs] for t, rs in data.items()}


def without_last_history(data: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    return {**data, "change_record": data["change_record"][:-1]}


def backup(cli, path: Path, *args) -> Path:
    result = cli("backup", path, *args)
    assert result.exit_code == 0, result.output
    return path


def restore(cli, path: Path, *args, input=None):
    return cli("restore", path, *args, input=input)


def change_data(app) -> None:
    """Rows added, changed and deleted by hand, and an upload through the import path."""
    with session_scope(app.server) as s:
        s.add(Project(name="Nytt efter säkerhetskopian", status="planerad", budget_amount=2**40))
        s.delete(s.scalars(select(Task).order_by(Task.id)).first())
        umea = s.scalars(select(Municipality).where(Municipality.name == "Umeå")).one()
        umea.aliases = [*umea.aliases, "Umeå stad"]
    with session_scope(app.server) as s:
        preview, result = import_file(
            s, "projekt", CSV.encode("utf-8-sig"), "projekt.csv", actor=Actor("admin", "admin")
        )
        assert result is not None, [str(p) for p in preview.problems]


def add_every_kind_of_value(app) -> None:
    """Rows the demo data lacks: binary content with NUL bytes, a true flag, microseconds at an offset, JSON that is
    SQL NULL beside JSON null, a big integer."""
    with session_scope(app.server) as s:
        at = dt.datetime(2026, 3, 29, 2, 30, 0, 123456, tzinfo=dt.timezone(dt.timedelta(hours=2)))
        s.add(
            PendingUpload(
                token="t" * 64,
                username="admin",
                kind="projekt",
                filename="projekt.xlsx",
                sha256="0" * 64,
                content=bytes(range(256)) * 3,
                remove_missing=True,
                fingerprint="f" * 64,
                created_at=at,
            )
        )
        s.add(
            ChangeRecord(
                at=at, username="admin", source="test", entity="project", entity_id=None, action="x", before=null()
            )
        )
        s.execute(update(Project).where(Project.id == 1).values(budget_amount=2**62 + 7))


def last_history(app) -> ChangeRecord:
    with session_scope(app.server) as s:
        return s.scalars(select(ChangeRecord).order_by(ChangeRecord.id.desc()).limit(1)).one()


@pytest.mark.parametrize("fmt", [None, "dump"], ids=["default-format", "dump"])
def test_restore_brings_back_every_row_of_every_table_exactly(app, cli, tmp_path, fmt):
    path = tmp_path / ("kopia.json.gz" if fmt else "kopia")
    add_every_kind_of_value(app)
    at_backup = rows(app)
    result = cli("backup", path, *(["--format", fmt] if fmt else []))
    assert result.exit_code == 0, result.output
    assert "Säkerhetskopian" in result.output and "projekt (project)" in result.output

    change_data(app)
    changed = rows(app)
    for table in ("project", "project_municipality", "task", "municipality", "import_batch", "change_record"):
        assert changed[table] != at_backup[table], table

    result = restore(cli, path, "--yes")
    assert result.exit_code == 0, result.output
    assert "Databasen är återställd" in result.output and "projekt (project)" in result.output

    after = rows(app)
    assert without_last_history(after) == at_backup
    record = last_history(app)
    assert (record.entity, record.action, record.source, record.username) == (
        "database",
        "restore",
        path.name,
        "kommandorad",
    )
    assert record.after["rows"]["project"] == len(at_backup["project"])

    # New rows continue after the restored ids (PostgreSQL's sequences were reset to them).
    with session_scope(app.server) as s:
        p = Project(name="Först efter återställningen", status="planerad")
        s.add(p)
        s.flush()
        assert p.id == max(r[0] for r in at_backup["project"]) + 1


def test_restore_asks_first_and_changes_nothing_unless_confirmed(app, cli, tmp_path):
    path = backup(cli, tmp_path / "kopia")
    change_data(app)
    before = rows(app)
    for answer in ("n\n", None):
        result = restore(cli, path, input=answer)
        assert result.exit_code == 1, result.output
        assert "ersätts" in result.output and "Avbrutet: inget ändrades." in result.output
        assert rows(app) == before
    result = restore(cli, path, input="y\n")
    assert result.exit_code == 0, result.output
    with session_scope(app.server) as s:
        assert s.scalar(select(func.count()).where(Project.name == "Nytt efter säkerhetskopian")) == 0


def test_backup_while_another_connection_holds_an_open_write_transaction(app, cli, db_url, tmp_path):
    path = tmp_path / "kopia"
    other = make_engine(db_url)
    try:
        with other.connect() as conn:
            conn.execute(update(Project).where(Project.id == 1).values(name="Ej bekräftat namn"))
            result = cli("backup", path)
            assert result.exit_code == 0, result.output
            conn.rollback()
    finally:
        other.dispose()
    found = read_backup(path, app.server.extensions["engine"])
    names = [r[1] for r in found.rows["project"]]
    assert len(names) == 8 and "Ej bekräftat namn" not in names


def test_backup_refuses_an_existing_file_unless_forced_and_sqlite_format_only_on_sqlite(app, cli, tmp_path):
    path = backup(cli, tmp_path / "kopia")
    again = cli("backup", path)
    assert again.exit_code != 0 and "finns redan" in again.output and "--force" in again.output
    backup(cli, path, "--force")
    as_sqlite = cli("backup", tmp_path / "kopia.db", "--format", "sqlite")
    if dialect(app) == "sqlite":
        assert as_sqlite.exit_code == 0, as_sqlite.output
        assert (tmp_path / "kopia.db").read_bytes()[:16] == b"SQLite format 3\x00"
        assert "SQLite-databas" in as_sqlite.output
    else:
        assert as_sqlite.exit_code != 0 and "bara för en SQLite-databas" in as_sqlite.output
        assert not (tmp_path / "kopia.db").exists()


@pytest.mark.parametrize("fmt", ["dump", "sqlite"])
def test_a_backup_moves_between_databases_of_either_kind(app, cli, sqlite_app, tmp_path, fmt):
    """From SQLite into the test database (PostgreSQL with TEST_DATABASE_URL) and back again as a dump."""
    to_sqlite = runner_for(sqlite_app)
    add_every_kind_of_value(sqlite_app)
    with session_scope(sqlite_app.server) as s:
        s.add(Project(name="Bara i SQLite", status="pågår", budget_amount=2**53 + 1, start_date=dt.date(2027, 1, 1)))
    source = rows(sqlite_app)
    path = backup(to_sqlite, tmp_path / "från-sqlite", "--format", fmt)
    result = restore(cli, path, "--yes")
    assert result.exit_code == 0, result.output
    assert portable(without_last_history(rows(app))) == portable(source)

    back = backup(cli, tmp_path / "tillbaka.json.gz", "--format", "dump")
    in_app = rows(app)
    result = restore(to_sqlite, back, "--yes")
    assert result.exit_code == 0, result.output
    assert portable(without_last_history(rows(sqlite_app))) == portable(in_app)


def test_a_failure_while_writing_rolls_back_every_table(app, cli, tmp_path):
    """A well-formed dump that the database refuses in its last table: every table deleted and written before it
    comes back as it was."""
    path = backup(cli, tmp_path / "kopia.json.gz", "--format", "dump")
    lines = read_lines(path)
    last = next(t.name for t in reversed(TABLES) if lines[-1]["counts"][t.name])
    _, end = table_lines(lines, last)
    lines.insert(end + 1, lines[end])  # the same primary key twice
    lines[-1]["counts"][last] += 1
    write_lines(path, lines)
    change_data(app)
    before = rows(app)
    result = restore(cli, path, "--yes")
    assert result.exit_code != 0
    assert f"avbröts vid tabellen {last}" in result.output and "Inget ändrades" in result.output
    assert rows(app) == before


def _text(tmp_path, app, cli):
    path = tmp_path / "anteckningar.txt"
    path.write_text("Kommunchefsmöte 2019-05-16\n", encoding="utf-8")
    return path


def _excel(tmp_path, app, cli):
    return ROOT / "tests" / "fixtures" / "uploads" / "projekt_bara_faser.xlsx"


def _other_gzip(tmp_path, app, cli):
    path = tmp_path / "annat.json.gz"
    path.write_bytes(gzip.compress(json.dumps({"format": "något annat"}).encode() + b"\n"))
    return path


def _other_sqlite(tmp_path, app, cli):
    path = tmp_path / "annan-app.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
        conn.execute("INSERT INTO note (text) VALUES ('hej')")
    conn.close()
    return path


def sqlite_file(tmp_path, app, cli) -> Path:
    """A `--format sqlite` backup: of the app itself on SQLite, else of a new SQLite app with the schema only."""
    if dialect(app) == "sqlite":
        return backup(cli, tmp_path / "kopia.db")
    other = make_app(f"sqlite:///{tmp_path / 'källa.db'}")
    try:
        run = runner_for(other)
        assert run("db", "upgrade").exit_code == 0
        return backup(run, tmp_path / "kopia.db")
    finally:
        other.server.extensions["engine"].dispose()


def _dump(tmp_path, app, cli, change=None) -> Path:
    path = backup(cli, tmp_path / "kopia.json.gz", "--format", "dump")
    if change:
        lines = read_lines(path)
        change(lines)
        write_lines(path, lines)
    return path


def _dump_of_revision(revision):
    def make(tmp_path, app, cli):
        return _dump(tmp_path, app, cli, lambda lines: lines[0].update(revision=revision))

    return make


def _sqlite_of_revision(tmp_path, app, cli):
    path = sqlite_file(tmp_path, app, cli)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0002'")
    conn.close()
    return path


def _cut(maker, keep: float):
    def make(tmp_path, app, cli):
        path = maker(tmp_path, app, cli)
        data = path.read_bytes()
        path.write_bytes(data[: int(len(data) * keep)])
        return path

    return make


def _scrambled(maker):
    def make(tmp_path, app, cli):
        path = maker(tmp_path, app, cli)
        data = bytearray(path.read_bytes())
        middle = len(data) // 2
        data[middle : middle + 4096] = bytes((i * 7 + 3) % 256 for i in range(4096))[: len(data) - middle]
        path.write_bytes(bytes(data))
        return path

    return make


def _flipped_byte(tmp_path, app, cli):
    path = _dump(tmp_path, app, cli)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_text, ["ingen säkerhetskopia", "varken en SQLite-databas eller en dump"]),
        (_excel, ["ingen säkerhetskopia"]),
        (_other_gzip, ["ingen säkerhetskopia", "ingen dump från tjänsten"]),
        (_other_sqlite, ["ingen säkerhetskopia", "utan tjänstens tabeller"]),
        (_dump_of_revision("0002"), ["schemaversion 0002", "databasen har 0003", "db upgrade"]),
        (_dump_of_revision("0099"), ["schemaversion 0099", "databasen har 0003", "Uppdatera tjänsten", "db upgrade"]),
        (_sqlite_of_revision, ["schemaversion 0002", "databasen har 0003", "db upgrade"]),
        (_cut(_dump, 0.5), ["skadad eller avkortad"]),
        (_cut(_dump, 0.999), ["skadad eller avkortad"]),
        (_flipped_byte, ["skadad eller avkortad"]),
        (_cut(sqlite_file, 0.5), ["skadad eller avkortad"]),
        (_scrambled(sqlite_file), ["skadad eller avkortad"]),
    ],
    ids=[
        "text",
        "excel",
        "other-gzip",
        "other-sqlite",
        "dump-older-revision",
        "dump-unknown-revision",
        "sqlite-older-revision",
        "dump-cut-in-half",
        "dump-cut-at-the-end",
        "dump-byte-flipped",
        "sqlite-cut-in-half",
        "sqlite-scrambled",
    ],
)
def test_restore_refuses_a_file_it_cannot_restore_and_changes_nothing(app, cli, tmp_path, make, words):
    path = make(tmp_path, app, cli)
    change_data(app)
    before = rows(app)
    result = restore(cli, path, "--yes")
    assert result.exit_code != 0
    for word in words:
        assert word in result.output, result.output
    assert "Inget ändrades" in result.output or "inget ändrades" in result.output
    assert rows(app) == before
