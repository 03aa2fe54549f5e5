"""The evidence store keeps bytes by their SHA-256, once, unchanged, locally or in S3.

Most behaviours are specified once and checked against both back ends: a local directory
and a real S3 endpoint (moto's server, see ``conftest.py``).
"""

from __future__ import annotations

import base64
import hashlib
import os
import stat
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.evidence.conftest import S3Server
from vigil.evidence.storage import (
    EvidenceMissing,
    EvidenceStore,
    EvidenceTooLarge,
    LocalEvidenceStore,
    S3EvidenceStore,
    max_upload_bytes,
    store_from_settings,
)

MiB = 1024 * 1024
LIMIT = 100 * MiB
BAD_SHA256 = [
    "../etc/passwd",
    "../../" + "a" * 58,
    "A" * 64,
    "a" * 63,
    "a" * 65,
    "a" * 64 + "\n",
    "g" * 64,
    "",
]


@dataclass
class Backend:
    """A store plus what a test needs to look behind its back."""

    store: EvidenceStore
    leftovers: Callable[[], list[str]]  # temporary files, keys or open multipart uploads
    identity: Callable[[str], object]  # changes if the stored object is rewritten
    tamper: Callable[[str], None]  # flip one byte of the stored object


def local_backend(root: Path) -> Backend:
    store = LocalEvidenceStore(root)

    def leftovers() -> list[str]:
        incoming = root / "incoming"
        return sorted(path.name for path in incoming.iterdir()) if incoming.exists() else []

    def identity(sha256: str) -> object:
        found = store.path_for(sha256).stat()
        return (found.st_ino, found.st_mtime_ns, found.st_ctime_ns)

    def tamper(sha256: str) -> None:
        path = store.path_for(sha256)
        path.chmod(0o644)
        with path.open("r+b") as file:
            first = file.read(1)
            file.seek(0)
            file.write(bytes([first[0] ^ 0xFF]))

    return Backend(store, leftovers, identity, tamper)


def s3_backend(server: S3Server, bucket: str, **options: Any) -> Backend:
    prefix = f"test-{uuid.uuid4().hex}"
    store = S3EvidenceStore(bucket, prefix, endpoint_url=server.endpoint_url, **options)
    client = server.client()

    def leftovers() -> list[str]:
        versions = client.list_object_versions(Bucket=bucket, Prefix=f"{prefix}/incoming/")
        found = versions.get("Versions", []) + versions.get("DeleteMarkers", [])
        uploads = client.list_multipart_uploads(Bucket=bucket, Prefix=f"{prefix}/")
        return sorted(item["Key"] for item in found + uploads.get("Uploads", []))

    def identity(sha256: str) -> object:
        versions = client.list_object_versions(Bucket=bucket, Prefix=store.key_for(sha256))
        return [version["VersionId"] for version in versions.get("Versions", [])]

    def tamper(sha256: str) -> None:
        key = store.key_for(sha256)
        data = bytearray(client.get_object(Bucket=bucket, Key=key)["Body"].read())
        data[0] ^= 0xFF
        client.put_object(Bucket=bucket, Key=key, Body=bytes(data))

    return Backend(store, leftovers, identity, tamper)


