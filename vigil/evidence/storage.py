"""The evidence store: content-addressed, write-once bytes on local disk or in S3.

Evidence is named by the SHA-256 of its bytes, computed here while the upload streams in,
so the name itself proves the content: ``vigil evidence verify`` re-reads the bytes
(:meth:`EvidenceStore.rehash`) and compares. Identical content is kept once; a second upload
of the same file finds it already stored and the original is never rewritten.

Bytes arrive push-style (:meth:`EvidenceStore.begin` returns a :class:`BlobWriter` that an
upload handler feeds chunk by chunk) or pull-style (:meth:`EvidenceStore.ingest` over an
iterable). Either way they go to a temporary place first (``incoming/``) and move to their
content address only once complete, so a half-written file is never evidence.

This module imports nothing from Django except inside :func:`store_from_settings`; boto3
is imported only when an S3 store first talks to S3, because it takes a fifth of a second
to import and most commands never need it.
"""

from __future__ import annotations

import errno
import hashlib
import io
import logging
import os
import re
import secrets
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO
from urllib.parse import unquote, urlsplit

logger = logging.getLogger(__name__)

Chunk = bytes | bytearray | memoryview
SHA256_HEX = re.compile(r"[0-9a-f]{64}")
READ_CHUNK = 1024 * 1024
S3_PART_SIZE = 8 * 1024 * 1024
S3_MIN_PART_SIZE = 5 * 1024 * 1024  # S3 refuses smaller parts, except the last
# One CopyObject request copies up to 5 GiB and lets S3 compute a full-object SHA-256
# (visible with `head-object --checksum-mode ENABLED`); only bigger objects need the
# part-by-part managed copy, whose checksum is a checksum of part checksums.
S3_SINGLE_COPY_LIMIT = 5 * 1024**3
# Write-once, and read by Vigil's own user alone: evidence is personal data.
READ_ONLY = 0o400
_LINK_UNSUPPORTED = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK}


