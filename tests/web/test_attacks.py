"""Security that holds against a hostile request (issue 7): the app as an attacker meets it.

1. Every Dash callback that writes, posted straight to /_dash-update-component by a läsare, by an editor tied to
   Vännäs (about rows that do not concern Vännäs) and by nobody at all, is refused, and the whole database is as
   before. Which callbacks write is not taken on trust: every registered callback must be classified, and a static
   walk from each callback's function through the project's code finds every one that can reach a database write
   (session.add/delete/merge, SQL insert/update/delete); such a callback must be on the writing list, with attacks.
2. (tests/browser/test_xss.py: HTML and script in text a user can set.)
3. SQL metacharacters in every URL filter, search box, grid filter and sort model and upload cell match literally:
   no error, no extra rows, nothing written.
4. The session cookie is Secure whenever the request came over HTTPS, and when SESSION_COOKIE_SECURE says so.
"""

from __future__ import annotations

import csv
import dis
import hashlib
import io
import os
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
import requests
import sqlalchemy
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from dashboard.database import session_scope
from data.imports import Actor
from data.imports.engine import keep_pending
from data.models import FocusArea, Project, Task
from layouts import documents as dui
from layouts import ids
from layouts import upload as ui
from tests.callbacks.test_documents import MINUTES, PLAN, document
from tests.callbacks.test_upload import UMECO, dump_database, edit_projects_workbook, file_data, template
from tests.conftest import CSRF_RE, PASSWORDS
from tests.web import test_task_security as tasks_security
from tests.web.attack_helpers import (
    ATTACKERS,
    SQL_METACHARACTERS,
    attacker_client,
    fingerprint,
    forge,
    is_refusal,
    outputs_text,
)
from tests.web.servers import gunicorn
from tests.web.test_documents_security import save_payload as document_save_payload
from tests.web.test_upload_security import confirm_payload, outputs, payload, preview_payload, undo_payload

# --- 1. which callbacks write ---------------------------------------------------------------------------------------

# Callbacks that write (or delete) rows, by "first input → first output". Each has attacks in ATTACKS below.
WRITING = {
    "upload-file-data.data → upload-message.children",  # preview: stages the file (pending_upload)
    "upload-confirm.n_clicks → upload-message.children",  # saves a staged file
    "upload-cancel.n_clicks → upload-message.children",  # forgets a staged file
    "upload-undo-confirm.n_clicks → upload-undo-modal.is_open",  # undoes the latest import
    "document-cancel.n_clicks → upload-message.children",  # forgets a staged document
    "document-save-minutes.n_clicks → upload-message.children",
    "document-save-plan.n_clicks → upload-message.children",
    "tasks-edit-save.n_clicks → tasks-edit-message.children",  # status and follow-up note
}
# Server callbacks known to only read (or only move the URL): a new callback must be put in one of the two sets.
READ_ONLY = {
    "shell-url.search → shell-url.search",
    "shell-url.search → shell-nav-oversikt.href",
    "shell-url.search → shell-export-pptx.href",
    "shell-url.pathname → shell-page.children",
    "plan-year-select.value → shell-url.search",
    "projects-focus-area-select.value → shell-url.search",
    "projects-timeline-graph.clickData → shell-url.pathname",
    "projects-grid.getRowsRequest → projects-grid.getRowsResponse",
    "funding-projects-grid.getRowsRequest → funding-projects-grid.getRowsResponse",
    "funding-from-select.value → shell-url.search",
    "tasks-grid.getRowsRequest → tasks-grid.getRowsResponse",
    "tasks-search.value → shell-url.search",
    "tasks-grid.cellClicked → tasks-edit-modal.is_open",
    "tasks-edit-close.n_clicks → tasks-edit-modal.is_open",
    "followup-meeting.value → shell-url.search",
    "changes-meeting.value → shell-url.search",
    "upload-kind.value → shell-url.search",
    "upload-undo.n_clicks → upload-undo-modal.is_open",
    "upload-undo-cancel.n_clicks → upload-undo-modal.is_open",
    "presentation-prev.n_clicks → shell-url.search",
    "presentation-interval.n_intervals → shell-url.search",
    "presentation-play.n_clicks → shell-url.search",
    "presentation-kommun-select.value → shell-url.search",
}


def callback_label(key: str, callback: dict) -> str:
    first_input = callback["inputs"][0]
    first_output = key.strip(".").split("...")[0].split("@")[0]
    return f"{first_input['id']}.{first_input['property']} → {first_output}"


