"""Proof under load and faults (issue 7): gunicorn on PostgreSQL with many logged-in users, uploads, a restart of
PostgreSQL and a worker killed in the middle of saving an import.

usage: python -m bench.load [--users 50] [--seconds 60] [--uploaders 2] [--workers 2] [--skip-faults]
                            [--scale 100] [--think 3] [--kill-rows 10000] [--time-limit 300]
                            [--out bench/results/load.json]

Unlike the other benchmarks this is a proof with pass/fail checks: the exit code is 0 when every check holds and 1
otherwise (also when the run cannot be set up or exceeds --time-limit, 300 s by default).

Everything runs on this machine over loopback. The script starts its own PostgreSQL (initdb into a temporary
directory, as the `postgres` OS user when run as root, on a free port; the shared server on 5432 is never touched),
migrates a database (as `flask db upgrade` does), fills it with the demo data and bench/generate.py at --scale, and
creates one läsare per simulated user and one redigerare per uploader. Then it starts gunicorn as the README's
production section says (`gunicorn app:server --workers N --bind 127.0.0.1:PORT --timeout 60
--forwarded-allow-ips=127.0.0.1`). The private PostgreSQL and gunicorn are stopped and deleted at the end, also
after a failure, SIGTERM or Ctrl-C.

The load: every user logs in (the login form with its CSRF token), loads `/`, `/_dash-layout` and
`/_dash-dependencies` as the browser does, and then, for --seconds, switches pages and municipalities with a think
time between page views (uniform, mean --think s): the router callback through /_dash-update-component for a page
with `?kommun=` (or all seven), each AG Grid's row request on the page it drew, and now and then an /api endpoint.
Meanwhile each uploader uploads small project files (.csv and .xlsx in turn, 20 new projects and 5 of its earlier
ones changed) through the page's real preview and confirm callbacks, and saves each one. Client-side latency is
measured per kind of request; p50 and p95 are reported per page.

The faults (unless --skip-faults):
  * PostgreSQL is restarted (`pg_ctl restart -m fast`) at 40 % of the load, while one more person sends requests
    back to back (from a second before until RECOVERY_S after), so that someone is asking whatever the think times.
    Requests during the restart may get the app's 503 (its Swedish message, never a stack trace); once PostgreSQL
    is back, requests must succeed again within RECOVERY_S seconds, without restarting the app. An upload that got
    a 503 is retried as a person would.
  * After the load, a redigerare previews a project file of --kill-rows new projects and confirms it; while the
    confirm is writing (its transaction holds the import lock and has started its COPY), the gunicorn worker that
    serves it (found from the PostgreSQL backend's client port and the workers' sockets) is killed with SIGKILL.
    The import must then be wholly there or wholly absent, gunicorn's master must start a new worker, and the
    person's retry of the same confirm must succeed, after which every row exists exactly once.

Checks afterwards, in the database: every confirmed upload's new projects exist exactly once and every changed
value is the last one saved; one ImportBatch per confirmed file with the counts of the file (and its history
records); no other imports; no PendingUpload left; the number of projects is what it was plus the new rows. And in
the answers: no 5xx or lost request outside the restart, no stack trace in any answer or in gunicorn's log.

It prints a Markdown table (per page and kind of request: count, p50, p95, max, errors) and the checks, and writes
JSON (--out).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime as dt
import glob
import hashlib
import json
import math
import os
import platform
import pwd
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from bench.__main__ import APIS, FILTERS, PAGES, body_for, find_props, search_for  # noqa: E402
from bench.uploads import git_commit, log_stderr, project_rows, uncommitted, write_csv, write_xlsx  # noqa: E402

PASSWORD = "last-losenord-1"
SECRET_KEY = "bench-load-secret-key-0123456789abcdef"
DB_NAME = "load"
RECOVERY_S = 5.0  # after PostgreSQL is back, requests succeed again within this many seconds
RESTART_AT = 0.4  # share of the load's duration after which PostgreSQL is restarted
REQUEST_TIMEOUT = 60.0
NEW_PER_FILE, CHANGED_PER_FILE = 20, 5
UPLOAD_PAUSE = (1.0, 3.0)  # seconds between an uploader's files
API_SHARE = 0.2  # share of page views followed by an /api request
WRITE_LOCK_KEY = 4_650_000  # data.history.WRITE_LOCK_KEY: held by every import for its whole transaction
UNAVAILABLE = "Tjänsten är tillfälligt otillgänglig"  # the app's 503 (dashboard/errors.py)
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
TRACE_MARKERS = (b"Traceback (most recent call last)", b'File "/')


class Abort(Exception):
    """The run cannot go on (set-up failed, time limit, Ctrl-C); the message says why."""


def now() -> float:
    return time.monotonic()


# The private PostgreSQL


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bindir() -> Path:
    """The newest installed PostgreSQL's binaries (Debian's layout, else pg_config, else PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
        if (Path(out) / "initdb").exists():
            return Path(out)
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise Abort("PostgreSQL:s program (initdb, pg_ctl) finns inte; installera postgresql")


class PrivatePostgres:
    """A PostgreSQL instance of our own in a temporary directory, on a free loopback port: started, restarted and
    stopped here; the shared server is never touched."""

    def __init__(self, parent: str | None = None):
        self.bindir = pg_bindir()
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="bench-load-pg-", dir=parent))
        self.data = self.root / "data"
        self.logfile = self.root / "postgresql.log"
        self.started = False
        self.as_postgres: list[str] = []
        if os.geteuid() == 0:  # initdb refuses root: the server runs as the postgres OS user
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise Abort("kör som root men OS-användaren postgres finns inte") from exc
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
            self.as_postgres = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        cmd = [*self.as_postgres, str(self.bindir / args[0]), *args[1:]]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            raise Abort(f"{' '.join(args[:2])} misslyckades: {(done.stderr or done.stdout).strip()[-800:]}")
        return done

    @property
    def options(self) -> str:
        return f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale")
        self.started = True
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.logfile), "-o", self.options, "-w", "-t", "60",
                  "start")  # fmt: skip

    def restart(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.logfile), "-o", self.options, "-m", "fast", "-w",
                  "-t", "60", "restart")  # fmt: skip

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def conninfo(self, database: str = DB_NAME) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={database}"

    def stop(self) -> None:
        """Stop the server (fast, else immediate) and delete its directory."""
        if self.started and (self.data / "postmaster.pid").exists():
            for mode in ("fast", "immediate"):
                try:
                    self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop", timeout=45)
                    break
                except (Abort, subprocess.TimeoutExpired):
                    continue
        shutil.rmtree(self.root, ignore_errors=True)


def stop_leftovers(parent: Path) -> list[str]:
    """Stop whatever a killed run left under `parent` (its --pg-dir): gunicorn masters and PostgreSQL instances.
    For tests, which must clean up even when the script itself could not. Returns what it stopped."""
    stopped = []
    for pidfile in parent.glob("bench-load-pg-*-gunicorn.pid"):
        with contextlib.suppress(ValueError, ProcessLookupError, PermissionError):
            os.killpg(int(pidfile.read_text()), signal.SIGKILL)
            stopped.append(f"gunicorn {pidfile.read_text()}")
    for postmaster in parent.glob("bench-load-pg-*/data/postmaster.pid"):
        data = postmaster.parent
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*as_postgres, str(pg_bindir() / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                       capture_output=True, timeout=60, stdin=subprocess.DEVNULL)  # fmt: skip
        stopped.append(f"PostgreSQL {data}")
    return stopped


