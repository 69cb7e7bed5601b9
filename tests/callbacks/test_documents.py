"""Ladda upp → Dokument, its callbacks called directly: the seed minutes and plan previewed as an editable review,
saved with one field corrected, one assignment dropped and one added (the database then holds exactly that), a
review whose tables do not fit together, a duplicate, and a läsare refused at the preview and at the save with the
database exactly as before.

The demo data already holds this meeting and plan, so these tests run on a database without it."""

from __future__ import annotations

from pathlib import Path

import pytest
from dash import no_update
from dash.exceptions import PreventUpdate
from sqlalchemy import func, select

from callbacks.documents import cancel_review, rebuild_minutes, rebuild_plan, save_minutes, save_plan
from callbacks.router import render_page
from callbacks.upload import NO_RIGHTS, preview_file
from dashboard.database import session_scope
from data.models import AgendaItem, Decision, ImportBatch, Meeting, PendingUpload, Plan, Project, Task
from layouts import documents as dui
from layouts import upload as ui
from tests.callbacks.test_router import text_of
from tests.callbacks.test_upload import dump_database, file_data, ids_in
from tests.callbacks.tree import find_in

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
MINUTES = SEEDS / "000_97e14613fcf6c3ba.txt"
PLAN = SEEDS / "002_c534bd840d8e5979.txt"


@pytest.fixture
def app(databases):
    """The app on a database with the seven municipalities and nothing else (no demo data, no users)."""
    from dashboard import create_app
    from dashboard.config import TestConfig

    settings = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    dash_app = create_app({**settings, "DATABASE_URL": databases.fresh(seed=False)})
    yield dash_app
    dash_app.server.extensions["engine"].dispose()


def document(path: Path) -> dict:
    return file_data(path.read_bytes(), path.name, "text/plain")


def props_of(component, component_id: str) -> dict:
    """The props of the component with `component_id` in a component tree (as the browser receives it)."""
    found = [n["props"] for n in find_in(component, lambda n: n.get("props", {}).get("id") == component_id)]
    assert len(found) == 1, f"{len(found)} komponenter med id {component_id}"
    return found[0]


def rows(review, name: str) -> list[dict]:
    return props_of(review, dui.grid_id(name))["rowData"]


def value(review, component_id: str):
    return props_of(review, component_id).get("value")


def minutes_state(review) -> list:
    """The save callback's states, in order, as the review first shows them."""
    return [
        props_of(review, dui.TOKEN)["data"],
        props_of(review, dui.FOUND)["data"],
        *[
            value(review, i)
            for i in (
                dui.MEETING_KIND,
                dui.MEETING_DATE,
                dui.MEETING_START,
                dui.MEETING_END,
                dui.MEETING_PLACE,
                dui.NEXT_DATE,
                dui.NEXT_PLACE,
            )
        ],
        *[rows(review, name) for name in dui.MINUTES_GRIDS],
    ]


def plan_state(review) -> list:
    return [
        props_of(review, dui.TOKEN)["data"],
        props_of(review, dui.FOUND)["data"],
        *[value(review, i) for i in (dui.PLAN_YEAR, dui.PLAN_ADOPTED_ON, dui.PLAN_ADOPTED_BY)],
        *[rows(review, name) for name in dui.PLAN_GRIDS],
    ]


def tasks(app) -> list[tuple]:
    with session_scope(app.server) as s:
        return [
            (t.agenda_item.number, t.text, t.due_date and t.due_date.isoformat(), sorted(o.name for o in t.owners))
            for t in s.scalars(select(Task).order_by(Task.id))
        ]


def count(app, model) -> int:
    with session_scope(app.server) as s:
        return s.scalar(select(func.count()).select_from(model))


# --- the page ----------------------------------------------------------------------------------------------------


def test_dokument_is_a_sixth_choice_with_its_own_file_types_and_no_template(as_user):
    as_user("redigerare")
    page = render_page("/ladda-upp", "?typ=dokument")[0]
    text = text_of(page)
    assert "Okänd typ" not in text
    assert "Dokument" in text and ".docx,.pdf,.txt,.md" in text and "Word (.docx), PDF med text" in text
    assert props_of(page, ui.KIND)["value"] == dui.DOCUMENT_KIND
    assert "Dokument" in text_of(render_page("/ladda-upp", "")[0])  # offered on the default page too
    assert {ui.UPLOAD, ui.FILE, ui.REMOVE} <= ids_in(page)  # the same upload, size check and callbacks


