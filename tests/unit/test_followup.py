"""The follow-up list for a meeting: the open tasks of the meetings before it, newest meeting first, per agenda item
and owner, each with its history; the default meeting; the municipality filter; pages of whole meetings."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import event, select, update

from data.filters import Filter
from data.followup import follow_up_list
from data.meetings import meeting_detail
from data.models import OPEN_TASK_STATUSES, AgendaItem, Meeting, Party, Task, TaskNote
from data.tasks import task_histories, task_history, update_task

from .helpers import seed_tasks, task_concerns

TODAY = dt.date(2019, 9, 1)
# After the demo data's own history (recorded when the test database was made), whatever day the tests run.
AT = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).replace(microsecond=0)


def meeting_id(session, date: str, kind: str = "kommunchefsmöte") -> int:
    return session.scalars(
        select(Meeting.id).where(Meeting.date == dt.date.fromisoformat(date), Meeting.kind == kind)
    ).one()


def add_meeting(session, date: str, kind: str = "kommunchefsmöte") -> Meeting:
    m = Meeting(kind=kind, date=dt.date.fromisoformat(date))
    session.add(m)
    session.flush()
    return m


def add_task(session, meeting: Meeting, text: str, *, status="öppen", item: AgendaItem | None = None, owners=()):
    t = Task(meeting_id=meeting.id, agenda_item_id=item.id if item else None, text=text, status=status)
    t.owners = [session.scalars(select(Party).where(Party.name == o)).one() for o in owners]
    session.add(t)
    session.flush()
    return t


def task_id(session, fragment: str) -> int:
    return session.scalars(select(Task.id).where(Task.text.like(f"%{fragment}%"))).one()


def listed(result) -> list[dict]:
    return [t for m in result["meetings"] for s in m["sections"] for g in s["groups"] for t in g["tasks"]]


def shape(sections) -> list[tuple]:
    return [
        (s["number"], s["title"], [(g["owners"], [t["id"] for t in g["tasks"]]) for g in s["groups"]]) for s in sections
    ]


OPEN_SEED = [t for t in seed_tasks() if t["status"] in OPEN_TASK_STATUSES]


# --- which meeting -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2019, 5, 1), ("kommunchefsmöte", "2019-05-16")),  # the next one
        (dt.date(2019, 6, 1), ("annat", "2019-06-20")),  # the next one of any kind
        (dt.date(2019, 5, 16), ("kommunchefsmöte", "2019-05-16")),  # on the day itself
        (dt.date(2020, 1, 1), ("kommunchefsmöte", "2019-08-22")),  # none ahead: the latest
    ],
)
def test_the_default_meeting_is_the_next_one_else_the_latest(seeded, today, expected):
    out = follow_up_list(seeded, today=today)
    assert (out["meeting"]["kind"], out["meeting"]["date"]) == expected
    assert out["default"] is True and out["requested_missing"] is False


def test_a_chosen_meeting_is_used_and_every_meeting_is_offered_newest_first(seeded):
    chosen = meeting_id(seeded, "2019-06-20", "annat")
    out = follow_up_list(seeded, meeting_id=chosen, today=TODAY)
    assert out["meeting"]["id"] == chosen and out["default"] is False
    assert [m["date"] for m in out["choices"]] == ["2019-08-22", "2019-06-20", "2019-05-16"]


@pytest.mark.parametrize("missing", [999_999, 0, -1, 10**17])
def test_an_unknown_meeting_gives_the_default_and_says_so(seeded, missing):
    out = follow_up_list(seeded, meeting_id=missing, today=TODAY)
    assert out["requested_missing"] is True and out["default"] is True
    assert out["meeting"]["date"] == "2019-08-22"


# --- which tasks ---------------------------------------------------------------------------------------------------


def test_the_list_before_the_august_meeting_holds_every_open_task_of_may(seeded):
    out = follow_up_list(seeded, meeting_id=meeting_id(seeded, "2019-08-22"), today=TODAY)
    assert sorted(t["text"] for t in listed(out)) == sorted(t["text"] for t in OPEN_SEED)
    assert [m["date"] for m in out["meetings"]] == ["2019-05-16"]
    assert out["counts"] == {
        "open": len(OPEN_SEED),
        "overdue": sum(1 for t in listed(out) if t["overdue"]),
        "meetings": 1,
    }
    assert out["counts"]["overdue"] >= 1
    assert out["earlier_meeting_count"] == 2
    json.dumps(out)


def test_only_meetings_before_the_chosen_one_count(seeded):
    may = seeded.get(Meeting, meeting_id(seeded, "2019-05-16"))
    add_task(seeded, may, "Ett uppdrag från samma dag som mötet självt.")
    october = add_meeting(seeded, "2019-10-03")
    add_task(seeded, october, "Ett uppdrag från ett senare möte.")

    for_may = follow_up_list(seeded, meeting_id=may.id, today=TODAY)
    assert for_may["meetings"] == [] and for_may["counts"]["open"] == 0
    assert for_may["earlier_meeting_count"] == 0

    for_august = listed(follow_up_list(seeded, meeting_id=meeting_id(seeded, "2019-08-22"), today=TODAY))
    texts = [t["text"] for t in for_august]
    assert "Ett uppdrag från samma dag som mötet självt." in texts
    assert "Ett uppdrag från ett senare möte." not in texts

    for_october = follow_up_list(seeded, meeting_id=october.id, today=TODAY)
    assert "Ett uppdrag från ett senare möte." not in [t["text"] for t in listed(for_october)]
    assert len(listed(for_october)) == len(OPEN_SEED) + 1


def test_only_open_tasks_are_listed(seeded):
    done, struck = task_id(seeded, "reklamfilm"), task_id(seeded, "gemensam avfallsplan")
    seeded.execute(update(Task).where(Task.id == done).values(status="klar"))
    seeded.execute(update(Task).where(Task.id == struck).values(status="struken"))
    out = follow_up_list(seeded, today=TODAY)
    ids = {t["id"] for t in listed(out)}
    assert done not in ids and struck not in ids
    assert len(ids) == out["counts"]["open"] == len(OPEN_SEED) - 2
    assert {t["status"] for t in listed(out)} <= set(OPEN_TASK_STATUSES)


def test_earlier_meetings_come_newest_first(seeded):
    june = add_meeting(seeded, "2019-06-27", "regionråd")
    add_task(seeded, june, "Ett uppdrag från regionrådet i juni.")
    out = follow_up_list(seeded, meeting_id=meeting_id(seeded, "2019-08-22"), today=TODAY)
    assert [(m["date"], m["open"]) for m in out["meetings"]] == [("2019-06-27", 1), ("2019-05-16", len(OPEN_SEED))]
    assert out["counts"]["meetings"] == 2


# --- grouping ------------------------------------------------------------------------------------------------------


def test_tasks_are_grouped_by_agenda_item_then_owner_as_on_the_meeting_page(seeded):
    may = meeting_id(seeded, "2019-05-16")
    sections = follow_up_list(seeded, meeting_id=meeting_id(seeded, "2019-08-22"), today=TODAY)["meetings"][0][
        "sections"
    ]
    assert shape(sections) == shape(meeting_detail(seeded, may, today=TODAY)["follow_up"])
    numbers = [s["number"] for s in sections]
    assert numbers == sorted(numbers) and numbers[0] == 3
    item4 = next(s for s in sections if s["number"] == 4)
    assert item4["title"] == "Uppföljning Umeåregionens regionråd"
    owners = [g["owners"] for g in item4["groups"]]
    assert ["Kansliet"] in owners and ["Karin Ahnqvist", "Maria Persson"] in owners
    assert owners[-1] == []  # without an owner: last
    kansliet = next(g for g in item4["groups"] if g["owners"] == ["Kansliet"])
    assert len(kansliet["tasks"]) == 2


def test_a_task_without_an_agenda_item_comes_last_under_its_own_heading(seeded):
    june = add_meeting(seeded, "2019-06-27")
    item = AgendaItem(meeting_id=june.id, number=2, title="Budget")
    seeded.add(item)
    seeded.flush()
    add_task(seeded, june, "Utan punkt.", owners=["Kansliet"])
    add_task(seeded, june, "Med punkt.", item=item, owners=["Kansliet"])
    sections = follow_up_list(seeded, meeting_id=meeting_id(seeded, "2019-08-22"), today=TODAY)["meetings"][0][
        "sections"
    ]
    assert [(s["number"], s["title"]) for s in sections] == [(2, "Budget"), (None, "Uppdrag utan dagordningspunkt")]
    assert [t["text"] for t in sections[1]["groups"][0]["tasks"]] == ["Utan punkt."]


def test_each_task_carries_what_the_page_shows(seeded):
    task = next(t for t in listed(follow_up_list(seeded, today=TODAY)) if "basavtal" in t["text"])
    assert task["due_date"] == "2019-08-22" and task["due_text"] == "till kommunchefsmötet i augusti"
    assert task["overdue"] is True and task["status"] == "öppen"
    assert task["meeting_date"] == "2019-05-16" and task["agenda_item_number"] == 3


# --- the municipality filter ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kommun", ["Vännäs", "Örnsköldsvik", "Umeå", "Bjurholm"])
def test_the_filter_keeps_the_tasks_that_concern_the_municipality(seeded, kommun):
    out = follow_up_list(seeded, Filter(kommun), today=TODAY)
    expected = sorted(t["text"] for t in OPEN_SEED if task_concerns(t, kommun))
    assert sorted(t["text"] for t in listed(out)) == expected
    assert out["counts"]["open"] == len(expected)
    assert out["kommun"] == kommun
    assert len(expected) < len(OPEN_SEED)


def test_vannas_sees_only_the_waste_plan(seeded):
    out = follow_up_list(seeded, Filter("Vännäs"), today=TODAY)
    assert [t["text"] for t in listed(out)] == [t["text"] for t in OPEN_SEED if "avfallsplan" in t["text"]]


# --- history -------------------------------------------------------------------------------------------------------


def test_each_task_has_its_history_with_status_changes_and_notes(seeded):
    reklam = task_id(seeded, "reklamfilm")
    update_task(
        seeded,
        reklam,
        status="öppen",
        note="Offerten dröjer till hösten.",
        username="redaktor",
        role="redigerare",
        user_municipality=None,
        at=AT,
    )
    seeded.add(TaskNote(task_id=reklam, text="En notering utan ändringspost.", username="kansliet", at=AT))
    seeded.flush()

    task = next(t for t in listed(follow_up_list(seeded, today=TODAY)) if t["id"] == reklam)

    history = task["history"]
    assert [e["action"] for e in history][-1] == "create"
    change = next(e for e in history if e["action"] == "update")
    assert (change["status_before"], change["status_after"]) == ("pågår", "öppen")
    assert change["note"] == "Offerten dröjer till hösten." and change["username"] == "redaktor"
    assert [e["note"] for e in history if e["action"] == "note"] == ["En notering utan ändringspost."]
    assert len(history) == 3


def test_every_listed_history_is_the_same_as_task_history(seeded):
    reklam, avfall = task_id(seeded, "reklamfilm"), task_id(seeded, "gemensam avfallsplan")
    for tid, note in ((reklam, "Första."), (avfall, "Andra.")):
        update_task(seeded, tid, status=None, note=note, username="admin", role="admin", user_municipality=None, at=AT)
    tasks = listed(follow_up_list(seeded, today=TODAY))
    assert tasks and all(t["history"] for t in tasks)
    for t in tasks:
        assert t["history"] == task_history(seeded, t["id"]), t["text"]


def test_task_histories_gives_an_empty_list_for_a_task_without_history(seeded):
    assert task_histories(seeded, []) == {}
    june = add_meeting(seeded, "2019-06-27")
    bare = add_task(seeded, june, "Utan historik.")
    assert task_histories(seeded, [bare.id]) == {bare.id: []}


def test_history_is_loaded_in_a_few_queries_whatever_the_number_of_tasks(seeded):
    def statements(fn) -> int:
        count = 0

        def tally(*_):
            nonlocal count
            count += 1

        engine = seeded.get_bind()
        event.listen(engine, "before_cursor_execute", tally)
        try:
            fn()
        finally:
            event.remove(engine, "before_cursor_execute", tally)
        return count

    august = meeting_id(seeded, "2019-08-22")
    seeded.flush()
    before = statements(lambda: follow_up_list(seeded, meeting_id=august, today=TODAY))
    june = add_meeting(seeded, "2019-06-27")
    for i in range(40):
        t = add_task(seeded, june, f"Uppdrag {i}.", owners=["Kansliet"])
        seeded.add(TaskNote(task_id=t.id, text=f"Notering {i}.", username="kansliet", at=AT))
    seeded.flush()
    after = statements(lambda: follow_up_list(seeded, meeting_id=august, today=TODAY))
    assert after - before < 5  # one query per task for history alone would add 80
    assert after <= 15


# --- pages of whole meetings ---------------------------------------------------------------------------------------


def test_pages_hold_whole_meetings_newest_first(seeded):
    august = meeting_id(seeded, "2019-08-22")
    for day, n in (("2019-07-01", 3), ("2019-07-08", 2), ("2019-07-15", 1)):
        m = add_meeting(seeded, day)
        for i in range(n):
            add_task(seeded, m, f"{day} uppdrag {i}.")

    def page(n):
        out = follow_up_list(seeded, meeting_id=august, today=TODAY, page=n, per_page=4)
        return out["page"], out["pages"], [(m["date"], m["open"]) for m in out["meetings"]], out["counts"]["open"]

    total = 6 + len(OPEN_SEED)
    assert page(1) == (1, 3, [("2019-07-15", 1), ("2019-07-08", 2)], total)
    assert page(2) == (2, 3, [("2019-07-01", 3)], total)
    assert page(3) == (3, 3, [("2019-05-16", len(OPEN_SEED))], total)  # more than a page: alone
    assert page(99) == page(3) and page(0) == page(1)


def test_a_page_holds_at_most_so_many_meetings(seeded):
    august = meeting_id(seeded, "2019-08-22")
    for day in ("2019-07-01", "2019-07-08", "2019-07-15"):
        add_task(seeded, add_meeting(seeded, day), f"{day} uppdrag.")
    out = follow_up_list(seeded, meeting_id=august, today=TODAY, meetings_per_page=2)
    assert (out["page"], out["pages"]) == (1, 2)
    assert [m["date"] for m in out["meetings"]] == ["2019-07-15", "2019-07-08"]
