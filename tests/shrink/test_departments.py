"""Departments read as words on every page, chart and PDF, whatever code the data set used."""

from __future__ import annotations

import pytest

from vigil.shrink import departments


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("otc_medicine", "OTC medicine"),
        ("baby_formula", "Baby formula"),
        ("razors", "Razors"),
        ("home-decor", "Home decor"),
        ("HBA", "Health and beauty"),
        ("tv_audio", "TV audio"),
        ("", "No department"),
    ],
)
def test_a_department_code_reads_as_its_name(code: str, said: str) -> None:
    assert departments.label(code) == said


def test_the_engines_sentences_name_the_department_in_words() -> None:
    assert departments.in_words("otc_medicine at S101 lost 4.0 %", "otc_medicine") == (
        "OTC medicine at S101 lost 4.0 %"
    )
    assert departments.in_words("tagging for razors at S102 was 33 %", "razors") == (
        "Tagging for razors at S102 was 33 %"
    )
    assert departments.in_words("razors_extra stays", "razors") == "Razors_extra stays"
