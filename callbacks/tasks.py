"""Uppdrag."""

from __future__ import annotations

from callbacks.routing import Page
from data.tasks import list_tasks
from layouts.tasks import tasks_page


def build_tasks(session, flt, params):
    return tasks_page(list_tasks(session, flt), flt.kommun)


PAGES = [Page("/uppdrag", build_tasks)]


def register(app) -> None:
    """No callbacks of its own yet: the router draws the page."""
