"""The overview as the router draws it: figures, focus-area tiles, funding mix, deadlines and the latest meeting,
for all seven municipalities and for one."""

from __future__ import annotations

import json

from dash._utils import to_json

from callbacks.router import render_page
from dashboard.database import session_scope
from data.models import Meeting, Task
from layouts.overview import href
from tests.callbacks.test_router import text_of

NBSP = "\u00a0"
VANNAS = "?kommun=V%C3%A4nn%C3%A4s"


def find(node, predicate):
    """Every component (as plain JSON) in the tree for which `predicate` holds."""
    if isinstance(node, dict):
        if predicate(node):
            yield node
        for value in node.values():
            yield from find(value, predicate)
    elif isinstance(node, list):
        for value in node:
            yield from find(value, predicate)


def tree(component) -> dict:
    return json.loads(to_json(component))


def by_id(component, element_id: str) -> dict:
    found = list(find(tree(component), lambda n: n.get("props", {}).get("id") == element_id))
    assert len(found) == 1, f"{len(found)} elements with id {element_id}"
    return found[0]


def kpi(page, element_id: str) -> str:
    return by_id(page, element_id)["props"]["children"]


def hrefs(component) -> list[str]:
    return [n["props"]["href"] for n in find(tree(component), lambda n: "href" in n.get("props", {}))]


def overview(search: str = ""):
    page, alert, _ = render_page("/", search)
    assert alert is None
    return page


def test_the_headline_figures_for_all_seven(as_user):
    as_user()
    page = overview()
    assert kpi(page, "overview-projects") == "8"
    assert kpi(page, "overview-active-projects") == "6"
    assert kpi(page, "overview-budget") == f"71{NBSP}056{NBSP}000{NBSP}kr"
    assert kpi(page, "overview-open-tasks") == "15"
    text = text_of(page)
    assert "projekt med status ”pågår”" in text
    assert "Årsbelopp räknat över projektets hela tidsram." in text
    assert "av 15 uppdrag" in text


def test_the_headline_figures_for_vannas(as_user):
    as_user()
    page = overview(VANNAS)
    assert [kpi(page, i) for i in ("overview-projects", "overview-active-projects", "overview-open-tasks")] == [
        "3",
        "1",
        "1",
    ]
    assert kpi(page, "overview-budget") == f"42{NBSP}200{NBSP}000{NBSP}kr"
    assert "Läget för Vännäs" in text_of(page)


def test_the_overdue_count_follows_today(as_user, app):
    as_user()
    # Today is after every due date in the seed: all five dated open tasks are overdue.
    assert kpi(overview(), "overview-overdue-tasks") == "5"
    with session_scope(app.server) as s:
        s.query(Task).filter_by(due_text="Avfallsplanen från 2021").one().status = "klar"
    assert kpi(overview(), "overview-overdue-tasks") == "4"


def test_one_tile_per_focus_area_with_status_in_words_and_a_link_to_its_section(as_user):
    as_user()
    tiles = by_id(overview(), "overview-focus-areas")
    text = text_of(tiles)
    assert text.count("Aktiviteter:") == 7
    assert "Pågår" in text and "Planerad" in text
    assert "4 av 5 aktiviteter pågår, 1 planerad" in text
    assert "2 av 4 projekt pågår, 2 planerade" in text
    links = hrefs(tiles)
    assert links[0] == "/verksamhetsplan#insatsomrade-narings-och-utveckling"
    assert len(links) == 7


def test_tiles_count_only_the_municipalitys_projects_and_keep_the_filter_in_their_links(as_user):
    as_user()
    tiles = by_id(overview(VANNAS), "overview-focus-areas")
    text = text_of(tiles)
    assert "Projekt som berör Vännäs: 1 av 3 projekt pågår, 2 planerade" in text
    # The activities are regional: the same counts as for all seven.
    assert "4 av 5 aktiviteter pågår, 1 planerad" in text
    assert hrefs(tiles)[0] == "/verksamhetsplan?kommun=V%C3%A4nn%C3%A4s#insatsomrade-narings-och-utveckling"


def test_the_funding_mix_has_a_chart_a_table_and_the_unspecified_part(as_user):
    as_user()
    page = overview()
    figure = by_id(page, "overview-funding-graph")["props"]["figure"]
    bar = figure["data"][0]
    assert bar["y"][0] == "Kommunerna" and bar["y"][-1] == "Ej specificerat"
    assert bar["text"][0] == f"6,8{NBSP}%"
    assert bar["text"][-1] == f"89,0{NBSP}%"
    text = text_of(page)
    assert "Visa som tabell" in text
    assert f"63{NBSP}256{NBSP}000{NBSP}kr" in text
    assert "Ej specificerat" in text
    assert f"I ej specificerat ingår 32{NBSP}900{NBSP}000{NBSP}kr från 2 projekt" in text


def test_the_next_deadlines_are_marked_overdue_in_words_when_all_have_passed(as_user):
    as_user()
    deadlines = by_id(overview(), "overview-deadlines")
    text = text_of(deadlines)
    assert text.count("Försenat") == 5
    assert "22 augusti 2019 (”till kommunchefsmötet i augusti”)" in text
    assert text.index("22 augusti 2019") < text.index("1 januari 2021")


def test_upcoming_deadlines_are_not_marked_overdue(as_user, app):
    as_user()
    with session_scope(app.server) as s:
        task = s.query(Task).filter_by(due_text="Avfallsplanen från 2021").one()
        task.due_date = task.due_date.replace(year=2099)
    text = text_of(by_id(overview(VANNAS), "overview-deadlines"))
    assert "1 januari 2099" in text
    assert "Försenat" not in text


def test_the_latest_meeting_links_to_its_page(as_user, app):
    as_user()
    with session_scope(app.server) as s:
        latest = s.query(Meeting).order_by(Meeting.date.desc()).first()
        meeting_id, place = latest.id, latest.place
    section = by_id(overview(VANNAS), "overview-latest-meeting")
    text = text_of(section)
    assert "22 augusti 2019" in text and place in text and "Kommunchefsmöte" in text
    assert f"/moten/{meeting_id}?kommun=V%C3%A4nn%C3%A4s" in hrefs(section)


def test_href_keeps_the_filter_and_adds_a_fragment():
    assert href("/verksamhetsplan", None) == "/verksamhetsplan"
    assert href("/verksamhetsplan", "Umeå", "x") == "/verksamhetsplan?kommun=Ume%C3%A5#x"
    assert href("/projekt", "Umeå", insatsomrade="3") == "/projekt?insatsomrade=3&kommun=Ume%C3%A5"


def test_the_overview_headings_are_in_order(as_user):
    as_user()
    levels = [
        int(n["type"][1])
        for n in find(
            tree(overview()),
            lambda n: n.get("namespace") == "dash_html_components" and n.get("type") in {"H1", "H2", "H3", "H4"},
        )
    ]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
