"""Plates as readers misread them: look-alike characters are one class, partial plates and
plates one character away still match."""

from __future__ import annotations

import pytest

from vigil.search import plates


@pytest.mark.parametrize(
    ("misread", "plate"),
    [
        ("KDL447I", "KDL4471"),  # I for 1
        ("8RT2041", "BRT2041"),  # 8 for B
        ("ABC1O34", "ABC1034"),  # O for 0
        ("5AM2Z61", "SAM2261"),  # 5 for S, Z for 2
        ("G0B1234", "60B1234"),  # G for 6
        ("kdl 4471", "KDL-4471"),  # case, spaces and dashes are not part of a plate
    ],
)
def test_a_look_alike_character_gives_the_same_key(misread: str, plate: str) -> None:
    assert plates.key(misread) == plates.key(plate)


def test_different_characters_keep_different_keys() -> None:
    assert plates.key("KDL4471") != plates.key("KDL4478")


def test_text_that_cannot_be_a_plate_asks_for_no_plate() -> None:
    assert plates.as_query("rose tattoo on the left hand") == ""
    assert plates.as_query("KD") == ""  # too short to be even part of a plate
    assert plates.as_query("someone@example.com") == ""
    assert plates.as_query("ABC 1234") == "A8C1234"


def test_one_character_changed_added_or_dropped_is_one_apart() -> None:
    assert plates.one_apart("KDL4471", "KDL4478")
    assert plates.one_apart("KDL4471", "KDL44471")
    assert plates.one_apart("KDL4471", "KDL471")
    assert not plates.one_apart("KDL4471", "KDL4471")
    assert not plates.one_apart("KDL4471", "KDX4478")


def test_only_a_whole_plate_typed_with_a_digit_looks_for_near_plates() -> None:
    assert plates.could_be_near("KDL4478", plates.key("KDL4478"))
    assert not plates.could_be_near("razor", plates.key("razor"))  # "RA20R" is no plate
    assert not plates.could_be_near("K44", plates.key("K44"))
