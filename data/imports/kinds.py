"""What each upload kind holds: its sheets, their columns (Swedish and English names), keys, and how a row is
matched to, compared with and written into the database.

A sheet is one table in the file (projekt has two: Projekt and Faser). Each sheet class knows its entity; the
generic work (reading cells, finding duplicates, diffing, rights, history) is in `engine.py`.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from data.db import insert_rows
from data.imports.values import (
    ValueProblem,
    clean_text,
    fold,
    normalise_header,
    parse_amount,
    parse_choice,
    parse_date,
    parse_int,
    parse_list,
    parse_time,
)
from data.models import (
    ACTIVITY_STATUSES,
    FUNDER_KINDS,
    MEETING_KINDS,
    PERIODS,
    PROJECT_STATUSES,
    TASK_STATUSES,
    Activity,
    AgendaItem,
    Base,
    FocusArea,
    FundingLine,
    Meeting,
    Municipality,
    Party,
    Phase,
    Plan,
    Project,
    Task,
    project_municipality,
)
from data.municipalities import UnknownMunicipality, municipality_lookup, normalise_municipality, swedish_sort_key

REGION_ONLY = (
    "{what} gäller hela regionen: bara en redigerare för alla kommuner eller en administratör kan ändra {pronoun}."
)


def _choices(canonical: tuple[str, ...], extra: dict[str, str]) -> dict[str, str]:
    table = {fold(c): c for c in canonical}
    table.update({fold(k): v for k, v in extra.items()})
    return table


PROJECT_STATUS_CHOICES = _choices(
    PROJECT_STATUSES,
    {
        "pågående": "pågår",
        "aktiv": "pågår",
        "aktivt": "pågår",
        "ongoing": "pågår",
        "active": "pågår",
        "planned": "planerad",
        "planerat": "planerad",
        "ej startad": "planerad",
        "avslutat": "avslutad",
        "klar": "avslutad",
        "klart": "avslutad",
        "done": "avslutad",
        "closed": "avslutad",
        "pausat": "pausad",
        "vilande": "pausad",
        "paused": "pausad",
    },
)
ACTIVITY_STATUS_CHOICES = _choices(
    ACTIVITY_STATUSES,
    {
        "pågående": "pågår",
        "ongoing": "pågår",
        "planned": "planerad",
        "planerat": "planerad",
        "klart": "klar",
        "avklarad": "klar",
        "avslutad": "klar",
        "done": "klar",
        "struket": "struken",
        "utgår": "struken",
        "cancelled": "struken",
    },
)
TASK_STATUS_CHOICES = _choices(
    TASK_STATUSES,
    {
        "öppet": "öppen",
        "ej påbörjad": "öppen",
        "ej startad": "öppen",
        "open": "öppen",
        "pågående": "pågår",
        "påbörjad": "pågår",
        "ongoing": "pågår",
        "in progress": "pågår",
        "klart": "klar",
        "avklarad": "klar",
        "avklarat": "klar",
        "utförd": "klar",
        "done": "klar",
        "struket": "struken",
        "avbruten": "struken",
        "utgår": "struken",
        "cancelled": "struken",
    },
)
FUNDER_KIND_CHOICES = _choices(
    FUNDER_KINDS,
    {
        "kommun": "kommunerna",
        "kommunal": "kommunerna",
        "kommunala": "kommunerna",
        "municipal": "kommunerna",
        "municipalities": "kommunerna",
        "eu-medel": "EU",
        "eu medel": "EU",
        "strukturfonder": "EU",
        "staten": "stat",
        "statlig": "stat",
        "state": "stat",
        "region": "region/landsting",
        "landsting": "region/landsting",
        "regionen": "region/landsting",
        "landstinget": "region/landsting",
        "universitet": "universitet",
        "högskola": "universitet",
        "university": "universitet",
        "näringsliv": "privat",
        "företag": "privat",
        "private": "privat",
        "annat": "övrigt",
        "other": "övrigt",
    },
)
PERIOD_CHOICES = _choices(
    PERIODS,
    {
        "per år": "år",
        "/år": "år",
        "årligen": "år",
        "årlig": "år",
        "kr/år": "år",
        "year": "år",
        "per year": "år",
        "annual": "år",
        "total": "totalt",
        "hela perioden": "totalt",
        "hela projektet": "totalt",
        "projektperioden": "totalt",
    },
)
MEETING_KIND_CHOICES = _choices(
    MEETING_KINDS,
    {
        "kc": "kommunchefsmöte",
        "kc-möte": "kommunchefsmöte",
        "kommunchefsgruppen": "kommunchefsmöte",
        "kommunchefer": "kommunchefsmöte",
        "regionrådet": "regionråd",
        "rr": "regionråd",
        "arbetsmöte": "annat",
        "övrigt": "annat",
        "other": "annat",
    },
)
ALL_MUNICIPALITIES = {"alla", "alla sju", "alla kommuner", "hela regionen", "samtliga", "samtliga kommuner", "all"}


@dataclass(frozen=True)
class Field:
    """One column: its name in the template, the other names people use for it, and how its cells are read."""

    name: str
    label: str
    aliases: tuple[str, ...] = ()
    type: str = "text"  # text | int | amount | date | date_end | time | list | choice
    required: bool = False  # a value must be given (on new rows; on every row for key fields)
    choices: dict[str, str] | None = None
    what: str = ""  # for choice messages: "status", "typ av finansiär"
    max_length: int | None = None
    help: str = ""
    nullable: bool = True  # False: the column cannot be emptied on an existing row (the database requires a value)

    def spellings(self) -> set[str]:
        return {normalise_header(s) for s in (self.label, self.name, *self.aliases)}

    def parse(self, raw: Any) -> Any:
        """The cell's value, None when empty; raises ValueProblem with a Swedish message."""
        if self.type == "int" and isinstance(raw, int | float) and not isinstance(raw, bool):
            return parse_int(raw)
        text = clean_text(raw)
        if text is None:
            return None
        if self.type == "text":
            if self.max_length and len(text) > self.max_length:
                raise ValueProblem(f"Texten är för lång ({len(text)} tecken). Högst {self.max_length} tecken.")
            return text
        source = raw if not isinstance(raw, str) else text
        if self.type == "int":
            return parse_int(source)
        if self.type == "amount":
            return parse_amount(source)
        if self.type == "date":
            return parse_date(source)
        if self.type == "date_end":
            return parse_date(source, end=True)
        if self.type == "time":
            return parse_time(source)
        if self.type == "list":
            return parse_list(text)
        if self.type == "choice":
            return parse_choice(text, self.choices or {}, what=self.what or self.label.lower())
        raise AssertionError(self.type)


