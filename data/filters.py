"""The municipality filter that every view and API shares."""

from __future__ import annotations

from dataclasses import dataclass

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
