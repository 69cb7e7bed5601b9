"""The meeting pack's contents: everything the PowerPoint and Excel packs show, for one filter, as plain data.

The filter is the one a person has on screen: a municipality (`kommun`), a focus area (`insatsomrade`, by name, as on
/projekt) and a plan year (`ar`, as on /verksamhetsplan); `sedan` picks the point that "sedan förra mötet" compares
with. Projects follow all three; tasks follow the municipality only (a task belongs to a meeting, not to a focus
area); the plan's activities are the whole region's and follow the focus area and year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.changes import changes_since, default_since
from data.filters import Filter, UnknownMunicipality, parse_filter
from data.format import FUNDER_KIND_LABELS
from data.funding import GAP as UNSPECIFIED
from data.funding import whole_period_amount
from data.models import FUNDER_KINDS, OPEN_TASK_STATUSES, Activity, FocusArea, Plan
from data.plan import roll_up, status_counts_text
from data.projects import list_projects
from data.signals import KINDS as SIGNAL_KINDS
from data.signals import attention_signals
from data.tasks import list_tasks

CLOSED_PROJECT_STATUSES = ("avslutad",)


class PackError(ValueError):
    """A filter value that names nothing in the database; the message is Swedish and says what to write."""


@dataclass(frozen=True)
class PackFilter:
    """What the pack is narrowed to; None means everything."""

    kommun: str | None = None
    focus_area: str | None = None
    year: int | None = None

    def describe(self) -> str:
        """The filter in words, for the title slide and the top of every sheet."""
        return " · ".join(
            [
                f"Kommun: {self.kommun or 'alla sju'}",
                f"Insatsområde: {self.focus_area or 'alla'}",
                f"Verksamhetsplan: {self.year or 'alla år'}",
            ]
        )


def _parse_date(value: str | None) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise PackError(f"Datumet ”{value}” förstods inte. Skriv det som ÅÅÅÅ-MM-DD, t.ex. 2019-05-16.")


def pack_filter(session: Session, params: dict[str, str | None]) -> tuple[PackFilter, dt.date | None]:
    """The pack's filter and comparison date from URL-style parameters (`kommun`, `insatsomrade`, `ar`, `sedan`).

    Raises PackError, in Swedish, for a municipality, focus area or plan year that is not in the database, or a date
    that is not ÅÅÅÅ-MM-DD.
    """
    try:
        kommun = parse_filter(session, params.get("kommun")).kommun
    except UnknownMunicipality as exc:
        raise PackError(str(exc)) from exc
    focus_area = (params.get("insatsomrade") or "").strip() or None
    if focus_area is not None:
        known = set(session.scalars(select(FocusArea.name).distinct()))
        if focus_area not in known:
            names = ", ".join(sorted(known)) or "inga"
            raise PackError(f"Insatsområdet ”{focus_area}” finns inte. Insatsområden: {names}.")
    year = None
    raw_year = (params.get("ar") or "").strip()
    if raw_year:
        years = sorted(session.scalars(select(Plan.year)))
        if not (raw_year.isascii() and raw_year.isdigit()) or int(raw_year) not in years:
            listed = ", ".join(str(y) for y in years) or "inga"
            raise PackError(f"Det finns ingen verksamhetsplan för ”{raw_year}”. Planer finns för: {listed}.")
        year = int(raw_year)
    return PackFilter(kommun, focus_area, year), _parse_date(params.get("sedan"))


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _plan(session: Session, pf: PackFilter) -> dict[str, Any] | None:
    q = select(Plan)
    if pf.year is not None:
        q = q.where(Plan.year == pf.year)
    plan = session.scalars(q.order_by(Plan.year.desc()).limit(1)).first()
    if plan is None:
        return None
    return {
        "year": plan.year,
        "title": plan.title,
        "adopted_on": plan.adopted_on,
        "adopted_by": plan.adopted_by,
        "id": plan.id,
    }


def _focus_areas(session: Session, pf: PackFilter, plan: dict | None, projects: list[dict]) -> list[dict[str, Any]]:
    """The plan's focus areas (narrowed to the filter's), each with its activities, its projects in the pack and the
    status rolled up from both, in the plan's order."""
    if plan is None:
        return []
    q = select(FocusArea).where(FocusArea.plan_id == plan["id"])
    if pf.focus_area:
        q = q.where(FocusArea.name == pf.focus_area)
    areas = session.scalars(q.order_by(FocusArea.position, FocusArea.id)).all()
    activities: dict[int, list[dict]] = {a.id: [] for a in areas}
    for act in session.scalars(
        select(Activity).where(Activity.focus_area_id.in_(list(activities))).order_by(Activity.position, Activity.id)
    ):
        activities[act.focus_area_id].append(
            {
                "id": act.id,
                "title": act.title,
                "responsible": act.responsible,
                "status": act.status,
                "due_text": act.due_text,
                "due_date": act.due_date,
            }
        )
    out = []
    for fa in areas:
        acts = activities[fa.id]
        projs = [p for p in projects if p["focus_area"] == fa.name and p["plan_year"] == plan["year"]]
        act_counts = _count(a["status"] for a in acts)
        proj_counts = _count(p["status"] for p in projs)
        out.append(
            {
                "name": fa.name,
                "activities": acts,
                "projects": projs,
                "activities_text": status_counts_text(act_counts, ("aktivitet", "aktiviteter")) if acts else "",
                "projects_text": status_counts_text(proj_counts, ("projekt", "projekt")) if projs else "",
                **roll_up(act_counts, proj_counts),
            }
        )
    return out


