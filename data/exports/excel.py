"""The meeting pack as Excel: one sheet per table, Swedish headers, the filter written at the top of every sheet,
numbers as numbers and dates as dates (with formats that Swedish Excel shows as `4 650 000 kr` and `2019-05-16`),
and no cell that Excel would run as a formula: every text cell is written as text, whatever it begins with."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from data.changes import funding_text
from data.format import format_date

KR = '#,##0 "kr"'
PERCENT = "0.0%"
DATE = "yyyy-mm-dd"
HEADER_ROW = 4
EMPTY = "Inga rader för det här urvalet."
TEXT, NUMBER, KRONOR, DAY, SHARE, ANY = "text", "number", "kr", "date", "share", "any"
FORMATS = {NUMBER: "#,##0", KRONOR: KR, DAY: DATE, SHARE: PERCENT}
PERIODS = {"år": "per år", "totalt": "hela perioden", None: ""}


def _text(value: Any) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _sheet(wb: Workbook, title: str, pack: dict, columns: list[tuple[str, str, int]], rows: list[list[Any]]):
    """A sheet: title and filter on top, then the header (bold, frozen, with autofilter) and the rows.

    `columns` are (header, kind, width); a kind says how a value is written: text always as text (never a formula),
    numbers and kronor as numbers, dates as dates.
    """
    ws = wb.create_sheet(title)
    ws.cell(1, 1, title).font = Font(bold=True, size=14)
    ws.cell(2, 1, _text(f"{pack['filter_text']} · skapad {format_date(pack['today'])}"))
    if pack["filter"].kommun:
        ws.cell(
            3, 1, f"Projekt och uppdrag som berör {pack['filter'].kommun}; planens aktiviteter gäller hela regionen."
        )
    for c, (header, _, width) in enumerate(columns, start=1):
        cell = ws.cell(HEADER_ROW, c, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(c)].width = width
    for r, row in enumerate(rows, start=HEADER_ROW + 1):
        for c, ((_, kind, _), value) in enumerate(zip(columns, row, strict=True), start=1):
            if value is None or value == "":
                continue
            if kind == ANY:
                kind = NUMBER if isinstance(value, int | float) and not isinstance(value, bool) else TEXT
            if kind == TEXT:
                cell = ws.cell(r, c, _text(value))
                cell.data_type = "s"  # "=SUMMA(…)" in a project name stays text
            else:
                cell = ws.cell(r, c, value)
                cell.number_format = FORMATS[kind]
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(len(rows), 1)}"
    if not rows:
        ws.cell(HEADER_ROW + 1, 1, EMPTY)
    return ws


def _overview(pack: dict) -> list[list[Any]]:
    f = pack["figures"]
    plan = pack["plan"]
    rows = [
        ["Projekt", f["project_count"], None],
        ["Pågående projekt", f["active_projects"], None],
        ["Total budget (hela tidsramen)", None, f["total_budget"]],
        ["Projekt utan budget eller tidsram", f["projects_without_budget"], None],
        ["Öppna uppdrag", f["open_tasks"], None],
        ["Försenade uppdrag", f["overdue_tasks"], None],
        ["Att uppmärksamma", pack["signals"]["count"], None],
    ]
    if plan:
        rows.append([f"Verksamhetsplan {plan['year']}: insatsområden", len(pack["focus_areas"]), None])
    return rows


def _signals(pack: dict) -> list[list[Any]]:
    return [[g["label"], s["title"], s["reason"]] for g in pack["signals"]["groups"] for s in g["signals"]]


def _focus_areas(pack: dict) -> list[list[Any]]:
    return [
        [
            fa["name"],
            fa["label"],
            len(fa["activities"]),
            fa["activities_text"],
            len(fa["projects"]),
            fa["projects_text"],
        ]
        for fa in pack["focus_areas"]
    ]


def _activities(pack: dict) -> list[list[Any]]:
    return [
        [fa["name"], a["title"], a["responsible"], a["status"], a["due_text"], a["due_date"]]
        for fa in pack["focus_areas"]
        for a in fa["activities"]
    ]


def _projects(pack: dict) -> list[list[Any]]:
    return [
        [
            p["name"],
            p["focus_area"],
            p["plan_year"],
            p["status"],
            p["start"],
            p["end"],
            p["time_frame_text"],
            p["owner_organisation"],
            p["contact_name"],
            ", ".join(p["municipalities"]),
            p["budget_amount"],
            PERIODS.get(p["budget_period"], p["budget_period"]),
            p["funding_sum"],
            p["unspecified_amount"],
            len(p["phases"]),
        ]
        for p in pack["projects"]
    ]


def _phases(pack: dict) -> list[list[Any]]:
    return [[p["name"], ph["name"], ph["start"], ph["end"]] for p in pack["projects"] for ph in p["phases"]]


def _funding(pack: dict) -> list[list[Any]]:
    return [
        [p["name"], f["funder"], f["kind"], f["amount"], PERIODS.get(f["period"], f["period"])]
        for p in pack["projects"]
        for f in p["funding"]
    ]


def _mix(pack: dict) -> list[list[Any]]:
    return [[r["label"], r["amount"], r["share"]] for r in pack["funding_mix"]["rows"]]


def _at(d: dict) -> dt.date | None:
    at = d.get("at")
    return dt.date.fromisoformat(at[:10]) if at else None


def _changes(pack: dict) -> list[list[Any]]:
    c = pack["changes"]
    rows: list[list[Any]] = []
    t = c["tasks"]
    for key, word in (("added", "Nytt uppdrag"), ("completed", "Klart"), ("overdue", "Nu försenat")):
        rows += [["Uppdrag", word, x["text"], None, None, None, _at(x), x.get("username")] for x in t[key]]
    rows += [
        ["Uppdrag", "Nytt datum", x["text"], "Klart senast", x["old_due_date"], x["due_date"], _at(x), x["username"]]
        for x in t["redated"]
    ]
    for p in c["projects"]:
        for ch in p["changes"]:
            old, new = ch["old"], ch["new"]
            rows.append(
                ["Projekt", "Ändrat", p["name"], ch["label"], _plain(old), _plain(new), _at(ch), ch["username"]]
            )
    rows += [
        ["Aktivitet", "Ny status", a["title"], "Status", a["old_status"], a["new_status"], _at(a), a["username"]]
        for a in c["activities"]
    ]
    rows += [
        ["Import", b["kind"], b["filename"], "Rader", None, _counts(b["counts"]), _at(b), b["username"]]
        for b in c["imports"]
    ]
    return rows


def _plain(value: Any) -> Any:
    """A changed value as a cell: numbers stay numbers, a funding line reads as words."""
    if isinstance(value, dict):
        return funding_text(value)
    return value


def _counts(counts: dict | None) -> str:
    return ", ".join(f"{v} {k}" for k, v in (counts or {}).items() if v) or "inga"


def _tasks(pack: dict) -> list[list[Any]]:
    return [
        [
            t["text"],
            ", ".join(t["owners"]),
            t["municipality"],
            t["due"],
            t["due_text"],
            t["status"],
            "ja" if t["overdue"] else "nej",
            t["meeting"],
            t["agenda_item_number"],
            t["agenda_item_title"],
        ]
        for t in pack["tasks"]
    ]


SHEETS: list[tuple[str, list[tuple[str, str, int]], Callable[[dict], list[list[Any]]]]] = [
    ("Översikt", [("Mått", TEXT, 40), ("Antal", NUMBER, 12), ("Belopp", KRONOR, 18)], _overview),
    ("Att uppmärksamma", [("Typ", TEXT, 40), ("Vad", TEXT, 50), ("Varför", TEXT, 90)], _signals),
    (
        "Insatsområden",
        [
            ("Insatsområde", TEXT, 40),
            ("Status", TEXT, 16),
            ("Aktiviteter", NUMBER, 12),
            ("Aktiviteternas status", TEXT, 40),
            ("Projekt", NUMBER, 10),
            ("Projektens status", TEXT, 40),
        ],
        _focus_areas,
    ),
    (
        "Aktiviteter",
        [
            ("Insatsområde", TEXT, 30),
            ("Aktivitet", TEXT, 60),
            ("Ansvarig", TEXT, 24),
            ("Status", TEXT, 12),
            ("Klart (som skrivet)", TEXT, 20),
            ("Klart senast", DAY, 14),
        ],
        _activities,
    ),
    (
        "Projekt",
        [
            ("Projekt", TEXT, 40),
            ("Insatsområde", TEXT, 30),
            ("Planår", NUMBER, 8),
            ("Status", TEXT, 12),
            ("Start", DAY, 12),
            ("Slut", DAY, 12),
            ("Tidsram (som skrivet)", TEXT, 20),
            ("Projektägare", TEXT, 24),
            ("Kontaktperson", TEXT, 22),
            ("Kommuner", TEXT, 30),
            ("Budget (kr)", KRONOR, 16),
            ("Budgetperiod", TEXT, 14),
            ("Finansiärer, summa (kr)", KRONOR, 18),
            ("Ej specificerat (kr)", KRONOR, 18),
            ("Etapper", NUMBER, 9),
        ],
        _projects,
    ),
    ("Etapper", [("Projekt", TEXT, 40), ("Etapp", TEXT, 40), ("Start", DAY, 12), ("Slut", DAY, 12)], _phases),
    (
        "Finansiering",
        [
            ("Projekt", TEXT, 40),
            ("Finansiär", TEXT, 36),
            ("Typ", TEXT, 18),
            ("Belopp (kr)", KRONOR, 16),
            ("Period", TEXT, 14),
        ],
        _funding,
    ),
    (
        "Finansieringsmix",
        [("Typ av finansiär", TEXT, 24), ("Belopp, hela tidsramen (kr)", KRONOR, 24), ("Andel", SHARE, 10)],
        _mix,
    ),
    (
        "Sedan förra mötet",
        [
            ("Område", TEXT, 12),
            ("Händelse", TEXT, 16),
            ("Vad", TEXT, 50),
            ("Fält", TEXT, 16),
            ("Före", ANY, 24),
            ("Efter", ANY, 24),
            ("Datum", DAY, 12),
            ("Av", TEXT, 14),
        ],
        _changes,
    ),
    (
        "Uppdrag",
        [
            ("Uppdrag", TEXT, 60),
            ("Ansvariga", TEXT, 30),
            ("Kommun", TEXT, 14),
            ("Klart senast", DAY, 13),
            ("Klart (som skrivet)", TEXT, 24),
            ("Status", TEXT, 10),
            ("Försenat", TEXT, 10),
            ("Möte", DAY, 12),
            ("Punkt", NUMBER, 7),
            ("Dagordningspunkt", TEXT, 36),
        ],
        _tasks,
    ),
]


def build_xlsx(pack: dict[str, Any]) -> bytes:
    """The pack as an .xlsx file's bytes."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, columns, rows in SHEETS:
        _sheet(wb, title, pack, columns, rows(pack))
    wb.properties.title = "Umeåregionen – strategisk uppföljning"
    wb.properties.subject = pack["filter_text"]
    wb.properties.language = "sv-SE"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


__all__ = ["EMPTY", "HEADER_ROW", "SHEETS", "build_xlsx"]
