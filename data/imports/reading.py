"""Reading an uploaded file: bytes and a file name in, raw sheets out, and the table found in them.

`read_sheets` decides the format from the content (not the name), so an .xlsx saved as .csv is still read, and a PDF
or zip named .csv gets a clear message. `find_table` then finds the header row (below any title rows, on the data
sheet rather than the instructions sheet) and returns the data rows with the row numbers Excel or an editor shows.
Every whole-file problem is a `FileProblem` with a short Swedish message.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import itertools
import math
import re
import warnings
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import iterparse

import openpyxl
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.xml.constants import SHEET_MAIN_NS

from data.imports.values import UnreadableCell, ValueProblem, clean_text, fold, normalise_header

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 10 * MB
DEFAULT_MAX_ROWS = 100_000
UNPACKED_RATIO = 30  # an .xlsx may unpack to at most this many times the size limit (zip bombs)

FORMULA_WITHOUT_VALUE = UnreadableCell(
    "FORMULA_WITHOUT_VALUE",
    "Cellen innehåller en formel utan sparat värde. Öppna filen i Excel och spara den igen, eller skriv in värdet.",
    "(formel)",
)
EXCEL_ERRORS = {
    code: UnreadableCell(
        f"EXCEL_ERROR({code})",
        f"Cellen innehåller felvärdet {code} från Excel. Rätta formeln eller skriv in värdet.",
        code,
    )
    for code in ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#SPILL!", "#CALC!")
}

NOT_A_TABLE_FILE = "inte en Excel- eller CSV-fil"
MESSAGES = {
    "empty": "Filen är tom.",
    "pdf": f"Filen är en PDF, {NOT_A_TABLE_FILE}. Spara den som .xlsx eller .csv.",
    "zip": f"Filen är ett zip-arkiv, {NOT_A_TABLE_FILE}. Packa upp den eller spara den som .xlsx eller .csv.",
    "xls": "Filen är i det gamla Excel-formatet (.xls). Spara den som .xlsx i Excel och försök igen.",
    "xlsb": "Filen är en binär Excel-arbetsbok (.xlsb). Spara den som .xlsx i Excel och försök igen.",
    "ods": "Filen är ett OpenDocument-kalkylblad (.ods). Spara den som .xlsx eller .csv och försök igen.",
    "encrypted": "Excel-filen är lösenordsskyddad. Ta bort lösenordet i Excel och försök igen.",
    "html": f"Filen är en webbsida (HTML), {NOT_A_TABLE_FILE}. Öppna den i Excel och spara den som .xlsx.",
    "xml2003": "Filen är ett XML-kalkylblad från Excel 2003. Spara den som .xlsx i Excel och försök igen.",
    "binary": "Filen går inte att läsa som text eller Excel. Ladda upp en .xlsx- eller .csv-fil.",
    "corrupt": "Excel-filen går inte att öppna. Den kan vara skadad.",
}

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_EXCEL_NAMES = (".xlsx", ".xlsm", ".xltx", ".xltm")
_DELIMITERS = (";", "\t", ",")  # on a tie the first wins: semicolon is what Swedish Excel writes
_SNIFF_RECORDS = 50
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")

# What reading a damaged zip archive raises: a bad header or CRC, a broken deflate stream, a member cut short, an
# offset before the start, a compression method or encryption Python does not do, a file name that is not UTF-8.
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError)

TOTAL_WORDS = {"summa", "totalt", "total", "sum", "summa totalt", "totalsumma"}
TOTAL_PREFIXES = ("summa ", "totalt ")


class FileProblem(ValueError):
    """The file as a whole cannot be read; the message is Swedish and says what to do."""


@dataclass
class RawSheet:
    """One sheet as read: rows[i] is a list of cell values with trailing empty cells trimmed.

    Empty cells (and cells holding only spaces) are None. `row_numbers[i]` is the number Excel or a text editor shows
    for rows[i]; None means i + 1 (always so for Excel; a CSV with line breaks inside quoted fields differs).
    """

    name: str | None
    rows: list[list[Any]]
    row_numbers: list[int] | None = None

    def row_number(self, index: int) -> int:
        return self.row_numbers[index] if self.row_numbers is not None else index + 1


@dataclass
class Table:
    """The table found in a sheet: which column holds which field, and the data rows below the header."""

    sheet: str | None
    header_row: int
    columns: dict[str, int]
    column_labels: dict[str, str]
    unknown_columns: list[str]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)


# ---------------------------------------------------------------- reading the file


def _megabytes(size: int, *, round_up: bool = False) -> str:
    value = size / MB
    if round_up:
        value = math.ceil(value * 10) / 10
    text = f"{value:.1f}".replace(".", ",")
    return text


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


def _is_blank(content: bytes) -> bool:
    if content[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        try:
            return not content.decode("utf-16").strip("\ufeff \t\r\n")
        except UnicodeDecodeError:
            return False
    return not content.replace(codecs.BOM_UTF8, b"").strip()


def _sniff(content: bytes, filename: str) -> str:
    """'xlsx' or 'text', or a FileProblem for anything else (decided by the content; the name only refines)."""
    name = filename.casefold().strip()
    lead = content[:4096].lstrip(codecs.BOM_UTF8 + b" \t\r\n")
    if content.find(b"%PDF-", 0, 1024) != -1:
        raise FileProblem(MESSAGES["pdf"])
    if content.startswith(_OLE):
        if "EncryptedPackage".encode("utf-16-le") in content:
            raise FileProblem(MESSAGES["encrypted"])
        raise FileProblem(MESSAGES["xls"])
    if content.startswith(_ZIP):
        return _sniff_zip(content, name)
    lowered = lead[:1024].lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<table")) or (
        lowered.startswith(b"<") and b"<html" in lowered
    ):
        raise FileProblem(MESSAGES["html"])
    if lowered.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in content[:4096]:
        raise FileProblem(MESSAGES["xml2003"])
    return "text"


def _sniff_zip(content: bytes, name: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (KeyError, *ZIP_ERRORS) as exc:
        raise FileProblem(MESSAGES["corrupt"] if name.endswith(_EXCEL_NAMES) else MESSAGES["zip"]) from exc
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise FileProblem(MESSAGES["xlsb"])
    if b"opendocument.spreadsheet" in mimetype:
        raise FileProblem(MESSAGES["ods"])
    raise FileProblem(MESSAGES["corrupt"] if name.endswith(_EXCEL_NAMES) else MESSAGES["zip"])


def read_sheets(
    content: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES, max_rows: int = DEFAULT_MAX_ROWS
) -> list[RawSheet]:
    """The sheets of an uploaded .xlsx or the one sheet of a .csv, or a FileProblem saying what is wrong.

    The format is decided from the content: an .xlsx named .csv is read as Excel and a CSV named .xlsx (or .txt) as
    text. `max_rows` counts non-empty rows below the first one (the header, usually) in each sheet.
    """
    if len(content) > max_bytes:
        raise FileProblem(
            f"Filen är för stor ({_megabytes(len(content), round_up=True)} MB). "
            f"Största tillåtna storlek är {_megabytes(max_bytes).removesuffix(',0')} MB."
        )
    if _is_blank(content):
        raise FileProblem(MESSAGES["empty"])
    if _sniff(content, filename) == "xlsx":
        sheets = _read_xlsx(content, max_bytes=max_bytes, max_rows=max_rows)
    else:
        sheets = [_read_csv(decode_text(content), max_rows=max_rows)]
    if not any(row for sheet in sheets for row in sheet.rows):
        raise FileProblem(MESSAGES["empty"])
    return sheets


def _too_many_rows(max_rows: int, sheet: str | None) -> FileProblem:
    where = f" på bladet ”{sheet}”" if sheet else ""
    return FileProblem(
        f"Filen har fler än {_thousands(max_rows)} rader{where}. "
        f"Dela upp den i filer med högst {_thousands(max_rows)} rader."
    )


def _cell(value: Any) -> Any:
    """A cell value as stored in a RawSheet: empty and blank text become None."""
    if value.__class__ is str and not value.strip():
        return None
    return value


def _trim(row: Iterable[Any]) -> list[Any]:
    cells = [_cell(v) for v in row]
    while cells and cells[-1] is None:
        cells.pop()
    return cells


def _trim_rows(rows: list[list[Any]], numbers: list[int] | None = None) -> None:
    while rows and not rows[-1]:
        rows.pop()
        if numbers is not None:
            numbers.pop()


# ---------------------------------------------------------------- Excel


def _read_xlsx(content: bytes, *, max_bytes: int, max_rows: int) -> list[RawSheet]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        if sum(info.file_size for info in archive.infolist()) > UNPACKED_RATIO * max_bytes:
            raise FileProblem(
                f"Excel-filen är för stor uppackad (över {_megabytes(UNPACKED_RATIO * max_bytes)} MB). "
                "Dela upp den i mindre filer."
            )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops (data validation, slicers …)
        try:
            return _read_workbook(content, max_rows=max_rows)
        except FileProblem:
            raise
        except Exception as exc:  # openpyxl raises many kinds of errors on a damaged file
            raise FileProblem(MESSAGES["corrupt"]) from exc


def _read_workbook(content: bytes, *, max_rows: int) -> list[RawSheet]:
    # openpyxl reads the workbook (sheet list, shared strings, date styles); the cells are read by `_sheet_rows`,
    # which is about twice as fast as openpyxl's own read-only cell reader and sees formulas and their saved values
    # in one pass. It relies on openpyxl's read-only internals (_get_source, _shared_strings, _date_formats):
    # test_import_reading.py covers them, and requirements.txt pins openpyxl.
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        styles = _Styles(workbook._date_formats, workbook._timedelta_formats, workbook.epoch)
        sheets = []
        for worksheet in workbook.worksheets:
            with worksheet._get_source() as source:
                rows = _sheet_rows(source, worksheet._shared_strings, styles, max_rows, worksheet.title)
            sheets.append(RawSheet(name=worksheet.title, rows=rows))
        return sheets
    finally:
        workbook.close()


@dataclass(frozen=True)
class _Styles:
    dates: set[int]
    durations: set[int]
    epoch: datetime.datetime


_NS = f"{{{SHEET_MAIN_NS}}}"
_ROW, _CELL, _VALUE, _FORMULA, _INLINE, _TEXT, _RUN = (_NS + tag for tag in ("row", "c", "v", "f", "is", "t", "r"))


_COLUMNS: dict[str, int] = {}
MAX_COLUMNS = 16_384  # Excel's own limit (column XFD)


def _column(reference: str) -> int:
    """0-based column index of a cell reference such as "AB12"."""
    letters = reference.rstrip("0123456789")
    index = _COLUMNS.get(letters)
    if index is None:
        index = _COLUMNS[letters] = column_index_from_string(letters) - 1
    return index


def _sheet_rows(source: Any, shared: list[str], styles: _Styles, max_rows: int, title: str) -> list[list[Any]]:
    """The rows of one worksheet XML: rows[i] is Excel row i + 1, trailing empty cells and rows trimmed."""
    rows: list[list[Any]] = []
    filled = 0
    for _, element in iterparse(source):
        if element.tag != _ROW:
            continue
        number = element.get("r")
        index = int(float(number)) - 1 if number else len(rows)
        if index > 2 * max_rows + 1000:  # a crafted sparse sheet must not make us allocate a million empty rows
            raise _too_many_rows(max_rows, title)
        while len(rows) < index:
            rows.append([])
        values: list[Any] = []
        for cell in element:
            if cell.tag != _CELL:
                continue
            reference = cell.get("r")
            column = _column(reference) if reference else len(values)
            if column >= MAX_COLUMNS:
                raise FileProblem(MESSAGES["corrupt"])
            while len(values) < column:
                values.append(None)
            values.append(_cell_value(cell, shared, styles))
        while values and values[-1] is None:
            values.pop()
        rows.append(values)
        element.clear()
        if values:
            filled += 1
            if filled > max_rows + 1:
                raise _too_many_rows(max_rows, title)
    _trim_rows(rows)
    return rows


def _cell_value(cell: Any, shared: list[str], styles: _Styles) -> Any:
    """One <c> element as a Python value, read as openpyxl does; formulas give their saved value."""
    kind = cell.get("t", "n")
    text = cell.findtext(_VALUE)
    if not text:  # no saved value: an empty cell, an inline string, an empty text result or an uncalculated formula
        if kind == "inlineStr":
            inline = cell.find(_INLINE)
            if inline is None:
                return None
            return _cell(
                "".join(
                    (part.text or "") if part.tag == _TEXT else (part.findtext(_TEXT) or "")
                    for part in inline
                    if part.tag in (_TEXT, _RUN)
                )
            )
        if kind != "str" and cell.find(_FORMULA) is not None:
            return FORMULA_WITHOUT_VALUE
        return None
    if kind == "n":
        number = float(text) if ("." in text or "e" in text or "E" in text) else int(text)
        style = cell.get("s")
        if style and int(style) in styles.dates:
            try:
                return from_excel(number, styles.epoch, timedelta=int(style) in styles.durations)
            except (OverflowError, ValueError):
                return EXCEL_ERRORS["#VALUE!"]
        return number
    if kind == "s":
        return _cell(shared[int(text)])
    if kind == "str":
        return _cell(text)
    if kind == "b":
        return text.strip() in ("1", "true")
    if kind == "e":
        return EXCEL_ERRORS.get(text, EXCEL_ERRORS["#VALUE!"])
    if kind == "d":
        return from_ISO8601(text)
    return text


# ---------------------------------------------------------------- CSV


def decode_text(content: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), UTF-16 (Excel's 'Unicode text') or Windows-1252."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _try_decode(content, "utf-16")
    elif b"\x00" in content[:8192]:
        text = _try_decode(content, _utf16_without_bom(content[:8192]))
    elif content.startswith(codecs.BOM_UTF8):
        text = _try_decode(content, "utf-8-sig") or _try_decode(content[3:], "cp1252")
    else:
        text = _try_decode(content, "utf-8") or _try_decode(content, "cp1252")
    if text is None:
        raise FileProblem(MESSAGES["binary"])
    text = text.removeprefix("\ufeff")
    sample = text[:8192]
    if len(_CONTROL.findall(sample)) > len(sample) / 100:
        raise FileProblem(MESSAGES["binary"])
    return text


def _try_decode(content: bytes, encoding: str | None) -> str | None:
    if encoding is None:
        return None
    try:
        return content.decode(encoding)
    except UnicodeDecodeError:
        return None


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the NUL bytes fall where UTF-16 puts them for Latin text, else None."""
    even, odd = head[0::2], head[1::2]
    if odd and odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even and even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _records(text: str, delimiter: str) -> csv.reader:
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _detect_delimiter(text: str) -> str:
    """The delimiter giving the most records with one and the same number (> 1) of columns among the first ones."""
    best, best_score = _DELIMITERS[0], (0, 0)
    for delimiter in _DELIMITERS:
        try:
            widths = [
                len(r) for r in itertools.islice(_records(text, delimiter), _SNIFF_RECORDS) if any(f.strip() for f in r)
            ]
        except csv.Error:
            continue
        counts = Counter(w for w in widths if w > 1)
        if not counts:
            continue
        width, count = max(counts.items(), key=lambda item: (item[1], item[0]))
        if count >= len(widths) / 2 and (count, width) > best_score:
            best, best_score = delimiter, (count, width)
    return best


