"""Reading uploaded files as real Swedish files look: CSV in three encodings and three separators, Excel with an
instructions sheet, title rows, totals rows, date cells and formulas; and every kind of file that is not a table.

The files are in tests/fixtures/uploads/reading/ (built by ../make_reading_fixtures.py).
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from data.imports.reading import (
    EXCEL_ERRORS,
    FORMULA_WITHOUT_VALUE,
    MESSAGES,
    FileProblem,
    RawSheet,
    find_table,
    locate_table,
    read_sheets,
)
from data.imports.values import ValueProblem, clean_text, parse_amount, parse_date

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "uploads" / "reading"
MB = 1024 * 1024

FIELDS = {
    "projektnamn": "name",
    "projekt": "name",
    "namn": "name",
    "project name": "name",
    "kommun": "municipalities",
    "startdatum": "start",
    "slutdatum": "end",
    "budget": "budget",
    "belopp kr": "budget",
    "beskrivning": "description",
}
LABELS = {"name": "Projektnamn", "start": "Startdatum", "budget": "Budget"}


def match(header: str) -> str | None:
    return FIELDS.get(header)


def read(name: str, filename: str | None = None, **limits) -> list[RawSheet]:
    return read_sheets((FIXTURES / name).read_bytes(), filename or name, **limits)


def table_of(name: str, filename: str | None = None, **kwargs):
    return find_table(read(name, filename), match, required={"name"}, **kwargs)


def problem_of(call) -> str:
    with pytest.raises(FileProblem) as problem:
        call()
    return str(problem.value)


# ---------------------------------------------------------------- CSV

PROJECT_ROWS = [
    ("Cykelstråk Umeå–Vännäs", "Umeå, Vännäs", "2005-01-01", "2007-12-31", "4 650 000"),
    ("Bredband i Bjurholm", "Bjurholm", "jan 2019", "2021-06", "1,6 milj"),
    ("Företagslots", "Örnsköldsviks kommun", "22/8-2019", "2020", "6256 tkr"),
]
ORDER = ("name", "municipalities", "start", "end", "budget")


@pytest.mark.parametrize(
    ("fixture", "filename", "extra"),
    [
        ("semicolon_utf8_bom.csv", None, []),
        ("comma_utf8.csv", None, []),
        ("tab_cp1252.csv", None, [("Kulturväg – EU-stöd i €", "Vindeln", "2020-03-01", "2022-02-28", "850 000,50")]),
        (
            "tab_cp1252.csv",
            "projekt.txt",
            [("Kulturväg – EU-stöd i €", "Vindeln", "2020-03-01", "2022-02-28", "850 000,50")],
        ),
        ("tab_utf16.txt", None, []),  # Excel's "Unicode text": UTF-16 with BOM, tab separated
        ("semicolon_utf8_bom.csv", "projekt.xlsx", []),  # text named .xlsx is read as the CSV it is
    ],
)
def test_reads_csv_in_each_encoding_and_separator(fixture, filename, extra):
    table = table_of(fixture, filename)
    expected = [dict(zip(ORDER, row, strict=True)) for row in PROJECT_ROWS + extra]
    if fixture == "comma_utf8.csv":
        expected[1]["budget"] = "1600000"
    assert [cells for _, cells in table.rows] == expected
    assert [number for number, _ in table.rows] == list(range(2, 2 + len(expected)))
    assert table.sheet is None and table.header_row == 1
    assert table.columns == {"name": 0, "municipalities": 1, "start": 2, "end": 3, "budget": 4}
    assert table.column_labels["name"] == "Projektnamn"  # no BOM left on the first header
    assert table.unknown_columns == [] and table.skipped == []


def test_quoted_fields_keep_separators_and_line_breaks_and_rows_are_numbered_by_line():
    table = table_of("quoted_multiline.csv")
    assert [number for number, _ in table.rows] == [2, 3, 6]  # the record after a three-line field is on line 6
    names = [cells["name"] for _, cells in table.rows]
    assert names == ["Cykelstråk", "Bredband", "Företagslots"]
    descriptions = [clean_text(cells["description"]) for _, cells in table.rows]
    assert descriptions == ["Etapp 1; Umeå–Vännäs, 12 km", 'Första raden\nandra raden\ntredje "citat"', "Kort"]
    assert [parse_amount(cells["budget"]) for _, cells in table.rows] == [4_650_000, 1_600_000, 6_256_000]


def test_title_and_blank_rows_above_the_header_are_ignored():
    table = table_of("title_rows.csv")
    assert table.header_row == 5
    assert [number for number, _ in table.rows] == [6, 7, 8]
    assert table.rows[0][1]["name"] == "Cykelstråk Umeå–Vännäs"


def test_totals_rows_are_recognised_and_not_imported():
    table = table_of("totals.csv")
    assert [number for number, _ in table.rows] == [2, 3, 5]  # the row after "Summa" is still read
    assert table.skipped == [
        (4, "Summaraden ”Summa” lästes inte in."),
        (6, "Summaraden ”Totalt” lästes inte in."),
    ]


# ---------------------------------------------------------------- Excel


def test_reads_the_data_sheet_beside_an_instructions_sheet():
    sheets = read("instructions_first.xlsx")
    assert [s.name for s in sheets] == ["Instruktioner", "Projekt", "Listor"]  # hidden sheets too
    for prefer in [("projekt", "projects"), ()]:
        table = find_table(sheets, match, required={"name", "start"}, prefer=prefer)
        assert table.sheet == "Projekt" and table.header_row == 3
        assert [number for number, _ in table.rows] == [4, 5, 6]
        assert table.rows[1][1]["budget"] == "1,6 milj"
        assert table.skipped == [(7, "Summaraden ”Summa” lästes inte in.")]


def test_prefer_picks_the_named_sheet_before_an_earlier_one():
    header = [["Projektnamn", "Startdatum"]]
    first = RawSheet("Gamla projekt", [*header, ["A", "2001"]])
    second = RawSheet("PROJEKT ", [*header, ["B", "2002"]])
    assert find_table([first, second], match, required={"name"}, prefer=("projekt",)).sheet == "PROJEKT "
    assert find_table([first, second], match, required={"name"}).sheet == "Gamla projekt"


@pytest.mark.parametrize("fixture", ["cells.xlsx", "xlsx_named.csv"])  # an .xlsx named .csv is read as Excel
def test_excel_cells_keep_their_types_and_formulas_give_their_saved_value(fixture):
    [sheet] = read(fixture)
    assert sheet.name == "Projekt"
    header, first, second = sheet.rows
    assert header == ["Projektnamn", "Startdatum", "Budget", "Dubbelt", "Utan värde", "Text", "Fel", "Tom", "Felformel"]
    assert first[:4] == ["Cykelstråk", dt.datetime(2005, 1, 1), 4_650_000, 9_300_000]
    assert first[4] is FORMULA_WITHOUT_VALUE
    assert first[5] == "=SUMMA(1;2)"  # text that looks like a formula stays text
    assert first[6] is EXCEL_ERRORS["#DIV/0!"]
    assert first[7] is None  # a formula whose saved result is empty text
    assert first[8] is EXCEL_ERRORS["#N/A"]
    assert second == ["Bredband", dt.datetime(2019, 8, 22), 850_000.5]
    assert parse_date(first[1]) == dt.date(2005, 1, 1) and parse_amount(second[2]) == 850_001


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (
            FORMULA_WITHOUT_VALUE,
            "Cellen innehåller en formel utan sparat värde. Öppna filen i Excel och spara den igen, "
            "eller skriv in värdet.",
        ),
        (
            EXCEL_ERRORS["#DIV/0!"],
            "Cellen innehåller felvärdet #DIV/0! från Excel. Rätta formeln eller skriv in värdet.",
        ),
    ],
)
def test_unreadable_cells_explain_themselves(cell, message):
    with pytest.raises(ValueProblem) as problem:
        parse_amount(cell)
    assert str(problem.value) == message
    assert str(FORMULA_WITHOUT_VALUE) == "(formel)"  # what a preview shows as the cell's value
    assert str(EXCEL_ERRORS["#N/A"]) == "#N/A"


def test_reads_excel_as_excel_writes_it():
    """Shared strings with rich text and phonetic runs, a namespace prefix, a dimension smaller than the data, a
    row gap, a row and cells without their r attribute, booleans and numbers in E notation."""
    [sheet] = read("excel_saved.xlsx")
    assert sheet.rows == [
        ["Projektnamn", "Budget", "Kommun"],
        ["Cykelstråk & gång", 4_650_000],  # D2 holds only spaces: empty
        [],
        ["Bredband", 1_500_000.0, True],
        [7, "text från formel"],
    ]


def test_a_workbook_without_dimensions_and_with_many_rows_is_read_whole():
    workbook = openpyxl.Workbook(write_only=True)  # write-only mode writes no <dimension>
    sheet = workbook.create_sheet("Projekt")
    sheet.append(["Projektnamn", "Budget"])
    for n in range(1, 301):
        sheet.append([f"Projekt {n}", n * 1000, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    [raw] = read_sheets(buffer.getvalue(), "projekt.xlsx")
    assert len(raw.rows) == 301 and raw.rows[-1] == ["Projekt 300", 300_000]


# ---------------------------------------------------------------- files that are not tables


@pytest.mark.parametrize(
    ("fixture", "filename", "message"),
    [
        ("empty.csv", None, "Filen är tom."),
        ("bom_only.csv", None, "Filen är tom."),
        ("empty.csv", "projekt.xlsx", "Filen är tom."),
        ("pdf_named.csv", None, "Filen är en PDF, inte en Excel- eller CSV-fil. Spara den som .xlsx eller .csv."),
        (
            "pdf_named.csv",
            "projekt.xlsx",
            "Filen är en PDF, inte en Excel- eller CSV-fil. Spara den som .xlsx eller .csv.",
        ),
        (
            "pdf_named.csv",
            "projekt.pdf",
            "Filen är en PDF, inte en Excel- eller CSV-fil. Spara den som .xlsx eller .csv.",
        ),
        (
            "zip_named.csv",
            None,
            "Filen är ett zip-arkiv, inte en Excel- eller CSV-fil. Packa upp den eller spara den som .xlsx eller .csv.",
        ),
        ("zip_named.csv", "projekt.xlsx", "Excel-filen går inte att öppna. Den kan vara skadad."),
        (
            "old_excel.xls",
            None,
            "Filen är i det gamla Excel-formatet (.xls). Spara den som .xlsx i Excel och försök igen.",
        ),
        (
            "old_excel.xls",
            "projekt.csv",
            "Filen är i det gamla Excel-formatet (.xls). Spara den som .xlsx i Excel och försök igen.",
        ),
        ("encrypted.xlsx", None, "Excel-filen är lösenordsskyddad. Ta bort lösenordet i Excel och försök igen."),
        ("truncated.xlsx", None, "Excel-filen går inte att öppna. Den kan vara skadad."),
        (
            "random.csv",
            None,
            "Filen går inte att läsa som text eller Excel. Ladda upp en .xlsx- eller .csv-fil.",
        ),
        (
            "webpage.xls",
            None,
            "Filen är en webbsida (HTML), inte en Excel- eller CSV-fil. Öppna den i Excel och spara den som .xlsx.",
        ),
        (
            "calc.ods",
            "projekt.csv",
            "Filen är ett OpenDocument-kalkylblad (.ods). Spara den som .xlsx eller .csv och försök igen.",
        ),
    ],
)
def test_files_that_are_not_tables_get_a_clear_message(fixture, filename, message):
    assert problem_of(lambda: read(fixture, filename)) == message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"   \r\n\t ", "Filen är tom."),
        (codecs.BOM_UTF16_LE + "  \r\n".encode("utf-16-le"), "Filen är tom."),
        (b";;;\r\n;;;\r\n", "Filen är tom."),
        (b"\x00\x01\x02\x03" * 100, MESSAGES["binary"]),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, MESSAGES["binary"]),
        (b"abc\x81def\x8d", MESSAGES["binary"]),  # bytes that are neither UTF-8 nor Windows-1252
        (b"Namn;Budget\r\n" + b"\x01\x02\x03\x04\x05" * 20, MESSAGES["binary"]),
        (b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">', MESSAGES["xml2003"]),
    ],
)
def test_other_contents_get_a_clear_message(content, message):
    assert problem_of(lambda: read_sheets(content, "projekt.csv")) == message


def test_xlsb_and_zip_without_workbook_are_named():
    def zipped(*names: str) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name in names:
                archive.writestr(name, "x")
        return buffer.getvalue()

    assert problem_of(lambda: read_sheets(zipped("xl/workbook.bin"), "a.xlsb")) == MESSAGES["xlsb"]
    assert problem_of(lambda: read_sheets(zipped("word/document.xml"), "a.docx")) == MESSAGES["zip"]


def test_size_limit():
    content = b"Projektnamn;Budget\r\n" + (b"x" * 95 + b";1\r\n") * 13_000  # 1.24 MB, shown rounded up
    assert problem_of(lambda: read_sheets(content, "projekt.csv", max_bytes=MB)) == (
        "Filen är för stor (1,3 MB). Största tillåtna storlek är 1 MB."
    )
    assert problem_of(lambda: read_sheets(b"x" * (10 * MB + 1), "projekt.csv")) == (
        "Filen är för stor (10,1 MB). Största tillåtna storlek är 10 MB."
    )
    assert read_sheets(content, "projekt.csv", max_bytes=2 * MB)[0].rows[-1] == ["x" * 95, "1"]


def test_row_limit():
    csv_content = ("Projektnamn;Budget\r\n" + "x;1\r\n" * 6).encode()
    assert len(read_sheets(csv_content, "a.csv", max_rows=6)[0].rows) == 7
    assert problem_of(lambda: read_sheets(csv_content, "a.csv", max_rows=5)) == (
        "Filen har fler än 5 rader. Dela upp den i filer med högst 5 rader."
    )
    assert problem_of(lambda: read("instructions_first.xlsx", max_rows=2)) == (
        "Filen har fler än 2 rader på bladet ”Projekt”. Dela upp den i filer med högst 2 rader."
    )


def test_a_runaway_quote_is_reported_with_its_line():
    content = ('Projektnamn;Budget\r\nA;1\r\n"B' + "x" * 200_000 + ";2\r\n").encode()
    assert problem_of(lambda: read_sheets(content, "a.csv")) == (
        'CSV-filen går inte att läsa från rad 3. Kontrollera att citattecknen (") står parvis.'
    )


# ---------------------------------------------------------------- separators and encodings in detail


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ("Namn;Belopp\r\nA;1,6\r\nB;2,5\r\n", [["Namn", "Belopp"], ["A", "1,6"], ["B", "2,5"]]),
        ("Namn,Belopp\nA,1\nB,2\n", [["Namn", "Belopp"], ["A", "1"], ["B", "2"]]),
        ("Namn\tBelopp\nA\t1 000,50\n", [["Namn", "Belopp"], ["A", "1 000,50"]]),
        ('Namn,Kommuner\nA,"Umeå, Vännäs"\n', [["Namn", "Kommuner"], ["A", "Umeå, Vännäs"]]),
        (
            "Titel, med komma\n\nNamn;Belopp\nA;1\nB;2\n",
            [["Titel, med komma"], [], ["Namn", "Belopp"], ["A", "1"], ["B", "2"]],
        ),
        ("Namn\nUmeå, Vännäs\nBjurholm\n", [["Namn"], ["Umeå, Vännäs"], ["Bjurholm"]]),  # one column: no splitting
        ("Namn;Belopp;;\nA;1;;\n\n\n", [["Namn", "Belopp"], ["A", "1"]]),  # trailing empty cells and rows trimmed
        ("Namn;Belopp\nA;   \n", [["Namn", "Belopp"], ["A"]]),
    ],
)
def test_separator_detection(text, rows):
    [sheet] = read_sheets(text.encode(), "a.csv")
    assert sheet.rows == rows


@pytest.mark.parametrize(
    "content",
    [
        "Namn;Ort\r\nÅsa;Umeå\r\n".encode(),
        codecs.BOM_UTF8 + "Namn;Ort\r\nÅsa;Umeå\r\n".encode(),
        "Namn;Ort\r\nÅsa;Umeå\r\n".encode("cp1252"),
        codecs.BOM_UTF16_LE + "Namn;Ort\r\nÅsa;Umeå\r\n".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + "Namn;Ort\r\nÅsa;Umeå\r\n".encode("utf-16-be"),
        "Namn;Ort\r\nÅsa;Umeå\r\n".encode("utf-16-le"),  # without BOM
    ],
)
def test_encodings(content):
    assert read_sheets(content, "a.csv")[0].rows == [["Namn", "Ort"], ["Åsa", "Umeå"]]


# ---------------------------------------------------------------- finding the table


def sheet(*rows, name=None) -> RawSheet:
    return RawSheet(name, [list(r) for r in rows])


def test_match_header_gets_normalised_text():
    seen = []

    def spy(text):
        seen.append(text)
        return match(text)

    locate_table(sheet(["  PROJEKT-NAMN ", "Start_datum", "Belopp (kr)"]), spy, required=set())
    assert seen == ["projekt namn", "start datum", "belopp kr"]


def test_header_needs_every_required_field_and_two_in_all():
    assert locate_table(sheet(["Projektnamn"], ["A"]), match, required={"name"}) is None
    assert locate_table(sheet(["Projektnamn", "Budget"], ["A", 1]), match, required={"name", "start"}) is None
    table = locate_table(sheet(["Projektnamn", "Budget", "Övrigt", None, "Ansvarig"]), match, required={"name"})
    assert table.columns == {"name": 0, "budget": 1}
    assert table.unknown_columns == ["Övrigt", "Ansvarig"]


def test_header_is_searched_only_in_the_first_rows():
    rows = [["Titel"]] * 30 + [["Projektnamn", "Budget"], ["A", 1]]
    assert locate_table(RawSheet(None, rows), match, required={"name"}) is None
    table = locate_table(RawSheet(None, rows), match, required={"name"}, scan_rows=31)
    assert table.header_row == 31 and table.rows == [(32, {"name": "A", "budget": 1})]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            ["Projektnamn", "Budget", "Namn"],
            "Kolumnerna ”Projektnamn” och ”Namn” betyder samma sak (Projektnamn). Ta bort den ena.",
        ),
        (
            ["Projektnamn", "Budget", "budget"],
            "Kolumnerna ”Budget” och ”budget” betyder samma sak (Budget). Ta bort den ena.",
        ),
        (["Projektnamn", "Budget", "Budget"], "Kolumnen ”Budget” finns två gånger. Ta bort den ena."),
    ],
)
def test_two_columns_meaning_the_same_are_refused(header, message):
    assert problem_of(lambda: locate_table(sheet(header), match, required={"name"}, labels=LABELS)) == message
    assert problem_of(lambda: find_table([sheet(header)], match, required={"name"}, required_labels=LABELS)) == message


def test_rows_below_the_header():
    table = locate_table(
        sheet(
            ["Projektnamn", "Budget", "Anteckning"],
            ["A", "1"],
            [None, None, None],
            [],
            ["  ", None],
            [None, None, "bara en anteckning"],
            ["B", None, "x"],
            ["Projektnamn", "Budget"],
            [None, "5"],
        ),
        match,
        required={"name"},
    )
    assert table.rows == [
        (2, {"name": "A", "budget": "1"}),
        (7, {"name": "B", "budget": None}),
        (9, {"name": None, "budget": "5"}),
    ]
    assert table.skipped == [
        (6, "Raden har bara värden i kolumner som inte läses in."),
        (8, "Rubrikraden upprepas här och lästes inte in."),
    ]


@pytest.mark.parametrize(
    ("first", "is_total"),
    [
        ("Summa", True),
        ("SUMMA:", True),
        ("  summa ", True),
        ("Summa totalt", True),
        ("Totalsumma", True),
        ("Totalt", True),
        ("Total", True),
        ("Sum", True),
        ("Summa 2024", True),
        ("Totalt för regionen", True),
        ("Summering av läget", False),
        ("Totalförsvar i Umeå", False),
        ("Projekt summa", False),
    ],
)
def test_totals_rows(first, is_total):
    table = locate_table(sheet(["Projektnamn", "Budget"], [first, "100"], ["B", "2"]), match, required={"name"})
    if is_total:
        assert table.skipped == [(2, f"Summaraden ”{' '.join(first.split())}” lästes inte in.")]
        assert [n for n, _ in table.rows] == [3]
    else:
        assert table.skipped == [] and [n for n, _ in table.rows] == [2, 3]


def test_a_totals_label_in_an_unread_first_column_counts_too():
    table = locate_table(
        sheet(["Nr", "Projektnamn", "Budget"], ["1", "A", "5"], ["Summa", None, "5"]), match, required={"name"}
    )
    assert table.skipped == [(3, "Summaraden ”Summa” lästes inte in.")]


def test_csv_row_numbers_are_used_for_header_and_rows():
    raw = RawSheet(None, [["Titel"], ["Projektnamn", "Budget"], ["A", "1"]], row_numbers=[1, 4, 7])
    table = locate_table(raw, match, required={"name"})
    assert table.header_row == 4 and table.rows == [(7, {"name": "A", "budget": "1"})]


def test_no_header_row_names_the_columns_it_looked_for():
    sheets = [sheet(["Något helt annat"], ["x"], name="Blad1")]
    assert (
        problem_of(
            lambda: find_table(
                sheets,
                match,
                required={"start", "name"},
                required_labels={"name": "Projektnamn", "start": "Startdatum"},
            )
        )
        == "Hittade ingen rubrikrad med kolumnerna Projektnamn, Startdatum. Använd mallen eller kontrollera rubrikerna."
    )
    assert problem_of(lambda: find_table(sheets, match, required={"name"})) == (
        "Hittade ingen rubrikrad med kolumnen name. Använd mallen eller kontrollera rubrikerna."
    )


def test_a_header_row_missing_a_required_column_says_which():
    sheets = [
        sheet(["Instruktioner"], name="Instruktioner"),
        sheet(["Titel"], ["Projektnamn", "Budget", "Kommun"], ["A", "1", "Umeå"], name="Projekt"),
    ]
    labels = {"name": "Projektnamn", "start": "Startdatum", "end": "Slutdatum"}
    assert problem_of(lambda: find_table(sheets, match, required={"name", "start"}, required_labels=labels)) == (
        "Rubrikraden (rad 2 på bladet ”Projekt”) saknar kolumnen Startdatum. "
        "Använd mallen eller kontrollera rubrikerna."
    )
    assert problem_of(lambda: find_table(sheets, match, required={"name", "start", "end"}, required_labels=labels)) == (
        "Rubrikraden (rad 2 på bladet ”Projekt”) saknar kolumnerna Startdatum och Slutdatum. "
        "Använd mallen eller kontrollera rubrikerna."
    )
