"""What changed "sedan förra mötet": between two points in time, read from the history and the current rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from data.filters import Filter
from data.history import as_utc, utcnow
from data.models import (
    OPEN_TASK_STATUSES,
    Activity,
    ChangeRecord,
    FocusArea,
    FundingLine,
    ImportBatch,
    Meeting,
    Municipality,
    Project,
    Task,
)
from data.tasks import task_concerns

FALLBACK_DAYS = 30

# The project fields the view follows, with the labels people read.
PROJECT_FIELDS = {
    "start_date": "Startdatum",
    "end_date": "Slutdatum",
    "status": "Status",
    "budget_amount": "Budget (kr)",
    "budget_period": "Budgetperiod",
}
FUNDING_LABEL = "Finansiering"
ENTITIES = ("task", "project", "funding_line", "activity")


def default_since(session: Session, today: dt.date | None = None) -> tuple[dt.date, str]:
    """The date of the latest kommunchefsmöte before today, with a Swedish label; 30 days back if there is none."""
    today = today or dt.date.today()
    last = session.scalars(
        select(Meeting.date)
        .where(Meeting.kind == "kommunchefsmöte", Meeting.date < today)
        .order_by(Meeting.date.desc())
        .limit(1)
    ).first()
    if last is not None:
        return last, f"sedan kommunchefsmötet {last.isoformat()}"
    return today - dt.timedelta(days=FALLBACK_DAYS), f"de senaste {FALLBACK_DAYS} dagarna"


def _instant(value: dt.datetime | dt.date) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time.min)
    return as_utc(value)


def _kr(amount: int) -> str:
    return f"{amount:,}".replace(",", " ")


def funding_text(values: dict[str, Any] | None) -> str | None:
    """A funding line as people read it: "EU-medel: 750 000 kr/år"."""
    if not values:
        return None
    amount, period = values.get("amount"), values.get("period")
    if amount is None:
        money = "belopp ej angivet"
    else:
        money = _kr(int(amount)) + (" kr/år" if period == "år" else " kr")
    return f"{values.get('funder')}: {money}"


def _net(records: list[ChangeRecord], fields) -> dict[str, dict[str, Any]]:
    """Per field: the first old and the last new value over `records` (oldest first); unchanged fields left out."""
    out: dict[str, dict[str, Any]] = {}
    for r in records:
        before, after = r.before or {}, r.after or {}
        for f in fields:
            if f not in after and f not in before:
                continue
            if r.action == "update" and f not in after:
                continue
            entry = out.setdefault(f, {"old": before.get(f)})
            entry.update(new=after.get(f), record=r)
    return {f: e for f, e in out.items() if e["old"] != e["new"]}


def _stamp(r: ChangeRecord) -> dict[str, Any]:
    return {"at": as_utc(r.at).isoformat(), "username": r.username}


def _task_dict(t: Task, **extra: Any) -> dict[str, Any]:
    return {
        "id": t.id,
        "text": t.text,
        "owners": [o.name for o in t.owners],
        "municipality": t.municipality.name if t.municipality else None,
        "meeting_date": t.meeting.date.isoformat() if t.meeting else None,
        "due_date": t.due_date.isoformat() if t.due_date else None,
        "status": t.status,
        **extra,
    }


def _concerning_tasks(q, flt: Filter):
    return q.where(task_concerns(flt)) if flt.kommun else q


def _task_query(flt: Filter):
    q = select(Task).options(selectinload(Task.owners), selectinload(Task.municipality), selectinload(Task.meeting))
    return _concerning_tasks(q, flt)


def _now_overdue(since: dt.date, today: dt.date):
    """SQL condition: an open task whose due date fell from `since` up to (not including) `today`."""
    return and_(Task.status.in_(OPEN_TASK_STATUSES), Task.due_date >= since, Task.due_date < today)


def _task_events(by_entity: dict[int, list[ChangeRecord]], kept) -> dict[str, list[tuple[int, ChangeRecord, dict]]]:
    """Tasks added, completed and re-dated, as (task id, the record that made it so, extra fields), for the tasks
    in `kept` (those that still exist and concern the filter)."""
    out: dict[str, list[tuple[int, ChangeRecord, dict]]] = {"added": [], "completed": [], "redated": []}
    for tid, records in by_entity.items():
        if tid not in kept:
            continue  # removed since, or not the filter's
        created = next((r for r in records if r.action == "create"), None)
        if created is not None:
            out["added"].append((tid, created, {}))
        if created is not None or any(r.action == "delete" for r in records):
            continue  # a new task's status and date are not changes
        net = _net(records, ("status", "due_date"))
        status = net.get("status")
        if status and status["new"] == "klar":
            out["completed"].append((tid, status["record"], {}))
        due = net.get("due_date")
        if due:
            out["redated"].append((tid, due["record"], {"old_due_date": due["old"]}))
    return out


def _tasks(
    session: Session, by_entity: dict[int, list[ChangeRecord]], flt: Filter, since: dt.date, today: dt.date
) -> dict[str, list[dict[str, Any]]]:
    rows = {}
    if by_entity:
        rows = {t.id: t for t in session.scalars(_task_query(flt).where(Task.id.in_(list(by_entity))))}
    listed = {
        key: sorted(
            (_task_dict(rows[tid], **extra, **_stamp(r)) for tid, r, extra in events),
            key=lambda d: (d["at"], d["id"]),
        )
        for key, events in _task_events(by_entity, rows).items()
    }
    overdue = session.scalars(_task_query(flt).where(_now_overdue(since, today)).order_by(Task.due_date, Task.id))
    return {
        "added": listed["added"],
        "completed": listed["completed"],
        "overdue": [_task_dict(t, at=t.due_date.isoformat(), username=None) for t in overdue],
        "redated": listed["redated"],
    }


def _funding_states(
    records: list[ChangeRecord], current: FundingLine | None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None, int | None]:
    """A funding line's whole values before the first and after the last record, and its project's id."""
    columns = ("project_id", "funder", "kind", "amount", "period")
    end: dict[str, Any] | None = {c: getattr(current, c) for c in columns} if current is not None else None
    if records[-1].action == "delete":
        end = None
    state = end
    project_id = end["project_id"] if end else None
    for r in reversed(records):
        if r.action == "create":
            project_id = project_id or (r.after or {}).get("project_id")
            state = None
        elif r.action == "delete":
            state = dict(r.before or {})
            project_id = project_id or state.get("project_id")
        else:
            state = {**(state or r.after or {}), **(r.before or {})}
    return state, end, project_id


def _project_changes(
    session: Session,
    project_records: dict[int, list[ChangeRecord]],
    funding_records: dict[int, list[ChangeRecord]],
) -> dict[int, list[dict[str, Any]]]:
    """Per project id (whatever the filter): its fields and funding lines changed, each netted over the records."""
    changes: dict[int, list[dict[str, Any]]] = {}
    # A new or removed project is shown by its import, not as changed fields or funders.
    new_or_removed = {
        pid for pid, records in project_records.items() if any(r.action in ("create", "delete") for r in records)
    }
    for pid, records in project_records.items():
        if pid in new_or_removed:
            continue
        for field, e in _net(records, PROJECT_FIELDS).items():
            r = e["record"]
            changes.setdefault(pid, []).append(
                {
                    "field": field,
                    "label": PROJECT_FIELDS[field],
                    "old": e["old"],
                    "new": e["new"],
                    "source": r.source,
                    **_stamp(r),
                }
            )
    if funding_records:
        current = {
            f.id: f for f in session.scalars(select(FundingLine).where(FundingLine.id.in_(list(funding_records))))
        }
        for fid, records in funding_records.items():
            start, end, pid = _funding_states(records, current.get(fid))
            old, new = funding_text(start), funding_text(end)
            if pid is None or pid in new_or_removed or old == new:
                continue
            r = records[-1]
            changes.setdefault(pid, []).append(
                {"field": "funding", "label": FUNDING_LABEL, "old": old, "new": new, "source": r.source, **_stamp(r)}
            )
    return changes


def _changed_projects(q, ids, flt: Filter):
    """`q` narrowed to the projects `ids` that still exist and concern the filter."""
    q = q.where(Project.id.in_(list(ids)))
    return q.where(Project.municipalities.any(Municipality.name == flt.kommun)) if flt.kommun else q


def _projects(
    session: Session,
    project_records: dict[int, list[ChangeRecord]],
    funding_records: dict[int, list[ChangeRecord]],
    flt: Filter,
) -> list[dict[str, Any]]:
    changes = _project_changes(session, project_records, funding_records)
    if not changes:
        return []
    names = dict(session.execute(_changed_projects(select(Project.id, Project.name), changes, flt)).all())
    return [
        {"id": pid, "name": names[pid], "changes": sorted(changes[pid], key=lambda c: (c["at"], c["field"]))}
        for pid in sorted(names, key=lambda i: (names[i].casefold(), i))
    ]


def _activity_changes(by_entity: dict[int, list[ChangeRecord]]) -> dict[int, dict[str, Any]]:
    """Per activity id: its status, netted over the records (activities added or removed are left out)."""
    net = {aid: _net(records, ("status",)).get("status") for aid, records in by_entity.items()}
    return {aid: e for aid, e in net.items() if e and all(r.action == "update" for r in by_entity[aid])}


def _existing_activities(q, ids):
    return q.join(FocusArea, FocusArea.id == Activity.focus_area_id).where(Activity.id.in_(list(ids)))


def _activities(session: Session, by_entity: dict[int, list[ChangeRecord]]) -> list[dict[str, Any]]:
    net = _activity_changes(by_entity)
    if not net:
        return []
    rows = session.execute(_existing_activities(select(Activity.id, Activity.title, FocusArea.name), net)).all()
    out = [
        {
            "id": aid,
            "title": title,
            "focus_area": area,
            "old_status": net[aid]["old"],
            "new_status": net[aid]["new"],
            **_stamp(net[aid]["record"]),
        }
        for aid, title, area in rows
    ]
    return sorted(out, key=lambda d: (d["at"], d["id"]))


def _in_window(since: dt.datetime, until: dt.datetime):
    return and_(ImportBatch.at >= since, ImportBatch.at <= until)


def _imports(session: Session, since: dt.datetime, until: dt.datetime) -> list[dict[str, Any]]:
    batches = session.scalars(
        select(ImportBatch).where(_in_window(since, until)).order_by(ImportBatch.at, ImportBatch.id)
    )
    return [
        {
            "batch_id": b.id,
            "kind": b.kind,
            "filename": b.source,
            "username": b.username,
            "at": as_utc(b.at).isoformat(),
            "counts": dict(b.counts or {}),
            "undone_at": as_utc(b.undone_at).isoformat() if b.undone_at else None,
        }
        for b in batches
    ]


def _window(
    since: dt.datetime | dt.date, until: dt.datetime | dt.date | None, today: dt.date | None
) -> tuple[dt.datetime, dt.datetime, dt.date]:
    return _instant(since), _instant(until) if until is not None else utcnow(), today or dt.date.today()


def _records(session: Session, start: dt.datetime, end: dt.datetime) -> dict[str, dict[int, list[ChangeRecord]]]:
    """The history from `start` to `end` of the entities followed, per entity and id, oldest first (plain rows
    with a record's attributes: cheaper than ORM objects).

    The entities are picked here rather than in SQL: given both conditions, SQLite (without statistics) reads
    every record of the entities through their index instead of the interval through the index on the time.
    The values before and after are read only where they are used (updates, and every change of a funding line):
    of a task, project or activity added or removed only the time and who count, and an import of thousands of
    rows would otherwise cost a JSON document each.
    """
    used = or_(ChangeRecord.action == "update", ChangeRecord.entity == "funding_line")
    rows = session.execute(
        select(
            ChangeRecord.id,
            ChangeRecord.at,
            ChangeRecord.username,
            ChangeRecord.source,
            ChangeRecord.entity,
            ChangeRecord.entity_id,
            ChangeRecord.action,
            case((used, ChangeRecord.before)).label("before"),
            case((used, ChangeRecord.after)).label("after"),
        )
        .where(ChangeRecord.at >= start, ChangeRecord.at <= end)
        .order_by(ChangeRecord.at, ChangeRecord.id)
    )
    grouped: dict[str, dict[int, list[ChangeRecord]]] = {e: {} for e in ENTITIES}
    for r in rows:
        if r.entity in grouped and r.entity_id is not None:
            grouped[r.entity].setdefault(r.entity_id, []).append(r)
    return grouped


def changes_since(
    session: Session,
    since: dt.datetime | dt.date,
    flt: Filter = Filter(),
    *,
    until: dt.datetime | dt.date | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """What changed from `since` up to `until` (default now), as plain JSON-safe data.

    Tasks added, completed, re-dated (from the history) and overdue (open tasks whose due date fell from `since` to
    `today`); projects' dates, status, budget and funding, activities' status, each net over the interval (a value
    changed and changed back is left out); and the imports made. Tasks and projects honour `flt.kommun`; imports
    and activities are shown whatever the filter.
    """
    start, end, today = _window(since, until, today)
    grouped = _records(session, start, end)
    return {
        "since": start.isoformat(),
        "until": end.isoformat(),
        "kommun": flt.kommun,
        "tasks": _tasks(session, grouped["task"], flt, start.date(), today),
        "projects": _projects(session, grouped["project"], grouped["funding_line"], flt),
        "activities": _activities(session, grouped["activity"]),
        "imports": _imports(session, start, end),
    }


def change_counts(
    session: Session,
    since: dt.datetime | dt.date,
    flt: Filter = Filter(),
    *,
    until: dt.datetime | dt.date | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """How many of each kind of change changes_since lists for the same arguments: {since, until, kommun,
    tasks{added, completed, overdue, redated}, projects, activities, imports}, each a count.

    The same history records and the same netting as changes_since, but counting queries where changes_since
    loads rows: the tasks, projects and activities only as ids, the overdue tasks and imports as counts.
    """
    start, end, today = _window(since, until, today)
    grouped = _records(session, start, end)
    by_task = grouped["task"]
    kept = (
        set(session.scalars(_concerning_tasks(select(Task.id), flt).where(Task.id.in_(list(by_task)))))
        if by_task
        else set()
    )
    tasks = {key: len(events) for key, events in _task_events(by_task, kept).items()}
    overdue = session.scalar(
        _concerning_tasks(select(func.count()).select_from(Task), flt).where(_now_overdue(start.date(), today))
    )
    projects = _project_changes(session, grouped["project"], grouped["funding_line"])
    activities = _activity_changes(grouped["activity"])
    count = select(func.count())
    return {
        "since": start.isoformat(),
        "until": end.isoformat(),
        "kommun": flt.kommun,
        "tasks": {
            "added": tasks["added"],
            "completed": tasks["completed"],
            "overdue": overdue,
            "redated": tasks["redated"],
        },
        "projects": session.scalar(_changed_projects(count.select_from(Project), projects, flt)) if projects else 0,
        "activities": session.scalar(_existing_activities(count.select_from(Activity), activities))
        if activities
        else 0,
        "imports": session.scalar(count.select_from(ImportBatch).where(_in_window(start, end))),
    }


__all__ = ["change_counts", "changes_since", "default_since", "funding_text"]
