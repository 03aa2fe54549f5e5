"""CPU time the server side spent: the web processes and their PostgreSQL backends.

Latency on a shared 2-core machine says as much about the other processes as about Vigil;
the CPU seconds Vigil's own processes used per request do not. With them the latency on an
otherwise idle machine can be worked out: N connections kept busy on C cores wait about
N x (CPU per request) / C for an answer.
"""

from __future__ import annotations

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def descendants(root: int) -> list[int]:
    """``root`` and every process below it (the server's gunicorn master and workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def backends(database: str) -> list[int]:
    """The PostgreSQL server processes serving ``database`` now (Django keeps them open)."""
    import psycopg

    from bench.load import PG_SERVER

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        ).fetchall()
    return [int(row[0]) for row in rows]


def snapshot(pids: list[int]) -> dict[int, float]:
    """User and system CPU seconds of each of ``pids`` so far (one gone is left out)."""
    found: dict[int, float] = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
    return found


def spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two snapshots; a process started in between from zero."""
    return sum(used - before.get(pid, 0.0) for pid, used in after.items())


def load_average() -> float:
    """The machine's one-minute load average: how busy it was besides."""
    return float(Path("/proc/loadavg").read_text().split()[0])
