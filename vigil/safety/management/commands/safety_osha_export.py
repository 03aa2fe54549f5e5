"""``vigil safety osha-export --year YYYY [--store CODE] [--as USER] OUT_DIR``: the files for
OSHA's Injury Tracking Application: ``osha-300a-YYYY.csv`` (one summary row per store) and
``osha-cases-YYYY.csv`` (every case, no names). Every store in scope unless ``--store``;
the scope is ``--as``'s when given. The stores that can be filed are written; each store
left out (no figures for the year, or figures that fail the ITA's checks) is named with what
to do. Exit 2, and nothing written, only when no store could be exported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import QuerySet

from vigil.core.management.output import console_for
from vigil.core.models import Store, User
from vigil.safety.osha import YearExport, export_year


class Command(BaseCommand):
    help = "Write OSHA ITA files (300A summary and case data) for a year."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("out_dir", type=Path)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--store", default="", help="One store's code (default: all)")
        parser.add_argument(
            "--as", dest="username", default="", help="Limit to this login's stores"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stores = self._stores(options["username"], options["store"])
        export = export_year(stores.order_by("code"), options["year"])
        if not export.exported:
            raise CommandError(
                f"nothing exported for {export.year}: {_left_out(export)}", returncode=2
            )
        out: Path = options["out_dir"]
        out.mkdir(parents=True, exist_ok=True)
        summary_path = out / f"osha-300a-{export.year}.csv"
        cases_path = out / f"osha-cases-{export.year}.csv"
        summary_path.write_text(export.summary_csv, encoding="utf-8")
        cases_path.write_text(export.cases_csv, encoding="utf-8")
        console = console_for(self)
        console.print(
            f"{len(export.exported):,} establishment(s), {export.case_count:,} case(s): "
            f"{summary_path}, {cases_path}"
        )
        if export.left_out:
            console.print(f"[yellow]Not exported[/yellow] ({len(export.left_out):,}):")
            for store, reason in export.left_out.items():
                console.print(f"  {store.name} ({store.code}): {reason}", markup=False)

    def _stores(self, username: str, code: str) -> QuerySet[Store]:
        """The stores in scope: ``--as``'s when given, narrowed to ``--store``."""
        stores = Store.objects.all()
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {username!r}", returncode=2)
            stores = Store.objects.visible_to(user)
        if code:
            stores = stores.filter(code=code)
            if not stores.exists():
                raise CommandError(f"no store {code!r} in scope", returncode=2)
        return stores


def _left_out(export: YearExport) -> str:
    """Why each store was left out, the stores with the same reason named together."""
    if not export.left_out:
        return "no store in scope"
    by_reason: dict[str, list[str]] = {}
    for store, reason in export.left_out.items():
        by_reason.setdefault(reason, []).append(f"{store.name} ({store.code})")
    return "; ".join(f"{', '.join(names)}: {reason}" for reason, names in by_reason.items())
