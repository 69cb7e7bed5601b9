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


# --- the Uppdrag page's listing: one page at a time, sorted, filtered and searched in SQL ---------------------------

from sqlalchemy import event, func, select  # noqa: E402

from data.history import utcnow  # noqa: E402
from data.models import Meeting, TaskNote  # noqa: E402
from data.municipalities import swedish_sort_key  # noqa: E402
from data.tasks import (  # noqa: E402
    NOT_DONE,
    PAGE_SIZE_MAX,
    TaskQuery,
    like_pattern,
    task_owner_names,
    task_rows,
    task_summary,
)

LATE = D(2026, 11, 23)  # the seed's dates in 2019 and 2021 are past


def rows(session, flt=Filter(), query=None, **kw):
    query = query or TaskQuery()
    kw.setdefault("end", 100)
    kw.setdefault("today", TODAY)
    return task_rows(session, flt, query, **kw)


def texts(result) -> list[str]:
    return [r["text"] for r in result["rows"]]


def _add_tasks(session, *specs):
    """Tasks made from (text, owner names, status, due date) tuples; owners are made as groups when new."""
    made = []
    for text, owners, status, due in specs:
        parties = []
        for name in owners:
            party = session.scalars(select(Party).filter_by(name=name)).one_or_none()
            if party is None:
                party = Party(name=name, kind="grupp")
                session.add(party)
            parties.append(party)
        task = Task(text=text, owners=parties, status=status, due_date=due)
        session.add(task)
        made.append(task)
    session.flush()
    return made


def test_task_rows_gives_one_page_and_the_total(seeded):
    first = rows(seeded, start=0, end=10)
    second = rows(seeded, start=10, end=20)
    assert first["total"] == second["total"] == len(seed_tasks())
    assert len(first["rows"]) == 10 and len(second["rows"]) == len(seed_tasks()) - 10
    ids = [r["id"] for r in first["rows"] + second["rows"]]
    assert len(set(ids)) == len(ids) == len(seed_tasks())
    json.dumps(first)


def test_task_rows_carry_every_api_field_and_the_latest_note(seeded):
    for r in rows(seeded)["rows"]:
        assert API_FIELDS | {"latest_note"} <= r.keys()
        assert r["latest_note"] is None


def test_task_rows_never_give_more_than_a_hundred_rows_and_survive_bad_bounds(seeded):
    _add_tasks(seeded, *[(f"Massuppdrag {n}", [], "öppen", None) for n in range(120)])
    assert len(rows(seeded, start=0, end=100_000)["rows"]) == PAGE_SIZE_MAX
    assert len(rows(seeded, start=-5, end="x")["rows"]) == 25
    assert rows(seeded, start=10_000, end=10_025)["rows"] == []


def test_default_order_is_newest_meeting_first_then_agenda_order(seeded):
    early = seeded.scalars(select(Meeting).filter_by(date=D(2019, 5, 16))).one()
    later = seeded.scalars(select(Meeting).filter_by(date=D(2019, 8, 22))).one()
    task = Task(text="Från augustimötet", meeting=later, status="öppen")
    seeded.add(task)
    seeded.flush()
    result = rows(seeded)["rows"]
    assert result[0]["text"] == "Från augustimötet"
    numbers = [r["agenda_item_number"] for r in result if r["meeting_id"] == early.id]
    assert numbers == sorted(numbers)


@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_sorting_by_due_date_puts_tasks_without_a_date_last(seeded, direction):
    result = rows(seeded, sort_model=[{"colId": "due_date", "sort": direction}])["rows"]
    dates = [r["due_date"] for r in result]
    dated = [d for d in dates if d]
    assert dates[: len(dated)] == sorted(dated, reverse=direction == "desc")
    assert all(d is None for d in dates[len(dated) :])


def test_sorting_by_owner_follows_swedish_order(seeded):
    _add_tasks(
        seeded,
        ("ö-uppdrag", ["Örjangruppen"], "öppen", None),
        ("å-uppdrag", ["Åsagruppen"], "öppen", None),
        ("ä-uppdrag", ["Ärlagruppen"], "öppen", None),
        ("z-uppdrag", ["Zetagruppen"], "öppen", None),
        ("a-uppdrag", ["aaagruppen"], "öppen", None),
    )
    result = texts(rows(seeded, sort_model=[{"colId": "owners", "sort": "asc"}]))
    mine = [t for t in result if t.endswith("-uppdrag")]
    assert mine == ["a-uppdrag", "z-uppdrag", "å-uppdrag", "ä-uppdrag", "ö-uppdrag"]
    desc = texts(rows(seeded, sort_model=[{"colId": "owners", "sort": "desc"}]))
    assert [t for t in desc if t.endswith("-uppdrag")] == mine[::-1]


