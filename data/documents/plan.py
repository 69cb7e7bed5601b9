"""A verksamhetsplan's text → its year, adoption, focus areas, activities and projects (with dates, money, people).

`extract_plan(text)` takes already extracted plain text (see `data.documents.text`) and returns the issue's JSON
shape. It works with general rules, not with one document's layout:

- focus areas are headings in capitals ("NÄRINGSLIV"), numbered headings ("1. Näringsliv", "Insatsområde 2: …") or
  Markdown "# …" headings;
- under a focus area, short lines without a full stop are subheadings; a subheading under a "Projekt" line, or whose
  text carries project markers (Tidsram, Total budget, Projektägare, Kontaktperson …), is a project, otherwise an
  activity; bullets are activities (or, under a heading that ends in ":", one activity each);
- projects get time frame, phases, budget and its period, budget parts, funders with amounts and kinds, owner,
  contact and municipalities from phrase rules that tolerate lost diacritics ("ar" for "är");
- funders that do not add up to the stated total give `funding_gap_sek` (only when every funder has an amount and all
  periods agree; otherwise null and a note in "uncertain").

Nothing is invented: what the text does not say stays null or empty, and every guess is explained in "uncertain"
(Swedish, shown to the person who checks the import). Damaged text (lines broken inside sentences, page numbers,
lost diacritics) is coped with. Pure functions, stdlib only (plus `data.imports.values.parse_amount`).
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from typing import Any

from data.imports.values import ValueProblem, parse_amount

__all__ = ["extract_plan", "MUNICIPALITIES"]

# ---------------------------------------------------------------- words

MUNICIPALITIES = {
    "Bjurholm": ("Bjurholm",),
    "Nordmaling": ("Nordmaling",),
    "Robertsfors": ("Robertsfors",),
    "Umeå": ("Umeå",),
    "Vindeln": ("Vindeln", "Vindel"),
    "Vännäs": ("Vännäs",),
    "Örnsköldsvik": ("Örnsköldsvik", "Övik"),
}
MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4, "maj": 5,
    "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
NUMBER_WORDS = {"ett": 1, "en": 1, "två": 2, "tva": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8}

# funder kinds, first match wins (checked on the folded name)
FUNDER_KINDS = (
    ("kommunerna", r"kommun|umearegionen"),
    ("EU", r"\beu\b|\beg\b|eu:s|eg:s|strukturfond|\bmal ?\d|interreg|eruf|\besf\b|leader|europeisk|socialfond"
     r"|regionalfond|landsbygdsprogram"),
    ("region/landsting", r"landsting|\bregion (?:vasterbotten|norrbotten|vasternorrland)|regionforbund"),
    ("universitet", r"universitet|hogskola|\bslu\b|\bkth\b"),
    ("stat", r"lansstyrelse|tillvaxtverket|vinnova|nutek|glesbygdsverket|verket\b|myndighet|arbetsformedling"
     r"|\bstaten\b|statlig|departement|banverket|trafikverket|energimyndighet|boverket|formas"),
    ("privat", r"sparbank|\bbank|\bab\b|foretag|naringsliv|handelskammare|\binc\b|\boy\b"),
)  # fmt: skip


def fold(text: str) -> str:
    """Lower case without diacritics (å→a, ä→a, ö→o): for matching words in damaged text."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _dia(pattern: str) -> str:
    """A regex that also matches its Swedish letters written without diacritics ("är" or "ar")."""
    for ch, plain in (("å", "a"), ("ä", "a"), ("ö", "o"), ("Å", "A"), ("Ä", "A"), ("Ö", "O"), ("é", "e")):
        pattern = pattern.replace(ch, f"[{ch}{plain}]")
    return pattern


# ---------------------------------------------------------------- dates and amounts

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_ISO = r"(?:19|20)\d{2}-[01]?\d-[0-3]?\d"
_DMY = r"[0-3]?\d/[01]?\d(?:-| )(?:19|20)\d{2}"
_NAMED_DATE = rf"[0-3]?\d(?::e|:a)?\s+(?:{_MONTH_RE})\.?\s+(?:19|20)\d{{2}}"
_MONTH_YEAR = rf"(?:{_MONTH_RE})\.?\s+(?:19|20)\d{{2}}"
DATE = rf"(?:{_ISO}|{_DMY}|{_NAMED_DATE}|{_MONTH_YEAR})"
_DASH = r"\s*(?:--|[–—‒-]|\btill\b|\bto\b)\s*"
RANGE = re.compile(rf"(?i)({DATE}){_DASH}({DATE})")
YEAR_RANGE = re.compile(r"(?<![\d-])((?:19|20)\d{2})\s*(?:--|[–—‒-]|\btill\b)\s*((?:19|20)\d{2})(?![\d-])")


