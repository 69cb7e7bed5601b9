"""Headline figures for the overview, computed from a few columns rather than whole objects."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.filters import Filter
from data.funding import whole_period_amount
from data.models import OPEN_TASK_STATUSES, Municipality, Project, Task
from data.tasks import is_overdue, task_concerns


def overview_figures(session: Session, flt: Filter = Filter(), *, today: dt.date | None = None) -> dict[str, Any]:
    """Project count, total stated budget over each project's whole time frame, open and overdue tasks."""
    today = today or dt.date.today()
    pq = select(Project.budget_amount, Project.budget_period, Project.start_date, Project.end_date)
    if flt.kommun:
        pq = pq.where(Project.municipalities.any(Municipality.name == flt.kommun))
    projects = session.execute(pq).all()
    total = without_budget = yearly_without_frame = 0
    for amount, period, start, end in projects:
        whole = whole_period_amount(amount, period, start, end)
        if amount is None:
            without_budget += 1
        elif whole is None:
            yearly_without_frame += 1
        else:
            total += whole
    tq = select(Task.status, Task.due_date)
    if flt.kommun:
        tq = tq.where(task_concerns(flt))
    tasks = session.execute(tq).all()
    open_tasks = [(status, due) for status, due in tasks if status in OPEN_TASK_STATUSES]
    return {
        "project_count": len(projects),
        "total_budget": total,
        "projects_without_budget": without_budget,
        "projects_yearly_budget_without_time_frame": yearly_without_frame,
        "open_tasks": len(open_tasks),
        "overdue_tasks": sum(is_overdue(status, due, today) for status, due in open_tasks),
        "task_count": len(tasks),
    }
