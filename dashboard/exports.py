"""The meeting pack for download: `/export/paket.pptx` and `/export/paket.xlsx`, for the filter in the query
(`kommun`, `insatsomrade`, `ar`, `sedan`) as the page shows it. Login is required by the gate like everywhere."""

from __future__ import annotations

import io

from flask import Blueprint, Flask, abort, request, send_file
from flask_login import current_user

from dashboard.database import session_scope
from dashboard.errors import error_response
from data.audit import audit
from data.exports import FORMATS, PackError, export_pack, pack_filter

bp = Blueprint("exports", __name__, url_prefix="/export")


@bp.get("/paket.<fmt>")
def pack(fmt: str):
    """The pack as PowerPoint or Excel, as an attachment; a Swedish message for a filter that names nothing."""
    if fmt not in FORMATS:
        abort(404)
    with session_scope() as s:
        try:
            pf, since = pack_filter(s, request.args.to_dict())
        except PackError as exc:
            return error_response(400, str(exc))
        data, filename, mimetype = export_pack(s, fmt, pf, since=since)
    audit(
        "export",
        f"Export: konto={current_user.username!r} format={fmt} urval={pf.describe()!r}",
        account=current_user.username,
        format=fmt,
        kommun=pf.kommun,
        focus_area=pf.focus_area,
        year=pf.year,
        bytes=len(data),
    )
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename)
    response.headers["Cache-Control"] = "no-store"
    return response


def init_exports(server: Flask) -> None:
    server.register_blueprint(bp)
