"""Headline figures, checked against values worked out here from the seed JSON."""

from __future__ import annotations

import datetime as dt

import pytest

from data.filters import Filter, UnknownMunicipality, parse_filter
from data.models import Project
from data.overview import overview_figures

from .helpers import OPEN, SEVEN, date, seed, seed_tasks, task_concerns


def months_in_frame(start: dt.date, end: dt.date) -> int:
    """Calendar months touched by start … end, counted one by one."""
    count, year, month = 0, start.year, start.month
    while (year, month) <= (end.year, end.month):
        count += 1
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return count


def expected_figures(kommun: str | None, today: dt.date) -> dict:
    projects = [p for p in seed("projects.json") if kommun is None or kommun in p["municipalities"]]
    total = without_budget = yearly_without_frame = 0
    for p in projects:
        if p["budget_amount"] is None:
            without_budget += 1
        elif p["budget_period"] == "år":
            if p["start_date"] and p["end_date"]:
                total += round(p["budget_amount"] * months_in_frame(date(p["start_date"]), date(p["end_date"])) / 12)
            else:
                yearly_without_frame += 1
        else:
            total += p["budget_amount"]
    tasks = [t for t in seed_tasks() if task_concerns(t, kommun)]
    open_tasks = [t for t in tasks if t["status"] in OPEN]
    return {
        "project_count": len(projects),
        "total_budget": total,
        "projects_without_budget": without_budget,
        "projects_yearly_budget_without_time_frame": yearly_without_frame,
        "open_tasks": len(open_tasks),
        "overdue_tasks": sum(1 for t in open_tasks if t["due_date"] and date(t["due_date"]) < today),
        "task_count": len(tasks),
    }


TODAYS = [dt.date(2019, 5, 16), dt.date(2019, 9, 1), dt.date(2020, 1, 1), dt.date(2030, 1, 1)]


@pytest.mark.parametrize("today", TODAYS)
@pytest.mark.parametrize("kommun", [None, *SEVEN])
def test_overview_figures_match_the_seed(seeded, kommun, today):
    assert overview_figures(seeded, Filter(kommun), today=today) == expected_figures(kommun, today)


def test_overview_figures_for_the_whole_region(seeded):
    figures = overview_figures(seeded, today=dt.date(2020, 1, 1))
    assert figures["project_count"] == 8
    # 4 650 000 kr/år × 2 years + 12,6 + 27,5 + 5,4 + 6,256 + 10 milj; Via Uma and Bio Fuel Region state no budget.
    assert figures["total_budget"] == 9_300_000 + 12_600_000 + 27_500_000 + 5_400_000 + 6_256_000 + 10_000_000
    assert figures["projects_without_budget"] == 2
    assert figures["open_tasks"] == figures["task_count"] == 15
    assert figures["overdue_tasks"] == 4


def test_overview_figures_for_vannas(seeded):
    figures = overview_figures(seeded, parse_filter(seeded, "Vännäs"), today=dt.date(2020, 1, 1))
    assert figures == {
        "project_count": 3,
        "total_budget": 9_300_000 + 27_500_000 + 5_400_000,
        "projects_without_budget": 0,
        "projects_yearly_budget_without_time_frame": 0,
        "open_tasks": 1,
        "overdue_tasks": 0,
        "task_count": 1,
    }


def test_overview_counts_a_yearly_budget_without_time_frame_apart(seeded):
    seeded.query(Project).filter_by(name="Botniabanan som tillväxtfaktor").one().end_date = None
    seeded.flush()
    figures = overview_figures(seeded, today=dt.date(2020, 1, 1))
    assert figures["projects_yearly_budget_without_time_frame"] == 1
    assert figures["total_budget"] == 12_600_000 + 27_500_000 + 5_400_000 + 6_256_000 + 10_000_000


def test_overview_figures_for_an_unknown_name_raise(seeded):
    with pytest.raises(UnknownMunicipality):
        overview_figures(seeded, parse_filter(seeded, "Stockholm"))
