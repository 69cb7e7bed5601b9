"""Extract a meeting, its agenda items, decisions and assignments from the plain text of Swedish minutes.

General rules, not tuned to one document: the header (before the first numbered item) gives kind, date, times, place and
participants; numbered lines ("3. Titel", "§ 3 Titel") start agenda items; sentences inside an item are read for
decisions and assignments. Owners are resolved against the participant list (first names, misspelt first names),
groups ("Kansliet", "-gruppen") and municipalities. Nothing is invented: a sentence without a named owner gives an
assignment with owners [].
"""

from __future__ import annotations

import difflib
import re
from datetime import date

from data.documents.duedates import find_due, fold, parse_date, resolve_due

ROLE_ORDER = ["sekreterare", "beslutande", "organisatör", "föredragande", "deltagare", "frånvarande"]

_ROLE_HEADINGS = {
    "beslutande": "beslutande",
    "ledamoter": "beslutande",
    "ordforande": "beslutande",
    "sekreterare": "sekreterare",
    "protokollforare": "sekreterare",
    "antecknare": "sekreterare",
    "deltagare": "deltagare",
    "narvarande": "deltagare",
    "ovriga narvarande": "deltagare",
    "ovriga deltagare": "deltagare",
    "ovriga": "deltagare",
    "organisator": "organisatör",
    "sammankallande": "organisatör",
    "franvarande": "frånvarande",
    "anmalt forhinder": "frånvarande",
    "forhinder": "frånvarande",
    "ej narvarande": "frånvarande",
}
_HEADING_RE = re.compile(r"^\s*(" + "|".join(sorted(_ROLE_HEADINGS, key=len, reverse=True)) + r")\s*:?\s*(.*)$")
_PLACE_RE = re.compile(r"^\s*(?:plats|lokal|motesplats)\s*:?\s*(.*)$")
_TIME_RANGE = re.compile(r"(?<![\d/])(\d{1,2})[.:](\d{2})\s*[-–—]\s*(\d{1,2})[.:](\d{2})(?![\d/])")
_ITEM_RE = re.compile(r"^\s*(?:§\s*(\d{1,3})\.?|(\d{1,3})[.)])\s+(\S.{0,150})$")

MUNICIPALITIES = {
    "bjurholms": "Bjurholm",
    "nordmalings": "Nordmaling",
    "vindelns": "Vindeln",
    "ornskoldsviks": "Örnsköldsvik",
    "bjurholm": "Bjurholm",
    "nordmaling": "Nordmaling",
    "robertsfors": "Robertsfors",
    "umea": "Umeå",
    "vindeln": "Vindeln",
    "vannas": "Vännäs",
    "ornskoldsvik": "Örnsköldsvik",
    "ovik": "Örnsköldsvik",
}
OFFICIAL = {
    "Bjurholm": "Bjurholms kommun",
    "Nordmaling": "Nordmalings kommun",
    "Robertsfors": "Robertsfors kommun",
    "Umeå": "Umeå kommun",
    "Vindeln": "Vindelns kommun",
    "Vännäs": "Vännäs kommun",
    "Örnsköldsvik": "Örnsköldsviks kommun",
}
_GROUP_ALIASES = {
    "kommunchefsgruppen": "KC-gruppen",
    "kommunchefergruppen": "KC-gruppen",
    "kc-gruppen": "KC-gruppen",
    "kcgruppen": "KC-gruppen",
    "kommuncheferna": "KC-gruppen",
    "kansliet": "Kansliet",
}
_NOT_OWNERS = {
    "vi",
    "man",
    "det",
    "den",
    "detta",
    "dessa",
    "de",
    "han",
    "hon",
    "alla",
    "var",
    "varje",
    "mötet",
    "motet",
    "gruppen",
    "ingen",
    "nagon",
    "beslut",
    "beslutades",
    "att",
    "och",
    "samt",
    "ev",
    "även",
    "aven",
    "också",
    "ocksa",
    "sedan",
    "darefter",
    "dessutom",
}

