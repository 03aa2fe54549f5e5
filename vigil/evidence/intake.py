"""Taking evidence into the vault: a streamed upload becomes an item with a custody log.

The upload is the raw request body (the browser's ``fetch`` sends the file itself; the API
does the same), so its length is known before a byte is read and a body cut off mid-upload
is caught. The item's description is checked *before* any bytes are read, so a bad field
costs nothing. The first few KiB then say what the file is (:mod:`vigil.evidence.filetypes`),
whatever its name or declared type: a program, a web page or a kind the record cannot be (a
subject's photo that is not a picture) is refused before anything reaches the store. The
bytes are hashed as they stream into the store's incoming area and only become evidence
once complete. Then, in one transaction, the item and its first custody event ("collected")
are written, with the type its bytes showed.
"""

from __future__ import annotations

import itertools
import mimetypes
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import UnreadablePostError

from vigil.core.models import User
from vigil.core.numbering import next_number
from vigil.core.roles import Capability, require
from vigil.core.scoping import get_visible_or_404
from vigil.evidence import custody
from vigil.evidence.filetypes import (
    BY_MEDIA_TYPE,
    SNIFF_BYTES,
    FileKind,
    FileType,
    FileTypeRefused,
    as_declared_text,
    describe_kinds,
    detect,
)
from vigil.evidence.models import CustodyAction, Derivation, EvidenceItem, EvidenceSource
from vigil.evidence.storage import (
    EvidenceStore,
    human_size,
    max_upload_bytes,
    store_from_settings,
)

READ_SIZE = 1024 * 1024
MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Characters that reorder how a name is shown: "invoice\u202efdp.exe" reads "invoiceexe.pdf".
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class UploadRefused(Exception):
    """The upload cannot be taken; ``status`` is the HTTP status that says why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def safe_filename(name: str) -> str:
    """The original file name, kept as a label only; refused if it looks like a path.

    Vigil never stores a file under a name it was given (storage is by SHA-256), but a name
    such as ``../../etc/passwd`` or ``C:\\x`` in an evidence record is a sign of a tampered
    client, so it is refused outright rather than quietly trimmed. Bidirectional controls,
    which make a name read as another (a spoofed label), are taken out; the name as sent is
    kept in the custody log (see :func:`item_fields`).
    """
    cleaned = _BIDI.sub("", name).strip()
    if not cleaned:
        raise UploadRefused(400, "filename: give the file's original name.")
    if len(cleaned) > 255:
        raise UploadRefused(400, "filename: longer than 255 characters.")
    if _CONTROL.search(cleaned):
        raise UploadRefused(400, "filename: contains control characters.")
    if (
        "/" in cleaned
        or "\\" in cleaned
        or cleaned in {".", ".."}
        or re.match(r"^[A-Za-z]:", cleaned)
    ):
        raise UploadRefused(
            400, f"filename: {cleaned!r} is a path; send the bare file name (no folders)."
        )
    return cleaned


def media_type_for(declared: str, filename: str) -> str:
    """What the sender claims the file is: the declared Content-Type if it is a plain media
    type, else a guess from the name. Only a claim: :func:`receive` stores the type the
    bytes show, and keeps this in the custody log when the two differ."""
    declared = declared.split(";", 1)[0].strip().lower()
    if MEDIA_TYPE.match(declared) and declared != "application/octet-stream":
        return declared
    guessed, _ = mimetypes.guess_type(filename, strict=False)
    return guessed or "application/octet-stream"


def describe_item(user: User, fields: Mapping[str, Any]) -> EvidenceItem:
    """An unsaved, validated item: the upload's description, checked before any bytes."""
    require(user, Capability.RECORD)
    values = dict(fields)
    as_sent = values.pop("filename_as_sent", None)
    values["original_filename"] = safe_filename(str(values.get("original_filename", "")))
    item = EvidenceItem(created_by=user, sha256="0" * 64, size=0, **values)
    item.filename_as_sent = as_sent  # type: ignore[attr-defined]  # for the custody log only
    original = item.derived_from
    if original is not None:
        item.store, item.incident, item.case = original.store, original.incident, original.case
        if not item.derivation:
            raise ValidationError({"derivation": "Say how this copy was made from the original."})
    elif item.derivation:
        raise ValidationError({"derived_from": "A working copy names its original."})
    item.full_clean(exclude=["number", "sha256", "size", "stored_in"])
    _check_links(item)
    return item


