"""The read-only JSON and CSV API."""

from __future__ import annotations

import csv
import io
import json

import pytest

from data.models import Project
from data.seeding import SEED_DIR


@pytest.fixture
def api(login, client):
    login("lasare")
    return client


def test_botniabanan_has_its_yearly_budget_and_five_funders_with_the_gap(api):
    projects = api.get("/api/projects").get_json()
    botnia = next(p for p in projects if p["name"] == "Botniabanan som tillväxtfaktor")
    assert (botnia["budget_amount"], botnia["budget_period"]) == (4_650_000, "år")
    assert len(botnia["funding"]) == 5
    assert all(f["period"] == "år" for f in botnia["funding"])
    assert sum(f["amount"] for f in botnia["funding"]) == 3_900_000
    assert (botnia["funding_sum"], botnia["funding_sum_period"]) == (3_900_000, "år")
    assert botnia["unspecified_amount"] == 750_000
    assert botnia["start_date"] == "2005-01-01" and botnia["end_date"] == "2006-12-31"
    assert botnia["focus_area"] == "Närings- och utveckling"
    assert {f["kind"] for f in botnia["funding"]} == {"kommunerna", "universitet", "region/landsting", "privat", "EU"}


def test_a_project_carries_every_documented_field(api):
    project = api.get("/api/projects").get_json()[0]
    for field in (
        "id",
        "name",
        "focus_area",
        "start_date",
        "end_date",
        "status",
        "budget_amount",
        "budget_period",
        "municipalities",
        "phases",
        "funding",
        "unspecified_amount",
    ):
        assert field in project


def test_tasks_show_every_assignment_of_the_meeting(api):
    seed = json.loads((SEED_DIR / "meetings.json").read_text(encoding="utf-8"))
    meeting = next(m for m in seed if m["date"] == "2019-05-16")
    expected = sorted((item["number"], t["text"]) for item in meeting["agenda_items"] for t in item["tasks"])
    tasks = [t for t in api.get("/api/tasks").get_json() if t["meeting_date"] == "2019-05-16"]
    assert sorted((t["agenda_item_number"], t["text"]) for t in tasks) == expected
    assert len(expected) >= 12
    magnus = [t for t in tasks if "Magnus Haglund" in t["owners"]]
    assert len(magnus) >= 3
    autumn = [t for t in tasks if t["due_text"] and "hösten" in t["due_text"]]
    assert autumn and all(t["due_date"] == "2019-11-30" for t in autumn)
    for field in (
        "text",
        "owners",
        "municipality",
        "due_date",
        "due_text",
        "status",
        "meeting_date",
        "agenda_item_number",
    ):
        assert field in tasks[0]


def test_municipality_filter_narrows_projects(api):
    names = {p["name"] for p in api.get("/api/projects?kommun=Vännäs").get_json()}
    assert "Tillväxt i Umeåregionens kranskommuner (TURK)" in names
    assert "Bibliotek 2007" not in names
    assert names == {p["name"] for p in api.get("/api/projects?kommun=Vannas").get_json()}
    assert len(api.get("/api/projects").get_json()) > len(names)


def test_municipality_filter_narrows_tasks(api):
    tasks = api.get("/api/tasks?kommun=Örnsköldsvik").get_json()
    assert tasks and all(t["municipality"] == "Örnsköldsvik" for t in tasks)


def test_unknown_municipality_is_a_400_with_a_suggestion(api):
    response = api.get("/api/projects?kommun=Vänäs")
    assert response.status_code == 400
    body = response.get_json()
    assert "Okänd kommun" in body["error"] and body["suggestion"] == "Vännäs"


def test_unknown_format_is_refused(api):
    assert api.get("/api/projects?format=xml").status_code == 400


@pytest.mark.parametrize("endpoint", ["projects", "tasks", "meetings", "plan", "funding"])
def test_every_endpoint_gives_json_and_swedish_excel_csv(api, endpoint):
    rows = api.get(f"/api/{endpoint}").get_json()
    assert isinstance(rows, list) and rows
    response = api.get(f"/api/{endpoint}?format=csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(parsed) >= 2 and len(parsed[0]) > 3


def test_plan_lists_the_seven_focus_areas(api):
    plans = api.get("/api/plan").get_json()
    assert plans[0]["year"] == 2005 and plans[0]["adopted_on"] == "2004-12-03"
    assert len(plans[0]["focus_areas"]) == 7


def test_funding_csv_has_amounts_as_plain_numbers(api):
    text = api.get("/api/funding?format=csv").get_data().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    botnia = [r for r in rows if r["project"] == "Botniabanan som tillväxtfaktor"]
    assert sum(int(r["amount"]) for r in botnia) == 3_900_000


def test_csv_never_starts_a_cell_with_a_formula(app, api):
    from dashboard.database import session_scope

    with session_scope(app.server) as s:
        s.add(Project(name='=HYPERLINK("http://x","klick")', status="planerad", description="@SUM(1)"))
    text = api.get("/api/projects?format=csv").get_data().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    evil = next(r for r in rows if "HYPERLINK" in r["name"])
    assert evil["name"].startswith("'=")
    assert evil["description"].startswith("'@")


def test_api_json_is_utf8_not_escaped(api):
    assert "Umeå".encode() in api.get("/api/projects").get_data()
