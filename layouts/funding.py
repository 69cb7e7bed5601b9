"""Finansiering: each project's stated budget against the sum of its funders."""

from __future__ import annotations

from dash import html

from layouts.components import data_table, empty_state, page_header
from layouts.format import format_kr


def funding_page(projects: list[dict], kommun: str | None) -> html.Div:
    header = page_header(
        "Finansiering", "Angiven budget jämfört med summan av finansiärerna. Skillnaden visas som ”ej specificerat”."
    )
    if not projects:
        return html.Div([header, empty_state("Inga projekt" + (f" berör {kommun}." if kommun else "."))])
    rows = []
    for p in projects:
        if p["funding_unknown_count"]:
            gap = f"okänt ({p['funding_unknown_count']} finansiärer utan belopp)"
        elif p["unspecified_amount"] is None:
            gap = "–"
        else:
            gap = format_kr(p["unspecified_amount"], p["budget_period"])
        rows.append(
            [
                p["name"],
                format_kr(p["budget_amount"], p["budget_period"]),
                format_kr(p["funding_sum"], p["funding_sum_period"]) if p["funding"] else "inga angivna",
                gap,
            ]
        )
    return html.Div(
        [
            header,
            data_table(
                ["Projekt", "Angiven budget", "Summa finansiärer", "Ej specificerat"],
                rows,
                caption="Budget och finansiering per projekt",
            ),
        ]
    )