def server_callbacks(app) -> dict[str, Callable]:
    """label → the Python function of every callback that runs on the server (clientside ones run in the browser
    and have no function here: they cannot reach the database)."""
    found = {}
    for key, callback in app.callback_map.items():
        if callback.get("callback") is not None:
            label = callback_label(key, callback)
            assert label not in found, f"två callbacks heter {label}"
            found[label] = callback["callback"]
    return found


# The static walk: from a function, through every project function, class and Page it names (globals, module
# attributes, imports inside functions), to the ones that write to the database.
PROJECT_PACKAGES = {"callbacks", "data", "layouts", "dashboard"}
SQL_WRITES = {id(sqlalchemy.insert), id(sqlalchemy.update), id(sqlalchemy.delete)}
SESSION_WRITES = {"add", "add_all", "delete", "merge", "bulk_save_objects", "bulk_insert_mappings"}
SESSION_NAMES = {"session", "s"}


def _unwrap(obj):
    while hasattr(obj, "__wrapped__"):
        obj = obj.__wrapped__
    return obj


def _ours(obj) -> bool:
    return (getattr(obj, "__module__", None) or "").split(".")[0] in PROJECT_PACKAGES


def _functions_of(value) -> list[types.FunctionType]:
    """The project functions a referenced object leads to: itself, a class's methods, a list of Pages' builders."""
    value = _unwrap(value)
    if isinstance(value, types.FunctionType):
        return [value] if _ours(value) else []
    if isinstance(value, type) and _ours(value):
        members = [_unwrap(v.fget if isinstance(v, property) else v) for v in vars(value).values()]
        return [m for m in members if isinstance(m, types.FunctionType)]
    if isinstance(value, list | tuple):
        return [p.build for p in value if isinstance(getattr(p, "build", None), types.FunctionType)]
    return []


def _code_objects(code: types.CodeType):
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_objects(const)


def _scan(func: types.FunctionType) -> tuple[list[str], list[types.FunctionType]]:
    """(the database writes `func` makes itself, the project functions it refers to)."""
    writes, refers = [], []
    names = func.__globals__
    for code in _code_objects(func.__code__):
        instructions = list(dis.get_instructions(code))
        for i, ins in enumerate(instructions):
            following = instructions[i + 1] if i + 1 < len(instructions) else None
            if ins.opname == "LOAD_GLOBAL" and ins.argval in names:
                value = names[ins.argval]
                if id(value) in SQL_WRITES:
                    writes.append(f"{ins.argval}(…)")
                elif isinstance(value, types.ModuleType):
                    if following and following.opname in ("LOAD_ATTR", "LOAD_METHOD"):
                        refers += _functions_of(getattr(value, following.argval, None))
                else:
                    refers += _functions_of(value)
            elif ins.opname in ("LOAD_ATTR", "LOAD_METHOD") and ins.argval in SESSION_WRITES and i > 0:
                receiver = instructions[i - 1]
                if receiver.opname in ("LOAD_FAST", "LOAD_DEREF", "LOAD_ATTR") and receiver.argval in SESSION_NAMES:
                    writes.append(f"{receiver.argval}.{ins.argval}(…)")
            elif ins.opname == "IMPORT_NAME" and ins.argval in sys.modules:
                module = sys.modules[ins.argval]
                for later in instructions[i + 1 :]:
                    if later.opname != "IMPORT_FROM":
                        if later.opname.startswith(("STORE_", "POP_TOP")):
                            continue
                        break
                    refers += _functions_of(getattr(module, later.argval, None))
    return writes, refers


def writes_reached(start: Callable) -> dict[str, str]:
    """{function that writes: how it is reached from `start`}: every database write `start` can lead to."""

    def name(f):
        return f"{f.__module__}.{f.__qualname__}"

    first = _unwrap(start)
    seen: set = set()
    stack = [(first, name(first))]
    found = {}
    while stack:
        func, path = stack.pop()
        if func in seen:
            continue
        seen.add(func)
        writes, refers = _scan(func)
        if writes:
            found[name(func)] = f"{path} ({', '.join(writes)})"
        stack += [(f, f"{path} → {name(f)}") for f in refers if f not in seen]
    return found


def test_every_callback_is_classified_and_every_one_that_writes_is_on_the_list(app):
    callbacks = server_callbacks(app)
    unclassified = set(callbacks) - WRITING - READ_ONLY
    assert not unclassified, (
        f"Oklassade callbacks: {sorted(unclassified)}. Lägg dem i WRITING (med attacker i ATTACKS) eller READ_ONLY."
    )
    assert not (WRITING | READ_ONLY) - set(callbacks), "listade callbacks som inte finns längre"
    assert not WRITING & READ_ONLY
    for label, function in callbacks.items():
        reached = writes_reached(function)
        if label in WRITING:
            assert reached, f"{label} står som skrivande men når ingen skrivning: analysen har tappat spåret"
        else:
            assert not reached, f"{label} når skrivningar men står inte i WRITING: {reached}"
    assert {a.callback for a in ATTACKS} == WRITING, "varje skrivande callback ska ha attacker"


