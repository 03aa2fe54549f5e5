"""What a file is, read from its first bytes: the kinds of file loss prevention keeps.

A file's name and the type its browser declares are whatever the sender made them, so a
program renamed ``cam3.mp4`` reads as a clip until its bytes are looked at. Vigil looks at
the first :data:`SNIFF_BYTES` of every evidence upload and every floor-walk or hazard photo,
before anything is stored, and keeps only the kinds on one allow-list: photos, video, audio,
PDFs, plain text or CSV, and office documents. Programs, scripts, web pages and SVG drawings
(which run code when opened) and archives (whose contents cannot be checked) are refused.

The binary signatures come from the ``filetype`` library; this module adds what it lacks:
ISO media brands it does not list (HEIF variants, newer MP4 brands, QuickTime without an
``ftyp`` box), macOS programs and ``#!`` scripts, and text, which has no signature at all.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import filetype  # type: ignore[import-untyped]
from django.db import models

# Enough for every signature here (an Office file names its parts within the first few KiB).
SNIFF_BYTES = 8192


class FileKind(models.TextChoices):
    """What a file is for an investigator; a kind of record can need one or several."""

    IMAGE = "image", "photo"
    VIDEO = "video", "video"
    AUDIO = "audio", "audio recording"
    PDF = "pdf", "PDF document"
    TEXT = "text", "text file"
    OFFICE = "office", "office document"


@dataclass(frozen=True)
class FileType:
    """An accepted kind of file: the media type Vigil stores and serves, and its names."""

    media_type: str
    kind: FileKind
    short: str  # the format as people name it: "JPEG", "MP4"
    label: str  # what it is, with its article: "a JPEG photo"

    @property
    def name(self) -> str:
        """What it is, without the article: "JPEG photo"."""
        return self.label.split(" ", 1)[1]


class FileTypeRefused(Exception):
    """The bytes show a kind of file Vigil never keeps; ``what`` names it, ``why`` says why."""

    def __init__(self, what: str, why: str) -> None:
        super().__init__(f"{what}: {why}")
        self.what = what
        self.why = why


def _types(kind: FileKind, *rows: tuple[str, str, str]) -> list[FileType]:
    return [FileType(media_type, kind, short, label) for media_type, short, label in rows]


ACCEPTED: tuple[FileType, ...] = (
    *_types(
        FileKind.IMAGE,
        ("image/jpeg", "JPEG", "a JPEG photo"),
        ("image/png", "PNG", "a PNG picture"),
        ("image/gif", "GIF", "a GIF picture"),
        ("image/webp", "WebP", "a WebP picture"),
        ("image/heic", "HEIC", "a HEIC photo"),
    ),
    *_types(
        FileKind.VIDEO,
        ("video/mp4", "MP4", "an MP4 video"),
        ("video/quicktime", "MOV", "a QuickTime (MOV) video"),
        ("video/webm", "WebM", "a WebM video"),
        ("video/x-msvideo", "AVI", "an AVI video"),
        ("video/x-matroska", "MKV", "a Matroska (MKV) video"),
    ),
    *_types(
        FileKind.AUDIO,
        ("audio/mpeg", "MP3", "an MP3 recording"),
        ("audio/x-wav", "WAV", "a WAV recording"),
        ("audio/mp4", "M4A", "an M4A recording"),
        ("audio/ogg", "OGG", "an Ogg recording"),
    ),
    *_types(FileKind.PDF, ("application/pdf", "PDF", "a PDF document")),
    *_types(
        FileKind.TEXT,
        ("text/plain", "plain text", "a plain-text file"),
        ("text/csv", "CSV", "a CSV file"),
        ("application/xml", "XML", "an XML file"),
    ),
    *_types(
        FileKind.OFFICE,
        ("application/msword", "Word", "a Word document"),
        (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word",
            "a Word document",
        ),
        ("application/vnd.ms-excel", "Excel", "an Excel spreadsheet"),
        (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel",
            "an Excel spreadsheet",
        ),
        ("application/vnd.ms-powerpoint", "PowerPoint", "a PowerPoint presentation"),
        (
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "PowerPoint",
            "a PowerPoint presentation",
        ),
        ("application/vnd.oasis.opendocument.text", "OpenDocument", "an OpenDocument text"),
        (
            "application/vnd.oasis.opendocument.spreadsheet",
            "OpenDocument",
            "an OpenDocument spreadsheet",
        ),
        (
            "application/vnd.oasis.opendocument.presentation",
            "OpenDocument",
            "an OpenDocument presentation",
        ),
        ("application/rtf", "RTF", "an RTF document"),
    ),
)
BY_MEDIA_TYPE = {accepted.media_type: accepted for accepted in ACCEPTED}
# Names the library gives that are an accepted type under another name.
_SAME_AS = {"image/apng": "image/png", "video/x-m4v": "video/mp4"}

_PROGRAM = "programs and scripts are never taken: they could run when someone opens them"
_ARCHIVE = "an archive's contents cannot be checked: unpack it and add each file on its own"
_REFUSED = {
    "application/x-msdownload": ("a Windows program (EXE or DLL)", _PROGRAM),
    "application/x-executable": ("a Linux program (ELF)", _PROGRAM),
    "application/x-shockwave-flash": ("a Flash program (SWF)", _PROGRAM),
    "application/wasm": ("a WebAssembly program", _PROGRAM),
    "application/x-google-chrome-extension": ("a browser extension (CRX)", _PROGRAM),
    "application/x-deb": ("a software package (DEB)", _PROGRAM),
    "application/x-rpm": ("a software package (RPM)", _PROGRAM),
    "application/epub+zip": ("an e-book (EPUB)", "export it as PDF instead"),
}
_ARCHIVES = frozenset(
    {
        "application/zip",
        "application/x-tar",
        "application/x-rar-compressed",
        "application/gzip",
        "application/x-bzip2",
        "application/x-7z-compressed",
        "application/x-xz",
        "application/vnd.ms-cab-compressed",
        "application/x-unix-archive",
        "application/x-compress",
        "application/x-lzop",
        "application/x-lzip",
        "application/x-lz4",
        "application/zstd",
        "application/x-brotli",
    }
)

# ISO base media files (MP4, MOV, HEIC, M4A) name their flavour in an ``ftyp`` box's brands.
_HEIF_BRANDS = frozenset({"heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"})
_MP4_BRANDS = frozenset(
    {"isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42", "mp71", "avc1", "dash", "M4V "}
)
_QUICKTIME_ATOMS = frozenset({b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"})
_MACHO = (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe")
_JAVA_OR_FAT_MACHO = b"\xca\xfe\xba\xbe"

# Control characters that never occur in text a person or a till wrote (tab, line feed,
# carriage return, form feed and vertical tab do).
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SVG = re.compile(r"<svg[\s>/]", re.IGNORECASE)
_WEB_PAGE = re.compile(
    r"<(?:!doctype\s+html|html|head|body|script|iframe|frameset|object|embed|applet)[\s>/]",
    re.IGNORECASE,
)


def detect(head: bytes) -> FileType:
    """The accepted type that ``head`` (a file's first bytes) starts like.

    Raises :class:`FileTypeRefused` for a kind Vigil never keeps, or bytes it cannot
    recognise. ``head`` should be the first :data:`SNIFF_BYTES` bytes, or the whole file
    when it is shorter.
    """
    if not head:
        raise FileTypeRefused("an empty file", "there is nothing in it to keep")
    return _binary_type(head) or _text_type(head)


def as_declared_text(found: FileType, declared: str, filename: str) -> FileType:
    """``found`` or, for plain text that its sender calls CSV, CSV.

    Sniffing only says CSV when every line has the same columns; a CSV with sections (a
    POS journal: the transaction, its lines, its tenders, each with its own header) reads
    as plain text. Both are text, shown and served alike, so the sender's word decides.
    """
    said_csv = declared.split(";")[0].strip().lower() == "text/csv"
    if found.media_type == "text/plain" and (said_csv or filename.lower().endswith(".csv")):
        return BY_MEDIA_TYPE["text/csv"]
    return found


def _binary_type(head: bytes) -> FileType | None:
    guessed = filetype.guess(head)
    if guessed is not None:
        media_type = _SAME_AS.get(guessed.mime, guessed.mime)
        if media_type in BY_MEDIA_TYPE:
            return BY_MEDIA_TYPE[media_type]
        raise _refusal(media_type, str(guessed.extension))
    if head.startswith(_MACHO) or head.startswith(_JAVA_OR_FAT_MACHO):
        raise FileTypeRefused("a macOS or Java program", _PROGRAM)
    if head.startswith(b"#!"):
        raise FileTypeRefused("a script (it starts with #!)", _PROGRAM)
    return _iso_media_type(head)


def _refusal(media_type: str, extension: str) -> FileTypeRefused:
    if media_type in _REFUSED:
        return FileTypeRefused(*_REFUSED[media_type])
    if media_type in _ARCHIVES:
        return FileTypeRefused(f"an archive ({extension.upper()})", _ARCHIVE)
    return FileTypeRefused(
        f"a {extension.upper()} file ({media_type})",
        f"that is not a kind of file Vigil keeps; evidence is {describe_kinds(FileKind)}",
    )


def _iso_media_type(head: bytes) -> FileType | None:
    """HEIC, MP4 and MOV flavours the library's brand lists miss."""
    if head[4:8] in _QUICKTIME_ATOMS:
        return BY_MEDIA_TYPE["video/quicktime"]
    if head[4:8] != b"ftyp" or len(head) < 12:
        return None
    brand = head[8:12].decode("latin-1")
    if brand in _HEIF_BRANDS:
        return BY_MEDIA_TYPE["image/heic"]
    if brand in _MP4_BRANDS:
        return BY_MEDIA_TYPE["video/mp4"]
    if brand == "qt  ":
        return BY_MEDIA_TYPE["video/quicktime"]
    return None


def _text_type(head: bytes) -> FileType:
    """Plain text, CSV or XML; a web page or an SVG drawing, which are refused."""
    text = _decoded(head)
    if text is None or _BINARY.search(text):
        raise FileTypeRefused(
            "a kind of file Vigil does not recognise",
            f"evidence is {describe_kinds(FileKind)}",
        )
    if _SVG.search(text):
        raise FileTypeRefused(
            "an SVG drawing", "SVG can carry scripts that run when it is opened; send a PNG"
        )
    if _WEB_PAGE.search(text):
        raise FileTypeRefused(
            "a web page (HTML) or a file with a script in it",
            "web pages run scripts when opened; save the page as PDF or a screenshot instead",
        )
    if text.lstrip().startswith("<"):
        return BY_MEDIA_TYPE["application/xml"]
    if _looks_like_csv(text):
        return BY_MEDIA_TYPE["text/csv"]
    return BY_MEDIA_TYPE["text/plain"]


def _decoded(head: bytes) -> str | None:
    """``head`` as text: UTF-16 or UTF-8 (a BOM, or none), else Windows-1252 as older
    tills write; None when it is none of them."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_cut(head, "utf-16")
    return _decode_cut(head, "utf-8-sig") or _decode_cut(head, "cp1252")


def _decode_cut(head: bytes, encoding: str) -> str | None:
    """Decode, allowing a character that the end of ``head`` cuts in two."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        return str(decoder.decode(head, final=False))
    except UnicodeDecodeError:
        return None


def _looks_like_csv(text: str) -> bool:
    """Two or more complete lines that split into the same number (2+) of columns."""
    lines = [line for line in text.splitlines()[:-1] if line.strip()][:20]
    if len(lines) < 2:
        return False
    for delimiter in (",", ";", "\t"):
        widths = {len(row) for row in csv.reader(lines, delimiter=delimiter)}
        if len(widths) == 1 and widths.pop() >= 2:
            return True
    return False


def describe_kinds(kinds: Iterable[FileKind]) -> str:
    """``"a photo (JPEG, PNG, GIF, WebP or HEIC) or a video (MP4, …)"``: for messages."""
    wanted = set(kinds)
    parts = []
    for kind in (kind for kind in FileKind if kind in wanted):  # always in the same order
        formats = list(dict.fromkeys(t.short for t in ACCEPTED if t.kind == kind))
        listed = formats[0] if len(formats) == 1 else f"{', '.join(formats[:-1])} or {formats[-1]}"
        article = "an" if kind.label[0] in "aeiou" else "a"
        parts.append(f"{article} {kind.label}" + ("" if listed in kind.label else f" ({listed})"))
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} or {parts[-1]}"


