"""What a POS data set *is*: a digest of its tables' contents, whatever it is called.

The same export uploaded twice, or dropped into the inbox as ``monday`` and again as
``monday-again``, has the same digest, so Vigil recognises it before reading a single row.
The digest is SHA-256 over the contract's tables in the contract's order; for each table
present, its name, and the bytes of its file (or of its Parquet parts, in name order). The
folder's name, the files' dates and any file the contract does not know play no part.

Hashing reads the files once at disk speed, far less than checking and scanning them, which
is why a repeated export costs almost nothing.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from vigil.engines.pos.loading import find_sources

CHUNK = 4 * 1024 * 1024


def content_digest(folder: Path) -> str:
    """The hex SHA-256 of the data set in ``folder`` (a :class:`ContractError` when a
    required table is missing, as the import would say anyway)."""
    digest = hashlib.sha256(b"vigil-pos-data-set-v1\n")
    for name, source in find_sources(folder).items():
        files = sorted(source.path.glob("*.parquet")) if source.path.is_dir() else [source.path]
        digest.update(f"table {name} {source.kind} {len(files)}\n".encode())
        for path in files:
            digest.update(f"part {path.stat().st_size}\n".encode())
            _feed(digest, path)
    return digest.hexdigest()


def _feed(digest: hashlib._Hash, path: Path) -> None:
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)


def folder_signature(folder: Path) -> str:
    """A cheap fingerprint of a folder as it lies on disk: each file's name, size and
    modification time, hashed. It tells the nightly job that a folder imported before has
    not been touched since, without reading it; any change at all (a new file, a rewrite,
    a copy with other dates) changes it, and the folder is hashed in full again."""
    listing = sorted(
        f"{path.relative_to(folder)}\t{stat.st_size}\t{stat.st_mtime_ns}"
        for path in folder.rglob("*")
        if path.is_file() and (stat := path.stat())
    )
    return hashlib.sha256("\n".join(listing).encode()).hexdigest()
