"""Forged requests to Ladda upp → Dokument, sent straight to Dash's endpoint as a script would: a läsare's preview
and a läsare's save of an editor's staged document are refused, nobody logged in gets 401, and an editor's forged
rows (a negative amount, an unknown municipality, rows pointing at items that do not exist) are refused or handled
with a Swedish message. The database is exactly as before each time (a full dump of every table); the same requests
from an editor go through.

The demo data already holds the seed meeting and plan, so these tests use a database without it (with the users)."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from dashboard.database import session_scope as app_session
from data.db import make_engine, make_session_factory, session_scope
from data.models import Meeting, Project
from data.users import create_user
from layouts import documents as dui
from layouts import upload as ui
from tests.callbacks.test_documents import MINUTES, PLAN, document, props_of
from tests.callbacks.test_upload import dump_database
from tests.conftest import PASSWORDS, USERS
from tests.web.test_upload_security import client_for, outputs, payload, post, preview_payload


@pytest.fixture
def db_url(databases) -> str:
    """A database with the municipalities and the test users, and no demo data (used by `app`, `client`, `login`)."""
    url = databases.fresh(seed=False)
    engine = make_engine(url)
    with session_scope(make_session_factory(engine)) as s:
        for name, role, kommun in USERS:
            create_user(s, name, PASSWORDS[name], role=role, municipality=kommun)
    engine.dispose()
    return url


MINUTES_STATE = (
    dui.MEETING_KIND,
    dui.MEETING_DATE,
    dui.MEETING_START,
    dui.MEETING_END,
    dui.MEETING_PLACE,
    dui.NEXT_DATE,
    dui.NEXT_PLACE,
)
PLAN_STATE = (dui.PLAN_YEAR, dui.PLAN_ADOPTED_ON, dui.PLAN_ADOPTED_BY)


def review_of(app, client, path) -> dict:
    """Preview `path` as "Dokument" through the endpoint; the review as the browser receives it."""
    out = outputs(post(client, preview_payload(app, document(path), kind=dui.DOCUMENT_KIND)))
    review = out[ui.PREVIEW]["children"]
    assert review, out[ui.MESSAGE]
    return review


def save_payload(app, review: dict, *, plan: bool = False, change=None) -> dict:
    """The body the "Spara" button posts, with the review's values (changed by `change(values)` first)."""
    fields, grids, button = (
        (PLAN_STATE, dui.PLAN_GRIDS, dui.SAVE_PLAN) if plan else (MINUTES_STATE, dui.MINUTES_GRIDS, dui.SAVE_MINUTES)
    )
    values = {
        (dui.TOKEN, "data"): props_of(review, dui.TOKEN)["data"],
        (dui.FOUND, "data"): props_of(review, dui.FOUND)["data"],
        **{(f, "value"): props_of(review, f).get("value") for f in fields},
        **{(dui.grid_id(g), "rowData"): props_of(review, dui.grid_id(g))["rowData"] for g in grids},
    }
    if change:
        change(values)
    return payload(app, [(button, "n_clicks", 1)], [(i, p, v) for (i, p), v in values.items()])


def count(app, model) -> int:
    with app_session(app.server) as s:
        return s.scalar(select(func.count()).select_from(model))


# --- the control case: an editor goes through --------------------------------------------------------------------


def test_an_editor_previews_and_saves_a_document_through_the_endpoint(app, client, login, caplog):
    login("redaktor")
    client.get("/")
    review = review_of(app, client, MINUTES)
    caplog.set_level(logging.INFO, logger="umearegionen.audit")
    out = outputs(post(client, save_payload(app, review)))
    assert "är sparat" in str(out[ui.MESSAGE]["children"]), out[ui.MESSAGE]
    assert count(app, Meeting) == 2  # the meeting and the next one
    [saved] = [r for r in caplog.records if getattr(r, "event", None) == "import"]
    assert saved.fields["account"] == "redaktor" and saved.fields["kind"] == "dokument/minutes"
    assert saved.fields["file"] == MINUTES.name


