"""Police and legal evidence packages: one ZIP that proves itself.

The ZIP holds what the investigator chose (:mod:`vigil.evidence.package_contents`): the case
summary and incident reports as PDF, each statement as PDF, each evidence original exactly as
stored (native video included), with the custody log of those items (CSV and JSON), their
camera and recorder clock offsets, a ``manifest.json``, a ``SHA256SUMS`` file that
``sha256sum -c`` accepts, and a README that says how to check it all. The reports inside list
only the chosen statements and evidence. The finished ZIP is itself stored in the vault
(content-addressed), and building it is an "exported" custody event on every item in it.

Building is two steps: :func:`prepare` checks the request and records the package as being
built; :func:`assemble` writes the ZIP (reporting progress) and marks it ready, or failed with
the reason. :func:`build_package` does both at once (the API and the CLI);
:mod:`vigil.evidence.package_jobs` runs :func:`assemble` in the background (the pages).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from vigil.cases import reports
from vigil.cases.models import Case, Incident, Statement
from vigil.core.exports import SafeDictWriter
from vigil.core.models import User
from vigil.core.numbering import next_number
from vigil.core.pdf import render_pdf
from vigil.core.roles import Capability, require
from vigil.evidence import custody
from vigil.evidence.models import (
    CustodyAction,
    EvidenceItem,
    EvidencePackage,
    PackageStatus,
    offset_text,
)
from vigil.evidence.package_contents import (
    Choices,
    Chosen,
    Selection,
    basis_of,
    choices_for,
    replaced_by,
    resolve,
)
from vigil.evidence.storage import EvidenceStore, store_from_settings

COPY_CHUNK = 1024 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")

# (files written so far, files in all, what is being written): for a progress bar.
Progress = Callable[[int, int, str], None]


@dataclass
class _Contents:
    """What goes in the ZIP, and the hash of each file as written."""

    sums: dict[str, str] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)


@dataclass
class _Steps:
    """Counts the items written, for whoever watches the build."""

    total: int
    report: Progress | None
    done: int = 0

    def did(self, what: str) -> None:
        self.done += 1
        if self.report is not None:
            self.report(self.done, self.total, f"{self.done:,} of {self.total:,} items: {what}")


def build_package(
    user: User,
    *,
    purpose: str,
    case: Case | None = None,
    incident: Incident | None = None,
    selection: Selection | None = None,
    previous: EvidencePackage | None = None,
    store: EvidenceStore | None = None,
) -> EvidencePackage:
    """Assemble, store and record a package for one case or one incident, now.

    Everything the builder may see goes in unless ``selection`` says otherwise."""
    package = prepare(
        user, purpose=purpose, case=case, incident=incident, selection=selection, previous=previous
    )
    return assemble(package, store=store)


def prepare(
    user: User,
    *,
    purpose: str,
    case: Case | None = None,
    incident: Incident | None = None,
    selection: Selection | None = None,
    previous: EvidencePackage | None = None,
) -> EvidencePackage:
    """Check the request and record the package as being built; nothing is written yet."""
    require(user, Capability.INVESTIGATE)
    if (case is None) == (incident is None):
        raise ValidationError("A package is built for one case or one incident.")
    if not purpose.strip():
        raise ValidationError({"purpose": "Say who the package is for and why."})
    if previous is not None:
        _check_rebuild(previous, case, incident)
    matter: Case | Incident = case or incident  # type: ignore[assignment]
    chosen = resolve(choices_for(user, case, incident), selection)
    return EvidencePackage.objects.create(
        number=next_number("PKG"),
        store=matter.store,
        case=case,
        incident=incident,
        purpose=purpose.strip(),
        status=PackageStatus.BUILDING,
        version=previous.version + 1 if previous else 1,
        previous=previous,
        selection=chosen,
        created_by=user,
    )


def _check_rebuild(previous: EvidencePackage, case: Case | None, incident: Incident | None) -> None:
    if (previous.case_id, previous.incident_id) != (
        case.pk if case else None,
        incident.pk if incident else None,
    ):
        raise ValidationError("A rebuild is for the same case or incident as the package.")
    newer = replaced_by(previous)
    if newer is not None:
        raise ValidationError(
            f"{previous.number} was already rebuilt as {newer.number} (version "
            f"{newer.version}); rebuild that one."
        )


def assemble(
    package: EvidencePackage,
    *,
    store: EvidenceStore | None = None,
    progress: Progress | None = None,
) -> EvidencePackage:
    """Write the ZIP of a package being built, store it and mark the package ready.

    What goes in is what was chosen, as its builder may see it now. Any failure marks the
    package failed, with the reason a person can act on, and is raised again."""
    try:
        return _assemble(package, store or store_from_settings(), progress)
    except Exception as exc:
        # Recorded on the package whatever went wrong, so its page never says "building"
        # for ever; the caller (the task run, the API) still sees the error itself.
        reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        EvidencePackage.objects.filter(pk=package.pk).update(
            status=PackageStatus.FAILED, error=reason or type(exc).__name__
        )
        package.status = PackageStatus.FAILED
        raise


def _assemble(
    package: EvidencePackage, store: EvidenceStore, progress: Progress | None
) -> EvidencePackage:
    choices = choices_for(package.created_by, package.case, package.incident)
    chosen = choices.chosen(package.selection)
    _check_still_there(package.selection, chosen)
    basis = basis_of(package.case, package.incident)
    steps = _Steps(total=chosen.count + 1, report=progress)
    tmp_dir = Path(settings.DATA_DIR) / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=tmp_dir) as spool:
        manifest = _write_zip(spool, package, choices, chosen, store, steps)
        size = spool.tell()
        spool.seek(0)
        blob = store.ingest(iter(lambda: spool.read(COPY_CHUNK), b""), max_bytes=max(size, 1))
    with transaction.atomic():
        package.sha256 = blob.sha256
        package.size = blob.size
        package.manifest = manifest
        package.basis = basis
        package.status = PackageStatus.READY
        package.error = ""
        package.save()
        for item in chosen.evidence:
            custody.log(
                item,
                CustodyAction.EXPORTED,
                purpose=f"Included in evidence package {package.number}: {package.purpose}",
                details={"package": package.number, "package_sha256": blob.sha256},
            )
    return package


def _check_still_there(selection: dict[str, Any], chosen: Chosen) -> None:
    """Refuse to leave out quietly an item that was chosen but has gone since."""
    gone = sorted(set(selection.get("evidence", [])) - {item.number for item in chosen.evidence})
    gone += sorted(set(selection.get("reports", [])) - {i.number for i in chosen.incidents})
    lost = len(selection.get("statements", [])) - len(chosen.statements)
    if lost > 0:
        gone.append(f"{lost:,} statement(s)")
    if gone:
        raise ValidationError(
            f"No longer in the case or incident (deleted or unlinked since they were chosen): "
            f"{', '.join(gone)}. Build the package again from what it holds now."
        )


def _write_zip(
    spool: Any,
    package: EvidencePackage,
    choices: Choices,
    chosen: Chosen,
    store: EvidenceStore,
    steps: _Steps,
) -> dict[str, Any]:
    contents = _Contents()
    matter = choices.matter
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        report_rows = _add_reports(archive, contents, choices, chosen, steps, package.created_by)
        statement_rows = []
        for statement in chosen.statements:
            name = f"statements/statement-{statement.pk}-{_safe(statement.witness_name)}.pdf"
            _add_bytes(archive, contents, name, reports.statement_pdf(statement))
            statement_rows.append(_statement_row(statement, name))
            steps.did(f"statement of {statement.witness_name}")
        evidence_rows = []
        for item in chosen.evidence:
            name = f"evidence/{item.number}-{_safe(item.original_filename)}"
            _add_original(archive, contents, name, item, store)
            evidence_rows.append(_evidence_row(item, name))
            steps.did(f"evidence {item.number}")
        items = chosen.evidence
        custody_rows = [_custody_row(event) for item in items for event in item.custody.all()]
        _add_bytes(archive, contents, "custody/custody-log.csv", _csv(custody_rows))
        _add_bytes(archive, contents, "custody/custody-log.json", _json(custody_rows))
        _add_bytes(archive, contents, "evidence/clock-offsets.csv", _csv(_offset_rows(items)))
        manifest = {
            "package": package.number,
            "version": package.version,
            "replaces": _replaces(package),
            "purpose": package.purpose,
            "created_at": timezone.now().astimezone(UTC).isoformat(),
            "subject": {"type": matter._meta.model_name, "number": matter.number},
            "store": {"code": matter.store.code, "name": matter.store.name},
            "reports": report_rows,
            "evidence": evidence_rows,
            "statements": statement_rows,
            "files": dict(sorted(contents.sums.items())),
        }
        _add_bytes(archive, contents, "manifest.json", _json(manifest))
        readme = render_to_string("evidence/package_readme.txt", {"manifest": manifest})
        _add_bytes(archive, contents, "README.txt", readme.encode("utf-8"))
        sums = "".join(f"{digest}  {name}\n" for name, digest in sorted(contents.sums.items()))
        archive.writestr("SHA256SUMS", sums)
        steps.did("manifest, custody log and SHA256SUMS")
    return manifest


def _replaces(package: EvidencePackage) -> dict[str, Any] | None:
    earlier = package.previous
    if earlier is None:
        return None
    return {"package": earlier.number, "version": earlier.version, "sha256": earlier.sha256}


def _add_reports(
    archive: zipfile.ZipFile,
    contents: _Contents,
    choices: Choices,
    chosen: Chosen,
    steps: _Steps,
    builder: User | None,
) -> list[dict[str, str]]:
    """The case summary and incident reports chosen, each listing only what was chosen."""
    rows = []
    if chosen.summary and isinstance(choices.matter, Case):
        case = choices.matter
        name = f"report/{case.number}-report.pdf"
        context = _only_chosen(reports.case_context(case, builder), chosen)
        _add_bytes(
            archive, contents, name, render_pdf("cases/report/case.html", context, case.store)
        )
        rows.append({"kind": "case summary", "number": case.number, "path": name})
        steps.did(f"case summary {case.number}")
    for incident in chosen.incidents:
        name = f"report/{incident.number}-report.pdf"
        context = _only_chosen(reports.incident_context(incident), chosen)
        pdf = render_pdf("cases/report/incident.html", context, incident.store)
        _add_bytes(archive, contents, name, pdf)
        rows.append({"kind": "incident report", "number": incident.number, "path": name})
        steps.did(f"incident report {incident.number}")
    return rows


def _only_chosen(context: dict[str, Any], chosen: Chosen) -> dict[str, Any]:
    """A report's context with only the chosen statements and evidence in it."""
    statements = {statement.pk for statement in chosen.statements}
    evidence = {item.pk for item in chosen.evidence}
    return {
        **context,
        "statements": [s for s in context.get("statements", []) if s.pk in statements],
        "evidence": [row for row in context.get("evidence", []) if row["item"].pk in evidence],
    }


