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


def params_from_search(search: str | None) -> dict[str, str]:
    """`?kommun=Ume%C3%A5&ar=2005` → {"kommun": "Umeå", "ar": "2005"} (first value of each, empty ones dropped)."""
    return {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items() if v and v[0]}


def search_with(search: str | None, **updates: str | None) -> str:
    """The query string with `updates` applied; a None or empty value removes the parameter."""
    params = params_from_search(search)
    for key, value in updates.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(params) if params else ""
