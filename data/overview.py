"""Headline figures for the overview, computed by aggregate queries: a handful of rows whatever the data's size.

With them, what needs attention and what changed since the last meeting, as counts and the first few signals
(data.signals.signal_summary, data.changes.change_counts).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from sqlalchemy import BigInteger, String, and_, bindparam, case, cast, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.functions import FunctionElement

from data.changes import change_counts, default_since
from data.filters import Filter
from data.models import (
    FUNDER_KINDS,
    OPEN_TASK_STATUSES,
    AgendaItem,
    FundingLine,
    Meeting,
    Municipality,
    Party,
    Project,
    Task,
    project_municipality,
    task_owner,
)
from data.plan import focus_area_progress, latest_plan
from data.signals import signal_summary

ACTIVE_PROJECT_STATUS = "pågår"
UNSPECIFIED = "ej specificerat"


class _MonthIndex(FunctionElement):
    """SQL: year × 12 + month of a date, so that two dates' months can be subtracted."""

    type = BigInteger()
    name = "month_index"
    inherit_cache = True


@compiles(_MonthIndex)
def _month_index(element, compiler, **kw):
    date = compiler.process(next(iter(element.clauses)), **kw)
    return f"(CAST(EXTRACT(YEAR FROM {date}) AS INTEGER) * 12 + CAST(EXTRACT(MONTH FROM {date}) AS INTEGER))"


@compiles(_MonthIndex, "sqlite")
def _month_index_sqlite(element, compiler, **kw):
    # SQLite keeps dates as 'YYYY-MM-DD' text; its strftime costs several times more than two substrings.
    date = compiler.process(next(iter(element.clauses)), **kw)
    return f"(CAST(substr({date}, 1, 4) AS INTEGER) * 12 + CAST(substr({date}, 6, 2) AS INTEGER))"


def _months(start, end):
    """SQL: calendar months from start's month to end's month, both included (data.funding.months_between)."""
    return _MonthIndex(end) - _MonthIndex(start) + 1


def _round_twelfths(x):
    """SQL: round(x / 12) with Python's rounding (half to even), in integers so both databases agree."""
    q, r = x // 12, x % 12
    return q + case((r > 6, 1), (r == 6, q % 2), else_=0)


def _whole_period(amount, period, months):
    """SQL twin of data.funding.whole_period_amount, given the project's months (NULL without both dates).

    NULL when there is no amount, or a yearly amount for a project without both dates.
    """
    return case(
        (amount.is_(None), None),
        (or_(period.is_(None), period != "år"), amount),
        (months.is_(None), None),
        else_=_round_twelfths(amount * months),
    )


def _kommun_id():
    """SQL: the id of the municipality named by the bound parameter `kommun`."""
    return select(Municipality.id).where(Municipality.name == bindparam("kommun", type_=String)).scalar_subquery()


def _concerns(q, filtered: bool, project_id=Project.id):
    """`q` narrowed to the projects of the municipality `kommun` (a bound parameter), as an indexed semi-join."""
    if not filtered:
        return q
    return q.where(
        project_id.in_(
            select(project_municipality.c.project_id).where(project_municipality.c.municipality_id == _kommun_id())
        )
    )


def _params(flt: Filter) -> dict[str, str]:
    return {"kommun": flt.kommun} if flt.kommun else {}


def _project_frames(filtered: bool, *, materialized: bool = True):
    """Each project (of the municipality `kommun`, when filtered) with its status, stated budget and months.

    Materialized (a CTE computed once) where later expressions refer to the months many times; otherwise a plain
    subquery that the database may fold into the query around it.
    """
    has_frame = and_(Project.start_date.is_not(None), Project.end_date.is_not(None))
    query = _concerns(
        select(
            Project.id.label("id"),
            Project.status.label("status"),
            Project.budget_amount.label("budget_amount"),
            Project.budget_period.label("budget_period"),
            case((has_frame, _months(Project.start_date, Project.end_date))).label("months"),
        ),
        filtered,
    )
    if not materialized:
        return query.subquery("project_frame")
    return query.cte("project_frame").prefix_with("MATERIALIZED")


def _tasks_concerning(q, flt: Filter):
    """Tasks about the municipality or owned by someone from it (data.tasks.task_concerns, as semi-joins)."""
    if not flt.kommun:
        return q
    kommun_id = select(Municipality.id).where(Municipality.name == flt.kommun).scalar_subquery()
    owned = (
        select(task_owner.c.task_id)
        .join(Party, Party.id == task_owner.c.party_id)
        .where(Party.municipality_id == kommun_id)
    )
    return q.where(or_(Task.municipality_id == kommun_id, Task.id.in_(owned)))


