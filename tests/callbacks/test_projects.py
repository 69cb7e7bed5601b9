"""Projekt's callbacks and builders: the timeline page under the URL's filters, its figure, the filter → URL and
click → project page callbacks, the table's server-side rows, and one project's page with its history."""

from __future__ import annotations

import datetime as dt
import html
import json

import plotly.graph_objects as go
import pytest
from dash import no_update
from dash._utils import to_json

from callbacks.projects import apply_filters, build_projects, load_grid_rows, open_clicked_project
from callbacks.router import render_page
from dashboard.database import session_scope
from data.filters import Filter
from data.history import record_change, snapshot
from data.models import Project
from layouts.charts import PATTERNS
from layouts.projects import ALL, STATUS_STYLE, format_when, timeline_figure
from tests.callbacks.test_router import text_of

NBSP = "\u00a0"
VANNAS = "?kommun=V%C3%A4nn%C3%A4s"
BOTNIA = "Botniabanan som tillväxtfaktor"
TURK = "Tillväxt i Umeåregionens kranskommuner (TURK)"


def find(component, component_id):
    """The component with this id in a tree (as plain JSON), or None."""
    stack = [json.loads(to_json(component))]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == component_id:
                return node
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return None


def figure_of(page) -> dict:
    return find(page, "projects-timeline-graph")["props"]["figure"]


def project_id(app, name: str) -> int:
    with session_scope(app.server) as s:
        return s.query(Project.id).filter_by(name=name).scalar()


def bar_names(fig: dict) -> list[str]:
    """The projects that have a bar, from the y-axis tick texts of their rows (as Plotly shows them: the texts are
    escaped for Plotly's label markup), in the chart's order."""
    ticks = [html.unescape(t) for t in fig["layout"]["yaxis"]["ticktext"]]
    keys = dict(zip(fig["layout"]["yaxis"]["tickvals"], ticks, strict=True))
    ids = [y for t in fig["data"] if t["type"] == "bar" and t.get("width") == 0.7 for y in t["y"]]
    return [keys[k] for k in fig["layout"]["yaxis"]["categoryarray"] if k in ids]


# --- the page through the router --------------------------------------------------------------------------------------


def test_projekt_shows_the_timeline_the_undated_project_and_the_table(as_user):
    as_user()
    page, alert, _ = render_page("/projekt", "")
    text = text_of(page)
    assert alert is None
    assert "Visar 1–7 av 7 projekt med tidsram" in text
    assert "Utan tidsram" in text and "Bio Fuel Region" in text
    assert "Visa som tabell" in text
    fig = figure_of(page)
    assert bar_names(fig) == ["Stad och Land", "UME&Co", BOTNIA, "Tillväxt i Umeåregionens kranskommuner (T…"] + [
        "Bibliotek 2007",
        "LAPP; Local Action Plans in Progress",
    ]
    grid = find(page, "projects-grid")["props"]
    assert grid["rowModelType"] == "infinite"
    assert "rowData" not in grid
    assert "/api/projects?format=csv" in text


def test_projekt_for_vannas_shows_its_three_projects_and_a_csv_of_its_own(as_user):
    as_user()
    page, _, _ = render_page("/projekt", VANNAS)
    text = text_of(page)
    assert "Visar 1–3 av 3 projekt med tidsram" in text
    assert "Projekt som berör Vännäs" in text
    assert "Bio Fuel Region" not in text and "Utan tidsram" not in text
    assert sorted(bar_names(figure_of(page))) == sorted(
        [BOTNIA, "Stad och Land", "Tillväxt i Umeåregionens kranskommuner (T…"]
    )
    assert "/api/projects?format=csv&kommun=V%C3%A4nn%C3%A4s" in text


