"""The meeting pack (PowerPoint and Excel) for the current filter: gathered in `pack`, drawn in `powerpoint` and
`excel`; `export_pack` does both steps and names the file."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from data.exports.excel import build_xlsx
from data.exports.pack import PackError, PackFilter, gather_pack, pack_filter
from data.exports.powerpoint import build_pptx
from data.municipalities import fold

FORMATS = {
    "pptx": (build_pptx, "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "xlsx": (build_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def pack_filename(pf: PackFilter, fmt: str, today: dt.date) -> str:
    """`umearegionen-uppfoljning-2026-12-04-vannas.pptx`: ASCII, so that every mail and file system keeps it."""
    parts = ["umearegionen-uppfoljning", today.isoformat()]
    for value in (pf.kommun, pf.focus_area, pf.year):
        if value is not None:
            slug = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in fold(str(value)))
            parts.append("-".join(filter(None, slug.split("-")))[:40])
    return "-".join(parts) + "." + fmt


def export_pack(
    session: Session,
    fmt: str,
    pf: PackFilter = PackFilter(),
    *,
    since: dt.date | dt.datetime | None = None,
    today: dt.date | None = None,
) -> tuple[bytes, str, str]:
    """The pack as `fmt` ("pptx" or "xlsx"): the file's bytes, its name and its media type."""
    today = today or dt.date.today()
    build, mimetype = FORMATS[fmt]
    return build(gather_pack(session, pf, since=since, today=today)), pack_filename(pf, fmt, today), mimetype


__all__ = ["FORMATS", "PackError", "PackFilter", "export_pack", "gather_pack", "pack_filename", "pack_filter"]
