"""``vigil pos …``: the POS engine's command line, which needs no database and no Django.

Each subcommand lives in the module named for it and offers ``add_arguments(parser)`` and
``run(args, console) -> int``. Bad input (:class:`ContractError`) prints where it is and
exits 2; anything else unexpected exits 1.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from rich.console import Console

from vigil.engines.pos.errors import ContractError

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 1

SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "scan": ("vigil.engines.pos.scanning", "Run the exception rules and rank employees and stores"),
    "generate": (
        "vigil.engines.pos.generator",
        "Generate a realistic data set with planted schemes",
    ),
    "convert": ("vigil.engines.pos.converters", "Convert POSLog XML or a mapped CSV export"),
}


def usage() -> str:
    width = max(len(name) for name in SUBCOMMANDS) + 2
    lines = ["usage: vigil pos COMMAND [OPTIONS]   (vigil pos COMMAND --help)", "", "Commands:"]
    lines += [f"  {name:<{width}}{text}" for name, (_, text) in SUBCOMMANDS.items()]
    return "\n".join(lines)


def parser_for(name: str) -> argparse.ArgumentParser:
    """The parser of one subcommand; only its module is imported (``scan`` loads DuckDB,
    ``convert`` does not need it)."""
    module_name, help_text = SUBCOMMANDS[name]
    module = importlib.import_module(module_name)
    parser = argparse.ArgumentParser(prog=f"vigil pos {name}", description=help_text)
    module.add_arguments(parser)
    parser.set_defaults(module=module, command=name)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or arguments[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    if arguments[0] not in SUBCOMMANDS:
        print(f"vigil pos: unknown command {arguments[0]!r}\n\n{usage()}", file=sys.stderr)
        return EXIT_BAD_INPUT
    args = parser_for(arguments[0]).parse_args(arguments[1:])
    console = Console(highlight=False, soft_wrap=True)
    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        return int(args.module.run(args, console))
    except ContractError as error:
        errors.print(f"vigil pos {args.command}: bad input: {error}", markup=False)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        errors.print("interrupted")
        return EXIT_INTERNAL
    except Exception as error:
        if os.environ.get("VIGIL_DEBUG"):
            raise
        errors.print(
            f"vigil pos {args.command}: internal error: {type(error).__name__}: {error} "
            "(run again with VIGIL_DEBUG=1 for the traceback)",
            markup=False,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
