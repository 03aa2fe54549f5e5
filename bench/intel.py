"""The intel engine benchmark: ``python -m bench.intel [--incidents 46000] [--engine duckdb]``.

Generates an extract of about 100,000 subject records and 30,000 vehicle records (46,000
incidents), then links it in a child process pinned to two cores, so the time and the peak
memory are the link's own. Target (issue 17): at most 60 s and 4 GiB on DuckDB; Spark
local[2] is reported. The extract is generated once and reused from ``--dir``.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CORES = 2
CHILD = """
import os, sys, time
os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[:{cores}]))
from vigil.engines.intel import link
started = time.monotonic()
result = link(sys.argv[1], engine=sys.argv[2])
print(time.monotonic() - started, len(result["people"]), len(result["vehicles"]),
      len(result["networks"]))
"""


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.intel")
    parser.add_argument("--incidents", type=int, default=46_000)
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "bench-intel")
    args = parser.parse_args()
    extract = args.dir / f"extract-{args.incidents}"
    if not (extract / "subjects.csv").exists():
        from vigil.engines.intel.generator import generate

        generate(extract, args.dir / f"truth-{args.incidents}.json", seed=11,
                 incidents=args.incidents)  # fmt: skip
    subjects = sum(1 for _ in (extract / "subjects.csv").open()) - 1
    vehicles = sum(1 for _ in (extract / "vehicles.csv").open()) - 1
    started = time.monotonic()
    child = subprocess.run(
        [sys.executable, "-c", CHILD.format(cores=CORES), str(extract), args.engine],
        capture_output=True, text=True, check=False, env={**os.environ, "PYTHONHASHSEED": "0"},
    )  # fmt: skip
    if child.returncode != 0:
        sys.exit(
            f"{args.engine}: the link failed (exit {child.returncode}):\n{child.stderr[-3000:]}"
        )
    wall = time.monotonic() - started
    link_s, people, cars, networks = child.stdout.split()[-4:]
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2
    print(
        f"{args.engine}: {subjects:,} subject records, {vehicles:,} vehicle records on {CORES} "
        f"cores: link {float(link_s):.1f} s (process {wall:.1f} s), peak {peak:.2f} GiB; "
        f"{int(people):,} people, {int(cars):,} vehicles, {int(networks):,} networks"
    )


if __name__ == "__main__":
    main()
