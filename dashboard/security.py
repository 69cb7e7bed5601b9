"""Response headers that hold on every page: CSP with Dash's inline-script hashes, no sniffing, no framing."""

from __future__ import annotations

import dash
from flask import request


def init_security(app: dash.Dash) -> None:
    server = app.server
    hashes: list[str] = []

    def headers(response):
        if not hashes:
            # Computed on first use, once every callback (and its inline script) is registered.
            hashes.extend(app.csp_hashes())
        script_src = " ".join(["'self'", *hashes])
        ancestors = server.config["FRAME_ANCESTORS"]
        presenter = server.config.get("PRESENTATION_FRAME_ANCESTORS")
        framed = bool(presenter) and request.path.rstrip("/") == "/presentation"
        if framed:
            ancestors = f"{ancestors} {presenter}"
        response.headers["Content-Security-Policy"] = (
            f"default-src 'self'; script-src {script_src}; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
            f"base-uri 'self'; form-action 'self'; frame-ancestors {ancestors}"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        if not framed:  # X-Frame-Options cannot name another origin; frame-ancestors does it for /presentation
            response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    server.after_request(headers)