class EvidenceTooLarge(Exception):
    """An upload passed the evidence size limit; nothing of it was kept."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the file is larger than the {human_size(limit)} evidence limit")
        self.limit = limit


class EvidenceMissing(Exception):
    """No evidence with this SHA-256 is in the store (never stored, or removed behind our back)."""

    def __init__(self, sha256: str) -> None:
        super().__init__(f"no evidence with SHA-256 {sha256} in the store")
        self.sha256 = sha256


@dataclass(frozen=True)
class StoredBlob:
    """What the store holds after an upload: its content address and size.

    ``already_stored`` is true when identical bytes were in the store before; the upload was
    then discarded and the earlier copy left exactly as it was.
    """

    sha256: str
    size: int
    already_stored: bool


def human_size(size: int) -> str:
    """``2147483648`` -> ``"2.0 GiB"``: for messages a person reads."""
    value = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024:
            return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TiB"


def check_sha256(sha256: str) -> str:
    """Return ``sha256`` if it is 64 lowercase hex digits, else raise ``ValueError``.

    Every store method that takes a SHA-256 calls this first, so that a value from a URL or
    a database row can never become a path (``../``) or an unexpected S3 key.
    """
    if not isinstance(sha256, str) or not SHA256_HEX.fullmatch(sha256):
        raise ValueError(f"{sha256!r} is not a SHA-256 (expected 64 lowercase hex digits)")
    return sha256


class BlobWriter(ABC):
    """One upload in progress: feed it chunks, then ``commit`` (or ``abort``).

    It hashes and counts as bytes arrive and refuses the upload the moment it passes
    ``max_bytes``. Used as a context manager it aborts unless committed, so an exception in
    the caller leaves no temporary bytes behind. After ``commit`` or ``abort`` it is closed.
    """

    def __init__(self, max_bytes: int) -> None:
        if max_bytes <= 0:
            raise ValueError(f"max_bytes must be positive, not {max_bytes}")
        self.max_bytes = max_bytes
        self._hasher = hashlib.sha256()
        self._size = 0
        self._open = True

    def write(self, chunk: Chunk) -> None:
        """Add ``chunk``; raise :class:`EvidenceTooLarge` (after aborting) past the limit."""
        self._check_open()
        if self._size + len(chunk) > self.max_bytes:
            self.abort()
            raise EvidenceTooLarge(self.max_bytes)
        self._hasher.update(chunk)
        self._size += len(chunk)
        try:
            self._write(chunk)
        except BaseException:
            self.abort()
            raise

    def commit(self) -> StoredBlob:
        """Move the complete upload to its content address and say what is stored."""
        self._check_open()
        sha256 = self._hasher.hexdigest()
        try:
            already_stored = self._place(sha256)
        except BaseException:
            self.abort()
            raise
        self._open = False
        logger.info(
            "evidence %s (%s) %s",
            sha256,
            human_size(self._size),
            "was already stored" if already_stored else "stored",
        )
        return StoredBlob(sha256=sha256, size=self._size, already_stored=already_stored)

    def abort(self) -> None:
        """Throw the upload away, temporary bytes included. Safe to call more than once."""
        if self._open:
            self._open = False
            self._discard()

    def __enter__(self) -> BlobWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.abort()

    def _check_open(self) -> None:
        if not self._open:
            raise ValueError("this evidence upload is already committed or aborted")

    @abstractmethod
    def _write(self, chunk: Chunk) -> None:
        """Keep ``chunk`` in the temporary place."""

    @abstractmethod
    def _place(self, sha256: str) -> bool:
        """Move the temporary bytes to ``sha256``; True if that content was already there."""

    @abstractmethod
    def _discard(self) -> None:
        """Remove every temporary byte; must cope with a half-finished ``_place``."""


class EvidenceStore(ABC):
    """Where evidence bytes live, addressed by SHA-256. One interface, several back ends."""

    name: str

    @abstractmethod
    def begin(self, max_bytes: int) -> BlobWriter:
        """Start an upload of at most ``max_bytes`` bytes."""

    def ingest(self, chunks: Iterable[Chunk], max_bytes: int) -> StoredBlob:
        """Store everything ``chunks`` yields (at most ``max_bytes``) and return its address."""
        with self.begin(max_bytes) as writer:
            for chunk in chunks:
                writer.write(chunk)
            return writer.commit()

    @abstractmethod
    def open(self, sha256: str) -> BinaryIO:
        """A readable stream of the stored bytes; raises :class:`EvidenceMissing`."""

    def open_range(self, sha256: str, start: int, length: int) -> BinaryIO:
        """A stream that starts at byte ``start`` and holds at least ``length`` bytes.

        For HTTP range requests (a player seeking in a clip). This default seeks in the
        stream :meth:`open` gives, or reads past the first bytes where it cannot seek; a
        back end that can fetch a slice itself overrides it. Raises :class:`EvidenceMissing`.
        """
        stream = self.open(sha256)
        if start == 0:
            return stream
        if stream.seekable():
            stream.seek(start)
            return stream
        left = start
        while left > 0 and (skipped := stream.read(min(READ_CHUNK, left))):
            left -= len(skipped)
        return stream

    @abstractmethod
    def exists(self, sha256: str) -> bool:
        """Whether evidence with this SHA-256 is stored."""

    @abstractmethod
    def size(self, sha256: str) -> int:
        """Size in bytes of the stored evidence; raises :class:`EvidenceMissing`."""

    def rehash(self, sha256: str) -> str:
        """Re-read the stored bytes and return the SHA-256 actually found there.

        A result that differs from ``sha256`` means the bytes changed after they were
        stored. Streams in fixed-size reads; raises :class:`EvidenceMissing`.
        """
        hasher = hashlib.sha256()
        with self.open(sha256) as stream:
            while chunk := stream.read(READ_CHUNK):
                hasher.update(chunk)
        return hasher.hexdigest()

    @abstractmethod
    def describe(self) -> str:
        """Where the evidence is, for people: ``local directory /srv/vigil/evidence``."""


# --- local directory ------------------------------------------------------------------


class LocalEvidenceStore(EvidenceStore):
    """Evidence as read-only files under ``root/sha256/ab/cd/abcd…``.

    Uploads stream to ``root/incoming/<random>.part``, are synced to disk, made read-only
    and hard-linked into place. A hard link, unlike a rename, fails if the target exists,
    so two uploads of the same file at the same moment cannot replace each other's bytes.
    Directories are made on the first upload, never at construction.
    """

    name = "local"

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        """The file that holds (or would hold) the evidence with this SHA-256."""
        check_sha256(sha256)
        return self.root / "sha256" / sha256[:2] / sha256[2:4] / sha256

    @property
    def incoming(self) -> Path:
        return self.root / "incoming"

    def begin(self, max_bytes: int) -> BlobWriter:
        return LocalBlobWriter(self, max_bytes)

    def open(self, sha256: str) -> BinaryIO:
        try:
            return self.path_for(sha256).open("rb")
        except FileNotFoundError:
            raise EvidenceMissing(sha256) from None

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def size(self, sha256: str) -> int:
        try:
            return self.path_for(sha256).stat().st_size
        except FileNotFoundError:
            raise EvidenceMissing(sha256) from None

    def describe(self) -> str:
        return f"local directory {self.root}"


class LocalBlobWriter(BlobWriter):
    """An upload into a local store: a private ``.part`` file until commit."""

    def __init__(self, store: LocalEvidenceStore, max_bytes: int) -> None:
        super().__init__(max_bytes)
        self._store = store
        store.incoming.mkdir(parents=True, exist_ok=True)
        self._temp = store.incoming / f"{secrets.token_hex(16)}.part"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        self._file: BinaryIO | None = os.fdopen(os.open(self._temp, flags, 0o600), "wb")

    def _write(self, chunk: Chunk) -> None:
        assert self._file is not None  # writes after close are refused by BlobWriter
        self._file.write(chunk)

    def _place(self, sha256: str) -> bool:
        self._close(sync=True)
        os.chmod(self._temp, READ_ONLY)
        target = self._store.path_for(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        already_stored = not _link_once(self._temp, target)
        self._temp.unlink(missing_ok=True)
        return already_stored

    def _discard(self) -> None:
        self._close(sync=False)
        self._temp.unlink(missing_ok=True)

    def _close(self, *, sync: bool) -> None:
        if self._file is None:
            return
        file, self._file = self._file, None
        try:
            if sync:
                file.flush()
                os.fsync(file.fileno())
        finally:
            file.close()


def _link_once(source: Path, target: Path) -> bool:
    """Give ``source`` the name ``target`` unless it exists; True if this call created it."""
    try:
        os.link(source, target)
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in _LINK_UNSUPPORTED:
            raise
        # A file system without hard links: check, then rename. Two identical uploads
        # racing here could rename identical bytes over each other, which changes nothing.
        if target.exists():
            return False
        os.replace(source, target)
    _sync_directory(target.parent)
    return True


def _sync_directory(directory: Path) -> None:
    """Make a new name in ``directory`` survive a power cut (POSIX only)."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- S3 -------------------------------------------------------------------------------


