"""Saving what a document held, after a person has checked and corrected it: a meeting with its participants, agenda,
decisions and assignments, or a plan with its focus areas, activities and projects (phases, funders, budget parts).

The same write path as the uploads: one transaction, an import batch (kind "dokument") with the file's name and
SHA-256, a history record for every row, and the same undo. The corrected content comes from the browser, so every
field is checked again here as untrusted input.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.audit import audit_on_commit
from data.documents.extract import extract_document
from data.documents.text import DEFAULT_MAX_BYTES, DocumentProblem
from data.history import as_utc, serialise_writes, utcnow
from data.imports.engine import (
    Actor,
    ImportRefused,
    ImportResult,
    Writer,
    find_pending,
    keep_pending,
    require_upload_rights,
)
from data.imports.kinds import party_kind
from data.imports.values import fold
from data.meetings import known_meetings
from data.models import (
    FUNDER_KINDS,
    MEETING_KINDS,
    OPEN_TASK_STATUSES,
    PARTICIPANT_ROLES,
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
from data.municipalities import UnknownMunicipality, municipality_lookup, normalise_municipality

DOCUMENT_KIND = "dokument"
PERIODS = {"per_year": "år", "år": "år", "total": "totalt", "totalt": "totalt", None: None, "": None}
TEXT_MAX = 10_000


class DocumentRefused(ImportRefused):
    """A document that cannot be saved as it stands; the message names the item and the field."""


def summary(found: dict[str, Any]) -> str:
    """'Kommunchefsmöte 2019-05-16: 11 punkter, 2 beslut, 15 uppdrag' or 'Verksamhetsplan 2005: 7 insatsområden …'."""
    if found.get("kind") == "minutes":
        meeting = found.get("meeting") or {}
        items = found.get("agenda_items") or []
        decisions = sum(len(i.get("decisions") or []) for i in items)
        tasks = sum(len(i.get("assignments") or []) for i in items)
        head = f"{(meeting.get('kind') or 'möte').capitalize()} {meeting.get('date') or '(datum saknas)'}"
        return f"{head}: {len(items)} punkter, {decisions} beslut, {tasks} uppdrag."
    plan = found.get("plan") or {}
    areas = plan.get("focus_areas") or []
    projects = sum(len(a.get("projects") or []) for a in areas)
    activities = sum(len(a.get("activities") or []) for a in areas)
    return (
        f"Verksamhetsplan {plan.get('year') or '(år saknas)'}: {len(areas)} insatsområden, "
        f"{activities} aktiviteter, {projects} projekt."
    )


def duplicate_of(session: Session, found: dict[str, Any], sha256: str | None) -> str | None:
    """Why saving this would duplicate what is there (the same file, meeting or plan year), or None."""
    if sha256:
        batch = session.scalars(
            select(ImportBatch).where(
                ImportBatch.kind == DOCUMENT_KIND, ImportBatch.sha256 == sha256, ImportBatch.undone_at.is_(None)
            )
        ).first()
        if batch is not None:
            return f"Dokumentet är redan inläst ({as_utc(batch.at):%Y-%m-%d %H:%M} UTC av {batch.username})."
    if found.get("kind") == "minutes":
        meeting = found.get("meeting") or {}
        day = _date(meeting.get("date"), "Mötets datum", required=False)
        kind = meeting.get("kind") or "kommunchefsmöte"
        if day and session.scalar(select(Meeting.id).where(Meeting.kind == kind, Meeting.date == day)):
            return f"Mötet ({kind} {day.isoformat()}) finns redan. Inget lästes in två gånger."
    else:
        year = (found.get("plan") or {}).get("year")
        if isinstance(year, int) and session.scalar(select(Plan.id).where(Plan.year == year)):
            return f"Verksamhetsplan {year} finns redan. Inget lästes in två gånger."
    return None


def require_document_rights(actor: Actor) -> None:
    """Meetings and plans are the whole region's: a redigerare tied to one municipality may not read them in."""
    require_upload_rights(actor)
    if actor.limited_to:
        raise DocumentRefused(
            "Möten och verksamhetsplaner gäller hela regionen: bara en redigerare för alla kommuner eller en "
            "administratör kan läsa in dokument."
        )