def _add_bytes(archive: zipfile.ZipFile, contents: _Contents, name: str, data: bytes) -> None:
    archive.writestr(name, data)
    contents.sums[name] = hashlib.sha256(data).hexdigest()
    contents.sizes[name] = len(data)


def _add_original(
    archive: zipfile.ZipFile,
    contents: _Contents,
    name: str,
    item: EvidenceItem,
    store: EvidenceStore,
) -> None:
    """Copy the stored bytes in, hashing as they go: the ZIP's copy must match the record."""
    hasher = hashlib.sha256()
    info = zipfile.ZipInfo(name, date_time=_zip_time(item.acquired_at))
    # Video and images are compressed already; storing them is faster and changes nothing.
    info.compress_type = zipfile.ZIP_STORED if _is_media(item) else zipfile.ZIP_DEFLATED
    with (
        closing(store.open(item.sha256)) as source,
        archive.open(info, "w", force_zip64=True) as target,
    ):
        for chunk in iter(lambda: source.read(COPY_CHUNK), b""):
            hasher.update(chunk)
            target.write(chunk)
    digest = hasher.hexdigest()
    if digest != item.sha256:
        raise ValidationError(
            f"{item.number}: the stored file no longer matches its SHA-256; run "
            "`vigil evidence verify` before packaging."
        )
    contents.sums[name] = digest
    contents.sizes[name] = item.size


