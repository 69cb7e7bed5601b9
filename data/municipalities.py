"""The seven municipalities and the many ways people write their names."""

from __future__ import annotations

import difflib
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.models import Municipality

SWEDISH_ALPHABET = "abcdefghijklmnopqrstuvwxyzåäö"
_ORDER = {ch: i for i, ch in enumerate(SWEDISH_ALPHABET)}


def swedish_sort_key(text: str) -> tuple:
    """Sort key in Swedish alphabetical order (… X Y Z Å Ä Ö), case-insensitive."""
    return tuple((_ORDER.get(ch, 100 + ord(ch)) if ch not in " -" else -1) for ch in text.casefold())


def fold(text: str) -> str:
    """Lower case without diacritics and without the word 'kommun', for matching names."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = " ".join(text.replace("kommun", " ").split())
    return text


class UnknownMunicipality(ValueError):
    """A municipality name that matches none of the seven (the message suggests the nearest one)."""

    def __init__(self, value: str, suggestion: str | None):
        self.value = value
        self.suggestion = suggestion
        hint = f" Menade du {suggestion}?" if suggestion else ""
        super().__init__(f"Okänd kommun: ”{value}”.{hint}")


def list_municipality_names(session: Session) -> list[str]:
    """The municipalities' short names in Swedish order."""
    names = session.scalars(select(Municipality.name)).all()
    return sorted(names, key=swedish_sort_key)


def municipality_lookup(session: Session) -> dict[str, str]:
    """Folded spelling → canonical short name, for every name, official name and alias."""
    table: dict[str, str] = {}
    for m in session.scalars(select(Municipality)):
        for spelling in [m.name, m.official_name, *m.aliases]:
            table[fold(spelling)] = m.name
            # "Örnsköldsviks kommun" → "ornskoldsviks": the genitive s goes too.
            if fold(spelling).endswith("s"):
                table.setdefault(fold(spelling)[:-1], m.name)
    return table


def normalise_municipality(value: str, lookup: dict[str, str]) -> str:
    """The canonical short name for `value`, or UnknownMunicipality with the nearest suggestion."""
    key = fold(value)
    if key in lookup:
        return lookup[key]
    close = difflib.get_close_matches(key, list(lookup), n=1, cutoff=0.6)
    raise UnknownMunicipality(value, lookup[close[0]] if close else None)
