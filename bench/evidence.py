"""The evidence store benchmark: ``python -m bench evidence [--size 2G] [--dir DIR]``.

Two questions. Does hashing on the server while storing keep up with ``sha256sum`` over the
same file? And does memory stay flat whatever the file size? The store runs in a child
process (``python -m bench.evidence ingest FILE STORE``) so that its peak resident memory
is its own, not the benchmark's.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import NamedTuple

from vigil.evidence.storage import LocalEvidenceStore, human_size

MiB = 1024 * 1024
BLOCK = 8 * MiB  # the test file is written in blocks of this size
READ_CHUNK = MiB  # what the store is fed per write, like an upload handler's chunks
SMALL_SIZE = 256 * MiB
RSS_TARGET = 100 * MiB
REPOSITORY = Path(__file__).resolve().parents[1]


class Row(NamedTuple):
    """One line of the table, in the field order of ``bench.__main__.Result``."""

    name: str
    value: float
    unit: str
    target: str
    detail: str


class ChildRun(NamedTuple):
    """What the child process reports: time, digest and memory of one store operation."""

    seconds: float
    sha256: str
    peak_rss: int
    baseline_rss: int


def make_file(path: Path, size: int) -> None:
    """A real (not sparse) file of random-looking bytes: one random block, varied per copy."""
    block = bytearray(os.urandom(BLOCK))
    with path.open("wb") as file:
        for number, start in enumerate(range(0, size, BLOCK)):
            block[:8] = number.to_bytes(8, "big")
            file.write(block[: min(BLOCK, size - start)])
        file.flush()
        os.fsync(file.fileno())


def time_sha256sum(path: Path) -> tuple[float, str]:
    """Seconds ``sha256sum`` takes over ``path``, and the digest it prints."""
    program = shutil.which("sha256sum")
    if program is None:
        raise SystemExit("bench: sha256sum is not installed (it is in GNU coreutils)")
    start = time.perf_counter()
    done = subprocess.run([program, path], check=True, capture_output=True, text=True)
    return time.perf_counter() - start, done.stdout.split()[0]


def run_child(operation: str, target: str, root: Path) -> ChildRun:
    """Run one store ``operation`` (ingest or rehash) in a fresh Python process."""
    command = [sys.executable, "-m", "bench.evidence", operation, target, str(root)]
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=REPOSITORY)
    return ChildRun(**json.loads(done.stdout))


def peak_rss() -> int:
    """This process's peak resident memory in bytes so far.

    On Linux ``VmHWM``, because ``getrusage`` keeps the peak across ``exec`` and so would
    report the benchmark's own memory for the child it started.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # bytes on macOS, else KiB


def child(operation: str, target: str, root: Path) -> int:
    """The child side: ingest the file ``target`` into the store at ``root``, or rehash the
    evidence whose SHA-256 is ``target``; print one JSON line for the parent."""
    store = LocalEvidenceStore(root)
    baseline = peak_rss()
    start = time.perf_counter()
    if operation == "ingest":
        path = Path(target)
        with path.open("rb") as file:
            chunks = iter(partial(file.read, READ_CHUNK), b"")
            sha256 = store.ingest(chunks, max_bytes=path.stat().st_size + 1).sha256
    else:
        sha256 = store.rehash(target)
    seconds = time.perf_counter() - start
    run = ChildRun(seconds=seconds, sha256=sha256, peak_rss=peak_rss(), baseline_rss=baseline)
    print(json.dumps(run._asdict()))
    return 0


def megabytes_per_second(size: int, seconds: float) -> float:
    return size / seconds / 1e6


def measure_size(directory: Path, size: int) -> tuple[float, str, ChildRun, ChildRun]:
    """sha256sum, ingest and rehash over one file of ``size`` bytes, deleted afterwards."""
    source = directory / f"source-{size}"
    root = directory / f"store-{size}"
    try:
        make_file(source, size)
        sum_seconds, digest = time_sha256sum(source)
        ingest = run_child("ingest", str(source), root)
        rehash = run_child("rehash", ingest.sha256, root)
    finally:
        source.unlink(missing_ok=True)
        shutil.rmtree(root, ignore_errors=True)  # read-only files in writable directories
    if len({digest, ingest.sha256, rehash.sha256}) != 1:
        raise SystemExit(f"bench: digests differ: {digest}, {ingest.sha256}, {rehash.sha256}")
    return sum_seconds, digest, ingest, rehash


def run(size: int, directory: Path | None = None) -> list[Row]:
    """The evidence benchmark rows for a file of ``size`` bytes (and a 256 MiB one)."""
    with tempfile.TemporaryDirectory(prefix="vigil-bench-evidence-", dir=directory) as temp:
        big = measure_size(Path(temp), size)
        small = measure_size(Path(temp), SMALL_SIZE)
    return rows(size, big) + memory_rows(SMALL_SIZE, small)


def rows(size: int, measured: tuple[float, str, ChildRun, ChildRun]) -> list[Row]:
    sum_seconds, _, ingest, rehash = measured
    baseline = megabytes_per_second(size, sum_seconds)
    ingested = megabytes_per_second(size, ingest.seconds)
    rehashed = megabytes_per_second(size, rehash.seconds)
    what = f"{human_size(size)} file"
    return [
        Row("sha256sum", baseline, "MB/s", "-", f"coreutils over a {what} in the page cache"),
        Row(
            "evidence ingest",
            ingested,
            "MB/s",
            ">= 90 % of sha256sum",
            f"{ingested / baseline:.0%} of sha256sum; hash + copy + fsync, "
            f"{human_size(READ_CHUNK)} chunks, {ingest.seconds:.1f} s",
        ),
        Row(
            "evidence rehash",
            rehashed,
            "MB/s",
            ">= 90 % of sha256sum",
            f"{rehashed / baseline:.0%} of sha256sum; re-read + hash, {rehash.seconds:.1f} s",
        ),
        *memory_rows(size, measured),
    ]


def memory_rows(size: int, measured: tuple[float, str, ChildRun, ChildRun]) -> list[Row]:
    ingest = measured[2]
    detail = f"whole child process; {ingest.baseline_rss / MiB:.1f} MiB before ingesting"
    return [
        Row(
            f"ingest peak RSS, {human_size(size)}",
            ingest.peak_rss / MiB,
            "MiB",
            f"< {RSS_TARGET // MiB}",
            detail,
        )
    ]


if __name__ == "__main__":
    operation, target, root = sys.argv[1:4]
    sys.exit(child(operation, target, Path(root)))