def parse_date(text: str, *, end: bool = False) -> str | None:
    """An ISO date from 2005-01-01, 3/12-2004, 3 december 2004 or (first/last day of) jan 2005; None if unreadable."""
    text = text.strip().casefold().replace(":e", "").replace(":a", "")
    day: int | None
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := re.fullmatch(r"(\d{1,2})/(\d{1,2})[- ](\d{4})", text):
        year, month, day = int(m[3]), int(m[2]), int(m[1])
    elif m := re.fullmatch(rf"(\d{{1,2}})\s+({_MONTH_RE})\.?\s+(\d{{4}})", text):
        year, month, day = int(m[3]), MONTHS[m[2]], int(m[1])
    elif m := re.fullmatch(rf"({_MONTH_RE})\.?\s+(\d{{4}})", text):
        year, month, day = int(m[2]), MONTHS[m[1]], None
    else:
        return None
    if not 1 <= month <= 12:
        return None
    if day is None:
        day = calendar.monthrange(year, month)[1] if end else 1
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


_UNIT = r"(?:miljoner|miljon|milj\.?|mkr|mnkr|msek|mdkr|miljarder|mdr|tkr|kkr|tsek|ksek|tusen)"
_CUR = r"(?:kronor|kr\.?|sek|:-|:–|,-)"
AMOUNT = re.compile(
    rf"(?i)(?<![\w.,])(?P<num>\d{{1,3}}(?:[ \u00a0]\d{{3}})+(?:,\d+)?|\d+(?:[.,]\d+)?)\s*"
    rf"(?P<unit>{_UNIT}(?:\s*{_CUR})?|{_CUR})(?![\wåäö])"
    r"(?P<per>\s*(?:/\s*år|/\s*ar|per\s+år|per\s+ar|om\s+året|årligen|\/\s*year))?"
)


def read_amount(match: re.Match) -> int | None:
    try:
        return parse_amount(f"{match['num']} {match['unit'].rstrip('.')}")
    except ValueProblem:
        return None


def _period(match: re.Match) -> str:
    return "per_year" if match["per"] else "total"


# ---------------------------------------------------------------- lines → blocks

_PAGE_LINE = re.compile(
    r"(?i)^\s*(?:\d{1,3}\s*\(\d{1,3}\)|sida\s+\d+(?:\s*(?:av|\()\s*\d+\)?)?|\d{1,3}|-\s*\d{1,3}\s*-)\s*$"
)
_SIGNATURE = re.compile(r"^\s*/[A-Za-zÅÄÖåäö]{1,6}/\s*$")
_BULLET = re.compile(r"^\s*(?:[-•*–·▪►]|\d{1,2}\))\s+(?=\S)")
_NUMBERED_FOCUS = re.compile(
    r"^\s*(?:(?i:insatsområde|fokusområde|målområde|område|del)\s+)?(\d{1,2})[.:)]?\s+(?=[A-ZÅÄÖ])"
)
_NUMBERED_SUB = re.compile(r"^\s*\d{1,2}\.\d{1,2}\.?\s+(?=\S)")
_LABELLED_FOCUS = re.compile(
    _dia(r"(?i)^\s*(?:insatsområde|fokusområde|målområde|utvecklingsområde)\s*\d*\s*[:.-]\s*(?=\S)")
)
_PROJECTS_MARKER = re.compile(_dia(r"(?i)^\s*(?:pågående\s+|nya\s+|planerade\s+)?projekt(?:en)?\s*:?\s*$"))
_END_PUNCT = tuple('.!?:;)"”»')
_FUNCTION_WORDS = {
    "och", "av", "i", "på", "att", "för", "med", "som", "till", "den", "det", "en", "ett", "samt", "eller", "vilket",
    "vilken", "de", "om", "från", "inom", "under", "där", "är", "har", "ska", "kan", "mellan", "efter", "hos", "vid",
    "hur", "vad", "när", "så", "sig", "sin", "sina", "sitt", "dess", "deras", "inte", "ej", "bör", "skall", "kommer",
    "blir", "var", "vars", "samtliga", "alla", "olika", "nya", "denna", "detta", "dessa", "genom", "mot", "både",
}  # fmt: skip
_FOLDED_FUNCTION_WORDS = {fold(w) for w in _FUNCTION_WORDS}
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")


def _clean(line: str) -> str:
    line = _BOLD.sub(lambda m: m[1] or m[2], line)
    return " ".join(line.split())


