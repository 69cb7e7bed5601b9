"""What the presentation's slides show, one slide at a time: few columns, counted or cut to the first few rows in the
query, so that a slide stays small and quick at any data size."""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter
from typing import Any

from sqlalchemy import Float, Integer, and_, case, cast, extract, func, select, true
from sqlalchemy.orm import Session

from data.filters import Filter
from data.funding import funding_summary
from data.models import (
    OPEN_TASK_STATUSES,
    Activity,
    FocusArea,
    FundingLine,
    Municipality,
    Party,
    Phase,
    Plan,
    Project,
    Task,
    project_municipality,
    task_owner,
)
from data.municipalities import swedish_sort_key
from data.tasks import task_concerns

# What runs is talked about first, what is finished or dropped last (projects and activities alike).
STATUS_ORDER = {"pågår": 0, "planerad": 1, "pausad": 2, "avslutad": 3, "klar": 3, "struken": 4}


def _status_counts(statuses) -> dict[str, int]:
    return dict(sorted(Counter(statuses).items(), key=lambda item: STATUS_ORDER.get(item[0], 9)))


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _concerning(flt: Filter):
    """SQL: ids of the projects that concern the filter's municipality (one indexed lookup)."""
    kommun_id = select(Municipality.id).where(Municipality.name == flt.kommun).scalar_subquery()
    return select(project_municipality.c.project_id).where(project_municipality.c.municipality_id == kommun_id)


def _projects_of(flt: Filter, *columns):
    q = select(*columns)
    return q.where(Project.id.in_(_concerning(flt))) if flt.kommun else q


def latest_plan_outline(session: Session) -> dict[str, Any] | None:
    """The newest plan's year and title and its focus areas (id, name) in the plan's order; None without a plan."""
    plan = session.execute(select(Plan.id, Plan.year, Plan.title).order_by(Plan.year.desc()).limit(1)).first()
    if plan is None:
        return None
    areas = session.execute(
        select(FocusArea.id, FocusArea.name).where(FocusArea.plan_id == plan.id).order_by(FocusArea.position)
    ).all()
    return {
        "id": plan.id,
        "year": plan.year,
        "title": plan.title,
        "focus_areas": [{"id": fa_id, "name": name} for fa_id, name in areas],
    }


def project_status_counts(session: Session, flt: Filter = Filter()) -> dict[str, int]:
    """How many of the filter's projects have each status, running ones first."""
    rows = session.execute(_projects_of(flt, Project.status, func.count()).group_by(Project.status)).all()
    return dict(sorted(((s, n) for s, n in rows), key=lambda r: STATUS_ORDER.get(r[0], 9)))


def focus_area_counts(session: Session, focus_area_ids: list[int], flt: Filter = Filter()) -> dict[int, dict]:
    """Per focus area: its activities counted by status (running first) and the number of the filter's projects."""
    counts: dict[int, dict] = {fa: {"activity_status_counts": {}, "project_count": 0} for fa in focus_area_ids}
    if not focus_area_ids:
        return counts
    activities: dict[int, Counter] = {fa: Counter() for fa in focus_area_ids}
    for fa, status, n in session.execute(
        select(Activity.focus_area_id, Activity.status, func.count())
        .where(Activity.focus_area_id.in_(focus_area_ids))
        .group_by(Activity.focus_area_id, Activity.status)
    ):
        activities[fa][status] = n
    for fa, n in session.execute(
        _projects_of(flt, Project.focus_area_id, func.count())
        .where(Project.focus_area_id.in_(focus_area_ids))
        .group_by(Project.focus_area_id)
    ):
        counts[fa]["project_count"] = n
    for fa, counter in activities.items():
        counts[fa]["activity_status_counts"] = _status_counts(counter.elements())
    return counts


