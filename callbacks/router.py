"""Routing: the URL's path and ?kommun decide which page is drawn, from a fresh query each time."""

from __future__ import annotations

import re

from dash import Input, Output
from flask_login import current_user

from callbacks.shell import kommun_from_search
from dashboard.database import session_scope
from data.filters import Filter, UnknownMunicipality, parse_filter
from data.history import history_for
from data.meetings import list_meetings
from data.overview import overview_figures
from data.plan import list_plans
from data.projects import get_project, list_projects
from data.tasks import list_tasks
from layouts import ids
from layouts.components import filter_notice
from layouts.funding import funding_page
from layouts.meetings import meetings_page
from layouts.overview import overview_page
from layouts.plan import plan_page
from layouts.projects import project_detail_page, projects_page
from layouts.tasks import tasks_page
from layouts.upload import not_found_page, upload_page

PAGES = {
    "/": lambda s, f: overview_page(overview_figures(s, f), f.kommun),
    "/verksamhetsplan": lambda s, f: plan_page(list_plans(s, f), f.kommun),
    "/projekt": lambda s, f: projects_page(list_projects(s, f), f.kommun),
    "/finansiering": lambda s, f: funding_page(list_projects(s, f), f.kommun),
    "/uppdrag": lambda s, f: tasks_page(list_tasks(s, f), f.kommun),
    "/moten": lambda s, f: meetings_page(list_meetings(s, f)),
    "/ladda-upp": lambda s, f: upload_page(current_user.can_edit),
}
PROJECT_PATH = re.compile(r"^/projekt/(\d+)$")


def render_page(pathname: str | None, search: str | None):
    """The page for `pathname` under the URL's municipality filter, and a notice if the filter was not understood."""
    pathname = (pathname or "/").rstrip("/") or "/"
    alert = None
    with session_scope() as s:
        try:
            flt = parse_filter(s, kommun_from_search(search))
        except UnknownMunicipality as exc:
            flt = Filter()
            alert = filter_notice(str(exc))
        if pathname in PAGES:
            return PAGES[pathname](s, flt), alert
        match = PROJECT_PATH.match(pathname)
        if match:
            pid = int(match.group(1))
            return project_detail_page(get_project(s, pid), history_for(s, "project", pid)), alert
    return not_found_page(pathname), alert


def register(app) -> None:
    app.callback(
        Output(ids.PAGE, "children"),
        Output(ids.FILTER_ALERT, "children"),
        Input(ids.URL, "pathname"),
        Input(ids.URL, "search"),
    )(render_page)