# assignment triggers, matched on folded lower-case sentence text (same length as the original)
_GIVEN = re.compile(
    r"\b(?:far|fick|har fatt|hade fatt|ges|gavs|har getts|har fatt)\s+(?:ocksa\s+|aven\s+)?"
    r"(?:i\s+)?uppdrag(?:et)?\s+(?:av\s+\S+\s+)?att\s+"
)
_STILL = re.compile(
    r"\bhar\s+(?:(fortfarande|fortsatt|sedan tidigare|kvar|redan)\s+)?(?:uppdraget|i\s+uppdrag)\s+att\s+"
)
_SHALL = re.compile(r"\b(?:ska|skall|kommer att)\s+(?!vara\b|bli\b|ha\b|halla\b|galla\b|kunna\b|behova\b)")
_LABEL = re.compile(
    r"(?:^|(?<=[\s.;]))(atgard(?:er)?|uppdrag|ansvarig(?:a)?|ansvar|klart till|klart|klar|senast|deadline|nar|tidplan)"
    r"\s*:\s*"
)
_LABEL_KIND = {
    "atgard": "what",
    "atgarder": "what",
    "uppdrag": "what",
    "ansvarig": "who",
    "ansvariga": "who",
    "ansvar": "who",
}
_GIVES = re.compile(r"\b(?:ger|gav|ge|uppdrar at|uppdrog at)\s+(.{1,80}?)\s+(?:i\s+uppdrag\s+)?att\s+")
_TASKED = re.compile(r"\buppdras\s+(?:at\s+(.{1,80}?)\s+)?att\s+")
_ACTS = re.compile(
    r"\b(aterkommer|mailar ut|mailer ut|mejlar ut|mailar|mejlar|skickar ut|tittar vidare pa|tittar pa|"
    r"arbetar vidare med|jobbar vidare med|paborjar|kontaktar|tar kontakt med|tar fram|undersoker|bjuder in|"
    r"kallar till|sammanstaller|bokar|stammer av|foljer upp|utreder|aterrapporterar|rapporterar tillbaka|"
    r"ansvarar for att|tar med sig|kollar upp|kollar|bevakar)\b"
)
_IMPERATIVE = re.compile(
    r"^(?:ta fram|skicka ut|skicka|kontakta|boka|bjud in|undersok|sammanstall|utred|"
    r"kalla till|folj upp)\b"
)
_COMMON_TASK = re.compile(r"^(?:det finns|det finns sedan tidigare)\s+(?:ett\s+)?(?:\w+\s+)?uppdrag\s+att\s+")
_STEERS = re.compile(
    r"\b(?:har\s+(?:styrningen|ansvaret|huvudansvaret|ledningen)\s+(?:i|for)\s+(?:uppdraget|arbetet)"
    r"|leder\s+(?:uppdraget|arbetet)|ansvarar\s+for\s+(?:uppdraget|arbetet))\b"
)
_FEEDBACK = re.compile(r"^(?:aterkoppling|aterrapportering|rapport)\b")
# "KC-gruppen skickar också med frågan om X [till Y]": a further question for Y, or for whoever was just given an
# assignment in the same item.
_PASSES_ON = re.compile(
    r"\bskickar\s+(?:ocksa\s+|aven\s+)?med\s+(?:sig\s+)?fragan\s+om\s+(.+?)(?:\s+till\s+(.{1,80}?))?\.?$"
)
_MODAL = re.compile(r"\b(?:ska|skall|kommer att|kommer|behover|tas|tas fram|gors|ska vara)\b")
_DECISION = re.compile(
    r"(?:^beslut\b|\bbeslut\s*(?:att|:)|\bbeslutar\b|\bbeslutade\b|\bbeslot\b|\bbeslutades\b|"
    r"\bbeslots\b|\blades\s+till\s+handlingarna\b|\blaggs\s+till\s+handlingarna\b|"
    r"\bfaststalldes\b|\bgodkandes\b)"
)
_PAST_REPORT = re.compile(r"\b(?:tidigare beslut|beslut om|beslutet fran)\b")

_NAME_TOKEN = re.compile(r"^[A-ZÅÄÖÉ][\w\-åäöéü]*$")
_STOP_WORDS = {
    "kommun",
    "kommuner",
    "umearegionen",
    "umearegionens",
    "projekt",
    "projektet",
    "arbetet",
    "uppdraget",
    "forslag",
    "forslaget",
    "motet",
    "gemensam",
    "gemensamt",
    "kommande",
}


_UNKNOWN = "finns inte i deltagarlistan"
_AMBIGUOUS = "kan vara flera deltagare"