def _is_caps(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 6 and all(ch.isupper() for ch in letters) and len(line.split()) <= 10


def _heading_like(line: str) -> bool:
    """Short, starts with a capital or digit, no sentence end, does not stop on a word that needs a continuation."""
    words = line.split()
    if not words or len(line) > 90 or len(words) > 12:
        return False
    if not (line[0].isupper() or line[0].isdigit() or line[0] in '"”«'):
        return False
    if line.endswith((".", ",", ";", "–", "-")) or re.search(r"[.!?]\s+[A-ZÅÄÖ]|^[^:]{2,30}:\s+\S", line):
        return False
    if fold(words[-1]) in _FOLDED_FUNCTION_WORDS:
        return False
    if line.count('"') % 2 or line.count("(") != line.count(")") or line.count("**") % 2:
        return False  # a quotation or parenthesis left open goes on on the next line
    return not AMOUNT.search(line) and not re.search(_ISO, line)


def _join(before: str, line: str) -> str:
    """Two pieces of one paragraph; a line starting with a label ("Budget: …") after an unfinished one gets a stop."""
    if re.match(r"[A-ZÅÄÖ][\wåäö /-]{1,30}:\s", line) and not before.endswith(_END_PUNCT):
        return f"{before}. {line}"
    if re.search(r"\d-$", before) and line[:1].isdigit():  # a date broken at its hyphen: 2003-01-|01
        return before + line
    return f"{before} {line}".strip()


def _wrap_width(lines: list[str]) -> int:
    """The width a PDF wrapped its lines at (the most common ceiling of lines that go on on the next line), or 0."""
    lengths = [len(lines[k].strip()) for k in range(len(lines) - 1) if lines[k].strip() and lines[k + 1].strip()]
    per_length = [0] * 162
    for length in lengths:
        per_length[min(length, 161)] += 1
    best, best_count = 0, 0
    for width in range(40, 161):
        count = sum(per_length[width - 14 : width + 1])
        if count > best_count:
            best, best_count = width, count
    return best if best_count >= 8 and best_count >= 0.3 * len(lengths) else 0


def _blocks(text: str) -> list[dict]:
    """The text as blocks: focus, heading, projects (marker), bullet (title, text), para; damaged breaks joined."""
    raw = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    lines: list[str] = []
    dropped_page = False
    for line in raw.split("\n"):
        if _PAGE_LINE.match(line) or _SIGNATURE.match(line):
            # a page break inside a sentence: the blank lines around the page number do not end the paragraph
            while lines and not lines[-1].strip():
                lines.pop()
            if lines and lines[-1].rstrip().endswith(_END_PUNCT):
                lines.append("")
            dropped_page = True
            continue
        if dropped_page and not line.strip():
            continue
        dropped_page = False
        if lines and lines[-1].count("**") % 2 == 1 and line.strip():  # bold broken over two lines
            lines[-1] = f"{lines[-1].rstrip()} {line.strip()}"
            continue
        lines.append(line)
    wrap_width = _wrap_width(lines)
    blocks: list[dict] = []
    blank_before = True
    i = 0
    n = len(lines)
    while i < n:
        original = lines[i]
        line = _clean(original)
        i += 1
        if not line:
            blank_before = True
            continue
        was_bold = bool(_BOLD.fullmatch(original.strip().lstrip("-•* ").strip()))
        nxt = ""
        for j in range(i, min(i + 3, n)):
            if lines[j].strip():
                nxt = _clean(lines[j])
                break
        next_lower = bool(nxt) and nxt[0].islower()
        # a wrapped paragraph (PDF): a line of nearly full width with text right under it is not a heading
        next_direct = i < n and bool(lines[i].strip())
        wrapped = wrap_width and len(line) + 1 + len(nxt.split(" ")[0]) > wrap_width  # the next word did not fit
        if next_direct and (nxt[:1].isdigit() or wrapped):
            next_lower = True
        prev = blocks[-1] if blocks else None
        prev_open = prev is not None and prev["kind"] in ("para", "bullet") and not prev["text"].endswith(_END_PUNCT)

        if original.lstrip().startswith("#"):
            level = len(original.lstrip()) - len(original.lstrip().lstrip("#"))
            title = line.lstrip("#").strip()
            blocks.append({"kind": "heading", "text": title, "level": level})
        elif (
            _BULLET.match(line)
            and not _NUMBERED_FOCUS.match(line)
            # "- 2005-12-31." under an unfinished line is the rest of a sentence broken before a dash
            and not (prev_open and not blank_before and _BULLET.sub("", line)[:1].isdigit())
        ):
            body = _BULLET.sub("", line)
            bold = was_bold or bool(_BOLD.search(original))
            blocks.append({"kind": "bullet", "title": body if bold else None, "text": "" if bold else body})
        elif (
            prev_open
            and (not blank_before or line[0].islower() or len(prev["text"]) >= 100)
            and not (blank_before and _is_caps(line))
        ):
            prev["text"] = _join(prev["text"], line)
        elif _LABELLED_FOCUS.match(line) or (_is_caps(line) and not line.endswith(".")):
            blocks.append({"kind": "focus", "text": _LABELLED_FOCUS.sub("", line)})
        elif _PROJECTS_MARKER.match(line):
            blocks.append({"kind": "projects", "text": line})
        elif _NUMBERED_SUB.match(line) and _heading_like(_NUMBERED_SUB.sub("", line)):
            blocks.append({"kind": "heading", "text": _NUMBERED_SUB.sub("", line)})
        elif _NUMBERED_FOCUS.match(line) and _heading_like(_NUMBERED_FOCUS.sub("", line)) and not next_lower:
            blocks.append({"kind": "focus", "text": _NUMBERED_FOCUS.sub("", line), "numbered": True})
        elif (
            was_bold
            or (
                _heading_like(line.rstrip(":"))
                and (blank_before or prev is None or prev["kind"] in ("focus", "heading", "projects") or not prev_open)
            )
        ) and not next_lower:
            blocks.append({"kind": "heading", "text": line.rstrip(":").strip(), "group": line.endswith(":")})
        elif prev is not None and prev["kind"] == "bullet" and not blank_before and prev["title"] and not prev["text"]:
            prev["text"] = line
        elif prev is not None and prev["kind"] in ("para", "bullet") and not blank_before:
            prev["text"] = _join(prev["text"], line)
        else:
            blocks.append({"kind": "para", "text": line})
        blank_before = False
    # Markdown: a lone first "# Title" is the document's title; the highest remaining level is the focus areas
    marked = [b for b in blocks if "level" in b]
    if marked and marked[0] is blocks[0] and sum(b["level"] == marked[0]["level"] for b in marked) == 1:
        blocks[0]["kind"] = "para"
        marked = marked[1:]
    if marked:
        top = min(b["level"] for b in marked)
        for b in marked:
            if b["level"] == top:
                b["kind"] = "focus"
                b["text"] = _NUMBERED_FOCUS.sub("", _LABELLED_FOCUS.sub("", b["text"]))
    # "1. Näringsliv" is a focus area only when numbered headings are the plan's top level: if every numbered heading
    # sits under a heading in capitals, they are subheadings
    if any(b["kind"] == "focus" and not b.get("numbered") for b in blocks):
        for b in blocks:
            if b.get("numbered"):
                b["kind"] = "heading"
    return blocks


# ---------------------------------------------------------------- names


def _focus_name(heading: str, text_words: set[str]) -> str:
    """'DEN HÅLLBARA UMEÅREGIONEN' → 'Den hållbara Umeåregionen': capitals kept only where the text capitalises."""
    if not _is_caps(heading):
        return heading.strip(" :")
    words = []
    for k, word in enumerate(heading.split()):
        low = word.lower()
        titled = low[:1].upper() + low[1:]
        if k == 0:
            words.append(titled)
        elif len(word) <= 4 and word.isalpha() and word in text_words:
            words.append(word)  # an acronym used as such in the text: EU, IT, SWOT
        elif titled in text_words and low not in text_words:
            words.append(titled)
        else:
            words.append(low)
    return " ".join(words)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


_NAME_WORD = r"[A-ZÅÄÖÉ][a-zåäöéüø]+(?:-[A-ZÅÄÖÉ][a-zåäöéüø]+)?"
PERSON = rf"{_NAME_WORD}(?:\s+(?:af\s+|von\s+|de\s+)?{_NAME_WORD}){{1,2}}"


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ\"(”])", text) if s.strip()]


