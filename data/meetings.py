"""Meetings with their participants, agenda items, decisions and tasks: the full list for the API, one page of
meetings for /moten, and one meeting with its follow-up list for /moten/<id>."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from data.filters import Filter
from data.models import OPEN_TASK_STATUSES, AgendaItem, Meeting, MeetingParticipant, Task
from data.municipalities import swedish_sort_key
from data.tasks import task_concerns, task_query, task_to_dict


def _time(t: dt.time | None) -> str | None:
    return t.strftime("%H:%M") if t else None


def known_meetings(session: Session) -> list[dict[str, Any]]:
    """Every meeting's kind, date (ISO) and place, oldest first: to resolve "till kommunchefsmötet i augusti" in new
    minutes, and to choose a meeting to compare against."""
    return [
        {"kind": m.kind, "date": m.date.isoformat(), "place": m.place}
        for m in session.scalars(select(Meeting).order_by(Meeting.date, Meeting.id))
    ]


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
    tq = task_query()
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


# --- the Möten pages ------------------------------------------------------------------------------------------------

MEETINGS_PAGE_SIZE = 25


def _open_task_counts(session: Session, flt: Filter, meeting_ids: list[int]) -> dict[int, int]:
    if not meeting_ids:
        return {}
    q = (
        select(Task.meeting_id, func.count(Task.id))
        .where(Task.meeting_id.in_(meeting_ids), Task.status.in_(OPEN_TASK_STATUSES))
        .group_by(Task.meeting_id)
    )
    if flt.kommun:
        q = q.where(task_concerns(flt))
    return dict(session.execute(q).all())


def meeting_page(
    session: Session, flt: Filter = Filter(), *, page: int = 1, page_size: int = MEETINGS_PAGE_SIZE
) -> dict[str, Any]:
    """One page of meetings, newest first: date, kind, place and title, how many agenda items, and how many open
    tasks (öppen or pågår) that concern the filter. `page` is 1-based and clamped to the pages there are."""
    total = session.scalar(select(func.count(Meeting.id))) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    agenda_count = (
        select(func.count(AgendaItem.id)).where(AgendaItem.meeting_id == Meeting.id).scalar_subquery().label("items")
    )
    rows = session.execute(
        select(
            Meeting.id,
            Meeting.date,
            Meeting.kind,
            Meeting.title,
            Meeting.place,
            Meeting.start_time,
            Meeting.end_time,
            agenda_count,
        )
        .order_by(Meeting.date.desc(), Meeting.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    open_counts = _open_task_counts(session, flt, [r.id for r in rows])
    return {
        "rows": [
            {
                "id": r.id,
                "date": r.date.isoformat(),
                "kind": r.kind,
                "title": r.title,
                "place": r.place,
                "start_time": _time(r.start_time),
                "end_time": _time(r.end_time),
                "agenda_item_count": int(r.items or 0),
                "open_task_count": open_counts.get(r.id, 0),
            }
            for r in rows
        ],
        "total": int(total),
        "page": page,
        "pages": pages,
        "page_size": page_size,
    }


def _next_meeting(session: Session, m: Meeting) -> dict[str, Any] | None:
    """The next meeting: the one the minutes name (by its date, linked if it is in the database), else the first
    later meeting of the same kind in the database."""
    if m.next_meeting_date:
        found = session.execute(
            select(Meeting.id, Meeting.kind)
            .where(Meeting.date == m.next_meeting_date)
            .order_by((Meeting.kind != m.kind), Meeting.id)
            .limit(1)
        ).first()
        return {
            "date": m.next_meeting_date.isoformat(),
            "id": found.id if found else None,
            "kind": found.kind if found else None,
            "stated": True,
        }
    found = session.execute(
        select(Meeting.id, Meeting.date, Meeting.kind)
        .where(Meeting.kind == m.kind, Meeting.date > m.date)
        .order_by(Meeting.date, Meeting.id)
        .limit(1)
    ).first()
    if found is None:
        return None
    return {"date": found.date.isoformat(), "id": found.id, "kind": found.kind, "stated": False}


def follow_up(agenda_items: list[dict[str, Any]], other_tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The open tasks (öppen, pågår) grouped by agenda item and then by owner(s), for the next meeting.

    A task with several owners is listed once, under all its owners together (`owners` is the list of names);
    tasks without an owner come last, with `owners` empty.
    """
    sections = []
    for number, title, tasks in [(a["number"], a["title"], a["tasks"]) for a in agenda_items] + (
        [(None, "Uppdrag utan dagordningspunkt", other_tasks)] if other_tasks else []
    ):
        groups: dict[tuple[str, ...], list[dict]] = {}
        for t in tasks:
            if t["status"] in OPEN_TASK_STATUSES:
                groups.setdefault(tuple(t["owners"]), []).append(t)
        if groups:
            order = sorted(groups, key=lambda k: (not k, swedish_sort_key(", ".join(k))))
            sections.append(
                {
                    "number": number,
                    "title": title,
                    "groups": [{"owners": list(k), "tasks": groups[k]} for k in order],
                }
            )
    return sections


def meeting_detail(
    session: Session, meeting_id: int, flt: Filter = Filter(), *, today: dt.date | None = None
) -> dict[str, Any] | None:
    """One meeting with participants, agenda items (presenter, notes, decisions, the tasks that concern the
    filter), the next meeting and the follow-up list of its open tasks; None if there is no such meeting."""
    today = today or dt.date.today()
    m = session.scalars(
        select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            selectinload(Meeting.participants).selectinload(MeetingParticipant.party),
            selectinload(Meeting.agenda_items).selectinload(AgendaItem.decisions),
        )
    ).one_or_none()
    if m is None:
        return None
    tq = task_query().where(Task.meeting_id == m.id).order_by(Task.id)
    all_count = session.scalar(select(func.count(Task.id)).where(Task.meeting_id == m.id)) or 0
    if flt.kommun:
        tq = tq.where(task_concerns(flt))
    by_item: dict[int | None, list[dict]] = {}
    for t in session.scalars(tq):
        by_item.setdefault(t.agenda_item_id, []).append(task_to_dict(t, today))
    item_ids = {a.id for a in m.agenda_items}
    other = [t for key, tasks in by_item.items() if key not in item_ids for t in tasks]
    agenda = [
        {
            "number": a.number,
            "title": a.title,
            "presenter": a.presenter,
            "notes": a.notes,
            "decisions": [d.text for d in a.decisions],
            "tasks": by_item.get(a.id, []),
        }
        for a in m.agenda_items
    ]
    shown = sum(len(v) for v in by_item.values())
    return {
        "id": m.id,
        "kind": m.kind,
        "date": m.date.isoformat(),
        "start_time": _time(m.start_time),
        "end_time": _time(m.end_time),
        "title": m.title,
        "place": m.place,
        "secretary": m.secretary,
        "participants": [{"name": p.party.name, "roles": list(p.roles or []), "note": p.note} for p in m.participants],
        "agenda_items": agenda,
        "other_tasks": other,
        "task_count": shown,
        "hidden_task_count": int(all_count) - shown,
        "next_meeting": _next_meeting(session, m),
        "follow_up": follow_up(agenda, other),
        "uncertain": list(m.uncertain or []),
    }