def preview_document(
    session: Session, content: bytes, filename: str, *, actor: Actor, max_bytes: int = DEFAULT_MAX_BYTES
) -> dict[str, Any]:
    """What the document holds, for a person to check; keeps the file (staged) unless it cannot be saved."""
    require_document_rights(actor)
    sha = hashlib.sha256(content).hexdigest()
    try:
        found = extract_document(content, filename, known_meetings=known_meetings(session))
    except DocumentProblem as exc:
        return {"found": None, "token": None, "problems": [str(exc)], "duplicate": None, "summary": ""}
    duplicate = duplicate_of(session, found, sha)
    token = None
    if duplicate is None:
        token = keep_pending(
            session,
            actor=actor,
            kind=DOCUMENT_KIND,
            filename=filename,
            sha256=sha,
            content=content,
            fingerprint=sha,
        )
    return {"found": found, "token": token, "problems": [], "duplicate": duplicate, "summary": summary(found)}


# --- checking the corrected content -----------------------------------------------------------------------------


def _text(value: Any, what: str, *, required: bool = False, limit: int = 300) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise DocumentRefused(f"{what} saknas.")
        return None
    if not isinstance(value, str | int | float):
        raise DocumentRefused(f"{what}: ogiltigt värde.")
    text = " ".join(str(value).split()) if limit <= 300 else str(value).strip()
    if "\x00" in text:
        raise DocumentRefused(f"{what}: texten innehåller otillåtna tecken.")
    if len(text) > limit:
        raise DocumentRefused(f"{what}: texten är för lång ({len(text)} tecken, högst {limit}).")
    return text


def _date(value: Any, what: str, *, required: bool = False) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise DocumentRefused(f"{what} saknas.")
        return None
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError as exc:
        raise DocumentRefused(f"{what}: ”{value}” är inget datum (skriv ÅÅÅÅ-MM-DD).") from exc


def _time(value: Any, what: str) -> dt.time | None:
    if value in (None, ""):
        return None
    try:
        return dt.time.fromisoformat(str(value).strip().replace(".", ":").zfill(5))
    except ValueError as exc:
        raise DocumentRefused(f"{what}: ”{value}” är ingen tid (skriv TT:MM).") from exc


