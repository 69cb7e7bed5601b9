"""Engine, sessions and the constraints the database itself enforces, whatever code writes to it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data.db import make_engine, make_session_factory, session_scope
from data.models import (
    Activity,
    AgendaItem,
    BudgetPart,
    FocusArea,
    FundingLine,
    Meeting,
    Phase,
    Plan,
    Project,
    Task,
)

D = dt.date


@pytest.fixture
def factory(databases):
    eng = make_engine(databases.fresh(seed=False))
    yield make_session_factory(eng)
    eng.dispose()


def plan_count(factory) -> int:
    with factory() as s:
        return s.scalar(select(func.count(Plan.id)))


def test_session_scope_commits_when_the_block_ends(factory):
    with session_scope(factory) as s:
        s.add(Plan(year=2099, title="Testplan"))
    assert plan_count(factory) == 1


def test_session_scope_rolls_back_and_reraises_on_error(factory):
    with pytest.raises(RuntimeError, match="avbrutet"):
        with session_scope(factory) as s:
            s.add(Plan(year=2099, title="Testplan"))
            s.flush()
            raise RuntimeError("avbrutet")
    assert plan_count(factory) == 0


def test_objects_stay_readable_after_the_session_scope_closes(factory):
    with session_scope(factory) as s:
        plan = Plan(year=2099, title="Testplan")
        s.add(plan)
    assert (plan.year, plan.title) == (2099, "Testplan")


def test_make_engine_connects_only_when_used(tmp_path):
    path = tmp_path / "never.db"
    eng = make_engine(f"sqlite:///{path}")
    assert not path.exists()
    eng.dispose()


# The constraints: each case builds one row; with bad=False it is valid, so the error comes from the one bad value.


def _focus_area(s: Session, name: str = "Närings- och utveckling") -> FocusArea:
    return s.scalars(select(FocusArea).filter_by(name=name)).one()


def _project(s: Session, name: str) -> Project:
    return s.scalars(select(Project).filter_by(name=name)).one()


def project_end_before_start(s, bad):
    return Project(name="Test", start_date=D(2005, 2, 1), end_date=D(2005, 1, 31) if bad else D(2005, 2, 1))


def negative_budget(s, bad):
    return Project(name="Test", budget_amount=-1 if bad else 0, budget_period="totalt")


def unknown_budget_period(s, bad):
    return Project(name="Test", budget_amount=100, budget_period="månad" if bad else "år")


def unknown_project_status(s, bad):
    return Project(name="Test", status="okänd" if bad else "pausad")


def duplicate_project_name(s, bad):
    return Project(name="UME&Co" if bad else "UME&Co 2")


def project_with_missing_focus_area(s, bad):
    top = s.scalar(select(func.max(FocusArea.id)))
    return Project(name="Test", focus_area_id=top + 1000 if bad else top)


def negative_funding_amount(s, bad):
    return FundingLine(
        project=_project(s, "UME&Co"), funder="Testfinansiär", kind="övrigt", amount=-1 if bad else 0, period="totalt"
    )


def unknown_funder_kind(s, bad):
    return FundingLine(project=_project(s, "UME&Co"), funder="Testfinansiär", kind="kommun" if bad else "kommunerna")


def unknown_funding_period(s, bad):
    return FundingLine(
        project=_project(s, "UME&Co"),
        funder="Testfinansiär",
        kind="övrigt",
        amount=1,
        period="kvartal" if bad else "år",
    )


def duplicate_funder_in_one_project(s, bad):
    return FundingLine(
        project=_project(s, "Botniabanan som tillväxtfaktor"),
        funder="Umeå universitet" if bad else "Umeå universitet 2",
        kind="universitet",
    )


def negative_budget_part(s, bad):
    return BudgetPart(project=_project(s, "UME&Co"), label="test", amount=-1 if bad else 0)


def duplicate_activity_title_in_one_focus_area(s, bad):
    # Valid counterpart: the same title under another focus area.
    fa = _focus_area(s) if bad else _focus_area(s, "Infrastruktur")
    return Activity(focus_area=fa, title="Marknadsföring")


def unknown_activity_status(s, bad):
    return Activity(focus_area=_focus_area(s), title="Test", status="pågående" if bad else "klar")


def phase_end_before_start(s, bad):
    return Phase(
        project=_project(s, "Bibliotek 2007"),
        name="Etapp 3",
        start_date=D(2006, 1, 1),
        end_date=D(2005, 12, 31) if bad else D(2006, 1, 1),
    )


def task_with_unknown_status(s, bad):
    return Task(text="Test", status="gjord" if bad else "klar")


def meeting_end_before_start(s, bad):
    return Meeting(
        kind="annat", date=D(2030, 1, 1), start_time=dt.time(14, 0), end_time=dt.time(13, 59) if bad else dt.time(14, 0)
    )


def unknown_meeting_kind(s, bad):
    return Meeting(kind="fika" if bad else "regionråd", date=D(2030, 1, 1))


def duplicate_agenda_item_number(s, bad):
    meeting = s.scalars(select(Meeting).filter_by(date=D(2019, 5, 16))).one()
    return AgendaItem(meeting=meeting, number=11 if bad else 12, title="Test")


CASES: list[Callable[[Session, bool], object]] = [
    project_end_before_start,
    negative_budget,
    unknown_budget_period,
    unknown_project_status,
    duplicate_project_name,
    project_with_missing_focus_area,
    negative_funding_amount,
    unknown_funder_kind,
    unknown_funding_period,
    duplicate_funder_in_one_project,
    negative_budget_part,
    duplicate_activity_title_in_one_focus_area,
    unknown_activity_status,
    phase_end_before_start,
    task_with_unknown_status,
    meeting_end_before_start,
    unknown_meeting_kind,
    duplicate_agenda_item_number,
]


@pytest.mark.parametrize("build", CASES, ids=[c.__name__ for c in CASES])
def test_database_refuses(seeded, build):
    seeded.add(build(seeded, True))
    with pytest.raises(IntegrityError):
        seeded.flush()


@pytest.mark.parametrize("build", CASES, ids=[c.__name__ for c in CASES])
def test_database_accepts_the_valid_counterpart(seeded, build):
    seeded.add(build(seeded, False))
    seeded.flush()
