"""Projects as plain data: every field the API needs, funding summaries, Swedish order and the municipality filter."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from data.filters import Filter, UnknownMunicipality, parse_filter
from data.history import record_change, snapshot
from data.models import Project
from data.municipalities import swedish_sort_key
from data.projects import changed_fields, get_project, list_projects, project_history

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


# --- the project's history --------------------------------------------------------------------------------------------


def _project(session, name):
    return session.scalars(select(Project).filter_by(name=name)).one()


def test_changed_fields_lists_what_differs_in_stored_order():
    before = {"status": "planerad", "name": "A", "end_date": "2006-12-31", "updated_at": "x"}
    after = {"status": "pågår", "name": "A", "end_date": None, "updated_at": "y", "budget_amount": 5}
    assert changed_fields(before, after) == [
        {"field": "status", "before": "planerad", "after": "pågår"},
        {"field": "end_date", "before": "2006-12-31", "after": None},
        {"field": "budget_amount", "before": None, "after": 5},
    ]
    assert changed_fields(None, {"password": "ändrat"}) == [{"field": "password", "before": None, "after": "ändrat"}]


def test_history_of_a_seeded_project_is_its_creation_and_its_funders(seeded):
    botnia = _project(seeded, "Botniabanan som tillväxtfaktor")
    history = project_history(seeded, botnia.id)
    assert [(h["entity"], h["action"], h["source"], h["username"]) for h in history][-1] == (
        "project",
        "create",
        "demodata",
        "system",
    )
    funders = [h["part"] for h in history if h["entity"] == "funding_line"]
    assert sorted(funders) == sorted(f["funder"] for f in seed("projects.json")[0]["funding"])
    assert all(h["action"] == "create" and h["changes"] == [] for h in history)
    assert [h["at"] for h in history] == sorted((h["at"] for h in history), reverse=True)


def test_history_of_a_project_with_phases_names_them(seeded):
    bibliotek = _project(seeded, "Bibliotek 2007")
    parts = {(h["entity"], h["part"]) for h in project_history(seeded, bibliotek.id)}
    assert {("phase", "Etapp 1"), ("phase", "Etapp 2"), ("project", None)} == parts


def test_history_shows_an_update_with_each_changed_field_newest_first(seeded):
    botnia = _project(seeded, "Botniabanan som tillväxtfaktor")
    before = snapshot(botnia)
    botnia.status = "pågår"
    botnia.end_date = dt.date(2007, 6, 30)
    record_change(
        seeded,
        username="redaktor",
        source="redigering",
        entity="project",
        entity_id=botnia.id,
        action="update",
        before=before,
        after=snapshot(botnia),
        at=dt.datetime(2031, 1, 2, 9, 30, tzinfo=dt.UTC),
    )
    seeded.flush()
    newest = project_history(seeded, botnia.id)[0]
    assert (newest["username"], newest["source"], newest["action"], newest["at"]) == (
        "redaktor",
        "redigering",
        "update",
        "2031-01-02T09:30:00+00:00",
    )
    assert newest["changes"] == [
        {"field": "end_date", "before": "2006-12-31", "after": "2007-06-30"},
        {"field": "status", "before": "planerad", "after": "pågår"},
    ]


def test_history_of_another_project_is_not_mixed_in(seeded):
    for name, parts in [("Botniabanan som tillväxtfaktor", {"funding_line"}), ("UME&Co", {"budget_part"})]:
        project = _project(seeded, name)
        history = project_history(seeded, project.id)
        assert {h["entity"] for h in history} == {"project"} | parts
        assert all(h["after"]["project_id"] == project.id for h in history if h["entity"] != "project")
        assert [h["after"]["name"] for h in history if h["entity"] == "project"] == [name]


def test_history_of_an_unknown_project_is_empty(seeded):
    top = max(p["id"] for p in list_projects(seeded))
    assert project_history(seeded, top + 1) == []
