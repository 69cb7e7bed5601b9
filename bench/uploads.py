"""Benchmark: uploading a 10 000-row project file (issue 4), as .xlsx and as .csv.

usage: python -m bench.uploads [--rows 10000] [--repeat 3] [--formats xlsx csv] [--scale 1] [--database-url URL]
                               [--profile] [--out bench/results/uploads.json]

For each format and each repetition it builds a fresh database (a temporary SQLite file, or the PostgreSQL database
given, after dropping its schema) with the demo data and bench/generate.py at `--scale`, and then uploads, as the
page /ladda-upp does:
  1. a file of `--rows` new projects: its preview (preview_upload: read, parse, validate, diff against the database),
     then its confirm (stage_upload + commit, then confirm_upload, which re-reads and re-checks the staged file, and
     the commit), and counts the projects afterwards (before + rows);
  2. a file of the same projects with a fifth of them changed (budget or status): preview and confirm again;
  3. the undo of that last import.
Each step runs in its own process (`python -m bench.uploads --worker …`) that first builds the app as app.py does
(create_app and its garbage-collector freeze) and then works in the app's own session scope, so its peak RSS
(VmHWM; see peak_rss_mb) is what the server's process would reach; a process that only builds the app is measured as
the baseline. Nothing is subtracted. The files are made once: the .xlsx from the app's blank template (openpyxl,
amounts and dates as Excel numbers and date cells, as in the pre-filled template); the .csv separated by semicolons,
UTF-8 with BOM, amounts as "4 650 000", dates as "2005-01-01", municipalities as "Umeå, Vännäs".

It prints a Markdown table (p50 / max over the repetitions, ✓/✗ against the targets: preview ≤ 2 s, confirm ≤ 3 s,
peak RSS ≤ 300 MB) and a PASS/FAIL summary, and writes JSON. With --profile, a step that misses its target is run
once more under cProfile and its hotspots are reported. It always exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import datetime as dt
import hashlib
import io
import json
import os
import platform
import pstats
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

KIND = "projekt"
SHEET = "Projekt"
FORMATS = ("xlsx", "csv")
MB = 1_000_000
TARGETS = {"preview_s": 2.0, "confirm_s": 3.0, "peak_rss_mb": 300.0}
SECRET_KEY = "bench-uploads-secret-key-0123456789"
USERNAME, ROLE = "bench", "redigerare"  # a redigerare for every municipality, as kansliet
KOMMUNER = ("Bjurholm", "Nordmaling", "Robertsfors", "Umeå", "Vindeln", "Vännäs", "Örnsköldsvik")
STATUSES = ("planerad", "pågår", "avslutad", "pausad")
OWNERS = ("Umeå kommun", "Region Västerbotten", "Umeå universitet", "Vännäs kommun", "Umeåregionen", "Trafikverket")
CONTACTS = ("Anna Lindqvist", "Erik Holmberg", "Karin Sjöberg", "Lars Öberg", "Sara Nyström", "Per Åström")
ROLES = ("projektledare", "utvecklingsstrateg", "näringslivschef", "kommunchef", "samordnare")
TOPICS = ("Bredband", "Besöksnäring", "Kollektivtrafik", "Kompetensförsörjning", "Digitalisering", "Energi",
          "Vatten", "Skola", "Friluftsliv", "Integration", "Kulturarv", "Företagsstöd")  # fmt: skip
# The steps of one sequence, in order: (key, label in the table, what it is timed against).
STEPS = (
    ("preview_new", "förhandsgranska {rows} nya projekt", "preview_s"),
    ("confirm_new", "spara {rows} nya projekt", "confirm_s"),
    ("preview_changed", "förhandsgranska samma {rows}, {changed} ändrade", "preview_s"),
    ("confirm_changed", "spara {changed} ändrade", "confirm_s"),
    ("undo", "ångra den senaste importen (utan tidsmål)", None),
)


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        return out.stdout.strip() or None
    except OSError:
        return None


def uncommitted() -> list[str] | None:
    """The files that differ from the commit (the figures are for the working tree), or None without git."""
    try:
        out = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True)
    except OSError:
        return None
    return [line[3:] for line in out.stdout.splitlines()] if out.returncode == 0 else None


def log_stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB.

    On Linux, VmHWM (the high-water mark of this process's own memory): getrusage's ru_maxrss would do, but Linux
    carries it over from the parent through fork (vfork) and exec, so a child of a larger process reports the
    parent's peak. Elsewhere ru_maxrss (KiB on Linux, bytes on macOS)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) * 1024 / MB, 1)
    except OSError:
        pass
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round((maxrss if sys.platform == "darwin" else maxrss * 1024) / MB, 1)


def spaced(n: int) -> str:
    """10000 → '10 000', as Swedish text writes it."""
    return f"{n:,}".replace(",", " ")


# The files


def project_rows(n: int, focus_areas: list[str], seed: int = 1) -> list[dict[str, Any]]:
    """`n` made-up projects (field name → value as the database holds it), deterministic for a seed."""
    rng = random.Random(seed)
    rows = []
    for i in range(1, n + 1):
        start = None
        end = None
        if rng.random() > 0.05:
            start = dt.date(rng.randint(2001, 2028), rng.randint(1, 12), 1)
            end = dt.date(start.year + rng.randint(0, 5), rng.randint(1, 12), 28)
            if end < start:
                end = dt.date(start.year + 1, end.month, 28)
        budget = rng.randrange(100, 50_000) * 1000 if rng.random() > 0.1 else None
        munis = sorted(rng.sample(KOMMUNER, rng.choice((1, 1, 2, 3, 7))))
        rows.append(
            {
                "name": f"{rng.choice(TOPICS)} {munis[0]} {i:05d}",
                "focus_area": rng.choice(focus_areas),
                "status": rng.choice(STATUSES),
                "start_date": start,
                "end_date": end,
                "budget_amount": budget,
                "budget_period": rng.choice(("år", "totalt")) if budget else None,
                "municipalities": munis,
                "owner_organisation": rng.choice(OWNERS),
                "contact_name": rng.choice(CONTACTS),
                "contact_role": rng.choice(ROLES),
                "description": f"Syftet är att stärka {rng.choice(TOPICS).lower()} i {', '.join(munis)}; "
                f"etapp {rng.randint(1, 4)} av projektet.",
            }
        )
    return rows


def changed_rows(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """The same projects with every fifth changed: its budget (up 12 %) or its status (the next one)."""
    out, changed = [], 0
    for i, row in enumerate(rows):
        row = dict(row)
        if i % 5 == 4:
            if changed % 2 == 0:
                row["budget_amount"] = round((row["budget_amount"] or 1_000_000) * 1.12, -3)
                row["budget_period"] = row["budget_period"] or "totalt"
            else:
                row["status"] = STATUSES[(STATUSES.index(row["status"]) + 1) % len(STATUSES)]
            changed += 1
        out.append(row)
    return out, changed


def write_xlsx(template: bytes, rows: list[dict[str, Any]]) -> bytes:
    """The app's blank template with `rows` on its Projekt sheet, written as Excel writes them (numbers, dates)."""
    from openpyxl import load_workbook

    from data.imports import KINDS

    labels = {f.label: f.name for f in next(s for s in KINDS[KIND].sheets if s.name == SHEET).fields}
    wb = load_workbook(io.BytesIO(template))
    ws = wb[SHEET]
    names = [labels.get(c.value) for c in ws[1]]
    for r, row in enumerate(rows, start=2):
        for c, name in enumerate(names, start=1):
            value = row.get(name) if name else None
            if value is None:
                continue
            cell = ws.cell(row=r, column=c)
            if isinstance(value, list):
                cell.value = ", ".join(value)
            elif isinstance(value, dt.date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, int | float):
                cell.value = int(value)
                cell.number_format = "# ##0"
            else:
                cell.value = value
                cell.data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_csv(rows: list[dict[str, Any]]) -> bytes:
    """`rows` as a Swedish Excel user's CSV: semicolons, UTF-8 with BOM, '4 650 000', '2005-01-01', 'Umeå, Vännäs'."""
    from data.imports import KINDS

    fields = next(s for s in KINDS[KIND].sheets if s.name == SHEET).fields
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow([f.label for f in fields])
    for row in rows:
        out = []
        for f in fields:
            value = row.get(f.name)
            if value is None:
                out.append("")
            elif isinstance(value, list):
                out.append(", ".join(value))
            elif isinstance(value, dt.date):
                out.append(value.isoformat())
            elif isinstance(value, int | float):
                out.append(spaced(int(value)))
            else:
                out.append(value)
        w.writerow(out)
    return buf.getvalue().encode("utf-8-sig")