# The database


def prepare_database(pg: PrivatePostgres, scale: int, seed: int, users: int, uploaders: int) -> dict:
    """The database `load`: schema, demo data and bench/generate.py at `scale`, the accounts; what the run needs."""
    from sqlalchemy import func, select, text

    from bench.generate import fresh_schema, generate
    from data.db import make_engine, make_session_factory, session_scope
    from data.models import FocusArea, ImportBatch, Meeting, PendingUpload, Plan, Project
    from data.users import create_user

    admin = make_engine(pg.url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{DB_NAME}"'))
    finally:
        admin.dispose()
    engine = make_engine(pg.url(DB_NAME))
    try:
        fresh_schema(engine)
        t0 = now()
        with session_scope(make_session_factory(engine)) as s:
            generate(s, scale, seed)
        load_s = now() - t0
        with session_scope(make_session_factory(engine)) as s:
            for i in range(users):
                create_user(s, reader_name(i), PASSWORD, role="läsare")
            for i in range(uploaders):
                create_user(s, uploader_name(i), PASSWORD, role="redigerare")
            create_user(s, KILL_USER, PASSWORD, role="redigerare")
            create_user(s, PROBE_USER, PASSWORD, role="läsare")
        with session_scope(make_session_factory(engine)) as s:
            latest = s.scalar(select(Plan.id).order_by(Plan.year.desc()).limit(1))
            info = {
                "load_seconds": round(load_s, 2),
                "projects": s.scalar(select(func.count()).select_from(Project)),
                "meetings": s.scalar(select(func.count()).select_from(Meeting)),
                "import_batches": s.scalar(select(func.count()).select_from(ImportBatch)),
                "pending_uploads": s.scalar(select(func.count()).select_from(PendingUpload)),
                "project_ids": list(s.scalars(select(Project.id).order_by(Project.id))),
                "meeting_ids": list(s.scalars(select(Meeting.id).order_by(Meeting.id))),
                "focus_areas": sorted(s.scalars(select(FocusArea.name).where(FocusArea.plan_id == latest))),
            }
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("ANALYZE"))
    finally:
        engine.dispose()
    return info


def reader_name(i: int) -> str:
    return f"last{i + 1:02d}"


def uploader_name(i: int) -> str:
    return f"uppladdare{i + 1}"


KILL_USER = "storimport"
PROBE_USER = "omstartsprov"