# --- forged requests ---------------------------------------------------------------------------------------------


def test_a_readers_forged_document_preview_is_refused_and_stages_nothing(app, client, login):
    login("lasare")
    client.get("/")
    before = dump_database(app)
    out = outputs(post(client, preview_payload(app, document(MINUTES), kind=dui.DOCUMENT_KIND)))
    said = str(out[ui.MESSAGE]["children"])
    assert "Du har inte behörighet att ladda upp data" in said and "'role': 'alert'" in said
    assert out[ui.PREVIEW]["children"] is None
    assert dump_database(app) == before


def test_a_readers_forged_save_of_an_editors_document_is_refused(app, client, login):
    login("redaktor")
    client.get("/")
    body = save_payload(app, review_of(app, client, MINUTES))
    reader = client_for(app, "lasare")
    before = dump_database(app)
    out = outputs(post(reader, body))
    assert "Du har inte behörighet" in str(out[ui.MESSAGE]["children"])
    assert dump_database(app) == before


def test_another_editor_cannot_save_someone_elses_staged_document(app, client, login):
    login("redaktor")
    client.get("/")
    body = save_payload(app, review_of(app, client, MINUTES))
    other = client_for(app, "admin")
    before = dump_database(app)
    out = outputs(post(other, body))
    assert "Förhandsgranskningen finns inte längre" in str(out[ui.MESSAGE]["children"])
    assert dump_database(app) == before


def test_a_readers_forged_cancel_leaves_an_editors_staged_document_alone(app, client, login):
    login("redaktor")
    client.get("/")
    token = props_of(review_of(app, client, MINUTES), dui.TOKEN)["data"]
    reader = client_for(app, "lasare")
    before = dump_database(app)
    outputs(post(reader, payload(app, [(dui.CANCEL, "n_clicks", 1)], [(dui.TOKEN, "data", token)])))
    assert dump_database(app) == before


@pytest.mark.parametrize("button", [dui.SAVE_MINUTES, dui.SAVE_PLAN])
def test_a_save_without_logging_in_is_refused(app, client, button):
    before = dump_database(app)
    grids = dui.MINUTES_GRIDS if button == dui.SAVE_MINUTES else dui.PLAN_GRIDS
    fields = MINUTES_STATE if button == dui.SAVE_MINUTES else PLAN_STATE
    body = payload(
        app,
        [(button, "n_clicks", 1)],
        [(dui.TOKEN, "data", "x"), (dui.FOUND, "data", {"kind": "minutes"})]
        + [(f, "value", None) for f in fields]
        + [(dui.grid_id(g), "rowData", []) for g in grids],
    )
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 401
    assert dump_database(app) == before


def _negative_amount(values):
    values[(dui.grid_id("funders"), "rowData")][0]["amount_sek"] = -5000


def _unknown_municipality(values):
    values[(dui.grid_id("projects"), "rowData")][0]["municipalities"] = "Umeå, Atlantis"


def _rows_pointing_nowhere(values):
    values[(dui.grid_id("projects"), "rowData")].append(
        {"_id": "x", "_p": "99.99", "focus": "Påhittat", "name": None, "remove": False}
    )


@pytest.mark.parametrize(
    "change, said",
    [
        (_negative_amount, "beloppet kan inte vara negativt"),
        (_unknown_municipality, "Atlantis"),
        (_rows_pointing_nowhere, "Projektets namn saknas"),
    ],
)
def test_an_editors_forged_plan_values_are_refused_and_nothing_is_written(app, client, login, change, said):
    login("redaktor")
    client.get("/")
    review = review_of(app, client, PLAN)
    before = dump_database(app)
    out = outputs(post(client, save_payload(app, review, plan=True, change=change)))
    message = str(out[ui.MESSAGE]["children"])
    assert said in message and "'role': 'alert'" in message, message
    assert dump_database(app) == before
    assert count(app, Project) == 0
