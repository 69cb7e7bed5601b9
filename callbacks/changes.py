"""Förändringar (`/forandringar`): what changed since the meeting or date in `?sedan=`, and what needs attention."""

from __future__ import annotations

import datetime as dt

from dash import Input, Output, State, ctx, no_update

from callbacks.routing import Page, search_with
from data.changes import changes_since, default_since
from data.meetings import known_meetings
from data.signals import attention_signals
from layouts import ids
from layouts.changes import DATE_INPUT, MEETING_SELECT, changes_page


def _since(session, value: str | None, today: dt.date) -> tuple[dt.date, str, str | None]:
    """The date to compare with, its label and, for a date not understood, a message in Swedish."""
    if value:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            day = None
        if day is not None and len(value) == 10:
            return day, f"sedan {day.isoformat()}", None
        default, label = default_since(session, today)
        return default, label, f"Datumet ”{value}” förstods inte (skriv ÅÅÅÅ-MM-DD). Visar förändringar {label}."
    default, label = default_since(session, today)
    return default, label, None


def build_changes(session, flt, params):
    today = dt.date.today()
    since, label, message = _since(session, params.get("sedan"), today)
    meetings = sorted(known_meetings(session), key=lambda m: m["date"], reverse=True)  # newest first
    chosen = next((m for m in meetings if m["date"] == since.isoformat()), None)
    if chosen is not None:
        kind = chosen["kind"] + "t" if chosen["kind"].endswith("möte") else f"mötet ({chosen['kind']})"
        label = f"sedan {kind} {chosen['date']}"
    return changes_page(
        changes_since(session, since, flt, today=today),
        attention_signals(session, flt, today=today),
        meetings=meetings,
        since=since.isoformat(),
        since_label=label,
        chosen_meeting=chosen["date"] if chosen else None,
        message=message,
        suffix=search_with("", kommun=flt.kommun),
    )


def choose_since(meeting: str | None, day: str | None, search: str | None):
    """A meeting or a date chosen → `?sedan=` in the URL (the router then redraws the page); unchanged → nothing."""
    value = meeting if ctx.triggered_id == MEETING_SELECT else day
    if not value:
        return no_update
    new = search_with(search, sedan=value)
    return new if new != (search or "") else no_update


PAGES = [Page("/forandringar", build_changes)]


def register(app) -> None:
    app.callback(
        Output(ids.URL, "search", allow_duplicate=True),
        Input(MEETING_SELECT, "value"),
        Input(DATE_INPUT, "value"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )(choose_since)
