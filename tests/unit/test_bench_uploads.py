"""The upload benchmark (bench/uploads.py) works: a tiny run writes JSON with every figure, its files read as what
they claim to be, and `python -m bench` folds its result into its own summary. Timings are measured, not tested.

Runs on SQLite, and on PostgreSQL with TEST_DATABASE_URL (the `databases` fixture)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bench import uploads
from data.db import make_engine, make_session_factory, session_scope
from data.imports import Actor, preview_upload

ROWS = 40
STEP_KEYS = {"preview_new", "confirm_new", "preview_changed", "confirm_changed", "undo"}


@pytest.fixture
def url(databases) -> str:
    return databases.fresh(seed=False)


def test_a_tiny_run_writes_every_figure(url, tmp_path, capsys):
    out = tmp_path / "uploads.json"
    assert uploads.main(["--rows", str(ROWS), "--repeat", "1", "--formats", "csv", "--database-url", url,
                         "--out", str(out)]) == 0  # fmt: skip
    printed = capsys.readouterr().out
    report = json.loads(out.read_text(encoding="utf-8"))

    for key in ("generated_at", "database", "commit", "python", "cpus", "rows", "repeat", "targets", "summary"):
        assert key in report
    assert report["rows"] == ROWS and report["changed_rows"] == ROWS // 5
    assert report["targets"] == {"preview_s": 2.0, "confirm_s": 3.0, "peak_rss_mb": 300.0}
    assert report["baseline_rss_mb"] > 0
    csv = report["formats"]["csv"]
    assert csv["checks"] == []  # counts before and after, and the undo restoring the first file's values
    assert set(csv["steps"]) == STEP_KEYS
    for key, step in csv["steps"].items():
        assert step["samples"] == 1, key
        for field in ("p50_s", "max_s", "peak_rss_mb_max", "verdict"):
            assert field in step, (key, field)
        assert step["peak_rss_mb_max"] >= report["baseline_rss_mb"] * 0.9
    run = csv["runs"][0]["steps"]
    assert run["preview_new"]["counts"] == {"new": ROWS, "changed": 0, "unchanged": 0, "removed": 0}
    assert run["confirm_new"]["projects_after"] == report["projects_before"] + ROWS
    assert run["preview_changed"]["counts"]["changed"] == ROWS // 5
    # The confirm counts the staging too, as the issue does.
    assert run["confirm_new"]["seconds"] >= run["confirm_new"]["confirm_s"]
    assert not any("kontroll" in f or "misslyckades" in f for f in report["summary"]["failures"])

    assert f"| {report['database']}, projektfil med {ROWS} rader |" in printed
    assert "förhandsgranska 40 nya projekt (mål ≤ 2 s)" in printed
    assert "baslinje" in printed and "JSON:" in printed


@pytest.mark.parametrize("fmt", uploads.FORMATS)
def test_the_files_are_what_they_claim(url, tmp_path, fmt):
    """Both files read without problems: the first is all new, the second changes every fifth project."""
    before = uploads.prepare(url, 1, 1)
    files = uploads.make_files(url, tmp_path, ROWS, (fmt,), 1)
    new = Path(files[fmt]["new"]["path"]).read_bytes()
    if fmt == "csv":
        assert new.startswith(b"\xef\xbb\xbf") and b";" in new.splitlines()[0]
        text = new.decode("utf-8-sig")
        assert "Umeå" in text and re.search(r";\d{4}-\d{2}-\d{2};", text) and re.search(r";\d{1,3}( \d{3})+;", text)
    else:
        assert new[:2] == b"PK"
    engine = make_engine(url)
    actor = Actor(uploads.USERNAME, uploads.ROLE)
    try:
        with session_scope(make_session_factory(engine)) as s:
            p = preview_upload(s, uploads.KIND, new, f"new.{fmt}", actor=actor)
            assert [str(x) for x in p.problems] == [] and p.counts["new"] == ROWS
            changed = Path(files[fmt]["changed"]["path"]).read_bytes()
            assert preview_upload(s, uploads.KIND, changed, f"c.{fmt}", actor=actor).counts["new"] == ROWS
            s.rollback()
    finally:
        engine.dispose()
    assert before >= 8


def test_the_page_benchmark_folds_the_uploads_into_its_summary():
    from bench.__main__ import summarise

    miss = "uppladdning csv confirm_new: max 4 s > 3 s"
    s = summarise({"scales": {}, "uploads": {"summary": {"pass": False, "passed": 9, "failures": [miss]}}})
    assert s["passed"] == 9 and s["failures"] == [miss] and not s["pass"]


def test_markdown_marks_the_targets():
    step = {"samples": 3, "p50_s": 1.5, "max_s": 2.5, "peak_rss_mb_max": 250.0, "target_s": 2.0}
    assert uploads._cell(step) == ("1.50 / 2.50 ✗", "250 ✓")
    assert uploads._cell({**step, "target_s": None}) == ("1.50 / 2.50", "250 ✓")
    assert uploads._cell({"samples": 0}) == ("fel", "")
