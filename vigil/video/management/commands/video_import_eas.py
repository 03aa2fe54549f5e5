"""``vigil video import-eas --as USER [--data-set ID]``: a POS data set's EAS alarms as alerts.

Each alarm gets the priority the live intake would give it (no completed sale at the store
in the five minutes before → high). Without ``--data-set``, the newest data set is used.
Safe to repeat.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vigil.core.context import acting_as, actor_for_user
from vigil.core.models import User
from vigil.pos.models import DataSet
from vigil.video.sources import import_eas_table


class Command(BaseCommand):
    help = "Turn a POS data set's eas_alarms table into EAS alerts (safe to repeat)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--as", dest="username", required=True, help="Who records them")
        parser.add_argument("--data-set", type=int, help="The data set's id (default: newest)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['username']!r}", returncode=2)
        found = DataSet.objects.visible_to(user).order_by("-created_at")
        if options["data_set"]:
            found = found.filter(pk=options["data_set"])
        data_set = found.first()
        if data_set is None:
            raise CommandError("no such data set in your stores", returncode=2)
        with acting_as(actor_for_user(user, via="cli")):
            count = import_eas_table(user, data_set)
        self.stdout.write(f"{data_set}: {count} EAS alarm(s) in the alert feed")