def _check_links(item: EvidenceItem) -> None:
    """An incident or subject belongs to one store, the item's. (A case may span stores.)"""
    for field in ("incident", "subject"):
        linked = getattr(item, field)
        if linked is not None and linked.store_id != item.store_id:
            raise ValidationError({field: f"The {field} belongs to another store."})


def receive(
    item: EvidenceItem,
    body: BinaryIO,
    content_length: int | None,
    store: EvidenceStore | None = None,
) -> EvidenceItem:
    """Stream ``body`` (exactly ``content_length`` bytes) into the vault as ``item``.

    The first bytes decide the item's media type; a file the record cannot be is a
    ``ValidationError`` on ``file``, raised before the store is touched.
    """
    store = store or store_from_settings()
    limit = max_upload_bytes()
    chunks = _chunks(body, _checked_length(content_length, limit))
    head = _head_of(chunks)
    declared = item.media_type
    item.media_type = file_type_for(item, b"".join(head)[:SNIFF_BYTES]).media_type
    with store.begin(limit) as writer:
        for chunk in itertools.chain(head, chunks):
            writer.write(chunk)
        blob = writer.commit()
    item.sha256, item.size, item.stored_in = blob.sha256, blob.size, store.describe()[:300]
    with transaction.atomic():
        item.number = next_number("EV")
        item.save()
        custody.log(
            item,
            CustodyAction.COLLECTED,
            location=item.store.name,
            purpose=item.description or "Added to the evidence vault",
            from_party=item.acquired_by,
            to_party="Vigil evidence vault",
            details={
                "sha256": blob.sha256,
                "size": blob.size,
                "original_filename": item.original_filename,
                **_as_sent(item),
                "media_type": item.media_type,
                **({"declared_media_type": declared} if declared != item.media_type else {}),
                "already_stored": blob.already_stored,
                **({"derived_from": item.derived_from.number} if item.derived_from else {}),
            },
        )
    return item


def _checked_length(content_length: int | None, limit: int) -> int:
    if content_length is None:
        raise UploadRefused(411, "Send the file as the request body with a Content-Length.")
    if content_length <= 0:
        raise UploadRefused(400, "The file is empty.")
    if content_length > limit:
        raise UploadRefused(
            413,
            f"The file is larger than the {human_size(limit)} evidence limit; nothing was stored.",
        )
    return content_length


def _chunks(body: BinaryIO, length: int) -> Iterator[bytes]:
    """Exactly ``length`` bytes of ``body`` in reads of at most ``READ_SIZE``."""
    remaining = length
    while remaining > 0:
        try:
            chunk = body.read(min(READ_SIZE, remaining))
        except (OSError, UnreadablePostError):  # the client went away mid-upload
            chunk = b""
        if not chunk:
            raise UploadRefused(
                400,
                f"The upload was cut off after {length - remaining} of "
                f"{length} bytes; nothing was stored. Send it again.",
            )
        yield chunk
        remaining -= len(chunk)


def _head_of(chunks: Iterator[bytes]) -> list[bytes]:
    """The first chunks, enough to tell the file's type (the rest is not read yet)."""
    head: list[bytes] = []
    size = 0
    for chunk in chunks:
        head.append(chunk)
        size += len(chunk)
        if size >= SNIFF_BYTES:
            break
    return head


def file_type_for(item: EvidenceItem, head: bytes) -> FileType:
    """What ``head`` shows the file to be, if this item may be that; else a field error."""
    name = item.original_filename
    try:
        found = as_declared_text(detect(head), item.media_type, name)
    except FileTypeRefused as refused:
        raise ValidationError(
            {"file": f'"{name}" is {refused.what}; {refused.why}. Nothing was stored.'}
        ) from None
    for kinds, record in kinds_needed(item):
        if found.kind not in kinds:
            raise ValidationError(
                {
                    "file": f'"{name}" is {found.label}, but {record} must be '
                    f"{describe_kinds(kinds)}. Nothing was stored."
                }
            )
    return found