def test_the_filters_show_the_urls_values(as_user):
    as_user()
    page, _, _ = render_page("/projekt", "?insatsomrade=Infrastruktur&status=p%C3%A5g%C3%A5r&fran=2004&till=2005")
    values = {i: find(page, i)["props"]["value"] for i in ("projects-focus-area-select", "projects-status-select")}
    assert values == {"projects-focus-area-select": "Infrastruktur", "projects-status-select": "pågår"}
    assert find(page, "projects-from-select")["props"]["value"] == "2004"
    assert find(page, "projects-to-select")["props"]["value"] == "2005"
    assert "Visar 1–1 av 1 projekt med tidsram" in text_of(page)
    assert bar_names(figure_of(page)) == []  # Via Uma has only an end date: a marker, not a bar
    assert "rensa filtren" in text_of(page)


def test_without_filters_the_selects_show_all(as_user):
    as_user()
    page, _, _ = render_page("/projekt", "")
    for select_id in ("projects-focus-area-select", "projects-status-select", "projects-from-select"):
        assert find(page, select_id)["props"]["value"] == ALL
    assert "rensa filtren" not in text_of(page)


def test_filters_the_url_cannot_use_are_named(as_user):
    as_user()
    page, _, _ = render_page("/projekt", "?status=klar&insatsomrade=Rymdfart&fran=abc")
    text = text_of(page)
    assert "Okänd status ”klar”" in text
    assert "Okänt insatsområde ”Rymdfart”" in text
    assert "inget årtal" in text
    assert "Inga projekt med tidsram matchar filtren." in text


def test_paging_links_keep_the_filters_and_the_municipality(app, as_user):
    as_user()
    with session_scope(app.server) as s:
        area_id = s.query(Project.focus_area_id).filter_by(name=BOTNIA).scalar()
        for i in range(45):
            s.add(
                Project(
                    name=f"Sidprojekt {i:02d}", focus_area_id=area_id, status="pågår", start_date=dt.date(2004, 1, 1)
                )
            )
    page, _, _ = render_page("/projekt", "?status=p%C3%A5g%C3%A5r&sida=2")
    text = text_of(page)
    assert "Visar 41–50 av 50 projekt med tidsram" in text
    assert "Sida 2 av 2" in text
    assert "/projekt?status=p%C3%A5g%C3%A5r&sida=1" in text
    assert "Nästa →" not in text


# --- the figure -------------------------------------------------------------------------------------------------------


ROWS = [
    {
        "id": 1,
        "name": "A",
        "focus_area": "Område 1",
        "status": "pågår",
        "start_date": "2020-01-01",
        "end_date": "2021-12-31",
        "time_frame_text": None,
        "phases": [
            {"name": "Etapp 1", "start_date": "2020-01-01", "end_date": "2020-06-30"},
            {"name": "Etapp 2", "start_date": "2020-07-01", "end_date": "2021-12-31"},
        ],
    },
    {
        "id": 2,
        "name": "B med ett mycket långt namn som inte får plats bredvid diagrammet",
        "focus_area": "Område 1",
        "status": "planerad",
        "start_date": "2022-01-01",
        "end_date": "2022-12-31",
        "time_frame_text": None,
        "phases": [],
    },
    {
        "id": 3,
        "name": "C",
        "focus_area": None,
        "status": "avslutad",
        "start_date": None,
        "end_date": "2020-05-31",
        "time_frame_text": "t o m maj 2020",
        "phases": [],
    },
]


def test_figure_groups_projects_under_focus_area_headings():
    fig = timeline_figure(ROWS, axis=("2020-01-01", "2023-01-01"), today="2021-06-01")
    y = fig["layout"]["yaxis"]
    assert y["categoryarray"] == ["g:Område 1", "p:1", "p:2", "g:None", "p:3"]
    assert y["ticktext"][0] == "<b>Område 1</b>" and y["ticktext"][3] == "<b>Utan insatsområde</b>"
    assert y["ticktext"][2].endswith("…") and len(y["ticktext"][2]) <= 42
    assert y["autorange"] == "reversed"
    go.Figure(fig)  # the whole figure is valid Plotly