def _clean(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("*", "")
    return re.sub(r"(?m)^\s*#+\s*", "", text)


def _join_lines(lines: list[str]) -> list[str]:
    """Join lines broken inside a sentence (damaged PDF/Word text); keep headings and list items apart."""
    out: list[list[str]] = []  # paragraphs as lists of parts (no quadratic string building)
    for raw in lines:
        line = raw.strip()
        if not line:
            out.append([""])
            continue
        if re.fullmatch(
            r"\d{1,3}\s*\(\s*\d{1,3}\s*\)|(?:sida|sid\.?)\s*\d+(?:\s*(?:av|/)\s*\d+)?|\d{1,3}", line, re.IGNORECASE
        ):
            continue  # stray page number "1(8)", "Sida 2 av 8"
        prev = out[-1][-1] if out else ""
        bullet = re.match(r"^[-•–*]\s", line)
        if prev and not bullet and not _ITEM_RE.match(line):
            starts_lower = line[0].islower()
            label = re.match(r"^[A-ZÅÄÖ][\wåäö ]{0,30}:", line) or _HEADING_RE.match(fold(line))
            prev_open = not re.search(r"[.!?:]$", prev) and len(prev.split()) >= 6 and not label
            prev_beslut = len(out[-1]) == 1 and fold(prev).rstrip(": ") == "beslut"
            if starts_lower or prev_open or prev_beslut:
                if prev.endswith("-") and starts_lower and not prev.endswith(" -"):
                    out[-1][-1] = prev[:-1]
                    out[-1].append(line)
                else:
                    out[-1].append(" " + line)
                continue
        out.append([line])
    return ["".join(parts) for parts in out]


_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"”'(]*[A-ZÅÄÖÉ])")


def _sentences(paragraphs: list[str]) -> list[str]:
    out = []
    for p in paragraphs:
        p = p.strip().lstrip("-•–").strip()
        if not p:
            continue
        for s in _SENT_SPLIT.split(p):
            s = s.strip()
            if s:
                out.append(s)
    return out


# ---------------------------------------------------------------------------------------------------- participants


def _split_names(text: str) -> list[str]:
    parts = re.split(r",|;|\s+och\s+|\s+samt\s+|\s+&\s+", text)
    return [p.strip(" .") for p in parts if p.strip(" .")]


def _parse_person(chunk: str) -> tuple[str, list[str], str | None] | None:
    """'Maria Persson (Organisatör)' -> (name, [roles], note); 'Per-Eric Magnusson 14.30-15.15' -> note."""
    roles: list[str] = []
    notes: list[str] = []
    for paren in re.findall(r"\(([^)]*)\)", chunk):
        role = _ROLE_HEADINGS.get(fold(paren).strip())
        if role:
            roles.append(role)
        else:
            notes.append(paren.strip())
    chunk = re.sub(r"\([^)]*\)", " ", chunk)
    m = _TIME_RANGE.search(chunk)
    if m:
        notes.append(f"närvarande {int(m.group(1)):02d}.{m.group(2)}–{int(m.group(3)):02d}.{m.group(4)}")
        chunk = chunk[: m.start()] + chunk[m.end() :]
    m = re.search(r"\b(?:kl\.?\s*)?(?:fr\.?o\.?m\.?|från|till|t\.?o\.?m\.?)\s+(?:kl\.?\s*)?\d{1,2}[.:]\d{2}", chunk)
    if m:
        notes.append(chunk[m.start() :].strip())
        chunk = chunk[: m.start()]
    words = chunk.split()
    if not 1 <= len(words) <= 4 or not all(_NAME_TOKEN.match(w) for w in words):
        return None
    return " ".join(words), roles, "; ".join(notes) or None


class _People:
    def __init__(self) -> None:
        self.people: dict[str, dict] = {}
        self.last: str | None = None

    def add(self, name: str, role: str | None, note: str | None = None) -> None:
        p = self.people.setdefault(name, {"name": name, "roles": [], "note": None})
        if role and role not in p["roles"]:
            p["roles"].append(role)
        if note:
            p["note"] = note if not p["note"] else (p["note"] if note in p["note"] else f"{p['note']}; {note}")

    def add_chunk(self, chunk: str, role: str) -> None:
        person = _parse_person(chunk)
        not_a_person = (
            person is None
            or len(person[0].split()) < 2  # header lists name people in full
            or re.search(r"\b(?:kommun|AB|region|gruppen)$", person[0]) is not None
            or fold(person[0].split()[0]) in MUNICIPALITIES
        )
        if not_a_person:
            # "Anna Lind, Vännäs (ordförande)": the role in brackets after the organisation is the person's
            roles = [_ROLE_HEADINGS.get(fold(p).strip()) for p in re.findall(r"\(([^)]*)\)", chunk)]
            if self.last and any(roles):
                for r in roles:
                    self.add(self.last, r)
            return
        name, roles, note = person
        self.last = name
        self.add(name, role, note)
        for r in roles:
            self.add(name, r)

    def out(self) -> list[dict]:
        result = []
        for p in self.people.values():
            roles = sorted(p["roles"], key=ROLE_ORDER.index)
            result.append(
                {"name": p["name"], "role": roles[0] if roles else "deltagare", "roles": roles, "note": p["note"]}
            )
        return result

    def resolve(self, token: str) -> tuple[str | None, str | None]:
        """(full name, note) for a name as written in a sentence: full name, first name or a close misspelling."""
        t = fold(token)
        names = list(self.people)
        for n in names:
            if fold(n) == t:
                return n, None
        first = [n for n in names if fold(n.split()[0]) == t]
        if len(first) == 1:
            return first[0], f"”{token}” tolkad som {first[0]}"
        if len(first) > 1:
            return None, f"”{token}” {_AMBIGUOUS}: {', '.join(first)}"
        close = difflib.get_close_matches(t, [fold(n.split()[0]) for n in names], n=2, cutoff=0.8)
        if len(close) == 1:
            match = [n for n in names if fold(n.split()[0]) == close[0]]
            if len(match) == 1:
                return match[0], f"”{token}” (felstavat?) tolkad som {match[0]}"
        return None, None


