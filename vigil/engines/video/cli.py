"""``vigil video …``: the video engine's command line, which needs no database and no Django."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from vigil.engines.commandline import EngineCommands
from vigil.engines.video.errors import VideoInputError

COMMANDS = EngineCommands(
    prog="vigil video",
    subcommands={
        "analyze": ("vigil.engines.video.analyze", "Analyse a recorded video file (zones, rules)"),
        "models": ("vigil.engines.video.models_cli", "List or install detector models"),
        "worker": ("vigil.engines.video.worker", "Watch live cameras and send events to the app"),
    },
    input_error=VideoInputError,
)


def main(argv: Sequence[str] | None = None) -> int:
    return COMMANDS.main(argv)


if __name__ == "__main__":
    sys.exit(main())
