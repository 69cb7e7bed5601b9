"""Hypothesis strategies for hostile but plausible input to the importers: CSV and Excel files for every upload kind,
garbage that claims to be Excel, and minutes and plans as .txt, .md, .docx and .pdf.

Plausible means close enough to the real thing to get past the first checks (real column names, real project and
municipality names from the demo data, Swedish amounts and dates); hostile means everything people and programs put in
files: odd separators, encodings and quotes, control characters, formulas, numbers too large for anything, impossible
dates, very long cells, truncated and corrupted bytes.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import io
import re
import zipfile

import openpyxl
from hypothesis import strategies as st

from bench.docfiles import make_docx, make_pdf
from data.imports import KINDS, Actor


class Upload(bytes):
    """File content with a short repr, so that a failing example stays readable (an .xlsx is thousands of bytes)."""

    def __repr__(self) -> str:
        more = f" … ({len(self)} bytes)" if len(self) > 1500 else ""
        return f"Upload({bytes(self[:1500])!r}{more})"


ACTORS = [Actor("admin", "admin"), Actor("redaktor", "redigerare"), Actor("vannas", "redigerare", "Vännäs")]

# --- words from the demo data, so that rows reach the database checks (keys, references, rights) -----------------

PROJECTS = [
    "Botniabanan som tillväxtfaktor",
    "Bibliotek 2007",
    "UME&Co",
    "Via Uma",
    "LAPP; Local Action Plans in Progress",
]
FOCUS_AREAS = ["Infrastruktur", "Den hållbara Umeåregionen", "Internationalisering", "Omvärldsanalys"]
MUNICIPALITIES = [
    "Umeå",
    "Vännäs",
    "Vannas",
    "Umea kommun",
    "Örnsköldsvik",
    "Övik",
    "Bjurholms kommun",
    "alla",
    "Skellefteå",
]
PEOPLE = ["Magnus Haglund", "Magnus", "Kansliet", "KC-gruppen", "Vännäs kommun", "Maria Persson", "Sören"]
FUNDERS = ["EG:s strukturfond", "AC läns landsting", "Umeå universitet", "FöreningsSparbanken", "Kommunerna"]
PHASES = ["Etapp 1", "Etapp 2", "Fas 3"]
ACTIVITIES = ["Marknadsföring", "Regionförstoring", "Webbplats för rekrytering"]
TASKS = [
    "Ta fram en enklare PowerPoint-presentation om Umeåregionen som kommunerna kan använda i sina kommunstyrelser.",
    "Boka lokal",
]
WORDS = ["möte", "Umeåregionen", "projekt", "Näringsliv", "uppdrag", "och", "beslut", "ÅÄÖ", "åäö", "x"]

# --- cell text --------------------------------------------------------------------------------------------------

SWEDISH_NUMBERS = [
    "4 650 000", "4\u00a0650\u00a0000", "4\u202f650\u202f000", "850 000,50", "−1,5", "–2", "-0", "+7", "1e309",
    "-1e309", "1E5", "1,6 milj", "2,4 mkr", "6256 tkr", "6256 KKR", "1,600", "1.600 milj", "(5 000)", "kr -5 000",
    "12.6", "1.234.567,89", "1,234,567.89", "4 650.000", "0,0000001", "NaN", "inf", "-inf", "Infinity", "0x1F",
    "1_000", "١٢٣", "１２３", "½", "²", "9" * 30, "9" * 30 + " mkr", "1" * 5000, "0." + "0" * 5000 + "1",
    "99 999 999 999 999", "10 000 000 000 000,5", "5 000 kr/år", "5000:-", ",-", "kr", "mkr", "1,,2", "1..2", ".5",
    "5.", "- 5 000:-", "(−5)", "3 miljarder", "0,5 mdr", "1 2 3", "12 34", "1 000 000 000 000 000 000 000 000",
]  # fmt: skip
MONTHS = ["jan", "januari", "Feb", "mars", "maj", "may", "okt", "december", "sept.", "smörgås", "mar."]
DATES = [
    "2005-01-01", "1/1-2005", "2005-01", "jan 2005", "januari 2005", "31/2-2005", "2005-13-01", "0000-00-00",
    "9999-12-31", "0001-01-01", "20050101", "99999999", "2005-1-1 25:61", "1 maj 2019", "den 3:e mars 2020",
    "2019-05-16", "2019-08-22", "2019-06-20", "29 feb 2021", "29/2-2020", "2005.01.01", "01.01.2005", "1/1/05",
    "45000", "-1", "1899-12-30", "2200-12-31", "2201-01-01", "1900", "2005", "v.34", "vecka 53 2020",
    "under hösten", "Q3 2020", "2005-01-01T10:00:00", "2005/02/30", "0/0-0", "32/13-2005", "jan. 2005",
    "1:a jan 2005", "2005-W01", "٢٠٠٥-٠١-٠١",
]  # fmt: skip
TIMES = ["13.00", "9:30", "kl 13", "kl. 9.15", "25.61", "13:00:99", "24:00", "0.5", "12", "-1", "13.00-15.00", "1e9"]
FORMULAS = [
    "=SUM(A1:A3)", "=1/0", "+46 90 123", "-5", "@foo", "\t=1", "\r=1", "=cmd|' /C calc'!A0", "=HYPERLINK(\"x\")",
    "'=1", "==", "=", "+", "@",
]  # fmt: skip
CONTROL = ["\x00", "\x01", "\x1b[31m", "\x7f", "\x0b", "\x0c", "\u2028", "\u2029", "\x85", "\ufeff", "\u200b",
           "\u202e", "\u00ad", "a\u0308", "\ufffd", "\r", "\n", "\r\n", '"', '""', "'", ";", ",", "\t"]  # fmt: skip
TOTALS = ["Summa", "Totalt", "SUMMA:", "Total", "summa totalt", "Totalt 2005"]


def _swedish_grouped(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


numbers_text = st.one_of(
    st.sampled_from(SWEDISH_NUMBERS),
    st.builds(
        lambda n, sep, unit, sign: f"{sign}{_swedish_grouped(n, sep)}{unit}",
        st.integers(0, 10**20),
        st.sampled_from([" ", "\u00a0", ".", ",", "\u202f", ""]),
        st.sampled_from(["", " kr", " mkr", " tkr", ":-", " milj", " KKR", " kronor", " SEK", "kr"]),
        st.sampled_from(["", "-", "−", "–", "+", "kr "]),
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda x: repr(x).replace(".", ",")),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(1, 6000).map(lambda n: "9" * n),
)

_DATE_FORMATS = [
    "{y}-{m:02d}-{d:02d}", "{d}/{m}-{y}", "{y}-{m}", "{mon} {y}", "{d} {mon} {y}", "{y}{m:02d}{d:02d}", "{d}.{m}.{y}",
    "{y}/{m}/{d}", "{d}/{m}", "{m}-{y}", "{y}", "{d}e {mon} {y}", "{y}-{m:02d}-{d:02d} {d}:{m}",
]  # fmt: skip
dates_text = st.one_of(
    st.sampled_from(DATES),
    st.builds(
        lambda fmt, y, m, d, mon: fmt.format(y=y, m=m, d=d, mon=mon),
        st.sampled_from(_DATE_FORMATS),
        st.one_of(st.integers(0, 9999), st.sampled_from([1, 1899, 1900, 2005, 2019, 2200, 2201, 9999]), st.integers()),
        st.integers(-1, 14),
        st.integers(-1, 40),
        st.sampled_from(MONTHS),
    ),
)
times_text = st.one_of(
    st.sampled_from(TIMES),
    st.builds(lambda h, m, sep: f"{h}{sep}{m:02d}", st.integers(-1, 30), st.integers(0, 99), st.sampled_from(".:")),
)
any_text = st.text(st.characters(codec="utf-8"), max_size=30)
long_text = st.builds(
    lambda s, n: s * n, st.sampled_from(["x", "Å", "ab ", "1", "9 ", "\u00a0", "€"]), st.integers(100, 40000)
)


def _mix(parts: list[str]) -> str:
    return "".join(parts)


hostile_text = st.one_of(
    numbers_text,
    dates_text,
    times_text,
    st.sampled_from(FORMULAS + CONTROL + TOTALS),
    any_text,
    st.lists(st.sampled_from(WORDS + CONTROL + FORMULAS + MUNICIPALITIES), max_size=6).map(_mix),
    long_text,
    st.just(""),
    st.just("   "),
)


def _choices_for(field) -> list[str]:
    values = sorted(set(field.choices or {}) | set((field.choices or {}).values()))
    return values + [v.upper() for v in values[:3]] + ["okänd", "PÅGÅR ", "pagar"]


def plausible_text(field) -> st.SearchStrategy[str]:
    """Text a person might well write in this column (right or nearly right)."""
    kind = field.type
    if kind == "amount":
        return numbers_text
    if kind in ("date", "date_end"):
        return dates_text
    if kind == "time":
        return times_text
    if kind == "int":
        if field.name == "year":
            return st.sampled_from(["2005", "2019", "1989", "2101", "20 05", "2005,0", "2005.5", "-2005", "0"])
        return st.one_of(st.integers(-3, 60).map(str), st.sampled_from(["1 000", "3,0", "3,5", "+2", "−4", "1e3"]))
    if kind == "choice":
        return st.sampled_from(_choices_for(field))
    if kind == "list":
        names = MUNICIPALITIES if "municip" in field.name else PEOPLE
        return st.lists(st.sampled_from(names), max_size=4).flatmap(
            lambda xs: st.sampled_from([", ", "; ", " och ", "\n", " samt "]).map(lambda sep: sep.join(xs))
        )
    names = {
        "name": PROJECTS + PHASES,
        "project": PROJECTS,
        "focus_area": FOCUS_AREAS,
        "funder": FUNDERS,
        "title": ACTIVITIES,
        "text": TASKS,
        "municipality": MUNICIPALITIES,
    }.get(field.name, WORDS)
    return st.sampled_from(names)


def cell_text(field) -> st.SearchStrategy[str]:
    return st.one_of(plausible_text(field), plausible_text(field), hostile_text)


# --- Excel cell values of every type ----------------------------------------------------------------------------

excel_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.integers(-(2**63), 2**63),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e308, -1e308, 5e-324, 45000.0, 45000.5, 0.999999999, 2**53 + 1.0]),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    st.dates(),
    st.times(),
    st.timedeltas(min_value=dt.timedelta(days=-3000), max_value=dt.timedelta(days=3000)),
)


def plausible_value(field) -> st.SearchStrategy:
    """A cell value of the type Excel would hold for this column, or text."""
    kind = field.type
    if kind == "amount":
        return st.one_of(st.integers(-(10**16), 10**16), st.floats(allow_nan=True, allow_infinity=True))
    if kind in ("date", "date_end"):
        return st.one_of(st.dates(), st.datetimes(), st.integers(-100, 3_000_000), st.floats(-1e6, 1e7))
    if kind == "time":
        return st.one_of(st.times(), st.floats(-1, 2), st.datetimes())
    if kind == "int":
        return st.one_of(st.integers(-5, 3000), st.floats(-10, 3000), st.booleans())
    return st.nothing()


def excel_value(field) -> st.SearchStrategy:
    return st.one_of(plausible_value(field), plausible_text(field), excel_scalars, hostile_text)


# --- tables -----------------------------------------------------------------------------------------------------


def _spellings(field) -> list[str]:
    return [field.label, field.name, *field.aliases]


header_dress = st.sampled_from(
    [str, str.upper, str.lower, str.title, lambda s: f" {s} ", lambda s: s.replace(" ", "_"), lambda s: f"{s}*",
     lambda s: f"{s}:", lambda s: s.replace("å", "a").replace("ä", "a").replace("ö", "o"), lambda s: f"{s} (kr)"]
)  # fmt: skip


@st.composite
def table_rows(draw, kind: str, *, excel: bool) -> list[list]:
    """A table as a person might make it: title rows, a header row (real names mixed with junk, in any order and
    case), data rows with plausible or hostile cells, blank rows, a totals row, a repeated header."""
    spec = draw(st.sampled_from(KINDS[kind].sheets))
    fields = list(spec.fields)
    required = [f for f in fields if f.required]
    chosen = list(required) if draw(st.booleans()) or draw(st.booleans()) else []
    chosen += draw(st.lists(st.sampled_from(fields), max_size=len(fields), unique_by=lambda f: f.name))
    chosen = list({f.name: f for f in chosen}.values())
    if chosen and draw(st.integers(0, 9)) == 0:
        chosen.append(draw(st.sampled_from(chosen)))  # the same column twice
    columns: list = [*chosen, *[None] * draw(st.integers(0, 2))]  # None: a column nobody asked for
    columns = draw(st.permutations(columns)) if columns else columns
    header = []
    for f in columns:
        if f is None:
            header.append(draw(st.one_of(st.sampled_from(["Kommentar", "", "Övrigt", "x", "Id", "Budget"]), any_text)))
        else:
            header.append(draw(header_dress)(draw(st.sampled_from(_spellings(f)))))
    value_of = excel_value if excel else cell_text
    rows: list[list] = []
    for _ in range(draw(st.integers(0, 2))):
        rows.append([draw(st.sampled_from(["Projektlista 2019", "Umeåregionen", "", "Fyll i nedan:"]))])
    if draw(st.integers(0, 4)):
        rows.append(header)
    for _ in range(draw(st.integers(0, 4))):
        shape = draw(st.integers(0, 12))
        if shape == 0:
            rows.append([])
        elif shape == 1:
            rows.append([draw(st.sampled_from(TOTALS)), *[draw(numbers_text) for _ in columns[1:]]])
        elif shape == 2:
            rows.append(list(header))
        else:
            row = [draw(value_of(f)) if f is not None else draw(hostile_text) for f in columns]
            cut = draw(st.integers(0, 6))
            if cut == 1 and row:
                row = row[: draw(st.integers(0, len(row)))]  # a short row
            elif cut == 2:
                row += [draw(hostile_text)]  # a cell beyond the header
            rows.append(row)
    return rows


# --- CSV --------------------------------------------------------------------------------------------------------

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1", "mac_roman", "utf-32"]
FILENAMES = ["projekt.csv", "X.CSV", "data.txt", "projekt.xlsx", "", "../../etc/passwd", "名前.csv", "a\x00b.csv", "."]


def _csv_text(rows: list[list[str]], delimiter: str, style: str, terminator: str) -> str:
    if style == "naive":  # no quoting at all: separators, quotes and line breaks in cells break the structure
        return terminator.join(delimiter.join(str(c) for c in row) for row in rows) + terminator
    out = io.StringIO()
    quoting = {"minimal": csv.QUOTE_MINIMAL, "all": csv.QUOTE_ALL, "none": csv.QUOTE_NONE}[style]
    writer = csv.writer(out, delimiter=delimiter, quoting=quoting, escapechar="\\", lineterminator=terminator)
    try:
        writer.writerows(rows)
    except csv.Error:  # QUOTE_NONE cannot write a record of one empty field
        return _csv_text(rows, delimiter, "naive", terminator)
    return out.getvalue()


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-8-sig":
        return codecs.BOM_UTF8 + text.encode("utf-8", "surrogatepass")
    return text.encode(encoding, "replace" if encoding not in ("utf-8",) else "surrogatepass")


@st.composite
def damaged(draw, content: bytes) -> bytes:
    """The bytes as they are, or truncated, or with a few bytes changed, inserted or removed.

    Places are drawn as fractions of the length, so that the draws do not depend on the content's exact size.
    """

    def place(size: int) -> int:
        return size * draw(st.integers(0, 1000)) // 1000

    how = draw(st.integers(0, 7))
    if how == 0 and content:
        return content[: place(len(content))]
    if how == 1 and content:
        data = bytearray(content)
        for _ in range(draw(st.integers(1, 8))):
            data[place(len(data) - 1)] = draw(st.integers(0, 255))
        return bytes(data)
    if how == 2:
        at = place(len(content))
        return content[:at] + draw(st.binary(min_size=1, max_size=16)) + content[at:]
    if how == 3 and len(content) > 2:
        at = place(len(content) - 2)
        return content[:at] + content[at + draw(st.integers(1, 2)) :]
    return content


SPECIAL_FILES = [
    b"",
    codecs.BOM_UTF8,
    codecs.BOM_UTF16_LE,
    b"\r\n\r\n \t",
    b";;;\n;;;\n",
    b'"',
    b'"""',
    b"\x00" * 64,
    b"%PDF-1.4\n%%EOF",
    b"<html><table><tr><td>Projekt</td></tr></table></html>",
    b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
    b"PK\x05\x06" + b"\x00" * 18,
    b"PK\x03\x04garbage",
]


