"""Finding windows: by category, prefecture, audience and opening hours; the public JSON shape."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from . import hours as hours_mod
from .load import Directory
from .model import Audience, Prefecture, Window, WindowKind

KIND_LABELS: dict[WindowKind, str] = {
    WindowKind.consultation: "相談窓口",
    WindowKind.report_only: "通報窓口（相談はできません）",
    WindowKind.platform_form: "サービスの申告フォーム",
    WindowKind.emergency: "緊急通報・緊急の相談",
    WindowKind.legal: "法律相談（弁護士など）",
    WindowKind.information: "案内・一覧ページ",
}

FEE_LABELS: dict[str, str] = {
    "toll_free": "通話無料",
    "navi_dial": "通話料がかかります（ナビダイヤル）",
    "normal": "通話料がかかります",
    "short_code": "短縮ダイヤル（通話料は番号によります）",
    "emergency": "緊急通報（無料）",
}

AUDIENCE_LABELS: dict[Audience, str] = {
    Audience.general: "どなたでも",
    Audience.child: "子ども",
    Audience.parent: "保護者",
    Audience.woman: "女性",
    Audience.man: "男性",
    Audience.lgbtq: "性的マイノリティ",
    Audience.elderly: "高齢者",
    Audience.business: "事業者",
    Audience.foreign_resident: "外国にルーツのある人",
    Audience.teacher: "教職員",
}


class InputError(ValueError):
    """An unknown id, prefecture or audience: the message is for the person who typed it."""


def resolve_prefecture(directory: Directory, text: str | None) -> Prefecture | None:
    """Accept 佐賀 / 佐賀県 / saga / Saga / 41 / 041; None for empty; raise for unknown."""
    if text is None:
        return None
    key = unicodedata.normalize("NFKC", str(text)).strip().lower()
    if not key or key in {"national", "全国", "none"}:
        return None
    if key.isdigit():
        key = f"{int(key):02d}" if len(key) <= 3 else key
    for pref in directory.prefectures:
        if key in {pref.code, pref.name, pref.short, pref.romaji, pref.romaji + "-ken"}:
            return pref
    raise InputError(f"都道府県が見つかりません: {text!r}（例: 佐賀, 佐賀県, saga, 41）")


def resolve_audience(text: str | None) -> Audience | None:
    if text is None or not str(text).strip():
        return None
    key = unicodedata.normalize("NFKC", str(text)).strip().lower()
    aliases = {
        "子ども": "child",
        "子供": "child",
        "こども": "child",
        "kid": "child",
        "student": "child",
        "保護者": "parent",
        "親": "parent",
        "女性": "woman",
        "男性": "man",
        "教員": "teacher",
        "先生": "teacher",
        "高齢者": "elderly",
        "lgbt": "lgbtq",
        "その他": "general",
        "一般": "general",
    }
    key = aliases.get(key, key)
    try:
        return Audience(key)
    except ValueError:
        choices = ", ".join(a.value for a in Audience)
        raise InputError(f"対象が不明です: {text!r}（選べるもの: {choices}）") from None


def get_window(directory: Directory, window_id: str) -> Window:
    window = directory.get(window_id)
    if window is None:
        raise InputError(f"窓口が見つかりません: {window_id!r}（窓口の一覧から探してください）")
    return window


def check_category(directory: Directory, category: str | None) -> str | None:
    if category is None or category == "":
        return None
    if category not in directory.categories:
        raise InputError(
            f"カテゴリが不明です: {category!r}（選べるもの: {', '.join(directory.categories)}）"
        )
    return category


def in_area(window: Window, prefecture: Prefecture | None) -> bool:
    """National windows serve everyone; a prefecture's windows serve that prefecture."""
    return window.region.is_national or (
        prefecture is not None and window.region.code == prefecture.code
    )


def find_windows(
    directory: Directory,
    *,
    category: str | None = None,
    prefecture: str | None = None,
    audience: str | None = None,
    group: str | None = None,
    open_now: bool = False,
    at: dt.datetime | None = None,
) -> list[Window]:
    """Windows matching every filter given, in directory order (national first).

    With a prefecture, that prefecture's windows and the national ones; without,
    every window. An audience keeps windows for that audience or for everyone.
    """
    category = check_category(directory, category)
    pref = resolve_prefecture(directory, prefecture)
    aud = resolve_audience(audience)
    if group is not None and group not in directory.groups:
        raise InputError(
            f"グループが不明です: {group!r}（選べるもの: {', '.join(directory.groups)}）"
        )
    out = []
    for window in directory.windows:
        if category and category not in window.categories:
            continue
        if pref is not None and not in_area(window, pref):
            continue
        if (
            aud is not None
            and aud not in window.audiences
            and Audience.general not in window.audiences
        ):
            continue
        if group and group not in window.groups:
            continue
        if open_now and hours_mod.is_open(window.hours, at) is not True:
            continue
        out.append(window)
    return out


def window_summary(window: Window, at: dt.datetime | None = None) -> dict[str, Any]:
    """The public JSON shape of a window (a contract: only ever add fields)."""
    nxt = hours_mod.next_open(window.hours, at)
    summary = dict(_static_summary(window))
    summary.update(
        {
            "open_now": hours_mod.is_open(window.hours, at),
            "next_open": nxt.isoformat() if nxt else None,
            "status_text": hours_mod.describe_status(window.hours, at),
        }
    )
    return summary


# Window → the parts of its summary that do not depend on the time. A triage shows eight
# windows; their data never changes while loaded. Keyed by id() with the window kept, so a
# reused id cannot return another window's summary.
_STATIC: dict[int, tuple[Window, dict[str, Any]]] = {}


def _static_summary(window: Window) -> dict[str, Any]:
    cached = _STATIC.get(id(window))
    if cached is not None and cached[0] is window:
        return cached[1]
    if len(_STATIC) > 4096:
        _STATIC.clear()
    summary = _describe(window)
    _STATIC[id(window)] = (window, summary)
    return summary


def _describe(window: Window) -> dict[str, Any]:
    return {
        "id": window.id,
        "name": window.name,
        "aliases": list(window.aliases),
        "kind": window.kind.value,
        "kind_label": KIND_LABELS[window.kind],
        "operator": window.operator.name,
        "region": {"code": window.region.code, "name": window.region.name},
        "categories": list(window.categories),
        "audiences": [a.value for a in window.audiences],
        "groups": list(window.groups),
        "phones": [
            {"number": p.number, "fee": p.fee.value, "label": p.label, "tel": p.tel}
            for p in window.phones
        ],
        "urls": window.urls,
        "channels": [c.model_dump(mode="json", exclude_none=True) for c in window.channels],
        "hours_text": window.hours.text if window.hours else None,
        "open_now": None,  # filled in per call: they depend on the time
        "next_open": None,
        "status_text": None,
        "fee": window.fee.value,
        "fee_text": window.fee_text,
        "description": window.description,
        "sources": list(window.sources),
        "verified": window.verified.model_dump(mode="json", exclude_none=True),
    }


def window_detail(window: Window, at: dt.datetime | None = None) -> dict[str, Any]:
    """Everything the directory knows about a window, for `show --json` and the API."""
    data = window.model_dump(mode="json", exclude_none=True)
    data.update(window_summary(window, at))
    return data