@functools.cache
def _project_figures_statement(filtered: bool):
    """Built once per process (for all seven, and for one municipality as a bound parameter): a statement of this
    size costs milliseconds to build on every render."""
    frames = _project_frames(filtered, materialized=False)
    whole = _whole_period(frames.c.budget_amount, frames.c.budget_period, frames.c.months)
    has_amount = frames.c.budget_amount.is_not(None)
    return select(
        func.count(),
        func.count(case((frames.c.status == ACTIVE_PROJECT_STATUS, 1))),
        func.coalesce(func.sum(whole), 0),
        func.count(case((~has_amount, 1))),
        func.count(case((and_(has_amount, whole.is_(None)), 1))),
    ).select_from(frames)


def overview_figures(session: Session, flt: Filter = Filter(), *, today: dt.date | None = None) -> dict[str, Any]:
    """Projects (all and active), total stated budget over each project's whole time frame, open and overdue tasks.

    Active means status "pågår". Two aggregate queries.
    """
    today = today or dt.date.today()
    p = session.execute(_project_figures_statement(flt.kommun is not None), _params(flt)).one()
    is_open = Task.status.in_(OPEN_TASK_STATUSES)
    tq = select(
        func.count(),
        func.count(case((is_open, 1))),
        func.count(case((and_(is_open, Task.due_date < today), 1))),
    )
    t = session.execute(_tasks_concerning(tq, flt)).one()
    return {
        "project_count": p[0],
        "active_projects": p[1],
        "total_budget": int(p[2]),
        "projects_without_budget": p[3],
        "projects_yearly_budget_without_time_frame": p[4],
        "open_tasks": t[1],
        "overdue_tasks": t[2],
        "task_count": t[0],
    }


@functools.cache
def _funding_statement(filtered: bool):
    """The funding mix as one statement, built once per process (see _project_figures_statement)."""
    frames = _project_frames(filtered)
    yearly = FundingLine.period == "år"
    sums = []
    for i, kind in enumerate(FUNDER_KINDS):
        is_kind = FundingLine.kind == kind
        # PostgreSQL sums bigints as numeric, whose arithmetic is slow: back to bigint once per project.
        sums.append(cast(func.sum(case((and_(is_kind, yearly), FundingLine.amount))), BigInteger).label(f"y{i}"))
        whole = and_(is_kind, or_(FundingLine.period.is_(None), ~yearly))
        sums.append(cast(func.sum(case((whole, FundingLine.amount))), BigInteger).label(f"w{i}"))
    per_project = select(
        FundingLine.project_id.label("project_id"),
        *sums,
        func.count(case((and_(yearly, FundingLine.amount.is_not(None)), 1))).label("yearly_lines"),
        (func.count() - func.count(FundingLine.amount)).label("unknown"),
    ).group_by(FundingLine.project_id)
    per_project = _concerns(per_project, filtered, FundingLine.project_id).subquery()
    months = frames.c.months
    by_kind = [
        (
            func.coalesce(per_project.c[f"w{i}"], 0)
            + case(
                (or_(per_project.c[f"y{i}"].is_(None), months.is_(None)), 0),
                else_=_round_twelfths(per_project.c[f"y{i}"] * months),
            )
        ).label(f"k{i}")
        for i in range(len(FUNDER_KINDS))
    ]
    placed = (
        select(
            *by_kind,
            _whole_period(frames.c.budget_amount, frames.c.budget_period, months).label("budget"),
            (
                func.coalesce(per_project.c.unknown, 0)
                + case((months.is_(None), func.coalesce(per_project.c.yearly_lines, 0)), else_=0)
            ).label("uncounted"),
        )
        .select_from(frames)
        .outerjoin(per_project, per_project.c.project_id == frames.c.id)
        .cte("funding_placed")
        .prefix_with("MATERIALIZED")
    )
    funded = sum((placed.c[f"k{i}"] for i in range(1, len(FUNDER_KINDS))), placed.c.k0)
    budget = placed.c.budget
    gap = case((budget > funded, budget - funded), else_=0)
    has_uncounted = placed.c.uncounted > 0
    return select(
        *[func.sum(placed.c[f"k{i}"]) for i in range(len(FUNDER_KINDS))],
        func.sum(gap),
        func.sum(case((has_uncounted, gap), else_=0)),
        func.count(case((has_uncounted, 1))),
        func.sum(placed.c.uncounted),
        func.count(case((budget < funded, 1))),
    )


