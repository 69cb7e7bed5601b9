"""Facts read straight from the seed JSON files and the two source documents, without going through data/."""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from pathlib import Path

from tests.conftest import SEEDS

SEED_DIR = Path(__file__).resolve().parents[2] / "data" / "seed"
MINUTES_2019_05_16 = SEEDS / "000_97e14613fcf6c3ba.txt"
PLAN_2005 = SEEDS / "002_c534bd840d8e5979.txt"

SEVEN = ["Bjurholm", "Nordmaling", "Robertsfors", "Umeå", "Vindeln", "Vännäs", "Örnsköldsvik"]
OPEN = ("öppen", "pågår")


@cache
def seed(name: str):
    """One seed file, parsed (callers must not mutate it)."""
    return json.loads((SEED_DIR / name).read_text(encoding="utf-8"))


def date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def party_municipality() -> dict[str, str | None]:
    return {p["name"]: p["municipality"] for p in seed("parties.json")}


def seed_tasks() -> list[dict]:
    """Every task in meetings.json, each with its meeting date and agenda item number added."""
    return [
        {**t, "meeting_date": m["date"], "agenda_item_number": a["number"]}
        for m in seed("meetings.json")
        for a in m["agenda_items"]
        for t in a["tasks"]
    ]


def task_concerns(task: dict, kommun: str | None) -> bool:
    """A task concerns a municipality if it is about it or one of its owners belongs to it."""
    if kommun is None:
        return True
    owners = party_municipality()
    return task["municipality"] == kommun or any(owners[o] == kommun for o in task["owners"])


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def source_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")
