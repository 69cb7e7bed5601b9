"""Ladda upp: the page, the choice of kind (in the URL), the size check in the browser, the preview, saving, undo.

Every write is decided here, from the logged-in user on the server, and again in data.imports: what the layout
shows or hides is never what decides. A läsare's forged request is refused before anything is read.
"""

from __future__ import annotations

import base64
import binascii
import json

from dash import Input, Output, State, no_update
from dash.exceptions import PreventUpdate
from flask import current_app
from flask_login import current_user

from callbacks import documents
from callbacks.routing import Page, search_with
from dashboard.database import session_scope
from data.imports import (
    KINDS,
    Actor,
    ImportRefused,
    confirm_upload,
    discard_upload,
    latest_undoable,
    list_imports,
    preview_upload,
    stage_upload,
    undo_latest,
)
from layouts import documents as document_ui
from layouts import ids
from layouts import upload as ui

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
NO_RIGHTS = "Du har inte behörighet att ladda upp data. Det kan bara redigerare och administratörer."
FILE_INPUT_LABEL = "Välj fil att ladda upp (Excel .xlsx eller CSV)"


def _actor() -> Actor | None:
    """The logged-in user as the import engine sees them; None when nobody is logged in."""
    if not getattr(current_user, "is_authenticated", False):
        return None
    return Actor(current_user.username, current_user.role, current_user.municipality)


def _may_upload(actor: Actor | None) -> bool:
    return actor is not None and actor.can_upload


def max_upload_bytes() -> int:
    return int(current_app.config.get("UPLOAD_MAX_BYTES") or DEFAULT_MAX_BYTES)


def size_message(filename: str | None, size: int, limit: int) -> str:
    """The same words as the browser's check (UPLOAD_CHECK below)."""
    return (
        f"Filen ”{filename or 'filen'}” är {ui.format_bytes(size)}. Största tillåtna storlek är "
        f"{ui.format_bytes(limit)}. Dela upp filen i flera mindre filer och ladda upp dem en i taget."
    )


def kind_options() -> list[dict]:
    kinds = [{"key": k.key, "label": k.label, "description": k.description} for k in KINDS.values()]
    return [*kinds, document_ui.DOCUMENT_OPTION]  # Dokument (issue 5): callbacks/documents.py


def build_upload(session, flt, params):
    """The page: only the explanation for a läsare; for an editor the kind from the URL (`typ`), the size limit,
    and the import log."""
    actor = _actor()
    if not _may_upload(actor):
        return ui.upload_page(False)
    kind = params.get("typ") or ui.DEFAULT_KIND
    notice = None
    if kind not in KINDS and kind != document_ui.DOCUMENT_KIND:
        notice = f"Okänd typ ”{kind}” i adressen. Visar {KINDS[ui.DEFAULT_KIND].label}."
        kind = ui.DEFAULT_KIND
    return ui.upload_page(
        True,
        kinds=kind_options(),
        kind=kind,
        max_bytes=max_upload_bytes(),
        latest=latest_undoable(session, actor=actor),
        imports=list_imports(session, limit=10),
        notice=notice,
    )


PAGES = [Page("/ladda-upp", build_upload)]


def choose_kind(kind: str | None, search: str | None):
    """The chosen kind goes into the URL (the default is left out); the router then draws the page for it."""
    new = search_with(search, typ=None if kind in (None, ui.DEFAULT_KIND) else kind)
    return new if new != (search or "") else no_update


def decode_upload(contents: str, limit: int) -> tuple[bytes | None, int]:
    """The file's bytes from dcc.Upload's data URL, and its size; (None, size) when it is larger than `limit`.

    Raises ValueError when the contents are not a base64 data URL.
    """
    header, comma, data = (contents or "").partition(",")
    if contents == "data:":  # what the browser makes of an empty file
        return b"", 0
    if not comma or not header.startswith("data:") or not header.endswith(";base64"):
        raise ValueError("not a base64 data URL")
    padding = len(data) - len(data.rstrip("="))
    size = len(data) * 3 // 4 - padding
    if size > limit:
        return None, size
    try:
        content = base64.b64decode(data, validate=True)
    except binascii.Error as exc:
        raise ValueError("bad base64") from exc
    return content, len(content)


