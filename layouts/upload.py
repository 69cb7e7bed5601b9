"""Ladda upp: where kansliet will upload Excel and CSV files."""

from __future__ import annotations

from dash import html

from layouts.components import empty_state, page_header


def upload_page(can_edit: bool) -> html.Div:
    header = page_header("Ladda upp", "Uppdatera projekt, finansiering, uppdrag, verksamhetsplan och möten från Excel.")
    if not can_edit:
        return html.Div([header, empty_state("Din roll (läsare) kan inte ladda upp data. Kontakta kansliet.")])
    return html.Div(
        [
            header,
            empty_state(
                "Uppladdning av Excel- och CSV-filer är inte öppnad ännu. "
                "Data läses i dag in av kansliet via kommandoraden."
            ),
        ]
    )


def not_found_page(path: str) -> html.Div:
    return html.Div([page_header("Sidan finns inte"), empty_state(f"Det finns ingen sida på adressen {path}.")])
