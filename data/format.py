"""Swedish number and date formats for display and exports: `4 650 000 kr`, `16 maj 2019`."""

from __future__ import annotations

import datetime as dt

NBSP = "\u00a0"
MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)

# Kinds of funder (data.models.FUNDER_KINDS, and the gap "ej specificerat") as people read them.
FUNDER_KIND_LABELS = {
    "kommunerna": "Kommunerna",
    "EU": "EU",
    "stat": "Staten",
    "region/landsting": "Region/landsting",
    "universitet": "Universitet",
    "privat": "Privata",
    "övrigt": "Övriga",
    "ej specificerat": "Ej specificerat",
}


def format_number(value: float | int | None, decimals: int = 0) -> str:
    """4650000 → '4 650 000' (no-break spaces), 0.5 → '0,5'; None → '–'."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",").replace("-", "−")


def format_kr(value: float | int | None, period: str | None = None) -> str:
    """4650000, 'år' → '4 650 000 kr/år'."""
    if value is None:
        return "–"
    return f"{format_number(value)}{NBSP}kr" + ("/år" if period == "år" else "")


def format_date(value: str | dt.date | None, *, long: bool = False) -> str:
    """'2019-05-16' → '2019-05-16', or with long=True '16 maj 2019'; None → '–'."""
    if value is None:
        return "–"
    d = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}" if long else d.isoformat()
