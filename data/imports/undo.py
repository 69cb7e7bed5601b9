"""Undo the latest upload: restore the previous values, remove what it added, bring back what it removed.

Built on the history: every change an import made is a change record tied to its batch, with the values before and
after. An undo is refused when something changed the same rows after the import, so that undo never overwrites
later work; it is itself recorded, as a batch of its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, DateTime, Time, select
from sqlalchemy.orm import Session

from data.audit import audit_on_commit
from data.db import insert_rows
from data.history import as_utc, serialise_writes, utcnow
from data.imports.engine import Actor, ImportRefused, counts_text, require_upload_rights
from data.imports.kinds import KINDS
from data.models import (
    Activity,
    AgendaItem,
    Base,
    BudgetPart,
    ChangeRecord,
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
    TaskNote,
)

UNDO_KIND = "ångra"
DOCUMENT_KIND = "dokument"  # data.documents.save; not imported from there, which imports this package
UNDOABLE_KINDS = (*KINDS, DOCUMENT_KIND)
# Children before parents: the order in which rows an import added are removed again.
REMOVAL_ORDER = (
    TaskNote,
    MeetingParticipant,
    Decision,
    Phase,
    FundingLine,
    BudgetPart,
    Task,
    AgendaItem,
    Activity,
    Project,
    FocusArea,
    Plan,
    Meeting,
    Party,
)
MODELS: dict[str, type[Base]] = {m.__tablename__: m for m in REMOVAL_ORDER}


@dataclass
class UndoResult:
    batch_id: int
    message: str
    counts: dict[str, int]


def _kind_label(kind: str) -> str:
    info = KINDS.get(kind)
    return info.label if info else {DOCUMENT_KIND: "Dokument"}.get(kind, kind)


def _iso(value: dt.datetime | None) -> str | None:
    return as_utc(value).isoformat() if value else None


def _batch_dict(b: ImportBatch) -> dict[str, Any]:
    counts = b.counts or {}
    return {
        "batch_id": b.id,
        "kind": b.kind,
        "kind_label": _kind_label(b.kind),
        "filename": b.source,
        "sha256": b.sha256,
        "username": b.username,
        "at": _iso(b.at),
        "counts": {k: counts.get(k, 0) for k in ("new", "changed", "unchanged", "removed")},
        "undone_at": _iso(b.undone_at),
        "undone_by": counts.get("undone_by"),
    }


def list_imports(session: Session, limit: int = 10) -> list[dict[str, Any]]:
    """The latest uploads, newest first, with who, when, which file, counts and whether they were undone."""
    rows = session.scalars(
        select(ImportBatch)
        .where(ImportBatch.kind.in_(UNDOABLE_KINDS))
        .order_by(ImportBatch.at.desc(), ImportBatch.id.desc())
        .limit(limit)
    )
    return [_batch_dict(b) for b in rows]


def _latest(session: Session) -> ImportBatch | None:
    return session.scalars(
        select(ImportBatch)
        .where(ImportBatch.kind.in_(UNDOABLE_KINDS), ImportBatch.undone_at.is_(None))
        .order_by(ImportBatch.at.desc(), ImportBatch.id.desc())
        .limit(1)
    ).first()


def _may_undo(actor: Actor, batch: ImportBatch) -> bool:
    return actor.role == "admin" or actor.username == batch.username or not actor.limited_to


def latest_undoable(session: Session, *, actor: Actor) -> dict[str, Any] | None:
    """The latest upload that is not undone, if this person may undo it."""
    if not actor.can_upload:
        return None
    batch = _latest(session)
    if batch is None or not _may_undo(actor, batch):
        return None
    return _batch_dict(batch)


def _records(session: Session, batch_id: int) -> list[ChangeRecord]:
    return list(session.scalars(select(ChangeRecord).where(ChangeRecord.import_batch_id == batch_id)))


def _conflicts(session: Session, batch: ImportBatch, records: list[ChangeRecord]) -> list[ChangeRecord]:
    """Later changes, not themselves undone, to rows this import touched."""
    touched = {(r.entity, r.entity_id) for r in records}
    undone = select(ImportBatch.id).where((ImportBatch.undone_at.is_not(None)) | (ImportBatch.kind == UNDO_KIND))
    later = session.scalars(
        select(ChangeRecord)
        .where(
            ChangeRecord.id > max(r.id for r in records),
            ChangeRecord.entity.in_({e for e, _ in touched}),
            (ChangeRecord.import_batch_id.is_(None)) | (ChangeRecord.import_batch_id.not_in(undone)),
        )
        .order_by(ChangeRecord.id)
    )
    return [r for r in later if (r.entity, r.entity_id) in touched]


def _coerce(model: type[Base], attr: str, value: Any) -> Any:
    column = model.__table__.c.get(attr)
    if column is None or value is None:
        return value
    if isinstance(column.type, DateTime):
        return as_utc(dt.datetime.fromisoformat(value))
    if isinstance(column.type, Date):
        return dt.date.fromisoformat(value)
    if isinstance(column.type, Time):
        return dt.time.fromisoformat(value)
    return value


def _restore(session: Session, obj: Base, values: dict[str, Any]) -> None:
    model = type(obj)
    for attr, value in values.items():
        if attr == "municipalities":
            obj.municipalities = list(session.scalars(select(Municipality).where(Municipality.name.in_(value or []))))
        elif attr == "owners":
            obj.owners = list(session.scalars(select(Party).where(Party.name.in_(value or []))))
        elif attr in model.__table__.c:
            setattr(obj, attr, _coerce(model, attr, value))


def undo_latest(session: Session, *, actor: Actor, batch_id: int | None = None) -> UndoResult:
    """Undo the latest upload in the caller's transaction; raises ImportRefused with a Swedish reason.

    `batch_id`, when given, must name that latest upload (so a page showing an older state cannot undo a newer one).
    """
    require_upload_rights(actor)
    serialise_writes(session)
    batch = _latest(session)
    if batch is None:
        raise ImportRefused("Det finns ingen import att ångra.")
    if batch_id is not None and batch.id != batch_id:
        raise ImportRefused("En nyare import har gjorts sedan sidan visades. Ladda om sidan och försök igen.")
    if not _may_undo(actor, batch):
        raise ImportRefused("Du kan bara ångra dina egna importer.")
    records = _records(session, batch.id)
    if records:
        conflicts = _conflicts(session, batch, records)
        if conflicts:
            first = conflicts[0]
            raise ImportRefused(
                f"Importen kan inte ångras: {len(conflicts)} senare ändringar gäller samma uppgifter "
                f"(t.ex. av {first.username} {as_utc(first.at):%Y-%m-%d %H:%M} UTC, {first.source}). "
                "Ändra tillbaka för hand i stället."
            )
    now = utcnow()
    undo = ImportBatch(
        kind=UNDO_KIND,
        source=f"ångra import {batch.id}: {batch.source}",
        sha256=batch.sha256,
        username=actor.username,
        at=now,
        counts={"undoes": batch.id},
    )
    session.add(undo)
    session.flush()
    audit_on_commit(
        session,
        "import_undone",
        f"Import {batch.id} ångrad ({batch.kind} från {batch.source!r}) av {actor.username!r}",
        account=actor.username,
        batch=batch.id,
        kind=batch.kind,
        file=batch.source,
    )
    history: list[dict[str, Any]] = []

    def record(entity: str, entity_id: int | None, action: str, before=None, after=None) -> None:
        history.append(
            {
                "at": now,
                "username": actor.username,
                "source": f"ångrad import: {batch.source}",
                "import_batch_id": undo.id,
                "entity": entity,
                "entity_id": entity_id,
                "action": action,
                "before": before,
                "after": after,
            }
        )

    restored = removed = recreated = 0
    for r in sorted((r for r in records if r.action == "update"), key=lambda r: r.id, reverse=True):
        obj = session.get(MODELS[r.entity], r.entity_id)
        if obj is not None:
            _restore(session, obj, r.before or {})
            record(r.entity, r.entity_id, "update", r.after, r.before)
            restored += 1
    session.flush()
    session.expire_all()
    created = {r.entity: [] for r in records}
    for r in records:
        if r.action == "create":
            created[r.entity].append(r)
    for model in REMOVAL_ORDER:
        for r in created.get(model.__tablename__, []):
            obj = session.get(model, r.entity_id)
            if obj is not None:
                session.delete(obj)
                record(r.entity, r.entity_id, "delete", r.after, None)
                removed += 1
        session.flush()
    for model in reversed(REMOVAL_ORDER):
        for r in records:
            if r.action == "delete" and r.entity == model.__tablename__:
                before = r.before or {}
                obj = model(**{k: _coerce(model, k, v) for k, v in before.items() if k in model.__table__.c})
                session.add(obj)
                _restore(session, obj, {k: v for k, v in before.items() if k in ("municipalities", "owners")})
                record(r.entity, r.entity_id, "create", None, before)
                recreated += 1
        session.flush()
    insert_rows(session, ChangeRecord, history)
    batch.undone_at = now
    batch.counts = {**(batch.counts or {}), "undone_by": actor.username}
    counts = {"restored": restored, "removed": removed, "recreated": recreated}
    undo.counts = {**undo.counts, **counts}
    session.flush()
    message = (
        f"Importen av {batch.source} är ångrad: "
        f"{restored} återställda, {removed} borttagna och {recreated} återskapade rader."
    )
    return UndoResult(batch.id, message, counts)


__all__ = ["UndoResult", "latest_undoable", "list_imports", "undo_latest", "counts_text"]
