"""A Range header is read as RFC 9110 says: one byte range, or the whole file, or 416."""

from __future__ import annotations

import pytest

from vigil.evidence.ranges import ByteRange, RangeNotSatisfiable, parse_range

SIZE = 1_000


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-99", ByteRange(0, 99)),
        ("bytes=500-", ByteRange(500, 999)),
        ("bytes=-100", ByteRange(900, 999)),
        ("bytes=990-5000", ByteRange(990, 999)),
        ("bytes=-5000", ByteRange(0, 999)),
        ("bytes=999-999", ByteRange(999, 999)),
    ],
)
def test_it_reads_a_single_byte_range(header: str, expected: ByteRange) -> None:
    assert parse_range(header, SIZE) == expected


@pytest.mark.parametrize(
    "header", ["", "bytes=", "bytes=-", "bytes=9-3", "items=0-9", "bytes=0-9,20-29", "bytes=x-"]
)
def test_it_ignores_what_is_not_one_well_formed_range(header: str) -> None:
    assert parse_range(header, SIZE) is None


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=1000-1005", "bytes=-0"])
def test_it_refuses_a_range_outside_the_file(header: str) -> None:
    with pytest.raises(RangeNotSatisfiable):
        parse_range(header, SIZE)


def test_no_range_of_an_empty_file_is_satisfiable() -> None:
    with pytest.raises(RangeNotSatisfiable):
        parse_range("bytes=-10", 0)


def test_a_range_names_its_length_and_content_range() -> None:
    part = ByteRange(100, 199)
    assert part.length == 100
    assert part.content_range(SIZE) == "bytes 100-199/1000"