def test_the_walk_finds_writes_however_they_are_reached(app):
    """The walk itself: through globals, module attributes, imports inside functions and lambdas, into data/."""
    callbacks = server_callbacks(app)
    assert "data.tasks.update_task" in writes_reached(
        callbacks["tasks-edit-save.n_clicks → tasks-edit-message.children"]
    )
    assert "data.documents.save.save_document" in writes_reached(
        callbacks["document-save-minutes.n_clicks → upload-message.children"]
    )  # through an import inside a function
    assert "data.imports.engine.keep_pending" in writes_reached(
        callbacks["upload-file-data.data → upload-message.children"]
    )  # through a module's attribute (documents.preview) and data.documents
    assert not writes_reached(callbacks["shell-url.pathname → shell-page.children"])  # every page's builder, read-only
    forged = {"__name__": "callbacks.forged"}
    exec(  # a new callback module: a lambda, a helper, an import inside a function
        "def helper(search):\n"
        "    from data.imports.engine import discard_upload\n"
        "    return discard_upload\n"
        "handler = lambda search: helper(search)\n",
        forged,
    )
    assert "data.imports.engine.discard_upload" in writes_reached(forged["handler"])


# --- 1. the attacks -------------------------------------------------------------------------------------------------

EDITOR = Actor("redaktor", "redigerare")
NOT_VANNAS = {UMECO: {"Status": "avslutad"}}  # UME&Co concerns Umeå only


@dataclass(frozen=True)
class Attack:
    """A forged request to one writing callback: what the attacker finds in place (`prepare`: an editor's staged
    file, a saved import…) and the body they post."""

    name: str
    callback: str
    body: Callable[[object, dict], dict]
    prepare: Callable[[object], dict] = lambda app: {}
    refused: Callable[[object, dict], bool] = lambda response, found: is_refusal(response)


def _editor(app):
    return attacker_client(app, "redaktor")


def _staged_projects(app) -> dict:
    """An editor's preview of a change to a project outside Vännäs, staged and waiting for Spara."""
    content = edit_projects_workbook(template(app), NOT_VANNAS)
    out = outputs(forge(_editor(app), preview_payload(app, file_data(content))))
    assert out[ui.TOKEN]["data"], out[ui.MESSAGE]
    return {"token": out[ui.TOKEN]["data"]}


def _saved_import(app) -> dict:
    """An editor's import of a change to a project outside Vännäs, saved (the latest import, which undo would undo)."""
    editor = _editor(app)
    content = edit_projects_workbook(template(app), NOT_VANNAS)
    token = outputs(forge(editor, preview_payload(app, file_data(content))))[ui.TOKEN]["data"]
    saved = outputs(forge(editor, confirm_payload(app, token)))
    assert "är sparad" in str(saved[ui.MESSAGE]["children"]), saved[ui.MESSAGE]
    return {}


def _staged_document(path) -> Callable[[object], dict]:
    def prepare(app) -> dict:
        """An editor's document, staged for review (the demo data already holds this meeting and plan, so the review
        is fetched through the endpoint and the file staged as the preview would, under the editor's name)."""
        editor = _editor(app)
        out = outputs(forge(editor, preview_payload(app, document(path), kind=dui.DOCUMENT_KIND)))
        review = out[ui.PREVIEW]["children"]
        assert review, out[ui.MESSAGE]
        content = path.read_bytes()
        sha = hashlib.sha256(content).hexdigest()
        with session_scope(app.server) as s:
            token = keep_pending(
                s,
                actor=EDITOR,
                kind=dui.DOCUMENT_KIND,
                filename=path.name,
                sha256=sha,
                content=content,
                fingerprint=sha,
            )
        return {"token": token, "review": review}

    return prepare


def _with_token(found: dict):
    def change(values):
        values[(dui.TOKEN, "data")] = found["token"]

    return change


def _cleared_only(response, found) -> bool:
    """Cancel answers by clearing the attacker's own view; refused means the editor's staged file is still there
    (checked by the fingerprint) and nothing says it was saved."""
    return response.status_code == 200 and "sparat" not in outputs_text(response).replace("Inget har sparats", "")


