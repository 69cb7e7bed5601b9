"""What changed "sedan förra mötet": changes_since and default_since, built from the history of every write."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from data.changes import change_counts, changes_since, default_since
from data.filters import Filter
from data.history import record_change, record_created, snapshot, utcnow
from data.imports import import_file
from data.imports.engine import Actor
from data.models import OPEN_TASK_STATUSES, Activity, FundingLine, Municipality, Project, Task
from data.tasks import list_tasks, task_concerns, update_task

ADMIN = Actor("admin", "admin")
BOTNIA = "Botniabanan som tillväxtfaktor"
CSV = (
    "Projekt;Status;Budget (kr)\n"
    f"{BOTNIA};pågår;5 000 000\n"  # concerns Vännäs
    "UME&Co;pausad;13 000 000\n"  # concerns no municipality
)


def _upload(session, text: str = CSV, name: str = "projekt.csv"):
    preview, result = import_file(session, "projekt", text.encode("utf-8"), name, actor=ADMIN)
    assert result is not None, preview.problems
    return result


def _open_task(session, *, vannas: bool) -> Task:
    concerns = task_concerns(Filter("Vännäs"))
    return session.scalars(
        select(Task).where(Task.status.in_(OPEN_TASK_STATUSES), concerns if vannas else ~concerns).order_by(Task.id)
    ).first()


def _done(session, task: Task, status: str = "klar", at: dt.datetime | None = None) -> None:
    update_task(
        session, task.id, status=status, note=None, username="redaktor", role="admin", user_municipality=None, at=at
    )


def _without_times(projects: list[dict]) -> list[tuple]:
    return [(p["name"], [(c["field"], c["old"], c["new"], c["username"]) for c in p["changes"]]) for p in projects]


def test_an_upload_and_a_task_marked_done_show_exactly_those_changes(seeded):
    start = utcnow()
    _upload(seeded)
    task = _open_task(seeded, vannas=True)
    _done(seeded, task)

    out = changes_since(seeded, start)

    assert _without_times(out["projects"]) == [
        (BOTNIA, [("budget_amount", 4_650_000, 5_000_000, "admin"), ("status", "planerad", "pågår", "admin")]),
        ("UME&Co", [("budget_amount", 12_600_000, 13_000_000, "admin"), ("status", "pågår", "pausad", "admin")]),
    ]
    assert {c["label"] for p in out["projects"] for c in p["changes"]} == {"Budget (kr)", "Status"}
    assert all(c["source"] == "uppladdning: projekt.csv" for p in out["projects"] for c in p["changes"])
    [completed] = out["tasks"]["completed"]
    assert (completed["id"], completed["status"], completed["username"]) == (task.id, "klar", "redaktor")
    assert completed["text"] == task.text and completed["municipality"] == "Vännäs"
    assert out["tasks"]["added"] == out["tasks"]["redated"] == out["tasks"]["overdue"] == []
    assert out["activities"] == []
    [upload] = out["imports"]
    assert (upload["kind"], upload["filename"], upload["username"], upload["undone_at"]) == (
        "projekt",
        "projekt.csv",
        "admin",
        None,
    )
    assert upload["counts"]["changed"] == 2
    assert out["kommun"] is None and out["since"] == start.isoformat()
    json.dumps(out)  # plain data


def test_vannas_sees_only_vannas_related_tasks_and_projects(seeded):
    start = utcnow()
    _upload(seeded)
    mine, other = _open_task(seeded, vannas=True), _open_task(seeded, vannas=False)
    _done(seeded, mine)
    _done(seeded, other)

    everything = changes_since(seeded, start)
    assert {t["id"] for t in everything["tasks"]["completed"]} == {mine.id, other.id}

    vannas = changes_since(seeded, start, Filter("Vännäs"))
    assert vannas["kommun"] == "Vännäs"
    assert [p["name"] for p in vannas["projects"]] == [BOTNIA]
    assert [t["id"] for t in vannas["tasks"]["completed"]] == [mine.id]
    assert len(vannas["imports"]) == 1  # imports are shown whatever the filter


def test_a_change_and_a_change_back_is_not_listed(seeded):
    start = utcnow()
    _upload(seeded, f"Projekt;Budget (kr)\n{BOTNIA};5 000 000\n", "upp.csv")
    _upload(seeded, f"Projekt;Budget (kr)\n{BOTNIA};4 650 000\n", "ner.csv")
    task = _open_task(seeded, vannas=True)
    old_status = task.status
    _done(seeded, task)
    _done(seeded, task, status=old_status, at=utcnow() + dt.timedelta(seconds=1))

    out = changes_since(seeded, start, until=utcnow() + dt.timedelta(seconds=2))
    assert out["projects"] == []
    assert out["tasks"]["completed"] == []
    assert [i["filename"] for i in out["imports"]] == ["upp.csv", "ner.csv"]


def test_only_the_net_change_of_a_field_counts(seeded):
    start = utcnow()
    _upload(seeded, f"Projekt;Budget (kr)\n{BOTNIA};5 000 000\n", "a.csv")
    _upload(seeded, f"Projekt;Budget (kr)\n{BOTNIA};6 000 000\n", "b.csv")
    [botnia] = changes_since(seeded, start)["projects"]
    assert [(c["field"], c["old"], c["new"]) for c in botnia["changes"]] == [("budget_amount", 4_650_000, 6_000_000)]


def test_changes_before_since_or_after_until_are_left_out(seeded):
    _upload(seeded)
    later = utcnow()
    assert changes_since(seeded, later)["projects"] == []
    assert changes_since(seeded, later)["imports"] == []
    assert changes_since(seeded, dt.date(2019, 5, 17), until=dt.datetime(2019, 6, 1, tzinfo=dt.UTC))["projects"] == []


def test_the_demo_data_is_dated_at_its_minutes_and_its_new_projects_are_not_listed_as_changed(seeded):
    # A window around the load: the projects and their funders are new (shown by the import), not changed.
    out = changes_since(seeded, dt.date(2019, 5, 16), until=dt.datetime(2019, 6, 1, tzinfo=dt.UTC))
    assert out["projects"] == [] and out["activities"] == []
    assert len(out["tasks"]["added"]) == 15
    assert [(i["kind"], i["at"]) for i in out["imports"]] == [("demodata", "2019-05-16T10:00:00+00:00")]
    assert change_counts(seeded, dt.date(2019, 5, 16), until=dt.datetime(2019, 6, 1, tzinfo=dt.UTC))["projects"] == 0


def test_funding_changes_are_listed_under_their_project(seeded):
    start = utcnow()
    botnia = seeded.scalars(select(Project).where(Project.name == BOTNIA)).one()
    eu = next(f for f in botnia.funding_lines if f.kind == "EU")
    before = snapshot(eu)
    eu.amount = 800_000
    record_change(
        seeded,
        username="redaktor",
        source="redigering",
        entity="funding_line",
        entity_id=eu.id,
        action="update",
        before={"amount": before["amount"]},
        after={"amount": 800_000},
    )
    new = FundingLine(project_id=botnia.id, funder="Vinnova", kind="stat", amount=100_000, period="totalt")
    seeded.add(new)
    record_created(seeded, new, username="redaktor", source="redigering")
    gone = next(f for f in botnia.funding_lines if f.kind == "privat")
    record_change(
        seeded,
        username="redaktor",
        source="redigering",
        entity="funding_line",
        entity_id=gone.id,
        action="delete",
        before=snapshot(gone),
    )
    seeded.delete(gone)
    seeded.flush()

    [project] = changes_since(seeded, start)["projects"]
    assert project["name"] == BOTNIA
    funding = sorted(((c["old"], c["new"]) for c in project["changes"] if c["field"] == "funding"), key=str)
    assert funding == sorted(
        [
            ("EG:s strukturfond: 750 000 kr/år", "EG:s strukturfond: 800 000 kr/år"),
            (None, "Vinnova: 100 000 kr"),
            ("FöreningsSparbanken: 200 000 kr/år", None),
        ],
        key=str,
    )
    assert {c["label"] for c in project["changes"]} == {"Finansiering"}


def test_added_redated_and_activity_status_changes(seeded):
    start = utcnow()
    task = _open_task(seeded, vannas=True)
    old_due = task.due_date
    task.due_date = dt.date(2030, 1, 31)
    record_change(
        seeded,
        username="redaktor",
        source="redigering",
        entity="task",
        entity_id=task.id,
        action="update",
        before={"due_date": old_due.isoformat() if old_due else None},
        after={"due_date": "2030-01-31"},
    )
    new = Task(meeting_id=task.meeting_id, text="Nytt uppdrag", municipality_id=task.municipality_id)
    seeded.add(new)
    record_created(seeded, new, username="redaktor", source="redigering")
    activity = seeded.scalars(select(Activity).order_by(Activity.id)).first()
    old_status = activity.status
    new_status = "klar" if old_status != "klar" else "pågår"
    activity.status = new_status
    record_change(
        seeded,
        username="redaktor",
        source="redigering",
        entity="activity",
        entity_id=activity.id,
        action="update",
        before={"status": old_status},
        after={"status": new_status},
    )
    seeded.flush()

    out = changes_since(seeded, start, Filter("Vännäs"))
    [redated] = out["tasks"]["redated"]
    assert (redated["id"], redated["due_date"], redated["old_due_date"]) == (
        task.id,
        "2030-01-31",
        old_due.isoformat() if old_due else None,
    )
    assert [t["text"] for t in out["tasks"]["added"]] == ["Nytt uppdrag"]
    [changed] = out["activities"]
    assert (changed["id"], changed["title"], changed["old_status"], changed["new_status"]) == (
        activity.id,
        activity.title,
        old_status,
        new_status,
    )
    assert changed["focus_area"] == activity.focus_area.name and changed["username"] == "redaktor"


def test_overdue_are_open_tasks_whose_due_date_fell_in_the_interval(seeded):
    since, today = dt.date(2019, 5, 16), dt.date(2019, 12, 1)
    out = changes_since(seeded, since, until=dt.datetime(2019, 12, 1, tzinfo=dt.UTC), today=today)
    expected = {
        t["id"]
        for t in list_tasks(seeded, today=today)
        if t["status"] in OPEN_TASK_STATUSES and t["due_date"] and "2019-05-16" <= t["due_date"] < "2019-12-01"
    }
    assert expected and {t["id"] for t in out["tasks"]["overdue"]} == expected
    vannas = changes_since(seeded, since, Filter("Vännäs"), until=dt.datetime(2019, 12, 1, tzinfo=dt.UTC), today=today)
    vannas_ids = {t["id"] for t in list_tasks(seeded, Filter("Vännäs"), today=today)}
    assert {t["id"] for t in vannas["tasks"]["overdue"]} == expected & vannas_ids


def test_default_since_is_the_latest_kommunchefsmote_before_today(seeded):
    assert default_since(seeded, dt.date(2019, 6, 1)) == (dt.date(2019, 5, 16), "sedan kommunchefsmötet 2019-05-16")
    latest, label = default_since(seeded)
    assert latest == dt.date(2019, 8, 22) and label == "sedan kommunchefsmötet 2019-08-22"
    assert default_since(seeded, dt.date(2019, 1, 1)) == (dt.date(2018, 12, 2), "de senaste 30 dagarna")


# --- change_counts: the overview's "Sedan förra mötet", which must agree with changes_since ---------------------


def assert_counts_agree(session, since, flt: Filter, *, until, today=None) -> dict:
    """change_counts gives, for every list of changes_since, its length; returns changes_since's answer."""
    full = changes_since(session, since, flt, until=until, today=today)
    counted = change_counts(session, since, flt, until=until, today=today)
    assert counted == {
        "since": full["since"],
        "until": full["until"],
        "kommun": full["kommun"],
        "tasks": {key: len(rows) for key, rows in full["tasks"].items()},
        "projects": len(full["projects"]),
        "activities": len(full["activities"]),
        "imports": len(full["imports"]),
    }
    return full