def make_files(url: str, directory: Path, rows: int, formats: tuple[str, ...], seed: int) -> dict:
    """The two files (new projects, then the same with some changed) per format, written under `directory`."""
    from sqlalchemy import select

    from data.db import make_engine, make_session_factory, session_scope
    from data.imports import build_template
    from data.models import FocusArea, Plan

    engine = make_engine(url)
    try:
        with session_scope(make_session_factory(engine)) as s:
            template = build_template(s, KIND, filled=False)
            latest = s.scalar(select(Plan.id).order_by(Plan.year.desc()).limit(1))
            areas = sorted(s.scalars(select(FocusArea.name).where(FocusArea.plan_id == latest)))
    finally:
        engine.dispose()
    new = project_rows(rows, areas, seed)
    changed, n_changed = changed_rows(new)
    files: dict = {"changed_rows": n_changed}
    for fmt in formats:
        files[fmt] = {}
        for which, data in (("new", new), ("changed", changed)):
            content = write_xlsx(template, data) if fmt == "xlsx" else write_csv(data)
            path = directory / f"projekt-{which}-{rows}.{fmt}"
            path.write_bytes(content)
            files[fmt][which] = {"path": str(path), "bytes": len(content)}
    return files


# The database


def prepare(url: str, scale: int, seed: int) -> int:
    """A fresh schema with the demo data (and bench/generate.py's rows at `scale`); returns the number of projects."""
    from sqlalchemy import func, make_url, select, text

    from bench.generate import fresh_schema, generate
    from data.db import make_engine, make_session_factory, session_scope
    from data.models import Project

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).unlink(missing_ok=True)
    engine = make_engine(url)
    try:
        fresh_schema(engine)
        with session_scope(make_session_factory(engine)) as s:
            generate(s, scale, seed)
        with session_scope(make_session_factory(engine)) as s:
            projects = s.scalar(select(func.count()).select_from(Project))
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(text("ANALYZE"))
    finally:
        engine.dispose()
    return projects


