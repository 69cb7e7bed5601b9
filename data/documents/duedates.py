"""Find and resolve the due of an assignment in Swedish minutes.

`find_due(text)` returns the due phrase as written (or None); `resolve_due(due_text, meeting_date, ...)` turns it into a
date and a Swedish rule shown to the person. Conventions (each is spelled out in the rule text):

- an explicit date ("22/8-2019", "2019-08-22", "den 20/6", "1 september") is that date; without a year it is the first
  such day on or after the meeting;
- a month ("i augusti", "till augusti", "i slutet av augusti") is the last day of that month, the first such month on or
  after the meeting; "i mitten av augusti" is the 15th;
- "till kommunchefsmötet i augusti" is the known meeting in that month (from `known_meetings` or the minutes' own next
  meeting); when no meeting in that month is known, the last day of the month;
- "till nästa möte" is the next meeting's date; unknown next meeting -> unresolved;
- a season is its last day: våren = mars–maj, försommaren = juni, sommaren = juni–augusti, hösten = september–november,
  vintern = december–februari; "före/till hösten" is the day before the season starts;
- "efter årsskiftet" is 1 January of the following year (the earliest day; the text gives no end);
  "före/till/innan årsskiftet", "i år", "under året" are 31 December of the meeting's year;
- "vecka 34" is the Friday of ISO week 34, the first such week on or after the meeting;
- "snarast" ("snarast möjligt", "så snart som möjligt", "omgående") is two weeks after the meeting;
- a due that depends on an event ("så snart hon fått ...", "efter att han fått kontakt ...") stays unresolved.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, timedelta

MONTHS = {
    "januari": 1,
    "februari": 2,
    "mars": 3,
    "april": 4,
    "maj": 5,
    "juni": 6,
    "juli": 7,
    "augusti": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
MONTH_NAMES = {v: k for k, v in MONTHS.items()}
_MON_ABBR = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "okt": 10,
    "nov": 11,
    "dec": 12,
}

# season -> (first month, last month); the last month of vintern is in the following year
SEASONS = {
    "varen": (3, 5, "våren = mars–maj"),
    "forsommaren": (6, 6, "försommaren = juni"),
    "sommaren": (6, 8, "sommaren = juni–augusti"),
    "hosten": (9, 11, "hösten = september–november"),
    "vintern": (12, 2, "vintern = december–februari"),
    "senhosten": (11, 11, "senhösten = november"),
    "sensommaren": (8, 8, "sensommaren = augusti"),
}

_MONTH_RE = r"(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)"
_MEETING_WORD = r"(?:kommunchefs|kc-?|regionrads|styrelse|arbetsgrupps|grupp)?(?:motet|mote|sammantradet|traffen)"
_SEASON_RE = r"(?:senhosten|sensommaren|forsommaren|sommaren|hosten|varen|vintern)"
_YEAR = r"(?:\s+(?:20|19)\d\d)"

# Patterns are matched against folded lower-case text (diacritics removed, same length as the original).
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("event", re.compile(r"\bsa snart (?!som mojligt)(?:hon|han|de|vi|den|det|man|[a-z]+ har|[a-z]+ fatt)\b[^.;]*")),
    ("event", re.compile(r"\befter att (?:hon|han|de|vi|man|[a-z]+)\b[^.;,]*")),
    ("asap", re.compile(r"\b(?:snarast(?: mojligt)?|sa snart som mojligt|omgaende)\b")),
    (
        "meeting_month",
        re.compile(
            r"\b(?:till|före|fore|infor|senast till) (?:nasta )?" + _MEETING_WORD + r" i " + _MONTH_RE + _YEAR + r"?\b"
        ),
    ),
    (
        "next_meeting",
        re.compile(r"\b(?:till|före|fore|infor|senast till|senast) (?:det )?nasta " + _MEETING_WORD + r"\b"),
    ),
    ("full_date", re.compile(r"\b(?:senast |till |den |fore |innan )*\d{1,2}/\d{1,2}\s*-\s*(?:\d{4}|\d{2})\b")),
    ("iso_date", re.compile(r"\b(?:senast |till |den |fore |innan )*\d{4}-\d{2}-\d{2}\b")),
    ("text_date", re.compile(r"\b(?:senast |till |den |fore |innan )*\d{1,2}(?:e|:e)? " + _MONTH_RE + _YEAR + r"?\b")),
    ("short_date", re.compile(r"\b(?:senast |till |den |fore |innan )+\d{1,2}/\d{1,2}\b(?![/-]\d)")),
    ("week", re.compile(r"\b(?:senast |till |under |fore |innan |i )*(?:vecka|v\.|v)\s?(\d{1,2})\b")),
    (
        "month",
        re.compile(
            r"\b(?:i|till|under|senast i|senast till|fore|innan|i slutet av|i mitten av|under slutet av)"
            r" " + _MONTH_RE + _YEAR + r"?\b"
        ),
    ),
    ("season", re.compile(r"\b(?:under|i|till|fore|innan|senast till|under hela) " + _SEASON_RE + _YEAR + r"?\b")),
    ("new_year", re.compile(r"\b(?:efter|fore|till|innan|vid|runt) (?:arsskiftet|nyar)\b")),
    ("this_year", re.compile(r"\b(?:i ar|under aret|innan arets slut|fore arets slut|under (?:20|19)\d\d)\b")),
]


def fold(text: str) -> str:
    """Lower-case and strip diacritics, keeping the length (å -> a, ö -> o, é -> e)."""
    out = []
    for ch in text.lower():
        base = unicodedata.normalize("NFKD", ch)
        out.append(base[0] if base else ch)
    return "".join(out)


def find_due(text: str) -> str | None:
    """The due phrase in `text` as written (the earliest, then longest, match), or None."""
    folded = fold(text)
    best: tuple[int, int] | None = None
    for _kind, pattern in _PATTERNS:
        for m in pattern.finditer(folded):
            if best is None or m.start() < best[0] or (m.start() == best[0] and m.end() > best[1]):
                best = (m.start(), m.end())
            break
    if best is None:
        return None
    return text[best[0] : best[1]].strip(" ,.;")


def _first_on_or_after(month: int, day: int, start: date) -> date:
    year = start.year
    day = min(day, calendar.monthrange(year, month)[1])
    d = date(year, month, day)
    if d < start:
        d = date(year + 1, month, min(day, calendar.monthrange(year + 1, month)[1]))
    return d


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year_in(folded: str) -> int | None:
    m = re.search(r"\b((?:19|20)\d\d)\b", folded)
    return int(m.group(1)) if m else None


def _meeting_dates(known_meetings: list[dict] | None) -> list[date]:
    out = []
    for m in known_meetings or []:
        value = m.get("date") if isinstance(m, dict) else None
        if isinstance(value, date):
            out.append(value)
        elif isinstance(value, str):
            try:
                out.append(date.fromisoformat(value[:10]))
            except ValueError:
                continue
    return sorted(out)


def _fmt(d: date) -> str:
    return d.isoformat()


def resolve_due(
    due_text: str | None,
    meeting_date: date | None,
    *,
    next_meeting: date | None = None,
    known_meetings: list[dict] | None = None,
) -> tuple[date | None, str | None]:
    """(date, Swedish rule) for a due phrase, or (None, None) when it cannot be resolved without guessing."""
    if not due_text or meeting_date is None:
        return None, None
    try:
        return _resolve(due_text, meeting_date, next_meeting, known_meetings)
    except (ValueError, OverflowError):  # the due falls outside the calendar (a meeting dated year 1 or 9999)
        return None, None


def _resolve(
    due_text: str, meeting_date: date, next_meeting: date | None, known_meetings: list[dict] | None
) -> tuple[date | None, str | None]:
    folded = fold(due_text).strip()
    quoted = f"”{due_text.strip()}”"
    kind = None
    for k, pattern in _PATTERNS:
        m = pattern.search(folded)
        if m:
            kind = k
            break
    if kind is None or kind == "event":
        return None, None
    if kind == "asap":
        d = meeting_date + timedelta(days=14)
        return d, f"{quoted} = två veckor efter mötet ({_fmt(meeting_date)}): {_fmt(d)}"
    if kind in ("full_date", "iso_date", "text_date", "short_date"):
        return _resolve_date(folded, quoted, meeting_date)
    if kind == "week":
        week = int(m.group(1))
        year = _year_in(folded) or meeting_date.year
        try:
            d = date.fromisocalendar(year, week, 5)
            if d < meeting_date and not _year_in(folded):
                d = date.fromisocalendar(year + 1, week, 5)
        except ValueError:
            return None, None
        return d, f"{quoted} = fredagen i vecka {week} {d.year}: {_fmt(d)}"
    if kind == "meeting_month":
        month = MONTHS[re.search(_MONTH_RE, folded).group(0)]
        year = _year_in(folded)
        candidates = _meeting_dates(known_meetings) + ([next_meeting] if next_meeting else [])
        for d in sorted(candidates):
            if d.month == month and d > meeting_date and (year is None or d.year == year):
                return d, f"{quoted} = det kända mötet i {MONTH_NAMES[month]}: {_fmt(d)}"
        y = year or _first_on_or_after(month, 1, meeting_date.replace(day=1)).year
        d = _last_day(y, month)
        return d, (
            f"{quoted}: inget känt möte i {MONTH_NAMES[month]} {y}; sista dagen i {MONTH_NAMES[month]} {y} ({_fmt(d)})"
        )
    if kind == "next_meeting":
        candidates = [d for d in _meeting_dates(known_meetings) if d > meeting_date]
        d = next_meeting or (candidates[0] if candidates else None)
        if d is None:
            return None, None
        return d, f"{quoted} = nästa möte: {_fmt(d)}"
    if kind == "month":
        month = MONTHS[re.search(_MONTH_RE, folded).group(0)]
        year = _year_in(folded) or _first_on_or_after(month, 1, meeting_date.replace(day=1)).year
        if "mitten av" in folded:
            d = date(year, month, 15)
            return d, f"{quoted} = den 15 {MONTH_NAMES[month]} {year}"
        if re.match(r"(?:fore|innan) ", folded):
            d = date(year, month, 1) - timedelta(days=1)
            return d, f"{quoted} = dagen före 1 {MONTH_NAMES[month]} {year}: {_fmt(d)}"
        d = _last_day(year, month)
        return d, f"{quoted} = sista dagen i {MONTH_NAMES[month]} {year}: {_fmt(d)}"
    if kind == "season":
        name = re.search(_SEASON_RE, folded).group(0)
        first, last, meaning = SEASONS[name]
        year = _year_in(folded)
        before = bool(re.match(r"(?:till|fore|innan|senast till) ", folded))
        if before:
            y = year or meeting_date.year
            d = date(y, first, 1) - timedelta(days=1)
            if d < meeting_date and year is None:
                d = date(y + 1, first, 1) - timedelta(days=1)
            return d, f"{quoted}: {meaning}; dagen innan den börjar: {_fmt(d)}"
        y = year or meeting_date.year
        end_year = y + 1 if last < first and year is not None else y  # "vintern 2019" ends in February 2020
        d = _last_day(end_year, last)
        if d < meeting_date and year is None:
            d = _last_day(end_year + 1, last)
        return d, f"{quoted}: {meaning}; sista dagen, {_fmt(d)}"
    if kind == "new_year":
        if folded.startswith("efter"):
            d = date(meeting_date.year + 1, 1, 1)
            return d, f"{quoted} = från 1 januari {d.year} (tidigaste dagen; texten anger inget slut)"
        d = date(meeting_date.year, 12, 31)
        return d, f"{quoted} = sista dagen {meeting_date.year}: {_fmt(d)}"
    if kind == "this_year":
        y = _year_in(folded) or meeting_date.year
        d = date(y, 12, 31)
        return d, f"{quoted} = sista dagen i år {y}: {_fmt(d)}"
    return None, None


def _resolve_date(folded: str, quoted: str, meeting_date: date) -> tuple[date | None, str | None]:
    try:
        m = re.search(r"(\d{4})-(\d{2})-(\d{2})", folded)
        if m:
            d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return d, f"{quoted} = {_fmt(d)}"
        m = re.search(r"(\d{1,2})/(\d{1,2})\s*-\s*(\d{4}|\d{2})", folded)
        if m:
            year = int(m.group(3))
            year = year + 2000 if year < 100 else year
            d = date(year, int(m.group(2)), int(m.group(1)))
            return d, f"{quoted} = {_fmt(d)}"
        m = re.search(r"(\d{1,2})(?:e|:e)? (" + _MONTH_RE + r")(?:\s+((?:19|20)\d\d))?", folded)
        if m:
            month = MONTHS[m.group(2)]
            if m.group(3):
                d = date(int(m.group(3)), month, int(m.group(1)))
                return d, f"{quoted} = {_fmt(d)}"
            d = _first_on_or_after(month, int(m.group(1)), meeting_date)
            return d, f"{quoted} utan år = första sådana dag efter mötet: {_fmt(d)}"
        m = re.search(r"(\d{1,2})/(\d{1,2})", folded)
        if m:
            d = _first_on_or_after(int(m.group(2)), int(m.group(1)), meeting_date)
            if d.day != int(m.group(1)):
                return None, None
            return d, f"{quoted} utan år = första sådana dag efter mötet: {_fmt(d)}"
    except ValueError:
        return None, None
    return None, None


def parse_date(text: str) -> date | None:
    """A single written date ("2019-05-16", "22/8-2019", "16 maj 2019") without any meeting context, or None."""
    folded = fold(text)
    try:
        m = re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", folded)
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = re.search(r"\b(\d{1,2})/(\d{1,2})\s*-\s*(\d{4}|\d{2})\b", folded)
        if m:
            year = int(m.group(3))
            return date(year + 2000 if year < 100 else year, int(m.group(2)), int(m.group(1)))
        m = re.search(r"\b(\d{1,2})(?:e|:e)? (" + _MONTH_RE + r") ((?:19|20)\d\d)\b", folded)
        if m:
            return date(int(m.group(3)), MONTHS[m.group(2)], int(m.group(1)))
        m = re.search(r"\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)\b", folded)
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None
    return None
