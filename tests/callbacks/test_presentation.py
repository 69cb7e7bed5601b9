"""Presentation: one slide per render from the URL (?bild, ?kommun, ?spela), and the callbacks that move between
slides."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from dash import no_update
from dash._utils import to_json
from sqlalchemy import select

from callbacks import presentation as pres
from callbacks.router import render_page
from callbacks.routing import params_from_search
from dashboard.database import session_scope
from data.filters import Filter
from data.models import FocusArea, Plan, Project
from layouts import presentation as view
from tests.callbacks.test_router import text_of

VANNAS = "?kommun=V%C3%A4nn%C3%A4s"
FOCUS_AREAS = [
    "Närings- och utveckling",
    "Förnyelse av offentlig verksamhet",
    "Infrastruktur",
    "Kultur och kompetensutveckling",
    "Den hållbara Umeåregionen",
    "Internationalisering",
    "Omvärldsanalys",
]
TITLES = ["Översikt", *FOCUS_AREAS, "Projektens tidslinje", "Finansiering", "Öppna uppdrag"]


def render(search: str = ""):
    page, alert, shell_class = render_page("/presentation", search)
    assert shell_class == "presentation-mode"
    return page, alert


def find(node, component_id):
    """The component with this id in a rendered tree (as plain JSON), or None."""
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == component_id:
            return node
        for value in node.values():
            found = find(value, component_id)
            if found is not None:
                return found
    elif isinstance(node, list):
        for value in node:
            found = find(value, component_id)
            if found is not None:
                return found
    return None


def tree(page) -> dict:
    return json.loads(to_json(page))


def component_types(node) -> set[str]:
    found = set()
    if isinstance(node, dict):
        if "type" in node and "namespace" in node:
            found.add(node["type"])
        for value in node.values():
            found |= component_types(value)
    elif isinstance(node, list):
        for value in node:
            found |= component_types(value)
    return found


def h1(page) -> str:
    return text_of(find(tree(page), view.TITLE)["props"]["children"])


def position(page) -> str:
    return find(tree(page), view.POSITION)["props"]["children"]


@pytest.mark.parametrize(
    ("bild", "expected"),
    [
        (
            1,
            [
                "71\u00a0056\u00a0000\u00a0kr",
                "Försenade uppdrag",
                "6 pågår, 2 planerad",
                "Insatsområden i Umeåregionens verksamhetsplan 2005",
                "aktiviteter: 4 pågår, 1 planerad · 4 projekt",
                "aktiviteter: 1 pågår, 8 planerad · 0 projekt",
            ],
        ),
        (2, ["Aktiviteter", "Webbplats för rekrytering", "Personalarbetsgruppen", "Stad och Land", "UME&Co"]),
        (3, ["Telefoniupphandling", "9 aktiviteter", "Inga projekt."]),
        (4, ["E12 Alliansen/Blå Vägen", "Via Uma"]),
        (5, ["E-kultur", "Bibliotek 2007", "LAPP; Local Action Plans in Progress"]),
        (6, ["Bio Fuel Region"]),
        (7, ["Internationell profil och Europaforum i Åre"]),
        (8, ["Bevakning av regionala utvecklingsfrågor"]),
        (9, ["Botniabanan som tillväxtfaktor", "Etapp 1", "Utan fullständig tidsram: Bio Fuel Region, Via Uma"]),
        (10, ["ej specificerat 750\u00a0000\u00a0kr", "4 finansiärer utan belopp", "Ej specificerat"]),
        (11, ["15 öppna uppdrag, varav 5 försenade", "Försenad", "2019-08-22", "”till kommunchefsmötet i augusti”"]),
    ],
)
def test_every_slide_renders_the_seeded_data(as_user, bild, expected):
    as_user()
    page, alert = render(f"?bild={bild}")
    text = text_of(page)
    assert alert is None
    assert h1(page) == TITLES[bild - 1]
    assert position(page) == f"Bild {bild} av 11: {TITLES[bild - 1]}"
    for snippet in expected:
        assert snippet in text, snippet


def test_a_focus_area_slide_says_which_of_the_plans_focus_areas_it_is(as_user):
    as_user()
    page, _ = render("?bild=3")
    assert "Insatsområde 2 av 7 · Umeåregionens verksamhetsplan 2005 · Alla sju kommuner" in text_of(page)


def test_the_slide_count_is_the_fixed_slides_plus_the_latest_plans_focus_areas(as_user):
    as_user()
    assert position(render()[0]) == "Bild 1 av 11: Översikt"
    with session_scope() as s:
        s.add(
            Plan(
                year=2006,
                title="Verksamhetsplan 2006",
                focus_areas=[FocusArea(name="Första", position=0), FocusArea(name="Andra", position=1)],
            )
        )
    assert position(render()[0]) == "Bild 1 av 6: Översikt"
    assert h1(render("?bild=3")[0]) == "Andra"
    assert h1(render("?bild=4")[0]) == "Projektens tidslinje"


def test_slides_are_listed_in_order():
    outline = {"title": "P", "focus_areas": [{"id": 7, "name": "A"}, {"id": 9, "name": "B"}]}
    slides = pres.slide_list(outline)
    assert [s.title for s in slides] == ["Översikt", "A", "B", "Projektens tidslinje", "Finansiering", "Öppna uppdrag"]
    assert [s.focus_area_id for s in slides[1:3]] == [7, 9]
    assert len(pres.slide_list(None)) == 4


@pytest.mark.parametrize(
    ("bild", "shown"), [("0", 1), ("-3", 1), ("99", 11), ("abc", 1), ("", 1), ("11", 11), ("2.5", 1)]
)
def test_a_slide_number_out_of_range_is_clamped(as_user, bild, shown):
    as_user()
    page, _ = render(f"?bild={bild}")
    assert position(page).startswith(f"Bild {shown} av 11:")
    assert find(tree(page), view.STATE)["props"]["data"] == {"bild": shown, "antal": 11, "kommun": "alla"}


def test_the_municipality_narrows_every_slide(as_user):
    as_user()
    overview = text_of(render("?bild=1&kommun=V%C3%A4nn%C3%A4s")[0])
    assert "Vännäs" in overview
    assert "1 pågår, 2 planerad" in overview
    assert "aktiviteter: 4 pågår, 1 planerad · 3 projekt" in overview
    area = render("?bild=2&kommun=V%C3%A4nn%C3%A4s")[0]
    assert "3 projekt: 1 pågår, 2 planerad" in text_of(area)
    assert "UME&Co" not in text_of(area)
    assert "Insatsområde 1 av 7 · Umeåregionens verksamhetsplan 2005 · Vännäs" in text_of(area)
    timeline = text_of(render("?bild=9&kommun=V%C3%A4nn%C3%A4s")[0])
    assert "Bibliotek 2007" not in timeline and "Stad och Land" in timeline
    funding = text_of(render("?bild=10&kommun=V%C3%A4nn%C3%A4s")[0])
    assert "LAPP" not in funding and "ej specificerat 750\u00a0000\u00a0kr" in funding
    tasks = text_of(render("?bild=11&kommun=V%C3%A4nn%C3%A4s")[0])
    assert "1 öppet uppdrag, varav 1 försenat" in tasks
    assert "Ta fram en gemensam avfallsplan" in tasks


def test_the_municipality_select_and_the_exit_link_follow_the_url(as_user):
    as_user()
    page = tree(render("?bild=4&kommun=V%C3%A4nn%C3%A4s")[0])
    assert find(page, view.KOMMUN_SELECT)["props"]["value"] == "Vännäs"
    assert find(page, view.STATE)["props"]["data"]["kommun"] == "Vännäs"
    assert find(page, view.EXIT)["props"]["href"] == "/?kommun=V%C3%A4nn%C3%A4s"
    page = tree(render("?bild=4")[0])
    assert find(page, view.KOMMUN_SELECT)["props"]["value"] == "alla"
    assert find(page, view.EXIT)["props"]["href"] == "/"


def test_an_unknown_municipality_shows_all_seven_with_a_notice(as_user):
    as_user()
    page, alert = render("?bild=1&kommun=Stockholm")
    assert "Okänd kommun" in text_of(alert)
    assert "Alla sju kommuner" in text_of(page)


def test_automatic_advance_is_off_unless_the_url_says_it_plays(as_user):
    as_user()
    page = tree(render("?bild=2")[0])
    assert find(page, view.INTERVAL)["props"]["disabled"] is True
    assert find(page, view.INTERVAL)["props"]["interval"] == 20_000
    assert "Visa automatiskt (20 s per bild)" in text_of(find(page, view.PLAY))
    page = tree(render("?bild=2&spela=ja")[0])
    assert find(page, view.INTERVAL)["props"]["disabled"] is False
    assert "Pausa automatisk visning" in text_of(find(page, view.PLAY))


def test_the_page_has_no_editing_controls(as_user):
    as_user()
    for bild in range(1, 12):
        types = component_types(tree(render(f"?bild={bild}")[0]))
        assert not types & {"Input", "Textarea", "Upload", "AgGrid", "Checklist", "RadioItems", "Dropdown", "Form"}


def test_only_the_current_slide_is_built(as_user, monkeypatch):
    as_user()
    called = []
    names = ["overview_figures", "focus_area_counts", "focus_area_slide", "timeline_rows", "funding_overview"]
    for name in [*names, "open_tasks_slide", "project_status_counts"]:
        original = getattr(pres, name)
        monkeypatch.setattr(pres, name, lambda *a, _n=name, _f=original, **k: called.append(_n) or _f(*a, **k))
    render("?bild=10")
    assert called == ["funding_overview"]


def test_a_large_focus_area_shows_the_first_projects_and_counts_the_rest(as_user):
    as_user()
    with session_scope() as s:
        area = s.scalars(select(FocusArea).where(FocusArea.name == "Omvärldsanalys")).one()
        for n in range(30):
            s.add(Project(name=f"Stort projekt {n:02d}", focus_area=area, status="pågår"))
    page, _ = render("?bild=8")
    text = text_of(page)
    assert "30 projekt: 30 pågår" in text
    assert "Stort projekt 09" in text and "Stort projekt 10" not in text
    assert "… och 20 projekt till." in text


# --- the callbacks ------------------------------------------------------------------------------------------------

STATE = {"bild": 3, "antal": 11}


@pytest.mark.parametrize(
    ("search", "trigger", "expected"),
    [
        ("?bild=3", view.NEXT, {"bild": "4"}),
        ("?bild=3", view.PREV, {"bild": "2"}),
        ("?bild=3&kommun=V%C3%A4nn%C3%A4s", view.NEXT, {"bild": "4", "kommun": "Vännäs"}),
        ("?bild=3&spela=ja", view.NEXT, {"bild": "4", "spela": "ja"}),
        ("", view.NEXT, {"bild": "2"}),
        ("?bild=3", view.FIRST, {"bild": "1"}),
        ("?bild=3", view.LAST, {"bild": "11"}),
        ("?bild=99", view.PREV, {"bild": "10"}),
    ],
)
def test_the_buttons_move_between_slides_and_keep_the_rest_of_the_url(search, trigger, expected):
    new = pres.navigate(1, 1, 1, 1, search, STATE, trigger)
    assert params_from_search(new) == expected


@pytest.mark.parametrize(
    ("search", "trigger"),
    [("?bild=1", view.PREV), ("?bild=11", view.NEXT), ("?bild=1", view.FIRST), ("?bild=11", view.LAST)],
)
def test_at_either_end_the_buttons_leave_the_url_alone(search, trigger):
    assert pres.navigate(1, 1, 1, 1, search, STATE, trigger) is no_update


@pytest.mark.parametrize("trigger", [view.PREV, view.NEXT, view.FIRST, view.LAST])
def test_a_freshly_drawn_button_does_not_move(trigger):
    # Dash calls the callback when the router draws the page anew; the new buttons have not been clicked.
    assert pres.navigate(0, 0, 0, 0, "?bild=3", STATE, trigger) is no_update


def test_a_freshly_drawn_page_neither_advances_nor_toggles_playing():
    assert pres.advance(0, "?bild=3&spela=ja", STATE) is no_update
    assert pres.toggle_autoplay(0, "?bild=3") is no_update
    assert pres.choose_kommun("Vännäs", "?bild=3&kommun=V%C3%A4nn%C3%A4s", {"kommun": "Vännäs"}) is no_update
    assert pres.choose_kommun("alla", "?bild=3", {"kommun": "alla"}) is no_update


def test_automatic_advance_goes_to_the_next_slide_and_round_again():
    assert params_from_search(pres.advance(1, "?bild=3&spela=ja", STATE)) == {"bild": "4", "spela": "ja"}
    assert params_from_search(pres.advance(1, "?bild=11&spela=ja&kommun=Vindeln", STATE)) == {
        "bild": "1",
        "spela": "ja",
        "kommun": "Vindeln",
    }


def test_play_and_pause_toggle_the_url():
    assert params_from_search(pres.toggle_autoplay(1, "?bild=3")) == {"bild": "3", "spela": "ja"}
    assert params_from_search(pres.toggle_autoplay(1, "?bild=3&spela=ja")) == {"bild": "3"}


def test_choosing_a_municipality_keeps_the_slide():
    drawn_for_all = {"bild": 5, "antal": 11, "kommun": "alla"}
    drawn_for_vindeln = {"bild": 5, "antal": 11, "kommun": "Vindeln"}
    assert params_from_search(pres.choose_kommun("Vännäs", "?bild=5", drawn_for_all)) == {
        "bild": "5",
        "kommun": "Vännäs",
    }
    assert params_from_search(pres.choose_kommun("alla", "?bild=5&kommun=Vindeln", drawn_for_vindeln)) == {"bild": "5"}


def test_the_municipality_the_page_was_drawn_with_is_no_choice():
    # An unknown ?kommun draws all seven with a notice; the select's own value must not rewrite the URL.
    drawn = {"bild": 5, "antal": 11, "kommun": "alla"}
    assert pres.choose_kommun("alla", "?bild=5&kommun=Stockholm", drawn) is no_update
    assert pres.choose_kommun("Vindeln", "?bild=5&kommun=Vindeln", {**drawn, "kommun": "Vindeln"}) is no_update


def test_the_callbacks_write_the_url_and_never_run_on_first_render(app):
    ours = [cb for cb in app._callback_list if any(i["id"].startswith("presentation-") for i in cb["inputs"])]
    inputs = {i["id"] for cb in ours for i in cb["inputs"]}
    assert inputs == {view.PREV, view.NEXT, view.FIRST, view.LAST, view.INTERVAL, view.PLAY, view.KOMMUN_SELECT}
    assert all(cb["output"].startswith("shell-url.search@") for cb in ours)
    # The router redraws the page on every URL change; a callback that ran on first render would loop.
    assert all(cb["prevent_initial_call"] for cb in ours)


def test_the_page_is_small(as_user):
    as_user()
    for bild in range(1, 12):
        assert len(to_json(render(f"?bild={bild}")[0])) < 60_000


def test_the_builder_passes_today_to_the_slides(as_user):
    as_user()
    with session_scope() as s:
        page = pres.build_presentation(s, Filter(), {"bild": "11"}, today=dt.date(2019, 6, 1))
    assert "15 öppna uppdrag, varav 0 försenade" in text_of(page)
