"""The overview as the router draws it: figures, what needs attention, what changed since the last meeting,
focus-area tiles, funding mix, deadlines and the latest meeting, for all seven municipalities and for one."""

from __future__ import annotations

import datetime as dt

from callbacks.router import render_page
from dashboard.database import session_scope
from data.changes import changes_since, default_since
from data.filters import Filter
from data.models import Activity, FundingLine, Meeting, Phase, Project, Task
from data.overview import overview as overview_data
from data.signals import attention_signals
from layouts.overview import href, keep_filter, overview_page
from tests.callbacks.test_router import text_of
from tests.callbacks.tree import find, tree

NBSP = "\u00a0"
VANNAS = "?kommun=V%C3%A4nn%C3%A4s"


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


# --- Att uppmärksamma and Sedan förra mötet -------------------------------------------------------------------


def shown(node) -> str:
    """The text a person reads in a component tree (only the children, joined as the browser joins them)."""
    if isinstance(node, str):
        return node
    if isinstance(node, (int, float)):
        return str(node)
    if isinstance(node, list):
        return "".join(shown(n) for n in node)
    if isinstance(node, dict):
        return shown(node.get("props", {}).get("children"))
    return ""


def items(component) -> list[str]:
    """The text of each list item (li) in the tree, in order."""
    return [shown(n) for n in find(tree(component), lambda n: n.get("type") == "Li")]


def full_signals(app, kommun: str | None = None) -> dict:
    with session_scope(app.server) as s:
        return attention_signals(s, Filter(kommun), today=dt.date.today())


def full_changes(app, kommun: str | None = None) -> tuple[dict, str]:
    with session_scope(app.server) as s:
        since, label = default_since(s, dt.date.today())
        return changes_since(s, since, Filter(kommun), today=dt.date.today()), label


def test_the_signals_come_before_the_plan_with_every_kinds_count_and_the_first_three_reasons(as_user, app):
    as_user()
    page = overview()
    full = full_signals(app)
    section = by_id(page, "overview-signals")
    text = shown(section)
    # 5 overdue tasks, 7 projects past their end, 1 funding gap, and the demo data (as of its minutes, 2019-05-16)
    # not updated since the kommunchefsmöte of 2019-08-22: 8 open projects and 23 open activities.
    assert f"Att uppmärksamma ({full['count']})" in text and full["count"] == 44
    found = [g for g in full["groups"] if g["signals"]]
    assert {g["kind"] for g in found} == {"task_overdue", "project_past_end", "funding_gap", "not_updated"}
    for group in found:
        assert f"{group['label']} ({len(group['signals'])})" in text
        for signal in group["signals"][:3]:
            assert f"{signal['title']}: {signal['reason']}" in text
        for signal in group["signals"][3:]:
            assert f"{signal['title']}: {signal['reason']}" not in text
        more = len(group["signals"]) - 3
        assert (f"… och {more} till" in text) == (more > 0)
    # The kinds without any signal are named, so that "nothing" is said rather than left out.
    assert "Inget under ”Uppdrag som ska vara klara före nästa möte” och ”Etapper utanför projektets tidsram”." in text
    assert "Jämfört med kommunchefsmötet 2019-08-22." in text
    whole = text_of(page)
    assert whole.index("Att uppmärksamma") < whole.index("Sedan förra mötet") < whole.index("Insatsområden")


def test_the_signals_for_vannas_keep_the_filter_in_every_link(as_user, app):
    as_user()
    full = full_signals(app, "Vännäs")
    section = by_id(overview(VANNAS), "overview-signals")
    text = text_of(section)
    assert f"Att uppmärksamma ({full['count']})" in text
    assert "Uppdrag och projekt som berör Vännäs; aktiviteterna gäller hela regionen." in text
    links = [link for link in hrefs(section) if not link.startswith("/forandringar")]  # "… och N till"
    expected = [keep_filter(s["link"], "Vännäs") for g in full["groups"] for s in g["signals"][:3]]
    assert links[: len(expected)] == expected and expected
    assert all(link.endswith(VANNAS) for link in links)
    assert any(link.startswith("/projekt/") for link in links)


def test_nothing_to_attend_to_says_so(as_user, app):
    as_user()
    with session_scope(app.server) as s:
        for task in s.query(Task):
            task.status = "klar"
        for project in s.query(Project):
            project.status = "avslutad"
        for activity in s.query(Activity):
            activity.status = "klar"
        s.query(FundingLine).delete()
        s.query(Phase).delete()
    section = by_id(overview(VANNAS), "overview-signals")
    text = text_of(section)
    assert "Att uppmärksamma (0)" in text
    assert "Inget att uppmärksamma för Vännäs just nu." in text
    assert not list(find(tree(section), lambda n: n.get("type") == "H3"))


def test_the_changes_since_the_last_meeting_are_counted_and_lead_to_the_changes_page(as_user, app):
    as_user()
    for kommun, search in ((None, ""), ("Vännäs", VANNAS)):
        full, label = full_changes(app, kommun)
        section = by_id(overview(search), "overview-changes")
        assert label == "sedan kommunchefsmötet 2019-08-22"
        assert f"Förändringar {label}." in shown(section)
        expected = [
            ("Nya uppdrag", len(full["tasks"]["added"])),
            ("Uppdrag som blivit klara", len(full["tasks"]["completed"])),
            ("Uppdrag som blivit försenade", len(full["tasks"]["overdue"])),
            ("Uppdrag med nytt datum", len(full["tasks"]["redated"])),
            ("Projekt med ändringar", len(full["projects"])),
            ("Aktiviteter med ny status", len(full["activities"])),
            ("Importer", len(full["imports"])),
        ]
        assert items(section) == [f"{label}{n}" for label, n in expected]
        assert any(n for _, n in expected)
        assert set(hrefs(section)) == {href("/forandringar", kommun)}
        assert len(hrefs(section)) == len(expected) + 1


def test_no_changes_since_the_last_meeting_says_so(as_user, app):
    as_user()
    with session_scope(app.server) as s:
        data = overview_data(s, Filter("Vännäs"))
    data["changes"] = {
        **data["changes"],
        "tasks": dict.fromkeys(data["changes"]["tasks"], 0),
        "projects": 0,
        "activities": 0,
        "imports": 0,
    }
    section = by_id(overview_page(data, "Vännäs"), "overview-changes")
    assert "Inga förändringar sedan kommunchefsmötet 2019-08-22." in text_of(section)
    assert items(section) == []
    assert hrefs(section) == ["/forandringar" + VANNAS]


def test_keep_filter_adds_the_municipality_to_a_link_with_a_query_of_its_own():
    assert keep_filter("/verksamhetsplan?ar=2005", "Vännäs") == "/verksamhetsplan?ar=2005&kommun=V%C3%A4nn%C3%A4s"
    assert keep_filter("/projekt/3", None) == "/projekt/3"
