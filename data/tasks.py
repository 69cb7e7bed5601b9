"""Assignments from the meetings: who, what, by when, from which agenda item, and whether they are done."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from data.filters import Filter
from data.models import OPEN_TASK_STATUSES, AgendaItem, Municipality, Party, Task


def task_concerns(flt: Filter):
    """SQL condition: the task is about the municipality, or one of its owners belongs to it."""
    return or_(
        Task.municipality.has(Municipality.name == flt.kommun),
        Task.owners.any(Party.municipality.has(Municipality.name == flt.kommun)),
    )


def is_overdue(status: str, due: dt.date | None, today: dt.date) -> bool:
    return status in OPEN_TASK_STATUSES and due is not None and due < today


def task_to_dict(t: Task, today: dt.date) -> dict[str, Any]:
    item = t.agenda_item
    return {
        "id": t.id,
        "text": t.text,
        "owners": [o.name for o in t.owners],
        "municipality": t.municipality.name if t.municipality else None,
        "due_date": t.due_date.isoformat() if t.due_date else None,
        "due_text": t.due_text,
        "due_rule": t.due_rule,
        "status": t.status,
        "overdue": is_overdue(t.status, t.due_date, today),
        "meeting_id": t.meeting_id,
        "meeting_date": t.meeting.date.isoformat() if t.meeting else None,
        "meeting_kind": t.meeting.kind if t.meeting else None,
        "agenda_item_number": item.number if item else None,
        "agenda_item_title": item.title if item else None,
        "uncertain": list(t.uncertain or []),
    }


def list_tasks(session: Session, flt: Filter = Filter(), *, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Every task that concerns the filter, by meeting date, agenda item and id."""
    today = today or dt.date.today()
    q = select(Task).options(
        selectinload(Task.owners),
        selectinload(Task.municipality),
        selectinload(Task.meeting),
        selectinload(Task.agenda_item),
    )
    if flt.kommun:
        q = q.where(task_concerns(flt))
    tasks = session.scalars(q).all()
    tasks = sorted(
        tasks,
        key=lambda t: (
            t.meeting.date if t.meeting else dt.date.min,
            t.agenda_item.number if t.agenda_item else 0,
            t.id,
        ),
    )
    return [task_to_dict(t, today) for t in tasks]


__all__ = ["list_tasks", "task_concerns", "is_overdue", "AgendaItem"]
