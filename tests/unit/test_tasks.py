"""Tasks from the meetings: every API field, overdue status, order, and the municipality filter."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from data.filters import Filter, UnknownMunicipality, parse_filter
from data.models import Municipality, Party, Task
from data.tasks import is_overdue, list_tasks

from .helpers import SEVEN, seed_tasks, task_concerns

D = dt.date
TODAY = D(2019, 9, 1)
API_FIELDS = {
    "id",
    "text",
    "owners",
    "municipality",
    "due_date",
    "due_text",
    "due_rule",
    "status",
    "overdue",
    "meeting_id",
    "meeting_date",
    "meeting_kind",
    "agenda_item_number",
    "agenda_item_title",
    "uncertain",
}


@pytest.mark.parametrize(
    ("status", "due", "today", "overdue"),
    [
        ("öppen", D(2019, 8, 22), D(2019, 8, 23), True),
        ("pågår", D(2019, 8, 22), D(2019, 8, 23), True),
        ("öppen", D(2019, 8, 22), D(2019, 8, 22), False),
        ("öppen", D(2019, 8, 22), D(2019, 8, 21), False),
        ("öppen", None, D(2030, 1, 1), False),
        ("klar", D(2019, 8, 22), D(2030, 1, 1), False),
        ("struken", D(2019, 8, 22), D(2030, 1, 1), False),
    ],
    ids=["open-past-due", "in-progress-past-due", "due-today", "not-yet-due", "no-due-date", "done", "cancelled"],
)
def test_is_overdue_only_for_open_tasks_past_their_due_date(status, due, today, overdue):
    assert is_overdue(status, due, today) is overdue


def test_list_tasks_returns_every_seed_task_with_every_api_field(seeded):
    tasks = list_tasks(seeded, today=TODAY)
    assert sorted(t["text"] for t in tasks) == sorted(t["text"] for t in seed_tasks())
    for t in tasks:
        assert API_FIELDS <= t.keys()
        assert isinstance(t["owners"], list) and all(isinstance(o, str) for o in t["owners"])
    json.dumps(tasks)


def test_task_dict_carries_meeting_and_agenda_item(seeded):
    task = next(t for t in list_tasks(seeded, today=TODAY) if "personalavdelningen" in t["text"])
    assert task["meeting_date"] == "2019-05-16"
    assert task["meeting_kind"] == "kommunchefsmöte"
    assert task["agenda_item_number"] == 6
    assert task["agenda_item_title"] == "Konkretisering Kompetensförsörjning- arbetsmöte 20/6"
    assert task["owners"] == ["Magnus Haglund"]
    assert task["municipality"] == "Örnsköldsvik"
    assert task["due_date"] is None


def test_task_dict_gives_due_dates_as_iso_strings_and_marks_overdue(seeded):
    tasks = list_tasks(seeded, today=TODAY)
    assert {t["due_date"] for t in tasks if t["due_date"]} == {"2019-08-22", "2019-11-30", "2021-01-01"}
    for t in tasks:
        expected = t["due_date"] is not None and D.fromisoformat(t["due_date"]) < TODAY
        assert t["overdue"] is expected
    assert sum(t["overdue"] for t in tasks) == 1


def test_list_tasks_orders_by_meeting_date_then_agenda_item(seeded):
    keys = [(t["meeting_date"], t["agenda_item_number"]) for t in list_tasks(seeded, today=TODAY)]
    assert keys == sorted(keys)
    assert keys[0][1] == 3 and keys[-1][1] == 9


def test_filtering_tasks_by_ornskoldsvik_gives_the_tasks_about_ornskoldsvik(seeded):
    tasks = list_tasks(seeded, parse_filter(seeded, "Övik"), today=TODAY)
    assert len(tasks) == 3
    assert {t["municipality"] for t in tasks} == {"Örnsköldsvik"}
    assert {t["agenda_item_number"] for t in tasks} == {4, 6}


def test_filtering_tasks_by_vannas_includes_tasks_owned_by_the_municipality(seeded):
    tasks = list_tasks(seeded, Filter("Vännäs"), today=TODAY)
    assert [t["owners"] for t in tasks] == [["Vännäs kommun"]]
    assert "avfallsplan" in tasks[0]["text"]


@pytest.mark.parametrize("kommun", SEVEN)
def test_filtering_tasks_matches_the_seed(seeded, kommun):
    expected = sorted(t["text"] for t in seed_tasks() if task_concerns(t, kommun))
    assert sorted(t["text"] for t in list_tasks(seeded, Filter(kommun), today=TODAY)) == expected


def test_filtering_tasks_by_an_unknown_name_raises(seeded):
    with pytest.raises(UnknownMunicipality):
        list_tasks(seeded, parse_filter(seeded, "Skellefteå"))


def test_filtering_tasks_includes_tasks_whose_owner_belongs_to_the_municipality(seeded):
    umea = seeded.query(Municipality).filter_by(name="Umeå").one()
    group = Party(name="Testgruppen Umeå", kind="grupp", municipality=umea)
    seeded.add_all(
        [
            Task(text="Ägs av en Umeågrupp", owners=[group], status="öppen"),
            Task(text="Handlar om Umeå", municipality=umea, status="öppen"),
            Task(text="Ägs av en regiongrupp", owners=[seeded.query(Party).filter_by(name="Kansliet").one()]),
        ]
    )
    seeded.flush()
    texts = {t["text"] for t in list_tasks(seeded, Filter("Umeå"), today=TODAY)}
    assert texts == {"Ägs av en Umeågrupp", "Handlar om Umeå"}
