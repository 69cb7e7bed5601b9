"""The upload engine with real files: every format and value form the issue lists lands in the database as it should,
every fault names its row and column and leaves the database exactly as it was, rights are checked on every step,
and a confirm writes the whole file in one transaction, or nothing, against the database as it is then."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from data.db import make_session_factory, session_scope
from data.imports import (
    ImportRefused,
    confirm_upload,
    import_file,
    latest_undoable,
    list_imports,
    preview_upload,
    stage_upload,
    undo_latest,
)
from data.imports.engine import apply_preview
from data.models import (
    Activity,
    AgendaItem,
    ChangeRecord,
    FocusArea,
    FundingLine,
    ImportBatch,
    Meeting,
    Party,
    Plan,
    Project,
    Task,
)
from tests.unit.upload_helpers import (
    ADMIN,
    BOTNIA,
    FIXTURES,
    LASARE,
    REDAKTOR,
    VANNAS,
    confirm,
    dump,
    preview,
    problems,
    project,
    read,
)

NEW = "Cykelstråk Umeå–Vännäs"
SEVEN = ["Bjurholm", "Nordmaling", "Robertsfors", "Umeå", "Vindeln", "Vännäs", "Örnsköldsvik"]


# --- formats: separators, encodings, headers, title rows, instructions sheet, totals row ---------------------------

FORMAT_FILES = [
    ("projekt_format_semikolon_bom.csv", None),
    ("projekt_format_komma.csv", None),
    ("projekt_format_tabb_cp1252.csv", None),
    ("projekt_format_titelrader_summa.csv", "Summa"),
    ("projekt_format_instruktioner.xlsx", "Totalt"),
]


def test_format_files_are_what_they_claim():
    """The fixtures really are in the encodings and separators they are named for."""
    assert read("projekt_format_semikolon_bom.csv").startswith(b"\xef\xbb\xbf")
    assert not read("projekt_format_komma.csv").startswith(b"\xef\xbb\xbf")
    cp1252 = read("projekt_format_tabb_cp1252.csv")
    assert b"\t" in cp1252 and "Umeå–Vännäs".encode("cp1252") in cp1252
    with pytest.raises(UnicodeDecodeError):
        cp1252.decode("utf-8")
    assert read("projekt_format_instruktioner.xlsx").startswith(b"PK")


@pytest.mark.parametrize("name,total", FORMAT_FILES)
def test_every_format_gives_the_same_preview(seeded, name, total):
    p = preview(seeded, "projekt", name)
    assert problems(p) == [] and p.refused == []
    assert p.counts == {"new": 1, "changed": 1, "unchanged": 0, "removed": 0}
    (changed,) = p.changed
    assert changed.key == BOTNIA and changed.entity_id == project(seeded, BOTNIA).id
    assert {(c.field, c.old, c.new) for c in changed.changes} == {
        ("budget_amount", 4_650_000, 5_000_000),
        ("status", "planerad", "pågår"),
    }
    (new,) = p.new
    assert new.key == NEW and new.entity_id is None
    totals = [n for n in p.notes if "Summaraden" in n]
    if total:
        assert len(totals) == 1 and f"”{total}”" in totals[0] and "lästes inte in" in totals[0]
    else:
        assert totals == []


@pytest.mark.parametrize("name,total", FORMAT_FILES)
def test_every_format_writes_the_same_data(seeded, name, total):
    p, result = confirm(seeded, "projekt", name)
    botnia = project(seeded, BOTNIA)
    assert (botnia.budget_amount, botnia.status) == (5_000_000, "pågår")
    assert botnia.start_date == dt.date(2005, 1, 1) and botnia.end_date == dt.date(2006, 12, 31)
    new = project(seeded, NEW)
    assert new is not None
    assert (new.start_date, new.end_date) == (dt.date(2006, 1, 1), dt.date(2007, 12, 31))
    assert (new.budget_amount, new.status) == (1_600_000, "planerad")
    assert sorted(m.name for m in new.municipalities) == ["Umeå", "Vännäs"]
    assert new.owner_organisation == "Umeå kommun, gatuavdelningen"
    # the totals row was not imported as a project
    assert seeded.scalars(select(Project).where(Project.name.in_(["Summa", "Totalt"]))).all() == []
    assert result.counts == {"new": 1, "changed": 1, "unchanged": 0, "removed": 0}


def test_headers_are_named_as_written_in_the_file(seeded):
    """Messages and the diff name the column as the file has it (English, lower case …), not the template's name."""
    p = preview(seeded, "projekt", "projekt_format_semikolon_bom.csv")
    labels = {c.field: c.label for c in p.changed[0].changes}
    assert labels == {"budget_amount": "Budget", "status": "status"}
    p = preview(seeded, "projekt", "projekt_format_tabb_cp1252.csv")
    assert {c.field: c.label for c in p.changed[0].changes} == {
        "budget_amount": "totalbudget",
        "status": "projektstatus",
    }


