"""Projects with their phases, funding lines and municipalities, read as plain data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from data.filters import Filter
from data.funding import funding_summary
from data.models import FocusArea, Municipality, Project
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


def list_projects(session: Session, flt: Filter = Filter()) -> list[dict[str, Any]]:
    """Every project that concerns the filter's municipality, in Swedish order of name."""
    projects = session.scalars(_project_query(flt)).all()
    return sorted((project_to_dict(p) for p in projects), key=lambda d: swedish_sort_key(d["name"]))


def get_project(session: Session, project_id: int) -> dict[str, Any] | None:
    p = session.scalars(_project_query(Filter()).where(Project.id == project_id)).one_or_none()
    return project_to_dict(p) if p else None
