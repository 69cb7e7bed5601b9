"""What a page is to the router, and the URL's query parameters: the state a person would want to share."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

from sqlalchemy.orm import Session

from data.filters import Filter


@dataclass(frozen=True)
class Page:
    """A path pattern (regex; named groups become params) and the function that draws the page.

    `build(session, flt, params)` gets the municipality filter and the URL's query parameters plus the path's
    named groups, all as strings, and returns the page's component tree.
    """

    pattern: str
    build: Callable[[Session, Filter, dict[str, str]], object]
    shell_class: str = ""
    regex: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "regex", re.compile("^" + self.pattern + "$"))


# PostgreSQL's `integer`, the type of every id: a larger number from the URL would fail in the query itself.
DB_INT_MAX = 2**31 - 1


def params_from_search(search: str | None) -> dict[str, str]:
    """`?kommun=Ume%C3%A5&ar=2005` → {"kommun": "Umeå", "ar": "2005"} (first value of each, empty ones dropped).

    NUL characters are dropped: nobody types one, and PostgreSQL refuses text that holds one."""
    params = {k: v[0].replace("\x00", "") for k, v in parse_qs((search or "").lstrip("?")).items() if v}
    return {k: v for k, v in params.items() if v}


def url_number(value: str | None, *, high: int = DB_INT_MAX) -> int | None:
    """A whole number from the URL (ASCII digits only), or None: "²" and "١٢" are digits to str.isdigit but not
    to int(), and a number above `high` (by default the database's integer range) cannot name any row."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if number <= high else None


def search_with(search: str | None, **updates: str | None) -> str:
    """The query string with `updates` applied; a None or empty value removes the parameter."""
    params = params_from_search(search)
    for key, value in updates.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(params) if params else ""
