"""The ``vigil`` command: everything operational, on top of Django's management commands.

``vigil audit verify`` runs the management command ``audit_verify``, and so on; each command
defines its own options once, in its management command. Later apps add their lines to
``COMMANDS``. A bad setting (see ``vigil.config``) prints one line and exits with status 2.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from vigil.config import ConfigError

EXIT_CONFIG = 2


@dataclass(frozen=True)
class Command:
    words: tuple[str, ...]
    management_command: str
    help: str
    # ``module:function`` taking the remaining arguments: for engine commands that must run
    # on files alone, without Django or a database.
    entry: str = ""


COMMANDS: tuple[Command, ...] = (
    Command(("serve",), "serve", "Run the web server and the background-task worker"),
    Command(("worker",), "worker", "Run only the background-task worker"),
    Command(("demo",), "demo", "Migrate and seed the demo retailer (safe to repeat)"),
    Command(("migrate",), "migrate", "Apply database migrations"),
    Command(("createuser",), "createuser", "Create a login with a role and store scope"),
    Command(("audit", "verify"), "audit_verify", "Re-compute the audit log's hash chain"),
    Command(
        ("evidence", "verify"),
        "evidence_verify",
        "Re-hash stored evidence and check every custody chain",
    ),
    Command(
        ("cases", "remind"), "cases_remind", "Send reminders for case tasks due and court dates"
    ),
    Command(
        ("retention", "run"),
        "retention_run",
        "Purge records past their retention period, never held ones (run daily; --dry-run)",
    ),
    Command(
        ("safety", "osha-export"),
        "safety_osha_export",
        "Write OSHA ITA files (300A summary, case data) for a year",
    ),
    Command(("training", "remind"), "training_remind", "Remind associates of overdue training"),
    Command(
        ("reports", "monthly"),
        "reports_monthly",
        "E-mail last month's executive summary to its readers (run daily)",
    ),
    Command(
        ("pos", "nightly"),
        "pos_nightly",
        "Import and scan new POS data sets from the inbox (run nightly)",
    ),
    Command(
        ("intel", "nightly"),
        "intel_nightly",
        "Link people, vehicles and incidents of every region (run nightly)",
    ),
    Command(
        ("pos",),
        "",
        "POS engine: scan, generate, convert (no database needed)",
        entry="vigil.engines.pos.cli:main",
    ),
    Command(
        ("shrink",),
        "",
        "Shrink engine: scan a data set's inventory counts (no database needed)",
        entry="vigil.engines.shrink.cli:main",
    ),
    Command(
        ("intel",),
        "",
        "ORC intelligence engine: link, generate (no database needed)",
        entry="vigil.engines.intel.cli:main",
    ),
    Command(
        ("video", "listen"),
        "video_listen",
        "Take camera events (workers, Frigate, EAS) from the MQTT broker",
    ),
    Command(
        ("video", "import-eas"),
        "video_import_eas",
        "Turn a POS data set's EAS alarms into alerts",
    ),
    Command(
        ("video",),
        "",
        "Video engine: analyze, models, worker (no database needed)",
        entry="vigil.engines.video.cli:main",
    ),
    Command(
        ("search", "reindex"),
        "search_reindex",
        "Rebuild the search index from the records (after a restore or a bulk load)",
    ),
    Command(("collectstatic",), "collectstatic", "Copy static files for a front web server"),
    Command(("manage",), "", "Run any Django management command (advanced)"),
)


def usage() -> str:
    width = max(len(" ".join(c.words)) for c in COMMANDS) + 2
    lines = [
        "usage: vigil COMMAND [OPTIONS]   (vigil COMMAND --help for its options)",
        "",
        "Vigil, the loss-prevention platform. Commands:",
    ]
    lines += [f"  {' '.join(c.words):<{width}}{c.help}" for c in COMMANDS]
    lines += [
        "",
        "Settings come from the environment: VIGIL_DATA_DIR (default ./var), DATABASE_URL,",
        "SECRET_KEY, ALLOWED_HOSTS, DEBUG, VIGIL_PORT and more: see docs/configuration.md.",
    ]
    return "\n".join(lines)


def resolve(argv: Sequence[str]) -> tuple[Command, list[str]] | None:
    """The command named at the start of ``argv`` (longest match) and its own arguments."""
    for command in sorted(COMMANDS, key=lambda c: -len(c.words)):
        if tuple(argv[: len(command.words)]) == command.words:
            return command, list(argv[len(command.words) :])
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    private_files(public=args[:1] == ["collectstatic"])
    try:
        code = _main(argv)
        sys.stdout.flush()  # here, not at exit, where a closed pipe could not be caught
        return code
    except BrokenPipeError:
        # The reader went away (``vigil --help | head``): say nothing more, and no traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def private_files(*, public: bool = False) -> None:
    """Everything Vigil writes (the database, evidence, uploads, data set copies) is for its
    own user only: files 0600, folders 0700, whatever the shell's umask. The static files
    ``collectstatic`` copies are the exception (``public``): a front web server reads them."""
    os.umask(0o022 if public else 0o077)


def _main(argv: Sequence[str] | None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    found = resolve(args)
    if found is None:
        print(f"vigil: unknown command {' '.join(args[:2])!r}\n\n{usage()}", file=sys.stderr)
        return EXIT_CONFIG
    command, rest = found
    if command.entry:
        return _run_engine(command.entry, rest)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigil.settings")
    try:
        import django

        django.setup()
    except ConfigError as exc:
        print(f"vigil: bad setting {exc}", file=sys.stderr)
        return EXIT_CONFIG
    return _run(command, rest)


def _run(command: Command, rest: list[str]) -> int:
    from django.core.management import ManagementUtility, get_commands, load_command_class

    from vigil.core.context import Actor, acting_as

    actor = Actor(username=f"cli:{_os_user()}", via="cli")
    with acting_as(actor):
        if not command.management_command:
            ManagementUtility(["vigil manage", *rest]).execute()
            return 0
        app = get_commands()[command.management_command]
        handler = load_command_class(app, command.management_command)
        handler.run_from_argv(["vigil", " ".join(command.words), *rest])
    return 0


def _run_engine(entry: str, rest: list[str]) -> int:
    import importlib

    module_name, function_name = entry.split(":")
    function = getattr(importlib.import_module(module_name), function_name)
    return int(function(rest))


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


if __name__ == "__main__":
    sys.exit(main())
