"""Signals that need attention before a meeting, each with its reason in words.

Tasks past due; tasks due before the next meeting; projects past their end date that are not closed; projects and
activities not updated since the last meeting; projects whose funders do not add up to the stated budget; phases
outside their project's time frame.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from data.filters import Filter
from data.funding import funding_summary
from data.history import as_utc
from data.models import (
    OPEN_TASK_STATUSES,
    Activity,
    ChangeRecord,
    FocusArea,
    Meeting,
    Municipality,
    Project,
    Task,
)
from data.tasks import task_concerns

OPEN_PROJECT_STATUSES = ("planerad", "pågår", "pausad")
OPEN_ACTIVITY_STATUSES = ("planerad", "pågår")
KINDS = {
    "task_overdue": "Uppdrag efter utsatt tid",
    "task_due_before_next_meeting": "Uppdrag som ska vara klara före nästa möte",
    "project_past_end": "Projekt som passerat sitt slutdatum utan att vara avslutade",
    "not_updated": "Inte uppdaterade sedan förra mötet",
    "funding_gap": "Finansiärerna stämmer inte med budgeten",
    "phase_outside": "Etapper utanför projektets tidsram",
}


def _kr(amount: int) -> str:
    return f"{amount:,}".replace(",", "\u00a0") + " kr"


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else "?"


def _signal(kind: str, entity: str, entity_id: int, title: str, reason: str, link: str | None = None) -> dict:
    return {"kind": kind, "entity": entity, "id": entity_id, "title": title, "reason": reason, "link": link}


def _meetings(session: Session, today: dt.date) -> tuple[Meeting | None, Meeting | None]:
    """The latest kommunchefsmöte before today and the next meeting of any kind from today."""
    last = session.scalars(
        select(Meeting).where(Meeting.kind == "kommunchefsmöte", Meeting.date < today).order_by(Meeting.date.desc())
    ).first()
    upcoming = session.scalars(select(Meeting).where(Meeting.date >= today).order_by(Meeting.date)).first()
    return last, upcoming


def _task_signals(session: Session, flt: Filter, today: dt.date, upcoming: Meeting | None) -> list[dict]:
    q = (
        select(Task)
        .options(selectinload(Task.owners))
        .where(Task.status.in_(OPEN_TASK_STATUSES), Task.due_date.is_not(None))
    )
    if flt.kommun:
        q = q.where(task_concerns(flt))
    out = []
    for t in session.scalars(q.order_by(Task.due_date, Task.id)):
        owners = ", ".join(o.name for o in t.owners) or "ingen ansvarig angiven"
        title = t.text if len(t.text) <= 90 else t.text[:87] + "…"
        if t.due_date < today:
            days = (today - t.due_date).days
            reason = (
                f"Skulle vara klart {t.due_date.isoformat()}, för {days} dagar sedan ({owners}); status {t.status}."
            )
            out.append(_signal("task_overdue", "task", t.id, title, reason, "/uppdrag"))
        elif upcoming is not None and t.due_date <= upcoming.date:
            reason = f"Ska vara klart {t.due_date.isoformat()}, före nästa möte {upcoming.date.isoformat()} ({owners})."
            out.append(_signal("task_due_before_next_meeting", "task", t.id, title, reason, "/uppdrag"))
    return out


def _projects(session: Session, flt: Filter) -> list[Project]:
    q = select(Project).options(selectinload(Project.funding_lines), selectinload(Project.phases))
    if flt.kommun:
        q = q.where(Project.municipalities.any(Municipality.name == flt.kommun))
    return list(session.scalars(q.order_by(Project.name)))


def _latest_change(session: Session, entity: str, ids: list[int]) -> dict[int, dt.datetime]:
    if not ids:
        return {}
    rows = session.execute(
        select(ChangeRecord.entity_id, func.max(ChangeRecord.at))
        .where(ChangeRecord.entity == entity, ChangeRecord.entity_id.in_(ids))
        .group_by(ChangeRecord.entity_id)
    )
    return {i: as_utc(at) for i, at in rows}


def _project_signals(session: Session, projects: list[Project], today: dt.date, last: Meeting | None) -> list[dict]:
    out = []
    changed = _latest_change(session, "project", [p.id for p in projects])
    for p in projects:
        link = f"/projekt/{p.id}"
        if p.end_date and p.end_date < today and p.status in OPEN_PROJECT_STATUSES:
            reason = f"Slutdatum {p.end_date.isoformat()} har passerat men status är fortfarande ”{p.status}”."
            out.append(_signal("project_past_end", "project", p.id, p.name, reason, link))
        if last is not None and p.status in OPEN_PROJECT_STATUSES:
            at = changed.get(p.id)
            if at is None or at.date() < last.date:
                when = f"senast {at.date().isoformat()}" if at else "aldrig"
                reason = f"Uppdaterad {when}, före kommunchefsmötet {last.date.isoformat()}."
                out.append(_signal("not_updated", "project", p.id, p.name, reason, link))
        funding = [{"funder": f.funder, "amount": f.amount, "period": f.period} for f in p.funding_lines]
        if funding:
            gap = funding_summary(p.budget_amount, p.budget_period, funding)["unspecified_amount"]
            if gap:
                per = "/år" if p.budget_period == "år" else " för hela perioden"
                total = _kr(p.budget_amount - gap)
                if gap > 0:
                    reason = f"Finansiärerna summerar till {total}{per} men budgeten är {_kr(p.budget_amount)}{per}: "
                    reason += f"{_kr(gap)}{per} saknar finansiär."
                else:
                    reason = f"Finansiärerna summerar till {total}{per}, {_kr(-gap)} mer än budgeten "
                    reason += f"{_kr(p.budget_amount)}{per}."
                out.append(_signal("funding_gap", "project", p.id, p.name, reason, link))
        for ph in p.phases:
            early = p.start_date and ph.start_date < p.start_date
            late = p.end_date and ph.end_date > p.end_date
            if early or late:
                frame = f"{_iso(p.start_date)} – {_iso(p.end_date)}"
                reason = (
                    f"Etappen ”{ph.name}” ({ph.start_date.isoformat()} – {ph.end_date.isoformat()}) ligger utanför "
                    f"projektets tidsram {frame}."
                )
                out.append(_signal("phase_outside", "phase", ph.id, f"{p.name}: {ph.name}", reason, link))
    return out


def _activity_signals(session: Session, last: Meeting | None) -> list[dict]:
    if last is None:
        return []
    acts = list(
        session.scalars(
            select(Activity)
            .options(selectinload(Activity.focus_area).selectinload(FocusArea.plan))
            .where(Activity.status.in_(OPEN_ACTIVITY_STATUSES))
            .order_by(Activity.focus_area_id, Activity.position)
        )
    )
    changed = _latest_change(session, "activity", [a.id for a in acts])
    out = []
    for a in acts:
        at = changed.get(a.id)
        if at is None or at.date() < last.date:
            when = f"senast {at.date().isoformat()}" if at else "aldrig"
            reason = f"Uppdaterad {when}, före kommunchefsmötet {last.date.isoformat()} ({a.focus_area.name})."
            out.append(
                _signal(
                    "not_updated", "activity", a.id, a.title, reason, f"/verksamhetsplan?ar={a.focus_area.plan.year}"
                )
            )
    return out


def attention_signals(session: Session, flt: Filter = Filter(), *, today: dt.date | None = None) -> dict[str, Any]:
    """Every signal that needs attention, grouped by kind, each with its reason in words.

    Projects and tasks follow the municipality filter; the plan's activities are the whole region's and are shown
    whatever the filter.
    """
    today = today or dt.date.today()
    last, upcoming = _meetings(session, today)
    signals = _task_signals(session, flt, today, upcoming)
    signals += _project_signals(session, _projects(session, flt), today, last)
    signals += _activity_signals(session, last)
    return {
        "today": today.isoformat(),
        "last_meeting": last.date.isoformat() if last else None,
        "next_meeting": upcoming.date.isoformat() if upcoming else None,
        "kommun": flt.kommun,
        "groups": [
            {"kind": kind, "label": label, "signals": [s for s in signals if s["kind"] == kind]}
            for kind, label in KINDS.items()
        ],
        "count": len(signals),
    }


__all__ = ["KINDS", "attention_signals"]
