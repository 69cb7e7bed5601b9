"""Saving a checked document: the meeting or plan with everything under it, as one import with history and undo;
the same document twice is recognised; corrections from the person are checked again as untrusted input."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from data.db import make_engine, make_session_factory
from data.documents.save import DocumentRefused, preview_document, save_document
from data.imports import Actor, ImportRefused, undo_latest
from data.models import Base, ChangeRecord, FundingLine, ImportBatch, Meeting, Project, Task
from data.seeding import ensure_municipalities

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
MINUTES = SEEDS / "000_97e14613fcf6c3ba.txt"
PLAN = SEEDS / "002_c534bd840d8e5979.txt"
ADMIN = Actor("admin", "admin")


@pytest.fixture
def factory(databases):
    """A database with the seven municipalities but without the demo data (which already holds both documents)."""
    engine = make_engine(databases.empty())
    from data.db import upgrade

    upgrade(engine)
    sessions = make_session_factory(engine)
    with sessions() as s:
        ensure_municipalities(s)
        s.commit()
    yield sessions
    engine.dispose()


def dump(sessions) -> dict:
    with sessions() as s:
        return {
            t.name: sorted(map(repr, s.execute(select(t)).all()))
            for t in Base.metadata.sorted_tables
            if t.name != "pending_upload"
        }


def preview(sessions, path: Path, actor: Actor = ADMIN) -> dict:
    with sessions() as s:
        out = preview_document(s, path.read_bytes(), path.name, actor=actor)
        s.commit()
    return out


def save(sessions, token, found, actor: Actor = ADMIN):
    with sessions() as s:
        result = save_document(s, token, found, actor=actor)
        s.commit()
    return result


def count(sessions, model, *where) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def test_saving_the_seed_minutes_creates_the_meeting_its_agenda_decisions_and_tasks(factory):
    out = preview(factory, MINUTES)
    assert out["token"] and not out["problems"] and out["duplicate"] is None
    assert out["summary"].startswith("Kommunchefsmöte 2019-05-16: 11 punkter, 2 beslut")
    result = save(factory, out["token"], out["found"])
    assert "är sparat" in result.message
    found_tasks = sum(len(i["assignments"]) for i in out["found"]["agenda_items"])
    assert count(factory, Task) == found_tasks > 10
    with factory() as s:
        meeting = s.scalars(select(Meeting).where(Meeting.date == dt.date(2019, 5, 16))).one()
        assert len(meeting.agenda_items) == 11 and sum(len(a.decisions) for a in meeting.agenda_items) == 2
        assert meeting.next_meeting_date is not None
        assert s.scalar(select(func.count()).select_from(Meeting).where(Meeting.date == meeting.next_meeting_date))
        batch = s.scalars(select(ImportBatch).where(ImportBatch.kind == "dokument")).one()
        assert batch.source == MINUTES.name and len(batch.sha256) == 64 and batch.username == "admin"
        records = s.scalar(
            select(func.count()).select_from(ChangeRecord).where(ChangeRecord.import_batch_id == batch.id)
        )
        assert records == batch.counts["new"]


def test_saving_the_seed_plan_creates_projects_with_funders_and_undo_removes_it_all(factory):
    before = dump(factory)
    out = preview(factory, PLAN)
    save(factory, out["token"], out["found"])
    assert count(factory, Project) == 8 and count(factory, FundingLine) >= 5
    with factory() as s:
        botnia = s.scalars(select(Project).where(Project.name.like("Botniabanan%"))).one()
        assert botnia.budget_amount == 4_650_000 and botnia.budget_period == "år"
    with factory() as s:
        undo_latest(s, actor=ADMIN)
        s.commit()
    after = dump(factory)
    assert {k: v for k, v in after.items() if k not in ("import_batch", "change_record")} == {
        k: v for k, v in before.items() if k not in ("import_batch", "change_record")
    }


def test_the_same_document_twice_is_recognised_and_not_duplicated(factory):
    first = preview(factory, MINUTES)
    save(factory, first["token"], first["found"])
    again = preview(factory, MINUTES)
    assert again["token"] is None and "redan inläst" in again["duplicate"]
    assert count(factory, Meeting, Meeting.kind == "kommunchefsmöte") == 2  # the meeting and the next one
    # The same meeting from another file (e.g. saved again as .md) is recognised by its date.
    copy_path = MINUTES.with_suffix(".md")
    with factory() as s:
        other = preview_document(s, MINUTES.read_bytes() + b"\n", copy_path.name, actor=ADMIN)
    assert other["token"] is None and "finns redan" in other["duplicate"]


def test_the_persons_corrections_are_what_is_saved(factory):
    out = preview(factory, MINUTES)
    found = copy.deepcopy(out["found"])
    items = [i for i in found["agenda_items"] if i["assignments"]]
    items[0]["assignments"][0]["what"] = "Rättad text för uppdraget."
    dropped = items[-1]["assignments"].pop()
    items[0]["assignments"].append(
        {
            "owners": ["Ny Person"],
            "what": "Ett tillagt uppdrag.",
            "due_text": None,
            "due_date": "2019-09-30",
            "due_rule": None,
            "source": None,
        }
    )
    save(factory, out["token"], found)
    with factory() as s:
        texts = set(s.scalars(select(Task.text)))
    assert "Rättad text för uppdraget." in texts and "Ett tillagt uppdrag." in texts
    assert dropped["what"] not in texts


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f["meeting"].update(date="16/5"), "Mötets datum"),
        (lambda f: f["agenda_items"][0].update(number="ett"), "numret måste vara ett heltal"),
        (lambda f: f["agenda_items"][1].update(number=f["agenda_items"][0]["number"]), "används två gånger"),
        (
            lambda f: next(i for i in f["agenda_items"] if i["assignments"])["assignments"][0].update(what=""),
            "vad saknas",
        ),
        (lambda f: f["meeting"].update(kind="fest"), "Mötestyp"),
        (lambda f: f["meeting"]["participants"][0].update(role="kung"), "rollen"),
        (lambda f: f.update(kind="annat"), "okänd sort"),
    ],
    ids=["bad date", "bad number", "number twice", "empty task", "unknown kind", "unknown role", "unknown shape"],
)
def test_bad_corrections_are_refused_by_item_and_field_and_nothing_is_written(factory, change, message):
    out = preview(factory, MINUTES)
    found = copy.deepcopy(out["found"])
    change(found)
    before = dump(factory)
    with pytest.raises(DocumentRefused) as caught:
        save(factory, out["token"], found)
    assert message in str(caught.value)
    assert dump(factory) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: p["funders"].append({"name": "X", "kind": "EU", "amount_sek": -5, "period": "total"}), "negativt"),
        (lambda p: p["funders"].append({"name": "Y", "kind": "lotteri", "amount_sek": 5, "period": "total"}), "typen"),
        (lambda p: p.update(municipalities=["Umeaa"]), "Menade du Umeå"),
        (lambda p: p.update(start="2006-01-01", end="2005-01-01"), "före startdatumet"),
    ],
    ids=["negative amount", "unknown funder kind", "unknown municipality", "end before start"],
)
def test_bad_plan_corrections_are_refused_and_nothing_is_written(factory, change, message):
    out = preview(factory, PLAN)
    found = copy.deepcopy(out["found"])
    change(next(p for a in found["plan"]["focus_areas"] for p in a["projects"]))
    before = dump(factory)
    with pytest.raises(DocumentRefused) as caught:
        save(factory, out["token"], found)
    assert message in str(caught.value)
    assert dump(factory) == before


def test_only_editors_for_the_whole_region_may_save_and_only_their_own_preview(factory):
    out = preview(factory, MINUTES)
    before = dump(factory)
    with pytest.raises(ImportRefused, match="behörighet"):
        preview(factory, MINUTES, Actor("lasare", "läsare"))
    with pytest.raises(DocumentRefused, match="hela regionen"):
        save(factory, out["token"], out["found"], Actor("vannas", "redigerare", "Vännäs"))
    with pytest.raises(DocumentRefused, match="finns inte längre"):
        save(factory, out["token"], out["found"], Actor("annan", "redigerare"))
    with pytest.raises(DocumentRefused, match="finns inte längre"):
        save(factory, "påhittad", out["found"])
    assert dump(factory) == before


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Kansliet", "grupp"),
        ("Näringslivsgruppen", "grupp"),
        ("KC-gruppen", "grupp"),
        ("Vännäs kommun", "grupp"),
        ("IT-nätverket", "grupp"),
        ("Ansvarsrådet", "grupp"),
        ("Magnus Haglund", "person"),
        ("Åsa Öberg", "person"),
    ],
)
def test_new_owners_are_groups_or_people_by_their_name(name, kind):
    from data.imports.kinds import party_kind

    assert party_kind(name) == kind
