"""The project timeline's data: which projects a page of the Gantt chart draws and in what order, its filters, its
paging, the phases inside each project, the projects without dates, and the table's rows."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, select

from data.filters import Filter
from data.models import FocusArea, Project
from data.timeline import (
    PAGE_SIZE,
    UNDATED_SHOWN,
    TimelineFilter,
    page_number,
    project_table_rows,
    timeline_filter_from_params,
    timeline_options,
    timeline_page,
)

from .helpers import SEVEN, seed

TODAY = dt.date(2026, 11, 23)
BOTNIA = "Botniabanan som tillväxtfaktor"
TURK = "Tillväxt i Umeåregionens kranskommuner (TURK)"
# The seed's projects in the timeline's order: focus areas as the plan lists them, then by start date and name.
TIMELINE_ORDER = [
    "Stad och Land",  # Närings- och utveckling, 2003-01-01
    "UME&Co",  # 2003-01-01
    BOTNIA,  # 2005-01-01
    TURK,  # 2005-01-01
    "Via Uma",  # Infrastruktur, only an end date (2005-07-31)
    "Bibliotek 2007",  # Kultur och kompetensutveckling, 2001-05-01
    "LAPP; Local Action Plans in Progress",  # 2003-11-01
]


def names(rows):
    return [r["name"] for r in rows]


def page(session, flt: Filter = Filter(), tf: TimelineFilter | None = None, **kw):
    return timeline_page(session, flt, tf or TimelineFilter(), today=TODAY, **kw)


# --- the URL's filter -------------------------------------------------------------------------------------------------


def test_filter_from_params_reads_every_parameter():
    tf, problems = timeline_filter_from_params(
        {"insatsomrade": "Infrastruktur", "status": "pågår", "fran": "2003", "till": "2005", "kommun": "Umeå"}
    )
    assert tf == TimelineFilter("Infrastruktur", "pågår", 2003, 2005)
    assert problems == []


def test_filter_from_no_params_is_no_filter():
    assert timeline_filter_from_params({}) == (TimelineFilter(), [])


@pytest.mark.parametrize(
    "params, expected, problem",
    [
        ({"status": "klar"}, TimelineFilter(), "Okänd status ”klar”"),
        ({"fran": "tjugohundra"}, TimelineFilter(), "inget årtal"),
        ({"till": "99999"}, TimelineFilter(), "utanför"),
        ({"fran": "2006", "till": "2004"}, TimelineFilter(from_year=2004, to_year=2006), "senare än"),
    ],
)
def test_filter_from_params_says_what_it_did_not_understand(params, expected, problem):
    tf, problems = timeline_filter_from_params(params)
    assert tf == expected
    assert len(problems) == 1 and problem in problems[0], problems


@pytest.mark.parametrize("value, expected", [(None, 1), ("3", 3), ("0", 1), ("-2", 1), ("x", 1), ("", 1)])
def test_page_number_is_a_page_from_one(value, expected):
    assert page_number({} if value is None else {"sida": value}) == expected


# --- options ----------------------------------------------------------------------------------------------------------


def test_options_list_the_focus_areas_in_the_plans_order_and_the_years_through_today(seeded):
    options = timeline_options(seeded, today=TODAY)
    plan = seed("plan_2005.json")
    assert options["focus_areas"] == [fa["name"] for fa in plan["focus_areas"]]
    assert options["statuses"] == ["planerad", "pågår", "avslutad", "pausad"]
    # From the first start through this year, so that a window can reach today.
    assert options["years"] == list(range(2001, 2027))
    assert timeline_options(seeded, today=dt.date(2005, 6, 1))["years"] == list(range(2001, 2007))


# --- the timeline -----------------------------------------------------------------------------------------------------


def test_timeline_shows_every_dated_project_grouped_by_focus_area(seeded):
    data = page(seeded)
    assert names(data["rows"]) == TIMELINE_ORDER
    assert [r["focus_area"] for r in data["rows"]] == ["Närings- och utveckling"] * 4 + ["Infrastruktur"] + [
        "Kultur och kompetensutveckling"
    ] * 2
    assert (data["total"], data["page"], data["pages"], data["first"], data["last"]) == (7, 1, 1, 1, 7)
    assert data["today"] == "2026-11-23"


def test_timeline_rows_carry_dates_status_and_the_source_text(seeded):
    rows = {r["name"]: r for r in page(seeded)["rows"]}
    by_seed = {p["name"]: p for p in seed("projects.json")}
    for name, row in rows.items():
        s = by_seed[name]
        assert (row["start_date"], row["end_date"], row["status"], row["time_frame_text"]) == (
            s["start_date"],
            s["end_date"],
            s["status"],
            s["time_frame_text"],
        )
    assert rows["Via Uma"]["start_date"] is None and rows["Via Uma"]["end_date"] == "2005-07-31"


def test_projects_without_dates_are_listed_apart_not_dropped(seeded):
    data = page(seeded)
    assert data["undated_total"] == 1
    assert [(u["name"], u["focus_area"], u["status"]) for u in data["undated"]] == [
        ("Bio Fuel Region", "Den hållbara Umeåregionen", "pågår")
    ]
    assert "Bio Fuel Region" not in names(data["rows"])


def test_phases_lie_inside_their_project(seeded):
    rows = {r["name"]: r for r in page(seeded)["rows"]}
    bibliotek = rows["Bibliotek 2007"]
    assert bibliotek["phases"] == [
        {"name": "Etapp 1", "start_date": "2001-05-01", "end_date": "2002-12-31"},
        {"name": "Etapp 2", "start_date": "2003-01-01", "end_date": "2005-12-31"},
    ]
    for ph in bibliotek["phases"]:
        assert bibliotek["start_date"] <= ph["start_date"] <= ph["end_date"] <= bibliotek["end_date"]
    assert all(r["phases"] == [] for name, r in rows.items() if name != "Bibliotek 2007")


def test_axis_spans_first_start_to_the_day_after_the_last_end(seeded):
    assert page(seeded)["axis"] == ("2001-05-01", "2007-01-01")


def test_vannas_sees_botniabanan_stad_och_land_and_turk(seeded):
    data = page(seeded, Filter("Vännäs"))
    assert sorted(names(data["rows"])) == sorted([BOTNIA, "Stad och Land", TURK])
    assert data["total"] == 3 and data["undated_total"] == 0


@pytest.mark.parametrize("kommun", SEVEN)
def test_each_municipality_sees_the_projects_that_name_it(seeded, kommun):
    data = page(seeded, Filter(kommun))
    expected = {p["name"] for p in seed("projects.json") if kommun in p["municipalities"]}
    assert set(names(data["rows"])) | {u["name"] for u in data["undated"]} == expected


def test_ornskoldsvik_has_no_projects_and_no_axis(seeded):
    data = page(seeded, Filter("Örnsköldsvik"))
    assert (data["rows"], data["total"], data["undated"], data["axis"]) == ([], 0, [], None)
    assert (data["first"], data["last"], data["pages"]) == (0, 0, 1)


def test_focus_area_filter_keeps_that_area(seeded):
    data = page(seeded, tf=TimelineFilter(focus_area="Kultur och kompetensutveckling"))
    assert names(data["rows"]) == ["Bibliotek 2007", "LAPP; Local Action Plans in Progress"]
    assert data["undated_total"] == 0


def test_unknown_focus_area_keeps_nothing(seeded):
    assert page(seeded, tf=TimelineFilter(focus_area="Rymdfart"))["total"] == 0


def test_status_filter_keeps_that_status(seeded):
    data = page(seeded, tf=TimelineFilter(status="planerad"))
    assert names(data["rows"]) == [BOTNIA, TURK]
    assert data["undated_total"] == 0  # Bio Fuel Region is "pågår"


def test_time_window_keeps_projects_that_overlap_it(seeded):
    data = page(seeded, tf=TimelineFilter(from_year=2006))
    assert names(data["rows"]) == ["UME&Co", BOTNIA, TURK]
    assert data["axis"] == ("2006-01-01", "2007-01-01")
    # A project without dates cannot be placed in a window either: it stays listed.
    assert names(data["undated"]) == ["Bio Fuel Region"]


def test_time_window_counts_a_missing_start_as_open(seeded):
    data = page(seeded, tf=TimelineFilter(to_year=2002))
    assert names(data["rows"]) == ["Via Uma", "Bibliotek 2007"]
    assert data["axis"] == ("2001-05-01", "2003-01-01")


def test_time_window_of_one_year(seeded):
    data = page(seeded, tf=TimelineFilter(from_year=2004, to_year=2004))
    assert set(names(data["rows"])) == {
        "Stad och Land",
        "UME&Co",
        "Via Uma",
        "Bibliotek 2007",
        "LAPP; Local Action Plans in Progress",
    }
    assert data["axis"] == ("2004-01-01", "2005-01-01")


def test_filters_combine(seeded):
    data = page(seeded, Filter("Vännäs"), TimelineFilter(focus_area="Närings- och utveckling", status="pågår"))
    assert names(data["rows"]) == ["Stad och Land"]


# --- paging -----------------------------------------------------------------------------------------------------------


def test_pages_follow_the_timeline_order(seeded):
    pages = [page(seeded, page=n, page_size=3) for n in (1, 2, 3)]
    assert [names(p["rows"]) for p in pages] == [TIMELINE_ORDER[0:3], TIMELINE_ORDER[3:6], TIMELINE_ORDER[6:]]
    assert [(p["first"], p["last"], p["pages"]) for p in pages] == [(1, 3, 3), (4, 6, 3), (7, 7, 3)]
    # The axis and the undated list do not move from page to page.
    assert {p["axis"] for p in pages} == {("2001-05-01", "2007-01-01")}
    assert all(p["undated_total"] == 1 for p in pages)


def test_a_page_past_the_end_shows_the_last_page(seeded):
    data = page(seeded, page=99, page_size=3)
    assert data["page"] == 3 and names(data["rows"]) == TIMELINE_ORDER[6:]


def _add_projects(session, n: int, *, dated: bool = True) -> None:
    area = session.scalars(select(FocusArea).filter_by(name="Infrastruktur")).one()
    for i in range(n):
        session.add(
            Project(
                name=f"Testprojekt {i:04d}",
                focus_area=area,
                status="pågår",
                start_date=dt.date(2010, 1, 1) + dt.timedelta(days=i) if dated else None,
                end_date=dt.date(2012, 1, 1) if dated else None,
            )
        )
    session.flush()


def test_a_large_timeline_sends_one_page_of_forty(seeded):
    _add_projects(seeded, 100)
    first = page(seeded)
    assert len(first["rows"]) == PAGE_SIZE == 40
    assert (first["total"], first["pages"], first["first"], first["last"]) == (107, 3, 1, 40)
    last = page(seeded, page=3)
    assert (len(last["rows"]), last["first"], last["last"]) == (27, 81, 107)
    seen = names(first["rows"]) + names(page(seeded, page=2)["rows"]) + names(last["rows"])
    assert len(seen) == len(set(seen)) == 107


def test_many_undated_projects_list_only_the_first_few_and_count_all(seeded):
    _add_projects(seeded, 30, dated=False)
    data = page(seeded)
    assert data["undated_total"] == 31
    assert len(data["undated"]) == UNDATED_SHOWN == 10


def test_timeline_queries_select_only_the_columns_they_show(seeded):
    statements = []

    def capture(conn, cursor, statement, *args):
        statements.append(statement)

    engine = seeded.get_bind()
    event.listen(engine, "before_cursor_execute", capture)
    try:
        page(seeded, Filter("Vännäs"))
        timeline_options(seeded)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert 1 <= len(selects) <= 6, selects
    for s in selects:
        assert "description" not in s and "uncertain" not in s and "budget" not in s, s


# --- the table --------------------------------------------------------------------------------------------------------


def test_table_rows_include_projects_without_dates_in_timeline_order(seeded):
    rows, total = project_table_rows(seeded)
    assert total == 8
    assert names(rows) == TIMELINE_ORDER + ["Bio Fuel Region"]
    botnia = rows[2]
    assert (botnia["budget_amount"], botnia["budget_period"]) == (4_650_000, "år")
    assert botnia["municipalities"] == ["Bjurholm", "Nordmaling", "Robertsfors", "Umeå", "Vindeln", "Vännäs"]


def test_table_rows_are_a_block_of_the_whole(seeded):
    rows, total = project_table_rows(seeded, start=2, end=5)
    assert total == 8
    assert names(rows) == TIMELINE_ORDER[2:5]


def test_table_rows_sort_as_the_grid_asks(seeded):
    rows, _ = project_table_rows(seeded, sort=[{"colId": "budget", "sort": "desc"}])
    amounts = [r["budget_amount"] for r in rows]
    known = [a for a in amounts if a is not None]
    assert known == sorted(known, reverse=True)
    assert amounts[len(known) :] == [None] * (len(amounts) - len(known))
    rows, _ = project_table_rows(seeded, sort=[{"colId": "start_date", "sort": "asc"}])
    assert rows[0]["name"] == "Bibliotek 2007"


def test_table_rows_ignore_an_unknown_sort_column(seeded):
    rows, _ = project_table_rows(seeded, sort=[{"colId": "description; DROP TABLE project", "sort": "asc"}])
    assert names(rows) == TIMELINE_ORDER + ["Bio Fuel Region"]


def test_table_rows_follow_the_filters(seeded):
    rows, total = project_table_rows(seeded, Filter("Vännäs"), TimelineFilter(status="pågår"))
    assert (names(rows), total) == (["Stad och Land"], 1)
    rows, total = project_table_rows(seeded, tf=TimelineFilter(from_year=2006))
    assert names(rows) == ["UME&Co", BOTNIA, TURK, "Bio Fuel Region"] and total == 4