def _record(session, entity: str, entity_id: int, action: str, before=None, after=None, at=None) -> None:
    record_change(session, username="redaktor", source="redigering", entity=entity, entity_id=entity_id,
                  action=action, before=before, after=after, at=at)  # fmt: skip


def _many_changes(session) -> dt.datetime:
    """Every kind of change and its near misses, in Vännäs, in Umeå and in neither; returns when they began."""
    start = utcnow()
    _upload(session)  # Botniabanan (Vännäs) and UME&Co (no municipality)
    concerns = task_concerns(Filter("Vännäs"))
    tasks = session.scalars(select(Task).where(Task.status.in_(OPEN_TASK_STATUSES)).order_by(Task.id)).all()
    vannas = [t for t in tasks if session.scalar(select(Task.id).where(Task.id == t.id, concerns))]
    others = [t for t in tasks if t not in vannas]
    _done(session, vannas[0])
    _done(session, others[0])
    old_status = others[1].status
    _done(session, others[1])
    _done(session, others[1], status=old_status, at=utcnow() + dt.timedelta(seconds=1))  # and back
    _done(session, others[2], status="struken")  # not completed
    for task, new_due in ((others[3], "2031-01-31"), (vannas[-1], "2032-02-29")):
        old = task.due_date.isoformat() if task.due_date else None
        task.due_date = dt.date.fromisoformat(new_due)
        _record(session, "task", task.id, "update", {"due_date": old}, {"due_date": new_due})
    umea = session.scalars(select(Municipality).where(Municipality.name == "Umeå")).one()
    for text, municipality in (("Nytt i Umeå", umea.id), ("Nytt utan kommun", None), ("Nytt och borttaget", None)):
        new = Task(meeting_id=others[0].meeting_id, text=text, municipality_id=municipality, due_date=None)
        session.add(new)
        record_created(session, new, username="redaktor", source="redigering")
    gone = session.scalars(select(Task).where(Task.text == "Nytt och borttaget")).one()
    _record(session, "task", gone.id, "delete", before=snapshot(gone))
    session.delete(gone)
    removed = others[4]
    _record(session, "task", removed.id, "delete", before=snapshot(removed))
    session.delete(removed)
    activities = session.scalars(select(Activity).order_by(Activity.id)).all()
    for activity, back in ((activities[0], False), (activities[1], True)):
        old = activity.status
        activity.status = "klar" if old != "klar" else "pågår"
        _record(session, "activity", activity.id, "update", {"status": old}, {"status": activity.status})
        if back:
            _record(session, "activity", activity.id, "update", {"status": activity.status}, {"status": old},
                    at=utcnow() + dt.timedelta(seconds=1))  # fmt: skip
            activity.status = old
    stad = session.scalars(select(Project).where(Project.name == "Stad och Land")).one()
    line = stad.funding_lines[0] if stad.funding_lines else None
    if line is not None:
        _record(session, "funding_line", line.id, "update", {"amount": line.amount}, {"amount": (line.amount or 0) + 1})
        line.amount = (line.amount or 0) + 1
    session.flush()
    return start


