"""``vigil pos …``: the POS engine's command line, which needs no database and no Django."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from vigil.engines.commandline import EngineCommands
from vigil.engines.pos.errors import ContractError

COMMANDS = EngineCommands(
    prog="vigil pos",
    subcommands={
        "scan": (
            "vigil.engines.pos.scanning",
            "Run the exception rules and rank employees and stores",
        ),
        "generate": (
            "vigil.engines.pos.generator",
            "Generate a realistic data set with planted schemes",
        ),
        "convert": ("vigil.engines.pos.converters", "Convert POSLog XML or a mapped CSV export"),
    },
    input_error=ContractError,
)


def main(argv: Sequence[str] | None = None) -> int:
    return COMMANDS.main(argv)


if __name__ == "__main__":
    sys.exit(main())