# ---------------------------------------------------------------------------------------------------- owners


def _owner_tokens(subject: str) -> list[str]:
    subject = subject.strip(" ,:")
    if not subject:
        return []
    return [p for p in re.split(r",\s*|\s+och\s+|\s+samt\s+|\s+&\s+|\s*/\s*", subject) if p]


def _subject_before(sentence: str, end: int) -> str:
    """The run of name-like words (with 'och', 'samt', ',') right before position `end`."""
    words = sentence[max(0, end - 200) : end].split()[-12:]  # an owner phrase is short
    taken: list[str] = []
    i = len(words) - 1
    while i >= 0:
        w = words[i].strip(",")
        fw = fold(w)
        if fw in ("och", "samt", "&"):
            if not taken:
                break
            taken.append(w)
        elif fw in ("kommuns", "kommun") or (taken and fold(taken[-1]) in ("kommuns",) and w[:1].islower()):
            taken.append(w)
        elif taken and fold(taken[-1]) == "kommuns" and w[:1].isupper():
            taken.append(w)
        elif _NAME_TOKEN.match(w) and fw not in _NOT_OWNERS:
            taken.append(words[i])
        elif w[:1].islower() and i == len(words) - 1 and i >= 2 and fold(words[i - 1]) == "kommuns":
            taken.append(w)  # "Vindelns kommuns ekonomiavdelning"
        else:
            break
        i -= 1
    while taken and fold(taken[-1].strip(",")) in ("och", "samt", "&"):
        taken.pop()
    if taken and i >= 1 and words[i] == "i" and _NAME_TOKEN.match(words[i - 1]) and len(taken) == 1:
        if fold(words[i - 1]) not in _NOT_OWNERS:  # "Socialchefen i Vännäs"
            taken += ["i", words[i - 1]]
    return " ".join(reversed(taken))


def _resolve_owners(subject: str, people: _People) -> tuple[list[str], list[str]]:
    owners: list[str] = []
    notes: list[str] = []
    for token in _owner_tokens(subject):
        token = token.strip(" .,")
        ft = fold(token)
        if not token or ft in _NOT_OWNERS:
            continue
        if ft in _GROUP_ALIASES:
            owner = _GROUP_ALIASES[ft]
        elif ft in MUNICIPALITIES:
            owner = OFFICIAL[MUNICIPALITIES[ft]]
        elif re.match(r"\S+ kommuns?\b", ft):
            first = ft.split()[0]
            name = MUNICIPALITIES.get(first) or MUNICIPALITIES.get(first.removesuffix("s"))
            owner = token
            if name:
                rest = token.split(None, 1)[1]
                owner = OFFICIAL[name] + rest[len("kommun") :] if rest.startswith("kommun") else token
                if owner.endswith(" kommuns"):
                    owner = owner[:-1]
        elif ft.endswith("gruppen") or ft.endswith("radet") or ft.endswith("kansliet") or ft.endswith("enheten"):
            owner = token
        else:
            name, note = people.resolve(token)
            if name:
                owner = name
                if note and fold(token) != fold(name):
                    notes.append(note)
            else:
                owner = token
                notes.append(note or f"”{token}” {_UNKNOWN}; återgiven som i texten")
        if owner not in owners:
            owners.append(owner)
    return owners, notes


# ---------------------------------------------------------------------------------------------------- assignments


def _what(text: str, due_text: str | None) -> str:
    text = text.strip(" ,.;:")
    if due_text:
        idx = text.find(due_text)
        if idx >= 0:
            text = (text[:idx] + text[idx + len(due_text) :]).strip(" ,.;")
            text = re.sub(r"\s{2,}", " ", text)
    return text[:1].upper() + text[1:] if text else text


