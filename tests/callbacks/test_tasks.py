"""Uppdrag's callbacks called directly: the page, the grid's rows, the URL filters, the dialog and the save, each
deciding from the logged-in user on the server."""

from __future__ import annotations

import pytest
from dash import no_update
from dash.exceptions import PreventUpdate
from sqlalchemy import func, select

from callbacks.router import render_page
from callbacks.tasks import build_tasks, chosen_task_id, grid_rows, open_task, save_task, update_filters
from dashboard.database import session_scope
from data.filters import Filter
from data.models import ChangeRecord, Task, TaskNote
from layouts import tasks as ui
from tests.callbacks.test_router import text_of
from tests.callbacks.tree import find_in

VANNAS_Q = "?kommun=V%C3%A4nn%C3%A4s"


def task_id(app, fragment: str) -> int:
    with session_scope(app.server) as s:
        return s.scalars(select(Task.id).where(Task.text.like(f"%{fragment}%"))).one()


def state(app, tid: int) -> tuple[str, int, int]:
    with session_scope(app.server) as s:
        return (
            s.scalar(select(Task.status).where(Task.id == tid)),
            s.scalar(select(func.count(TaskNote.id))),
            s.scalar(select(func.count(ChangeRecord.id))),
        )


def ids_in(component) -> set[str]:
    return {n["id"] for n in find_in(component, lambda n: isinstance(n.get("id"), str))}


def request(start=0, end=25, **kw):
    return {"startRow": start, "endRow": end, "sortModel": [], "filterModel": {}, **kw}


# --- the page --------------------------------------------------------------------------------------------------------


def test_page_has_summary_filters_grid_csv_link_and_dialog(as_user):
    as_user("redigerare")
    page = render_page("/uppdrag", "")[0]
    text = text_of(page)
    assert "15 uppdrag, varav 15 öppna" in text
    assert "/api/tasks?format=csv" in text
    assert "ändra status" in text
    found = ids_in(page)
    assert {ui.GRID, ui.SEARCH, ui.STATUS_FILTER, ui.OWNER_FILTER, ui.OVERDUE_FILTER, ui.MODAL} <= found
    assert "Näringslivsgruppen" in text  # an owner to filter by


def test_page_for_vannas_counts_its_tasks_and_links_its_csv(as_user):
    as_user()
    text = text_of(render_page("/uppdrag", VANNAS_Q)[0])
    assert "1 uppdrag som berör Vännäs" in text
    assert "/api/tasks?format=csv&kommun=V%C3%A4nn%C3%A4s" in text
    assert "Uppdrag som berör Vännäs" in text


def test_a_reader_is_not_offered_editing(as_user):
    as_user("läsare")
    text = text_of(render_page("/uppdrag", "")[0])
    assert "ändra status" not in text
    assert "för att se dess historik." in text


def test_controls_show_the_filters_from_the_url(app, as_user):
    as_user()
    with session_scope(app.server) as s:
        page = build_tasks(s, Filter(), {"sok": "höst", "status": "pågår", "ansvarig": "Kansliet", "forsenade": "1"})
    controls = (ui.SEARCH, ui.STATUS_FILTER, ui.OWNER_FILTER, ui.OVERDUE_FILTER)
    found = {
        n["props"]["id"]: n["props"].get("value")
        for n in find_in(page, lambda n: n.get("props", {}).get("id") in controls)
    }
    assert found == {ui.SEARCH: "höst", ui.STATUS_FILTER: "pågår", ui.OWNER_FILTER: "Kansliet", ui.OVERDUE_FILTER: True}


# --- the grid's rows -------------------------------------------------------------------------------------------------


def test_grid_rows_give_one_page_and_the_row_count(as_user):
    as_user()
    response = grid_rows(request(0, 10), "")
    assert response["rowCount"] == 15
    assert len(response["rowData"]) == 10
    row = response["rowData"][0]
    assert {"id", "text", "owners", "municipality", "due_date", "due_text", "status", "meeting", "latest_note"} <= set(
        row
    )


