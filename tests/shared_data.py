"""The team's shared real-world data (POSLog samples, UCI Online Retail, video…).

It lives beside the repository (``../shared/data``), is never copied into it, and is found
through ``VIGIL_SHARED_DATA`` when set, else beside the checkout, else at the workplace's
fixed path (a CI clone may sit elsewhere). A test that needs a file fails in CI when it is
missing and skips, saying why, on a laptop without it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
CANDIDATES = (REPOSITORY.parent / "shared" / "data", Path("/work/shared/data"))


def shared_root() -> Path | None:
    configured = os.environ.get("VIGIL_SHARED_DATA")
    if configured:
        return Path(configured)
    return next((folder for folder in CANDIDATES if folder.is_dir()), None)


def shared_data(relative: str) -> Path:
    """``relative`` under the shared data folder; fail in CI, skip elsewhere, when missing."""
    root = shared_root()
    path = root / relative if root is not None else Path("shared/data") / relative
    if root is None or not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"shared test data missing in CI: {path} (set VIGIL_SHARED_DATA)")
        pytest.skip(f"shared test data not found: {path} (set VIGIL_SHARED_DATA)")
    return path
