"""Översikt."""

from __future__ import annotations

from callbacks.routing import Page
from data.overview import overview_figures
from layouts.overview import overview_page


def build_overview(session, flt, params):
    return overview_page(overview_figures(session, flt), flt.kommun)


PAGES = [Page("/", build_overview)]


def register(app) -> None:
    """No callbacks of its own yet: the router draws the page."""
