"""The load benchmark: ``python -m bench load`` (see bench/README.md).

A real server under a team's load, measured from outside. For PostgreSQL it makes a scratch
database on 127.0.0.1:5432, seeds the demo retailer into it (``vigil demo``) and then the
volume of a large one (``bench.load.seed``: 100,000 cases, 300,000 incidents, 1,000,000 POS
leads, 200,000 alerts at ``--scale 1``); for SQLite (``--database sqlite``) the demo as
shipped. It runs ``vigil serve`` (gunicorn) on a free local port, signs in as the demo's LP
manager, and loads each route with ``wrk`` at each number of connections, several runs each:
saturated (each connection asks again as soon as it is answered, as the issue measured), and
paced at the largest number of connections (people who wait a think time, 5 s on average,
the alert feed's refresh, before each click: a team with the page open). The answer is the
median of the runs' p50/p95/p99 per route, with every error and timeout summed. Everything
it made is removed at the end (``--keep`` keeps the database and data directory so that a
later run can ``--reuse`` them without seeding again).

It runs the source tree it is started from (``python -m`` puts the current directory first
on the path, and the demo and the server are started the same way), so a copy of a tree can
be measured while the working tree changes.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from bench.load import cpu, drive
from bench.load.drive import Route, Run

USERNAME = "lp.manager"  # the demo's LP manager: the North region, half the stores
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
SCRATCH_PREFIX = "vigil_load_"
ROUTES = (
    Route("case list", "/cases/"),
    Route("lead list", "/pos/"),
    Route("alert feed", "/alerts/"),
    Route("alert feed refresh", "/alerts/", htmx=True),  # every 5 s while the feed is open
    Route("dashboard", "/"),
    Route("incident list", "/incidents/"),
    Route("API cases", "/api/v1/cases", api=True),
    Route("API incidents", "/api/v1/incidents", api=True),
)
# The API's rate limits would answer a benchmark with 429s; a window of one second keeps
# the limiter's own bookkeeping as small as in normal use.
UNLIMITED = {
    "VIGIL_API_RATE_PER_CLIENT": "100000/s",
    "VIGIL_API_RATE_PER_ADDRESS": "100000/s",
}


@dataclass(frozen=True)
class Options:
    database: str = "postgres"  # or "sqlite"
    scale: float = 1.0
    connections: tuple[int, ...] = (20, 50)
    seconds: int = 15
    runs: int = 3
    think_ms: int = 5_000  # the paced runs' mean think time; 0 runs saturated only
    saturated: bool = True  # False: the paced runs alone
    workers: int = 2
    routes: tuple[str, ...] = ()  # names; empty means all
    keep: bool = False
    reuse: str = ""  # a kept scratch database name
    explain: Path | None = None
    say_progress: bool = True


@dataclass
class Outcome:
    runs: list[Run] = field(default_factory=list)
    profiles: list[object] = field(default_factory=list)
    seeded: dict[str, int] = field(default_factory=dict)
    seed_seconds: float = 0.0
    database: str = ""


@dataclass(frozen=True)
class Summary:
    """The median of a route's runs at one number of connections."""

    route: str
    connections: int
    think_ms: int
    runs: int
    rate: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    timeouts: int
    cpu_ms: float
    load: float


def summarise(runs: list[Run]) -> list[Summary]:
    grouped: dict[tuple[str, int, int], list[Run]] = {}
    for run in runs:
        grouped.setdefault((run.route, run.connections, run.think_ms), []).append(run)
    return [
        Summary(
            route=route,
            connections=connections,
            think_ms=think_ms,
            runs=len(group),
            rate=statistics.median(run.rate for run in group),
            p50_ms=statistics.median(run.p50_ms for run in group),
            p95_ms=statistics.median(run.p95_ms for run in group),
            p99_ms=statistics.median(run.p99_ms for run in group),
            errors=sum(run.errors for run in group),
            timeouts=sum(run.timeouts for run in group),
            cpu_ms=statistics.median(run.cpu_ms for run in group),
            load=statistics.median(run.load for run in group),
        )
        for (route, connections, think_ms), group in grouped.items()
    ]


