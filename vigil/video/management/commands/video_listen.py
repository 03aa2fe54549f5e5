"""``vigil video listen --as USER [--frigate-store CODE]``: take camera events from MQTT.

Runs until stopped (a systemd service beside ``vigil serve``). The broker is
``VIGIL_MQTT_URL`` (``mqtt://[user:password@]host[:port]``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vigil.core.context import acting_as, actor_for_user
from vigil.core.models import Store, User
from vigil.video.listener import Listener, connect


class Command(BaseCommand):
    help = "Take Vigil worker, Frigate and EAS messages from the MQTT broker (runs until stopped)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--as", dest="username", required=True,
            help="The login messages are recorded as (needs the record capability and the stores)",
        )  # fmt: skip
        parser.add_argument(
            "--frigate-store", default="",
            help="Store code for Frigate cameras not yet known to Vigil",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.MQTT_URL:
            raise CommandError("VIGIL_MQTT_URL is not set (mqtt://host:1883)", returncode=2)
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['username']!r}", returncode=2)
        store = None
        if options["frigate_store"]:
            store = Store.objects.visible_to(user).filter(code=options["frigate_store"]).first()
            if store is None:
                raise CommandError(f"no store {options['frigate_store']!r} in scope", returncode=2)
        with acting_as(actor_for_user(user, via="cli")):
            try:
                client = connect(settings.MQTT_URL, Listener(user, store))
            except OSError as error:
                raise CommandError(f"cannot reach the broker: {error}", returncode=1) from None
            self.stdout.write(f"listening on {settings.MQTT_URL.split('@')[-1]}")
            try:
                client.loop_forever()
            except KeyboardInterrupt:
                client.disconnect()
