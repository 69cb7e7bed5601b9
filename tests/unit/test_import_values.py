"""Cell values as Swedish files write them: text, amounts, dates, whole numbers, times, lists and choices."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from data.imports.values import (
    UnreadableCell,
    ValueProblem,
    clean_text,
    fold,
    normalise_header,
    parse_amount,
    parse_choice,
    parse_date,
    parse_int,
    parse_list,
    parse_time,
)

AMOUNT_HINT = "Skriv t.ex. 4 650 000, 1,6 milj eller 6256 tkr."
TOO_BIG_HINT = "Skriv beloppet i kronor, t.ex. 4 650 000."
DATE_HINT = "Skriv t.ex. 2005-01-31 eller jan 2005."


# ---------------------------------------------------------------- text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("   \t\n", None),
        ("\u00a0", None),
        ("  Umeå  ", "Umeå"),
        ("Ume\u0061\u030a", "Umeå"),  # decomposed å (as macOS writes it) becomes one character
        ("4\u00a0650\u202f000", "4 650 000"),
        ("a\u200bb\ufeff", "ab"),
        ("rad ett\r\nrad två\rrad tre", "rad ett\nrad två\nrad tre"),
        ("rad ett\x0brad två", "rad ett\nrad två"),  # a line break pasted from Word
        ("kolumn\tmed tabb", "kolumn\tmed tabb"),
        # OWASP CSV injection: kept as plain text, never evaluated and never altered
        ("=SUMMA(A1:A3)", "=SUMMA(A1:A3)"),
        ("+46 90 16 10 00", "+46 90 16 10 00"),
        ("-5 000", "-5 000"),
        ("@kommunen", "@kommunen"),
        ("\t=1+1", "=1+1"),
        ("\r=1+1", "=1+1"),
        (3, "3"),
        (3.0, "3"),
        (2.5, "2.5"),
        (0.1 + 0.2, "0.3"),
        (Decimal("4.50"), "4.5"),
        (True, "Ja"),
        (False, "Nej"),
        (dt.date(2005, 1, 31), "2005-01-31"),
        (dt.datetime(2005, 1, 31), "2005-01-31"),
        (dt.datetime(2005, 1, 31, 13, 30), "2005-01-31 13:30"),
        (dt.time(9, 30), "09:30"),
    ],
)
def test_clean_text(value, expected):
    assert clean_text(value) == expected


@pytest.mark.parametrize("value", ["a\x00b", "\x07", "namn\x1b[31m", "x\x7f"])
def test_clean_text_refuses_control_characters(value):
    with pytest.raises(ValueProblem, match=r"^Texten innehåller otillåtna tecken\.$"):
        clean_text(value)


def test_problems_are_value_errors():
    assert issubclass(ValueProblem, ValueError)


UNREADABLE = UnreadableCell("TEST", "Cellen innehåller en formel utan sparat värde.", "(formel)")


@pytest.mark.parametrize(
    "parse",
    [clean_text, parse_amount, parse_date, parse_int, parse_time, parse_list, lambda v: parse_choice(v, {}, what="x")],
)
def test_every_parser_reports_an_unreadable_cell(parse):
    with pytest.raises(ValueProblem, match=r"^Cellen innehåller en formel utan sparat värde\.$"):
        parse(UNREADABLE)
    assert str(UNREADABLE) == "(formel)" and repr(UNREADABLE) == "TEST"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Projektnamn", "projektnamn"),
        ("  Örnsköldsvik ", "ornskoldsvik"),
        ("UMEÅ", "umea"),
        ("Belopp (kr)", "belopp kr"),
        ("Start-datum:", "start-datum"),
        ("Nr.*", "nr"),
        ("Två\u00a0\u00a0ord\ni  rad", "tva ord i rad"),
        ("Straße", "strasse"),
    ],
)
def test_fold(text, expected):
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, ""),
        ("", ""),
        ("Start_datum", "start datum"),
        ("start-datum", "start datum"),
        ("  STARTDATUM *", "startdatum"),
        ("Belopp (kr)", "belopp kr"),
        ("Kommun\n(en eller flera)", "kommun en eller flera"),
        (2024, "2024"),
        (UNREADABLE, ""),
    ],
)
def test_normalise_header(header, expected):
    assert normalise_header(header) == expected


# ---------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("4 650 000", 4_650_000),
        ("4\u00a0650\u00a0000", 4_650_000),
        ("4\u202f650\u202f000", 4_650_000),
        ("4650000", 4_650_000),
        ("850 000,50", 850_001),
        ("850 000,49", 850_000),
        ("850 000.50", 850_001),
        ("1,6 milj", 1_600_000),
        ("12.6 milj", 12_600_000),
        ("1,6 miljoner", 1_600_000),
        ("1,6milj", 1_600_000),
        ("1,6 milj. kr", 1_600_000),
        ("2,4 mkr", 2_400_000),
        ("2,4 Mkr", 2_400_000),
        ("2,4 MSEK", 2_400_000),
        ("6256 tkr", 6_256_000),
        ("6256 KKR", 6_256_000),
        ("6 256 kkr", 6_256_000),
        ("500 tusen", 500_000),
        ("1,2 miljarder", 1_200_000_000),
        ("10 milj kr", 10_000_000),
        ("4 650 000 kr", 4_650_000),
        ("4 650 000 kronor", 4_650_000),
        ("4 650 000:-", 4_650_000),
        ("500,-", 500),
        ("kr 500", 500),
        ("4.650.000", 4_650_000),
        ("4.650", 4_650),
        ("1.234.567,89", 1_234_568),
        ("1,234,567.89", 1_234_568),
        ("1,600,000", 1_600_000),
        ("1 000 000 SEK", 1_000_000),
        ("SEK 1 000 000", 1_000_000),
        ("+5 000", 5_000),
        ("0", 0),
        ("-0", 0),
        (4_650_000, 4_650_000),
        (4_650_000.0, 4_650_000),
        (850_000.5, 850_001),
        (850_000.49, 850_000),
        (Decimal("12.5"), 13),
        (0, 0),
    ],
)
def test_parse_amount(value, expected):
    assert parse_amount(value) == expected
    assert type(parse_amount(value)) is int


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5 000", "Beloppet kan inte vara negativt."),
        ("\u22125 000", "Beloppet kan inte vara negativt."),  # the real minus sign
        ("\u20135 000 kr", "Beloppet kan inte vara negativt."),  # an en dash, as Word autocorrects it
        ("(5 000)", "Beloppet kan inte vara negativt."),
        ("-1,6 milj", "Beloppet kan inte vara negativt."),
        (-5000, "Beloppet kan inte vara negativt."),
        (-0.5, "Beloppet kan inte vara negativt."),
        (None, f"Beloppet saknas. {AMOUNT_HINT}"),
        ("", f"Beloppet saknas. {AMOUNT_HINT}"),
        ("  ", f"Beloppet saknas. {AMOUNT_HINT}"),
        ("abc", f"”abc” är inget belopp. {AMOUNT_HINT}"),
        ("kr", f"”kr” är inget belopp. {AMOUNT_HINT}"),
        ("12 13", f"”12 13” är inget belopp. {AMOUNT_HINT}"),
        ("4 65 000", f"”4 65 000” är inget belopp. {AMOUNT_HINT}"),
        ("4 650.000", f"”4 650.000” är inget belopp. {AMOUNT_HINT}"),
        ("1.6.2", f"”1.6.2” är inget belopp. {AMOUNT_HINT}"),
        ("1,6 mil", f"”1,6 mil” är inget belopp. {AMOUNT_HINT}"),
        ("ca 500 000", f"”ca 500 000” är inget belopp. {AMOUNT_HINT}"),
        ("50 %", f"”50 %” är inget belopp. {AMOUNT_HINT}"),
        ("1e5", f"”1e5” är inget belopp. {AMOUNT_HINT}"),
        ("5 000-", f"”5 000-” är inget belopp. {AMOUNT_HINT}"),
        (True, f"Cellen innehåller inget belopp. {AMOUNT_HINT}"),
        (float("nan"), f"Cellen innehåller inget belopp. {AMOUNT_HINT}"),
        (float("inf"), f"Cellen innehåller inget belopp. {AMOUNT_HINT}"),
        (dt.date(2005, 1, 1), f"Cellen innehåller inget belopp. {AMOUNT_HINT}"),
        ("1,600", "”1,600” är otydligt. Skriv 1600 om beloppet är 1\u00a0600 kronor."),
        ("1.600 milj", "”1.600 milj” är otydligt. Skriv 1,6 milj eller 1600 milj."),
        ("2.000 tkr", "”2.000 tkr” är otydligt. Skriv 2 tkr eller 2000 tkr."),
        (
            "99 999 999 999 999",
            "Beloppet ”99 999 999 999 999” är orimligt stort. Skriv beloppet i kronor, t.ex. 4 650 000.",
        ),
        (
            "20 000 miljarder",
            "Beloppet ”20 000 miljarder” är orimligt stort. Skriv beloppet i kronor, t.ex. 4 650 000.",
        ),
        (10**14, "Beloppet ”100000000000000” är orimligt stort. Skriv beloppet i kronor, t.ex. 4 650 000."),
    ],
)
def test_parse_amount_refuses(value, message):
    with pytest.raises(ValueProblem) as problem:
        parse_amount(value)
    assert str(problem.value) == message


def test_amount_messages_shorten_long_text():
    with pytest.raises(ValueProblem) as problem:
        parse_amount("x" * 200)
    assert str(problem.value) == f"”{'x' * 59}…” är inget belopp. {AMOUNT_HINT}"


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("2005-01-01", "2005-01-01", "2005-01-01"),
        ("2005-1-1", "2005-01-01", "2005-01-01"),
        ("20050101", "2005-01-01", "2005-01-01"),
        ("1/1-2005", "2005-01-01", "2005-01-01"),
        ("22/8-2019", "2019-08-22", "2019-08-22"),
        ("1/1 2005", "2005-01-01", "2005-01-01"),
        ("1.1.2005", "2005-01-01", "2005-01-01"),
        ("31.12.2005", "2005-12-31", "2005-12-31"),
        ("2005/01/01", "2005-01-01", "2005-01-01"),
        ("2005-01-01 00:00:00", "2005-01-01", "2005-01-01"),
        ("2005-01", "2005-01-01", "2005-01-31"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("01/2005", "2005-01-01", "2005-01-31"),
        ("jan 2005", "2005-01-01", "2005-01-31"),
        ("januari 2005", "2005-01-01", "2005-01-31"),
        ("Jan. 2005", "2005-01-01", "2005-01-31"),
        ("JANUARI 2005", "2005-01-01", "2005-01-31"),
        ("1 januari 2005", "2005-01-01", "2005-01-01"),
        ("1 jan 2005", "2005-01-01", "2005-01-01"),
        ("1:a maj 2020", "2020-05-01", "2020-05-01"),
        ("maj 2020", "2020-05-01", "2020-05-31"),
        ("okt 2020", "2020-10-01", "2020-10-31"),
        ("sept. 2021", "2021-09-01", "2021-09-30"),
        ("Oct 2020", "2020-10-01", "2020-10-31"),
        ("december 2019", "2019-12-01", "2019-12-31"),
        ("2005", "2005-01-01", "2005-12-31"),
        (" 2005 ", "2005-01-01", "2005-12-31"),
        (dt.date(2005, 1, 31), "2005-01-31", "2005-01-31"),
        (dt.datetime(2005, 1, 31, 13, 0), "2005-01-31", "2005-01-31"),
        (38353, "2005-01-01", "2005-01-01"),  # Excel's serial number for 2005-01-01
        (38353.75, "2005-01-01", "2005-01-01"),
        (2005, "2005-01-01", "2005-12-31"),  # a year typed into a number cell
        (20050101, "2005-01-01", "2005-01-01"),
    ],
)
def test_parse_date(value, start, end):
    assert parse_date(value) == dt.date.fromisoformat(start)
    assert parse_date(value, end=True) == dt.date.fromisoformat(end)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/2-2005", f"”31/2-2005” är inget datum. {DATE_HINT}"),
        ("31/13-2005", f"”31/13-2005” är inget datum. {DATE_HINT}"),
        ("2005-13", f"”2005-13” är inget datum. {DATE_HINT}"),
        ("2005-02-30", f"”2005-02-30” är inget datum. {DATE_HINT}"),
        ("32 jan 2005", f"”32 jan 2005” är inget datum. {DATE_HINT}"),
        ("snart", f"”snart” är inget datum. {DATE_HINT}"),
        ("hösten 2019", f"”hösten 2019” är inget datum. {DATE_HINT}"),
        ("0205", f"”0205” är inget datum. {DATE_HINT}"),
        ("1/1-05", f"”1/1-05” är inget datum. {DATE_HINT}"),
        (5, f"”5” är inget datum. {DATE_HINT}"),
        (2.5, f"”2,5” är inget datum. {DATE_HINT}"),
        (None, f"Datumet saknas. {DATE_HINT}"),
        ("", f"Datumet saknas. {DATE_HINT}"),
        (float("nan"), f"Cellen innehåller inget datum. {DATE_HINT}"),
    ],
)
def test_parse_date_refuses(value, message):
    with pytest.raises(ValueProblem) as problem:
        parse_date(value)
    assert str(problem.value) == message


# ---------------------------------------------------------------- whole numbers, times, lists, choices


@pytest.mark.parametrize(
    ("value", "expected"),
    [("3", 3), (3, 3), (3.0, 3), (Decimal("3"), 3), (" 12 ", 12), ("1 000", 1000), ("3,0", 3), ("-2", -2), ("+4", 4)],
)
def test_parse_int(value, expected):
    assert parse_int(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("3,5", "”3,5” är inget heltal. Skriv t.ex. 3."),
        (3.5, "”3,5” är inget heltal. Skriv t.ex. 3."),
        ("tre", "”tre” är inget heltal. Skriv t.ex. 3."),
        ("1 00", "”1 00” är inget heltal. Skriv t.ex. 3."),
        (True, "”Ja” är inget heltal. Skriv t.ex. 3."),
        (None, "Talet saknas. Skriv t.ex. 3."),
        ("", "Talet saknas. Skriv t.ex. 3."),
    ],
)
def test_parse_int_refuses(value, message):
    with pytest.raises(ValueProblem) as problem:
        parse_int(value)
    assert str(problem.value) == message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13.00", dt.time(13, 0)),
        ("13:00", dt.time(13, 0)),
        ("9.30", dt.time(9, 30)),
        ("09:30:15", dt.time(9, 30, 15)),
        ("kl 13", dt.time(13, 0)),
        ("kl. 8.15", dt.time(8, 15)),
        (13, dt.time(13, 0)),
        (dt.time(13, 0), dt.time(13, 0)),
        (dt.datetime(2024, 5, 1, 13, 0), dt.time(13, 0)),
        (0.5625, dt.time(13, 30)),  # Excel's fraction of a day
    ],
)
def test_parse_time(value, expected):
    assert parse_time(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("25.00", "”25.00” är ingen tid. Skriv t.ex. 13.00."),
        ("13.75", "”13.75” är ingen tid. Skriv t.ex. 13.00."),
        ("eftermiddag", "”eftermiddag” är ingen tid. Skriv t.ex. 13.00."),
        ("13.00-15.00", "”13.00-15.00” är ingen tid. Skriv t.ex. 13.00."),
        (None, "Tiden saknas. Skriv t.ex. 13.00."),
    ],
)
def test_parse_time_refuses(value, message):
    with pytest.raises(ValueProblem) as problem:
        parse_time(value)
    assert str(problem.value) == message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Umeå, Vännäs; Örnsköldsvik", ["Umeå", "Vännäs", "Örnsköldsvik"]),
        ("Umeå och Vännäs", ["Umeå", "Vännäs"]),
        ("Umeå, Vännäs och Robertsfors", ["Umeå", "Vännäs", "Robertsfors"]),
        ("Umeå samt Nordmaling", ["Umeå", "Nordmaling"]),
        ("Umeå\nVännäs\r\nBjurholm", ["Umeå", "Vännäs", "Bjurholm"]),
        ("  Umeå ,, ;Vännäs , ", ["Umeå", "Vännäs"]),
        ("Umeå, Vännäs, Umeå", ["Umeå", "Vännäs"]),
        ("Umeå, umeå", ["Umeå", "umeå"]),  # only exact duplicates go; the caller normalises names
        ("Bjurholm", ["Bjurholm"]),
        ("Kochs väg", ["Kochs väg"]),  # "och" only separates as a word of its own
        ("", []),
        (None, []),
    ],
)
def test_parse_list(value, expected):
    assert parse_list(value) == expected


STATUS = {"planerad": "Planerad", "pagaende": "Pågående", "paborjad": "Pågående", "avslutad": "Avslutad"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Pågående", "Pågående"), ("PAGAENDE", "Pågående"), ("påbörjad", "Pågående"), (" avslutad. ", "Avslutad")],
)
def test_parse_choice(value, expected):
    assert parse_choice(value, STATUS, what="status") == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("klar", "Okänd status: ”klar”. Välj Planerad, Pågående, Avslutad."),
        (None, "Ange status. Välj Planerad, Pågående, Avslutad."),
        ("  ", "Ange status. Välj Planerad, Pågående, Avslutad."),
    ],
)
def test_parse_choice_refuses(value, message):
    with pytest.raises(ValueProblem) as problem:
        parse_choice(value, STATUS, what="status")
    assert str(problem.value) == message