class S3EvidenceStore(EvidenceStore):
    """Evidence as objects ``<prefix>sha256/<hex>`` in an S3-compatible bucket.

    Uploads stream as a multipart upload to ``<prefix>incoming/<uuid>`` (one part buffered
    in memory at a time), then S3 copies the object to its content address on the server
    side. When the bucket has Object Lock and ``retention_days`` is set, the stored object
    gets a governance-mode retention: until it ends, nobody (Vigil included) can delete or
    overwrite that version without the ``s3:BypassGovernanceRetention`` permission.

    Credentials come from the arguments or, as boto3 does by default, from the
    ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY`` environment variables and friends.
    """

    name = "s3"

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        endpoint_url: str | None = None,
        region: str = "us-east-1",
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        retention_days: int = 0,
        part_size: int = S3_PART_SIZE,
    ) -> None:
        if part_size < S3_MIN_PART_SIZE:
            raise ValueError(f"part_size must be at least {human_size(S3_MIN_PART_SIZE)}")
        self.bucket = bucket
        self.prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
        self.endpoint_url = endpoint_url or None
        self.region = region
        self.retention_days = retention_days
        self.part_size = part_size
        self._credentials = {
            "aws_access_key_id": access_key_id,
            "aws_secret_access_key": secret_access_key,
        }

    @cached_property
    def client(self) -> Any:
        """The boto3 S3 client (made on first use: no network or import cost before)."""
        import boto3  # type: ignore[import-untyped]

        return boto3.client(
            "s3", endpoint_url=self.endpoint_url, region_name=self.region, **self._credentials
        )

    def key_for(self, sha256: str) -> str:
        """The object key that holds (or would hold) the evidence with this SHA-256."""
        return f"{self.prefix}sha256/{check_sha256(sha256)}"

    def incoming_key(self) -> str:
        return f"{self.prefix}incoming/{uuid.uuid4()}"

    def begin(self, max_bytes: int) -> BlobWriter:
        return S3BlobWriter(self, max_bytes)

    def open(self, sha256: str) -> BinaryIO:
        key = self.key_for(sha256)
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        except self.client.exceptions.NoSuchKey:
            raise EvidenceMissing(sha256) from None
        return io.BufferedReader(_StreamingBodyReader(body), buffer_size=READ_CHUNK)

    def open_range(self, sha256: str, start: int, length: int) -> BinaryIO:
        """Only the slice is fetched from S3 (``GetObject`` with a ``Range``)."""
        if start == 0 and length <= 0:
            return self.open(sha256)
        key = self.key_for(sha256)
        wanted = f"bytes={start}-{start + max(length, 1) - 1}"
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=key, Range=wanted)["Body"]
        except self.client.exceptions.NoSuchKey:
            raise EvidenceMissing(sha256) from None
        return io.BufferedReader(_StreamingBodyReader(body), buffer_size=READ_CHUNK)

    def exists(self, sha256: str) -> bool:
        return self.head(self.key_for(sha256)) is not None

    def size(self, sha256: str) -> int:
        head = self.head(self.key_for(sha256))
        if head is None:
            raise EvidenceMissing(sha256)
        return int(head["ContentLength"])

    def describe(self) -> str:
        where = self.endpoint_url or f"AWS {self.region}"
        return f"s3://{self.bucket}/{self.prefix} at {where}"

    @cached_property
    def object_lock(self) -> bool:
        """Whether the bucket has Object Lock enabled (asked once per store, when retention
        is configured; a bucket without it gets one warning in the log)."""
        try:
            answer = self.client.get_object_lock_configuration(Bucket=self.bucket)
        except self.client.exceptions.ClientError as exc:
            if _error_code(exc) != "ObjectLockConfigurationNotFoundError":
                raise
            answer = {}
        enabled = answer.get("ObjectLockConfiguration", {}).get("ObjectLockEnabled") == "Enabled"
        if not enabled:
            logger.warning(
                "bucket %s has no Object Lock; evidence is stored without retention", self.bucket
            )
        return bool(enabled)

    def retention(self) -> dict[str, Any] | None:
        """The Object Lock retention new evidence gets, or None for none."""
        if self.retention_days <= 0:
            return None
        if not self.object_lock:
            return None
        until = datetime.now(UTC) + timedelta(days=self.retention_days)
        return {"Mode": "GOVERNANCE", "RetainUntilDate": until}

    def head(self, key: str) -> dict[str, Any] | None:
        """The object's metadata (``HeadObject``), or None if there is no such object."""
        try:
            head: dict[str, Any] = self.client.head_object(Bucket=self.bucket, Key=key)
        except self.client.exceptions.ClientError as exc:
            if _error_code(exc) in {"404", "NoSuchKey", "NotFound"}:
                return None
            raise
        return head


