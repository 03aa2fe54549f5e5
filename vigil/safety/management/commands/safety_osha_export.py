"""``vigil safety osha-export --year YYYY [--store CODE] [--as USER] OUT_DIR``: the files for
OSHA's Injury Tracking Application: ``osha-300a-YYYY.csv`` (one summary row per store) and
``osha-cases-YYYY.csv`` (every case, no names). Every store in scope unless ``--store``;
the scope is ``--as``'s when given. A store without its year's figures (average employees,
hours worked) is named, and nothing is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from vigil.core.management.output import console_for
from vigil.core.models import Store, User
from vigil.safety.models import EstablishmentYear
from vigil.safety.osha import ita_files


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
        stores = Store.objects.all()
        if options["username"]:
            user = User.objects.filter(username=options["username"], is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {options['username']!r}", returncode=2)
            stores = Store.objects.visible_to(user)
        if options["store"]:
            stores = stores.filter(code=options["store"])
            if not stores.exists():
                raise CommandError(f"no store {options['store']!r} in scope", returncode=2)
        year = options["year"]
        found = {
            e.store_id: e for e in EstablishmentYear.objects.filter(year=year, store__in=stores)
        }
        missing = [s.code for s in stores.order_by("code") if s.pk not in found]
        if missing:
            raise CommandError(
                f"no {year} establishment figures (average employees, hours worked) for "
                f"{', '.join(missing)}: enter them on the OSHA page first",
                returncode=2,
            )
        try:
            summary, cases = ita_files(sorted(found.values(), key=lambda e: e.store.code))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=2) from None
        out: Path = options["out_dir"]
        out.mkdir(parents=True, exist_ok=True)
        (out / f"osha-300a-{year}.csv").write_text(summary, encoding="utf-8")
        (out / f"osha-cases-{year}.csv").write_text(cases, encoding="utf-8")
        rows = cases.count("\n") - 1
        console_for(self).print(
            f"{len(found)} establishment(s), {rows} case(s): {out}/osha-300a-{year}.csv, "
            f"{out}/osha-cases-{year}.csv"
        )
