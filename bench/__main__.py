"""Benchmark: each page's main callback when the municipality filter changes, at 1×, 100× and 1000× the demo data.

usage: python -m bench [--scale 1 100 1000] [--repeat 24] [--database-url URL] [--profile]
                       [--uploads | --no-uploads] [--upload-rows 10000] [--upload-repeat 3]
                       [--documents | --no-documents] [--pack | --no-pack]
                       [--out bench/results/latest.json]

For each scale it builds a database (a temporary SQLite file, or the PostgreSQL database given, after dropping its
schema), fills it with bench/generate.py, creates the app as app.py does (including its garbage-collector freeze)
and logs in with Flask's test client. Then, in-process and
exactly as the browser calls the server, it posts the router callback (the page's render) for every page while
cycling `?kommun=` through the seven municipalities and "all"; the data callback of each AG Grid the page shows
(its getRowsRequest, a first page of rows) under the same filter; and an empty callback registered here, the
framework's floor. Unless --no-uploads, it then runs the upload benchmark (bench/uploads.py: a 10 000-row project
file as .xlsx and .csv, previewed, confirmed and undone, each step in its own process for its peak RSS) and puts its
result under "uploads"; unless --no-documents and --no-pack, the document benchmark (bench/documents.py) and the
meeting-pack benchmark (bench/pack.py) under "documents" and "pack". It prints Markdown tables and a PASS/FAIL
summary against the issues' targets and writes JSON. It always exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import logging
import math
import os
import platform
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, text  # noqa: E402

from bench import documents, pack, uploads  # noqa: E402
from bench.generate import fresh_schema, generate  # noqa: E402
from data.db import make_engine, make_session_factory, session_scope  # noqa: E402
from data.models import FundingLine, Meeting, Phase, Project, Task  # noqa: E402
from data.users import create_user  # noqa: E402

KOMMUNER = ("Bjurholm", "Nordmaling", "Robertsfors", "Umeå", "Vindeln", "Vännäs", "Örnsköldsvik")
FILTERS = (None, *KOMMUNER)  # None: all seven
PAGES = (
    "/",
    "/verksamhetsplan",
    "/projekt",
    "/projekt/{project}",
    "/finansiering",
    "/uppdrag",
    "/moten",
    "/moten/{meeting}",
    "/uppfoljning",
    "/forandringar",
    "/presentation",
)
# The read-only API, measured alongside (no target: a list endpoint returns every row by design).
APIS = ("/api/projects", "/api/tasks", "/api/meetings", "/api/plan", "/api/funding", "/api/projects?format=csv")
USER, PASSWORD = "bench", "bench-losenord-1"
FLOOR_IN, FLOOR_OUT = "bench-floor-in", "bench-floor-out"
MB = 1_000_000
# p95 limit (ms) and the largest response allowed (bytes) per scale; other scales are measured without a target.
TARGETS = {100: {"p95_ms": 100.0, "max_bytes": None}, 1000: {"p95_ms": 300.0, "max_bytes": MB}}
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@dataclass
class Measurement:
    """Samples of one callback at one scale."""

    ms: list[float] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    status: str = "ok"  # ok | saknas (the path answers with the not-found page) | fel (an error answer)
    note: str | None = None
    page: str | None = None  # for a grid's data callback: the page it is on

    def summary(self, scale: int) -> dict:
        out: dict = {"status": self.status}
        if self.page:
            out["page"] = self.page
        if self.note:
            out["note"] = self.note
        if self.ms:
            ordered = sorted(self.ms)
            out |= {
                "samples": len(ordered),
                "p50_ms": round(statistics.median(ordered), 1),
                "p95_ms": round(ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)], 1),
                "max_ms": round(ordered[-1], 1),
                "max_bytes": max(self.sizes),
            }
        if self.errors:
            out["errors"] = sorted(set(self.errors))[:5]
        out["verdict"], out["misses"] = verdict(out, scale)
        return out


def verdict(result: dict, scale: int) -> tuple[str | None, list[str]]:
    """PASS/FAIL against the targets of `scale` (None where the scale has no target or nothing was measured)."""
    target = TARGETS.get(scale)
    if target is None or result["status"] == "saknas":
        return None, []
    if result["status"] == "fel":
        return "FAIL", ["svarar med fel"]
    misses = []
    if result["p95_ms"] > target["p95_ms"]:
        misses.append(f"p95 {result['p95_ms']:.0f} ms > {target['p95_ms']:.0f} ms")
    if target["max_bytes"] and result["max_bytes"] > target["max_bytes"]:
        misses.append(f"svar {result['max_bytes'] / MB:.2f} MB > {target['max_bytes'] / MB:.0f} MB")
    return ("FAIL" if misses else "PASS"), misses


# The database


def prepare(url: str, scale: int, seed: int) -> dict:
    """A fresh schema filled to `scale`; returns what was loaded and how long it took."""
    engine = make_engine(url)
    try:
        fresh_schema(engine)
        t0 = time.perf_counter()
        with session_scope(make_session_factory(engine)) as s:
            generate(s, scale, seed)
            create_user(s, USER, PASSWORD, role="redigerare")  # sees every municipality and the edit controls
        load_seconds = time.perf_counter() - t0
        with session_scope(make_session_factory(engine)) as s:
            counts = {m.__tablename__: s.scalar(select(func.count()).select_from(m)) for m in (Project, Task, Meeting)}
            # The detail pages: the project with the most funders and phases, the meeting with the most tasks.
            lines = select(FundingLine.project_id, func.count().label("n")).group_by(FundingLine.project_id)
            lines = lines.union_all(select(Phase.project_id, func.count()).group_by(Phase.project_id)).subquery()
            project = s.scalar(
                select(lines.c.project_id)
                .group_by(lines.c.project_id)
                .order_by(func.sum(lines.c.n).desc(), lines.c.project_id)
                .limit(1)
            )
            tasks = func.count(Task.id)
            meeting = s.scalar(
                select(Meeting.id).outerjoin(Task, Task.meeting_id == Meeting.id).group_by(Meeting.id)
                .order_by(tasks.desc(), Meeting.id).limit(1)
            )  # fmt: skip
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(text("ANALYZE"))
    finally:
        engine.dispose()
    return {"load_seconds": round(load_seconds, 2), "counts": counts, "ids": {"project": project, "meeting": meeting}}


# The app and the callbacks


def parse_outputs(key: str) -> list[dict]:
    """Dash's callback_map key ("..a.children...b.value.." or "a.children") as the outputs the renderer sends."""
    parts = key[2:-2].split("...") if key.startswith("..") else [key]
    outs = []
    for part in parts:
        cid, prop = part.rsplit(".", 1)
        outs.append({"id": cid, "property": prop})
    return outs