@st.composite
def csv_uploads(draw, kind: str) -> tuple[bytes, str]:
    """(content, filename) of a CSV file for `kind`, often broken in one way or another."""
    filename = draw(st.sampled_from(FILENAMES))
    if draw(st.integers(0, 19)) == 0:
        return Upload(draw(st.one_of(st.sampled_from(SPECIAL_FILES), st.binary(max_size=200)))), filename
    rows = draw(table_rows(kind, excel=False))
    text = _csv_text(
        rows,
        draw(st.sampled_from([";", ",", "\t", ";", "|"])),
        draw(st.sampled_from(["minimal", "minimal", "all", "none", "naive"])),
        draw(st.sampled_from(["\r\n", "\n", "\r"])),
    )
    content = _encode(text, draw(st.sampled_from(ENCODINGS)))
    return Upload(draw(damaged(content))), filename


# --- Excel ------------------------------------------------------------------------------------------------------

SHEET_NAMES = ["Projekt", "Faser", "Finansiering", "Uppdrag", "Verksamhetsplan", "Möten", "Instruktioner", "Blad1",
               "projects", "PROJEKT", "Sheet 2", "Ünïcødé", "x" * 31]  # fmt: skip


_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _excel_safe(value):
    """What openpyxl will write: no control characters or other text XML cannot hold (Excel cannot either)."""
    if isinstance(value, str):
        return _NOT_XML.sub("", value)[:32767]
    return value