def test_preview_is_json_for_the_command_line(seeded):
    p = preview(seeded, "projekt", "projekt_format_komma.csv")
    data = json.loads(json.dumps(p.to_dict(), ensure_ascii=False))
    assert data["counts"] == {"new": 1, "changed": 1, "unchanged": 0, "removed": 0}
    assert data["can_confirm"] is True
    assert data["changed"][0]["changes"][0]["old"] == 4_650_000
    assert {"field": "municipalities", "label": "Kommuner", "old": None, "new": ["Umeå", "Vännäs"]} in data["new"][0][
        "changes"
    ]
    assert data["sha256"] == hashlib.sha256(read("projekt_format_komma.csv")).hexdigest()


# --- values: amounts, dates, municipalities ---------------------------------------------------------------------


def budgets(session, names) -> dict[str, int | None]:
    return {p.name: p.budget_amount for p in session.scalars(select(Project).where(Project.name.in_(names)))}


def test_every_amount_form_lands_as_whole_kronor(seeded):
    expected = {
        "Belopp mellanslag": 4_650_000,
        "Belopp hårt mellanslag": 4_650_000,
        "Belopp utan mellanslag": 4_650_000,
        "Belopp ören": 850_001,  # 850 000,50 rounded half up to whole kronor
        "Belopp milj": 1_600_000,
        "Belopp mkr": 2_400_000,
        "Belopp tkr": 6_256_000,
        "Belopp KKR": 6_256_000,
        "Belopp med kr": 4_650_000,
        "Belopp milj kr": 12_600_000,
    }
    p, _ = confirm(seeded, "projekt", "projekt_belopp.csv")
    assert p.counts["new"] == len(expected)
    assert budgets(seeded, expected) == expected


def test_excel_number_and_date_cells(seeded):
    confirm(seeded, "projekt", "projekt_excelceller.xlsx")
    whole, fraction = project(seeded, "Excel heltal"), project(seeded, "Excel decimaltal")
    assert (whole.budget_amount, whole.start_date, whole.end_date) == (
        4_650_000,
        dt.date(2005, 1, 1),
        dt.date(2005, 12, 31),
    )
    assert (fraction.budget_amount, fraction.start_date, fraction.end_date) == (
        850_001,
        dt.date(2019, 8, 22),
        dt.date(2020, 6, 30),
    )


def test_every_date_form(seeded):
    """2005-01-01, 1/1-2005, 2005-01, jan 2005 and januari 2005; a month alone ends on its last day in Slut."""
    names = ["Datum iso", "Datum dag först", "Datum månad", "Datum kort månadsnamn", "Datum långt månadsnamn"]
    confirm(seeded, "projekt", "projekt_datum.csv")
    got = {p.name: (p.start_date, p.end_date) for p in seeded.scalars(select(Project).where(Project.name.in_(names)))}
    assert got == {n: (dt.date(2005, 1, 1), dt.date(2005, 12, 31)) for n in names}


def test_municipalities_are_normalised(seeded):
    confirm(seeded, "projekt", "projekt_kommuner.csv")
    expected = {
        "Kommun lång form": ["Örnsköldsvik"],
        "Kommun utan prickar": ["Umeå", "Örnsköldsvik"],
        "Kommun och": ["Bjurholm", "Vännäs"],
        "Kommun alla": SEVEN,
    }
    got = {n: sorted((m.name for m in project(seeded, n).municipalities), key=SEVEN.index) for n in expected}
    assert got == expected


# --- faults: each names its row and column and writes nothing ----------------------------------------------------

