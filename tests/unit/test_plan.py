"""The verksamhetsplan as plain data: focus areas in plan order, their activities, and the filtered projects."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from data.filters import Filter, UnknownMunicipality, parse_filter
from data.models import Activity, FocusArea, Plan, Project
from data.municipalities import swedish_sort_key
from data.plan import latest_plan, list_plans, plan_for_year, plan_years, roll_up, status_counts_text

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


# --- one year's plan for the Verksamhetsplan page ------------------------------------------------------------------


def add_plan_2006(session) -> Plan:
    plan = Plan(year=2006, title="Umeåregionens verksamhetsplan 2006", adopted_on=dt.date(2005, 12, 2))
    area = FocusArea(name="Närings- och utveckling", position=0)
    area.activities = [
        Activity(title="Klar sak", status="klar", position=0),
        Activity(title="Struken sak", status="struken", position=1),
        Activity(title="Pågående sak", status="pågår", position=2),
    ]
    plan.focus_areas = [area, FocusArea(name="Tomt område", position=1)]
    session.add(plan)
    session.flush()
    return plan


def area_named(plan: dict, name: str) -> dict:
    return next(fa for fa in plan["focus_areas"] if fa["name"] == name)


def test_plan_years_are_newest_first(seeded):
    assert plan_years(seeded) == [2005]
    add_plan_2006(seeded)
    assert plan_years(seeded) == [2006, 2005]
    assert latest_plan(seeded)["year"] == 2006


def test_plan_for_year_defaults_to_the_latest_and_says_when_a_year_has_no_plan(seeded):
    add_plan_2006(seeded)
    assert plan_for_year(seeded, None)["year"] == 2006
    chosen = plan_for_year(seeded, 2005)
    assert (chosen["year"], chosen["requested_year_missing"]) == (2005, False)
    missing = plan_for_year(seeded, 1999)
    assert (missing["year"], missing["requested_year_missing"]) == (2006, True)


def test_plan_for_year_without_any_plan(seeded):
    for plan in seeded.query(Plan):
        seeded.delete(plan)
    seeded.flush()
    assert plan_for_year(seeded, None) is None
    assert plan_for_year(seeded, 2005) is None
    assert latest_plan(seeded) is None


def test_plan_for_year_has_the_seed_in_plan_order_with_every_activity_in_full(seeded):
    plan = plan_for_year(seeded, 2005)
    assert plan["title"] == "Umeåregionens verksamhetsplan 2005"
    assert (plan["adopted_on"], plan["adopted_by"]) == ("2004-12-03", "Regionrådet")
    expected = seed("plan_2005.json")["focus_areas"]
    assert [fa["name"] for fa in plan["focus_areas"]] == [fa["name"] for fa in expected]
    for got, want in zip(plan["focus_areas"], expected, strict=True):
        assert [a["title"] for a in got["activities"]] == [a["title"] for a in want["activities"]]
        assert got["activity_count"] == len(want["activities"])
    activities = {a["title"]: a for fa in plan["focus_areas"] for a in fa["activities"]}
    e_kultur = activities["E-kultur"]
    assert (e_kultur["responsible"], e_kultur["due_text"], e_kultur["due_date"]) == (
        "IT-Västerbotten",
        "under april 2005",
        "2005-04-30",
    )
    assert "Förfallodatum (slutrapport) satt till sista dagen i april 2005." in e_kultur["uncertain"]
    json.dumps(plan)


def test_focus_areas_get_readable_unique_anchors(seeded):
    anchors = [fa["anchor"] for fa in plan_for_year(seeded, 2005)["focus_areas"]]
    assert anchors[0] == "insatsomrade-narings-och-utveckling"
    assert "insatsomrade-den-hallbara-umearegionen" in anchors
    assert "insatsomrade-omvarldsanalys" in anchors
    assert len(set(anchors)) == len(anchors)
    assert all(re.fullmatch(r"[a-z0-9-]+", a) for a in anchors)


def test_two_names_with_the_same_anchor_get_the_id_appended(seeded):
    fa = seeded.query(FocusArea).filter_by(name="Omvärldsanalys").one()
    twin = FocusArea(name="Omvärldsanalys!", plan_id=fa.plan_id, position=99)
    seeded.add(twin)
    seeded.flush()
    anchors = [a["anchor"] for a in plan_for_year(seeded, 2005)["focus_areas"]]
    assert anchors[-2:] == ["insatsomrade-omvarldsanalys", f"insatsomrade-omvarldsanalys-{twin.id}"]


def test_progress_is_rolled_up_from_activities_and_projects(seeded):
    plan = plan_for_year(seeded, 2005)
    naring = area_named(plan, "Närings- och utveckling")
    assert naring["activity_counts"] == {"pågår": 4, "planerad": 1}
    assert naring["project_counts"] == {"pågår": 2, "planerad": 2}
    assert (naring["status"], naring["label"], naring["done"], naring["total"]) == ("pågår", "Pågår", 0, 9)
    assert naring["activities_text"] == "4 av 5 aktiviteter pågår, 1 planerad"
    assert naring["projects_text"] == "2 av 4 projekt pågår, 2 planerade"
    omvarld = area_named(plan, "Omvärldsanalys")
    assert (omvarld["status"], omvarld["label"]) == ("planerad", "Planerad")
    assert omvarld["projects_text"] == "inga projekt"


def test_progress_counts_only_the_filtered_projects(seeded):
    naring = area_named(plan_for_year(seeded, 2005, parse_filter(seeded, "Vännäs")), "Närings- och utveckling")
    assert naring["activity_count"] == 5
    assert naring["project_counts"] == {"pågår": 1, "planerad": 2}
    assert [p["name"] for p in naring["projects"]] == [
        "Botniabanan som tillväxtfaktor",
        "Stad och Land",
        "Tillväxt i Umeåregionens kranskommuner (TURK)",
    ]
    assert naring["projects"][0]["status"] == "planerad"


def test_done_items_struck_activities_and_empty_areas(seeded):
    add_plan_2006(seeded)
    plan = plan_for_year(seeded, 2006)
    area = area_named(plan, "Närings- och utveckling")
    # One done, one going on; the struck one counts for neither side. 2006 has no projects of its own.
    assert (area["status"], area["done"], area["total"]) == ("pågår", 1, 2)
    assert area["activities_text"] == "1 av 3 aktiviteter pågår, 1 klar, 1 struken"
    empty = area_named(plan, "Tomt område")
    assert (empty["status"], empty["label"], empty["total"]) == ("inga", "Inget att följa upp", 0)


@pytest.mark.parametrize(
    "activities, projects, status",
    [
        ({"klar": 3}, {"avslutad": 2}, "klar"),
        ({"klar": 1, "struken": 2}, {}, "klar"),
        ({"klar": 1, "planerad": 1}, {}, "pågår"),
        ({"planerad": 2}, {"pågår": 1}, "pågår"),
        ({}, {"pausad": 2}, "pausad"),
        ({"planerad": 1}, {"pausad": 1}, "planerad"),
        ({"struken": 1}, {}, "inga"),
        ({}, {}, "inga"),
    ],
)
def test_roll_up(activities, projects, status):
    assert roll_up(activities, projects)["status"] == status


@pytest.mark.parametrize(
    "counts, text",
    [
        ({"pågår": 4, "planerad": 1}, "4 av 5 aktiviteter pågår, 1 planerad"),
        ({"planerad": 2}, "alla 2 aktiviteter planerade"),
        ({"klar": 1}, "1 aktivitet (klar)"),
        ({"planerad": 1, "klar": 2, "struken": 3}, "1 av 6 aktiviteter planerad, 2 klara, 3 strukna"),
        ({}, "inga aktiviteter"),
    ],
)
def test_status_counts_text(counts, text):
    assert status_counts_text(counts, ("aktivitet", "aktiviteter")) == text


def test_a_focus_area_with_many_projects_shows_the_first_in_swedish_order_and_counts_them_all(seeded):
    fa = seeded.query(FocusArea).filter_by(name="Omvärldsanalys").one()
    names = ["Örat", "Ängen", "Åsen", "Zeta", "alfa", "Beta", "gamma"]
    seeded.add_all(Project(name=n, focus_area=fa, status="pågår") for n in names)
    seeded.flush()
    area = area_named(plan_for_year(seeded, 2005, project_limit=20), "Omvärldsanalys")
    assert [p["name"] for p in area["projects"]] == sorted(names, key=swedish_sort_key)
    limited = area_named(plan_for_year(seeded, 2005, project_limit=3), "Omvärldsanalys")
    assert limited["project_count"] == 7
    assert len(limited["projects"]) == 3
    shown = [p["name"] for p in limited["projects"]]
    assert shown == sorted(shown, key=swedish_sort_key)
