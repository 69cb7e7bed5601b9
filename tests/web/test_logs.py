"""Structured logs: logins, failed logins, logouts, exports and user changes are audit events with their fields as
data; JSON lines with LOG_FORMAT=json; a write's event only once it is committed; never a password or session id."""

from __future__ import annotations

import json
import logging

import pytest

from dashboard.database import session_scope
from dashboard.logs import JsonFormatter, TextFormatter
from data.audit import audit, audit_on_commit
from data.users import create_user
from tests.conftest import PASSWORDS, csrf_token, do_login

AUDIT = "umearegionen.audit"


@pytest.fixture
def events(caplog):
    """The audit records logged during the test, as (event, fields)."""
    caplog.set_level(logging.INFO, logger=AUDIT)
    return lambda: [(r.event, r.fields) for r in caplog.records if r.name == AUDIT]


def formatted(caplog) -> str:
    """Every record of the test as both formatters write it."""
    return "\n".join(f.format(r) for r in caplog.records for f in (JsonFormatter(), TextFormatter()))


def test_logins_failures_and_logouts_are_events_without_secrets(client, caplog, events, login):
    assert do_login(client, "admin", "fel-losenord-123").status_code == 401
    login("lasare")
    cookie = client.get_cookie("ur_session").value
    csrf = client.get_cookie("_csrf_token")
    client.post("/logout", data={"csrf_token": csrf_token(client)})

    found = events()
    assert [e for e, _ in found] == ["login_failed", "login", "logout"]
    assert found[0][1] == {"account": "admin", "address": "127.0.0.1"}
    assert found[1][1]["account"] == "lasare" and found[1][1]["role"] == "läsare"
    text = formatted(caplog)
    for secret in ("fel-losenord-123", PASSWORDS["lasare"], cookie, csrf.value if csrf else "\0"):
        assert secret not in text


def test_json_lines_carry_the_event_and_its_fields(caplog, events):
    audit("export", "Export: konto='anna'", account="anna", format="pptx", password="hemligt", session_id="abc")
    [record] = [r for r in caplog.records if r.name == AUDIT]
    line = json.loads(JsonFormatter().format(record))
    assert line["event"] == "export" and line["account"] == "anna" and line["format"] == "pptx"
    assert line["level"] == "INFO" and line["logger"] == AUDIT and line["message"] == "Export: konto='anna'"
    assert "password" not in line and "session_id" not in line and "hemligt" not in json.dumps(line)
    assert TextFormatter("%(message)s").format(record) == "Export: konto='anna' [export account='anna' format='pptx']"


def test_an_export_is_an_event_with_its_filter(login, client, events):
    login("lasare")
    assert client.get("/export/paket.xlsx?kommun=Vännäs").status_code == 200
    [(event, fields)] = [e for e in events() if e[0] == "export"]
    assert fields["account"] == "lasare" and fields["format"] == "xlsx" and fields["kommun"] == "Vännäs"
    assert fields["bytes"] > 0


def test_a_users_event_is_logged_when_the_change_commits_and_never_when_it_rolls_back(app, events):
    with pytest.raises(RuntimeError), session_scope(app.server) as s:
        create_user(s, "borta", "ett-bra-losenord", role="redigerare", actor="admin")
        raise RuntimeError("något gick fel efter skrivningen")
    assert events() == []
    with session_scope(app.server) as s:
        create_user(s, "kvar", "ett-bra-losenord", role="redigerare", municipality="Vännäs", actor="admin")
        assert events() == []  # not before the commit
    assert events() == [
        ("user_created", {"account": "kvar", "role": "redigerare", "municipality": "Vännäs", "actor": "admin"})
    ]


def test_audit_on_commit_keeps_nothing_over_to_the_next_transaction(app, events):
    with pytest.raises(RuntimeError), session_scope(app.server) as s:
        audit_on_commit(s, "import", "rullas tillbaka")
        raise RuntimeError
    with session_scope(app.server) as s:
        audit_on_commit(s, "import", "sparad", batch=7)
    assert events() == [("import", {"batch": 7})]


def test_cli_user_changes_are_events(app, events):
    runner = app.server.test_cli_runner()
    result = runner.invoke(args=["users", "create", "kalle", "--role", "läsare"], input="losenord-123\nlosenord-123\n")
    assert result.exit_code == 0, result.output
    runner.invoke(args=["users", "set-password", "kalle"], input="nytt-losenord-1\nnytt-losenord-1\n")
    runner.invoke(args=["users", "set-role", "kalle", "redigerare", "--kommun", "Umeå"])
    runner.invoke(args=["users", "delete", "kalle"], input="y\n")
    assert [e for e, _ in events()] == ["user_created", "password_changed", "role_changed", "user_deleted"]
    role = dict(events())["role_changed"]
    assert (role["old_role"], role["role"], role["municipality"]) == ("läsare", "redigerare", "Umeå")
    assert all(f["actor"] == "kommandorad" for _, f in events())


def test_an_import_and_its_undo_are_events_once_saved(app, events):
    from data.imports import import_file
    from data.imports.engine import Actor
    from data.imports.undo import undo_latest

    csv = "Projekt;Status;Budget (kr)\nBotniabanan som tillväxtfaktor;pågår;5 000 000\n"
    with session_scope(app.server) as s:
        _, result = import_file(s, "projekt", csv.encode(), "projekt.csv", actor=Actor("redaktor", "redigerare"))
        assert events() == []  # not before the commit
    [(event, fields)] = events()
    assert event == "import" and fields["account"] == "redaktor" and fields["file"] == "projekt.csv"
    assert fields["kind"] == "projekt" and fields["counts"]["changed"] == 1 and fields["batch"] == result.batch_id
    with session_scope(app.server) as s:
        undo_latest(s, actor=Actor("redaktor", "redigerare"))
    assert events()[-1] == (
        "import_undone",
        {"account": "redaktor", "batch": result.batch_id, "kind": "projekt", "file": "projekt.csv"},
    )
