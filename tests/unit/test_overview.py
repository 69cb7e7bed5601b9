"""The overview's figures, funding mix, deadlines and meetings, checked against values worked out here from the
seed JSON (or by Python's own arithmetic where the database does it in SQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from data.filters import Filter, UnknownMunicipality, parse_filter
from data.funding import whole_period_amount
from data.models import FUNDER_KINDS, FundingLine, Meeting, Plan, Project, Task
from data.overview import funding_shares, latest_meeting, next_deadlines, overview, overview_figures
from data.tasks import task_concerns as sql_task_concerns

from .helpers import OPEN, SEVEN, date, seed, seed_tasks, task_concerns


def months_in_frame(start: dt.date, end: dt.date) -> int:
    """Calendar months touched by start … end, counted one by one."""
    count, year, month = 0, start.year, start.month
    while (year, month) <= (end.year, end.month):
        count += 1
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return count


def whole(amount, period, start, end):
    """A seed amount over the project's whole time frame, counted month by month; None where it cannot be."""
    if amount is None:
        return None
    if period != "år":
        return amount
    if not (start and end):
        return None
    return round(amount * months_in_frame(date(start), date(end)) / 12)


def seed_projects(kommun: str | None) -> list[dict]:
    return [p for p in seed("projects.json") if kommun is None or kommun in p["municipalities"]]


def expected_figures(kommun: str | None, today: dt.date) -> dict:
    projects = seed_projects(kommun)
    total = without_budget = yearly_without_frame = 0
    for p in projects:
        amount = whole(p["budget_amount"], p["budget_period"], p["start_date"], p["end_date"])
        if p["budget_amount"] is None:
            without_budget += 1
        elif amount is None:
            yearly_without_frame += 1
        else:
            total += amount
    tasks = [t for t in seed_tasks() if task_concerns(t, kommun)]
    open_tasks = [t for t in tasks if t["status"] in OPEN]
    return {
        "project_count": len(projects),
        "active_projects": sum(p["status"] == "pågår" for p in projects),
        "total_budget": total,
        "projects_without_budget": without_budget,
        "projects_yearly_budget_without_time_frame": yearly_without_frame,
        "open_tasks": len(open_tasks),
        "overdue_tasks": sum(1 for t in open_tasks if t["due_date"] and date(t["due_date"]) < today),
        "task_count": len(tasks),
    }


def expected_funding(kommun: str | None) -> dict[str, int]:
    """Per kind of funder and "ej specificerat", from the seed (every seed project has one line per kind)."""
    amounts = dict.fromkeys([*FUNDER_KINDS, "ej specificerat"], 0)
    for p in seed_projects(kommun):
        frame = (p["start_date"], p["end_date"])
        funded = 0
        for f in p["funding"]:
            line = whole(f["amount"], f["period"], *frame)
            if line is not None:
                amounts[f["kind"]] += line
                funded += line
        budget = whole(p["budget_amount"], p["budget_period"], *frame)
        if budget is not None and budget > funded:
            amounts["ej specificerat"] += budget - funded
    return amounts


TODAYS = [dt.date(2019, 5, 16), dt.date(2019, 9, 1), dt.date(2020, 1, 1), dt.date(2030, 1, 1)]


@pytest.mark.parametrize("today", TODAYS)
@pytest.mark.parametrize("kommun", [None, *SEVEN])
def test_overview_figures_match_the_seed(seeded, kommun, today):
    assert overview_figures(seeded, Filter(kommun), today=today) == expected_figures(kommun, today)


def test_overview_figures_for_the_whole_region(seeded):
    figures = overview_figures(seeded, today=dt.date(2020, 1, 1))
    assert figures["project_count"] == 8
    # UME&Co, Stad och Land, Via Uma, Bibliotek 2007, LAPP and Bio Fuel Region have status pågår.
    assert figures["active_projects"] == 6
    # 4 650 000 kr/år × 2 years + 12,6 + 27,5 + 5,4 + 6,256 + 10 milj; Via Uma and Bio Fuel Region state no budget.
    assert figures["total_budget"] == 9_300_000 + 12_600_000 + 27_500_000 + 5_400_000 + 6_256_000 + 10_000_000
    assert figures["projects_without_budget"] == 2
    assert figures["open_tasks"] == figures["task_count"] == 15
    assert figures["overdue_tasks"] == 4


