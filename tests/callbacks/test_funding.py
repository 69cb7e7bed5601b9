"""Finansiering's builder and callbacks: the page through the router under the URL's filters, its two figures and
their tables, the project table's server-side pages, and the selectors → URL callback."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest
from dash import no_update
from dash._utils import to_json

from callbacks.funding import page_params, project_row, table_query, update_project_rows, update_search
from callbacks.router import render_page
from layouts.charts import PALETTE, PATTERNS
from layouts.funding import (
    ALL,
    FROM_SELECT,
    FUNDER_GRAPH,
    KIND_SELECT,
    PROJECT_GRID,
    STYLE,
    TO_SELECT,
    YEAR_GRAPH,
    funder_figure,
    year_kind_figure,
)
from tests.callbacks.test_router import text_of

NBSP = "\u00a0"
VANNAS = "?kommun=V%C3%A4nn%C3%A4s"
BOTNIA = "Botniabanan som tillväxtfaktor"
KINDS = ["kommunerna", "EU", "stat", "region/landsting", "universitet", "privat", "övrigt"]


def kr(text: str) -> str:
    return text.replace(" ", NBSP)


def find(component, component_id):
    """The component with this id in a tree (as plain JSON), or None."""
    stack = [json.loads(to_json(component))]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == component_id:
                return node
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return None


def page(search: str = ""):
    content, alert, _ = render_page("/finansiering", search)
    assert alert is None
    return content


def request(start=0, end=25, sort=None, filters=None):
    return {"startRow": start, "endRow": end, "sortModel": sort or [], "filterModel": filters or {}}


# --- the page through the router ------------------------------------------------------------------------------------


def test_the_page_shows_the_rule_the_charts_and_the_totals_for_all_seven(as_user):
    as_user()
    content = page()
    text = text_of(content)
    assert "Så räknas beloppen om till år" in text
    assert "fördelas jämnt på projektets månader" in text
    assert "Finansiering per år och typ av finansiär" in text and "Största finansiärerna" in text
    assert kr("7 800 000 kr") in text  # the funders over 2001–2006
    assert kr("71 056 000 kr") in text  # the stated budgets over their whole time frames
    grid = find(content, PROJECT_GRID)["props"]
    assert grid["rowModelType"] == "infinite"
    assert "rowData" not in grid  # the rows come a page at a time
    totals = grid["dashGridOptions"]["pinnedBottomRowData"][0]
    assert totals["name_md"] == "**Summa, 8 projekt**"
    assert totals["budget_whole_text"] == kr("71 056 000")
    assert totals["unspecified_whole_text"] == kr("30 356 000") + " (okänt i 2 projekt)"
    assert "/api/funding?format=csv" in text


def test_the_year_chart_stacks_each_kind_and_the_gap_and_its_table_gives_the_numbers(as_user):
    as_user()
    content = page(VANNAS)
    figure = find(content, YEAR_GRAPH)["props"]["figure"]
    assert [t["name"] for t in figure["data"]] == [
        "Kommunerna",
        "EU",
        "Region/landsting",
        "Universitet",
        "Privat",
        "Ej specificerat",
    ]
    by_name = {t["name"]: dict(zip(t["x"], t["y"], strict=True)) for t in figure["data"]}
    assert by_name["Kommunerna"] == {"2005": 2_400_000, "2006": 2_400_000}
    assert by_name["EU"] == {"2005": 750_000, "2006": 750_000}
    assert by_name["Ej specificerat"] == {"2005": 750_000, "2006": 750_000}
    assert figure["layout"]["barmode"] == "stack"
    text = text_of(content)
    assert "Visa som tabell" in text
    assert "Finansiering per år och typ av finansiär, kronor per år" in text
    # The table under the chart: 2005 sums to the budget, 4 650 000 kr.
    assert kr("4 650 000 kr") in text


def test_the_funder_chart_names_each_funder_with_its_kind_and_the_gap_last(as_user):
    as_user()
    figure = find(page(), FUNDER_GRAPH)["props"]["figure"]
    assert figure["layout"]["yaxis"]["categoryarray"] == [
        "Kommunerna i Umeåregionen (kommunerna)",
        "EG:s strukturfond (EU)",
        "AC läns landsting (region/landsting)",
        "FöreningsSparbanken (privat)",
        "Umeå universitet (universitet)",
        "Ej specificerat",
    ]
    gap = next(t for t in figure["data"] if t["name"] == "Ej specificerat")
    assert gap["x"] == [30_356_000]
    assert gap["text"] == [kr("30 356 000 kr")]


def test_a_municipality_narrows_the_page_and_its_csv_link(as_user):
    as_user()
    content = page(VANNAS)
    text = text_of(content)
    assert "Projekt som berör Vännäs" in text
    assert kr("42 200 000 kr") in text
    assert "/api/funding?format=csv&kommun=V%C3%A4nn%C3%A4s" in text
    assert find(content, PROJECT_GRID)["props"]["dashGridOptions"]["pinnedBottomRowData"][0]["name_md"] == (
        "**Summa, 3 projekt**"
    )


def test_the_url_chooses_years_and_kind_and_the_selectors_show_them(as_user):
    as_user()
    content = page("?fran=2006&till=2006&typ=EU")
    assert find(content, FROM_SELECT)["props"]["value"] == "2006"
    assert find(content, TO_SELECT)["props"]["value"] == "2006"
    assert find(content, KIND_SELECT)["props"]["value"] == "EU"
    figure = find(content, YEAR_GRAPH)["props"]["figure"]
    assert [(t["name"], t["x"], t["y"]) for t in figure["data"]] == [("EU", ["2006"], [750_000])]
    assert "Ej specificerat, 2006" in text_of(content)


def test_the_page_without_projects_says_so(as_user):
    as_user()
    text = text_of(page("?kommun=%C3%96rnsk%C3%B6ldsvik"))
    assert "Inga projekt berör Örnsköldsvik." in text
    assert find(page("?kommun=%C3%96rnsk%C3%B6ldsvik"), YEAR_GRAPH) is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, (None, None, None)),
        ({"typ": "EU", "fran": "2005", "till": "2006"}, ("EU", 2005, 2006)),
        ({"fran": "2006", "till": "2003"}, (None, 2003, 2006)),
        ({"typ": "okänd", "fran": "tjugo", "till": "99999"}, (None, None, None)),
        ({"typ": "region/landsting"}, ("region/landsting", None, None)),
    ],
    ids=["none", "all", "reversed", "nonsense", "slash"],
)
def test_page_params_reads_kind_and_years_from_the_url(params, expected):
    assert page_params(params) == expected


# --- the figures as pure builders -----------------------------------------------------------------------------------


def test_every_kind_and_the_gap_have_their_own_colour_and_pattern():
    styles = [STYLE[k] for k in [*KINDS, "ej specificerat"]]
    assert len({c for c, _ in styles}) == len({p for _, p in styles}) == 8
    assert [c for c, _ in styles[:7]] == PALETTE[:7]
    assert {p for _, p in styles} <= set(PATTERNS)


def test_the_figures_are_valid_plotly_figures_with_swedish_numbers():
    year = year_kind_figure([{"year": 2005, "EU": 1, "ej specificerat": 2}], ["EU", "ej specificerat"])
    funders = funder_figure(
        [
            {"funder": "A", "kind": "EU", "amount": 5, "funders": 1},
            {"funder": "Övriga", "kind": None, "amount": 3, "funders": 4},
            {"funder": "ej specificerat", "kind": "ej specificerat", "amount": 3, "funders": 0},
        ]
    )
    for figure in (year, funders):
        go.Figure(figure)  # raises on anything Plotly does not know
        assert figure["layout"]["separators"] == ", "
    assert year["data"][1]["marker"]["pattern"]["shape"] == STYLE["ej specificerat"][1]
    assert funders["layout"]["yaxis"]["categoryarray"] == ["A (EU)", "Övriga (4 finansiärer)", "Ej specificerat"]


# --- the project table, a page at a time ----------------------------------------------------------------------------


def test_the_grid_gets_botniabanan_with_budget_funders_and_gap_per_year(as_user):
    as_user()
    response = update_project_rows(request(), "")
    assert response["rowCount"] == 8
    row = next(r for r in response["rowData"] if BOTNIA in r["name_md"])
    assert row["budget_text"] == kr("4 650 000 kr/år")
    assert row["funding_text"] == kr("3 900 000 kr/år")
    assert row["gap_text"] == kr("750 000 kr/år")
    assert row["period_text"] == "2005-01 – 2006-12"
    assert row["mix_text"].startswith("kommunerna " + kr("2 400 000 kr/år") + "; EU " + kr("750 000 kr/år"))
    assert row["unspecified_whole_text"] == kr("1 500 000")


def test_the_grid_follows_the_url_municipality_and_kind(as_user):
    as_user()
    assert update_project_rows(request(), VANNAS)["rowCount"] == 3
    rows = update_project_rows(request(), "?typ=privat")["rowData"]
    assert [r["id"] for r in rows] == [rows[0]["id"]] and BOTNIA in rows[0]["name_md"]
    assert update_project_rows(request(), "?kommun=Stockholm")["rowCount"] == 8  # not understood: all seven
    assert "?kommun=V%C3%A4nn%C3%A4s)" in update_project_rows(request(), VANNAS)["rowData"][0]["name_md"]


def test_the_grid_pages_sorts_and_filters_on_the_server(as_user):
    as_user()
    first = update_project_rows(request(0, 3, sort=[{"colId": "unspecified_whole", "sort": "desc"}]), "")
    assert first["rowCount"] == 8 and len(first["rowData"]) == 3
    assert "UME&Co" in first["rowData"][0]["name_md"]
    filtered = update_project_rows(
        request(filters={"budget": {"filterType": "number", "type": "greaterThan", "filter": 10_000_000}}), ""
    )
    assert filtered["rowCount"] == 2


def test_a_project_with_funders_without_amounts_says_so(as_user):
    as_user()
    rows = update_project_rows(
        request(filters={"name": {"filterType": "text", "type": "contains", "filter": "Stad"}}), ""
    )["rowData"]
    assert rows[0]["gap_text"] == "okänt (4 finansiärer utan belopp)"
    assert rows[0]["funding_text"] == kr("0 kr") + " + 4 utan belopp"
    assert rows[0]["mix_text"] == "belopp ej angivet: kommunerna, EU, stat, region/landsting"


def test_no_request_no_update(as_user):
    as_user()
    assert update_project_rows(None, "") is no_update


@pytest.mark.parametrize(
    ("grid_request", "expected"),
    [
        ({"startRow": 0, "endRow": 25}, {"sort": [], "filters": [], "start": 0, "end": 25}),
        ({"startRow": 100, "endRow": 100_000}, {"sort": [], "filters": [], "start": 100, "end": 200}),
        ({"startRow": -5, "endRow": "x"}, {"sort": [], "filters": [], "start": 0, "end": 25}),
        ({"startRow": float("inf"), "endRow": float("nan")}, {"sort": [], "filters": [], "start": 0, "end": 25}),
        (
            {"sortModel": [{"colId": "budget", "sort": "desc"}, {"colId": "DROP TABLE", "sort": "asc"}, "x"]},
            {"sort": [("budget", True)], "filters": [], "start": 0, "end": 25},
        ),
        (
            {
                "filterModel": {
                    "name": {
                        "filterType": "text",
                        "operator": "OR",
                        "conditions": [{"filterType": "text", "type": "contains", "filter": "a"}, 7],
                    },
                    "budget": {"filterType": "number", "type": "inRange", "filter": 1, "filterTo": 2},
                    "gap_text": {"filterType": "text", "type": "contains", "filter": "x"},
                    "funding_sum": {"filterType": "number", "type": "blank"},
                    "unspecified_whole": {"filterType": "number", "type": "equals", "filter": "3"},
                }
            },
            {
                "sort": [],
                "filters": [
                    ("name", [("contains", "a", None)], "OR"),
                    ("budget", [("inRange", 1, 2)], "AND"),
                    ("funding_sum", [("blank", None, None)], "AND"),
                ],
                "start": 0,
                "end": 25,
            },
        ),
    ],
    ids=["plain", "capped", "nonsense", "not-finite", "sort", "filters"],
)
def test_table_query_takes_only_what_it_understands_from_the_grid(grid_request, expected):
    assert table_query(grid_request) == expected


def test_project_row_escapes_markdown_in_names():
    row = project_row(
        {
            "id": 9,
            "name": "A *fet* [länk](x)",
            "start": None,
            "end": None,
            "budget_amount": None,
            "budget_period": None,
            "funding_lines": 0,
            "funding_sum": 0,
            "funding_sum_period": None,
            "funding_unknown_count": 0,
            "unspecified_amount": None,
            "budget_whole": None,
            "funding_whole": 0,
            "unspecified_whole": None,
            "mix": [],
        },
        None,
    )
    assert row["name_md"] == "[A \\*fet\\* \\[länk\\]\\(x\\)](/projekt/9)"
    assert row["period_text"] == "saknar datum"
    assert row["funding_text"] == "inga angivna"


# --- the selectors write the URL ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "search", "expected"),
    [
        (("2005", ALL, ALL), VANNAS, VANNAS + "&fran=2005"),
        (("2005", "2006", "EU"), "", "?fran=2005&till=2006&typ=EU"),
        ((ALL, ALL, "region/landsting"), "?fran=2005", "?typ=region%2Flandsting"),
        ((ALL, ALL, ALL), "?kommun=Ume%C3%A5&typ=EU", "?kommun=Ume%C3%A5"),
    ],
    ids=["keeps-kommun", "all-three", "clears-a-year", "back-to-all"],
)
def test_the_selectors_write_their_values_into_the_url(values, search, expected):
    assert update_search(*values, search) == expected


def test_the_selectors_leave_an_unchanged_url_alone():
    assert update_search("2005", ALL, ALL, "?fran=2005") is no_update
