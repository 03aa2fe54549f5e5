"""Drive a running Vigil over HTTP from a process of its own, and read back the latency
percentiles, errors and timeouts of each run: saturated with ``wrk``, paced (people who
think between clicks) with :func:`people`.

``wrk`` (Debian's package ``wrk``) is a small C load generator: it keeps N connections busy,
each sending its next request as soon as the last one is answered, which is how a team's
browsers and scripts load a server, and it costs the 2-core machine far less CPU than a
Python driver would. ``report.lua`` makes it print one line of JSON with p50/p90/p95/p99.
"""

from __future__ import annotations

import html
import http.client
import json
import random
import re
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.client import HTTPResponse
from pathlib import Path
from typing import Any

REPORT = Path(__file__).with_name("report.lua")
WRK_THREADS = 2
TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Route:
    """One thing to load: a page signed in with the session, or the API with a token."""

    name: str
    path: str
    api: bool = False
    htmx: bool = False  # asked as htmx asks: the page's refreshed part alone


@dataclass(frozen=True)
class Run:
    """One wrk run of one route at one number of connections."""

    route: str
    connections: int
    think_ms: int  # 0: each connection asks again at once (saturation)
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int  # connect/read/write errors, 4xx/5xx answers and redirects
    timeouts: int
    cpu_ms: float = 0.0  # server-side CPU (web processes and database) per answer
    load: float = 0.0  # the machine's load average at the end of the run

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def need_wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit(
            "bench load: needs wrk, the HTTP load generator (Debian: apt-get install wrk)"
        )
    return found


def wait_until_up(base_url: str, seconds: float = 60.0) -> None:
    """Poll the sign-in page until the server answers it."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{base_url}/login/", timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"bench load: the server at {base_url} did not come up")
        time.sleep(0.5)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _cookies(answer: HTTPResponse | urllib.error.HTTPError) -> dict[str, str]:
    found: dict[str, str] = {}
    for header in answer.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def sign_in(base_url: str, username: str, password: str) -> str:
    """Sign in through the form, as a browser does; the ``Cookie`` header of the session.

    The server runs as in production (DEBUG off), so its cookies are marked Secure and an
    HTTP client's cookie jar would not send them back over plain HTTP: they are read from
    ``Set-Cookie`` here instead.
    """
    opener = urllib.request.build_opener(_NoRedirect)
    with opener.open(f"{base_url}/login/", timeout=30) as answer:
        page = answer.read().decode("utf-8")
        cookies = _cookies(answer)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None or "csrftoken" not in cookies:
        raise SystemExit("bench load: the sign-in page has no CSRF token")
    form = urllib.parse.urlencode(
        {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": html.unescape(token.group(1)),
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - our own server on the loopback
        f"{base_url}/login/",
        data=form,
        headers={"Cookie": f"csrftoken={cookies['csrftoken']}", "Referer": f"{base_url}/login/"},
    )
    try:
        with opener.open(request, timeout=30) as answer:
            signed = _cookies(answer)
    except urllib.error.HTTPError as redirect:  # the 302 onwards, not followed
        signed = _cookies(redirect)
    if "sessionid" not in signed:
        raise SystemExit(f"bench load: signing in as {username} failed (no session cookie)")
    return f"sessionid={signed['sessionid']}; csrftoken={cookies['csrftoken']}"


def fetch(base_url: str, path: str, headers: dict[str, str]) -> tuple[int, int]:
    """One request: status and body size (to check a route before loading it)."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(f"{base_url}{path}", headers=headers)  # noqa: S310
    try:
        with opener.open(request, timeout=60) as answer:
            return answer.status, len(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, 0


def wrk(
    base_url: str,
    route: Route,
    headers: dict[str, str],
    *,
    connections: int,
    seconds: int,
    think_ms: int = 0,
) -> Run:
    """One saturated wrk run (``think_ms`` must be 0: :func:`people` paces); wrk itself is
    bounded by ``-d`` and killed if it overstays."""
    if think_ms:
        raise ValueError("wrk runs saturated; people() runs paced")
    command = [
        need_wrk(),
        "-t", str(min(WRK_THREADS, connections)),
        "-c", str(connections),
        "-d", f"{seconds}s",
        "--timeout", f"{TIMEOUT_SECONDS}s",
        "-s", str(REPORT),
    ]  # fmt: skip
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"{base_url}{route.path}")
    finished = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    line = next((row for row in finished.stdout.splitlines() if row.startswith("WRK_JSON ")), None)
    if line is None:
        raise SystemExit(f"bench load: wrk gave no report:\n{finished.stdout}{finished.stderr}")
    raw = json.loads(line.removeprefix("WRK_JSON "))
    errors = sum(raw[key] for key in ("connect", "read", "write", "status", "redirects"))
    return Run(
        route=route.name,
        connections=connections,
        think_ms=think_ms,
        requests=raw["requests"],
        seconds=raw["duration_us"] / 1e6,
        p50_ms=raw["p50_us"] / 1000,
        p90_ms=raw["p90_us"] / 1000,
        p95_ms=raw["p95_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        max_ms=raw["max_us"] / 1000,
        errors=errors,
        timeouts=raw["timeout"],
    )


def people(
    base_url: str,
    route: Route,
    headers: dict[str, str],
    *,
    connections: int,
    seconds: int,
    think_ms: int,
) -> Run:
    """``connections`` people, each asking for ``route`` after a think time of half to one
    and a half times ``think_ms``, on a connection of its own per click (the server has
    closed the last one by then: gunicorn keeps an idle one 2 s). At a few requests a second
    Python's threads drive this with next to no CPU; wrk's own pacing cannot, since it opens
    the next connection before the pause and the server closes it idle."""
    host, port = urllib.parse.urlsplit(base_url).netloc.split(":")
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    failures = {"errors": 0, "timeouts": 0}

    def person(number: int) -> None:
        chance = random.Random(number)
        time.sleep(chance.uniform(0, think_ms / 1000))  # not all at once
        while True:
            time.sleep(chance.uniform(think_ms / 2000, think_ms * 3 / 2000))
            if time.monotonic() >= deadline:
                return
            outcome = _ask(host, int(port), route.path, headers)
            with lock:
                if isinstance(outcome, float):
                    latencies.append(outcome)
                else:
                    failures[outcome] += 1

    started = time.monotonic()
    crowd = [threading.Thread(target=person, args=(n,)) for n in range(connections)]
    for thread in crowd:
        thread.start()
    for thread in crowd:
        thread.join(timeout=seconds + 2 * TIMEOUT_SECONDS + think_ms / 500)
    ordered = sorted(latencies)

    def at(fraction: float) -> float:
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0

    return Run(
        route=route.name,
        connections=connections,
        think_ms=think_ms,
        requests=len(ordered),
        seconds=time.monotonic() - started,
        p50_ms=at(0.50),
        p90_ms=at(0.90),
        p95_ms=at(0.95),
        p99_ms=at(0.99),
        max_ms=ordered[-1] if ordered else 0.0,
        errors=failures["errors"],
        timeouts=failures["timeouts"],
    )


def _ask(host: str, port: int, path: str, headers: dict[str, str]) -> float | str:
    """One request on a new connection: its latency in ms, or "errors" / "timeouts"."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT_SECONDS)
    try:
        connection.request("GET", path, headers=headers)
        answer = connection.getresponse()
        answer.read()
    except TimeoutError:
        return "timeouts"
    except (OSError, http.client.HTTPException):
        return "errors"
    finally:
        connection.close()
    if answer.status != 200:
        return "errors"
    return (time.perf_counter() - started) * 1000
