"""Möten: the list of meetings (a page at a time, `?sida=N`) and one meeting (`/moten/<id>`)."""

from __future__ import annotations

import datetime as dt

from callbacks.routing import Page, search_with, url_number
from data.meetings import meeting_detail, meeting_page
from layouts.meetings import meeting_detail_page, meetings_page


def _page_number(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def build_meetings(session, flt, params):
    data = meeting_page(session, flt, page=_page_number(params.get("sida")))
    suffix = search_with("", kommun=flt.kommun)
    return meetings_page(
        data,
        kommun=flt.kommun,
        suffix=suffix,
        page_href=lambda n: "/moten" + search_with("", kommun=flt.kommun, sida=None if n == 1 else str(n)),
    )


def build_meeting(session, flt, params):
    meeting_id = url_number(params["id"])  # None: too large to be any meeting's id
    meeting = meeting_detail(session, meeting_id, flt, today=dt.date.today()) if meeting_id is not None else None
    return meeting_detail_page(
        meeting, requested_id=params["id"], kommun=flt.kommun, suffix=search_with("", kommun=flt.kommun)
    )


PAGES = [Page("/moten", build_meetings), Page(r"/moten/(?P<id>\d{1,18})", build_meeting)]


def register(app) -> None:
    """No callbacks of its own: the router draws both pages, and paging is plain links."""