ATTACKS = [
    Attack(
        "förhandsgranska en ändring av ett projekt utanför Vännäs",
        "upload-file-data.data → upload-message.children",
        lambda app, found: preview_payload(app, file_data(edit_projects_workbook(template(app), NOT_VANNAS))),
        refused=lambda response, found: (
            is_refusal(response) and response.get_json()["response"][ui.TOKEN]["data"] is None
        ),
    ),
    Attack(
        "förhandsgranska ett protokoll",
        "upload-file-data.data → upload-message.children",
        lambda app, found: preview_payload(app, document(MINUTES), kind=dui.DOCUMENT_KIND),
        refused=lambda response, found: (
            is_refusal(response) and response.get_json()["response"][ui.PREVIEW]["children"] is None
        ),
    ),
    Attack(
        "spara en redaktörs förhandsgranskade fil",
        "upload-confirm.n_clicks → upload-message.children",
        lambda app, found: confirm_payload(app, found["token"]),
        prepare=_staged_projects,
    ),
    Attack(
        "avbryta en redaktörs förhandsgranskade fil",
        "upload-cancel.n_clicks → upload-message.children",
        lambda app, found: payload(app, [(ui.CANCEL, "n_clicks", 1)], [(ui.TOKEN, "data", found["token"])]),
        prepare=_staged_projects,
        refused=_cleared_only,
    ),
    Attack(
        "ångra en redaktörs import",
        "upload-undo-confirm.n_clicks → upload-undo-modal.is_open",
        lambda app, found: undo_payload(app),
        prepare=_saved_import,
    ),
    Attack(
        "avbryta en redaktörs granskning av ett dokument",
        "document-cancel.n_clicks → upload-message.children",
        lambda app, found: payload(app, [(dui.CANCEL, "n_clicks", 1)], [(dui.TOKEN, "data", found["token"])]),
        prepare=_staged_document(MINUTES),
        refused=_cleared_only,
    ),
    Attack(
        "spara en redaktörs granskade protokoll",
        "document-save-minutes.n_clicks → upload-message.children",
        lambda app, found: document_save_payload(app, found["review"], change=_with_token(found)),
        prepare=_staged_document(MINUTES),
    ),
    Attack(
        "spara en redaktörs granskade verksamhetsplan",
        "document-save-plan.n_clicks → upload-message.children",
        lambda app, found: document_save_payload(app, found["review"], plan=True, change=_with_token(found)),
        prepare=_staged_document(PLAN),
    ),
    Attack(
        "ändra status och notering på ett uppdrag utanför Vännäs",
        "tasks-edit-save.n_clicks → tasks-edit-message.children",
        lambda app, found: tasks_security.save_payload(found["task"]),
        prepare=lambda app: {"task": tasks_security.task_id(app, "reklamfilm")},
    ),
]


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_a_forged_write_is_refused_and_the_database_is_unchanged(app, attack):
    found = attack.prepare(app)
    for attacker in ATTACKERS:
        who = attacker or "utan inloggning"
        client = attacker_client(app, attacker)
        body = attack.body(app, found)
        before = fingerprint(app)
        response = forge(client, body)
        if attacker is None:
            assert response.status_code == 401, (who, response.status_code)
        else:
            assert attack.refused(response, found), (who, response.status_code, outputs_text(response)[:800])
        assert fingerprint(app) == before, f"{attack.name}: {who} ändrade databasen"


# --- 3. SQL metacharacters: literal, nothing more ------------------------------------------------------------------

# Beyond the metacharacters: numbers past the database's integer range, digits that are not ASCII, and a NUL byte
# (PostgreSQL refuses text that holds one) — none may turn into a 500.
URL_VALUES = (*SQL_METACHARACTERS, "9" * 25, "2147483648", "²", "\x00", "a\x00b")
URL_PARAMS = {
    "/": ("kommun",),
    "/verksamhetsplan": ("ar", "alla", "kommun"),
    "/projekt": ("insatsomrade", "status", "fran", "till", "sida", "kommun"),
    "/finansiering": ("fran", "till", "typ"),
    "/uppdrag": ("sok", "status", "ansvarig", "forsenade"),
    "/moten": ("sida",),
    "/uppfoljning": ("mote", "sida", "historik"),
    "/forandringar": ("sedan",),
    "/presentation": ("bild", "spela"),
    "/ladda-upp": ("typ",),
}
# Hostile ids in the path: too large for the database, not ASCII, with SQL after them.
PATHS = ("/projekt/" + "9" * 25, "/projekt/2147483648", "/moten/999999999999999999", "/projekt/١", "/moten/1'--")

PLANTED_TASKS = (
    "Ta fram en rabatt på 50% för besökare",
    "Ta fram en rabatt på 500 kronor",
    "Skriv koden a_b i systemet",
    "Skriv koden axb i systemet",
    "Spara under C:\\temp\\uppdrag",
    "Kommunens 'egna' \"citat\"; --slut",
)
SEARCHES = (*SQL_METACHARACTERS, "50%", "a_b", "C:\\temp", "'egna'", "Ta fram 50%")