def _infinitive(verb_phrase: str) -> str:
    """'tittar vidare på' -> 'titta vidare på', 'återkommer' -> 'återkomma', 'tar fram' -> 'ta fram'."""
    first, _, rest = verb_phrase.partition(" ")
    low = first.lower()
    if low == "tar":
        inf = first[:2]
    elif low.endswith(("ar", "er")):
        inf = first[:-2] + "a"
    else:
        inf = first
    return inf + (" " + rest if rest else "")


def _assignment(sentence: str, owners: list[str], what: str, notes: list[str], ctx: dict, rule: str) -> dict:
    due_text = find_due(what) or find_due(sentence)
    due_date, due_rule = resolve_due(due_text, ctx["date"], next_meeting=ctx["next"], known_meetings=ctx["known"])
    uncertain = list(notes)
    if not owners:
        uncertain.append("Ansvarig namnges inte.")
    if due_text and due_date is None:
        uncertain.append("Tidpunkten kan inte räknas fram till ett datum.")
    what_text = _what(what, due_text)
    if len(what_text.split()) < 3:
        what_text = _what(what, None)
    return {
        "owners": owners,
        "what": what_text,
        "status": "öppen",
        "due_text": due_text,
        "due_date": due_date.isoformat() if due_date else None,
        "due_rule": due_rule,
        "source": sentence,
        "rule": rule,
        "uncertain": uncertain,
    }


def _find_assignment(sentence: str, people: _People, ctx: dict) -> dict | None:
    s = sentence.strip()
    f = fold(s)
    m = _STILL.search(f) or _GIVEN.search(f)
    if m:
        subject = _subject_before(s, m.start())
        owners, notes = _resolve_owners(subject, people)
        rule = "har fortfarande uppdraget" if m.re is _STILL else "får i uppdrag"
        a = _assignment(s, owners, s[m.end() :], notes, ctx, rule)
        if m.re is _STILL and m.group(1):
            a["status"] = "pågår"  # "har fortfarande uppdraget": given earlier, still under way
        return a
    m = _GIVES.search(f)
    if m and "uppdrag" in f[m.start() : m.end()]:
        owners, notes = _resolve_owners(s[m.start(1) : m.end(1)], people)
        return _assignment(s, owners, s[m.end() :], notes, ctx, "ger X i uppdrag")
    m = _TASKED.search(f)
    if m:
        subject = s[m.start(1) : m.end(1)] if m.group(1) else _subject_before(s, m.start())
        owners, notes = _resolve_owners(subject, people)
        return _assignment(s, owners, s[m.end() :], notes, ctx, "uppdras att")
    m = _COMMON_TASK.search(f)
    if m:
        a = _assignment(s, [], s[m.end() :], [], ctx, "det finns ett uppdrag att")
        a["status"] = "pågår"  # an assignment that already exists
        return a
    m = _ACTS.search(f)
    if m:
        subject = _subject_before(s, m.start())
        if subject:
            owners, notes = _resolve_owners(subject, people)
            if owners:
                what = _infinitive(s[m.start() : m.end()]) + s[m.end() :]
                a = _assignment(s, owners, what, notes, ctx, m.group(1).replace("mailer", "mailar"))
                if m.group(1) in ("arbetar vidare med", "jobbar vidare med"):
                    a["status"] = "pågår"  # work that is already under way
                return a
    m = _SHALL.search(f)
    if m:
        subject = _subject_before(s, m.start())
        owners, notes = _resolve_owners(subject, people) if subject else ([], [])
        if owners and not any(_UNKNOWN in n or _AMBIGUOUS in n for n in notes):  # only named, known owners
            return _assignment(s, owners, s[m.end() :], notes, ctx, "X ska")
    if _IMPERATIVE.match(f):
        return _assignment(s, [], s, [], ctx, "uppmaning utan ansvarig")
    if _FEEDBACK.match(f) and find_due(s):
        return _assignment(s, [], s, [], ctx, "återkoppling")
    due = find_due(s)
    if due and _MODAL.search(f) and not _DECISION.search(f):
        return _assignment(s, [], s, [], ctx, "ska göras, utan ansvarig")
    return None


def _content_prefixes(text: str) -> set[str]:
    words = re.findall(r"[a-z]{6,}", fold(text))
    return {w[:6] for w in words if w not in _STOP_WORDS}


