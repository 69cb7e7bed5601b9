"""Swedish error responses instead of stack traces: JSON for API and Dash requests, a short page otherwise."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, request
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger("dashboard.errors")

MESSAGES = {
    400: "Begäran kunde inte tolkas. Ladda om sidan och försök igen.",
    403: "Du har inte behörighet till detta.",
    404: "Sidan finns inte.",
    405: "Metoden är inte tillåten här.",
    413: "Filen är för stor.",
    500: "Ett oväntat fel inträffade. Försök igen om en stund; kvarstår felet, kontakta kansliet.",
    503: "Tjänsten är tillfälligt otillgänglig (databasen svarar inte). Försök igen om en stund.",
}


def error_response(status: int, detail: str | None = None):
    message = detail or MESSAGES.get(status, "Något gick fel.")
    if request.path.startswith(("/api/", "/_dash-")):
        return jsonify(error=message), status
    page = (
        '<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Fel</title>'
        '<link rel="stylesheet" href="/assets/bootstrap.min.css"></head><body><main class="container py-5">'
        f'<h1 class="h3">Något gick fel</h1><p>{escape(message)}</p><p><a href="/">Till översikten</a></p>'
        "</main></body></html>"
    )
    return page, status


def init_errors(server: Flask) -> None:
    @server.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code == 413:
            limit = server.config["UPLOAD_MAX_BYTES"] / (1024 * 1024)
            shown = f"{limit:.1f}".replace(".", ",").removesuffix(",0")
            return error_response(413, f"Filen är för stor. Största tillåtna storlek är {shown} MB.")
        return error_response(exc.code or 500)

    @server.errorhandler(InternalServerError)
    def server_error(exc: InternalServerError):
        log.error("Oväntat fel på %s", request.path, exc_info=getattr(exc, "original_exception", None))
        return error_response(500)

    from sqlalchemy.exc import OperationalError

    @server.errorhandler(OperationalError)
    def database_down(exc: OperationalError):
        log.error("Databasen svarar inte: %s", exc.__class__.__name__)
        return error_response(503)
