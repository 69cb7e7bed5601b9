"""Synthetic data for the benchmark: the Umeåregionen demo data plus `scale - 1` times as much again, made up.

`generate(session, 100)` leaves about 800 projects, 1 100 tasks and 100 meetings in the database (1 000× ten
times that), spread over the seven municipalities and over plans for 2005–2030 that reuse the seed's focus areas.
The rows look like the real ones: projects over 2001–2030 (some without dates, phases inside their project),
budgets per year or for the whole period, 0–6 funding lines of every kind (some without amounts, with gaps and
surpluses against the budget), meetings of every kind with 5–12 agenda items, tasks owned by people and groups with
due dates and the words they were given in, open, done and overdue ones.

Everything else in the seed grows with it too: 23 plan activities per 1× (so ~90 per plan year at 100×, ~900 at
1 000×), people and groups, participants, decisions, and one history record per project and task.

Deterministic: the same seed on the same starting database gives the same rows (statuses are drawn against
REFERENCE_DAY, not the clock). Bulk inserts (one executemany per table, ids numbered here, PostgreSQL's sequences
moved past them afterwards), so 1 000× loads in ~5 s on SQLite and ~11 s on PostgreSQL. The caller owns the
transaction.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.orm import Session

from data.db import upgrade
from data.models import (
    Activity,
    AgendaItem,
    Base,
    BudgetPart,
    ChangeRecord,
    Decision,
    FocusArea,
    FundingLine,
    ImportBatch,
    Meeting,
    MeetingParticipant,
    Municipality,
    Party,
    Phase,
    Plan,
    Project,
    Task,
    project_municipality,
    task_owner,
)
from data.seeding import load_demo_data

# The day the data describes: statuses (done, overdue, planned) are drawn relative to it, so that the same seed gives
# the same rows whatever the clock says.
REFERENCE_DAY = dt.date(2026, 11, 23)
FIRST_DAY = dt.date(2001, 1, 1)
LAST_DAY = dt.date(2030, 12, 31)
PLAN_YEARS = range(2006, 2031)
SOURCE = "bench/generate.py"
ACTOR = "system"

# Per 1× of the seed: the demo data has 8 projects, 15 tasks (11 a meeting is the usual), 23 activities.
PROJECTS_PER_SCALE = 8
TASKS_PER_SCALE = 11
MEETINGS_PER_SCALE = 1
ACTIVITIES_PER_SCALE = 23

SEED_FOCUS_AREAS = (
    "Närings- och utveckling",
    "Förnyelse av offentlig verksamhet",
    "Infrastruktur",
    "Kultur och kompetensutveckling",
    "Den hållbara Umeåregionen",
    "Internationalisering",
    "Omvärldsanalys",
)

FIRST_NAMES = (
    "Anna", "Erik", "Maria", "Lars", "Karin", "Anders", "Eva", "Johan", "Sara", "Per", "Lena", "Mikael", "Ingrid",
    "Nils", "Elin", "Jonas", "Åsa", "Olof", "Frida", "Magnus", "Ulla", "Henrik", "Sofia", "Göran", "Malin", "Björn",
    "Emma", "Stefan", "Linnea", "Tomas", "Hanna", "Jörgen", "Ida", "Peter", "Helena", "Mats", "Kerstin", "Ola",
    "Annika", "Pär",
)  # fmt: skip
LAST_NAMES = (
    "Lindberg", "Öberg", "Nyström", "Forsberg", "Holmgren", "Sjöberg", "Lundström", "Backman", "Hedlund", "Marklund",
    "Burström", "Westerlund", "Sandberg", "Lundgren", "Nordin", "Åström", "Granström", "Boström", "Lindgren",
    "Renberg", "Wikström", "Häggström", "Strömberg", "Jonsson", "Eriksson", "Persson", "Olofsson", "Näslund",
    "Ekman", "Bergström",
)  # fmt: skip
REGION_GROUPS = (
    "It-arbetsgruppen", "Personalarbetsgruppen", "Fritidsarbetsgruppen", "Turismgruppen", "Kompetensgruppen",
    "Infrastrukturgruppen", "Kommunikationsgruppen", "Miljögruppen", "Socialchefsgruppen", "Skolchefsgruppen",
)  # fmt: skip
PROJECT_THEMES = (
    "Bredband", "Besöksnäring", "Digital vård", "Kompetenslyft", "Cykelstråk", "Solenergi", "Nya kollektivtrafiken",
    "Landsbygdsutveckling", "Ungdomsentreprenörskap", "Integration och arbete", "Gröna näringar", "E-tjänster",
    "Kulturarv", "Vindkraftsdialog", "Hållbart resande", "Kustturism", "Livsmedelsförädling", "Etableringsservice",
    "Framtidens skola", "Äldre i digital vardag", "Fiber till byarna", "Skogsnäring", "Innovationsslussen",
    "Kompetensförsörjning", "Destinationsutveckling", "Smart energi", "Attraktiva centrum", "Vattenvård",
    "Biogas", "Medborgardialog", "Öppna data", "Välkomna nya invånare", "Mötesplatser", "Friluftsliv",
)  # fmt: skip
PROJECT_KINDS = ("förstudie", "projekt", "satsning", "pilot", "nätverk")
ACTIVITY_TOPICS = (
    "Gemensam upphandling", "Webbplats för rekrytering", "Marknadsföring", "Medborgarundersökning",
    "Gemensamma system", "Bevakning av regionala frågor", "Inventering av nätverk", "Kompetensinventering",
    "Samordnad växel", "Gemensam e-arkivlösning", "Besöksnäringens strategi", "Trafikförsörjningsprogram",
    "Landsbygdsstrategi", "Avfallsplan", "Energi- och klimatrådgivning", "Kulturplan", "Internationell profil",
    "EU-bevakning", "Etableringsfrågor", "Bredbandsstrategi", "Praktikplatser för unga", "Folkhälsoarbete",
    "Gemensam telefoni", "Säkerhetsskydd", "Krisberedskap", "Bostadsförsörjning",
)  # fmt: skip
AGENDA_TOPICS = (
    "Avstämning turismsamarbete", "Uppföljning av regionrådet", "Status landsbygdsstrategi", "Kompetensförsörjning",
    "Växeln", "Säkerhetsskyddschef", "Avfallsplan och taxa", "Budget för kansliet", "Verksamhetsplanens uppföljning",
    "Bredbandsutbyggnad", "Kollektivtrafik", "Gemensam upphandling", "EU-program och ansökningar", "Etableringar",
    "Integration och mottagande", "Digitalisering", "Information från kansliet", "Besöksnäring", "Krisberedskap",
    "Näringslivsdagar", "Arbetsgruppernas rapporter", "Remisser", "Kulturfrågor", "Skolfrågor",
)  # fmt: skip
TASK_VERBS = (
    "Ta fram förslag om", "Återkomma med en redovisning av", "Utreda", "Stämma av med kommunerna om",
    "Bjuda in till ett arbetsmöte om", "Sammanställa underlag om", "Skicka ut förslag om", "Kontakta länsstyrelsen om",
    "Presentera ett upplägg för", "Se över",
)  # fmt: skip
PLACES = (
    "Umeå stadshus", "Vännäs kommunhus", "Nordmalings kommunhus", "Robertsfors kommunhus", "Vindelns kommunhus",
    "Bjurholms kommunhus", "Örnsköldsviks stadshus", "Via länk", "Folkets hus, Umeå",
)  # fmt: skip
FUNDERS = {
    "kommunerna": ("Kommunerna i Umeåregionen", "Umeå kommun", "Vännäs kommun", "Nordmalings kommun",
                   "Vindelns kommun"),
    "EU": ("EU:s mål 1", "EG:s strukturfond", "Interreg Nord", "Europeiska regionala utvecklingsfonden",
           "Europeiska socialfonden", "Leader Lappland"),
    "stat": ("Länsstyrelsen", "Tillväxtverket", "Vinnova", "Trafikverket", "Energimyndigheten",
             "Post- och telestyrelsen"),
    "region/landsting": ("Västerbottens läns landsting", "Region Västerbotten", "AC läns landsting"),
    "universitet": ("Umeå universitet", "Sveriges lantbruksuniversitet", "Luleå tekniska universitet"),
    "privat": ("FöreningsSparbanken", "Sparbanken Nord", "Norrmejerier", "Skanova", "Holmen",
               "Västerbottens Handelskammare"),
    "övrigt": ("Allmänna arvsfonden", "Kempestiftelserna", "Stiftelsen Navet", "Svenska ESF-rådet"),
}  # fmt: skip
DESCRIPTIONS = (
    "samverkan mellan kommunerna.",
    "en gemensam satsning i regionen.",
    "kartläggning, genomförande och uppföljning.",
    "stöd till företag och föreningar.",
)
OWNER_ORGANISATIONS = (
    "Umeåregionen",
    "Umeå kommun",
    "Vännäs kommun",
    "Umeå universitet",
    "Stiftelsen Navet i Nordmaling",
)
NO_BUDGET = "Budgeten framgår inte av underlaget."
MEETING_TITLES = {
    "kommunchefsmöte": "Kommunchefsmöte, Umeåregionen",
    "regionråd": "Umeåregionens regionråd",
    "annat": None,
}
OTHER_MEETING_TITLES = ("Arbetsmöte", "Workshop om kompetensförsörjning", "Dialogmöte")
KIND_WEIGHTS = {
    "kommunerna": 30,
    "EU": 22,
    "stat": 16,
    "region/landsting": 12,
    "universitet": 6,
    "privat": 8,
    "övrigt": 6,
}


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def _month_start(d: dt.date) -> dt.date:
    return d.replace(day=1)


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    return dt.date(d.year + y, m + 1, 1)


def _round(amount: float, unit: int = 10_000) -> int:
    return max(unit, int(round(amount / unit)) * unit)


def _insert(session: Session, model, rows: list[dict[str, Any]]) -> list[int]:
    """Bulk insert (one executemany) with ids numbered here from the table's highest, so that children can point at
    them without a RETURNING round trip per row; the new ids in the order of `rows`."""
    if not rows:
        return []
    table = model.__table__
    first = (session.scalar(select(func.max(table.c.id))) or 0) + 1
    ids = list(range(first, first + len(rows)))
    for new_id, row in zip(ids, rows, strict=True):
        row["id"] = new_id
    session.execute(insert(table), rows)
    return ids


def _insert_plain(session: Session, target, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(getattr(target, "__table__", target)), rows)


def _advance_sequences(session: Session) -> None:
    """PostgreSQL: move each id sequence past the ids given here, so that the app's own inserts still work."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables:
        if "id" in table.c and table.c.id.primary_key:
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 1), (SELECT MAX(id) FROM {table.name}) IS NOT NULL)"
                )
            )


