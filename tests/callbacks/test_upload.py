"""Ladda upp's callbacks called directly: the page for each role, the kind in the URL, the preview of a real .xlsx
made from the pre-filled template, saving, cancelling and undo, each deciding from the logged-in user on the server;
a läsare is refused at every step and the database is exactly as before."""

from __future__ import annotations

import base64
import io

import openpyxl
import pytest
from dash import no_update
from dash.exceptions import PreventUpdate
from sqlalchemy import func, select

from callbacks.router import render_page
from callbacks.upload import (
    NO_RIGHTS,
    cancel_upload,
    choose_kind,
    decode_upload,
    preview_file,
    save_upload,
    undo_import,
)
from dashboard.database import session_scope
from data.imports import build_template
from data.models import Base, ChangeRecord, ImportBatch, PendingUpload, Project
from layouts import upload as ui
from tests.callbacks.test_router import text_of
from tests.callbacks.tree import find_in

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOTNIA = "Botniabanan som tillväxtfaktor"
UMECO = "UME&Co"
NEW_PROJECT = "Cykelled längs Umeälven"
# Two projects changed (budget, status) and one added: the browser test makes the same edit.
CHANGES = {BOTNIA: {"Budget (kr)": 5_100_000}, UMECO: {"Status": "avslutad"}}
NEW_ROWS = [
    {
        "Projekt": NEW_PROJECT,
        "Insatsområde": "Infrastruktur",
        "Status": "planerad",
        "Budget (kr)": 250_000,
        "Budgetperiod": "totalt",
        "Kommuner": "Umeå, Vännäs",
    }
]


# --- helpers (the browser test uses them too) -------------------------------------------------------------------