def test_figure_bars_run_from_start_through_the_end_day_with_status_as_pattern_and_text():
    fig = timeline_figure(ROWS, axis=("2020-01-01", "2023-01-01"), today="2021-06-01")
    bars = {t["name"]: t for t in fig["data"] if t["type"] == "bar"}
    running, planned = bars["◐ pågår"], bars["○ planerad"]
    assert running["orientation"] == "h"
    assert running["base"] == ["2020-01-01"] and running["x"] == [731 * 86_400_000]
    assert running["marker"]["pattern"]["shape"] == PATTERNS[0] == STATUS_STYLE["pågår"]["pattern"]
    assert planned["marker"]["pattern"]["shape"] == "/"
    assert running["marker"]["pattern"]["shape"] != planned["marker"]["pattern"]["shape"]
    assert running["text"] == ["◐ pågår"] and planned["text"] == ["○ planerad"]
    assert running["customdata"] == [1]
    hover = running["hovertext"][0]
    assert "<b>A</b>" in hover and "1 januari 2020 – 31 december 2021" in hover and "◐ pågår" in hover


def test_figure_draws_phases_as_segments_inside_the_project():
    fig = timeline_figure(ROWS, axis=("2020-01-01", "2023-01-01"), today="2021-06-01")
    phases = next(t for t in fig["data"] if t.get("name") == "▬ etapp")
    assert phases["y"] == ["p:1", "p:1"]
    assert phases["base"] == ["2020-01-01", "2020-07-01"]
    assert phases["width"] < 0.7
    assert phases["customdata"] == [1, 1]
    assert "Etapp 2: 1 juli 2020 – 31 december 2021" in phases["hovertext"][1]


def test_figure_marks_a_project_with_only_an_end_date():
    fig = timeline_figure(ROWS, axis=("2020-01-01", "2023-01-01"), today="2021-06-01")
    marker = next(t for t in fig["data"] if t["type"] == "scatter" and t.get("customdata") == [3])
    assert marker["x"] == ["2020-05-31"] and marker["marker"]["symbol"] == ["triangle-left"]
    assert marker["text"] == ["● avslutad · start ej angiven"]


def test_figure_marks_today_with_a_line_labelled_idag():
    fig = timeline_figure(ROWS, axis=("2020-01-01", "2023-01-01"), today="2021-06-01")
    (line,) = fig["layout"]["shapes"]
    assert (line["x0"], line["x1"], line["yref"]) == ("2021-06-01", "2021-06-01", "paper")
    assert any(a["text"] == "<b>Idag</b>" and a["x"] == "2021-06-01" for a in fig["layout"]["annotations"])


def test_figure_says_where_today_is_when_it_is_off_the_axis():
    fig = timeline_figure(ROWS, axis=("2020-01-01", "2023-01-01"), today="2026-11-23")
    assert fig["layout"]["shapes"] == []
    (note,) = fig["layout"]["annotations"]
    assert note["text"] == "Idag (23 november 2026) →" and note["x"] == 1


def test_figure_axis_is_a_date_axis_over_the_given_range():
    fig = timeline_figure(ROWS, axis=("2020-01-01", "2023-01-01"), today="2021-06-01")
    x = fig["layout"]["xaxis"]
    assert x["type"] == "date"
    assert x["range"][0] < "2020-01-01" and x["range"][1] > "2023-01-01"
    assert fig["layout"]["separators"] == ", "


