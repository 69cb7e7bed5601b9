"""The read-only JSON API (and CSV with ?format=csv) for Excel, Power BI and tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Blueprint, Flask, Response, jsonify, request

from dashboard.csvout import to_csv
from dashboard.database import session_scope
from data.changes import changes_since, default_since
from data.filters import Filter, UnknownMunicipality, parse_filter
from data.meetings import list_meetings
from data.plan import list_plans
from data.projects import list_projects
from data.tasks import list_tasks

bp = Blueprint("api", __name__, url_prefix="/api")


def _flat_projects(rows: list[dict]) -> list[dict]:
    return [
        {
            **p,
            "phases": [f"{ph['name']} ({ph['start_date']}–{ph['end_date']})" for ph in p["phases"]],
            "funding": [
                f"{f['funder']} ({f['kind']}): {f['amount'] if f['amount'] is not None else 'belopp ej angivet'}"
                + (f" kr/{f['period']}" if f["period"] == "år" else (" kr" if f["amount"] is not None else ""))
                for f in p["funding"]
            ],
            "budget_parts": [f"{b['label']}: {b['amount']}" for b in p["budget_parts"]],
        }
        for p in rows
    ]


def _funding_rows(session, flt: Filter) -> list[dict]:
    return [
        {
            "project_id": p["id"],
            "project": p["name"],
            "funder": f["funder"],
            "kind": f["kind"],
            "amount": f["amount"],
            "period": f["period"],
            "project_budget_amount": p["budget_amount"],
            "project_budget_period": p["budget_period"],
        }
        for p in list_projects(session, flt)
        for f in p["funding"]
    ]


def _flat_meetings(rows: list[dict]) -> list[dict]:
    return [
        {
            **m,
            "participants": [p["name"] for p in m["participants"]],
            "agenda_items": [f"{a['number']}. {a['title']}" for a in m["agenda_items"]],
        }
        for m in rows
    ]


def _flat_plan(rows: list[dict]) -> list[dict]:
    return [
        {
            "plan_year": plan["year"],
            "adopted_on": plan["adopted_on"],
            "adopted_by": plan["adopted_by"],
            "focus_area": fa["name"],
            "activity": a["title"],
            "responsible": a["responsible"],
            "status": a["status"],
            "due_text": a["due_text"],
            "due_date": a["due_date"],
        }
        for plan in rows
        for fa in plan["focus_areas"]
        for a in fa["activities"]
    ]


PROJECT_COLUMNS = [
    "id",
    "name",
    "focus_area",
    "plan_year",
    "status",
    "start_date",
    "end_date",
    "budget_amount",
    "budget_period",
    "funding_sum",
    "funding_sum_period",
    "unspecified_amount",
    "municipalities",
    "owner_organisation",
    "contact_name",
    "contact_role",
    "phases",
    "funding",
    "budget_parts",
    "description",
]
TASK_COLUMNS = [
    "id",
    "text",
    "owners",
    "municipality",
    "due_date",
    "due_text",
    "status",
    "overdue",
    "meeting_date",
    "meeting_kind",
    "agenda_item_number",
    "agenda_item_title",
]
MEETING_COLUMNS = [
    "id",
    "kind",
    "date",
    "start_time",
    "end_time",
    "title",
    "place",
    "secretary",
    "next_meeting_date",
    "participants",
    "agenda_items",
]
PLAN_COLUMNS = [
    "plan_year",
    "adopted_on",
    "adopted_by",
    "focus_area",
    "activity",
    "responsible",
    "status",
    "due_text",
    "due_date",
]
FUNDING_COLUMNS = [
    "project_id",
    "project",
    "funder",
    "kind",
    "amount",
    "period",
    "project_budget_amount",
    "project_budget_period",
]


def _endpoint(name: str, read: Callable, columns: list[str], flatten: Callable | None = None):
    def view():
        with session_scope() as s:
            try:
                flt = parse_filter(s, request.args.get("kommun"))
            except UnknownMunicipality as exc:
                return jsonify(error=str(exc), suggestion=exc.suggestion), 400
            rows = read(s, flt)
        fmt = request.args.get("format", "json")
        if fmt == "csv":
            body = to_csv(flatten(rows) if flatten else rows, columns)
            return Response(
                body,
                mimetype="text/csv; charset=utf-8",
                headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
            )
        if fmt != "json":
            return jsonify(error=f"Okänt format ”{fmt}”. Välj json eller csv."), 400
        return jsonify(rows)

    view.__name__ = name
    bp.add_url_rule(f"/{name}", view_func=view)


_endpoint("projects", list_projects, PROJECT_COLUMNS, _flat_projects)
_endpoint("tasks", list_tasks, TASK_COLUMNS)
_endpoint("meetings", list_meetings, MEETING_COLUMNS, _flat_meetings)
_endpoint("plan", lambda s, flt: list_plans(s, flt), PLAN_COLUMNS, _flat_plan)
_endpoint("funding", _funding_rows, FUNDING_COLUMNS)


@bp.get("/changes")
def changes():
    """What changed since a date (default: the latest kommunchefsmöte), as JSON."""
    raw = request.args.get("since", "").strip()
    since = None
    if raw:
        try:
            since = dt.date.fromisoformat(raw)
        except ValueError:
            return jsonify(error=f"Ogiltigt datum ”{raw}”. Skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2019-05-16."), 400
        if len(raw) != 10:
            return jsonify(error=f"Ogiltigt datum ”{raw}”. Skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2019-05-16."), 400
    with session_scope() as s:
        try:
            flt = parse_filter(s, request.args.get("kommun"))
        except UnknownMunicipality as exc:
            return jsonify(error=str(exc), suggestion=exc.suggestion), 400
        label = f"sedan {since.isoformat()}" if since else None
        if since is None:
            since, label = default_since(s)
        result = changes_since(s, since, flt)
    return jsonify({**result, "label": label})


def init_api(server: Flask) -> None:
    server.register_blueprint(bp)
