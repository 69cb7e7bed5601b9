"""The command line: users, schema and demo data."""

from __future__ import annotations

import pytest

from dashboard.database import session_scope
from data.models import ChangeRecord, Project
from data.users import get_user, verify_password


@pytest.fixture
def cli(app):
    runner = app.server.test_cli_runner()
    return lambda *args, input=None: runner.invoke(args=list(args), input=input)


def test_users_create_prompts_for_the_password_and_sets_role_and_municipality(app, cli):
    result = cli(
        "users",
        "create",
        "kalle",
        "--role",
        "redigerare",
        "--kommun",
        "Vännäs",
        input="ett-bra-losenord\nett-bra-losenord\n",
    )
    assert result.exit_code == 0, result.output
    assert "kalle" in result.output
    with session_scope(app.server) as s:
        user = get_user(s, "kalle")
        assert user.role == "redigerare" and user.municipality.name == "Vännäs"
        assert verify_password(user.password_hash, "ett-bra-losenord")
        assert s.query(ChangeRecord).filter_by(entity="app_user", entity_id=user.id).count() == 1


def test_users_create_with_an_unknown_municipality_fails_in_swedish(cli):
    result = cli("users", "create", "kalle", "--kommun", "Vänäs", input="ett-bra-losenord\nett-bra-losenord\n")
    assert result.exit_code != 0
    assert "Okänd kommun" in result.output and "Vännäs" in result.output


def test_users_create_refuses_a_short_password(cli):
    result = cli("users", "create", "kalle", input="kort\nkort\n")
    assert result.exit_code != 0 and "minst 10 tecken" in result.output


def test_users_list_set_password_and_delete(app, cli):
    listing = cli("users", "list")
    assert "vannas\tredigerare\tVännäs" in listing.output
    assert "lasare\tläsare\talla kommuner" in listing.output
    assert cli("users", "set-password", "lasare", input="nytt-losenord-1\nnytt-losenord-1\n").exit_code == 0
    with session_scope(app.server) as s:
        assert verify_password(get_user(s, "lasare").password_hash, "nytt-losenord-1")
    assert cli("users", "delete", "lasare", input="y\n").exit_code == 0
    assert "lasare" not in cli("users", "list").output
    missing = cli("users", "delete", "finnsinte", input="y\n")
    assert missing.exit_code != 0 and "Det finns ingen användare" in missing.output


def test_seed_twice_loads_nothing_the_second_time(app, cli):
    result = cli("seed")
    assert result.exit_code == 0 and "fanns redan" in result.output
    with session_scope(app.server) as s:
        assert s.query(Project).count() == 8


def test_db_upgrade_on_an_empty_database_creates_schema_and_admin(databases):
    from dashboard import create_app
    from dashboard.config import TestConfig

    app = create_app({"SECRET_KEY": TestConfig.SECRET_KEY, "DATABASE_URL": databases.empty()})
    runner = app.server.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "admin" in result.output
    assert "users" in runner.invoke(args=["--help"]).output
    with session_scope(app.server) as s:
        assert get_user(s, "admin").role == "admin"
        assert s.query(Project).count() == 0
    assert "Demodata inläst" in runner.invoke(args=["seed"]).output
    app.server.extensions["engine"].dispose()


def test_users_set_role_changes_role_and_municipality_and_ends_the_sessions(app, cli):
    with session_scope(app.server) as s:
        old_token = get_user(s, "lasare").session_token
    result = cli("users", "set-role", "lasare", "redigerare", "--kommun", "Vannas")
    assert result.exit_code == 0, result.output
    assert "lasare har nu rollen redigerare för Vannas." in result.output
    with session_scope(app.server) as s:
        user = get_user(s, "lasare")
        assert (user.role, user.municipality.name) == ("redigerare", "Vännäs")
        assert user.session_token != old_token
        record = s.query(ChangeRecord).filter_by(entity="app_user", entity_id=user.id, action="update").one()
        assert (record.before["role"], record.after["role"], record.username) == ("läsare", "redigerare", "kommandorad")
        assert "password_hash" not in record.after and "session_token" not in record.after
    assert cli("users", "set-role", "lasare", "admin").exit_code == 0
    with session_scope(app.server) as s:
        assert get_user(s, "lasare").municipality is None


def test_users_set_role_refuses_unknown_users_and_municipalities_in_swedish(cli):
    missing = cli("users", "set-role", "finnsinte", "läsare")
    assert missing.exit_code != 0 and "Det finns ingen användare" in missing.output
    wrong = cli("users", "set-role", "lasare", "läsare", "--kommun", "Stockholm")
    assert wrong.exit_code != 0 and "Okänd kommun" in wrong.output
