"""Guides: the first steps per category, seed 000's advice, and what each want leads to."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from ..directory.model import CATEGORY_IDS


class GuideStep(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    detail: str
    easy: str
    when: Literal["urgent", "deletion", "identify", "already", "report"] | None = None


class Advice(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    detail: str
    easy: str


class Want(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str
    explanation: str


class Guides(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    common: list[GuideStep]
    categories: dict[str, list[GuideStep]]
    advice: dict[str, Advice]
    wants: dict[Literal["delete", "identify", "punish", "talk", "report"], Want]

    def missing_categories(self) -> list[str]:
        return [c for c in CATEGORY_IDS if not self.categories.get(c)]


@functools.cache
def load_guides() -> Guides:
    text = (resources.files("madoguchi.guides") / "steps.yaml").read_text(encoding="utf-8")
    return Guides.model_validate(yaml.safe_load(text))
