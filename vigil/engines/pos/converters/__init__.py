"""``vigil pos convert``: turn a POS export into a contract data set (shared/contracts).

Usage::

    vigil pos convert --from poslog SOURCE OUT_DIR [--timezone Europe/Stockholm]
    vigil pos convert --from profile:PATH_OR_NAME SOURCE OUT_DIR
    vigil pos convert --from online-retail-ii SOURCE OUT_DIR      # a shipped profile, by name
    vigil pos convert --profile online_retail_ii SOURCE OUT_DIR   # the same, as an option

``--from poslog`` reads ARTS POSLog XML (SOURCE is one ``.xml`` file or a folder of them; see
:mod:`.poslog`). A mapping profile (YAML or TOML; see :mod:`.mapping`) reads any CSV export
(SOURCE is one ``.csv`` file or a folder of them); the profiles shipped with Vigil live in
``vigil/engines/pos/profiles/`` and can be named without a path, with ``-`` or ``_``.

``--timezone`` is the IANA zone of source timestamps that carry no UTC offset (UTC when not
given); for a profile it overrides the profile's own ``defaults.timezone``.

OUT_DIR is written all or nothing: the tables go into a hidden folder beside OUT_DIR that is
renamed into place only when every table is complete, and removed on any error, so a rejected
import leaves nothing behind (the contract's rule). OUT_DIR must not exist yet, or be empty.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from vigil.engines.pos.errors import ContractError

# The tables every converter writes (with a header row even when empty), in summary order.
OUTPUT_TABLES = ("stores", "employees", "transactions", "line_items", "tenders")

EPILOG = """\
formats:
  poslog                 ARTS POSLog XML (Visma, NCR ACS and other ARTS 6.0 flavours);
                         SOURCE is an .xml file or a folder of .xml files
  profile:PATH_OR_NAME   a CSV export mapped by a YAML/TOML mapping profile;
                         SOURCE is a .csv file or a folder of .csv files
  NAME                   a profile shipped with Vigil, e.g. online-retail-ii

examples:
  vigil pos convert --from poslog tlogs/ data/pos
  vigil pos convert --from poslog --timezone Europe/Stockholm receipt1.xml data/pos
  vigil pos convert --from online-retail-ii online_retail_II.csv data/uci
  vigil pos convert --profile ./my-export.yaml export.csv data/mine
"""


@dataclass
class ConversionReport:
    """What one conversion wrote and what it left out: the summary the command prints, and
    what the tests check."""

    rows: dict[str, int] = field(default_factory=dict)
    kinds: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    voided_lines: int = 0
    files: int = 0
    # Left out although the source had them (unsupported types, duplicates): a warning each.
    skipped: Counter[str] = field(default_factory=Counter)
    # Left out by design (operator sign-on/off, post-void records applied to the original).
    notes: Counter[str] = field(default_factory=Counter)

    @property
    def transactions(self) -> int:
        return self.rows.get("transactions", 0)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``vigil pos convert``."""
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EPILOG
    parser.add_argument(
        "--from",
        dest="source_format",
        metavar="FORMAT",
        help="poslog, profile:PATH_OR_NAME, or the name of a shipped profile (see below)",
    )
    parser.add_argument(
        "--profile",
        metavar="PATH_OR_NAME",
        help="mapping profile for a CSV export (same as --from profile:PATH_OR_NAME)",
    )
    parser.add_argument(
        "--timezone",
        metavar="IANA_NAME",
        help="time zone of source timestamps that have no UTC offset, e.g. America/Chicago "
        "(default: UTC; overrides a profile's own time zone)",
    )
    parser.add_argument("source", metavar="SOURCE", type=Path, help="file or folder to convert")
    parser.add_argument(
        "out_dir", metavar="OUT_DIR", type=Path, help="data set folder to create (must not exist)"
    )


def run(args: argparse.Namespace, console: Console) -> int:
    """Convert SOURCE into OUT_DIR and print what was written."""
    with console.status(f"Converting {args.source} …"):
        report = convert(
            args.source,
            args.out_dir,
            source_format=args.source_format,
            profile=args.profile,
            timezone=args.timezone,
        )
    print_summary(console, report, args.out_dir)
    return 0


