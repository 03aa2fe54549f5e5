"""The shipped felony thresholds: the demo's states, each with its statute and source."""

from __future__ import annotations

from decimal import Decimal

from vigil.intel import thresholds


def test_the_demo_states_are_on_file_with_statute_and_source() -> None:
    for code in ("MN", "WI", "MI", "SC", "AZ", "TX"):
        threshold = thresholds.for_state(code)
        assert threshold is not None, code
        assert threshold.statute and threshold.source_url.startswith("https://")
        assert threshold.felony_threshold > Decimal("0")


def test_a_state_is_found_by_code_or_name() -> None:
    assert thresholds.for_state("mn") == thresholds.for_state("Minnesota")


def test_an_unknown_state_has_no_threshold() -> None:
    assert thresholds.for_state("Atlantis") is None
    assert thresholds.for_state("") is None
