"""The verksamhetsplan: plans per year, their focus areas and the activities under each."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from data.filters import Filter
from data.models import Activity, FocusArea, Municipality, Plan, Project, project_municipality
from data.municipalities import swedish_sort_key

DONE_STATUSES = ("klar", "avslutad")
# The order in which statuses are counted and named: what is going on first, what was dropped last.
STATUS_ORDER = ("pågår", "planerad", "pausad", "klar", "avslutad", "struken")
PLURAL = {"planerad": "planerade", "klar": "klara", "avslutad": "avslutade", "pausad": "pausade", "struken": "strukna"}
ROLLED_UP = {
    "pågår": "Pågår",
    "planerad": "Planerad",
    "pausad": "Pausad",
    "klar": "Klart",
    "inga": "Inget att följa upp",
}


def projects_concerning(flt: Filter):
    """SQL: ids of the projects whose municipalities include the filter's (an indexed semi-join)."""
    kommun_id = select(Municipality.id).where(Municipality.name == flt.kommun).scalar_subquery()
    return select(project_municipality.c.project_id).where(project_municipality.c.municipality_id == kommun_id)


def list_plans(session: Session, flt: Filter = Filter()) -> list[dict[str, Any]]:
    """Every plan, newest year first, with focus areas, activities and (filtered) project names."""
    plans = session.scalars(
        select(Plan)
        .options(selectinload(Plan.focus_areas).selectinload(FocusArea.activities))
        .order_by(Plan.year.desc())
    ).all()
    pq = select(Project.focus_area_id, Project.id, Project.name, Project.status)
    if flt.kommun:
        pq = pq.where(Project.id.in_(projects_concerning(flt)))
    projects: dict[int, list[dict]] = {}
    for fa_id, pid, name, status in session.execute(pq):
        projects.setdefault(fa_id, []).append({"id": pid, "name": name, "status": status})
    for rows in projects.values():
        rows.sort(key=lambda r: swedish_sort_key(r["name"]))
    return [
        {
            "id": p.id,
            "year": p.year,
            "title": p.title,
            "adopted_on": p.adopted_on.isoformat() if p.adopted_on else None,
            "adopted_by": p.adopted_by,
            "focus_areas": [
                {
                    "id": fa.id,
                    "name": fa.name,
                    "activities": [
                        {
                            "id": a.id,
                            "title": a.title,
                            "description": a.description,
                            "responsible": a.responsible,
                            "status": a.status,
                            "due_text": a.due_text,
                            "due_date": a.due_date.isoformat() if a.due_date else None,
                            "uncertain": list(a.uncertain or []),
                        }
                        for a in fa.activities
                    ],
                    "projects": projects.get(fa.id, []),
                }
                for fa in p.focus_areas
            ],
        }
        for p in plans
    ]


def plan_years(session: Session) -> list[int]:
    """The years that have a verksamhetsplan, newest first."""
    return list(session.scalars(select(Plan.year).order_by(Plan.year.desc())))