# gunicorn


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (gunicorn's workers, for its master)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            out.append(int(entry))
    return sorted(out)


def socket_owner(local_port: int, pids: list[int]) -> int | None:
    """Which of `pids` holds the TCP socket whose local port is `local_port` (the worker behind a PostgreSQL
    backend's client_port), from /proc/net/tcp and the processes' file descriptors."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table, encoding="ascii") as f:
            next(f, None)
            for line in f:
                parts = line.split()
                if len(parts) > 9 and int(parts[1].rsplit(":", 1)[1], 16) == local_port:
                    inodes.add(parts[9])
    wanted = {f"socket:[{inode}]" for inode in inodes}
    for pid in pids:
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{pid}/fd"):
                with contextlib.suppress(OSError):
                    if os.readlink(f"/proc/{pid}/fd/{fd}") in wanted:
                        return pid
    return None


class Gunicorn:
    """`gunicorn app:server` as the README's production section starts it, with its log in a file."""

    def __init__(self, database_url: str, workers: int, logfile: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.logfile = logfile
        env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": SECRET_KEY, "SESSION_COOKIE_SECURE": "false"}
        env.pop("DASHBOARD_INSTANCE", None)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
        with open(logfile, "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "app:server", "--workers", str(workers),
                 "--bind", f"127.0.0.1:{self.port}", "--timeout", "60", "--forwarded-allow-ips=127.0.0.1"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,
            )  # fmt: skip
        self.pidfile = logfile.with_suffix(".pid")  # for stop_leftovers, should this script itself be killed
        self.pidfile.write_text(str(self.proc.pid))

    def wait_ready(self, timeout: float = 90) -> float:
        """Until every worker has booted and /login answers; the seconds it took."""
        t0 = now()
        while now() - t0 < timeout:
            if self.proc.poll() is not None:
                raise Abort("gunicorn stannade: " + self.log_tail())
            try:
                booted = self.log_text().count("Booting worker")
                if requests.get(self.base + "/login", timeout=5).status_code == 200 and booted >= self.workers:
                    return now() - t0
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise Abort("gunicorn svarade inte inom 90 s: " + self.log_tail())

    def worker_pids(self) -> list[int]:
        return children(self.proc.pid)

    def log_text(self) -> str:
        try:
            return self.logfile.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self) -> str:
        return self.log_text()[-1500:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.pidfile.unlink(missing_ok=True)


# The client


@dataclass
class Sample:
    kind: str
    t0: float
    t1: float
    status: int  # HTTP status; 0: no answer (refused, reset, timed out)
    size: int
    phase: str
    app_503: bool = False  # the app's own 503 (its Swedish message)
    trace: bool = False  # a stack trace in the answer
    note: str | None = None  # the start of a failed answer

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def ms(self) -> float:
        return (self.t1 - self.t0) * 1000


@dataclass
class Recorder:
    samples: list[Sample] = field(default_factory=list)
    phase: str = "inloggning"
    crashes: list[str] = field(default_factory=list)  # exceptions in the client's own threads

    def add(self, sample: Sample) -> None:
        self.samples.append(sample)  # list.append is atomic

    def thread(self, target: Callable, *args, name: str) -> threading.Thread:
        """A thread whose exception (a bug in this client) is recorded, so that it fails the run."""

        def run() -> None:
            try:
                target(*args)
            except Exception as exc:  # noqa: BLE001 - recorded and reported as a failed check
                self.crashes.append(f"{name}: {exc.__class__.__name__}: {exc}")

        return threading.Thread(target=run, daemon=True, name=name)


@dataclass
class Dependencies:
    """What the renderer knows from /_dash-dependencies: the router, the grids' row callbacks, the upload's."""

    router: tuple[str, dict]
    grids: dict[str, tuple[str, dict]]  # grid id -> (output key, callback)
    preview: tuple[str, dict]
    confirm: tuple[str, dict]

    @classmethod
    def parse(cls, deps: list[dict]) -> Dependencies:
        from layouts import ids
        from layouts import upload as ui

        def first(pred: Callable[[dict], bool], what: str) -> tuple[str, dict]:
            found = [(d["output"], d) for d in deps if not d.get("clientside_function") and pred(d)]
            if len(found) != 1:
                raise Abort(f"/_dash-dependencies: {len(found)} callbacks för {what}")
            return found[0]

        def inputs(d: dict) -> list[tuple[str, str]]:
            return [(i["id"], i["property"]) for i in d["inputs"]]

        router = first(
            lambda d: {(ids.URL, "pathname"), (ids.URL, "search")} <= set(inputs(d)) and f"{ids.PAGE}.children" in
            d["output"], "routern"
        )  # fmt: skip
        grids = {
            i["id"]: (d["output"], d)
            for d in deps
            if not d.get("clientside_function")
            for i in d["inputs"]
            if i["property"] == "getRowsRequest" and isinstance(i["id"], str)
        }
        preview = first(lambda d: inputs(d)[:1] == [(ui.FILE, "data")], "förhandsgranskningen")
        confirm = first(lambda d: inputs(d)[:1] == [(ui.CONFIRM, "n_clicks")], "spara")
        return cls(router, grids, preview, confirm)


class Browser:
    """One person's browser: a requests.Session, logged in, posting callbacks as Dash's renderer does."""

    def __init__(self, base: str, recorder: Recorder):
        self.base = base
        self.recorder = recorder
        self.http = requests.Session()
        self.csrf: str | None = None

    def close(self) -> None:
        self.http.close()

    def request(self, kind: str, method: str, path: str, **kw) -> tuple[int, bytes]:
        t0 = now()
        try:
            r = self.http.request(method, self.base + path, timeout=REQUEST_TIMEOUT, allow_redirects=False, **kw)
            status, body = r.status_code, r.content
        except requests.RequestException as exc:
            status, body = 0, f"{exc.__class__.__name__}: {exc}".encode()
        t1 = now()
        sample = Sample(kind, t0, t1, status, len(body), self.recorder.phase)
        if not 200 <= status < 400:
            text = body[:400].decode(errors="replace")
            sample.note = text
            sample.app_503 = status == 503 and UNAVAILABLE in _message(body)
        sample.trace = any(m in body for m in TRACE_MARKERS) and not (200 <= status < 300)
        self.recorder.add(sample)
        return status, body

    def login(self, username: str) -> bool:
        status, body = self.request("inloggning (formulär)", "GET", "/login")
        match = CSRF_RE.search(body.decode(errors="replace")) if status == 200 else None
        if not match:
            return False
        form = {"username": username, "password": PASSWORD, "csrf_token": match.group(1)}
        status, _ = self.request("inloggning", "POST", "/login", data=form)
        if status != 302:
            return False
        return self.start()

    def start(self) -> bool:
        """What the browser loads first: the page, the layout, the callbacks; and the CSRF cookie for callbacks."""
        status, _ = self.request("start /", "GET", "/")
        self.csrf = self.http.cookies.get("_csrf_token")
        self.request("start /_dash-layout", "GET", "/_dash-layout")
        return status == 200 and self.csrf is not None

    def dependencies(self) -> list[dict]:
        status, body = self.request("start /_dash-dependencies", "GET", "/_dash-dependencies")
        if status != 200:
            raise Abort(f"/_dash-dependencies svarade {status}")
        return json.loads(body)

    def callback(self, kind: str, body: dict) -> tuple[int, dict | None]:
        status, data = self.request(
            kind, "POST", "/_dash-update-component", json=body, headers={"X-CSRFToken": self.csrf or ""}
        )
        if status != 200:
            return status, None
        try:
            return status, json.loads(data)
        except ValueError:
            return 598, None


def _message(body: bytes) -> str:
    text = body.decode(errors="replace")
    with contextlib.suppress(ValueError, AttributeError):
        return json.loads(text).get("error") or text
    return text


def render_body(deps: Dependencies, path: str, search: str) -> dict:
    from layouts import ids

    values = {(ids.URL, "pathname"): path, (ids.URL, "search"): search}
    key, entry = deps.router
    return body_for(key, entry, lambda i, p: values.get((i, p)), [f"{ids.URL}.search"])


def grid_body(deps: Dependencies, grid_id: str, path: str, search: str, layout: object) -> dict:
    from layouts import ids

    key, entry = deps.grids[grid_id]
    rows = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}

    def value_of(cid: str, prop: str):
        if prop == "getRowsRequest":
            return rows
        if cid == ids.URL:
            return {"pathname": path, "search": search, "href": "http://127.0.0.1" + path + search}.get(prop)
        props = find_props(layout, cid)
        return props.get(prop) if props else None

    return body_for(key, entry, value_of, [f"{grid_id}.getRowsRequest"])


# The readers


def reader(browser: Browser, deps: Dependencies, info: dict, rng: random.Random, until: float, think: float,
           stop: threading.Event) -> None:  # fmt: skip
    """Switch pages and municipalities until `until`, with a think time between page views."""
    stop.wait(rng.uniform(0, think))  # people do not all click at once
    while now() < until and not stop.is_set():
        template = rng.choice(PAGES)
        path = template.format(project=rng.choice(info["project_ids"]), meeting=rng.choice(info["meeting_ids"]))
        kommun = rng.choice(FILTERS)
        search = search_for(kommun)
        status, out = browser.callback(f"sida {template}", render_body(deps, path, search))
        if status == 200 and out is not None:
            raw = json.dumps(out)
            for grid_id in deps.grids:
                if f'"{grid_id}"' in raw and find_props(out, grid_id) is not None:
                    browser.callback(f"rader {template} {grid_id}", grid_body(deps, grid_id, path, search, out))
        if rng.random() < API_SHARE:
            api = rng.choice(APIS)
            query = urlencode({"kommun": kommun}) if kommun else ""
            browser.request(f"api {api}", "GET", api + (("&" if "?" in api else "?") + query if query else ""))
        stop.wait(rng.uniform(0.5 * think, 1.5 * think))


# The uploaders


@dataclass
class UploadFile:
    name: str
    fmt: str
    sha256: str
    new: list[str]
    changed: dict[str, int | None]  # project -> its budget in this file
    status: str = "ej sparad"  # sparad | sparad (svaret förlorat) | ej sparad
    attempts: int = 0
    notes: list[str] = field(default_factory=list)


def file_data(content: bytes, filename: str) -> dict:
    mime = "text/csv" if filename.endswith(".csv") else XLSX
    return {"contents": f"data:{mime};base64," + base64.b64encode(content).decode(), "filename": filename}


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def preview_body(deps: Dependencies, data: dict) -> dict:
    from layouts import upload as ui

    values = {(ui.FILE, "data"): data, (ui.REMOVE, "value"): False, (ui.KIND, "value"): "projekt"}
    key, entry = deps.preview
    return body_for(key, entry, lambda i, p: values.get((i, p)), [f"{ui.FILE}.data"])


def confirm_body(deps: Dependencies, token: str) -> dict:
    from layouts import upload as ui

    values = {(ui.CONFIRM, "n_clicks"): 1, (ui.TOKEN, "data"): token}
    key, entry = deps.confirm
    return body_for(key, entry, lambda i, p: values.get((i, p)), [f"{ui.CONFIRM}.n_clicks"])


def said(out: dict | None) -> str:
    from layouts import upload as ui

    return json.dumps(((out or {}).get("response") or {}).get(ui.MESSAGE), ensure_ascii=False)


def token_of(out: dict | None) -> str | None:
    from layouts import upload as ui

    return (((out or {}).get("response") or {}).get(ui.TOKEN) or {}).get("data")


def save_file(browser: Browser, deps: Dependencies, f: UploadFile, content: bytes, deadline: float,
              pause: Callable[[float], Any]) -> None:  # fmt: skip
    """Preview and confirm one file as a person does, retrying after a 503 or a lost answer until it is saved (or
    the preview says there is nothing left to save: an earlier confirm was saved but its answer was lost)."""
    data = file_data(content, f.name)
    token = None
    while now() < deadline:
        f.attempts += 1
        if token is None:
            status, out = browser.callback("uppladdning förhandsgranska", preview_body(deps, data))
            if status != 200:
                f.notes.append(f"förhandsgranskning {status}")
                pause(0.5)
                continue
            token = token_of(out)
            if token is None:
                message = said(out)
                if "Förhandsgranskningen är klar" in message and "kan inte sparas" not in message:
                    f.status = "sparad (svaret förlorat)" if f.notes else "ingenting att spara"
                else:
                    f.notes.append("förhandsgranskningen kan inte sparas: " + message[:300])
                return
        status, out = browser.callback("uppladdning spara", confirm_body(deps, token))
        if status != 200:
            f.notes.append(f"spara {status}")
            pause(0.5)
            continue
        message = said(out)
        if "är sparad" in message:
            f.status = "sparad"
            return
        f.notes.append("spara: " + message[:300])
        token = None  # "finns inte längre" or "har ändrats": upload the file again
        pause(0.5)


def uploader(browser: Browser, deps: Dependencies, index: int, areas: list[str], template: bytes,
             until: float, deadline: float, stop: threading.Event, files: list[UploadFile]) -> None:  # fmt: skip
    """Upload small project files until `until`: each with new projects and some of the earlier ones changed."""
    rng = random.Random(1000 + index)
    mine: dict[str, dict] = {}  # the projects this uploader has saved, as last saved
    browser.callback("sida /ladda-upp", render_body(deps, "/ladda-upp", ""))
    n = 0
    while now() < until and not stop.is_set():
        n += 1
        fmt = "csv" if n % 2 else "xlsx"
        rows = project_rows(NEW_PER_FILE, areas, seed=10_000 * (index + 1) + n)
        for i, row in enumerate(rows, start=1):
            row["name"] = f"Lasttest {uploader_name(index)} {n:03d}-{i:02d}"
        changed = []
        for name in rng.sample(sorted(mine), min(CHANGED_PER_FILE, len(mine))):
            row = dict(mine[name])
            old = row["budget_amount"] or 0
            row["budget_amount"] = old + rng.randrange(1, 100) * 10_000
            row["budget_period"] = row["budget_period"] or "totalt"
            changed.append(row)
        all_rows = rows + changed
        content = write_csv(all_rows) if fmt == "csv" else write_xlsx(template, all_rows)
        f = UploadFile(
            name=f"last-{uploader_name(index)}-{n:03d}.{fmt}",
            fmt=fmt,
            sha256=hashlib.sha256(content).hexdigest(),
            new=[r["name"] for r in rows],
            changed={r["name"]: r["budget_amount"] for r in changed},
        )
        files.append(f)
        save_file(browser, deps, f, content, deadline, stop.wait)
        if f.status.startswith("sparad"):
            mine.update({r["name"]: r for r in all_rows})
        stop.wait(rng.uniform(*UPLOAD_PAUSE))


# The faults


def restart_during_load(pg: PrivatePostgres, probe: Browser | None, deps: Dependencies, at: float,
                        stop: threading.Event, out: dict, log) -> None:  # fmt: skip
    """Restart PostgreSQL at `at`. Meanwhile one more person (`probe`) sends requests back to back, from a second
    before until RECOVERY_S after, so that the restart is seen by someone whatever the think times."""
    probing = threading.Event()

    def send() -> None:
        requests_ = (
            ("omstartsprov html /uppdrag", lambda: probe.request("omstartsprov html /uppdrag", "GET", "/uppdrag")),
            ("omstartsprov sida /uppdrag", lambda: probe.callback("omstartsprov sida /uppdrag",
                                                                  render_body(deps, "/uppdrag", "?kommun=Vindeln"))),
            ("omstartsprov api /api/tasks", lambda: probe.request("omstartsprov api /api/tasks", "GET",
                                                                  "/api/tasks?kommun=Vindeln")),
        )  # fmt: skip
        n = 0
        while probing.is_set() and not stop.is_set():
            requests_[n % len(requests_)][1]()
            n += 1
            time.sleep(0.02)

    stop.wait(max(0.0, at - 1.0 - now()))
    prober = threading.Thread(target=send, daemon=True, name="omstartsprov")
    if probe is not None and not stop.is_set():
        probing.set()
        prober.start()
    stop.wait(max(0.0, at - now()))
    if not stop.is_set():
        log("PostgreSQL startas om (pg_ctl restart -m fast) …")
        out["begin"] = now()
        try:
            pg.restart()
        except Abort as exc:
            out["error"] = str(exc)
        out["end"] = now()
        log(f"PostgreSQL är igång igen efter {out['end'] - out['begin']:.2f} s")
        stop.wait(RECOVERY_S)
    probing.clear()
    if prober.is_alive():
        prober.join(timeout=REQUEST_TIMEOUT)


LOCK_HOLDER = """
SELECT a.pid, a.client_port, coalesce(left(a.query, 60), ''), a.state
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.classid = 0 AND l.objid = %s AND l.granted
"""


def kill_during_confirm(pg: PrivatePostgres, gunicorn: Gunicorn, rec: Recorder, deps_list: list[dict],
                        areas: list[str], rows: int, deadline: float, log) -> dict:  # fmt: skip
    """Confirm a large import and SIGKILL the worker serving it while it writes; then check, retry, check."""
    import psycopg

    rec.phase = "sigkill"
    out: dict[str, Any] = {"rows": rows}
    browser = Browser(gunicorn.base, rec)
    try:
        if not browser.login(KILL_USER):
            out["error"] = "inloggningen misslyckades"
            return out
        deps = Dependencies.parse(deps_list)
        data = project_rows(rows, areas, seed=77)
        for i, row in enumerate(data, start=1):
            row["name"] = f"Stor import {i:05d}"
        content = write_csv(data)
        out["file_bytes"] = len(content)
        sha = hashlib.sha256(content).hexdigest()
        status, preview = browser.callback("stor fil förhandsgranska", preview_body(deps, file_data(content,
                                           "stor-import.csv")))  # fmt: skip
        token = token_of(preview)
        if status != 200 or not token:
            out["error"] = f"förhandsgranskningen gav {status}: {said(preview)[:300]}"
            return out
        before = gunicorn.worker_pids()
        out["workers_before"] = before
        answer: dict[str, Any] = {}

        def confirm() -> None:
            answer["status"], answer["out"] = browser.callback("stor fil spara (dödas)", confirm_body(deps, token))

        with psycopg.connect(pg.conninfo(), autocommit=True) as db:
            sent = now()
            thread = threading.Thread(target=confirm, daemon=True)
            thread.start()
            holder, first_write = None, None
            while thread.is_alive() and now() < deadline:
                row = db.execute(LOCK_HOLDER, (WRITE_LOCK_KEY,)).fetchone()
                if row:
                    query = row[2].lstrip().upper()
                    if query.startswith(("COPY", "INSERT")) and first_write is None:
                        first_write = now()
                    # In the middle of the write: its COPY has begun (or it has been writing for a while).
                    if query.startswith("COPY") or (first_write and now() - first_write > 0.5):
                        holder = row
                        break
                time.sleep(0.005)
            if holder is None:
                thread.join(timeout=REQUEST_TIMEOUT)
                out["error"] = "sparandet blev klart (eller stannade) innan det kunde avbrytas mitt i"
                out["answer_status"] = answer.get("status")
                return out
            backend, client_port, query, state = holder
            victim = socket_owner(client_port, before)
            out["after_ms"] = round((now() - sent) * 1000)
            out["backend_query"] = query
            out["backend_state"] = state
            if victim is not None:
                os.kill(victim, signal.SIGKILL)
                out["killed"] = [victim]
                out["how"] = "arbetaren vars anslutning håller importlåset (client_port → /proc/net/tcp → fd)"
            else:  # not found: every worker (gunicorn's master starts new ones)
                for pid in before:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                out["killed"] = before
                out["how"] = "alla arbetare (anslutningens ägare hittades inte)"
            killed_at = now()
            log(f"SIGKILL till arbetaren {out['killed']} {out['after_ms']} ms efter spara, medan den körde "
                f"{query[:30]!r}")  # fmt: skip
            thread.join(timeout=REQUEST_TIMEOUT)
            out["answer_to_killed_request"] = answer.get("status")
            # The killed worker's backend ends when it sees the connection gone; then the lock is free.
            while now() < deadline and db.execute(LOCK_HOLDER, (WRITE_LOCK_KEY,)).fetchone():
                time.sleep(0.01)
            out["lock_released_after_ms"] = round((now() - killed_at) * 1000)
            state_after = import_state(db, sha, token)
            out["after_kill"] = state_after
            out["whole_or_nothing"] = state_after in (
                {"projects": 0, "distinct": 0, "batches": 0, "pending": 1},
                {"projects": rows, "distinct": rows, "batches": 1, "pending": 0},
            )
            # gunicorn's master starts a new worker in the killed one's place.
            while now() < deadline:
                pids = gunicorn.worker_pids()
                if len(pids) == gunicorn.workers and not set(out["killed"]) & set(pids):
                    out["workers_after"] = pids
                    out["worker_replaced_after_s"] = round(now() - killed_at, 2)
                    break
                time.sleep(0.1)
            # The person clicks "Spara ändringarna" again (the same preview, the same token).
            t0 = now()
            status, result = browser.callback("stor fil spara igen", confirm_body(deps, token))
            out["retry_s"] = round(now() - t0, 2)
            out["retry_status"] = status
            message = said(result)
            out["retry_message"] = message[:200]
            if status == 200 and "finns inte längre" in message and state_after.get("batches") == 1:
                out["retry_saved"] = True  # it had been saved before the kill: nothing left to save
            else:
                out["retry_saved"] = status == 200 and "är sparad" in message
            final = import_state(db, sha, token)
            out["after_retry"] = final
            batch = db.execute("SELECT id, counts FROM import_batch WHERE sha256 = %s ORDER BY id", (sha,)).fetchall()
            history = (
                db.execute(
                    "SELECT count(*) FROM change_record WHERE import_batch_id = %s AND entity = 'project' "
                    "AND action = 'create'",
                    (batch[0][0],),
                ).fetchone()[0]
                if batch
                else None
            )
            out["retry_rows_once"] = (
                final == {"projects": rows, "distinct": rows, "batches": 1, "pending": 0}
                and batch[0][1].get("new") == rows
                and history == rows
            )
    finally:
        browser.close()
    return out


def import_state(db, sha: str, token: str) -> dict:
    projects, distinct = db.execute(
        "SELECT count(*), count(DISTINCT name) FROM project WHERE name LIKE 'Stor import %%'"
    ).fetchone()
    batches = db.execute("SELECT count(*) FROM import_batch WHERE sha256 = %s", (sha,)).fetchone()[0]
    pending = db.execute("SELECT count(*) FROM pending_upload WHERE token = %s", (token,)).fetchone()[0]
    return {"projects": projects, "distinct": distinct, "batches": batches, "pending": pending}


# The checks


def check_database(pg: PrivatePostgres, info: dict, files: list[UploadFile], kill: dict | None) -> list[dict]:
    """Every saved upload's rows exactly once with the last saved values, one ImportBatch per saved file with its
    counts and history, nothing else imported, no PendingUpload left, the number of projects as expected."""
    import psycopg

    checks = []
    saved = [f for f in files if f.status.startswith("sparad")]
    unsaved = [f for f in files if not f.status.startswith("sparad")]
    with psycopg.connect(pg.conninfo(), autocommit=True) as db:
        counts = dict(db.execute("SELECT name, count(*) FROM project WHERE name LIKE 'Lasttest %%' GROUP BY name"))
        budgets = dict(db.execute("SELECT name, budget_amount FROM project WHERE name LIKE 'Lasttest %%'"))
        want = {n for f in saved for n in f.new}
        dup = sorted(n for n, c in counts.items() if c > 1)
        missing = sorted(want - set(counts))
        extra = sorted(set(counts) - want)
        checks.append(check(
            "uppladdningar: varje sparad fils nya projekt finns exakt en gång",
            not dup and not missing and not extra and bool(saved) and not unsaved,
            f"{len(saved)} filer sparade, {len(unsaved)} inte, {len(want)} nya projekt; dubbletter {dup[:5]}, "
            f"saknas {missing[:5]}, oväntade {extra[:5]}",
        ))  # fmt: skip
        last: dict[str, int | None] = {}
        for f in saved:
            last.update(f.changed)
        wrong = sorted(n for n, b in last.items() if budgets.get(n) is None or int(budgets[n]) != b)
        checks.append(check(
            "uppladdningar: varje ändrat värde är det senast sparade",
            not wrong, f"{len(last)} ändrade projekt, {len(wrong)} med fel värde {wrong[:5]}",
        ))  # fmt: skip
        batches = db.execute(
            "SELECT b.id, b.sha256, b.username, b.counts, "
            "  (SELECT count(*) FROM change_record c WHERE c.import_batch_id = b.id AND c.entity = 'project' "
            "   AND c.action = 'create'), "
            "  (SELECT count(*) FROM change_record c WHERE c.import_batch_id = b.id AND c.entity = 'project' "
            "   AND c.action = 'update') "
            "FROM import_batch b WHERE b.username LIKE 'uppladdare%%' ORDER BY b.id"
        ).fetchall()
        by_sha: dict[str, list] = defaultdict(list)
        for b in batches:
            by_sha[b[1]].append(b)
        problems = []
        for f in saved:
            found = by_sha.pop(f.sha256, [])
            if len(found) != 1:
                problems.append(f"{f.name}: {len(found)} importer")
                continue
            _, _, _, c, created, updated = found[0]
            expect = {"new": len(f.new), "changed": len(f.changed), "unchanged": 0, "removed": 0}
            if {k: c.get(k) for k in expect} != expect or (created, updated) != (len(f.new), len(f.changed)):
                problems.append(f"{f.name}: antal {c}, historik {created} nya / {updated} ändrade, väntat {expect}")
        for sha, found in by_sha.items():
            problems.append(f"{len(found)} import(er) av en fil som inte sparades ({sha[:12]})")
        checks.append(check(
            "uppladdningar: en ImportBatch per sparad fil, med filens antal och historik",
            not problems, f"{len(batches)} importer; " + ("; ".join(problems[:5]) or "alla stämmer"),
        ))  # fmt: skip
        pending = db.execute("SELECT count(*) FROM pending_upload").fetchone()[0]
        checks.append(check("inga kvarlämnade PendingUpload", pending == 0, f"{pending} kvar"))
        projects = db.execute("SELECT count(*) FROM project").fetchone()[0]
        added = len(want) + (kill["rows"] if kill and (kill.get("after_retry") or {}).get("batches") == 1 else 0)
        expected = info["projects"] + added
        checks.append(check(
            "antalet projekt är det förra plus de sparade nya", projects == expected,
            f"{projects} projekt, väntat {info['projects']} + {added} = {expected}",
        ))  # fmt: skip
    return checks


def tracebacks(log_text: str, limit: int = 5) -> list[dict]:
    """The different stack traces in gunicorn's log (the app's own frames and the exception), with how often."""
    found: dict[str, dict] = {}
    for block in log_text.split("Traceback (most recent call last):")[1:]:
        lines = block.splitlines()
        frames = [ln.strip() for ln in lines if ln.strip().startswith('File "')]
        own = [f for f in frames if str(ROOT) in f and "site-packages" not in f]
        error = next((ln for ln in lines if not ln.startswith((" ", "\t")) and ln.strip()), "")
        key = "\n".join(own[-4:]) + "\n" + error[:200]
        entry = found.setdefault(key, {"count": 0, "app_frames": own[-6:], "first_frame": frames[:1],
                                       "last_frames": frames[-3:], "error": error[:300]})  # fmt: skip
        entry["count"] += 1
    return sorted(found.values(), key=lambda e: -e["count"])[:limit]


def check(name: str, ok: bool, detail: str) -> dict:
    return {"check": name, "ok": bool(ok), "detail": detail}


def percentile(ordered: list[float], q: float) -> float:
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def summarise_kinds(samples: list[Sample]) -> dict:
    kinds: dict[str, dict] = {}
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        by_kind[s.kind].append(s)
    for kind in sorted(by_kind):
        group = by_kind[kind]
        ok = sorted(s.ms for s in group if s.ok)
        entry: dict[str, Any] = {"requests": len(group), "ok": len(ok)}
        if ok:
            entry |= {
                "p50_ms": round(statistics.median(ok), 1),
                "p95_ms": round(percentile(ok, 0.95), 1),
                "max_ms": round(ok[-1], 1),
                "max_bytes": max(s.size for s in group if s.ok),
            }
        errors = Counter(str(s.status) for s in group if not s.ok)
        if errors:
            entry["errors"] = dict(errors)
        kinds[kind] = entry
    return kinds


def check_answers(samples: list[Sample], window: tuple[float, float] | None, restart: dict | None,
                  gunicorn_log: str) -> tuple[list[dict], dict]:  # fmt: skip
    """No 5xx (nor any other error or lost request) outside the restart; during it only the app's 503; recovery
    within RECOVERY_S after PostgreSQL is back; no stack trace anywhere."""
    checks, facts = [], {}

    def inside(s: Sample) -> bool:
        return window is not None and s.t1 >= window[0] and s.t0 <= window[1]

    outside_bad = [s for s in samples if not s.ok and not inside(s) and s.status != 302]
    by_status = Counter(str(s.status) for s in outside_bad)
    checks.append(check(
        "inga 5xx (och inga andra fel eller förlorade svar) utanför omstarten",
        not outside_bad,
        f"{len(samples)} anrop; fel utanför omstarten: {dict(by_status) or 'inga'}"
        + (f"; t.ex. {outside_bad[0].kind}: {outside_bad[0].status} {outside_bad[0].note!r:.200}" if outside_bad
           else ""),
    ))  # fmt: skip
    traces = [s for s in samples if s.trace]
    log_traces = gunicorn_log.count("Traceback (most recent call last)")
    checks.append(check(
        "ingen stackspårning i något svar eller i gunicorns logg",
        not traces and not log_traces, f"{len(traces)} svar, {log_traces} i loggen",
    ))  # fmt: skip
    if restart is not None:
        during = [s for s in samples if inside(s)]
        failed = [s for s in during if not s.ok]
        foreign = [s for s in failed if not s.app_503 and s.status != 0]
        lost = [s for s in failed if s.status == 0]
        facts["restart"] = {
            "pg_ctl_restart_s": round(restart["end"] - restart["begin"], 2),
            "requests_in_window": len(during),
            "failed_in_window": dict(Counter(str(s.status) for s in failed)),
        }
        checks.append(check(
            "omstart av PostgreSQL: under omstarten bara appens 503 (inga andra fel, inga förlorade svar)",
            not foreign and not lost and "error" not in restart,
            f"{len(during)} anrop under omstarten, {sum(s.app_503 for s in failed)} med appens 503, andra fel "
            f"{dict(Counter(str(s.status) for s in foreign + lost)) or 'inga'}"
            + (f"; t.ex. {(foreign + lost)[0].kind}: {(foreign + lost)[0].note!r:.200}" if foreign + lost else "")
            + (f"; {restart['error']}" if "error" in restart else ""),
        ))  # fmt: skip
        back = restart["end"]
        after = [s for s in samples if s.t0 >= back]
        late_failures = [s.t1 - back for s in after if not s.ok]
        first_ok = min((s.t1 - back for s in after if s.ok), default=None)
        recovered = max(late_failures, default=0.0)
        facts["restart"] |= {
            "failed_after_back": len(late_failures),
            "recovered_after_s": round(recovered, 2),
            "first_ok_after_s": round(first_ok, 3) if first_ok is not None else None,
        }
        checks.append(check(
            f"omstart av PostgreSQL: appen svarar igen inom {RECOVERY_S:.0f} s utan egen omstart",
            first_ok is not None and recovered <= RECOVERY_S,
            f"första lyckade svar {first_ok if first_ok is None else round(first_ok, 2)} s efter att PostgreSQL "
            f"var igång, sista felet {recovered:.2f} s efter ({len(late_failures)} fel efter)",
        ))  # fmt: skip
    return checks, facts


def kill_checks(kill: dict) -> list[dict]:
    if "error" in kill:
        return [check("SIGKILL mitt i sparandet av en import", False, kill["error"])]
    return [
        check(
            "SIGKILL mitt i sparandet: importen finns helt eller inte alls",
            kill.get("whole_or_nothing", False),
            f"dödad {kill.get('after_ms')} ms efter spara medan den körde {kill.get('backend_query', '')[:24]!r}; "
            f"efteråt {kill.get('after_kill')}",
        ),
        check(
            "SIGKILL: gunicorns master startar en ny arbetare",
            "workers_after" in kill,
            f"före {kill.get('workers_before')}, dödad {kill.get('killed')}, efter {kill.get('workers_after')}",
        ),
        check(
            "SIGKILL: samma spara igen lyckas och raderna finns sedan exakt en gång",
            kill.get("retry_saved", False) and kill.get("retry_rows_once", False),
            f"svar {kill.get('retry_status')} på {kill.get('retry_s')} s; efteråt {kill.get('after_retry')}",
        ),
    ]


# The run


def run(args: argparse.Namespace, log: Callable[[str], None] = log_stderr) -> dict:
    t_start = now()
    report: dict[str, Any] = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "uncommitted_changes": uncommitted(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "loadavg_1min_at_start": round(os.getloadavg()[0], 2),
        "parameters": {
            "users": args.users, "seconds": args.seconds, "uploaders": args.uploaders, "workers": args.workers,
            "faults": not args.skip_faults, "scale": args.scale, "think_s": args.think, "kill_rows": args.kill_rows,
            "seed": args.seed, "recovery_limit_s": RECOVERY_S, "files": f"{NEW_PER_FILE} nya + {CHANGED_PER_FILE} "
            "ändrade projekt per fil, .csv och .xlsx växelvis",
        },
        "checks": [],
    }  # fmt: skip
    deadline = t_start + args.time_limit - 20  # leave time to check and clean up
    pg = gunicorn = None
    stop = threading.Event()
    rec = Recorder()
    browsers: list[Browser] = []
    report["phases_s"] = {}
    mark = [t_start]

    def phase(name: str) -> None:
        report["phases_s"][name] = round(now() - mark[0], 1)
        mark[0] = now()

    try:
        log(f"startar en egen PostgreSQL ({pg_bindir()}) …")
        pg = PrivatePostgres(args.pg_dir)
        pg.start()
        phase("postgresql_start")
        report["postgresql"] = {"port": pg.port, "bindir": str(pg.bindir)}
        log(f"PostgreSQL på 127.0.0.1:{pg.port}; bygger databasen (skala {args.scale}) …")
        info = prepare_database(pg, args.scale, args.seed, args.users, args.uploaders)
        report["data"] = {k: v for k, v in info.items() if not k.endswith("_ids") and k != "focus_areas"}
        phase("database")
        gunicorn = Gunicorn(pg.url(DB_NAME), args.workers, pg.root.parent / f"{pg.root.name}-gunicorn.log")
        report["gunicorn_ready_s"] = round(gunicorn.wait_ready(), 2)
        phase("gunicorn_start")
        log(f"gunicorn med {args.workers} arbetare på {gunicorn.base} (klar efter {report['gunicorn_ready_s']} s); "
            f"{args.users} användare loggar in …")  # fmt: skip

        # Log everyone in (not part of the measured load).
        readers = [Browser(gunicorn.base, rec) for _ in range(args.users)]
        uploaders = [Browser(gunicorn.base, rec) for _ in range(args.uploaders)]
        probe = Browser(gunicorn.base, rec) if not args.skip_faults else None
        browsers += readers + uploaders + ([probe] if probe else [])
        first = (readers or uploaders or [Browser(gunicorn.base, rec)])[0]
        browsers.append(first)
        with ThreadPoolExecutor(max_workers=8) as pool:
            logged = list(pool.map(lambda p: p[0].login(p[1]), [(b, reader_name(i)) for i, b in enumerate(readers)]
                                   + [(b, uploader_name(i)) for i, b in enumerate(uploaders)]
                                   + ([(probe, PROBE_USER)] if probe else [])))  # fmt: skip
        if not all(logged):
            raise Abort(f"{logged.count(False)} av {len(logged)} inloggningar misslyckades")
        deps_raw = first.dependencies()
        deps = Dependencies.parse(deps_raw)
        template_status, template = (uploaders[0] if uploaders else first).request(
            "mall /ladda-upp/mall/projekt.xlsx?tom=1", "GET", "/ladda-upp/mall/projekt.xlsx?tom=1"
        )
        if template_status != 200:
            raise Abort(f"mallen svarade {template_status}")
        phase("logins")

        # The load, with PostgreSQL restarted during it.
        rec.phase = "last"
        load_start = now()
        until = load_start + args.seconds
        log(f"last: {args.users} användare och {args.uploaders} uppladdare i {args.seconds} s …")
        files: list[UploadFile] = []
        restart: dict[str, Any] = {}
        threads = []
        for i, b in enumerate(readers):
            rng = random.Random(args.seed * 7919 + i)
            threads.append(rec.thread(reader, b, deps, info, rng, until, args.think, stop, name=f"läsare-{i}"))
        for i, b in enumerate(uploaders):
            threads.append(rec.thread(uploader, b, deps, i, info["focus_areas"], template, until, deadline, stop, files,
                                      name=f"uppladdare-{i}"))  # fmt: skip
        if not args.skip_faults:
            at = load_start + RESTART_AT * args.seconds
            threads.append(rec.thread(restart_during_load, pg, probe, deps, at, stop, restart, log, name="omstart"))
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=max(0.0, deadline - now()))
        if any(t.is_alive() for t in threads):
            stop.set()
            raise Abort("lasten blev inte klar före tidsgränsen")
        phase("load")
        load_end = max([s.t1 for s in rec.samples if s.phase == "last"], default=now())
        load_samples = [s for s in rec.samples if s.phase == "last"]
        duration = load_end - load_start
        report["load"] = {
            "duration_s": round(duration, 2),
            "requests": len(load_samples),
            "requests_per_s": round(len(load_samples) / duration, 1) if duration else None,
            "by_status": dict(Counter(str(s.status) for s in load_samples)),
            "kinds": summarise_kinds(load_samples),
            "loadavg_1min_after": round(os.getloadavg()[0], 2),
        }
        report["uploads"] = {
            "files": len(files),
            "saved": sum(f.status.startswith("sparad") for f in files),
            "retried": sum(bool(f.notes) for f in files),
            "new_rows": sum(len(f.new) for f in files if f.status.startswith("sparad")),
            "changed_rows": sum(len(f.changed) for f in files if f.status.startswith("sparad")),
            "list": [
                {"file": f.name, "status": f.status, "attempts": f.attempts, "new": len(f.new),
                 "changed": len(f.changed), **({"notes": f.notes[:5]} if f.notes else {})}
                for f in files
            ],
        }  # fmt: skip
        log(f"last klar: {len(load_samples)} anrop på {duration:.1f} s ({report['load']['requests_per_s']}/s), "
            f"{report['uploads']['saved']} av {len(files)} filer sparade")  # fmt: skip

        window = None
        if restart.get("end"):
            window = (restart["begin"], restart["end"] + RECOVERY_S)
        elif not args.skip_faults:
            report["checks"].append(check("omstart av PostgreSQL under lasten", False, "omstarten hann inte köras"))

        # A worker killed while it saves an import.
        kill = None
        if not args.skip_faults:
            log(f"SIGKILL: en fil med {args.kill_rows} nya projekt förhandsgranskas och sparas …")
            kill = kill_during_confirm(pg, gunicorn, rec, deps_raw, info["focus_areas"], args.kill_rows, deadline,
                                       log)  # fmt: skip
            report["sigkill"] = kill
            report["sigkill_kinds"] = summarise_kinds([s for s in rec.samples if s.phase == "sigkill"])
            phase("sigkill")

        # The checks.
        other = [s for s in rec.samples if s.phase != "sigkill"]
        answers, facts = check_answers(other, window, restart if window else None, gunicorn.log_text())
        report["checks"] += answers
        report |= facts
        if kill is not None:
            report["checks"] += kill_checks(kill)
            # the killed request itself and the sign-in of its person are judged by kill_checks
            later = [s for s in rec.samples if s.phase == "sigkill" and s.kind != "stor fil spara (dödas)"]
            bad = [s for s in later if not s.ok and s.status != 302]
            report["checks"].append(check(
                "SIGKILL: inga andra fel i den personens övriga anrop", not bad,
                ", ".join(f"{s.kind} {s.status}" for s in bad) or "inga",
            ))  # fmt: skip
        report["checks"] += check_database(pg, info, files, kill)
        phase("checks")
        report["checks"].append(check(
            "klienten själv: inga undantag i dess trådar", not rec.crashes, "; ".join(rec.crashes[:3]) or "inga"
        ))  # fmt: skip
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - any failure fails the proof, after cleaning up
        stop.set()
        reason = str(exc) or exc.__class__.__name__
        if not isinstance(exc, Abort | KeyboardInterrupt | TimeoutError):
            reason = f"{exc.__class__.__name__}: {reason}"
            traceback.print_exc()
        report["checks"].append(check("körningen gick att genomföra", False, reason))
        log(f"AVBRUTET: {reason}")
    finally:
        stop.set()
        for b in browsers:
            b.close()
        if gunicorn is not None:
            gunicorn.stop()
            text = gunicorn.log_text()
            report["gunicorn_log_tail"] = text[-800:]
            report["gunicorn_tracebacks"] = tracebacks(text)
            if os.environ.get("BENCH_LOAD_KEEP_LOG"):
                shutil.copy(gunicorn.logfile, os.environ["BENCH_LOAD_KEEP_LOG"])
            with contextlib.suppress(OSError):
                gunicorn.logfile.unlink()
        if pg is not None:
            pg.stop()
    phase("cleanup")
    report["total_seconds"] = round(now() - t_start, 1)
    report["pass"] = bool(report["checks"]) and all(c["ok"] for c in report["checks"])
    return report


