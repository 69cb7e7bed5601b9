"""Signals that need attention before a meeting, each with its reason in words.

Tasks past due; tasks due before the next meeting; projects past their end date that are not closed; projects and
activities not updated since the last meeting; projects whose funders do not add up to the stated budget; phases
outside their project's time frame.

`attention_signals` lists every signal (Förändringar, the meeting pack); `signal_summary` gives, per kind, how many
there are and the first few (the overview), with counting and limited queries. Both draw their rows from the same
queries, in the same order, and word each reason with the same functions below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Select, and_, case, false, func, or_, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from data.filters import Filter
from data.funding import funding_summary
from data.history import as_utc
from data.models import (
    OPEN_TASK_STATUSES,
    Activity,
    ChangeRecord,
    FocusArea,
    FundingLine,
    Meeting,
    Municipality,
    Party,
    Phase,
    Plan,
    Project,
    Task,
    project_municipality,
    task_owner,
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
SUMMARY_LIMIT = 3
_CHUNK = 1000  # ids per IN list


def _kr(amount: int) -> str:
    return f"{amount:,}".replace(",", "\u00a0") + " kr"


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else "?"


def _signal(kind: str, entity: str, entity_id: int, title: str, reason: str, link: str | None = None) -> dict:
    return {"kind": kind, "entity": entity, "id": entity_id, "title": title, "reason": reason, "link": link}


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


# --- each signal in words (the one place the reasons are written) -------------------------------------------------


def _task_signal(row: Row, owners: list[str], today: dt.date, upcoming: Meeting | None) -> dict:
    """An open task past due, or due before the next meeting; `row` has id, text, due_date and status."""
    names = ", ".join(owners) or "ingen ansvarig angiven"
    title = row.text if len(row.text) <= 90 else row.text[:87] + "…"
    if row.due_date < today:
        days = (today - row.due_date).days
        reason = f"Skulle vara klart {row.due_date.isoformat()}, för {days} dagar sedan ({names}); status {row.status}."
        return _signal("task_overdue", "task", row.id, title, reason, "/uppdrag")
    reason = f"Ska vara klart {row.due_date.isoformat()}, före nästa möte {upcoming.date.isoformat()} ({names})."
    return _signal("task_due_before_next_meeting", "task", row.id, title, reason, "/uppdrag")


def _past_end_signal(row: Row) -> dict:
    reason = f"Slutdatum {row.end_date.isoformat()} har passerat men status är fortfarande ”{row.status}”."
    return _signal("project_past_end", "project", row.id, row.name, reason, f"/projekt/{row.id}")


def _stale_reason(at: dt.datetime | None, last: Meeting, where: str = "") -> str:
    when = f"senast {at.date().isoformat()}" if at else "aldrig"
    return f"Uppdaterad {when}, före kommunchefsmötet {last.date.isoformat()}{where}."


def _funding_signal(row: Row, gap: int) -> dict:
    """A project whose funders add up to its budget minus `gap` (a shortfall when positive, an excess when not)."""
    per = "/år" if row.budget_period == "år" else " för hela perioden"
    total = _kr(row.budget_amount - gap)
    if gap > 0:
        reason = f"Finansiärerna summerar till {total}{per} men budgeten är {_kr(row.budget_amount)}{per}: "
        reason += f"{_kr(gap)}{per} saknar finansiär."
    else:
        reason = f"Finansiärerna summerar till {total}{per}, {_kr(-gap)} mer än budgeten "
        reason += f"{_kr(row.budget_amount)}{per}."
    return _signal("funding_gap", "project", row.id, row.name, reason, f"/projekt/{row.id}")


def _phase_signal(row: Row) -> dict:
    frame = f"{_iso(row.start_date)} – {_iso(row.end_date)}"
    reason = (
        f"Etappen ”{row.phase_name}” ({row.phase_start.isoformat()} – {row.phase_end.isoformat()}) ligger utanför "
        f"projektets tidsram {frame}."
    )
    title = f"{row.name}: {row.phase_name}"
    return _signal("phase_outside", "phase", row.phase_id, title, reason, f"/projekt/{row.id}")


# --- the rows behind each kind, in the order they are listed ------------------------------------------------------


def _meetings(session: Session, today: dt.date) -> tuple[Meeting | None, Meeting | None]:
    """The latest kommunchefsmöte before today and the next meeting of any kind from today."""
    last = session.scalars(
        select(Meeting)
        .where(Meeting.kind == "kommunchefsmöte", Meeting.date < today)
        .order_by(Meeting.date.desc(), Meeting.id.desc())
        .limit(1)
    ).first()
    upcoming = session.scalars(
        select(Meeting).where(Meeting.date >= today).order_by(Meeting.date, Meeting.id).limit(1)
    ).first()
    return last, upcoming


def _concerning(q: Select, flt: Filter, project_id=Project.id) -> Select:
    """`q` narrowed to the projects that concern the filter's municipality (a semi-join on the link table)."""
    if not flt.kommun:
        return q
    return q.where(
        project_id.in_(
            select(project_municipality.c.project_id)
            .join(Municipality, Municipality.id == project_municipality.c.municipality_id)
            .where(Municipality.name == flt.kommun)
        )
    )


