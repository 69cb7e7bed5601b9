"""Serving the app the production way in tests: gunicorn as the README runs it, started and stopped cleanly."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.web.test_startup import free_port

ROOT = Path(__file__).resolve().parent.parent.parent


@contextlib.contextmanager
def gunicorn(env: dict, log_path: Path, *, workers: int = 2) -> Iterator[str]:
    """`gunicorn app:server --workers N --bind 127.0.0.1:PORT --timeout 60 --forwarded-allow-ips=127.0.0.1` from the
    repository, its output in `log_path`; yields the base URL once a worker answers (a busy machine may take a while
    to boot the workers), and stops it at the end."""
    port = free_port()
    args = [
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "60",
        "--forwarded-allow-ips=127.0.0.1",
    ]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "app:server", *args],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("gunicorn startade inte:\n" + log_path.read_text())
                try:
                    requests.get(base + "/login", timeout=10)
                    break
                except requests.RequestException:  # not listening yet, or a worker still booting
                    time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
