"""The demo data holds the facts of the two source documents, in our own words, and loads exactly once."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from functools import cache

import pytest
from sqlalchemy import func, select

from data.db import make_engine, make_session_factory
from data.meetings import list_meetings
from data.models import AgendaItem, Base, ChangeRecord, ImportBatch, Task
from data.plan import list_plans
from data.projects import list_projects
from data.seeding import load_demo_data
from data.tasks import list_tasks

from .helpers import MINUTES_2019_05_16, PLAN_2005, SEVEN, seed, source_text, words

BOTNIABANAN = "Botniabanan som tillväxtfaktor"
TURK = "Tillväxt i Umeåregionens kranskommuner (TURK)"


def projects(session):
    return {p["name"]: p for p in list_projects(session)}


def meeting_2019_05_16(session):
    return next(m for m in list_meetings(session) if m["date"] == "2019-05-16")


def tasks_2019_05_16(session):
    return [t for t in list_tasks(session, today=dt.date(2019, 5, 16)) if t["meeting_date"] == "2019-05-16"]


def test_plan_2005_was_adopted_2004_12_03_by_regionradet(seeded):
    plan = list_plans(seeded)[0]
    assert (plan["year"], plan["adopted_on"], plan["adopted_by"]) == (2005, "2004-12-03", "Regionrådet")
    stated = re.search(r"Antagen av (\w+) den (\d{4}-\d{2}-\d{2})", source_text(PLAN_2005))
    assert (plan["adopted_by"], plan["adopted_on"]) == stated.groups()


def test_plan_2005_has_exactly_the_seven_focus_areas_in_document_order(seeded):
    names = [fa["name"] for fa in list_plans(seeded)[0]["focus_areas"]]
    assert names == [
        "Närings- och utveckling",
        "Förnyelse av offentlig verksamhet",
        "Infrastruktur",
        "Kultur och kompetensutveckling",
        "Den hållbara Umeåregionen",
        "Internationalisering",
        "Omvärldsanalys",
    ]
    # The document writes its focus areas as headings in capitals.
    headings = re.findall(r"^([A-ZÅÄÖ][A-ZÅÄÖ -]{3,})$", source_text(PLAN_2005), flags=re.MULTILINE)
    assert [n.casefold() for n in names] == [h.strip().casefold() for h in headings]


def test_plan_2005_has_eight_projects(seeded):
    assert set(projects(seeded)) == {
        BOTNIABANAN,
        "UME&Co",
        "Stad och Land",
        TURK,
        "Via Uma",
        "Bibliotek 2007",
        "LAPP; Local Action Plans in Progress",
        "Bio Fuel Region",
    }


def test_botniabanan_runs_2005_2006_with_a_yearly_budget_of_4_650_000(seeded):
    p = projects(seeded)[BOTNIABANAN]
    assert (p["start_date"], p["end_date"]) == ("2005-01-01", "2006-12-31")
    assert (p["budget_amount"], p["budget_period"]) == (4_650_000, "år")


def test_botniabanan_has_five_funders_summing_to_3_900_000_per_year_leaving_750_000_unspecified(seeded):
    p = projects(seeded)[BOTNIABANAN]
    assert {(f["funder"], f["amount"], f["period"]) for f in p["funding"]} == {
        ("Kommunerna i Umeåregionen", 2_400_000, "år"),
        ("Umeå universitet", 200_000, "år"),
        ("AC läns landsting", 350_000, "år"),
        ("FöreningsSparbanken", 200_000, "år"),
        ("EG:s strukturfond", 750_000, "år"),
    }
    assert len(p["funding"]) == 5
    assert (p["funding_sum"], p["funding_sum_period"]) == (3_900_000, "år")
    assert p["unspecified_amount"] == 750_000
    assert p["funding_unknown_count"] == 0


def test_bibliotek_2007_has_two_phases_and_6_256_000_in_total(seeded):
    p = projects(seeded)["Bibliotek 2007"]
    assert p["phases"] == [
        {"name": "Etapp 1", "start_date": "2001-05-01", "end_date": "2002-12-31"},
        {"name": "Etapp 2", "start_date": "2003-01-01", "end_date": "2005-12-31"},
    ]
    assert (p["budget_amount"], p["budget_period"]) == (6_256_000, "totalt")
    assert (p["start_date"], p["end_date"]) == ("2001-05-01", "2005-12-31")


def test_turk_names_five_municipalities_and_5_400_000(seeded):
    p = projects(seeded)[TURK]
    assert sorted(p["municipalities"]) == sorted(["Nordmaling", "Robertsfors", "Bjurholm", "Vännäs", "Vindeln"])
    assert p["budget_amount"] == 5_400_000
    assert p["owner_organisation"] == "Stiftelsen Navet i Nordmaling"


def test_ume_and_co_budget_parts_add_up_to_its_12_600_000_budget(seeded):
    p = projects(seeded)["UME&Co"]
    assert p["budget_parts"] == [{"label": "kust", "amount": 10_100_000}, {"label": "inland", "amount": 2_500_000}]
    assert (p["budget_amount"], p["budget_period"]) == (12_600_000, "totalt")
    assert sum(b["amount"] for b in p["budget_parts"]) == p["budget_amount"]


def test_meeting_2019_05_16_ran_14_30_to_16_00_and_set_the_next_meeting_to_2019_08_22(seeded):
    m = meeting_2019_05_16(seeded)
    assert (m["start_time"], m["end_time"], m["next_meeting_date"]) == ("14:30", "16:00", "2019-08-22")
    assert "2019-08-22" in [x["date"] for x in list_meetings(seeded)]


def test_meeting_2019_05_16_has_the_eleven_agenda_items_of_the_minutes(seeded):
    items = meeting_2019_05_16(seeded)["agenda_items"]
    assert [a["number"] for a in items] == list(range(1, 12))
    in_minutes = dict(re.findall(r"^(\d+)\. (.+?)\s*$", source_text(MINUTES_2019_05_16), flags=re.MULTILINE))
    assert {int(n): title for n, title in in_minutes.items()} == {a["number"]: a["title"] for a in items}


def test_meeting_2019_05_16_decision_makers_are_the_six_the_minutes_name(seeded):
    m = meeting_2019_05_16(seeded)
    stated = re.search(r"^Beslutande \*(.+)\*", source_text(MINUTES_2019_05_16), flags=re.MULTILINE).group(1)
    deciding = {p["name"] for p in m["participants"] if "beslutande" in p["roles"]}
    assert deciding == {n.strip() for n in stated.split(",")}
    assert len(deciding) == 6


# Every assignment in the minutes: (agenda item, who the text names as owner, a word from what they are to do).
ASSIGNMENTS = [
    (3, (), "avtalsförslag"),
    (4, ("Karin Ahnqvist", "Maria Persson"), "upplägg"),
    (4, (), "PowerPoint"),
    (4, ("Kansliet",), "reklamfilm"),
    (4, ("Kansliet",), "avsiktsförklaring"),
    (4, ("KC-gruppen",), "Arbetsmarknadskunskap"),
    (4, ("Magnus Haglund",), "diskussion"),
    (4, ("Magnus Haglund",), "återkomma"),
    (4, ("Näringslivsgruppen",), "etablering"),
    (4, ("Näringslivsgruppen",), "Business Arena"),
    (6, ("Magnus Haglund",), "personalavdelningen"),
    (7, ("Karolina Johansson", "Per-Eric Magnusson"), "otydlig"),
    (8, ("Karin Ahnqvist",), "grundförslag"),
    (9, ("Vännäs kommun",), "avfallsplan"),
    (9, (), "taxa"),
]


def _matches(task, number, owners, keyword):
    squash = lambda s: s.casefold().replace(" ", "").replace("-", "")  # noqa: E731 ("power point", "PowerPoint")
    return (
        task["agenda_item_number"] == number
        and set(task["owners"]) == set(owners)
        and squash(keyword) in squash(task["text"])
    )


def test_tasks_hold_every_assignment_of_the_minutes_each_as_its_own_task(seeded):
    tasks = tasks_2019_05_16(seeded)
    used: set[int] = set()
    missing = []
    for number, owners, keyword in ASSIGNMENTS:
        match = next((t for t in tasks if t["id"] not in used and _matches(t, number, owners, keyword)), None)
        if match is None:
            missing.append((number, owners, keyword))
        else:
            used.add(match["id"])
    assert missing == []


def test_tasks_of_the_meeting_are_only_the_assignments_of_the_minutes(seeded):
    tasks = tasks_2019_05_16(seeded)
    assert Counter(t["agenda_item_number"] for t in tasks) == Counter(n for n, _, _ in ASSIGNMENTS)
    assert len(tasks) == len(ASSIGNMENTS)


@pytest.mark.parametrize("keyword", [k for _, owners, k in ASSIGNMENTS if not owners])
def test_tasks_without_a_named_owner_have_no_owners(seeded, keyword):
    task = next(t for t in tasks_2019_05_16(seeded) if keyword.casefold() in t["text"].casefold())
    assert task["owners"] == []


@pytest.mark.parametrize(
    ("keyword", "due_text", "due_date"),
    [
        ("avtalsförslag", "till kommunchefsmötet i augusti", "2019-08-22"),
        ("upplägg", "under hösten", "2019-11-30"),
        ("etablering", "under hösten", "2019-11-30"),
        ("taxa", "under hösten", "2019-11-30"),
    ],
)
def test_relative_due_dates_resolve_against_the_meeting(seeded, keyword, due_text, due_date):
    task = next(t for t in tasks_2019_05_16(seeded) if keyword.casefold() in t["text"].casefold())
    assert (task["due_text"], task["due_date"]) == (due_text, due_date)
    assert task["due_rule"]


def test_every_task_due_under_hosten_is_due_2019_11_30(seeded):
    autumn = [t for t in tasks_2019_05_16(seeded) if "hösten" in (t["due_text"] or "")]
    assert len(autumn) == 3
    assert {t["due_date"] for t in autumn} == {"2019-11-30"}


def test_every_seed_reference_resolves():
    municipalities = {m["name"] for m in seed("municipalities.json")}
    assert sorted(municipalities) == sorted(SEVEN)
    parties = {p["name"] for p in seed("parties.json")}
    plan = seed("plan_2005.json")
    focus_areas = {fa["name"] for fa in plan["focus_areas"]}
    meeting_dates = {m["date"] for m in seed("meetings.json")}
    problems = []
    for p in seed("parties.json"):
        if p["municipality"] not in municipalities | {None}:
            problems.append(("party", p["name"], p["municipality"]))
    for p in seed("projects.json"):
        if p["focus_area"] not in focus_areas or p["plan_year"] != plan["year"]:
            problems.append(("project", p["name"], p["focus_area"]))
        problems += [("project", p["name"], m) for m in p["municipalities"] if m not in municipalities]
    for m in seed("meetings.json"):
        problems += [("participant", m["date"], p["name"]) for p in m["participants"] if p["name"] not in parties]
        if m["next_meeting_date"] not in meeting_dates | {None}:
            problems.append(("next meeting", m["date"], m["next_meeting_date"]))
        for a in m["agenda_items"]:
            for t in a["tasks"]:
                problems += [("task owner", a["number"], o) for o in t["owners"] if o not in parties]
                if t["municipality"] not in municipalities | {None}:
                    problems.append(("task municipality", a["number"], t["municipality"]))
    assert problems == []


def test_every_task_belongs_to_an_agenda_item_of_its_own_meeting(seeded):
    rows = seeded.execute(select(Task.meeting_id, AgendaItem.meeting_id).join(Task.agenda_item)).all()
    assert len(rows) == seeded.scalar(select(func.count(Task.id))) == len(ASSIGNMENTS)
    assert all(task_meeting == item_meeting for task_meeting, item_meeting in rows)


def _row_counts(session) -> dict[str, int]:
    return {t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


@pytest.fixture
def unseeded(databases):
    """A session on a migrated database with only the seven municipalities; rolled back at the end."""
    eng = make_engine(databases.fresh(seed=False))
    s = make_session_factory(eng)()
    yield s
    s.rollback()
    s.close()
    eng.dispose()


def test_every_row_the_demo_data_creates_has_a_demodata_change_record(unseeded):
    def ids() -> dict[str, set[int]]:
        return {t.name: set(unseeded.scalars(select(t.c.id))) for t in Base.metadata.sorted_tables if "id" in t.c}

    before = ids()
    assert load_demo_data(unseeded) is True
    unseeded.flush()
    batch = unseeded.scalars(select(ImportBatch).filter_by(kind="demodata")).one()
    records = {(r.entity, r.entity_id): r for r in unseeded.scalars(select(ChangeRecord))}
    after = ids()
    created = 0
    for name, ids_before in before.items():
        if name in ("change_record", "import_batch"):  # the history and the batch itself
            continue
        for row_id in after[name] - ids_before:
            created += 1
            rec = records.get((name, row_id))
            assert rec is not None, (name, row_id)
            assert (rec.source, rec.action, rec.username) == ("demodata", "create", "system")
            assert rec.import_batch_id == batch.id
            assert rec.after["id"] == row_id
    assert created == sum(batch.counts.values()) > 0
    assert len(records) == created == unseeded.scalar(select(func.count(ChangeRecord.id)))


def test_loading_the_demo_data_again_returns_false_and_adds_nothing(seeded):
    before = _row_counts(seeded)
    assert before["project"] == 8
    assert load_demo_data(seeded) is False
    seeded.flush()
    assert _row_counts(seeded) == before


def test_demo_data_import_batch_counts_what_it_loaded(seeded):
    counts = seeded.scalars(select(ImportBatch.counts).filter_by(kind="demodata")).one()
    tables = _row_counts(seeded)
    assert counts == {name: tables[name] for name in counts}
    assert counts["task"] == len(ASSIGNMENTS)


RUN = 12


@cache
def _source_runs() -> frozenset[tuple[str, ...]]:
    runs = set()
    for path in (PLAN_2005, MINUTES_2019_05_16):
        w = words(source_text(path))
        runs |= {tuple(w[i : i + RUN]) for i in range(len(w) - RUN + 1)}
    return frozenset(runs)


def _seed_texts():
    for fa in seed("plan_2005.json")["focus_areas"]:
        for a in fa["activities"]:
            yield f"activity:{a['title']}", a["description"]
    for p in seed("projects.json"):
        yield f"project:{p['name']}", p["description"]
    for m in seed("meetings.json"):
        for a in m["agenda_items"]:
            yield f"notes:{m['date']}#{a['number']}", a["notes"] or ""
            for i, d in enumerate(a["decisions"]):
                yield f"decision:{m['date']}#{a['number']}.{i}", d
            for i, t in enumerate(a["tasks"]):
                yield f"task:{m['date']}#{a['number']}.{i}", t["text"]


VERBATIM: dict[str, str] = {}  # key → reason, for a seed text known to copy the source


@pytest.mark.parametrize(
    "description",
    [
        pytest.param(t, id=key, marks=[pytest.mark.xfail(strict=True, reason=VERBATIM[key])] if key in VERBATIM else [])
        for key, t in _seed_texts()
    ],
)
def test_seed_text_shares_no_run_of_twelve_words_with_the_source_documents(description):
    w = words(description)
    copied = [" ".join(w[i : i + RUN]) for i in range(len(w) - RUN + 1) if tuple(w[i : i + RUN]) in _source_runs()]
    assert copied == []


def test_the_verbatim_check_finds_a_copied_sentence():
    copied = (
        "Projektet lyfter fram tillväxtfrågor för universitet, näringsliv och samhälle och marknadsför "
        "Umeåregionen som en gemensam bostads- och arbetsmarknadsregion."
    )
    w = words(copied)
    assert any(tuple(w[i : i + RUN]) in _source_runs() for i in range(len(w) - RUN + 1))


def test_the_creation_records_name_a_projects_municipalities_and_a_tasks_owners(seeded):
    from data.models import Project

    turk = seeded.scalars(select(Project).where(Project.name.like("%TURK%"))).one()
    record = seeded.scalars(select(ChangeRecord).filter_by(entity="project", entity_id=turk.id)).one()
    assert sorted(record.after["municipalities"]) == sorted(m.name for m in turk.municipalities)
    task = seeded.scalars(select(Task).where(Task.owners.any())).first()
    record = seeded.scalars(select(ChangeRecord).filter_by(entity="task", entity_id=task.id)).one()
    assert sorted(record.after["owners"]) == sorted(o.name for o in task.owners)