def _put(ws, row: int, column: int, value) -> None:
    cell = ws.cell(row=row, column=column)
    try:
        cell.value = _excel_safe(value)
    except (ValueError, TypeError):  # a value openpyxl cannot write (e.g. a date before 1900 in some forms)
        cell.value = str(value)


@st.composite
def xlsx_workbooks(draw, kind: str) -> bytes:
    """An .xlsx built with openpyxl: one or more tables at odd places, cells of every type, merged cells, an
    instructions sheet."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    names = draw(st.lists(st.sampled_from(SHEET_NAMES), min_size=1, max_size=2, unique=True))
    for name in names:
        ws = wb.create_sheet(name)
        if name == "Instruktioner":
            for i, line in enumerate(draw(st.lists(hostile_text, max_size=3)), start=1):
                _put(ws, i, 1, line)
            continue
        top, left = draw(st.integers(1, 6)), draw(st.integers(1, 4))
        rows = draw(table_rows(kind, excel=True))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                _put(ws, top + r, left + c, value)
        if draw(st.integers(0, 9)) == 0:
            ws.cell(row=draw(st.integers(1, 5)), column=draw(st.integers(1, 5))).value = "=1/0"
        for _ in range(draw(st.integers(0, 2))):
            r, c = draw(st.integers(1, top + len(rows) + 1)), draw(st.integers(1, left + 5))
            try:
                ws.merge_cells(
                    start_row=r,
                    start_column=c,
                    end_row=r + draw(st.integers(0, 2)),
                    end_column=c + draw(st.integers(0, 2)),
                )
            except ValueError:
                pass
    out = io.BytesIO()
    wb.save(out)
    return _reproducible(out.getvalue())


def _zip(files: dict[str, bytes | str]) -> bytes:
    """A zip archive with fixed timestamps (hypothesis replays an example and needs the same bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data)
    return out.getvalue()


