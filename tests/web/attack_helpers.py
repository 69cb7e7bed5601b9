"""What the attack tests share: the hostile strings, a fingerprint of the whole database, and forged callback posts
from a läsare, a Vännäs editor or nobody at all.

The forged bodies are built by tests.web.test_upload_security.payload, which checks every input and state against
the app's registered callback, so a body that no longer matches the app fails loudly instead of being refused for
the wrong reason."""

from __future__ import annotations

import hashlib

from tests.callbacks.test_upload import dump_database
from tests.web.test_upload_security import client_for, post

# --- hostile text -----------------------------------------------------------------------------------------------------

IMG = '<img src=x onerror="window.__xss=1">'
SCRIPT = "<script>window.__xss=1</script>"
SVG = '"><svg onload=window.__xss=1>'
# Not script, but markup that a chart library would draw as a link (Plotly reads <a href>, <b>, <br> in its labels).
LINK = '<a href="https://evil.example/">länk</a>'
HTML_PAYLOADS = (IMG, SCRIPT, SVG, LINK)
# Cells that a spreadsheet would run (OWASP CSV injection).
FORMULAS = ('=HYPERLINK("https://evil.example/","klick")', "+1+1", "-1+1", "@SUM(1+1)")

SQL_METACHARACTERS = ("'", '"', "%", "_", "\\", ";--", "' OR '1'='1", ") UNION SELECT name FROM project --")

ATTACKERS = ("lasare", "vannas", None)  # None: nobody logged in


# --- the database -----------------------------------------------------------------------------------------------------


def fingerprint(app) -> dict:
    """Every table's row count and a hash of all its rows (tests.callbacks.test_upload.dump_database), with the
    counts a forged write would most likely leave behind named on their own, so a failure says what changed."""
    dump = dump_database(app)
    tables = {name: (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()[:16]) for name, rows in dump.items()}
    return {
        "change records": len(dump["change_record"]),
        "import batches": len(dump["import_batch"]),
        "pending uploads": len(dump["pending_upload"]),
        "tables": tables,
    }


# --- forged requests --------------------------------------------------------------------------------------------------


def attacker_client(app, username: str | None):
    """A browser of its own: logged in as `username` (with the CSRF cookie Dash sends back), or nobody."""
    if username is None:
        return app.server.test_client()
    return client_for(app, username)


def forge(client, body: dict):
    """Post `body` to Dash's callback endpoint as a script would: with the CSRF header when the client has the
    cookie (so that a refusal is the app's decision, not CSRF's)."""
    return post(client, body)


def outputs_text(response) -> str:
    """The callback's outputs as one string (the component trees as JSON-like text)."""
    return str(response.get_json().get("response", {}))


def is_refusal(response) -> bool:
    """A logged-in attacker's request was answered (200) and what came back is a Swedish alert."""
    return response.status_code == 200 and "'role': 'alert'" in outputs_text(response)