@pytest.fixture
def admin(app):
    return attacker_client(app, "admin")


@pytest.fixture
def planted(app) -> dict[str, int]:
    """Tasks and projects whose text holds the characters a LIKE would read as wildcards, or SQL would choke on."""
    with session_scope(app.server) as s:
        tasks = s.scalars(select(Task).order_by(Task.id).limit(len(PLANTED_TASKS))).all()
        for task, text in zip(tasks, PLANTED_TASKS, strict=True):
            task.text = text
        projects = s.scalars(select(Project).order_by(Project.id).limit(4)).all()
        for project, name in zip(
            projects, ("Projekt 50% klart", "Projekt 500 klart", "Kod a_b", "Kod axb"), strict=True
        ):
            project.name = name
        return {t.text: t.id for t in tasks}


def router_body(app, path: str, search: str = "") -> dict:
    return payload(app, [(ids.URL, "pathname", path), (ids.URL, "search", search)])


def grid_body(app, grid: str, request: dict, search: str = "") -> dict:
    return payload(app, [(grid, "getRowsRequest", request)], [(ids.URL, "search", search)])


def grid_ids(admin, app, grid: str, request: dict, search: str = "") -> set:
    """The ids of every row the grid gets (one block holds them all here)."""
    response = forge(admin, grid_body(app, grid, {"startRow": 0, "endRow": 100, **request}, search))
    assert response.status_code == 200, (grid, request, search, response.status_code)
    answer = response.get_json()["response"][grid]["getRowsResponse"]
    assert answer["rowCount"] == len(answer["rowData"]), "alla rader ska rymmas i ett block"
    return {int(r["id"]) for r in answer["rowData"]}


def task_haystacks(app) -> dict[int, list[str]]:
    """Per task, the texts the search looks in: text, due text and rule, municipality, agenda item, owners."""
    with session_scope(app.server) as s:
        tasks = s.scalars(select(Task).options(selectinload(Task.owners), selectinload(Task.agenda_item))).all()
        return {
            t.id: [
                x.lower()
                for x in (
                    t.text,
                    t.due_text,
                    t.due_rule,
                    t.municipality.name if t.municipality else None,
                    t.agenda_item.title if t.agenda_item else None,
                    *(o.name for o in t.owners),
                )
                if x
            ]
            for t in tasks
        }


def test_url_filters_with_metacharacters_answer_and_write_nothing(app, admin):
    before = fingerprint(app)
    said = {}
    for path, names in URL_PARAMS.items():
        for name in names:
            for value in URL_VALUES:
                response = forge(admin, router_body(app, path, "?" + urlencode({name: value})))
                assert response.status_code == 200, (path, name, value, response.status_code)
                said[(path, name, value)] = outputs_text(response)
    for path in PATHS:
        response = forge(admin, router_body(app, path))
        assert response.status_code == 200, (path, response.status_code)
        said[path] = outputs_text(response)
    assert fingerprint(app) == before
    for value in SQL_METACHARACTERS:
        assert "Okänd kommun" in said[("/", "kommun", value)]
        assert "Okänt insatsområde" in said[("/projekt", "insatsomrade", value)]
    assert "Projektet finns inte" in said["/projekt/" + "9" * 25] and "Projektet finns inte" in said["/projekt/١"]
    assert "Mötet finns inte" in said["/moten/999999999999999999"]


def test_the_task_search_matches_every_word_literally(app, admin, planted):
    haystacks = task_haystacks(app)
    before = fingerprint(app)
    for term in SEARCHES + ("\x00", "a\x00b"):
        found = grid_ids(admin, app, "tasks-grid", {}, "?" + urlencode({"sok": term}))
        words = term.replace("\x00", "").lower().split()
        expected = {tid for tid, texts in haystacks.items() if all(any(w in t for t in texts) for w in words)}
        assert found == expected, (term, found, expected)
    assert fingerprint(app) == before
    search = lambda term: grid_ids(admin, app, "tasks-grid", {}, "?" + urlencode({"sok": term}))  # noqa: E731
    assert search("50%") == {planted[PLANTED_TASKS[0]]}  # not "500 kronor": % is no wildcard
    assert search("a_b") == {planted[PLANTED_TASKS[2]]}  # not "axb": _ is no wildcard
    assert search("C:\\temp") == {planted[PLANTED_TASKS[4]]}
    assert search("' OR '1'='1") == set()


