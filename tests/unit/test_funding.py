"""The funding mix: months in a time frame, amounts over a whole time frame, and funders against the budget."""

from __future__ import annotations

import datetime as dt

import pytest

from data.funding import funding_summary, months_between, place_on_years, whole_period_amount

D = dt.date


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (D(2005, 1, 1), D(2006, 12, 31), 24),
        (D(2005, 1, 1), D(2005, 1, 31), 1),
        (D(2005, 1, 15), D(2005, 1, 16), 1),
        (D(2005, 1, 31), D(2005, 2, 1), 2),
        (D(2004, 12, 31), D(2005, 1, 1), 2),
        (D(2003, 11, 1), D(2005, 6, 30), 20),
        (D(2001, 5, 1), D(2005, 12, 31), 56),
    ],
)
def test_months_between_counts_calendar_months_with_both_ends_included(start, end, months):
    assert months_between(start, end) == months


@pytest.mark.parametrize(
    ("amount", "period", "start", "end", "expected"),
    [
        (4_650_000, "år", D(2005, 1, 1), D(2006, 12, 31), 9_300_000),
        (1_200_000, "år", D(2005, 1, 1), D(2005, 6, 30), 600_000),
        (1_000, "år", D(2005, 1, 1), D(2005, 7, 31), 583),
        (0, "år", D(2005, 1, 1), D(2006, 12, 31), 0),
        (12_600_000, "totalt", D(2003, 1, 1), D(2006, 3, 1), 12_600_000),
        (5_400_000, "totalt", None, None, 5_400_000),
        (5_400_000, None, None, None, 5_400_000),
    ],
    ids=["two-years", "half-year", "rounded", "zero", "total", "total-without-dates", "no-period"],
)
def test_whole_period_amount_is_yearly_amount_times_months_over_twelve_and_total_as_is(
    amount, period, start, end, expected
):
    assert whole_period_amount(amount, period, start, end) == expected


@pytest.mark.parametrize(
    ("amount", "period", "start", "end"),
    [
        (4_650_000, "år", None, D(2006, 12, 31)),
        (4_650_000, "år", D(2005, 1, 1), None),
        (4_650_000, "år", None, None),
        (None, "år", D(2005, 1, 1), D(2006, 12, 31)),
        (None, "totalt", D(2005, 1, 1), D(2006, 12, 31)),
        (None, None, None, None),
    ],
    ids=["yearly-no-start", "yearly-no-end", "yearly-no-dates", "no-amount-yearly", "no-amount-total", "nothing"],
)
def test_whole_period_amount_is_unknown_without_an_amount_or_a_yearly_amount_without_both_dates(
    amount, period, start, end
):
    assert whole_period_amount(amount, period, start, end) is None


def line(amount, period, funder="F"):
    return {"funder": funder, "kind": "övrigt", "amount": amount, "period": period}


BOTNIABANAN_FUNDERS = [
    line(2_400_000, "år", "Kommunerna"),
    line(200_000, "år", "Universitetet"),
    line(350_000, "år", "Landstinget"),
    line(200_000, "år", "Sparbanken"),
    line(750_000, "år", "Strukturfonden"),
]


def test_funding_summary_sums_funders_in_the_budget_period_and_gives_the_gap():
    assert funding_summary(4_650_000, "år", BOTNIABANAN_FUNDERS) == {
        "funding_sum": 3_900_000,
        "funding_sum_period": "år",
        "funding_unknown_count": 0,
        "unspecified_amount": 750_000,
    }


def test_funding_summary_gap_is_zero_when_funders_cover_the_budget_exactly():
    summary = funding_summary(300, "totalt", [line(100, "totalt", "A"), line(200, "totalt", "B")])
    assert summary["funding_sum"] == 300
    assert summary["unspecified_amount"] == 0


def test_funding_summary_gap_is_negative_when_funders_exceed_the_budget():
    assert funding_summary(100, "totalt", [line(150, "totalt")])["unspecified_amount"] == -50


@pytest.mark.parametrize(
    ("lines", "known_sum", "unknown"),
    [
        ([line(None, None, "A")], 0, 1),
        ([line(None, None, "A"), line(None, None, "B"), line(None, None, "C"), line(None, None, "D")], 0, 4),
        ([line(1_000_000, "totalt", "A"), line(None, None, "B")], 1_000_000, 1),
    ],
    ids=["one-unknown", "all-unknown", "one-known-one-unknown"],
)
def test_funding_summary_counts_lines_without_amount_and_leaves_the_gap_unknown(lines, known_sum, unknown):
    summary = funding_summary(27_500_000, "totalt", lines)
    assert summary["funding_unknown_count"] == unknown
    assert summary["unspecified_amount"] is None
    assert summary["funding_sum"] == known_sum


@pytest.mark.parametrize(("budget", "period"), [(12_600_000, "totalt"), (4_650_000, "år")])
def test_funding_summary_without_funders_leaves_the_whole_budget_unspecified(budget, period):
    summary = funding_summary(budget, period, [])
    assert summary["funding_sum"] == 0
    assert summary["funding_unknown_count"] == 0
    assert summary["unspecified_amount"] == budget