# --- minutes -----------------------------------------------------------------------------------------------------


def test_the_seed_minutes_are_shown_for_review_beside_their_sentences(app, as_user):
    as_user("redigerare")
    status, review, token, disabled, actions = preview_file(document(MINUTES), False, dui.DOCUMENT_KIND)
    assert (token, disabled, actions) == (None, True, ui.HIDDEN)  # the generic confirm stays hidden
    assert "Kommunchefsmöte 2019-05-16" in text_of(status)
    text = text_of(review)
    assert "Granska dokumentet: 000_97e14613fcf6c3ba.txt" in text
    assert value(review, dui.MEETING_DATE) == "2019-05-16"
    assert value(review, dui.MEETING_KIND) == "kommunchefsmöte"
    assert value(review, dui.NEXT_DATE) == "2019-08-22"
    assignments = rows(review, "assignments")
    assert assignments and all(r[dui.REMOVE] is False and r["source"] for r in assignments)
    maria = next(r for r in assignments if r["owners"] == "Maria Persson, Karin Ahnqvist")
    assert "”Maria” tolkad som Maria Persson" in maria[dui.NOTES]  # what the reader should check, beside it
    headers = [c["headerName"] for c in props_of(review, dui.grid_id("assignments"))["columnDefs"]]
    assert headers[-2:] == ["Källa", "Ta bort"]
    assert props_of(review, dui.SAVE_MINUTES)["children"] == dui.SAVE_TEXT
    assert isinstance(props_of(review, dui.TOKEN)["data"], str)
    assert "Markdown" not in text  # what a document says is shown as text
    assert count(app, Meeting) == 0  # nothing saved by looking


def test_saving_the_corrected_minutes_writes_exactly_that(app, as_user):
    as_user("redigerare")
    _, review, _, _, _ = preview_file(document(MINUTES), False, dui.DOCUMENT_KIND)
    state = minutes_state(review)
    found = state[1]
    expected = [
        (item["number"], a["what"], a["due_date"], sorted(a["owners"]))
        for item in found["agenda_items"]
        for a in item["assignments"]
    ]
    assignments = state[-1]
    # One field corrected, one assignment dropped, one added.
    assignments[0]["due_date"] = "2019-09-30"
    expected[0] = (*expected[0][:2], "2019-09-30", expected[0][3])
    assignments[1][dui.REMOVE] = True
    del expected[1]
    assignments.append(
        {
            "_id": "ny-1",
            dui.REMOVE: False,
            "number": "4",
            "owners": "Kansliet, Magnus Haglund",
            "what": "Boka lokal till hösten",
            "due_text": "till nästa möte",
            "due_date": "2019-08-22",
        }
    )
    expected.append((4, "Boka lokal till hösten", "2019-08-22", ["Kansliet", "Magnus Haglund"]))

    result = save_minutes(1, *state)
    message, preview, file_, latest, undo_class, question, history = result
    assert "är sparat" in text_of(message), text_of(message)
    assert (preview, file_) == (None, None)
    assert "000_97e14613fcf6c3ba.txt" in text_of(latest) and undo_class == ui.UNDO_SHOWN
    assert sorted(tasks(app), key=repr) == sorted(expected, key=repr)
    with session_scope(app.server) as s:
        meetings = s.scalars(select(Meeting).order_by(Meeting.date)).all()
        assert [m.date.isoformat() for m in meetings] == ["2019-05-16", "2019-08-22"]  # and the next meeting
        assert meetings[0].place == value(review, dui.MEETING_PLACE)
        assert s.scalar(select(func.count()).select_from(AgendaItem)) == len(found["agenda_items"])
        decisions = sum(len(i["decisions"]) for i in found["agenda_items"])
        assert s.scalar(select(func.count()).select_from(Decision)) == decisions
    assert count(app, ImportBatch) == 1

    # The same token cannot be saved twice, and the same document again is recognised.
    again = save_minutes(2, *state)
    assert again[0].role == "alert" and count(app, ImportBatch) == 1
    status, review, *_ = preview_file(document(MINUTES), False, dui.DOCUMENT_KIND)
    assert "redan" in text_of(review) and dui.SAVE_MINUTES not in ids_in(review)
    assert status.role == "alert"


