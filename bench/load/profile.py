"""Where a route's time goes: its SQL queries, counted and timed, the slowest explained.

Run in the benchmark's own process against the seeded database, through Django's test
client (no HTTP), once per route after a warming request: how many queries the answer ran,
how long they took together, and PostgreSQL's ``EXPLAIN (ANALYZE, BUFFERS)`` of the slowest
few, written to a folder for reading.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.load.drive import Route

EXPLAINED = 3  # the slowest queries of each route that are explained


@dataclass(frozen=True)
class Profile:
    route: str
    status: int
    queries: int
    sql_ms: float
    total_ms: float
    cpu_ms: float  # this process's CPU: the Python side, whatever else the machine runs
    slowest_ms: float


def profile(routes: list[Route], username: str, token: str, out: Path | None) -> list[Profile]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from vigil.core.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    found: list[Profile] = []
    for route in routes:
        headers = {"Authorization": f"Bearer {token}"} if route.api else {}
        if route.htmx:
            headers["HX-Request"] = "true"
        client.get(route.path, headers=headers)  # warm
        started, cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as captured:
            answer = client.get(route.path, headers=headers)
        total = (time.perf_counter() - started) * 1000
        cpu_ms = (time.process_time() - cpu) * 1000
        timed = sorted(
            captured.captured_queries, key=lambda query: float(query["time"]), reverse=True
        )
        found.append(
            Profile(
                route=route.name,
                status=answer.status_code,
                queries=len(timed),
                sql_ms=sum(float(query["time"]) for query in timed) * 1000,
                total_ms=total,
                cpu_ms=cpu_ms,
                slowest_ms=float(timed[0]["time"]) * 1000 if timed else 0.0,
            )
        )
        if out is not None and connection.vendor == "postgresql":
            _explain(route, timed[:EXPLAINED], out)
    return found


def _explain(route: Route, queries: list[dict[str, Any]], out: Path) -> None:
    from django.db import connection

    out.mkdir(parents=True, exist_ok=True)
    name = route.name.replace(" ", "-").replace("/", "")
    lines: list[str] = []
    with connection.cursor() as cursor:
        for query in queries:
            sql = str(query["sql"])
            lines.append(f"-- {float(query['time']) * 1000:.1f} ms\n{sql}\n")
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            lines += [row[0] for row in cursor.fetchall()]
            lines.append("")
    (out / f"{name}.txt").write_text("\n".join(lines), encoding="utf-8")