# One step, in its own process


def _hotspots(profiler: cProfile.Profile, total: float) -> list[str]:
    """The app's own functions by cumulative time, then every function by its own time."""
    stats = pstats.Stats(profiler)
    own, anywhere = [], []
    for (filename, line, name), (_, ncalls, tottime, cumtime, _) in stats.stats.items():
        try:
            rel = str(Path(filename).resolve().relative_to(ROOT))
        except ValueError:
            rel = None
        where = f"{rel}:{line}" if rel else filename.split("site-packages/")[-1] + f":{line}"
        if rel and rel.split("/")[0] in ("data", "callbacks", "layouts", "dashboard"):
            own.append((cumtime, f"{cumtime:6.2f} s kumulativt {ncalls:>8} anrop  {name}  ({where})"))
        anywhere.append((tottime, f"{tottime:6.2f} s eget     {ncalls:>8} anrop  {name}  ({where})"))
    own.sort(reverse=True)
    anywhere.sort(reverse=True)
    return [f"totalt {total:.2f} s", *(t for _, t in own[:15]), *(t for _, t in anywhere[:10])]


def worker(step: str, url: str, file: str | None, token: str | None, *, profile: bool = False) -> dict:
    """One step in this (fresh) process; returns its figures. Builds the app first, as the server does."""
    import logging

    logging.basicConfig(level=logging.WARNING)
    from dashboard import create_app, freeze_startup_objects
    from dashboard.database import session_scope
    from data.imports import Actor, confirm_upload, preview_upload, stage_upload, undo_latest

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET_KEY, "SEED_DEMO": False})
    logging.getLogger().setLevel(logging.WARNING)
    freeze_startup_objects()
    server = app.server
    actor = Actor(USERNAME, ROLE)
    out: dict[str, Any] = {"step": step, "app_rss_mb": peak_rss_mb()}
    profiler = cProfile.Profile() if profile else None

    def projects() -> int:
        from sqlalchemy import func, select

        from data.models import Project

        with session_scope(server) as s:
            return s.scalar(select(func.count()).select_from(Project))

    if step == "baseline":
        pass
    elif step == "preview":
        from plotly.utils import PlotlyJSONEncoder

        from layouts import upload as ui

        content = Path(file).read_bytes()
        name = Path(file).name
        if profiler:
            profiler.enable()
        c0, t0 = time.process_time(), time.perf_counter()
        with session_scope(server) as s:
            preview = preview_upload(s, KIND, content, name, actor=actor)
            c1, t1 = time.process_time(), time.perf_counter()
            # What the page then does with it: the preview as JSON, its panel, the panel's JSON to the browser.
            shown = {**preview.to_dict(), "kind_label": preview.kind_label}
            panel = json.dumps(ui.preview_panel(shown), cls=PlotlyJSONEncoder)
            c2, t2 = time.process_time(), time.perf_counter()
            token = stage_upload(s, preview, content, actor=actor) if preview.can_confirm else None
        c3, t3 = time.process_time(), time.perf_counter()
        if profiler:
            profiler.disable()
        out |= {
            "preview_s": round(t1 - t0, 3),
            "shown_s": round(t2 - t1, 3),
            "shown_bytes": len(panel),
            "stage_s": round(t3 - t2, 3),
            "stage_cpu_s": round(c3 - c2, 3),
            "seconds": round(t1 - t0, 3),
            "cpu_s": round(c1 - c0, 3),
            "counts": preview.counts,
            "problems": [str(p) for p in [*preview.problems, *preview.refused][:5]],
            "n_problems": len(preview.problems) + len(preview.refused),
            "token": token,
        }
    elif step == "confirm":
        if profiler:
            profiler.enable()
        c0, t0 = time.process_time(), time.perf_counter()
        with session_scope(server) as s:
            result = confirm_upload(s, token, actor=actor)
        c1, t1 = time.process_time(), time.perf_counter()
        if profiler:
            profiler.disable()
        out |= {"confirm_s": round(t1 - t0, 3), "seconds": round(t1 - t0, 3), "cpu_s": round(c1 - c0, 3)}
        out["counts"] = result.counts
    elif step == "undo":
        if profiler:
            profiler.enable()
        c0, t0 = time.process_time(), time.perf_counter()
        with session_scope(server) as s:
            result = undo_latest(s, actor=actor)
        c1, t1 = time.process_time(), time.perf_counter()
        if profiler:
            profiler.disable()
        out |= {"undo_s": round(t1 - t0, 3), "seconds": round(t1 - t0, 3), "cpu_s": round(c1 - c0, 3)}
        out["counts"] = result.counts
    else:
        raise SystemExit(f"unknown step {step!r}")
    out["peak_rss_mb"] = peak_rss_mb()
    if profiler:
        out["hotspots"] = _hotspots(profiler, out["seconds"])
    if step != "baseline":
        out["projects_after"] = projects()
    if step == "undo" and file:
        # Did the undo restore the values of the first file? Then that file previews as all unchanged.
        with session_scope(server) as s:
            check = preview_upload(s, KIND, Path(file).read_bytes(), Path(file).name, actor=actor)
            out["recheck_counts"] = check.counts
            s.rollback()
    server.extensions["engine"].dispose()
    return out