def test_a_decision_under_an_agenda_item_that_is_dropped_is_refused_with_a_message(app, as_user):
    as_user("admin")
    _, review, _, _, _ = preview_file(document(MINUTES), False, dui.DOCUMENT_KIND)
    state = minutes_state(review)
    agenda = state[-3]
    decisions = state[-2]
    punkt = decisions[0]["number"]
    for row in agenda:
        if row["number"] == punkt:
            row[dui.REMOVE] = True
    result = save_minutes(1, *state)
    said = text_of(result[0])
    assert f"punkt {punkt} finns inte bland punkterna" in said and result[0].role == "alert"
    assert count(app, Meeting) == 0


def test_a_bad_value_is_refused_by_the_save_naming_the_field(app, as_user):
    as_user("admin")
    _, review, _, _, _ = preview_file(document(MINUTES), False, dui.DOCUMENT_KIND)
    state = minutes_state(review)
    state[-1][0]["due_date"] = "snart"
    result = save_minutes(1, *state)
    said = text_of(result[0])
    assert "”snart” är inget datum" in said and result[0].role == "alert"
    assert result[1] is no_update  # the review stays, to be corrected
    assert count(app, Task) == 0


def test_renumbering_an_agenda_item_takes_its_decisions_and_assignments_along():
    found = {
        "kind": "minutes",
        "meeting": {"participants": [{"name": "A B", "role": "beslutande", "roles": ["beslutande"]}]},
        "agenda_items": [
            {
                "number": 3,
                "title": "T",
                "presenter": None,
                "decisions": [{"text": "Beslut", "source": "S1"}],
                "assignments": [{"owners": ["A B"], "what": "W", "due_text": None, "due_date": None, "source": "S2"}],
            }
        ],
    }
    review_rows = dui.minutes_rows(found)
    review_rows["agenda"][0]["number"] = "5"
    review_rows["participants"][0]["role"] = "sekreterare"
    rebuilt = rebuild_minutes(found, {"kind": "annat", "date": "2020-01-02"}, review_rows)
    item = rebuilt["agenda_items"][0]
    assert item["number"] == 5 and item["decisions"] == [{"text": "Beslut", "source": "S1"}]
    assert item["assignments"][0]["owners"] == ["A B"] and item["assignments"][0]["source"] == "S2"
    assert rebuilt["meeting"]["participants"] == [{"name": "A B", "role": "sekreterare"}]
    assert rebuilt["meeting"]["kind"] == "annat" and rebuilt["meeting"]["date"] == "2020-01-02"


# --- plan --------------------------------------------------------------------------------------------------------


def test_the_seed_plan_is_reviewed_and_saved_with_its_projects(app, as_user):
    as_user("admin")
    status, review, _, _, _ = preview_file(document(PLAN), False, dui.DOCUMENT_KIND)
    assert "Verksamhetsplan 2005" in text_of(status)
    assert value(review, dui.PLAN_YEAR) == 2005
    projects = rows(review, "projects")
    names = [p["name"] for p in projects]
    assert "Botniabanan som tillväxtfaktor" in names
    state = plan_state(review)
    # Drop the first project (and everything under it); correct another's budget.
    dropped = state[-4][0]["name"]
    state[-4][0][dui.REMOVE] = True
    for grid in state[-3:]:
        for row in grid:
            if row["project"] == dropped:
                row[dui.REMOVE] = True
    state[-4][1]["total_budget_sek"] = 1_234_567
    message = save_plan(1, *state)[0]
    assert "är sparat" in text_of(message), text_of(message)
    with session_scope(app.server) as s:
        saved = {p.name: p.budget_amount for p in s.scalars(select(Project))}
        assert s.scalar(select(func.count()).select_from(Plan)) == 1
    assert set(saved) == set(names) - {dropped}
    assert saved[names[1]] == 1_234_567


