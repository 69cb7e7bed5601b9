"""Excel templates for uploads: Swedish headers, one sheet per table, an instructions sheet, and (pre-filled) the
current data, so that a person edits what is there rather than typing it again."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy.orm import Session

from data.imports.engine import kind_info
from data.imports.kinds import Context, Field, Sheet

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
WIDTHS = {"text": 28, "list": 30, "date": 13, "date_end": 13, "amount": 15, "int": 8, "time": 9, "choice": 16}


def template_filename(kind: str, *, filled: bool = True, today: dt.date | None = None) -> str:
    """'projekt-2026-11-23.xlsx' for a pre-filled template, 'projekt-tom-mall.xlsx' for a blank one."""
    kind_info(kind)
    return f"{kind}-{(today or dt.date.today()).isoformat()}.xlsx" if filled else f"{kind}-tom-mall.xlsx"


def _text_cell(cell, value: str) -> None:
    """A text cell that Excel shows as text, never as a formula, whatever its first character."""
    cell.value = value
    cell.data_type = "s"


def _write(cell, f: Field, value: Any) -> None:
    if value is None or value == [] or value == "":
        return
    if isinstance(value, list):
        _text_cell(cell, ", ".join(str(v) for v in value))
    elif isinstance(value, dt.date | dt.time):
        cell.value = value
        cell.number_format = "yyyy-mm-dd" if isinstance(value, dt.date) else "hh:mm"
    elif isinstance(value, bool):
        _text_cell(cell, "ja" if value else "nej")
    elif isinstance(value, int):
        cell.value = value
        cell.number_format = "# ##0" if f.type == "amount" else "0"
    else:
        _text_cell(cell, str(value))


def _choices(f: Field) -> list[str]:
    return list(dict.fromkeys((f.choices or {}).values()))


def _data_sheet(ws, spec: Sheet, rows: list[dict[str, Any]]) -> None:
    ws.title = spec.name
    for col, f in enumerate(spec.fields, start=1):
        cell = ws.cell(row=1, column=col)
        _text_cell(cell, f.label)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(col)].width = (
            40 if f.name in ("description", "text") else WIDTHS.get(f.type, 20)
        )
        if f.type == "choice":
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(_choices(f)) + '"',
                allow_blank=True,
                showErrorMessage=False,
            )
            dv.add(f"{get_column_letter(col)}2:{get_column_letter(col)}10000")
            ws.add_data_validation(dv)
    for r, row in enumerate(rows, start=2):
        for col, f in enumerate(spec.fields, start=1):
            _write(ws.cell(row=r, column=col), f, row.get(f.name))
    ws.freeze_panes = "A2"


INSTRUCTIONS = [
    "Så här uppdaterar du {label}",
    "",
    "1. Ändra, lägg till eller ta bort rader på flikarna {sheets}. Ändra inte rubrikerna på rad 1.",
    "2. En rad med Id ändrar den befintliga raden; lämna Id tomt på nya rader. Utan Id avgör namnet vilken rad det är.",
    "3. Belopp i kronor: 4 650 000, 12,6 milj, 2,4 mkr och 6256 tkr går bra. Negativa belopp är fel.",
    "4. Datum: 2005-01-01, 1/1-2005, 2005-01, jan 2005 eller januari 2005.",
    "5. Kommuner: kortnamn eller fullständigt namn, åtskilda med komma (Umeå, Vännäs) eller ”alla”.",
    "6. Rader som saknas i filen lämnas orörda, om du inte väljer ”Ta bort rader som saknas i filen”.",
    "7. Ladda upp filen på sidan Ladda upp. Du ser alla ändringar och eventuella fel innan något sparas.",
    "",
]


def _instructions(ws, label: str, sheets: list[Sheet]) -> None:
    ws.title = "Instruktioner"
    names = " och ".join(s.name for s in sheets)
    for r, line in enumerate(INSTRUCTIONS, start=1):
        if line:
            _text_cell(ws.cell(row=r, column=1), line.format(label=label.lower(), sheets=names))
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    r = len(INSTRUCTIONS) + 1
    for spec in sheets:
        for col, head in enumerate(("Flik", "Kolumn", "Krävs", "Vad"), start=1):
            _text_cell(ws.cell(row=r, column=col), head)
            ws.cell(row=r, column=col).font = Font(bold=True)
        r += 1
        for f in spec.fields:
            _text_cell(ws.cell(row=r, column=1), spec.name)
            _text_cell(ws.cell(row=r, column=2), f.label)
            _text_cell(ws.cell(row=r, column=3), "ja" if f.required else "")
            _text_cell(ws.cell(row=r, column=4), f.help or "")
            r += 1
        r += 1
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 24
    ws.column_dimensions["C"].width = 8
    ws.column_dimensions["D"].width = 80


def build_template(session: Session, kind: str, *, filled: bool = True) -> bytes:
    """The .xlsx template for `kind`: its sheets (with the current rows when `filled`) and an instructions sheet."""
    info = kind_info(kind)
    ctx = Context.load(session)
    wb = Workbook()
    first = True
    for spec in info.sheets:
        ws = wb.active if first else wb.create_sheet()
        first = False
        rows: list[dict[str, Any]] = []
        if filled:
            spec.load(ctx)
            rows = spec.export(ctx)
        _data_sheet(ws, spec, rows)
    _instructions(wb.create_sheet(), info.label, list(info.sheets))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


__all__ = ["build_template", "template_filename"]