def municipalities_in(text: str) -> list[str]:
    """The canonical names of the municipalities named in `text`, in order of appearance.

    'Umeå universitet' and 'Umeåregionen' do not name Umeå; a place something goes towards ('mot Örnsköldsvik') is
    not a participant.
    """
    found: list[tuple[int, str]] = []
    folded = fold(text)
    for name, forms in MUNICIPALITIES.items():
        for form in forms:
            pattern = rf"(?<![\w-]){re.escape(fold(form))}s?(?:\s+kommun(?:s|er)?)?(?![\w-])"
            for m in re.finditer(pattern, folded):
                after = folded[m.end() : m.end() + 14]
                before = folded[max(0, m.start() - 5) : m.start()]
                if re.match(r"\s+(?:universitet|energi|hamn\b|airport|flygplats)", after) or before.endswith("mot "):
                    continue
                found.append((m.start(), name))
    seen: list[str] = []
    for _, name in sorted(found):
        if name not in seen:
            seen.append(name)
    return seen


def funder_kind(name: str) -> str:
    folded = fold(name)
    for kind, pattern in FUNDER_KINDS:
        if re.search(pattern, folded):
            return kind
    return "övrigt"


# ---------------------------------------------------------------- project facts

_TIMEFRAME_LABEL = _dia(r"(?i:tidsram(?:en)?|projekttid(?:en)?|projektid|projektperiod(?:en)?|period(?:en)?|löptid"
                        r"|genomförandetid|pågår)")  # fmt: skip
