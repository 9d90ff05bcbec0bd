"""The triage answer: a contract other tools read (only ever add fields)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class CategoryHit(BaseModel):
    """A kind of trouble found in the situation, with the words that led to it."""

    id: str
    label: str
    easy_label: str | None = None
    score: float = Field(ge=0.0, le=1.0)
    evidence: list[str] = Field(default_factory=list)
    source: str = "text"  # text | answers


class PhoneOut(BaseModel):
    number: str  # the official display string, e.g. 0570-003-110, #9110
    fee: str  # toll_free | navi_dial | normal | short_code | emergency
    label: str | None = None
    tel: str  # the href for tap-to-call, e.g. tel:0570003110, tel:%239110 (#9110)
    fee_text: str | None = None


class Recommendation(BaseModel):
    """A window to contact, with why it fits and whether it takes calls now."""

    model_config = ConfigDict(extra="allow")

    id: str
    name: str
    kind: str
    kind_label: str
    operator: str
    region: dict[str, str]
    phones: list[PhoneOut]
    urls: list[str]
    channels: list[dict[str, Any]] = Field(default_factory=list)
    hours_text: str | None
    open_now: bool | None
    next_open: str | None
    status_text: str
    fee: str
    fee_text: str | None
    description: str
    prepare: list[str] = Field(default_factory=list)
    reason: str
    verified: dict[str, Any]
    sources: list[str]
    score: float = 0.0


class Step(BaseModel):
    id: str
    title: str
    detail: str
    easy: str | None = None


class EmergencyNote(BaseModel):
    """Why the situation is urgent: the kind of danger and the words that show it."""

    kind: str  # suicide | threat | child_sexual | stalking | danger | answers
    label: str
    message: str
    evidence: list[str] = Field(default_factory=list)


class TriageResult(BaseModel):
    """What `triage()` returns; `model_dump(mode="json")` is the JSON contract."""

    categories: list[CategoryHit]
    urgent: bool
    emergency: list[Recommendation]
    emergency_reasons: list[EmergencyNote] = Field(default_factory=list)
    recommendations: list[Recommendation]
    steps: list[Step]
    notices: list[str]
    platforms: list[str] = Field(default_factory=list)
    audience: str | None = None
    prefecture: dict[str, str] | None = None
    want: str | None = None
    at: str  # the time (JST, ISO 8601) opening hours were judged at
    understood: bool = True  # False when the text gave too little to go on
    version: str = "1"