def test_sorting_by_status_follows_the_status_order_and_ignores_unknown_columns(seeded):
    _add_tasks(seeded, ("Struket", [], "struken", None), ("Klart", [], "klar", None))
    result = rows(seeded, sort_model=[{"colId": "nonsense"}, {"colId": "status", "sort": "asc"}])["rows"]
    statuses = [r["status"] for r in result]
    assert statuses == sorted(statuses, key=["öppen", "pågår", "klar", "struken"].index)
    assert statuses[-2:] == ["klar", "struken"]


def test_sorting_by_text_is_swedish_and_case_insensitive(seeded):
    _add_tasks(seeded, *[(t, [], "öppen", None) for t in ["Öl", "ål", "Äpple", "zebra", "Apa"]])
    mine = [t for t in texts(rows(seeded, sort_model=[{"colId": "text", "sort": "asc"}])) if len(t) <= 6]
    assert mine == ["Apa", "zebra", "ål", "Äpple", "Öl"]


@pytest.mark.parametrize(
    ("col", "model", "expected"),
    [
        ("text", {"filterType": "text", "type": "contains", "filter": "AVFALL"}, 2),
        ("text", {"filterType": "text", "type": "startsWith", "filter": "ta fram"}, 5),
        ("text", {"filterType": "text", "type": "notContains", "filter": "ta fram"}, 10),
        ("owners", {"filterType": "text", "type": "contains", "filter": "magnus"}, 4),  # Haglund ×3, Magnusson
        ("owners", {"filterType": "text", "type": "blank"}, 3),
        ("owners", {"filterType": "text", "type": "equals", "filter": "kansliet"}, 2),
        ("municipality", {"filterType": "text", "type": "equals", "filter": "örnsköldsvik"}, 3),
        ("municipality", {"filterType": "text", "type": "notBlank"}, 4),
        ("due_text", {"filterType": "text", "type": "contains", "filter": "hösten"}, 3),
        ("status", {"filterType": "text", "type": "equals", "filter": "pågår"}, 3),
        ("meeting", {"filterType": "text", "type": "contains", "filter": "kompetensförsörjning"}, 1),
        ("due_date", {"filterType": "date", "type": "lessThan", "dateFrom": "2019-12-01 00:00:00"}, 4),
        ("due_date", {"filterType": "date", "type": "equals", "dateFrom": "2019-11-30 00:00:00"}, 3),
        ("due_date", {"filterType": "date", "type": "inRange", "dateFrom": "2021-01-01", "dateTo": "2019-09-01"}, 4),
        ("due_date", {"filterType": "date", "type": "blank"}, 10),
        ("id", {"filterType": "number", "type": "lessThanOrEqual", "filter": 0}, 0),
        (
            "text",
            {
                "filterType": "text",
                "operator": "OR",
                "conditions": [
                    {"filterType": "text", "type": "contains", "filter": "avfallsplan"},
                    {"filterType": "text", "type": "contains", "filter": "reklamfilm"},
                ],
            },
            2,
        ),
        ("nonsense", {"filterType": "text", "type": "contains", "filter": "x"}, 15),
        ("text", {"filterType": "text", "type": "regex", "filter": "x"}, 15),
        ("due_date", {"filterType": "date", "type": "equals", "dateFrom": "inte ett datum"}, 15),
    ],
)
def test_column_filters_are_applied_in_sql(seeded, col, model, expected):
    assert rows(seeded, filter_model={col: model})["total"] == expected


def test_number_filter_on_the_task_number(seeded):
    some = rows(seeded)["rows"][3]["id"]
    found = rows(seeded, filter_model={"id": {"filterType": "number", "type": "equals", "filter": some}})
    assert [r["id"] for r in found["rows"]] == [some]


def test_search_needs_every_word_somewhere_in_the_task(seeded):
    assert texts(rows(seeded, query=TaskQuery(search="Reklamfilm"))) == [
        t["text"] for t in seed_tasks() if "reklamfilm" in t["text"]
    ]
    both = rows(seeded, query=TaskQuery(search="magnus örnsköldsvik"))
    assert both["total"] == 3  # owner and municipality
    assert rows(seeded, query=TaskQuery(search="magnus avfall"))["total"] == 0


def test_search_matches_swedish_capitals_case_insensitively(seeded):
    assert rows(seeded, query=TaskQuery(search="ÖRNSKÖLDSVIK"))["total"] == 3
    assert rows(seeded, query=TaskQuery(search="HÖSTEN"))["total"] == 3
    assert rows(seeded, query=TaskQuery(search="näringslivsgruppen"))["total"] == 2


