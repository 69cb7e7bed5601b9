"""Benchmark: extracting a 200-page document (issue 5: under 10 s).

usage: python -m bench.documents [--pages 200] [--repeat 3] [--out bench/results/documents.json]

Builds, from the two seed documents in ../shared/seeds/, minutes and a plan of about `--pages` pages (3 000
characters a page: the seed text repeated, agenda numbers and project names made unique so nothing collapses) as
.txt, .docx and .pdf (a real text layer, page marks "n(m)" and a running header on every page), and times
`extract_document` on each: reading the file, mending its text, classifying it and extracting every item. Prints a
Markdown table and PASS/FAIL and writes JSON. Always exits 0: it is a measurement.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.docfiles import make_docx, make_pdf  # noqa: E402
from data.documents.extract import extract_document  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
SOURCES = {"minutes": "000_97e14613fcf6c3ba.txt", "plan": "002_c534bd840d8e5979.txt"}
CHARS_PER_PAGE = 3000
LINES_PER_PAGE = 45
TARGET_S = 10.0


def long_text(kind: str, pages: int) -> str:
    """The seed document repeated to `pages` pages; agenda numbers and project names are made unique per copy."""
    seed = (SEEDS / SOURCES[kind]).read_text(encoding="utf-8")
    parts, n = [], 0
    while sum(map(len, parts)) < pages * CHARS_PER_PAGE:
        n += 1
        if kind == "minutes":
            copy = re.sub(r"(?m)^(\d{1,2})\. ", lambda m, n=n: f"{(n - 1) * 11 + int(m[1])}. ", seed)
            parts.append(copy if n == 1 else copy.split("1. Mötet öppnas", 1)[-1])
        else:
            parts.append(re.sub(r"(?m)^(Projekt|PROJEKT)\b", rf"\1 {n}", seed) if n > 1 else seed)
    return "\n".join(parts)


def files(kind: str, pages: int) -> dict[str, bytes]:
    text = long_text(kind, pages)
    lines = text.splitlines()
    chunks = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    pdf_pages = [["Umeåregionen", *chunk, f"{k + 1}({len(chunks)})"] for k, chunk in enumerate(chunks)]
    return {"txt": text.encode("utf-8"), "docx": make_docx(lines), "pdf": make_pdf(pdf_pages)}


def run(pages: int = 200, repeat: int = 3, log=print) -> dict:
    result: dict = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "pages": pages,
        "repeat": repeat,
        "target_s": TARGET_S,
        "documents": {},
    }
    for kind in SOURCES:
        for fmt, content in files(kind, pages).items():
            seconds, found = [], None
            for _ in range(repeat):
                start = time.perf_counter()
                found = extract_document(content, f"{kind}.{fmt}")
                seconds.append(time.perf_counter() - start)
            items = (
                sum(len(i["assignments"]) for i in found["agenda_items"])
                if found["kind"] == "minutes"
                else sum(len(a["projects"]) for a in found["plan"]["focus_areas"])
            )
            entry = {
                "bytes": len(content),
                "characters": found["document"]["characters"],
                "pdf_pages": found["document"]["pages"],
                "found_kind": found["kind"],
                "items": items,
                "p50_s": round(statistics.median(seconds), 3),
                "max_s": round(max(seconds), 3),
                "verdict": "PASS" if max(seconds) <= TARGET_S and found["kind"] == kind else "FAIL",
            }
            result["documents"][f"{kind}.{fmt}"] = entry
            log(f"dokument {kind}.{fmt}: {entry['p50_s']} / {entry['max_s']} s, {items} poster")
    result["summary"] = {
        "passed": sum(e["verdict"] == "PASS" for e in result["documents"].values()),
        "failures": [
            f"dokument {k}: max {e['max_s']} s" for k, e in result["documents"].items() if e["verdict"] != "PASS"
        ],
    }
    return result


def markdown(result: dict) -> str:
    rows = [
        f"| dokument, {result['pages']} sidor | p50 / max s | tecken | poster |",
        "|---|---:|---:|---:|",
    ]
    for name, e in result["documents"].items():
        mark = "✓" if e["verdict"] == "PASS" else "✗"
        rows.append(
            f"| {name} (mål < {TARGET_S:g} s) | {e['p50_s']} / {e['max_s']} {mark} | {e['characters']} | {e['items']} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.documents", description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "documents.json"))
    a = ap.parse_args(argv)
    result = run(a.pages, a.repeat, log=lambda m: print(m, file=sys.stderr, flush=True))
    Path(a.out).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(markdown(result))
    s = result["summary"]
    print(("PASS" if not s["failures"] else "FAIL") + f": {s['passed']} inom målet, {len(s['failures'])} utanför.")
    print(f"JSON: {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