def focus_area_slide(session: Session, focus_area_id: int, flt: Filter = Filter(), *, limit: int = 8) -> dict[str, Any]:
    """One focus area: its activities and the filter's projects under it, each list cut to `limit` rows, with the
    full count and the count per status (running first) beside it. Projects: running first, then by name."""
    activities = session.execute(
        select(Activity.title, Activity.description, Activity.responsible, Activity.status, Activity.due_text)
        .where(Activity.focus_area_id == focus_area_id)
        .order_by(Activity.position, Activity.id)
    ).all()
    projects = session.execute(
        _projects_of(flt, Project.id, Project.name, Project.status).where(Project.focus_area_id == focus_area_id)
    ).all()
    projects = sorted(projects, key=lambda p: (STATUS_ORDER.get(p.status, 9), swedish_sort_key(p.name)))
    return {
        "activities": [
            {
                "title": a.title,
                "description": a.description,
                "responsible": a.responsible,
                "status": a.status,
                "due_text": a.due_text,
            }
            for a in activities[:limit]
        ],
        "activity_count": len(activities),
        "activity_status_counts": _status_counts(a.status for a in activities),
        "projects": [{"id": p.id, "name": p.name, "status": p.status} for p in projects[:limit]],
        "project_count": len(projects),
        "project_status_counts": _status_counts(p.status for p in projects),
    }


def _distance_from(today: dt.date, start: dt.date, end: dt.date) -> int:
    """Days between today and the time frame: 0 while it runs."""
    if start <= today <= end:
        return 0
    return (start - today).days if start > today else (today - end).days


def timeline_rows(
    session: Session, flt: Filter = Filter(), *, today: dt.date | None = None, limit: int = 12
) -> dict[str, Any]:
    """The `limit` projects nearest today in time (running ones first), by start date, with their phases; and how
    many projects there are in all and which lack a complete time frame.

    The nearest are found by three indexed queries of at most `limit` rows (running, ended, not yet started)."""
    today = today or dt.date.today()
    dated = and_(Project.start_date.is_not(None), Project.end_date.is_not(None))
    columns = (Project.id, Project.name, Project.status, Project.start_date, Project.end_date)
    candidates = []
    for where, order in [
        ((Project.start_date <= today, Project.end_date >= today), (Project.id,)),
        ((Project.end_date < today,), (Project.end_date.desc(), Project.id)),
        ((Project.start_date > today,), (Project.start_date, Project.id)),
    ]:
        candidates += session.execute(_projects_of(flt, *columns).where(dated, *where).order_by(*order).limit(limit))
    nearest = sorted(candidates, key=lambda r: (_distance_from(today, r.start_date, r.end_date), r.id))[:limit]
    nearest.sort(key=lambda r: (r.start_date, r.end_date, swedish_sort_key(r.name)))
    total, dated_count = session.execute(_projects_of(flt, func.count(), func.count(case((dated, 1))))).one()
    undated = sorted(
        session.execute(_projects_of(flt, Project.name, Project.time_frame_text).where(~dated)),
        key=lambda r: swedish_sort_key(r.name),
    )
    phases: dict[int, list[dict]] = {}
    if nearest:
        for pid, name, start, end in session.execute(
            select(Phase.project_id, Phase.name, Phase.start_date, Phase.end_date)
            .where(Phase.project_id.in_([r.id for r in nearest]))
            .order_by(Phase.start_date, Phase.id)
        ):
            phases.setdefault(pid, []).append({"name": name, "start_date": _iso(start), "end_date": _iso(end)})
    return {
        "rows": [
            {
                "id": r.id,
                "name": r.name,
                "status": r.status,
                "start_date": _iso(r.start_date),
                "end_date": _iso(r.end_date),
                "phases": phases.get(r.id, []),
            }
            for r in nearest
        ],
        "total": total,
        "dated_count": dated_count,
        "undated": [{"name": r.name, "time_frame_text": r.time_frame_text} for r in undated[:limit]],
        "undated_count": len(undated),
    }