def _is_media(item: EvidenceItem) -> bool:
    return item.media_type.startswith(("video/", "image/", "audio/"))


def _zip_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    utc = moment.astimezone(UTC)
    return (max(utc.year, 1980), utc.month, utc.day, utc.hour, utc.minute, utc.second)


def _evidence_row(item: EvidenceItem, path: str) -> dict[str, Any]:
    return {
        "number": item.number,
        "path": path,
        "sha256": item.sha256,
        "size": item.size,
        "media_type": item.media_type,
        "original_filename": item.original_filename,
        "source": item.get_source_display(),
        "description": item.description,
        "acquired_by": item.acquired_by,
        "acquired_at": item.acquired_at.astimezone(UTC).isoformat(),
        "camera": item.camera,
        "camera_clock_offset_s": _decimal(item.camera_clock_offset_s),
        "recorder_clock_offset_s": _decimal(item.recorder_clock_offset_s),
        "derived_from": item.derived_from.number if item.derived_from else None,
        "derivation": item.derivation or None,
    }


def _statement_row(statement: Statement, path: str) -> dict[str, Any]:
    current = statement.current
    return {
        "id": statement.pk,
        "path": path,
        "witness": statement.witness_name,
        "status": statement.status,
        "versions": statement.versions.count(),
        "current_version_sha256": current.sha256 if current else None,
        "signed_by": current.attested_name if current and current.is_signed else None,
    }