def call_worker(step: str, url: str, *, file: str | None = None, token: str | None = None, profile=False) -> dict:
    """Run one step in a new Python process and return what it measured."""
    cmd = [sys.executable, "-m", "bench.uploads", "--worker", step, "--database-url", url]
    if file:
        cmd += ["--file", file]
    if token:
        cmd.append(f"--token={token}")  # a token may begin with "-"
    if profile:
        cmd.append("--profile")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"step": step, "error": (done.stderr or done.stdout).strip()[-2000:], "process_s": round(wall, 2)}
    return {**json.loads(lines[-1]), "process_s": round(wall, 2)}


# One sequence: new projects, changed projects, undo


def sequence(url: str, files: dict, before: int, *, profile: bool = False) -> dict:
    """Steps 1–3 on a fresh database holding `before` projects; each step's figures by key, plus failed checks."""
    out: dict[str, dict] = {}
    checks: list[str] = []

    class Failed(Exception):
        pass

    def step(key: str, name: str, **kw) -> dict:
        result = call_worker(name, url, profile=profile, **kw)
        out[key] = result
        if "error" in result:
            checks.append(f"{key}: processen misslyckades: {result['error'][-300:]}")
            raise Failed
        return result

    def expect(what: str, got: Any, want: Any) -> None:
        if got != want:
            checks.append(f"{what}: {got!r}, väntat {want!r}")

    try:
        _steps(step, expect, files, before, checks)
    except Failed:
        pass
    # The confirm as the issue counts it: staging the previewed file (and its commit) plus confirm and commit.
    for key, preview_key in (("confirm_new", "preview_new"), ("confirm_changed", "preview_changed")):
        if "confirm_s" in out.get(key, {}) and "stage_s" in out.get(preview_key, {}):
            out[key]["stage_s"] = out[preview_key]["stage_s"]
            out[key]["seconds"] = round(out[key]["confirm_s"] + out[preview_key]["stage_s"], 3)
            out[key]["cpu_s"] = round(out[key]["cpu_s"] + out[preview_key]["stage_cpu_s"], 3)
    return {"steps": out, "checks": checks}