ID = Field(
    "id", "Id", ("nr", "id-nummer", "löpnummer", "rad-id"), type="int", help="Lämna tomt på nya rader. Ändra inte."
)


@dataclass
class Context:
    """What a preview knows about the database while it reads one file."""

    session: Session
    municipality_names: dict[str, str] = field(default_factory=dict)  # folded spelling -> name
    municipalities: dict[str, Municipality] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)  # per sheet: whatever its load() keeps
    notes: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, session: Session) -> Context:
        munis = {m.name: m for m in session.scalars(select(Municipality))}
        return cls(session=session, municipality_names=municipality_lookup(session), municipalities=munis)

    def municipality(self, value: str) -> str:
        return normalise_municipality(value, self.municipality_names)


def _suggest(value: str, names: list[str]) -> str:
    folded = {fold(n): n for n in names}
    close = difflib.get_close_matches(fold(value), list(folded), n=1, cutoff=0.6)
    return f" Menade du {folded[close[0]]}?" if close else ""


class Refusal(Exception):
    """A row the person may not change; the message says why."""


@dataclass
class Sheet:
    """A table of one entity. Subclasses fill in matching, comparing and writing."""

    name: str
    entity: str
    fields: tuple[Field, ...]
    prefer: tuple[str, ...] = ()
    key_fields: tuple[str, ...] = ()
    optional: bool = False
    noun: str = "rad"

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def match_header(self) -> Callable[[str], str | None]:
        table: dict[str, str] = {}
        for f in self.fields:
            for s in f.spellings():
                table.setdefault(s, f.name)
        return table.get

    @property
    def has_id(self) -> bool:
        return any(f.name == "id" for f in self.fields)

    # -- to be provided per sheet -----------------------------------------------------------------------------
    def load(self, ctx: Context) -> None:
        raise NotImplementedError

    def resolve(self, ctx: Context, values: dict[str, Any], problem: Callable[[str, str], None]) -> None:
        """Turn names in `values` into what they refer to; report what cannot be resolved."""

    def key(self, values: dict[str, Any]) -> tuple | None:
        raise NotImplementedError

    def by_id(self, ctx: Context, id_: int) -> Any:
        return ctx.state[self.name]["by_id"].get(id_)

    def by_key(self, ctx: Context, key: tuple) -> Any:
        return ctx.state[self.name]["by_key"].get(key)

    def existing(self, ctx: Context) -> list[Any]:
        return list(ctx.state[self.name]["by_id"].values())

    def current(self, ctx: Context, obj: Any, names: list[str]) -> dict[str, Any]:
        """The object's values for the fields `names`, comparable with parsed cells."""
        return {n: self.get(ctx, obj, n) for n in names}

    def get(self, ctx: Context, obj: Any, name: str) -> Any:
        value = getattr(obj, name)
        return clean_text(value) if isinstance(value, str) else value

    def describe(self, values: dict[str, Any]) -> str:
        raise NotImplementedError

    def describe_obj(self, ctx: Context, obj: Any) -> str:
        return self.describe(self.current(ctx, obj, [f.name for f in self.fields if f.name != "id"]))

    def check_rights(self, ctx: Context, obj: Any, values: dict[str, Any] | None, municipality: str) -> None:
        """Raise Refusal unless a redigerare for `municipality` may make this change (obj None = new row,
        values None = removal)."""
        raise NotImplementedError

    def prepare(self, ctx: Context, plans: list) -> None:
        """Load what updating these rows will need, before they are written."""

    bulk_create = None  # or a method (ctx, plans, writer) that inserts many new rows at once

    def check_delete(self, ctx: Context, obj: Any) -> str | None:
        """Why this row cannot be removed by an upload, or None."""
        return None

    def create(self, ctx: Context, values: dict[str, Any], writer: Any) -> Any:
        raise NotImplementedError

    def assign(self, ctx: Context, obj: Any, name: str, value: Any, writer: Any) -> None:
        setattr(obj, name, "" if value is None and name == "description" else value)

    def history(self, ctx: Context, obj: Any, name: str, value: Any) -> tuple[str, Any]:
        """The stored attribute and JSON value that a change of field `name` to `value` means."""
        return name, value

    def display(self, name: str, value: Any) -> Any:
        """A JSON-safe value to show in the preview."""
        if value is None or type(value) in (str, int):
            return value
        if isinstance(value, dt.date | dt.time):
            return value.isoformat()
        if isinstance(value, Base):
            return getattr(value, "name", None)
        return value

    def export(self, ctx: Context) -> list[dict[str, Any]]:
        """Current rows for the pre-filled template (dates stay dates, references become names)."""
        names = [f.name for f in self.fields]
        rows = []
        for obj in self.existing(ctx):
            current = self.current(ctx, obj, names)
            rows.append({n: v if isinstance(v, dt.date | dt.time) else self.display(n, v) for n, v in current.items()})
        return rows


