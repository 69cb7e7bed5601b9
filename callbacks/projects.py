"""Projekt: the list and each project's page."""

from __future__ import annotations

from callbacks.routing import Page
from data.history import history_for
from data.projects import get_project, list_projects
from layouts.projects import project_detail_page, projects_page


def build_projects(session, flt, params):
    return projects_page(list_projects(session, flt), flt.kommun)


def build_project(session, flt, params):
    pid = int(params["project_id"])
    return project_detail_page(get_project(session, pid), history_for(session, "project", pid))


PAGES = [Page("/projekt", build_projects), Page(r"/projekt/(?P<project_id>\d+)", build_project)]


def register(app) -> None:
    """No callbacks of its own yet: the router draws the page."""