FAULTS = [
    ("fel_projekt_negativt_belopp.csv", "projekt", 3, "Budget", "negativt"),
    ("fel_projekt_slut_fore_start.csv", "projekt", 2, "Slutdatum", "före starten 2006-01-01"),
    ("fel_projekt_slut_fore_befintlig_start.csv", "projekt", 2, "Slut", "före starten 2005-01-01"),
    ("fel_projekt_okand_kommun.csv", "projekt", 2, "Kommuner", "Menade du Umeå?"),
    ("fel_projekt_okand_kommun.csv", "projekt", 3, "Kommuner", "Menade du Vännäs?"),
    ("fel_projekt_samma_namn.csv", "projekt", 4, "Projekt", "rad 2"),
    ("fel_projekt_okant_id.csv", "projekt", 2, "Id", "id 9999"),
    ("fel_projekt_okant_insatsomrade.csv", "projekt", 2, "Insatsområde", "Menade du Infrastruktur?"),
    ("fel_projekt_ogiltigt_datum.csv", "projekt", 2, "Start", "inget datum"),
    ("fel_projekt_okand_status.csv", "projekt", 2, "Status", "Okänd status"),
    ("fel_projekt_namn_saknas.csv", "projekt", 3, "Projekt", "Värde saknas"),
    ("fel_projekt_formel_utan_varde.xlsx", "projekt", 2, "Budget (kr)", "formel"),
    ("fel_projekt_fas_slut_fore_start.xlsx", "projekt", 3, "Slut", "före starten 2026-09-01"),
    ("fel_projekt_id_och_namn_samma.csv", "projekt", 3, "Projekt", "rad 2"),
    ("fel_finansiering_okant_projekt.csv", "finansiering", 2, "Projekt", "Menade du Stad och Land?"),
    ("fel_finansiering_okand_typ.csv", "finansiering", 2, "Typ", "Okänd typ av finansiär"),
    ("fel_uppdrag_okant_mote.csv", "uppdrag", 2, "Möte", "inget möte den 2019-05-17"),
    ("fel_uppdrag_okand_punkt.csv", "uppdrag", 2, "Punkt", "ingen punkt 42"),
    ("fel_uppdrag_for_langt_namn.csv", "uppdrag", 2, "Ansvariga", "lång"),
    ("fel_moten_slut_fore_start.csv", "moten", 2, "Slut", "före starten"),
    ("fel_verksamhetsplan_ar.csv", "verksamhetsplan", 2, "År", "årtal"),
]


@pytest.mark.parametrize("name,kind,row,column,message", FAULTS, ids=[f"{f[0]}:{f[2]}" for f in FAULTS])
def test_fault_names_row_and_column(seeded, name, kind, row, column, message):
    p = preview(seeded, kind, name)
    assert not p.can_confirm
    here = [x for x in p.problems if x.row == row and x.column == column]
    assert here, problems(p)
    assert any(message in x.message for x in here), problems(p)
    assert str(here[0]).startswith(f"Rad {row}, kolumn {column}")


@pytest.mark.parametrize("name,kind", sorted({(f[0], f[1]) for f in FAULTS}))
def test_fault_leaves_the_database_exactly_as_before(seeded, name, kind):
    before = dump(seeded)
    p, result = import_file(seeded, kind, read(name), name, actor=ADMIN)
    assert p.problems and result is None
    with pytest.raises(ImportRefused):
        stage_upload(seeded, p, read(name), actor=ADMIN)
    with pytest.raises(ImportRefused):
        apply_preview(seeded, p, actor=ADMIN)
    assert dump(seeded) == before


def test_fault_on_the_phases_sheet_names_the_sheet(seeded):
    p = preview(seeded, "projekt", "fel_projekt_fas_slut_fore_start.xlsx")
    assert [(x.sheet, x.row, x.column) for x in p.problems] == [("Faser", 3, "Slut")]
    assert p.problems[0].to_dict()["sheet"] == "Faser"


def test_a_fault_stops_the_valid_rows_too(seeded):
    """Row 2 of the file is fine and row 3 is not: nothing is written, not even row 2."""
    p, result = import_file(seeded, "projekt", read("fel_projekt_negativt_belopp.csv"), "f.csv", actor=ADMIN)
    assert [r.key for r in p.new] == ["Nytt projekt ett"] and result is None
    assert project(seeded, "Nytt projekt ett") is None


WHOLE_FILE_FAULTS = [
    ("reading/pdf_named.csv", "PDF"),
    ("reading/zip_named.csv", "zip"),
    ("reading/empty.csv", "tom"),
    ("reading/old_excel.xls", ".xls"),
]


@pytest.mark.parametrize("name,message", WHOLE_FILE_FAULTS)
def test_file_that_is_not_a_table_gets_a_clear_message(seeded, name, message):
    before = dump(seeded)
    p, result = import_file(seeded, "projekt", read(name), name, actor=ADMIN)
    assert result is None and not p.can_confirm
    assert len(p.problems) == 1 and message in p.problems[0].message
    assert dump(seeded) == before


