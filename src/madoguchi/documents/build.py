"""From a case to the three papers: 相談メモ, 削除依頼 (送信防止措置依頼書), 通報用テキスト.

`build_context` gathers what the templates need; `render_text` and `render_pdf` fill
the Jinja2 templates in `templates/` (HTML for WeasyPrint, .txt for plain text).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..cases.model import Case, EvidenceItem, TimelineEvent, now, platform_key

TEMPLATES = Path(__file__).with_name("templates")
KINDS = {"memo": "相談メモ", "deletion-request": "削除依頼", "report": "通報用テキスト"}
TEMPLATE_NAMES = {"memo": "memo", "deletion-request": "deletion_request", "report": "report"}

# The right a kind of trouble infringes, in the words of the 送信防止措置依頼書, and a
# first draft of the reason (the user rewrites it: it may be passed on to the poster).
RIGHTS: dict[str, tuple[str, str]] = {
    "defamation": (
        "名誉権（名誉毀損）",
        "投稿は、私について事実と異なる内容を、誰でも見られる状態で示しており、"
        "私の社会的な評価を下げるものです。",
    ),
    "privacy_leak": (
        "プライバシー権（プライバシーの侵害）",
        "投稿には、私が公開していない私生活上の情報（氏名・住所・連絡先など）が、"
        "私の同意なく掲載されています。",
    ),
    "unauthorized_image": (
        "肖像権",
        "投稿には、私が写った写真・動画が、私の同意なく掲載されています。",
    ),
    "sexual_image": (
        "プライバシー権・肖像権（性的な画像の無断公開）",
        "投稿には、私の性的な画像・動画が、私の同意なく掲載されています。",
    ),
    "impersonation": (
        "氏名・肖像を無断で使われない権利（人格権）、名誉権",
        "このアカウントは私になりすまして、私の氏名や写真を無断で使っています。",
    ),
    "bullying": (
        "名誉感情（侮辱）",
        "投稿は、私をひどく侮辱する内容で、社会通念上許される限度を超えています。",
    ),
    "harassment_stalking": (
        "平穏な生活を営む権利",
        "繰り返しの投稿・連絡により、私の平穏な生活が害されています。",
    ),
    "threat_violence": (
        "平穏な生活を営む権利（脅迫）",
        "投稿は、私の生命・身体に危害を加えることを告げる内容です。",
    ),
    "discrimination_human_rights": (
        "名誉権・名誉感情（差別的な表現）",
        "投稿は、私の出自などを理由に私を差別し、おとしめる内容です。",
    ),
    "copyright": (
        "著作権",
        "投稿には、私が著作権を持つ作品が、私の許諾なく掲載されています。",
    ),
}

MEMO_EVIDENCE_EVENTS = 15

# Windows that take reports (not consultations): chosen by the case's kinds of trouble.
REPORT_WINDOWS = ["hibou-chushou-hotline", "safeline", "internet-hotline-center"]
PLATFORM_WINDOWS = {
    "x": "x-help-report",
    "line": "line-report",
    "instagram": "instagram-report",
    "tiktok": "tiktok-report",
    "youtube": "youtube-report",
    "google": "google-search-removal",
}


def fmt_dt(value: dt.datetime | None) -> str:
    """2026年11月24日 15:30（JST shown as 日本時間 only when another zone is given)."""
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(now().tzinfo)
    return value.strftime("%Y年%m月%d日 %H:%M")


def fmt_date(value: dt.datetime | None) -> str:
    return "" if value is None else value.strftime("%Y年%m月%d日")


def clean(text: str) -> str:
    """Text safe to print: control characters (other than newlines and tabs) removed."""
    return "".join(
        ch
        for ch in text
        if ch in "\n\t" or (ord(ch) >= 32 and not 0xD800 <= ord(ch) <= 0xDFFF and ord(ch) != 127)
    )


@dataclass
class WindowRef:
    id: str
    name: str
    kind_label: str
    url: str
    phones: list[str]
    description: str
    why: str


@dataclass
class DocContext:
    case: Case
    items: list[EvidenceItem]
    events: list[TimelineEvent]
    created: dt.datetime
    categories: list[dict[str, Any]] = field(default_factory=list)
    rights: list[tuple[str, str]] = field(default_factory=list)
    urgent: bool = False
    recommendations: list[dict[str, Any]] = field(default_factory=list)
    report_windows: list[WindowRef] = field(default_factory=list)
    platform_windows: list[WindowRef] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)

    @property
    def memo_events(self) -> list[TimelineEvent]:
        """The timeline for the memo: one line per added evidence only while that stays short
        (the evidence list carries the rest)."""
        automatic = [e for e in self.events if e.kind == "evidence"]
        if len(automatic) <= MEMO_EVIDENCE_EVENTS:
            return self.events
        return [e for e in self.events if e.kind != "evidence"]


def build_context(case: Case, items: list[EvidenceItem], events: list[TimelineEvent]) -> DocContext:
    triage = case.triage or {}
    categories = [c for c in triage.get("categories", []) if isinstance(c, dict)]
    cat_ids = [str(c.get("id")) for c in categories]
    rights = [RIGHTS[c] for c in cat_ids if c in RIGHTS] or [
        ("（侵害されたとする権利を書いてください。例: 名誉権、プライバシー権）", "")
    ]
    platforms = sorted({i.platform for i in items if i.platform})
    ctx = DocContext(
        case=case,
        items=items,
        events=events,
        created=now(),
        categories=categories,
        rights=rights,
        urgent=bool(triage.get("urgent")),
        recommendations=[r for r in triage.get("recommendations", []) if isinstance(r, dict)],
        platforms=platforms,
    )
    _add_windows(ctx, set(cat_ids), {platform_key(p) for p in platforms} - {""})
    return ctx


def _add_windows(ctx: DocContext, cat_ids: set[str], keys: set[str]) -> None:
    try:
        from ..directory import load_directory
        from ..directory.query import KIND_LABELS

        directory = load_directory()
    except Exception:  # the documents still work without the directory
        return
    for wid in REPORT_WINDOWS:
        w = directory.get(wid)
        if w is None:
            continue
        hit = cat_ids & set(w.categories)
        if hit or not cat_ids:
            labels = [c["label"] for c in ctx.categories if c.get("id") in hit]
            ctx.report_windows.append(_ref(w, KIND_LABELS, "、".join(labels)))
    for key in sorted(keys):
        wid = PLATFORM_WINDOWS.get(key, "")
        w = directory.get(wid) if wid else None
        if w is not None:
            ctx.platform_windows.append(_ref(w, KIND_LABELS, "証拠にこのサービスの URL があります"))
    if "google" not in keys and cat_ids & {"privacy_leak", "sexual_image", "unauthorized_image"}:
        w = directory.get("google-search-removal")
        if w is not None:
            ctx.platform_windows.append(
                _ref(w, KIND_LABELS, "検索結果に表示される場合（載っている内容によります）")
            )


def _ref(w: Any, kind_labels: dict[Any, str], why: str) -> WindowRef:
    return WindowRef(
        id=w.id,
        name=w.name,
        kind_label=kind_labels.get(w.kind, str(w.kind)),
        url=w.urls[0] if w.urls else "",
        phones=[p.number for p in w.phones],
        description=" ".join(w.description.split()),
        why=why,
    )


def _env(autoescape: bool) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"]) if autoescape else False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["dt"] = fmt_dt
    env.filters["date"] = fmt_date
    env.filters["clean"] = clean
    return env


def render_text(kind: str, ctx: DocContext) -> str:
    """The plain-text document (UTF-8, for editing and pasting into forms)."""
    template = _env(False).get_template(f"{TEMPLATE_NAMES[kind]}.txt")
    return template.render(ctx=ctx, kinds=KINDS)


def render_html(kind: str, ctx: DocContext) -> str:
    template = _env(True).get_template(f"{TEMPLATE_NAMES[kind]}.html")
    return template.render(ctx=ctx, kinds=KINDS)


def render_pdf(kind: str, ctx: DocContext) -> bytes:
    """The PDF: WeasyPrint with the IPAex fonts (embedded, so Japanese never turns to tofu)."""
    from weasyprint import HTML

    html = render_html(kind, ctx)
    pdf = HTML(string=html, base_url=str(TEMPLATES)).write_pdf()
    assert pdf is not None
    return bytes(pdf)
