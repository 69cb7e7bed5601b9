"""Forged requests to the upload page's callbacks, sent straight to Dash's endpoint as a script would: a läsare, an
editor tied to Vännäs on a project that does not concern Vännäs, and nobody at all are refused, and the database is
exactly as before (a full dump of every table). The same requests from an editor go through. And the template
downloads: only for those logged in, a real .xlsx, a Swedish 404 for an unknown kind."""

from __future__ import annotations

import io

import openpyxl
import pytest

from layouts import upload as ui
from tests.callbacks.test_upload import (
    BOTNIA,
    CHANGES,
    NEW_ROWS,
    UMECO,
    dump_database,
    edit_projects_workbook,
    file_data,
    template,
)
from tests.conftest import do_login

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def callback_key(app, input_id: str, input_prop: str) -> str:
    """The registered callback (its output key) that `input_id.input_prop` fires."""
    keys = [
        key
        for key, cb in app.callback_map.items()
        if [(i["id"], i["property"]) for i in cb["inputs"]][:1] == [(input_id, input_prop)]
    ]
    assert len(keys) == 1, keys
    return keys[0]


def payload(app, inputs: list[tuple[str, str, object]], state: list[tuple[str, str, object]] = ()) -> dict:
    """The body Dash's renderer posts for the callback fired by the first of `inputs`."""
    key = callback_key(app, inputs[0][0], inputs[0][1])
    multi = key.startswith("..")
    outputs = [part.rsplit(".", 1) for part in key.strip(".").split("...")] if multi else [key.rsplit(".", 1)]
    registered = app.callback_map[key]
    assert [(i["id"], i["property"]) for i in registered["inputs"]] == [(i, p) for i, p, _ in inputs]
    assert [(s["id"], s["property"]) for s in registered["state"]] == [(i, p) for i, p, _ in state]
    return {
        "output": key,
        "outputs": [{"id": i, "property": p} for i, p in outputs]
        if multi
        else {"id": outputs[0][0], "property": outputs[0][1]},
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "state": [{"id": i, "property": p, "value": v} for i, p, v in state],
        "changedPropIds": [f"{inputs[0][0]}.{inputs[0][1]}"],
    }


def preview_payload(app, data: dict, kind: str = "projekt", remove_missing: bool = False) -> dict:
    return payload(
        app,
        [(ui.FILE, "data", data), (ui.REMOVE, "value", remove_missing)],
        [(ui.KIND, "value", kind), (ui.TOKEN, "data", None)],
    )


def confirm_payload(app, token) -> dict:
    return payload(app, [(ui.CONFIRM, "n_clicks", 1)], [(ui.TOKEN, "data", token)])


def undo_payload(app) -> dict:
    return payload(app, [(ui.UNDO_CONFIRM, "n_clicks", 1)])


def post(client, body):
    token = client.get_cookie("_csrf_token")
    headers = {"X-CSRFToken": token.value} if token else {}
    return client.post("/_dash-update-component", json=body, headers=headers)


def outputs(response) -> dict:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()["response"]


def staged_token(app, client, login, username: str = "redaktor", changes=None) -> str:
    """Log in as `username`, preview an edited template through the endpoint and return its token."""
    login(username)
    client.get("/")
    content = edit_projects_workbook(template(app), changes or CHANGES, NEW_ROWS if changes is None else [])
    out = outputs(post(client, preview_payload(app, file_data(content))))
    token = out[ui.TOKEN]["data"]
    assert isinstance(token, str) and token
    return token


def saved_import(app, client, login) -> None:
    """An import by the editor, saved through the endpoint (for the undo tests)."""
    token = staged_token(app, client, login)
    out = outputs(post(client, confirm_payload(app, token)))
    assert "är sparad" in str(out[ui.MESSAGE]["children"])


def client_for(app, username: str):
    """A second browser: its own client, logged in as `username`."""
    other = app.server.test_client()
    assert do_login(other, username).status_code == 302
    other.get("/")
    return other


# --- the control cases: an editor goes through ---------------------------------------------------------------------


def test_an_editor_previews_saves_and_undoes_through_the_endpoint(app, client, login):
    before = dump_database(app)
    token = staged_token(app, client, login)
    out = outputs(post(client, confirm_payload(app, token)))
    assert "Importen av projekt.xlsx är sparad" in str(out[ui.MESSAGE]["children"])
    assert dump_database(app) != before
    out = outputs(post(client, undo_payload(app)))
    assert out[ui.UNDO_MODAL]["is_open"] is False
    assert "role" in str(out[ui.UNDO_MESSAGE]["children"])


# --- forged requests -----------------------------------------------------------------------------------------------


def test_a_readers_forged_preview_is_refused_and_stages_nothing(app, client, login):
    login("lasare")
    client.get("/")
    before = dump_database(app)
    content = edit_projects_workbook(template(app), CHANGES, NEW_ROWS)
    out = outputs(post(client, preview_payload(app, file_data(content))))
    said = str(out[ui.MESSAGE]["children"])
    assert "Du har inte behörighet att ladda upp data" in said and "'role': 'alert'" in said
    assert out[ui.TOKEN]["data"] is None and out[ui.PREVIEW]["children"] is None
    assert dump_database(app) == before