class S3BlobWriter(BlobWriter):
    """An upload into an S3 store: a multipart upload to a temporary key until commit."""

    def __init__(self, store: S3EvidenceStore, max_bytes: int) -> None:
        super().__init__(max_bytes)
        self._store = store
        self._client = store.client
        self._key = store.incoming_key()
        started = self._client.create_multipart_upload(Bucket=store.bucket, Key=self._key)
        self._upload_id: str | None = started["UploadId"]
        self._parts: list[dict[str, Any]] = []
        self._buffer = bytearray()
        self._temp_version: str | None = None
        self._temp_exists = False

    def _write(self, chunk: Chunk) -> None:
        view = memoryview(chunk)
        while view:
            room = self._store.part_size - len(self._buffer)
            self._buffer += view[:room]
            view = view[room:]
            if len(self._buffer) == self._store.part_size:
                self._upload_part()

    def _upload_part(self) -> None:
        number = len(self._parts) + 1
        answer = self._client.upload_part(
            Bucket=self._store.bucket,
            Key=self._key,
            UploadId=self._upload_id,
            PartNumber=number,
            Body=bytes(self._buffer),
        )
        self._buffer = bytearray()
        part = {"PartNumber": number, "ETag": answer["ETag"]}
        # boto3 sends a CRC32 of each part by default; completing must then repeat it.
        part |= {name: value for name, value in answer.items() if name.startswith("Checksum")}
        self._parts.append(part)

    def _place(self, sha256: str) -> bool:
        if self._buffer or not self._parts:
            self._upload_part()  # the last part may be short, or empty for an empty file
        self._complete()
        target = self._store.key_for(sha256)
        already_stored = self._store.head(target) is not None
        if not already_stored:
            self._copy_to(target, sha256)
        self._delete_temp()
        return already_stored

    def _complete(self) -> None:
        answer = self._client.complete_multipart_upload(
            Bucket=self._store.bucket,
            Key=self._key,
            UploadId=self._upload_id,
            MultipartUpload={"Parts": self._parts},
        )
        self._upload_id = None
        self._temp_exists = True
        # In a versioned bucket (Object Lock implies versioning) deleting by version is
        # the only way to really remove the temporary object, not just hide it.
        version = answer.get("VersionId")
        self._temp_version = version if version and version != "null" else None

    def _copy_to(self, target: str, sha256: str) -> None:
        from boto3.s3.transfer import TransferConfig  # type: ignore[import-untyped]

        source = {"Bucket": self._store.bucket, "Key": self._key}
        if self._temp_version:
            source["VersionId"] = self._temp_version
        # S3 computes its own SHA-256 of the copy, so the bucket can vouch for the address.
        config = TransferConfig(multipart_threshold=S3_SINGLE_COPY_LIMIT)
        extra = {"ChecksumAlgorithm": "SHA256", "Metadata": {"sha256": sha256}}
        self._client.copy(source, self._store.bucket, target, ExtraArgs=extra, Config=config)
        retention = self._store.retention()
        if retention is not None:
            # Set after the copy rather than with it: S3-compatible servers disagree on
            # which checksum headers a copy with retention needs; this call works on all.
            self._client.put_object_retention(
                Bucket=self._store.bucket, Key=target, Retention=retention
            )

    def _delete_temp(self) -> None:
        if not self._temp_exists:
            return
        version = {"VersionId": self._temp_version} if self._temp_version else {}
        self._client.delete_object(Bucket=self._store.bucket, Key=self._key, **version)
        self._temp_exists = False

    def _discard(self) -> None:
        self._buffer = bytearray()
        if self._upload_id is not None:
            upload_id, self._upload_id = self._upload_id, None
            self._client.abort_multipart_upload(
                Bucket=self._store.bucket, Key=self._key, UploadId=upload_id
            )
        self._delete_temp()