def test_seeded_figure_at_today_2026_notes_idag_off_the_axis(app, as_user):
    as_user()
    with session_scope(app.server) as s:
        page = build_projects(s, Filter(), {}, today=dt.date(2005, 6, 1))
    fig = figure_of(page)
    assert fig["layout"]["shapes"][0]["x0"] == "2005-06-01"
    with session_scope(app.server) as s:
        page = build_projects(s, Filter(), {}, today=dt.date(2026, 11, 23))
    assert "Idag (23 november 2026) →" in [a["text"] for a in figure_of(page)["layout"]["annotations"]]
    # A window that reaches this year puts today's line on the axis.
    with session_scope(app.server) as s:
        page = build_projects(s, Filter(), {"till": "2026"}, today=dt.date(2026, 11, 23))
    fig = figure_of(page)
    assert fig["layout"]["shapes"][0]["x0"] == "2026-11-23"
    assert fig["layout"]["xaxis"]["range"][1] > "2027-01-01"
    assert {"label": "2026", "value": "2026"} in find(page, "projects-to-select")["props"]["options"]


# --- filter → URL, click → project page -------------------------------------------------------------------------------


def test_choosing_a_filter_puts_it_in_the_url_keeping_the_municipality_and_leaving_the_page():
    assert apply_filters("Infrastruktur", ALL, ALL, ALL, "?kommun=Ume%C3%A5&sida=3") == (
        "?kommun=Ume%C3%A5&insatsomrade=Infrastruktur"
    )
    assert apply_filters(ALL, "pågår", "2004", "2005", "") == "?status=p%C3%A5g%C3%A5r&fran=2004&till=2005"


def test_choosing_all_removes_the_filter_from_the_url():
    assert apply_filters(ALL, ALL, ALL, ALL, "?kommun=Ume%C3%A5&status=planerad") == "?kommun=Ume%C3%A5"


def test_an_unchanged_filter_does_not_touch_the_url():
    assert apply_filters(ALL, "planerad", ALL, ALL, "?status=planerad") is no_update


@pytest.mark.parametrize(
    "click, expected",
    [
        ({"points": [{"customdata": 5, "y": "p:5"}]}, "/projekt/5"),
        ({"points": [{"customdata": [7]}]}, "/projekt/7"),
        ({"points": [{"y": "g:Infrastruktur"}]}, no_update),
        ({"points": []}, no_update),
        (None, no_update),
    ],
)
def test_clicking_a_bar_opens_its_project(click, expected):
    assert open_clicked_project(click) == expected


# --- the table's rows -------------------------------------------------------------------------------------------------


def test_grid_rows_come_from_the_server_a_block_at_a_time(as_user):
    as_user()
    response = load_grid_rows({"startRow": 0, "endRow": 25, "sortModel": [], "filterModel": {}}, VANNAS)
    assert response["rowCount"] == 3
    rows = response["rowData"]
    assert [r["name"].split("](")[0].strip("[").replace("\\", "") for r in rows] == ["Stad och Land", BOTNIA, TURK]
    botnia = rows[1]
    assert botnia["budget"] == f"4{NBSP}650{NBSP}000{NBSP}kr/år"
    assert botnia["status"] == "○ planerad"
    assert botnia["name"].endswith("?kommun=V%C3%A4nn%C3%A4s)")
    assert "Vännäs" in botnia["municipalities"]


def test_grid_rows_follow_the_urls_filters_and_sorting(as_user):
    as_user()
    response = load_grid_rows({"startRow": 0, "endRow": 2, "sortModel": [{"colId": "name", "sort": "desc"}]}, "")
    assert response["rowCount"] == 8
    assert [r["name"].split("]")[0] for r in response["rowData"]] == ["[Via Uma", "[UME&Co"]
    response = load_grid_rows({"startRow": 0, "endRow": 25}, "?status=planerad")
    assert response["rowCount"] == 2


def test_grid_rows_escape_markdown_in_names(as_user):
    as_user()
    response = load_grid_rows({"startRow": 0, "endRow": 25}, "?insatsomrade=N%C3%A4rings-%20och%20utveckling")
    turk = next(r for r in response["rowData"] if "TURK" in r["name"])
    assert turk["name"].startswith("[Tillväxt i Umeåregionens kranskommuner \\(TURK\\)](/projekt/")