def _reproducible(content: bytes) -> bytes:
    """An .xlsx or .docx rewritten with fixed timestamps, in the archive and in its document properties."""
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        files = {name: z.read(name) for name in z.namelist()}
    if "docProps/core.xml" in files:
        files["docProps/core.xml"] = re.sub(
            rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z?", b"2020-01-01T00:00:00Z", files["docProps/core.xml"]
        )
    return _zip(files)


_CELL_XML = st.builds(
    lambda ref, t, s, v, f: f"<c{ref}{t}{s}>{f}{v}</c>",
    st.sampled_from(["", ' r="A1"', ' r="B2"', ' r="XFD1"', ' r="XFE1"', ' r="1A"', ' r=""', ' r="ZZZZ9"']),
    st.sampled_from(["", ' t="s"', ' t="n"', ' t="b"', ' t="e"', ' t="d"', ' t="str"', ' t="inlineStr"', ' t="x"']),
    st.sampled_from(["", ' s="0"', ' s="1"', ' s="99"', ' s="x"']),
    st.sampled_from(
        [
            "",
            "<v>1</v>",
            "<v>99</v>",
            "<v>-1</v>",
            "<v>1e309</v>",
            "<v>nan</v>",
            "<v>x</v>",
            "<v>2019-13-45</v>",
            "<v>45000.5</v>",
            "<v>" + "9" * 5000 + "</v>",
            "<is><t>text</t></is>",
            "<is><r><t>a</t></r><r><t>b</t></r></is>",
            "<v>#DIV/0!</v>",
            "<v>1.5</v>",
        ]
    ),  # fmt: skip
    st.sampled_from(["", "<f>SUM(A1)</f>"]),
)
_ROW_XML = st.builds(
    lambda r, cells: f"<row{r}>{''.join(cells)}</row>",
    st.sampled_from(["", ' r="1"', ' r="2"', ' r="x"', ' r="0"', ' r="-1"', ' r="1048576"', ' r="2.5"']),
    st.lists(_CELL_XML, max_size=4),
)