def _steps(step: Callable, expect: Callable, files: dict, before: int, checks: list[str]) -> None:
    rows, n_changed = files["rows"], files["changed_rows"]
    new, changed = files["new"]["path"], files["changed"]["path"]
    p = step("preview_new", "preview", file=new)
    expect(
        "förhandsgranskning av nya: antal", p.get("counts"), {"new": rows, "changed": 0, "unchanged": 0, "removed": 0}
    )
    if p.get("problems"):
        checks.append("förhandsgranskning av nya: fel i filen: " + "; ".join(p["problems"]))
    if not p.get("token"):
        checks.append("förhandsgranskning av nya: kan inte sparas")
        return
    c = step("confirm_new", "confirm", token=p["token"])
    expect("projekt efter import av nya", c.get("projects_after"), before + rows)
    p = step("preview_changed", "preview", file=changed)
    want = {"new": 0, "changed": n_changed, "unchanged": rows - n_changed, "removed": 0}
    expect("förhandsgranskning av ändrade: antal", p.get("counts"), want)
    if not p.get("token"):
        checks.append("förhandsgranskning av ändrade: kan inte sparas")
        return
    c = step("confirm_changed", "confirm", token=p["token"])
    expect("projekt efter import av ändrade", c.get("projects_after"), before + rows)
    u = step("undo", "undo", file=new)
    expect("projekt efter ångra", u.get("projects_after"), before + rows)
    expect(
        "första filen efter ångra", u.get("recheck_counts"), {"new": 0, "changed": 0, "unchanged": rows, "removed": 0}
    )


# The figures


def summarise_step(key: str, target_key: str | None, results: list[dict]) -> dict:
    """p50 / max over the repetitions of one step, and its verdict against the targets."""
    ok = [r for r in results if "seconds" in r]
    out: dict[str, Any] = {"samples": len(ok)}
    if ok:
        seconds = sorted(r["seconds"] for r in ok)
        rss = sorted(r["peak_rss_mb"] for r in ok)
        out |= {
            "p50_s": round(statistics.median(seconds), 3),
            "max_s": seconds[-1],
            "seconds": [r["seconds"] for r in ok],
            "peak_rss_mb_p50": round(statistics.median(rss), 1),
            "peak_rss_mb_max": rss[-1],
        }
        for extra in ("cpu_s", "preview_s", "shown_s", "stage_s", "confirm_s", "undo_s"):
            values = [r[extra] for r in ok if extra in r]
            if values:
                out[f"{extra}_p50"] = round(statistics.median(values), 3)
        if "shown_bytes" in ok[0]:
            out["shown_bytes"] = max(r["shown_bytes"] for r in ok)
    misses = []
    if len(ok) < len(results) or not ok:
        misses.append("misslyckades")
    if ok and target_key and out["max_s"] > TARGETS[target_key]:
        misses.append(f"max {out['max_s']:.2f} s > {TARGETS[target_key]:.0f} s")
    if ok and out["peak_rss_mb_max"] > TARGETS["peak_rss_mb"]:
        misses.append(f"RSS {out['peak_rss_mb_max']:.0f} MB > {TARGETS['peak_rss_mb']:.0f} MB")
    out["target_s"] = TARGETS[target_key] if target_key else None
    out["verdict"] = "FAIL" if misses else "PASS"
    out["misses"] = misses
    return out