# --- projekt ----------------------------------------------------------------------------------------------------


def _latest_focus_areas(session: Session) -> dict[str, FocusArea]:
    """Focus areas by folded name; a name used in several plans means the latest plan's."""
    rows = session.scalars(select(FocusArea).join(Plan).order_by(Plan.year)).all()
    return {fold(fa.name): fa for fa in rows}


ALL_FOLDED = frozenset(fold(a) for a in ALL_MUNICIPALITIES)


def _municipality_list(ctx: Context, names: list[str]) -> list[str]:
    """The municipalities' own names in Swedish order; the same few lists recur in a file, so they are remembered."""
    cache = ctx.state.setdefault("municipality_lists", {})
    key = tuple(names)
    if key not in cache:
        if len(names) == 1 and fold(names[0]) in ALL_FOLDED:
            cache[key] = sorted(ctx.municipalities, key=swedish_sort_key)
        else:
            out: list[str] = []
            for n in names:
                canonical = ctx.municipality(n)
                if canonical not in out:
                    out.append(canonical)
            cache[key] = sorted(out, key=swedish_sort_key)
    return list(cache[key])


class ProjectSheet(Sheet):
    def load(self, ctx: Context) -> None:
        # Plain rows plus two lookups: loading the relationships of every project would cost more than the file.
        projects = ctx.session.scalars(select(Project)).all()
        linked: dict[int, list[str]] = {}
        for project_id, name in ctx.session.execute(
            select(project_municipality.c.project_id, Municipality.name).join(
                Municipality, Municipality.id == project_municipality.c.municipality_id
            )
        ):
            linked.setdefault(project_id, []).append(name)
        ctx.state[self.name] = {
            "by_id": {p.id: p for p in projects},
            "by_key": {(fold(p.name),): p for p in projects},
            "focus_areas": _latest_focus_areas(ctx.session),
            "areas_by_id": {fa.id: fa for fa in ctx.session.scalars(select(FocusArea))},
            "municipalities": {pid: sorted(names, key=swedish_sort_key) for pid, names in linked.items()},
        }

    def prepare(self, ctx: Context, plans: list) -> None:
        """Load, in a few queries, the municipality links of the projects whose municipalities will change."""
        ids = [p.obj.id for p in plans if any(c.field == "municipalities" for c in p.changes)]
        for start in range(0, len(ids), 500):
            ctx.session.scalars(
                select(Project)
                .where(Project.id.in_(ids[start : start + 500]))
                .options(selectinload(Project.municipalities))
            ).all()

    def bulk_create(self, ctx: Context, plans: list, writer) -> None:
        """Insert new projects and their municipality links in a few statements (a file can hold thousands)."""
        rows = []
        for plan in plans:
            v = plan.values
            rows.append(
                {
                    "name": v["name"],
                    "status": v.get("status") or "planerad",
                    "description": v.get("description") or "",
                    "focus_area_id": v["focus_area"].id if v.get("focus_area") is not None else None,
                    "start_date": v.get("start_date"),
                    "end_date": v.get("end_date"),
                    "budget_amount": v.get("budget_amount"),
                    "budget_period": v.get("budget_period"),
                    "owner_organisation": v.get("owner_organisation"),
                    "contact_name": v.get("contact_name"),
                    "contact_role": v.get("contact_role"),
                    "uncertain": [],
                    "created_at": writer.at,
                    "updated_at": writer.at,
                }
            )
        # One executemany without RETURNING (SQLite runs RETURNING row by row when the order must be kept), then
        # the new ids by name: a project's name is unique.
        insert_rows(ctx.session, Project, rows)
        names = [r["name"] for r in rows]
        id_of: dict[str, int] = {}
        for start in range(0, len(names), 900):
            chunk = names[start : start + 900]
            id_of.update(
                (n, i) for i, n in ctx.session.execute(select(Project.id, Project.name).where(Project.name.in_(chunk)))
            )
        links = [
            {"project_id": id_of[plan.values["name"]], "municipality_id": ctx.municipalities[name].id}
            for plan in plans
            for name in plan.values.get("municipalities") or []
        ]
        insert_rows(ctx.session, project_municipality, links)
        for plan, row in zip(plans, rows, strict=True):
            pid = plan.entity_id = id_of[row["name"]]
            writer.projects[fold(row["name"])] = pid
            names_ = plan.values.get("municipalities") or []
            writer.record_created("project", pid, {**row, "id": pid, "municipalities": names_})

    def key(self, values):
        return (fold(values["name"]),) if values.get("name") else None

    def resolve(self, ctx, values, problem):
        if values.get("focus_area") is not None:
            areas = ctx.state[self.name]["focus_areas"]
            fa = areas.get(fold(values["focus_area"]))
            if fa is None:
                names = sorted({a.name for a in areas.values()})
                problem("focus_area", "Okänt insatsområde." + _suggest(values["focus_area"], names))
            values["focus_area"] = fa
        if values.get("municipalities") is not None:
            try:
                values["municipalities"] = _municipality_list(ctx, values["municipalities"])
            except UnknownMunicipality as exc:
                problem("municipalities", str(exc))

    def get(self, ctx, obj, name):
        if name == "municipalities":
            return list(ctx.state[self.name]["municipalities"].get(obj.id, []))
        if name == "focus_area":
            return ctx.state[self.name]["areas_by_id"].get(obj.focus_area_id)
        return super().get(ctx, obj, name)

    def display(self, name, value):
        if name == "focus_area":
            return value.name if value is not None else None
        return super().display(name, value)

    def describe(self, values):
        return values.get("name") or "?"

    def check_rights(self, ctx, obj, values, municipality):
        if obj is not None and municipality not in self.get(ctx, obj, "municipalities"):
            raise Refusal(f"Du kan bara ändra projekt som berör {municipality}.")
        if values is not None and values.get("municipalities") is not None:
            if municipality not in values["municipalities"]:
                raise Refusal(f"{municipality} måste finnas kvar bland projektets kommuner.")
        elif obj is None:
            raise Refusal(f"Ett nytt projekt måste ha {municipality} i kolumnen Kommuner.")

    def create(self, ctx, values, writer):
        p = Project(name=values["name"], status=values.get("status") or "planerad", description="")
        for name, value in values.items():
            if not name.startswith("_") and name not in ("id", "name", "status"):
                self.assign(ctx, p, name, value, writer)
        return p

    def assign(self, ctx, obj, name, value, writer):
        if name == "municipalities":
            obj.municipalities = [ctx.municipalities[n] for n in value or []]
        elif name == "focus_area":
            obj.focus_area = value
        else:
            super().assign(ctx, obj, name, value, writer)

    def history(self, ctx, obj, name, value):
        if name == "focus_area":
            return "focus_area_id", value.id if value is not None else None
        return name, value


