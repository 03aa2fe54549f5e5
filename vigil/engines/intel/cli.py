"""``vigil intel …``: the ORC intelligence engine's command line (no database, no Django)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from vigil.engines.commandline import EngineCommands
from vigil.engines.intel.contract import ContractError

COMMANDS = EngineCommands(
    prog="vigil intel",
    subcommands={
        "link": (
            "vigil.engines.intel.engine",
            "Link people, vehicles and incidents across stores in an incident extract",
        ),
        "generate": (
            "vigil.engines.intel.generator",
            "Generate a realistic incident extract with crews, look-alikes and an answer key",
        ),
    },
    input_error=ContractError,
)


def main(argv: Sequence[str] | None = None) -> int:
    return COMMANDS.main(argv)


if __name__ == "__main__":
    sys.exit(main())