def _labelled(paragraph: str, people: _People, ctx: dict) -> dict | None:
    """'Åtgärd: Ta fram förslag. Ansvarig: Karin. Klart: 22/8.' (one line or several) -> an assignment."""
    f = fold(paragraph)
    marks = list(_LABEL.finditer(f))
    if not marks or marks[0].start() != 0 or not any(_LABEL_KIND.get(m.group(1)) == "what" for m in marks):
        return None
    fields: dict[str, str] = {}
    for pos, m in enumerate(marks):
        end = marks[pos + 1].start() if pos + 1 < len(marks) else len(paragraph)
        fields.setdefault(_LABEL_KIND.get(m.group(1), "due"), paragraph[m.end() : end].strip(" .;,"))
    owners, notes = _resolve_owners(fields.get("who", ""), people)
    a = _assignment(paragraph, owners, fields.get("what", ""), notes, ctx, "åtgärdslista")
    due = fields.get("due")
    if due:
        d, rule = resolve_due(due, ctx["date"], next_meeting=ctx["next"], known_meetings=ctx["known"])
        if d is None:
            d, rule = resolve_due("till " + due, ctx["date"], next_meeting=ctx["next"], known_meetings=ctx["known"])
            rule = rule.replace("”till " + due, "”" + due) if rule else rule
        a.update({"due_text": due, "due_date": d.isoformat() if d else None, "due_rule": rule})
        a["uncertain"] = [u for u in a["uncertain"] if not u.startswith("Tidpunkten")]
        if d is None:
            a["uncertain"].append("Tidpunkten kan inte räknas fram till ett datum.")
    return a


def _merge_label_lines(body: list[str]) -> list[str]:
    """Join 'Åtgärd: ...' with the 'Ansvarig: ...' / 'Klart: ...' lines right after it."""
    out: list[str] = []
    for line in body:
        m = _LABEL.match(fold(line.strip()))
        if m and out and _LABEL_KIND.get(m.group(1)) != "what" and _LABEL.match(fold(out[-1])):
            out[-1] = out[-1].rstrip() + ("" if out[-1].rstrip().endswith(".") else ".") + " " + line.strip()
        else:
            out.append(line)
    return out


def _process_item(body: list[str], people: _People, ctx: dict) -> tuple[list[dict], list[dict]]:
    decisions: list[dict] = []
    assignments: list[dict] = []
    prev_assignment: dict | None = None
    units: list[str | dict] = []  # sentences, and labelled assignments in document order
    for paragraph in _merge_label_lines(body):
        labelled = _labelled(paragraph.strip(), people, ctx)
        units.extend([labelled] if labelled is not None else _sentences([paragraph]))
    for sentence in units:
        if isinstance(sentence, dict):
            assignments.append(sentence)
            prev_assignment = sentence
            continue
        f = fold(sentence)
        if _DECISION.search(f) and not _PAST_REPORT.search(f):
            text = re.sub(r"^beslut\s*:\s*", "", sentence, flags=re.IGNORECASE).strip()
            decisions.append({"text": text, "source": sentence})
        m = _STEERS.search(f)
        if m and prev_assignment is not None and not prev_assignment["owners"]:
            owners, notes = _resolve_owners(_subject_before(sentence, m.start()), people)
            if owners:
                prev_assignment["owners"] = owners
                prev_assignment["source"] += " " + sentence
                prev_assignment["uncertain"] = [
                    u for u in prev_assignment["uncertain"] if u != "Ansvarig namnges inte."
                ] + notes
                continue
        m = _PASSES_ON.search(f)
        if m and (m.group(2) or (prev_assignment is not None and prev_assignment["owners"])):
            if m.group(2):
                owners, notes = _resolve_owners(sentence[m.start(2) : m.end(2)], people)
            else:
                owners, notes = list(prev_assignment["owners"]), ["Ansvarig enligt uppdraget före i samma punkt."]
            topic = sentence[m.start(1) : m.end(1)]
            a = _assignment(sentence, owners, f"Ta ställning till frågan om {topic}", notes, ctx, "skickar med frågan")
            assignments.append(a)
            prev_assignment = a
            continue
        if prev_assignment is not None and prev_assignment["rule"] == "skickar med frågan" and sentence.endswith("?"):
            prev_assignment["source"] += " " + sentence  # the question itself, as the minutes put it
            continue
        a = _find_assignment(sentence, people, ctx)
        if a is None:
            if not (prev_assignment is not None and prev_assignment["rule"] == "skickar med frågan"):
                prev_assignment = None
            continue
        if a["rule"] == "återkoppling" and prev_assignment is not None and prev_assignment["due_text"] is None:
            # "Återkoppling till KC-gruppen under hösten." completes the assignment before it
            prev_assignment.update({k: a[k] for k in ("due_text", "due_date", "due_rule")})
            prev_assignment["what"] += "; " + a["what"][:1].lower() + a["what"][1:]
            prev_assignment["source"] += " " + sentence
            continue
        if a["rule"] == "ska göras, utan ansvarig":
            twin = next(
                (
                    b
                    for b in assignments
                    if b["rule"] == a["rule"] and _content_prefixes(b["what"]) & _content_prefixes(a["what"])
                ),
                None,
            )
            if twin is not None:
                # two sentences about the same thing to be done: keep the later deadline, note the other
                keep, other = (a, twin) if (a["due_date"] or "") >= (twin["due_date"] or "") else (twin, a)
                keep["uncertain"] = keep["uncertain"] + [f"Även: ”{other['source']}”"]
                keep["source"] = twin["source"] + " " + a["source"]
                if keep is a:
                    assignments[assignments.index(twin)] = a
                prev_assignment = keep
                continue
        assignments.append(a)
        prev_assignment = a
    return decisions, assignments


