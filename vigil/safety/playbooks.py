"""Emergency playbooks as data: one YAML file per playbook in ``playbooks/``, each a list of
steps written for the person in charge on the floor, and the incident type it opens."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

FOLDER = Path(__file__).with_name("playbooks")


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[a-z0-9-]{1,48}$")
    text: str = Field(min_length=1, max_length=300)


class Playbook(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[a-z0-9-]{1,48}$")
    title: str
    incident_type: str
    summary: str
    steps: list[Step] = Field(min_length=1)

    def step(self, key: str) -> Step | None:
        return next((step for step in self.steps if step.key == key), None)


@cache
def all_playbooks() -> dict[str, Playbook]:
    """Every shipped playbook by key, in file-name order."""
    found = {}
    for path in sorted(FOLDER.glob("*.yaml")):
        playbook = Playbook.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        found[playbook.key] = playbook
    return found


def get(key: str) -> Playbook | None:
    return all_playbooks().get(key)