_PHASE = re.compile(
    _dia(r"(?i)\b(e?t+app|etapp|fas|steg|delprojekt)\s+(\d+|[ivx]+|ett|två|tre)\b\s*:?\s*")
    + rf"(?:(?:\(|,)?\s*({DATE}){_DASH}({DATE}))?"
)
_N_YEARS = re.compile(
    _dia(r"(?i)\b(\d|ett|två|tre|fyra|fem|sex)\s*-?\s*årig(?:t|a)?\b[^.]{0,120}?\bstart(?:ar)?\s+(?:i\s+|år\s+)?")
    + rf"(?:(?i:({_MONTH_RE}))\s+)?((?:19|20)\d{{2}})"
)
_UNTIL = re.compile(
    _dia(r"(?i)\b(?:t\s?\.?\s?o\s?\.?\s?m\.?|till och med|fram till)\s+") + rf"((?i:{DATE})|(?:19|20)\d{{2}})"
)
_BUDGET = re.compile(
    _dia(
        r"(?i)\b(?:total(?:a)?\s+budget(?:en)?|totalbudget(?:en)?|(?:projektets\s+)?budget(?:en)?(?!\s+för)"
        r"|omslutning(?:en)?|total\s+kostnad|kostnad(?:en)?|budgeterat)\b(?:\s+(?:är|på|om|uppgår till|beräknas till"
        r"|:))?\s*:?\s*(?:totalt\s+|ca\.?\s+|cirka\s+)?"
    )  # fmt: skip
)
_PART_FOR = re.compile(_dia(r"(?i)\bbudget(?:en)?\s+för\s+([^.]{3,80}?)\s+(?:är|blir|uppgår till|:)(?!\w)\s*"))
_OWNER = re.compile(
    _dia(r"(?i:projektägare(?:n)?|huvudman(?:nen)?|projektet\s+ägs\s+av|projektet\s+drivs\s+av|ägare)\s*(?:är|:)?\s*")
    + r"([A-ZÅÄÖ][^.;]{1,80}?)(?=\s+och\s+|\s*[,.;]|\s*$)"
)
_CONTACT_LABEL = re.compile(
    _dia(r"(?i:kontaktperson(?:er)?|kontakt)\s*(?:är|:)\s*") + rf"({PERSON})"
    r"(?:\s*,\s*([a-zåäö][a-zåäö/ -]{2,40}?)(?=\s*[.;,]|\s*$))?"
)
_ROLE_IS = re.compile(
    _dia(r"(?i:(projektledare|processledare|projektansvarig|samordnare|koordinator|huvudkontakt|projektkoordinator))")
    + r"(?:\s+(?:för|i)\s+[^.,]{1,60}?)?\s*(?:är\b|:)\s*"
    + rf"({PERSON})"
)
_NAME_ROLE = re.compile(rf"({PERSON}),\s*(projektledare|processledare|projektansvarig|samordnare|projektkoordinator)\b")
_FUNDER_TRIGGER = re.compile(
    _dia(
        r"(?i)\b(?:partner(?:s|na)?\s+är|finansiärer(?:na)?\s*(?:är|:)|finansiär\s*(?:är|:)|medfinansiärer(?:na)?"
        r"\s*(?:är|:)?|finansieras\s+(?:av|genom|med)|finansiering\s*:|medfinansieras\s+av|"
        r"samfinansieras\s+av|bekostas\s+av)\s*"
    )  # fmt: skip
)
_MARKERS = re.compile(
    _dia(
        r"(?i)\b(?:tidsram|projekttid|projektid|total\s+budget|totalbudget|projektägare|kontaktperson|projektledare"
        r"\s+är|finansiärer|finansieras\s+av|etapp\s+\d)"
    )
)
_MAL = re.compile(_dia(r"(?i)\bmål\s*(\d)\s*-?\s*projekt"))


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def _split_funders(clause: str, uncertain: list[str]) -> list[dict]:
    """'kommunerna med en insats av totalt 2,4 mkr per år, Umeå universitet, 200 000 kr/år och X' → funders."""
    amounts: list[re.Match] = []

    def hold(m: re.Match) -> str:
        amounts.append(m)
        return f" §A{len(amounts) - 1}§ "

    masked = AMOUNT.sub(hold, clause)
    masked = re.sub(r"([A-ZÅÄÖ]{2,}):\s+s\b", r"\1:s", masked)  # "EU: s mål 1" → "EU:s mål 1"
    parts = re.split(r",\s*|\s+och\s+|\s+samt\s+(?:av\s+)?|;\s*", masked)
    funders: list[dict] = []
    for part in parts:
        part = part.strip(" .")
        if not part:
            continue
        ref = re.search(r"§A(\d+)§", part)
        name = re.sub(r"§A\d+§", "", part)
        name = re.sub(
            _dia(r"(?i)\s*(?:med\s+(?:en\s+)?(?:insats|bidrag|finansiering)(?:\s+(?:av|på|om))?|bidrar\s+med|som\s+"
                 r"bidrar\s+med|totalt|sammanlagt|tillsammans|vardera|per\s+år|om\s+året|årligen)\b.*$"),
            "",
            name,
        )  # fmt: skip
        name = re.sub(_dia(r"(?i)^(?:av\s+|pengar\s+från\s+|medel\s+från\s+|bidrag\s+från\s+|från\s+)+"), "", name)
        name = " ".join(name.split()).strip(" .:-")
        amount = period = None
        if ref:
            m = amounts[int(ref[1])]
            amount, period = read_amount(m), _period(m)
            if amount is None:
                uncertain.append(f"Beloppet ”{m[0].strip()}” kunde inte läsas.")
            if re.search(_dia(r"(?i)per\s+år|om\s+året|årligen|/\s*år"), part):
                period = "per_year"
        if name and len(name.split()) <= 8:
            funders.append({"name": _cap(name), "kind": funder_kind(name), "amount_sek": amount, "period": period})
        elif ref and funders and funders[-1]["amount_sek"] is None:
            funders[-1]["amount_sek"], funders[-1]["period"] = amount, period
    return funders


