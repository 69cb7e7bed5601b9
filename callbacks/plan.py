"""Verksamhetsplan."""

from __future__ import annotations

from callbacks.routing import Page
from data.plan import list_plans
from layouts.plan import plan_page


def build_plan(session, flt, params):
    return plan_page(list_plans(session, flt), flt.kommun)


PAGES = [Page("/verksamhetsplan", build_plan)]


def register(app) -> None:
    """No callbacks of its own yet: the router draws the page."""
