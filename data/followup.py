"""The follow-up list for a meeting ("Inför mötet"): the assignments from earlier meetings that are still open, grouped
so that the meeting can walk through them item by item, each with its history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from data.filters import Filter
from data.meetings import follow_up
from data.models import OPEN_TASK_STATUSES, Meeting, Task
from data.tasks import overdue_condition, task_concerns, task_histories, task_query, task_to_dict

# A page holds whole meetings, newest first, and stops before it passes either limit (one meeting with more tasks
# gets a page of its own): a year's open tasks fit on one page, a decade of synthetic data does not.
TASKS_PER_PAGE = 100
MEETINGS_PER_PAGE = 25
# Keeps each IN (…) list well below SQLite's and PostgreSQL's limits on bound parameters.

# On a day with several meetings, the kommunchefsmöte is the one the list is for.
_KIND_ORDER = case((Meeting.kind == "kommunchefsmöte", 0), else_=1)


def _meeting_dict(m) -> dict[str, Any]:
    return {"id": m.id, "kind": m.kind, "date": m.date.isoformat(), "title": m.title, "place": m.place}


def meeting_choices(session: Session) -> list[dict[str, Any]]:
    """Every meeting to choose from, newest first: id, kind, date (ISO), title and place."""
    rows = session.execute(
        select(Meeting.id, Meeting.kind, Meeting.date, Meeting.title, Meeting.place).order_by(
            Meeting.date.desc(), _KIND_ORDER, Meeting.id.desc()
        )
    )
    return [_meeting_dict(r) for r in rows]


def default_meeting(session: Session, today: dt.date) -> Meeting | None:
    """The meeting the list is for when none is chosen: the next one on or after `today` (of any kind), else the
    latest; None when there are no meetings."""
    upcoming = session.scalars(
        select(Meeting).where(Meeting.date >= today).order_by(Meeting.date, _KIND_ORDER, Meeting.id).limit(1)
    ).first()
    if upcoming is not None:
        return upcoming
    latest = select(Meeting).order_by(Meeting.date.desc(), _KIND_ORDER, Meeting.id.desc()).limit(1)
    return session.scalars(latest).first()


def _pages(rows: list, per_page: int, meetings_per_page: int) -> list[list]:
    """Meetings (with their task counts, newest first) cut into pages of whole meetings: at most `meetings_per_page`
    meetings and `per_page` tasks, unless one meeting alone has more."""
    pages: list[list] = []
    current: list = []
    count = 0
    for row in rows:
        if current and (count + row.open > per_page or len(current) == meetings_per_page):
            pages.append(current)
            current, count = [], 0
        current.append(row)
        count += row.open
    if current:
        pages.append(current)
    return pages


def _sections(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One meeting's tasks as `data.meetings.follow_up` sections: agenda item (by number) → owner(s) → tasks."""
    items: dict[int, dict[str, Any]] = {}
    other = []
    for t in tasks:
        number = t["agenda_item_number"]
        if number is None:
            other.append(t)
        else:
            item = items.setdefault(number, {"number": number, "title": t["agenda_item_title"], "tasks": []})
            item["tasks"].append(t)
    return follow_up([items[n] for n in sorted(items)], other)