class ProjectPartSheet(Sheet):
    """Rows that belong to a project (phases, funding lines), named by the project's name."""

    model: type = Phase
    part_field: str = "name"

    def load(self, ctx):
        rows = ctx.session.scalars(select(self.model).options(selectinload(self.model.project))).all()
        ctx.state[self.name] = {
            "by_id": {r.id: r for r in rows},
            "by_key": {(fold(r.project.name), fold(getattr(r, self.part_field))): r for r in rows},
            "projects": ctx.state.get("Projekt", {}).get("by_key")
            or {(fold(p.name),): p for p in ctx.session.scalars(select(Project))},
        }

    def key(self, values):
        if not values.get("project") or not values.get(self.part_field):
            return None
        return (fold(values["project"]), fold(values[self.part_field]))

    def resolve(self, ctx, values, problem):
        if values.get("project") is None:
            return
        project = ctx.state[self.name]["projects"].get((fold(values["project"]),))
        planned = ctx.state.get("planned_projects", {}).get((fold(values["project"]),))
        if project is None and planned is None:
            names = [p.name for p in ctx.state[self.name]["projects"].values()]
            problem("project", "Projektet finns inte." + _suggest(values["project"], names))
        elif project is not None:
            values["project"] = project.name  # the name as stored: another case or spacing is no change
        values["_project"] = project
        values["_planned_project"] = planned

    def get(self, ctx, obj, name):
        if name == "project":
            return obj.project.name
        return super().get(ctx, obj, name)

    def describe(self, values):
        return f"{values.get('project') or '?'} – {values.get(self.part_field) or '?'}"

    def check_rights(self, ctx, obj, values, municipality):
        if obj is not None:
            names = [m.name for m in obj.project.municipalities]
        elif values.get("_project") is not None:
            names = [m.name for m in values["_project"].municipalities]
        else:
            planned = values.get("_planned_project") or {}
            names = planned.get("municipalities") or []
        if municipality not in names:
            raise Refusal(f"Du kan bara ändra projekt som berör {municipality}.")

    def project_for(self, values, writer):
        return values.get("_project") or writer.created_project(values["project"])

    def create(self, ctx, values, writer):
        project = self.project_for(values, writer)
        obj = self.model(project_id=project) if isinstance(project, int) else self.model(project=project)
        for name, value in values.items():
            if not name.startswith("_") and name not in ("id", "project"):
                self.assign(ctx, obj, name, value, writer)
        return obj


class PhaseSheet(ProjectPartSheet):
    model = Phase

    def describe(self, values):
        return f"{values.get('project') or '?'} – {values.get('name') or '?'}"


class FundingSheet(ProjectPartSheet):
    model = FundingLine
    part_field = "funder"