def convert(
    source: Path,
    out_dir: Path,
    *,
    source_format: str | None,
    profile: str | None = None,
    timezone: str | None = None,
) -> ConversionReport:
    """Convert ``source`` into a new data set folder ``out_dir``, all or nothing."""
    produce = _converter(source, source_format, profile, timezone)
    return write_atomically(out_dir, produce)


def _converter(
    source: Path, source_format: str | None, profile: str | None, timezone: str | None
) -> Callable[[Path], ConversionReport]:
    """The function that writes the tables for this format into a work folder."""
    # Imported here, not at the top: the converters import ConversionReport from this module.
    from vigil.engines.pos.converters import mapping, poslog

    if source_format == "poslog" and profile is None:
        files = source_files(source, ".xml")
        return lambda work: poslog.convert(files, work, timezone=timezone)
    profile_ref = _profile_reference(source_format, profile)
    loaded = mapping.load_profile(profile_ref, timezone=timezone)
    files = source_files(source, ".csv")
    return lambda work: mapping.convert(files, work, loaded)


def _profile_reference(source_format: str | None, profile: str | None) -> str:
    """The profile named by ``--profile`` or ``--from``, whichever way it was spelled."""
    from vigil.engines.pos.converters import mapping

    if profile is not None:
        if source_format not in (None, "csv", "profile", f"profile:{profile}"):
            raise ContractError(
                "--from", f"{source_format!r} and --profile {profile!r} disagree; give one"
            )
        return profile
    if source_format is None:
        raise ContractError("--from", "missing: give --from poslog or a mapping profile")
    if source_format.startswith("profile:"):
        return source_format.removeprefix("profile:")
    if mapping.shipped_profile(source_format) is not None:
        return source_format
    known = ", ".join(["poslog", "profile:PATH", *mapping.shipped_profile_names()])
    raise ContractError("--from", f"unknown format {source_format!r}; expected one of {known}")


def source_files(source: Path, suffix: str) -> list[Path]:
    """``source`` itself, or the ``*suffix`` files in the folder ``source``, sorted by name so
    that a conversion is repeatable."""
    if source.is_dir():
        files = sorted(path for path in source.iterdir() if path.suffix.lower() == suffix)
        if not files:
            raise ContractError(str(source), f"folder has no {suffix} files")
        return files
    if not source.is_file():
        raise ContractError(str(source), "no such file or folder")
    return [source]


def write_atomically(
    out_dir: Path, produce: Callable[[Path], ConversionReport]
) -> ConversionReport:
    """Let ``produce`` write into a hidden work folder beside ``out_dir``; rename it into place
    when it returns, remove it when it raises. Same file system, so the rename is atomic."""
    _refuse_existing(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = out_dir.parent / f".{out_dir.name}.{os.getpid()}.{secrets.token_hex(4)}.partial"
    work.mkdir()
    try:
        report = produce(work)
        work.replace(out_dir)
    except BaseException:
        # Interrupts too: a half-written data set must never be mistaken for a whole one.
        shutil.rmtree(work, ignore_errors=True)
        raise
    return report


def _refuse_existing(out_dir: Path) -> None:
    """Never overwrite or merge into an existing data set: an empty folder is all we replace."""
    if out_dir.is_dir() and not any(out_dir.iterdir()):
        return
    if out_dir.exists():
        raise ContractError(
            str(out_dir), "already exists; choose a new OUT_DIR or remove the old one"
        )


def print_summary(console: Console, report: ConversionReport, out_dir: Path) -> None:
    """Rows per table, then what was left out and why."""
    table = Table(title=f"Data set written to {escape(str(out_dir))}", title_justify="left")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name in OUTPUT_TABLES:
        table.add_row(name, f"{report.rows.get(name, 0):,}")
    console.print(table)
    kinds = ", ".join(f"{kind} {count:,}" for kind, count in sorted(report.kinds.items()))
    statuses = ", ".join(f"{name} {count:,}" for name, count in sorted(report.statuses.items()))
    console.print(f"transactions by kind: {kinds or 'none'}; by status: {statuses or 'none'}")
    console.print(f"voided lines: {report.voided_lines:,}; source files: {report.files:,}")
    for reason, count in sorted(report.notes.items()):
        console.print(f"left out by design: {count:,} {escape(reason)}")
    for reason, count in sorted(report.skipped.items()):
        console.print(f"[yellow]warning:[/] skipped {count:,} {escape(reason)}")