def _tasks(flt: Filter, due) -> Select:
    q = select(Task.id, Task.text, Task.due_date, Task.status).where(
        Task.status.in_(OPEN_TASK_STATUSES), Task.due_date.is_not(None), due
    )
    if flt.kommun:
        q = q.where(task_concerns(flt))
    return q.order_by(Task.due_date, Task.id)


def _overdue_tasks(flt: Filter, today: dt.date) -> Select:
    return _tasks(flt, Task.due_date < today)


def _tasks_due_before(flt: Filter, today: dt.date, upcoming: Meeting | None) -> Select:
    if upcoming is None:
        return _tasks(flt, false())
    return _tasks(flt, and_(Task.due_date >= today, Task.due_date <= upcoming.date))


def _projects_past_end(flt: Filter, today: dt.date) -> Select:
    q = select(Project.id, Project.name, Project.end_date, Project.status).where(
        Project.end_date < today, Project.status.in_(OPEN_PROJECT_STATUSES)
    )
    return _concerning(q, flt).order_by(Project.name)


def _changed_since(entity: str, last: Meeting) -> Select:
    """The ids of the `entity` rows with a change on or after the day of the meeting `last` (times are UTC)."""
    start = dt.datetime.combine(last.date, dt.time.min, tzinfo=dt.UTC)
    return select(ChangeRecord.entity_id).where(
        ChangeRecord.entity == entity, ChangeRecord.entity_id.is_not(None), ChangeRecord.at >= start
    )


def _stale_projects(flt: Filter, last: Meeting | None) -> Select:
    q = select(Project.id, Project.name)
    if last is None:
        return q.where(false())
    q = q.where(Project.status.in_(OPEN_PROJECT_STATUSES), Project.id.not_in(_changed_since("project", last)))
    return _concerning(q, flt).order_by(Project.name)


def _stale_activities(last: Meeting | None) -> Select:
    # Their focus areas and plans are looked up for the rows shown (_areas): joined here, they would slow the count.
    q = select(Activity.id, Activity.title, Activity.focus_area_id)
    if last is None:
        return q.where(false())
    return q.where(
        Activity.status.in_(OPEN_ACTIVITY_STATUSES), Activity.id.not_in(_changed_since("activity", last))
    ).order_by(Activity.focus_area_id, Activity.position, Activity.id)


def _projects_with_funders(flt: Filter) -> Select:
    q = select(Project.id, Project.name, Project.budget_amount, Project.budget_period).where(
        Project.id.in_(select(FundingLine.project_id))
    )
    return _concerning(q, flt).order_by(Project.name)


def _funding_gaps(flt: Filter) -> Select:
    """SQL twin of data.funding.funding_summary's gap: projects with a stated budget and period whose funders all
    have an amount in the budget's period and add up to something else."""
    gap = Project.budget_amount - func.sum(FundingLine.amount)
    lines = func.count()
    q = (
        select(Project.id, Project.name, Project.budget_amount, Project.budget_period, gap.label("gap"))
        .join(FundingLine, FundingLine.project_id == Project.id)
        .where(Project.budget_amount.is_not(None), Project.budget_period.is_not(None))
        .group_by(Project.id, Project.name, Project.budget_amount, Project.budget_period)
        .having(
            func.count(FundingLine.amount) == lines,
            func.count(case((FundingLine.period == Project.budget_period, 1))) == lines,
            gap != 0,
        )
    )
    return _concerning(q, flt).order_by(Project.name)


