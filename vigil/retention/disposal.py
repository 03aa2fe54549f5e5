"""Removing the files behind purged records: video blobs, POS data set copies, evidence bytes.

Files go only after the database rows that named them are gone (the purge calls these on
commit), and only when nothing left still names the same content. Evidence in S3 under an
Object Lock retention that has not ended is left where it is: :func:`locked_until` says so
before the purge decides, and the record that owns it waits for a later run.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from pathlib import Path
from typing import Any

from vigil.evidence.storage import EvidenceStore, LocalEvidenceStore, S3EvidenceStore

logger = logging.getLogger(__name__)


def _removal_errors() -> tuple[type[Exception], ...]:
    try:
        from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]
    except ImportError:  # no S3 support installed: only the disk can fail
        return (OSError,)
    return (OSError, BotoCoreError, ClientError)


# What removing a file can raise: the disk's errors, or S3's (a lock set behind our back).
REMOVAL_ERRORS = _removal_errors()


def locked_until(store: EvidenceStore, sha256: str, now: dt.datetime) -> dt.datetime | None:
    """The latest Object Lock retain-until date still in the future on any version of the
    object (a legal hold on the object counts as locked indefinitely), else None."""
    if not isinstance(store, S3EvidenceStore):
        return None
    latest: dt.datetime | None = None
    for version in _versions(store, store.key_for(sha256), markers=False):
        head = store.client.head_object(
            Bucket=store.bucket, Key=store.key_for(sha256), **_version_arg(version)
        )
        if head.get("ObjectLockLegalHoldStatus") == "ON":
            return dt.datetime.max.replace(tzinfo=dt.UTC)
        until = head.get("ObjectLockRetainUntilDate")
        if until is not None and until > now and (latest is None or until > latest):
            latest = until
    return latest


def remove_evidence_bytes(store: EvidenceStore, sha256: str) -> bool:
    """Delete the stored bytes (every version, in S3); True if something was removed."""
    if isinstance(store, LocalEvidenceStore):
        path = store.path_for(sha256)
        if not path.exists():
            return False
        path.unlink()
        return True
    if isinstance(store, S3EvidenceStore):
        key = store.key_for(sha256)
        versions = _versions(store, key)
        for version in versions:
            store.client.delete_object(Bucket=store.bucket, Key=key, **_version_arg(version))
        return bool(versions)
    logger.warning("no way to remove evidence bytes from %s; %s left", store.describe(), sha256)
    return False


def _versions(store: S3EvidenceStore, key: str, *, markers: bool = True) -> list[str | None]:
    """Every version id of ``key`` (None for an unversioned object), delete markers too
    unless ``markers`` is false."""
    answer: dict[str, Any] = store.client.list_object_versions(Bucket=store.bucket, Prefix=key)
    groups = ("Versions", "DeleteMarkers") if markers else ("Versions",)
    found = [
        entry.get("VersionId")
        for group in groups
        for entry in answer.get(group, [])
        if entry["Key"] == key
    ]
    return [None if version in (None, "null") else version for version in found]


def _version_arg(version: str | None) -> dict[str, str]:
    return {"VersionId": version} if version else {}


def remove_file(path: Path) -> bool:
    """Delete one write-once file (a snapshot, a clip); True if it was there."""
    if not path.exists():
        return False
    path.unlink()
    return True


def remove_folder(path: Path) -> bool:
    """Delete a POS data set's copy (a folder of Parquet tables); True if it was there."""
    if not path.exists():
        return False
    shutil.rmtree(path)
    return True