class _Generator:
    def __init__(self, session: Session, scale: int, seed: int, today: dt.date):
        self.s = session
        self.scale = scale
        self.rng = random.Random(seed)
        self.today = today
        self.counts: Counter[str] = Counter()
        self.history: list[dict[str, Any]] = []
        self.municipalities: dict[str, int] = dict(session.execute(select(Municipality.name, Municipality.id)).all())
        self.official: dict[str, str] = dict(
            session.execute(select(Municipality.name, Municipality.official_name)).all()
        )
        self.kommun_names = sorted(self.municipalities)

    def count(self, table: str, n: int) -> None:
        self.counts[table] += n

    # plans, focus areas and activities

    def plans(self) -> None:
        rng = self.rng
        existing = dict(self.s.execute(select(Plan.year, Plan.id)).all())
        years = [y for y in PLAN_YEARS if y not in existing][: max(0, self.scale - 1)]
        plan_rows = [
            {
                "year": y,
                "title": f"Umeåregionens verksamhetsplan {y}",
                "adopted_on": dt.date(y - 1, 12, rng.randint(1, 15)),
                "adopted_by": "Regionrådet",
            }
            for y in years
        ]
        plan_ids = dict(zip(years, _insert(self.s, Plan, plan_rows), strict=True))
        self.count("plan", len(plan_rows))
        fa_rows = []
        for y in years:
            names = list(SEED_FOCUS_AREAS)
            if y >= 2015:
                names.append("Digitalisering")
            if y >= 2018:
                names.append("Kompetensförsörjning")
            if y >= 2021:
                names.remove("Omvärldsanalys")
            fa_rows += [{"plan_id": plan_ids[y], "name": n, "position": i} for i, n in enumerate(names, start=1)]
        _insert(self.s, FocusArea, fa_rows)
        self.count("focus_area", len(fa_rows))
        rows = self.s.execute(select(FocusArea.id, FocusArea.name, Plan.year).join(Plan)).all()
        self.focus_areas: dict[int, list[tuple[int, str]]] = {}
        for fa_id, name, year in sorted(rows, key=lambda r: r.id):
            self.focus_areas.setdefault(year, []).append((fa_id, name))
        self.plan_years = sorted(self.focus_areas)

    def activities(self) -> None:
        rng = self.rng
        taken = {tuple(r) for r in self.s.execute(select(Activity.focus_area_id, Activity.title))}  # unique pairs
        positions = Counter(
            dict(self.s.execute(select(Activity.focus_area_id, func.count()).group_by(Activity.focus_area_id)).all())
        )
        all_fas = [(year, fa_id) for year in self.plan_years for fa_id, _ in self.focus_areas[year]]
        rows = []
        for _ in range(ACTIVITIES_PER_SCALE * (self.scale - 1)):
            year, fa_id = rng.choice(all_fas)
            topic = rng.choice(ACTIVITY_TOPICS)
            title, n = topic, 1
            while (fa_id, title) in taken:
                n += 1
                title = f"{topic}, del {n}"
            taken.add((fa_id, title))
            positions[fa_id] += 1
            if year < self.today.year:
                status = rng.choices(("klar", "struken", "pågår"), (75, 15, 10))[0]
            elif year == self.today.year:
                status = rng.choices(("planerad", "pågår", "klar"), (30, 50, 20))[0]
            else:
                status = "planerad"
            due_text = due_date = None
            r = rng.random()
            if r < 0.25:
                due_text, due_date = f"under hösten {year}", dt.date(year, 11, 30)
            elif r < 0.45:
                month = rng.randint(2, 12)
                due_date = _add_months(dt.date(year, month, 1), 1) - dt.timedelta(days=1)
                due_text = f"senast {due_date.isoformat()}"
            rows.append(
                {
                    "focus_area_id": fa_id,
                    "title": title,
                    "description": f"{topic} inom ramen för verksamhetsplanen {year}.",
                    "responsible": rng.choice((None, None, *REGION_GROUPS[:6], "Kansliet")),
                    "status": status,
                    "due_text": due_text,
                    "due_date": due_date,
                    "position": positions[fa_id],
                    "uncertain": [],
                }
            )
        _insert(self.s, Activity, rows)
        self.count("activity", len(rows))

    # people and groups

    def parties(self) -> None:
        rng = self.rng
        existing = set(self.s.scalars(select(Party.name)))
        people_per_kommun = min(40, 3 + self.scale // 10)
        combos = [f"{f} {last}" for f in FIRST_NAMES for last in LAST_NAMES]
        rng.shuffle(combos)
        names = (n for n in combos if n not in existing)
        rows = []
        for kommun in self.kommun_names:
            for _ in range(people_per_kommun):
                rows.append(
                    {
                        "name": next(names),
                        "kind": "person",
                        "municipality_id": self.municipalities[kommun],
                        "organisation": self.official[kommun],
                        "aliases": [],
                        "uncertain": [],
                    }
                )
        for _ in range(max(2, people_per_kommun // 2)):
            rows.append(
                {
                    "name": next(names),
                    "kind": "person",
                    "municipality_id": None,
                    "organisation": "Umeåregionen",
                    "aliases": [],
                    "uncertain": [],
                }
            )
        for g in REGION_GROUPS:
            if g not in existing:
                rows.append(
                    {
                        "name": g,
                        "kind": "grupp",
                        "municipality_id": None,
                        "organisation": "Umeåregionen",
                        "aliases": [],
                        "uncertain": [],
                    }
                )
        for kommun in self.kommun_names:
            name = self.official[kommun]
            if name not in existing:
                rows.append(
                    {
                        "name": name,
                        "kind": "grupp",
                        "municipality_id": self.municipalities[kommun],
                        "organisation": name,
                        "aliases": [],
                        "uncertain": [],
                    }
                )
        _insert(self.s, Party, rows)
        self.count("party", len(rows))
        all_parties = self.s.execute(select(Party.id, Party.name, Party.kind, Party.municipality_id)).all()
        self.people = [p for p in all_parties if p.kind == "person"]
        self.groups = [p for p in all_parties if p.kind == "grupp"]
        self.party_kommun = {p.id: p.municipality_id for p in all_parties}

    # projects with their municipalities, phases, funding and budget parts

    def projects(self) -> None:
        rng = self.rng
        taken = set(self.s.scalars(select(Project.name)))
        n = PROJECTS_PER_SCALE * (self.scale - 1)
        rows, details = [], []
        for _ in range(n):
            start = end = None
            r = rng.random()
            if r < 0.78:
                start = _month_start(_day(rng, FIRST_DAY, dt.date(2029, 6, 30)))
                end = min(_add_months(start, rng.randint(3, 60)) - dt.timedelta(days=1), LAST_DAY)
            elif r < 0.84:
                start = _month_start(_day(rng, FIRST_DAY, dt.date(2029, 6, 30)))
            elif r < 0.90:
                end = _add_months(_day(rng, FIRST_DAY, dt.date(2030, 11, 30)), 1) - dt.timedelta(days=1)
            year_hint = (start or end or _day(rng, FIRST_DAY, LAST_DAY)).year
            plan_year = max(y for y in self.plan_years if y <= max(year_hint, self.plan_years[0]))
            fa_id, _ = rng.choice(self.focus_areas[plan_year])

            theme = rng.choice(PROJECT_THEMES)
            kommuner = self._project_kommuner()
            place = kommuner[0] if len(kommuner) == 1 else "Umeåregionen"
            base = f"{theme} i {place}" if rng.random() < 0.6 else f"{theme} – {rng.choice(PROJECT_KINDS)}"
            if start:
                base += f" {start.year}"
            name, k = base, 1
            while name in taken:
                k += 1
                name = f"{base} ({k})"
            taken.add(name)

            status = self._project_status(start, end)
            budget_amount = budget_period = budget_text = None
            if rng.random() < 0.85:
                budget_period = rng.choices(("år", "totalt"), (40, 60))[0]
                scale = 1_500_000 if budget_period == "år" else 6_000_000
                budget_amount = _round(rng.lognormvariate(0, 0.9) * scale)
                if rng.random() < 0.3:
                    millions = f"{budget_amount / 1_000_000:.2f}".rstrip("0").rstrip(".").replace(".", ",")
                    budget_text = f"{millions} milj" + ("/år" if budget_period == "år" else " totalt")
            contact = rng.choice(self.people)
            rows.append(
                {
                    "name": name,
                    "focus_area_id": fa_id,
                    "description": f"{theme} för {place}: {rng.choice(DESCRIPTIONS)}",
                    "owner_organisation": rng.choice((None, None, *OWNER_ORGANISATIONS)),
                    "contact_name": contact.name if rng.random() < 0.85 else None,
                    "contact_role": rng.choice(("projektledare", "projektledare", "processledare", None)),
                    "start_date": start,
                    "end_date": end,
                    "time_frame_text": None if (start and end) else rng.choice((None, "löpande", "tills vidare")),
                    "status": status,
                    "budget_amount": budget_amount,
                    "budget_period": budget_period,
                    "budget_text": budget_text,
                    "uncertain": [] if budget_amount or rng.random() < 0.5 else [NO_BUDGET],
                }
            )
            details.append((kommuner, start, end, budget_amount, budget_period))
        ids = _insert(self.s, Project, rows)
        self.count("project", len(rows))

        links, phases, funding, parts = [], [], [], []
        for pid, row, (kommuner, start, end, budget, period) in zip(ids, rows, details, strict=True):
            links += [{"project_id": pid, "municipality_id": self.municipalities[k]} for k in kommuner]
            phases += self._phases(pid, start, end)
            funding += self._funding(pid, budget, period)
            if budget and rng.random() < 0.05:
                share = rng.choice((0.3, 0.4, 0.5))
                parts += [
                    {"project_id": pid, "label": "till kust", "amount": int(budget * share)},
                    {"project_id": pid, "label": "till inland", "amount": budget - int(budget * share)},
                ]
            self.history.append(
                {
                    "entity": "project",
                    "entity_id": pid,
                    "action": "create",
                    "before": None,
                    "after": {"name": row["name"], "status": row["status"], "municipalities": kommuner},
                    "at": self._stamp(min(start or self.today, self.today) - dt.timedelta(days=30)),
                }
            )
        _insert_plain(self.s, project_municipality, links)
        _insert(self.s, Phase, phases)
        _insert(self.s, FundingLine, funding)
        _insert(self.s, BudgetPart, parts)
        self.count("project_municipality", len(links))
        self.count("phase", len(phases))
        self.count("funding_line", len(funding))
        self.count("budget_part", len(parts))

    def _project_kommuner(self) -> list[str]:
        rng = self.rng
        r = rng.random()
        if r < 0.12:
            return []
        if r < 0.32:
            return list(self.kommun_names)
        if r < 0.42:
            return [k for k in self.kommun_names if k != "Örnsköldsvik"]
        # Umeå takes part more often than the small municipalities, as in reality.
        weights = [3 if k == "Umeå" else 1 for k in self.kommun_names]
        picked: list[str] = []
        for _ in range(rng.choices((1, 2, 3), (50, 30, 20))[0]):
            k = rng.choices(self.kommun_names, weights)[0]
            if k not in picked:
                picked.append(k)
        return sorted(picked)

    def _project_status(self, start: dt.date | None, end: dt.date | None) -> str:
        rng = self.rng
        if end and end < self.today:
            return rng.choices(("avslutad", "pausad", "pågår"), (88, 7, 5))[0]
        if start and start > self.today:
            return rng.choices(("planerad", "pausad"), (95, 5))[0]
        if start or end:
            return rng.choices(("pågår", "pausad", "planerad"), (85, 8, 7))[0]
        return rng.choices(("pågår", "planerad"), (70, 30))[0]

    def _phases(self, pid: int, start: dt.date | None, end: dt.date | None) -> list[dict[str, Any]]:
        rng = self.rng
        if not (start and end) or (end - start).days < 180 or rng.random() < 0.6:
            return []
        n = rng.randint(2, 4)
        names = ["Förstudie", "Genomförande", "Utvärdering"] if n == 3 else [f"Etapp {i}" for i in range(1, n + 1)]
        total = (end - start).days
        cuts = sorted(rng.sample(range(30, total - 30), n - 1)) if total > 60 + n else []
        bounds = [start] + [start + dt.timedelta(days=c) for c in cuts] + [end + dt.timedelta(days=1)]
        out = []
        for i, name in enumerate(names[: len(bounds) - 1]):
            a, b = bounds[i], bounds[i + 1] - dt.timedelta(days=1)
            if i > 0 and rng.random() < 0.2:  # a pause between two phases
                a = min(a + dt.timedelta(days=rng.randint(1, 20)), b)
            out.append({"project_id": pid, "name": name, "start_date": a, "end_date": b})
        return out

    def _funding(self, pid: int, budget: int | None, period: str | None) -> list[dict[str, Any]]:
        rng = self.rng
        n = rng.choices(range(7), (14, 14, 18, 18, 14, 12, 10))[0]
        if n == 0:
            return []
        kinds = list(KIND_WEIGHTS)
        used: set[str] = set()
        lines = []
        for _ in range(n):
            kind = rng.choices(kinds, list(KIND_WEIGHTS.values()))[0]
            options = [f for f in FUNDERS[kind] if f not in used]
            if not options:
                continue
            funder = rng.choice(options)
            used.add(funder)
            lines.append({"project_id": pid, "funder": funder, "kind": kind, "amount": None, "period": None})
        mode = rng.choices(("exakt", "gap", "överskott", "okänt", "delvis"), (30, 35, 10, 15, 10))[0]
        if mode == "okänt":
            return lines
        target = budget if budget else _round(rng.lognormvariate(0, 0.9) * 3_000_000)
        if mode == "gap":
            target = int(target * rng.uniform(0.5, 0.95))
        elif mode == "överskott":
            target = int(target * rng.uniform(1.05, 1.4))
        shares = [rng.uniform(0.5, 2.0) for _ in lines]
        total = sum(shares)
        for line, share in zip(lines, shares, strict=True):
            line["amount"] = _round(target * share / total, 1_000)
            line["period"] = period or rng.choice(("år", "totalt"))
        if mode == "exakt" and budget:
            lines[-1]["amount"] = max(0, budget - sum(x["amount"] for x in lines[:-1]))
        if mode == "delvis":
            for line in rng.sample(lines, max(1, len(lines) // 2)):
                line["amount"] = line["period"] = None
        return lines

    # meetings with participants, agenda items, decisions and tasks

    def meetings(self) -> None:
        rng = self.rng
        n = MEETINGS_PER_SCALE * (self.scale - 1)
        taken = set(self.s.execute(select(Meeting.kind, Meeting.date)).all())
        n_future = n // 10
        past = [("past", i) for i in range(n - n_future)] + [("future", i) for i in range(n_future)]
        rows = []
        for when, _ in past:
            kind = rng.choices(("kommunchefsmöte", "regionråd", "annat"), (60, 25, 15))[0]
            while True:
                if when == "past":
                    d = _day(rng, FIRST_DAY, self.today - dt.timedelta(days=1))
                else:
                    d = _day(rng, self.today + dt.timedelta(days=1), self.today + dt.timedelta(days=730))
                if d.weekday() < 5 and (kind, d) not in taken:
                    break
            taken.add((kind, d))
            start_hour = rng.choice((9, 9, 10, 13))
            rows.append(
                {
                    "kind": kind,
                    "date": d,
                    "start_time": dt.time(start_hour, rng.choice((0, 30))),
                    "end_time": dt.time(start_hour + rng.randint(2, 4), 0),
                    "title": MEETING_TITLES[kind] or rng.choice(OTHER_MEETING_TITLES),
                    "place": rng.choice(PLACES),
                    "secretary": rng.choice(self.people).name if rng.random() < 0.8 else None,
                    "next_meeting_date": None,
                    "uncertain": [],
                }
            )
        rows.sort(key=lambda r: (r["date"], r["kind"]))
        following: dict[str, dt.date] = {}
        for r in reversed(rows):
            r["next_meeting_date"] = following.get(r["kind"])
            following[r["kind"]] = r["date"]
        ids = _insert(self.s, Meeting, rows)
        self.count("meeting", len(rows))

        participants, items = [], []
        for mid in ids:
            for party in rng.sample(self.people, min(len(self.people), rng.randint(4, 10))):
                role = rng.choices(("beslutande", "deltagare", "föredragande", "frånvarande"), (50, 35, 10, 5))[0]
                participants.append({"meeting_id": mid, "party_id": party.id, "roles": [role], "note": None})
            n_items = rng.randint(5, 12)
            topics = rng.sample(AGENDA_TOPICS, n_items - 2)
            titles = ["Mötet öppnas", *topics, "Mötet avslutas"]
            for number, title in enumerate(titles, start=1):
                middle = 1 < number < n_items
                items.append(
                    {
                        "meeting_id": mid,
                        "number": number,
                        "title": title,
                        "presenter": rng.choice(self.people).name if middle and rng.random() < 0.4 else None,
                        "notes": f"Diskussion om {title.lower()}." if middle and rng.random() < 0.5 else None,
                    }
                )
        _insert_plain(self.s, MeetingParticipant, participants)
        item_ids = _insert(self.s, AgendaItem, items)
        self.count("meeting_participant", len(participants))
        self.count("agenda_item", len(items))

        meeting_of = {mid: m for mid, m in zip(ids, rows, strict=True)}
        decisions = []
        self.task_slots = []  # (agenda item id, meeting id, meeting row) where a task can come from
        for iid, item in zip(item_ids, items, strict=True):
            if item["title"] in ("Mötet öppnas", "Mötet avslutas"):
                continue
            m = meeting_of[item["meeting_id"]]
            if m["date"] < self.today:
                if rng.random() < 0.3:
                    decisions.append(
                        {"agenda_item_id": iid, "text": f"Mötet beslutade att godkänna {item['title'].lower()}."}
                    )
                self.task_slots.append((iid, item["meeting_id"], m))
        _insert_plain(self.s, Decision, decisions)
        self.count("decision", len(decisions))

    def tasks(self) -> None:
        rng = self.rng
        n = TASKS_PER_SCALE * (self.scale - 1)
        rows, owners_of, days = [], [], []
        for _ in range(n):
            iid, mid, m = rng.choice(self.task_slots) if self.task_slots else (None, None, None)
            meeting_day = m["date"] if m else _day(rng, FIRST_DAY, self.today)
            owners = self._owners()
            kommun_id = None
            person_kommuner = [self.party_kommun[p.id] for p in owners if self.party_kommun[p.id]]
            if person_kommuner and rng.random() < 0.5:
                kommun_id = person_kommuner[0]
            elif rng.random() < 0.2:
                kommun_id = self.municipalities[rng.choice(self.kommun_names)]
            due_text, due_date, due_rule = self._due(meeting_day, m)
            age = (self.today - meeting_day).days
            if age > 365:
                status = rng.choices(("klar", "struken", "öppen", "pågår"), (70, 10, 12, 8))[0]
            elif age > 90:
                status = rng.choices(("klar", "öppen", "pågår", "struken"), (45, 30, 20, 5))[0]
            else:
                status = rng.choices(("öppen", "pågår", "klar"), (60, 30, 10))[0]
            rows.append(
                {
                    "meeting_id": mid,
                    "agenda_item_id": iid,
                    "text": f"{rng.choice(TASK_VERBS)} {rng.choice(AGENDA_TOPICS).lower()}.",
                    "municipality_id": kommun_id,
                    "due_date": due_date,
                    "due_text": due_text,
                    "due_rule": due_rule,
                    "status": status,
                    "uncertain": [] if owners else ["Protokollet anger inte vem som ansvarar."],
                }
            )
            owners_of.append(owners)
            days.append(meeting_day)
        ids = _insert(self.s, Task, rows)
        self.count("task", len(rows))
        links = [{"task_id": tid, "party_id": p.id} for tid, owners in zip(ids, owners_of, strict=True) for p in owners]
        _insert_plain(self.s, task_owner, links)
        self.count("task_owner", len(links))
        for tid, row, owners, day in zip(ids, rows, owners_of, days, strict=True):
            made = self._stamp(day + dt.timedelta(days=1))
            self.history.append(
                {
                    "entity": "task",
                    "entity_id": tid,
                    "action": "create",
                    "before": None,
                    "after": {"text": row["text"], "status": "öppen", "owners": [p.name for p in owners]},
                    "at": made,
                }
            )
            if row["status"] != "öppen":
                self.history.append(
                    {
                        "entity": "task",
                        "entity_id": tid,
                        "action": "update",
                        "before": {"status": "öppen"},
                        "after": {"status": row["status"]},
                        "at": made + dt.timedelta(days=rng.randint(1, 120)),
                    }
                )

    def _owners(self) -> list:
        rng = self.rng
        k = rng.choices((0, 1, 2, 3), (12, 60, 20, 8))[0]
        picked = []
        for _ in range(k):
            p = rng.choice(self.groups) if rng.random() < 0.3 else rng.choice(self.people)
            if p not in picked:
                picked.append(p)
        return picked

    def _due(self, day: dt.date, meeting: dict | None) -> tuple[str | None, dt.date | None, str | None]:
        rng = self.rng
        r = rng.random()
        if r < 0.2 and meeting and meeting["next_meeting_date"]:
            nxt = meeting["next_meeting_date"]
            words = {"kommunchefsmöte": "till nästa kommunchefsmöte", "regionråd": "till nästa regionråd"}
            return (
                words.get(meeting["kind"], "till nästa möte"),
                nxt,
                f"Nästa möte är bestämt till {nxt.isoformat()}.",
            )
        if r < 0.4:
            autumn = dt.date(day.year if day.month < 9 else day.year + 1, 11, 30)
            return ("under hösten", autumn, f"hösten = september–november; sista dagen i november {autumn.year}")
        if r < 0.5:
            d = dt.date(day.year + 1, 1, 31)
            return ("efter årsskiftet", d, f"efter årsskiftet = januari {d.year}; sista dagen i januari")
        if r < 0.6:
            d = day + dt.timedelta(days=30)
            return ("inom en månad", d, "30 dagar efter mötet")
        if r < 0.8:
            return (None, day + dt.timedelta(days=rng.randint(14, 240)), None)
        if r < 0.9:
            return (rng.choice(("så snart som möjligt", "när underlaget finns", "löpande")), None, None)
        return (None, None, None)

    def _stamp(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(8, 0), tzinfo=dt.UTC) + dt.timedelta(minutes=self.rng.randint(0, 600))

    def record_history(self) -> None:
        batch = {
            "kind": "syntetisk",
            "source": SOURCE,
            "sha256": None,
            "username": ACTOR,
            "at": dt.datetime.combine(self.today, dt.time(6, 0), tzinfo=dt.UTC),
            "counts": dict(self.counts),
        }
        (batch_id,) = _insert(self.s, ImportBatch, [batch])
        rows = [{"username": ACTOR, "source": SOURCE, "import_batch_id": batch_id, **h} for h in self.history]
        _insert_plain(self.s, ChangeRecord, rows)
        self.count("change_record", len(rows))


def fresh_schema(engine: Engine) -> None:
    """The app's schema, migrated and empty: on PostgreSQL the public schema is dropped first (a benchmark database
    only), on SQLite the file is expected to be new."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as c:
            c.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            c.execute(text("CREATE SCHEMA public"))
    upgrade(engine)


def generate(session: Session, scale: int, seed: int = 1, *, today: dt.date = REFERENCE_DAY) -> dict[str, int]:
    """The demo data (loaded if missing) plus synthetic rows up to about `scale` times its size; rows added by table.

    At scale 1 nothing is added. The caller commits.
    """
    if scale < 1:
        raise ValueError("scale must be at least 1")
    load_demo_data(session)
    session.flush()
    if scale == 1:
        return {}
    g = _Generator(session, scale, seed, today)
    g.plans()
    g.activities()
    g.parties()
    g.projects()
    g.meetings()
    g.tasks()
    g.record_history()
    _advance_sequences(session)
    return dict(g.counts)