_STILL = frozenset({FileKind.IMAGE})
_MOVING = frozenset({FileKind.VIDEO, FileKind.IMAGE})
_SAME_KIND = {Derivation.REDACTED: "a redacted copy", Derivation.EXCERPT: "an excerpt"}


def kinds_needed(item: EvidenceItem) -> list[tuple[frozenset[FileKind], str]]:
    """The kinds of file this record can be, each with the record as a message names it.

    A subject's photo and a still frame are pictures; a camera or phone item is a clip or a
    still from it; a transcoded copy is video or sound; a redacted copy or an excerpt is the
    same kind as its original. Anything else may be any accepted kind.
    """
    needed: list[tuple[frozenset[FileKind], str]] = []
    if item.subject_id is not None:
        needed.append((_STILL, "a subject's photo"))
    if item.source in (EvidenceSource.CAMERA, EvidenceSource.PHONE):
        needed.append((_MOVING, f'evidence from "{item.get_source_display()}"'))
    original = item.derived_from
    if item.derivation == Derivation.STILL:
        needed.append((_STILL, "a still frame"))
    elif item.derivation == Derivation.TRANSCODED:
        needed.append((frozenset({FileKind.VIDEO, FileKind.AUDIO}), "a transcoded copy"))
    elif original is not None and item.derivation in _SAME_KIND:
        was = BY_MEDIA_TYPE.get(original.media_type)
        if was is not None:
            copy = _SAME_KIND[Derivation(item.derivation)]
            needed.append((frozenset({was.kind}), f"{copy} of {original.number}"))
    return needed


def _as_sent(item: EvidenceItem) -> dict[str, str]:
    """The file name exactly as the client sent it, when Vigil had to clean it for the label."""
    sent = getattr(item, "filename_as_sent", None)
    return {"filename_as_sent": sent} if sent else {}


UPLOAD_FIELDS = frozenset(
    {
        "filename",
        "source",
        "acquired_by",
        "acquired_at",
        "store",
        "incident",
        "case",
        "subject_id",
        "description",
        "camera",
        "camera_clock_offset_s",
        "recorder_clock_offset_s",
        "derived_from",
        "derivation",
    }
)


def check_upload_keys(keys: Iterable[str]) -> None:
    """Refuse an upload described with a field Vigil does not know (a typo loses nothing)."""
    unknown = sorted(set(keys) - UPLOAD_FIELDS)
    if unknown:
        raise UploadRefused(
            422,
            f"{', '.join(unknown)}: unknown field(s); expected {', '.join(sorted(UPLOAD_FIELDS))}",
        )


def item_fields(user: User, data: Mapping[str, Any], media_type: str) -> dict[str, Any]:
    """Model fields for an upload, its references (store, incident, case…) resolved in scope."""
    from vigil.cases import lookups

    fields: dict[str, Any] = {
        key: data.get(key)
        for key in (
            "source",
            "acquired_by",
            "acquired_at",
            "description",
            "camera",
            "camera_clock_offset_s",
            "recorder_clock_offset_s",
        )
        if data.get(key) is not None
    }
    sent = str(data.get("filename") or "")
    fields["original_filename"] = safe_filename(sent)
    if fields["original_filename"] != sent.strip():
        fields["filename_as_sent"] = sent
    fields["media_type"] = media_type_for(media_type, fields["original_filename"])
    fields["derivation"] = data.get("derivation") or ""
    incident = lookups.incident(user, data["incident"]) if data.get("incident") else None
    case = lookups.case(user, data["case"]) if data.get("case") else None
    subject = lookups.subject(user, int(data["subject_id"])) if data.get("subject_id") else None
    original = None
    if data.get("derived_from"):
        original = get_visible_or_404(
            EvidenceItem.objects.all(), user, number=str(data["derived_from"])
        )
    store = _store_of(user, data.get("store"), incident, case, subject, original)
    fields.update(store=store, incident=incident, case=case, subject=subject, derived_from=original)
    return fields


def _store_of(user: User, code: Any, *anchors: Any) -> Any:
    from vigil.cases import lookups

    if code:
        return lookups.store(user, str(code))
    for anchor in anchors:
        if anchor is not None:
            return anchor.store
    raise ValidationError({"store": "Say which store, incident or case the evidence is for."})
