"""Running the same rules on Apache Spark, for data sets past one machine.

The rules are written once, in DuckDB's SQL; SQLGlot transpiles each one (and the helper
views and fact queries) to Spark SQL. The data set is checked by the same contract checks as
for DuckDB, then handed to Spark as typed Parquet (DECIMAL(18,2) amounts, UTC timestamps), so
both engines see identical tables and must give identical exceptions: the parity test holds
them to it. The master comes from ``VIGIL_SPARK_MASTER`` (``local[2]`` when unset).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import sqlglot

from vigil.engines.pos import loading
from vigil.engines.pos.contract import BY_NAME
from vigil.engines.pos.facts import period_view
from vigil.engines.pos.loading import Progress
from vigil.engines.pos.rules import BASE_VIEWS, Rule

DEFAULT_MASTER = "local[2]"
# py4j narrates every connection it opens and closes; that is not news for an LP team.
logging.getLogger("py4j").setLevel(logging.WARNING)


def to_spark(sql: str) -> str:
    """One DuckDB statement as Spark SQL."""
    return sqlglot.transpile(sql, read="duckdb", write="spark")[0]


class SparkEngine:
    """A checked data set registered as Spark views; rules run as transpiled SQL."""

    name = "spark"

    def __init__(
        self,
        folder: Path,
        *,
        first_day: str | None = None,
        last_day: str | None = None,
        progress: Progress | None = None,
    ) -> None:
        data = loading.load(folder, progress=progress)
        self.rows = dict(data.rows)
        self._staging = Path(tempfile.mkdtemp(prefix="vigil-spark-"))
        try:
            for name in BY_NAME:
                target = str(self._staging / f"{name}.parquet").replace("'", "''")
                data.connection.execute(f"COPY {name} TO '{target}' (FORMAT parquet)")
        finally:
            data.connection.close()
        if progress:
            progress("starting Spark")
        self.session = _session()
        for name in BY_NAME:
            frame = self.session.read.parquet(str(self._staging / f"{name}.parquet"))
            frame.createOrReplaceTempView(name)
        for view in BASE_VIEWS:
            self.session.sql(to_spark(view))
        self.session.sql("CACHE TABLE tx")
        self.session.sql(to_spark(period_view(first_day, last_day)))

    def query(self, sql: str) -> list[dict[str, Any]]:
        return [row.asDict() for row in self.session.sql(to_spark(sql)).collect()]

    def run_rule(self, rule: Rule, overrides: dict[str, str] | None = None) -> list[dict[str, Any]]:
        return self.query(rule.wrapped(overrides))

    def close(self) -> None:
        self.session.stop()
        shutil.rmtree(self._staging, ignore_errors=True)


def _session() -> Any:
    from pyspark.sql import SparkSession

    master = os.environ.get("VIGIL_SPARK_MASTER") or DEFAULT_MASTER
    return (
        SparkSession.builder.master(master)
        .appName("vigil-pos-scan")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.ansi.enabled", "false")
        .getOrCreate()
    )
