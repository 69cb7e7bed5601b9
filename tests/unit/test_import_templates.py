"""Excel templates: the pre-filled one for every kind reads back as 'nothing changed', the blank one has the headers
and the instructions, edits made in the template come out exactly in the preview, and no cell the app writes is a
formula."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from sqlalchemy import select

from data.imports import KINDS, ImportRefused, build_template, stage_upload, template_filename, undo_latest
from data.models import ChangeRecord, Project
from tests.unit.upload_helpers import (
    ADMIN,
    BOTNIA,
    VANNAS,
    column,
    confirm,
    data_dump,
    preview,
    problems,
    project,
    row_of,
    save,
    workbook,
)


def data_rows(ws) -> list[tuple]:
    return [r for r in ws.iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]


@pytest.mark.parametrize("kind", list(KINDS))
def test_filled_template_round_trips_unchanged(seeded, kind):
    content = build_template(seeded, kind)
    wb = workbook(content)
    rows = sum(len(data_rows(wb[name])) for name in KINDS[kind].sheet_names)
    assert rows > 0
    for remove_missing in (False, True):
        p = preview(seeded, kind, template_filename(kind), content=content, remove_missing=remove_missing)
        assert problems(p) == [] and p.refused == []
        assert p.counts == {"new": 0, "changed": 0, "unchanged": rows, "removed": 0}
        assert not p.can_confirm
    with pytest.raises(ImportRefused, match="rätta felen|Inget att spara"):
        stage_upload(seeded, p, content, actor=ADMIN)


@pytest.mark.parametrize("kind", list(KINDS))
def test_blank_template_has_headers_and_instructions(seeded, kind):
    info = KINDS[kind]
    content = build_template(seeded, kind, filled=False)
    wb = workbook(content)
    assert wb.sheetnames == [*info.sheet_names, "Instruktioner"]
    for spec in info.sheets:
        ws = wb[spec.name]
        assert [c.value for c in ws[1]] == [f.label for f in spec.fields]
        assert data_rows(ws) == []
    text = "\n".join(str(c.value) for row in wb["Instruktioner"].iter_rows() for c in row if c.value)
    assert "Så här" in text and "Id" in text
    for spec in info.sheets:
        for f in spec.fields:
            assert f.label in text
    p = preview(seeded, kind, template_filename(kind, filled=False), content=content)
    assert not p.can_confirm and any("inga rader" in x.message for x in p.problems)


def test_template_file_names():
    assert template_filename("projekt", today=dt.date(2026, 11, 23)) == "projekt-2026-11-23.xlsx"
    assert template_filename("moten", filled=False) == "moten-tom-mall.xlsx"
    with pytest.raises(ImportRefused):
        template_filename("lönelista")


def test_template_cells_have_the_right_types(seeded):
    ws = workbook(build_template(seeded, "projekt"))["Projekt"]
    r = row_of(ws, "Projekt", BOTNIA)
    assert ws.cell(row=r, column=column(ws, "Id")).value == project(seeded, BOTNIA).id
    start = ws.cell(row=r, column=column(ws, "Start"))
    assert start.is_date and start.value.date() == dt.date(2005, 1, 1)
    budget = ws.cell(row=r, column=column(ws, "Budget (kr)"))
    assert budget.data_type == "n" and budget.value == 4_650_000
    kommuner = ws.cell(row=r, column=column(ws, "Kommuner"))
    assert kommuner.data_type == "s" and kommuner.value == "Bjurholm, Nordmaling, Robertsfors, Umeå, Vindeln, Vännäs"


def test_change_two_add_one_preview_confirm_history_undo(seeded):
    """The round trip of the issue, without a browser: download the pre-filled template, change two projects and
    add one, upload, see exactly those three, confirm, see the history, undo, and see the previous state."""
    original = data_dump(seeded)
    wb = workbook(build_template(seeded, "projekt"))
    ws = wb["Projekt"]
    ws.cell(row=row_of(ws, "Projekt", BOTNIA), column=column(ws, "Budget (kr)")).value = "5 200 000"
    ws.cell(row=row_of(ws, "Projekt", "Via Uma"), column=column(ws, "Status")).value = "avslutad"
    new = [None] * ws.max_column
    new[column(ws, "Projekt") - 1] = "Cykelstråk Umeå–Vännäs"
    new[column(ws, "Kommuner") - 1] = "Umeå, Vännäs"
    new[column(ws, "Start") - 1] = "jan 2026"
    new[column(ws, "Budget (kr)") - 1] = "1,6 milj"
    ws.append(new)
    content = save(wb)

    p = preview(seeded, "projekt", "projekt.xlsx", content=content)
    assert problems(p) == []
    assert sorted((r.action, r.key) for r in p.new + p.changed) == [
        ("new", "Cykelstråk Umeå–Vännäs"),
        ("update", BOTNIA),
        ("update", "Via Uma"),
    ]
    changes = {r.key: [(c.field, c.old, c.new) for c in r.changes] for r in p.changed}
    assert changes == {BOTNIA: [("budget_amount", 4_650_000, 5_200_000)], "Via Uma": [("status", "pågår", "avslutad")]}
    assert p.counts["unchanged"] == len(original["project"]) - 2 + len(original["phase"])

    _, result = confirm(seeded, "projekt", "projekt.xlsx", content=content)
    assert project(seeded, BOTNIA).budget_amount == 5_200_000
    assert project(seeded, "Via Uma").status == "avslutad"
    added = project(seeded, "Cykelstråk Umeå–Vännäs")
    assert (added.start_date, added.budget_amount, added.status) == (dt.date(2026, 1, 1), 1_600_000, "planerad")
    history = seeded.scalars(select(ChangeRecord).where(ChangeRecord.import_batch_id == result.batch_id)).all()
    assert {(r.entity, r.entity_id, r.action) for r in history} == {
        ("project", project(seeded, BOTNIA).id, "update"),
        ("project", project(seeded, "Via Uma").id, "update"),
        ("project", added.id, "create"),
    }

    undo_latest(seeded, actor=ADMIN)
    seeded.expire_all()
    assert data_dump(seeded) == original


def test_renaming_in_the_template_keeps_the_project(seeded):
    botnia = project(seeded, BOTNIA)
    wb = workbook(build_template(seeded, "projekt"))
    ws = wb["Projekt"]
    ws.cell(row=row_of(ws, "Projekt", BOTNIA), column=column(ws, "Projekt")).value = "Botniabanan 2.0"
    p, _ = confirm(seeded, "projekt", "projekt.xlsx", content=save(wb))
    assert [(r.entity_id, [(c.field, c.old, c.new) for c in r.changes]) for r in p.changed] == [
        (botnia.id, [("name", BOTNIA, "Botniabanan 2.0")])
    ]
    assert p.new == []
    seeded.expire_all()
    assert seeded.get(Project, botnia.id).name == "Botniabanan 2.0"


def test_formula_looking_text_is_written_as_text_cells(seeded):
    """Text stored from an upload that begins with = + - @ is a text cell in the pre-filled template, never a
    formula, and reads back unchanged."""
    confirm(seeded, "projekt", "projekt_formler.csv")
    content = build_template(seeded, "projekt")
    wb = workbook(content)
    ws = wb["Projekt"]
    checked = 0
    for p in seeded.scalars(select(Project).where(Project.name.like("Formel %"))):
        r = row_of(ws, "Projekt", p.name)
        for label, value in (("Projektägare", p.owner_organisation), ("Kontaktperson", p.contact_name)):
            cell = ws.cell(row=r, column=column(ws, label))
            assert (cell.data_type, cell.value) == ("s", value), (p.name, label)
            checked += 1
        assert ws.cell(row=r, column=column(ws, "Beskrivning")).data_type == "s"
    assert checked == 12
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name
    p = preview(seeded, "projekt", "projekt.xlsx", content=content)
    assert p.counts["changed"] == 0 and p.counts["new"] == 0 and problems(p) == []


def test_a_municipal_redigerare_can_upload_the_whole_template_unchanged(seeded):
    """Rows the person may not change are not refused when they are unchanged."""
    p = preview(seeded, "projekt", "projekt.xlsx", content=build_template(seeded, "projekt"), actor=VANNAS)
    assert p.refused == [] and problems(p) == [] and p.counts["changed"] == 0
