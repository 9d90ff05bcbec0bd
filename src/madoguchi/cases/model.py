"""What a case holds: the situation, the people involved, evidence items and a timeline.

These models are serialised to JSON and sealed before they touch the disk; nothing
here is ever stored in the clear.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field

JST = dt.timezone(dt.timedelta(hours=9), "JST")


def now() -> dt.datetime:
    """The current time in JST, to the second (what a window expects to read)."""
    return dt.datetime.now(JST).replace(microsecond=0)


class Person(BaseModel):
    """Someone involved, as the user knows them (an account name, a profile URL)."""

    name: str = ""
    account: str = ""
    url: str = ""
    role: str = ""  # 相手 / 投稿者 / 拡散している人 …
    notes: str = ""


class Requester(BaseModel):
    """The person asking for deletion, for the 送信防止措置依頼書 (all optional)."""

    name: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""


class Attachment(BaseModel):
    """One file of an evidence item; the bytes live sealed in blobs/<blob_id>.bin."""

    blob_id: str
    filename: str
    media_type: str
    size: int
    sha256: str
    role: Literal["screenshot", "page_pdf", "import"] = "import"


class EvidenceItem(BaseModel):
    """One piece of evidence. An edit writes a new version; earlier versions stay."""

    id: str
    case_id: str
    version: int = 1
    url: str = ""
    platform: str = ""
    text: str = ""  # the post's text as the user copied it
    files: list[Attachment] = Field(default_factory=list)
    seen_at: dt.datetime | None = None
    captured_at: dt.datetime | None = None
    notes: str = ""
    source: Literal["manual", "capture", "import"] = "manual"
    recorded_at: dt.datetime = Field(default_factory=now)  # when this version was written


class TimelineEvent(BaseModel):
    """Something that happened, and when: the incident, what the user did, the captures."""

    id: str
    case_id: str
    at: dt.datetime
    text: str
    kind: Literal["incident", "evidence", "action", "note"] = "note"
    evidence_id: str | None = None
    recorded_at: dt.datetime = Field(default_factory=now)


class Case(BaseModel):
    """A case: the situation and its triage, the people, what the person wants."""

    id: str
    title: str
    created_at: dt.datetime = Field(default_factory=now)
    updated_at: dt.datetime = Field(default_factory=now)
    situation: str = ""
    triage: dict[str, Any] | None = None  # TriageResult.model_dump(mode="json")
    prefecture: str | None = None
    people: list[Person] = Field(default_factory=list)
    wants: str = ""  # what the person wants (削除, 相手を特定, 警察に相談 …)
    tried: list[str] = Field(default_factory=list)  # what they already tried
    requester: Requester = Field(default_factory=Requester)
    site_operator: str = ""  # 削除依頼の宛先（サイト管理者・プラットフォーム）


PLATFORMS: dict[str, str] = {
    "x.com": "X（旧Twitter）",
    "twitter.com": "X（旧Twitter）",
    "instagram.com": "Instagram",
    "facebook.com": "Facebook",
    "threads.net": "Threads",
    "threads.com": "Threads",
    "tiktok.com": "TikTok",
    "youtube.com": "YouTube",
    "youtu.be": "YouTube",
    "line.me": "LINE",
    "5ch.net": "5ちゃんねる",
    "2ch.sc": "2ちゃんねる",
    "bakusai.com": "爆サイ",
    "google.com": "Google",
    "google.co.jp": "Google",
    "ameblo.jp": "アメーバブログ",
    "note.com": "note",
    "discord.com": "Discord",
}


PLATFORM_KEYS: dict[str, str] = {
    "X（旧Twitter）": "x",
    "Instagram": "instagram",
    "Facebook": "facebook",
    "Threads": "threads",
    "TikTok": "tiktok",
    "YouTube": "youtube",
    "LINE": "line",
    "Google": "google",
}


def platform_key(name: str) -> str:
    """The directory's platform key (x, line, instagram …) for a platform name, or ''."""
    if name in PLATFORM_KEYS:
        return PLATFORM_KEYS[name]
    low = name.strip().lower()
    aliases = {"x": "x", "twitter": "x", "ツイッター": "x", "インスタ": "instagram"}
    if low in aliases:
        return aliases[low]
    return low if low in PLATFORM_KEYS.values() else ""


def platform_of(url: str) -> str:
    """A platform's name from a URL's host ('' when unknown)."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return ""
    for domain, name in PLATFORMS.items():
        if host == domain or host.endswith("." + domain):
            return name
    return ""
