"""Installing detector models: from a file, checked against a SHA-256, never half-installed."""

from __future__ import annotations

import hashlib

import pytest

from tests.shared_data import shared_data
from vigil.engines.video import models
from vigil.engines.video.config import DetectorConfig
from vigil.engines.video.detector import MotionOnly
from vigil.engines.video.errors import ModelError


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_install_from_a_file_records_its_hash_and_family(tmp_path):
    source = shared_data("models/FastestDet.onnx")
    model = models.install("fastestdet", str(source), sha256=sha256(source), folder=tmp_path)
    assert model.path == tmp_path / "fastestdet.onnx"
    assert model.sha256 == sha256(source)
    assert model.family == "fastestdet"
    assert model.labels[0] == "person" and len(model.labels) == 80
    assert [m.name for m in models.installed(tmp_path)] == ["fastestdet"]
    assert models.verify(model)


def test_a_wrong_hash_installs_nothing(tmp_path):
    source = shared_data("models/FastestDet.onnx")
    with pytest.raises(ModelError, match=r"SHA-256 is .* expected 0000"):
        models.install("fastestdet", str(source), sha256="0" * 64, folder=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_is_not_a_model_installs_nothing(tmp_path):
    junk = tmp_path / "junk.onnx"
    junk.write_bytes(b"not a model")
    folder = tmp_path / "models"
    with pytest.raises(ModelError, match="is not a loadable ONNX model"):
        models.install("junk", str(junk), folder=folder)
    assert list(folder.iterdir()) == []


def test_a_url_needs_a_hash_before_anything_is_fetched(tmp_path):
    with pytest.raises(ModelError, match="needs --sha256"):
        models.install("remote", "https://127.0.0.1:9/model.onnx", folder=tmp_path)


def test_names_are_plain(tmp_path):
    with pytest.raises(ModelError, match="lower-case letters"):
        models.install("../evil", "x.onnx", folder=tmp_path)


def test_a_changed_model_file_is_refused_at_load(tmp_path):
    source = shared_data("models/FastestDet.onnx")
    model = models.install("fastestdet", str(source), folder=tmp_path)
    model.path.chmod(0o644)
    with model.path.open("ab") as handle:
        handle.write(b"\0")
    with pytest.raises(ModelError, match="no longer matches its SHA-256"):
        models.detector_for(DetectorConfig(model="fastestdet"), folder=tmp_path)


def test_an_unknown_model_name_lists_what_is_installed(tmp_path):
    with pytest.raises(ModelError, match=r"no installed model named 'yolo' \(installed: none"):
        models.detector_for(DetectorConfig(model="yolo"), folder=tmp_path)


def test_motion_needs_no_model(tmp_path):
    assert isinstance(models.detector_for(DetectorConfig(model="motion"), tmp_path), MotionOnly)


def test_the_models_command_installs_and_lists(tmp_path, monkeypatch, capsys):
    from vigil.cli import main

    monkeypatch.setenv("VIGIL_DATA_DIR", str(tmp_path))
    assert main(["video", "models"]) == 0
    assert "cameras run motion-only" in capsys.readouterr().out
    source = shared_data("models/FastestDet.onnx")
    assert main(["video", "models", "install", "fastestdet", "--from", str(source)]) == 0
    assert f"installed fastestdet: {tmp_path / 'models' / 'fastestdet.onnx'}" in (
        capsys.readouterr().out
    )
    assert main(["video", "models"]) == 0
    listing = capsys.readouterr().out
    assert "fastestdet" in listing and sha256(source)[:16] in listing
    assert main(["video", "models", "install", "bad", "--from", str(tmp_path / "none")]) == 2
    assert "no such file" in capsys.readouterr().err
