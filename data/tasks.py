"""Assignments from the meetings: who, what, by when, from which agenda item, and whether they are done.

Reads for the API (`list_tasks`, every row) and for the Uppdrag page (`task_rows`, one page at a time, sorted,
filtered and searched in SQL), one task with its history (`task_detail`), and the one write: `update_task`.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, and_, case, cast, exists, false, func, not_, or_, select, true
from sqlalchemy.orm import Session, aliased, selectinload

from data.filters import Filter, row_bounds
from data.history import as_utc, record_change, serialise_writes, utcnow
from data.models import (
    OPEN_TASK_STATUSES,
    TASK_STATUSES,
    AgendaItem,
    ChangeRecord,
    Meeting,
    Municipality,
    Party,
    Task,
    TaskNote,
    task_owner,
)
from data.municipalities import swedish_sort_key

EDIT_ROLES = ("redigerare", "admin")
EDIT_SOURCE = "redigering i dashboarden"
NOTE_MAX_LENGTH = 2000
PAGE_SIZE_MAX = 100
NOT_DONE = "ej-klara"  # the status filter's value for "öppen or pågår"


# --- who a task concerns, and whether it is late ------------------------------------------------------------------


def task_concerns(flt: Filter):
    """SQL condition: the task is about the municipality, or one of its owners belongs to it.

    Written with uncorrelated subqueries (evaluated once, not once per task): the same rows as
    `Task.municipality.has(…) | Task.owners.any(Party.municipality.has(…))`, several times faster at 11 000 tasks.
    """
    kommun = select(Municipality.id).where(Municipality.name == flt.kommun).scalar_subquery()
    owned = (
        select(task_owner.c.task_id)
        .join(Party, Party.id == task_owner.c.party_id)
        .where(Party.municipality_id == kommun)
    )
    return or_(Task.municipality_id == kommun, Task.id.in_(owned))


def is_overdue(status: str, due: dt.date | None, today: dt.date) -> bool:
    return status in OPEN_TASK_STATUSES and due is not None and due < today


def overdue_condition(today: dt.date):
    """SQL condition: the task is still open and its due date has passed."""
    return and_(Task.status.in_(OPEN_TASK_STATUSES), Task.due_date.is_not(None), Task.due_date < today)


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


def task_query():
    """SQL: tasks with what task_to_dict reads (owners, municipality, meeting, agenda item) loaded alongside."""
    return select(Task).options(
        selectinload(Task.owners),
        selectinload(Task.municipality),
        selectinload(Task.meeting),
        selectinload(Task.agenda_item),
    )


def list_tasks(session: Session, flt: Filter = Filter(), *, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Every task that concerns the filter, by meeting date, agenda item and id (the API's full list)."""
    today = today or dt.date.today()
    q = task_query()
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


# --- text in SQL: case-insensitive matching and Swedish order, the same on SQLite and PostgreSQL ---------------------

# SQLite's lower() (and LIKE's case folding) only knows ASCII: the Swedish capitals are lowered by hand.
_CAPITALS = (("Å", "å"), ("Ä", "ä"), ("Ö", "ö"), ("É", "é"), ("Ü", "ü"))
# In byte order å, ä and ö come out as ä < å < ö; Swedish wants … z < å < ä < ö. "{" sorts right after "z".
_SWEDISH_ORDER = (("å", "{1"), ("ä", "{2"), ("ö", "{3"), ("é", "e"), ("ü", "y"))


def _lower_sv(expr):
    """The text expression in lower case, Swedish capitals included, on SQLite as on PostgreSQL."""
    for upper, lower in _CAPITALS:
        expr = func.replace(expr, upper, lower)
    return func.lower(expr)


