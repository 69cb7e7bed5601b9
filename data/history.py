"""The change history: every write leaves a record of who, when, from what, and the values before and after."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from data.models import Base, ChangeRecord, ImportBatch


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def as_utc(value: dt.datetime) -> dt.datetime:
    """The same instant in UTC; a naive value (SQLite returns those) is taken to be UTC already.

    Every stored timestamp is UTC, so that SQLite, which drops the offset, still orders them by the real instant.
    """
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.time | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# Held by every import, undo and edit for the length of its transaction, so that they never interleave.
WRITE_LOCK_KEY = 4_650_000


def serialise_writes(session: Session) -> None:
    """Take the write lock: imports, undos and edits run one at a time, each against the data as it is then."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK_KEY})
    else:
        # Any write makes SQLite take its write lock for the rest of the transaction.
        session.execute(text("UPDATE import_batch SET id = id WHERE 1 = 0"))


def snapshot(obj: Base) -> dict[str, Any]:
    """The column values of `obj` as JSON-safe plain data (relationships left out)."""
    mapper = inspect(obj).mapper
    return {attr.key: _plain(getattr(obj, attr.key)) for attr in mapper.column_attrs}


def record_change(
    session: Session,
    *,
    username: str,
    source: str,
    entity: str,
    entity_id: int | None,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    batch: ImportBatch | None = None,
    at: dt.datetime | None = None,
) -> ChangeRecord:
    """Add one history record to the session (the caller's transaction commits it with the change itself)."""
    rec = ChangeRecord(
        at=as_utc(at) if at else utcnow(),
        username=username,
        source=source,
        import_batch_id=batch.id if batch is not None else None,
        entity=entity,
        entity_id=entity_id,
        action=action,
        before=before,
        after=after,
    )
    session.add(rec)
    return rec


def record_created(
    session: Session,
    obj: Base,
    *,
    username: str,
    source: str,
    batch: ImportBatch | None = None,
    extra: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Record that `obj` was created (with `extra` values, e.g. its links to other rows); flushes for the id."""
    session.flush()
    record_change(
        session,
        username=username,
        source=source,
        entity=obj.__tablename__,
        entity_id=obj.id,
        action="create",
        after={**snapshot(obj), **(extra or {})},
        batch=batch,
        at=at,
    )


def history_for(session: Session, entity: str, entity_id: int) -> list[dict[str, Any]]:
    """The history of one entity, newest first, as plain dicts."""
    rows = (
        session.query(ChangeRecord)
        .filter_by(entity=entity, entity_id=entity_id)
        .order_by(ChangeRecord.at.desc(), ChangeRecord.id.desc())
        .all()
    )
    return [
        {
            "at": as_utc(r.at).isoformat(),
            "username": r.username,
            "source": r.source,
            "action": r.action,
            "before": r.before,
            "after": r.after,
        }
        for r in rows
    ]