def run(
    rows: int = 10_000,
    repeat: int = 3,
    database_url: str | None = None,
    *,
    formats: tuple[str, ...] = FORMATS,
    scale: int = 1,
    seed: int = 1,
    profile: bool = False,
    log: Callable[[str], None] = log_stderr,
) -> dict:
    """Measure the upload of a `rows`-row project file `repeat` times per format; the report (JSON-safe)."""
    from sqlalchemy import make_url

    report: dict[str, Any] = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": make_url(database_url).get_backend_name() if database_url else "sqlite",
        "commit": git_commit(),
        "uncommitted_changes": uncommitted(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "loadavg_1min_at_start": round(os.getloadavg()[0], 2),
        "rows": rows,
        "repeat": repeat,
        "scale": scale,
        "seed": seed,
        "targets": TARGETS,
        "what": {
            "preview": "preview_upload: läsa, tolka, kontrollera och jämföra filen med databasen",
            "confirm": "stage_upload + commit, sedan confirm_upload (läser och kontrollerar filen igen) + commit",
            "undo": "undo_latest + commit",
            "seconds": "väggklocka (målen gäller den); cpu_s: processens CPU-tid (utan PostgreSQL-serverns)",
            "peak_rss_mb": "processens högsta RSS (VmHWM), en ny process per steg som först bygger appen",
        },
    }
    with tempfile.TemporaryDirectory(prefix="bench-uploads-") as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'uploads.db'}"
        log(f"uppladdning: bygger databasen (skala {scale}) och filerna med {spaced(rows)} rader …")
        before = prepare(url, scale, seed)
        files = make_files(url, Path(tmp), rows, formats, seed)
        files["rows"] = rows
        report["changed_rows"] = files["changed_rows"]
        report["projects_before"] = before
        report["files"] = {fmt: {w: {"bytes": files[fmt][w]["bytes"]} for w in ("new", "changed")} for fmt in formats}
        for fmt in formats:
            for which in ("new", "changed"):
                content = Path(files[fmt][which]["path"]).read_bytes()
                report["files"][fmt][which]["sha256"] = hashlib.sha256(content).hexdigest()
        base = call_worker("baseline", url)
        report["baseline_rss_mb"] = base.get("peak_rss_mb")
        log(f"uppladdning: en process som bara bygger appen: {base.get('peak_rss_mb')} MB RSS")
        report["formats"] = {}
        for fmt in formats:
            runs = []
            for n in range(repeat):
                before = prepare(url, scale, seed)
                load = round(os.getloadavg()[0], 2)
                result = sequence(url, {**files, **files[fmt]}, before)
                result["loadavg_1min_at_start"] = load
                runs.append(result)
                steps = result["steps"]
                log(
                    f"uppladdning {fmt} {n + 1}/{repeat}: "
                    + ", ".join(
                        f"{k} {s['seconds']:.2f} s (cpu {s['cpu_s']:.2f}) {s['peak_rss_mb']:.0f} MB"
                        if "seconds" in s
                        else f"{k} fel"
                        for k, s in steps.items()
                    )
                    + ("; KONTROLL: " + " | ".join(result["checks"]) if result["checks"] else "")
                )
            summary = {
                key: summarise_step(key, target, [r["steps"][key] for r in runs if key in r["steps"]])
                for key, target in ((k, t) for k, _, t in STEPS)
            }
            report["formats"][fmt] = {
                "steps": summary,
                "checks": sorted({c for r in runs for c in r["checks"]}),
                "runs": [
                    {
                        "loadavg_1min_at_start": r["loadavg_1min_at_start"],
                        "checks": r["checks"],
                        "steps": {
                            k: {f: v for f, v in s.items() if f not in ("token", "hotspots")}
                            for k, s in r["steps"].items()
                        },
                    }
                    for r in runs
                ],
            }
            missed = [k for k, s in summary.items() if s["verdict"] == "FAIL" and s["samples"]]
            if profile and missed:
                log(f"uppladdning {fmt}: profilerar {', '.join(missed)} …")
                before = prepare(url, scale, seed)
                profiled = sequence(url, {**files, **files[fmt]}, before, profile=True)
                report["formats"][fmt]["profiles"] = {
                    k: profiled["steps"][k].get("hotspots") for k in missed if k in profiled["steps"]
                }
    report["summary"] = summarise(report)
    return report