# --- uppdrag ----------------------------------------------------------------------------------------------------

GROUP_WORDS = tuple(
    fold(w) for w in ("gruppen", "kansliet", "nätverket", "förvaltningen", "kontoret", "rådet", "enheten", "kommun")
)


def party_kind(name: str) -> str:
    """ "grupp" for Kansliet, KC-gruppen, Vännäs kommun …; "person" otherwise."""
    key = fold(name)
    return "grupp" if any(w in key for w in GROUP_WORDS) else "person"


PARTY_NAME_MAX = Party.__table__.c.name.type.length


def _meeting_on(st: dict[str, Any], date: dt.date | None) -> Meeting | None:
    """The meeting a date in the Möte column means: the kommunchefsmöte that day if there are several."""
    found = st["meetings"].get(date, []) if date is not None else []
    if len(found) > 1:
        found = [m for m in found if m.kind == "kommunchefsmöte"] or found
    return found[0] if found else None


class TaskSheet(Sheet):
    def load(self, ctx):
        tasks = ctx.session.scalars(
            select(Task).options(
                selectinload(Task.owners).selectinload(Party.municipality),
                selectinload(Task.meeting),
                selectinload(Task.agenda_item),
                selectinload(Task.municipality),
            )
        ).all()
        meetings = ctx.session.scalars(select(Meeting).options(selectinload(Meeting.agenda_items))).all()
        parties = ctx.session.scalars(select(Party).options(selectinload(Party.municipality))).all()
        by_party: dict[str, Party] = {}
        for p in parties:
            for spelling in (p.name, *p.aliases):
                by_party.setdefault(fold(spelling), p)
        by_date: dict[dt.date, list[Meeting]] = {}
        for m in meetings:
            by_date.setdefault(m.date, []).append(m)
        ctx.state[self.name] = {
            "by_id": {t.id: t for t in tasks},
            "by_key": {(t.meeting.date if t.meeting else None, fold(t.text)): t for t in tasks},
            "parties": by_party,
            "party_names": [p.name for p in parties],
            "meetings": by_date,
        }

    def key(self, values):
        if not values.get("text"):
            return None
        return (values.get("meeting"), fold(values["text"]))

    def resolve(self, ctx, values, problem):
        st = ctx.state[self.name]
        if values.get("owners") is not None:
            owners: list[Any] = []
            for name in values["owners"]:
                party = st["parties"].get(fold(name))
                if party is None and len(name) > PARTY_NAME_MAX:
                    problem("owners", f"Namnet är för långt ({len(name)} tecken). Högst {PARTY_NAME_MAX} tecken.")
                    continue
                if party is None:
                    ctx.notes.append(f"Ny ansvarig läggs till: ”{name}”.")
                    owners.append(name)  # created when written
                elif party not in owners:
                    owners.append(party)
            values["owners"] = owners
        if values.get("municipality") is not None:
            try:
                values["municipality"] = ctx.municipality(values["municipality"])
            except UnknownMunicipality as exc:
                problem("municipality", str(exc))
        meeting = _meeting_on(st, values.get("meeting"))
        if values.get("meeting") is not None and meeting is None:
            problem("meeting", f"Det finns inget möte den {values['meeting'].isoformat()}.")
        values["_meeting"] = meeting
        if values.get("agenda_item") is not None:
            if meeting is None:
                if values.get("meeting") is None:
                    problem("agenda_item", "En punkt kräver ett möte i kolumnen Möte.")
            else:
                item = next((a for a in meeting.agenda_items if a.number == values["agenda_item"]), None)
                if item is None:
                    problem(
                        "agenda_item", f"Mötet den {meeting.date.isoformat()} har ingen punkt {values['agenda_item']}."
                    )
                values["agenda_item"] = item

    def get(self, ctx, obj, name):
        if name == "owners":
            return list(obj.owners)
        if name == "municipality":
            return obj.municipality.name if obj.municipality else None
        if name == "meeting":
            return obj.meeting.date if obj.meeting else None
        if name == "agenda_item":
            return obj.agenda_item
        return super().get(ctx, obj, name)

    def display(self, name, value):
        if name == "owners":
            return [o if isinstance(o, str) else o.name for o in value or []]
        if name == "agenda_item":
            return value.number if value is not None else None
        return super().display(name, value)

    def describe(self, values):
        text = values.get("text") or "?"
        return text if len(text) <= 80 else text[:77] + "…"

    def _concerns(self, municipality, muni_name, owners) -> bool:
        if muni_name == municipality:
            return True
        return any(not isinstance(o, str) and o.municipality and o.municipality.name == municipality for o in owners)

    def check_rights(self, ctx, obj, values, municipality):
        if obj is not None and not self._concerns(municipality, self.get(ctx, obj, "municipality"), obj.owners):
            raise Refusal(f"Du kan bara ändra uppdrag som berör {municipality}.")
        if obj is None and not self._concerns(
            municipality, (values or {}).get("municipality"), (values or {}).get("owners") or []
        ):
            raise Refusal(f"Ett nytt uppdrag måste ha {municipality} i kolumnen Kommun.")

    def create(self, ctx, values, writer):
        t = Task(text=values["text"], status=values.get("status") or "öppen")
        for name, value in values.items():
            if not name.startswith("_") and name not in ("id", "text", "status"):
                self.assign(ctx, t, name, value, writer)
        return t

    def assign(self, ctx, obj, name, value, writer):
        if name == "owners":
            obj.owners = [writer.party(o) if isinstance(o, str) else o for o in value or []]
        elif name == "municipality":
            obj.municipality = ctx.municipalities[value] if value else None
        elif name == "meeting":
            meeting = _meeting_on(ctx.state[self.name], value)
            obj.meeting = meeting
            if meeting is None:
                obj.agenda_item = None
        elif name == "agenda_item":
            obj.agenda_item = value
        else:
            super().assign(ctx, obj, name, value, writer)

    def history(self, ctx, obj, name, value):
        if name == "owners":
            return "owners", [o if isinstance(o, str) else o.name for o in value or []]
        if name == "municipality":
            return "municipality_id", ctx.municipalities[value].id if value else None
        if name == "meeting":
            meeting = _meeting_on(ctx.state[self.name], value)
            return "meeting_id", meeting.id if meeting is not None else None
        if name == "agenda_item":
            return "agenda_item_id", value.id if value is not None else None
        return name, value


