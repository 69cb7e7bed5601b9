"""Benchmark: how long the pages and the API take, on the demo data and on N× the demo data.

usage: python bench/run.py [--scale 1 100] [--repeat 20] [--database-url URL] [--out bench/results/latest.json]

Runs in-process through Flask's test client, logged in, exactly as the browser calls the server: page renders go
through Dash's /_dash-update-component endpoint. Without --database-url each scale gets a temporary SQLite file;
with a PostgreSQL URL the scale's data is loaded into that (empty) database's schema after dropping it.
Prints a table and writes JSON. Nothing here is a test: the figures go in the README.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select, text  # noqa: E402

from data.db import make_engine, make_session_factory, session_scope, upgrade  # noqa: E402
from data.models import AgendaItem, FundingLine, Meeting, Phase, Project, Task  # noqa: E402
from data.seeding import load_demo_data  # noqa: E402
from data.users import create_user  # noqa: E402

PAGES = ["/", "/verksamhetsplan", "/projekt", "/finansiering", "/uppdrag", "/moten", "/projekt/1"]
APIS = ["/api/projects", "/api/tasks", "/api/meetings", "/api/plan", "/api/funding", "/api/projects?format=csv"]
PASSWORD = "bench-losenord-1"


def multiply(session, factor: int) -> None:
    """Copies of every project (with phases and funders) and every meeting's tasks, factor-1 times over."""
    projects = session.scalars(select(Project)).all()
    meetings = session.scalars(select(Meeting).where(Meeting.agenda_items.any())).all()
    for n in range(2, factor + 1):
        for p in projects:
            session.add(
                Project(
                    name=f"{p.name} ({n})",
                    focus_area=p.focus_area,
                    description=p.description,
                    status=p.status,
                    start_date=p.start_date,
                    end_date=p.end_date,
                    budget_amount=p.budget_amount,
                    budget_period=p.budget_period,
                    municipalities=list(p.municipalities),
                    phases=[Phase(name=ph.name, start_date=ph.start_date, end_date=ph.end_date) for ph in p.phases],
                    funding_lines=[
                        FundingLine(funder=f.funder, kind=f.kind, amount=f.amount, period=f.period)
                        for f in p.funding_lines
                    ],
                )
            )
        for m in meetings:
            copy = Meeting(kind="annat", date=m.date.replace(year=m.date.year + n), place=m.place)
            session.add(copy)
            for a in m.agenda_items:
                item = AgendaItem(meeting=copy, number=a.number, title=a.title)
                session.add(item)
                for t in a.tasks:
                    session.add(
                        Task(
                            meeting=copy,
                            agenda_item=item,
                            text=t.text,
                            owners=list(t.owners),
                            municipality=t.municipality,
                            due_date=t.due_date,
                            due_text=t.due_text,
                            status=t.status,
                        )
                    )
    session.flush()


def prepare(url: str, factor: int) -> None:
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as c:
            c.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(engine)
    with session_scope(make_session_factory(engine)) as s:
        load_demo_data(s)
        create_user(s, "bench", PASSWORD, role="läsare")
        if factor > 1:
            multiply(s, factor)
    engine.dispose()


def timed(fn, repeat: int) -> dict:
    fn()  # warm-up
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.95))], 1),
    }


def run(url: str, factor: int, repeat: int) -> dict:
    import re

    from dashboard import create_app

    prepare(url, factor)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True})
    client = app.server.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"username": "bench", "password": PASSWORD, "csrf_token": token})
    client.get("/")
    header = {"X-CSRFToken": client.get_cookie("_csrf_token").value}

    def render(path: str):
        pathname, _, search = path.partition("?")
        body = {
            "output": "..shell-page.children...shell-filter-alert.children...shell-root.className..",
            "outputs": [
                {"id": "shell-page", "property": "children"},
                {"id": "shell-filter-alert", "property": "children"},
                {"id": "shell-root", "property": "className"},
            ],
            "inputs": [
                {"id": "shell-url", "property": "pathname", "value": pathname},
                {"id": "shell-url", "property": "search", "value": "?" + search if search else ""},
            ],
            "changedPropIds": ["shell-url.pathname"],
        }
        response = client.post("/_dash-update-component", json=body, headers=header)
        assert response.status_code == 200, (path, response.status_code)

    def get(path: str):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)

    results = {}
    for path in PAGES + [p + "?kommun=Vännäs" for p in PAGES[:3]]:
        results["sida " + path] = timed(lambda path=path: render(path), repeat)
    for path in APIS:
        results["api " + path] = timed(lambda path=path: get(path), repeat)
    app.server.extensions["engine"].dispose()
    return results


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, nargs="+", default=[1, 100])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--database-url")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "latest.json"))
    a = ap.parse_args()
    report = {"database": "postgresql" if a.database_url else "sqlite", "repeat": a.repeat, "scales": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for factor in a.scale:
            url = a.database_url or f"sqlite:///{Path(tmp) / f'bench{factor}.db'}"
            report["scales"][str(factor)] = run(url, factor, a.repeat)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    names = list(next(iter(report["scales"].values())))
    print(f"| {report['database']} | " + " | ".join(f"{f}× p50 / p95 ms" for f in report["scales"]) + " |")
    print("|---|" + "---|" * len(report["scales"]))
    for name in names:
        cells = [
            f"{report['scales'][f][name]['p50_ms']} / {report['scales'][f][name]['p95_ms']}" for f in report["scales"]
        ]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
