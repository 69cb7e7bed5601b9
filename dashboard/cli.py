"""Command line: `flask --app app:server db upgrade | seed | users ...`."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from dashboard.bootstrap import ensure_admin, migrate
from dashboard.database import session_scope
from data.models import ROLES
from data.seeding import load_demo_data
from data.users import UserError, create_user, delete_user, list_users, set_password

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


def init_cli(server: Flask) -> None:
    server.cli.add_command(users)
    server.cli.add_command(db)
    server.cli.add_command(seed)