# --- verksamhetsplan --------------------------------------------------------------------------------------------


class ActivitySheet(Sheet):
    def load(self, ctx):
        acts = ctx.session.scalars(
            select(Activity).options(selectinload(Activity.focus_area).selectinload(FocusArea.plan))
        ).all()
        plans = ctx.session.scalars(select(Plan).options(selectinload(Plan.focus_areas))).all()
        ctx.state[self.name] = {
            "by_id": {a.id: a for a in acts},
            "by_key": {(a.focus_area.plan.year, fold(a.focus_area.name), fold(a.title)): a for a in acts},
            "plans": {p.year: p for p in plans},
        }

    def key(self, values):
        if values.get("year") is None or not values.get("focus_area") or not values.get("title"):
            return None
        return (values["year"], fold(values["focus_area"]), fold(values["title"]))

    def resolve(self, ctx, values, problem):
        year = values.get("year")
        if year is not None and not 1990 <= year <= 2100:
            problem("year", "Året måste vara ett årtal, t.ex. 2005.")
            return
        plans = ctx.state[self.name]["plans"]
        if year is not None and year not in plans:
            ctx.notes.append(f"Verksamhetsplan {year} finns inte och skapas.")
        elif year is not None and values.get("focus_area"):
            names = {fold(fa.name) for fa in plans[year].focus_areas}
            if fold(values["focus_area"]) not in names:
                ctx.notes.append(f"Insatsområdet ”{values['focus_area']}” läggs till i verksamhetsplan {year}.")

    def get(self, ctx, obj, name):
        if name == "year":
            return obj.focus_area.plan.year
        if name == "focus_area":
            return obj.focus_area.name
        return super().get(ctx, obj, name)

    def describe(self, values):
        return f"{values.get('focus_area') or '?'} – {values.get('title') or '?'}"

    def check_rights(self, ctx, obj, values, municipality):
        raise Refusal(REGION_ONLY.format(what="Verksamhetsplanen", pronoun="den"))

    def focus_area(self, ctx, year: int, name: str, writer) -> FocusArea:
        plans = ctx.state[self.name]["plans"]
        plan = plans.get(year)
        if plan is None:
            plan = plans[year] = writer.add(Plan(year=year, title=f"Verksamhetsplan {year}"))
        for fa in plan.focus_areas:
            if fold(fa.name) == fold(name):
                return fa
        fa = writer.add(FocusArea(plan=plan, name=name, position=len(plan.focus_areas) + 1))
        return fa

    def create(self, ctx, values, writer):
        fa = self.focus_area(ctx, values["year"], values["focus_area"], writer)
        a = Activity(focus_area=fa, title=values["title"], status=values.get("status") or "planerad", description="")
        a.position = len(fa.activities) + 1
        for name, value in values.items():
            if not name.startswith("_") and name not in ("id", "year", "focus_area", "title", "status"):
                self.assign(ctx, a, name, value, writer)
        return a

    def assign(self, ctx, obj, name, value, writer):
        if name in ("year", "focus_area"):
            year = value if name == "year" else obj.focus_area.plan.year
            area = value if name == "focus_area" else obj.focus_area.name
            obj.focus_area = self.focus_area(ctx, year, area, writer)
        else:
            super().assign(ctx, obj, name, value, writer)

    def history(self, ctx, obj, name, value):
        if name in ("year", "focus_area"):
            return "focus_area_id", obj.focus_area_id
        return name, value


# --- möten ------------------------------------------------------------------------------------------------------


class MeetingSheet(Sheet):
    def load(self, ctx):
        meetings = ctx.session.scalars(select(Meeting)).all()
        ctx.state[self.name] = {
            "by_id": {m.id: m for m in meetings},
            "by_key": {(m.kind, m.date): m for m in meetings},
        }

    def key(self, values):
        if not values.get("kind") or values.get("date") is None:
            return None
        return (values["kind"], values["date"])

    def describe(self, values):
        d = values.get("date")
        return f"{values.get('kind') or '?'} {d.isoformat() if isinstance(d, dt.date) else d or '?'}"

    def check_rights(self, ctx, obj, values, municipality):
        raise Refusal(REGION_ONLY.format(what="Mötena", pronoun="dem"))

    def check_delete(self, ctx, obj):
        has_items = ctx.session.scalar(select(AgendaItem.id).where(AgendaItem.meeting_id == obj.id).limit(1))
        has_tasks = ctx.session.scalar(select(Task.id).where(Task.meeting_id == obj.id).limit(1))
        if has_items or has_tasks:
            return "Mötet har dagordning eller uppdrag och tas inte bort via uppladdning."
        return None

    def create(self, ctx, values, writer):
        m = Meeting(kind=values["kind"], date=values["date"])
        for name, value in values.items():
            if not name.startswith("_") and name not in ("id", "kind", "date"):
                self.assign(ctx, m, name, value, writer)
        return m


