"""``vigil serve``: the web server (gunicorn) and the task worker, stopped together."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from rich.console import Console

from vigil.core.management.output import console_for

STOP_GRACE_SECONDS = 10


class Command(BaseCommand):
    help = "Serve Vigil on http://HOST:PORT with the background-task worker; Ctrl-C stops both."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="Address to bind (default 127.0.0.1)"
        )
        parser.add_argument(
            "--port", type=int, default=None, help="Port (default VIGIL_PORT or 8000)"
        )
        parser.add_argument("--workers", type=int, default=2, help="Web server processes")
        parser.add_argument("--no-worker", action="store_true", help="Do not start the task worker")

    def handle(self, *args: Any, **options: Any) -> None:
        self._check_database()
        # Collected files get far-future cache headers from WhiteNoise.
        call_command("collectstatic", interactive=False, verbosity=0)
        port = options["port"] or settings.VIGIL_PORT
        bind = f"{options['host']}:{port}"
        web = subprocess.Popen(self._gunicorn(bind, options["workers"]))  # noqa: S603 - own argv
        processes = {"web server": web}
        if not options["no_worker"]:
            worker = [sys.executable, "-m", "vigil.cli", "worker", "--no-startup-delay"]
            processes["task worker"] = subprocess.Popen(worker)  # noqa: S603 - our own argv
        console = console_for(self)
        console.print(f"[bold]Vigil is running[/bold]: open http://{bind}/  (Ctrl-C stops it)")
        console.print(f"Data directory: {settings.DATA_DIR}")
        self._supervise(processes, console)

    def _check_database(self) -> None:
        try:
            connection.ensure_connection()
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as exc:
            raise CommandError(
                f"cannot reach the database: {exc}".splitlines()[0], returncode=2
            ) from None
        if pending:
            raise CommandError(
                f"{len(pending)} database migration(s) not applied: run `vigil migrate` first",
                returncode=2,
            )

    def _gunicorn(self, bind: str, workers: int) -> list[str]:
        return [
            sys.executable, "-m", "gunicorn", "vigil.wsgi:application",
            "--bind", bind,
            "--workers", str(workers),
            # Threads, so a long evidence upload (gigabytes from a phone on store Wi-Fi) is not
            # killed as a hung worker after --timeout, as a sync worker would be.
            "--worker-class", "gthread", "--threads", "4",
            "--access-logfile", "-",
            "--graceful-timeout", str(STOP_GRACE_SECONDS),
        ]  # fmt: skip

    def _supervise(self, processes: dict[str, subprocess.Popen[bytes]], console: Console) -> None:
        """Wait until Ctrl-C or until one process dies; then stop them all."""
        stopping = False

        def request_stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        failed = ""
        while not stopping and not failed:
            for name, process in processes.items():
                if process.poll() is not None:
                    failed = f"the {name} stopped (exit status {process.returncode})"
            time.sleep(0.2)
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
        if failed:
            raise CommandError(f"{failed}; Vigil stopped", returncode=1)
        console.print("Vigil stopped.")
