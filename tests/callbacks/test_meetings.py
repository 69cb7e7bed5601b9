"""Möten through the router: the list a page at a time, one meeting with its follow-up list, a missing one."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from callbacks.router import render_page
from dashboard.database import session_scope
from data.models import Meeting
from tests.callbacks.test_router import text_of
from tests.callbacks.tree import find, tree

VANNAS_Q = "?kommun=V%C3%A4nn%C3%A4s"


def meeting_id(app, date: str) -> int:
    with session_scope(app.server) as s:
        return s.scalars(select(Meeting.id).where(Meeting.date == dt.date.fromisoformat(date))).one()


def table_rows(component) -> list[list[str]]:
    """The body rows of the first table in `component`, each cell as its text."""
    body = next(find(tree(component), lambda n: n.get("type") == "Tbody"))
    return [
        [" ".join(_texts(td["props"].get("children"))) for td in tr["props"]["children"]]
        for tr in find(body, lambda n: n.get("type") == "Tr")
    ]


def _texts(node) -> list[str]:
    if isinstance(node, str | int | float):
        return [str(node)]
    if isinstance(node, list):
        return [t for child in node for t in _texts(child)]
    if isinstance(node, dict):
        return _texts(node.get("props", {}).get("children"))
    return []


def add_meetings(app, n: int) -> None:
    with session_scope(app.server) as s:
        for i in range(n):
            s.add(Meeting(kind="annat", date=dt.date(2030, 1, 1) + dt.timedelta(days=i), place=f"Rum {i}"))


def test_list_shows_each_meeting_with_date_kind_place_and_counts(app, as_user):
    as_user()
    text = text_of(render_page("/moten", "")[0])
    for expected in ("16 maj 2019", "Kommunchefsmöte", "Skellefteå stadshus samt via länk", "Dagordningspunkter"):
        assert expected in text
    assert f"/moten/{meeting_id(app, '2019-05-16')}" in text
    assert text.index("22 augusti 2019") < text.index("20 juni 2019") < text.index("16 maj 2019")
    assert "3 möten" in text


def test_list_for_vannas_keeps_the_filter_on_links_and_counts_its_open_tasks(app, as_user):
    as_user()
    text = text_of(render_page("/moten", VANNAS_Q)[0])
    assert f"/moten/{meeting_id(app, '2019-05-16')}{VANNAS_Q}" in text
    assert "som berör Vännäs" in text
    may = next(r for r in table_rows(render_page("/moten", VANNAS_Q)[0]) if r[0] == "16 maj 2019")
    assert may[3:] == ["11", "1"]  # 11 agenda items, 1 open task about Vännäs
    everyone = next(r for r in table_rows(render_page("/moten", "")[0]) if r[0] == "16 maj 2019")
    assert everyone[3:] == ["11", "15"]


def test_list_is_paged_with_links_that_keep_the_filter(app, as_user):
    add_meetings(app, 30)
    as_user()
    first = text_of(render_page("/moten", VANNAS_Q)[0])
    assert "Sida 1 av 2" in first and "Äldre möten →" in first
    assert f"/moten{VANNAS_Q}&sida=2" in first
    assert "Rum 29" in first and "Skellefteå stadshus" not in first
    second = text_of(render_page("/moten", VANNAS_Q + "&sida=2")[0])
    assert "Sida 2 av 2" in second and "Skellefteå stadshus" in second and "← Nyare möten" in second
    assert text_of(render_page("/moten", "?sida=nonsens")[0]).count("Sida 1 av 2") == 1


def test_meeting_page_shows_time_place_participants_agenda_and_follow_up(app, as_user):
    as_user()
    page = text_of(render_page(f"/moten/{meeting_id(app, '2019-05-16')}", "")[0])
    for expected in (
        "Kommunchefsmöte 16 maj 2019",
        "14:30–16:00",
        "Skellefteå stadshus samt via länk",
        "Maria Persson",
        "sekreterare, organisatör, deltagare",
        "Föredragande:",
        "Beslut",
        "Uppföljning inför nästa möte (22 augusti 2019)",
        "Punkt 4: Uppföljning Umeåregionens regionråd",
        "Ansvarig: Karin Ahnqvist, Maria Persson",
        "Ingen ansvarig angiven",
    ):
        assert expected in page, expected
    assert f"/moten/{meeting_id(app, '2019-08-22')}" in page  # the next meeting, linked


def test_meeting_page_for_vannas_says_how_many_tasks_it_shows(app, as_user):
    as_user()
    page = text_of(render_page(f"/moten/{meeting_id(app, '2019-05-16')}", VANNAS_Q)[0])
    assert "Visar de uppdrag som berör Vännäs: 1 av 15." in page
    assert "gemensam avfallsplan" in page and "reklamfilm" not in page
    assert f"/moten{VANNAS_Q}" in page


def test_a_meeting_without_agenda_says_so(app, as_user):
    as_user()
    page = text_of(render_page(f"/moten/{meeting_id(app, '2019-08-22')}", "")[0])
    assert "Ingen dagordning inläst." in page and "Inga öppna uppdrag från det här mötet." in page
    assert "ej angiven" in page


def test_a_missing_meeting_says_so_in_swedish(as_user):
    as_user()
    page = text_of(render_page("/moten/987654", "")[0])
    assert "Mötet finns inte" in page and "inget möte med nummer 987654" in page


def test_a_meeting_address_that_is_not_a_number_is_not_found(as_user):
    as_user()
    assert "Mötet finns inte" not in text_of(render_page("/moten/abc", "")[0])
