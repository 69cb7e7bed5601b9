"""GET /api/changes: "sedan förra mötet" as JSON."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from dashboard.database import session_scope
from data.filters import Filter
from data.imports import import_file
from data.imports.engine import Actor
from data.models import OPEN_TASK_STATUSES, ChangeRecord, ImportBatch, Task
from data.tasks import task_concerns, update_task

BOTNIA = "Botniabanan som tillväxtfaktor"
CSV = f"Projekt;Status;Budget (kr)\n{BOTNIA};pågår;5 000 000\nUME&Co;pausad;13 000 000\n"
LONG_AGO = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)


@pytest.fixture
def api(app, login, client):
    # The demo data was loaded long ago: only what the test does happens today.
    with session_scope(app.server) as s:
        s.execute(update(ChangeRecord).values(at=LONG_AGO))
        s.execute(update(ImportBatch).values(at=LONG_AGO))
    login("lasare")
    return client


@pytest.fixture
def changed(app) -> dict[str, int]:
    """An upload that changes two projects, and a Vännäs task and another task marked done."""
    with session_scope(app.server) as s:
        preview, result = import_file(s, "projekt", CSV.encode("utf-8"), "projekt.csv", actor=Actor("admin", "admin"))
        assert result is not None, preview.problems
        concerns = task_concerns(Filter("Vännäs"))
        ids = {}
        for key, cond in (("vannas", concerns), ("other", ~concerns)):
            task = s.scalars(select(Task).where(Task.status.in_(OPEN_TASK_STATUSES), cond).order_by(Task.id)).first()
            update_task(s, task.id, status="klar", note=None, username="redaktor", role="admin", user_municipality=None)
            ids[key] = task.id
    return ids


def _today() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()


def test_the_upload_and_the_tasks_done_are_exactly_what_changed(api, changed):
    response = api.get(f"/api/changes?since={_today()}")
    assert response.status_code == 200
    out = response.get_json()
    projects = {p["name"]: {c["field"]: (c["old"], c["new"]) for c in p["changes"]} for p in out["projects"]}
    assert projects == {
        BOTNIA: {"budget_amount": (4_650_000, 5_000_000), "status": ("planerad", "pågår")},
        "UME&Co": {"budget_amount": (12_600_000, 13_000_000), "status": ("pågår", "pausad")},
    }
    assert sorted(t["id"] for t in out["tasks"]["completed"]) == sorted(changed.values())
    assert all(t["status"] == "klar" and t["username"] == "redaktor" for t in out["tasks"]["completed"])
    assert out["tasks"]["added"] == out["tasks"]["redated"] == []
    assert [(i["filename"], i["username"], i["kind"]) for i in out["imports"]] == [("projekt.csv", "admin", "projekt")]
    assert out["activities"] == []
    assert out["label"] == f"sedan {_today()}"


def test_kommun_narrows_to_vannas(api, changed):
    out = api.get(f"/api/changes?since={_today()}&kommun=vannas").get_json()
    assert out["kommun"] == "Vännäs"
    assert [p["name"] for p in out["projects"]] == [BOTNIA]
    assert [t["id"] for t in out["tasks"]["completed"]] == [changed["vannas"]]
    assert len(out["imports"]) == 1


def test_since_defaults_to_the_latest_kommunchefsmote(api):
    out = api.get("/api/changes").get_json()
    assert out["since"].startswith("2019-08-22") and out["label"] == "sedan kommunchefsmötet 2019-08-22"
    assert out["imports"] == [] and out["projects"] == []


@pytest.mark.parametrize("since", ["16/5 2019", "2019-13-01", "igår", "20190516"])
def test_a_bad_since_is_a_400_in_swedish(api, since):
    response = api.get("/api/changes", query_string={"since": since})
    assert response.status_code == 400
    assert "Ogiltigt datum" in response.get_json()["error"] and "ÅÅÅÅ-MM-DD" in response.get_json()["error"]


def test_an_unknown_kommun_is_a_400(api):
    response = api.get(f"/api/changes?since={_today()}&kommun=Stockholm")
    assert response.status_code == 400 and response.get_json()["error"]


def test_login_is_required(client):
    response = client.get("/api/changes")
    assert response.status_code in (302, 401)