def swedish_order(expr, dialect: str):
    """A sort key for a text expression that puts … X Y Z Å Ä Ö in Swedish order, case-insensitively."""
    expr = _lower_sv(expr)
    for letter, key in _SWEDISH_ORDER:
        expr = func.replace(expr, letter, key)
    return expr.collate("C") if dialect == "postgresql" else expr


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def like_pattern(term: str, *, start: bool = True, end: bool = True) -> str:
    """A LIKE pattern (escape character backslash) that matches `term` literally, in lower case."""
    escaped = _normal(term).lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return ("%" if start else "") + escaped + ("%" if end else "")


def _like(expr, term: str, *, start: bool = True, end: bool = True):
    """Case-insensitive, literal match of `term` in `expr`: ILIKE (lower() LIKE lower() on SQLite), with only the
    Swedish capitals that matter for this term lowered by hand first (cheap on 11 000 rows, unlike a full fold)."""
    if "\x00" in term:
        return false()  # no text holds a NUL (PostgreSQL refuses one even in a pattern)
    pattern = like_pattern(term, start=start, end=end)
    for upper, lower in _CAPITALS:
        if lower in pattern:
            expr = func.replace(expr, upper, lower)
    return expr.ilike(pattern, escape="\\")


# --- the Uppdrag page: one page of rows, sorted, filtered and searched in SQL --------------------------------------


@dataclass(frozen=True)
class TaskQuery:
    """The page's own filters (from the URL): free-text search, status, only overdue, one owner."""

    search: str | None = None
    status: str | None = None  # one of TASK_STATUSES, NOT_DONE, or None for all
    overdue_only: bool = False
    owner: str | None = None


_Mun = aliased(Municipality, name="task_municipality")
_Meeting = aliased(Meeting, name="task_meeting")
_Item = aliased(AgendaItem, name="task_agenda_item")


def _owner_name(condition):
    """SQL condition: some owner's name satisfies `condition` (a condition on Party; one uncorrelated subquery)."""
    return Task.id.in_(select(task_owner.c.task_id).join(Party, Party.id == task_owner.c.party_id).where(condition))


def _search_condition(search: str):
    """Every word must occur in the task's text, due text or rule, an owner's name, its municipality or agenda item."""
    conditions = []
    for word in _normal(search).split():
        conditions.append(
            or_(
                _like(Task.text, word),
                _like(Task.due_text, word),
                _like(Task.due_rule, word),
                _like(_Mun.name, word),
                _like(_Item.title, word),
                _owner_name(_like(Party.name, word)),
            )
        )
    return and_(*conditions) if conditions else true()


def query_conditions(flt: Filter, query: TaskQuery, today: dt.date) -> list:
    conditions = []
    if flt.kommun:
        conditions.append(task_concerns(flt))
    if query.search and query.search.strip():
        conditions.append(_search_condition(query.search))
    if query.status == NOT_DONE:
        conditions.append(Task.status.in_(OPEN_TASK_STATUSES))
    elif query.status:
        conditions.append(Task.status == query.status)
    if query.overdue_only:
        conditions.append(overdue_condition(today))
    if query.owner:
        conditions.append(_owner_name(Party.name == query.owner))
    return conditions


def _text_column(col_id: str):
    """(expression, is_collection) for a text filter on `col_id`; None for an unknown column."""
    return {
        "text": (Task.text, False),
        "municipality": (_Mun.name, False),
        "due_text": (func.coalesce(Task.due_text, "") + " " + func.coalesce(Task.due_rule, ""), False),
        "status": (Task.status, False),
        "meeting": (
            func.coalesce(cast(_Meeting.date, String), "")
            + " "
            + func.coalesce(_Meeting.kind, "")
            + " "
            + func.coalesce(_Item.title, ""),
            False,
        ),
        "owners": (Party.name, True),
        "latest_note": (TaskNote.text, True),
    }.get(col_id)


def _any(col_id: str, condition):
    """Some owner (or note) of the task satisfies `condition`."""
    if col_id == "owners":
        return _owner_name(condition)
    return Task.id.in_(select(TaskNote.task_id).where(condition))