def test_a_readers_forged_confirm_of_an_editors_token_is_refused(app, client, login):
    token = staged_token(app, client, login)
    client = client_for(app, "lasare")
    before = dump_database(app)
    out = outputs(post(client, confirm_payload(app, token)))
    assert "Du har inte behörighet" in str(out[ui.MESSAGE]["children"])
    assert dump_database(app) == before


def test_a_readers_forged_undo_is_refused(app, client, login):
    saved_import(app, client, login)
    client = client_for(app, "lasare")
    before = dump_database(app)
    out = outputs(post(client, undo_payload(app)))
    assert "Du har inte behörighet" in str(out[ui.UNDO_MESSAGE]["children"])
    assert dump_database(app) == before


def test_the_vannas_editor_cannot_change_a_project_that_does_not_concern_vannas(app, client, login):
    login("vannas")
    client.get("/")
    before = dump_database(app)
    content = edit_projects_workbook(template(app), {UMECO: {"Status": "avslutad"}, BOTNIA: {"Status": "pausad"}})
    out = outputs(post(client, preview_payload(app, file_data(content))))
    assert out[ui.TOKEN]["data"] is None and out[ui.CONFIRM]["disabled"] is True
    panel = str(out[ui.PREVIEW]["children"])
    assert "Du kan bara ändra projekt som berör Vännäs." in panel and UMECO in panel
    assert dump_database(app) == before


def test_the_vannas_editor_cannot_confirm_someone_elses_token(app, client, login):
    token = staged_token(app, client, login, changes={UMECO: {"Status": "avslutad"}})
    client = client_for(app, "vannas")
    before = dump_database(app)
    out = outputs(post(client, confirm_payload(app, token)))
    assert "Förhandsgranskningen finns inte längre" in str(out[ui.MESSAGE]["children"])
    assert dump_database(app) == before


def test_the_vannas_editor_cannot_undo_an_import_of_projects_outside_vannas(app, client, login):
    saved_import(app, client, login)
    client = client_for(app, "vannas")
    before = dump_database(app)
    out = outputs(post(client, undo_payload(app)))
    assert "'role': 'alert'" in str(out[ui.UNDO_MESSAGE]["children"])
    assert dump_database(app) == before


@pytest.mark.parametrize("which", ["preview", "confirm", "undo"])
def test_forged_requests_without_logging_in_are_refused(app, client, which):
    content = edit_projects_workbook(template(app), CHANGES, NEW_ROWS)
    body = {
        "preview": lambda: preview_payload(app, file_data(content)),
        "confirm": lambda: confirm_payload(app, "any-token"),
        "undo": lambda: undo_payload(app),
    }[which]()
    before = dump_database(app)
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 401
    assert dump_database(app) == before


def test_a_forged_preview_without_the_csrf_header_is_refused(app, client, login):
    login("redaktor")
    client.get("/")
    before = dump_database(app)
    content = edit_projects_workbook(template(app), CHANGES, NEW_ROWS)
    response = client.post("/_dash-update-component", json=preview_payload(app, file_data(content)))
    assert response.status_code == 400
    assert dump_database(app) == before


def test_an_oversized_forged_preview_is_refused_by_size(app, client, login):
    app.server.config["UPLOAD_MAX_BYTES"] = 4096
    login("redaktor")
    client.get("/")
    before = dump_database(app)
    data = file_data(b"Projekt;Budget\n" + b"Ett projekt;1 000\n" * 400, "stor.csv", "text/csv")
    out = outputs(post(client, preview_payload(app, data)))
    said = out[ui.MESSAGE]["children"]["props"]
    assert said["role"] == "alert" and "Största tillåtna storlek är 4\u00a0kB" in said["children"]
    assert dump_database(app) == before


# --- template downloads --------------------------------------------------------------------------------------------


def test_templates_need_a_login(client):
    response = client.get("/ladda-upp/mall/projekt.xlsx")
    assert response.status_code in (302, 401)
    if response.status_code == 302:
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("username", ["redaktor", "admin"])
def test_a_prefilled_template_is_an_xlsx_with_the_current_data(client, login, username):
    login(username)
    response = client.get("/ladda-upp/mall/projekt.xlsx")
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert response.headers["Cache-Control"] == "no-store"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "projekt-" in disposition and ".xlsx" in disposition
    wb = openpyxl.load_workbook(io.BytesIO(response.data))
    assert {"Projekt", "Faser"} <= set(wb.sheetnames)
    names = [r[1] for r in wb["Projekt"].iter_rows(min_row=2, values_only=True)]
    assert BOTNIA in names


def test_a_blank_template_has_headers_and_no_rows(client, login):
    login("redaktor")
    response = client.get("/ladda-upp/mall/finansiering.xlsx?tom=1")
    assert response.status_code == 200
    assert "finansiering-tom-mall.xlsx" in response.headers["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(response.data))["Finansiering"]
    assert ws.cell(1, 1).value and not any(ws.cell(2, c).value for c in range(1, ws.max_column + 1))


def test_an_unknown_template_is_a_swedish_404(client, login):
    login("redaktor")
    response = client.get("/ladda-upp/mall/hemligt.xlsx")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Det finns ingen mall för ”hemligt”" in page and 'lang="sv"' in page