def test_size_limit(seeded):
    content = read("projekt_format_komma.csv")
    before = dump(seeded)
    p, result = import_file(seeded, "projekt", content, "stor.csv", actor=ADMIN, max_bytes=100)
    assert result is None
    assert len(p.problems) == 1 and "för stor" in p.problems[0].message
    assert dump(seeded) == before


def test_whole_numbers_in_csv_text_cells(seeded):
    """Id, Punkt and År come as text from a CSV: '9999', '42' and '2005' are those numbers."""
    p = preview(seeded, "projekt", "fel_projekt_okant_id.csv")
    assert "id 9999" in p.problems[0].message, problems(p)
    p = preview(seeded, "uppdrag", "fel_uppdrag_okand_punkt.csv")
    assert "punkt 42" in p.problems[0].message, problems(p)
    p = preview(seeded, "verksamhetsplan", "verksamhetsplan_ny.csv")
    assert problems(p) == []


def test_empty_required_cell_on_an_existing_row_is_an_error_not_a_crash(seeded):
    """An empty Status cell on an existing project cannot clear the status (the column may not be empty): the preview
    says so, with row and column, or leaves the status as it is; it never offers a change that cannot be saved."""
    content = "Projekt;Status;Budget (kr)\r\nUME&Co;;12 600 000\r\nVia Uma;pågår;5 000\r\n".encode()
    before = dump(seeded)
    p = preview(seeded, "projekt", "tom_status.csv", content=content)
    offered = [c for r in p.changed for c in r.changes if c.field == "status" and c.new is None]
    assert offered == [], "the preview offers to empty Status, which the database refuses"
    p, result = import_file(seeded, "projekt", content, "tom_status.csv", actor=ADMIN)
    if result is None:
        assert any(x.row == 2 and x.column == "Status" for x in p.problems), problems(p)
        assert dump(seeded) == before
    else:
        assert project(seeded, "UME&Co").status == "pågår"


# --- keys ---------------------------------------------------------------------------------------------------------


def test_name_decides_update_or_new(seeded):
    botnia = project(seeded, BOTNIA)
    p = preview(seeded, "projekt", "projekt_namn_nyckel.csv")
    assert problems(p) == []
    (update,) = p.changed
    assert update.entity_id == botnia.id and update.row == 2
    assert ("status", "planerad", "pågår") in {(c.field, c.old, c.new) for c in update.changes}
    assert [(r.key, r.row, r.entity_id) for r in p.new] == [("Helt nytt projekt", 3, None)]


def test_id_decides_and_renames(seeded):
    assert seeded.get(Project, 1).name == BOTNIA  # the fixture's Id 1
    count = len(seeded.scalars(select(Project)).all())
    p, _ = confirm(seeded, "projekt", "projekt_id_nytt_namn.csv")
    assert [(r.action, r.entity_id) for r in p.rows] == [("update", 1)]
    assert [(c.field, c.old, c.new) for c in p.changed[0].changes] == [
        ("name", BOTNIA, "Botniabanan – tillväxt längs kusten")
    ]
    seeded.expire_all()
    renamed = seeded.get(Project, 1)
    assert renamed.name == "Botniabanan – tillväxt längs kusten"
    assert renamed.budget_amount == 4_650_000 and len(renamed.funding_lines) == 5
    assert len(seeded.scalars(select(Project)).all()) == count


def test_phases_sheet_alone_is_read_as_phases_not_as_projects(seeded):
    """A workbook with only the Faser sheet (the Projekt sheet deleted) must not change the projects' start and end
    dates to the phases' dates: its rows are phases."""
    p = preview(seeded, "projekt", "projekt_bara_faser.xlsx")
    assert [(r.sheet, r.key) for r in p.changed + p.new if r.sheet == "Projekt"] == []
    assert [(r.sheet, r.key) for r in p.new] == [("Faser", "Via Uma – Etapp A")]


def test_id_and_name_of_another_row_is_an_error(seeded):
    other = project(seeded, "UME&Co")
    content = f"Id;Projekt\r\n{other.id};{BOTNIA}\r\n".encode()
    p = preview(seeded, "projekt", "krock.csv", content=content)
    assert [(x.row, x.column) for x in p.problems] == [(2, "Projekt")]
    assert "redan ett annat projekt" in p.problems[0].message


# --- cells that look like formulas --------------------------------------------------------------------------------

FORMULAS = {
    "Formel likhetstecken": "=1+2",
    "Formel plus": "+46 90 16 10 00",
    "Formel minus": "-2+3",
    "Formel snabel-a": "@SUM(A1:A2)",
    "Formel tabb": '=HYPERLINK("http://example.com")',  # the leading tab is trimmed like any space
    "Formel vagnretur": "=2+5",
}