def yearly_amount(amount: float | None, period: str | None, months: int | None) -> float | None:
    """An amount per year: as stated when given per year; a whole-period amount divided by the project's length in
    years (`months` / 12, see data.funding.months_between). None when it cannot be known (no amount, no period, or
    a total for a project without a time frame)."""
    if amount is None or period is None:
        return None
    if period == "år":
        return float(amount)
    if not months:
        return None
    return float(amount) * 12 / months


def _months(start, end):
    """SQL: data.funding.months_between(start, end); NULL when a date is missing."""
    return cast(
        (extract("year", end) - extract("year", start)) * 12 + extract("month", end) - extract("month", start) + 1,
        Integer,
    )


def _known(period: str | None):
    return and_(
        FundingLine.amount.is_not(None), FundingLine.period == period if period else FundingLine.period.is_(None)
    )


def funding_overview(session: Session, flt: Filter = Filter(), *, limit: int = 8) -> dict[str, Any]:
    """Stated budget against the sum of the funders for the filter's projects, on a yearly basis: the `limit`
    projects with the largest yearly budget, totals over all of them, and the yearly amounts per kind of funder.

    The funding lines are summed per project and period in SQL; data.funding.funding_summary then decides, from one
    line per period and the lines without an amount, exactly as it does from the lines themselves."""
    per_project = (
        select(
            FundingLine.project_id,
            func.count().label("lines"),
            *(
                column
                for period in PERIODS_AND_NONE
                for column in (
                    func.sum(case((_known(period), FundingLine.amount))).label(f"sum_{period}"),
                    func.count(case((_known(period), 1))).label(f"n_{period}"),
                )
            ),
        )
        .group_by(FundingLine.project_id)
        .subquery()
    )
    c = per_project.c
    rows_q = _projects_of(
        flt,
        Project.id,
        Project.name,
        Project.budget_amount,
        Project.budget_period,
        _months(Project.start_date, Project.end_date),
        c.lines,
        *(c[f"{kind}_{period}"] for period in PERIODS_AND_NONE for kind in ("sum", "n")),
    ).outerjoin(per_project, c.project_id == Project.id)
    rows = []
    without_budget = 0
    # Core, not the ORM session: the ORM's row handling costs more than the query on thousands of rows.
    for pid, name, amount, period, months, lines_n, *per_period in session.connection().execute(rows_q):
        budget = yearly_amount(amount, period, months)
        if budget is None:
            without_budget += 1
            continue
        # One line per period with its sum, and one per line without an amount: all funding_summary looks at.
        lines = [
            {"amount": int(total), "period": p}
            for p, total, n in zip(PERIODS_AND_NONE, per_period[::2], per_period[1::2], strict=True)
            if n
        ]
        lines += [{"amount": None, "period": None}] * ((lines_n or 0) - sum(n or 0 for n in per_period[1::2]))
        summary = funding_summary(amount, period, lines)
        rows.append(
            {
                "id": pid,
                "name": name,
                "budget_amount": amount,
                "budget_period": period,
                "budget_yearly": budget,
                "funding_sum": summary["funding_sum"],
                "funding_yearly": yearly_amount(summary["funding_sum"], summary["funding_sum_period"], months),
                "funding_unknown_count": summary["funding_unknown_count"],
                "unspecified_amount": summary["unspecified_amount"],
                "unspecified_yearly": yearly_amount(summary["unspecified_amount"], period, months),
            }
        )
    largest = heapq.nsmallest(limit, rows, key=lambda r: (-r["budget_yearly"], r["name"]))
    largest.sort(key=lambda r: (-r["budget_yearly"], swedish_sort_key(r["name"])))
    known_gaps = [r["unspecified_yearly"] for r in rows if r["unspecified_yearly"] is not None]
    by_kind, kinds_unknown = _funding_by_kind(session, flt)
    return {
        "projects": largest,
        "project_count": len(rows) + without_budget,
        "with_budget_count": len(rows),
        "without_budget_count": without_budget,
        "budget_yearly": sum(r["budget_yearly"] for r in rows),
        "funding_yearly": sum(r["funding_yearly"] or 0 for r in rows),
        "unspecified_yearly": sum(known_gaps),
        "undetermined_count": len(rows) - len(known_gaps),
        "by_kind": by_kind,
        "kinds_without_amount": kinds_unknown,
    }


