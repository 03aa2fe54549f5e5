"""Spark for the engine tests: Java 17 and PySpark from the dev dependencies.

Without them a Spark test fails in CI (CI must have them) and is skipped elsewhere, with
what is missing."""

from __future__ import annotations

import os
import shutil

import pytest


def spark_or_skip() -> None:
    missing = []
    try:
        import pyspark  # noqa: F401
    except ImportError:
        missing.append("pyspark")
    if shutil.which("java") is None:
        missing.append("java")
    if missing:
        message = f"Spark needs {' and '.join(missing)}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
