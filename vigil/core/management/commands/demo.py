"""``vigil demo``: migrate and seed the demo retailer; safe to run again and again."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from rich.table import Table

from vigil.audits import demo as audits_demo
from vigil.cases import demo as investigations_demo
from vigil.core import demo
from vigil.core.management.output import console_for
from vigil.pos import demo as pos_demo
from vigil.safety import demo as safety_demo
from vigil.shrink.models import Hotspot
from vigil.training import demo as training_demo
from vigil.twofactor import demo as twofactor_demo
from vigil.video import demo as video_demo


class Command(BaseCommand):
    help = "Migrate the database and seed the demo retailer (idempotent), then list demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self)
        call_command("migrate", interactive=False, verbosity=0)
        with console.status("Seeding the demo retailer…"):
            summary = demo.seed()
            twofactor_demo.seed()  # the demo logins sign in with the password alone
        with console.status("Seeding demo investigations and evidence…"):
            cases = investigations_demo.seed()
        console.print(
            f"Demo retailer [bold]{summary.organisation}[/bold]: {summary.regions} regions, "
            f"{summary.stores} stores, {summary.people} people "
            f"({summary.created} records created this run)."
        )
        if cases:
            console.print(f"Demo investigations: {cases} cases with incidents and evidence.")
        with console.status("Walking a month of floor audits…"):
            floor_walks = audits_demo.seed()
        if floor_walks:
            console.print(f"Demo floor walks: {floor_walks} over the last month, with findings.")
        with console.status("Recording last week's medical emergency and two hazards…"):
            if safety_demo.seed():
                console.print(
                    "Demo safety: one emergency with its timeline and review, two hazards."
                )
        with console.status("Assigning training…"):
            assigned = training_demo.seed()
        if assigned:
            console.print(f"Demo training: {assigned} assignments, about two in three done.")
        with console.status("Running the demo cameras' footage through the video pipeline…"):
            camera_alerts = video_demo.seed()
        if camera_alerts:
            console.print(f"Demo cameras at S101: {camera_alerts} alerts in the feed.")
        # Last: the shrink analysis that follows the scan reads the walks, alerts and thefts.
        with console.status("Generating and scanning a quarter of POS data and counts…"):
            exceptions = pos_demo.seed()
        if exceptions:
            console.print(f"Demo POS quarter scanned: {exceptions:,} exceptions to review.")
            top = Hotspot.objects.order_by("-analysis__created_at", "rank").first()
            if top is not None:
                console.print(
                    f"Demo shrink: top hot spot {top.department} at {top.store.code}, "
                    f"{top.shrink_rate:.1%} vs {top.chain_rate:.1%} chain-wide."
                )
        table = Table(title="Demo logins (password for all: shown below)")
        for column in ("Username", "Role", "Sees"):
            table.add_column(column)
        for login in summary.logins:
            table.add_row(login.username, login.role, login.scope)
        console.print(table)
        console.print(f"Demo password: [bold]{summary.password}[/bold]")
        console.print(
            "Two-factor sign-in is waived for these demo logins only (clear it on the "
            "Two-factor policy page before real use); every other user follows the policy."
        )