def focus_area_anchor(name: str) -> str:
    """A fragment id for a focus area: "Närings- och utveckling" → "insatsomrade-narings-och-utveckling"."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    slug = re.sub(r"[^a-z0-9]+", "-", "".join(ch for ch in folded if not unicodedata.combining(ch))).strip("-")
    return "insatsomrade-" + (slug or "namnlost")


def status_counts_text(counts: dict[str, int], noun: tuple[str, str]) -> str:
    """{"pågår": 4, "planerad": 1}, ("aktivitet", "aktiviteter") → "4 av 5 aktiviteter pågår, 1 planerad"."""
    total = sum(counts.values())
    if not total:
        return f"inga {noun[1]}"
    parts = [(s, counts[s]) for s in STATUS_ORDER if counts.get(s)]
    parts += [(s, n) for s, n in counts.items() if s not in STATUS_ORDER and n]

    def word(status: str, n: int) -> str:
        return PLURAL.get(status, status) if n > 1 else status

    if total == 1:
        return f"1 {noun[0]} ({parts[0][0]})"
    first, n = parts[0]
    rest = [f"{m} {word(s, m)}" for s, m in parts[1:]]
    head = f"{n} av {total} {noun[1]} {word(first, n)}" if n < total else f"alla {total} {noun[1]} {word(first, n)}"
    return ", ".join([head, *rest])


def roll_up(activities: dict[str, int], projects: dict[str, int]) -> dict[str, Any]:
    """A focus area's status from its items' statuses (struck activities left out).

    Klart when every item is klar/avslutad; Pågår when something is going on or some but not all items are done;
    Pausad when every item left is paused; otherwise Planerad.
    """
    counts: dict[str, int] = {}
    for source in (activities, projects):
        for status, n in source.items():
            if status != "struken":
                counts[status] = counts.get(status, 0) + n
    total = sum(counts.values())
    done = sum(counts.get(s, 0) for s in DONE_STATUSES)
    if not total:
        key = "inga"
    elif done == total:
        key = "klar"
    elif counts.get("pågår") or done:
        key = "pågår"
    elif counts.get("pausad") == total:
        key = "pausad"
    else:
        key = "planerad"
    return {"status": key, "label": ROLLED_UP[key], "done": done, "total": total}


def _counts_by_focus_area(session: Session, q) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {}
    for fa_id, status, n in session.execute(q):
        counts.setdefault(fa_id, {})[status] = n
    return counts


def focus_area_progress(session: Session, plan_id: int, flt: Filter = Filter()) -> list[dict[str, Any]]:
    """Each focus area of the plan with its items counted by status and a rolled-up status, in plan order.

    Activities are regional and always all counted; projects only those that concern `flt.kommun`.
    Three aggregate queries, whatever the number of items.
    """
    areas = session.execute(
        select(FocusArea.id, FocusArea.name).where(FocusArea.plan_id == plan_id).order_by(FocusArea.position)
    ).all()
    activity_counts = _counts_by_focus_area(
        session,
        select(Activity.focus_area_id, Activity.status, func.count())
        .join(FocusArea, FocusArea.id == Activity.focus_area_id)
        .where(FocusArea.plan_id == plan_id)
        .group_by(Activity.focus_area_id, Activity.status),
    )
    pq = (
        select(Project.focus_area_id, Project.status, func.count())
        .join(FocusArea, FocusArea.id == Project.focus_area_id)
        .where(FocusArea.plan_id == plan_id)
        .group_by(Project.focus_area_id, Project.status)
    )
    if flt.kommun:
        pq = pq.where(Project.id.in_(projects_concerning(flt)))
    project_counts = _counts_by_focus_area(session, pq)
    result, anchors = [], set()
    for fa_id, name in areas:
        anchor = focus_area_anchor(name)
        if anchor in anchors:
            anchor = f"{anchor}-{fa_id}"
        anchors.add(anchor)
        acts, projs = activity_counts.get(fa_id, {}), project_counts.get(fa_id, {})
        result.append(
            {
                "id": fa_id,
                "name": name,
                "anchor": anchor,
                "activity_counts": acts,
                "project_counts": projs,
                "activity_count": sum(acts.values()),
                "project_count": sum(projs.values()),
                "activities_text": status_counts_text(acts, ("aktivitet", "aktiviteter")),
                "projects_text": status_counts_text(projs, ("projekt", "projekt")),
                **roll_up(acts, projs),
            }
        )
    return result


def latest_plan(session: Session) -> dict[str, Any] | None:
    """The newest plan's id, year and title; None when no plan is loaded."""
    row = session.execute(select(Plan.id, Plan.year, Plan.title).order_by(Plan.year.desc()).limit(1)).first()
    return {"id": row.id, "year": row.year, "title": row.title} if row else None