def _project(name: str, body: str, focus_text: str) -> dict:
    uncertain: list[str] = []
    text = body
    # phases first, so their dates are not read as the project's time frame
    phases, phase_spans = [], []
    for m in _PHASE.finditer(text):
        label = fold(m[1])
        word = "Etapp" if "tapp" in label else _cap(m[1].lower())
        if word == "Etapp" and label != "etapp":
            uncertain.append(f"”{m[1]}” i texten läst som Etapp.")
        number = m[2]
        number = str(NUMBER_WORDS.get(fold(number), number)).upper() if not number.isdigit() else number
        phases.append({"name": f"{word} {number}", "start": parse_date(m[3]) if m[3] else None,
                       "end": parse_date(m[4], end=True) if m[4] else None})  # fmt: skip
        phase_spans.append(m.span())
    rest = _mask(text, phase_spans)

    start = end = None
    label = re.search(_TIMEFRAME_LABEL + r"\s*(?:är|:)?\s*", rest)
    ranges = list(RANGE.finditer(rest))
    if label:
        after = [r for r in ranges if r.start() >= label.end() and r.start() - label.end() < 40]
        ranges = after or ranges
    if ranges:
        start, end = parse_date(ranges[0][1]), parse_date(ranges[0][2], end=True)
    elif m := _N_YEARS.search(rest):
        years = m[1] if m[1].isdigit() else NUMBER_WORDS.get(fold(m[1]), 1)
        years = int(years)
        first = int(m[3])
        month = MONTHS[m[2].casefold()] if m[2] else 1
        start = datetime.date(first, month, 1).isoformat()
        last = datetime.date(first + years, month, 1) - datetime.timedelta(days=1)
        end = last.isoformat()
        uncertain.append(f"Exakta datum anges inte; {start} – {end} är härlett ur ”{m[0].strip()}”.")
    elif label and (m := YEAR_RANGE.search(rest, label.end())):
        start, end = f"{m[1]}-01-01", f"{m[2]}-12-31"
    elif m := _UNTIL.search(rest):
        end = parse_date(m[1], end=True) if not re.fullmatch(r"\d{4}", m[1]) else f"{m[1]}-12-31"
        uncertain.append(f"Startdatum anges inte; slutdatum från ”{m[0].strip()}”.")

    # budget: the first amount after a budget word that is not "Budget för X" (a part)
    total = period = None
    parts: list[dict] = []
    part_spans: list[tuple[int, int]] = []
    for m in _PART_FOR.finditer(rest):
        a = AMOUNT.match(rest, m.end())
        if a:
            parts.append({"name": " ".join(m[1].split()), "amount_sek": read_amount(a)})
            part_spans.append((m.start(), a.end()))
    budget_text = _mask(rest, part_spans)
    for m in _BUDGET.finditer(budget_text):
        a = AMOUNT.match(budget_text, m.end())
        if a:
            total, period = read_amount(a), _period(a)
            if total is None:
                uncertain.append(f"Budgeten ”{a[0].strip()}” kunde inte läsas.")
            varav = re.match(
                _dia(r"(?i)\s*[;,]?\s*(?:varav|därav|fördelat\s+på)\s+((?:[^.]|\.(?=\d))*)"), budget_text[a.end() :]
            )
            if varav:
                for piece in re.split(r",\s*|\s+och\s+|\s+samt\s+", varav[1]):
                    pa = AMOUNT.search(piece)
                    if not pa:
                        continue
                    label_text = (piece[: pa.start()] + " " + piece[pa.end() :]).strip()
                    label_text = re.sub(_dia(r"(?i)^(?:till|för|avser|åt|i)\s+|\s+(?:till|för)$"), "", label_text)
                    parts.append({"name": " ".join(label_text.split()) or None, "amount_sek": read_amount(pa)})
            if not a["per"]:
                uncertain.append(f"Budgeten ”{a[0].strip().rstrip('.')}” anges utan period; tolkad som total budget.")
            break

    # funders
    funders: list[dict] = []
    for sentence in _sentences(rest):
        if t := _FUNDER_TRIGGER.search(sentence):
            funders += _split_funders(sentence[t.end() :], uncertain)
        elif (m := AMOUNT.search(sentence)) and not _BUDGET.search(sentence) and not _PART_FOR.search(sentence):
            head = sentence[: m.start()].strip(" :,")
            tail = sentence[m.end() :].strip(" .")
            if head and not tail and len(head.split()) <= 6 and funder_kind(head) != "övrigt":
                funders += _split_funders(sentence, uncertain)
    if not funders and (m := _MAL.search(rest)):
        funders.append({"name": f"EU:s mål {m[1]}", "kind": "EU", "amount_sek": None, "period": None})
        uncertain.append(f"Finansiären EU:s mål {m[1]} är härledd ur ”{m[0]}”; belopp anges inte.")

    gap = None
    if total is not None and funders:
        if any(f["amount_sek"] is None for f in funders):
            uncertain.append(
                "Alla finansiärers belopp anges inte; om finansieringen täcker budgeten går inte att avgöra."
            )
        elif any(f["period"] != period for f in funders):
            uncertain.append("Finansiärernas belopp och budgeten gäller olika perioder; skillnaden räknas inte ut.")
        else:
            listed = sum(f["amount_sek"] for f in funders)
            gap = total - listed
            unit = " kr/år" if period == "per_year" else " kr"
            if gap:
                uncertain.append(
                    f"Finansiärerna summerar till {_kr(listed)}{unit} men total budget anges till {_kr(total)}{unit}; "
                    f"skillnaden är {_kr(abs(gap))}{unit}" + (" för mycket." if gap < 0 else ".")
                )

    owner = None
    if m := _OWNER.search(rest):
        owner = m[1].strip()

    contact = None
    if m := _CONTACT_LABEL.search(rest):
        contact = {"name": m[1], "role": m[2].strip() if m[2] else None}
    elif m := _ROLE_IS.search(rest):
        contact = {"name": m[2], "role": m[1].lower()}
    elif m := _NAME_ROLE.search(rest):
        contact = {"name": m[1], "role": m[2]}

    municipalities = municipalities_in(f"{name}. {body}")
    if re.search(_dia(r"(?i)kommunerna\s+i\s+umeåregionen|umeåregionens\s+(?:sju\s+|sex\s+)?kommuner"), body):
        uncertain.append(
            "Texten nämner ”kommunerna i Umeåregionen” utan att räkna upp dem; ange vilka kommuner som deltar."
        )
    if owner is None:
        uncertain.append("Projektägare anges inte.")
    return {
        "name": name,
        "start": start,
        "end": end,
        "phases": phases,
        "total_budget_sek": total,
        "budget_period": period if total is not None else None,
        "budget_parts": parts,
        "funders": funders,
        "funding_gap_sek": gap,
        "owner_org": owner,
        "contact": contact,
        "municipalities": municipalities,
        "source": f"{name}. {body}".strip(),
        "text": body,
        "uncertain": list(dict.fromkeys(uncertain)),
    }