@pytest.mark.parametrize("name", ["projekt_formler.csv", "projekt_formler.xlsx"])
def test_formula_looking_cells_are_stored_as_plain_text(seeded, name):
    confirm(seeded, "projekt", name)
    for project_name, text in FORMULAS.items():
        p = project(seeded, project_name)
        assert (p.owner_organisation, p.contact_name, p.description) == (text, text, text), project_name


# --- rights -------------------------------------------------------------------------------------------------------


def test_lasare_is_refused_at_every_step(seeded):
    content = read("projekt_format_komma.csv")
    confirm(seeded, "finansiering", "finansiering_ny.csv")  # something a läsare could try to undo
    admin_preview = preview(seeded, "projekt", "projekt_format_komma.csv")
    token = stage_upload(seeded, admin_preview, content, actor=ADMIN)
    before = dump(seeded)
    with pytest.raises(ImportRefused, match="behörighet"):
        preview_upload(seeded, "projekt", content, "p.csv", actor=LASARE)
    with pytest.raises(ImportRefused, match="behörighet"):
        stage_upload(seeded, admin_preview, content, actor=LASARE)
    with pytest.raises(ImportRefused, match="behörighet"):
        confirm_upload(seeded, token, actor=LASARE)
    with pytest.raises(ImportRefused, match="behörighet"):
        import_file(seeded, "projekt", content, "p.csv", actor=LASARE)
    with pytest.raises(ImportRefused, match="behörighet"):
        undo_latest(seeded, actor=LASARE)
    assert latest_undoable(seeded, actor=LASARE) is None
    assert dump(seeded) == before


def test_vannas_redigerare_is_refused_rows_outside_vannas(seeded):
    before = dump(seeded)
    p = preview(seeded, "projekt", "projekt_vannas_blandat.csv", actor=VANNAS)
    assert problems(p) == []
    assert [(r.key, r.row) for r in p.changed] == [(BOTNIA, 2)]
    refused = {x.row: x for x in p.refused}
    assert sorted(refused) == [3, 4]
    assert refused[3].value == "UME&Co" and "berör Vännäs" in refused[3].message
    assert refused[4].value == "Nytt i Umeå" and "Vännäs" in refused[4].message
    assert str(refused[3]).startswith("Rad 3")
    assert not p.can_confirm
    with pytest.raises(ImportRefused):
        stage_upload(seeded, p, read("projekt_vannas_blandat.csv"), actor=VANNAS)
    _, result = import_file(seeded, "projekt", read("projekt_vannas_blandat.csv"), "v.csv", actor=VANNAS)
    assert result is None
    assert dump(seeded) == before


def test_vannas_redigerare_may_change_vannas_rows(seeded):
    p, result = confirm(seeded, "projekt", "projekt_vannas_egna.csv", actor=VANNAS)
    assert p.refused == [] and result.counts["new"] == 1 and result.counts["changed"] == 1
    assert project(seeded, BOTNIA).budget_amount == 5_000_000
    assert sorted(m.name for m in project(seeded, "Nytt i Vännäs").municipalities) == ["Umeå", "Vännäs"]
    batch = seeded.get(ImportBatch, result.batch_id)
    assert batch.username == "vannas"


def test_vannas_redigerare_removes_only_vannas_rows(seeded):
    p = preview(seeded, "projekt", "projekt_vannas_egna.csv", actor=VANNAS, remove_missing=True)
    assert p.refused == []
    assert sorted(r.key for r in p.removed) == ["Stad och Land", "Tillväxt i Umeåregionens kranskommuner (TURK)"]


def test_vannas_redigerare_phases_and_tasks(seeded):
    p = preview(seeded, "projekt", "projekt_vannas_faser.xlsx", actor=VANNAS)
    assert problems(p) == []
    assert sorted((r.sheet, r.key) for r in p.new) == [
        ("Faser", "Nytt i Vännäs – Etapp 1"),
        ("Projekt", "Nytt i Vännäs"),
    ]
    assert [(x.sheet, x.row, x.value) for x in p.refused] == [("Faser", 3, "Bibliotek 2007 – Etapp 3")]
    p = preview(seeded, "uppdrag", "uppdrag_vannas.csv", actor=VANNAS)
    assert [r.key for r in p.new] == ["Nytt uppdrag för Vännäs."]
    assert [(x.row, x.value) for x in p.refused] == [(2, "Nytt uppdrag för Umeå.")]
    assert "Vännäs" in p.refused[0].message


