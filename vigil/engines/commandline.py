"""The shape every engine command line shares (``vigil pos …``, ``vigil video …``).

Engines run without Django or a database, so their commands are plain argparse. Each
subcommand lives in the module named for it and offers ``add_arguments(parser)`` and
``run(args, console) -> int``; only the module of the subcommand asked for is imported (a
scan loads DuckDB, a conversion does not). Bad input, an exception of the engine's own input
error class, prints where it is and exits 2; anything else unexpected exits 1.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 1


@dataclass(frozen=True)
class EngineCommands:
    prog: str  # "vigil pos"
    subcommands: dict[str, tuple[str, str]]  # name -> (module, one line of help)
    input_error: type[Exception]

    def usage(self) -> str:
        width = max(len(name) for name in self.subcommands) + 2
        lines = [f"usage: {self.prog} COMMAND [OPTIONS]   ({self.prog} COMMAND --help)", ""]
        lines += ["Commands:"]
        lines += [f"  {name:<{width}}{text}" for name, (_, text) in self.subcommands.items()]
        return "\n".join(lines)

    def parser_for(self, name: str) -> argparse.ArgumentParser:
        module_name, help_text = self.subcommands[name]
        module = importlib.import_module(module_name)
        parser = argparse.ArgumentParser(prog=f"{self.prog} {name}", description=help_text)
        module.add_arguments(parser)
        parser.set_defaults(module=module, command=name)
        return parser

    def main(self, argv: Sequence[str] | None = None) -> int:
        arguments = list(sys.argv[1:] if argv is None else argv)
        if not arguments or arguments[0] in {"-h", "--help", "help"}:
            print(self.usage())
            return 0
        if arguments[0] not in self.subcommands:
            print(
                f"{self.prog}: unknown command {arguments[0]!r}\n\n{self.usage()}",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        args = self.parser_for(arguments[0]).parse_args(arguments[1:])
        console = Console(highlight=False, soft_wrap=True)
        errors = Console(stderr=True, highlight=False, soft_wrap=True)
        try:
            return int(args.module.run(args, console))
        except self.input_error as error:
            errors.print(f"{self.prog} {args.command}: bad input: {error}", markup=False)
            return EXIT_BAD_INPUT
        except KeyboardInterrupt:
            errors.print("interrupted")
            return EXIT_INTERNAL
        except Exception as error:
            if os.environ.get("VIGIL_DEBUG"):
                raise
            errors.print(
                f"{self.prog} {args.command}: internal error: {type(error).__name__}: {error} "
                "(run again with VIGIL_DEBUG=1 for the traceback)",
                markup=False,
            )
            return EXIT_INTERNAL
