"""The `vigil` command maps its words onto management commands."""

from __future__ import annotations

from typing import Any

from vigil import cli


def test_it_resolves_the_longest_command() -> None:
    found = cli.resolve(["audit", "verify", "--no-record"])
    assert found is not None
    command, rest = found
    assert command.management_command == "audit_verify"
    assert rest == ["--no-record"]


def test_unknown_command_exits_2(capsys: Any) -> None:
    assert cli.main(["frobnicate"]) == 2
    assert "unknown command" in capsys.readouterr().err


def test_help_lists_every_command(capsys: Any) -> None:
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in cli.COMMANDS:
        assert " ".join(command.words) in out


def test_createuser_makes_a_scoped_login(db: Any, monkeypatch: Any) -> None:
    import io

    from django.core.management import call_command

    from vigil.core.models import Organisation, Region, Store, User

    region = Region.objects.create(organisation=Organisation.objects.create(name="O"), code="R")
    Store.objects.create(region=region, code="S9", name="Nine", timezone="UTC")
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough passphrase\n"))
    call_command(
        "createuser", "night.officer", "--role", "lp_officer", "--stores", "S9", "--password-stdin"
    )
    user = User.objects.get(username="night.officer")
    assert user.check_password("a long enough passphrase")
    assert list(user.stores.values_list("code", flat=True)) == ["S9"]


def _vigil() -> str:
    import sys
    from pathlib import Path

    return str(Path(sys.executable).with_name("vigil"))


def test_help_into_a_reader_that_goes_away_prints_no_traceback() -> None:
    import subprocess

    running = subprocess.Popen([_vigil(), "--help"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert running.stdout is not None and running.stderr is not None
    running.stdout.close()  # as `| head` does once it has its lines
    errors = running.stderr.read().decode()
    assert running.wait(timeout=60) == 0
    assert "Traceback" not in errors and "BrokenPipe" not in errors


def test_what_vigil_writes_in_its_data_directory_is_its_own_users_alone(tmp_path: Any) -> None:
    import os
    import stat
    import subprocess

    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["VIGIL_DATA_DIR"] = str(tmp_path / "var")
    done = subprocess.run([_vigil(), "migrate"], env=env, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    database = tmp_path / "var" / "vigil.sqlite3"
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    for path in (tmp_path / "var").rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path.name} is {oct(mode)}"