def _custody_row(event: Any) -> dict[str, Any]:
    return {
        "evidence": event.evidence.number,
        "seq": event.seq,
        "action": event.action,
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(),
        "actor": event.actor_name,
        "location": event.location,
        "purpose": event.purpose,
        "from": event.from_party,
        "to": event.to_party,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def _offset_rows(items: list[EvidenceItem]) -> list[dict[str, Any]]:
    return [
        {
            "evidence": item.number,
            "camera": item.camera,
            "camera_clock_offset_s": _decimal(item.camera_clock_offset_s),
            "camera_clock": offset_text(item.camera_clock_offset_s),
            "recorder_clock_offset_s": _decimal(item.recorder_clock_offset_s),
            "recorder_clock": offset_text(item.recorder_clock_offset_s),
        }
        for item in items
    ]


def _decimal(value: Any) -> str | None:
    return None if value is None else str(value)


def _csv(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    if rows:
        writer = SafeDictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _json(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _safe(name: str) -> str:
    """A name safe inside a ZIP on any system: no folders, no odd characters."""
    return _UNSAFE.sub("_", name).strip("._")[:80] or "file"


def verify(package: EvidencePackage, store: EvidenceStore | None = None) -> list[str]:
    """Re-check a built package as its recipient would: the ZIP's SHA-256 against the one on
    record, and every file inside against SHA256SUMS (and nothing inside unlisted). Returns
    the problems found, in words; none means it holds."""
    tmp_dir = Path(settings.DATA_DIR) / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    hasher = hashlib.sha256()
    with tempfile.TemporaryFile(dir=tmp_dir) as copy:
        for chunk in stream(package, store):
            hasher.update(chunk)
            copy.write(chunk)
        if hasher.hexdigest() != package.sha256:
            return [f"The stored ZIP's SHA-256 is {hasher.hexdigest()}, not {package.sha256}."]
        copy.seek(0)
        with zipfile.ZipFile(copy) as archive:
            return _check_sums(archive)


def _check_sums(archive: zipfile.ZipFile) -> list[str]:
    listed: dict[str, str] = {}
    for line in archive.read("SHA256SUMS").decode("utf-8").splitlines():
        digest, _, name = line.partition("  ")
        listed[name] = digest
    problems = []
    for name in archive.namelist():
        if name == "SHA256SUMS":
            continue
        if name not in listed:
            problems.append(f"{name} is in the ZIP but not in SHA256SUMS.")
            continue
        hasher = hashlib.sha256()
        with archive.open(name) as inside:
            for chunk in iter(lambda: inside.read(COPY_CHUNK), b""):
                hasher.update(chunk)
        if hasher.hexdigest() != listed.pop(name):
            problems.append(f"{name} does not match its SHA-256 in SHA256SUMS.")
    problems += [f"{name} is in SHA256SUMS but not in the ZIP." for name in sorted(listed)]
    return problems


def stream(package: EvidencePackage, store: EvidenceStore | None = None) -> Iterator[bytes]:
    """The package ZIP's bytes, read from the vault."""
    source = (store or store_from_settings()).open(package.sha256)
    try:
        yield from iter(lambda: source.read(COPY_CHUNK), b"")
    finally:
        source.close()