@functools.cache
def _empty_workbook_files() -> dict[str, bytes]:
    wb = openpyxl.Workbook()
    wb.active.title = "Projekt"
    out = io.BytesIO()
    wb.save(out)
    with zipfile.ZipFile(io.BytesIO(_reproducible(out.getvalue()))) as z:
        return {name: z.read(name) for name in z.namelist()}


@st.composite
def crafted_sheets(draw) -> bytes:
    """A real workbook whose first worksheet's XML is replaced with crafted rows and cells."""
    files: dict[str, bytes | str] = dict(_empty_workbook_files())
    rows = "".join(draw(st.lists(_ROW_XML, max_size=5)))
    files["xl/worksheets/sheet1.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
        f'main"><sheetData>{rows}</sheetData></worksheet>'
    )
    return _zip(files)


@st.composite
def xlsx_uploads(draw, kind: str) -> tuple[bytes, str]:
    """(content, filename): a workbook for `kind`, sometimes damaged."""
    content = draw(xlsx_workbooks(kind))
    if draw(st.integers(0, 7)) == 0:
        content = draw(damaged(content))
    return Upload(content), draw(st.sampled_from(["projekt.xlsx", "Projekt.XLSX", "export.csv", "fil", "mall.xlsm"]))


garbage_xlsx = st.one_of(
    st.binary(max_size=300),
    st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b),
    st.sampled_from(SPECIAL_FILES),
    st.builds(
        lambda junk: _zip({"xl/workbook.xml": junk, "[Content_Types].xml": junk}),
        st.one_of(st.binary(max_size=100), st.just(b"<workbook/>")),
    ),
    st.builds(lambda: _zip({"xl/workbook.bin": b"x"})),
    st.builds(lambda: _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet" * 20})).flatmap(damaged),
    st.builds(lambda: _zip({"word/document.xml": b"<w/>"})),
    crafted_sheets(),
    crafted_sheets().flatmap(damaged),
).map(Upload)

# --- documents --------------------------------------------------------------------------------------------------

