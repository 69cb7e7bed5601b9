"""The verksamhetsplan: plans per year, their focus areas and the activities under each."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from data.filters import Filter
from data.models import FocusArea, Municipality, Plan, Project
from data.municipalities import swedish_sort_key


def list_plans(session: Session, flt: Filter = Filter()) -> list[dict[str, Any]]:
    """Every plan, newest year first, with focus areas, activities and (filtered) project names."""
    plans = session.scalars(
        select(Plan)
        .options(selectinload(Plan.focus_areas).selectinload(FocusArea.activities))
        .order_by(Plan.year.desc())
    ).all()
    pq = select(Project.focus_area_id, Project.id, Project.name, Project.status)
    if flt.kommun:
        pq = pq.where(Project.municipalities.any(Municipality.name == flt.kommun))
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
