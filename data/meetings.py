"""Meetings with their participants, agenda items, decisions and tasks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from data.filters import Filter
from data.models import AgendaItem, Meeting, MeetingParticipant, Task
from data.tasks import task_concerns, task_to_dict


def _time(t: dt.time | None) -> str | None:
    return t.strftime("%H:%M") if t else None


def list_meetings(session: Session, flt: Filter = Filter(), *, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Every meeting, newest first, with agenda, decisions and the tasks that concern the filter."""
    today = today or dt.date.today()
    meetings = session.scalars(
        select(Meeting)
        .options(
            selectinload(Meeting.participants).selectinload(MeetingParticipant.party),
            selectinload(Meeting.agenda_items).selectinload(AgendaItem.decisions),
        )
        .order_by(Meeting.date.desc())
    ).all()
    tq = select(Task).options(
        selectinload(Task.owners),
        selectinload(Task.municipality),
        selectinload(Task.meeting),
        selectinload(Task.agenda_item),
    )
    if flt.kommun:
        tq = tq.where(task_concerns(flt))
    by_item: dict[int | None, list[Task]] = {}
    for t in session.scalars(tq.order_by(Task.id)):
        by_item.setdefault(t.agenda_item_id, []).append(t)
    return [
        {
            "id": m.id,
            "kind": m.kind,
            "date": m.date.isoformat(),
            "start_time": _time(m.start_time),
            "end_time": _time(m.end_time),
            "title": m.title,
            "place": m.place,
            "secretary": m.secretary,
            "next_meeting_date": m.next_meeting_date.isoformat() if m.next_meeting_date else None,
            "participants": [
                {"name": p.party.name, "roles": list(p.roles or []), "note": p.note} for p in m.participants
            ],
            "agenda_items": [
                {
                    "number": a.number,
                    "title": a.title,
                    "presenter": a.presenter,
                    "notes": a.notes,
                    "decisions": [d.text for d in a.decisions],
                    "tasks": [task_to_dict(t, today) for t in by_item.get(a.id, [])],
                }
                for a in m.agenda_items
            ],
            "uncertain": list(m.uncertain or []),
        }
        for m in meetings
    ]