def run(options: Options) -> Outcome:
    drive.need_wrk()
    say = _say if options.say_progress else _quiet
    routes = [r for r in ROUTES if not options.routes or r.name in options.routes]
    outcome = Outcome()
    with _database(options, outcome, say) as (env, data_dir):
        # The scratch database's name, whose backends' CPU counts as the server's.
        database = env["DATABASE_URL"].rsplit("/", 1)[-1] if "DATABASE_URL" in env else ""
        _setup_django()
        token = _token()
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        with _server(port, options.workers, data_dir, env, say) as server_pid:
            drive.wait_until_up(base_url)
            cookie = drive.sign_in(base_url, USERNAME, _password(data_dir))
            if options.explain is not None or options.say_progress:
                from bench.load.profile import profile

                outcome.profiles = list(profile(routes, USERNAME, token, options.explain))
            for route in routes:
                headers = _headers(route, cookie, token)
                status, size = drive.fetch(base_url, route.path, headers)
                if status != 200:
                    raise SystemExit(f"bench load: {route.path} answered {status}, not 200")
                say(f"{route.name} ({route.path}): {size:,} bytes; warming up")
                drive.wrk(base_url, route, headers, connections=4, seconds=3)
                for connections, think_ms, seconds in _modes(options):
                    for number in range(options.runs):
                        before = _cpu(server_pid, database)
                        load = drive.people if think_ms else drive.wrk
                        measured = load(
                            base_url,
                            route,
                            headers,
                            connections=connections,
                            seconds=seconds,
                            think_ms=think_ms,
                        )
                        used = cpu.spent(before, _cpu(server_pid, database))
                        measured = replace(
                            measured,
                            cpu_ms=1000 * used / measured.requests if measured.requests else 0,
                            load=cpu.load_average(),
                        )
                        outcome.runs.append(measured)
                        say(
                            f"  {connections} connections, think {think_ms} ms, run "
                            f"{number + 1}: p50 {measured.p50_ms:,.0f} ms, "
                            f"p95 {measured.p95_ms:,.0f} ms, p99 {measured.p99_ms:,.0f} ms, "
                            f"{measured.rate:,.1f}/s, {measured.errors} errors, "
                            f"{measured.timeouts} timeouts, {measured.cpu_ms:,.0f} ms CPU "
                            f"each, load {measured.load:.1f}"
                        )
    return outcome


def _cpu(server_pid: int, database: str) -> dict[int, float]:
    pids = cpu.descendants(server_pid)
    if database:
        pids += cpu.backends(database)
    return cpu.snapshot(pids)


def _modes(options: Options) -> list[tuple[int, int, int]]:
    """(connections, think ms, seconds) of each measurement: saturated at each number of
    connections, then paced at the largest, for twice as long (a paced connection asks
    only every few seconds, and a percentile needs answers to stand on)."""
    modes = [(connections, 0, options.seconds) for connections in options.connections]
    if not options.saturated:
        modes = []
    if options.think_ms > 0 and options.connections:
        modes.append((max(options.connections), options.think_ms, 2 * options.seconds))
    return modes