def test_grid_rows_for_an_unknown_municipality_show_all(as_user):
    as_user()
    assert load_grid_rows({"startRow": 0, "endRow": 25}, "?kommun=Stockholm")["rowCount"] == 8


def test_no_request_no_rows():
    assert load_grid_rows(None, "") is no_update


# --- one project ------------------------------------------------------------------------------------------------------


def test_project_page_shows_everything_the_source_says_about_botniabanan(app, as_user):
    as_user()
    pid = project_id(app, BOTNIA)
    text = text_of(render_page(f"/projekt/{pid}", "")[0])
    for expected in [
        BOTNIA,
        "Lyfter fram hur regionen kan växa",
        "Projektägare",
        "ej angiven",
        "Anna Olofsson, projektledare",
        "Bjurholm, Nordmaling, Robertsfors, Umeå, Vindeln, Vännäs",
        "1 januari 2005 – 31 december 2006",
        f"4{NBSP}650{NBSP}000{NBSP}kr/år",
        "Finansiärer och belopp",
        "EG:s strukturfond",
        "region/landsting",
        "Ej specificerat",
        f"750{NBSP}000{NBSP}kr/år",
        f"3{NBSP}900{NBSP}000{NBSP}kr/år",
        "Osäkert i underlaget",
        "Projektägare anges inte.",
        "Ändringshistorik",
        "Skapad från demodata",
        "Finansiär ”EG:s strukturfond” tillagd (EU, 750\u00a0000\u00a0kr/år)",
        "Inga etapper angivna.",
    ]:
        assert expected in text, expected


def test_project_page_shows_phases_and_budget_parts(app, as_user):
    as_user()
    text = text_of(render_page(f"/projekt/{project_id(app, 'Bibliotek 2007')}", "")[0])
    assert "Etapp 1" in text and "2001-05-01" in text and "2002-12-31" in text
    assert "Etapp ”Etapp 2” tillagd (2003-01-01 – 2005-12-31)" in text
    text = text_of(render_page(f"/projekt/{project_id(app, 'UME&Co')}", "")[0])
    assert "Budgetens delar" in text
    assert "Källan anger inga finansiärer." in text


def test_project_page_shows_an_update_field_by_field(app, as_user):
    as_user()
    with session_scope(app.server) as s:
        p = s.query(Project).filter_by(name=BOTNIA).one()
        before = snapshot(p)
        p.status = "pågår"
        record_change(
            s,
            username="redaktor",
            source="redigering",
            entity="project",
            entity_id=p.id,
            action="update",
            before=before,
            after=snapshot(p),
            at=dt.datetime(2031, 1, 2, 9, 30, tzinfo=dt.UTC),
        )
        pid = p.id
    page = render_page(f"/projekt/{pid}", "")[0]
    text = text_of(page)
    assert "2 januari 2031 kl. 10:30" in text  # Swedish time (UTC+1 in winter)
    assert "redaktor" in text and "redigering" in text
    assert "Ändrad:" in text
    assert "Status: \nplanerad\nDel\ndash_html_components\n → \npågår\nIns" in text


def test_history_times_are_shown_in_swedish_time():
    assert format_when("2031-07-01T12:00:00+00:00") == "1 juli 2031 kl. 14:00"


def test_project_page_back_link_returns_to_the_timeline_as_it_was(app, as_user):
    as_user()
    pid = project_id(app, BOTNIA)
    page = render_page(f"/projekt/{pid}", "?kommun=V%C3%A4nn%C3%A4s&status=planerad")[0]
    assert "/projekt?kommun=V%C3%A4nn%C3%A4s&status=planerad" in text_of(page)


def test_an_unknown_project_says_so_in_swedish(app, as_user):
    as_user()
    page, _, _ = render_page("/projekt/99999", "")
    text = text_of(page)
    assert "Projektet finns inte" in text
    assert "Det finns inget projekt med nummer 99999." in text