def test_the_task_grid_filters_and_sorts_take_any_value_literally(app, admin, planted):
    haystacks = task_haystacks(app)
    every = grid_ids(admin, app, "tasks-grid", {})
    before = fingerprint(app)
    with session_scope(app.server) as s:
        texts = dict(s.execute(select(Task.id, Task.text)).all())
    tests = {
        "contains": lambda text, v: v in text,
        "equals": lambda text, v: text == v,
        "startsWith": lambda text, v: text.startswith(v),
        "endsWith": lambda text, v: text.endswith(v),
        "notContains": lambda text, v: v not in text,
    }
    for value in (*SQL_METACHARACTERS, "50%", "a_b", "\\temp", "\x00"):
        for kind, test in tests.items():
            model = {"text": {"filterType": "text", "type": kind, "filter": value}}
            found = grid_ids(admin, app, "tasks-grid", {"filterModel": model})
            expected = {tid for tid, text in texts.items() if test(text.lower(), value.lower())}
            assert found == expected, (kind, value)
        owners = grid_ids(admin, app, "tasks-grid", {"filterModel": {"owners": {"type": "contains", "filter": value}}})
        assert owners <= every
        for col in (value, "text", "owners"):
            sort = [{"colId": col, "sort": value}, {"colId": "due_date", "sort": "desc"}]
            assert grid_ids(admin, app, "tasks-grid", {"sortModel": sort}) == every
    for number in ("9" * 25, 2**31, -(2**40)):  # past the database's integer range: no id is that large
        model = {"id": {"filterType": "number", "type": "equals", "filter": number}}
        assert grid_ids(admin, app, "tasks-grid", {"filterModel": model}) == set()
        model = {"id": {"filterType": "number", "type": "greaterThan", "filter": number, "filterTo": number}}
        assert grid_ids(admin, app, "tasks-grid", {"filterModel": model}) == (every if number == -(2**40) else set())
    for junk in (float("inf"), "1 OR 1=1", ["1"], {"a": 1}):  # not a number: the filter is left out
        model = {"id": {"filterType": "number", "type": "equals", "filter": junk}}
        assert grid_ids(admin, app, "tasks-grid", {"filterModel": model}) == every
    assert len(haystacks) == len(every)
    assert fingerprint(app) == before


def test_the_funding_grid_filter_matches_project_names_literally(app, admin, planted):
    every = grid_ids(admin, app, "funding-projects-grid", {})
    with session_scope(app.server) as s:
        names = dict(s.execute(select(Project.id, Project.name).where(Project.id.in_(every))).all())
    before = fingerprint(app)
    for value in (*SQL_METACHARACTERS, "50%", "a_b"):
        model = {"name": {"filterType": "text", "type": "contains", "filter": value}}
        found = grid_ids(admin, app, "funding-projects-grid", {"filterModel": model})
        assert found == {pid for pid, name in names.items() if value.casefold() in name.casefold()}, value
        sort = [{"colId": value, "sort": "asc"}]
        assert grid_ids(admin, app, "funding-projects-grid", {"sortModel": sort}) == every
    assert (
        len(
            grid_ids(
                admin, app, "funding-projects-grid", {"filterModel": {"name": {"type": "contains", "filter": "50%"}}}
            )
        )
        == 1
    )
    assert fingerprint(app) == before


def test_the_project_grid_takes_url_filters_and_sorts_literally(app, admin, planted):
    every = grid_ids(admin, app, "projects-grid", {})
    with session_scope(app.server) as s:
        area = s.scalars(select(FocusArea.name).join(Project).limit(1)).one()
    before = fingerprint(app)
    assert grid_ids(admin, app, "projects-grid", {}, "?" + urlencode({"insatsomrade": area}))
    for value in (*URL_VALUES, area[:4] + "%", area[:-1] + "_"):
        for name in ("insatsomrade", "status", "fran", "till", "kommun"):
            found = grid_ids(admin, app, "projects-grid", {}, "?" + urlencode({name: value}))
            if name == "insatsomrade" and value != "\x00":  # a lone NUL is dropped, and with it the filter
                assert found == set(), value  # an unknown focus area has no projects: no wildcard
            else:
                assert found == every, (name, value)  # a value not understood is left out
        assert grid_ids(admin, app, "projects-grid", {"sortModel": [{"colId": value, "sort": value}]}) == every
    assert fingerprint(app) == before


GRIDS = ("tasks-grid", "projects-grid", "funding-projects-grid")
ROW_NUMBERS = ("x", None, -5, 10**30, 2**63, float("inf"), float("nan"), 1e300, [], {}, "5")
BAD_MODELS = (
    {"sortModel": "x"},
    {"sortModel": [1, None, "x", {"colId": None}, {"colId": ["name"], "sort": ["desc"]}, {"colId": {}}]},
    {"sortModel": {"colId": "name"}},
    {"filterModel": ["x"]},
    {"filterModel": "' OR '1'='1"},
    {"filterModel": {"text": "x", "id": [1], "name": {"type": ["contains"], "filter": {"a": 1}}}},
    {"filterModel": {"due_date": {"type": "inRange", "dateFrom": "2020-01-01", "dateTo": "x"}}},
)