def summarise(report: dict) -> dict:
    failures, passed = [], 0
    for fmt, data in report.get("formats", {}).items():
        for key, s in data["steps"].items():
            if s["verdict"] == "FAIL":
                failures.append(f"uppladdning {fmt} {key}: " + "; ".join(s["misses"]))
            else:
                passed += 1
        for check in data["checks"]:
            failures.append(f"uppladdning {fmt} kontroll: {check}")
    return {"pass": not failures, "passed": passed, "failures": failures}


def _cell(s: dict | None) -> tuple[str, str]:
    if not s or not s.get("samples"):
        return "fel", ""
    timing = f"{s['p50_s']:.2f} / {s['max_s']:.2f}"
    if s["target_s"] is not None:
        timing += " ✓" if s["max_s"] <= s["target_s"] else " ✗"
    rss = f"{s['peak_rss_mb_max']:.0f}" + (" ✓" if s["peak_rss_mb_max"] <= TARGETS["peak_rss_mb"] else " ✗")
    return timing, rss


def markdown(report: dict) -> str:
    formats = list(report.get("formats", {}))
    rows, changed = spaced(report["rows"]), spaced(report.get("changed_rows", 0))
    head = f"| {report['database']}, projektfil med {rows} rader | " + " | ".join(
        f"{fmt} p50 / max s | {fmt} max RSS MB" for fmt in formats
    ) + " |"  # fmt: skip
    lines = [head, "|---|" + "---:|---:|" * len(formats)]
    for key, label, target in STEPS:
        text = label.format(rows=rows, changed=changed)
        if target:
            text += f" (mål ≤ {TARGETS[target]:.0f} s)"
        cells = [c for fmt in formats for c in _cell(report["formats"][fmt]["steps"].get(key))]
        lines.append(f"| {text} | " + " | ".join(cells) + " |")
    base = report.get("baseline_rss_mb")
    cells = ["", f"{base:.0f}" if base is not None else "fel"] * len(formats)
    lines.append("| process som bara bygger appen (baslinje) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def print_summary(report: dict) -> None:
    s = report["summary"]
    print(
        ("PASS" if s["pass"] else "FAIL")
        + f": uppladdning, {s['passed']} mätningar inom målen, {len(s['failures'])} utanför eller fel."
    )
    for line in s["failures"]:
        print("  FAIL " + line)
    for fmt, data in report.get("formats", {}).items():
        for key, lines in data.get("profiles", {}).items():
            if lines:
                print(f"\nProfil {fmt} {key}:\n    " + "\n    ".join(lines))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.uploads", description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=10_000, help="projects in the file")
    ap.add_argument("--repeat", type=int, default=3, help="sequences per format, each on a fresh database")
    ap.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    ap.add_argument("--scale", type=int, default=1, help="bench/generate.py's multiple of the demo data underneath")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--database-url", help="PostgreSQL URL (its public schema is dropped!); default temp SQLite")
    ap.add_argument("--profile", action="store_true", help="cProfile every step that misses its target")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "uploads.json"))
    # One step in this process (what run() starts per measurement).
    ap.add_argument("--worker", choices=("baseline", "preview", "confirm", "undo"), help=argparse.SUPPRESS)
    ap.add_argument("--file", help=argparse.SUPPRESS)
    ap.add_argument("--token", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.worker:
        print(json.dumps(worker(a.worker, a.database_url, a.file, a.token, profile=a.profile), ensure_ascii=False))
        return 0
    report = run(
        a.rows, a.repeat, a.database_url, formats=tuple(a.formats), scale=a.scale, seed=a.seed, profile=a.profile
    )
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(markdown(report))
    print()
    print_summary(report)
    print(f"JSON: {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