def test_search_finds_the_agenda_item_title(seeded):
    found = rows(seeded, query=TaskQuery(search="hushållsavfall"))
    assert found["total"] == 2
    assert {r["agenda_item_number"] for r in found["rows"]} == {9}


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("%", ["Nå 100% av målet"]),
        ("100%", ["Nå 100% av målet"]),
        ("_", ["Fil_namn ska rättas"]),
        ("l_a", []),  # as a wildcard it would match "Filnamn"
        ("'", ["O'Brien ringer"]),
        ("o'brien", ["O'Brien ringer"]),
        ("\\", ["Sökväg C:\\data"]),
        ("'; DROP TABLE task; --", []),
    ],
)
def test_search_matches_sql_metacharacters_literally(seeded, search, expected):
    _add_tasks(
        seeded,
        ("Nå 100% av målet", [], "öppen", None),
        ("Nå 1000 besökare", [], "öppen", None),
        ("Fil_namn ska rättas", [], "öppen", None),
        ("Filnamn utan understreck", [], "öppen", None),
        ("O'Brien ringer", [], "öppen", None),
        ("Sökväg C:\\data", [], "öppen", None),
    )
    assert sorted(texts(rows(seeded, query=TaskQuery(search=search)))) == sorted(expected)
    assert seeded.scalar(select(func.count(Task.id))) == len(seed_tasks()) + 6


def test_like_pattern_escapes_wildcards_and_the_escape_character():
    assert like_pattern("50%_a\\b") == "%50\\%\\_a\\\\b%"
    assert like_pattern("Ö", start=False) == "ö%"


def test_status_filter_one_status_or_not_done(seeded):
    _add_tasks(seeded, ("Klart", [], "klar", None))
    assert rows(seeded, query=TaskQuery(status="pågår"))["total"] == 3
    assert rows(seeded, query=TaskQuery(status="klar"))["total"] == 1
    assert rows(seeded, query=TaskQuery(status=NOT_DONE))["total"] == len(seed_tasks())


def test_overdue_filter_depends_on_today(seeded):
    assert rows(seeded, query=TaskQuery(overdue_only=True), today=D(2019, 5, 16))["total"] == 0
    assert rows(seeded, query=TaskQuery(overdue_only=True), today=TODAY)["total"] == 1
    late = rows(seeded, query=TaskQuery(overdue_only=True), today=LATE)
    assert late["total"] == 5 and all(r["overdue"] for r in late["rows"])


def test_owner_filter_gives_that_owners_tasks(seeded):
    found = rows(seeded, query=TaskQuery(owner="Magnus Haglund"))
    assert found["total"] == 3
    assert all("Magnus Haglund" in r["owners"] for r in found["rows"])


@pytest.mark.parametrize("kommun", SEVEN)
def test_task_rows_for_a_municipality_match_the_full_list(seeded, kommun):
    expected = sorted(t["text"] for t in list_tasks(seeded, Filter(kommun), today=TODAY))
    assert sorted(texts(rows(seeded, Filter(kommun)))) == expected


def test_filters_combine_with_the_municipality(seeded):
    assert rows(seeded, Filter("Örnsköldsvik"), TaskQuery(search="industrigrupp"))["total"] == 2
    assert rows(seeded, Filter("Vännäs"), TaskQuery(search="industrigrupp"))["total"] == 0


def test_latest_note_is_the_newest_of_a_tasks_notes(seeded):
    task = seeded.scalars(select(Task).where(Task.text.like("%avfallsplan%"))).one()
    now = utcnow()
    seeded.add_all(
        [
            TaskNote(task_id=task.id, text="Första", username="a", at=now - dt.timedelta(days=2)),
            TaskNote(task_id=task.id, text="Senaste", username="b", at=now),
        ]
    )
    seeded.flush()
    row = next(r for r in rows(seeded)["rows"] if r["id"] == task.id)
    assert row["latest_note"]["text"] == "Senaste" and row["latest_note"]["username"] == "b"
    found = rows(seeded, filter_model={"latest_note": {"filterType": "text", "type": "contains", "filter": "första"}})
    assert [r["id"] for r in found["rows"]] == [task.id]


def test_task_rows_use_a_fixed_number_of_queries(seeded):
    _add_tasks(seeded, *[(f"Uppdrag {n}", ["Kansliet"], "öppen", None) for n in range(60)])
    statements = []

    def count(*_args):
        statements.append(1)

    engine = seeded.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        result = rows(seeded, sort_model=[{"colId": "owners", "sort": "asc"}])
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(result["rows"]) == 75
    assert len(statements) == 5  # count, page ids, page rows, owners, notes


def test_task_summary_counts_total_open_and_overdue(seeded):
    assert task_summary(seeded, today=LATE) == {"total": 15, "open": 15, "overdue": 5}
    assert task_summary(seeded, Filter("Vännäs"), today=LATE) == {"total": 1, "open": 1, "overdue": 1}
    assert task_summary(seeded, Filter("Örnsköldsvik"), today=TODAY) == {"total": 3, "open": 3, "overdue": 0}


def test_task_owner_names_are_the_owners_of_tasks_that_concern_the_filter(seeded):
    names = task_owner_names(seeded)
    assert "Näringslivsgruppen" in names and "Magnus Haglund" in names
    assert names == sorted(names, key=swedish_sort_key)
    assert task_owner_names(seeded, Filter("Vännäs")) == ["Vännäs kommun"]
    assert task_owner_names(seeded, Filter("Örnsköldsvik")) == ["Magnus Haglund"]
