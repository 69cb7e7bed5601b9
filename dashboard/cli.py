"""Command line: `flask --app app:server db upgrade | seed | users … | import … | extract … | export …`."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from dashboard.bootstrap import ensure_admin, migrate
from dashboard.database import session_scope
from data.backup import FORMATS as BACKUP_FORMATS
from data.backup import BackupProblem, backup_database, count_lines, read_backup, restore_backup
from data.documents.extract import extract_document
from data.documents.save import preview_document, save_document
from data.documents.text import DocumentProblem
from data.exports import FORMATS, PackError, export_pack, pack_filter
from data.imports import KINDS, Actor, ImportRefused, Preview, counts_text, import_file
from data.meetings import known_meetings
from data.models import ROLES, User
from data.seeding import load_demo_data
from data.users import UserError, create_user, delete_user, list_users, set_password, set_role

CLI_ACTOR = "kommandorad"
users = AppGroup("users", help="Hantera användare.")
db = AppGroup("db", help="Databasens schema.")


def _run(action) -> None:
    try:
        with session_scope() as s:
            action(s)
    except UserError as exc:
        raise click.ClickException(str(exc)) from exc


@users.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="läsare", show_default=True, help="Roll.")
@click.option("--kommun", default=None, help="Begränsa till en kommun (t.ex. Vännäs).")
@click.password_option(
    "--password", prompt="Lösenord", confirmation_prompt="Upprepa lösenordet", help="Frågas efter om det inte anges."
)
def create(name: str, role: str, kommun: str | None, password: str) -> None:
    """Skapa användaren NAME."""
    _run(lambda s: create_user(s, name, password, role=role, municipality=kommun, actor="kommandorad"))
    click.echo(f"Användaren {name} skapades med rollen {role}" + (f" för {kommun}." if kommun else "."))


@users.command("list")
def list_() -> None:
    """Lista användarna."""
    with session_scope() as s:
        rows = list_users(s)
    if not rows:
        click.echo("Inga användare.")
    for u in rows:
        click.echo(f"{u['username']}\t{u['role']}\t{u['municipality'] or 'alla kommuner'}")


@users.command("set-password")
@click.argument("name")
@click.password_option("--password", prompt="Nytt lösenord", confirmation_prompt="Upprepa lösenordet")
def set_password_(name: str, password: str) -> None:
    """Byt lösenord för NAME (loggar ut användarens sessioner)."""
    _run(lambda s: set_password(s, name, password, actor="kommandorad"))
    click.echo(f"Lösenordet för {name} är bytt.")


@users.command("set-role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
@click.option("--kommun", default=None, help="Begränsa till en kommun; utan: alla kommuner.")
def set_role_(name: str, role: str, kommun: str | None) -> None:
    """Ge NAME rollen ROLE (och kommunen); användarens sessioner avslutas."""
    _run(lambda s: set_role(s, name, role, municipality=kommun, actor=CLI_ACTOR))
    click.echo(f"{name} har nu rollen {role}" + (f" för {kommun}." if kommun else " för alla kommuner."))


@users.command("delete")
@click.argument("name")
@click.confirmation_option(prompt="Ta bort användaren?")
def delete(name: str) -> None:
    """Ta bort användaren NAME."""
    _run(lambda s: delete_user(s, name, actor="kommandorad"))
    click.echo(f"Användaren {name} är borttagen.")


@db.command("upgrade")
def db_upgrade() -> None:
    """Uppgradera databasen till senaste migrationen (kör före start av servrarna)."""
    migrate(current_app)
    click.echo("Databasen är uppgraderad.")
    password = ensure_admin(current_app)
    if password:
        click.echo(f"Kontot admin skapades med lösenordet: {password}")


@click.command("seed")
@with_appcontext
def seed() -> None:
    """Läs in demodata för Umeåregionen (bara första gången)."""
    with session_scope() as s:
        loaded = load_demo_data(s)
    click.echo("Demodata inläst." if loaded else "Demodata fanns redan; inget lästes in.")


def _actor(s, name: str | None) -> Actor:
    if name is None:
        return Actor(CLI_ACTOR, "admin")
    user = s.scalars(select(User).where(User.username == name)).one_or_none()
    if user is None:
        raise click.ClickException(f"Användaren {name} finns inte.")
    return Actor(user.username, user.role, user.municipality.name if user.municipality else None)


def _print_preview(preview: Preview) -> None:
    click.echo(f"{preview.kind_label} från {preview.filename}: {counts_text(preview.counts, unchanged=True)}.")
    for p in preview.problems:
        click.echo(f"Fel: {p.sheet + ': ' if p.sheet else ''}{p}", err=True)
    for p in preview.refused:
        click.echo(f"Nekad: {p.sheet + ': ' if p.sheet else ''}{p}", err=True)
    for note in preview.notes:
        click.echo(f"Obs: {note}")
    for r in preview.new + preview.changed + preview.removed:
        what = {"new": "Ny", "update": "Ändrad", "delete": "Tas bort"}[r.action]
        row = f"rad {r.row}" if r.row else "saknas i filen"
        changes = "; ".join(f"{c.label}: {c.old if c.old is not None else '–'} → {c.new}" for c in r.changes)
        detail = f" – {changes}" if changes and r.action == "update" else ""
        click.echo(f"{what} ({r.sheet}, {row}): {r.key}{detail}")


@click.command("import")
@click.argument("kind", type=click.Choice(list(KINDS)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Kontrollera och visa ändringarna utan att spara något.")
@click.option("--json", "as_json", is_flag=True, help="Skriv förhandsgranskningen som JSON.")
@click.option("--user", "username", default=None, help="Importera som denna användare (roll och kommun gäller).")
@click.option("--remove-missing", is_flag=True, help="Ta bort rader som saknas i filen.")
@with_appcontext
def import_(kind: str, file: Path, dry_run: bool, as_json: bool, username: str | None, remove_missing: bool) -> None:
    """Läs in FILE (.xlsx eller .csv) som KIND, på samma sätt som sidan Ladda upp: kontroll, förhandsgranskning,
    och sparande i en transaktion."""
    content = file.read_bytes()
    try:
        with session_scope() as s:
            actor = _actor(s, username)
            preview, result = import_file(
                s,
                kind,
                content,
                file.name,
                actor=actor,
                remove_missing=remove_missing,
                dry_run=dry_run,
                max_bytes=current_app.config["UPLOAD_MAX_BYTES"],
            )
    except ImportRefused as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        out = {**preview.to_dict(), "dry_run": dry_run, "saved": result is not None}
        out["result"] = result.to_dict() if result else None
        click.echo(json.dumps(out, ensure_ascii=False, indent=2, default=str))
    else:
        _print_preview(preview)
        if result:
            click.echo(result.message)
        elif dry_run and preview.can_confirm:
            click.echo("Provkörning: inget sparades.")
        elif not preview.problems and not preview.refused:
            click.echo("Inget att spara: filen innehåller inga ändringar.")
    if preview.problems or preview.refused:
        if not as_json:
            click.echo("Inget sparades: rätta felen och försök igen.", err=True)
        raise SystemExit(1)


@click.command("extract")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Skriv det som hittades som JSON.")
@with_appcontext
def extract(file: Path, as_json: bool) -> None:
    """Läs minnesanteckningar, ett protokoll eller en verksamhetsplan (.docx, .pdf, .txt, .md) och visa vad som
    hittades, utan att spara något."""
    with session_scope() as s:
        meetings = known_meetings(s)
    try:
        found = extract_document(file.read_bytes(), file.name, known_meetings=meetings)
    except DocumentProblem as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2, default=str))
        return
    if found["kind"] == "minutes":
        meeting = found.get("meeting") or {}
        items = found.get("agenda_items") or []
        tasks = sum(len(i.get("assignments") or []) for i in items)
        decisions = sum(len(i.get("decisions") or []) for i in items)
        click.echo(
            f"Minnesanteckningar: {meeting.get('kind') or 'möte'} {meeting.get('date') or '(datum saknas)'}, "
            f"{len(items)} punkter, {decisions} beslut, {tasks} uppdrag."
        )
    else:
        plan = found.get("plan") or {}
        areas = plan.get("focus_areas") or []
        projects = sum(len(a.get("projects") or []) for a in areas)
        year = plan.get("year") or "(år saknas)"
        click.echo(f"Verksamhetsplan {year}: {len(areas)} insatsområden, {projects} projekt.")


@click.command("import-document")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--user", "username", default=None, help="Läs in som denna användare (roll och kommun gäller).")
@with_appcontext
def import_document(file: Path, username: str | None) -> None:
    """Läs in minnesanteckningar, ett protokoll eller en verksamhetsplan och spara det som hittades, som bekräftat."""
    try:
        with session_scope() as s:
            actor = _actor(s, username)
            shown = preview_document(s, file.read_bytes(), file.name, actor=actor)
        if shown["problems"] or shown["duplicate"]:
            raise click.ClickException(" ".join(shown["problems"]) or shown["duplicate"])
        with session_scope() as s:
            result = save_document(s, shown["token"], shown["found"], actor=actor)
    except ImportRefused as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(result.message)


@click.command("export")
@click.argument("fmt", metavar="pptx|xlsx", type=click.Choice(list(FORMATS)))
@click.argument("out", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--kommun", default=None, help="Bara det som rör en kommun (t.ex. Vännäs).")
@click.option("--insatsomrade", default=None, help="Bara ett insatsområdes projekt och aktiviteter (namnet).")
@click.option("--ar", default=None, help="Bara verksamhetsplanen för ett år (t.ex. 2005).")
@click.option("--since", default=None, help="Förändringar sedan detta datum (ÅÅÅÅ-MM-DD); annars sedan förra mötet.")
@with_appcontext
def export(fmt: str, out: Path, kommun: str | None, insatsomrade: str | None, ar: str | None, since: str | None):
    """Skriv mötespaketet som PowerPoint (pptx) eller Excel (xlsx) till OUT, samma som knapparna på sidorna."""
    params = {"kommun": kommun, "insatsomrade": insatsomrade, "ar": ar, "sedan": since}
    with session_scope() as s:
        try:
            pf, since_date = pack_filter(s, params)
        except PackError as exc:
            raise click.ClickException(str(exc)) from exc
        data, _, _ = export_pack(s, fmt, pf, since=since_date)
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"Kunde inte skriva {out}: {exc.strerror}.") from exc
    click.echo(f"Skrev {out} ({len(data) // 1024} kB): {pf.describe()}.")


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(BACKUP_FORMATS),
    default=None,
    help="sqlite: en kopia av SQLite-databasen (förval på SQLite); dump: en portabel dump, .json.gz (förval på "
    "PostgreSQL, går att återställa i båda).",
)
@click.option("--force", is_flag=True, help="Skriv över FILE om den finns.")
@with_appcontext
def backup(file: Path, fmt: str | None, force: bool) -> None:
    """Säkerhetskopiera all data till FILE medan tjänsten är igång (en ögonblicksbild)."""
    try:
        made = backup_database(current_app.extensions["engine"], file, fmt=fmt, overwrite=force)
    except BackupProblem as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Säkerhetskopian {file} är skriven ({made.describe()}, {file.stat().st_size // 1024} kB):")
    for line in count_lines(made.counts):
        click.echo(line)


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Fråga inte om bekräftelse.")
@with_appcontext
def restore(file: Path, yes: bool) -> None:
    """Ersätt all data i databasen med säkerhetskopian FILE (från backup), i en transaktion."""
    try:
        found = read_backup(file, current_app.extensions["engine"])
    except BackupProblem as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{file}: {found.describe()}, {found.total} rader.")
    if not yes:
        try:
            confirmed = click.confirm("Allt som nu finns i databasen ersätts med säkerhetskopian. Fortsätta?")
        except click.Abort:
            confirmed = False
        if not confirmed:
            click.echo("Avbrutet: inget ändrades.", err=True)
            raise SystemExit(1)
    try:
        with session_scope() as s:
            counts = restore_backup(s, found, username=CLI_ACTOR)
    except BackupProblem as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Databasen är återställd från {file}:")
    for line in count_lines(counts):
        click.echo(line)


def init_cli(server: Flask) -> None:
    server.cli.add_command(users)
    server.cli.add_command(db)
    server.cli.add_command(seed)
    server.cli.add_command(import_)
    server.cli.add_command(extract)
    server.cli.add_command(import_document)
    server.cli.add_command(export)
    server.cli.add_command(backup)
    server.cli.add_command(restore)
