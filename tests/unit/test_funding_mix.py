"""The funding mix from the database: by kind of funder and by funder, year by year on the common yearly basis, with
the gap ("ej specificerat") per project, the amounts that cannot be placed and the funders without an amount."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

import pytest
from sqlalchemy import select

from data.filters import Filter
from data.funding import (
    GAP,
    LIST_LIMIT,
    OTHERS,
    _quick_key,
    funding_mix,
    funding_summary,
    funding_table,
    place_on_years,
    read_funding,
    summarise_projects,
    whole_period_amount,
)
from data.models import FUNDER_KINDS, FundingLine, Municipality, Project
from data.municipalities import swedish_sort_key

from .helpers import date, seed

D = dt.date
BOTNIABANAN = "Botniabanan som tillväxtfaktor"
# No seeded project concerns Örnsköldsvik: the tests that add projects add them there, and see only their own.
OWN = Filter("Örnsköldsvik")


def add_project(session, name, start, end, budget=None, budget_period=None, lines=()):
    kommun = session.scalars(select(Municipality).where(Municipality.name == OWN.kommun)).one()
    project = Project(
        name=name,
        start_date=start,
        end_date=end,
        budget_amount=budget,
        budget_period=budget_period,
        municipalities=[kommun],
        funding_lines=[FundingLine(funder=f, kind=k, amount=a, period=p) for f, k, a, p in lines],
    )
    session.add(project)
    session.flush()
    return project


@pytest.fixture
def own(seeded):
    assert funding_mix(seeded, OWN)["project_count"] == 0
    return seeded


def expected_by_year(kommun: str | None) -> dict[int, dict[str, float]]:
    """The mix per year straight from the seed file: each line placed by the rule, and per project the placed budget
    minus its placed lines where the gap can be known."""
    years: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for p in seed("projects.json"):
        if kommun and kommun not in p["municipalities"]:
            continue
        start, end = date(p["start_date"]), date(p["end_date"])
        if not (start and end):
            continue
        for f in p["funding"]:
            for y, v in (place_on_years(f["amount"], f["period"], start, end) or {}).items():
                years[y][f["kind"]] += v
        if p["budget_amount"] and p["budget_period"] and all(f["amount"] is not None for f in p["funding"]):
            for y, v in place_on_years(p["budget_amount"], p["budget_period"], start, end).items():
                lines = sum(place_on_years(f["amount"], f["period"], start, end)[y] for f in p["funding"])
                years[y][GAP] += v - lines
    return {y: {k: round(v) for k, v in kinds.items() if round(v)} for y, kinds in years.items()}


def as_dict(by_year: list[dict]) -> dict[int, dict[str, int]]:
    return {row["year"]: {k: v for k, v in row.items() if k != "year" and v} for row in by_year}


# --- seeded data ---------------------------------------------------------------------------------------------------


def test_botniabanan_yearly_mix_has_its_five_funders_and_750_000_unspecified_each_year(seeded):
    mix = funding_mix(seeded, Filter("Vännäs"))
    botniabanan = {
        "kommunerna": 2_400_000,
        "EU": 750_000,
        "region/landsting": 350_000,
        "universitet": 200_000,
        "privat": 200_000,
        GAP: 750_000,
    }
    assert as_dict(mix["by_year"]) == {2005: botniabanan, 2006: botniabanan}
    assert mix["years"] == [2005, 2006]
    assert mix["categories"] == ["kommunerna", "EU", "region/landsting", "universitet", "privat", GAP]


@pytest.mark.parametrize("kommun", [None, "Vännäs", "Umeå", "Örnsköldsvik"])
def test_the_mix_per_year_and_kind_is_the_seed_placed_by_the_rule(seeded, kommun):
    mix = funding_mix(seeded, Filter(kommun))
    assert as_dict(mix["by_year"]) == expected_by_year(kommun)


def test_the_mix_for_all_seven_places_the_whole_unfunded_budgets_as_unspecified(seeded):
    by_year = as_dict(funding_mix(seeded)["by_year"])
    # UME&Co 12 600 000 over 39 months, Bibliotek 2007 6 256 000 over 56, LAPP 10 000 000 over 20, Botniabanan.
    assert by_year[2005][GAP] == round(12_600_000 * 12 / 39 + 6_256_000 * 12 / 56 + 10_000_000 * 6 / 20 + 750_000)
    assert by_year[2001] == {GAP: round(6_256_000 * 8 / 56)}
    assert sorted(by_year) == [2001, 2002, 2003, 2004, 2005, 2006]


def test_the_funders_are_ranked_by_their_amount_over_the_years_with_the_gap_last(seeded):
    by_funder = funding_mix(seeded)["by_funder"]
    assert [(f["funder"], f["kind"], f["amount"]) for f in by_funder] == [
        ("Kommunerna i Umeåregionen", "kommunerna", 4_800_000),
        ("EG:s strukturfond", "EU", 1_500_000),
        ("AC läns landsting", "region/landsting", 700_000),
        ("FöreningsSparbanken", "privat", 400_000),
        ("Umeå universitet", "universitet", 400_000),
        (GAP, GAP, 1_500_000 + 12_600_000 + 6_256_000 + 10_000_000),
    ]


def test_totals_over_the_whole_time_frames_match_the_seed(seeded):
    totals = funding_mix(seeded)["totals"]
    budgets = [
        whole_period_amount(p["budget_amount"], p["budget_period"], date(p["start_date"]), date(p["end_date"]))
        for p in seed("projects.json")
    ]
    assert totals == {
        "projects": 8,
        "budget_whole": sum(b for b in budgets if b is not None),
        "funding_whole": 7_800_000,
        "unspecified_whole": 1_500_000 + 12_600_000 + 6_256_000 + 10_000_000,
        "projects_gap_unknown": 2,  # Stad och Land and TURK: funders without amounts
        "projects_without_budget": 2,
    }
    assert totals["budget_whole"] == 71_056_000


def test_funders_without_an_amount_are_listed_with_their_projects(seeded):
    unknown = funding_mix(seeded, Filter("Vännäs"))["unknown"]
    assert unknown["lines"] == 5
    assert unknown["more"] == 0
    assert unknown["rows"][0] == {
        "funder": "EU:s mål 1",
        "kind": "EU",
        "projects": ["Stad och Land", "Tillväxt i Umeåregionens kranskommuner (TURK)"],
        "project_count": 2,
    }
    assert {(r["funder"], r["kind"]) for r in unknown["rows"][1:]} == {
        ("Kommunerna i Umeåregionen", "kommunerna"),
        ("Länsstyrelsen", "stat"),
        ("Västerbottens läns landsting", "region/landsting"),
    }


def test_a_year_range_narrows_the_charts_but_not_the_years_to_choose_from(seeded):
    mix = funding_mix(seeded, first_year=2006, last_year=2006)
    assert [row["year"] for row in mix["by_year"]] == [2006]
    assert mix["years"] == [2001, 2002, 2003, 2004, 2005, 2006]
    assert mix["by_funder"][0] == {
        "funder": "Kommunerna i Umeåregionen",
        "kind": "kommunerna",
        "amount": 2_400_000,
        "funders": 1,
    }
    assert mix["funders_total"] == 3_900_000
    assert mix["gap_total"] == mix["by_year"][0][GAP] == round(750_000 + 12_600_000 * 3 / 39)
    assert mix["totals"]["budget_whole"] == 71_056_000  # the totals are over whole time frames


def test_one_kind_narrows_to_its_projects_and_its_amounts_without_a_gap(seeded):
    mix = funding_mix(seeded, kind="EU")
    assert mix["project_count"] == 3
    assert mix["categories"] == ["EU"]
    assert as_dict(mix["by_year"]) == {2005: {"EU": 750_000}, 2006: {"EU": 750_000}}
    assert [f["funder"] for f in mix["by_funder"]] == ["EG:s strukturfond"]
    assert [r["funder"] for r in mix["unknown"]["rows"]] == ["EU:s mål 1"]
    assert mix["gap_total"] == 0


def test_a_municipality_without_projects_has_an_empty_mix(seeded):
    mix = funding_mix(seeded, OWN)
    assert mix["by_year"] == mix["by_funder"] == mix["years"] == mix["categories"] == []
    assert mix["totals"]["projects"] == 0


# --- added projects: the rule through the database -----------------------------------------------------------------


def test_partial_years_and_whole_period_amounts_are_placed_month_by_month(own):
    add_project(
        own,
        "Halvår",
        D(2005, 7, 1),
        D(2006, 6, 30),
        5_000_000,
        "totalt",
        [("Kommun A", "kommunerna", 1_200_000, "år"), ("Fonden", "EU", 2_400_000, "totalt")],
    )
    mix = funding_mix(own, OWN)
    year = {"kommunerna": 600_000, "EU": 1_200_000, GAP: 2_500_000 - 1_800_000}
    assert as_dict(mix["by_year"]) == {2005: year, 2006: year}
    assert mix["totals"]["budget_whole"] == 5_000_000
    assert mix["totals"]["funding_whole"] == 1_200_000 + 2_400_000
    assert mix["totals"]["unspecified_whole"] == 1_400_000


def test_a_yearly_budget_against_whole_period_funders_gets_a_gap_on_the_common_basis(own):
    add_project(
        own,
        "Blandat",
        D(2005, 1, 1),
        D(2005, 12, 31),
        1_200_000,
        "år",
        [("A", "stat", 600_000, "totalt"), ("B", "privat", 50_000, "år")],
    )
    mix = funding_mix(own, OWN)
    assert as_dict(mix["by_year"]) == {2005: {"stat": 600_000, "privat": 50_000, GAP: 550_000}}
    rows, _ = funding_table(own, OWN)
    assert rows[0]["funding_sum"] is None  # stated in different periods: no sum as stated
    assert rows[0]["unspecified_whole"] == 550_000


def test_lines_of_a_project_without_both_dates_are_listed_apart_with_their_amounts(own):
    add_project(own, "Utan datum", None, D(2006, 1, 31), 500_000, "totalt", [("Banken", "privat", 300_000, "totalt")])
    mix = funding_mix(own, OWN)
    assert mix["by_year"] == [] and mix["years"] == []
    assert mix["unplaced"] == {
        "rows": [
            {"project": "Utan datum", "funder": "Banken", "kind": "privat", "amount": 300_000, "period": "totalt"},
            {"project": "Utan datum", "funder": GAP, "kind": GAP, "amount": 200_000, "period": "totalt"},
        ],
        "more": 0,
    }


def test_a_funder_without_an_amount_leaves_the_gap_unknown_and_unplaced(own):
    add_project(
        own,
        "Okänt",
        D(2005, 1, 1),
        D(2005, 12, 31),
        900_000,
        "totalt",
        [("Känd", "stat", 300_000, "totalt"), ("Okänd", "EU", None, None)],
    )
    mix = funding_mix(own, OWN)
    assert as_dict(mix["by_year"]) == {2005: {"stat": 300_000}}
    assert mix["unknown"]["rows"] == [{"funder": "Okänd", "kind": "EU", "projects": ["Okänt"], "project_count": 1}]
    assert mix["totals"]["projects_gap_unknown"] == 1


def test_funders_above_the_budget_draw_no_negative_gap_and_are_counted(own):
    add_project(own, "Över", D(2005, 1, 1), D(2005, 12, 31), 100_000, "totalt", [("A", "stat", 150_000, "totalt")])
    mix = funding_mix(own, OWN)
    assert as_dict(mix["by_year"]) == {2005: {"stat": 150_000}}
    assert mix["overfunded"] == 1
    assert funding_table(own, OWN)[0][0]["unspecified_amount"] == -50_000


def test_the_funder_chart_keeps_ten_funders_and_adds_up_the_others(own):
    lines = [(f"Finansiär {i:02d}", FUNDER_KINDS[i % 7], (i + 1) * 10_000, "totalt") for i in range(13)]
    add_project(own, "Många", D(2005, 1, 1), D(2005, 12, 31), None, None, lines)
    by_funder = funding_mix(own, OWN)["by_funder"]
    assert [f["funder"] for f in by_funder[:10]] == [f"Finansiär {i:02d}" for i in range(12, 2, -1)]
    assert by_funder[10] == {"funder": OTHERS, "kind": None, "amount": 10_000 + 20_000 + 30_000, "funders": 3}
    assert len(by_funder) == 11  # no budget: no gap


def test_a_funder_under_several_kinds_is_drawn_in_the_kind_with_most_money(own):
    add_project(own, "P1", D(2005, 1, 1), D(2005, 12, 31), None, None, [("Samma", "stat", 100_000, "totalt")])
    add_project(own, "P2", D(2005, 1, 1), D(2005, 12, 31), None, None, [("Samma", "region/landsting", 300_000, "år")])
    assert funding_mix(own, OWN)["by_funder"] == [
        {"funder": "Samma", "kind": "region/landsting", "amount": 400_000, "funders": 1}
    ]


def test_the_lists_are_capped_and_say_how_many_more(own):
    lines = [(f"Utan belopp {i:02d}", "övrigt", None, None) for i in range(LIST_LIMIT + 5)]
    add_project(own, "Lång lista", D(2005, 1, 1), D(2005, 12, 31), None, None, lines)
    lines = [(f"Odaterad {i:02d}", "övrigt", 1_000, "totalt") for i in range(LIST_LIMIT + 3)]
    add_project(own, "Odaterad", None, None, None, None, lines)
    mix = funding_mix(own, OWN)
    assert len(mix["unknown"]["rows"]) == LIST_LIMIT
    assert mix["unknown"]["more"] == 5
    assert mix["unknown"]["lines"] == LIST_LIMIT + 5
    assert len(mix["unplaced"]["rows"]) == LIST_LIMIT
    assert mix["unplaced"]["more"] == 3
    assert [r["funder"] for r in mix["unplaced"]["rows"]][:2] == ["Odaterad 00", "Odaterad 01"]


# --- per project: the same answers as funding_summary, for every project at once ------------------------------------


def random_projects(session, n: int, rng: random.Random) -> None:
    for i in range(n):
        start = D(rng.randint(2001, 2010), rng.randint(1, 12), rng.randint(1, 28)) if rng.random() < 0.85 else None
        end = start + dt.timedelta(days=rng.randint(0, 1500)) if start and rng.random() < 0.95 else None
        budget_period = rng.choice(["år", "totalt", None])
        budget = rng.choice([None, rng.randint(0, 50) * 100_000]) if budget_period else rng.choice([None, 700_000])
        lines = []
        for j in range(rng.randint(0, 5)):
            known = rng.random() < 0.8
            amount = rng.randint(0, 30) * 10_000 if known else None
            period = rng.choice(["år", "totalt", None]) if known else rng.choice([None, "år"])
            lines.append((f"F{j}", rng.choice(FUNDER_KINDS), amount, period))
        add_project(session, f"Slump {i:03d}", start, end, budget, budget_period, lines)


def test_every_project_gets_the_answers_of_funding_summary_and_whole_period_amount(own):
    random_projects(own, 120, random.Random(3))
    projects = summarise_projects(read_funding(own))
    for p in own.scalars(select(Project)).all():
        lines = [{"funder": f.funder, "kind": f.kind, "amount": f.amount, "period": f.period} for f in p.funding_lines]
        expected = funding_summary(p.budget_amount, p.budget_period, lines)
        row = projects.loc[p.id]
        got = {
            "funding_sum": None if row["funding_sum"] != row["funding_sum"] else row["funding_sum"],
            "funding_sum_period": row["funding_sum_period"] if isinstance(row["funding_sum_period"], str) else None,
            "funding_unknown_count": row["funding_unknown_count"],
            "unspecified_amount": None
            if row["unspecified_amount"] != row["unspecified_amount"]
            else row["unspecified_amount"],
        }
        assert got == expected, p.name
        budget_whole = whole_period_amount(p.budget_amount, p.budget_period, p.start_date, p.end_date)
        assert (None if row["budget_whole"] != row["budget_whole"] else round(row["budget_whole"])) == budget_whole


def test_the_placed_years_of_every_project_add_up_to_its_amounts_over_the_whole_time_frame(own):
    random_projects(own, 80, random.Random(5))
    mix = funding_mix(own, OWN)
    placed = sum(v for row in mix["by_year"] for k, v in row.items() if k not in ("year", GAP))
    expected = 0.0
    for p in own.scalars(select(Project).where(Project.name.like("Slump%"))).all():
        for f in p.funding_lines:
            expected += sum((place_on_years(f.amount, f.period, p.start_date, p.end_date) or {}).values())
    assert placed == pytest.approx(expected, abs=len(mix["by_year"]) * 8)


# --- the per-project table -----------------------------------------------------------------------------------------


def test_botniabanan_row_states_budget_funders_and_gap_per_year(seeded):
    rows, count = funding_table(seeded)
    assert count == 8
    row = next(r for r in rows if r["name"] == BOTNIABANAN)
    assert row["budget_amount"] == 4_650_000 and row["budget_period"] == "år"
    assert row["funding_sum"] == 3_900_000 and row["funding_sum_period"] == "år"
    assert row["unspecified_amount"] == 750_000
    assert (row["budget_whole"], row["funding_whole"], row["unspecified_whole"]) == (9_300_000, 7_800_000, 1_500_000)
    assert (row["start"], row["end"]) == ("2005-01", "2006-12")
    assert [(m["kind"], m["amount"], m["period"]) for m in row["mix"]] == [
        ("kommunerna", 2_400_000, "år"),
        ("EU", 750_000, "år"),
        ("region/landsting", 350_000, "år"),
        ("universitet", 200_000, "år"),
        ("privat", 200_000, "år"),
    ]


def test_the_table_is_in_swedish_order_by_default_and_pages(seeded):
    names = sorted((p["name"] for p in seed("projects.json")), key=swedish_sort_key)
    assert [r["name"] for r in funding_table(seeded)[0]] == names
    rows, count = funding_table(seeded, start=3, end=5)
    assert [r["name"] for r in rows] == names[3:5] and count == 8
    assert [r["name"] for r in funding_table(seeded, sort=[("name", True)])[0]] == names[::-1]


def test_the_table_sorts_by_a_number_with_unknown_values_last(seeded):
    rows, _ = funding_table(seeded, sort=[("unspecified_whole", True)])
    assert [r["unspecified_whole"] for r in rows] == [
        12_600_000,
        10_000_000,
        6_256_000,
        1_500_000,
        None,
        None,
        None,
        None,
    ]
    rows, _ = funding_table(seeded, sort=[("budget", False)])
    assert [r["budget_amount"] for r in rows][:3] == [4_650_000, 5_400_000, 6_256_000]


@pytest.mark.parametrize(
    ("filters", "names"),
    [
        ([("name", [("contains", "BOTNIA", None)], "AND")], [BOTNIABANAN]),
        ([("budget", [("greaterThan", 10_000_000, None)], "AND")], ["Stad och Land", "UME&Co"]),
        (
            [("budget", [("inRange", 5_000_000, 7_000_000)], "AND")],
            ["Bibliotek 2007", "Tillväxt i Umeåregionens kranskommuner (TURK)"],
        ),
        (
            [("kinds", [("contains", "eu", None)], "AND")],
            [BOTNIABANAN, "Stad och Land", "Tillväxt i Umeåregionens kranskommuner (TURK)"],
        ),
        (
            [("unspecified_amount", [("blank", None, None)], "AND"), ("budget", [("notBlank", None, None)], "AND")],
            ["Stad och Land", "Tillväxt i Umeåregionens kranskommuner (TURK)"],
        ),
        ([("name", [("startsWith", "via", None), ("endsWith", "region", None)], "OR")], ["Bio Fuel Region", "Via Uma"]),
        ([("name", [("greaterThan", 5, None)], "AND")], None),  # a number test on a text column keeps every row
    ],
    ids=["name-contains", "budget-above", "budget-between", "kind", "gap-unknown", "or", "mismatched"],
)
def test_the_table_filters_as_the_grid_asks(seeded, filters, names):
    rows, count = funding_table(seeded, filters=filters)
    assert [r["name"] for r in rows] == (names if names is not None else [r["name"] for r in funding_table(seeded)[0]])
    assert count == len(rows)


def test_the_table_for_one_municipality_and_one_kind(seeded):
    assert [r["name"] for r in funding_table(seeded, Filter("Vännäs"))[0]] == [
        BOTNIABANAN,
        "Stad och Land",
        "Tillväxt i Umeåregionens kranskommuner (TURK)",
    ]
    assert [r["name"] for r in funding_table(seeded, kind="privat")[0]] == [BOTNIABANAN]


def test_the_quick_name_key_sorts_as_swedish_sort_key():
    rng = random.Random(7)
    names = [p["name"] for p in seed("projects.json")] + ["Åre", "Ängel", "Öland", "Zeta", "Z-a", "Z a", "Éclair"]
    names += ["".join(rng.choice("aAåÅäÄöÖzZ -09.éü") for _ in range(rng.randint(0, 6))) for _ in range(3000)]
    assert sorted(names, key=_quick_key) == sorted(names, key=swedish_sort_key)


def test_the_name_breaks_ties_of_a_sort_in_either_direction(seeded):
    by_budget_then_name_desc = [r["name"] for r in funding_table(seeded, sort=[("budget", False), ("name", True)])[0]]
    assert by_budget_then_name_desc[-2:] == ["Via Uma", "Bio Fuel Region"]  # no budget: last, names Z → A
    by_name_then_budget = [r["name"] for r in funding_table(seeded, sort=[("name", True), ("budget", False)])[0]]
    names = sorted((p["name"] for p in seed("projects.json")), key=swedish_sort_key)
    assert by_name_then_budget == names[::-1]