def test_funding_summary_without_budget_has_no_gap():
    summary = funding_summary(None, None, [line(100, "totalt")])
    assert summary["funding_sum"] == 100
    assert summary["funding_sum_period"] == "totalt"
    assert summary["unspecified_amount"] is None


@pytest.mark.parametrize(
    ("budget_period", "lines"),
    [
        ("år", [line(100, "år", "A"), line(200, "totalt", "B")]),
        ("totalt", [line(100, "år", "A"), line(200, "totalt", "B")]),
        ("totalt", [line(100, "år", "A"), line(200, "år", "B")]),
        (None, [line(100, "år", "A"), line(200, "totalt", "B")]),
    ],
    ids=["yearly-budget-mixed-lines", "total-budget-mixed-lines", "total-budget-yearly-lines", "no-period-mixed"],
)
def test_funding_summary_cannot_add_amounts_stated_for_different_periods(budget_period, lines):
    summary = funding_summary(1_000, budget_period, lines)
    assert summary["funding_sum"] is None
    assert summary["funding_sum_period"] is None
    assert summary["unspecified_amount"] is None
    assert summary["funding_unknown_count"] == 0


def test_a_budget_without_a_period_leaves_the_gap_unknown():
    summary = funding_summary(1000, None, [{"funder": "A", "kind": "EU", "amount": 100, "period": "år"}])
    assert summary["unspecified_amount"] is None
    assert summary["funding_sum"] == 100


# --- The common yearly basis: place_on_years ----------------------------------------------------------------------


def test_a_yearly_amount_counts_in_full_for_every_calendar_year_the_project_runs():
    assert place_on_years(4_650_000, "år", D(2005, 1, 1), D(2006, 12, 31)) == {2005: 4_650_000, 2006: 4_650_000}


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2005, 7, 1), D(2006, 6, 30), {2005: 600_000, 2006: 600_000}),
        (D(2005, 3, 15), D(2005, 12, 31), {2005: 1_000_000}),
        (D(2005, 12, 1), D(2007, 1, 31), {2005: 100_000, 2006: 1_200_000, 2007: 100_000}),
        (D(2005, 5, 31), D(2005, 6, 1), {2005: 200_000}),
    ],
    ids=["half-and-half", "ten-months", "one-month-each-end", "two-days-in-two-months"],
)
def test_a_yearly_amount_counts_pro_rata_by_months_in_a_partial_year(start, end, expected):
    assert place_on_years(1_200_000, "år", start, end) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("amount", "start", "end", "expected"),
    [
        (2_400_000, D(2005, 7, 1), D(2006, 6, 30), {2005: 1_200_000, 2006: 1_200_000}),
        (3_600_000, D(2005, 10, 1), D(2006, 9, 30), {2005: 900_000, 2006: 2_700_000}),
        (
            12_600_000,
            D(2003, 1, 1),
            D(2006, 3, 1),
            {2003: 3_876_923.08, 2004: 3_876_923.08, 2005: 3_876_923.08, 2006: 969_230.77},
        ),
        (500_000, D(2005, 4, 1), D(2005, 4, 30), {2005: 500_000}),
    ],
    ids=["a-year-over-new-year", "three-of-twelve-months", "ume-and-co-39-months", "one-month"],
)
def test_a_whole_period_amount_is_spread_evenly_over_the_months_and_summed_per_year(amount, start, end, expected):
    placed = place_on_years(amount, "totalt", start, end)
    assert placed == pytest.approx(expected, abs=0.01)
    assert sum(placed.values()) == pytest.approx(amount)


@pytest.mark.parametrize("period", [None, "totalt"])
def test_an_amount_without_a_period_is_treated_as_for_the_whole_period(period):
    assert place_on_years(1_200_000, period, D(2005, 7, 1), D(2006, 6, 30)) == {2005: 600_000, 2006: 600_000}


@pytest.mark.parametrize(
    ("amount", "start", "end"),
    [
        (4_650_000, None, D(2006, 12, 31)),
        (4_650_000, D(2005, 1, 1), None),
        (4_650_000, None, None),
        (None, D(2005, 1, 1), D(2006, 12, 31)),
    ],
    ids=["no-start", "no-end", "no-dates", "no-amount"],
)
def test_an_amount_without_both_dates_or_without_an_amount_cannot_be_placed(amount, start, end):
    assert place_on_years(amount, "år", start, end) is None
    assert place_on_years(amount, "totalt", start, end) is None


@pytest.mark.parametrize(
    ("start", "end"),
    [(D(2005, 1, 1), D(2006, 12, 31)), (D(2003, 11, 1), D(2005, 6, 30)), (D(2001, 5, 1), D(2005, 12, 31))],
)
@pytest.mark.parametrize("period", ["år", "totalt"])
def test_the_years_add_up_to_the_amount_over_the_whole_time_frame(start, end, period):
    placed = place_on_years(1_000_000, period, start, end)
    assert sum(placed.values()) == pytest.approx(whole_period_amount(1_000_000, period, start, end), abs=0.5)
    assert list(placed) == list(range(start.year, end.year + 1))