NAMES = ["Magnus Haglund", "Maria Persson", "Karin", "Per-Eric Magnusson", "Anna Lind", "Sören", "Åsa Öberg",
         "magnus", "Kansliet", "KC-gruppen", "Vännäs kommun", "Socialchefen i Vännäs", "Vi", "İlkay Şahin"]  # fmt: skip
SEASONS = ["hösten", "våren", "vintern", "sommaren", "försommaren", "senhösten", "sensommaren"]
LONG_MONTHS = ["januari", "februari", "mars", "maj", "augusti", "september", "december"]

doc_number = st.one_of(st.integers(-2, 60), st.sampled_from([0, 99, 999, 1000, 10**6]))
doc_year = st.one_of(st.sampled_from([1, 1899, 1900, 1999, 2005, 2019, 2099, 2100, 9999]), st.integers(1000, 9999))
doc_date = st.one_of(
    st.sampled_from(DATES),
    st.builds(lambda y, m, d: f"{y}-{m:02d}-{d:02d}", doc_year, st.integers(0, 13), st.integers(0, 32)),
    st.builds(lambda y, m, d: f"{d}/{m}-{y}", doc_year, st.integers(0, 13), st.integers(0, 32)),
    st.builds(lambda y, m, d: f"{d} {m} {y}", doc_year, st.sampled_from(LONG_MONTHS), st.integers(0, 32)),
    st.builds(lambda y, m, d: f"{d}.{m}.{y}", doc_year, st.integers(0, 13), st.integers(0, 32)),
    st.builds(lambda y, m: f"{m} {y}", doc_year, st.sampled_from(LONG_MONTHS + MONTHS)),
)
doc_time = st.builds(lambda h, m: f"{h}.{m:02d}", st.integers(0, 30), st.integers(0, 99))
due = st.one_of(
    st.builds(lambda s: f"under {s}", st.sampled_from(SEASONS)),
    st.builds(lambda s, y: f"till {s} {y}", st.sampled_from(SEASONS), doc_year),
    st.builds(lambda w, y: f"vecka {w} {y}", doc_number, doc_year),
    st.builds(lambda w: f"v.{w}", doc_number),
    st.builds(lambda d: f"senast {d}", doc_date),
    st.builds(lambda m: f"till kommunchefsmötet i {m}", st.sampled_from(LONG_MONTHS)),
    st.builds(lambda m, y: f"i mitten av {m} {y}", st.sampled_from(LONG_MONTHS), doc_year),
    st.builds(lambda m: f"före {m}", st.sampled_from(LONG_MONTHS)),
    st.builds(lambda d, m: f"den {d}/{m}", doc_number, doc_number),
    st.builds(lambda d, m: f"{d} {m}", doc_number, st.sampled_from(LONG_MONTHS)),
    st.sampled_from(
        [
            "till nästa möte",
            "snarast",
            "efter årsskiftet",
            "före årsskiftet",
            "i år",
            "under 2019",
            "så snart hon fått svar",
            "efter att han fått kontakt",
            "omgående",
            "",
        ]
    ),  # fmt: skip
)
doc_amount = st.one_of(
    numbers_text,
    st.builds(lambda n, u: f"{n} {u}", numbers_text, st.sampled_from(["kr", "mkr", "tkr", "miljoner kronor", "kr/år"])),
)
doc_name = st.one_of(st.sampled_from(NAMES), any_text)
doc_words = st.lists(st.sampled_from(WORDS + NAMES + MUNICIPALITIES), min_size=1, max_size=8).map(" ".join)

