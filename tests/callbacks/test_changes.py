"""Förändringar through the router: the page for the demo data, for Vännäs, after an import, and a bad date."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from callbacks.changes import choose_since
from callbacks.router import render_page
from dashboard.database import session_scope
from data.imports import import_file
from data.imports.engine import Actor
from data.models import ChangeRecord, ImportBatch
from tests.callbacks.test_router import text_of

VANNAS_Q = "?kommun=V%C3%A4nn%C3%A4s"
BOTNIA = "Botniabanan som tillväxtfaktor"
CSV = f"Projekt;Status;Budget (kr)\n{BOTNIA};pågår;5 000 000\nUME&Co;pausad;13 000 000\n"
LONG_AGO = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)


def _age_demo_data(app) -> None:
    with session_scope(app.server) as s:
        s.execute(update(ChangeRecord).values(at=LONG_AGO))
        s.execute(update(ImportBatch).values(at=LONG_AGO))


def _import(app) -> None:
    with session_scope(app.server) as s:
        preview, result = import_file(s, "projekt", CSV.encode("utf-8"), "projekt.csv", actor=Actor("admin", "admin"))
        assert result is not None, preview.problems


def test_demo_data_page_has_every_section_and_the_meeting_chooser(app, as_user):
    as_user()
    page, alert, _ = render_page("/forandringar", "")
    text = text_of(page)
    assert alert is None
    for heading in ("Sedan förra mötet", "Uppdrag (", "Projekt (", "Aktiviteter (", "Importer (", "Att uppmärksamma ("):
        assert heading in text
    assert "Jämför med" in text and "eller ett datum" in text
    assert "Kommunchefsmöte 2019-05-16" in text


def test_an_import_shows_old_and_new_values_with_who_and_a_link(app, as_user):
    _age_demo_data(app)
    _import(app)
    as_user()
    today = dt.date.today().isoformat()
    text = text_of(render_page("/forandringar", f"?sedan={today}")[0])
    assert BOTNIA in text and "UME&Co" in text
    assert "planerad" in text and "pågår" in text and "4\u00a0650\u00a0000" in text and "5\u00a0000\u00a0000" in text
    assert "admin" in text and "projekt.csv" in text and "2 ändrade" in text
    assert "Inga ändringar av aktiviteter" in text
    assert f"sedan {today}" in text


def test_vannas_narrows_the_projects(app, as_user):
    _age_demo_data(app)
    _import(app)
    as_user()
    today = dt.date.today().isoformat()
    text = text_of(render_page("/forandringar", f"{VANNAS_Q}&sedan={today}")[0])
    assert BOTNIA in text and "UME&Co" not in text
    assert "?kommun=V%C3%A4nn%C3%A4s" in text  # links keep the filter


def test_nothing_changed_says_so(app, as_user):
    _age_demo_data(app)
    as_user()
    text = text_of(render_page("/forandringar", f"?sedan={dt.date.today().isoformat()}")[0])
    assert "Inga ändringar av projekt sedan" in text and "Inga importer sedan" in text


def test_a_bad_date_is_explained_in_swedish_and_the_default_used(app, as_user):
    as_user()
    text = text_of(render_page("/forandringar", "?sedan=igår")[0])
    assert "Datumet ”igår” förstods inte" in text
    assert "Sedan förra mötet" in text


def test_database_text_is_plain_text_not_markup(app, as_user):
    _age_demo_data(app)
    _import(app)
    as_user()
    text = text_of(render_page("/forandringar", f"?sedan={dt.date.today().isoformat()}")[0])
    assert "UME&Co" in text  # a plain string child: Dash shows it as text
    assert "Markdown" not in text and "dangerously_allow_html" not in text


def test_choosing_writes_sedan_into_the_url(monkeypatch):
    import callbacks.changes as module

    class Ctx:
        triggered_id = module.MEETING_SELECT

    monkeypatch.setattr(module, "ctx", Ctx)
    assert choose_since("2019-05-16", "2020-01-01", VANNAS_Q) == VANNAS_Q + "&sedan=2019-05-16"
    Ctx.triggered_id = module.DATE_INPUT
    assert choose_since("2019-05-16", "2020-01-01", "?sedan=2019-05-16") == "?sedan=2020-01-01"
    assert choose_since(None, "2020-01-01", "?sedan=2020-01-01") is module.no_update
    assert choose_since(None, "", "") is module.no_update


def test_a_long_signal_group_shows_ten_and_says_how_many_more():
    from layouts.changes import _signals

    signals = [{"title": f"Uppdrag {i}", "reason": "Försenat.", "link": "/verksamhetsplan?ar=2005"} for i in range(13)]
    group = {"kind": "task_overdue", "label": "Uppdrag efter utsatt tid", "signals": signals}
    text = text_of(_signals({"count": 13, "groups": [group]}, "?kommun=V%C3%A4nn%C3%A4s"))
    assert "Uppdrag 9" in text and "Uppdrag 10" not in text
    assert "… och 3 till" in text and "Uppdrag efter utsatt tid (13)" in text
    assert "/verksamhetsplan?ar=2005&kommun=V%C3%A4nn%C3%A4s" in text