def _read_csv(text: str, *, max_rows: int) -> RawSheet:
    reader = _records(text, _detect_delimiter(text))
    rows: list[list[Any]] = []
    numbers: list[int] = []
    filled = 0
    line = 0
    try:
        for record in reader:
            numbers.append(line + 1)
            line = reader.line_num
            row = _trim(record)
            rows.append(row)
            if row:
                filled += 1
                if filled > max_rows + 1:
                    raise _too_many_rows(max_rows, None)
    except csv.Error as exc:
        raise FileProblem(
            f'CSV-filen går inte att läsa från rad {line + 1}. Kontrollera att citattecknen (") står parvis.'
        ) from exc
    _trim_rows(rows, numbers)
    return RawSheet(name=None, rows=rows, row_numbers=numbers)


# ---------------------------------------------------------------- finding the table


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _label(value: Any) -> str:
    """A header or cell as written, for messages."""
    try:
        text = clean_text(value)
    except ValueProblem:
        text = str(value)
    return " ".join((text or "").split())


def _header_fields(row: list[Any], match_header: Callable[[str], str | None]) -> tuple[dict[str, list[int]], list[int]]:
    """For one row: field → the columns whose header means it, and the non-empty columns that match no field."""
    fields: dict[str, list[int]] = {}
    unknown: list[int] = []
    for column, value in enumerate(row):
        key = normalise_header(value)
        if not key:
            continue
        name = match_header(key)
        if name is None:
            unknown.append(column)
        else:
            fields.setdefault(name, []).append(column)
    return fields, unknown