_MINUTES_LINES = [
    ("Minnesanteckningar",), ("Protokoll",), ("Kommunchefsmöte {0}", doc_date),
    ("Regionrådet {0} kl {1}-{2}", doc_date, doc_time, doc_time), ("Tid: {0}–{1}", doc_time, doc_time),
    ("Plats: {0}", doc_words), ("Plats:",), ("Närvarande: {0}, {1} och {2}", doc_name, doc_name, doc_name),
    ("Beslutande:",), ("{0} (ordförande)", doc_name), ("Sekreterare: {0}", doc_name),
    ("Frånvarande: {0} (förhinder)", doc_name), ("{0} {1}-{2}", doc_name, doc_time, doc_time),
    ("{0}. {1}", doc_number, doc_words), ("§ {0} {1}", doc_number, doc_words), ("Punkt {0} {1}", doc_number, doc_words),
    ("Föredragande: {0}, {1}", doc_name, doc_words), ("Föredragande via Teams: {0}", doc_name),
    ("{0} får i uppdrag att {1} {2}.", doc_name, doc_words, due),
    ("{0} har fortfarande uppdraget att {1}.", doc_name, doc_words),
    ("KC-gruppen ger {0} i uppdrag att {1} {2}.", doc_name, doc_words, due),
    ("Uppdras åt {0} att {1}.", doc_name, doc_words), ("{0} återkommer {1}.", doc_name, due),
    ("Åtgärd: {0}", doc_words), ("Ansvarig: {0}", doc_name), ("Klart: {0}", due),
    ("Uppdrag: {0}. Ansvarig: {1}.", doc_words, doc_name),
    ("Beslut: {0}", doc_words), ("Mötet beslutar att {0}.", doc_words), ("Nästa möte {0} i {1}", doc_date, doc_words),
    ("Nästa möte:",), ("{0} skickar med frågan om {1} till {2}.", doc_name, doc_words, doc_name),
    ("Återkoppling till KC-gruppen {0}.", due), ("{0} ska tas fram {1}.", doc_words, due),
    ("Det finns sedan tidigare ett uppdrag att {0}.", doc_words), ("{0} har styrningen i uppdraget.", doc_name),
    ("Ta fram {0} {1}.", doc_words, due),
]  # fmt: skip
_PLAN_LINES = [
    ("VERKSAMHETSPLAN {0}", doc_year), ("Verksamhetsplan för år {0}–{1}", doc_year, doc_year),
    ("Antagen av Regionrådet {0}", doc_date), ("Regionrådet antog planen {0}", doc_date),
    ("INSATSOMRÅDE {0}: {1}", doc_number, doc_words), ("NÄRINGSLIV OCH UTVECKLING",), ("# {0}", doc_words),
    ("## {0}", doc_words), ("{0}. {1}", doc_number, doc_words), ("{0}.{1} {2}", doc_number, doc_number, doc_words),
    ("Projekt",), ("Pågående projekt:",), ("Projekt: {0}", doc_words), ("Tidsram: {0} – {1}", doc_date, doc_date),
    ("Projekttid {0}-{1}", doc_year, doc_year),
    ("Ett {0}-årigt projekt som startar {1} {2}.", doc_number, st.sampled_from(LONG_MONTHS), doc_year),
    ("Projektet pågår t.o.m. {0}.", doc_date), ("Total budget: {0}", doc_amount),
    ("Budget för {0} är {1}.", doc_words, doc_amount),
    ("Total budget {0}, varav {1} {2} och {3} {4}.", doc_amount, doc_words, doc_amount, doc_words, doc_amount),
    ("Finansiärer: {0} {1}, {2} och {3} {4}.", doc_words, doc_amount, doc_words, doc_words, doc_amount),
    ("Finansieras av {0}.", doc_words), ("Projektägare: {0}.", doc_words),
    ("Kontaktperson: {0}, {1}", doc_name, doc_words),
    ("Projektledare är {0}.", doc_name), ("Etapp {0} ({1} – {2})", doc_number, doc_date, doc_date),
    ("Fas {0}: {1}-{2}", st.sampled_from(["I", "ii", "tre", "x"]), doc_date, doc_date), ("Mål 2-projekt",),
    ("- {0}", doc_words), ("• {0}: {1}", doc_words, doc_words), ("**{0}**", doc_words), ("**{0}", doc_words),
    ("Kommunerna i Umeåregionen",), ("{0}, {1} och {2}", doc_words, doc_words, doc_words),
]  # fmt: skip
_ANY_LINES = [
    ("{0}", any_text), ("{0}", doc_words), ("",), ("1(8)",), ("Sida {0} av {1}", doc_number, doc_number),
    ("- {0} -", doc_number),
    ("{0}", long_text), ("{0}", st.sampled_from(CONTROL)), ("{0}-", doc_words), ("/AB/",),
]  # fmt: skip


def _line(template: tuple) -> st.SearchStrategy[str]:
    fmt, *parts = template
    return st.tuples(*parts).map(lambda values: fmt.format(*values)) if parts else st.just(fmt)


minutes_line = st.one_of([_line(t) for t in _MINUTES_LINES + _ANY_LINES])
plan_line = st.one_of([_line(t) for t in _PLAN_LINES + _ANY_LINES])
any_line = st.one_of([_line(t) for t in _ANY_LINES])
_TASK_LINES = [t for t in _MINUTES_LINES if "{1}" in t[0] or "Klart" in t[0] or "Ansvarig" in t[0]]
task_line = st.one_of([_line(t) for t in _TASK_LINES])
_FACT_LINES = [t for t in _PLAN_LINES if any(w in t[0] for w in ("Tidsram", "budget", "Budget", "Finansi", "ägare",
                                                                  "Kontakt", "ledare", "Etapp", "Fas", "årigt",
                                                                  "t.o.m", "Projekttid", "Mål"))]  # fmt: skip
fact_line = st.one_of([_line(t) for t in _FACT_LINES])


@st.composite
def _with_noise(draw, lines: list[str]) -> list[str]:
    """The lines, sometimes with stray lines (page marks, junk, control characters) put in between."""
    for _ in range(draw(st.integers(0, 3))):
        lines.insert(draw(st.integers(0, len(lines))), draw(any_line))
    return lines


