"""The municipality filter that every view and API shares, and the row numbers a grid asks for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from data.municipalities import UnknownMunicipality, municipality_lookup, normalise_municipality


@dataclass(frozen=True)
class Filter:
    """What a view is narrowed to; `kommun=None` means all seven."""

    kommun: str | None = None


def parse_filter(session: Session, kommun: str | None) -> Filter:
    """A Filter from the URL's `kommun` value; raises UnknownMunicipality for a name that is none of the seven."""
    if kommun is None or not kommun.strip() or kommun.strip().casefold() in {"alla", "all"}:
        return Filter()
    return Filter(kommun=normalise_municipality(kommun, municipality_lookup(session)))


def canonical_municipality(session: Session, name: str) -> str | None:
    """The municipality's own name for any spelling the filter accepts ("Umea" → "Umeå"); None if unknown."""
    try:
        return parse_filter(session, name).kommun
    except UnknownMunicipality:
        return None


__all__ = ["Filter", "UnknownMunicipality", "canonical_municipality", "parse_filter"]


ROW_MAX = 10**9  # a row number from a client beyond this is taken as this (no table here comes near it)


def _row_number(value: Any, default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):  # text, null, a list, NaN, Infinity
        return default
    return min(max(number, 0), ROW_MAX)


def row_bounds(start: Any, end: Any, *, size: int, most: int) -> tuple[int, int]:
    """A grid's startRow and endRow (any JSON a client sends) as whole row numbers the database accepts:
    0 ≤ start ≤ ROW_MAX and start < end ≤ start + `most`; `size` rows when `end` is not understood."""
    start = _row_number(start, 0)
    end = _row_number(end, start + size)
    return start, max(start + 1, min(end, start + most))