# --- the kinds --------------------------------------------------------------------------------------------------

START = ("start", "startdatum", "start date", "från", "from", "början", "projektstart")
END = ("slut", "slutdatum", "end", "end date", "till", "to", "projektslut", "klart")
PROJECT_NAME = ("projekt", "projektnamn", "namn", "name", "project", "project name", "benämning")

PROJECT_FIELDS = (
    ID,
    Field(
        "name",
        "Projekt",
        PROJECT_NAME,
        required=True,
        max_length=200,
        help="Projektets namn. Nyckel: ett nytt namn blir ett nytt projekt.",
    ),
    Field(
        "focus_area",
        "Insatsområde",
        ("insatsomrade", "focus area", "fokusområde", "område", "strategiskt område"),
        help="Som i verksamhetsplanen.",
    ),
    Field(
        "status",
        "Status",
        ("projektstatus", "state"),
        type="choice",
        choices=PROJECT_STATUS_CHOICES,
        what="status",
        nullable=False,
        help="planerad, pågår, avslutad eller pausad.",
    ),
    Field("start_date", "Start", START, type="date", help="Datum, t.ex. 2005-01-01, jan 2005."),
    Field("end_date", "Slut", END, type="date_end", help="Datum; inte före start."),
    Field(
        "budget_amount",
        "Budget (kr)",
        ("budget", "total budget", "budget kr", "totalbudget", "budget sek", "amount"),
        type="amount",
        help="Kronor, t.ex. 4 650 000, 12,6 milj, 6256 tkr.",
    ),
    Field(
        "budget_period",
        "Budgetperiod",
        ("period", "budget period", "per", "budget per"),
        type="choice",
        choices=PERIOD_CHOICES,
        what="budgetperiod",
        help="år (per år) eller totalt (hela perioden).",
    ),
    Field(
        "municipalities",
        "Kommuner",
        ("kommun", "municipalities", "municipality", "deltagande kommuner", "berörda kommuner"),
        type="list",
        help="Kommunernas namn, åtskilda med komma, eller ”alla”.",
    ),
    Field(
        "owner_organisation",
        "Projektägare",
        ("ägare", "owner", "huvudman", "projektägare organisation", "organisation"),
        max_length=200,
    ),
    Field("contact_name", "Kontaktperson", ("kontakt", "contact", "contact person", "projektledare"), max_length=200),
    Field("contact_role", "Kontaktpersonens roll", ("roll", "contact role", "kontaktroll", "titel"), max_length=200),
    Field("description", "Beskrivning", ("description", "syfte", "om projektet", "kommentar")),
)
PHASE_FIELDS = (
    Field("project", "Projekt", PROJECT_NAME, required=True, help="Projektets namn, som på fliken Projekt."),
    Field("name", "Fas", ("etapp", "phase", "fasnamn", "delprojekt", "fas/etapp"), required=True, max_length=200),
    Field("start_date", "Start", START, type="date", required=True),
    Field("end_date", "Slut", END, type="date_end", required=True),
)
FUNDING_FIELDS = (
    Field("project", "Projekt", PROJECT_NAME, required=True, help="Projektets namn."),
    Field(
        "funder",
        "Finansiär",
        ("finansiar", "funder", "medfinansiär", "finansieras av", "källa", "source"),
        required=True,
        max_length=200,
    ),
    Field(
        "kind",
        "Typ",
        ("typ av finansiär", "kind", "type", "kategori", "finansiärstyp"),
        type="choice",
        choices=FUNDER_KIND_CHOICES,
        what="typ av finansiär",
        required=True,
        help="kommunerna, EU, stat, region/landsting, universitet, privat eller övrigt.",
    ),
    Field("amount", "Belopp (kr)", ("belopp", "amount", "kronor", "kr", "bidrag"), type="amount"),
    Field(
        "period",
        "Period",
        ("per", "budgetperiod", "period"),
        type="choice",
        choices=PERIOD_CHOICES,
        what="period",
        help="år eller totalt.",
    ),
)
TASK_FIELDS = (
    ID,
    Field("text", "Uppdrag", ("uppgift", "task", "vad", "beskrivning", "uppdraget", "åtgärd", "action"), required=True),
    Field(
        "owners",
        "Ansvariga",
        ("ansvarig", "owner", "owners", "vem", "ansvariga", "ägare"),
        type="list",
        help="Namn åtskilda med komma; nya namn läggs till.",
    ),
    Field("municipality", "Kommun", ("municipality", "berörd kommun")),
    Field(
        "meeting",
        "Möte",
        ("mötesdatum", "meeting", "meeting date", "från möte", "mötet"),
        type="date",
        help="Datum för mötet där uppdraget gavs.",
    ),
    Field("agenda_item", "Punkt", ("dagordningspunkt", "agenda item", "§", "paragraf", "punkt nr"), type="int"),
    Field(
        "due_date", "Klart senast", ("deadline", "due", "due date", "senast", "datum klart", "klart"), type="date_end"
    ),
    Field("due_text", "När enligt protokollet", ("när", "due text", "tidpunkt"), max_length=200),
    Field(
        "status",
        "Status",
        ("state",),
        type="choice",
        choices=TASK_STATUS_CHOICES,
        what="status",
        nullable=False,
        help="öppen, pågår, klar eller struken.",
    ),
)
ACTIVITY_FIELDS = (
    ID,
    Field("year", "År", ("planår", "year", "plan", "verksamhetsår"), type="int", required=True),
    Field(
        "focus_area",
        "Insatsområde",
        ("insatsomrade", "focus area", "fokusområde", "område"),
        required=True,
        max_length=200,
    ),
    Field("title", "Aktivitet", ("activity", "titel", "rubrik", "aktiviteter"), required=True, max_length=300),
    Field("description", "Beskrivning", ("description", "text")),
    Field("responsible", "Ansvarig", ("responsible", "ansvariga", "vem"), max_length=200),
    Field(
        "status",
        "Status",
        ("state",),
        type="choice",
        choices=ACTIVITY_STATUS_CHOICES,
        what="status",
        nullable=False,
        help="planerad, pågår, klar eller struken.",
    ),
    Field("due_text", "När", ("tidpunkt", "due text"), max_length=200),
    Field("due_date", "Klart senast", ("deadline", "due", "due date", "senast"), type="date_end"),
)
MEETING_FIELDS = (
    ID,
    Field(
        "kind",
        "Typ",
        ("mötestyp", "kind", "type", "slag"),
        type="choice",
        choices=MEETING_KIND_CHOICES,
        what="mötestyp",
        required=True,
        help="kommunchefsmöte, regionråd eller annat.",
    ),
    Field("date", "Datum", ("mötesdatum", "date", "dag"), type="date", required=True),
    Field("start_time", "Start", ("starttid", "från", "kl", "start time", "börjar"), type="time"),
    Field("end_time", "Slut", ("sluttid", "till", "end time", "slutar"), type="time"),
    Field("title", "Rubrik", ("titel", "title", "namn"), max_length=300),
    Field("place", "Plats", ("lokal", "place", "location", "ort"), max_length=300),
    Field("next_meeting_date", "Nästa möte", ("next meeting", "nästa mötesdatum"), type="date"),
)