@st.composite
def minutes_documents(draw) -> list[str]:
    """Minutes shaped as minutes are: heading, date, participants, numbered items with sentences, next meeting."""
    lines = [draw(st.sampled_from(["Minnesanteckningar", "Protokoll", "Kommunchefsmöte", "Regionrådet"]))]
    day = draw(st.one_of(st.sampled_from(["2030-01-02", "2031-02-03"]), doc_date))
    lines.append(f"{draw(st.sampled_from(['Kommunchefsmöte', 'Datum:', 'Regionråd']))} {day} "
                 f"kl {draw(doc_time)}-{draw(doc_time)}")  # fmt: skip
    lines += draw(st.lists(st.one_of([_line(t) for t in _MINUTES_LINES[4:13]]), max_size=4))
    number = draw(st.sampled_from([1, 1, 0, 3, 99]))
    for _ in range(draw(st.integers(0, 5))):
        head = draw(st.sampled_from(["{0}. {1}", "§ {0} {1}", "{0}) {1}", "Punkt {0} {1}"]))
        lines.append(head.format(number, draw(st.sampled_from(["Inledning", "Övrigt", "Rapport från Kansliet"]))))
        lines += draw(st.lists(task_line, max_size=4))
        number += 1
    if draw(st.booleans()):
        lines.append(f"Nästa möte {draw(doc_date)} i {draw(doc_words)}")
    return draw(_with_noise(lines))


@st.composite
def plan_documents(draw) -> list[str]:
    """A plan shaped as plans are: title and year, adoption, focus areas, projects with facts, activities."""
    lines = [f"VERKSAMHETSPLAN {draw(st.one_of(st.sampled_from([2020, 2031]), doc_year))}", ""]
    if draw(st.booleans()):
        lines += [f"Antagen av Regionrådet {draw(doc_date)}.", ""]
    for _ in range(draw(st.integers(0, 3))):
        lines += [
            draw(st.sampled_from(["INFRASTRUKTUR OCH KOMMUNIKATIONER", "Insatsområde 2: Näringsliv", "# Kultur"])),
            "",
        ]
        if draw(st.booleans()):
            lines += ["Projekt", ""]
        for _ in range(draw(st.integers(0, 3))):
            lines.append(draw(st.sampled_from(["Botniabanan", "Via Uma", "Nytt projekt för unga", "Bibliotek 2007"])))
            lines += draw(st.lists(fact_line, max_size=5)) + [""]
        lines += draw(st.lists(_line(("- {0}", doc_words)), max_size=3)) + [""]
    return draw(_with_noise(lines))


document_lines = st.one_of(
    minutes_documents(),
    plan_documents(),
    st.lists(minutes_line, max_size=40),
    st.lists(plan_line, max_size=40),
    st.lists(st.one_of(minutes_line, plan_line), max_size=40),
)


@st.composite
def document_texts(draw) -> str:
    lines = draw(document_lines)
    return draw(st.sampled_from(["\n", "\r\n", "\r", "\n\n"])).join(lines)


@st.composite
def text_documents(draw) -> tuple[bytes, str]:
    """(content, filename) of minutes or a plan as .txt or .md in some encoding, sometimes damaged."""
    content = _encode(draw(document_texts()), draw(st.sampled_from(ENCODINGS)))
    if draw(st.integers(0, 5)) == 0:
        content = draw(damaged(content))
    return Upload(content), draw(
        st.sampled_from(["minnesanteckningar.txt", "plan.md", "x.TXT", "dokument", "a.docx", "b.pdf"])
    )


@st.composite
def office_documents(draw) -> tuple[bytes, str]:
    """(content, filename) of minutes or a plan as .docx or .pdf (with a text layer), sometimes damaged."""
    lines = draw(document_lines)
    if draw(st.booleans()):
        paragraphs = [("numbered", ln) if draw(st.integers(0, 5)) == 0 else ln for ln in lines]
        table = draw(st.lists(st.lists(doc_words, min_size=1, max_size=3), max_size=2)) or None
        content, name = _reproducible(make_docx(paragraphs, table=table)), "minnesanteckningar.docx"
    else:
        per_page = draw(st.integers(1, 15))
        pages = [lines[i : i + per_page] for i in range(0, len(lines), per_page)] or [[]]
        content, name = make_pdf(pages), "protokoll.pdf"
    if draw(st.integers(0, 3)) == 0:
        content = draw(damaged(content))
    return Upload(content), name


@st.composite
def structured_documents(draw) -> tuple[bytes, str]:
    """(content, filename): minutes or a plan shaped as such, as UTF-8 text or Word, for the save path."""
    lines = draw(st.one_of(minutes_documents(), plan_documents()))
    if draw(st.booleans()):
        return Upload("\n".join(lines).encode("utf-8", "surrogatepass")), "dokument.txt"
    return Upload(_reproducible(make_docx(lines))), "dokument.docx"
