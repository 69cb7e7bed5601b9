"""The proof under load and faults (bench/load.py) works: a tiny run (3 users for 6 s and one uploader against gunicorn
with two workers, PostgreSQL restarted during it, a worker killed with SIGKILL in the middle of saving an import)
passes every check, writes its JSON and prints its table. Its private PostgreSQL and gunicorn are gone afterwards,
also when the run fails or has to be killed (the fixture stops whatever it left)."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from bench.load import stop_leftovers

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def pg_parent():
    """Where the run makes its private PostgreSQL's directory: outside pytest's tmp_path, which the postgres OS user
    (who runs the server when the tests run as root) cannot reach."""
    parent = Path(tempfile.mkdtemp(prefix="test-bench-load-"))
    parent.chmod(0o755)
    yield parent
    stop_leftovers(parent)
    shutil.rmtree(parent, ignore_errors=True)


def run_load(args: list[str], timeout: float = 150) -> subprocess.CompletedProcess:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.load", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGTERM)  # the script stops its PostgreSQL and gunicorn on SIGTERM
        try:
            out, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
        pytest.fail(f"bench.load blev inte klar på {timeout:.0f} s:\n{out[-3000:]}\n{err[-3000:]}")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_a_tiny_run_with_both_faults_passes_every_check(pg_parent, tmp_path):
    out = tmp_path / "load.json"
    done = run_load(
        ["--users", "3", "--seconds", "6", "--uploaders", "1", "--workers", "2", "--scale", "1", "--think", "1",
         "--kill-rows", "3000", "--time-limit", "120", "--out", str(out), "--pg-dir", str(pg_parent)]
    )  # fmt: skip
    assert done.returncode == 0, f"{done.stdout[-4000:]}\n{done.stderr[-2000:]}"
    report = json.loads(out.read_text(encoding="utf-8"))

    assert report["pass"] is True
    names = " | ".join(c["check"] for c in report["checks"])
    for part in ("inga 5xx", "stackspårning", "bara appens 503", "svarar igen inom", "helt eller inte alls",
                 "ny arbetare", "samma spara igen", "exakt en gång", "senast sparade", "ImportBatch",
                 "PendingUpload", "antalet projekt"):  # fmt: skip
        assert part in names, part
    assert report["restart"]["requests_in_window"] > 0  # someone was asking while PostgreSQL restarted
    kill = report["sigkill"]
    assert kill["killed"] and kill["backend_query"].upper().startswith(("COPY", "INSERT"))
    assert kill["after_retry"] == {"projects": 3000, "distinct": 3000, "batches": 1, "pending": 0}
    assert report["uploads"]["saved"] >= 1 and report["uploads"]["saved"] == report["uploads"]["files"]
    pages = {k: v for k, v in report["load"]["kinds"].items() if k.startswith("sida ")}
    assert pages and all("p50_ms" in v and "p95_ms" in v for v in pages.values() if v["ok"])
    assert report["load"]["requests_per_s"] > 0

    assert "| anrop | antal | p50 ms | p95 ms | max ms | fel |" in done.stdout
    assert "PASS:" in done.stdout
    assert not list(pg_parent.iterdir())  # its PostgreSQL, gunicorn's log and pid file: all gone


def test_a_run_that_cannot_be_set_up_fails_and_leaves_nothing(pg_parent, tmp_path):
    out = tmp_path / "load.json"
    done = run_load(["--users", "1", "--seconds", "1", "--scale", "0", "--out", str(out), "--pg-dir", str(pg_parent)])
    assert done.returncode == 1
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["pass"] is False and not report["checks"][-1]["ok"]
    assert "FAIL:" in done.stdout
    assert not list(pg_parent.iterdir())