def test_the_grids_take_any_row_request_a_script_can_send(app, admin):
    """Row numbers and models of any JSON type (text, huge, infinite, lists where objects belong), or no object at
    all: an answer or nothing, never a 500, and nothing written."""
    before = fingerprint(app)
    for grid in GRIDS:
        every = grid_ids(admin, app, grid, {})
        for start in ROW_NUMBERS:
            for end in ROW_NUMBERS:
                response = forge(admin, grid_body(app, grid, {"startRow": start, "endRow": end}))
                assert response.status_code == 200, (grid, start, end, response.status_code)
        for model in BAD_MODELS:
            assert grid_ids(admin, app, grid, model) <= every, (grid, model)
        for request in ("x", ["x"], 5):
            response = forge(admin, grid_body(app, grid, request))
            assert response.status_code in (200, 204), (grid, request, response.status_code)
    assert fingerprint(app) == before


@pytest.mark.parametrize("endpoint", ["projects", "tasks", "meetings", "plan", "funding", "changes"])
def test_api_filters_with_metacharacters_are_refused_in_swedish(app, admin, endpoint):
    before = fingerprint(app)
    for value in URL_VALUES:
        for name in ("kommun", "since", "format"):
            response = admin.get(f"/api/{endpoint}?" + urlencode({name: value}))
            if name == "kommun" or (name == "since") == (endpoint == "changes"):  # /api/changes has no format
                assert response.status_code == 400, (name, value, response.status_code)
                assert response.get_json()["error"]
            else:
                assert response.status_code == 200, (name, value)
    for name in ("kommun", "insatsomrade", "ar", "sedan"):
        for value in URL_VALUES:
            response = admin.get("/export/paket.xlsx?" + urlencode({name: value}))
            assert response.status_code in (200, 400), (name, value, response.status_code)
    assert fingerprint(app) == before


def csv_file(rows: list[list], filename: str) -> dict:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return file_data(buffer.getvalue().encode("utf-8"), filename, "text/csv")


HOSTILE_NAME = "O'Brien \"50%\" a_b \\ ;-- ' OR '1'='1"
HOSTILE_TEXT = ") UNION SELECT name FROM project --"


def test_upload_cells_with_metacharacters_are_stored_as_written(app):
    editor = _editor(app)
    before = dump_database(app)
    data = csv_file(
        [
            ["Projekt", "Insatsområde", "Status", "Kommuner", "Beskrivning", "Projektägare"],
            [HOSTILE_NAME, "", "planerad", "Umeå", HOSTILE_TEXT, "'; DROP TABLE project; --"],
        ],
        "projekt.csv",
    )
    out = outputs(forge(editor, preview_payload(app, data)))
    assert out[ui.TOKEN]["data"], out[ui.MESSAGE]
    saved = outputs(forge(editor, confirm_payload(app, out[ui.TOKEN]["data"])))
    assert "är sparad" in str(saved[ui.MESSAGE]["children"]), saved[ui.MESSAGE]
    after = dump_database(app)
    with session_scope(app.server) as s:
        project = s.scalars(select(Project).where(Project.name == HOSTILE_NAME)).one()
        assert (project.description, project.owner_organisation) == (HOSTILE_TEXT, "'; DROP TABLE project; --")
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"project", "project_municipality", "change_record", "import_batch"}, changed
    assert len(after["project"]) == len(before["project"]) + 1


@pytest.mark.parametrize(
    "kind, rows",
    [
        ("finansiering", [["Projekt", "Finansiär", "Typ", "Belopp (kr)"], ["UME_Co", "Kommunerna", "kommunerna", 1]]),
        ("finansiering", [["Projekt", "Finansiär", "Typ", "Belopp (kr)"], ["UME%", "Kommunerna", "kommunerna", 1]]),
        ("finansiering", [["Projekt", "Finansiär", "Typ", "Belopp (kr)"], ["' OR '1'='1", "x", "kommunerna", 1]]),
        ("projekt", [["Id", "Projekt", "Status"], ["1 OR 1=1", "Via Uma", "avslutad"]]),
        ("uppdrag", [["Id", "Uppdrag", "Status"], ["1; DELETE FROM task", "x", "klar"]]),
        ("moten", [["Id", "Typ", "Datum"], ["1) UNION SELECT 1 --", "kommunchefsmöte", "2030-01-01"]]),
    ],
    ids=["understreck", "procent", "or-1-1", "id-or", "id-delete", "id-union"],
)
def test_an_upload_that_names_rows_with_metacharacters_matches_nothing(app, kind, rows):
    editor = _editor(app)
    before = fingerprint(app)
    out = outputs(forge(editor, preview_payload(app, csv_file(rows, f"{kind}.csv"), kind=kind)))
    assert out[ui.TOKEN]["data"] is None, out[ui.MESSAGE]
    assert "'role': 'alert'" in str(out[ui.MESSAGE]), out[ui.MESSAGE]
    assert fingerprint(app) == before