PERIODS_AND_NONE = ("år", "totalt", None)


def _funding_by_kind(session: Session, flt: Filter) -> tuple[dict[str, float], dict[str, int]]:
    """Yearly amounts per kind of funder, largest first; and per kind how many lines have no yearly amount."""
    dated = and_(Project.start_date.is_not(None), Project.end_date.is_not(None))
    per_year = and_(FundingLine.amount.is_not(None), FundingLine.period == "år")
    per_period = and_(FundingLine.amount.is_not(None), FundingLine.period == "totalt", dated)
    q = (
        select(
            FundingLine.kind,
            func.sum(case((per_year, FundingLine.amount))),
            # the project's months only where they are needed: a date function per line is what this query costs
            func.sum(
                case((per_period, cast(FundingLine.amount, Float) * 12 / _months(Project.start_date, Project.end_date)))
            ),
            func.count() - func.count(case((per_year, 1))) - func.count(case((per_period, 1))),
        )
        .join(Project, Project.id == FundingLine.project_id)
        .group_by(FundingLine.kind)
    )
    if flt.kommun:
        q = q.where(Project.id.in_(_concerning(flt)))
    by_kind, unknown = {}, {}
    for kind, yearly, spread, missing in session.execute(q):
        amount = float(yearly or 0) + float(spread or 0)
        if amount:
            by_kind[kind] = amount
        if missing:
            unknown[kind] = missing
    return dict(sorted(by_kind.items(), key=lambda item: -item[1])), unknown


def open_tasks_slide(
    session: Session, flt: Filter = Filter(), *, today: dt.date | None = None, limit: int = 8
) -> dict[str, Any]:
    """The filter's open tasks counted (and the overdue among them), and the `limit` whose due date is nearest today,
    whether just passed or coming (those without a date only when too few have one), in order of due date."""
    today = today or dt.date.today()
    is_open = Task.status.in_(OPEN_TASK_STATUSES)
    concerns = task_concerns(flt) if flt.kommun else true()
    open_count, overdue_count = session.execute(
        select(func.count(), func.count(case((Task.due_date < today, 1)))).where(is_open, concerns)
    ).one()
    columns = (Task.id, Task.text, Task.status, Task.due_date, Task.due_text)
    candidates = []
    for where, order in [
        (Task.due_date >= today, (Task.due_date, Task.id)),
        (Task.due_date < today, (Task.due_date.desc(), Task.id)),
    ]:
        candidates += session.execute(select(*columns).where(is_open, concerns, where).order_by(*order).limit(limit))
    first = sorted(candidates, key=lambda t: (abs((t.due_date - today).days), t.id))[:limit]
    if len(first) < limit:
        first += session.execute(
            select(*columns)
            .where(is_open, concerns, Task.due_date.is_(None))
            .order_by(Task.id)
            .limit(limit - len(first))
        ).all()
    first.sort(key=lambda t: (t.due_date is None, t.due_date or today, t.id))
    owners: dict[int, list[str]] = {}
    if first:
        for task_id, name in session.execute(
            select(task_owner.c.task_id, Party.name)
            .join(Party, Party.id == task_owner.c.party_id)
            .where(task_owner.c.task_id.in_([t.id for t in first]))
            .order_by(Party.name)
        ):
            owners.setdefault(task_id, []).append(name)
    return {
        "tasks": [
            {
                "id": t.id,
                "text": t.text,
                "status": t.status,
                "due_date": _iso(t.due_date),
                "due_text": t.due_text,
                "overdue": t.due_date is not None and t.due_date < today,
                "owners": owners.get(t.id, []),
            }
            for t in first
        ],
        "open_count": open_count,
        "overdue_count": overdue_count,
    }