def test_a_phase_of_a_renamed_project_follows_it_and_an_unknown_project_is_refused():
    found = {
        "kind": "plan",
        "plan": {
            "year": 2005,
            "focus_areas": [
                {
                    "name": "Infrastruktur",
                    "activities": [],
                    "projects": [
                        {
                            "name": "Gamla namnet",
                            "phases": [{"name": "Etapp 1", "start": "2005-01-01", "end": "2005-06-30"}],
                            "funders": [],
                            "budget_parts": [],
                            "municipalities": ["Umeå"],
                            "budget_period": "total",
                            "source": "S",
                        }
                    ],
                }
            ],
        },
    }
    review_rows = dui.plan_rows(found)
    assert review_rows["activities"][0]["focus"] == "Infrastruktur"  # a focus area without activities is kept
    review_rows["projects"][0]["name"] = "Nya namnet"
    review_rows["projects"][0]["municipalities"] = "Umeå, Vännäs"
    rebuilt = rebuild_plan(found, {"year": "2005"}, review_rows)
    area = rebuilt["plan"]["focus_areas"][0]
    assert area["name"] == "Infrastruktur" and area["activities"] == []
    project = area["projects"][0]
    assert project["name"] == "Nya namnet" and project["phases"][0]["name"] == "Etapp 1"
    assert project["municipalities"] == ["Umeå", "Vännäs"] and rebuilt["plan"]["year"] == 2005
    review_rows["phases"].append({"_id": "ny", "project": "Finns inte", "name": "Etapp 2", dui.REMOVE: False})
    with pytest.raises(ValueError, match="”Finns inte” finns inte bland projekten"):
        rebuild_plan(found, {"year": 2005}, review_rows)


# --- rights and bad input ----------------------------------------------------------------------------------------


def test_a_reader_is_refused_at_the_preview_and_the_save_and_nothing_changes(app, as_user):
    as_user("redigerare")
    _, review, _, _, _ = preview_file(document(MINUTES), False, dui.DOCUMENT_KIND)
    state = minutes_state(review)
    before = dump_database(app)
    as_user("läsare")
    status, panel, token, disabled, actions = preview_file(document(MINUTES), False, dui.DOCUMENT_KIND)
    assert status.children == NO_RIGHTS and status.role == "alert"
    assert (panel, token, disabled, actions) == (None, None, True, ui.HIDDEN)
    saved = save_minutes(1, *state)
    assert saved[0].children == NO_RIGHTS and saved[0].role == "alert"
    assert dump_database(app) == before


def test_an_editor_tied_to_one_municipality_is_refused_at_the_preview_and_at_save(app, as_user):
    as_user("redigerare")
    _, review, _, _, _ = preview_file(document(MINUTES), False, dui.DOCUMENT_KIND)
    as_user("redigerare", "Vännäs")
    before = dump_database(app)
    status, refused_review, token, _, _ = preview_file(document(MINUTES), False, dui.DOCUMENT_KIND)
    assert "hela regionen" in text_of(status) and refused_review is None and token is None
    said = save_minutes(1, *minutes_state(review))[0]
    assert ("hela regionen" in text_of(said) or "finns inte längre" in text_of(said)) and said.role == "alert"
    assert dump_database(app) == before


@pytest.mark.parametrize(
    "content, name",
    [(b"", "tom.txt"), (b"Handla mjolk och brod. Ring mormor.", "lista.txt"), (b"%PDF-1.4\n%%EOF", "skannad.pdf")],
)
def test_a_file_that_is_not_minutes_or_a_plan_gets_a_clear_message_and_no_review(app, as_user, content, name):
    as_user("redigerare")
    status, review, token, _, _ = preview_file(file_data(content, name, "text/plain"), False, dui.DOCUMENT_KIND)
    assert status.role == "alert" and f"Dokumentet ”{name}” kunde inte läsas in" in text_of(status)
    assert review is None and token is None
    assert count(app, ImportBatch) == 0


def test_cancel_forgets_the_staged_document_and_saves_nothing(app, as_user):
    as_user("redigerare")
    _, review, _, _, _ = preview_file(document(MINUTES), False, dui.DOCUMENT_KIND)
    state = minutes_state(review)
    assert count(app, PendingUpload) == 1
    said, preview, file_ = cancel_review(1, state[0])
    assert "Inget har sparats" in text_of(said) and (preview, file_) == (None, None)
    assert count(app, PendingUpload) == 0 and count(app, Meeting) == 0
    assert "finns inte längre" in text_of(save_minutes(1, *state)[0])


def test_nothing_happens_without_a_click(as_user):
    as_user("redigerare")
    with pytest.raises(PreventUpdate):
        save_minutes(None, *[None] * 13)
    with pytest.raises(PreventUpdate):
        save_plan(0, *[None] * 10)
    with pytest.raises(PreventUpdate):
        cancel_review(None, "x")