def edit_projects_workbook(content: bytes, changes: dict[str, dict], new_rows: list[dict] = ()) -> bytes:
    """The projekt template `content` with cells changed by project name and header, and rows added at the end."""
    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb["Projekt"]
    col = {cell.value: cell.column for cell in ws[1] if cell.value}
    last = 1
    for row in ws.iter_rows(min_row=2):
        name = row[col["Projekt"] - 1].value
        if name is None:
            continue
        last = row[0].row
        for header, value in changes.get(name, {}).items():
            ws.cell(last, col[header], value)
    for offset, values in enumerate(new_rows, start=1):
        for header, value in values.items():
            ws.cell(last + offset, col[header], value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template(app, kind: str = "projekt") -> bytes:
    with session_scope(app.server) as s:
        return build_template(s, kind)


def file_data(content: bytes, filename: str = "projekt.xlsx", mime: str = XLSX_MIME) -> dict:
    """What the browser puts in the FILE store once it has accepted the file's size."""
    return {"contents": f"data:{mime};base64," + base64.b64encode(content).decode(), "filename": filename}


def dump_database(app) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order: two dumps are equal only if nothing at all changed."""
    with session_scope(app.server) as s:
        return {
            table.name: [tuple(r) for r in s.execute(select(table).order_by(*table.primary_key.columns)).all()]
            for table in Base.metadata.sorted_tables
        }


def project(app, name: str) -> Project | None:
    with session_scope(app.server) as s:
        p = s.scalars(select(Project).where(Project.name == name)).one_or_none()
        if p is not None:
            s.expunge(p)
        return p


def count(app, model) -> int:
    with session_scope(app.server) as s:
        return s.scalar(select(func.count()).select_from(model))


def component_types(component) -> set[str]:
    return {n["type"] for n in find_in(component, lambda n: "type" in n and "namespace" in n)}


def ids_in(component) -> set[str]:
    return {n["id"] for n in find_in(component, lambda n: isinstance(n.get("id"), str))}


@pytest.fixture
def edited(app) -> dict:
    return file_data(edit_projects_workbook(template(app), CHANGES, NEW_ROWS))


# --- the page --------------------------------------------------------------------------------------------------


def test_a_reader_gets_the_explanation_and_no_upload_controls(as_user):
    as_user("läsare")
    page = render_page("/ladda-upp", "")[0]
    assert "Din roll (läsare) kan inte ladda upp data" in text_of(page)
    assert not ids_in(page) & {ui.UPLOAD, ui.KIND, ui.CONFIRM, ui.UNDO, ui.TEMPLATE_LINK}


def test_an_editor_gets_kinds_templates_upload_and_the_import_log(as_user):
    as_user("redigerare")
    page = render_page("/ladda-upp", "")[0]
    text = text_of(page)
    assert {ui.KIND, ui.UPLOAD, ui.REMOVE, ui.CONFIRM, ui.CANCEL, ui.UNDO, ui.HISTORY, ui.LIMIT} <= ids_in(page)
    for words in (
        "Vad vill du uppdatera?",
        "Projekt (med faser)",
        "Finansiering",
        "Verksamhetsplan",
        "Möten",
        "Ladda ner mall med nuvarande data (.xlsx)",
        "Tom mall (.xlsx)",
        "/ladda-upp/mall/projekt.xlsx",
        "/ladda-upp/mall/projekt.xlsx?tom=1",
        "Ta bort rader som saknas i filen",
        "högst 10\u00a0MB",
        "Det finns ingen import att ångra.",
        "Inga importer ännu.",
    ):
        assert words in text, words


def test_the_kind_comes_from_the_url_and_an_unknown_one_is_said(as_user):
    as_user("admin")
    text = text_of(render_page("/ladda-upp", "?typ=finansiering")[0])
    assert "/ladda-upp/mall/finansiering.xlsx" in text
    text = text_of(render_page("/ladda-upp", "?typ=hemligt")[0])
    assert "Okänd typ ”hemligt” i adressen" in text
    assert "/ladda-upp/mall/projekt.xlsx" in text


def test_choosing_a_kind_writes_the_url_only_when_it_changes(as_user):
    as_user("redigerare")
    assert choose_kind("projekt", "") is no_update  # the default stays out of the URL
    assert choose_kind("moten", "?typ=moten") is no_update  # a redraw must not write the URL again
    assert choose_kind("moten", "?kommun=Ume%C3%A5") == "?kommun=Ume%C3%A5&typ=moten"
    assert choose_kind("projekt", "?typ=moten") == ""


def test_decode_upload_reads_a_data_url_and_measures_before_decoding():
    content = b"Projekt;Budget\nA;1\n"
    url = "data:text/csv;base64," + base64.b64encode(content).decode()
    assert decode_upload(url, 1000) == (content, len(content))
    assert decode_upload(url, 5) == (None, len(content))
    assert decode_upload("data:", 5) == (b"", 0)  # an empty file, as the browser reads it
    for bad in ("", "hej", "data:text/csv,abc", "data:text/csv;base64,@@@@"):
        with pytest.raises(ValueError):
            decode_upload(bad, 1000)


# --- preview, save, undo -----------------------------------------------------------------------------------------


def test_an_editor_previews_exactly_the_edited_rows(app, as_user, edited):
    as_user("redigerare")
    before = dump_database(app)
    status, panel, token, disabled, actions = preview_file(edited, False, "projekt")
    said = text_of(status)
    assert said.startswith("Förhandsgranskningen är klar: 1 ny, 2 ändrade, ")
    assert "0 borttagna" in said
    text = text_of(panel)
    assert "Förhandsgranskning: projekt.xlsx" in text
    assert "Nya rader (1)" in text and "Ändrade rader (2)" in text
    assert NEW_PROJECT in text and "250\u00a0000\u00a0kr" in text and "Umeå, Vännäs" in text
    assert "4\u00a0650\u00a0000\u00a0kr" in text and "5\u00a0100\u00a0000\u00a0kr" in text
    assert "pågår" in text and "avslutad" in text
    assert "Rader som tas bort" not in text
    assert "Markdown" not in component_types(panel)  # what a file says is shown as text, never as markup
    assert isinstance(token, str) and token
    assert disabled is False and actions == ui.SHOWN
    # Only the staged file was written.
    after = dump_database(app)
    assert len(after["pending_upload"]) == 1
    assert {k: v for k, v in after.items() if k != "pending_upload"} == {
        k: v for k, v in before.items() if k != "pending_upload"
    }


def test_an_editor_saves_the_preview_and_can_undo_it(app, as_user, edited):
    as_user("redigerare")
    _, _, token, _, _ = preview_file(edited, False, "projekt")
    result = save_upload(1, token)
    message, panel, new_token, disabled, actions, file_, latest, undo_class, question, history = result
    text = text_of(message)
    assert "Importen av projekt.xlsx är sparad: 1 ny, 2 ändrade och 0 borttagna." in text
    botnia, umeco, new = project(app, BOTNIA), project(app, UMECO), project(app, NEW_PROJECT)
    assert f"/projekt/{botnia.id}" in text and f"/projekt/{umeco.id}" in text and f"/projekt/{new.id}" in text
    assert (panel, new_token, disabled, actions, file_) == (None, None, True, ui.HIDDEN, None)
    assert botnia.budget_amount == 5_100_000 and umeco.status == "avslutad" and new.budget_amount == 250_000
    assert "projekt.xlsx" in text_of(latest) and "test-redigerare" in text_of(latest)
    assert undo_class == ui.UNDO_SHOWN
    assert question.startswith("Ångra importen av fil projekt.xlsx?")
    assert "projekt.xlsx" in text_of(history) and "Sparad" in text_of(history)
    assert count(app, PendingUpload) == 0
    # The same token cannot be saved twice.
    again = save_upload(2, token)
    assert "Förhandsgranskningen finns inte längre" in text_of(again[0])

    closed, said, latest, undo_class, question, history = undo_import(1)
    assert closed is False
    assert said.role == "status" and "ångrad" in said.children.lower()
    botnia, umeco = project(app, BOTNIA), project(app, UMECO)
    assert botnia.budget_amount == 4_650_000 and umeco.status == "pågår"
    assert project(app, NEW_PROJECT) is None
    assert "Det finns ingen import att ångra." in text_of(latest) and undo_class == ui.HIDDEN
    assert "Ångrad" in text_of(history)


def test_a_reader_is_refused_at_preview_save_and_undo_and_nothing_changes(app, as_user, edited):
    as_user("redigerare")
    _, _, token, _, _ = preview_file(edited, False, "projekt")
    save_upload(1, token)  # an import for the reader to try to undo
    _, _, token, _, _ = preview_file(
        file_data(edit_projects_workbook(template(app), {BOTNIA: {"Status": "pausad"}})), False, "projekt"
    )
    assert token
    before = dump_database(app)
    as_user("läsare")
    status, panel, new_token, disabled, actions = preview_file(edited, False, "projekt")
    assert status.children == NO_RIGHTS and status.role == "alert"
    assert (panel, new_token, disabled, actions) == (None, None, True, ui.HIDDEN)
    saved = save_upload(1, token)
    assert saved[0].children == NO_RIGHTS and saved[3] is True
    undone = undo_import(1)
    assert undone[1].children == NO_RIGHTS and undone[0] is False
    assert dump_database(app) == before


def test_an_editor_tied_to_vannas_sees_which_rows_are_refused(app, as_user):
    as_user("redigerare", "Vännäs")
    content = edit_projects_workbook(template(app), {UMECO: {"Status": "avslutad"}})
    before = dump_database(app)
    status, panel, token, disabled, _ = preview_file(file_data(content), False, "projekt")
    text = text_of(panel)
    assert "Rader du inte får ändra (1)" in text
    assert "Du kan bara ändra projekt som berör Vännäs." in text and UMECO in text
    assert "kan inte sparas" in text_of(status) and status.role == "alert"
    assert token is None and disabled is True
    assert dump_database(app) == before


def test_a_file_with_errors_lists_them_by_row_and_column_and_cannot_be_saved(app, as_user):
    as_user("admin")
    content = edit_projects_workbook(template(app), {BOTNIA: {"Budget (kr)": "-5 000"}, UMECO: {"Slut": "1/1-1999"}})
    before = dump_database(app)
    status, panel, token, disabled, _ = preview_file(file_data(content, "fel.xlsx"), False, "projekt")
    text = text_of(panel)
    assert "Filen kan inte sparas förrän felen är rättade" in text
    assert "Fel i filen (2)" in text
    for header in ("Flik", "Rad", "Kolumn", "Värde", "Fel"):
        assert header in text
    assert "\n-5 000\n" in text and "Budget (kr)" in text and "\n2\n" in text  # Botniabanan is on row 2
    assert token is None and disabled is True
    assert "2 fel" in text_of(status)
    assert dump_database(app) == before


def test_an_unchanged_file_says_so_and_offers_nothing_to_save(app, as_user):
    as_user("redigerare")
    status, panel, token, disabled, _ = preview_file(file_data(template(app)), False, "projekt")
    assert "inga ändringar" in text_of(panel)
    assert text_of(status).startswith("Förhandsgranskningen är klar: 0 nya, 0 ändrade")
    assert token is None and disabled is True


def test_removing_missing_rows_is_previewed_only_when_chosen(app, as_user):
    as_user("admin")
    wb = openpyxl.load_workbook(io.BytesIO(template(app)))
    ws = wb["Projekt"]
    for row in range(ws.max_row, 1, -1):
        if ws.cell(row, 2).value == "Via Uma":
            ws.delete_rows(row)
    out = io.BytesIO()
    wb.save(out)
    data = file_data(out.getvalue())
    _, panel, token, _, _ = preview_file(data, False, "projekt")
    assert "Rader som tas bort" not in text_of(panel) and token is None
    _, panel, token, _, _ = preview_file(data, True, "projekt")
    assert "Rader som tas bort (1)" in text_of(panel) and "Via Uma" in text_of(panel) and token


def test_a_file_over_the_limit_is_refused_with_its_size_and_the_limit(app, as_user, edited):
    app.server.config["UPLOAD_MAX_BYTES"] = 2048
    as_user("redigerare")
    before = dump_database(app)
    status, panel, token, disabled, actions = preview_file(edited, False, "projekt")
    said = text_of(status)
    assert said.startswith("Filen ”projekt.xlsx” är ") and "Största tillåtna storlek är 2\u00a0kB." in said
    assert status.role == "alert"
    assert (panel, token, disabled, actions) == (None, None, True, ui.HIDDEN)
    assert dump_database(app) == before


def test_a_file_that_is_not_a_spreadsheet_gets_a_clear_message(app, as_user):
    as_user("redigerare")
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
    status, panel, token, _, _ = preview_file(file_data(pdf, "projekt.csv", "text/csv"), False, "projekt")
    assert "kan inte sparas" in text_of(status)
    assert "Fel i filen (1)" in text_of(panel) and token is None


@pytest.mark.parametrize("contents", ["data:", "data:text/csv;base64,"])
def test_an_empty_file_gets_a_clear_message(app, as_user, contents):
    as_user("redigerare")
    status, panel, token, _, _ = preview_file({"contents": contents, "filename": "tom.csv"}, False, "projekt")
    assert "Fel i filen (1)" in text_of(panel) and "tom" in text_of(panel).lower() and token is None


def test_an_unreadable_upload_and_an_unknown_kind_are_refused(app, as_user, edited):
    as_user("redigerare")
    status = preview_file({"contents": "data:x;base64,@@", "filename": "x.xlsx"}, False, "projekt")[0]
    assert "kunde inte läsas" in text_of(status)
    status = preview_file(edited, False, "hemligt")[0]
    assert "Okänd typ" in text_of(status)
    assert count(app, PendingUpload) == 0


def test_nothing_happens_without_a_file_or_a_click(as_user):
    as_user("redigerare")
    for call in (
        lambda: preview_file(None, False, "projekt"),
        lambda: preview_file({}, True, "projekt"),
        lambda: save_upload(None, "x"),
        lambda: cancel_upload(None),
        lambda: undo_import(0),
    ):
        with pytest.raises(PreventUpdate):
            call()


def test_cancel_clears_the_preview_saves_nothing_and_forgets_the_staged_file(app, as_user, edited):
    as_user("redigerare")
    _, _, staged, _, _ = preview_file(edited, False, "projekt")
    assert count(app, PendingUpload) == 1
    batches = count(app, ImportBatch)
    said, panel, token, disabled, actions, file_ = cancel_upload(1, staged)
    assert "Inget har sparats" in text_of(said)
    assert (panel, token, disabled, actions, file_) == (None, None, True, ui.HIDDEN, None)
    assert count(app, ImportBatch) == batches
    assert count(app, PendingUpload) == 0
    assert "Förhandsgranskningen finns inte längre" in text_of(save_upload(1, staged)[0])


def test_a_new_preview_replaces_the_staged_file_of_the_previous_one(app, as_user, edited):
    as_user("redigerare")
    _, _, first, _, _ = preview_file(edited, False, "projekt")
    _, _, second, _, _ = preview_file(edited, True, "projekt", first)
    assert second and second != first and count(app, PendingUpload) == 1
    assert "Förhandsgranskningen finns inte längre" in text_of(save_upload(1, first)[0])


def test_a_save_refused_because_the_data_changed_keeps_the_preview_but_disables_saving(app, as_user, edited):
    as_user("redigerare")
    _, _, token, _, _ = preview_file(edited, False, "projekt")
    with session_scope(app.server) as s:
        s.scalars(select(Project).where(Project.name == BOTNIA)).one().budget_amount = 4_700_000
    changes = count(app, ChangeRecord)
    result = save_upload(1, token)
    assert "har ändrats sedan förhandsgranskningen" in text_of(result[0]) and result[0].role == "alert"
    assert result[1] is no_update and result[3] is True
    assert count(app, ChangeRecord) == changes
    assert project(app, UMECO).status == "pågår"