def test_region_wide_kinds_are_refused_to_a_municipal_redigerare(seeded):
    p = preview(seeded, "moten", "moten_nytt.csv", actor=VANNAS)
    assert [x.row for x in p.refused] == [2] and "hela regionen" in p.refused[0].message
    p = preview(seeded, "moten", "moten_nytt.csv", actor=REDAKTOR)
    assert p.refused == [] and p.can_confirm


# --- staging and confirming ---------------------------------------------------------------------------------------


def test_token_belongs_to_its_uploader_and_is_used_once(seeded):
    content = read("projekt_format_komma.csv")
    p = preview(seeded, "projekt", "projekt_format_komma.csv", actor=REDAKTOR)
    token = stage_upload(seeded, p, content, actor=REDAKTOR)
    before = dump(seeded)
    with pytest.raises(ImportRefused, match="finns inte längre"):
        confirm_upload(seeded, token, actor=ADMIN)
    with pytest.raises(ImportRefused, match="finns inte längre"):
        confirm_upload(seeded, "påhittad", actor=REDAKTOR)
    assert dump(seeded) == before
    confirm_upload(seeded, token, actor=REDAKTOR)
    with pytest.raises(ImportRefused, match="finns inte längre"):
        confirm_upload(seeded, token, actor=REDAKTOR)


def test_dry_run_writes_nothing(seeded):
    before = dump(seeded)
    p, result = import_file(seeded, "projekt", read("projekt_format_komma.csv"), "p.csv", actor=ADMIN, dry_run=True)
    assert p.can_confirm and result is None
    assert dump(seeded) == before


def test_confirm_after_the_data_changed_is_refused_and_writes_nothing(engine):
    factory = make_session_factory(engine)
    content = read("projekt_format_komma.csv")
    with session_scope(factory) as s:
        p = preview_upload(s, "projekt", content, "p.csv", actor=ADMIN)
        token = stage_upload(s, p, content, actor=ADMIN)
    with session_scope(factory) as s:  # someone else saves the same project meanwhile
        project(s, BOTNIA).budget_amount = 4_700_000
    with factory() as s:
        before = dump(s)
        with pytest.raises(ImportRefused, match="har ändrats sedan förhandsgranskningen"):
            confirm_upload(s, token, actor=ADMIN)
        s.rollback()
        assert dump(s) == before
        assert project(s, BOTNIA).budget_amount == 4_700_000 and project(s, NEW) is None


def test_whole_file_or_nothing_when_the_last_row_breaks_a_database_rule(engine):
    """The last row adds a project whose name another session saved after the preview: the database refuses it
    (unique name), and the changes of the rows above are not written either."""
    factory = make_session_factory(engine)
    content = (
        "Projekt;Kommuner;Budget (kr);Status\r\n"
        f"{BOTNIA};Umeå, Vännäs;5 000 000;pågår\r\n"
        "UME&Co;;13 000 000;avslutad\r\n"
        "Krockprojekt;Umeå;1 000;planerad\r\n"
    ).encode()
    s = factory()
    try:
        p = preview_upload(s, "projekt", content, "krock.csv", actor=ADMIN)
        assert p.counts == {"new": 1, "changed": 2, "unchanged": 0, "removed": 0}
        with session_scope(factory) as other:
            other.add(Project(name="Krockprojekt", status="pågår", description=""))
        with factory() as fresh:
            before = dump(fresh)
        with pytest.raises(ImportRefused, match="krockar"):
            apply_preview(s, p, actor=ADMIN)
        s.rollback()
        assert dump(s) == before
        assert project(s, BOTNIA).budget_amount == 4_650_000
        assert s.scalars(select(ImportBatch).where(ImportBatch.source == "krock.csv")).all() == []
    finally:
        s.close()


def _confirm_in_own_session(factory, token):
    with session_scope(factory) as s:
        return confirm_upload(s, token, actor=ADMIN)


def _stage(factory, content: bytes, name: str) -> str:
    with session_scope(factory) as s:
        p = preview_upload(s, "projekt", content, name, actor=ADMIN)
        assert p.can_confirm, problems(p)
        return stage_upload(s, p, content, actor=ADMIN)