@pytest.fixture(params=["local", "s3"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "local":
        return local_backend(tmp_path / "evidence")
    server: S3Server = request.getfixturevalue("s3_server")
    return s3_backend(server, server.bucket)


def payload(size: int, seed: int = 0) -> bytes:
    return hashlib.sha256(str(seed).encode()).digest() * (size // 32) + b"x" * (size % 32)


def chunked(data: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def read_back(store: EvidenceStore, sha256: str) -> bytes:
    with store.open(sha256) as stream:
        return b"".join(iter(lambda: stream.read(100_000), b""))


# --- both back ends -------------------------------------------------------------------


@pytest.mark.parametrize(("start", "length"), [(0, 10), (1_000, 4_096), (MiB + 3, 20_000)])
def test_a_slice_is_read_from_any_offset(backend: Backend, start: int, length: int) -> None:
    data = payload(2 * MiB)
    stored = backend.store.ingest(chunked(data), LIMIT)
    with backend.store.open_range(stored.sha256, start, length) as stream:
        assert stream.read(length) == data[start : start + length]


def test_a_slice_of_missing_evidence_is_missing(backend: Backend) -> None:
    with pytest.raises(EvidenceMissing):
        backend.store.open_range("e" * 64, 10, 10)


def test_ingest_returns_the_sha256_and_size_of_the_bytes(backend: Backend) -> None:
    data = payload(300_000)
    stored = backend.store.ingest(chunked(data), LIMIT)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data)
    assert stored.already_stored is False
    assert backend.store.exists(stored.sha256)
    assert backend.store.size(stored.sha256) == len(data)


def test_an_empty_file_is_evidence_too(backend: Backend) -> None:
    stored = backend.store.ingest([], LIMIT)
    assert stored.sha256 == hashlib.sha256(b"").hexdigest()
    assert read_back(backend.store, stored.sha256) == b""


def test_identical_content_is_stored_once_and_the_original_is_left_untouched(
    backend: Backend,
) -> None:
    data = payload(200_000)
    first = backend.store.ingest(chunked(data), LIMIT)
    before = backend.identity(first.sha256)
    second = backend.store.ingest(chunked(data, 7_000), LIMIT)
    assert second.sha256 == first.sha256
    assert second.already_stored is True
    assert backend.identity(first.sha256) == before
    assert read_back(backend.store, first.sha256) == data
    assert backend.leftovers() == []


def test_an_upload_over_the_limit_is_refused_and_leaves_nothing_behind(
    backend: Backend,
) -> None:
    data = payload(1_800)
    with pytest.raises(EvidenceTooLarge) as refused:
        backend.store.ingest(chunked(data, 600), max_bytes=1_000)
    assert refused.value.limit == 1_000
    assert backend.leftovers() == []
    assert not backend.store.exists(hashlib.sha256(data).hexdigest())


def test_the_limit_is_enforced_the_moment_a_chunk_passes_it(backend: Backend) -> None:
    writer = backend.store.begin(max_bytes=1_000)
    writer.write(b"a" * 1_000)  # exactly the limit is allowed
    with pytest.raises(EvidenceTooLarge):
        writer.write(b"a")
    assert backend.leftovers() == []
    with pytest.raises(ValueError, match="already committed or aborted"):
        writer.commit()


def test_aborting_mid_stream_leaves_nothing_behind(backend: Backend) -> None:
    writer = backend.store.begin(LIMIT)
    for chunk in chunked(payload(9 * MiB), MiB):  # S3: one 8 MiB part already uploaded
        writer.write(chunk)
    writer.abort()
    writer.abort()  # a second abort is harmless
    assert backend.leftovers() == []


def test_an_exception_while_uploading_aborts_the_upload(backend: Backend) -> None:
    def upload_until_the_browser_goes_away() -> None:
        with backend.store.begin(LIMIT) as writer:
            writer.write(payload(50_000))
            raise ConnectionResetError("the browser went away")

    with pytest.raises(ConnectionResetError):
        upload_until_the_browser_goes_away()
    assert backend.leftovers() == []


def test_an_upload_never_committed_is_thrown_away(backend: Backend) -> None:
    with backend.store.begin(LIMIT) as writer:
        writer.write(payload(50_000))
    assert backend.leftovers() == []
    assert not backend.store.exists(hashlib.sha256(payload(50_000)).hexdigest())


def test_push_style_writer_stores_what_it_was_fed(backend: Backend) -> None:
    data = payload(70_000, seed=3)
    with backend.store.begin(LIMIT) as writer:
        for chunk in chunked(data, 10_000):
            writer.write(chunk)
        stored = writer.commit()
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert read_back(backend.store, stored.sha256) == data
    assert backend.leftovers() == []


def test_open_streams_back_the_exact_bytes(backend: Backend) -> None:
    data = payload(2 * MiB + 123, seed=1)
    stored = backend.store.ingest(chunked(data, MiB), LIMIT)
    with backend.store.open(stored.sha256) as stream:
        first = stream.read(10)
        rest = stream.read()
    assert first + rest == data


def test_rehash_finds_the_digest_of_untouched_bytes(backend: Backend) -> None:
    stored = backend.store.ingest(chunked(payload(100_000)), LIMIT)
    assert backend.store.rehash(stored.sha256) == stored.sha256


def test_rehash_detects_a_changed_byte(backend: Backend) -> None:
    data = payload(100_000, seed=2)
    stored = backend.store.ingest(chunked(data), LIMIT)
    backend.tamper(stored.sha256)
    changed = bytearray(data)
    changed[0] ^= 0xFF
    assert backend.store.rehash(stored.sha256) == hashlib.sha256(changed).hexdigest()


def test_missing_evidence_is_reported_as_missing(backend: Backend) -> None:
    absent = hashlib.sha256(b"never stored").hexdigest()
    assert backend.store.exists(absent) is False
    for read in (backend.store.open, backend.store.size, backend.store.rehash):
        with pytest.raises(EvidenceMissing):
            read(absent)


@pytest.mark.parametrize("bad", BAD_SHA256)
@pytest.mark.parametrize("method", ["open", "exists", "size", "rehash"])
def test_anything_but_a_sha256_is_rejected(backend: Backend, method: str, bad: str) -> None:
    with pytest.raises(ValueError, match="not a SHA-256"):
        getattr(backend.store, method)(bad)


def test_describe_says_where_the_evidence_is(backend: Backend) -> None:
    description = backend.store.describe()
    if isinstance(backend.store, LocalEvidenceStore):
        assert description == f"local directory {backend.store.root}"
    else:
        assert description.startswith("s3://evidence/test-")
        assert "at http://127.0.0.1:" in description


# --- local directory ------------------------------------------------------------------


def test_local_files_are_read_only_and_laid_out_by_hash(tmp_path: Path) -> None:
    store = LocalEvidenceStore(tmp_path)
    stored = store.ingest([b"receipt photo"], LIMIT)
    path = tmp_path / "sha256" / stored.sha256[:2] / stored.sha256[2:4] / stored.sha256
    assert store.path_for(stored.sha256) == path
    assert stat.S_IMODE(path.stat().st_mode) == 0o400


def test_a_local_store_touches_no_disk_until_the_first_upload(tmp_path: Path) -> None:
    root = tmp_path / "not-yet"
    store = LocalEvidenceStore(root)
    assert store.exists(hashlib.sha256(b"x").hexdigest()) is False
    assert not root.exists()


def test_a_local_upload_streams_to_a_private_part_file(tmp_path: Path) -> None:
    store = LocalEvidenceStore(tmp_path)
    with store.begin(LIMIT) as writer:
        writer.write(b"half an upload")
        (part,) = (tmp_path / "incoming").iterdir()
        assert part.suffix == ".part"
        assert stat.S_IMODE(part.stat().st_mode) == 0o600


def test_the_size_limit_message_is_human_readable() -> None:
    refused = EvidenceTooLarge(2 * 1024**3)
    assert str(refused) == "the file is larger than the 2.0 GiB evidence limit"


# --- S3 -------------------------------------------------------------------------------


def test_a_large_s3_upload_goes_up_in_8_mib_parts(
    s3_server: S3Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = s3_backend(s3_server, s3_server.bucket)
    store = backend.store
    assert isinstance(store, S3EvidenceStore)
    part_sizes: list[int] = []
    upload_part = store.client.upload_part

    def counting_upload_part(**request: Any) -> Any:
        part_sizes.append(len(request["Body"]))
        return upload_part(**request)

    monkeypatch.setattr(store.client, "upload_part", counting_upload_part)
    data = os.urandom(20 * MiB)
    stored = store.ingest(chunked(data, MiB), LIMIT)
    assert part_sizes == [8 * MiB, 8 * MiB, 4 * MiB]
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert store.rehash(stored.sha256) == stored.sha256
    assert backend.leftovers() == []


def test_s3_keeps_its_own_sha256_matching_the_address(s3_server: S3Server) -> None:
    backend = s3_backend(s3_server, s3_server.bucket)
    store = backend.store
    assert isinstance(store, S3EvidenceStore)
    stored = store.ingest([b"statement.pdf bytes"], LIMIT)
    head = s3_server.client().head_object(
        Bucket=store.bucket, Key=store.key_for(stored.sha256), ChecksumMode="ENABLED"
    )
    assert base64.b64decode(head["ChecksumSHA256"]).hex() == stored.sha256


def test_an_object_lock_bucket_gets_governance_retention(s3_server: S3Server) -> None:
    backend = s3_backend(s3_server, s3_server.locked_bucket, retention_days=30)
    store = backend.store
    assert isinstance(store, S3EvidenceStore)
    stored = store.ingest([b"cctv clip"], LIMIT)
    head = s3_server.client().head_object(Bucket=store.bucket, Key=store.key_for(stored.sha256))
    assert head["ObjectLockMode"] == "GOVERNANCE"
    assert head["ObjectLockRetainUntilDate"] > datetime.now(UTC) + timedelta(days=29)
    assert backend.leftovers() == []


def test_retention_is_skipped_on_a_bucket_without_object_lock(s3_server: S3Server) -> None:
    backend = s3_backend(s3_server, s3_server.bucket, retention_days=30)
    store = backend.store
    assert isinstance(store, S3EvidenceStore)
    stored = store.ingest([b"cctv clip"], LIMIT)
    head = s3_server.client().head_object(Bucket=store.bucket, Key=store.key_for(stored.sha256))
    assert "ObjectLockMode" not in head


# --- settings -------------------------------------------------------------------------


def test_the_default_store_is_the_evidence_directory_in_the_data_dir(settings: Any) -> None:
    settings.EVIDENCE_STORE_URL = "local"
    store = store_from_settings()
    assert isinstance(store, LocalEvidenceStore)
    assert store.root == Path(settings.DATA_DIR) / "evidence"


def test_a_file_url_names_a_local_directory(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_STORE_URL = f"file://{tmp_path}/vault"
    store = store_from_settings()
    assert isinstance(store, LocalEvidenceStore)
    assert store.root == tmp_path / "vault"


def test_an_s3_url_names_a_bucket_and_prefix(settings: Any) -> None:
    settings.EVIDENCE_STORE_URL = "s3://lp-evidence/store-42/"
    settings.EVIDENCE_S3_ENDPOINT_URL = "http://127.0.0.1:9000"
    settings.EVIDENCE_S3_REGION = "eu-west-2"
    settings.EVIDENCE_RETENTION_DAYS = 2555
    store = store_from_settings()
    assert isinstance(store, S3EvidenceStore)
    assert (store.bucket, store.prefix, store.region) == ("lp-evidence", "store-42/", "eu-west-2")
    assert store.retention_days == 2555
    assert store.describe() == "s3://lp-evidence/store-42/ at http://127.0.0.1:9000"


def test_the_upload_limit_comes_from_settings(settings: Any) -> None:
    settings.EVIDENCE_MAX_BYTES = 500 * MiB
    assert max_upload_bytes() == 500 * MiB
