"""``vigil shrink …``: the shrink engine's command line, which needs no database and no Django."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from vigil.engines.commandline import EngineCommands
from vigil.engines.pos.errors import ContractError

COMMANDS = EngineCommands(
    prog="vigil shrink",
    subcommands={
        "scan": (
            "vigil.engines.shrink.scanning",
            "Shrink by store, department and item; hot spots",
        ),
    },
    input_error=ContractError,
)


def main(argv: Sequence[str] | None = None) -> int:
    return COMMANDS.main(argv)


if __name__ == "__main__":
    sys.exit(main())
