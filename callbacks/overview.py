"""Översikt: drawn by the router from a few aggregate queries; no callbacks of its own."""

from __future__ import annotations

from callbacks.routing import Page
from data.overview import overview
from layouts.overview import overview_page


def build_overview(session, flt, params):
    return overview_page(overview(session, flt), flt.kommun)


PAGES = [Page("/", build_overview)]


def register(app) -> None:
    """Nothing to register: the router draws the page on every change of the URL."""
