"""The ORC intelligence engine: which subject records are one person, which vehicle records
one vehicle, and which incidents one crew's network, from messy incident extracts.

Plain Python with Splink on DuckDB (or Spark), no Django: it runs from the command line on
files alone (``vigil intel link``), and the web app calls :func:`link` the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vigil.engines.intel.decisions import Decisions

__all__ = ["link"]


def link(
    data_dir: Path,
    engine: str = "duckdb",
    min_probability: float | None = None,
    decisions: Decisions | None = None,
) -> dict[str, Any]:
    """Link the extract in ``data_dir``: the contract's JSON result as a dict.

    Raises :class:`vigil.engines.intel.contract.ContractError` for an extract that does not
    fit the contract (nothing is written either way).
    """
    from vigil.engines.intel.engine import link as run_link

    return run_link(data_dir, engine, min_probability, decisions)