_WHOLE_FAMILY = {FileKind.IMAGE: "image/*", FileKind.VIDEO: "video/*", FileKind.AUDIO: "audio/*"}


def accept_attribute(kinds: Iterable[FileKind]) -> str:
    """A file input's ``accept`` for ``kinds``: a hint for the phone's picker (the server
    still reads every file's bytes)."""
    wanted = set(kinds)
    accepted = [
        _WHOLE_FAMILY[kind] for kind in FileKind if kind in _WHOLE_FAMILY and kind in wanted
    ]
    accepted += [t.media_type for t in ACCEPTED if t.kind in wanted and t.kind not in _WHOLE_FAMILY]
    return ",".join(accepted)


class Readable(Protocol):
    """A request body, or any stream read in chunks."""

    def read(self, size: int, /) -> bytes: ...


def read_head(body: Readable, length: int) -> bytes:
    """Up to :data:`SNIFF_BYTES` of ``body`` (fewer if it ends or is cut off first)."""
    wanted = min(SNIFF_BYTES, length)
    head = bytearray()
    while len(head) < wanted:
        chunk = body.read(wanted - len(head))
        if not chunk:
            break
        head += chunk
    return bytes(head)


class Replayed:
    """A request body whose first bytes were read to tell its type: they come first again."""

    def __init__(self, head: bytes, rest: Readable) -> None:
        self._head = head
        self._rest = rest

    def read(self, size: int, /) -> bytes:
        if not self._head:
            return self._rest.read(size)
        data, self._head = self._head[:size], self._head[size:]
        return data
