"""The Verksamhetsplan page as the router draws it, and the year select that writes `?ar=` to the URL."""

from __future__ import annotations

import datetime as dt

import pytest
from dash import no_update

from callbacks.plan import build_plan, choose_year, requested_year
from callbacks.router import render_page
from dashboard.database import session_scope
from data.filters import Filter
from data.models import Activity, FocusArea, Plan
from tests.callbacks.test_overview import by_id, find, hrefs, tree
from tests.callbacks.test_router import text_of

VANNAS = "kommun=V%C3%A4nn%C3%A4s"


def plan_page(search: str = ""):
    page, alert, _ = render_page("/verksamhetsplan", search)
    assert alert is None
    return page


def add_plan_2006(app) -> None:
    with session_scope(app.server) as s:
        area = FocusArea(name="Infrastruktur", position=0)
        area.activities = [
            Activity(title="Dubbelspår", status="klar", responsible="Kansliet", position=0),
            Activity(title="Ny station", status="pågår", due_text="under hösten", due_date=dt.date(2006, 11, 30)),
        ]
        s.add(
            Plan(
                year=2006,
                title="Umeåregionens verksamhetsplan 2006",
                adopted_on=dt.date(2005, 12, 2),
                adopted_by="Regionrådet",
                focus_areas=[area],
            )
        )


def h1(page) -> str:
    return next(find(tree(page), lambda n: n.get("type") == "H1"))["props"]["children"]


def select(page) -> dict:
    return by_id(page, "plan-year-select")["props"]


def test_the_plan_page_shows_the_latest_plan_and_its_year_in_the_select(as_user, app):
    as_user()
    page = plan_page()
    assert h1(page) == "Umeåregionens verksamhetsplan 2005"
    assert select(page)["value"] == "2005"
    add_plan_2006(app)
    page = plan_page()
    assert h1(page) == "Umeåregionens verksamhetsplan 2006"
    assert [o["value"] for o in select(page)["options"]] == ["2006", "2005"]
    assert select(page)["value"] == "2006"


def test_the_url_year_chooses_the_plan(as_user, app):
    as_user()
    add_plan_2006(app)
    page = plan_page("?ar=2005&" + VANNAS)
    assert h1(page) == "Umeåregionens verksamhetsplan 2005"
    assert select(page)["value"] == "2005"


@pytest.mark.parametrize("year", ["1999", "tjugohundrafem"])
def test_a_year_without_a_plan_says_so_and_shows_the_latest(as_user, year):
    as_user()
    page = plan_page(f"?ar={year}")
    assert h1(page) == "Umeåregionens verksamhetsplan 2005"
    assert f"Det finns ingen verksamhetsplan för ”{year}”. Visar 2005." in text_of(page)


def test_choosing_a_year_writes_it_to_the_url_and_keeps_the_municipality():
    assert choose_year("2006", "?" + VANNAS) == "?" + VANNAS + "&ar=2006"
    assert choose_year("2005", "?ar=2006") == "?ar=2005"
    assert choose_year("2005", "?ar=2005") is no_update
    assert choose_year(None, "?ar=2005") is no_update
    # The select reports its value when it is drawn: the year already shown changes nothing.
    assert choose_year("2005", "?" + VANNAS, {"year": "2005"}) is no_update
    assert choose_year("2004", "?" + VANNAS, {"year": "2005"}) == "?" + VANNAS + "&ar=2004"


@pytest.mark.parametrize(
    "params, year", [({}, None), ({"ar": "2005"}, 2005), ({"ar": " 2006 "}, 2006), ({"ar": "x"}, None)]
)
def test_requested_year(params, year):
    assert requested_year(params) == year


