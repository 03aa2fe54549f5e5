"""Settings come from the environment; a bad value stops start-up with one clear line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from vigil import config
from vigil.config import ConfigError


def test_defaults_work_on_a_laptop(tmp_path: Path) -> None:
    parsed = config.from_environ({"VIGIL_DATA_DIR": str(tmp_path)})
    assert parsed.database["ENGINE"] == "django.db.backends.sqlite3"
    assert parsed.database["NAME"] == str(tmp_path / "vigil.sqlite3")
    assert parsed.debug is False
    assert parsed.port == 8000


def test_postgres_url_is_parsed() -> None:
    parsed = config.from_environ({"DATABASE_URL": "postgres://vigil@db.example:5433/vigil"})
    assert parsed.database["ENGINE"] == "django.db.backends.postgresql"
    assert parsed.database["NAME"] == "vigil"
    assert parsed.database["PORT"] == 5433


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "nonsense"),
        ("DATABASE_URL", "mysql://root@localhost/vigil"),
        ("DEBUG", "perhaps"),
        ("VIGIL_PORT", "eighty"),
        ("VIGIL_PORT", "70000"),
        ("SECRET_KEY", "short"),
        ("ALLOWED_HOSTS", " , "),
        ("CSRF_TRUSTED_ORIGINS", "vigil.example.com"),
        ("VIGIL_TRUSTED_PROXY_HOPS", "many"),
    ],
)
def test_bad_values_name_the_variable(variable: str, value: str) -> None:
    with pytest.raises(ConfigError) as failure:
        config.from_environ({variable: value})
    assert failure.value.variable == variable


def test_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    parsed = config.from_environ({"VIGIL_DATA_DIR": str(tmp_path)})
    first = config.secret_key(parsed)
    assert len(first) >= 50
    assert config.secret_key(parsed) == first
    assert (tmp_path / config.SECRET_KEY_FILE).stat().st_mode & 0o077 == 0


def test_bad_database_url_stops_vigil_serve_with_one_line_and_status_2(tmp_path: Path) -> None:
    env = os.environ | {"DATABASE_URL": "nonsense", "VIGIL_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "vigil.cli", "serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "DATABASE_URL" in lines[0] and "nonsense" in lines[0]
