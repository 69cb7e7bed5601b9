"""What changed "sedan förra mötet": changes_since and default_since, built from the history of every write."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from data.changes import changes_since, default_since
from data.filters import Filter
from data.history import record_change, record_created, snapshot, utcnow
from data.imports import import_file
from data.imports.engine import Actor
from data.models import OPEN_TASK_STATUSES, Activity, FundingLine, Project, Task
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
    assert changes_since(seeded, dt.date(2019, 5, 16), until=dt.datetime(2019, 6, 1, tzinfo=dt.UTC))["projects"] == []


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