@dataclass(frozen=True)
class KindInfo:
    key: str
    label: str
    description: str
    sheets: tuple[Sheet, ...]

    @property
    def sheet_names(self) -> list[str]:
        return [s.name for s in self.sheets]


def _kinds() -> dict[str, KindInfo]:
    return {
        "projekt": KindInfo(
            "projekt",
            "Projekt (med faser)",
            "Projektens namn, insatsområde, status, tidsram, budget, kommuner och kontaktperson; faser på egen flik.",
            (
                ProjectSheet(
                    "Projekt", "project", PROJECT_FIELDS, ("projekt", "projects", "project"), ("name",), noun="projekt"
                ),
                PhaseSheet(
                    "Faser",
                    "phase",
                    PHASE_FIELDS,
                    ("faser", "etapper", "phases"),
                    ("project", "name"),
                    optional=True,
                    noun="fas",
                ),
            ),
        ),
        "finansiering": KindInfo(
            "finansiering",
            "Finansiering",
            "Vilka som finansierar varje projekt, med belopp per år eller totalt.",
            (
                FundingSheet(
                    "Finansiering",
                    "funding_line",
                    FUNDING_FIELDS,
                    ("finansiering", "funding", "finansiärer"),
                    ("project", "funder"),
                    noun="finansiär",
                ),
            ),
        ),
        "uppdrag": KindInfo(
            "uppdrag",
            "Uppdrag",
            "Uppdrag från kommunchefsmötena: vem, vad, från vilket möte och vilken punkt, klart senast och status.",
            (TaskSheet("Uppdrag", "task", TASK_FIELDS, ("uppdrag", "tasks", "uppgifter"), ("text",), noun="uppdrag"),),
        ),
        "verksamhetsplan": KindInfo(
            "verksamhetsplan",
            "Verksamhetsplan",
            "Insatsområden och aktiviteter per planår, med ansvarig, status och tidpunkt.",
            (
                ActivitySheet(
                    "Verksamhetsplan",
                    "activity",
                    ACTIVITY_FIELDS,
                    ("verksamhetsplan", "aktiviteter", "activities", "plan"),
                    ("year", "focus_area", "title"),
                    noun="aktivitet",
                ),
            ),
        ),
        "moten": KindInfo(
            "moten",
            "Möten",
            "Kommunchefsmöten och Regionrådets sammanträden: datum, tid, plats och nästa möte.",
            (
                MeetingSheet(
                    "Möten", "meeting", MEETING_FIELDS, ("moten", "möten", "meetings"), ("kind", "date"), noun="möte"
                ),
            ),
        ),
    }


KINDS: dict[str, KindInfo] = _kinds()
