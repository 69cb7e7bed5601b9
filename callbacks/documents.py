"""Ladda upp → Dokument: read an uploaded document, show what was found for a person to check and correct, and save
their corrected version.

The role is checked on the server at the preview and again at the save (and once more in data.documents.save):
a läsare's forged request is refused and nothing is written. The corrected `found` dict is rebuilt here from the
grids' rows; data.documents.save checks every value again as untrusted input.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from dash import Input, Output, State, no_update
from dash.exceptions import PreventUpdate

from dashboard.database import session_scope
from data.documents.save import DocumentRefused, preview_document, save_document
from data.imports import discard_upload
from layouts import documents as dui
from layouts import upload as ui


class ReviewProblem(ValueError):
    """The tables do not fit together (a decision under an agenda item that is not there): said in Swedish."""


# --- preview -----------------------------------------------------------------------------------------------------


def preview(content: bytes, filename: str, actor) -> tuple:
    """(message, review, token for the generic upload, confirm disabled, actions class) for preview_file in
    callbacks/upload.py when "Dokument" is chosen. The actor's rights are checked there and in preview_document."""
    from callbacks.upload import max_upload_bytes  # here: callbacks.upload imports this module

    try:
        with session_scope() as s:
            result = preview_document(s, content, filename, actor=actor, max_bytes=max_upload_bytes())
    except DocumentRefused as exc:
        return ui.message(str(exc), ok=False), None, None, True, ui.HIDDEN
    if not result.get("found"):
        problems = " ".join(result.get("problems") or []) or "Inget kunde läsas ur dokumentet."
        said = ui.message(f"Dokumentet ”{filename}” kunde inte läsas in: {problems}", ok=False)
        return said, None, None, True, ui.HIDDEN
    if result.get("duplicate"):
        said = ui.message(f"{result.get('summary') or ''} {result['duplicate']}".strip(), ok=False)
    else:
        said = ui.info(f"Granska det som hittades: {result.get('summary') or ''}".strip())
    return said, dui.review_panel(result, filename), None, True, ui.HIDDEN


# --- rebuilding the corrected `found` from the review ----------------------------------------------------------------


def _clean(value: Any) -> Any:
    """Text trimmed, empty text as None."""
    if isinstance(value, str):
        value = " ".join(value.split()) if "\n" not in value else value.strip()
        return value or None
    return value


