"""A document's text: .docx, .pdf (with a text layer), .txt or .md, read into plain lines and mended where Word and
PDF break it (page numbers and headers mixed in, words hyphenated over a line, sentences broken over lines)."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass
from xml.etree.ElementTree import iterparse

from data.imports.reading import ZIP_ERRORS, FileProblem, decode_text

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\t": " ", "\u00ad": None})
# "1(8)", "Sida 2 av 8", "- 3 -", "Sid 4": page marks that PDF and Word put between the lines of the text.
_PAGE_MARK = re.compile(
    r"^\s*(?:(?:sida|sid\.?|page)\s*\d+(?:\s*(?:av|\(|/)\s*\d+\)?)?|\d+\s*\(\d+\)|-\s*\d+\s*-)\s*$", re.I
)


class DocumentProblem(ValueError):
    """A document that cannot be read as text; the message is Swedish and says what to do."""


@dataclass
class DocumentText:
    text: str
    filename: str
    format: str  # docx | pdf | txt | md
    pages: int | None = None


def _kind(content: bytes, filename: str) -> str:
    name = filename.lower()
    if content.startswith(b"%PDF"):
        return "pdf"
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as z:
                names = set(z.namelist())
        except ZIP_ERRORS as exc:
            raise DocumentProblem("Filen går inte att öppna. Den kan vara skadad.") from exc
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            raise DocumentProblem(
                "Filen är en Excel-fil. Välj projekt, finansiering, uppdrag, verksamhetsplan eller möten i stället "
                "för Dokument."
            )
        raise DocumentProblem("Filen är ett zip-arkiv, inte ett dokument. Ladda upp .docx, .pdf, .txt eller .md.")
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise DocumentProblem(
            "Filen är i det gamla Word-formatet (.doc). Spara den som .docx eller PDF och försök igen."
        )
    if name.endswith(".md"):
        return "md"
    return "txt"


def _decode(content: bytes) -> str:
    """The text of a plain file, decoded as the CSV reader does (UTF-8 with or without BOM, UTF-16, Windows-1252)."""
    try:
        return decode_text(content)
    except FileProblem as exc:
        raise DocumentProblem("Filen går inte att läsa som text. Ladda upp .docx, .pdf, .txt eller .md.") from exc


def _docx_lines(content: bytes) -> list[str]:
    """The paragraphs of a Word document in order, table cells as their own lines; Word's automatic list numbers
    (which are not in the text) are written out, so that "1. Mötet öppnas" keeps its 1."""
    lines: list[str] = []
    counters: dict[tuple[str, str], int] = {}
    with zipfile.ZipFile(io.BytesIO(content)) as z, z.open("word/document.xml") as xml:
        for _, element in iterparse(xml):
            if element.tag != _W + "p":
                continue
            parts: list[str] = []
            for node in element.iter():
                if node.tag == _W + "t" and node.text:
                    parts.append(node.text)
                elif node.tag in (_W + "tab",):
                    parts.append(" ")
                elif node.tag in (_W + "br", _W + "cr"):
                    parts.append("\n")
            text = "".join(parts)
            num = element.find(f"{_W}pPr/{_W}numPr")
            if num is not None and text.strip():
                num_id = num.find(f"{_W}numId")
                level = num.find(f"{_W}ilvl")
                key = (
                    num_id.get(_W + "val", "") if num_id is not None else "",
                    level.get(_W + "val", "0") if level is not None else "0",
                )
                counters[key] = counters.get(key, 0) + 1
                if key[1] == "0":
                    text = f"{counters[key]}. {text}"
                else:
                    text = f"- {text}"
            lines.extend(text.split("\n"))
            element.clear()
    return lines


def _pdf_pages(content: bytes) -> list[str]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentProblem("PDF-filen är lösenordsskyddad. Spara den utan lösenord och försök igen.")
        return [page.extract_text() or "" for page in reader.pages]
    except DocumentProblem:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on a damaged file (AttributeError, its loop limits …)
        raise DocumentProblem("PDF-filen går inte att läsa. Den kan vara skadad.") from exc


def _drop_running_headers(pages: list[list[str]]) -> list[list[str]]:
    """Lines that open or close most pages (a running header or footer) are not part of the text."""
    if len(pages) < 3:
        return pages
    edges = Counter()
    for lines in pages:
        kept = [ln.strip() for ln in lines if ln.strip()]
        edges.update({*kept[:2], *kept[-2:]})
    running = {ln for ln, n in edges.items() if n >= max(3, len(pages) // 2) and len(ln) < 120}
    return [[ln for ln in lines if ln.strip() not in running] for lines in pages]


def _ends_sentence(line: str) -> bool:
    return line.rstrip().endswith((".", ":", "!", "?", ";", ")", "”", '"'))


def mend_lines(lines: list[str], *, join_broken: bool) -> str:
    """Clean lines into text: page marks out, hyphenated words joined, and (for PDF) a sentence broken over lines
    joined again when the next line goes on in lower case."""
    out: list[str] = []
    for raw in lines:
        line = unicodedata.normalize("NFC", raw.translate(_SPACES)).rstrip()
        if _PAGE_MARK.match(line):
            continue
        if out and out[-1].endswith("-") and line[:1].islower() and len(out[-1]) > 1 and out[-1][-2].isalpha():
            out[-1] = out[-1][:-1] + line.lstrip()
            continue
        if (
            join_broken
            and out
            and out[-1].strip()
            and line[:1].islower()
            and not _ends_sentence(out[-1])
            and not line.lstrip().startswith(("-", "•", "*"))
        ):
            out[-1] = out[-1] + " " + line.lstrip()
            continue
        out.append(line)
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def read_document(content: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> DocumentText:
    """The document's text, cleaned; DocumentProblem (Swedish) for an empty, too large, scanned or unknown file."""
    if not content or not content.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise DocumentProblem("Dokumentet är tomt.")
    if len(content) > max_bytes:
        size = f"{len(content) / 2**20:.1f}".replace(".", ",")
        limit = max_bytes // 2**20
        raise DocumentProblem(f"Dokumentet är för stort ({size} MB). Största tillåtna storlek är {limit} MB.")
    kind = _kind(content, filename)
    pages = None
    if kind == "pdf":
        texts = _pdf_pages(content)
        pages = len(texts)
        if sum(len(t.strip()) for t in texts) < 20 * max(1, pages) // 2:
            raise DocumentProblem(
                "PDF-filen har inget textlager (den verkar vara inskannad). Kör textigenkänning (OCR) på den eller "
                "ladda upp originalet som .docx."
            )
        per_page = _drop_running_headers([t.splitlines() for t in texts])
        text = mend_lines([ln for page in per_page for ln in page], join_broken=True)
    elif kind == "docx":
        try:
            lines = _docx_lines(content)
        except (KeyError, SyntaxError, *ZIP_ERRORS) as exc:  # SyntaxError: ElementTree's ParseError
            raise DocumentProblem("Word-filen går inte att läsa. Den kan vara skadad.") from exc
        text = mend_lines(lines, join_broken=False)
    else:
        text = mend_lines(_decode(content).replace("\r\n", "\n").replace("\r", "\n").split("\n"), join_broken=False)
    if not text.strip():
        raise DocumentProblem("Dokumentet innehåller ingen text.")
    return DocumentText(text=text, filename=filename, format=kind, pages=pages)


__all__ = ["DocumentProblem", "DocumentText", "mend_lines", "read_document"]
