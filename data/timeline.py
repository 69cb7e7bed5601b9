"""The project timeline: which projects a Gantt chart draws, one page at a time, and the rows of its table.

Every query here selects only the columns it shows and pages in SQL, so that 8 000 projects cost no more to draw
than 40: the chart gets one page of projects (with their phases), the table asks for its rows block by block.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from data.filters import Filter, row_bounds
from data.models import PROJECT_STATUSES, FocusArea, Municipality, Phase, Project, project_municipality
from data.municipalities import swedish_sort_key

PAGE_SIZE = 40
UNDATED_SHOWN = 10
MIN_YEAR, MAX_YEAR = 1900, 2200


@dataclass(frozen=True)
class TimelineFilter:
    """What the Projekt page is narrowed to, besides the municipality: a focus area (by name, so that one name
    covers that area in every year's plan), a status, and a time window of whole years (both ends included)."""

    focus_area: str | None = None
    status: str | None = None
    from_year: int | None = None
    to_year: int | None = None


def _year(value: str | None, label: str, problems: list[str]) -> int | None:
    if value is None or not str(value).strip():
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        problems.append(f"{label} ”{value}” är inget årtal och används inte.")
        return None
    if not MIN_YEAR <= year <= MAX_YEAR:
        problems.append(f"{label} {year} ligger utanför {MIN_YEAR}–{MAX_YEAR} och används inte.")
        return None
    return year


def timeline_filter_from_params(params: dict[str, str]) -> tuple[TimelineFilter, list[str]]:
    """The filter in the URL's query (`insatsomrade`, `status`, `fran`, `till`), and what in it was not understood
    (in Swedish, for the page to say); a value that is not understood is left out rather than guessed."""
    problems: list[str] = []
    status = params.get("status") or None
    if status is not None and status not in PROJECT_STATUSES:
        problems.append(f"Okänd status ”{status}”: visar alla statusar.")
        status = None
    from_year = _year(params.get("fran"), "Från år", problems)
    to_year = _year(params.get("till"), "Till år", problems)
    if from_year is not None and to_year is not None and from_year > to_year:
        problems.append(f"Från år {from_year} är senare än till år {to_year}: visar {to_year}–{from_year}.")
        from_year, to_year = to_year, from_year
    focus_area = (params.get("insatsomrade") or "").strip() or None
    return TimelineFilter(focus_area, status, from_year, to_year), problems


def page_number(params: dict[str, str]) -> int:
    """The URL's `sida` as a page number from 1 (anything else is page 1)."""
    try:
        return max(1, int(params.get("sida") or 1))
    except ValueError:
        return 1


def _dated():
    return or_(Project.start_date.is_not(None), Project.end_date.is_not(None))


def _undated():
    return and_(Project.start_date.is_(None), Project.end_date.is_(None))


def _conditions(flt: Filter, tf: TimelineFilter) -> list:
    """WHERE conditions for the municipality and the page's filters.

    The time window keeps a project that overlaps it; a missing start or end counts as open on that side, so a
    project with neither date passes (it is listed apart as "utan tidsram", never silently dropped).
    """
    conds = []
    if flt.kommun:
        conds.append(
            Project.id.in_(
                select(project_municipality.c.project_id)
                .join(Municipality, Municipality.id == project_municipality.c.municipality_id)
                .where(Municipality.name == flt.kommun)
            )
        )
    if tf.focus_area:
        conds.append(Project.focus_area_id.in_(select(FocusArea.id).where(FocusArea.name == tf.focus_area)))
    if tf.status:
        conds.append(Project.status == tf.status)
    if tf.from_year is not None:
        conds.append(or_(Project.end_date.is_(None), Project.end_date >= dt.date(tf.from_year, 1, 1)))
    if tf.to_year is not None:
        conds.append(or_(Project.start_date.is_(None), Project.start_date <= dt.date(tf.to_year, 12, 31)))
    return conds


def _focus_area_rank():
    """Each focus area name with its first position in any plan: the order of the timeline's groups."""
    return (
        select(FocusArea.name.label("name"), func.min(FocusArea.position).label("pos"))
        .group_by(FocusArea.name)
        .subquery()
    )


def _ordered(query, rank):
    """Grouped by focus area (in the plan's order, projects without one last), then by start, name and id."""
    return query.order_by(
        rank.c.pos.nulls_last(),
        FocusArea.name.nulls_last(),
        func.coalesce(Project.start_date, Project.end_date).nulls_last(),
        Project.name,
        Project.id,
    )


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def timeline_options(session: Session, *, today: dt.date | None = None) -> dict[str, Any]:
    """What the page's filters offer: focus area names in the plans' order, the statuses, and the years from the
    first project's start through the last end or this year, whichever is later (so the window can reach today)."""
    rank = _focus_area_rank()
    names = list(session.scalars(select(rank.c.name).order_by(rank.c.pos, rank.c.name)))
    lo_start, hi_start, lo_end, hi_end = session.execute(
        select(
            func.min(Project.start_date),
            func.max(Project.start_date),
            func.min(Project.end_date),
            func.max(Project.end_date),
        )
    ).one()
    known = [d for d in (lo_start, hi_start, lo_end, hi_end) if d is not None]
    this_year = (today or dt.date.today()).year
    years = list(range(min(known).year, max(max(known).year, this_year) + 1)) if known else []
    return {"focus_areas": names, "statuses": list(PROJECT_STATUSES), "years": years}


def _axis_range(tf: TimelineFilter, lo: dt.date | None, hi: dt.date | None) -> tuple[str, str] | None:
    """The chart's time axis: the window when one is given, else from the first start to the day after the last end
    (a bar covers its end date whole)."""
    start = dt.date(tf.from_year, 1, 1) if tf.from_year is not None else lo
    end = dt.date(tf.to_year + 1, 1, 1) if tf.to_year is not None else (hi + dt.timedelta(days=1) if hi else None)
    if start is None or end is None:
        return None
    if end <= start:
        end = start + dt.timedelta(days=1)
    return start.isoformat(), end.isoformat()


def timeline_page(
    session: Session,
    flt: Filter = Filter(),
    tf: TimelineFilter = TimelineFilter(),
    *,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """One page of the timeline: the projects with at least one date, grouped by focus area, each with its phases;
    how many there are in all; the axis range over all of them (so it stays put from page to page); and the
    projects without any date, which a timeline cannot place (the first few of them, and how many)."""
    conds = _conditions(flt, tf)
    dated_count, undated_count, lo_start, hi_start, lo_end, hi_end = session.execute(
        select(
            func.count(case((_dated(), 1))),
            func.count(case((_undated(), 1))),
            func.min(Project.start_date),
            func.max(Project.start_date),
            func.min(Project.end_date),
            func.max(Project.end_date),
        ).where(*conds)
    ).one()
    pages = max(1, -(-dated_count // page_size))
    page = min(max(1, page), pages)
    rank = _focus_area_rank()
    base = (
        select(
            Project.id,
            Project.name,
            Project.status,
            Project.start_date,
            Project.end_date,
            Project.time_frame_text,
            FocusArea.name.label("focus_area"),
        )
        .outerjoin(FocusArea, FocusArea.id == Project.focus_area_id)
        .outerjoin(rank, rank.c.name == FocusArea.name)
        .where(*conds)
    )
    rows = [
        {
            "id": r.id,
            "name": r.name,
            "focus_area": r.focus_area,
            "status": r.status,
            "start_date": _iso(r.start_date),
            "end_date": _iso(r.end_date),
            "time_frame_text": r.time_frame_text,
            "phases": [],
        }
        for r in session.execute(_ordered(base.where(_dated()), rank).limit(page_size).offset((page - 1) * page_size))
    ]
    by_id = {r["id"]: r for r in rows}
    if by_id:
        for ph in session.execute(
            select(Phase.project_id, Phase.name, Phase.start_date, Phase.end_date)
            .where(Phase.project_id.in_(by_id))
            .order_by(Phase.project_id, Phase.start_date, Phase.name)
        ):
            by_id[ph.project_id]["phases"].append(
                {"name": ph.name, "start_date": _iso(ph.start_date), "end_date": _iso(ph.end_date)}
            )
    undated = []
    if undated_count:
        undated = [
            {
                "id": r.id,
                "name": r.name,
                "focus_area": r.focus_area,
                "status": r.status,
                "time_frame_text": r.time_frame_text,
            }
            for r in session.execute(_ordered(base.where(_undated()), rank).limit(UNDATED_SHOWN))
        ]
    lo = min((d for d in (lo_start, lo_end) if d is not None), default=None)
    hi = max((d for d in (hi_end, hi_start) if d is not None), default=None)
    first = (page - 1) * page_size + 1 if rows else 0
    return {
        "rows": rows,
        "total": dated_count,
        "page": page,
        "pages": pages,
        "page_size": page_size,
        "first": first,
        "last": first + len(rows) - 1 if rows else 0,
        "axis": _axis_range(tf, lo, hi),
        "today": (today or dt.date.today()).isoformat(),
        "undated": undated,
        "undated_total": undated_count,
    }


# The table's sortable columns (AG Grid's colId) and what each sorts by in SQL.
SORT_COLUMNS = {
    "name": Project.name,
    "focus_area": FocusArea.name,
    "start_date": Project.start_date,
    "end_date": Project.end_date,
    "status": Project.status,
    "budget": Project.budget_amount,
}


def project_table_rows(
    session: Session,
    flt: Filter = Filter(),
    tf: TimelineFilter = TimelineFilter(),
    *,
    start: int = 0,
    end: int = 100,
    sort: list[dict] | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """Rows `start`…`end` (end excluded) of the projects under the filters, projects without dates included, in the
    timeline's order or sorted as asked (AG Grid's sortModel: [{"colId": "name", "sort": "asc"}]); and how many
    rows there are in all."""
    start, end = row_bounds(start, end, size=100, most=500)
    limit = end - start
    conds = _conditions(flt, tf)
    total = session.scalar(select(func.count(Project.id)).where(*conds))
    rank = _focus_area_rank()
    query = (
        select(
            Project.id,
            Project.name,
            Project.status,
            Project.start_date,
            Project.end_date,
            Project.time_frame_text,
            Project.budget_amount,
            Project.budget_period,
            FocusArea.name.label("focus_area"),
        )
        .outerjoin(FocusArea, FocusArea.id == Project.focus_area_id)
        .outerjoin(rank, rank.c.name == FocusArea.name)
        .where(*conds)
    )
    order = []
    for s in sort if isinstance(sort, list) else []:
        column = SORT_COLUMNS.get(s.get("colId")) if isinstance(s, dict) and isinstance(s.get("colId"), str) else None
        if column is not None:
            order.append(column.desc().nulls_last() if s.get("sort") == "desc" else column.asc().nulls_last())
    query = query.order_by(*order, Project.id) if order else _ordered(query, rank)
    rows = [
        {
            "id": r.id,
            "name": r.name,
            "focus_area": r.focus_area,
            "status": r.status,
            "start_date": _iso(r.start_date),
            "end_date": _iso(r.end_date),
            "time_frame_text": r.time_frame_text,
            "budget_amount": r.budget_amount,
            "budget_period": r.budget_period,
            "municipalities": [],
        }
        for r in session.execute(query.limit(limit).offset(start))
    ]
    by_id = {r["id"]: r for r in rows}
    if by_id:
        for project_id, name in session.execute(
            select(project_municipality.c.project_id, Municipality.name)
            .join(Municipality, Municipality.id == project_municipality.c.municipality_id)
            .where(project_municipality.c.project_id.in_(by_id))
        ):
            by_id[project_id]["municipalities"].append(name)
        for r in rows:
            r["municipalities"].sort(key=swedish_sort_key)
    return rows, total