def _scan_header(
    sheet: RawSheet, match_header: Callable[[str], str | None], required: set[str], scan_rows: int
) -> tuple[int | None, int | None, dict[str, list[int]], list[int]]:
    """(header index, best partial index, its fields, unknown columns) among the first `scan_rows` rows."""
    partial: int | None = None
    partial_fields: dict[str, list[int]] = {}
    for index, row in enumerate(sheet.rows[:scan_rows]):
        if not row:
            continue
        fields, unknown = _header_fields(row, match_header)
        if len(fields) >= 2 and required <= fields.keys():
            return index, None, fields, unknown
        if len(fields) >= 2 and len(fields) > len(partial_fields):
            partial, partial_fields = index, fields
    return None, partial, partial_fields, []


def _total_label(row: list[Any]) -> str | None:
    """The label of a totals row (Summa, Totalt …) when the row's first filled cell is one, else None."""
    first = next((v for v in row if not _is_empty(v)), None)
    if not isinstance(first, str):
        return None
    folded = fold(first)
    if folded in TOTAL_WORDS or folded.startswith(TOTAL_PREFIXES):
        return _label(first)
    return None


def locate_table(
    sheet: RawSheet,
    match_header: Callable[[str], str | None],
    *,
    required: set[str],
    scan_rows: int = 30,
    labels: dict[str, str] | None = None,
) -> Table | None:
    """The table on `sheet`: the first of its first `scan_rows` rows whose headers name every required field (and
    at least two fields), and every non-blank row below it. None when no such header row exists.

    `match_header` gets a header already passed through `normalise_header` and returns a field name or None.
    `labels` (field → Swedish name) is used in messages. Totals rows (Summa, Totalt …) are skipped, not imported.
    """
    index, _, fields, unknown = _scan_header(sheet, match_header, set(required), scan_rows)
    if index is None:
        return None
    header = sheet.rows[index]
    for name, columns in fields.items():
        if len(columns) > 1:
            first, second = _label(header[columns[0]]), _label(header[columns[1]])
            if first == second:
                raise FileProblem(f"Kolumnen ”{first}” finns två gånger. Ta bort den ena.")
            meaning = (labels or {}).get(name, name)
            raise FileProblem(f"Kolumnerna ”{first}” och ”{second}” betyder samma sak ({meaning}). Ta bort den ena.")
    columns = {name: cols[0] for name, cols in fields.items()}
    table = Table(
        sheet=sheet.name,
        header_row=sheet.row_number(index),
        columns=columns,
        column_labels={name: _label(header[col]) for name, col in columns.items()},
        unknown_columns=[_label(header[col]) for col in unknown],
    )
    for i in range(index + 1, len(sheet.rows)):
        row = sheet.rows[i]
        if all(_is_empty(v) for v in row):
            continue
        number = sheet.row_number(i)
        total = _total_label(row)
        if total is not None:
            table.skipped.append((number, f"Summaraden ”{total}” lästes inte in."))
            continue
        values = {name: (row[col] if col < len(row) else None) for name, col in columns.items()}
        filled = {name: v for name, v in values.items() if not _is_empty(v)}
        if not filled:
            table.skipped.append((number, "Raden har bara värden i kolumner som inte läses in."))
            continue
        if len(filled) >= 2 and all(
            isinstance(v, str) and match_header(normalise_header(v)) == name for name, v in filled.items()
        ):
            table.skipped.append((number, "Rubrikraden upprepas här och lästes inte in."))
            continue
        table.rows.append((number, values))
    return table


