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
