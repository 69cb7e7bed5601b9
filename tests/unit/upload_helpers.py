"""Shared by the upload engine tests: the fixture files, the actors, a full dump of the database, and short ways to
preview and confirm a file as the upload page does (preview, stage, confirm)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select

from data.imports import Actor, Preview, confirm_upload, preview_upload, stage_upload
from data.models import Base, Project

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "uploads"

ADMIN = Actor("admin", "admin")
REDAKTOR = Actor("redaktor", "redigerare")
VANNAS = Actor("vannas", "redigerare", "Vännäs")
LASARE = Actor("lasare", "läsare")

BOTNIA = "Botniabanan som tillväxtfaktor"
HISTORY_TABLES = {"change_record", "import_batch", "pending_upload"}
TIMESTAMPS = {"created_at", "updated_at"}


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def dump(session, *, history: bool = True, timestamps: bool = True) -> dict[str, list[tuple]]:
    """Every row of every table, ordered by primary key: two dumps are equal only if the database is the same.

    `history=False` leaves out the history tables (change records, import batches, staged files), and
    `timestamps=False` the created/updated times, for comparing the data before an import with the data after undo.
    """
    session.flush()
    out: dict[str, list[tuple]] = {}
    for table in Base.metadata.sorted_tables:
        if not history and table.name in HISTORY_TABLES:
            continue
        columns = [c for c in table.columns if timestamps or c.name not in TIMESTAMPS]
        rows = session.execute(select(*columns).order_by(*table.primary_key.columns)).all()
        out[table.name] = [tuple(r) for r in rows]
    return out


def data_dump(session) -> dict[str, list[tuple]]:
    return dump(session, history=False, timestamps=False)


def preview(session, kind: str, name: str, *, content: bytes | None = None, actor: Actor = ADMIN, **kw) -> Preview:
    return preview_upload(session, kind, read(name) if content is None else content, name, actor=actor, **kw)


def confirm(session, kind: str, name: str, *, content: bytes | None = None, actor: Actor = ADMIN, **kw):
    """Preview, stage and confirm a file as the upload page does; returns (preview, result)."""
    content = read(name) if content is None else content
    p = preview_upload(session, kind, content, name, actor=actor, **kw)
    assert p.can_confirm, [str(x) for x in p.problems + p.refused]
    token = stage_upload(session, p, content, actor=actor)
    return p, confirm_upload(session, token, actor=actor)


def problems(p: Preview) -> list[str]:
    return [str(x) for x in p.problems]


def project(session, name: str) -> Project | None:
    return session.scalars(select(Project).where(Project.name == name)).one_or_none()


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def column(ws, label: str) -> int:
    """The 1-based column of the header `label` on row 1."""
    return [c.value for c in ws[1]].index(label) + 1


def row_of(ws, label: str, value: Any) -> int:
    """The row whose cell under `label` holds `value`."""
    col = column(ws, label)
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=col).value == value)