def _amount(value: Any, what: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        amount = int(str(value).replace(" ", "").replace("\u00a0", ""))
    except ValueError as exc:
        raise DocumentRefused(f"{what}: ”{value}” är inget belopp i hela kronor.") from exc
    if amount < 0:
        raise DocumentRefused(f"{what}: beloppet kan inte vara negativt.")
    return amount


def _names(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    items = value if isinstance(value, list) else str(value).replace(";", ",").split(",")
    return [n for n in (" ".join(str(i).split()) for i in items) if n]


class _Saver:
    def __init__(self, session: Session, writer: Writer):
        self.s, self.w = session, writer
        self.parties: dict[str, Party] = {}
        for p in session.scalars(select(Party)):
            for spelling in (p.name, *p.aliases):
                self.parties.setdefault(fold(spelling), p)
        self.munis = {m.name: m for m in session.scalars(select(Municipality))}
        self.lookup = municipality_lookup(session)

    def add(self, obj):
        return self.w.add(obj)

    def party(self, name: str, what: str) -> Party:
        name = _text(name, what, required=True, limit=200)
        key = fold(name)
        if key not in self.parties:
            self.parties[key] = self.add(Party(name=name, kind=party_kind(name)))
        return self.parties[key]

    def municipalities(self, names: Any, project: str) -> list[Municipality]:
        found = {}
        for n in _names(names):
            m = self.municipality(n, f"{project}: kommun")
            found[m.name] = m
        return list(found.values())

    def municipality(self, name: str, what: str) -> Municipality:
        try:
            return self.munis[normalise_municipality(name, self.lookup)]
        except UnknownMunicipality as exc:
            raise DocumentRefused(f"{what}: {exc}") from exc

    # -- minutes ----------------------------------------------------------------------------------------------
    def minutes(self, found: dict[str, Any]) -> Meeting:
        m = found.get("meeting") or {}
        kind = m.get("kind") or "kommunchefsmöte"
        if kind not in MEETING_KINDS:
            raise DocumentRefused(f"Mötestyp: ”{kind}” är okänd. Välj {', '.join(MEETING_KINDS)}.")
        day = _date(m.get("date"), "Mötets datum", required=True)
        start, end = _time(m.get("start_time"), "Starttid"), _time(m.get("end_time"), "Sluttid")
        if start and end and end < start:
            raise DocumentRefused("Sluttiden är före starttiden.")
        nxt = m.get("next_meeting") or {}
        next_day = _date(nxt.get("date"), "Nästa mötes datum")
        participants = m.get("participants") or []
        secretary = next((p.get("name") for p in participants if p.get("role") == "sekreterare"), None)
        meeting = self.add(
            Meeting(
                kind=kind,
                date=day,
                start_time=start,
                end_time=end,
                title=_text(m.get("title"), "Rubrik"),
                place=_text(m.get("place"), "Plats"),
                secretary=_text(secretary, "Sekreterare", limit=200),
                next_meeting_date=next_day,
            )
        )
        seen: dict[int, MeetingParticipant] = {}
        for i, p in enumerate(participants, start=1):
            party = self.party(p.get("name"), f"Deltagare {i}: namn")
            roles = [r for r in (p.get("roles") or []) if r] or [p.get("role") or "deltagare"]
            if p.get("role") and p["role"] not in roles:
                roles.insert(0, p["role"])  # the main role, as the person may have corrected it
            for role in roles:
                if role not in PARTICIPANT_ROLES:
                    known = ", ".join(PARTICIPANT_ROLES)
                    raise DocumentRefused(f"Deltagare {i}: rollen ”{role}” är okänd. Välj {known}.")
            if id(party) in seen:
                row = seen[id(party)]
                row.roles = [*row.roles, *(r for r in roles if r not in row.roles)]
                continue
            seen[id(party)] = self.add(
                MeetingParticipant(
                    meeting=meeting,
                    party=party,
                    roles=roles,
                    note=_text(p.get("note"), f"Deltagare {i}: notering", limit=200),
                )
            )
        numbers: set[int] = set()
        for item in found.get("agenda_items") or []:
            number = item.get("number")
            if not isinstance(number, int) or isinstance(number, bool) or number < 0 or number in numbers:
                raise DocumentRefused(f"Punkt ”{number}”: numret måste vara ett heltal som inte används två gånger.")
            numbers.add(number)
            agenda = self.add(
                AgendaItem(
                    meeting=meeting,
                    number=number,
                    title=_text(item.get("title"), f"Punkt {number}: rubrik", required=True),
                    presenter=_text(item.get("presenter"), f"Punkt {number}: föredragande", limit=200),
                )
            )
            for d in item.get("decisions") or []:
                text = _text(d.get("text"), f"Punkt {number}: beslut", required=True, limit=TEXT_MAX)
                self.add(Decision(agenda_item=agenda, text=text))
            for k, a in enumerate(item.get("assignments") or [], start=1):
                where = f"Punkt {number}, uppdrag {k}"
                self.add(
                    Task(
                        meeting=meeting,
                        agenda_item=agenda,
                        text=_text(a.get("what"), f"{where}: vad", required=True, limit=TEXT_MAX),
                        owners=[self.party(o, f"{where}: ansvarig") for o in _names(a.get("owners"))],
                        due_text=_text(a.get("due_text"), f"{where}: när", limit=200),
                        due_date=_date(a.get("due_date"), f"{where}: klart senast"),
                        due_rule=_text(a.get("due_rule"), f"{where}: regel"),
                        status=a.get("status") if a.get("status") in OPEN_TASK_STATUSES else "öppen",
                        uncertain=[str(u) for u in a.get("uncertain") or []][:20]
                        or ([] if _names(a.get("owners")) else ["Ingen ansvarig namnges i texten."]),
                    )
                )
        if next_day and not self.s.scalar(select(Meeting.id).where(Meeting.kind == kind, Meeting.date == next_day)):
            self.add(Meeting(kind=kind, date=next_day, place=_text(nxt.get("place"), "Nästa mötes plats")))
        return meeting

    # -- plan -------------------------------------------------------------------------------------------------
    def plan(self, found: dict[str, Any]) -> Plan:
        p = found.get("plan") or {}
        year = p.get("year")
        if not isinstance(year, int) or isinstance(year, bool) or not 1990 <= year <= 2100:
            raise DocumentRefused(f"Planens år: ”{year}” är inget årtal.")
        plan = self.add(
            Plan(
                year=year,
                title=_text(p.get("title"), "Planens titel", limit=200) or f"Verksamhetsplan {year}",
                adopted_on=_date(p.get("adopted_on"), "Antagen"),
                adopted_by=_text(p.get("adopted_by"), "Antagen av", limit=200),
            )
        )
        names: set[str] = set()
        area_names: set[str] = set()
        for i, fa in enumerate(p.get("focus_areas") or [], start=1):
            area_name = _text(fa.get("name"), f"Insatsområde {i}: namn", required=True, limit=200)
            if fold(area_name) in area_names:  # the database holds one focus area of a name per plan
                raise DocumentRefused(
                    f"Insatsområdet ”{area_name}” står två gånger. Slå ihop dem eller ändra namnet på det ena."
                )
            area_names.add(fold(area_name))
            area = self.add(FocusArea(plan=plan, name=area_name, position=i))
            titles: set[str] = set()
            for j, a in enumerate(fa.get("activities") or [], start=1):
                title = _text(a.get("title"), f"{area_name}, aktivitet {j}: rubrik", required=True)
                if fold(title) in titles:
                    continue
                titles.add(fold(title))
                self.add(
                    Activity(
                        focus_area=area,
                        title=title,
                        description=_text(a.get("text"), f"{area_name}, aktivitet {j}: text", limit=TEXT_MAX) or "",
                        status="planerad",
                        position=j,
                    )
                )
            for pr in fa.get("projects") or []:
                self.project(pr, area, names)
        return plan

    def project(self, pr: dict[str, Any], area: FocusArea, names: set[str]) -> None:
        name = _text(pr.get("name"), "Projektets namn", required=True, limit=200)
        if fold(name) in names or self.s.scalar(select(Project.id).where(Project.name == name)):
            raise DocumentRefused(f"Projektet ”{name}” finns redan. Ändra namnet eller ta bort projektet ur listan.")
        names.add(fold(name))
        start, end = _date(pr.get("start"), f"{name}: start"), _date(pr.get("end"), f"{name}: slut")
        if start and end and end < start:
            raise DocumentRefused(f"{name}: slutdatumet är före startdatumet.")
        period = pr.get("budget_period")
        if period not in PERIODS:
            raise DocumentRefused(f"{name}: budgetperioden ”{period}” är okänd (per_year eller total).")
        contact = pr.get("contact") or {}
        project = self.add(
            Project(
                name=name,
                focus_area=area,
                description=_text(pr.get("description"), f"{name}: beskrivning", limit=TEXT_MAX) or "",
                owner_organisation=_text(pr.get("owner_org"), f"{name}: projektägare", limit=200),
                contact_name=_text(contact.get("name"), f"{name}: kontaktperson", limit=200),
                contact_role=_text(contact.get("role"), f"{name}: kontaktpersonens roll", limit=200),
                start_date=start,
                end_date=end,
                time_frame_text=_text(pr.get("time_frame_text"), f"{name}: tidsram", limit=200),
                status="planerad",
                budget_amount=_amount(pr.get("total_budget_sek"), f"{name}: budget"),
                budget_period=PERIODS[period],
                budget_text=_text(pr.get("budget_text"), f"{name}: budget i texten", limit=200),
                municipalities=self.municipalities(pr.get("municipalities"), name),
                uncertain=[str(u) for u in pr.get("uncertain") or []][:20],
            )
        )
        phases: set[str] = set()
        for ph in pr.get("phases") or []:
            ph_name = _text(ph.get("name"), f"{name}: etappens namn", required=True, limit=200)
            ph_start = _date(ph.get("start"), f"{name}, {ph_name}: start")
            ph_end = _date(ph.get("end"), f"{name}, {ph_name}: slut")
            if ph_start is None or ph_end is None or fold(ph_name) in phases:
                continue  # a phase without dates is not guessed; the project's own dates stand
            if ph_end < ph_start:
                raise DocumentRefused(f"{name}, {ph_name}: slutdatumet är före startdatumet.")
            phases.add(fold(ph_name))
            self.add(Phase(project=project, name=ph_name, start_date=ph_start, end_date=ph_end))
        funders: set[str] = set()
        for f in pr.get("funders") or []:
            funder = _text(f.get("name"), f"{name}: finansiär", required=True, limit=200)
            kind = f.get("kind") or "övrigt"
            if kind not in FUNDER_KINDS:
                raise DocumentRefused(f"{name}, {funder}: typen ”{kind}” är okänd. Välj {', '.join(FUNDER_KINDS)}.")
            if fold(funder) in funders:
                raise DocumentRefused(f"{name}: finansiären ”{funder}” står två gånger.")
            funders.add(fold(funder))
            f_period = f.get("period")
            if f_period not in PERIODS:
                raise DocumentRefused(f"{name}, {funder}: perioden ”{f_period}” är okänd (per_year eller total).")
            self.add(
                FundingLine(
                    project=project,
                    funder=funder,
                    kind=kind,
                    amount=_amount(f.get("amount_sek"), f"{name}, {funder}: belopp"),
                    period=PERIODS[f_period],
                )
            )
        for b in pr.get("budget_parts") or []:
            label = _text(b.get("name"), f"{name}: budgetdel", required=True, limit=200)
            amount = _amount(b.get("amount_sek"), f"{name}, {label}: belopp")
            if amount is not None:
                self.add(BudgetPart(project=project, label=label, amount=amount))


def save_document(session: Session, token: str, found: dict[str, Any], *, actor: Actor) -> ImportResult:
    """Save the person's checked version of a staged document as one import (undo as for uploads)."""
    require_document_rights(actor)
    if not isinstance(found, dict) or found.get("kind") not in ("minutes", "plan"):
        raise DocumentRefused("Innehållet saknas eller är av okänd sort. Ladda upp dokumentet igen.")
    serialise_writes(session)
    pending = find_pending(session, token, actor=actor, kinds=(DOCUMENT_KIND,))
    if pending is None:
        raise DocumentRefused("Förhandsgranskningen finns inte längre. Ladda upp dokumentet igen.")
    duplicate = duplicate_of(session, found, pending.sha256)
    if duplicate:
        raise DocumentRefused(duplicate)
    batch = ImportBatch(
        kind=DOCUMENT_KIND,
        source=pending.filename,
        sha256=pending.sha256,
        username=actor.username,
        at=utcnow(),
        counts={},
    )
    session.add(batch)
    session.flush()
    audit_on_commit(
        session,
        "import",
        f"Dokument sparat: {found['kind']} från {pending.filename!r} av {actor.username!r}",
        account=actor.username,
        kind=f"{DOCUMENT_KIND}/{found['kind']}",
        file=pending.filename,
        sha256=pending.sha256,
        batch=batch.id,
    )
    writer = Writer(session, None, batch, actor.username)
    saver = _Saver(session, writer)
    if found["kind"] == "minutes":
        root = saver.minutes(found)
    else:
        root = saver.plan(found)
    writer.finish()
    counts: dict[str, int] = {}
    for obj in writer.created:
        counts[obj.__tablename__] = counts.get(obj.__tablename__, 0) + 1
    batch.counts = {"new": len(writer.created), "changed": 0, "unchanged": 0, "removed": 0, "rows": counts}
    session.delete(pending)
    session.flush()
    touched = [
        {"entity": o.__tablename__, "entity_id": o.id, "key": getattr(o, "name", None), "project_id": o.id}
        for o in writer.created
        if isinstance(o, Project)
    ]
    what = summary(found).rstrip(".")
    message = f"Dokumentet {pending.filename} är sparat: {what}."
    touched.append({"entity": root.__tablename__, "entity_id": root.id, "key": None, "project_id": None})
    return ImportResult(batch.id, DOCUMENT_KIND, pending.filename, batch.counts, message, touched)


__all__ = ["DOCUMENT_KIND", "DocumentRefused", "duplicate_of", "known_meetings", "preview_document", "save_document"]
