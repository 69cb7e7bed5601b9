"""The presentation's slide queries: counts over everything, the first few rows in a stated order, per municipality."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from data.filters import Filter
from data.models import FocusArea, Meeting, Plan, Project, Task
from data.presentation import (
    focus_area_counts,
    focus_area_slide,
    funding_overview,
    latest_plan_outline,
    open_tasks_slide,
    project_status_counts,
    timeline_rows,
    yearly_amount,
)

from .helpers import OPEN, seed, seed_tasks, task_concerns

TODAY = dt.date(2026, 11, 23)
VANNAS = Filter("Vännäs")


def focus_area_id(session, name: str) -> int:
    return session.scalars(select(FocusArea.id).where(FocusArea.name == name)).one()


def test_the_outline_is_the_newest_plan_with_its_focus_areas_in_plan_order(seeded):
    outline = latest_plan_outline(seeded)
    assert outline["year"] == 2005
    assert outline["title"] == "Umeåregionens verksamhetsplan 2005"
    assert [fa["name"] for fa in outline["focus_areas"]] == [fa["name"] for fa in seed("plan_2005.json")["focus_areas"]]
    json.dumps(outline)


def test_a_newer_plan_replaces_the_outline(seeded):
    seeded.add(Plan(year=2006, title="Verksamhetsplan 2006", focus_areas=[FocusArea(name="Ett enda", position=0)]))
    seeded.flush()
    outline = latest_plan_outline(seeded)
    assert (outline["year"], [fa["name"] for fa in outline["focus_areas"]]) == (2006, ["Ett enda"])


def test_without_a_plan_there_is_no_outline(databases):
    from data.db import make_engine, make_session_factory

    engine = make_engine(databases.fresh(seed=False))
    try:
        with make_session_factory(engine)() as s:
            assert latest_plan_outline(s) is None
    finally:
        engine.dispose()


def test_project_statuses_are_counted_running_first(seeded):
    projects = seed("projects.json")
    assert project_status_counts(seeded) == {"pågår": 6, "planerad": 2}
    assert sum(project_status_counts(seeded).values()) == len(projects)
    assert project_status_counts(seeded, VANNAS) == {"pågår": 1, "planerad": 2}


def test_focus_areas_are_counted_for_the_overview(seeded):
    outline = latest_plan_outline(seeded)
    ids = {fa["name"]: fa["id"] for fa in outline["focus_areas"]}
    counts = focus_area_counts(seeded, list(ids.values()))
    assert counts[ids["Närings- och utveckling"]] == {
        "activity_status_counts": {"pågår": 4, "planerad": 1},
        "project_count": 4,
    }
    assert counts[ids["Förnyelse av offentlig verksamhet"]] == {
        "activity_status_counts": {"pågår": 1, "planerad": 8},
        "project_count": 0,
    }
    assert sum(c["project_count"] for c in counts.values()) == len(seed("projects.json"))
    vannas = focus_area_counts(seeded, list(ids.values()), VANNAS)
    assert vannas[ids["Närings- och utveckling"]]["project_count"] == 3
    assert sum(c["project_count"] for c in vannas.values()) == 3
    assert focus_area_counts(seeded, []) == {}


def test_a_focus_area_lists_activities_in_plan_order_and_projects_running_first(seeded):
    area = focus_area_slide(seeded, focus_area_id(seeded, "Närings- och utveckling"), Filter())
    plan = {fa["name"]: fa for fa in seed("plan_2005.json")["focus_areas"]}
    assert [a["title"] for a in area["activities"]] == [
        a["title"] for a in plan["Närings- och utveckling"]["activities"]
    ]
    assert area["activity_count"] == 5
    assert area["activity_status_counts"] == {"pågår": 4, "planerad": 1}
    assert [p["name"] for p in area["projects"]] == [
        "Stad och Land",
        "UME&Co",
        "Botniabanan som tillväxtfaktor",
        "Tillväxt i Umeåregionens kranskommuner (TURK)",
    ]
    assert [p["status"] for p in area["projects"]] == ["pågår", "pågår", "planerad", "planerad"]
    json.dumps(area)


def test_a_focus_area_cuts_its_lists_but_counts_everything(seeded):
    area = focus_area_slide(seeded, focus_area_id(seeded, "Förnyelse av offentlig verksamhet"), limit=3)
    assert len(area["activities"]) == 3
    assert area["activity_count"] == 9
    assert sum(area["activity_status_counts"].values()) == 9
    assert area["projects"] == [] and area["project_count"] == 0


def test_a_focus_area_shows_only_the_municipalitys_projects(seeded):
    area = focus_area_slide(seeded, focus_area_id(seeded, "Närings- och utveckling"), VANNAS)
    assert [p["name"] for p in area["projects"]] == [
        "Stad och Land",
        "Botniabanan som tillväxtfaktor",
        "Tillväxt i Umeåregionens kranskommuner (TURK)",
    ]
    assert list(area["project_status_counts"].items()) == [("pågår", 1), ("planerad", 2)]
    assert area["activity_count"] == 5  # the plan's activities are the region's, not one municipality's


def test_the_timeline_orders_by_start_and_names_projects_without_a_time_frame(seeded):
    timeline = timeline_rows(seeded, today=TODAY)
    assert [r["name"] for r in timeline["rows"]] == [
        "Bibliotek 2007",
        "Stad och Land",
        "UME&Co",
        "LAPP; Local Action Plans in Progress",
        "Botniabanan som tillväxtfaktor",
        "Tillväxt i Umeåregionens kranskommuner (TURK)",
    ]
    assert (timeline["total"], timeline["dated_count"], timeline["undated_count"]) == (8, 6, 2)
    assert [r["name"] for r in timeline["undated"]] == ["Bio Fuel Region", "Via Uma"]
    assert timeline["undated"][1]["time_frame_text"] == "t o m juli 2005"
    bibliotek = timeline["rows"][0]
    assert bibliotek["phases"] == [
        {"name": "Etapp 1", "start_date": "2001-05-01", "end_date": "2002-12-31"},
        {"name": "Etapp 2", "start_date": "2003-01-01", "end_date": "2005-12-31"},
    ]
    json.dumps(timeline)


def test_the_timeline_keeps_the_projects_nearest_today(seeded):
    timeline = timeline_rows(seeded, today=dt.date(2006, 6, 1), limit=3)
    # Botniabanan and TURK run on that day; UME&Co ended three months before; the rest ended in 2005 or earlier.
    assert [r["name"] for r in timeline["rows"]] == [
        "UME&Co",
        "Botniabanan som tillväxtfaktor",
        "Tillväxt i Umeåregionens kranskommuner (TURK)",
    ]
    assert timeline["dated_count"] == 6


def test_the_timeline_for_vannas(seeded):
    timeline = timeline_rows(seeded, VANNAS, today=TODAY)
    assert [r["name"] for r in timeline["rows"]] == [
        "Stad och Land",
        "Botniabanan som tillväxtfaktor",
        "Tillväxt i Umeåregionens kranskommuner (TURK)",
    ]
    assert timeline["undated_count"] == 0


@pytest.mark.parametrize(
    ("amount", "period", "months", "expected"),
    [
        (4_650_000, "år", None, 4_650_000),
        (12_000, "totalt", 24, 6_000),
        (5_600, "totalt", 7, 5_600 * 12 / 7),
        (12_000, "totalt", None, None),
        (None, "år", 12, None),
        (100, None, 12, None),
    ],
)
def test_yearly_amount(amount, period, months, expected):
    assert yearly_amount(amount, period, months) == expected


def test_a_funder_without_a_period_leaves_the_sum_undetermined(seeded):
    botnia = seeded.scalars(select(Project).where(Project.name == "Botniabanan som tillväxtfaktor")).one()
    botnia.funding_lines[0].period = None
    seeded.flush()
    rows = {r["name"]: r for r in funding_overview(seeded)["projects"]}
    # The same answer as data.funding.funding_summary gives from the lines themselves.
    assert rows["Botniabanan som tillväxtfaktor"]["funding_sum"] is None
    assert rows["Botniabanan som tillväxtfaktor"]["unspecified_yearly"] is None


def test_funding_compares_budget_and_funders_per_year(seeded):
    funding = funding_overview(seeded)
    rows = {r["name"]: r for r in funding["projects"]}
    botnia = rows["Botniabanan som tillväxtfaktor"]
    assert (botnia["budget_yearly"], botnia["funding_yearly"], botnia["unspecified_yearly"]) == (
        4_650_000,
        3_900_000,
        750_000,
    )
    assert botnia["unspecified_amount"] == 750_000
    # A budget for the whole period is spread over the project's months: 27 500 000 kr over 36 months.
    assert rows["Stad och Land"]["budget_yearly"] == pytest.approx(27_500_000 / 3)
    # Four funders without an amount: the gap cannot be known.
    assert rows["Stad och Land"]["unspecified_yearly"] is None
    assert rows["Stad och Land"]["funding_unknown_count"] == 4
    # No funders at all: the whole budget is unspecified.
    assert rows["LAPP; Local Action Plans in Progress"]["unspecified_yearly"] == pytest.approx(6_000_000)
    assert [r["name"] for r in funding["projects"]][:2] == ["Stad och Land", "LAPP; Local Action Plans in Progress"]
    assert (funding["project_count"], funding["with_budget_count"], funding["without_budget_count"]) == (8, 6, 2)
    assert funding["undetermined_count"] == 2
    assert funding["by_kind"] == {
        "kommunerna": 2_400_000,
        "EU": 750_000,
        "region/landsting": 350_000,
        "universitet": 200_000,
        "privat": 200_000,
    }
    assert funding["kinds_without_amount"] == {"EU": 2, "stat": 1, "region/landsting": 1, "kommunerna": 1}
    assert funding["unspecified_yearly"] == pytest.approx(
        750_000 + 6_000_000 + 12_600_000 * 12 / 39 + 6_256_000 * 12 / 56
    )
    json.dumps(funding)


def test_funding_shows_the_largest_budgets_first_and_counts_the_rest(seeded):
    funding = funding_overview(seeded, limit=2)
    assert len(funding["projects"]) == 2
    assert funding["with_budget_count"] == 6
    assert funding["budget_yearly"] == pytest.approx(
        27_500_000 / 3 + 6_000_000 + 4_650_000 + 12_600_000 * 12 / 39 + 2_700_000 + 6_256_000 * 12 / 56
    )


def test_funding_for_vannas(seeded):
    funding = funding_overview(seeded, VANNAS)
    assert [r["name"] for r in funding["projects"]] == [
        "Stad och Land",
        "Botniabanan som tillväxtfaktor",
        "Tillväxt i Umeåregionens kranskommuner (TURK)",
    ]
    assert funding["unspecified_yearly"] == 750_000
    assert funding["by_kind"]["kommunerna"] == 2_400_000


def test_open_tasks_are_counted_and_those_due_nearest_today_shown(seeded):
    expected = [t for t in seed_tasks() if t["status"] in OPEN]
    overdue = [t for t in expected if t["due_date"] and t["due_date"] < TODAY.isoformat()]
    tasks = open_tasks_slide(seeded, today=TODAY, limit=4)
    assert (tasks["open_count"], tasks["overdue_count"]) == (len(expected), len(overdue))
    assert (tasks["open_count"], tasks["overdue_count"]) == (15, 5)
    # Nearest today (2026): the one due 2021-01-01, then the three due 2019-11-30; in order of date.
    assert [t["due_date"] for t in tasks["tasks"]] == ["2019-11-30", "2019-11-30", "2019-11-30", "2021-01-01"]
    assert all(t["overdue"] for t in tasks["tasks"])
    by_text = {t["text"][:20]: t for t in tasks["tasks"]}
    assert by_text["Ta fram en gemensam "]["due_text"] == "Avfallsplanen från 2021"
    assert by_text["Ta fram en gemensam "]["owners"] == ["Vännäs kommun"]
    json.dumps(tasks)


def test_tasks_due_soon_and_just_overdue_are_both_near(seeded):
    tasks = open_tasks_slide(seeded, today=dt.date(2019, 9, 1), limit=2)
    # 2019-08-22 passed ten days ago; 2019-11-30 is three months away.
    assert [t["due_date"] for t in tasks["tasks"]] == ["2019-08-22", "2019-11-30"]
    assert [t["overdue"] for t in tasks["tasks"]] == [True, False]
    assert tasks["overdue_count"] == 1


def test_tasks_without_a_date_fill_up_the_list_last(seeded):
    tasks = open_tasks_slide(seeded, today=dt.date(2019, 6, 1), limit=20)
    assert tasks["overdue_count"] == 0
    assert not any(t["overdue"] for t in tasks["tasks"])
    assert len(tasks["tasks"]) == 15
    dates = [t["due_date"] for t in tasks["tasks"]]
    dated = [d for d in dates if d]
    assert len(dated) == 5 and dates[:5] == sorted(dated)
    assert all(d is None for d in dates[5:])


def test_closed_tasks_are_not_open(seeded):
    task = seeded.scalars(select(Task).where(Task.due_date == dt.date(2019, 8, 22))).one()
    task.status = "klar"
    seeded.flush()
    tasks = open_tasks_slide(seeded, today=TODAY)
    assert (tasks["open_count"], tasks["overdue_count"]) == (14, 4)
    assert task.id not in [t["id"] for t in tasks["tasks"]]


@pytest.mark.parametrize("kommun", ["Vännäs", "Örnsköldsvik", "Umeå"])
def test_open_tasks_for_a_municipality(seeded, kommun):
    expected = [t for t in seed_tasks() if t["status"] in OPEN and task_concerns(t, kommun)]
    tasks = open_tasks_slide(seeded, Filter(kommun), today=TODAY, limit=50)
    assert tasks["open_count"] == len(expected)
    assert sorted(t["text"] for t in tasks["tasks"]) == sorted(t["text"] for t in expected)


def test_large_data_is_cut_to_the_first_rows(seeded):
    area = seeded.scalars(select(FocusArea).where(FocusArea.name == "Omvärldsanalys")).one()
    meeting = seeded.scalars(select(Meeting)).first()
    for n in range(40):
        seeded.add(
            Project(
                name=f"Extraprojekt {n:02d}",
                focus_area=area,
                status="pågår",
                start_date=dt.date(2026, 1, 1),
                end_date=dt.date(2027, 12, 31),
                budget_amount=1_000_000 + n,
                budget_period="år",
            )
        )
        seeded.add(Task(meeting=meeting, text=f"Extrauppdrag {n}", status="öppen", due_date=dt.date(2027, 1, 1)))
    seeded.flush()
    slide = focus_area_slide(seeded, area.id, limit=8)
    assert (len(slide["projects"]), slide["project_count"]) == (8, 40)
    assert [p["name"] for p in slide["projects"]] == [f"Extraprojekt {n:02d}" for n in range(8)]
    timeline = timeline_rows(seeded, today=TODAY, limit=10)
    assert len(timeline["rows"]) == 10 and timeline["dated_count"] == 46
    assert all(r["name"].startswith("Extraprojekt") for r in timeline["rows"])  # they run today
    funding = funding_overview(seeded, limit=8)
    assert len(funding["projects"]) == 8 and funding["with_budget_count"] == 46
    tasks = open_tasks_slide(seeded, today=TODAY, limit=6)
    assert len(tasks["tasks"]) == 6 and tasks["open_count"] == 55
    assert all(t["text"].startswith("Extrauppdrag") for t in tasks["tasks"])  # due in 2027: nearer than 2021