def test_grid_rows_follow_the_url_search_status_and_municipality(as_user):
    as_user()
    assert grid_rows(request(), "?sok=h%C3%B6sten")["rowCount"] == 3
    assert grid_rows(request(), "?status=p%C3%A5g%C3%A5r")["rowCount"] == 3
    assert grid_rows(request(), "?ansvarig=Kansliet")["rowCount"] == 2
    vannas = grid_rows(request(), VANNAS_Q)
    assert vannas["rowCount"] == 1
    assert "(/moten/" in vannas["rowData"][0]["meeting"] and VANNAS_Q + ")" in vannas["rowData"][0]["meeting"]
    assert grid_rows(request(), "?kommun=Stockholm")["rowCount"] == 15  # unknown: all seven, as the page says


def test_grid_rows_apply_the_grids_sort_and_filter(as_user):
    as_user()
    response = grid_rows(
        request(
            sortModel=[{"colId": "due_date", "sort": "asc"}],
            filterModel={"due_date": {"filterType": "date", "type": "notBlank"}},
        ),
        "",
    )
    dates = [r["due_date"][:10] for r in response["rowData"]]
    assert dates == sorted(dates) and len(dates) == 5


def test_grid_rows_mark_overdue_tasks_in_text(as_user):
    as_user()
    rows = grid_rows(request(), "?forsenade=1")["rowData"]
    assert rows and all(r["overdue"] and r["due_date"].endswith("Försenat") for r in rows)


def test_grid_rows_need_a_request():
    with pytest.raises(PreventUpdate):
        grid_rows(None, "")


def test_grid_row_escapes_markdown_in_the_agenda_title():
    row = ui.grid_row(
        {
            "id": 1,
            "text": "x",
            "owners": [],
            "municipality": None,
            "due_date": None,
            "due_text": None,
            "due_rule": None,
            "status": "öppen",
            "overdue": False,
            "meeting_id": 7,
            "meeting_date": "2019-05-16",
            "meeting_kind": "annat",
            "agenda_item_number": 2,
            "agenda_item_title": "[klicka](javascript:alert(1)) <b>fet</b>",
            "latest_note": None,
        },
        "",
    )
    assert row["meeting"].startswith("[2019\\-05\\-16](/moten/7), punkt 2: ")
    assert "\\[klicka\\]\\(javascript:alert\\(1\\)\\) \\<b\\>fet\\</b\\>" in row["meeting"]


# --- the URL filters ---------------------------------------------------------------------------------------------


def test_update_filters_writes_the_url_and_keeps_the_municipality():
    new = update_filters(" höst ", "pågår", "Kansliet", True, VANNAS_Q)
    assert new == VANNAS_Q + "&sok=h%C3%B6st&status=p%C3%A5g%C3%A5r&ansvarig=Kansliet&forsenade=1"


def test_update_filters_removes_cleared_filters_and_does_nothing_when_unchanged():
    assert update_filters("", ui.ALL, ui.ALL, False, "?sok=x&status=klar&forsenade=1") == ""
    assert update_filters("x", ui.ALL, ui.ALL, False, "?sok=x") is no_update


# --- choosing a task: the dialog ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "rows", "trigger", "expected"),
    [
        ({"rowId": "7", "colId": "text"}, None, "cellClicked", 7),
        (None, [{"id": 8}], "selectedRows", 8),
        ({"rowId": "7"}, [], "selectedRows", None),
        ({"rowId": "x"}, None, "cellClicked", None),
        (None, None, None, None),
    ],
)
def test_chosen_task_id(cell, rows, trigger, expected):
    assert chosen_task_id(cell, rows, trigger) == expected


def test_an_editor_gets_the_form_and_the_history(app, as_user):
    as_user("redigerare")
    tid = task_id(app, "reklamfilm")
    is_open, title, body, selected = open_task({"rowId": str(tid)}, None, "", "cellClicked")
    assert is_open is True and selected == tid and title == f"Uppdrag nr {tid}"
    assert {ui.EDIT_STATUS, ui.EDIT_NOTE, ui.EDIT_SAVE, ui.HISTORY, ui.DETAILS} <= ids_in(body)
    text = text_of(body)
    assert "Kansliet" in text and "Inläst (demodata)" in text