def plan_for_year(
    session: Session,
    year: int | None,
    flt: Filter = Filter(),
    *,
    project_limit: int = 10,
    activity_limit: int = 10,
    expanded_focus_area: int | None = None,
) -> dict[str, Any] | None:
    """One year's plan (the newest when `year` is None or has no plan) for the Verksamhetsplan page.

    Each focus area has its progress (see focus_area_progress), its first `activity_limit` activities in plan order
    (all of them for `expanded_focus_area`; `activity_count` says how many there are), and at most `project_limit`
    of the projects that concern the filter, in Swedish order (`project_count` says how many there are).
    `requested_year_missing` is True when a year was asked for that has no plan.
    """
    q = select(Plan)
    if year is not None:
        q = q.where(Plan.year == year)
    plan = session.scalars(q.order_by(Plan.year.desc()).limit(1)).first()
    missing = False
    if plan is None and year is not None:
        missing = True
        plan = session.scalars(select(Plan).order_by(Plan.year.desc()).limit(1)).first()
    if plan is None:
        return None
    progress = focus_area_progress(session, plan.id, flt)
    activities: dict[int, list[dict]] = {}
    # One window query: the first activities of every focus area (a plan can hold thousands in all).
    rank = (
        func.row_number()
        .over(partition_by=Activity.focus_area_id, order_by=(Activity.position, Activity.id))
        .label("rank")
    )
    ranked = (
        select(Activity.id, rank)
        .join(FocusArea, FocusArea.id == Activity.focus_area_id)
        .where(FocusArea.plan_id == plan.id)
        .subquery()
    )
    shown = select(ranked.c.id).where(ranked.c.rank <= activity_limit)
    if expanded_focus_area is not None:
        shown = shown.union(select(Activity.id).where(Activity.focus_area_id == expanded_focus_area))
    for a in session.scalars(select(Activity).where(Activity.id.in_(shown)).order_by(Activity.position, Activity.id)):
        activities.setdefault(a.focus_area_id, []).append(
            {
                "id": a.id,
                "title": a.title,
                "description": a.description,
                "responsible": a.responsible,
                "status": a.status,
                "due_text": a.due_text,
                "due_date": a.due_date.isoformat() if a.due_date else None,
                "uncertain": list(a.uncertain or []),
            }
        )
    projects = _first_projects(session, [fa["id"] for fa in progress if fa["project_count"]], flt, project_limit)
    for fa in progress:
        fa["activities"] = activities.get(fa["id"], [])
        fa["projects"] = projects.get(fa["id"], [])
    return {
        "id": plan.id,
        "year": plan.year,
        "title": plan.title,
        "adopted_on": plan.adopted_on.isoformat() if plan.adopted_on else None,
        "adopted_by": plan.adopted_by,
        "requested_year_missing": missing,
        "focus_areas": progress,
    }


def _first_projects(
    session: Session, focus_area_ids: list[int], flt: Filter, limit: int
) -> dict[int, list[dict[str, Any]]]:
    """Per focus area, at most `limit` projects concerning the filter, shown in Swedish order.

    Where a focus area has more, the database picks which by its own (binary) name order: one window query instead
    of fetching thousands of rows to sort them here; the page says how many there are and links to all of them.
    """
    if not focus_area_ids:
        return {}
    rank = func.row_number().over(partition_by=Project.focus_area_id, order_by=Project.name).label("rank")
    inner = select(
        Project.focus_area_id,
        Project.id,
        Project.name,
        Project.status,
        Project.owner_organisation,
        Project.contact_name,
        rank,
    ).where(Project.focus_area_id.in_(focus_area_ids))
    if flt.kommun:
        inner = inner.where(Project.id.in_(projects_concerning(flt)))
    inner = inner.subquery()
    result: dict[int, list[dict[str, Any]]] = {}
    for r in session.execute(select(inner).where(inner.c.rank <= limit)):
        result.setdefault(r.focus_area_id, []).append(
            {
                "id": r.id,
                "name": r.name,
                "status": r.status,
                "owner_organisation": r.owner_organisation,
                "contact_name": r.contact_name,
            }
        )
    for rows in result.values():
        rows.sort(key=lambda r: swedish_sort_key(r["name"]))
    return result
