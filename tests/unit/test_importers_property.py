"""Property-based tests: generated CSV files, Excel workbooks, garbage bytes and documents fed to the importers'
public entry points. Whatever the file holds, the importer answers in Swedish (problems in the preview, a
DocumentProblem, a DocumentRefused) and never with any other exception; a dry run writes nothing.

Example counts come from the hypothesis profile (tests/conftest.py): 2 000 per test in CI, 200 locally (a tenth of
that for the two that write or count rows). The strategies are in hostile_inputs.py; the crashes they found are
pinned below as plain examples.
"""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bench.docfiles import make_docx, make_pdf
from data.documents.extract import DocumentProblem, extract_document
from data.documents.save import DocumentRefused, preview_document, save_document
from data.imports import KINDS, ImportRefused, Preview, import_file
from data.imports.kinds import KindInfo
from data.imports.values import ValueProblem
from data.models import Base
from tests.unit import hostile_inputs as hi

# When a property fails, hypothesis imports libcst (if installed) to suggest an explicit example; libcst 1.0 warns on
# import, which under filterwarnings=error would hide the failure behind an INTERNALERROR.
pytestmark = pytest.mark.filterwarnings("ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning")
SHARED_SESSION = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
FEWER = max(20, settings().max_examples // 10)  # for the database-heavy ones: row counts per example, saving


def _check_preview(preview: Preview) -> None:
    """A preview is plain data: every problem a Swedish sentence, and the whole of it JSON as the CLI prints it."""
    for problem in [*preview.problems, *preview.refused]:
        assert isinstance(problem.message, str) and problem.message.strip(), problem
        assert str(problem)
    for note in preview.notes:
        assert isinstance(note, str) and note
    json.dumps(preview.to_dict(), ensure_ascii=False, allow_nan=False)


def _preview(session, kind: str, content: bytes, filename: str, actor, remove_missing: bool) -> Preview | None:
    """import_file as a dry run: returns the preview, or None when the importer refused (ImportRefused)."""
    try:
        preview, result = import_file(
            session, kind, content, filename, actor=actor, remove_missing=remove_missing, dry_run=True
        )
    except ImportRefused as exc:
        assert str(exc)
        return None
    except BaseException:
        session.rollback()  # keep the shared session usable while hypothesis shrinks the example
        raise
    assert result is None
    assert not session.new and not session.dirty and not session.deleted, "a dry run changed the session"
    _check_preview(preview)
    return preview


def _row_counts(session) -> dict[str, int]:
    return {t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


KIND_NAMES = list(KINDS)
actors = st.sampled_from(hi.ACTORS)


# --- uploads ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KIND_NAMES)
@SHARED_SESSION
@given(data=st.data(), actor=actors, remove_missing=st.booleans())
def test_csv_upload_never_raises(seeded, kind, data, actor, remove_missing):
    content, filename = data.draw(hi.csv_uploads(kind), label="file")
    _preview(seeded, kind, content, filename, actor, remove_missing)


@SHARED_SESSION
@given(kind=st.sampled_from(KIND_NAMES), data=st.data(), actor=actors, remove_missing=st.booleans())
def test_xlsx_upload_never_raises(seeded, kind, data, actor, remove_missing):
    content, filename = data.draw(hi.xlsx_uploads(kind), label="file")
    _preview(seeded, kind, content, filename, actor, remove_missing)


@SHARED_SESSION
@given(
    kind=st.sampled_from(KIND_NAMES),
    content=hi.garbage_xlsx,
    filename=st.sampled_from(["projekt.xlsx", "x.xlsm", "x.csv", "x"]),
)
def test_garbage_claiming_to_be_xlsx_gets_a_message(seeded, kind, content, filename):
    preview = _preview(seeded, kind, content, filename, hi.ACTORS[0], False)
    assert preview is not None and (preview.problems or preview.rows)


@settings(SHARED_SESSION, max_examples=FEWER)
@given(kind=st.sampled_from(KIND_NAMES), data=st.data(), actor=actors, remove_missing=st.booleans())
def test_dry_run_writes_nothing(seeded, kind, data, actor, remove_missing):
    upload = hi.xlsx_uploads(kind) if data.draw(st.booleans(), label="excel") else hi.csv_uploads(kind)
    content, filename = data.draw(upload, label="file")
    before = _row_counts(seeded)
    _preview(seeded, kind, content, filename, actor, remove_missing)
    assert _row_counts(seeded) == before


@given(data=st.data())
def test_every_column_parser_answers_with_a_value_or_a_value_problem(data):
    """Field.parse (each column of each kind) with any cell value: a value, or ValueProblem with a message."""
    info: KindInfo = data.draw(st.sampled_from(list(KINDS.values())), label="kind")
    spec = data.draw(st.sampled_from(info.sheets), label="sheet")
    field = data.draw(st.sampled_from(spec.fields), label="field")
    value = data.draw(st.one_of(hi.excel_value(field), hi.cell_text(field)), label="cell")
    try:
        field.parse(value)
    except ValueProblem as exc:
        assert str(exc).strip()


# --- documents --------------------------------------------------------------------------------------------------


def _extract(content: bytes, filename: str) -> None:
    try:
        found = extract_document(content, filename)
    except DocumentProblem as exc:
        assert str(exc).strip()
        return
    assert found["kind"] in ("minutes", "plan")
    json.dumps(found, ensure_ascii=False, allow_nan=False)


@given(hi.text_documents())
def test_document_text_is_extracted_or_refused_in_swedish(doc):
    _extract(*doc)


@given(hi.office_documents())
def test_docx_and_pdf_are_extracted_or_refused_in_swedish(doc):
    _extract(*doc)


@settings(SHARED_SESSION, max_examples=FEWER)
@given(hi.structured_documents())
def test_an_extracted_document_is_saved_or_refused_in_swedish(seeded, doc):
    """What the extraction found, saved as the person confirms it unchanged: saved, or DocumentRefused (never a
    database error); rolled back after each example."""
    content, filename = doc
    try:
        shown = preview_document(seeded, content, filename, actor=hi.ACTORS[0])
        if shown["token"]:
            save_document(seeded, shown["token"], shown["found"], actor=hi.ACTORS[0])
            seeded.flush()
    except ImportRefused as exc:  # DocumentRefused is one
        assert str(exc).strip()
    finally:
        seeded.rollback()


# --- the crashes the properties found, as plain examples --------------------------------------------------------


def _problems(session, kind: str, text: str) -> list[str]:
    preview, _ = import_file(session, kind, text.encode("utf-8"), "fil.csv", actor=hi.ACTORS[0], dry_run=True)
    return [str(p) for p in preview.problems]


def test_a_year_of_4301_digits_is_a_problem_not_a_crash(seeded):
    """int() refuses strings of more than 4 300 digits (ValueError, not ValueProblem): the year column crashed."""
    problems = _problems(seeded, "verksamhetsplan", f"År;Insatsområde;Aktivitet\n{'9' * 4301};Infrastruktur;Ny\n")
    assert problems == [
        f"Rad 2, kolumn År: ”{'9' * 197}…” – ”{'9' * 59}…” är för stort. Skriv ett heltal med högst 15 siffror."
    ]


@pytest.mark.parametrize(
    "amount", ["99999999999999999999999999999", "1" * 5000, "9" * 40 + " mkr", "0," + "0" * 30 + "1" + "9" * 40]
)
def test_an_amount_of_29_digits_or_more_is_a_problem_not_a_crash(seeded, amount):
    """Decimal rounds to 28 digits: rounding a longer amount to whole kronor raised decimal.InvalidOperation."""
    text = f"Projekt;Finansiär;Typ;Belopp (kr)\nBotniabanan som tillväxtfaktor;EG:s strukturfond;EU;{amount}\n"
    problems = _problems(seeded, "finansiering", text)
    if amount.startswith("0,"):
        assert problems == []  # a tiny amount rounds to 0 kronor
    else:
        assert len(problems) == 1 and "är orimligt stort" in problems[0]


def test_an_excel_id_of_1e300_is_refused_as_too_large(seeded):
    """The same bound for number cells: 1e300 is no id (it was looked up as a 301-digit number)."""
    wb = openpyxl.Workbook()
    wb.active.append(["Id", "Typ", "Datum"])
    wb.active.append([1e300, "kommunchefsmöte", "2019-05-16"])
    out = io.BytesIO()
    wb.save(out)
    preview, _ = import_file(seeded, "moten", out.getvalue(), "moten.xlsx", actor=hi.ACTORS[0], dry_run=True)
    assert [p.column for p in preview.problems] == ["Id"]
    assert "är för stort" in preview.problems[0].message


def test_an_infinite_number_in_the_header_row_is_no_column_name(seeded):
    """<v>1e309</v> in a sheet (no Excel writes it, other programs may) reads as inf; in the header row it crashed
    the header search (clean_text raised ValueProblem outside any check)."""
    wb = openpyxl.Workbook()
    wb.active.append([1e308, "Typ", "Datum"])
    wb.active.append([None, "kommunchefsmöte", "2030-01-02"])
    out = io.BytesIO()
    wb.save(out)
    with zipfile.ZipFile(out) as z:
        files = {name: z.read(name) for name in z.namelist()}
    files["xl/worksheets/sheet1.xml"] = files["xl/worksheets/sheet1.xml"].replace(b"1e+308", b"1e+309")
    content = io.BytesIO()
    with zipfile.ZipFile(content, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    preview, _ = import_file(seeded, "moten", content.getvalue(), "moten.xlsx", actor=hi.ACTORS[0], dry_run=True)
    assert not preview.problems and preview.counts["new"] == 1


def test_a_zip_with_a_damaged_mimetype_entry_gets_a_message(seeded):
    """The format check reads an archive's "mimetype" entry (to tell .ods from .xlsx); a damaged deflate stream there
    raised zlib.error."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet" * 20)
    content = bytearray(out.getvalue())
    start = 30 + len("mimetype")  # the first entry's data, after its local header
    content[start + 5 : start + 25] = b"\xff" * 20
    preview, _ = import_file(seeded, "projekt", bytes(content), "projekt.xlsx", actor=hi.ACTORS[0], dry_run=True)
    assert [p.message for p in preview.problems] == ["Excel-filen går inte att öppna. Den kan vara skadad."]


MINUTES_9999 = """Minnesanteckningar
Kommunchefsmöte 9999-12-31
Närvarande: Anna Lind, Bo Berg
1. Inledning
Anna får i uppdrag att skriva en rapport efter årsskiftet.
2. Övrigt
Bo får i uppdrag att ringa Kansliet snarast.
"""


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01"])
def test_minutes_dated_at_the_end_of_the_calendar_leave_the_due_unresolved(date):
    """A meeting on 9999-12-31 (a typing mistake) made 'efter årsskiftet' year 10 000: ValueError, OverflowError."""
    text = MINUTES_9999.replace("9999-12-31", date).replace("efter årsskiftet", "före januari")
    for content in (MINUTES_9999.replace("9999-12-31", date), text):
        found = extract_document(content.encode(), "minnesanteckningar.txt")
        tasks = [a for item in found["agenda_items"] for a in item["assignments"]]
        assert found["meeting"]["date"] == date and len(tasks) == 2
        for task in tasks:
            if task["due_date"] is None:
                assert "Tidpunkten kan inte räknas fram till ett datum." in task["uncertain"]


def _docx_patched(patch) -> bytes:
    """A Word file whose word/document.xml is changed by `patch(content, central directory entry, data start)`."""
    content = bytearray(make_docx(["Minnesanteckningar", "Kommunchefsmöte 2019-05-16", "1. Inledning"] * 20))
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as z:
        info = z.getinfo("word/document.xml")
    central = content.index(b"PK\x01\x02")
    while content[central + 46 : central + 46 + len(info.filename)] != info.filename.encode():
        central = content.index(b"PK\x01\x02", central + 4)
    patch(content, central, info.header_offset + 30 + len(info.filename) + len(info.extra))
    return bytes(content)


def _broken_deflate(content, central, start):
    content[start + 10 : start + 30] = b"\xff" * 20


def _unknown_compression(content, central, start):
    content[central + 10 : central + 12] = (99).to_bytes(2, "little")


@pytest.mark.parametrize(
    ("name", "patch"),
    [("compressed text damaged (zlib.error)", _broken_deflate), ("compression method 99", _unknown_compression)],
)
def test_a_damaged_word_file_gets_a_message(name, patch):
    with pytest.raises(DocumentProblem, match="Word-filen går inte att läsa. Den kan vara skadad."):
        extract_document(_docx_patched(patch), "minnesanteckningar.docx")


@pytest.mark.parametrize(
    ("name", "damage"),
    [
        ("trailer not a dictionary (AttributeError)", lambda pdf: pdf.replace(b"trailer\n<<", b"trailer.<<")),
        (
            "stream length refers to itself (LimitReachedError)",
            lambda pdf: pdf.replace(b"<< /Length", b"<< /Length 4 0 R /X", 1),
        ),
    ],
)
def test_a_damaged_pdf_gets_a_message(name, damage):
    pdf = damage(make_pdf([["Minnesanteckningar", "Kommunchefsmöte 2019-05-16", "1. Inledning"]]))
    with pytest.raises(DocumentProblem, match="PDF-filen går inte att läsa. Den kan vara skadad."):
        extract_document(pdf, "protokoll.pdf")


PLAN_TWICE = """VERKSAMHETSPLAN 2031

KULTUR OCH KOMPETENS

- Bokcirkel för chefer i kommunerna

KULTUR OCH KOMPETENS

- Sommarskola för unga i regionen
"""


def _save_text(session, text: str, *, change=None):
    shown = preview_document(session, text.encode(), "dokument.txt", actor=hi.ACTORS[0])
    found = shown["found"]
    if change:
        change(found)
    return save_document(session, shown["token"], found, actor=hi.ACTORS[0])


def test_a_plan_with_the_same_focus_area_twice_is_refused_not_an_integrity_error(seeded):
    """The heading twice (a table of contents, a repeated section) made two focus areas of one name in one plan:
    IntegrityError (UNIQUE plan_id, name) on both databases."""
    with pytest.raises(DocumentRefused, match="Insatsområdet ”Kultur och kompetens” står två gånger."):
        _save_text(seeded, PLAN_TWICE)


def test_a_participant_note_longer_than_its_column_is_refused(seeded):
    """The note column holds 200 characters but 300 were let through: DataError on PostgreSQL."""
    text = MINUTES_9999.replace("9999-12-31", "2030-01-02").replace("Anna Lind", f"Anna Lind ({'x' * 250})")
    with pytest.raises(DocumentRefused, match=r"Deltagare 1: notering: texten är för lång \(250 tecken, högst 200\)"):
        _save_text(seeded, text)


def test_a_plan_title_longer_than_its_column_is_refused(seeded):
    """The same for a corrected plan title (200 characters in the database, 300 let through)."""
    text = PLAN_TWICE.replace("KULTUR OCH KOMPETENS\n\n- Sommar", "NÄRINGSLIV\n\n- Sommar")

    def long_title(found):
        found["plan"]["title"] = "T" * 250

    with pytest.raises(DocumentRefused, match=r"Planens titel: texten är för lång \(250 tecken, högst 200\)"):
        _save_text(seeded, text, change=long_title)
