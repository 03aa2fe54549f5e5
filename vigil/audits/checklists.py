"""Audit checklists as data: one YAML file per checklist in ``checklists/``, versioned.

A checklist has sections of items. An item is answered yes / no (or n.a. where allowed), with
a number (checked against a minimum and maximum), with text, or with a photo. Items carry a
weight for the score and may be critical: a failed critical item fails the walk whatever
the score. Every scored item must be answered; a text or photo item must be recorded when it is
``required``, or when the item its ``required_if_failed`` names failed ("photograph the spot");
a photo item is recorded only by a photo. Changing a checklist means a new ``version`` in its
file; walks keep the version they were done with, so history never changes under them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

FOLDER = Path(__file__).with_name("checklists")
Frequency = Literal["daily", "weekly", "monthly"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Item(_Strict):
    key: str = Field(pattern=r"^[a-z0-9-]{1,48}$")
    text: str = Field(min_length=1, max_length=300)
    kind: Literal["yes_no", "number", "text", "photo"] = "yes_no"
    weight: int = Field(1, ge=0, le=10)
    critical: bool = False
    allow_na: bool = False
    guidance: str = ""
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    required: bool = False
    required_if_failed: str | None = Field(None, pattern=r"^[a-z0-9-]{1,48}$")

    @property
    def scored(self) -> bool:
        return self.weight > 0 and self.kind in ("yes_no", "number")


class Section(_Strict):
    title: str = Field(min_length=1, max_length=200)
    items: list[Item] = Field(min_length=1)


class Checklist(_Strict):
    key: str = Field(pattern=r"^[a-z0-9-]{1,48}$")
    version: int = Field(ge=1)
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    frequency: Frequency = "weekly"
    pass_mark: int = Field(85, ge=0, le=100)
    sections: list[Section] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_item_keys(self) -> Checklist:
        keys = [item.key for item in self.items()]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise ValueError(f"item keys used twice: {', '.join(duplicates)}")
        unknown = sorted(
            f"{item.key} -> {item.required_if_failed}"
            for item in self.items()
            if item.required_if_failed and item.required_if_failed not in keys
        )
        if unknown:
            raise ValueError(f"required_if_failed names no item: {', '.join(unknown)}")
        return self

    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    def item(self, key: str) -> Item | None:
        return next((item for item in self.items() if item.key == key), None)


class ChecklistError(Exception):
    pass


def load(path: Path) -> Checklist:
    try:
        return Checklist.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (ValidationError, yaml.YAMLError) as error:
        raise ChecklistError(f"{path.name}: {error}") from None


def shipped() -> list[Checklist]:
    """Every checklist Vigil ships, in file-name order."""
    return [load(path) for path in sorted(FOLDER.glob("*.yaml"))]