def _panels(session, actor: Actor) -> tuple:
    """The import log as drawn: the latest import's card, the undo button's class, the undo question, the table."""
    body, undo_class, question = ui.latest_panel(latest_undoable(session, actor=actor))
    return body, undo_class, question, ui.history_table(list_imports(session, limit=10))


def _no_preview(msg) -> tuple:
    """(message, preview, token, confirm disabled, actions class) for a file that cannot be saved."""
    return msg, None, None, True, ui.HIDDEN


def preview_file(
    file_data: dict | None, remove_missing: bool | None, kind: str | None, old_token: str | None = None
) -> tuple:
    """Read and check the uploaded file and show what it would change; keep it (staged) if it can be saved."""
    if not isinstance(file_data, dict) or not file_data.get("contents"):
        raise PreventUpdate
    actor = _actor()
    if not _may_upload(actor):
        return _no_preview(ui.message(NO_RIGHTS, ok=False))
    filename = str(file_data.get("filename") or "fil")
    limit = max_upload_bytes()
    try:
        content, size = decode_upload(file_data["contents"], limit)
    except ValueError:
        return _no_preview(ui.message(f"Filen ”{filename}” kunde inte läsas. Försök igen.", ok=False))
    if content is None:
        return _no_preview(ui.message(size_message(filename, size, limit), ok=False))
    if kind == document_ui.DOCUMENT_KIND:  # Dokument (issue 5): the review of what was found
        return documents.preview(content, filename, actor)
    try:
        with session_scope() as s:
            preview = preview_upload(
                s, kind or "", content, filename, actor=actor, remove_missing=bool(remove_missing), max_bytes=limit
            )
            discard_upload(s, old_token, actor=actor)
            token = stage_upload(s, preview, content, actor=actor) if preview.can_confirm else None
            shown = preview.to_dict()
    except ImportRefused as exc:
        return _no_preview(ui.message(str(exc), ok=False))
    said = ui.preview_status(shown)
    status = ui.message(said, ok=False) if shown["errors"] or shown["refused"] else ui.info(said)
    return status, ui.preview_panel(shown), token, token is None, ui.SHOWN


def _project_links(touched: list[dict]) -> list[dict]:
    seen, out = set(), []
    for t in touched:
        if t.get("entity") == "project" and t.get("entity_id") is not None and t["entity_id"] not in seen:
            seen.add(t["entity_id"])
            out.append(t)
    return out


def _save_refused(text: str) -> tuple:
    """The preview stays in view, but it can no longer be saved."""
    return (ui.message(text, ok=False), no_update, no_update, True) + (no_update,) * 6


def save_upload(n_clicks, token) -> tuple:
    """Write the previewed file, if the logged-in user may and the data is still as previewed; say what happened."""
    if not n_clicks:
        raise PreventUpdate
    actor = _actor()
    if not _may_upload(actor):
        return _save_refused(NO_RIGHTS)
    try:
        with session_scope() as s:
            result = confirm_upload(s, token, actor=actor, max_bytes=max_upload_bytes())
    except ImportRefused as exc:
        return _save_refused(str(exc))
    with session_scope() as s:
        panels = _panels(s, actor)
    done = ui.saved_message(result.message, _project_links(result.touched))
    return (done, None, None, True, ui.HIDDEN, None, *panels)


def cancel_upload(n_clicks, token: str | None = None) -> tuple:
    if not n_clicks:
        raise PreventUpdate
    actor = _actor()
    if _may_upload(actor) and token:
        with session_scope() as s:
            discard_upload(s, token, actor=actor)
    return ui.info("Förhandsgranskningen är borttagen. Inget har sparats."), None, None, True, ui.HIDDEN, None


def open_undo(n_clicks):
    if not n_clicks:
        raise PreventUpdate
    return True


def close_undo(n_clicks):
    if not n_clicks:
        raise PreventUpdate
    return False


def undo_import(n_clicks) -> tuple:
    """Undo the latest import, if the logged-in user may; restore the previous values and say so."""
    if not n_clicks:
        raise PreventUpdate
    actor = _actor()
    if not _may_upload(actor):
        return (False, ui.message(NO_RIGHTS, ok=False), no_update, no_update, no_update, no_update)
    try:
        with session_scope() as s:
            result = undo_latest(s, actor=actor)
    except ImportRefused as exc:
        return (False, ui.message(str(exc), ok=False), no_update, no_update, no_update, no_update)
    with session_scope() as s:
        panels = _panels(s, actor)
    return (False, ui.message(result.message, ok=True), *panels)


