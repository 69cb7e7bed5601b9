"""Inför mötet (`/uppfoljning`): the follow-up list for the meeting in `?mote=` (default: the next one, else the
latest), a page of earlier meetings at a time (`?sida=`), every history open with `?historik=1`."""

from __future__ import annotations

import datetime as dt
import re

from dash import Input, Output, State, no_update

from callbacks.routing import Page, search_with
from data.followup import follow_up_list
from layouts import ids
from layouts.followup import MEETING_SELECT, followup_page

_ID = re.compile(r"\d{1,18}")


def _page_number(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _requested(value: str | None) -> tuple[int | None, str | None]:
    """The meeting id in `?mote=`, or None and, for a value that is no id, a message in Swedish."""
    if value is None:
        return None, None
    if _ID.fullmatch(value.strip()):
        return int(value.strip()), None
    return None, f"”{value}” är inget mötesnummer."


def build_followup(session, flt, params):
    requested, message = _requested(params.get("mote"))
    data = follow_up_list(
        session, flt, meeting_id=requested, today=dt.date.today(), page=_page_number(params.get("sida"))
    )
    if data["requested_missing"]:
        message = f"Det finns inget möte med nummer {requested}. Det kan ha tagits bort."
    if message and data["meeting"]:
        message += f" Visar uppföljningen inför mötet {data['meeting']['date']} i stället."
    history_open = params.get("historik") == "1"
    mote = str(data["meeting"]["id"]) if data["meeting"] else None

    def href(**updates) -> str:
        keep = {"kommun": flt.kommun, "mote": mote, "historik": "1" if history_open else None, "sida": None}
        return "/uppfoljning" + search_with("", **{**keep, **updates})

    return followup_page(
        data,
        message=message,
        suffix=search_with("", kommun=flt.kommun),
        page_href=lambda n: href(sida=None if n == 1 else str(n)),
        history_href=href(historik=None if history_open else "1", sida=str(data["page"]) if data["page"] > 1 else None),
        history_open=history_open,
    )


def choose_meeting(meeting: str | None, search: str | None):
    """A meeting chosen → `?mote=` in the URL, from its first page (the router then redraws); unchanged → nothing."""
    if not meeting:
        return no_update
    new = search_with(search, mote=meeting, sida=None)
    return new if new != (search or "") else no_update


PAGES = [Page("/uppfoljning", build_followup)]


def register(app) -> None:
    app.callback(
        Output(ids.URL, "search", allow_duplicate=True),
        Input(MEETING_SELECT, "value"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )(choose_meeting)