# ---------------------------------------------------------------------------------------------------- header


def _meeting_kind(text: str) -> str:
    f = fold(text)
    if re.search(r"kommunchefs|kommunchefer|\bkc-?(?:mote|gruppen)", f):
        return "kommunchefsmöte"
    if re.search(r"regionrad", f):
        return "regionråd"
    return "annat"


def _time(h: str, m: str) -> str | None:
    hh, mm = int(h), int(m)
    return f"{hh:02d}:{mm:02d}" if hh < 24 and mm < 60 else None


def _parse_header(lines: list[str], people: _People, meeting: dict) -> None:
    pending: str | None = None  # a heading alone on its line: its value is on the next line
    for line in lines:
        if not line:
            continue
        f = fold(line).strip()
        if meeting["date"] is None:
            d = parse_date(line)
            if d:
                meeting["date"] = d
                m = _TIME_RANGE.search(line)
                if m:
                    meeting["start_time"] = _time(m.group(1), m.group(2))
                    meeting["end_time"] = _time(m.group(3), m.group(4))
                continue
        if meeting["start_time"] is None and re.match(r"^(?:tid|klockan|kl\.?)\b", f):
            m = _TIME_RANGE.search(line)
            if m:
                meeting["start_time"] = _time(m.group(1), m.group(2))
                meeting["end_time"] = _time(m.group(3), m.group(4))
                continue
        m = _PLACE_RE.match(f)
        if m:
            value = line[len(line) - len(m.group(1)) :].strip() if m.group(1) else ""
            if value:
                meeting["place"] = value.strip(" .")
                pending = None
            else:
                pending = "plats"
            continue
        m = _HEADING_RE.match(f)
        if m and (
            not m.group(2)
            or m.group(2)[:1] in (":", "")
            or line.rstrip().endswith(":")
            or len(m.group(1)) == len(f)
            or f[len(m.group(1))] in " :"
        ):
            role = _ROLE_HEADINGS[m.group(1)]
            value = line[len(line) - len(m.group(2)) :].strip() if m.group(2) else ""
            if value:
                for chunk in _split_names(value):
                    people.add_chunk(chunk, role)
                pending = None
            else:
                pending = role
            continue
        if pending == "plats":
            meeting["place"] = line.strip(" .")
            pending = None
            continue
        if pending:
            before = len(people.people)
            for chunk in _split_names(line):
                people.add_chunk(chunk, pending)
            if len(people.people) == before:  # a list one person per line ends at the first line without one
                pending = None


def _title(header: list[str]) -> str | None:
    """The first header line that is neither a date nor a labelled field: 'Kommunchefsmöte, Umeåregionen'."""
    for line in header[:5]:
        line = line.strip()
        if not line:
            continue
        if parse_date(line) or ":" in line or _HEADING_RE.match(fold(line)) or _PLACE_RE.match(fold(line)):
            return None
        return line[:200] if len(line.split()) <= 12 else None
    return None


