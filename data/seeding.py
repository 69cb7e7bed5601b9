"""Loads the Umeåregionen demo data from data/seed/*.json, once: a second run loads nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.history import record_created
from data.models import (
    Activity,
    AgendaItem,
    BudgetPart,
    Decision,
    FocusArea,
    FundingLine,
    ImportBatch,
    Meeting,
    MeetingParticipant,
    Municipality,
    Party,
    Phase,
    Plan,
    Project,
    Task,
)

SEED_DIR = Path(__file__).with_name("seed")
SEED_FILES = ("municipalities.json", "parties.json", "plan_2005.json", "projects.json", "meetings.json")
SOURCE = "demodata"
ACTOR = "system"


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _time(value: str | None) -> dt.time | None:
    return dt.time.fromisoformat(value) if value else None


def read_seed(seed_dir: Path = SEED_DIR) -> dict[str, Any]:
    """The seed files' contents by file name."""
    return {name: json.loads((seed_dir / name).read_text(encoding="utf-8")) for name in SEED_FILES}


def seed_digest(seed_dir: Path = SEED_DIR) -> str:
    h = hashlib.sha256()
    for name in SEED_FILES:
        h.update((seed_dir / name).read_bytes())
    return h.hexdigest()


def is_seeded(session: Session) -> bool:
    return session.scalars(select(ImportBatch.id).filter_by(kind="demodata").limit(1)).first() is not None


def ensure_municipalities(session: Session, seed_dir: Path = SEED_DIR) -> None:
    """The seven municipalities exist (they are reference data, needed even without the demo data)."""
    existing = set(session.scalars(select(Municipality.name)))
    for m in json.loads((seed_dir / "municipalities.json").read_text(encoding="utf-8")):
        if m["name"] not in existing:
            session.add(Municipality(name=m["name"], official_name=m["official_name"], aliases=m["aliases"]))
    session.flush()


def demo_as_of(seed: dict[str, Any]) -> dt.datetime:
    """When the demo data was true: noon, Swedish summer time, on the day of the newest minutes in it (the plan's
    adoption if it has none). Its history is stamped then, so that "sedan förra mötet" on a new database shows what
    has happened since those minutes, not the loading of the demo data itself."""
    days = [m["date"] for m in seed["meetings.json"] if m.get("agenda_items")] or [seed["plan_2005.json"]["adopted_on"]]
    return dt.datetime.combine(dt.date.fromisoformat(max(days)), dt.time(10, 0), tzinfo=dt.UTC)


def load_demo_data(session: Session, seed_dir: Path = SEED_DIR) -> bool:
    """Load the demo data in the caller's transaction unless it was loaded before. True if it loaded."""
    ensure_municipalities(session, seed_dir)
    if is_seeded(session):
        return False
    seed = read_seed(seed_dir)
    as_of = demo_as_of(seed)
    batch = ImportBatch(
        kind="demodata", source="data/seed", sha256=seed_digest(seed_dir), username=ACTOR, at=as_of, counts={}
    )
    session.add(batch)
    session.flush()
    loader = _Loader(session, batch)
    loader.parties(seed["parties.json"])
    loader.plan(seed["plan_2005.json"])
    loader.projects(seed["projects.json"])
    loader.meetings(seed["meetings.json"])
    batch.counts = loader.counts
    return True