def funding_shares(session: Session, flt: Filter = Filter()) -> dict[str, Any]:
    """How the projects' money is split by kind of funder, on a whole-period basis, with "ej specificerat".

    Stated budgets and funders' amounts are placed over the project's whole time frame (a yearly amount times the
    years the project runs, rounded per project and kind of funder). Per project, the part of the stated budget
    that its funders' amounts do not cover is "ej specificerat"; where the funders give more than the budget, their
    amounts count. The shares are of the sum of all funders' amounts and all unspecified parts. Lines without an
    amount, and yearly lines of a project without both dates, cannot be counted and are counted apart.
    One statement: the funding lines summed per project (by kind and period), each project's sums placed over its
    time frame, then everything summed.
    """
    row = session.execute(_funding_statement(flt.kommun is not None), _params(flt)).one()
    values = [int(v or 0) for v in row]
    n = len(FUNDER_KINDS)
    amounts = dict(zip([*FUNDER_KINDS, UNSPECIFIED], values[: n + 1], strict=True))
    total = sum(amounts.values())
    return {
        "rows": [
            {"kind": kind, "amount": amount, "share": amount / total if total else None}
            for kind, amount in amounts.items()
        ],
        "total": total,
        "unspecified_with_uncounted_funders": values[n + 1],
        "projects_with_uncounted_funders": values[n + 2],
        "uncounted_lines": values[n + 3],
        "projects_funded_above_budget": values[n + 4],
    }


def next_deadlines(
    session: Session, flt: Filter = Filter(), *, today: dt.date | None = None, limit: int = 5
) -> dict[str, Any]:
    """The open tasks due soonest from today on; when none is, the overdue ones (longest overdue first).

    Returns {"overdue": bool, "tasks": [...], "count": how many tasks the list is taken from}.
    """
    today = today or dt.date.today()
    base = _tasks_concerning(select(Task).where(Task.status.in_(OPEN_TASK_STATUSES), Task.due_date.is_not(None)), flt)
    upcoming, overdue = session.execute(
        _tasks_concerning(
            select(func.count(case((Task.due_date >= today, 1))), func.count(case((Task.due_date < today, 1)))).where(
                Task.status.in_(OPEN_TASK_STATUSES), Task.due_date.is_not(None)
            ),
            flt,
        )
    ).one()
    show_overdue = not upcoming
    chosen = base.where(Task.due_date < today) if show_overdue else base.where(Task.due_date >= today)
    tasks = session.scalars(
        chosen.options(selectinload(Task.owners), selectinload(Task.meeting))
        .order_by(Task.due_date, Task.id)
        .limit(limit)
    ).all()
    return {
        "overdue": show_overdue,
        "count": overdue if show_overdue else upcoming,
        "tasks": [
            {
                "id": t.id,
                "text": t.text,
                "owners": [o.name for o in t.owners],
                "due_date": t.due_date.isoformat(),
                "due_text": t.due_text,
                "status": t.status,
                "overdue": t.due_date < today,
                "meeting_id": t.meeting_id,
                "meeting_date": t.meeting.date.isoformat() if t.meeting else None,
            }
            for t in tasks
        ],
    }


def _meeting_dict(m: Meeting) -> dict[str, Any]:
    return {"id": m.id, "kind": m.kind, "date": m.date.isoformat(), "title": m.title, "place": m.place}


def latest_meeting(session: Session, flt: Filter = Filter(), *, today: dt.date | None = None) -> dict[str, Any]:
    """The newest meeting held on or before today and the next one after it (either may be None).

    Meetings are regional; with a filter, the latest meeting's `tasks` and `open_tasks` count only its tasks that
    concern it. `agenda_items` says whether minutes are loaded for it.
    """
    today = today or dt.date.today()
    latest = session.scalars(
        select(Meeting).where(Meeting.date <= today).order_by(Meeting.date.desc(), Meeting.id.desc()).limit(1)
    ).first()
    upcoming = session.scalars(
        select(Meeting).where(Meeting.date > today).order_by(Meeting.date, Meeting.id).limit(1)
    ).first()
    result: dict[str, Any] = {"latest": None, "next": _meeting_dict(upcoming) if upcoming else None}
    if latest is not None:
        tq = select(func.count(), func.count(case((Task.status.in_(OPEN_TASK_STATUSES), 1)))).where(
            Task.meeting_id == latest.id
        )
        tasks, open_tasks = session.execute(_tasks_concerning(tq, flt)).one()
        items = session.scalar(select(func.count()).where(AgendaItem.meeting_id == latest.id))
        result["latest"] = {**_meeting_dict(latest), "tasks": tasks, "open_tasks": open_tasks, "agenda_items": items}
    return result


def overview(session: Session, flt: Filter = Filter(), *, today: dt.date | None = None) -> dict[str, Any]:
    """Everything the overview page shows, for the filter."""
    today = today or dt.date.today()
    plan = latest_plan(session)
    since, since_label = default_since(session, today)
    return {
        "figures": overview_figures(session, flt, today=today),
        "funding": funding_shares(session, flt),
        "plan": plan,
        "focus_areas": focus_area_progress(session, plan["id"], flt) if plan else [],
        "deadlines": next_deadlines(session, flt, today=today),
        "meetings": latest_meeting(session, flt, today=today),
        "signals": signal_summary(session, flt, today=today),
        "changes": {**change_counts(session, since, flt, today=today), "label": since_label},
        "today": today.isoformat(),
    }
