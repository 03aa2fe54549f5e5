"""Police and legal evidence packages: one ZIP that proves itself.

The ZIP holds the report PDF, each statement as PDF, every evidence original exactly as
stored (native video included), the custody log (CSV and JSON), the camera and recorder
clock offsets, a ``manifest.json``, a ``SHA256SUMS`` file that ``sha256sum -c`` accepts,
and a README that says how to check it all. The finished ZIP is itself stored in the vault
(content-addressed), and building it is an "exported" custody event on every item in it.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import tempfile
import zipfile
from collections.abc import Iterator
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
from vigil.core.roles import Capability, require
from vigil.evidence import custody
from vigil.evidence.models import CustodyAction, EvidenceItem, EvidencePackage, offset_text
from vigil.evidence.storage import EvidenceStore, store_from_settings

COPY_CHUNK = 1024 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class _Contents:
    """What goes in the ZIP, and the hash of each file as written."""

    sums: dict[str, str] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)


def build_package(
    user: User,
    *,
    purpose: str,
    case: Case | None = None,
    incident: Incident | None = None,
    store: EvidenceStore | None = None,
) -> EvidencePackage:
    """Assemble, store and record a package for one case or one incident."""
    require(user, Capability.INVESTIGATE)
    if (case is None) == (incident is None):
        raise ValidationError("A package is built for one case or one incident.")
    if not purpose.strip():
        raise ValidationError({"purpose": "Say who the package is for and why."})
    store = store or store_from_settings()
    matter: Case | Incident = case or incident  # type: ignore[assignment]
    number = next_number("PKG")
    items = _evidence_of(case, incident, user)
    statements = _statements_of(case, incident, user)
    pdf = reports.case_report(case, user) if case else reports.incident_report(incident)  # type: ignore[arg-type]
    tmp_dir = Path(settings.DATA_DIR) / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=tmp_dir) as spool:
        manifest = _write_zip(spool, number, matter, purpose, pdf, items, statements, store)
        size = spool.tell()
        spool.seek(0)
        blob = store.ingest(iter(lambda: spool.read(COPY_CHUNK), b""), max_bytes=max(size, 1))
    with transaction.atomic():
        package = EvidencePackage.objects.create(
            number=number,
            store=matter.store,
            case=case,
            incident=incident,
            purpose=purpose.strip(),
            sha256=blob.sha256,
            size=blob.size,
            manifest=manifest,
            created_by=user,
        )
        for item in items:
            custody.log(
                item,
                CustodyAction.EXPORTED,
                purpose=f"Included in evidence package {number}: {purpose.strip()}",
                details={"package": number, "package_sha256": blob.sha256},
            )
    return package


def _incidents_of(case: Case, user: User | None) -> list[int]:
    return [link.incident_id for link in reports.visible_links(case, user) if link.incident_id]


def _evidence_of(
    case: Case | None, incident: Incident | None, user: User | None = None
) -> list[EvidenceItem]:
    """What goes in: only evidence the builder may see, whatever the case links."""
    items = EvidenceItem.objects.filter(deleted_at__isnull=True)
    if user is not None:
        items = items.visible_to(user)
    if case is not None:
        incidents = _incidents_of(case, user)
        items = items.filter(case=case) | items.filter(incident_id__in=incidents)
    else:
        items = items.filter(incident=incident)
    return list(items.distinct().select_related("derived_from").order_by("pk"))


def _statements_of(
    case: Case | None, incident: Incident | None, user: User | None = None
) -> list[Statement]:
    statements = Statement.objects.visible_to(user) if user else Statement.objects.all()
    if case is not None:
        incidents = _incidents_of(case, user)
        found = statements.filter(case=case) | statements.filter(incident_id__in=incidents)
    else:
        found = statements.filter(incident=incident)
    return list(found.distinct().order_by("started_at"))


def _write_zip(
    spool: Any,
    number: str,
    matter: Case | Incident,
    purpose: str,
    pdf: bytes,
    items: list[EvidenceItem],
    statements: list[Statement],
    store: EvidenceStore,
) -> dict[str, Any]:
    contents = _Contents()
    report_name = f"report/{matter.number}-report.pdf"
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        _add_bytes(archive, contents, report_name, pdf)
        for statement in statements:
            name = f"statements/statement-{statement.pk}-{_safe(statement.witness_name)}.pdf"
            _add_bytes(archive, contents, name, reports.statement_pdf(statement))
        evidence_rows = []
        for item in items:
            name = f"evidence/{item.number}-{_safe(item.original_filename)}"
            _add_original(archive, contents, name, item, store)
            evidence_rows.append(_evidence_row(item, name))
        custody_rows = [_custody_row(event) for item in items for event in item.custody.all()]
        _add_bytes(archive, contents, "custody/custody-log.csv", _csv(custody_rows))
        _add_bytes(archive, contents, "custody/custody-log.json", _json(custody_rows))
        _add_bytes(archive, contents, "evidence/clock-offsets.csv", _csv(_offset_rows(items)))
        manifest = {
            "package": number,
            "purpose": purpose,
            "created_at": timezone.now().astimezone(UTC).isoformat(),
            "subject": {"type": matter._meta.model_name, "number": matter.number},
            "store": {"code": matter.store.code, "name": matter.store.name},
            "evidence": evidence_rows,
            "statements": [_statement_row(statement) for statement in statements],
            "files": dict(sorted(contents.sums.items())),
        }
        _add_bytes(archive, contents, "manifest.json", _json(manifest))
        readme = render_to_string("evidence/package_readme.txt", {"manifest": manifest})
        _add_bytes(archive, contents, "README.txt", readme.encode("utf-8"))
        sums = "".join(f"{digest}  {name}\n" for name, digest in sorted(contents.sums.items()))
        archive.writestr("SHA256SUMS", sums)
    return manifest


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


def _statement_row(statement: Statement) -> dict[str, Any]:
    current = statement.current
    return {
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


def stream(package: EvidencePackage, store: EvidenceStore | None = None) -> Iterator[bytes]:
    """The package ZIP's bytes, read from the vault."""
    source = (store or store_from_settings()).open(package.sha256)
    try:
        yield from iter(lambda: source.read(COPY_CHUNK), b"")
    finally:
        source.close()
