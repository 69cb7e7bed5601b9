"""Reading one cell of an uploaded file: text, amounts, dates, whole numbers, times, lists and choices.

Pure functions. Each takes what a cell holds (a str from a CSV, or a str, int, float, datetime … from Excel) and
returns a clean Python value or raises `ValueProblem` with a short Swedish message that says what is wrong with the
value and what is expected. The message never names the row or the column: the caller adds those.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

MAX_AMOUNT = 10**13  # ten thousand billion kronor: anything above is a typing mistake
EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's 1900 leap-year bug folded in)
FIRST_YEAR, LAST_YEAR = 1900, 2200

# Spaces people (and Excel) put in numbers and text: no-break, narrow no-break, figure and thin space.
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ", "\u3000": " "})
_INVISIBLE = str.maketrans({"\u200b": None, "\ufeff": None, "\u2060": None, "\u00ad": None})
# Word and Mac Excel write a line break inside a cell as a vertical tab or form feed.
_SOFT_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_MINUS_SIGNS = "-\u2212\u2013\u2012\u2010\ufe63\uff0d"


class ValueProblem(ValueError):
    """A cell value that cannot be read; the message is Swedish and meant for the person who wrote the file."""


class UnreadableCell:
    """A cell whose value could not be read from the file at all (a formula without a saved value, #DIV/0! …).

    The file reader puts one of these in place of the value; every parser here raises its `message`.
    """

    __slots__ = ("name", "message", "shown")

    def __init__(self, name: str, message: str, shown: str = ""):
        self.name = name
        self.message = message
        self.shown = shown  # what the cell shows in Excel, for a preview ("#N/A")

    def __repr__(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.shown or self.name


def _quote(text: str, limit: int = 60) -> str:
    """The value as the person wrote it, shortened for a message."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _check_readable(value: Any) -> None:
    if isinstance(value, UnreadableCell):
        raise ValueProblem(value.message)


def _plain(value: Any) -> str:
    """A str cell with odd spaces made ordinary and invisible characters removed (not yet stripped)."""
    return unicodedata.normalize("NFC", value).translate(_SPACES).translate(_INVISIBLE)


def _number_text(value: int | float | Decimal) -> str:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueProblem("Cellen innehåller inget giltigt tal.")
        if value.is_integer():
            return str(int(value))
        return f"{value:.15g}"  # what Excel shows: 0.1 + 0.2 is 0.3 there
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueProblem("Cellen innehåller inget giltigt tal.")
        if value == value.to_integral_value():
            return str(int(value))
        return format(value.normalize(), "f")
    return str(value)


def _shown_number(value: int | float | Decimal) -> str:
    """A number cell as a Swedish Excel shows it (decimal comma), for messages."""
    return _number_text(value).replace(".", ",")


def clean_text(value: Any) -> str | None:
    """Any cell value as text, or None when the cell is empty.

    Text is NFC-normalised, no-break spaces become spaces, line endings become \\n and the ends are stripped. Text
    that begins with = + - @ is kept exactly as written: it is stored as plain text and never evaluated. Control
    characters (NUL and the like) are refused.
    """
    if type(value) is str and value.isprintable() and unicodedata.is_normalized("NFC", value):
        return value.strip() or None  # the common case: nothing to replace (odd spaces are not printable)
    _check_readable(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, int | float | Decimal):
        return _number_text(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if not isinstance(value, str):
        value = str(value)
    text = _plain(value).replace("\r\n", "\n").replace("\r", "\n").translate(_SOFT_BREAKS)
    if _CONTROL.search(text):
        raise ValueProblem("Texten innehåller otillåtna tecken.")
    text = text.strip()
    return text or None


_FOLD_DROP = str.maketrans("", "", ".:*()")


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Text for matching: case-folded, without diacritics (å → a, ö → o), without . : * ( ) and single-spaced."""
    text = unicodedata.normalize("NFKD", text.casefold())
    if not text.isascii():
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.translate(_FOLD_DROP).split())


def normalise_header(text: Any) -> str:
    """A header cell folded for matching against column names; _ and - count as spaces. None gives ""."""
    if text is None or isinstance(text, UnreadableCell):
        return ""
    if not isinstance(text, str):
        try:
            text = clean_text(text) or ""
        except ValueProblem:  # a number cell that is no number (1e309 in the file is infinite) names no column
            return ""
    return fold(text.replace("_", " ").replace("-", " ").replace("\u2013", " "))


# ---------------------------------------------------------------- amounts

_AMOUNT_EXAMPLE = "Skriv t.ex. 4 650 000, 1,6 milj eller 6256 tkr."
_MULTIPLIERS = {
    **dict.fromkeys(["milj", "miljon", "miljoner", "mkr", "mnkr", "mn", "mio", "msek", "mkronor"], 10**6),
    **dict.fromkeys(["miljard", "miljarder", "mdr", "mdkr", "mrd", "mrdkr"], 10**9),
    **dict.fromkeys(["tkr", "kkr", "tsek", "ksek", "tusen", "k"], 10**3),
}
_CURRENCY = ("kronor", "kr", "sek", ":-", ",-", ":–", ",–")
# a number, then an optional multiplier word (possibly glued to the number: "1,6milj")
_AMOUNT = re.compile(r"(?P<number>[0-9][0-9 .,]*?)\s*(?P<unit>[a-z]+)?")


def _strip_currency(text: str) -> str:
    changed = True
    while changed:
        changed = False
        for word in _CURRENCY:
            if text.endswith(word) and (word[0] in ":," or not text[: -len(word)][-1:].isalpha()):
                text, changed = text[: -len(word)].rstrip(), True
            if text.startswith(word) and word[0] not in ":," and not text[len(word) : len(word) + 1].isalpha():
                text, changed = text[len(word) :].lstrip(), True
    return text


def _grouped(number: str, separator: str) -> bool:
    """True when `separator` splits `number` into a 1–3 digit head and 3-digit groups (4 650 000, 4.650.000)."""
    head, *groups = number.split(separator)
    return bool(groups) and 1 <= len(head) and all(len(g) == 3 for g in groups)


def _to_decimal(number: str) -> Decimal | None:
    """Digits with Swedish or English separators as a Decimal, or None if the separators make no sense."""
    if " " in number:  # spaces only ever group thousands: 4 650 000, 850 000,50
        whole, sep, fraction = number.rpartition(",") if "," in number else number.rpartition(".")
        if not sep:
            whole, fraction = number, ""
        elif sep == "." and len(fraction) == 3:  # 4 650.000: two kinds of thousands separator
            return None
        head, *groups = whole.split(" ")
        if not head.isdigit() or not all(len(g) == 3 and g.isdigit() for g in groups):
            return None
        return _decimal(head + "".join(groups), fraction)
    dots, commas = number.count("."), number.count(",")
    if dots and commas:  # 1.234.567,89 or 1,234,567.89: the last one is the decimal mark
        decimal_mark = "," if number.rfind(",") > number.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        whole, _, fraction = number.rpartition(decimal_mark)
        if not _grouped(whole, thousands):
            return None
        return _decimal(whole.replace(thousands, ""), fraction)
    if commas > 1:  # 1,600,000
        return _decimal(number.replace(",", ""), "") if _grouped(number, ",") else None
    if commas == 1:  # Swedish decimal comma: 1,6 and 850000,50
        whole, _, fraction = number.partition(",")
        return _decimal(whole, fraction)
    if dots > 1 or (dots == 1 and _grouped(number, ".")):  # 4.650.000 and 4.650
        return _decimal(number.replace(".", ""), "") if _grouped(number, ".") else None
    whole, _, fraction = number.partition(".")  # 12.6
    return _decimal(whole, fraction)


def _decimal(whole: str, fraction: str) -> Decimal | None:
    if not whole.isdigit() or (fraction and not fraction.isdigit()):
        return None
    return Decimal(f"{whole}.{fraction}" if fraction else whole)


def _too_large(shown: str) -> ValueProblem:
    return ValueProblem(f"Beloppet ”{_quote(shown)}” är orimligt stort. Skriv beloppet i kronor, t.ex. 4 650 000.")


def _whole_kronor(amount: Decimal, shown: str) -> int:
    if amount < 0:
        raise ValueProblem("Beloppet kan inte vara negativt.")
    # Checked before rounding: Decimal rounds to 28 digits, and a longer number cannot be rounded to whole kronor.
    if amount >= MAX_AMOUNT + Decimal("0.5"):
        raise _too_large(shown)
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _finite(value: float | Decimal) -> bool:
    return math.isfinite(value) if isinstance(value, float) else value.is_finite()


def parse_amount(value: Any) -> int:
    """An amount in whole kronor (rounded half up) from a number cell or text such as 4 650 000, 1,6 milj, 6256 tkr."""
    _check_readable(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueProblem(f"Beloppet saknas. {_AMOUNT_EXAMPLE}")
    if isinstance(value, int) and not isinstance(value, bool):
        return _whole_kronor(Decimal(value), str(value))
    if isinstance(value, float | Decimal) and _finite(value):
        return _whole_kronor(Decimal(repr(value)) if isinstance(value, float) else value, _number_text(value))
    if not isinstance(value, str):
        raise ValueProblem(f"Cellen innehåller inget belopp. {_AMOUNT_EXAMPLE}")

    shown = " ".join(_plain(value).split())
    text = shown.casefold()
    negative = False
    if text.startswith("(") and text.endswith(")"):  # accountants' negative: (5 000)
        text, negative = text[1:-1].strip(), True
    for _ in range(2):  # "-5 000 kr", "kr -5 000", "- 5 000:-"
        text = _strip_currency(text)
        if text[:1] in _MINUS_SIGNS:
            text, negative = text[1:].lstrip(), True
        elif text[:1] == "+":
            text = text[1:].lstrip()

    amount = None
    match = _AMOUNT.fullmatch(text.rstrip("."))
    if match and (match["unit"] is None or match["unit"] in _MULTIPLIERS):
        number = match["number"].strip()
        unit = match["unit"]
        # 1,600 kr and 1.600 milj can be read two ways a thousand times apart: ask rather than guess
        if unit is None and re.fullmatch(r"\d{1,3},\d{3}", number):
            digits = number.replace(",", "")
            grouped = f"{int(digits):,}".replace(",", "\u00a0")
            raise ValueProblem(f"”{_quote(shown)}” är otydligt. Skriv {digits} om beloppet är {grouped} kronor.")
        if unit is not None and re.fullmatch(r"\d{1,3}\.\d{3}", number):
            decimal = format(Decimal(number).normalize(), "f").replace(".", ",")
            raise ValueProblem(
                f"”{_quote(shown)}” är otydligt. Skriv {decimal} {unit} eller {number.replace('.', '')} {unit}."
            )
        amount = _to_decimal(number)
    if amount is None:
        raise ValueProblem(f"”{_quote(shown)}” är inget belopp. {_AMOUNT_EXAMPLE}")
    if negative and amount != 0:
        raise ValueProblem("Beloppet kan inte vara negativt.")
    if amount > MAX_AMOUNT:  # too large whatever the unit; multiplying a number of a million digits would overflow
        raise _too_large(shown)
    return _whole_kronor(amount * _MULTIPLIERS.get(match["unit"] or "", 1), shown)


# ---------------------------------------------------------------- dates

_DATE_EXAMPLE = "Skriv t.ex. 2005-01-31 eller jan 2005."
_MONTH_NAMES = [
    ("januari", "jan", "january"),
    ("februari", "feb", "febr", "february"),
    ("mars", "mar", "march"),
    ("april", "apr"),
    ("maj", "may"),
    ("juni", "jun", "june"),
    ("juli", "jul", "july"),
    ("augusti", "aug", "august"),
    ("september", "sep", "sept"),
    ("oktober", "okt", "oct", "october"),
    ("november", "nov"),
    ("december", "dec"),
]
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names}

_ISO = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ t]\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DAY_FIRST = re.compile(r"(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*(?:[-/.]|\s)\s*(\d{4})")
_YEAR_MONTH = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})")
_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[-/]\s*(\d{4})")
_YEAR = re.compile(r"\d{4}")
_NAMED = re.compile(r"(?:(\d{1,2})(?:\s*:?[ae])?\.?\s*)?([^\W\d_]+)\.?\s*,?\s*(\d{4})")


def _date(year: int, month: int, day: int | None, *, end: bool) -> datetime.date | None:
    if not FIRST_YEAR <= year <= LAST_YEAR or not 1 <= month <= 12:
        return None
    if day is None:
        day = calendar.monthrange(year, month)[1] if end else 1
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _date_from_text(text: str, *, end: bool) -> datetime.date | None:
    text = " ".join(text.casefold().split()).rstrip(".")
    if m := _ISO.fullmatch(text):
        return _date(int(m[1]), int(m[3]), int(m[4]), end=end)
    if m := _COMPACT.fullmatch(text):
        return _date(int(m[1]), int(m[2]), int(m[3]), end=end)
    if m := _DAY_FIRST.fullmatch(text):
        return _date(int(m[4]), int(m[3]), int(m[1]), end=end)
    if m := _YEAR_MONTH.fullmatch(text):
        return _date(int(m[1]), int(m[2]), None, end=end)
    if m := _MONTH_YEAR.fullmatch(text):
        return _date(int(m[2]), int(m[1]), None, end=end)
    if _YEAR.fullmatch(text):
        year = int(text)
        return _date(year, 12 if end else 1, 31 if end else 1, end=end)
    if m := _NAMED.fullmatch(text):
        month = _MONTHS.get(m[2])
        if month is None:
            return None
        return _date(int(m[3]), month, int(m[1]) if m[1] else None, end=end)
    return None


def parse_date(value: Any, *, end: bool = False) -> datetime.date:
    """A date from a date cell, an Excel serial number or text such as 2005-01-01, 1/1-2005, jan 2005 or 2005.

    A month or a year alone means its first day, or its last day when `end` is true (for end dates).
    """
    _check_readable(value)
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if not isinstance(value, int) and not _finite(value):
            raise ValueProblem(f"Cellen innehåller inget datum. {_DATE_EXAMPLE}")
        if 20000 <= value <= 80000:  # an Excel serial number (1954–2119)
            return EXCEL_EPOCH + datetime.timedelta(days=int(value))
        if value == int(value):  # a year or 20050101 typed as a number
            found = _date_from_text(str(int(value)), end=end)
            if found:
                return found
        raise ValueProblem(f"”{_shown_number(value)}” är inget datum. {_DATE_EXAMPLE}")
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueProblem(f"Datumet saknas. {_DATE_EXAMPLE}")
    shown = " ".join(_plain(str(value)).split())
    found = _date_from_text(shown, end=end)
    if found is None:
        raise ValueProblem(f"”{_quote(shown)}” är inget datum. {_DATE_EXAMPLE}")
    return found


# ---------------------------------------------------------------- whole numbers, times, lists, choices


_INTEGER = re.compile(rf"([+{re.escape(_MINUS_SIGNS)}]?)\s*(\d{{1,3}}(?: \d{{3}})+|\d+)(?:[.,]0+)?")
MAX_INT_DIGITS = 15  # ids, years and item numbers: a longer number is a mistake (and Python refuses 4 300 digits)


def _bounded_int(number: int, shown: Any) -> int:
    if abs(number) >= 10**MAX_INT_DIGITS:
        raise _int_too_large(shown)
    return number


def _int_too_large(shown: Any) -> ValueProblem:
    text = shown if isinstance(shown, str) else _shown_number(shown)
    return ValueProblem(f"”{_quote(text)}” är för stort. Skriv ett heltal med högst {MAX_INT_DIGITS} siffror.")


def parse_int(value: Any) -> int:
    """A whole number from a number cell or text ("3", "1 000"); decimals other than ,0 are refused."""
    _check_readable(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueProblem("Talet saknas. Skriv t.ex. 3.")
    if isinstance(value, int) and not isinstance(value, bool):
        return _bounded_int(value, value)
    if isinstance(value, float | Decimal) and _finite(value) and value == int(value):
        return _bounded_int(int(value), value)
    if isinstance(value, str):
        shown = " ".join(_plain(value).split())
    elif isinstance(value, float | Decimal):
        shown = _shown_number(value) if _finite(value) else str(value)
    else:
        shown = clean_text(value) or ""
    m = _INTEGER.fullmatch(shown)
    if not isinstance(value, str) or not m:
        raise ValueProblem(f"”{_quote(shown)}” är inget heltal. Skriv t.ex. 3.")
    digits = m[2].replace(" ", "")
    if len(digits.lstrip("0")) > MAX_INT_DIGITS:
        raise _int_too_large(shown)
    number = int(digits)
    return _bounded_int(-number if m[1] not in ("", "+") else number, shown)


_TIME = re.compile(r"(?:kl\.?\s*)?(\d{1,2})(?:\s*[.:]\s*(\d{2})(?:[.:](\d{2}))?)?")


def parse_time(value: Any) -> datetime.time:
    """A time of day from a time cell or text such as 13.00, 13:00, 9.30 or kl 13."""
    _check_readable(value)
    if isinstance(value, datetime.datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, datetime.time):
        return value.replace(microsecond=0, tzinfo=None)
    if isinstance(value, float) and 0 <= value < 1:  # Excel stores a time as a fraction of a day
        minutes = round(value * 24 * 60)
        if minutes < 24 * 60:
            return datetime.time(minutes // 60, minutes % 60)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueProblem("Tiden saknas. Skriv t.ex. 13.00.")
    shown = " ".join(_plain(value).split()) if isinstance(value, str) else clean_text(value) or ""
    m = _TIME.fullmatch(shown.casefold())
    if m:
        hour, minute, second = int(m[1]), int(m[2] or 0), int(m[3] or 0)
        if hour < 24 and minute < 60 and second < 60:
            return datetime.time(hour, minute, second)
    raise ValueProblem(f"”{_quote(shown)}” är ingen tid. Skriv t.ex. 13.00.")


_LIST_SEPARATORS = re.compile(r"\s*(?:[,;\n]|\s(?:och|samt)\s)\s*", re.IGNORECASE)


def parse_list(value: Any) -> list[str]:
    """Items separated by comma, semicolon, new line, "och" or "samt"; trimmed, in order, without duplicates."""
    text = clean_text(value)
    if text is None:
        return []
    items: list[str] = []
    for item in _LIST_SEPARATORS.split(text):
        item = item.strip()
        if item and item not in items:
            items.append(item)
    return items


def parse_choice(value: Any, choices: dict[str, str], *, what: str) -> str:
    """The canonical value for `value` among `choices` (folded spelling → canonical value), compared folded."""
    text = clean_text(value)
    canonical = ", ".join(dict.fromkeys(choices.values()))
    if text is None:
        raise ValueProblem(f"Ange {what}. Välj {canonical}.")
    found = choices.get(fold(text))
    if found is None:
        raise ValueProblem(f"Okänd {what}: ”{_quote(text)}”. Välj {canonical}.")
    return found
