"""Projects with their phases, funding lines and municipalities, read as plain data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

from data.filters import Filter
from data.funding import funding_summary
from data.history import as_utc
from data.models import BudgetPart, ChangeRecord, FocusArea, FundingLine, Municipality, Phase, Plan, Project
from data.municipalities import swedish_sort_key


def _project_query(flt: Filter):
    q = select(Project).options(
        selectinload(Project.municipalities),
        selectinload(Project.phases),
        selectinload(Project.funding_lines),
        selectinload(Project.budget_parts),
        selectinload(Project.focus_area).selectinload(FocusArea.plan),
    )
    if flt.kommun:
        q = q.where(Project.municipalities.any(Municipality.name == flt.kommun))
    return q


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def project_to_dict(p: Project) -> dict[str, Any]:
    """One project as the API and the views see it."""
    funding = [{"funder": f.funder, "kind": f.kind, "amount": f.amount, "period": f.period} for f in p.funding_lines]
    summary = funding_summary(p.budget_amount, p.budget_period, funding)
    return {
        "id": p.id,
        "name": p.name,
        "focus_area": p.focus_area.name if p.focus_area else None,
        "plan_year": p.focus_area.plan.year if p.focus_area else None,
        "description": p.description,
        "owner_organisation": p.owner_organisation,
        "contact_name": p.contact_name,
        "contact_role": p.contact_role,
        "municipalities": sorted((m.name for m in p.municipalities), key=swedish_sort_key),
        "start_date": _iso(p.start_date),
        "end_date": _iso(p.end_date),
        "time_frame_text": p.time_frame_text,
        "status": p.status,
        "budget_amount": p.budget_amount,
        "budget_period": p.budget_period,
        "budget_text": p.budget_text,
        "budget_parts": [{"label": b.label, "amount": b.amount} for b in p.budget_parts],
        "phases": [
            {"name": ph.name, "start_date": _iso(ph.start_date), "end_date": _iso(ph.end_date)} for ph in p.phases
        ],
        "funding": funding,
        **summary,
        "uncertain": list(p.uncertain or []),
    }


def list_projects(
    session: Session, flt: Filter = Filter(), *, focus_area: str | None = None, plan_year: int | None = None
) -> list[dict[str, Any]]:
    """Every project that concerns the filter's municipality, in Swedish order of name; narrowed to a focus area
    (by name, in any year's plan) and to one year's plan when given."""
    q = _project_query(flt)
    if focus_area is not None or plan_year is not None:
        areas = select(FocusArea.id).join(Plan, Plan.id == FocusArea.plan_id)
        if focus_area is not None:
            areas = areas.where(FocusArea.name == focus_area)
        if plan_year is not None:
            areas = areas.where(Plan.year == plan_year)
        q = q.where(Project.focus_area_id.in_(areas))
    projects = session.scalars(q).all()
    return sorted((project_to_dict(p) for p in projects), key=lambda d: swedish_sort_key(d["name"]))


def get_project(session: Session, project_id: int) -> dict[str, Any] | None:
    """One project as `list_projects` gives it, or None if there is no project with that id."""
    p = session.scalars(_project_query(Filter()).where(Project.id == project_id)).one_or_none()
    return project_to_dict(p) if p else None


# A project's parts have histories of their own; the project page shows them with the project's.
PART_ENTITIES = {"phase": Phase, "funding_line": FundingLine, "budget_part": BudgetPart}


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The fields whose values differ between `before` and `after`, in the order they were stored."""
    before, after = before or {}, after or {}
    keys = list(after) + [k for k in before if k not in after]
    return [
        {"field": k, "before": before.get(k), "after": after.get(k)}
        for k in keys
        if before.get(k) != after.get(k) and k not in ("updated_at", "created_at")
    ]


def _part_name(entity: str, values: dict[str, Any] | None) -> str | None:
    values = values or {}
    return values.get("funder") if entity == "funding_line" else values.get("name") or values.get("label")


def project_history(session: Session, project_id: int) -> list[dict[str, Any]]:
    """The history of a project and of its current phases, funders and budget parts, newest first.

    Each entry: at (ISO, UTC), username, source, action (create/update/delete), entity ("project" or a part's
    table), part (the part's name, for a part), and `changes`, the fields an update changed with old and new values.
    """
    wanted = [and_(ChangeRecord.entity == "project", ChangeRecord.entity_id == project_id)]
    for entity, model in PART_ENTITIES.items():
        wanted.append(
            and_(
                ChangeRecord.entity == entity,
                ChangeRecord.entity_id.in_(select(model.id).where(model.project_id == project_id)),
            )
        )
    records = list(
        session.scalars(
            select(ChangeRecord).where(or_(*wanted)).order_by(ChangeRecord.at.desc(), ChangeRecord.id.desc())
        )
    )
    area_names = _focus_area_names(session, records)
    return [
        {
            "at": as_utc(r.at).isoformat(),
            "username": r.username,
            "source": r.source,
            "action": r.action,
            "entity": r.entity,
            "part": None if r.entity == "project" else _part_name(r.entity, r.after or r.before),
            "before": r.before,
            "after": r.after,
            "changes": _named(changed_fields(r.before, r.after), area_names) if r.action == "update" else [],
        }
        for r in records
    ]


def _focus_area_names(session: Session, records: list[ChangeRecord]) -> dict[int, str]:
    ids = {v.get("focus_area_id") for r in records for v in (r.before or {}, r.after or {}) if v.get("focus_area_id")}
    if not ids:
        return {}
    return dict(session.execute(select(FocusArea.id, FocusArea.name).where(FocusArea.id.in_(ids))).all())


def _named(changes: list[dict[str, Any]], area_names: dict[int, str]) -> list[dict[str, Any]]:
    """A focus area is stored by its id; people read its name."""
    for c in changes:
        if c["field"] == "focus_area_id":
            c["before"] = area_names.get(c["before"], c["before"])
            c["after"] = area_names.get(c["after"], c["after"])
    return changes
