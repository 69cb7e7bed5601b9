"""The verksamhetsplan as plain data: focus areas in plan order, their activities, and the filtered projects."""

from __future__ import annotations

import json

import pytest

from data.filters import Filter, UnknownMunicipality, parse_filter
from data.models import FocusArea, Project
from data.municipalities import swedish_sort_key
from data.plan import list_plans

from .helpers import SEVEN, seed


def plan_2005(session, flt=Filter()):
    plans = list_plans(session, flt)
    assert [p["year"] for p in plans] == [2005]
    return plans[0]


def test_list_plans_gives_the_2005_plan_with_its_adoption(seeded):
    plan = plan_2005(seeded)
    assert plan["title"] == "Umeåregionens verksamhetsplan 2005"
    assert plan["adopted_on"] == "2004-12-03"
    assert plan["adopted_by"] == "Regionrådet"
    json.dumps(plan)


def test_focus_areas_and_activities_are_in_seed_order(seeded):
    plan = plan_2005(seeded)
    expected = seed("plan_2005.json")["focus_areas"]
    assert [fa["name"] for fa in plan["focus_areas"]] == [fa["name"] for fa in expected]
    for got, want in zip(plan["focus_areas"], expected, strict=True):
        assert [a["title"] for a in got["activities"]] == [a["title"] for a in want["activities"]]


def test_activities_carry_status_responsible_and_due_dates(seeded):
    activities = {a["title"]: a for fa in plan_2005(seeded)["focus_areas"] for a in fa["activities"]}
    assert activities["Kommunstyrelsekonferens"]["due_date"] == "2005-02-03"
    assert activities["Gemensamma system"]["responsible"] == "It-arbetsgruppen"
    assert activities["Webbplats för rekrytering"]["status"] == "pågår"
    assert activities["Medborgarundersökning"]["due_date"] is None
    assert activities["Medborgarundersökning"]["uncertain"]


def test_projects_sit_under_their_focus_area(seeded):
    plan = plan_2005(seeded)
    got = {fa["name"]: sorted(p["name"] for p in fa["projects"]) for fa in plan["focus_areas"]}
    want = {fa["name"]: [] for fa in seed("plan_2005.json")["focus_areas"]}
    for p in seed("projects.json"):
        want[p["focus_area"]].append(p["name"])
    assert got == {k: sorted(v) for k, v in want.items()}


@pytest.mark.parametrize("kommun", SEVEN)
def test_filtering_the_plan_keeps_every_focus_area_and_only_the_municipalitys_projects(seeded, kommun):
    plan = plan_2005(seeded, Filter(kommun))
    assert len(plan["focus_areas"]) == 7
    shown = sorted(p["name"] for fa in plan["focus_areas"] for p in fa["projects"])
    assert shown == sorted(p["name"] for p in seed("projects.json") if kommun in p["municipalities"])


def test_filtering_the_plan_by_vannas(seeded):
    plan = plan_2005(seeded, parse_filter(seeded, "Vännäs"))
    with_projects = {fa["name"]: [p["name"] for p in fa["projects"]] for fa in plan["focus_areas"] if fa["projects"]}
    assert with_projects == {
        "Närings- och utveckling": [
            "Botniabanan som tillväxtfaktor",
            "Stad och Land",
            "Tillväxt i Umeåregionens kranskommuner (TURK)",
        ]
    }


def test_filtering_the_plan_by_an_unknown_name_raises(seeded):
    with pytest.raises(UnknownMunicipality):
        list_plans(seeded, parse_filter(seeded, "Stockholm"))


def test_projects_under_a_focus_area_are_in_swedish_order(seeded):
    fa = seeded.query(FocusArea).filter_by(name="Omvärldsanalys").one()
    names = ["Örat", "Ängen", "Åsen", "Zeta", "alfa"]
    seeded.add_all(Project(name=n, focus_area=fa) for n in names)
    seeded.flush()
    area = next(a for a in plan_2005(seeded)["focus_areas"] if a["name"] == "Omvärldsanalys")
    assert [p["name"] for p in area["projects"]] == sorted(names, key=swedish_sort_key)