def _kr(amount: int) -> str:
    return f"{amount:,}".replace(",", " ")


# ---------------------------------------------------------------- the plan

_TITLE_YEAR = re.compile(
    _dia(
        r"(?i)\b(?:verksamhetsplan|handlingsplan|verksamhets-\s+och\s+\w+plan|årsplan|plan)\w*\s*(?:för\s+(?:år\s+)?)?"
    )
    + r"((?:19|20)\d{2})(?:\s*[–-]\s*((?:19|20)\d{2}))?"
)
_ADOPTED = re.compile(
    _dia(r"(?i:antagen|antogs|fastställd|fastställdes|beslutad|beslutades|godkänd|godkändes)\s+(?:av|i|vid)\s+")
    + r"((?:[A-ZÅÄÖ][\wåäöÅÄÖ-]*)(?:\s+[\wåäöÅÄÖ-]+){0,3}?)\s*,?\s*"
    + _dia(r"(?i:(?:på\s+sitt\s+)?(?:sammanträde|möte)\s+)?(?i:den\s+|på\s+)?")
    + rf"((?i:{DATE}))"
)
_ADOPTED_ACTIVE = re.compile(
    r"\b([A-ZÅÄÖ][\wåäö-]+)\s+" + _dia(r"(?i:antog|fastställde|beslutade|godkände)\b") + rf"[^.]{{0,60}}?((?i:{DATE}))"
)


def _title_for(text: str) -> str:
    first = _sentences(text)[0] if text else ""
    first = first.rstrip(".")
    if len(first) <= 70:
        return first
    cut = first[:70].rsplit(" ", 1)[0]
    return f"{cut} …"


