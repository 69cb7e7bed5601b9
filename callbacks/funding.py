"""Finansiering."""

from __future__ import annotations

from callbacks.routing import Page
from data.projects import list_projects
from layouts.funding import funding_page


def build_funding(session, flt, params):
    return funding_page(list_projects(session, flt), flt.kommun)


PAGES = [Page("/finansiering", build_funding)]


def register(app) -> None:
    """No callbacks of its own yet: the router draws the page."""
