"""Projects as plain data: every field the API needs, funding summaries, Swedish order and the municipality filter."""

from __future__ import annotations

import json

import pytest

from data.filters import Filter, UnknownMunicipality, parse_filter
from data.municipalities import swedish_sort_key
from data.projects import get_project, list_projects

from .helpers import SEVEN, seed

API_FIELDS = {
    "id",
    "name",
    "focus_area",
    "plan_year",
    "description",
    "owner_organisation",
    "contact_name",
    "contact_role",
    "municipalities",
    "start_date",
    "end_date",
    "time_frame_text",
    "status",
    "budget_amount",
    "budget_period",
    "budget_text",
    "budget_parts",
    "phases",
    "funding",
    "funding_sum",
    "funding_sum_period",
    "funding_unknown_count",
    "unspecified_amount",
    "uncertain",
}


def by_name(projects):
    return {p["name"]: p for p in projects}


def test_list_projects_returns_every_seed_project_with_every_api_field(seeded):
    projects = list_projects(seeded)
    assert {p["name"] for p in projects} == {p["name"] for p in seed("projects.json")}
    for p in projects:
        assert API_FIELDS <= p.keys(), p["name"]
    json.dumps(projects)


def test_list_projects_is_in_swedish_order_of_name(seeded):
    names = [p["name"] for p in list_projects(seeded)]
    assert names == sorted((p["name"] for p in seed("projects.json")), key=swedish_sort_key)
    assert names[0] == "Bibliotek 2007"


def test_project_dict_carries_the_seed_values(seeded):
    projects = by_name(list_projects(seeded))
    for s in seed("projects.json"):
        p = projects[s["name"]]
        for key in (
            "description",
            "contact_name",
            "start_date",
            "end_date",
            "status",
            "budget_amount",
            "budget_period",
            "budget_parts",
            "phases",
            "funding",
            "uncertain",
            "focus_area",
            "plan_year",
        ):
            assert p[key] == s[key], (s["name"], key)
        assert sorted(p["municipalities"]) == sorted(s["municipalities"])


def test_project_municipalities_are_in_swedish_order(seeded):
    botnia = by_name(list_projects(seeded))["Botniabanan som tillväxtfaktor"]
    assert botnia["municipalities"] == ["Bjurholm", "Nordmaling", "Robertsfors", "Umeå", "Vindeln", "Vännäs"]


def test_project_funding_summary_shows_the_gap_to_the_budget(seeded):
    projects = by_name(list_projects(seeded))
    botnia = projects["Botniabanan som tillväxtfaktor"]
    assert (botnia["funding_sum"], botnia["funding_sum_period"], botnia["unspecified_amount"]) == (
        3_900_000,
        "år",
        750_000,
    )
    stad = projects["Stad och Land"]
    assert stad["funding_unknown_count"] == 4
    assert stad["unspecified_amount"] is None
    ume = projects["UME&Co"]
    assert ume["funding"] == []
    assert ume["unspecified_amount"] == 12_600_000


@pytest.mark.parametrize("kommun", SEVEN)
def test_filtering_by_municipality_keeps_the_projects_that_name_it(seeded, kommun):
    expected = {p["name"] for p in seed("projects.json") if kommun in p["municipalities"]}
    projects = list_projects(seeded, Filter(kommun))
    assert {p["name"] for p in projects} == expected
    assert all(kommun in p["municipalities"] for p in projects)


def test_filtering_by_vannas_gives_botniabanan_stad_och_land_and_turk(seeded):
    names = [p["name"] for p in list_projects(seeded, parse_filter(seeded, "Vännäs"))]
    assert names == ["Botniabanan som tillväxtfaktor", "Stad och Land", "Tillväxt i Umeåregionens kranskommuner (TURK)"]


def test_filtering_by_ornskoldsvik_gives_no_projects(seeded):
    assert list_projects(seeded, Filter("Örnsköldsvik")) == []


def test_filtering_by_an_unknown_name_raises(seeded):
    with pytest.raises(UnknownMunicipality):
        list_projects(seeded, parse_filter(seeded, "Stockholm"))


def test_get_project_returns_the_same_dict_as_the_list(seeded):
    listed = by_name(list_projects(seeded))["Bibliotek 2007"]
    assert get_project(seeded, listed["id"]) == listed


def test_get_project_returns_none_for_an_unknown_id(seeded):
    top = max(p["id"] for p in list_projects(seeded))
    assert get_project(seeded, top + 1) is None