def _text_condition(col_id: str, model: dict):
    found = _text_column(col_id)
    if found is None:
        return None
    expr, collection = found
    kind = model.get("type") or "contains"
    value = model.get("filter")
    if kind in ("blank", "notBlank"):
        if collection:
            cond = _any(col_id, true())
        else:
            cond = and_(expr.is_not(None), func.trim(expr) != "")
        return not_(cond) if kind == "blank" else cond
    if value is None or str(value) == "":
        return None
    value = str(value)
    matchers = {
        "contains": lambda e: _like(e, value),
        "notContains": lambda e: _like(e, value),
        "startsWith": lambda e: _like(e, value, start=False),
        "endsWith": lambda e: _like(e, value, end=False),
        "equals": lambda e: _like(e, value, start=False, end=False),
        "notEqual": lambda e: _like(e, value, start=False, end=False),
    }
    if kind not in matchers:
        return None
    cond = _any(col_id, matchers[kind](expr)) if collection else func.coalesce(matchers[kind](expr), false())
    return not_(cond) if kind in ("notContains", "notEqual") else cond


def _parse_day(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None


def _date_condition(col_id: str, model: dict):
    expr = {"due_date": Task.due_date, "meeting_date": _Meeting.date}.get(col_id)
    if expr is None:
        return None
    kind = model.get("type")
    if kind == "blank":
        return expr.is_(None)
    if kind == "notBlank":
        return expr.is_not(None)
    day, day_to = _parse_day(model.get("dateFrom")), _parse_day(model.get("dateTo"))
    if day is None:
        return None
    if kind == "equals":
        return expr == day
    if kind == "notEqual":
        return or_(expr.is_(None), expr != day)
    if kind == "lessThan":
        return expr < day
    if kind == "greaterThan":
        return expr > day
    if kind == "inRange" and day_to is not None:
        return and_(expr >= min(day, day_to), expr <= max(day, day_to))
    return None


def _id_range(value: int) -> int:
    """A number compared with an id, brought within the database's integer range (beyond it the query would fail;
    no id is that large or below 0, so the comparison means the same)."""
    return min(max(value, -(2**31)), 2**31 - 1)


def _number_condition(col_id: str, model: dict):
    if col_id != "id":
        return None
    kind = model.get("type")
    try:
        value = _id_range(int(model.get("filter")))
    except (TypeError, ValueError, OverflowError):
        return None
    ops = {
        "equals": Task.id == value,
        "notEqual": Task.id != value,
        "lessThan": Task.id < value,
        "lessThanOrEqual": Task.id <= value,
        "greaterThan": Task.id > value,
        "greaterThanOrEqual": Task.id >= value,
    }
    if kind == "inRange":
        try:
            high = _id_range(int(model.get("filterTo")))
        except (TypeError, ValueError, OverflowError):
            return None
        return and_(Task.id >= min(value, high), Task.id <= max(value, high))
    return ops.get(kind)


def _column_condition(col_id: str, model: dict):
    if not isinstance(model, dict):
        return None
    if isinstance(model.get("conditions"), list):
        parts = [c for c in (_column_condition(col_id, m) for m in model["conditions"]) if c is not None]
        if not parts:
            return None
        return or_(*parts) if str(model.get("operator", "AND")).upper() == "OR" else and_(*parts)
    kind = model.get("filterType", "text")
    if kind == "text":
        return _text_condition(col_id, model)
    if kind == "date":
        return _date_condition(col_id, model)
    if kind == "number":
        return _number_condition(col_id, model)
    return None


def grid_filter_conditions(filter_model: dict | None) -> list:
    """SQL conditions for AG Grid's filterModel; unknown columns, types and values are ignored."""
    if not isinstance(filter_model, dict):
        return []
    found = (_column_condition(str(col), model) for col, model in filter_model.items())
    return [c for c in found if c is not None]


def _nulls_last(expr, descending: bool) -> list:
    return [case((expr.is_(None), 1), else_=0), expr.desc() if descending else expr.asc()]


# A text that sorts after every real one (bytewise, as SQLite and COLLATE "C" compare): stands in for "no value",
# so that empty texts come last in both directions while the sort key is computed once a row.
_LAST = "\uffff"


def _text_order(expr, dialect: str, descending: bool) -> list:
    key = swedish_order(func.coalesce(expr, "" if descending else _LAST), dialect)
    return [key.desc() if descending else key.asc()]


def owner_sort_keys(dialect: str):
    """A derived table: each task's first owner in Swedish order, in one pass over task_owner (faster than a
    subquery per task, on PostgreSQL by half)."""
    return (
        select(task_owner.c.task_id.label("task_id"), func.min(swedish_order(Party.name, dialect)).label("key"))
        .join(Party, Party.id == task_owner.c.party_id)
        .group_by(task_owner.c.task_id)
        .subquery("owner_sort")
    )


def sorts_by(sort_model: list | None, col_id: str) -> bool:
    return any(isinstance(e, dict) and e.get("colId") == col_id for e in sort_model or [])


def _key_order(key, descending: bool) -> list:
    key = func.coalesce(key, "" if descending else _LAST)
    return [key.desc() if descending else key.asc()]


def grid_order(sort_model: list | None, dialect: str, owner_key=None) -> list:
    """ORDER BY for AG Grid's sortModel (unknown columns ignored), empty values last; ends with a stable tie-break.

    Sorting by owner needs `owner_key`: the key column of `owner_sort_keys`, joined to the query."""
    latest_note = select(func.max(TaskNote.at)).where(TaskNote.task_id == Task.id).scalar_subquery()
    status_rank = case({s: i for i, s in enumerate(TASK_STATUSES)}, value=Task.status, else_=len(TASK_STATUSES))
    columns = {
        "id": lambda d: [Task.id.desc() if d else Task.id.asc()],
        "text": lambda d: _text_order(Task.text, dialect, d),
        "owners": lambda d: _key_order(owner_key, d) if owner_key is not None else [],
        "municipality": lambda d: _text_order(_Mun.name, dialect, d),
        "due_date": lambda d: _nulls_last(Task.due_date, d),
        "due_text": lambda d: _text_order(Task.due_text, dialect, d),
        "status": lambda d: [status_rank.desc() if d else status_rank.asc()],
        "meeting": lambda d: _nulls_last(_Meeting.date, d) + _nulls_last(_Item.number, d),
        "meeting_date": lambda d: _nulls_last(_Meeting.date, d) + _nulls_last(_Item.number, d),
        "latest_note": lambda d: _nulls_last(latest_note, d),
    }
    order: list = []
    for entry in sort_model or []:
        if isinstance(entry, dict) and isinstance(entry.get("colId"), str) and entry["colId"] in columns:
            order.extend(columns[entry["colId"]](entry.get("sort") == "desc"))
    if not order:  # the default: newest meeting first, then agenda order
        order = [*_nulls_last(_Meeting.date, True), *_nulls_last(_Item.number, False)]
    return [*order, Task.id.asc()]


def _base(conditions: list):
    return (
        select()
        .select_from(Task)
        .outerjoin(_Mun, Task.municipality_id == _Mun.id)
        .outerjoin(_Meeting, Task.meeting_id == _Meeting.id)
        .outerjoin(_Item, Task.agenda_item_id == _Item.id)
        .where(*conditions)
    )


def _page_bounds(start, end) -> tuple[int, int]:
    """Row numbers from the client, made safe: whole numbers, start ≥ 0, at most PAGE_SIZE_MAX rows."""
    return row_bounds(start, end, size=25, most=PAGE_SIZE_MAX)


def task_rows(
    session: Session,
    flt: Filter = Filter(),
    query: TaskQuery = TaskQuery(),
    *,
    start: int = 0,
    end: int = 25,
    sort_model: list | None = None,
    filter_model: dict | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """One page of tasks (rows `start` to `end`, at most PAGE_SIZE_MAX) and how many match in all.

    Each row has the API's fields plus `latest_note` ({text, username, at} or None); five queries whatever the size.
    """
    today = today or dt.date.today()
    start, end = _page_bounds(start, end)
    conditions = query_conditions(flt, query, today) + grid_filter_conditions(filter_model)
    base = _base(conditions)
    total = session.scalar(base.with_only_columns(func.count(Task.id)))
    dialect = session.get_bind().dialect.name
    owner_key = None
    if sorts_by(sort_model, "owners"):
        keys = owner_sort_keys(dialect)
        base = base.outerjoin(keys, keys.c.task_id == Task.id)
        owner_key = keys.c.key
    # Sort and cut on the ids alone (SQLite's sorter then carries two numbers a row, not the texts), then read the
    # page's rows by id.
    ids = list(
        session.scalars(
            base.with_only_columns(Task.id)
            .order_by(*grid_order(sort_model, dialect, owner_key))
            .offset(start)
            .limit(end - start)
        )
    )
    found = (
        {
            r[0]: r
            for r in session.execute(
                _base([Task.id.in_(ids)]).with_only_columns(
                    Task.id,
                    Task.text,
                    Task.due_date,
                    Task.due_text,
                    Task.due_rule,
                    Task.status,
                    Task.meeting_id,
                    Task.uncertain,
                    _Mun.name,
                    _Meeting.date,
                    _Meeting.kind,
                    _Item.number,
                    _Item.title,
                )
            )
        }
        if ids
        else {}
    )
    page = [found[i] for i in ids if i in found]
    owners = _owners_of(session, ids)
    notes = _latest_notes(session, ids)
    rows = [
        {
            "id": tid,
            "text": text,
            "owners": owners.get(tid, []),
            "municipality": mun,
            "due_date": due.isoformat() if due else None,
            "due_text": due_text,
            "due_rule": due_rule,
            "status": status,
            "overdue": is_overdue(status, due, today),
            "meeting_id": meeting_id,
            "meeting_date": mdate.isoformat() if mdate else None,
            "meeting_kind": mkind,
            "agenda_item_number": number,
            "agenda_item_title": title,
            "uncertain": list(uncertain or []),
            "latest_note": notes.get(tid),
        }
        for (
            tid,
            text,
            due,
            due_text,
            due_rule,
            status,
            meeting_id,
            uncertain,
            mun,
            mdate,
            mkind,
            number,
            title,
        ) in page
    ]
    return {"rows": rows, "total": int(total or 0)}


def _owners_of(session: Session, ids: list[int]) -> dict[int, list[str]]:
    owners: dict[int, list[str]] = {}
    if ids:
        for tid, name in session.execute(
            select(task_owner.c.task_id, Party.name)
            .join(Party, Party.id == task_owner.c.party_id)
            .where(task_owner.c.task_id.in_(ids))
        ):
            owners.setdefault(tid, []).append(name)
    return {tid: sorted(names, key=swedish_sort_key) for tid, names in owners.items()}


def _note_dict(n: TaskNote) -> dict[str, Any]:
    return {"text": n.text, "username": n.username, "at": as_utc(n.at).isoformat()}


def _latest_notes(session: Session, ids: list[int]) -> dict[int, dict[str, Any]]:
    latest: dict[int, dict[str, Any]] = {}
    if ids:
        notes = session.scalars(
            select(TaskNote).where(TaskNote.task_id.in_(ids)).order_by(TaskNote.at.desc(), TaskNote.id.desc())
        )
        for n in notes:
            latest.setdefault(n.task_id, _note_dict(n))
    return latest


def task_summary(session: Session, flt: Filter = Filter(), *, today: dt.date | None = None) -> dict[str, int]:
    """How many tasks concern the filter, how many are open (öppen or pågår), and how many of those are late."""
    today = today or dt.date.today()
    q = select(
        func.count(Task.id),
        func.coalesce(func.sum(case((Task.status.in_(OPEN_TASK_STATUSES), 1), else_=0)), 0),
        func.coalesce(func.sum(case((overdue_condition(today), 1), else_=0)), 0),
    )
    if flt.kommun:
        q = q.where(task_concerns(flt))
    total, open_, overdue = session.execute(q).one()
    return {"total": int(total), "open": int(open_), "overdue": int(overdue)}


def task_owner_names(session: Session, flt: Filter = Filter()) -> list[str]:
    """The names of everyone who owns a task that concerns the filter, in Swedish order."""
    q = select(Party.name).where(exists().where(task_owner.c.party_id == Party.id))
    if flt.kommun:
        concerned = select(task_owner.c.party_id).join(Task, Task.id == task_owner.c.task_id).where(task_concerns(flt))
        q = q.where(Party.id.in_(concerned))
    return sorted(session.scalars(q), key=swedish_sort_key)


# --- one task: details, notes and history ---------------------------------------------------------------------------


HISTORY_CHUNK = 500


def _chunks(ids: list[int]):
    for i in range(0, len(ids), HISTORY_CHUNK):
        yield ids[i : i + HISTORY_CHUNK]


def task_histories(session: Session, task_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """What happened to each task, newest first: each recorded change (who, when, status before and after, the note,
    the source) and any follow-up note that no change record carries. Two queries per 500 tasks, not two per task."""
    history: dict[int, list[dict[str, Any]]] = {tid: [] for tid in task_ids}
    carried: set[int] = set()
    for chunk in _chunks(list(history)):
        records = session.scalars(
            select(ChangeRecord)
            .where(ChangeRecord.entity == "task", ChangeRecord.entity_id.in_(chunk))
            .order_by(ChangeRecord.at, ChangeRecord.id)
        )
        for r in records:
            before, after = r.before or {}, r.after or {}
            if after.get("note_id"):
                carried.add(after["note_id"])
            history[r.entity_id].append(
                {
                    "at": as_utc(r.at).isoformat(),
                    "username": r.username,
                    "action": r.action,
                    "source": r.source,
                    "status_before": before.get("status"),
                    "status_after": after.get("status"),
                    "note": after.get("note") if r.action == "update" else None,
                }
            )
    for chunk in _chunks(list(history)):
        for n in session.scalars(select(TaskNote).where(TaskNote.task_id.in_(chunk)).order_by(TaskNote.id)):
            if n.id not in carried:
                history[n.task_id].append(
                    {
                        "at": as_utc(n.at).isoformat(),
                        "username": n.username,
                        "action": "note",
                        "source": None,
                        "status_before": None,
                        "status_after": None,
                        "note": n.text,
                    }
                )
    return {tid: sorted(events, key=lambda e: e["at"], reverse=True) for tid, events in history.items()}


def task_history(session: Session, task_id: int) -> list[dict[str, Any]]:
    """What happened to one task, newest first (see task_histories)."""
    return task_histories(session, [task_id])[task_id]


def task_detail(session: Session, task_id: int, *, today: dt.date | None = None) -> dict[str, Any] | None:
    """One task as the API gives it, plus its follow-up notes (oldest first) and its history; None if missing."""
    today = today or dt.date.today()
    task = session.scalars(task_query().where(Task.id == task_id).options(selectinload(Task.notes))).one_or_none()
    if task is None:
        return None
    return {
        **task_to_dict(task, today),
        "notes": [_note_dict(n) for n in sorted(task.notes, key=lambda n: (as_utc(n.at), n.id))],
        "history": task_history(session, task_id),
    }


# --- the one write: status and a follow-up note --------------------------------------------------------------------


class TaskUpdateError(ValueError):
    """A refused task update; the message is Swedish and meant for the person who tried."""


def _concerns(session: Session, task_id: int, kommun: str) -> bool:
    return bool(session.scalar(select(exists().where(Task.id == task_id, task_concerns(Filter(kommun))))))


def edit_refusal(session: Session, task_id: int, *, role: str | None, user_municipality: str | None) -> str | None:
    """Why this user may not change this task (Swedish), or None if they may."""
    if role not in EDIT_ROLES:
        suffix = " Som läsare kan du se uppdragen men inte ändra dem." if role == "läsare" else ""
        return "Du har inte behörighet att ändra uppdrag." + suffix
    if role != "admin" and user_municipality and not _concerns(session, task_id, user_municipality):
        return f"Du kan bara ändra uppdrag som berör {user_municipality}."
    return None


def can_edit_task(session: Session, task_id: int, *, role: str | None, user_municipality: str | None) -> bool:
    return edit_refusal(session, task_id, role=role, user_municipality=user_municipality) is None


def update_task(
    session: Session,
    task_id: int,
    *,
    status: str | None,
    note: str | None,
    username: str,
    role: str | None,
    user_municipality: str | None,
    today: dt.date | None = None,
    at: dt.datetime | None = None,
) -> dict[str, Any]:
    """Change a task's status and/or add a follow-up note, with a change record of both; returns `task_detail`.

    Checks the rights itself: a läsare is refused, and a redigerare tied to a municipality may change only tasks that
    concern it. Everything is validated before anything is written; the caller's transaction commits it (or rolls it
    back on error). Raises TaskUpdateError with a Swedish message.
    """
    if role not in EDIT_ROLES:
        raise TaskUpdateError(edit_refusal(session, task_id, role=role, user_municipality=user_municipality))
    if not isinstance(task_id, int) or isinstance(task_id, bool):
        raise TaskUpdateError("Välj ett uppdrag att ändra.")
    serialise_writes(session)
    task = session.scalars(select(Task).where(Task.id == task_id).with_for_update()).one_or_none()
    if task is None:
        raise TaskUpdateError(f"Uppdraget finns inte (nummer {task_id}). Det kan ha tagits bort.")
    refusal = edit_refusal(session, task_id, role=role, user_municipality=user_municipality)
    if refusal:
        raise TaskUpdateError(refusal)
    new_status = _normal(status).strip() if status else task.status
    if new_status not in TASK_STATUSES:
        raise TaskUpdateError(f"Okänd status ”{new_status}”. Välj öppen, pågår, klar eller struken.")
    text = _normal(note or "").strip()
    if "\x00" in text:
        raise TaskUpdateError("Noteringen innehåller ett otillåtet tecken.")
    if len(text) > NOTE_MAX_LENGTH:
        raise TaskUpdateError(
            f"Noteringen är för lång ({len(text)} tecken). Den får vara högst {NOTE_MAX_LENGTH} tecken."
        )
    if new_status == task.status and not text:
        raise TaskUpdateError("Inget att spara: välj en ny status eller skriv en notering.")

    at = as_utc(at) if at else utcnow()
    before = {"status": task.status}
    task.status = new_status
    note_row = None
    if text:
        note_row = TaskNote(task_id=task.id, text=text, username=username, at=at)
        session.add(note_row)
    session.flush()
    record_change(
        session,
        username=username,
        source=EDIT_SOURCE,
        entity="task",
        entity_id=task.id,
        action="update",
        before=before,
        after={"status": new_status, "note": text or None, "note_id": note_row.id if note_row else None},
        at=at,
    )
    session.flush()
    return task_detail(session, task.id, today=today)


__all__ = [
    "NOT_DONE",
    "TaskQuery",
    "TaskUpdateError",
    "can_edit_task",
    "edit_refusal",
    "is_overdue",
    "list_tasks",
    "task_concerns",
    "task_detail",
    "task_history",
    "task_owner_names",
    "task_rows",
    "task_summary",
    "update_task",
]