# Output


def markdown(report: dict) -> str:
    p = report["parameters"]
    lines = []
    load = report.get("load")
    if load:
        lines += [
            f"{p['users']} användare och {p['uploaders']} uppladdare i {load['duration_s']} s mot gunicorn "
            f"({p['workers']} arbetare) på PostgreSQL, skala {p['scale']}×, tänketid {p['think_s']} s: "
            f"{load['requests']} anrop, {load['requests_per_s']} anrop/s; svar per status {load['by_status']}; "
            f"belastning (1 min) {report['loadavg_1min_at_start']} före, {load['loadavg_1min_after']} efter.",
            "",
            "| anrop | antal | p50 ms | p95 ms | max ms | fel |",
            "|---|---:|---:|---:|---:|---|",
        ]
        for kind, k in load["kinds"].items():
            if kind.startswith(("start ", "inloggning")):
                continue
            errors = ", ".join(f"{n}× {s}" for s, n in k.get("errors", {}).items())
            timing = [f"{k[f]:.0f}" if f in k else "–" for f in ("p50_ms", "p95_ms", "max_ms")]
            lines.append(f"| {kind} | {k['requests']} | " + " | ".join(timing) + f" | {errors} |")
        lines.append("")
    restart = report.get("restart")
    if restart:
        lines.append(
            f"Omstart av PostgreSQL: pg_ctl restart {restart['pg_ctl_restart_s']} s, {restart['requests_in_window']} "
            f"anrop under omstarten (fel {restart['failed_in_window'] or 'inga'}), första lyckade svar "
            f"{restart['first_ok_after_s']} s efter att PostgreSQL var igång, sista felet "
            f"{restart['recovered_after_s']} s efter."
        )
    kill = report.get("sigkill")
    if kill and "error" not in kill:
        lines.append(
            f"SIGKILL: {kill['rows']} nya projekt; arbetaren dödades {kill.get('after_ms')} ms efter spara "
            f"(medan den körde {kill.get('backend_query', '')[:20]!r}), importen efteråt {kill.get('after_kill')}; "
            f"ny arbetare efter {kill.get('worker_replaced_after_s')} s; spara igen {kill.get('retry_status')} på "
            f"{kill.get('retry_s')} s."
        )
    if restart or kill:
        lines.append("")
    for c in report["checks"]:
        lines.append(f"- {'✓' if c['ok'] else '✗'} {c['check']}: {c['detail']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    ap.add_argument("--users", type=int, default=50, help="simulated people reading (each a läsare, logged in)")
    ap.add_argument("--seconds", type=float, default=60, help="length of the load")
    ap.add_argument("--uploaders", type=int, default=2, help="people uploading and saving files meanwhile")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    ap.add_argument("--skip-faults", action="store_true", help="no PostgreSQL restart, no SIGKILL")
    ap.add_argument("--scale", type=int, default=100, help="bench/generate.py's multiple of the demo data")
    ap.add_argument("--think", type=float, default=3.0, help="mean think time between a person's page views, s")
    ap.add_argument("--kill-rows", type=int, default=10_000, help="new projects in the file whose save is killed")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=300, help="the whole run, s (it fails beyond)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "load.json"))
    ap.add_argument("--pg-dir", help=argparse.SUPPRESS)  # where the private PostgreSQL's directory is made (tests)
    args = ap.parse_args(argv)

    def interrupted(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    def too_long(_signum, _frame):
        raise TimeoutError(f"tidsgränsen {args.time_limit:.0f} s överskreds")

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupted)
        signal.signal(signal.SIGALRM, too_long)
        signal.alarm(int(args.time_limit))
    try:
        report = run(args)
    finally:
        if threading.current_thread() is threading.main_thread():
            signal.alarm(0)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(markdown(report))
    print()
    failed = [c for c in report["checks"] if not c["ok"]]
    print(("PASS" if report["pass"] else "FAIL") + f": {len(report['checks']) - len(failed)} av "
          f"{len(report['checks'])} kontroller håller ({report['total_seconds']} s).")  # fmt: skip
    print(f"JSON: {args.out}")
    return 0 if report["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
