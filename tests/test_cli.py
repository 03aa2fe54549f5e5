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
