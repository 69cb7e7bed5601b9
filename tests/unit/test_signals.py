"""Signals that need attention: each one with data that triggers it and data that does not."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, select

from data.filters import Filter
from data.history import record_change
from data.models import (
    Activity,
    ChangeRecord,
    FundingLine,
    Meeting,
    Municipality,
    Party,
    Phase,
    Project,
    Task,
)
from data.signals import KINDS, attention_signals, signal_summary

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


# --- signal_summary: the overview's counts and first few, which must agree with attention_signals ---------------


def assert_summary_agrees(session, flt: Filter, today: dt.date, limit: int = 3) -> dict:
    """signal_summary's counts, first signals and reasons are attention_signals' on the same data; returns the
    full signals."""
    full = attention_signals(session, flt, today=today)
    summary = signal_summary(session, flt, today=today, limit=limit)
    assert {k: v for k, v in summary.items() if k != "groups"} == {k: v for k, v in full.items() if k != "groups"}
    assert [g["kind"] for g in summary["groups"]] == [g["kind"] for g in full["groups"]] == list(KINDS)
    for short, whole in zip(summary["groups"], full["groups"], strict=True):
        assert short["label"] == whole["label"] == KINDS[short["kind"]]
        assert short["count"] == len(whole["signals"]), short["kind"]
        assert short["signals"] == whole["signals"][:limit], short["kind"]
    assert summary["count"] == full["count"] == sum(len(g["signals"]) for g in full["groups"])
    return full


def counts(found: dict) -> dict[str, int]:
    return {g["kind"]: len(g["signals"]) for g in found["groups"]}


def _municipality(session, name: str) -> Municipality:
    return session.scalars(select(Municipality).where(Municipality.name == name)).one()


# Budget period, budget, funders (amount, period): every case data.funding.funding_summary tells apart.
FUNDING_CASES = {
    "Test: stämmer": ("totalt", 1_000_000, [(600_000, "totalt"), (400_000, "totalt")]),
    "Test: saknas": ("totalt", 1_000_000, [(600_000, "totalt")]),
    "Test: för mycket": ("år", 500_000, [(300_000, "år"), (300_000, "år")]),
    "Test: utan belopp": ("totalt", 1_000_000, [(600_000, "totalt"), (None, "totalt")]),
    "Test: annan period": ("totalt", 1_000_000, [(600_000, "år")]),
    "Test: blandade perioder": ("år", 1_000_000, [(600_000, "år"), (100_000, "totalt")]),
    "Test: finansiär utan period": ("totalt", 1_000_000, [(600_000, None)]),
    "Test: budget utan period": (None, 1_000_000, [(600_000, "totalt")]),
    "Test: ingen budget": ("totalt", None, [(600_000, "totalt")]),
    "Test: inga finansiärer": ("totalt", 1_000_000, []),
    "Test: noll": ("totalt", 0, [(0, "totalt")]),
}


def add_cases(session, today: dt.date) -> None:
    """Projects, phases and tasks that trigger (and almost trigger) every kind of signal, some in Vännäs."""
    vannas, umea = _municipality(session, "Vännäs"), _municipality(session, "Umeå")
    for i, (name, (period, budget, lines)) in enumerate(FUNDING_CASES.items()):
        p = Project(
            name=name,
            status=("pågår", "planerad", "avslutad", "pausad")[i % 4],
            start_date=dt.date(2018, 1, 1),
            end_date=dt.date(2030, 12, 31) if i % 3 else today - dt.timedelta(days=i + 1),
            budget_amount=budget,
            budget_period=period,
            municipalities=[vannas] if i % 2 else [umea],
        )
        p.funding_lines = [
            FundingLine(funder=f"Finansiär {j}", kind="EU", amount=amount, period=line_period)
            for j, (amount, line_period) in enumerate(lines)
        ]
        session.add(p)
    framed = Project(
        name="Test: etapper",
        status="pågår",
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2020, 12, 31),
        municipalities=[vannas],
    )
    framed.phases = [
        Phase(name="Inom", start_date=dt.date(2020, 2, 1), end_date=dt.date(2020, 3, 1)),
        Phase(name="Tidig", start_date=dt.date(2019, 6, 1), end_date=dt.date(2020, 3, 1)),
        Phase(name="Sen B", start_date=dt.date(2020, 11, 1), end_date=dt.date(2021, 3, 1)),
        Phase(name="Sen A", start_date=dt.date(2020, 11, 1), end_date=dt.date(2021, 1, 1)),  # same start as B
    ]
    open_ended = Project(name="Test: bara slutdatum", status="planerad", end_date=dt.date(2020, 6, 30))
    open_ended.phases = [Phase(name="Efter", start_date=dt.date(2020, 6, 1), end_date=dt.date(2020, 7, 31))]
    session.add_all([framed, open_ended])
    owners = session.scalars(select(Party).order_by(Party.name).limit(3)).all()
    meeting = session.scalars(select(Meeting).order_by(Meeting.date)).first()
    for i in range(8):
        session.add(
            Task(
                meeting_id=meeting.id,
                text=f"Testuppdrag {i} " + "med en lång text " * (i % 2 * 8),
                due_date=today + dt.timedelta(days=(-3, -1, 0, 2, 5, 40, -1, 3)[i]),
                status=("öppen", "pågår")[i % 2],
                municipality_id=vannas.id if i % 3 == 0 else None,
                owners=owners[: i % 4],
            )
        )
    session.flush()


SCENARIOS = {
    # today, days from today to a kommunchefsmöte added (None: none), days to a next meeting added (None: none)
    "spring 2019, between the seed's meetings": (dt.date(2019, 6, 1), None, None),
    "autumn 2019, after every meeting": (dt.date(2019, 9, 11), None, None),
    "a kommunchefsmöte yesterday and a meeting next week": (dt.date.today() + dt.timedelta(days=60), -1, 4),
    "a kommunchefsmöte today": (dt.date.today() + dt.timedelta(days=60), 0, 10),
}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=list(SCENARIOS))
def test_the_summary_agrees_with_every_signal_in_every_scenario(seeded, scenario):
    today, last_in, next_in = SCENARIOS[scenario]
    if last_in is not None:
        seeded.add(Meeting(kind="kommunchefsmöte", date=today + dt.timedelta(days=last_in)))
    if next_in is not None:
        seeded.add(Meeting(kind="regionråd", date=today + dt.timedelta(days=next_in)))
    add_cases(seeded, today)
    for kommun in (None, "Vännäs", "Umeå", "Bjurholm"):
        for limit in (1, 3, 500):
            assert_summary_agrees(seeded, Filter(kommun), today, limit)
    found = attention_signals(seeded, today=today)
    # Every kind has signals to agree on (no meeting after 2019-08-22 in the seed: nothing is due before it).
    assert all(
        counts(found)[k]
        for k in KINDS
        if k != "task_due_before_next_meeting" or scenario != "autumn 2019, after every meeting"
    )
    stale = {s["entity"] for g in found["groups"] if g["kind"] == "not_updated" for s in g["signals"]}
    # The seed's history is dated at its minutes (2019-05-16): its rows are stale after any later kommunchefsmöte
    # (2019-08-22 in the seed); the test's own projects have no history and are always stale.
    assert stale == ({"project"} if today < dt.date(2019, 8, 23) else {"project", "activity"})


def test_the_funding_cases_give_a_signal_only_where_funders_and_budget_disagree(seeded):
    today = dt.date(2019, 6, 1)
    add_cases(seeded, today)
    full = assert_summary_agrees(seeded, Filter(), today, limit=100)
    flagged = {s["title"]: s["reason"] for g in full["groups"] if g["kind"] == "funding_gap" for s in g["signals"]}
    assert {t for t in flagged if t.startswith("Test:")} == {"Test: saknas", "Test: för mycket"}
    assert flagged["Test: saknas"] == (
        "Finansiärerna summerar till 600\u00a0000 kr för hela perioden men budgeten är 1\u00a0000\u00a0000 kr "
        "för hela perioden: 400\u00a0000 kr för hela perioden saknar finansiär."
    )
    assert flagged["Test: för mycket"] == (
        "Finansiärerna summerar till 600\u00a0000 kr/år, 100\u00a0000 kr mer än budgeten 500\u00a0000 kr/år."
    )


def test_phases_outside_the_frame_are_listed_in_the_same_order_in_both(seeded):
    today = dt.date(2019, 6, 1)
    add_cases(seeded, today)
    full = assert_summary_agrees(seeded, Filter("Vännäs"), today, limit=2)
    [phases] = [[s["title"] for s in g["signals"]] for g in full["groups"] if g["kind"] == "phase_outside"]
    # By project, then start date, then the order they were added in.
    assert phases == ["Test: etapper: Tidig", "Test: etapper: Sen B", "Test: etapper: Sen A"]
    full = assert_summary_agrees(seeded, Filter(), today, limit=1)
    [phases] = [[s["title"] for s in g["signals"]] for g in full["groups"] if g["kind"] == "phase_outside"]
    assert "Test: bara slutdatum: Efter" in phases


def test_a_history_record_without_an_id_does_not_hide_the_stale_projects(seeded):
    today = dt.date.today() + dt.timedelta(days=30)
    seeded.add(Meeting(kind="kommunchefsmöte", date=today - dt.timedelta(days=1)))
    seeded.add(ChangeRecord(at=dt.datetime.combine(today, dt.time(8), tzinfo=dt.UTC), username="t", source="t",
                            entity="project", entity_id=None, action="update", before={}, after={}))  # fmt: skip
    seeded.flush()
    full = assert_summary_agrees(seeded, Filter(), today)
    stale = next(g for g in full["groups"] if g["kind"] == "not_updated")["signals"]
    assert len([s for s in stale if s["entity"] == "project"]) == 8  # every seeded project (none is closed)


def test_the_summary_spills_from_stale_projects_into_stale_activities(seeded):
    today = dt.date.today() + dt.timedelta(days=30)
    seeded.add(Meeting(kind="kommunchefsmöte", date=today - dt.timedelta(days=1)))
    seeded.flush()
    for kommun in (None, "Vännäs"):
        full = assert_summary_agrees(seeded, Filter(kommun), today, limit=10)
        [stale] = [g["signals"] for g in full["groups"] if g["kind"] == "not_updated"]
        entities = [s["entity"] for s in stale[:10]]
        assert "project" in entities and "activity" in entities  # the first ten cross from projects to activities
    summary = signal_summary(seeded, Filter(), today=today, limit=10)
    [group] = [g for g in summary["groups"] if g["kind"] == "not_updated"]
    assert group["signals"][-1]["reason"].startswith("Uppdaterad senast ")
    assert group["signals"][-1]["link"] == "/verksamhetsplan?ar=2005"


def test_an_update_on_the_day_of_the_meeting_counts_as_updated_in_both(seeded):
    today = dt.date.today() + dt.timedelta(days=30)
    meeting_day = today - dt.timedelta(days=3)
    seeded.add(Meeting(kind="kommunchefsmöte", date=meeting_day))
    p, q = seeded.scalars(select(Project).where(Project.status == "pågår").order_by(Project.name).limit(2)).all()
    for project, at in ((p, dt.time(0, 0)), (q, dt.time(23, 59))):
        when = dt.datetime.combine(meeting_day - dt.timedelta(days=project is q), at, tzinfo=dt.UTC)
        record_change(seeded, username="t", source="t", entity="project", entity_id=project.id, action="update",
                      before={"status": "planerad"}, after={"status": "pågår"}, at=when)  # fmt: skip
    seeded.flush()
    full = assert_summary_agrees(seeded, Filter(), today, limit=1)
    stale = {
        s["id"]: s["reason"]
        for g in full["groups"]
        if g["kind"] == "not_updated"
        for s in g["signals"]
        if s["entity"] == "project"
    }
    assert p.id not in stale
    expected = f"Uppdaterad senast {(meeting_day - dt.timedelta(days=1)).isoformat()}, före kommunchefsmötet"
    assert stale[q.id].startswith(expected)


def test_an_empty_region_has_no_signals_in_either(session):
    for model in (Task, Phase, FundingLine, Project, Activity):
        session.query(model).delete()
    session.flush()
    summary = signal_summary(session, today=dt.date(2019, 9, 11))
    assert summary["count"] == 0 and all(g["count"] == 0 and g["signals"] == [] for g in summary["groups"])
    assert_summary_agrees(session, Filter("Vännäs"), dt.date(2019, 9, 11))


def _statements(session, call) -> list[str]:
    seen: list[str] = []
    engine = session.get_bind()

    def log(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", log)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", log)
    return seen


def test_the_summary_counts_in_sql_and_loads_only_the_rows_it_shows(seeded):
    today = dt.date.today() + dt.timedelta(days=30)
    seeded.add(Meeting(kind="kommunchefsmöte", date=today - dt.timedelta(days=1)))
    add_cases(seeded, today)
    seeded.expunge_all()
    before = _statements(seeded, lambda: signal_summary(seeded, Filter("Vännäs"), today=today))
    # No task, project or activity is loaded as an object, whatever their number.
    assert {type(o).__name__ for o in seeded.identity_map.values()} <= {"Meeting"}
    for i in range(30):
        seeded.add(Task(text=f"Fler {i}", due_date=today - dt.timedelta(days=i + 1), status="öppen"))
        seeded.add(Project(name=f"Fler {i}", status="pågår", end_date=today - dt.timedelta(days=1)))
    seeded.flush()
    seeded.expunge_all()
    after = _statements(seeded, lambda: signal_summary(seeded, today=today))
    assert len(after) == len(before) <= 14
    assert all("LIMIT" in s or "count(" in s.lower() or "meeting" in s or "IN (" in s for s in after)