class _StreamingBodyReader(io.RawIOBase):
    """botocore's response body as a raw stream, so callers get a real buffered file."""

    def __init__(self, body: Any) -> None:
        super().__init__()
        self._body = body

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data: bytes = self._body.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._body.close()
        super().close()


def _error_code(exc: Any) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


# --- configuration --------------------------------------------------------------------


def store_from_url(
    url: str,
    *,
    data_dir: Path,
    endpoint_url: str = "",
    region: str = "us-east-1",
    retention_days: int = 0,
) -> EvidenceStore:
    """The store that ``VIGIL_EVIDENCE_STORE`` names (already checked by ``vigil.config``).

    ``local`` (or empty) is ``data_dir/evidence``; ``file:///abs/path`` a local directory
    elsewhere; ``s3://bucket/optional/prefix`` a bucket.
    """
    if url in {"", "local"}:
        return LocalEvidenceStore(data_dir / "evidence")
    parts = urlsplit(url)
    if parts.scheme == "file" and not parts.netloc:
        return LocalEvidenceStore(Path(unquote(parts.path)))
    if parts.scheme == "s3" and parts.netloc:
        return S3EvidenceStore(
            parts.netloc,
            unquote(parts.path),
            endpoint_url=endpoint_url or None,
            region=region,
            retention_days=retention_days,
        )
    raise ValueError(f"{url!r} is not an evidence store (expected local, file:/// or s3://)")


def store_from_settings() -> EvidenceStore:
    """The evidence store this Vigil instance is configured with."""
    from django.conf import settings

    return store_from_url(
        settings.EVIDENCE_STORE_URL,
        data_dir=Path(settings.DATA_DIR),
        endpoint_url=settings.EVIDENCE_S3_ENDPOINT_URL,
        region=settings.EVIDENCE_S3_REGION,
        retention_days=settings.EVIDENCE_RETENTION_DAYS,
    )


def max_upload_bytes() -> int:
    """The largest evidence file Vigil accepts (``VIGIL_EVIDENCE_MAX_BYTES``)."""
    from django.conf import settings

    return int(settings.EVIDENCE_MAX_BYTES)
