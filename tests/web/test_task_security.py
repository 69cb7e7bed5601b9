"""Forged requests to the task editor's callback, sent straight to Dash's endpoint as a script would: a läsare, an
editor tied to Vännäs on a task that does not concern Vännäs, and nobody at all are refused, and the database is
exactly as before (task status, notes, change records). The same request from an editor goes through."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from dashboard.database import session_scope
from data.models import ChangeRecord, Task, TaskNote
from layouts import ids
from layouts import tasks as ui

OUTPUTS = [
    (ui.EDIT_MESSAGE, "children"),
    (ui.DETAILS, "children"),
    (ui.HISTORY, "children"),
    (ui.EDIT_NOTE, "value"),
    (ui.SAVED, "data"),
    (ui.SUMMARY, "children"),
]


def save_payload(task_id, status: str = "klar", note: str = "Förfalskad notering") -> dict:
    """The body Dash's renderer posts when Spara is clicked in the task dialog."""
    return {
        "output": ".." + "...".join(f"{i}.{p}" for i, p in OUTPUTS) + "..",
        "outputs": [{"id": i, "property": p} for i, p in OUTPUTS],
        "inputs": [{"id": ui.EDIT_SAVE, "property": "n_clicks", "value": 1}],
        "state": [
            {"id": ui.SELECTED, "property": "data", "value": task_id},
            {"id": ui.EDIT_STATUS, "property": "value", "value": status},
            {"id": ui.EDIT_NOTE, "property": "value", "value": note},
            {"id": ids.URL, "property": "search", "value": ""},
        ],
        "changedPropIds": [f"{ui.EDIT_SAVE}.n_clicks"],
    }


def task_id(app, fragment: str) -> int:
    with session_scope(app.server) as s:
        return s.scalars(select(Task.id).where(Task.text.like(f"%{fragment}%"))).one()


def snapshot(app) -> dict:
    """Everything a task edit could touch."""
    with session_scope(app.server) as s:
        return {
            "statuses": dict(s.execute(select(Task.id, Task.status)).all()),
            "notes": s.scalar(select(func.count(TaskNote.id))),
            "changes": s.scalar(select(func.count(ChangeRecord.id))),
        }


def post(client, payload):
    token = client.get_cookie("_csrf_token")
    headers = {"X-CSRFToken": token.value} if token else {}
    return client.post("/_dash-update-component", json=payload, headers=headers)


def test_the_payload_matches_the_registered_callback(app):
    payload = save_payload(1)
    assert payload["output"] in app.callback_map
    registered = app.callback_map[payload["output"]]
    assert [(d["id"], d["property"]) for d in registered["inputs"]] == [(ui.EDIT_SAVE, "n_clicks")]
    assert [(d["id"], d["property"]) for d in registered["state"]] == [
        (s["id"], s["property"]) for s in payload["state"]
    ]


def test_an_editor_can_save_through_the_endpoint(app, client, login):
    """The control case: the same request from someone who may, changes the task (so the refusals below mean it)."""
    login("redaktor")
    client.get("/")
    tid = task_id(app, "reklamfilm")
    before = snapshot(app)
    response = post(client, save_payload(tid))
    assert response.status_code == 200
    assert "Sparat: status klar" in response.get_data(as_text=True)
    after = snapshot(app)
    assert after["statuses"][tid] == "klar"
    assert (after["notes"], after["changes"]) == (before["notes"] + 1, before["changes"] + 1)


@pytest.mark.parametrize(
    ("username", "fragment", "says"),
    [
        ("lasare", "reklamfilm", "Du har inte behörighet att ändra uppdrag."),
        ("lasare", "gemensam avfallsplan", "Du har inte behörighet att ändra uppdrag."),
        ("vannas", "reklamfilm", "Du kan bara ändra uppdrag som berör Vännäs."),
        ("vannas", "personalavdelningen", "Du kan bara ändra uppdrag som berör Vännäs."),
    ],
)
def test_a_forged_save_is_refused_and_changes_nothing(app, client, login, username, fragment, says):
    login(username)
    client.get("/")
    tid = task_id(app, fragment)
    before = snapshot(app)
    response = post(client, save_payload(tid))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert says in body and '"role":"alert"' in body.replace(" ", "")
    assert "Sparat" not in body
    assert snapshot(app) == before


@pytest.mark.parametrize("status", ["klar", "öppen", "okänd-status"])
def test_a_forged_save_with_any_status_is_refused_for_a_reader(app, client, login, status):
    login("lasare")
    client.get("/")
    before = snapshot(app)
    post(client, save_payload(task_id(app, "reklamfilm"), status=status, note=""))
    assert snapshot(app) == before


def test_a_forged_save_for_a_task_that_does_not_exist_changes_nothing(app, client, login):
    login("redaktor")
    client.get("/")
    before = snapshot(app)
    response = post(client, save_payload(987654))
    assert "Uppdraget finns inte" in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_a_forged_save_without_logging_in_is_refused(app, client):
    before = snapshot(app)
    response = client.post("/_dash-update-component", json=save_payload(task_id(app, "reklamfilm")))
    assert response.status_code == 401
    assert snapshot(app) == before


def test_a_forged_save_without_the_csrf_header_is_refused(app, client, login):
    login("redaktor")
    client.get("/")
    before = snapshot(app)
    response = client.post("/_dash-update-component", json=save_payload(task_id(app, "reklamfilm")))
    assert response.status_code == 400
    assert snapshot(app) == before


def test_the_vannas_editor_may_change_a_task_about_vannas(app, client, login):
    login("vannas")
    client.get("/")
    tid = task_id(app, "gemensam avfallsplan")
    response = post(client, save_payload(tid, note="Antagen."))
    assert "Sparat" in response.get_data(as_text=True)
    assert snapshot(app)["statuses"][tid] == "klar"