class _Loader:
    def __init__(self, session: Session, batch: ImportBatch):
        self.s = session
        self.batch = batch
        self.counts: dict[str, int] = {}
        self.municipality = {m.name: m for m in session.scalars(select(Municipality))}
        self.party: dict[str, Party] = {}
        self.focus_area: dict[tuple[int, str], FocusArea] = {}

    def add(self, obj, **extra):
        self.s.add(obj)
        record_created(self.s, obj, username=ACTOR, source=SOURCE, batch=self.batch, extra=extra, at=self.batch.at)
        self.counts[obj.__tablename__] = self.counts.get(obj.__tablename__, 0) + 1
        return obj

    def _muni(self, name: str | None) -> Municipality | None:
        return self.municipality[name] if name else None

    def parties(self, rows: list[dict]) -> None:
        for r in rows:
            self.party[r["name"]] = self.add(
                Party(
                    name=r["name"],
                    kind=r["kind"],
                    municipality=self._muni(r.get("municipality")),
                    organisation=r.get("organisation"),
                    aliases=r.get("aliases", []),
                    uncertain=r.get("uncertain", []),
                )
            )

    def plan(self, data: dict) -> None:
        plan = self.add(
            Plan(
                year=data["year"],
                title=data["title"],
                adopted_on=_date(data["adopted_on"]),
                adopted_by=data["adopted_by"],
            )
        )
        for i, fa_data in enumerate(data["focus_areas"], start=1):
            fa = self.add(FocusArea(plan=plan, name=fa_data["name"], position=i))
            self.focus_area[(plan.year, fa.name)] = fa
            for j, a in enumerate(fa_data["activities"], start=1):
                self.add(
                    Activity(
                        focus_area=fa,
                        title=a["title"],
                        description=a.get("description") or "",
                        responsible=a.get("responsible"),
                        status=a["status"],
                        due_text=a.get("due_text"),
                        due_date=_date(a.get("due_date")),
                        position=j,
                        uncertain=a.get("uncertain", []),
                    )
                )

    def projects(self, rows: list[dict]) -> None:
        for r in rows:
            project = self.add(
                Project(
                    name=r["name"],
                    focus_area=self.focus_area[(r["plan_year"], r["focus_area"])],
                    description=r.get("description") or "",
                    owner_organisation=r.get("owner_organisation"),
                    contact_name=r.get("contact_name"),
                    contact_role=r.get("contact_role"),
                    municipalities=[self.municipality[m] for m in r.get("municipalities", [])],
                    start_date=_date(r.get("start_date")),
                    end_date=_date(r.get("end_date")),
                    time_frame_text=r.get("time_frame_text"),
                    status=r["status"],
                    budget_amount=r.get("budget_amount"),
                    budget_period=r.get("budget_period"),
                    budget_text=r.get("budget_text"),
                    uncertain=r.get("uncertain", []),
                ),
                municipalities=r.get("municipalities", []),
            )
            for ph in r.get("phases", []):
                self.add(
                    Phase(
                        project=project,
                        name=ph["name"],
                        start_date=_date(ph["start_date"]),
                        end_date=_date(ph["end_date"]),
                    )
                )
            for f in r.get("funding", []):
                self.add(
                    FundingLine(
                        project=project,
                        funder=f["funder"],
                        kind=f["kind"],
                        amount=f.get("amount"),
                        period=f.get("period"),
                    )
                )
            for b in r.get("budget_parts", []):
                self.add(BudgetPart(project=project, label=b["label"], amount=b["amount"]))

    def meetings(self, rows: list[dict]) -> None:
        for r in rows:
            meeting = self.add(
                Meeting(
                    kind=r["kind"],
                    date=_date(r["date"]),
                    start_time=_time(r.get("start_time")),
                    end_time=_time(r.get("end_time")),
                    title=r.get("title"),
                    place=r.get("place"),
                    secretary=r.get("secretary"),
                    next_meeting_date=_date(r.get("next_meeting_date")),
                    uncertain=r.get("uncertain", []),
                )
            )
            for p in r.get("participants", []):
                self.add(
                    MeetingParticipant(
                        meeting=meeting, party=self.party[p["name"]], roles=p.get("roles", []), note=p.get("note")
                    )
                )
            for a in r.get("agenda_items", []):
                item = self.add(
                    AgendaItem(
                        meeting=meeting,
                        number=a["number"],
                        title=a["title"],
                        presenter=a.get("presenter"),
                        notes=a.get("notes"),
                    )
                )
                for text in a.get("decisions", []):
                    self.add(Decision(agenda_item=item, text=text))
                for t in a.get("tasks", []):
                    self.add(
                        Task(
                            meeting=meeting,
                            agenda_item=item,
                            text=t["text"],
                            owners=[self.party[o] for o in t.get("owners", [])],
                            municipality=self._muni(t.get("municipality")),
                            status=t["status"],
                            due_text=t.get("due_text"),
                            due_date=_date(t.get("due_date")),
                            due_rule=t.get("due_rule"),
                            uncertain=t.get("uncertain", []),
                        ),
                        owners=t.get("owners", []),
                    )
