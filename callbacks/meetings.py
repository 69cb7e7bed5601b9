"""Möten."""

from __future__ import annotations

from callbacks.routing import Page
from data.meetings import list_meetings
from layouts.meetings import meetings_page


def build_meetings(session, flt, params):
    return meetings_page(list_meetings(session, flt))


PAGES = [Page("/moten", build_meetings)]


def register(app) -> None:
    """No callbacks of its own yet: the router draws the page."""