def test_every_focus_area_has_a_section_with_progress_as_bar_and_text(as_user):
    as_user()
    page = plan_page()
    sections = list(
        find(
            tree(page),
            lambda n: n.get("type") == "Section" and str(n["props"].get("id", "")).startswith("insatsomrade-"),
        )
    )
    assert len(sections) == 7
    first = sections[0]
    assert first["props"]["id"] == "insatsomrade-narings-och-utveckling"
    bars = list(find(first, lambda n: n.get("props", {}).get("role") == "progressbar"))
    assert len(bars) == 1
    assert bars[0]["props"]["aria-label"] == "Andel klara eller avslutade i Närings- och utveckling"
    assert bars[0]["props"]["aria-valuetext"] == "0 av 9 klara/avslutade"
    text = text_of(first)
    assert "0 av 9 klara/avslutade" in text
    assert "Aktiviteter: 4 av 5 aktiviteter pågår, 1 planerad." in text
    assert "Pågår" in text


def test_activities_open_their_details(as_user):
    as_user()
    page = plan_page()
    details = list(find(tree(page), lambda n: n.get("type") == "Details"))
    assert len(details) == 23
    e_kultur = next(d for d in details if "E-kultur" in text_of(d))
    text = text_of(e_kultur)
    assert "IT-Västerbotten" in text
    assert "”under april 2005” (som det står i planen), tolkat som 2005-04-30" in text
    assert "Osäkert i källan:" in text
    assert "Förfallodatum (slutrapport) satt till sista dagen i april 2005." in text


def test_projects_link_to_their_pages_and_the_filter_narrows_them(as_user):
    as_user()
    everyone = plan_page()
    project_links = [h for h in hrefs(everyone) if h.startswith("/projekt/")]
    assert len(project_links) == 8
    vannas = plan_page("?" + VANNAS)
    links = [h for h in hrefs(vannas) if h.startswith("/projekt/")]
    assert len(links) == 3
    assert all(h.endswith("?" + VANNAS) for h in links)
    text = text_of(vannas)
    assert "Tillväxt i Umeåregionens kranskommuner (TURK)" in text
    assert "Bibliotek 2007" not in text
    assert "Aktiviteterna gäller hela regionen och visas alltid alla." in text
    # Every activity is still there.
    assert len(list(find(tree(vannas), lambda n: n.get("type") == "Details"))) == 23


def test_a_focus_area_with_more_projects_than_shown_links_to_all_of_them(as_user, app):
    as_user()
    from data.models import Project

    with session_scope(app.server) as s:
        area = s.query(FocusArea).filter_by(name="Omvärldsanalys").one()
        s.add_all(Project(name=f"Omvärldsprojekt {n:02d}", focus_area=area) for n in range(30))
    with session_scope(app.server) as s:
        page = build_plan(s, Filter(), {})
    section = by_id(page, "insatsomrade-omvarldsanalys")
    assert "Visar 10 av 30 projekt." in text_of(section)
    # The Projekt page filters by the focus area's name.
    assert "/projekt?insatsomrade=Omv%C3%A4rldsanalys" in hrefs(section)


def test_the_plan_page_headings_are_in_order(as_user):
    as_user()
    levels = [
        int(n["type"][1])
        for n in find(
            tree(plan_page()),
            lambda n: n.get("namespace") == "dash_html_components" and n.get("type") in {"H1", "H2", "H3", "H4"},
        )
    ]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_a_focus_area_with_many_activities_shows_the_first_and_links_to_all(as_user, app):
    as_user()
    from data.models import Activity

    with session_scope(app.server) as s:
        area = s.query(FocusArea).filter_by(name="Omvärldsanalys").one()
        s.add_all(Activity(title=f"Extra aktivitet {n:02d}", focus_area=area, position=100 + n) for n in range(30))
        area_id = area.id
    with session_scope(app.server) as s:
        page = build_plan(s, Filter(), {})
        expanded = build_plan(s, Filter(), {"alla": str(area_id)})
    section = by_id(page, "insatsomrade-omvarldsanalys")
    assert "Visar 10 av 34 aktiviteter." in text_of(section)
    assert f"/verksamhetsplan?ar=2005&alla={area_id}#insatsomrade-omvarldsanalys" in hrefs(section)
    assert "Extra aktivitet 29" not in text_of(section)
    all_of_them = by_id(expanded, "insatsomrade-omvarldsanalys")
    assert "Extra aktivitet 29" in text_of(all_of_them)
    assert "Visar" not in text_of(all_of_them).split("Projekt")[0]
