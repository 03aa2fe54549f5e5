"""Uploading a data set as a ZIP: tables only, no path tricks, no bombs, nothing left over."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.conftest import World, client_for, make_store, make_user
from tests.pos.test_imports import generated  # noqa: F401 - the module's generated data set
from vigil.core.models import Role, TaskRun
from vigil.pos import uploads
from vigil.pos.imports import ImportRefused
from vigil.pos.models import DataSet, PosException


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_of(folder: Path, prefix: str = "") -> bytes:
    return zipped({f"{prefix}{p.name}": p.read_bytes() for p in sorted(folder.glob("*.csv"))})


def receive(data: bytes) -> Path:
    return uploads.receive(io.BytesIO(data), len(data))


def refusal_of(data: bytes) -> str:
    """The message an upload of ``data`` is refused with."""
    with pytest.raises(ImportRefused) as refused:
        receive(data)
    return str(refused.value)


def left_behind() -> list[Path]:
    return list(uploads.uploads_root().rglob("*"))


def rows(count: int) -> bytes:
    """CSV that compresses like a real POS export (about 5x)."""
    lines = (
        f"T{n:07d},S101,R{n % 7},E{n % 31:03d},{n % 997}.{n % 100:02d}\n" for n in range(count)
    )
    return b"transaction_id,store,register,employee,total\n" + "".join(lines).encode()


def patched(data: bytes, local_at: int, central_at: int, fmt: str, value: int) -> bytes:
    """A one-member ZIP with a field of its local header and central directory entry
    overwritten (offsets from the zip format: the local header starts the file)."""
    raw = bytearray(data)
    struct.pack_into(fmt, raw, local_at, value)
    struct.pack_into(fmt, raw, raw.rindex(b"PK\x01\x02") + central_at, value)
    return bytes(raw)


def declaring(size: int, name: str, data: bytes) -> bytes:
    """A valid ZIP of one member whose headers say it unpacks to ``size`` bytes."""
    return patched(zipped({name: data}), 22, 24, "<I", size)


@pytest.fixture
def reader_past_declared_sizes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Python's zipfile stops a member at its declared size; this one reads every member to
    its real end, as a laxer ZIP reader would, so the bytes Vigil counts are what stop it."""
    real_open: Callable[..., Any] = zipfile.ZipFile.open

    def open_to_the_end(self: zipfile.ZipFile, member: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(member, zipfile.ZipInfo):
            member.file_size = 2**62
        return real_open(self, member, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", open_to_the_end)


def test_tables_inside_one_folder_are_unpacked_flat(tmp_path: Path, settings: Any) -> None:
    folder = receive(zipped({"march/transactions.csv": b"a\n", "march/tenders.csv": b"b\n"}))
    assert sorted(p.name for p in folder.iterdir()) == ["tenders.csv", "transactions.csv"]


@pytest.mark.parametrize(
    "name", ["../transactions.csv", "/etc/transactions.csv", "C:/x/transactions.csv"]
)
def test_a_path_outside_the_zip_is_refused(name: str, settings: Any) -> None:
    with pytest.raises(ImportRefused, match="outside"):
        receive(zipped({name: b"x"}))
    assert list(uploads.uploads_root().iterdir()) == []


def test_a_file_that_is_not_a_contract_table_is_refused(settings: Any) -> None:
    with pytest.raises(ImportRefused, match="not a table of the POS data contract"):
        receive(zipped({"transactions.csv": b"x", "run.sh": b"rm -rf /"}))
    assert list(uploads.uploads_root().iterdir()) == []


def test_a_zip_bomb_is_refused_before_unpacking(settings: Any) -> None:
    settings.POS_ZIP_MAX_UNPACKED = 1000
    with pytest.raises(ImportRefused, match="past 1,000 bytes unpacked in all"):
        receive(zipped({"transactions.csv": b"0" * 5000}))


def test_something_that_is_not_a_zip_is_refused(settings: Any) -> None:
    with pytest.raises(ImportRefused, match="not a ZIP"):
        receive(b"transaction_id\nT1\n")


def test_an_upload_cut_off_keeps_nothing(settings: Any) -> None:
    data = zipped({"transactions.csv": b"x" * 100})
    with pytest.raises(ImportRefused, match="cut off"):
        uploads.receive(io.BytesIO(data[:20]), len(data))
    assert list(uploads.uploads_root().iterdir()) == []


def test_a_zip_uploaded_through_the_api_is_imported_and_scanned(
    world: World,
    generated: Path,  # noqa: F811
) -> None:
    make_store(world.region_a, "S101")
    make_store(world.region_b, "S102")
    investigator = make_user(Role.LP_MANAGER, everything=True)
    client: Client = client_for(investigator)
    response = client.post(
        "/api/v1/pos/data-sets?name=March",
        data=zip_of(generated, "march/"),
        content_type="application/zip",
    )
    assert response.status_code == 202, response.content
    run = TaskRun.objects.get(pk=response.json()["task_run"])
    assert run.status == "succeeded", run.error
    assert DataSet.objects.get().name == "March" and PosException.objects.exists()
    assert list(uploads.uploads_root().iterdir()) == []  # the upload is gone; the copy stays


def test_an_officer_cannot_upload(world: World) -> None:
    officer = make_user(Role.LP_OFFICER, stores=(world.store_a,))
    response = client_for(officer).post(
        "/api/v1/pos/data-sets", data=zipped({"a.csv": b"x"}), content_type="application/zip"
    )
    assert response.status_code == 403


def test_a_zip_over_the_upload_cap_is_refused_naming_the_setting(settings: Any) -> None:
    settings.POS_UPLOAD_MAX_BYTES = 100
    message = refusal_of(zipped({"transactions.csv": rows(50)}))
    assert "between 1 byte and 100 bytes (VIGIL_POS_UPLOAD_MAX_BYTES)" in message
    assert left_behind() == []


def test_a_zip_with_more_members_than_the_cap_is_refused(settings: Any) -> None:
    settings.POS_ZIP_MAX_MEMBERS = 2
    tables = {"transactions.csv": b"a\n", "tenders.csv": b"b\n", "line_items.csv": b"c\n"}
    message = refusal_of(zipped(tables))
    assert "holds 3 files, more than 2 (VIGIL_POS_ZIP_MAX_MEMBERS); nothing was kept" in message
    assert left_behind() == []


def test_a_member_over_the_member_cap_is_refused_naming_it(settings: Any) -> None:
    settings.POS_ZIP_MAX_MEMBER_BYTES = 1000
    message = refusal_of(zipped({"transactions.csv": rows(5), "line_items.csv": rows(100)}))
    assert message == (
        "line_items.csv: unpacks to more than 1,000 bytes (VIGIL_POS_ZIP_MAX_MEMBER_BYTES); "
        "nothing was kept."
    )
    assert left_behind() == []


def test_the_member_that_crosses_the_total_cap_is_refused_naming_it(settings: Any) -> None:
    data = rows(40)
    settings.POS_ZIP_MAX_UNPACKED = cap = len(data) * 3 // 2  # one fits, two do not
    message = refusal_of(zipped({"transactions.csv": data, "tenders.csv": data}))
    assert message.startswith(f"tenders.csv: takes the ZIP past {cap:,} bytes unpacked in all")
    assert "(VIGIL_POS_ZIP_MAX_UNPACKED); nothing was kept" in message
    assert left_behind() == []


def test_a_member_compressed_past_the_ratio_is_refused_naming_it(settings: Any) -> None:
    settings.POS_ZIP_MAX_RATIO = 2
    message = refusal_of(zipped({"transactions.csv": rows(200)}))
    assert message.startswith("transactions.csv: unpacks to more than 2 times its compressed")
    assert "(VIGIL_POS_ZIP_MAX_RATIO); nothing was kept" in message
    assert left_behind() == []


def test_a_member_of_zeros_is_refused_as_a_bomb_by_the_default_ratio() -> None:
    message = refusal_of(zipped({"transactions.csv": bytes(4 * 1024 * 1024)}))  # ~1000:1
    assert "transactions.csv: unpacks to more than 200 times" in message
    assert left_behind() == []


def test_real_pos_exports_pass_the_default_limits(generated: Path) -> None:  # noqa: F811
    folder = receive(zip_of(generated))
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        p.name for p in generated.glob("*.csv")
    )


def test_declared_sizes_over_a_cap_are_refused_before_anything_is_written(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_writing(*args: Any) -> int:
        raise AssertionError("a member was written")

    monkeypatch.setattr(uploads, "_extract", no_writing)
    settings.POS_ZIP_MAX_MEMBER_BYTES = 1000
    assert "(VIGIL_POS_ZIP_MAX_MEMBER_BYTES)" in refusal_of(zipped({"tenders.csv": rows(100)}))


def test_a_member_declaring_fewer_bytes_than_it_holds_is_refused_as_damaged(
    settings: Any,
) -> None:
    settings.POS_ZIP_MAX_MEMBER_BYTES = 1000
    message = refusal_of(declaring(500, "line_items.csv", rows(100)))
    assert message.startswith("line_items.csv: damaged in the ZIP (CRC check failed)")
    assert left_behind() == []


def test_a_member_declaring_more_bytes_than_it_holds_is_refused_as_damaged() -> None:
    data = rows(100)
    message = refusal_of(declaring(len(data) + 1, "line_items.csv", data))
    assert message.startswith(f"line_items.csv: damaged in the ZIP (it holds {len(data):,} of")
    assert left_behind() == []


@pytest.mark.parametrize(
    ("setting", "value", "data"),
    [
        ("POS_ZIP_MAX_MEMBER_BYTES", 1000, rows(100)),
        ("POS_ZIP_MAX_UNPACKED", 1000, rows(100)),
        ("POS_ZIP_MAX_RATIO", 200, bytes(1024 * 1024)),
    ],
)
@pytest.mark.usefixtures("reader_past_declared_sizes")
def test_bytes_past_a_limit_are_stopped_as_they_are_written(
    setting: str, value: int, data: bytes, settings: Any
) -> None:
    setattr(settings, setting, value)
    message = refusal_of(declaring(100, "line_items.csv", data))  # a size that passes them all
    assert message.startswith("line_items.csv: ")
    assert f"(VIGIL_{setting}); nothing was kept" in message
    assert left_behind() == []


@pytest.mark.usefixtures("reader_past_declared_sizes")
def test_bytes_past_the_declared_size_within_the_limits_are_refused() -> None:
    message = refusal_of(declaring(100, "line_items.csv", rows(100)))
    assert message.startswith("line_items.csv: damaged in the ZIP (it holds more than the 100")
    assert left_behind() == []


def test_a_member_with_corrupt_compressed_data_is_named() -> None:
    data = bytearray(zipped({"line_items.csv": rows(2000)}))
    start = 30 + len("line_items.csv")  # the Deflate stream, after the local header
    data[start : start + 6] = b"\xff" * 6  # an invalid block type: zlib fails at once
    message = refusal_of(bytes(data))
    assert message.startswith(
        "line_items.csv: damaged in the ZIP (its compressed data is corrupt or cut short)"
    )
    assert "not a ZIP" not in message
    assert left_behind() == []


def test_a_member_with_a_wrong_crc_is_named() -> None:
    message = refusal_of(patched(zipped({"tenders.csv": rows(10)}), 14, 16, "<I", 12345))
    assert message.startswith("tenders.csv: damaged in the ZIP (CRC check failed)")


def test_a_table_in_the_zip_twice_is_refused_naming_it() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("transactions.csv", b"a\n")
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive.writestr("transactions.csv", b"b\n")
    assert refusal_of(buffer.getvalue()).startswith("transactions.csv: is in the ZIP twice")
    assert left_behind() == []


def test_an_encrypted_member_is_refused_naming_it() -> None:
    message = refusal_of(patched(zipped({"tenders.csv": b"x\n"}), 6, 8, "<H", 0x1))
    assert message.startswith("tenders.csv: is encrypted")


def test_a_member_packed_with_bzip2_is_refused_naming_it() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("tenders.csv", rows(10))
    message = refusal_of(buffer.getvalue())
    assert message.startswith("tenders.csv: is compressed with a method Vigil does not unpack")


REFUSED = {
    "upload cap": ("POS_UPLOAD_MAX_BYTES", 10, zipped({"transactions.csv": rows(10)})),
    "members": ("POS_ZIP_MAX_MEMBERS", 1, zipped({"a/tenders.csv": b"", "a/stores.csv": b""})),
    "member cap": ("POS_ZIP_MAX_MEMBER_BYTES", 10, zipped({"tenders.csv": rows(10)})),
    "total cap": ("POS_ZIP_MAX_UNPACKED", 10, zipped({"tenders.csv": rows(10)})),
    "ratio": ("POS_ZIP_MAX_RATIO", 1, zipped({"tenders.csv": rows(100)})),
    "declared size": ("POS_ZIP_MAX_RATIO", 200, declaring(10, "tenders.csv", rows(10))),
    "not a zip": ("POS_ZIP_MAX_RATIO", 200, b"transaction_id\nT1\n"),
}


@pytest.mark.parametrize(("setting", "value", "data"), REFUSED.values(), ids=REFUSED.keys())
def test_a_refusal_names_no_path_on_the_server(
    setting: str, value: int, data: bytes, settings: Any, tmp_path: Path
) -> None:
    setattr(settings, setting, value)
    message = refusal_of(data)
    assert str(tmp_path) not in message and str(settings.DATA_DIR) not in message
    assert "uploads" not in message


@pytest.mark.parametrize(("setting", "value", "data"), REFUSED.values(), ids=REFUSED.keys())
def test_a_refusal_leaves_nothing_in_the_uploads_folder(
    setting: str, value: int, data: bytes, settings: Any
) -> None:
    setattr(settings, setting, value)
    refusal_of(data)
    assert left_behind() == []


def test_the_api_answers_a_refusal_with_400_and_no_server_path(
    world: World, settings: Any, tmp_path: Path
) -> None:
    settings.POS_ZIP_MAX_MEMBER_BYTES = 10
    investigator = make_user(Role.LP_MANAGER, everything=True)
    response = client_for(investigator).post(
        "/api/v1/pos/data-sets",
        data=zipped({"tenders.csv": rows(10)}),
        content_type="application/zip",
    )
    assert response.status_code == 400
    assert "tenders.csv: unpacks to more than 10 bytes" in response.content.decode()
    assert str(tmp_path) not in response.content.decode()
    assert left_behind() == []