def extract_plan(text: str) -> dict[str, Any]:
    """The plan found in `text` (already extracted plain text), in the issue's JSON shape."""
    blocks = _blocks(text or "")
    uncertain: list[str] = []
    flat = " ".join(b.get("text") or "" for b in blocks)
    flat_all = " ".join(f"{b.get('title') or ''} {b.get('text') or ''}" for b in blocks)

    year = None
    head = " ".join((b.get("text") or "") for b in blocks[:6])
    if m := _TITLE_YEAR.search(head) or _TITLE_YEAR.search(flat[:5000]):
        year = int(m[1])
        if m[2]:
            uncertain.append(f"Planen gäller {m[1]}–{m[2]}; året satt till {m[1]}.")
    adopted_on = adopted_by = None
    adoption_text = None
    if m := _ADOPTED.search(flat_all):
        adopted_by, adopted_on, adoption_text = m[1].strip(), parse_date(m[2]), m[0]
    elif m := _ADOPTED_ACTIVE.search(flat_all):
        adopted_by, adopted_on, adoption_text = m[1], parse_date(m[2]), m[0]

    body_text = " ".join(f"{b.get('title') or ''} {b.get('text') or ''}" for b in blocks if b["kind"] != "focus")
    body_words = set(re.findall(r"\w+(?:-\w+)*", body_text))
    # a plan says so in its title, or has several project facts; minutes that mention a "fokusområde" are not a plan
    title_says_plan = re.search(_dia(r"(?i)\b\w*plan\b|insatsområde|fokusområde"), head)
    title_says_minutes = re.search(
        _dia(r"(?i)minnesanteckning|protokoll|kommunchefsmöte|dagordning|beslutande|närvarande"), head
    )
    markers = {fold(m[0]).split()[0] for m in _MARKERS.finditer(flat_all)}
    plan_like = bool(title_says_plan or len(markers) >= 2) and not (title_says_minutes and not title_says_plan)
    result: dict[str, Any] = {
        "year": year,
        "adopted_on": adopted_on,
        "adopted_by": adopted_by,
        "focus_areas": [],
        "uncertain": uncertain,
    }
    if not plan_like:
        uncertain.append("Texten ser inte ut som en verksamhetsplan; inga fokusområden eller projekt lästes in.")
        return {"kind": "plan", "plan": result}

    areas: list[dict] = []
    area: dict | None = None
    in_projects = False
    pending: dict | None = None  # the heading whose text is being collected
    group: str | None = None

    def new_area(name: str | None) -> dict:
        a = {"name": name, "activities": [], "projects": [], "_items": []}
        areas.append(a)
        return a

    def flush() -> None:
        nonlocal pending
        if pending is None:
            return
        item, pending = pending, None
        body = " ".join(t for t in item["texts"] if t).strip()
        if adoption_text and adoption_text in body:
            body = re.sub(re.escape(adoption_text) + r"\.?", "", body).strip()
        if not body and (not item.get("title") or (item["kind"] == "item" and not item["under_projects"])):
            return  # a heading with nothing under it (or an empty line) is nothing to follow up
        is_project = item["under_projects"] or bool(_MARKERS.search(body))
        target = item["area"]
        if is_project and item.get("title"):
            target["projects"].append(_project(item["title"], body, flat))
        else:
            activity = {"title": _cap(item.get("title") or _title_for(body)), "text": body, "source": body}
            if not item.get("title"):
                activity["uncertain"] = ["Avsnittet saknar rubrik; titeln är textens första mening."]
            if item.get("group"):
                activity["group"] = item["group"]
            target["activities"].append(activity)

    def start(kind: str, title: str | None, **extra: Any) -> None:
        nonlocal pending, area
        flush()
        if area is None:
            area = new_area(None)
        pending = {"kind": kind, "title": title, "texts": [], "area": area, "under_projects": in_projects, **extra}

    for index, b in enumerate(blocks):
        kind = b["kind"]
        following = blocks[index + 1] if index + 1 < len(blocks) else {"kind": "end"}
        if kind == "focus":
            flush()
            area, in_projects, group = new_area(_focus_name(b["text"], body_words)), False, None
        elif area is None and not (
            kind == "projects" or (kind == "heading" and _MARKERS.search(following.get("text") or ""))
        ):
            continue  # the title page, before the first focus area
        elif kind == "projects":
            flush()
            in_projects, group = True, None
            if area is None:
                area = new_area(None)
        elif kind == "heading":
            if (b.get("group") or following["kind"] == "bullet") and not in_projects:
                flush()
                group = b["text"]
                continue
            group = None
            named = re.match(_dia(r"(?i)^projekt(?:et)?\s*[:–-]\s*(?=\S)"), b["text"])
            start("item", b["text"][named.end() :] if named else b["text"])
            if named:
                pending["under_projects"] = True
        elif kind == "bullet":
            if pending is not None and group is None and (pending["kind"] == "item" or pending.get("takes_bullets")):
                pending["takes_bullets"] = True
                pending["texts"].append(b["title"] or "")
                pending["texts"].append(b["text"])
                continue
            title = b["title"]
            body = b["text"]
            if title is None and ":" in body[:60]:
                title, body = (s.strip() for s in body.split(":", 1))
            start("activity", title, group=group, from_bullet=True)
            pending["texts"].append(body)
            pending["under_projects"] = False
        else:  # para
            if pending is None or pending.get("from_bullet"):
                start("activity", None)
            pending["texts"].append(b["text"])
            pending["takes_bullets"] = b["text"].endswith(":")
    flush()

    for a in areas:
        del a["_items"]
        if a["name"] is None:
            a["uncertain"] = ["Texten har ingen rubrik för fokusområdet."]
    result["focus_areas"] = [a for a in areas if a["activities"] or a["projects"] or a["name"]]
    if year is None:
        uncertain.append("Planens år hittades inte.")
    if adopted_on is None:
        uncertain.append("Det står inte när eller av vem planen antogs.")
    return {"kind": "plan", "plan": result}
