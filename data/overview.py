"""Headline figures for the overview."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from data.filters import Filter
from data.funding import whole_period_amount
from data.projects import list_projects
from data.tasks import list_tasks
from data.models import OPEN_TASK_STATUSES


def overview_figures(session: Session, flt: Filter = Filter(), *, today: dt.date | None = None) -> dict[str, Any]:
    """Project count, total stated budget over each project's whole time frame, open and overdue tasks."""
    today = today or dt.date.today()
    projects = list_projects(session, flt)
    total = 0
    yearly_without_frame = 0
    without_budget = 0
    for p in projects:
        start = dt.date.fromisoformat(p["start_date"]) if p["start_date"] else None
        end = dt.date.fromisoformat(p["end_date"]) if p["end_date"] else None
        amount = whole_period_amount(p["budget_amount"], p["budget_period"], start, end)
        if p["budget_amount"] is None:
            without_budget += 1
        elif amount is None:
            yearly_without_frame += 1
        else:
            total += amount
    tasks = list_tasks(session, flt, today=today)
    open_tasks = [t for t in tasks if t["status"] in OPEN_TASK_STATUSES]
    return {
        "project_count": len(projects),
        "total_budget": total,
        "projects_without_budget": without_budget,
        "projects_yearly_budget_without_time_frame": yearly_without_frame,
        "open_tasks": len(open_tasks),
        "overdue_tasks": sum(t["overdue"] for t in open_tasks),
        "task_count": len(tasks),
    }
