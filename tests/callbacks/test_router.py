"""The routing callback draws each page from a fresh query, under the URL's municipality filter."""

from __future__ import annotations

import json

import pytest
from dash._utils import to_json

from callbacks.router import render_page
from dashboard.database import session_scope
from data.models import Project


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def text_of(component) -> str:
    """Every string in a component tree (texts, hrefs, ids), joined by newlines, for assertions."""
    return "\n".join(_strings(json.loads(to_json(component)))) if component else ""


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/", "Total angiven budget"),
        ("/verksamhetsplan", "Närings- och utveckling"),
        ("/projekt", "Bibliotek 2007"),
        ("/finansiering", "Ej specificerat"),
        ("/uppdrag", "Näringslivsgruppen"),
        ("/moten", "Skellefteå stadshus"),
        ("/ladda-upp", "Ladda upp"),
    ],
)
def test_every_page_renders_from_the_database(as_user, path, expected):
    as_user()
    page, alert, _ = render_page(path, "")
    assert expected in text_of(page)
    assert alert is None


def test_overview_shows_the_seeded_figures_in_swedish_format(as_user):
    as_user()
    page = text_of(render_page("/", "")[0])
    assert "71\u00a0056\u00a0000\u00a0kr" in page
    assert "\n8\n" in page


def test_overview_for_one_municipality_counts_only_its_projects(as_user):
    as_user()
    page = text_of(render_page("/", "?kommun=V%C3%A4nn%C3%A4s")[0])
    assert "som berör Vännäs" in page
    assert "\n3\n" in page


def test_unknown_municipality_shows_a_notice_and_all_data(as_user):
    as_user()
    page, alert, _ = render_page("/projekt", "?kommun=Stockholm")
    assert "Okänd kommun" in text_of(alert)
    assert "Bibliotek 2007" in text_of(page)


def test_project_page_shows_funders_gap_and_history(app, as_user):
    as_user()
    with session_scope(app.server) as s:
        pid = s.query(Project.id).filter_by(name="Botniabanan som tillväxtfaktor").scalar()
    page = text_of(render_page(f"/projekt/{pid}", "")[0])
    assert "EG:s strukturfond" in page
    assert "750\u00a0000\u00a0kr/år" in page
    assert "demodata" in page


def test_missing_project_and_unknown_path_say_so(as_user):
    as_user()
    assert "Projektet finns inte" in text_of(render_page("/projekt/99999", "")[0])
    assert "Sidan finns inte" in text_of(render_page("/finns-inte", "")[0])


def test_a_change_in_the_database_shows_on_the_next_render(app, as_user):
    as_user()
    with session_scope(app.server) as s:
        s.add(Project(name="Nytt testprojekt", status="planerad"))
    assert "Nytt testprojekt" in text_of(render_page("/projekt", "")[0])


def test_upload_page_tells_a_reader_they_cannot_upload(as_user):
    as_user("läsare")
    assert "kan inte ladda upp" in text_of(render_page("/ladda-upp", "")[0])
