"""Rich output for management commands, written to the command's own stdout."""

from typing import IO, cast

from django.core.management.base import BaseCommand
from rich.console import Console


def console_for(command: BaseCommand) -> Console:
    """A Rich console that writes where Django's ``self.stdout`` does (tests capture it)."""
    return Console(file=cast(IO[str], command.stdout), highlight=False, soft_wrap=True)
