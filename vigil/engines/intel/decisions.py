"""Investigators' decisions that every linking run honours.

``same`` pairs (record ids confirmed to be one person or vehicle) are always linked;
``different`` pairs (rejected suggestions) are never linked, neither directly nor through
other records; ``ignored_values`` are (field, value) pairs that must not count as evidence,
such as a placeholder last name ("unknown") or a store's own courtesy car plate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vigil.engines.intel.names import clean_name, clean_plate

# Fields of an ignored value, as the app names them, and how each is compared.
NAME_FIELDS = frozenset({"first_name", "last_name", "name"})
PLATE_FIELDS = frozenset({"plate"})


@dataclass
class Decisions:
    same: list[tuple[str, str]] = field(default_factory=list)
    different: list[tuple[str, str]] = field(default_factory=list)
    ignored_values: list[tuple[str, str]] = field(default_factory=list)

    def ignores(self, field_name: str, value: str) -> bool:
        """Whether ``value`` of ``field_name`` is to be left out of matching."""
        if not value:
            return False
        for ignored_field, ignored in self.ignored_values:
            if ignored_field in NAME_FIELDS and field_name in NAME_FIELDS:
                if (ignored_field == field_name or ignored_field == "name") and clean_name(
                    ignored
                ) == clean_name(value):
                    return True
            elif ignored_field in PLATE_FIELDS and field_name in PLATE_FIELDS:
                if clean_plate(ignored) == clean_plate(value):
                    return True
            elif ignored_field == field_name and ignored.strip().lower() == value.strip().lower():
                return True
        return False