def _names(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " och " + labels[-1]


def find_table(
    sheets: list[RawSheet],
    match_header: Callable[[str], str | None],
    *,
    required: set[str],
    prefer: tuple[str, ...] = (),
    required_labels: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    scan_rows: int = 30,
) -> Table:
    """The table to import: on the first sheet named as in `prefer` that has one, else on the first sheet that has.

    `required_labels` and `labels` (field → Swedish column name) name columns in messages. No header row anywhere
    gives a FileProblem that says which columns are missing.
    """
    names = {**(labels or {}), **(required_labels or {})}
    wanted = [fold(p) for p in prefer]
    preferred = [s for p in wanted for s in sheets if s.name is not None and fold(s.name) == p]
    ordered = preferred + [s for s in sheets if not any(s is p for p in preferred)]
    for sheet in ordered:
        table = locate_table(sheet, match_header, required=required, scan_rows=scan_rows, labels=names)
        if table is not None:
            return table

    ordered_required = [f for f in (required_labels or {}) if f in required] + sorted(
        f for f in required if f not in (required_labels or {})
    )
    best: tuple[int, RawSheet, int, dict[str, list[int]]] | None = None
    for sheet in ordered:  # the header row with most of the columns, to say which ones are missing
        _, partial, fields, _ = _scan_header(sheet, match_header, set(required), scan_rows)
        if partial is not None and (best is None or len(fields) > best[0]):
            best = (len(fields), sheet, partial, fields)
    if best is not None:
        _, sheet, partial, fields = best
        missing = [names.get(f, f) for f in ordered_required if f not in fields]
        where = f" på bladet ”{sheet.name}”" if sheet.name and len(sheets) > 1 else ""
        noun = "kolumnen" if len(missing) == 1 else "kolumnerna"
        raise FileProblem(
            f"Rubrikraden (rad {sheet.row_number(partial)}{where}) saknar {noun} {_names(missing)}. "
            "Använd mallen eller kontrollera rubrikerna."
        )
    wanted_labels = [names.get(f, f) for f in ordered_required]
    noun = "kolumnen" if len(wanted_labels) == 1 else "kolumnerna"
    columns = f" med {noun} {', '.join(wanted_labels)}" if wanted_labels else ""
    raise FileProblem(f"Hittade ingen rubrikrad{columns}. Använd mallen eller kontrollera rubrikerna.")