def _count(statuses) -> dict[str, int]:
    counts: dict[str, int] = {}
    for s in statuses:
        counts[s] = counts.get(s, 0) + 1
    return counts


def _project_row(p: dict[str, Any]) -> dict[str, Any]:
    """A project with its dates as dates and its money on the whole-period basis (None where it cannot be known)."""
    start, end = _date(p["start_date"]), _date(p["end_date"])
    budget_whole = whole_period_amount(p["budget_amount"], p["budget_period"], start, end)
    return {
        **p,
        "start": start,
        "end": end,
        "phases": [{**ph, "start": _date(ph["start_date"]), "end": _date(ph["end_date"])} for ph in p["phases"]],
        "budget_whole": budget_whole,
    }


def funding_by_kind(projects: list[dict[str, Any]]) -> dict[str, Any]:
    """The projects' money by kind of funder over each project's whole time frame, and "ej specificerat": per project
    the part of the stated budget its funders do not cover (the rule of the overview's funding mix). Lines without an
    amount, and yearly lines of a project without both dates, are counted apart."""
    amounts = dict.fromkeys((*FUNDER_KINDS, UNSPECIFIED), 0)
    uncounted = 0
    for p in projects:
        funded = 0
        for line in p["funding"]:
            whole = whole_period_amount(line["amount"], line["period"], p["start"], p["end"])
            if whole is None:
                uncounted += 1
                continue
            amounts[line["kind"] if line["kind"] in amounts else "övrigt"] += whole
            funded += whole
        if p["budget_whole"] is not None and p["budget_whole"] > funded:
            amounts[UNSPECIFIED] += p["budget_whole"] - funded
    total = sum(amounts.values())
    return {
        "rows": [
            {"kind": k, "label": FUNDER_KIND_LABELS[k], "amount": v, "share": v / total if total else None}
            for k, v in amounts.items()
        ],
        "total": total,
        "uncounted_lines": uncounted,
    }


def _figures(projects: list[dict], tasks: list[dict]) -> dict[str, Any]:
    return {
        "project_count": len(projects),
        "active_projects": sum(p["status"] == "pågår" for p in projects),
        "total_budget": sum(p["budget_whole"] or 0 for p in projects),
        "projects_without_budget": sum(p["budget_whole"] is None for p in projects),
        "open_tasks": len(tasks),
        "overdue_tasks": sum(t["overdue"] for t in tasks),
    }


def _signals(session: Session, pf: PackFilter, today: dt.date, projects: list[dict], activity_ids: set[int]):
    """The attention signals of the pack: tasks by municipality, projects and phases of the pack's projects,
    activities of the pack's focus areas."""
    found = attention_signals(session, Filter(pf.kommun), today=today)
    links = {f"/projekt/{p['id']}" for p in projects}

    def keep(s: dict) -> bool:
        if s["entity"] in ("project", "phase"):
            return s["link"] in links
        if s["entity"] == "activity":
            return s["id"] in activity_ids
        return True

    groups = [{**g, "signals": [s for s in g["signals"] if keep(s)]} for g in found["groups"]]
    return {**found, "groups": groups, "count": sum(len(g["signals"]) for g in groups)}


def _changes(session: Session, pf: PackFilter, since, today: dt.date, project_ids: set[int], activity_ids: set[int]):
    label = None
    if since is None:
        since, label = default_since(session, today)
    found = changes_since(session, since, Filter(pf.kommun), today=today)
    return {
        **found,
        "label": label or f"sedan {since.isoformat()[:10]}",
        "projects": [p for p in found["projects"] if p["id"] in project_ids],
        "activities": [a for a in found["activities"] if a["id"] in activity_ids],
        # Imports are the region's: a filtered pack holds only what concerns its municipality.
        "imports": found["imports"] if pf.kommun is None else [],
    }


def gather_pack(
    session: Session,
    pf: PackFilter = PackFilter(),
    *,
    since: dt.date | dt.datetime | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Everything the meeting pack shows for the filter: the overview figures, the plan's focus areas with their
    status, activities and projects, the projects (timeline, funding and the gap to the budget), the funding mix by
    kind of funder, what changed since `since` (default: the latest kommunchefsmöte), the signals that need
    attention and the open tasks (overdue ones marked)."""
    today = today or dt.date.today()
    projects = [
        _project_row(p) for p in list_projects(session, Filter(pf.kommun), focus_area=pf.focus_area, plan_year=pf.year)
    ]
    tasks = [t for t in list_tasks(session, Filter(pf.kommun), today=today) if t["status"] in OPEN_TASK_STATUSES]
    tasks.sort(key=lambda t: (t["due_date"] is None, t["due_date"] or "", t["id"]))
    for t in tasks:
        t["due"] = _date(t["due_date"])
        t["meeting"] = _date(t["meeting_date"])
    plan = _plan(session, pf)
    areas = _focus_areas(session, pf, plan, projects)
    activity_ids = {a["id"] for fa in areas for a in fa["activities"]}
    project_ids = {p["id"] for p in projects}
    return {
        "filter": pf,
        "filter_text": pf.describe(),
        "today": today,
        "plan": plan,
        "figures": _figures(projects, tasks),
        "focus_areas": areas,
        "projects": projects,
        "funding_mix": funding_by_kind(projects),
        "changes": _changes(session, pf, since, today, project_ids, activity_ids),
        "signals": _signals(session, pf, today, projects, activity_ids),
        "signal_labels": SIGNAL_KINDS,
        "tasks": tasks,
    }


__all__ = ["PackError", "PackFilter", "funding_by_kind", "gather_pack", "pack_filter"]