@pytest.mark.parametrize("overlap", [False, True], ids=["different-rows", "same-row"])
def test_two_confirms_at_the_same_moment(engine, overlap):
    """The second confirm waits for the first; it then completes (different rows) or is refused with a message
    (it would overwrite the first one's change); neither loses data."""
    factory = make_session_factory(engine)
    first = f"Projekt;Budget (kr)\r\n{BOTNIA};5 000 000\r\n".encode()
    second = f"Projekt;Budget (kr)\r\n{BOTNIA};6 000 000\r\n" if overlap else "Projekt;Status\r\nVia Uma;avslutad\r\n"
    token_a = _stage(factory, first, "a.csv")
    token_b = _stage(factory, second.encode(), "b.csv")
    s = factory()
    with ThreadPoolExecutor(max_workers=1) as pool:
        try:
            confirm_upload(s, token_a, actor=ADMIN)  # holds the import lock until it commits
            later = pool.submit(_confirm_in_own_session, factory, token_b)
            time.sleep(0.5)
            waited = not later.done()
            s.commit()
        finally:
            s.close()  # releases the lock whatever happened, so that the other thread can end
        assert waited, "the second confirm did not wait for the first"
        if overlap:
            with pytest.raises(ImportRefused, match="har ändrats sedan förhandsgranskningen"):
                later.result(timeout=60)
        else:
            assert later.result(timeout=60).counts["changed"] == 1
    with factory() as check:
        assert project(check, BOTNIA).budget_amount == 5_000_000
        assert project(check, "Via Uma").status == ("pågår" if overlap else "avslutad")
        batches = check.scalars(select(ImportBatch).where(ImportBatch.kind == "projekt")).all()
        assert len(batches) == (1 if overlap else 2)


# --- history ------------------------------------------------------------------------------------------------------


def test_import_is_recorded_with_every_changed_field(seeded):
    name = "projekt_format_semikolon_bom.csv"
    botnia_id = project(seeded, BOTNIA).id
    p, result = confirm(seeded, "projekt", name)
    batch = seeded.get(ImportBatch, result.batch_id)
    assert (batch.kind, batch.source, batch.username) == ("projekt", name, "admin")
    assert batch.sha256 == hashlib.sha256(read(name)).hexdigest()
    assert {k: batch.counts[k] for k in ("new", "changed", "unchanged", "removed")} == result.counts
    assert batch.at is not None and batch.undone_at is None

    records = seeded.scalars(select(ChangeRecord).where(ChangeRecord.import_batch_id == batch.id)).all()
    update = [r for r in records if (r.entity, r.entity_id, r.action) == ("project", botnia_id, "update")]
    assert len(update) == 1
    assert update[0].before == {"budget_amount": 4_650_000, "status": "planerad"}
    assert update[0].after == {"budget_amount": 5_000_000, "status": "pågår"}
    assert update[0].username == "admin" and name in update[0].source
    new_id = project(seeded, NEW).id
    (create,) = [r for r in records if (r.entity, r.entity_id, r.action) == ("project", new_id, "create")]
    assert create.before is None
    assert create.after["name"] == NEW and create.after["budget_amount"] == 1_600_000
    assert create.after["municipalities"] == ["Umeå", "Vännäs"]

    assert {(t["entity"], t["entity_id"]) for t in result.touched} == {("project", botnia_id), ("project", new_id)}
    assert name in result.message and "1 ny" in result.message
    listed = list_imports(seeded)[0]
    assert (listed["batch_id"], listed["filename"], listed["username"]) == (batch.id, name, "admin")
    assert listed["counts"] == result.counts and listed["undone_at"] is None
    assert latest_undoable(seeded, actor=ADMIN)["batch_id"] == batch.id


# --- the other kinds ----------------------------------------------------------------------------------------------


def test_finansiering_new_funder_aliases_and_update(seeded):
    stad = project(seeded, "Stad och Land")
    p, _ = confirm(seeded, "finansiering", "finansiering_ny.csv")
    assert p.counts == {"new": 1, "changed": 1, "unchanged": 1, "removed": 0}
    lines = {f.funder: (f.kind, f.amount, f.period) for f in stad.funding_lines}
    assert lines["Energimyndigheten"] == ("stat", 2_400_000, "år")
    assert lines["Västerbottens läns landsting"] == ("region/landsting", 350_000, "totalt")
    assert len(lines) == 5


def test_finansiering_project_name_in_another_case_is_the_same_project(seeded):
    """The key matches the project whatever the case; the name is no change and the line can be saved."""
    line_id = seeded.scalars(select(FundingLine.id).where(FundingLine.funder == "Västerbottens läns landsting")).one()
    p = preview(seeded, "finansiering", "finansiering_annan_stavning.csv")
    assert problems(p) == []
    (changed,) = p.changed
    assert changed.entity_id == line_id
    assert {c.field for c in changed.changes} == {"amount", "period"}
    _, result = import_file(seeded, "finansiering", read("finansiering_annan_stavning.csv"), "f.csv", actor=ADMIN)
    assert result is not None
    line = seeded.get(FundingLine, line_id)
    assert (line.project.name, line.amount, line.period) == ("Stad och Land", 350_000, "totalt")


