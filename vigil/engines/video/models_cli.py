"""``vigil video models [list | install NAME --from PATH_OR_URL [--sha256 HEX] [--labels F]]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from vigil.engines.video import models


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action")
    actions.add_parser("list", help="the installed models (the default)")
    install = actions.add_parser("install", help="install a model from a file or a URL")
    install.add_argument("name", help="the name configs will use, e.g. fastestdet")
    install.add_argument(
        "--from", dest="source", required=True, help="an ONNX file's path or an http(s) URL"
    )
    install.add_argument("--sha256", help="the expected SHA-256 (required for a URL)")
    install.add_argument("--labels", type=Path, help="class names, one a line (default: COCO)")


def run(args: argparse.Namespace, console: Console) -> int:
    if args.action == "install":
        model = models.install(args.name, args.source, args.sha256, args.labels)
        console.print(f"installed {model.name}: {model.path} (SHA-256 {model.sha256})")
        return 0
    found = models.installed()
    if not found:
        console.print(
            f"No models installed in {models.models_dir()}: cameras run motion-only. "
            "Install one with `vigil video models install NAME --from FILE`."
        )
        return 0
    for model in found:
        state = "file intact" if models.verify(model) else "FILE CHANGED since install: reinstall"
        console.print(
            f"{model.name}: {model.family} decoder, SHA-256 {model.sha256[:16]}… ({state}), "
            f"installed {model.installed_at} from {model.source}",
            markup=False,
        )
    return 0
