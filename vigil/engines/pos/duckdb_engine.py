"""Running the rules on DuckDB, in process: the default engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vigil.engines.pos import loading
from vigil.engines.pos.facts import period_view
from vigil.engines.pos.loading import Progress
from vigil.engines.pos.rules import BASE_VIEWS, Rule


class DuckDBEngine:
    """A checked data set in DuckDB, locked down before any rule runs."""

    name = "duckdb"

    def __init__(
        self,
        folder: Path,
        *,
        first_day: str | None = None,
        last_day: str | None = None,
        progress: Progress | None = None,
        threads: int | None = None,
    ) -> None:
        self.data = loading.load(folder, progress=progress, threads=threads)
        self.rows = dict(self.data.rows)
        connection = self.data.connection
        for view in BASE_VIEWS:
            # Materialised once: every rule reads tx, and a view would redo the tender sums.
            connection.execute(view.replace("TEMPORARY VIEW", "TEMPORARY TABLE", 1))
        connection.execute(period_view(first_day, last_day))
        # From here on, SQL can read the loaded tables and nothing else: no files, no
        # network, no extensions, and no way to switch that back on.
        connection.execute("SET enable_external_access = false")
        connection.execute("SET lock_configuration = true")

    def query(self, sql: str) -> list[dict[str, Any]]:
        cursor = self.data.connection.execute(sql)
        names = [column[0] for column in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def run_rule(self, rule: Rule, overrides: dict[str, str] | None = None) -> list[dict[str, Any]]:
        return self.query(rule.wrapped(overrides))

    def close(self) -> None:
        self.data.connection.close()
