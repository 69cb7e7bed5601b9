"""The change history: JSON-safe snapshots, and one entity's records newest first."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from data.history import history_for, record_change, snapshot
from data.models import ImportBatch, Meeting, Project

T = dt.datetime(2031, 3, 1, 9, 0, tzinfo=dt.UTC)


def test_snapshot_of_a_project_is_json_safe_with_iso_dates(seeded):
    project = seeded.scalars(select(Project).filter_by(name="Botniabanan som tillväxtfaktor")).one()
    snap = snapshot(project)
    assert json.loads(json.dumps(snap)) == snap
    assert snap["start_date"] == "2005-01-01"
    assert snap["end_date"] == "2006-12-31"
    assert snap["budget_amount"] == 4_650_000
    assert snap["name"] == "Botniabanan som tillväxtfaktor"
    assert isinstance(snap["uncertain"], list)
    dt.datetime.fromisoformat(snap["created_at"])


def test_snapshot_of_a_meeting_gives_times_as_iso_strings(seeded):
    meeting = seeded.scalars(select(Meeting).filter_by(date=dt.date(2019, 5, 16))).one()
    snap = snapshot(meeting)
    json.dumps(snap)
    assert snap["date"] == "2019-05-16"
    assert snap["start_time"] == "14:30:00"
    assert snap["end_time"] == "16:00:00"
    assert snap["next_meeting_date"] == "2019-08-22"


def test_snapshot_holds_columns_and_leaves_relationships_out(seeded):
    project = seeded.scalars(select(Project).filter_by(name="Bibliotek 2007")).one()
    snap = snapshot(project)
    assert {"id", "name", "focus_area_id", "start_date", "budget_period", "created_at"} <= snap.keys()
    assert not {"focus_area", "phases", "funding_lines", "municipalities", "budget_parts"} & snap.keys()


def test_snapshot_of_an_import_batch_keeps_its_json_counts(seeded):
    batch = seeded.scalars(select(ImportBatch).filter_by(kind="demodata")).one()
    snap = snapshot(batch)
    json.dumps(snap)
    assert snap["counts"]["project"] == 8
    assert isinstance(snap["at"], str)


def _record(session, who, at, *, entity="testobjekt", entity_id=1):
    record_change(
        session,
        username=who,
        source="test",
        entity=entity,
        entity_id=entity_id,
        action="update",
        before={"v": who},
        after={"v": who + "!"},
        at=at,
    )


def test_history_for_lists_records_newest_first(seeded):
    _record(seeded, "second", T + dt.timedelta(hours=1))
    _record(seeded, "first", T)
    _record(seeded, "third", T + dt.timedelta(days=2))
    seeded.flush()
    history = history_for(seeded, "testobjekt", 1)
    assert [h["username"] for h in history] == ["third", "second", "first"]
    assert history[0] == {
        "at": history[0]["at"],
        "username": "third",
        "source": "test",
        "action": "update",
        "before": {"v": "third"},
        "after": {"v": "third!"},
    }
    assert dt.datetime.fromisoformat(history[0]["at"]).replace(tzinfo=None) == (T + dt.timedelta(days=2)).replace(
        tzinfo=None
    )


def test_history_for_puts_the_later_record_first_when_times_are_equal(seeded):
    _record(seeded, "earlier", T)
    seeded.flush()
    _record(seeded, "later", T)
    seeded.flush()
    assert [h["username"] for h in history_for(seeded, "testobjekt", 1)] == ["later", "earlier"]


def test_history_for_only_returns_the_asked_entity(seeded):
    _record(seeded, "mine", T)
    _record(seeded, "other-id", T, entity_id=2)
    _record(seeded, "other-entity", T, entity="annat")
    seeded.flush()
    assert [h["username"] for h in history_for(seeded, "testobjekt", 1)] == ["mine"]


def test_history_for_a_seeded_project_shows_its_creation_by_the_demo_data(seeded):
    project = seeded.scalars(select(Project).filter_by(name="UME&Co")).one()
    history = history_for(seeded, "project", project.id)
    assert len(history) == 1
    assert history[0]["action"] == "create"
    assert history[0]["source"] == "demodata"
    assert history[0]["before"] is None
    assert history[0]["after"]["name"] == "UME&Co"
    assert history[0]["after"]["budget_amount"] == 12_600_000


def test_history_survives_a_round_trip_through_json(seeded):
    _record(seeded, "x", T)
    seeded.flush()
    history = history_for(seeded, "testobjekt", 1)
    assert json.loads(json.dumps(history)) == history


def test_history_for_orders_by_the_instant_whatever_the_time_zone_of_at(seeded):
    plus_two = dt.timezone(dt.timedelta(hours=2))
    _record(seeded, "later", T + dt.timedelta(hours=1))  # 10:00 UTC
    _record(seeded, "earlier", (T + dt.timedelta(minutes=30)).astimezone(plus_two))  # 09:30 UTC, 11:30 at +02:00
    seeded.flush()
    assert [h["username"] for h in history_for(seeded, "testobjekt", 1)] == ["later", "earlier"]
