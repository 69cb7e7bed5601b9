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