def follow_up_list(
    session: Session,
    flt: Filter = Filter(),
    *,
    meeting_id: int | None = None,
    today: dt.date | None = None,
    page: int = 1,
    per_page: int = TASKS_PER_PAGE,
    meetings_per_page: int = MEETINGS_PER_PAGE,
) -> dict[str, Any]:
    """The follow-up list for one meeting: the assignments from meetings dated before it that are open now (öppen or
    pågår) and concern the filter, with their history.

    The meeting is `meeting_id`, or by default the next meeting on or after `today` (of any kind), else the latest.
    An id that is no meeting gives the default and `requested_missing=True`. Tasks that came from no meeting are not
    listed.

    The earlier meetings come newest first: a meeting starts by going through the previous meeting's minutes, whose
    assignments are the freshest and most of the list, and then whatever is still open from the meetings before
    that. Within a meeting the agenda items are in their own order (as in the minutes) and, in each, the tasks are
    grouped by owner(s) as on the meeting's own page (`data.meetings.follow_up`). Each task is `task_to_dict` plus
    `history` (as `data.tasks.task_history`, newest first); `overdue` is as of `today`.

    Returns {meeting, default, requested_missing, choices, earlier_meeting_count, counts{open, overdue, meetings},
    meetings[{id, kind, date, title, place, open, overdue, sections[{number, title, groups[{owners, tasks}]}]}],
    page, pages, kommun}. `meetings` is one page (`page`, 1-based and clamped) of whole meetings, at most
    `meetings_per_page` of them with at most `per_page` tasks in all.
    """
    today = today or dt.date.today()
    # An id past the 32-bit integer column cannot exist, and PostgreSQL would refuse to compare with it.
    chosen = session.get(Meeting, meeting_id) if meeting_id is not None and 0 < meeting_id < 2**31 else None
    requested_missing = meeting_id is not None and chosen is None
    if chosen is None:
        chosen = default_meeting(session, today)
    result: dict[str, Any] = {
        "meeting": _meeting_dict(chosen) if chosen else None,
        "default": meeting_id is None or requested_missing,
        "requested_missing": requested_missing,
        "choices": meeting_choices(session),
        "earlier_meeting_count": 0,
        "counts": {"open": 0, "overdue": 0, "meetings": 0},
        "meetings": [],
        "page": 1,
        "pages": 1,
        "kommun": flt.kommun,
    }
    if chosen is None:
        return result
    result["earlier_meeting_count"] = session.scalar(select(func.count(Meeting.id)).where(Meeting.date < chosen.date))

    open_count = func.count(Task.id).label("open")
    overdue_count = func.coalesce(func.sum(case((overdue_condition(today), 1), else_=0)), 0).label("overdue")
    q = (
        select(Meeting.id, open_count, overdue_count)
        .join(Task, Task.meeting_id == Meeting.id)
        .where(Meeting.date < chosen.date, Task.status.in_(OPEN_TASK_STATUSES))
        .group_by(Meeting.id, Meeting.date)
        .order_by(Meeting.date.desc(), Meeting.id.desc())
    )
    if flt.kommun:
        q = q.where(task_concerns(flt))
    rows = session.execute(q).all()
    result["counts"] = {
        "open": sum(r.open for r in rows),
        "overdue": sum(int(r.overdue) for r in rows),
        "meetings": len(rows),
    }
    pages = _pages(rows, per_page, meetings_per_page)
    if not pages:
        return result
    page = min(max(1, page), len(pages))
    result["page"], result["pages"] = page, len(pages)
    shown = {r.id: r for r in pages[page - 1]}

    tq = task_query().where(Task.meeting_id.in_(list(shown)), Task.status.in_(OPEN_TASK_STATUSES)).order_by(Task.id)
    if flt.kommun:
        tq = tq.where(task_concerns(flt))
    tasks = [task_to_dict(t, today) for t in session.scalars(tq)]
    histories = task_histories(session, [t["id"] for t in tasks])
    by_meeting: dict[int, list[dict[str, Any]]] = {mid: [] for mid in shown}
    for t in tasks:
        by_meeting[t["meeting_id"]].append({**t, "history": histories[t["id"]]})
    meetings = {m.id: m for m in session.scalars(select(Meeting).where(Meeting.id.in_(list(shown))))}
    result["meetings"] = [
        {
            **_meeting_dict(meetings[mid]),
            "open": shown[mid].open,
            "overdue": int(shown[mid].overdue),
            "sections": _sections(by_meeting[mid]),
        }
        for mid in shown
    ]
    return result


__all__ = [
    "MEETINGS_PER_PAGE",
    "TASKS_PER_PAGE",
    "default_meeting",
    "follow_up_list",
    "meeting_choices",
]