def _phases_outside(flt: Filter) -> Select:
    q = (
        select(
            Project.id,
            Project.name,
            Project.start_date,
            Project.end_date,
            Phase.id.label("phase_id"),
            Phase.name.label("phase_name"),
            Phase.start_date.label("phase_start"),
            Phase.end_date.label("phase_end"),
        )
        .join(Phase, Phase.project_id == Project.id)
        .where(
            or_(
                and_(Project.start_date.is_not(None), Phase.start_date < Project.start_date),
                and_(Project.end_date.is_not(None), Phase.end_date > Project.end_date),
            )
        )
    )
    return _concerning(q, flt).order_by(Project.name, Phase.start_date, Phase.id)


# --- rows → signals (the extra lookups a few rows need) -----------------------------------------------------------


def _owner_names(session: Session, task_ids: Sequence[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {i: [] for i in task_ids}
    for chunk in _chunks(task_ids):
        rows = session.execute(
            select(task_owner.c.task_id, Party.name)
            .join(Party, Party.id == task_owner.c.party_id)
            .where(task_owner.c.task_id.in_(chunk))
            .order_by(task_owner.c.task_id, Party.name)
        )
        for task_id, name in rows:
            out[task_id].append(name)
    return out


def _latest_change(session: Session, entity: str, ids: Sequence[int]) -> dict[int, dt.datetime]:
    out: dict[int, dt.datetime] = {}
    for chunk in _chunks(ids):
        rows = session.execute(
            select(ChangeRecord.entity_id, func.max(ChangeRecord.at))
            .where(ChangeRecord.entity == entity, ChangeRecord.entity_id.in_(chunk))
            .group_by(ChangeRecord.entity_id)
        )
        out.update((i, as_utc(at)) for i, at in rows)
    return out


def _areas(session: Session, focus_area_ids: Sequence[int]) -> dict[int, tuple[str, int]]:
    """Per focus area: its name and its plan's year."""
    out: dict[int, tuple[str, int]] = {}
    for chunk in _chunks(focus_area_ids):
        rows = session.execute(
            select(FocusArea.id, FocusArea.name, Plan.year)
            .join(Plan, Plan.id == FocusArea.plan_id)
            .where(FocusArea.id.in_(chunk))
        )
        out.update((i, (name, year)) for i, name, year in rows)
    return out


_Make = Callable[[Session, list[Row]], list[dict]]


def _sources(
    flt: Filter, today: dt.date, last: Meeting | None, upcoming: Meeting | None, *, summary: bool
) -> dict[str, list[tuple[Select, _Make]]]:
    """Per kind: the queries whose rows are its signals, in order, each with the function that words its rows.

    The funding gap is worked out per project by data.funding.funding_summary (as the API and the project page
    show it) for the full list; the summary counts it with its SQL twin.
    """

    def tasks(session: Session, rows: list[Row]) -> list[dict]:
        owners = _owner_names(session, [r.id for r in rows])
        return [_task_signal(r, owners[r.id], today, upcoming) for r in rows]

    def stale_projects(session: Session, rows: list[Row]) -> list[dict]:
        changed = _latest_change(session, "project", [r.id for r in rows])
        return [
            _signal("not_updated", "project", r.id, r.name, _stale_reason(changed.get(r.id), last), f"/projekt/{r.id}")
            for r in rows
        ]

    def stale_activities(session: Session, rows: list[Row]) -> list[dict]:
        changed = _latest_change(session, "activity", [r.id for r in rows])
        areas = _areas(session, list({r.focus_area_id for r in rows}))
        return [
            _signal(
                "not_updated",
                "activity",
                r.id,
                r.title,
                _stale_reason(changed.get(r.id), last, f" ({areas[r.focus_area_id][0]})"),
                f"/verksamhetsplan?ar={areas[r.focus_area_id][1]}",
            )
            for r in rows
        ]

    def funding_gaps(session: Session, rows: list[Row]) -> list[dict]:
        return [_funding_signal(r, int(r.gap)) for r in rows]

    def funding_summaries(session: Session, rows: list[Row]) -> list[dict]:
        funding: dict[int, list[dict]] = {r.id: [] for r in rows}
        for chunk in _chunks(list(funding)):
            lines = session.execute(
                select(FundingLine.project_id, FundingLine.funder, FundingLine.amount, FundingLine.period)
                .where(FundingLine.project_id.in_(chunk))
                .order_by(FundingLine.id)
            )
            for pid, funder, amount, period in lines:
                funding[pid].append({"funder": funder, "amount": amount, "period": period})
        out = []
        for r in rows:
            gap = funding_summary(r.budget_amount, r.budget_period, funding[r.id])["unspecified_amount"]
            if gap:
                out.append(_funding_signal(r, gap))
        return out

    def each(make_one: Callable[[Row], dict]) -> _Make:
        return lambda session, rows: [make_one(r) for r in rows]

    return {
        "task_overdue": [(_overdue_tasks(flt, today), tasks)],
        "task_due_before_next_meeting": [(_tasks_due_before(flt, today, upcoming), tasks)],
        "project_past_end": [(_projects_past_end(flt, today), each(_past_end_signal))],
        "not_updated": [(_stale_projects(flt, last), stale_projects), (_stale_activities(last), stale_activities)],
        "funding_gap": [
            (_funding_gaps(flt), funding_gaps) if summary else (_projects_with_funders(flt), funding_summaries)
        ],
        "phase_outside": [(_phases_outside(flt), each(_phase_signal))],
    }


def _count(session: Session, q: Select) -> int:
    return session.scalar(select(func.count()).select_from(q.order_by(None).subquery()))


def _head(flt: Filter, today: dt.date, last: Meeting | None, upcoming: Meeting | None) -> dict:
    return {
        "today": today.isoformat(),
        "last_meeting": last.date.isoformat() if last else None,
        "next_meeting": upcoming.date.isoformat() if upcoming else None,
        "kommun": flt.kommun,
    }


def attention_signals(session: Session, flt: Filter = Filter(), *, today: dt.date | None = None) -> dict[str, Any]:
    """Every signal that needs attention, grouped by kind, each with its reason in words.

    Projects and tasks follow the municipality filter; the plan's activities are the whole region's and are shown
    whatever the filter.
    """
    today = today or dt.date.today()
    last, upcoming = _meetings(session, today)
    groups = []
    for kind, sources in _sources(flt, today, last, upcoming, summary=False).items():
        signals = [s for q, make in sources for s in make(session, session.execute(q).all())]
        groups.append({"kind": kind, "label": KINDS[kind], "signals": signals})
    return {
        **_head(flt, today, last, upcoming),
        "groups": groups,
        "count": sum(len(g["signals"]) for g in groups),
    }


def signal_summary(
    session: Session, flt: Filter = Filter(), *, today: dt.date | None = None, limit: int = SUMMARY_LIMIT
) -> dict[str, Any]:
    """Per kind of signal, how many there are (`count`) and the first `limit` of them, as attention_signals lists
    them; the same keys as attention_signals, each group with its `count` added.

    One query per source, counting its rows and returning at most `limit` of them (about 30 ms in all at 1000×
    the demo data); only the rows shown are looked up further (owners, latest change, focus area).
    """
    today = today or dt.date.today()
    last, upcoming = _meetings(session, today)
    groups = []
    for kind, sources in _sources(flt, today, last, upcoming, summary=True).items():
        count, shown = 0, []
        for q, make in sources:
            if len(shown) < limit:
                # One pass: the first rows, each carrying the count of all of them.
                rows = session.execute(q.add_columns(func.count().over().label("total")).limit(limit - len(shown)))
                rows = rows.all()
                count += rows[0].total if rows else 0
                shown += make(session, rows)
            else:
                count += _count(session, q)
        groups.append({"kind": kind, "label": KINDS[kind], "count": count, "signals": shown})
    return {
        **_head(flt, today, last, upcoming),
        "groups": groups,
        "count": sum(g["count"] for g in groups),
    }


__all__ = ["KINDS", "attention_signals", "signal_summary"]
