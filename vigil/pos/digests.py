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