def _headers(route: Route, cookie: str, token: str) -> dict[str, str]:
    if route.api:
        return {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    if route.htmx:
        return {"Cookie": cookie, "Accept": "text/html", "HX-Request": "true"}
    return {"Cookie": cookie, "Accept": "text/html"}


def _say(text: str) -> None:
    print(text, flush=True)


def _quiet(text: str) -> None:
    return None


# --- the database and the data directory ----------------------------------------------


@contextmanager
def _database(
    options: Options, outcome: Outcome, say: Callable[[str], None]
) -> Iterator[tuple[dict[str, str], Path]]:
    """A seeded database and its data directory, for the length of the run."""
    env = {"DEBUG": "false", "DJANGO_SETTINGS_MODULE": "vigil.settings", **UNLIMITED}
    if options.database == "sqlite":
        data_dir = Path(tempfile.mkdtemp(prefix="vigil-load-sqlite-"))
        env["VIGIL_DATA_DIR"] = str(data_dir)
        os.environ.pop("DATABASE_URL", None)
        os.environ.update(env)  # this process's Django, set up later, reads them
        try:
            _demo(data_dir, say)
            outcome.database = "SQLite (the demo data directory)"
            yield env, data_dir
        finally:
            if not options.keep:
                shutil.rmtree(data_dir, ignore_errors=True)
        return
    name = options.reuse or f"{SCRATCH_PREFIX}{os.getpid()}_{int(time.time())}"
    data_dir = Path(tempfile.gettempdir()) / f"vigil-load-{name}"
    env["VIGIL_DATA_DIR"] = str(data_dir)
    env["DATABASE_URL"] = f"{PG_SERVER}/{name}"
    os.environ.update(env)
    outcome.database = f"PostgreSQL ({name})"
    try:
        if not options.reuse:
            data_dir.mkdir(mode=0o700)
            _create_database(name)
            _demo(data_dir, say)
            say(f"Seeding {name} at scale {options.scale:g}…")
            outcome.seeded, outcome.seed_seconds = _seed(options.scale, say)
        yield env, data_dir
    finally:
        _close_django()
        if not options.keep:
            _drop_database(name)
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            say(f"Kept {name} and {data_dir}: run again with --reuse {name}")


def _create_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')


def _drop_database(name: str) -> None:
    import psycopg

    if not name.startswith(SCRATCH_PREFIX):
        raise SystemExit(f"bench load: will not drop {name!r}, not a scratch database")
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _demo(data_dir: Path, say: Callable[[str], None]) -> None:
    """``vigil demo`` into the configured database; its output goes to ``demo.log``."""
    say("Seeding the demo retailer (vigil demo)…")
    started = time.perf_counter()
    log_path = data_dir / "demo.log"
    with log_path.open("wb") as log:
        done = subprocess.run(
            [sys.executable, "-m", "vigil.cli", "demo"],
            env=os.environ.copy(),
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=900,
            check=False,
        )
    if done.returncode != 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"bench load: vigil demo failed ({done.returncode}):\n{tail}")
    say(f"  demo: {time.perf_counter() - started:.0f} s")


def _seed(scale: float, say: Callable[[str], None]) -> tuple[dict[str, int], float]:
    from bench.load import seed

    _setup_django()
    started = time.perf_counter()
    seed.seed(scale, say)
    return _counts(), time.perf_counter() - started


def _counts() -> dict[str, int]:
    from vigil.cases.models import Case, Incident
    from vigil.pos.models import PosException
    from vigil.video.models import Alert

    return {
        "cases": Case.objects.count(),
        "incidents": Incident.objects.count(),
        "leads": PosException.objects.count(),
        "alerts": Alert.objects.count(),
    }


def _password(data_dir: Path) -> str:
    return (data_dir / "demo-password").read_text(encoding="utf-8").strip()


# --- Django in this process -----------------------------------------------------------


def _setup_django() -> None:
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def _close_django() -> None:
    from django.apps import apps

    if apps.ready:
        from django.db import connections

        connections.close_all()


def _token() -> str:
    """An API token of the LP manager, as an integration would hold."""
    from vigil.core import tokens
    from vigil.core.models import User

    _, raw = tokens.issue(User.objects.get(username=USERNAME), name="load benchmark", days=1)
    return raw


# --- the server -----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _server(
    port: int, workers: int, data_dir: Path, env: dict[str, str], say: Callable[[str], None]
) -> Iterator[int]:
    """``vigil serve`` (gunicorn, threaded workers) without the task worker, which would
    only take CPU from the web processes; its access log goes to a file."""
    log_path = data_dir / "serve.log"
    log = log_path.open("wb")
    command = [
        sys.executable, "-m", "vigil.cli", "serve",
        "--port", str(port), "--workers", str(workers), "--no-worker",
    ]  # fmt: skip
    server = subprocess.Popen(
        command,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    say(f"vigil serve on port {port}, {workers} workers (pid {server.pid})")
    try:
        yield server.pid
    except SystemExit as stopped:
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"{stopped}\n--- the end of {log_path}:\n{tail}") from None
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