def _next_meeting(items: list[dict], text_lines: list[str]) -> dict | None:
    for idx, line in enumerate(text_lines):
        f = fold(line)
        m = re.search(r"\bnasta (?:mote|sammantrade|kommunchefsmote|motestillfalle)\b\s*(?:ar|blir|hals)?\s*:?\s*", f)
        if not m:
            continue
        rest = line[m.end() :].strip()
        if not rest and idx + 1 < len(text_lines):
            rest = text_lines[idx + 1].strip()
        d = parse_date(rest)
        if d is None:
            continue
        place = None
        dm = re.search(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}\s*-\s*\d{2,4}|\d{1,2}(?:e|:e)? [a-zåäö]+ \d{4}", rest)
        if dm:
            after = rest[dm.end() :]
            after = _TIME_RANGE.sub("", after)
            after = re.sub(r"^\s*(?:kl\.?\s*\d{1,2}[.:]\d{2})?\s*[,;]?\s*(?:i|på|plats:?)?\s*", "", after)
            place = after.strip(" .,;") or None
        return {"date": d, "place": place}
    return None


# ---------------------------------------------------------------------------------------------------- main


def extract_minutes(text: str, *, known_meetings: list[dict] | None = None) -> dict:
    """Meeting, agenda items, decisions and assignments found in the text of minutes (see module docstring)."""
    lines = _join_lines(_clean(text or "").split("\n"))
    first_item = None
    expected = None
    starts: list[tuple[int, int, str]] = []
    for idx, line in enumerate(lines):
        m = _ITEM_RE.match(line)
        if not m:
            continue
        number = int(m.group(1) or m.group(2))
        title = m.group(3).strip()
        if not re.match(r"[A-ZÅÄÖÉ\"”]", title) or title.endswith(","):
            continue
        if expected is None or number == expected:
            starts.append((idx, number, title))
            expected = number + 1
            first_item = idx if first_item is None else first_item
    if not starts:  # "Punkt 3 Titel" or "3 Titel" (a dot lost): only as a sequence 1, 2, 3 ...
        expected = 1
        for idx, line in enumerate(lines):
            m = re.match(r"^\s*(?:(?i:punkt)\s+)?(\d{1,2})\s*[:.)-]?\s+([A-ZÅÄÖÉ][^.!?]{1,80})$", line)
            if m and int(m.group(1)) == expected and not re.match(r"\d", m.group(2)):
                starts.append((idx, expected, m.group(2).strip()))
                expected += 1
        if len(starts) < 2:
            starts = []
        first_item = starts[0][0] if starts else None
    header = lines[:first_item] if first_item is not None else lines[:40]
    people = _People()
    meeting: dict = {
        "kind": _meeting_kind("\n".join(header[:8]) or text[:500]),
        "date": None,
        "start_time": None,
        "end_time": None,
        "place": None,
    }
    _parse_header(header, people, meeting)
    uncertain: list[str] = []
    if not starts:
        uncertain.append("Inga numrerade dagordningspunkter hittades.")
    nxt = _next_meeting([], lines)
    ctx = {"date": meeting["date"], "next": nxt["date"] if nxt else None, "known": known_meetings}
    items = []
    for pos, (idx, number, title) in enumerate(starts):
        end = starts[pos + 1][0] if pos + 1 < len(starts) else len(lines)
        body = lines[idx + 1 : end]
        presenter = None
        rest: list[str] = []
        for line in body:
            m = re.match(
                r"^\s*(?:föredragande|foredragande|föredrar|presentatör)\b\s*((?:via|per|på) \w+)?\s*:?"
                r"\s*(.+)$",
                line,
                re.IGNORECASE,
            )
            if m and presenter is None:
                value = m.group(2)
                chunk, _, org = value.partition(",")
                person = _parse_person(chunk)
                if person:
                    presenter = person[0]
                    note_parts = [p for p in ((m.group(1) or "").strip(), org.strip()) if p]
                    note = ", ".join(note_parts + [f"punkt {number}"])
                    known = presenter in people.people
                    people.add(presenter, "föredragande", note if not known else f"föredragande punkt {number}")
                    continue
            rest.append(line)
        decisions, assignments = ([], []) if meeting["date"] is None and not rest else _process_item(rest, people, ctx)
        items.append(
            {
                "number": number,
                "title": title,
                "presenter": presenter,
                "decisions": decisions,
                "assignments": assignments,
            }
        )
    if meeting["date"] is None:
        uncertain.append("Mötets datum hittades inte; relativa tidpunkter kan inte räknas fram.")
    return {
        "kind": "minutes",
        "meeting": {
            "kind": meeting["kind"],
            "title": _title(header),
            "date": meeting["date"].isoformat() if isinstance(meeting["date"], date) else None,
            "start_time": meeting["start_time"],
            "end_time": meeting["end_time"],
            "place": meeting["place"],
            "participants": people.out(),
            "next_meeting": {"date": nxt["date"].isoformat(), "place": nxt["place"]}
            if nxt
            else {"date": None, "place": None},
        },
        "agenda_items": items,
        "uncertain": uncertain,
    }
