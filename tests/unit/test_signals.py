"""Signals that need attention: each one with data that triggers it and data that does not."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from data.filters import Filter
from data.history import record_change
from data.models import Meeting, Phase, Project, Task
from data.signals import attention_signals

BOTNIA = "Botniabanan som tillväxtfaktor"


def signals(session, kind: str, today: dt.date, flt: Filter = Filter()) -> list[dict]:
    found = attention_signals(session, flt, today=today)
    return next(g for g in found["groups"] if g["kind"] == kind)["signals"]


def project(session, name: str = BOTNIA) -> Project:
    return session.scalars(select(Project).where(Project.name == name)).one()


def a_task(session) -> Task:
    return session.scalars(select(Task).where(Task.status == "öppen").order_by(Task.id)).first()


def test_a_task_past_its_due_date_is_overdue_until_it_is_done(session):
    task = a_task(session)
    task.due_date = dt.date(2019, 9, 1)
    session.flush()
    overdue = signals(session, "task_overdue", dt.date(2019, 9, 11))
    mine = [s for s in overdue if s["id"] == task.id]
    assert mine and "Skulle vara klart 2019-09-01, för 10 dagar sedan" in mine[0]["reason"]
    task.status = "klar"
    session.flush()
    assert task.id not in [s["id"] for s in signals(session, "task_overdue", dt.date(2019, 9, 11))]
    assert task.id not in [s["id"] for s in signals(session, "task_overdue", dt.date(2019, 8, 1))]


def test_a_task_due_before_the_next_meeting_is_flagged_and_one_due_after_it_is_not(session):
    before, after = session.scalars(select(Task).where(Task.status == "öppen").order_by(Task.id).limit(2)).all()
    before.due_date, after.due_date = dt.date(2019, 6, 10), dt.date(2019, 7, 1)
    session.flush()
    flagged = signals(session, "task_due_before_next_meeting", dt.date(2019, 6, 1))
    ids = [s["id"] for s in flagged]
    assert before.id in ids and after.id not in ids
    reason = next(s for s in flagged if s["id"] == before.id)["reason"]
    assert "Ska vara klart 2019-06-10, före nästa möte 2019-06-20" in reason


def test_a_project_past_its_end_date_that_is_not_closed_is_flagged(session):
    p = project(session)
    p.status, p.end_date = "pågår", dt.date(2006, 12, 31)
    session.flush()
    flagged = [s for s in signals(session, "project_past_end", dt.date(2019, 6, 1)) if s["id"] == p.id]
    assert flagged and "Slutdatum 2006-12-31 har passerat men status är fortfarande ”pågår”" in flagged[0]["reason"]
    p.status = "avslutad"
    session.flush()
    assert p.id not in [s["id"] for s in signals(session, "project_past_end", dt.date(2019, 6, 1))]
    p.status = "pågår"
    session.flush()
    assert p.id not in [s["id"] for s in signals(session, "project_past_end", dt.date(2006, 6, 1))]


def test_projects_and_activities_not_updated_since_the_last_meeting_are_flagged(session):
    today = dt.date.today() + dt.timedelta(days=30)
    session.add(Meeting(kind="kommunchefsmöte", date=today - dt.timedelta(days=1)))
    p = project(session)
    p.status = "pågår"
    session.flush()
    found = attention_signals(session, today=today)
    stale = next(g for g in found["groups"] if g["kind"] == "not_updated")["signals"]
    assert ("project", p.id) in [(s["entity"], s["id"]) for s in stale]
    assert any(s["entity"] == "activity" for s in stale)
    assert f"före kommunchefsmötet {(today - dt.timedelta(days=1)).isoformat()}" in stale[0]["reason"]
    record_change(
        session,
        username="test",
        source="test",
        entity="project",
        entity_id=p.id,
        action="update",
        before={"status": "planerad"},
        after={"status": "pågår"},
        at=dt.datetime.combine(today, dt.time(9), tzinfo=dt.UTC),
    )
    session.flush()
    stale = signals(session, "not_updated", today)
    assert ("project", p.id) not in [(s["entity"], s["id"]) for s in stale]


def test_no_meeting_before_today_means_nothing_is_stale(session):
    assert signals(session, "not_updated", dt.date(2019, 1, 1)) == []


def test_funders_that_do_not_add_up_to_the_budget_are_flagged_with_the_gap(session):
    p = project(session)
    flagged = [s for s in signals(session, "funding_gap", dt.date(2019, 6, 1)) if s["id"] == p.id]
    assert flagged and flagged[0]["reason"] == (
        "Finansiärerna summerar till 3\u00a0900\u00a0000 kr/år men budgeten är 4\u00a0650\u00a0000 kr/år: "
        "750\u00a0000 kr/år saknar finansiär."
    )
    p.budget_amount = 3_900_000
    session.flush()
    assert p.id not in [s["id"] for s in signals(session, "funding_gap", dt.date(2019, 6, 1))]
    p.budget_amount = 3_000_000
    session.flush()
    [over] = [s for s in signals(session, "funding_gap", dt.date(2019, 6, 1)) if s["id"] == p.id]
    assert "900\u00a0000 kr mer än budgeten" in over["reason"]


def test_a_phase_outside_its_projects_time_frame_is_flagged(session):
    p = project(session)
    p.start_date, p.end_date = dt.date(2005, 1, 1), dt.date(2006, 12, 31)
    session.add(Phase(project=p, name="Inom ramen", start_date=dt.date(2005, 2, 1), end_date=dt.date(2005, 6, 30)))
    session.flush()
    assert not [s for s in signals(session, "phase_outside", dt.date(2019, 6, 1)) if p.name in s["title"]]
    session.add(Phase(project=p, name="För sent", start_date=dt.date(2006, 6, 1), end_date=dt.date(2007, 3, 31)))
    session.flush()
    [late] = [s for s in signals(session, "phase_outside", dt.date(2019, 6, 1)) if p.name in s["title"]]
    assert late["reason"] == (
        "Etappen ”För sent” (2006-06-01 – 2007-03-31) ligger utanför projektets tidsram 2005-01-01 – 2006-12-31."
    )


def test_the_municipality_filter_narrows_projects_and_tasks(session):
    everyone = attention_signals(session, today=dt.date(2019, 9, 11))
    vannas = attention_signals(session, Filter("Vännäs"), today=dt.date(2019, 9, 11))
    assert vannas["kommun"] == "Vännäs" and vannas["count"] <= everyone["count"]
    projects = {s["id"] for g in vannas["groups"] for s in g["signals"] if s["entity"] == "project"}
    names = set(session.scalars(select(Project.name).where(Project.id.in_(projects))))
    assert "UME&Co" not in names  # names no municipality, so not Vännäs-related
