from __future__ import annotations

from pathlib import Path

import pytest

from tests.shared_data import shared_data
from vigil.engines.video import models


@pytest.fixture(scope="session")
def fastestdet(tmp_path_factory: pytest.TempPathFactory) -> models.InstalledModel:
    """The shared FastestDet model, installed the way an operator does (``--from``)."""
    folder = tmp_path_factory.mktemp("models")
    return models.install("fastestdet", str(shared_data("models/FastestDet.onnx")), folder=folder)


@pytest.fixture
def models_home(fastestdet: models.InstalledModel, monkeypatch: pytest.MonkeyPatch) -> Path:
    """VIGIL_DATA_DIR pointing at the folder where FastestDet is installed."""
    monkeypatch.setenv("VIGIL_DATA_DIR", str(fastestdet.path.parent.parent))
    return fastestdet.path.parent