def test_overview_figures_for_vannas(seeded):
    figures = overview_figures(seeded, parse_filter(seeded, "Vännäs"), today=dt.date(2020, 1, 1))
    assert figures == {
        "project_count": 3,
        "active_projects": 1,
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


@pytest.mark.parametrize(
    "amount, start, end",
    [
        (1, dt.date(2005, 1, 1), dt.date(2005, 6, 30)),  # 0,5 → 0 (half to even)
        (3, dt.date(2005, 1, 1), dt.date(2005, 6, 30)),  # 1,5 → 2
        (100_001, dt.date(2005, 3, 15), dt.date(2005, 8, 1)),  # 50 000,5 → 50 000
        (250_000, dt.date(2004, 11, 1), dt.date(2006, 4, 30)),  # 18 months
        (1_000_000, dt.date(2005, 12, 31), dt.date(2006, 1, 1)),  # two calendar months
        (777_777, dt.date(2003, 2, 1), dt.date(2009, 10, 31)),
    ],
)
def test_the_budget_total_places_yearly_amounts_as_data_funding_does(seeded, amount, start, end):
    before = overview_figures(seeded)["total_budget"]
    seeded.add(Project(name="Prov", budget_amount=amount, budget_period="år", start_date=start, end_date=end))
    seeded.flush()
    assert overview_figures(seeded)["total_budget"] - before == whole_period_amount(amount, "år", start, end)


def test_overview_figures_for_an_unknown_name_raise(seeded):
    with pytest.raises(UnknownMunicipality):
        overview_figures(seeded, parse_filter(seeded, "Stockholm"))


@pytest.mark.parametrize("kommun", [None, *SEVEN])
def test_the_overview_task_filter_agrees_with_the_task_service(seeded, kommun):
    """The overview counts with semi-joins of its own; they must select exactly what data.tasks selects."""
    expected = seeded.scalar(select(func.count()).select_from(Task).where(sql_task_concerns(Filter(kommun))))
    if kommun is None:
        expected = seeded.scalar(select(func.count()).select_from(Task))
    assert overview_figures(seeded, Filter(kommun))["task_count"] == expected


# --- funding mix ---------------------------------------------------------------------------------------------------


def shares(result: dict) -> dict[str, int]:
    return {r["kind"]: r["amount"] for r in result["rows"]}


@pytest.mark.parametrize("kommun", [None, *SEVEN])
def test_funding_shares_match_the_seed(seeded, kommun):
    result = funding_shares(seeded, Filter(kommun))
    assert shares(result) == expected_funding(kommun)
    assert result["total"] == sum(expected_funding(kommun).values())
    if result["total"]:
        assert sum(r["share"] for r in result["rows"]) == pytest.approx(1)


def test_funding_shares_for_the_whole_region(seeded):
    result = funding_shares(seeded)
    # Botniabanan over its two years: 2 400 000, 750 000, 350 000, 200 000 and 200 000 kr/år, times two.
    assert shares(result) == {
        "kommunerna": 4_800_000,
        "EU": 1_500_000,
        "stat": 0,
        "region/landsting": 700_000,
        "universitet": 400_000,
        "privat": 400_000,
        "övrigt": 0,
        # 750 000 kr/år × 2 from Botniabanan; the rest is budgets with no funder amounts.
        "ej specificerat": 1_500_000 + 12_600_000 + 27_500_000 + 5_400_000 + 6_256_000 + 10_000_000,
    }
    assert result["total"] == 71_056_000
    # Stad och Land (four funders) and TURK (one) name funders without amounts.
    assert result["projects_with_uncounted_funders"] == 2
    assert result["uncounted_lines"] == 5
    assert result["unspecified_with_uncounted_funders"] == 27_500_000 + 5_400_000
    assert result["projects_funded_above_budget"] == 0
    by_kind = {r["kind"]: r["share"] for r in result["rows"]}
    assert by_kind["kommunerna"] == pytest.approx(4_800_000 / 71_056_000)


def test_funding_shares_for_vannas(seeded):
    result = funding_shares(seeded, parse_filter(seeded, "Vännäs"))
    assert result["total"] == 9_300_000 + 27_500_000 + 5_400_000
    assert shares(result)["ej specificerat"] == 1_500_000 + 27_500_000 + 5_400_000


def test_funders_above_the_budget_count_with_their_own_amounts(seeded):
    p = seeded.query(Project).filter_by(name="Bibliotek 2007").one()
    p.funding_lines.append(FundingLine(funder="Statens kulturråd", kind="stat", amount=7_000_000, period="totalt"))
    seeded.flush()
    result = funding_shares(seeded)
    assert shares(result)["stat"] == 7_000_000
    assert shares(result)["ej specificerat"] == 63_256_000 - 6_256_000
    assert result["projects_funded_above_budget"] == 1
    assert result["total"] == 71_056_000 + 7_000_000 - 6_256_000


def test_a_yearly_funder_of_a_project_without_dates_is_counted_apart(seeded):
    p = seeded.query(Project).filter_by(name="Bio Fuel Region").one()
    p.funding_lines.append(FundingLine(funder="Energimyndigheten", kind="stat", amount=500_000, period="år"))
    p.funding_lines.append(FundingLine(funder="Skogsägarna", kind="privat", amount=300_000, period="totalt"))
    seeded.flush()
    result = funding_shares(seeded)
    assert shares(result)["stat"] == 0
    assert shares(result)["privat"] == 400_000 + 300_000
    assert result["uncounted_lines"] == 5 + 1
    assert result["projects_with_uncounted_funders"] == 3


def test_a_funder_without_a_period_counts_as_a_whole_period_amount(seeded):
    p = seeded.query(Project).filter_by(name="UME&Co").one()
    p.funding_lines.append(FundingLine(funder="Umeå kommun", kind="kommunerna", amount=2_000_000, period=None))
    seeded.flush()
    assert shares(funding_shares(seeded))["kommunerna"] == 4_800_000 + 2_000_000


def test_funding_shares_without_any_money(seeded):
    result = funding_shares(seeded, parse_filter(seeded, "Örnsköldsvik"))
    assert result["total"] == 0
    assert all(r["share"] is None for r in result["rows"])


# --- deadlines and meetings ----------------------------------------------------------------------------------------


def test_next_deadlines_are_the_open_tasks_due_soonest_from_today(seeded):
    result = next_deadlines(seeded, today=dt.date(2019, 9, 1), limit=3)
    assert not result["overdue"]
    dated = sorted(
        (date(t["due_date"]), t["text"])
        for t in seed_tasks()
        if t["status"] in OPEN and t["due_date"] and date(t["due_date"]) >= dt.date(2019, 9, 1)
    )
    assert result["count"] == len(dated) == 4
    assert [t["due_date"] for t in result["tasks"]] == ["2019-11-30"] * 3
    assert all(not t["overdue"] for t in result["tasks"])


def test_when_every_date_has_passed_the_overdue_tasks_show_longest_overdue_first(seeded):
    result = next_deadlines(seeded, today=dt.date(2030, 1, 1))
    assert result["overdue"]
    assert result["count"] == 5
    assert [t["due_date"] for t in result["tasks"]] == [
        "2019-08-22",
        "2019-11-30",
        "2019-11-30",
        "2019-11-30",
        "2021-01-01",
    ]
    assert all(t["overdue"] for t in result["tasks"])
    first = result["tasks"][0]
    assert first["due_text"] == "till kommunchefsmötet i augusti"
    assert first["meeting_date"] == "2019-05-16"


def test_next_deadlines_leave_out_closed_tasks_and_honour_the_filter(seeded):
    vannas = parse_filter(seeded, "Vännäs")
    result = next_deadlines(seeded, vannas, today=dt.date(2020, 1, 1))
    assert [t["owners"] for t in result["tasks"]] == [["Vännäs kommun"]]
    seeded.query(Task).filter_by(due_text="Avfallsplanen från 2021").one().status = "klar"
    seeded.flush()
    assert next_deadlines(seeded, vannas, today=dt.date(2020, 1, 1))["tasks"] == []


def meeting_id(session, day: str) -> int:
    return session.scalar(select(Meeting.id).where(Meeting.date == dt.date.fromisoformat(day)))


def test_latest_meeting_is_the_newest_on_or_before_today_and_the_next_follows(seeded):
    result = latest_meeting(seeded, today=dt.date(2019, 6, 1))
    assert result["latest"]["date"] == "2019-05-16"
    assert result["latest"]["kind"] == "kommunchefsmöte"
    assert result["latest"]["place"] == "Skellefteå stadshus samt via länk"
    assert result["latest"]["id"] == meeting_id(seeded, "2019-05-16")
    assert (result["latest"]["tasks"], result["latest"]["open_tasks"]) == (15, 15)
    assert result["next"]["date"] == "2019-06-20"
    assert latest_meeting(seeded, today=dt.date(2019, 5, 16))["latest"]["date"] == "2019-05-16"


def test_latest_meeting_today_and_before_the_first(seeded):
    result = latest_meeting(seeded, today=dt.date(2026, 11, 23))
    assert result["latest"]["date"] == "2019-08-22"
    assert result["next"] is None
    assert latest_meeting(seeded, today=dt.date(2019, 1, 1))["latest"] is None


def test_latest_meeting_counts_only_the_tasks_that_concern_the_filter(seeded):
    result = latest_meeting(seeded, parse_filter(seeded, "Örnsköldsvik"), today=dt.date(2019, 6, 1))
    assert result["latest"]["tasks"] == sum(task_concerns(t, "Örnsköldsvik") for t in seed_tasks()) == 3


def test_overview_gathers_the_latest_plan_and_its_focus_areas(seeded):
    data = overview(seeded, today=dt.date(2026, 11, 23))
    assert data["plan"]["year"] == 2005
    assert [fa["name"] for fa in data["focus_areas"]] == [fa["name"] for fa in seed("plan_2005.json")["focus_areas"]]
    assert data["today"] == "2026-11-23"


def test_overview_without_a_plan(seeded):
    for plan in seeded.query(Plan):
        seeded.delete(plan)
    seeded.flush()
    data = overview(seeded)
    assert data["plan"] is None and data["focus_areas"] == []
