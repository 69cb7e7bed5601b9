"""From a document to structured follow-up: decide whether it is minutes or a plan, and extract accordingly."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from data.documents.text import DocumentProblem, read_document

MINUTES_WORDS = (
    "kommunchefsmöte",
    "minnesanteckningar",
    "protokoll",
    "mötet öppnas",
    "beslutande",
    "sekreterare",
    "närvarande",
    "justerare",
    "dagordning",
    "föredragande",
    "får i uppdrag",
    "nästa möte",
)
PLAN_WORDS = (
    "verksamhetsplan",
    "insatsområde",
    "tidsram",
    "total budget",
    "finansiär",
    "finansiering",
    "etapp",
    "aktiviteter",
    "kontaktperson",
    "projektägare",
)
NOT_A_DOCUMENT = (
    "Texten ser varken ut som minnesanteckningar eller protokoll från ett möte, eller som en verksamhetsplan. "
    "Inget lästes in."
)


def classify(text: str) -> str | None:
    """ "minutes", "plan", or None when the text is neither (then nothing may be extracted from it)."""
    low = text.casefold()
    minutes = sum(1 for w in MINUTES_WORDS if w in low)
    plan = sum(1 for w in PLAN_WORDS if w in low)
    if re.search(r"verksamhetsplan\s+(?:för\s+)?(?:år\s+)?\d{4}", low):
        plan += 2
    if max(minutes, plan) < 2:
        return None
    return "minutes" if minutes > plan else "plan"


def extract_text(text: str, *, known_meetings: list[dict] | None = None) -> dict[str, Any]:
    """What the text holds, in the shape `flask extract --json` prints; DocumentProblem if it is neither kind."""
    kind = classify(text)
    if kind is None:
        raise DocumentProblem(NOT_A_DOCUMENT)
    if kind == "minutes":
        from data.documents.minutes import extract_minutes

        return extract_minutes(text, known_meetings=known_meetings)
    from data.documents.plan import extract_plan

    return extract_plan(text)


def extract_document(content: bytes, filename: str, *, known_meetings: list[dict] | None = None) -> dict[str, Any]:
    """Read the file and extract it; the result also says which file it came from (name, format, pages, SHA-256)."""
    doc = read_document(content, filename)
    result = extract_text(doc.text, known_meetings=known_meetings)
    result["document"] = {
        "filename": filename,
        "format": doc.format,
        "pages": doc.pages,
        "characters": len(doc.text),
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    return result


__all__ = ["DocumentProblem", "classify", "extract_document", "extract_text"]