# The browser checks the size before sending the file: a file over the limit is never sent, and says why in the
# same words as the server's check. An accepted file moves into the FILE store (which the preview listens to) and
# the upload is emptied, so choosing the same file again is noticed.
UPLOAD_CHECK = """
function(contents, filename, limit) {
    const nu = window.dash_clientside.no_update;
    if (!contents) { return [nu, nu, nu, nu, nu, nu, nu]; }
    const comma = contents.indexOf(',');
    const data = comma >= 0 ? contents.slice(comma + 1) : contents;
    const padding = data.endsWith('==') ? 2 : (data.endsWith('=') ? 1 : 0);
    const size = Math.floor(data.length * 3 / 4) - padding;
    if (size <= limit) {
        return [{contents: contents, filename: filename, at: Date.now()}, null, null, nu, nu, nu, nu];
    }
    const format = function(n) {
        const units = [['MB', 1048576], ['kB', 1024]];
        for (const [unit, bytes] of units) {
            if (n >= bytes) {
                const v = n / bytes;
                const text = Number.isInteger(v) ? String(v) : v.toFixed(1).replace('.', ',');
                return text + '\u00a0' + unit;
            }
        }
        return n + '\u00a0byte';
    };
    const text = 'Filen ”' + (filename || 'filen') + '” är ' + format(size) + '. Största tillåtna storlek är ' +
        format(limit) + '. Dela upp filen i flera mindre filer och ladda upp dem en i taget.';
    const alert = {namespace: 'dash_html_components', type: 'Div',
                   props: {children: text, role: 'alert', className: 'alert mb-0 alert-danger'}};
    return [nu, null, alert, null, null, true, 'HIDDEN'];
}
""".replace("'HIDDEN'", json.dumps(ui.HIDDEN))

# dcc.Upload's file input has no label of its own (axe: `label`, critical); this gives it one, and describes it by
# the visible help text. Watching the page, because the input is drawn again when the page is.
LABEL_FILE_INPUT = """
function(uploadId) {
    const apply = function() {
        const zone = document.getElementById(UPLOAD_ID);
        const input = zone && zone.querySelector('input[type=file]');
        // Dokument (issue 5) accepts other files, and says so.
        const label = input && (input.accept || '').indexOf('.docx') >= 0 ? DOKUMENT_ETIKETT : LABEL;
        if (input && input.getAttribute('aria-label') !== label) {
            input.setAttribute('aria-label', label);
            input.setAttribute('aria-describedby', HELP_ID);
        }
    };
    apply();
    if (!window.__uploadInputLabeller) {
        window.__uploadInputLabeller = new MutationObserver(apply);
        window.__uploadInputLabeller.observe(document.body, {childList: true, subtree: true});
    }
    return window.dash_clientside.no_update;
}
""".replace("UPLOAD_ID", json.dumps(ui.UPLOAD)).replace("LABEL", json.dumps(FILE_INPUT_LABEL))
LABEL_FILE_INPUT = LABEL_FILE_INPUT.replace("HELP_ID", json.dumps(ui.UPLOAD_HELP))
LABEL_FILE_INPUT = LABEL_FILE_INPUT.replace("DOKUMENT_ETIKETT", json.dumps(document_ui.FILE_INPUT_LABEL))