def _whole(value: Any) -> Any:
    """'4 650 000' → 4650000, 12.0 → 12; anything else as it is (the save says what is wrong with it)."""
    value = _clean(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d[\d\s\u00a0]*", value):
        return int(re.sub(r"[\s\u00a0]", "", value))
    return value


def _names(value: Any) -> list[str]:
    if isinstance(value, list):
        items = value
    else:
        items = str(value or "").split(",")
    return [n for n in (" ".join(str(i).split()) for i in items) if n]


def _kept(rows: list[dict] | None) -> list[dict]:
    return [r for r in rows or [] if isinstance(r, dict) and not r.get(dui.REMOVE)]


def _original(items: list, index: Any) -> dict:
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(items):
        return copy.deepcopy(items[index]) if isinstance(items[index], dict) else {}
    return {}


def _row_text(row: dict, *fields: str) -> str:
    for f in fields:
        if _clean(row.get(f)):
            return f"”{_clean(row.get(f))}”"
    return "(utan text)"


def rebuild_minutes(original: dict, meeting_fields: dict, rows: dict[str, list[dict] | None]) -> dict:
    """The person's version of the minutes: fields from the inputs, items from the grids' rows (rows marked
    "Ta bort" left out), every field the review does not show kept from `original`."""
    found = copy.deepcopy(original or {})
    meeting = dict(found.get("meeting") or {})
    old_people = meeting.get("participants") or []
    for key in ("kind", "date", "start_time", "end_time", "place"):
        meeting[key] = _clean(meeting_fields.get(key))
    meeting["next_meeting"] = {
        **(meeting.get("next_meeting") or {}),
        "date": _clean(meeting_fields.get("next_date")),
        "place": _clean(meeting_fields.get("next_place")),
    }
    people = []
    for row in _kept(rows.get("participants")):
        person = _original(old_people, row.get("_i"))
        role = _clean(row.get("role"))
        if person.get("role") != role:
            person.pop("roles", None)
        person.update({"name": _clean(row.get("name")), "role": role})
        if person["name"] or role:
            people.append(person)
    meeting["participants"] = people
    found["meeting"] = meeting

    old_items = found.get("agenda_items") or []
    items: list[dict] = []
    by_number: dict[str, dict] = {}
    by_index: dict[int, dict] = {}
    for row in _kept(rows.get("agenda")):
        item = _original(old_items, row.get("_i"))
        item.update(
            {
                "number": _whole(row.get("number")),
                "title": _clean(row.get("title")),
                "presenter": _clean(row.get("presenter")),
                "decisions": [],
                "assignments": [],
            }
        )
        items.append(item)
        by_number.setdefault(str(item["number"]), item)
        if isinstance(row.get("_i"), int):
            by_index[row["_i"]] = item

    def item_for(row: dict, what: str) -> dict:
        number = _whole(row.get("number"))
        if str(number) in by_number:
            return by_number[str(number)]
        if row.get("_i") in by_index:
            # The item's number was changed in the agenda: the row that still says the old number follows it.
            was = _original(old_items, row["_i"]).get("number")
            if number is None or str(number) == str(was):
                return by_index[row["_i"]]
        raise ReviewProblem(
            f"{what} {_row_text(row, 'what', 'text')}: punkt {number if number is not None else '(tom)'} finns inte "
            "bland punkterna. Skriv en punkt som finns, lägg till punkten eller ta bort raden."
        )

    for row in _kept(rows.get("decisions")):
        item = item_for(row, "Beslutet")
        decision = _original(_original(old_items, row.get("_i")).get("decisions") or [], row.get("_j"))
        decision.update({"text": _clean(row.get("text"))})
        decision.setdefault("source", None)
        item["decisions"].append(decision)
    for row in _kept(rows.get("assignments")):
        item = item_for(row, "Uppdraget")
        old = _original(old_items, row.get("_i")).get("assignments") or []
        task = _original(old, row.get("_j"))
        task.update(
            {
                "owners": _names(row.get("owners")),
                "what": _clean(row.get("what")),
                "due_text": _clean(row.get("due_text")),
                "due_date": _clean(row.get("due_date")),
            }
        )
        if task.get("due_date") != _original(old, row.get("_j")).get("due_date"):
            task["due_rule"] = "angivet vid granskningen" if task["due_date"] else None
        task.setdefault("due_rule", None)
        task.setdefault("source", None)
        item["assignments"].append(task)
    found["kind"] = "minutes"
    found["agenda_items"] = items
    return found


def rebuild_plan(original: dict, plan_fields: dict, rows: dict[str, list[dict] | None]) -> dict:
    """The person's version of the plan (as rebuild_minutes)."""
    found = copy.deepcopy(original or {})
    plan = dict(found.get("plan") or {})
    old_areas = plan.get("focus_areas") or []
    plan["year"] = _whole(plan_fields.get("year"))
    plan["adopted_on"] = _clean(plan_fields.get("adopted_on"))
    plan["adopted_by"] = _clean(plan_fields.get("adopted_by"))

    areas: dict[str, dict] = {}

    def area_for(name: Any, f: Any) -> dict:
        name = _clean(name)
        if name is None:
            raise ReviewProblem("En rad saknar insatsområde. Skriv insatsområdet eller ta bort raden.")
        key = " ".join(str(name).split()).casefold()
        if key not in areas:
            area = {k: v for k, v in _original(old_areas, f).items() if k not in ("activities", "projects")}
            area.update({"name": name, "activities": [], "projects": []})
            areas[key] = area
        return areas[key]

    for row in _kept(rows.get("activities")):
        area = area_for(row.get("focus"), row.get("_f"))
        if _clean(row.get("title")) is None and _clean(row.get("text")) is None:
            continue  # the row of a focus area without activities
        f, j = row.get("_f"), row.get("_j")
        old = (_original(old_areas, f).get("activities") or []) if j is not None else []
        activity = _original(old, j)
        activity.update({"title": _clean(row.get("title")), "text": _clean(row.get("text"))})
        area["activities"].append(activity)

    projects_by_name: dict[str, dict] = {}
    projects_by_key: dict[str, dict] = {}
    for row in _kept(rows.get("projects")):
        old = {}
        key = row.get("_p")
        if isinstance(key, str) and "." in key:
            f, j = (int(x) for x in key.split("."))
            old = _original(_original(old_areas, f).get("projects") or [], j)
        area = area_for(row.get("focus"), int(key.split(".")[0]) if isinstance(key, str) and "." in key else None)
        contact = {**(old.get("contact") or {}), "name": _clean(row.get("contact_name"))}
        contact["role"] = _clean(row.get("contact_role"))
        project = old
        project.update(
            {
                "name": _clean(row.get("name")),
                "start": _clean(row.get("start")),
                "end": _clean(row.get("end")),
                "total_budget_sek": _whole(row.get("total_budget_sek")),
                "budget_period": _clean(row.get("budget_period")),
                "owner_org": _clean(row.get("owner_org")),
                "contact": contact if contact["name"] or contact["role"] else None,
                "municipalities": _names(row.get("municipalities")),
                "phases": [],
                "funders": [],
                "budget_parts": [],
            }
        )
        project.setdefault("funding_gap_sek", None)
        project.setdefault("source", None)
        area["projects"].append(project)
        if project["name"]:
            projects_by_name.setdefault(" ".join(project["name"].split()).casefold(), project)
        if isinstance(key, str):
            projects_by_key[key] = project

    def project_for(row: dict, what: str) -> dict:
        name = _clean(row.get("project"))
        if name and " ".join(name.split()).casefold() in projects_by_name:
            return projects_by_name[" ".join(name.split()).casefold()]
        if row.get("_p") in projects_by_key:
            old_name = _original_project_name(old_areas, row["_p"])
            if name is None or (old_name and name == old_name):
                return projects_by_key[row["_p"]]
        raise ReviewProblem(
            f"{what} {_row_text(row, 'name')}: projektet ”{name or '(tomt)'}” finns inte bland projekten. Skriv "
            "ett projekt som finns eller ta bort raden."
        )

    def old_child(row: dict, field: str) -> dict:
        key = row.get("_p")
        if not isinstance(key, str) or "." not in key:
            return {}
        f, j = (int(x) for x in key.split("."))
        return _original(_original(_original(old_areas, f).get("projects") or [], j).get(field) or [], row.get("_k"))

    for row in _kept(rows.get("phases")):
        phase = old_child(row, "phases")
        phase.update(
            {"name": _clean(row.get("name")), "start": _clean(row.get("start")), "end": _clean(row.get("end"))}
        )
        project_for(row, "Etappen")["phases"].append(phase)
    for row in _kept(rows.get("funders")):
        funder = old_child(row, "funders")
        funder.update(
            {
                "name": _clean(row.get("name")),
                "kind": _clean(row.get("kind")),
                "amount_sek": _whole(row.get("amount_sek")),
                "period": _clean(row.get("period")),
            }
        )
        project_for(row, "Finansiären")["funders"].append(funder)
    for row in _kept(rows.get("parts")):
        part = old_child(row, "budget_parts")
        part.update({"name": _clean(row.get("name")), "amount_sek": _whole(row.get("amount_sek"))})
        project_for(row, "Budgetdelen")["budget_parts"].append(part)

    plan["focus_areas"] = list(areas.values())
    found["kind"] = "plan"
    found["plan"] = plan
    return found


def _original_project_name(old_areas: list, key: str) -> str | None:
    f, j = (int(x) for x in key.split("."))
    return _original(_original(old_areas, f).get("projects") or [], j).get("name")


# --- save --------------------------------------------------------------------------------------------------------


def _refused(text: str) -> tuple:
    return (ui.message(text, ok=False),) + (no_update,) * 6


def _save(found_builder, token: str | None) -> tuple:
    """(message, preview, file store, latest, undo class, undo question, history) after trying to save."""
    from callbacks.upload import NO_RIGHTS, _actor, _may_upload, _panels  # here: callbacks.upload imports this module

    actor = _actor()
    if not _may_upload(actor):
        return _refused(NO_RIGHTS)
    if not token:
        return _refused("Det finns inget att spara. Ladda upp dokumentet igen.")
    try:
        found = found_builder()
    except ReviewProblem as exc:
        return _refused(str(exc))
    try:
        with session_scope() as s:
            result = save_document(s, token, found, actor=actor)
    except DocumentRefused as exc:
        return _refused(str(exc))
    with session_scope() as s:
        panels = _panels(s, actor)
    done = ui.saved_message(result.message, [t for t in result.touched if t.get("entity") == "project"])
    return (done, None, None, *panels)


def save_minutes(
    n_clicks,
    token,
    original,
    kind,
    date,
    start,
    end,
    place,
    next_date,
    next_place,
    participants,
    agenda,
    decisions,
    assignments,
) -> tuple:
    if not n_clicks:
        raise PreventUpdate
    fields = {
        "kind": kind,
        "date": date,
        "start_time": start,
        "end_time": end,
        "place": place,
        "next_date": next_date,
        "next_place": next_place,
    }
    rows = {"participants": participants, "agenda": agenda, "decisions": decisions, "assignments": assignments}
    return _save(lambda: rebuild_minutes(original or {}, fields, rows), token)


def save_plan(n_clicks, token, original, year, adopted_on, adopted_by, activities, projects, phases, funders, parts):
    if not n_clicks:
        raise PreventUpdate
    fields = {"year": year, "adopted_on": adopted_on, "adopted_by": adopted_by}
    rows = {"activities": activities, "projects": projects, "phases": phases, "funders": funders, "parts": parts}
    return _save(lambda: rebuild_plan(original or {}, fields, rows), token)


def cancel_review(n_clicks, token) -> tuple:
    """Forget the staged document (only the uploader's own) and clear the review; nothing is saved."""
    from callbacks.upload import _actor, _may_upload  # here: callbacks.upload imports this module

    if not n_clicks:
        raise PreventUpdate
    actor = _actor()
    if _may_upload(actor) and token:
        with session_scope() as s:
            discard_upload(s, token, actor=actor)
    return ui.info("Granskningen är borttagen. Inget har sparats."), None, None


# A new, empty row at the end of a grid (AG Grid adds it; the grid's rowData follows).
ADD_ROW = """
function(n) {
    if (!n) { return window.dash_clientside.no_update; }
    return {add: [{_id: 'ny-' + Date.now() + '-' + n, remove: false}]};
}
"""


def register(app) -> None:
    for name in dui.MINUTES_GRIDS + dui.PLAN_GRIDS:
        app.clientside_callback(
            ADD_ROW,
            Output(dui.grid_id(name), "rowTransaction"),
            Input(dui.add_id(name), "n_clicks"),
            prevent_initial_call=True,
        )
    app.callback(
        Output(ui.MESSAGE, "children", allow_duplicate=True),
        Output(ui.PREVIEW, "children", allow_duplicate=True),
        Output(ui.FILE, "data", allow_duplicate=True),
        Input(dui.CANCEL, "n_clicks"),
        State(dui.TOKEN, "data"),
        prevent_initial_call=True,
    )(cancel_review)
    outputs = [
        Output(ui.MESSAGE, "children", allow_duplicate=True),
        Output(ui.PREVIEW, "children", allow_duplicate=True),
        Output(ui.FILE, "data", allow_duplicate=True),
        Output(ui.LATEST, "children", allow_duplicate=True),
        Output(ui.UNDO, "className", allow_duplicate=True),
        Output(ui.UNDO_MODAL_TEXT, "children", allow_duplicate=True),
        Output(ui.HISTORY, "children", allow_duplicate=True),
    ]
    app.callback(
        *outputs,
        Input(dui.SAVE_MINUTES, "n_clicks"),
        State(dui.TOKEN, "data"),
        State(dui.FOUND, "data"),
        State(dui.MEETING_KIND, "value"),
        State(dui.MEETING_DATE, "value"),
        State(dui.MEETING_START, "value"),
        State(dui.MEETING_END, "value"),
        State(dui.MEETING_PLACE, "value"),
        State(dui.NEXT_DATE, "value"),
        State(dui.NEXT_PLACE, "value"),
        *[State(dui.grid_id(name), "rowData") for name in dui.MINUTES_GRIDS],
        prevent_initial_call=True,
        running=[(Output(dui.SAVE_MINUTES, "disabled"), True, False)],
    )(save_minutes)
    app.callback(
        *outputs,
        Input(dui.SAVE_PLAN, "n_clicks"),
        State(dui.TOKEN, "data"),
        State(dui.FOUND, "data"),
        State(dui.PLAN_YEAR, "value"),
        State(dui.PLAN_ADOPTED_ON, "value"),
        State(dui.PLAN_ADOPTED_BY, "value"),
        *[State(dui.grid_id(name), "rowData") for name in dui.PLAN_GRIDS],
        prevent_initial_call=True,
        running=[(Output(dui.SAVE_PLAN, "disabled"), True, False)],
    )(save_plan)
