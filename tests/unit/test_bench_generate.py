"""The benchmark's data generator (bench/generate.py): counts, the database's own constraints, determinism,
phases inside their projects, realistic variety, and the app's own inserts still working afterwards.

Runs on SQLite, and on PostgreSQL with TEST_DATABASE_URL (the `databases` fixture)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text

from bench.generate import REFERENCE_DAY, generate
from data.db import make_engine, make_session_factory, session_scope
from data.models import (
    Activity,
    AgendaItem,
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
    TaskNote,
    project_municipality,
    task_owner,
)

SEED_COUNTS = {"project": 8, "task": 15, "meeting": 3, "activity": 23, "plan": 1}


@pytest.fixture
def fresh_engine(databases):
    engines = []

    def make():
        engine = make_engine(databases.fresh())
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.dispose()


def generated(engine, scale: int, seed: int = 1) -> dict[str, int]:
    with session_scope(make_session_factory(engine)) as s:
        return generate(s, scale, seed)


def count(s, model) -> int:
    return s.scalar(select(func.count()).select_from(model))


SNAPSHOT = {
    Project: ("id", "name", "focus_area_id", "start_date", "end_date", "status", "budget_amount", "budget_period"),
    Phase: ("project_id", "name", "start_date", "end_date"),
    FundingLine: ("project_id", "funder", "kind", "amount", "period"),
    Meeting: ("id", "kind", "date", "place", "next_meeting_date"),
    AgendaItem: ("meeting_id", "number", "title"),
    Task: ("id", "text", "agenda_item_id", "municipality_id", "due_date", "due_text", "status"),
    Activity: ("focus_area_id", "title", "status"),
}


def snapshot(engine) -> dict[str, list[tuple]]:
    """Every generated fact that matters, in id order, for comparing two runs."""
    with session_scope(make_session_factory(engine)) as s:
        out = {
            model.__tablename__: s.execute(select(*(getattr(model, c) for c in cols)).order_by(model.id)).all()
            for model, cols in SNAPSHOT.items()
        }
        for table in (project_municipality, task_owner):
            out[table.name] = s.execute(select(table).order_by(*table.c)).all()
        return out


def test_scale_3_has_three_times_the_seed(fresh_engine):
    engine = fresh_engine()
    added = generated(engine, 3)
    with session_scope(make_session_factory(engine)) as s:
        assert count(s, Project) == 3 * 8
        assert count(s, Task) == SEED_COUNTS["task"] + 2 * 11
        assert count(s, Meeting) == SEED_COUNTS["meeting"] + 2
        assert count(s, Activity) == 3 * 23
        assert count(s, Plan) == 3
        assert added["project"] == 16 and added["task"] == 22 and added["meeting"] == 2
        # The seed's facts are untouched.
        botnia = s.scalars(select(Project).filter_by(name="Botniabanan som tillväxtfaktor")).one()
        assert botnia.budget_amount == 4_650_000 and sum(f.amount for f in botnia.funding_lines) == 3_900_000


def test_scale_1_is_the_demo_data_alone(fresh_engine):
    engine = fresh_engine()
    assert generated(engine, 1) == {}
    with session_scope(make_session_factory(engine)) as s:
        assert count(s, Project) == 8 and count(s, Task) == 15 and count(s, Meeting) == 3


def test_scale_below_one_is_refused(fresh_engine):
    with session_scope(make_session_factory(fresh_engine())) as s, pytest.raises(ValueError):
        generate(s, 0)


def test_same_seed_same_rows_other_seed_other_rows(fresh_engine):
    first, second, other = fresh_engine(), fresh_engine(), fresh_engine()
    generated(first, 3, seed=7)
    generated(second, 3, seed=7)
    generated(other, 3, seed=8)
    a, b, c = snapshot(first), snapshot(second), snapshot(other)
    assert a == b
    assert a["project"] != c["project"] and a["task"] != c["task"]


def test_the_database_accepts_every_row_and_its_constraints_hold(fresh_engine):
    engine = fresh_engine()
    generated(engine, 10)  # committed: every CHECK, UNIQUE and FOREIGN KEY was enforced by the database
    with engine.connect() as c:
        if engine.dialect.name == "sqlite":
            assert c.execute(text("PRAGMA foreign_key_check")).all() == []
            assert c.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        bad_dates = c.execute(
            select(func.count()).select_from(Project).where(Project.end_date < Project.start_date)
        ).scalar()
        assert bad_dates == 0
        unlinked = c.execute(
            select(func.count()).select_from(Task).where(Task.agenda_item_id.is_not(None))
            .where(~select(AgendaItem.id).where(AgendaItem.id == Task.agenda_item_id,
                                                 AgendaItem.meeting_id == Task.meeting_id).exists())
        ).scalar()  # fmt: skip
        assert unlinked == 0, "a task's agenda item belongs to another meeting"


def test_phases_lie_inside_their_projects(fresh_engine):
    engine = fresh_engine()
    generated(engine, 10)
    with session_scope(make_session_factory(engine)) as s:
        assert count(s, Phase) > 10
        outside = s.execute(
            select(Phase.id).join(Project).where(
                (Phase.start_date < Project.start_date) | (Phase.end_date > Project.end_date)
                | Project.start_date.is_(None) | Project.end_date.is_(None) | (Phase.end_date < Phase.start_date)
            )
        ).all()  # fmt: skip
        assert outside == []
        # Phases of one project do not overlap.
        by_project: dict[int, list[tuple[dt.date, dt.date]]] = {}
        for pid, start, end in s.execute(select(Phase.project_id, Phase.start_date, Phase.end_date)):
            by_project.setdefault(pid, []).append((start, end))
        for spans in by_project.values():
            spans.sort()
            assert all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_the_data_has_the_variety_of_real_data(fresh_engine):
    engine = fresh_engine()
    generated(engine, 10)
    with session_scope(make_session_factory(engine)) as s:
        kinds = dict(s.execute(select(FundingLine.kind, func.count()).group_by(FundingLine.kind)).all())
        assert set(kinds) == {"kommunerna", "EU", "stat", "region/landsting", "universitet", "privat", "övrigt"}
        assert s.scalar(select(func.count()).where(FundingLine.amount.is_(None))) > 0
        per_project = s.execute(select(FundingLine.project_id, func.count()).group_by(FundingLine.project_id)).all()
        assert max(n for _, n in per_project) <= 6
        assert count(s, Project) > len(per_project)  # some projects have no funders at all

        projects = s.execute(select(Project.id, Project.budget_amount, Project.budget_period)).all()
        sums = dict(
            s.execute(
                select(FundingLine.project_id, func.sum(FundingLine.amount))
                .where(FundingLine.amount.is_not(None))
                .group_by(FundingLine.project_id)
            ).all()
        )
        gaps = [p for p in projects if p.budget_amount and p.id in sums and sums[p.id] < p.budget_amount]
        surpluses = [p for p in projects if p.budget_amount and p.id in sums and sums[p.id] > p.budget_amount]
        assert gaps and surpluses
        assert {p.budget_period for p in projects} == {"år", "totalt", None}

        dates = s.execute(select(Project.start_date, Project.end_date)).all()
        assert any(a is None and b is None for a, b in dates)
        starts = [a for a, _ in dates if a]
        assert min(starts) < dt.date(2005, 1, 1) and max(starts) > dt.date(2020, 1, 1)
        assert all(dt.date(2001, 1, 1) <= d <= dt.date(2030, 12, 31) for a, b in dates for d in (a, b) if d)

        linked = dict(
            s.execute(
                select(Municipality.name, func.count())
                .join(project_municipality, project_municipality.c.municipality_id == Municipality.id)
                .group_by(Municipality.name)
            ).all()
        )
        assert len(linked) == 7 and min(linked.values()) >= 10

        years = s.scalars(select(Plan.year).order_by(Plan.year)).all()
        assert years[0] == 2005 and len(years) == 10
        assert s.scalar(select(func.count(func.distinct(FocusArea.plan_id))).join(Project)) > 1

        assert set(s.scalars(select(Meeting.kind).distinct())) == {"kommunchefsmöte", "regionråd", "annat"}
        items = s.execute(
            select(AgendaItem.meeting_id, func.count()).where(AgendaItem.meeting_id > 3).group_by(AgendaItem.meeting_id)
        ).all()
        assert len(items) == 9 and all(5 <= n <= 12 for _, n in items)

        assert set(s.scalars(select(Task.status).distinct())) == {"öppen", "pågår", "klar", "struken"}
        overdue = s.scalar(
            select(func.count()).where(Task.status.in_(("öppen", "pågår")), Task.due_date < REFERENCE_DAY)
        )
        assert overdue > 0
        assert s.scalar(select(func.count()).where(Task.due_text.is_not(None), Task.due_date.is_not(None))) > 0
        owner_kinds = set(s.scalars(select(Party.kind).join(task_owner, task_owner.c.party_id == Party.id).distinct()))
        assert owner_kinds == {"person", "grupp"}
        history = s.scalar(select(func.count()).where(ChangeRecord.entity == "project", ChangeRecord.entity_id > 8))
        assert history == count(s, Project) - 8


def test_the_app_can_still_insert_after_generating(fresh_engine):
    """Ids are given by the generator; PostgreSQL's sequences must have moved past them."""
    engine = fresh_engine()
    generated(engine, 3)
    with session_scope(make_session_factory(engine)) as s:
        project = Project(name="Ny satsning efter generatorn", status="planerad")
        task = Task(text="Följ upp", status="öppen")
        s.add_all([project, task])
        s.flush()
        s.add(TaskNote(task_id=task.id, text="Noterat", username="admin", at=dt.datetime.now(dt.UTC)))
        s.flush()
        assert project.id == 25 and task.id == 38
