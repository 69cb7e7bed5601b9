"""Rows missing from a file, removing them on request, and undo: it restores the previous values, removes what the
import added and brings back what it removed, is itself recorded, and is refused when later work touched the same
rows."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from data.imports import ImportRefused, build_template, latest_undoable, list_imports, undo_latest
from data.models import (
    Activity,
    BudgetPart,
    ChangeRecord,
    FundingLine,
    ImportBatch,
    Meeting,
    MeetingParticipant,
    Phase,
    Plan,
    Project,
    Task,
    TaskNote,
)
from data.tasks import update_task
from tests.unit.upload_helpers import (
    ADMIN,
    BOTNIA,
    VANNAS,
    confirm,
    data_dump,
    dump,
    preview,
    project,
    row_of,
    save,
    workbook,
)

OTHER_SIX = [
    "Bibliotek 2007",
    BOTNIA,
    "LAPP; Local Action Plans in Progress",
    "Stad och Land",
    "Tillväxt i Umeåregionens kranskommuner (TURK)",
    "UME&Co",
]


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


# --- rows missing from the file -----------------------------------------------------------------------------------


def test_rows_missing_from_the_file_are_left_alone(seeded):
    before = count(seeded, Project)
    p, _ = confirm(seeded, "projekt", "projekt_namn_nyckel.csv")
    assert p.removed == []
    assert count(seeded, Project) == before + 1


def test_remove_missing_removes_them_and_undo_brings_them_back(seeded):
    original = data_dump(seeded)
    p = preview(seeded, "projekt", "projekt_bara_tva.csv", remove_missing=True)
    assert p.counts == {"new": 0, "changed": 0, "unchanged": 2, "removed": 6}
    assert sorted(r.key for r in p.removed) == OTHER_SIX
    assert all(r.row is None and r.action == "delete" for r in p.removed)

    _, result = confirm(seeded, "projekt", "projekt_bara_tva.csv", remove_missing=True)
    assert result.counts["removed"] == 6
    assert count(seeded, Project) == 2
    assert count(seeded, Phase) == count(seeded, FundingLine) == count(seeded, BudgetPart) == 0

    undone = undo_latest(seeded, actor=ADMIN)
    assert undone.batch_id == result.batch_id
    seeded.expire_all()
    assert data_dump(seeded) == original
    bibliotek = project(seeded, "Bibliotek 2007")
    assert [ph.name for ph in bibliotek.phases] == ["Etapp 1", "Etapp 2"]
    assert len(project(seeded, BOTNIA).funding_lines) == 5
    assert len(project(seeded, BOTNIA).municipalities) == 6
    assert [b.label for b in project(seeded, "UME&Co").budget_parts] == ["kust", "inland"]


def test_remove_a_project_and_its_phases_from_the_template_and_undo(seeded):
    """The project's row and its phases' rows are all gone from the downloaded template: each is removed once."""
    original = data_dump(seeded)
    wb = workbook(build_template(seeded, "projekt"))
    wb["Projekt"].delete_rows(row_of(wb["Projekt"], "Projekt", "Bibliotek 2007"))
    faser = wb["Faser"]
    for _ in range(2):
        faser.delete_rows(row_of(faser, "Projekt", "Bibliotek 2007"))
    content = save(wb)
    p = preview(seeded, "projekt", "mall.xlsx", content=content, remove_missing=True)
    assert sorted(r.key for r in p.removed) == [
        "Bibliotek 2007",
        "Bibliotek 2007 – Etapp 1",
        "Bibliotek 2007 – Etapp 2",
    ]
    confirm(seeded, "projekt", "mall.xlsx", content=content, remove_missing=True)
    assert project(seeded, "Bibliotek 2007") is None and count(seeded, Phase) == 0
    undo_latest(seeded, actor=ADMIN)
    seeded.expire_all()
    assert data_dump(seeded) == original


def test_remove_a_meeting_and_undo_brings_back_its_participants(seeded):
    """The 'annat' meeting 2019-06-20 has one participant and no agenda; removing it and undoing restores both."""
    original = data_dump(seeded)
    meeting = seeded.scalars(select(Meeting).where(Meeting.kind == "annat")).one()
    assert count(seeded, MeetingParticipant) == 9 and len(meeting.participants) == 1
    wb = workbook(build_template(seeded, "moten"))
    wb["Möten"].delete_rows(row_of(wb["Möten"], "Id", meeting.id))
    content = save(wb)
    p, _ = confirm(seeded, "moten", "moten.xlsx", content=content, remove_missing=True)
    assert [r.entity_id for r in p.removed] == [meeting.id]
    undo_latest(seeded, actor=ADMIN)
    seeded.expire_all()
    assert count(seeded, MeetingParticipant) == 9
    assert data_dump(seeded) == original


def test_a_meeting_with_an_agenda_is_not_removed(seeded):
    wb = workbook(build_template(seeded, "moten"))
    ws = wb["Möten"]
    first = seeded.scalars(select(Meeting).where(Meeting.kind == "kommunchefsmöte").order_by(Meeting.date)).first()
    ws.delete_rows(row_of(ws, "Id", first.id))
    p = preview(seeded, "moten", "moten.xlsx", content=save(wb), remove_missing=True)
    assert p.removed == [] and not p.can_confirm
    assert any("kan inte tas bort" in x.message for x in p.problems)


# --- undo ---------------------------------------------------------------------------------------------------------


def test_undo_restores_values_removes_what_was_added_and_is_recorded(seeded):
    original = data_dump(seeded)
    botnia_id = project(seeded, BOTNIA).id
    _, result = confirm(seeded, "projekt", "projekt_format_komma.csv")
    new_id = project(seeded, "Cykelstråk Umeå–Vännäs").id
    assert latest_undoable(seeded, actor=ADMIN)["batch_id"] == result.batch_id

    undone = undo_latest(seeded, actor=ADMIN)
    assert undone.batch_id == result.batch_id
    assert undone.counts == {"restored": 1, "removed": 1, "recreated": 0}
    assert "ångrad" in undone.message
    seeded.expire_all()
    assert data_dump(seeded) == original

    batch = seeded.get(ImportBatch, result.batch_id)
    assert batch.undone_at is not None
    undo_batch = seeded.scalars(select(ImportBatch).where(ImportBatch.kind == "ångra")).one()
    assert undo_batch.username == "admin" and undo_batch.counts["undoes"] == batch.id
    records = seeded.scalars(select(ChangeRecord).where(ChangeRecord.import_batch_id == undo_batch.id)).all()
    by_row = {(r.entity, r.entity_id): r for r in records}
    assert by_row[("project", botnia_id)].action == "update"
    assert by_row[("project", botnia_id)].after == {"budget_amount": 4_650_000, "status": "planerad"}
    assert by_row[("project", botnia_id)].before == {"budget_amount": 5_000_000, "status": "pågår"}
    assert by_row[("project", new_id)].action == "delete"

    listed = next(i for i in list_imports(seeded) if i["batch_id"] == batch.id)
    assert listed["undone_at"] is not None and listed["undone_by"] == "admin"
    assert latest_undoable(seeded, actor=ADMIN) is None
    with pytest.raises(ImportRefused, match="ingen import att ångra"):
        undo_latest(seeded, actor=ADMIN)


def test_undo_is_refused_after_a_later_edit_of_the_same_rows(seeded):
    _, result = confirm(seeded, "uppdrag", "uppdrag_ny_och_status.csv")
    plan = next(t for t in result.touched if t["key"].startswith("Ta fram en gemensam avfallsplan"))
    update_task(
        seeded,
        plan["entity_id"],
        status="struken",
        note="Ersatt av regionens plan.",
        username="redaktor",
        role="redigerare",
        user_municipality=None,
    )
    before = dump(seeded)
    with pytest.raises(ImportRefused, match="kan inte ångras") as refused:
        undo_latest(seeded, actor=ADMIN)
    assert "redaktor" in str(refused.value)
    assert dump(seeded) == before
    assert seeded.get(ImportBatch, result.batch_id).undone_at is None


def test_undo_is_not_blocked_by_a_later_edit_of_other_rows(seeded):
    original = data_dump(seeded)
    _, result = confirm(seeded, "uppdrag", "uppdrag_ny_och_status.csv")
    touched = {t["entity_id"] for t in result.touched}
    other = next(t for t in range(1, 20) if t not in touched)
    update_task(seeded, other, status="klar", note=None, username="redaktor", role="redigerare", user_municipality=None)
    after_edit = data_dump(seeded)
    undo_latest(seeded, actor=ADMIN)
    seeded.expire_all()
    now = data_dump(seeded)
    assert now["task"] != original["task"]  # the later edit stays
    assert {k: v for k, v in now.items() if k != "task"} == {k: v for k, v in original.items() if k != "task"}
    assert len(now["task"]) == len(original["task"]) < len(after_edit["task"])


def test_undo_removes_a_new_task_and_the_new_person(seeded):
    original = data_dump(seeded)
    confirm(seeded, "uppdrag", "uppdrag_ny_och_status.csv")
    undo_latest(seeded, actor=ADMIN)
    seeded.expire_all()
    assert data_dump(seeded) == original


def test_undo_removes_a_new_focus_area_and_restores_a_status(seeded):
    original = data_dump(seeded)
    confirm(seeded, "verksamhetsplan", "verksamhetsplan_ny.xlsx")
    undo_latest(seeded, actor=ADMIN)
    seeded.expire_all()
    assert data_dump(seeded) == original


def test_second_undo_undoes_the_import_before(seeded):
    original = data_dump(seeded)
    _, first = confirm(seeded, "projekt", "projekt_format_komma.csv")
    _, second = confirm(seeded, "finansiering", "finansiering_ny.csv")
    with pytest.raises(ImportRefused, match="nyare import"):
        undo_latest(seeded, actor=ADMIN, batch_id=first.batch_id)
    assert undo_latest(seeded, actor=ADMIN, batch_id=second.batch_id).batch_id == second.batch_id
    assert latest_undoable(seeded, actor=ADMIN)["batch_id"] == first.batch_id
    assert undo_latest(seeded, actor=ADMIN).batch_id == first.batch_id
    with pytest.raises(ImportRefused, match="Det finns ingen import att ångra"):
        undo_latest(seeded, actor=ADMIN)
    seeded.expire_all()
    assert data_dump(seeded) == original


def test_a_municipal_redigerare_cannot_undo_someone_elses_import(seeded):
    confirm(seeded, "projekt", "projekt_format_komma.csv")
    before = dump(seeded)
    assert latest_undoable(seeded, actor=VANNAS) is None
    with pytest.raises(ImportRefused, match="egna"):
        undo_latest(seeded, actor=VANNAS)
    assert dump(seeded) == before


def test_undo_of_a_rename_by_id(seeded):
    original = data_dump(seeded)
    confirm(seeded, "projekt", "projekt_id_nytt_namn.csv")
    assert project(seeded, BOTNIA) is None
    undo_latest(seeded, actor=ADMIN)
    seeded.expire_all()
    assert project(seeded, BOTNIA).id == 1
    assert data_dump(seeded) == original


def test_undo_moves_an_activity_back_from_a_new_plan_year(seeded):
    original = data_dump(seeded)
    assert seeded.get(Activity, 1).title == "Webbplats för rekrytering"  # the fixture's Id 1
    p, _ = confirm(seeded, "verksamhetsplan", "verksamhetsplan_nytt_ar.csv")
    assert [(c.field, c.old, c.new) for c in p.changed[0].changes] == [("year", 2005, 2006)]
    assert any("2006" in n and "skapas" in n for n in p.notes)
    assert seeded.get(Activity, 1).focus_area.plan.year == 2006
    undo_latest(seeded, actor=ADMIN)
    seeded.expire_all()
    assert seeded.scalars(select(Plan).where(Plan.year == 2006)).all() == []
    assert data_dump(seeded) == original


def test_remove_a_task_with_notes_and_owners_and_undo(seeded):
    task = seeded.scalars(select(Task).where(Task.text.like("Titta vidare%"))).one()
    seeded.add(TaskNote(task=task, text="Diskuterat på mötet.", username="admin", at=task.created_at))
    seeded.flush()
    original = data_dump(seeded)
    wb = workbook(build_template(seeded, "uppdrag"))
    wb["Uppdrag"].delete_rows(row_of(wb["Uppdrag"], "Id", task.id))
    content = save(wb)
    p, _ = confirm(seeded, "uppdrag", "uppdrag.xlsx", content=content, remove_missing=True)
    assert [r.entity_id for r in p.removed] == [task.id]
    assert count(seeded, TaskNote) == 0
    undo_latest(seeded, actor=ADMIN)
    seeded.expire_all()
    assert data_dump(seeded) == original
    assert sorted(o.name for o in seeded.get(Task, task.id).owners) == ["Karin Ahnqvist", "Maria Persson"]
