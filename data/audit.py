"""Audit events: one structured log record for each thing a person may need to trace later (logins, failed logins,
imports, exports, user and role changes), with its fields as data. Secrets never go into a record.

A write's event is logged when its transaction commits (`audit_on_commit`), so the log never claims a change that
was rolled back; events that are not writes (a login, an export) are logged at once (`audit`).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger("umearegionen.audit")
# Field names that may hold a secret: dropped from every record, whatever the caller passes.
SECRET_WORDS = ("password", "losenord", "lösenord", "token", "session", "cookie", "csrf", "secret", "hash")
_PENDING = "audit_events"


def _public(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if not any(w in k.casefold() for w in SECRET_WORDS)}


def audit(event_name: str, message: str, *, level: int = logging.INFO, **fields: Any) -> None:
    """Log `event_name` now, with `message` (Swedish, for people) and `fields` (for machines)."""
    log.log(level, message, extra={"event": event_name, "fields": _public(fields)})


def audit_on_commit(session: Session, event_name: str, message: str, **fields: Any) -> None:
    """Log `event_name` when `session`'s transaction commits; nothing if it rolls back."""
    session.info.setdefault(_PENDING, []).append((event_name, message, fields))


@event.listens_for(Session, "after_commit")
def _log_committed(session: Session) -> None:
    for event_name, message, fields in session.info.pop(_PENDING, []):
        audit(event_name, message, **fields)


@event.listens_for(Session, "after_rollback")
def _drop_rolled_back(session: Session) -> None:
    session.info.pop(_PENDING, None)


__all__ = ["SECRET_WORDS", "audit", "audit_on_commit"]
