"""Uppdrag: assignments from the meetings."""

from __future__ import annotations

from dash import html

from layouts.components import data_table, empty_state, page_header, status_badge
from layouts.format import format_date


def _due(t: dict) -> list:
    parts = [format_date(t["due_date"]) if t["due_date"] else "inget datum"]
    if t["due_text"]:
        parts.append(html.Div(f"”{t['due_text']}”", className="small text-body-secondary"))
    if t["overdue"]:
        parts.append(html.Div("Försenat", className="badge text-bg-danger"))
    return parts


def tasks_page(tasks: list[dict], kommun: str | None) -> html.Div:
    header = page_header("Uppdrag", f"Uppdrag som berör {kommun}" if kommun else "Alla uppdrag från mötena")
    if not tasks:
        return html.Div([header, empty_state("Inga uppdrag" + (f" berör {kommun}." if kommun else "."))])
    rows = [
        [
            t["text"],
            ", ".join(t["owners"]) or "ej namngiven",
            t["municipality"] or "regionen",
            _due(t),
            status_badge(t["status"]),
            f"{format_date(t['meeting_date'])} punkt {t['agenda_item_number']}" if t["meeting_date"] else "–",
        ]
        for t in tasks
    ]
    return html.Div(
        [
            header,
            data_table(
                ["Uppdrag", "Ansvarig", "Kommun", "Klart senast", "Status", "Möte"],
                rows,
                caption=f"{len(tasks)} uppdrag",
            ),
        ]
    )
