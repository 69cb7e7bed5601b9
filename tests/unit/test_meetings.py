"""Meetings as plain data: newest first, with participants, agenda, decisions and the tasks that concern the filter."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from data.filters import Filter, UnknownMunicipality, parse_filter
from data.meetings import list_meetings

from .helpers import seed, seed_tasks, task_concerns

TODAY = dt.date(2019, 9, 1)


def meeting_on(meetings, date):
    return next(m for m in meetings if m["date"] == date)


def test_list_meetings_returns_every_seed_meeting_newest_first(seeded):
    meetings = list_meetings(seeded, today=TODAY)
    assert [m["date"] for m in meetings] == sorted((m["date"] for m in seed("meetings.json")), reverse=True)
    json.dumps(meetings)


def test_meeting_has_times_place_secretary_and_next_meeting(seeded):
    m = meeting_on(list_meetings(seeded, today=TODAY), "2019-05-16")
    assert (m["start_time"], m["end_time"]) == ("14:30", "16:00")
    assert m["kind"] == "kommunchefsmöte"
    assert m["secretary"] == "Maria Persson"
    assert m["next_meeting_date"] == "2019-08-22"
    assert m["place"] == "Skellefteå stadshus samt via länk"


def test_meeting_without_times_gives_none(seeded):
    m = meeting_on(list_meetings(seeded, today=TODAY), "2019-08-22")
    assert (m["start_time"], m["end_time"], m["next_meeting_date"]) == (None, None, None)
    assert m["agenda_items"] == []


def test_meeting_agenda_is_in_number_order_with_decisions(seeded):
    m = meeting_on(list_meetings(seeded, today=TODAY), "2019-05-16")
    assert [a["number"] for a in m["agenda_items"]] == list(range(1, 12))
    decisions = {a["number"]: a["decisions"] for a in m["agenda_items"] if a["decisions"]}
    assert set(decisions) == {2, 6}
    assert "20/6" in decisions[6][0]


def test_meeting_participants_carry_roles_and_notes(seeded):
    m = meeting_on(list_meetings(seeded, today=TODAY), "2019-05-16")
    people = {p["name"]: p for p in m["participants"]}
    assert len(people) == 8
    assert people["Maria Persson"]["roles"] == ["sekreterare", "organisatör", "deltagare"]
    assert "15.15" in people["Per-Eric Magnusson"]["note"]
    assert sum("beslutande" in p["roles"] for p in m["participants"]) == 6


def test_agenda_items_hold_their_tasks(seeded):
    m = meeting_on(list_meetings(seeded, today=TODAY), "2019-05-16")
    counts = {a["number"]: len(a["tasks"]) for a in m["agenda_items"]}
    expected = {n: 0 for n in range(1, 12)}
    for t in seed_tasks():
        expected[t["agenda_item_number"]] += 1
    assert counts == expected
    item9 = m["agenda_items"][8]
    assert all(t["agenda_item_number"] == 9 and t["meeting_date"] == "2019-05-16" for t in item9["tasks"])


@pytest.mark.parametrize("kommun", ["Vännäs", "Örnsköldsvik", "Umeå"])
def test_filtering_meetings_keeps_every_meeting_but_only_the_tasks_that_concern_the_municipality(seeded, kommun):
    meetings = list_meetings(seeded, Filter(kommun), today=TODAY)
    assert len(meetings) == len(seed("meetings.json"))
    shown = sorted(t["text"] for m in meetings for a in m["agenda_items"] for t in a["tasks"])
    assert shown == sorted(t["text"] for t in seed_tasks() if task_concerns(t, kommun))


def test_filtering_meetings_by_vannas_shows_only_the_waste_plan_task(seeded):
    m = meeting_on(list_meetings(seeded, parse_filter(seeded, "vännäs"), today=TODAY), "2019-05-16")
    with_tasks = {a["number"]: [t["owners"] for t in a["tasks"]] for a in m["agenda_items"] if a["tasks"]}
    assert with_tasks == {9: [["Vännäs kommun"]]}


def test_filtering_meetings_by_an_unknown_name_raises(seeded):
    with pytest.raises(UnknownMunicipality):
        list_meetings(seeded, parse_filter(seeded, "Stockholm"))


def test_meeting_tasks_are_marked_overdue_against_today(seeded):
    m = meeting_on(list_meetings(seeded, today=dt.date(2019, 12, 1)), "2019-05-16")
    overdue = sorted(t["due_date"] for a in m["agenda_items"] for t in a["tasks"] if t["overdue"])
    assert overdue == ["2019-08-22", "2019-11-30", "2019-11-30", "2019-11-30"]


# --- the Möten pages: one page of meetings, one meeting with its follow-up list -------------------------------------

from sqlalchemy import event, select  # noqa: E402

from data.meetings import meeting_detail, meeting_page  # noqa: E402
from data.models import AgendaItem, Meeting, Party, Task  # noqa: E402


def meeting_id(session, date: str) -> int:
    return session.scalars(select(Meeting.id).where(Meeting.date == dt.date.fromisoformat(date))).one()


def add_meetings(session, n: int) -> None:
    for i in range(n):
        session.add(Meeting(kind="annat", date=dt.date(2030, 1, 1) + dt.timedelta(days=i), place=f"Rum {i}"))
    session.flush()


def test_meeting_page_lists_meetings_newest_first_with_counts(seeded):
    page = meeting_page(seeded)
    assert [m["date"] for m in page["rows"]] == ["2019-08-22", "2019-06-20", "2019-05-16"]
    may = page["rows"][2]
    assert may["agenda_item_count"] == 11
    assert may["open_task_count"] == len(seed_tasks())  # every seeded task is öppen or pågår
    assert may["place"] == "Skellefteå stadshus samt via länk"
    assert may["kind"] == "kommunchefsmöte" and may["start_time"] == "14:30"
    assert page["rows"][0]["agenda_item_count"] == 0
    assert (page["total"], page["page"], page["pages"]) == (3, 1, 1)
    json.dumps(page)


def test_meeting_page_counts_only_open_tasks_that_concern_the_filter(seeded):
    may = meeting_page(seeded, Filter("Vännäs"))["rows"][2]
    assert may["open_task_count"] == 1
    assert may["agenda_item_count"] == 11  # the agenda is the meeting's, whatever the filter
    seeded.execute(Task.__table__.update().where(Task.text.like("%avfallsplan%")).values(status="klar"))
    assert meeting_page(seeded, Filter("Vännäs"))["rows"][2]["open_task_count"] == 0


def test_meeting_page_pages_through_many_meetings(seeded):
    add_meetings(seeded, 30)
    first = meeting_page(seeded, page_size=25)
    second = meeting_page(seeded, page=2, page_size=25)
    assert (first["total"], first["pages"]) == (33, 2)
    assert len(first["rows"]) == 25 and len(second["rows"]) == 8
    assert first["rows"][0]["date"] == "2030-01-30"
    assert second["rows"][-1]["date"] == "2019-05-16"
    assert not {m["id"] for m in first["rows"]} & {m["id"] for m in second["rows"]}
    assert meeting_page(seeded, page=99, page_size=25)["page"] == 2
    assert meeting_page(seeded, page=-3, page_size=25)["page"] == 1


def test_meeting_page_uses_a_fixed_number_of_queries(seeded):
    add_meetings(seeded, 30)
    statements = []

    def count(*_args):
        statements.append(1)

    engine = seeded.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        meeting_page(seeded, Filter("Umeå"))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 3


def test_meeting_detail_has_times_place_participants_agenda_and_next_meeting(seeded):
    m = meeting_detail(seeded, meeting_id(seeded, "2019-05-16"), today=TODAY)
    assert (m["start_time"], m["end_time"], m["place"], m["secretary"]) == (
        "14:30",
        "16:00",
        "Skellefteå stadshus samt via länk",
        "Maria Persson",
    )
    assert len(m["participants"]) == 8
    assert [a["number"] for a in m["agenda_items"]] == list(range(1, 12))
    assert m["next_meeting"] == {
        "date": "2019-08-22",
        "id": meeting_id(seeded, "2019-08-22"),
        "kind": "kommunchefsmöte",
        "stated": True,
    }
    assert m["task_count"] == len(seed_tasks()) and m["hidden_task_count"] == 0
    json.dumps(m)


def test_meeting_detail_agenda_items_carry_presenter_notes_decisions_and_tasks(seeded):
    m = meeting_detail(seeded, meeting_id(seeded, "2019-05-16"), today=TODAY)
    items = {a["number"]: a for a in m["agenda_items"]}
    expected = {a["number"]: a for a in seed("meetings.json")[0]["agenda_items"]}
    for number, item in items.items():
        assert item["presenter"] == expected[number]["presenter"]
        assert item["notes"] == expected[number]["notes"]
        assert item["decisions"] == expected[number]["decisions"]
        assert [t["text"] for t in item["tasks"]] == [t["text"] for t in expected[number]["tasks"]]


def test_follow_up_groups_open_tasks_by_agenda_item_and_owner(seeded):
    m = meeting_detail(seeded, meeting_id(seeded, "2019-05-16"), today=TODAY)
    sections = {s["number"]: s for s in m["follow_up"]}
    assert list(sections) == [3, 4, 6, 7, 8, 9]
    item4 = [(g["owners"], len(g["tasks"])) for g in sections[4]["groups"]]
    assert item4 == [
        (["Kansliet"], 2),
        (["Karin Ahnqvist", "Maria Persson"], 1),
        (["KC-gruppen"], 1),
        (["Magnus Haglund"], 2),
        (["Näringslivsgruppen"], 2),
        ([], 1),
    ]
    assert sum(len(g["tasks"]) for s in m["follow_up"] for g in s["groups"]) == len(seed_tasks())


def test_follow_up_leaves_out_tasks_that_are_done_or_struck(seeded):
    seeded.execute(Task.__table__.update().where(Task.text.like("%reklamfilm%")).values(status="klar"))
    seeded.execute(Task.__table__.update().where(Task.text.like("%avsiktsförklaringen%")).values(status="struken"))
    m = meeting_detail(seeded, meeting_id(seeded, "2019-05-16"), today=TODAY)
    item4 = [g["owners"] for s in m["follow_up"] if s["number"] == 4 for g in s["groups"]]
    assert ["Kansliet"] not in item4
    agenda4 = next(a for a in m["agenda_items"] if a["number"] == 4)
    assert {t["status"] for t in agenda4["tasks"]} >= {"klar", "struken"}  # still in the agenda


def test_meeting_detail_for_vannas_shows_only_its_tasks_and_says_how_many_are_hidden(seeded):
    m = meeting_detail(seeded, meeting_id(seeded, "2019-05-16"), Filter("Vännäs"), today=TODAY)
    assert [(s["number"], [g["owners"] for g in s["groups"]]) for s in m["follow_up"]] == [(9, [["Vännäs kommun"]])]
    assert (m["task_count"], m["hidden_task_count"]) == (1, len(seed_tasks()) - 1)
    assert len(m["agenda_items"]) == 11


def test_tasks_without_an_agenda_item_are_listed_apart(seeded):
    may = seeded.get(Meeting, meeting_id(seeded, "2019-05-16"))
    seeded.add(
        Task(text="Utan punkt", meeting=may, owners=[seeded.scalars(select(Party).filter_by(name="Kansliet")).one()])
    )
    seeded.flush()
    m = meeting_detail(seeded, may.id, today=TODAY)
    assert [t["text"] for t in m["other_tasks"]] == ["Utan punkt"]
    assert m["follow_up"][-1]["number"] is None
    assert m["follow_up"][-1]["groups"][0]["owners"] == ["Kansliet"]


def test_next_meeting_without_a_stated_date_is_the_next_one_of_the_same_kind(seeded):
    august = meeting_detail(seeded, meeting_id(seeded, "2019-08-22"), today=TODAY)
    assert august["next_meeting"] is None
    later = Meeting(kind="kommunchefsmöte", date=dt.date(2019, 10, 10))
    seeded.add_all([later, Meeting(kind="regionråd", date=dt.date(2019, 9, 1))])
    seeded.flush()
    august = meeting_detail(seeded, meeting_id(seeded, "2019-08-22"), today=TODAY)
    assert august["next_meeting"] == {"date": "2019-10-10", "id": later.id, "kind": "kommunchefsmöte", "stated": False}


def test_a_stated_next_meeting_that_is_not_loaded_has_no_id(seeded):
    m = Meeting(kind="regionråd", date=dt.date(2031, 1, 1), next_meeting_date=dt.date(2031, 3, 1))
    seeded.add(m)
    seeded.add(AgendaItem(meeting=m, number=1, title="Öppnande"))
    seeded.flush()
    detail = meeting_detail(seeded, m.id, today=TODAY)
    assert detail["next_meeting"] == {"date": "2031-03-01", "id": None, "kind": None, "stated": True}
    assert detail["follow_up"] == [] and detail["participants"] == []


def test_meeting_detail_of_an_unknown_id_is_none(seeded):
    assert meeting_detail(seeded, 987654) is None