def register(app) -> None:
    app.callback(
        Output(ids.URL, "search", allow_duplicate=True),
        Input(ui.KIND, "value"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )(choose_kind)
    app.clientside_callback(LABEL_FILE_INPUT, Output(ui.LABELLED, "data"), Input(ui.UPLOAD, "id"))
    app.clientside_callback(
        UPLOAD_CHECK,
        Output(ui.FILE, "data"),
        Output(ui.UPLOAD, "contents"),
        Output(ui.MESSAGE, "children", allow_duplicate=True),
        Output(ui.PREVIEW, "children", allow_duplicate=True),
        Output(ui.TOKEN, "data", allow_duplicate=True),
        Output(ui.CONFIRM, "disabled", allow_duplicate=True),
        Output(ui.ACTIONS, "className", allow_duplicate=True),
        Input(ui.UPLOAD, "contents"),
        State(ui.UPLOAD, "filename"),
        State(ui.LIMIT, "data"),
        prevent_initial_call=True,
    )
    app.callback(
        Output(ui.MESSAGE, "children", allow_duplicate=True),
        Output(ui.PREVIEW, "children", allow_duplicate=True),
        Output(ui.TOKEN, "data", allow_duplicate=True),
        Output(ui.CONFIRM, "disabled", allow_duplicate=True),
        Output(ui.ACTIONS, "className", allow_duplicate=True),
        Input(ui.FILE, "data"),
        Input(ui.REMOVE, "value"),
        State(ui.KIND, "value"),
        State(ui.TOKEN, "data"),
        prevent_initial_call=True,
        running=[
            (Output(ui.UPLOAD, "disabled"), True, False),
            (Output(ui.REMOVE, "disabled"), True, False),
            (Output(ui.CONFIRM, "disabled"), True, True),
            (Output(ui.CANCEL, "disabled"), True, False),
        ],
    )(preview_file)
    app.callback(
        Output(ui.MESSAGE, "children", allow_duplicate=True),
        Output(ui.PREVIEW, "children", allow_duplicate=True),
        Output(ui.TOKEN, "data", allow_duplicate=True),
        Output(ui.CONFIRM, "disabled", allow_duplicate=True),
        Output(ui.ACTIONS, "className", allow_duplicate=True),
        Output(ui.FILE, "data", allow_duplicate=True),
        Output(ui.LATEST, "children", allow_duplicate=True),
        Output(ui.UNDO, "className", allow_duplicate=True),
        Output(ui.UNDO_MODAL_TEXT, "children", allow_duplicate=True),
        Output(ui.HISTORY, "children", allow_duplicate=True),
        Input(ui.CONFIRM, "n_clicks"),
        State(ui.TOKEN, "data"),
        prevent_initial_call=True,
        running=[
            (Output(ui.CONFIRM, "disabled"), True, True),
            (Output(ui.CONFIRM, "children"), ui.SAVING_TEXT, ui.CONFIRM_TEXT),
            (Output(ui.CANCEL, "disabled"), True, False),
            (Output(ui.UPLOAD, "disabled"), True, False),
        ],
    )(save_upload)
    app.callback(
        Output(ui.MESSAGE, "children", allow_duplicate=True),
        Output(ui.PREVIEW, "children", allow_duplicate=True),
        Output(ui.TOKEN, "data", allow_duplicate=True),
        Output(ui.CONFIRM, "disabled", allow_duplicate=True),
        Output(ui.ACTIONS, "className", allow_duplicate=True),
        Output(ui.FILE, "data", allow_duplicate=True),
        Input(ui.CANCEL, "n_clicks"),
        State(ui.TOKEN, "data"),
        prevent_initial_call=True,
    )(cancel_upload)
    app.callback(
        Output(ui.UNDO_MODAL, "is_open", allow_duplicate=True),
        Input(ui.UNDO, "n_clicks"),
        prevent_initial_call=True,
    )(open_undo)
    app.callback(
        Output(ui.UNDO_MODAL, "is_open", allow_duplicate=True),
        Input(ui.UNDO_CANCEL, "n_clicks"),
        prevent_initial_call=True,
    )(close_undo)
    app.callback(
        Output(ui.UNDO_MODAL, "is_open", allow_duplicate=True),
        Output(ui.UNDO_MESSAGE, "children", allow_duplicate=True),
        Output(ui.LATEST, "children", allow_duplicate=True),
        Output(ui.UNDO, "className", allow_duplicate=True),
        Output(ui.UNDO_MODAL_TEXT, "children", allow_duplicate=True),
        Output(ui.HISTORY, "children", allow_duplicate=True),
        Input(ui.UNDO_CONFIRM, "n_clicks"),
        prevent_initial_call=True,
        running=[(Output(ui.UNDO_CONFIRM, "disabled"), True, False), (Output(ui.UNDO_CANCEL, "disabled"), True, False)],
    )(undo_import)
    documents.register(app)  # Dokument (issue 5)