def body_for(key: str, entry: dict, value_of: Callable[[str, str], object], changed: list[str]) -> dict:
    """The JSON the Dash renderer posts to /_dash-update-component for the callback under `key`."""
    outputs = parse_outputs(key)
    return {
        "output": key,
        "outputs": outputs if key.startswith("..") else outputs[0],
        "inputs": [{**i, "value": value_of(i["id"], i["property"])} for i in entry["inputs"]],
        "state": [{**s, "value": value_of(s["id"], s["property"])} for s in entry.get("state", [])],
        "changedPropIds": changed,
    }


def find_props(tree: object, component_id: str) -> dict | None:
    """The props of the component with `component_id` in a rendered layout (JSON), if it is there."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and props.get("id") == component_id and "type" in node:
                return props
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return None


class Bench:
    """One app on one database, logged in through the test client."""

    def __init__(self, url: str):
        from dash import Input, Output

        from dashboard import create_app

        self.app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-secret-key", "SEED_DEMO": False})
        logging.getLogger().setLevel(logging.WARNING)
        self.app.server.logger.setLevel(logging.CRITICAL)
        self.app.callback(Output(FLOOR_OUT, "children"), Input(FLOOR_IN, "value"))(lambda value: value)
        self.client = self.app.server.test_client()
        page = self.client.get("/login").get_data(as_text=True)
        token = CSRF_RE.search(page).group(1)
        response = self.client.post("/login", data={"username": USER, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 302, "login failed: " + response.get_data(as_text=True)[:300]
        self.client.get("/")
        self.headers = {"X-CSRFToken": self.client.get_cookie("_csrf_token").value}
        self.router_key, self.router = self._router()
        self.frozen = freeze_like_production()
        self.grids = {
            key: entry
            for key, entry in self.app.callback_map.items()
            if any(i["property"] == "getRowsRequest" and isinstance(i["id"], str) for i in entry["inputs"])
        }

    def close(self) -> None:
        self.app.server.extensions["engine"].dispose()

    def _router(self) -> tuple[str, dict]:
        try:
            from layouts import ids

            url, page = ids.URL, ids.PAGE
        except ImportError:
            url, page = "shell-url", "shell-page"
        for key, entry in self.app.callback_map.items():
            inputs = {(i["id"], i["property"]) for i in entry["inputs"]}
            if {(url, "pathname"), (url, "search")} <= inputs and f"{page}.children" in key:
                self.url_id = url
                return key, entry
        raise SystemExit("no router callback (Input shell-url.pathname and .search → shell-page.children) found")

    def post(self, body: dict) -> tuple[float, int, int, bytes]:
        t0 = time.perf_counter()
        try:
            response = self.client.post("/_dash-update-component", json=body, headers=self.headers)
            status, data = response.status_code, response.get_data()
        except Exception as exc:  # the page raised: recorded as an error answer, the run goes on
            status, data = 599, repr(exc).encode()
        return (time.perf_counter() - t0) * 1000, status, len(data), data

    def render(self, path: str, search: str) -> tuple[float, int, int, bytes]:
        values = {(self.url_id, "pathname"): path, (self.url_id, "search"): search}
        body = body_for(self.router_key, self.router, lambda i, p: values.get((i, p)), [f"{self.url_id}.search"])
        return self.post(body)

    def grid(self, key: str, path: str, search: str, layout: object) -> tuple[float, int, int, bytes]:
        entry = self.grids[key]
        request = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}

        def value_of(cid: str, prop: str):
            if prop == "getRowsRequest":
                return request
            if cid == self.url_id:
                return {"pathname": path, "search": search, "href": "http://localhost" + path + search}.get(prop)
            props = find_props(layout, cid)
            return props.get(prop) if props else None

        grid_id = next(i["id"] for i in entry["inputs"] if i["property"] == "getRowsRequest")
        return self.post(body_for(key, entry, value_of, [f"{grid_id}.getRowsRequest"]))

    def get(self, path: str) -> tuple[float, int, int, bytes]:
        t0 = time.perf_counter()
        try:
            response = self.client.get(path)
            status, data = response.status_code, response.get_data()
        except Exception as exc:
            status, data = 599, repr(exc).encode()
        return (time.perf_counter() - t0) * 1000, status, len(data), data

    def floor(self, n: int) -> tuple[float, int, int, bytes]:
        entry = self.app.callback_map[f"{FLOOR_OUT}.children"]
        return self.post(body_for(f"{FLOOR_OUT}.children", entry, lambda i, p: f"värde {n}", [f"{FLOOR_IN}.value"]))


def freeze_like_production() -> bool:
    """Do what app.py does once the app is built (move start-up objects out of the garbage collector's way), so the
    figures include its effect on the pauses of full collections. False if the app has no such step."""
    try:
        from dashboard import freeze_startup_objects
    except ImportError:
        return False
    freeze_startup_objects()
    return True


def not_found(path: str, data: bytes) -> bool:
    """The path has no page (yet): the router answers with its not-found page."""
    try:
        from callbacks.router import match

        return match(path)[0] is None
    except ImportError:
        return b"Sidan finns inte" in data


def search_for(kommun: str | None) -> str:
    return "?" + urlencode({"kommun": kommun}) if kommun else ""


def run_scale(
    url: str, scale: int, repeat: int, seed: int, log: Callable[[str], None], *, profile: bool = False
) -> dict:
    log(f"{scale}×: bygger databasen … (belastning {os.getloadavg()[0]:.1f})")
    info = prepare(url, scale, seed)
    log(f"{scale}×: {info['counts']} på {info['load_seconds']} s; mäter …")
    bench = Bench(url)
    pages: dict[str, Measurement] = {}
    grids: dict[str, Measurement] = {}
    apis: dict[str, Measurement] = {}
    floor = Measurement()
    profiles: dict[str, list[str]] = {}
    try:
        for n in range(repeat + 1):
            ms, status, size, _ = bench.floor(n)
            if n and status == 200:
                floor.ms.append(ms)
                floor.sizes.append(size)
        for template in PAGES:
            path = template.format(**info["ids"])
            m = pages[template] = Measurement()
            _, status, _, data = bench.render(path, "")  # warm-up: first queries, imports, caches
            if status == 200 and not_found(path, data):
                m.status, m.note = "saknas", "sidan finns inte än (routern svarar med sidan som saknas)"
                continue
            for n in range(repeat):
                search = search_for(FILTERS[n % len(FILTERS)])
                ms, status, size, data = bench.render(path, search)
                if status != 200:
                    m.status = "fel"
                    m.errors.append(f"{status}: {data[:200].decode(errors='replace')}")
                    continue
                m.ms.append(ms)
                m.sizes.append(size)
                layout = json.loads(data)
                for key in bench.grids:
                    grid_id = next(i["id"] for i in bench.grids[key]["inputs"] if i["property"] == "getRowsRequest")
                    if find_props(layout, grid_id) is None:
                        continue
                    g = grids.setdefault(f"{template} {grid_id}", Measurement(page=template))
                    gms, gstatus, gsize, gdata = bench.grid(key, path, search, layout)
                    if gstatus != 200:
                        g.status = "fel"
                        g.errors.append(f"{gstatus}: {gdata[:200].decode(errors='replace')}")
                        continue
                    g.ms.append(gms)
                    g.sizes.append(gsize)
            result = m.summary(scale)
            log(f"{scale}×: {path} p50 {result.get('p50_ms')} ms, p95 {result.get('p95_ms')} ms")
            if profile and result["verdict"] == "FAIL":
                profiles[template] = profile_render(bench, path)
        for path in APIS:
            m = apis[path] = Measurement()
            bench.get(path)
            for n in range(min(repeat, len(FILTERS))):
                kommun = FILTERS[n % len(FILTERS)]
                query = urlencode({"kommun": kommun}) if kommun else ""
                full = path + (("&" if "?" in path else "?") + query if query else "")
                ms, status, size, data = bench.get(full)
                if status != 200:
                    m.status = "fel"
                    m.errors.append(f"{status}: {data[:200].decode(errors='replace')}")
                    continue
                m.ms.append(ms)
                m.sizes.append(size)
        log(f"{scale}×: API klart")
    finally:
        bench.close()
    out = {
        **info,
        "gc_freeze_as_app_py": bench.frozen,
        "loadavg_1min_after": round(os.getloadavg()[0], 2),
        "floor": floor.summary(scale),
        "pages": {t: m.summary(scale) for t, m in pages.items()},
        "grids": {name: g.summary(scale) for name, g in grids.items()},
        "api": {path: {**a.summary(0), "note": "utan mål"} for path, a in apis.items()},
    }
    if profiles:
        out["profiles"] = profiles
    return out


def profile_render(bench: Bench, path: str) -> list[str]:
    """Where a page's render spends its time: cProfile over one render per filter, the app's own functions and the
    heaviest library calls, by cumulative time."""
    profiler = cProfile.Profile()
    profiler.enable()
    for kommun in FILTERS:
        bench.render(path, search_for(kommun))
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(v[3] for k, v in stats.stats.items() if k[2] == "post")  # werkzeug test client's post()
    rows = []
    for (filename, line, name), (_, ncalls, _tottime, cumtime, _) in stats.stats.items():
        try:
            rel = Path(filename).resolve().relative_to(ROOT)
        except ValueError:
            rel = None
        mine = rel is not None and rel.parts[0] in ("callbacks", "data", "layouts", "dashboard")
        library = any(
            marker in filename and name == fn
            for marker, fn in (
                ("sqlalchemy/engine/base.py", "_execute_context"),
                ("sqlalchemy/orm/loading.py", "instances"),
                ("dash/_utils.py", "to_json"),
                ("plotly/io/_json.py", "to_json_plotly"),
                ("pandas/core/frame.py", "__init__"),
                ("dash/development/base_component.py", "to_plotly_json"),
            )
        )
        if mine or library:
            where = f"{rel}:{line}" if mine else filename.split("site-packages/")[-1] + f":{line}"
            rows.append(
                (cumtime, f"{cumtime / len(FILTERS) * 1000:7.1f} ms/render {ncalls:>7} calls  {name}  ({where})")
            )
    rows.sort(reverse=True)
    head = f"{path}: {total / len(FILTERS) * 1000:.1f} ms per render (cProfile, {len(FILTERS)} renders)"
    return [head] + [text for _, text in rows[:18]]


# Output


def cell(result: dict | None, scale: int) -> tuple[str, str]:
    """Two table cells: "p50 / p95" and the largest response in kB, each marked against the scale's target."""
    if result is None:
        return "", ""
    if result["status"] == "saknas":
        return "saknas", ""
    if "p95_ms" not in result:
        return "fel", ""
    target = (TARGETS.get(scale) or {}) if result["verdict"] else {}
    timing = f"{result['p50_ms']:.1f} / {result['p95_ms']:.1f}"
    kb = result["max_bytes"] / 1000
    size = (f"{kb:,.0f}" if kb >= 10 else f"{kb:.1f}").replace(",", " ")
    if target:
        timing += " ✓" if result["p95_ms"] <= target["p95_ms"] else " ✗"
    if target.get("max_bytes"):
        size += " ✓" if result["max_bytes"] <= target["max_bytes"] else " ✗"
    if result["status"] == "fel":
        timing += " (fel)"
    return timing, size


def markdown(report: dict) -> str:
    scales = list(report["scales"])
    rows: list[tuple[str, list[dict | None]]] = [
        ("tom callback (golv)", [report["scales"][s]["floor"] for s in scales])
    ]
    for template in PAGES:
        rows.append((f"sida {template}", [report["scales"][s]["pages"].get(template) for s in scales]))
    grid_names = sorted({name for s in scales for name in report["scales"][s]["grids"]})
    for name in grid_names:
        rows.append((f"rader {name}", [report["scales"][s]["grids"].get(name) for s in scales]))
    for path in APIS:
        rows.append((f"api {path} (utan mål)", [report["scales"][s].get("api", {}).get(path) for s in scales]))
    head = "| " + report["database"] + " | " + " | ".join(f"{s}× p50 / p95 ms | {s}× max kB" for s in scales) + " |"
    lines = [head, "|---|" + "---:|---:|" * len(scales)]
    for label, results in rows:
        cells = [part for r, s in zip(results, scales, strict=True) for part in cell(r, int(s))]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def summarise(report: dict) -> dict:
    failures, missing, passed = [], [], 0
    for scale, data in report["scales"].items():
        for kind, results in (("sida", data["pages"]), ("rader", data["grids"])):
            for name, r in results.items():
                if r["status"] == "saknas":
                    missing.append(f"{scale}×: {name}")
                elif r["verdict"] == "FAIL":
                    failures.append(f"{scale}× {kind} {name}: " + "; ".join(r["misses"]))
                elif r["verdict"] == "PASS":
                    passed += 1
    for part in ("uploads", "documents", "pack"):
        if part in report:
            passed += report[part]["summary"]["passed"]
            failures.extend(report[part]["summary"]["failures"])
    return {"pass": not failures, "passed": passed, "failures": failures, "missing": missing}


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        return out.stdout.strip() or None
    except OSError:
        return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=int, nargs="+", default=[1, 100, 1000], help="multiples of the demo data")
    ap.add_argument("--repeat", type=int, default=24, help="samples per page and scale (cycling the 8 filters)")
    ap.add_argument("--database-url", help="PostgreSQL URL (its public schema is dropped!); default temp SQLite")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--profile", action="store_true", help="cProfile every page and upload step missing its target")
    ap.add_argument(
        "--uploads", action=argparse.BooleanOptionalAction, default=True, help="also run bench/uploads.py (default on)"
    )
    ap.add_argument("--upload-rows", type=int, default=10_000, help="projects in the upload benchmark's file")
    ap.add_argument("--upload-repeat", type=int, default=3, help="upload sequences per format, each fresh")
    ap.add_argument(
        "--documents",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run bench/documents.py, a 200-page document extracted (default on)",
    )
    ap.add_argument(
        "--pack",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run bench/pack.py, the PowerPoint and Excel meeting pack at 1× and 100× (default on)",
    )
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "latest.json"))
    a = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)  # before create_app's own INFO setup, which then changes nothing

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    report = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": make_engine(a.database_url).dialect.name if a.database_url else "sqlite",
        "commit": git_commit(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "loadavg_1min_at_start": round(os.getloadavg()[0], 2),
        "repeat": a.repeat,
        "filters": ["alla", *KOMMUNER],
        "targets": {f"{s}×": t for s, t in TARGETS.items()},
        "scales": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        for scale in a.scale:
            url = a.database_url or f"sqlite:///{Path(tmp) / f'bench{scale}.db'}"
            report["scales"][str(scale)] = run_scale(url, scale, a.repeat, a.seed, log, profile=a.profile)
    if a.uploads:
        report["uploads"] = uploads.run(
            a.upload_rows, a.upload_repeat, a.database_url, seed=a.seed, profile=a.profile, log=log
        )
    if a.documents:
        report["documents"] = documents.run(log=log)
    if a.pack:
        report["pack"] = pack.run(database_url=a.database_url, log=log)
    # JSON keys are strings; the verdicts were computed with the integer scale.
    report["summary"] = summarise(report)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    print(markdown(report))
    print()
    if "uploads" in report:
        print(uploads.markdown(report["uploads"]))
        print()
    if "documents" in report:
        print(documents.markdown(report["documents"]))
        print()
    if "pack" in report:
        print(pack.markdown(report["pack"]))
        print()
    s = report["summary"]
    print(
        ("PASS" if s["pass"] else "FAIL")
        + f": {s['passed']} mätningar inom målen, {len(s['failures'])} utanför"
        + (f", {len(s['missing'])} sidor finns inte än (ej mätta)" if s["missing"] else "")
        + "."
    )
    for line in s["failures"]:
        print("  FAIL " + line)
    for line in s["missing"]:
        print("  SAKNAS " + line)
    for scale, data in report["scales"].items():
        for lines in data.get("profiles", {}).values():
            print(f"\nProfil {scale}× " + "\n    ".join(lines))
    for fmt, data in report.get("uploads", {}).get("formats", {}).items():
        for key, lines in data.get("profiles", {}).items():
            if lines:
                print(f"\nProfil uppladdning {fmt} {key}:\n    " + "\n    ".join(lines))
    print(f"JSON: {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
