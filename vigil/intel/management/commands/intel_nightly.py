"""``vigil intel nightly``: link the incidents of every region, across regions (run nightly).

The run after each new incident links that store's region; this one links everything, so a
crew working stores of two regions is one network. It runs here, in this process, and prints
what it found; it exits 1 when the linking engine fails or is missing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vigil.core.context import acting_as, actor_for_user
from vigil.core.management.output import console_for
from vigil.core.models import Region, User
from vigil.intel import runs
from vigil.intel.tasks import summary


class Command(BaseCommand):
    help = "Link people, vehicles and incidents of every region (run nightly)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--region", default="", help="Link only this region (its code) instead of all"
        )
        parser.add_argument("--engine", default="duckdb", choices=("duckdb", "spark"))
        parser.add_argument("--as", dest="username", default="", help="Who the audit log names")

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self)
        region = None
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(f"no region {options['region']!r}", returncode=2)
        user = None
        if options["username"]:
            user = User.objects.filter(username=options["username"], is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {options['username']!r}", returncode=2)
        with acting_as(actor_for_user(user, via="cli")):
            try:
                run = runs.link_region(region, engine=options["engine"])
            except (runs.EngineMissing, runs.LinkingRefused) as missing:
                raise CommandError(str(missing), returncode=1) from missing
        console.print(summary(run), highlight=False)
