"""Benchmark: the meeting pack (issue 6: for all seven municipalities, under 5 s on the demo data, under 20 s at 100×).

usage: python -m bench.pack [--scale 1 100] [--repeat 3] [--database-url URL] [--out bench/results/pack.json]

For each scale it builds a database (a temporary SQLite file, or the PostgreSQL database given, after dropping its
schema) with bench/generate.py and times `export_pack` (every query, the PowerPoint or Excel file built in memory)
for all seven municipalities and for Vännäs, as the download links and `flask export` do. Reports slides, sheets
and size; prints a Markdown table and PASS/FAIL and writes JSON. Always exits 0: it is a measurement.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from openpyxl import load_workbook  # noqa: E402
from pptx import Presentation  # noqa: E402

from bench.generate import REFERENCE_DAY, fresh_schema, generate  # noqa: E402
from data.db import make_engine, make_session_factory, session_scope  # noqa: E402
from data.exports import FORMATS, PackFilter, export_pack  # noqa: E402

TARGETS_S = {1: 5.0, 100: 20.0}
FILTERS = {"alla": PackFilter(), "Vännäs": PackFilter(kommun="Vännäs")}


def _build(url: str, scale: int) -> None:
    engine = make_engine(url)
    try:
        fresh_schema(engine)
        with session_scope(make_session_factory(engine)) as s:
            generate(s, scale)
    finally:
        engine.dispose()


def _parts(fmt: str, data: bytes) -> int:
    """Slides of a presentation, sheets of a workbook (read back: the file is whole)."""
    if fmt == "pptx":
        return len(Presentation(io.BytesIO(data)).slides)
    return len(load_workbook(io.BytesIO(data), read_only=True).sheetnames)


def run_scale(url: str, scale: int, repeat: int, log=print) -> dict:
    _build(url, scale)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    out = {}
    try:
        for label, pf in FILTERS.items():
            for fmt in FORMATS:
                seconds, data = [], b""
                for _ in range(repeat):
                    start = time.perf_counter()
                    with session_scope(factory) as s:
                        data, _, _ = export_pack(s, fmt, pf, today=REFERENCE_DAY)
                    seconds.append(time.perf_counter() - start)
                target = TARGETS_S.get(scale)
                entry = {
                    "p50_s": round(statistics.median(seconds), 3),
                    "max_s": round(max(seconds), 3),
                    "kb": round(len(data) / 1024),
                    "parts": _parts(fmt, data),
                    "target_s": target,
                    "verdict": None if target is None else ("PASS" if max(seconds) <= target else "FAIL"),
                }
                out[f"{label} {fmt}"] = entry
                log(f"paket {scale}× {label} {fmt}: {entry['p50_s']} / {entry['max_s']} s, {entry['parts']} delar")
    finally:
        engine.dispose()
    return out


def run(scales=(1, 100), repeat: int = 3, database_url: str | None = None, log=print) -> dict:
    result: dict = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": make_engine(database_url).dialect.name if database_url else "sqlite",
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "repeat": repeat,
        "targets_s": {f"{k}×": v for k, v in TARGETS_S.items()},
        "scales": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        for scale in scales:
            url = database_url or f"sqlite:///{Path(tmp) / f'pack{scale}.db'}"
            result["scales"][str(scale)] = run_scale(url, scale, repeat, log)
    failures = [
        f"paket {scale}× {key}: max {e['max_s']} s (mål {e['target_s']} s)"
        for scale, entries in result["scales"].items()
        for key, e in entries.items()
        if e["verdict"] == "FAIL"
    ]
    verdicts = [e["verdict"] for entries in result["scales"].values() for e in entries.values()]
    result["summary"] = {"passed": verdicts.count("PASS"), "failures": failures}
    return result


def markdown(result: dict) -> str:
    scales = list(result["scales"])
    head = "| mötespaket | " + " | ".join(f"{s}× p50 / max s | {s}× delar | {s}× kB" for s in scales) + " |"
    rows = [head, "|---|" + "---:|---:|---:|" * len(scales)]
    keys = list(next(iter(result["scales"].values()), {}))
    for key in keys:
        cells = []
        for s in scales:
            e = result["scales"][s][key]
            mark = {"PASS": " ✓", "FAIL": " ✗", None: ""}[e["verdict"]]
            cells.append(f"{e['p50_s']} / {e['max_s']}{mark} | {e['parts']} | {e['kb']}")
        rows.append(f"| {key} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.pack", description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=int, nargs="+", default=[1, 100])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--database-url", help="PostgreSQL URL (its public schema is dropped!); default temp SQLite")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "pack.json"))
    a = ap.parse_args(argv)
    result = run(a.scale, a.repeat, a.database_url, log=lambda m: print(m, file=sys.stderr, flush=True))
    Path(a.out).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(markdown(result))
    failures = result["summary"]["failures"]
    print(("PASS" if not failures else "FAIL") + f": {len(failures)} utanför målen.")
    for line in failures:
        print("  FAIL " + line)
    print(f"JSON: {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
