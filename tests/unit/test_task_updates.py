"""Changing a task: the service checks rights and input itself, writes status, note and history together, and a
refused or failed change writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from data.db import make_engine, make_session_factory, session_scope
from data.models import ChangeRecord, Municipality, Party, Task, TaskNote
from data.tasks import NOTE_MAX_LENGTH, TaskUpdateError, can_edit_task, task_detail, task_history, update_task

TODAY = dt.date(2019, 9, 1)
# After the demo data's own history (recorded when the test database was made), whatever day the tests run.
AT = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).replace(microsecond=0)
EDITOR = {"username": "redaktor", "role": "redigerare", "user_municipality": None, "today": TODAY}
VANNAS = {"username": "vannas", "role": "redigerare", "user_municipality": "Vännäs", "today": TODAY}


def task_id(session, fragment: str) -> int:
    return session.scalars(select(Task.id).where(Task.text.like(f"%{fragment}%"))).one()


def counts(session) -> tuple[int, int]:
    return (
        session.scalar(select(func.count(TaskNote.id))),
        session.scalar(select(func.count(ChangeRecord.id)).where(ChangeRecord.action == "update")),
    )


def status_of(session, tid: int) -> str:
    return session.scalar(select(Task.status).where(Task.id == tid))


@pytest.fixture
def reklam(seeded) -> int:
    return task_id(seeded, "reklamfilm")  # Kansliet, pågår, concerns no municipality


@pytest.fixture
def avfall(seeded) -> int:
    return task_id(seeded, "gemensam avfallsplan")  # Vännäs kommun, pågår


def test_an_editor_changes_the_status_with_a_note_and_both_are_recorded(seeded, reklam):
    detail = update_task(seeded, reklam, status="klar", note="  Offerten kom in i juni.  ", at=AT, **EDITOR)
    assert status_of(seeded, reklam) == "klar"
    assert detail["status"] == "klar" and detail["id"] == reklam
    note = seeded.scalars(select(TaskNote).where(TaskNote.task_id == reklam)).one()
    assert (note.text, note.username) == ("Offerten kom in i juni.", "redaktor")
    record = seeded.scalars(
        select(ChangeRecord).where(ChangeRecord.entity == "task", ChangeRecord.action == "update")
    ).one()
    assert record.entity_id == reklam
    assert record.username == "redaktor"
    assert record.before == {"status": "pågår"}
    assert record.after == {"status": "klar", "note": "Offerten kom in i juni.", "note_id": note.id}
    assert record.source == "redigering i dashboarden"


def test_the_returned_detail_shows_the_note_and_the_history_newest_first(seeded, reklam):
    update_task(seeded, reklam, status="klar", note="Klar.", at=AT, **EDITOR)
    detail = update_task(seeded, reklam, status="öppen", note="Öppnad igen.", at=AT + dt.timedelta(hours=1), **EDITOR)
    assert [n["text"] for n in detail["notes"]] == ["Klar.", "Öppnad igen."]
    assert detail["notes"][0] == {"text": "Klar.", "username": "redaktor", "at": AT.isoformat()}
    history = detail["history"]
    assert [(e["action"], e["status_before"], e["status_after"], e["note"]) for e in history[:2]] == [
        ("update", "klar", "öppen", "Öppnad igen."),
        ("update", "pågår", "klar", "Klar."),
    ]
    assert history[0]["at"] == (AT + dt.timedelta(hours=1)).isoformat()
    assert history[-1]["action"] == "create" and history[-1]["source"] == "demodata"


def test_a_note_alone_keeps_the_status(seeded, reklam):
    update_task(seeded, reklam, status="pågår", note="Väntar på offert.", **EDITOR)
    update_task(seeded, reklam, status=None, note="Fortfarande väntan.", **EDITOR)
    assert status_of(seeded, reklam) == "pågår"
    assert counts(seeded) == (2, 2)


def test_a_status_change_without_a_note_writes_no_note(seeded, reklam):
    update_task(seeded, reklam, status="struken", note="   ", **EDITOR)
    assert status_of(seeded, reklam) == "struken"
    assert counts(seeded) == (0, 1)
    record = seeded.scalars(select(ChangeRecord).where(ChangeRecord.action == "update")).one()
    assert record.after == {"status": "struken", "note": None, "note_id": None}


def test_an_admin_may_change_any_task(seeded, avfall):
    update_task(seeded, avfall, status="klar", note="", username="admin", role="admin", user_municipality=None)
    assert status_of(seeded, avfall) == "klar"


@pytest.mark.parametrize("role", ["läsare", None, "", "superuser"])
def test_anyone_but_an_editor_is_refused_and_nothing_is_written(seeded, reklam, role):
    before = counts(seeded)
    with pytest.raises(TaskUpdateError, match="behörighet"):
        update_task(seeded, reklam, status="klar", note="Försök", username="x", role=role, user_municipality=None)
    assert status_of(seeded, reklam) == "pågår"
    assert counts(seeded) == before
    assert not seeded.new and not seeded.dirty


def test_a_reader_is_told_they_can_read_but_not_change(seeded, reklam):
    with pytest.raises(TaskUpdateError, match="Som läsare kan du se uppdragen"):
        update_task(seeded, reklam, status="klar", note=None, username="l", role="läsare", user_municipality=None)


def test_an_editor_tied_to_vannas_may_not_change_a_task_that_does_not_concern_vannas(seeded, reklam):
    with pytest.raises(TaskUpdateError, match="bara ändra uppdrag som berör Vännäs"):
        update_task(seeded, reklam, status="klar", note="Försök", **VANNAS)
    assert status_of(seeded, reklam) == "pågår"
    assert counts(seeded) == (0, 0)
    assert not can_edit_task(seeded, reklam, role="redigerare", user_municipality="Vännäs")


def test_an_editor_tied_to_vannas_may_change_a_task_about_vannas(seeded, avfall):
    assert can_edit_task(seeded, avfall, role="redigerare", user_municipality="Vännäs")
    update_task(seeded, avfall, status="klar", note="Antagen i fullmäktige.", **VANNAS)
    assert status_of(seeded, avfall) == "klar"


def test_an_editor_tied_to_a_municipality_may_change_a_task_owned_by_someone_from_it(seeded):
    umea = seeded.scalars(select(Municipality).filter_by(name="Umeå")).one()
    task = Task(text="Ägs av en Umeågrupp", owners=[Party(name="Umeågruppen", kind="grupp", municipality=umea)])
    seeded.add(task)
    seeded.flush()
    umea_editor = {**EDITOR, "user_municipality": "Umeå"}
    update_task(seeded, task.id, status="klar", note="", **umea_editor)
    assert status_of(seeded, task.id) == "klar"
    with pytest.raises(TaskUpdateError, match="berör Vännäs"):
        update_task(seeded, task.id, status="öppen", note="", **VANNAS)


@pytest.mark.parametrize(
    ("status", "note", "message"),
    [
        ("avklarad", "", "Okänd status ”avklarad”"),
        ("KLAR", "", "Okänd status"),
        ("pågår", "", "Inget att spara"),
        ("pågår", "  \n ", "Inget att spara"),
        (None, None, "Inget att spara"),
        ("klar", "x" * (NOTE_MAX_LENGTH + 1), f"högst {NOTE_MAX_LENGTH} tecken"),
        ("klar", "nul\x00tecken", "otillåtet tecken"),
    ],
    ids=["unknown-status", "wrong-case", "same-status", "blank-note", "nothing", "note-too-long", "nul"],
)
def test_invalid_changes_are_refused_in_swedish_and_write_nothing(seeded, reklam, status, note, message):
    with pytest.raises(TaskUpdateError, match=message):
        update_task(seeded, reklam, status=status, note=note, **EDITOR)
    assert status_of(seeded, reklam) == "pågår"
    assert counts(seeded) == (0, 0)


def test_a_note_of_exactly_the_maximum_length_is_accepted(seeded, reklam):
    update_task(seeded, reklam, status=None, note="å" * NOTE_MAX_LENGTH, **EDITOR)
    assert counts(seeded) == (1, 1)


def test_an_unknown_task_is_refused(seeded):
    with pytest.raises(TaskUpdateError, match="finns inte"):
        update_task(seeded, 987654, status="klar", note="", **EDITOR)
    with pytest.raises(TaskUpdateError, match="Välj ett uppdrag"):
        update_task(seeded, "1", status="klar", note="", **EDITOR)


def test_a_status_written_in_decomposed_unicode_is_understood(seeded, reklam):
    update_task(seeded, reklam, status="o\u0308ppen", note="", **EDITOR)  # "ö" as o + combining diaeresis
    assert status_of(seeded, reklam) == "öppen"


def test_history_also_shows_a_note_that_no_change_record_carries(seeded, reklam):
    seeded.add(TaskNote(task_id=reklam, text="Inläst från protokoll", username="import", at=AT))
    seeded.flush()
    events = task_history(seeded, reklam)
    assert events[0]["action"] == "note" and events[0]["note"] == "Inläst från protokoll"
    assert events[0]["username"] == "import"


def test_task_detail_of_an_unknown_task_is_none(seeded):
    assert task_detail(seeded, 987654) is None


def test_a_failure_while_writing_leaves_the_database_unchanged(databases, monkeypatch):
    """The service writes in the caller's transaction: an error half-way rolls back the status and the note."""
    engine = make_engine(databases.fresh())
    factory = make_session_factory(engine)
    try:
        with session_scope(factory) as s:
            tid = task_id(s, "reklamfilm")

        def broken(*_args, **_kwargs):
            raise RuntimeError("disken är full")

        monkeypatch.setattr("data.tasks.record_change", broken)
        with pytest.raises(RuntimeError), session_scope(factory) as s:
            update_task(s, tid, status="klar", note="Ska inte sparas", **EDITOR)
        with session_scope(factory) as s:
            assert status_of(s, tid) == "pågår"
            assert counts(s) == (0, 0)
        monkeypatch.undo()
        with session_scope(factory) as s:
            update_task(s, tid, status="klar", note="Sparas", **EDITOR)
        with session_scope(factory) as s:
            assert status_of(s, tid) == "klar"
            assert counts(s) == (1, 1)
    finally:
        engine.dispose()