def test_a_reader_gets_the_task_without_any_editing_controls(app, as_user):
    as_user("läsare")
    tid = task_id(app, "reklamfilm")
    _, _, body, _ = open_task(None, [{"id": tid}], "", "selectedRows")
    assert not {ui.EDIT_STATUS, ui.EDIT_NOTE, ui.EDIT_SAVE} & ids_in(body)
    assert "Som läsare kan du se uppdragen men inte ändra dem." in text_of(body)


def test_an_editor_for_vannas_gets_the_form_only_for_tasks_about_vannas(app, as_user):
    as_user("redigerare", "Vännäs")
    other = open_task({"rowId": str(task_id(app, "reklamfilm"))}, None, "", "cellClicked")[2]
    assert ui.EDIT_SAVE not in ids_in(other)
    assert "Du kan bara ändra uppdrag som berör Vännäs." in text_of(other)
    own = open_task({"rowId": str(task_id(app, "gemensam avfallsplan"))}, None, VANNAS_Q, "cellClicked")[2]
    assert ui.EDIT_SAVE in ids_in(own)
    assert VANNAS_Q in text_of(own)  # the meeting link keeps the filter


def test_a_missing_task_says_so(as_user):
    as_user("redigerare")
    is_open, title, body, _ = open_task({"rowId": "987654"}, None, "", "cellClicked")
    assert is_open and title == "Uppdraget finns inte"
    assert "finns inte längre" in text_of(body)


def test_nothing_chosen_changes_nothing(as_user):
    as_user()
    with pytest.raises(PreventUpdate):
        open_task(None, [], "", "selectedRows")


# --- saving ----------------------------------------------------------------------------------------------------------


def test_an_editor_saves_a_status_and_a_note(app, as_user):
    as_user("redigerare")
    tid = task_id(app, "reklamfilm")
    message, details, history, note_value, saved, summary = save_task(1, tid, "klar", "Offerten kom i juni.", "")
    assert message.role == "status" and "Sparat: status klar och en uppföljningsnotering." in text_of(message)
    assert "klar" in text_of(details)
    assert "Offerten kom i juni." in text_of(history) and "test-redigerare" in text_of(history)
    assert "Status pågår → klar" in text_of(history)
    assert note_value == "" and saved
    assert summary.startswith("15 uppdrag, varav 14 öppna")
    assert state(app, tid)[:2] == ("klar", 1)


@pytest.mark.parametrize(
    ("role", "kommun", "fragment", "says"),
    [
        ("läsare", None, "reklamfilm", "behörighet"),
        ("redigerare", "Vännäs", "reklamfilm", "berör Vännäs"),
    ],
)
def test_a_refused_save_says_why_and_changes_nothing(app, as_user, role, kommun, fragment, says):
    as_user(role, kommun)
    tid = task_id(app, fragment)
    before = state(app, tid)
    message, *rest = save_task(1, tid, "klar", "Försök", "")
    assert message.role == "alert" and says in text_of(message)
    assert rest == [no_update] * 5
    assert state(app, tid) == before


def test_an_invalid_save_says_why(app, as_user):
    as_user("admin")
    tid = task_id(app, "reklamfilm")
    message = save_task(1, tid, "avklarad", "", "")[0]
    assert message.role == "alert" and "Okänd status" in text_of(message)
    assert "Välj ett uppdrag" in text_of(save_task(1, None, "klar", "", "")[0])
    assert "Inget att spara" in text_of(save_task(1, tid, "pågår", " ", "")[0])


def test_save_without_a_click_does_nothing(as_user):
    as_user("admin")
    with pytest.raises(PreventUpdate):
        save_task(None, 1, "klar", "", "")


def test_the_callbacks_are_registered_with_the_app(app):
    outputs = " ".join(app.callback_map)
    for prop in (f"{ui.GRID}.getRowsResponse", f"{ui.EDIT_MESSAGE}.children", f"{ui.MODAL}.is_open"):
        assert prop in outputs