# --- 4. cookies -----------------------------------------------------------------------------------------------------


def cookie_flags(response) -> dict[str, str]:
    """name → the rest of its Set-Cookie header."""
    return {h.split("=", 1)[0]: h for h in response.headers.getlist("Set-Cookie")}


def login_at(client, base: str, username: str = "admin"):
    token = CSRF_RE.search(client.get(base + "/login").get_data(as_text=True)).group(1)
    data = {"username": username, "password": PASSWORDS[username], "csrf_token": token}
    return client.post(base + "/login", data=data)


def test_the_session_cookie_is_secure_over_https(app):
    """What the app gets for a request over HTTPS, directly or from a proxy that gunicorn trusts
    (--forwarded-allow-ips, X-Forwarded-Proto: https): the session cookie must be Secure without any setting."""
    client = app.server.test_client()
    response = login_at(client, "https://localhost")
    assert response.status_code == 302
    cookies = cookie_flags(response)
    assert "; Secure" in cookies["ur_session"] and "; HttpOnly" in cookies["ur_session"]
    assert "; Secure" in cookie_flags(client.get("https://localhost/"))["_csrf_token"]


def test_the_session_cookie_is_secure_when_configured(app):
    app.server.config["SESSION_COOKIE_SECURE"] = True
    client = app.server.test_client()
    response = login_at(client, "http://localhost")  # TLS ended before the app, and nothing told it
    assert "; Secure" in cookie_flags(response)["ur_session"]


def test_a_forwarded_proto_header_alone_is_not_believed(app):
    """Without a trusted proxy in front, X-Forwarded-Proto is just a header anyone can send: it changes nothing
    (gunicorn applies it only from --forwarded-allow-ips; the app itself trusts no forwarding header)."""
    client = app.server.test_client()
    client.environ_base["HTTP_X_FORWARDED_PROTO"] = "https"
    client.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.9"
    response = login_at(client, "http://localhost")
    assert response.status_code == 302
    assert "; Secure" not in cookie_flags(response)["ur_session"]


@pytest.fixture
def gunicorn_server(db_url, tmp_path):
    """`gunicorn app:server` as the README runs it behind a proxy on this machine (--forwarded-allow-ips=127.0.0.1),
    one worker, on the test database."""
    env = {**os.environ, "DATABASE_URL": db_url, "SECRET_KEY": "gunicorn-test-secret-key-0123456789abcdef"}
    for key in ("SESSION_COOKIE_SECURE", "DASHBOARD_INSTANCE"):
        env.pop(key, None)
    with gunicorn(env, tmp_path / "gunicorn.log", workers=1) as base:
        yield base


def proxied_login(base: str, headers: dict) -> dict[str, str]:
    """Log in as the proxy forwards a browser's requests: the browser's cookies in a Cookie header (sent even when
    Secure: the browser spoke HTTPS to the proxy), plus `headers`; name → Set-Cookie header of the login's answer."""

    def set_cookies(response) -> dict[str, str]:
        return {c.split("=", 1)[0]: c for c in response.raw.headers.getlist("Set-Cookie")}

    page = requests.get(base + "/login", headers=headers, timeout=10)
    jar = "; ".join(c.split(";", 1)[0] for c in set_cookies(page).values())
    data = {"username": "admin", "password": PASSWORDS["admin"], "csrf_token": CSRF_RE.search(page.text).group(1)}
    response = requests.post(
        base + "/login", data=data, headers={**headers, "Cookie": jar}, allow_redirects=False, timeout=10
    )
    assert response.status_code == 302, response.text[:300]
    return set_cookies(response)


def test_behind_the_readme_proxy_setup_the_session_cookie_is_secure(gunicorn_server):
    over_https = proxied_login(gunicorn_server, {"X-Forwarded-Proto": "https"})  # the proxy says: came over HTTPS
    assert "; Secure" in over_https["ur_session"], over_https
    plain = proxied_login(gunicorn_server, {})  # the proxy's plain-HTTP side, if it has one
    assert "; Secure" not in plain["ur_session"]
