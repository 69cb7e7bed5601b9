"""Upload templates as Excel files: `/ladda-upp/mall/<kind>.xlsx` pre-filled with the current data, `?tom=1` blank.

Login is required by the request gate in dashboard/auth.py, as for every other route.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, request

from dashboard.database import session_scope
from dashboard.errors import error_response
from data.imports import KINDS, build_template, template_filename

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

bp = Blueprint("uploads", __name__)


@bp.get("/ladda-upp/mall/<kind>.xlsx")
def template(kind: str):
    """The template for `kind`, as an attachment that is never cached (it holds the current data)."""
    if kind not in KINDS:
        choices = ", ".join(KINDS)
        return error_response(404, f"Det finns ingen mall för ”{kind}”. Välj en av: {choices}.")
    filled = request.args.get("tom") != "1"
    with session_scope() as s:
        content = build_template(s, kind, filled=filled)
    response = Response(content, mimetype=XLSX)
    response.headers.set("Content-Disposition", "attachment", filename=template_filename(kind, filled=filled))
    response.headers["Cache-Control"] = "no-store"
    return response


def init_uploads(server: Flask) -> None:
    server.register_blueprint(bp)
