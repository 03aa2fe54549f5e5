"""``vigil pos nightly --as USER``: import and scan every new data set in the inbox.

Run it from cron or a systemd timer after the POS export lands in
``$VIGIL_DATA_DIR/pos/inbox/<folder>/`` (write it as ``.<folder>`` and rename it when complete:
folders whose names start with a dot are not read). A folder whose content was imported
before, under any name, is recognised by its digest and adds nothing; a folder the engine
refuses is reported (file, row, column) and the others still go through. It exits 1 when any
folder was refused, so the job's monitoring sees it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vigil.core.context import acting_as, actor_for_user
from vigil.core.management.output import console_for
from vigil.core.models import User
from vigil.pos import imports
from vigil.pos.digests import folder_signature
from vigil.pos.imports import inbox, inbox_folders
from vigil.pos.models import DataSet, ScanStatus
from vigil.pos.tasks import summary


class Command(BaseCommand):
    help = "Import and scan every inbox folder not imported yet (run nightly)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--as", dest="username", required=True,
            help="The login the imports run as (needs the investigate capability and the stores)",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self)
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['username']!r}", returncode=2)
        refused = 0
        with acting_as(actor_for_user(user, via="cli")):
            for folder in inbox_folders():
                if _untouched_since_imported(folder):
                    continue
                try:
                    data_set = imports.import_data_set(
                        user, inbox() / folder, folder, "folder", inbox_folder=folder
                    )
                    scan = imports.scan_data_set(data_set, user)
                except imports.AlreadyImported as seen:
                    console.print(f"[dim]{folder}: {seen}[/dim]", markup=True, highlight=False)
                    continue
                except imports.ImportRefused as refusal:
                    refused += 1
                    console.print(f"[red]refused[/red] {folder}: {refusal}", markup=True)
                    continue
                console.print(summary(data_set, scan), highlight=False)
        if refused:
            raise CommandError(f"{refused} folder(s) refused", returncode=1)


def _untouched_since_imported(folder: str) -> bool:
    """A folder imported and scanned before, its files as they were then (names, sizes,
    dates): not even hashed again, so last month's folders cost nothing each night. Any
    change, and the folder is hashed, and imported if its content is new; a folder whose
    import died before its scan finished is taken up again."""
    imported = DataSet.objects.filter(
        inbox_folder=folder, scans__status=ScanStatus.DONE
    ).values_list("source_signature", flat=True)
    signatures = set(imported)
    return bool(signatures) and folder_signature(inbox() / folder) in signatures