SINCE = {
    "the changes' own start": None,
    "the first kommunchefsmöte": dt.date(2019, 5, 16),
    "after every change": "after",
}


@pytest.mark.parametrize("since", SINCE, ids=list(SINCE))
@pytest.mark.parametrize("kommun", [None, "Vännäs", "Umeå", "Bjurholm"])
def test_the_counts_agree_with_every_change_listed(seeded, since, kommun):
    start = _many_changes(seeded)
    until = utcnow() + dt.timedelta(seconds=5)
    chosen = {None: start, "after": until - dt.timedelta(seconds=1)}.get(SINCE[since], SINCE[since])
    for today in (dt.date(2019, 12, 1), dt.date.today()):
        full = assert_counts_agree(seeded, chosen, Filter(kommun), until=until, today=today)
    if SINCE[since] is None and kommun is None:
        # The scenario has something in every list, so that the counts have something to agree on.
        assert all(full["tasks"][k] for k in ("added", "completed", "redated"))
        assert full["projects"] and full["activities"] and full["imports"]


def test_the_counts_leave_out_what_changes_since_leaves_out(seeded):
    start = _many_changes(seeded)
    until = utcnow() + dt.timedelta(seconds=5)
    counted = change_counts(seeded, start, until=until)
    # Two Vännäs-or-other tasks done, one done and undone, one struck: two completed.
    assert counted["tasks"]["completed"] == 2
    # Three added, one of them removed again: two.
    assert counted["tasks"]["added"] == 2
    assert counted["tasks"]["redated"] == 2
    # One activity changed, one changed and changed back.
    assert counted["activities"] == 1
    assert change_counts(seeded, start, Filter("Vännäs"), until=until)["tasks"]["added"] == 0


def test_the_counts_load_no_rows_as_objects(seeded):
    start = _many_changes(seeded)
    seeded.flush()
    seeded.expunge_all()
    change_counts(seeded, start, Filter("Vännäs"), until=utcnow() + dt.timedelta(seconds=5), today=dt.date.today())
    assert {type(o).__name__ for o in seeded.identity_map.values()} <= {"FundingLine"}