def test_uppdrag_status_change_and_new_task_with_a_new_person(seeded):
    p, _ = confirm(seeded, "uppdrag", "uppdrag_ny_och_status.csv")
    assert p.counts["new"] == 1 and p.counts["changed"] == 1
    assert [(c.field, c.old, c.new) for c in p.changed[0].changes] == [("status", "pågår", "klar")]
    assert any("Eva Nyström" in n for n in p.notes)
    plan = seeded.scalars(select(Task).where(Task.text.like("Ta fram en gemensam avfallsplan%"))).one()
    assert plan.status == "klar"
    task = seeded.scalars(select(Task).where(Task.text == "Sammanställ kommunernas synpunkter på avfallstaxan.")).one()
    assert sorted(o.name for o in task.owners) == ["Eva Nyström", "Kansliet"]
    assert task.meeting.date == dt.date(2019, 5, 16) and task.agenda_item.number == 9
    assert task.agenda_item.meeting_id == task.meeting_id
    assert task.municipality.name == "Vännäs"
    assert (task.due_date, task.status) == (dt.date(2019, 12, 31), "öppen")
    eva = seeded.scalars(select(Party).where(Party.name == "Eva Nyström")).one()
    assert eva.kind == "person"


def test_uppdrag_agenda_item_and_meeting_agree_when_two_meetings_share_a_date(seeded):
    """2019-06-20 has an 'annat' meeting; add a kommunchefsmöte the same day with a point 1. A task from that
    point must belong to the meeting that has the point."""
    kc = Meeting(kind="kommunchefsmöte", date=dt.date(2019, 6, 20))
    seeded.add(kc)
    seeded.add(AgendaItem(meeting=kc, number=1, title="Mötet öppnas"))
    seeded.flush()
    content = "Möte;Punkt;Uppdrag;Ansvariga\r\n2019-06-20;1;Nytt uppdrag från junimötet.;Kansliet\r\n".encode()
    confirm(seeded, "uppdrag", "juni.csv", content=content)
    task = seeded.scalars(select(Task).where(Task.text == "Nytt uppdrag från junimötet.")).one()
    assert task.agenda_item.meeting_id == task.meeting_id == kc.id


@pytest.mark.parametrize("name", ["verksamhetsplan_ny.xlsx", "verksamhetsplan_ny.csv"])
def test_verksamhetsplan_new_activity_in_a_new_focus_area_and_status_change(seeded, name):
    p, _ = confirm(seeded, "verksamhetsplan", name)
    assert p.counts == {"new": 1, "changed": 1, "unchanged": 0, "removed": 0}
    assert any("Digitalisering" in n for n in p.notes)
    plan = seeded.scalars(select(Plan).where(Plan.year == 2005)).one()
    area = seeded.scalars(select(FocusArea).where(FocusArea.name == "Digitalisering")).one()
    assert area.plan_id == plan.id
    new = seeded.scalars(select(Activity).where(Activity.title == "Gemensam e-tjänsteplattform")).one()
    assert (new.focus_area_id, new.status, new.responsible) == (area.id, "pågår", "It-arbetsgruppen")
    changed = seeded.scalars(select(Activity).where(Activity.title == "Telefoniupphandling")).one()
    assert changed.status == "klar" and changed.focus_area.name == "Förnyelse av offentlig verksamhet"


def test_moten_new_meeting(seeded):
    confirm(seeded, "moten", "moten_nytt.csv")
    m = seeded.scalars(select(Meeting).where(Meeting.date == dt.date(2019, 9, 12))).one()
    assert (m.kind, m.start_time, m.end_time) == ("regionråd", dt.time(13, 0), dt.time(15, 30))
    assert (m.title, m.place) == ("Regionrådets sammanträde", "Vännäs kommunhus")


def test_fixture_folder_has_no_stray_files():
    """Every kind-level fixture is made by make_fixtures.py (the reading ones live in reading/)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    made = {
        **module.format_files(),
        **module.value_files(),
        **module.key_files(),
        **module.rights_files(),
        **module.other_kind_files(),
        **module.fault_files(),
    }
    on_disk = {p.name for p in FIXTURES.iterdir() if p.is_file() and p.suffix in (".csv", ".xlsx")}
    assert on_disk == set(made)
    for name, content in made.items():
        if name.endswith(".csv"):
            assert read(name) == content, f"{name} differs from what make_fixtures.py writes: run it again"
