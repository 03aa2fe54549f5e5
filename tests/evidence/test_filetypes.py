"""What a file is, read from its first bytes: the kinds evidence can be, and what is refused."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.conftest import MAGIC, tiny_file
from tests.shared_data import shared_data
from vigil.evidence.filetypes import (
    SNIFF_BYTES,
    FileKind,
    FileTypeRefused,
    Replayed,
    as_declared_text,
    detect,
    read_head,
)


def zipped(*names: str) -> bytes:
    """A real ZIP holding ``names`` in that order (Office files are ZIPs named this way)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def ole2(marker: bytes) -> bytes:
    """An Office 97-2003 compound file: its signature, and the marker at byte 512."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".ljust(512, b"\0") + marker.ljust(512, b"\0")


EXPECTED = {
    "jpeg": ("image/jpeg", FileKind.IMAGE),
    "png": ("image/png", FileKind.IMAGE),
    "gif": ("image/gif", FileKind.IMAGE),
    "webp": ("image/webp", FileKind.IMAGE),
    "heic": ("image/heic", FileKind.IMAGE),
    "mp4": ("video/mp4", FileKind.VIDEO),
    "mov": ("video/quicktime", FileKind.VIDEO),
    "webm": ("video/webm", FileKind.VIDEO),
    "mkv": ("video/x-matroska", FileKind.VIDEO),
    "avi": ("video/x-msvideo", FileKind.VIDEO),
    "mp3": ("audio/mpeg", FileKind.AUDIO),
    "wav": ("audio/x-wav", FileKind.AUDIO),
    "m4a": ("audio/mp4", FileKind.AUDIO),
    "ogg": ("audio/ogg", FileKind.AUDIO),
    "pdf": ("application/pdf", FileKind.PDF),
}


@pytest.mark.parametrize("kind", sorted(MAGIC))
def test_each_accepted_kind_is_known_by_its_first_bytes(kind: str) -> None:
    found = detect(tiny_file(kind, b"rest of the file"))
    assert (found.media_type, found.kind) == EXPECTED[kind]


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (zipped("[Content_Types].xml", "_rels/.rels", "word/document.xml"), "wordprocessingml"),
        (zipped("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"), "spreadsheetml"),
        (zipped("[Content_Types].xml", "ppt/presentation.xml"), "presentationml"),
        (ole2(b"\xec\xa5\xc1\x00"), "application/msword"),
        (b"{\\rtf1\\ansi Statement of Pat Officer}", "application/rtf"),
    ],
)
def test_office_documents_are_accepted(data: bytes, media_type: str) -> None:
    found = detect(data)
    assert found.kind == FileKind.OFFICE and media_type in found.media_type


def test_an_opendocument_text_is_accepted() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    assert detect(buffer.getvalue()).media_type == "application/vnd.oasis.opendocument.text"


def test_a_till_export_is_csv_and_a_witness_note_is_plain_text() -> None:
    assert detect(b"register,time,amount\nR01,14:32,19.99\nR02,14:35,5.00\n").media_type == (
        "text/csv"
    )
    note = "The subject left by the north door, caf\u00e9 side.\nNo one was hurt.\n".encode()
    assert detect(note).media_type == "text/plain"
    assert detect("Déclaration du témoin\r\n".encode("cp1252")).media_type == "text/plain"
    assert detect("\ufeffStatement\n".encode("utf-16")).media_type == "text/plain"


def test_a_csv_in_sections_is_csv_when_its_sender_says_so_and_never_a_program() -> None:
    journal = b"# transaction\nid,total\nT1,32.55\n# lines\nsku,qty,price\nA,1,9.99\n"
    found = detect(journal)
    assert found.media_type == "text/plain"
    assert as_declared_text(found, "text/csv", "journal.bin").media_type == "text/csv"
    assert as_declared_text(found, "application/octet-stream", "J.CSV").media_type == "text/csv"
    assert as_declared_text(found, "text/plain", "note.txt").media_type == "text/plain"
    pdf = detect(tiny_file("pdf"))
    assert as_declared_text(pdf, "text/csv", "x.csv") is pdf


def test_a_character_cut_in_two_at_the_end_of_the_first_bytes_is_still_text() -> None:
    head = ("é" * SNIFF_BYTES).encode()[: SNIFF_BYTES - 1]  # ends half-way through an "é"
    assert detect(head).kind == FileKind.TEXT


def test_a_real_cctv_clip_a_gif_and_a_poslog_are_what_they_are() -> None:
    with shared_data("video/one-by-one-person-detection.mp4").open("rb") as clip:
        assert detect(clip.read(SNIFF_BYTES)).media_type == "video/mp4"
    with shared_data("video/people-detection.gif").open("rb") as gif:
        assert detect(gif.read(SNIFF_BYTES)).media_type == "image/gif"
    with shared_data("poslog/arts-v6/receipt1.xml").open("rb") as poslog:
        assert detect(poslog.read(SNIFF_BYTES)).media_type == "application/xml"


def test_newer_mp4_brands_and_quicktime_without_a_type_box_are_video() -> None:
    assert detect(b"\x00\x00\x00\x10ftypiso5\x00\x00\x02\x00").media_type == "video/mp4"
    assert detect(b"\x00\x00\x00\x08wide\x00\x01\x00\x00mdat").media_type == "video/quicktime"
    assert detect(b"\x00\x00\x00\x18ftypheix\x00\x00\x00\x00").media_type == "image/heic"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\0" * 64, "Windows program"),
        (b"\x7fELF\x02\x01\x01" + b"\0" * 64, "Linux program"),
        (b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\0" * 32, "macOS or Java program"),
        (b"#!/bin/sh\ncurl http://x | sh\n", "script"),
        (b"  <!DOCTYPE html><html><body>Refund form</body></html>", "web page"),
        (b"<HTML><head><title>CCTV</title></head></HTML>", "web page"),
        (b"Receipt total 5.00 <script>fetch('/api')</script>", "script in it"),
        (
            b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>'
            b"alert(1)</script></svg>",
            "SVG drawing",
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', "SVG drawing"),
        (zipped("clip.mp4", "player.exe"), "archive (ZIP)"),
        (b"\x1f\x8b\x08\x00" + b"\0" * 16, "archive (GZ)"),
        (b"II*\x00\x08\x00\x00\x00" + b"\0" * 16, "TIF file"),
        (bytes(range(256)), "does not recognise"),
    ],
)
def test_programs_pages_archives_and_unknown_bytes_are_refused(data: bytes, what: str) -> None:
    with pytest.raises(FileTypeRefused) as refused:
        detect(data)
    assert what in refused.value.what


def test_a_refusal_says_why_and_what_is_taken_instead() -> None:
    with pytest.raises(FileTypeRefused) as refused:
        detect(bytes(range(256)))
    assert "a photo (JPEG, PNG, GIF, WebP or HEIC)" in refused.value.why
    assert "a video (MP4, MOV, WebM, AVI or MKV)" in refused.value.why


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(FileTypeRefused, match="empty"):
        detect(b"")


def test_reading_the_first_bytes_gives_them_back_before_the_rest() -> None:
    sent = bytes(range(256)) * 40  # longer than the first bytes read
    body = io.BytesIO(sent)
    head = read_head(body, len(sent))
    assert head == sent[:SNIFF_BYTES]
    replayed, received = Replayed(head, body), b""
    while chunk := replayed.read(1000):
        received += chunk
    assert received == sent
