"""`triage()`: from a person's situation to categories, emergency routes, windows and steps.

The order of work: read the text (lexicon + classifier), take structured answers over
guesses, decide urgency (tuned for recall: missing an emergency is the worst error),
then rank the windows that serve the person and say why, in one Japanese sentence each.
Deterministic: the same input gives the same output.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from ..directory import hours as hours_mod
from ..directory.load import Directory, load_directory
from ..directory.model import Audience, Prefecture, Window, WindowKind
from ..directory.query import (
    AUDIENCE_LABELS,
    FEE_LABELS,
    InputError,
    in_area,
    resolve_audience,
    resolve_prefecture,
    window_summary,
)
from ..guides import load_guides
from ..understanding.text import MAX_ANALYSED_CHARS, analyse, features, has_japanese
from .result import CategoryHit, EmergencyNote, PhoneOut, Recommendation, Step, TriageResult

if TYPE_CHECKING:
    from ..understanding.lexicon import Signal

__all__ = ["MAX_TEXT_CHARS", "TriageInputError", "TriageResult", "triage"]

MAX_TEXT_CHARS = 200_000  # beyond this, the library refuses (the web app refuses at 16 KB)
WANTS = ("delete", "identify", "punish", "talk", "report")
MAX_RECOMMENDATIONS = 6
MAX_CATEGORIES = 4
LEXICON_WEIGHT = 0.15  # 5-fold CV on train: 0.10–0.15 best with WEAK_SCALE 0.5 (lexicon.py)
CATEGORY_THRESHOLD = 0.30
CHILD_SEXUAL_THRESHOLD = 0.20  # recall first: a child's sexual images are always an emergency
URGENT_MODEL_THRESHOLD = 0.3
# Threat words put threat_violence first unless the text already reads this clearly as another
# trouble (a threat found online against others, a partner's, a classmate's): 5-fold CV
# 88.2 → 88.8 %, flat from 0.35 to 0.65 (docs/triage.md).
CONFIDENT_READING = 0.5
SEXUAL_CATEGORIES = frozenset({"sexual_image", "child_exploitation"})

PLATFORM_LABELS = {
    "x": "X（旧Twitter）",
    "instagram": "Instagram",
    "line": "LINE",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "facebook": "Facebook",
    "google": "Google",
    "bbs_5ch": "掲示板",
    "discord": "Discord",
    "game": "オンラインゲーム",
    "mercari": "フリマアプリ",
    "mail_sms": "メール・SMS",
}

# Categories where a person is usually reporting or fighting a crime more than asking advice.
POLICE_CATEGORIES = frozenset(
    {
        "threat_violence",
        "harassment_stalking",
        "fraud_billing",
        "unauthorized_access",
        "sexual_image",
        "child_exploitation",
        "phishing",
    }
)


# What a platform's own report form can act on, whatever its help pages list first.
PLATFORM_CATEGORIES = frozenset(
    {
        "defamation",
        "privacy_leak",
        "unauthorized_image",
        "sexual_image",
        "impersonation",
        "bullying",
        "harassment_stalking",
        "threat_violence",
        "copyright",
        "discrimination_human_rights",
        "child_exploitation",
        "unauthorized_access",
        "illegal_harmful_content",
    }
)


class TriageInputError(InputError):
    """The input cannot be read as a situation: the message says what to do instead."""


@dataclass(frozen=True)
class EmergencyKind:
    id: str
    label: str
    message: str
    easy: str
    windows: tuple[str, ...]
    child_windows: tuple[str, ...]


@dataclass(frozen=True)
class EmergencyRoutes:
    kinds: dict[str, EmergencyKind]
    category_kinds: dict[str, str]


@functools.cache
def load_emergency_routes() -> EmergencyRoutes:
    raw: dict[str, Any] = yaml.safe_load(
        (resources.files("madoguchi.routing") / "emergency.yaml").read_text(encoding="utf-8")
    )
    kinds = {
        key: EmergencyKind(
            key,
            value["label"],
            value["message"],
            value.get("easy", value["message"]),
            tuple(value["windows"]),
            tuple(value.get("child_windows", ())),
        )
        for key, value in raw["kinds"].items()
    }
    return EmergencyRoutes(kinds, dict(raw["category_kinds"]))


@dataclass
class Reading:
    """What the text says, before answers and ranking."""

    scores: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    urgent_kinds: dict[str, list[str]] = field(default_factory=dict)
    urgent_probability: float = 0.0
    model: dict[str, float] = field(default_factory=dict)
    lexicon: dict[str, float] = field(default_factory=dict)  # the curated words' raw scores
    platforms: list[str] = field(default_factory=list)
    want: str | None = None
    audience: str | None = None
    minor: bool = False  # the text says a child is involved
    minor_subject: bool = False  # the text says the person it is about is a child (中2の娘)
    truncated: bool = False
    has_text: bool = False
    japanese: bool = True


def _lexicon_probability(score: float) -> float:
    return 1.0 - math.exp(-score / 3.0)


def _apply_precedence(scores: dict[str, float], signals: dict[str, Signal], text: str) -> None:
    """Put the more specific trouble first when it is said (lexicon.yaml `precedence`)."""
    from ..understanding import lexicon

    if not scores:
        return
    for rule in lexicon.load_lexicon().precedence:
        top = max(scores, key=lambda c: (scores[c], c))
        if top not in rule.over:
            continue
        if rule.when is not None:
            said = rule.when.search(text) is not None
        else:
            # A decisive word, not weak ones that add up (元夫 four times is not 裸の写真).
            signal = signals.get(rule.lead)
            said = signal is not None and signal.decisive
        if said:
            scores[rule.lead] = round(min(scores[top] + 0.01, 1.0), 4)


def read_text(text: str) -> Reading:
    """Understand a situation: categories with scores and evidence, urgency, platform, want."""
    from ..understanding import lexicon
    from ..understanding.classifier import get_model

    reading = Reading()
    analysis = analyse(text)
    reading.truncated = analysis.truncated
    reading.has_text = bool(analysis.tokens)
    reading.japanese = has_japanese(analysis.text)
    if not reading.has_text:
        return reading
    signals = lexicon.category_signals(analysis)
    doc = features(analysis)
    model = get_model()
    probabilities, reading.urgent_probability = model.predict(doc)
    reading.model = probabilities
    reading.lexicon = {cat: signal.score for cat, signal in signals.items()}
    for cat in set(signals) | set(probabilities):
        lex_score, lex_evidence, _ = signals.get(cat, lexicon.NO_SIGNAL)
        lex_p = _lexicon_probability(lex_score)
        model_p = probabilities.get(cat, 0.0)
        if not reading.japanese:
            model_p *= 0.5  # the model learned Japanese; English guesses are weak
        combined = LEXICON_WEIGHT * lex_p + (1 - LEXICON_WEIGHT) * model_p
        reading.scores[cat] = round(min(combined, 1.0), 4)
        evidence = list(lex_evidence[:4])
        if len(evidence) < 2 and model_p > 0.3:
            evidence += [w for w in model.word_evidence(doc, cat) if w not in evidence]
        reading.evidence[cat] = evidence[:5]
    reading.urgent_kinds = lexicon.urgent_signals(analysis)
    if "suicide" in reading.urgent_kinds:
        # Words of wanting to die (楽に死ねるか調べてる) are decisive for the precedence rules:
        # the conventions put suicide_self_harm first wherever it appears.
        score, words, _ = signals.get("suicide_self_harm", lexicon.NO_SIGNAL)
        signals = {**signals, "suicide_self_harm": lexicon.Signal(score, words, decisive=True)}
    _apply_precedence(reading.scores, signals, analysis.text)
    reading.platforms = lexicon.platforms(text)
    patterns = lexicon.load_lexicon()
    for want in WANTS:
        if patterns.wants[want].search(analysis.text):
            reading.want = want
            break
    reading.minor = bool(patterns.minor.search(analysis.text))
    reading.minor_subject = bool(patterns.minor_subject.search(analysis.text))
    for audience, rx in patterns.audiences.items():
        if rx.search(analysis.text):
            reading.audience = audience
            break
    return reading


def _check_text(text: str | None) -> str:
    if text is None:
        return ""
    if not isinstance(text, str):
        raise TriageInputError("text は文字列で渡してください")
    if len(text) > MAX_TEXT_CHARS:
        raise TriageInputError(
            f"文章が長すぎます（{len(text):,} 文字）。{MAX_TEXT_CHARS:,} 文字以内で、"
            "何があったかを短く書いてください。"
        )
    return text


def _answers(answers: Mapping[str, Any] | None, directory: Directory) -> dict[str, Any]:
    """Validate structured answers; unknown values are errors, not silent guesses."""
    if answers is None:
        return {}
    if not isinstance(answers, Mapping):
        raise TriageInputError("answers はキーと値の組（辞書）で渡してください")
    out: dict[str, Any] = {}
    cats = answers.get("categories")
    if cats not in (None, "", []):
        if isinstance(cats, str):
            cats = [cats]
        if not isinstance(cats, list) or not all(isinstance(c, str) for c in cats):
            raise TriageInputError("answers.categories はカテゴリ id のリストです")
        unknown = [c for c in cats if c not in directory.categories]
        if unknown:
            raise TriageInputError(f"未知のカテゴリ: {', '.join(unknown)}")
        out["categories"] = list(dict.fromkeys(cats))
    for key in ("platform", "want", "danger", "audience", "prefecture", "urgency"):
        value = answers.get(key)
        if value in (None, ""):
            continue
        if not isinstance(value, str):
            raise TriageInputError(f"answers.{key} は文字列です")
        out[key] = value
    if "want" in out and out["want"] not in WANTS:
        raise TriageInputError(f"answers.want は {', '.join(WANTS)} のどれかです")
    if "danger" in out and out["danger"] not in {"yes", "no"}:
        raise TriageInputError("answers.danger は yes か no です")
    if "urgency" in out and out["urgency"] not in {"now", "soon", "not_urgent", "yes", "no"}:
        raise TriageInputError("answers.urgency は now / soon / not_urgent です")
    return out


def _phones(window: Window) -> list[PhoneOut]:
    return [
        PhoneOut(
            number=p.number,
            fee=p.fee.value,
            label=p.label,
            tel=p.tel,
            fee_text=FEE_LABELS[p.fee.value],
        )
        for p in window.phones
    ]


def _recommendation(window: Window, reason: str, at: dt.datetime, score: float) -> Recommendation:
    summary = window_summary(window, at)
    return Recommendation(
        id=window.id,
        name=window.name,
        kind=window.kind.value,
        kind_label=summary["kind_label"],
        operator=window.operator.name,
        region=summary["region"],
        phones=_phones(window),
        urls=summary["urls"],
        channels=summary["channels"],
        hours_text=summary["hours_text"],
        open_now=summary["open_now"],
        next_open=summary["next_open"],
        status_text=summary["status_text"],
        fee=summary["fee"],
        fee_text=summary["fee_text"],
        description=window.description,
        prepare=list(window.prepare),
        reason=reason,
        verified=summary["verified"],
        sources=list(window.sources),
        score=round(score, 3),
    )


def _localise(ids: list[str], directory: Directory, pref: Prefecture | None) -> list[Window]:
    """Windows by id, each national one with a local_role replaced by the prefecture's own."""
    out: list[Window] = []
    for wid in ids:
        window = directory.get(wid)
        if window is None:
            continue
        if window.local_role and pref is not None:
            local = next(
                (
                    w
                    for w in directory.windows
                    if w.local_role == window.local_role and w.region.code == pref.code
                ),
                None,
            )
            window = local or window
        if window not in out:
            out.append(window)
    return out


def _emergency(
    kinds: dict[str, list[str]],
    audience: Audience | None,
    directory: Directory,
    pref: Prefecture | None,
) -> tuple[list[Window], list[EmergencyNote]]:
    routes = load_emergency_routes()
    order = ["danger", "threat", "child_sexual", "stalking", "suicide", "dv"]
    young = audience in (Audience.child, Audience.parent, Audience.teacher)
    ids: list[str] = []
    notes: list[EmergencyNote] = []
    for kind_id in sorted(kinds, key=order.index):
        kind = routes.kinds[kind_id]
        kind_ids = list(kind.windows)
        if young and kind.child_windows:
            kind_ids[1:1] = list(kind.child_windows)
        ids += kind_ids
        notes.append(
            EmergencyNote(
                kind=kind_id,
                label=kind.label,
                message=kind.easy if audience is Audience.child else kind.message,
                evidence=kinds[kind_id][:4],
            )
        )
    windows = _localise(ids, directory, pref)
    # 110 / 119 first, then the rest in the order the routes give.
    windows.sort(key=lambda w: 0 if w.kind is WindowKind.emergency else 1)
    return windows, notes


def _reason(
    window: Window,
    matched: list[str],
    labels: Mapping[str, str],
    *,
    pref: Prefecture | None,
    audience: Audience | None,
    want: str | None,
    platforms: list[str],
) -> str:
    """One plain Japanese sentence: why this window, for this person."""
    topic = "・".join(labels[c] for c in matched[:2]) if matched else "ネットのトラブル"
    platform_hit = [p for p in window.platforms if p in platforms]
    if window.kind is WindowKind.platform_form:
        name = PLATFORM_LABELS.get(platform_hit[0], window.name) if platform_hit else window.name
        return f"{name}の運営会社に、問題の投稿やアカウントの削除・報告を直接申し立てられます。"
    if window.kind is WindowKind.report_only:
        return f"{topic}の情報を通報できる窓口です（相談窓口ではありません）。"
    if window.kind is WindowKind.legal:
        if want == "identify":
            return (
                "投稿した人の特定（発信者情報開示請求）には弁護士の手続きが必要で、"
                "ここで無料の法律相談を受けられる場合があります。"
            )
        return "法的な手続き（削除請求や損害賠償など）について弁護士に相談できる窓口です。"
    if window.kind is WindowKind.information:
        return f"{topic}について、相談先の一覧や対処法を確かめられる公式の案内です。"
    if pref is not None and window.region.code == pref.code:
        return f"お住まいの{pref.name}の窓口で、{topic}について相談できます。"
    if audience is not None and audience is not Audience.general and audience in window.audiences:
        who = AUDIENCE_LABELS[audience]
        return f"{who}の相談を受け付けている窓口で、{topic}について相談できます。"
    services = {s.value for s in window.services}
    if want == "delete" and "deletion_request_on_behalf" in services:
        return f"{topic}の相談ができ、必要なときはプロバイダなどへの削除要請も行っています。"
    if want == "delete" and "deletion_advice" in services:
        return f"{topic}の書き込みを消すための方法を具体的に教えてもらえます。"
    if want == "punish" and ("report_to_police" in services or "investigation" in services):
        return f"{topic}が犯罪にあたるかどうかを含めて、警察に相談できます。"
    return f"{topic}の相談を受け付けている窓口です。"


def _rank(
    directory: Directory,
    cats: list[tuple[str, float]],
    *,
    pref: Prefecture | None,
    audience: Audience | None,
    want: str | None,
    platforms: list[str],
    at: dt.datetime,
    exclude: set[str],
) -> list[tuple[float, Window, list[str]]]:
    weights = {cat: score * (1.0 if i == 0 else 0.6) for i, (cat, score) in enumerate(cats)}
    primary = cats[0][0] if cats else "other"
    reporting = want == "report" or primary == "illegal_harmful_content"
    local_roles = {
        w.local_role
        for w in directory.windows
        if w.local_role and pref is not None and w.region.code == pref.code
    }
    ranked = []
    for window in directory.windows:
        if window.id in exclude or window.kind is WindowKind.emergency:
            continue
        if not in_area(window, pref):
            continue
        if window.is_national and window.local_role in local_roles:
            continue  # the person's own prefecture runs this service
        matched = [c for c in weights if c in window.categories]
        platform_hit = any(p in platforms for p in window.platforms)
        if platform_hit and not matched:
            # A platform's own form takes any problem with content on that platform.
            matched = [c for c in weights if c in PLATFORM_CATEGORIES]
            weights_here = {c: weights[c] * 0.8 for c in matched}
        else:
            weights_here = weights
        if not matched:
            continue
        score = sum(weights_here[c] for c in matched)
        services = {s.value for s in window.services}
        score += _audience_fit(window, audience)
        # Where the person lives.
        if pref is not None and window.region.code == pref.code:
            score += 0.4
        # What kind of place it is.
        if window.kind is WindowKind.consultation:
            score += 0.3 if not reporting else 0.0
        elif window.kind is WindowKind.report_only:
            score += 0.6 if reporting else -0.35
        elif window.kind is WindowKind.platform_form:
            score += 0.7 if platform_hit else -0.8
        elif window.kind is WindowKind.information:
            score -= 0.15
        elif window.kind is WindowKind.legal:
            score -= 0.2
        # What the person wants.
        if want == "delete":
            if platform_hit:
                score += 0.5
            if services & {"deletion_request_on_behalf", "deletion_advice", "platform_takedown"}:
                score += 0.4
        elif want == "identify":
            if window.kind is WindowKind.legal or "legal_representation" in services:
                score += 1.2
        elif want == "punish":
            if (
                services & {"report_to_police", "investigation"}
                or window.local_role == "police_consultation"
            ):
                score += 0.6
        elif want == "talk" and window.kind is WindowKind.consultation:
            score += 0.3
        if primary in POLICE_CATEGORIES and window.local_role == "police_consultation":
            score += 0.2
        # Open now helps a little; unverified facts count against.
        if hours_mod.is_open(window.hours, at):
            score += 0.1
        if window.verified.status != "verified":
            score -= 0.25
        ranked.append((score, window, matched))
    ranked.sort(key=lambda item: (-item[0], item[1].id))
    return ranked


def _audience_fit(window: Window, audience: Audience | None) -> float:
    """A bonus for a window made for this person; a malus for one made for someone else."""
    if audience is not None and audience is not Audience.general and audience in window.audiences:
        return 0.5
    specific = [a for a in window.audiences if a is not Audience.general]
    if not specific or Audience.general in window.audiences:
        return 0.0
    if audience is Audience.parent and Audience.child in specific:
        return 0.0  # children's lines take their parents' calls too
    return -0.6


def _legal_fallback(directory: Directory) -> Window | None:
    return next((w for w in directory.windows if w.kind is WindowKind.legal), None)


def _steps(cats: list[str], urgent: bool, want: str | None, child: bool) -> list[Step]:
    guides = load_guides()
    chosen = []
    seen: set[str] = set()
    wanted_when = {"delete": "deletion", "identify": "identify", "report": "report"}.get(want or "")

    def add(step: Any) -> None:
        key = step.title
        if key in seen:
            return
        seen.add(key)
        chosen.append(Step(id=step.id, title=step.title, detail=step.detail, easy=step.easy))

    cat_steps = [s for c in cats[:2] for s in guides.categories.get(c, [])]
    if urgent:
        for step in cat_steps + guides.common:
            if step.when == "urgent":
                add(step)
    primary = guides.categories.get(cats[0], []) if cats else []
    for step in primary[:3]:
        if step.when not in {"urgent"} or urgent:
            add(step)
    for step in guides.common[:3]:
        if step.when != "urgent":
            add(step)
    for step in cat_steps:
        if wanted_when and step.when == wanted_when:
            add(step)
    if len(cats) > 1:
        for step in guides.categories.get(cats[1], [])[:1]:
            if step.when != "urgent":
                add(step)
    if child:
        for step in guides.common:
            if step.id == "talk-to-someone":
                add(step)
    return chosen[:7]


def triage(
    text: str | None = None,
    *,
    answers: Mapping[str, Any] | None = None,
    prefecture: str | None = None,
    audience: str | None = None,
    at: dt.datetime | str | None = None,
    want: str | None = None,
    directory: Directory | None = None,
) -> TriageResult:
    """Read a situation (free text and/or guided answers) and say where to go, best first.

    Raises TriageInputError (a ValueError) for input that cannot be a situation at all:
    nothing given, text too long, unknown prefecture or audience, malformed answers.
    """
    directory = directory or load_directory()
    text = _check_text(text)
    parsed = _answers(answers, directory)
    if isinstance(at, str):
        try:
            at = dt.datetime.fromisoformat(at)
        except ValueError:
            raise TriageInputError(f"at の日時が読めません: {at!r}") from None
    when = hours_mod.to_jst(at)
    try:
        pref = resolve_prefecture(directory, parsed.get("prefecture") or prefecture)
        given_audience = resolve_audience(parsed.get("audience") or audience)
    except InputError as exc:
        raise TriageInputError(str(exc)) from None
    if not text.strip() and not parsed:
        raise TriageInputError("何があったかを書いてください（または質問に答えてください）。")

    reading = read_text(text) if text.strip() else Reading()
    notices: list[str] = []
    if text.strip() and not reading.has_text:
        notices.append(
            "文章を読み取れませんでした。何があったかを言葉で書くか、質問に答えて探してください。"
        )
    elif reading.has_text and not reading.japanese:
        notices.append(
            "日本語で書いてもらえると、より正確に探せます。"
            " (Please describe what happened in Japanese if you can; the guided questions also help.)"
        )
    if reading.truncated:
        notices.append(f"文章が長いため、最初の {MAX_ANALYSED_CHARS:,} 文字だけを読みました。")

    # Who and what for: explicit arguments and answers win over guesses from the text.
    aud = given_audience or resolve_audience(reading.audience)
    if want is not None and want not in WANTS:
        raise TriageInputError(f"want は {', '.join(WANTS)} のどれかです")
    chosen_want = parsed.get("want") or want or reading.want
    platforms = [parsed["platform"]] if parsed.get("platform") else reading.platforms

    # Categories: answers override; otherwise the text's, best first.
    labels = {c.id: c.label for c in directory.categories.values()}
    hits: list[CategoryHit] = []
    if parsed.get("categories"):
        for cat in parsed["categories"]:
            category = directory.categories[cat]
            hits.append(
                CategoryHit(
                    id=cat,
                    label=category.label,
                    easy_label=category.easy_label,
                    score=1.0,
                    evidence=["質問への答え"],
                    source="answers",
                )
            )
    else:
        scores = dict(reading.scores)
        if (aud is Audience.child or reading.minor_subject) and scores:
            # A child's own sexual images are child exploitation (conventions): 「中2です」,
            # 「高1の娘の写真」. A child merely mentioned (子どもと二人暮らし) does not count.
            top = max(scores, key=lambda c: (scores[c], c))
            if top == "sexual_image":
                scores["child_exploitation"] = round(min(scores[top] + 0.01, 1.0), 4)
                if not reading.evidence.get("child_exploitation"):
                    reading.evidence["child_exploitation"] = reading.evidence.get(top, [])
        ordered = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        for cat, score in ordered:
            if len(hits) >= MAX_CATEGORIES:
                break
            if score < CATEGORY_THRESHOLD and hits:
                break
            if score < 0.12:
                break
            category = directory.categories[cat]
            hits.append(
                CategoryHit(
                    id=cat,
                    label=category.label,
                    easy_label=category.easy_label,
                    score=score,
                    evidence=reading.evidence.get(cat, []),
                )
            )
    understood = bool(hits) and (hits[0].source == "answers" or hits[0].score >= CATEGORY_THRESHOLD)

    # Urgency: any strong signal is enough (recall first).
    routes = load_emergency_routes()
    kinds: dict[str, list[str]] = dict(reading.urgent_kinds)
    if parsed.get("danger") == "yes" or parsed.get("urgency") in {"now", "yes"}:
        kinds.setdefault("danger", ["「危険がある」と答えた"])
    for hit in hits:
        kind = routes.category_kinds.get(hit.id)
        if (
            kind is not None
            and hit.source == "answers"
            and hit.id in {"suicide_self_harm", "threat_violence", "child_exploitation"}
        ):
            kinds.setdefault(kind, [hit.label])
    sexual = max(
        reading.scores.get("sexual_image", 0.0), reading.scores.get("child_exploitation", 0.0)
    )
    from ..understanding.lexicon import DECISIVE_WEIGHT

    child_words = reading.lexicon.get("child_exploitation", 0.0) >= DECISIVE_WEIGHT  # 児童ポルノ
    if child_words or (
        (reading.minor or aud is Audience.child) and sexual >= CHILD_SEXUAL_THRESHOLD
    ):
        # A child's sexual images or grooming: emergency, whoever writes and whatever else.
        evidence = reading.evidence.get("child_exploitation") or reading.evidence.get(
            "sexual_image", []
        )
        kinds.setdefault("child_sexual", evidence[:3] or ["子どもの性的な画像"])
    if reading.urgent_probability >= URGENT_MODEL_THRESHOLD and not kinds:
        # The model senses danger the lexicon missed: name it by the likeliest urgent category.
        mapped = [c for c in routes.category_kinds if c in reading.model]
        likeliest = max(mapped, key=lambda c: (reading.model[c], c), default=None)
        if likeliest is not None:
            kind = routes.category_kinds[likeliest]
            kinds[kind] = reading.evidence.get(likeliest, [])[:3] or [
                directory.categories[likeliest].label
            ]
    if "child_sexual" in kinds and "stalking" in kinds and not reading.urgent_kinds.get("stalking"):
        kinds.pop("stalking")
    urgent = bool(kinds)
    emergency_windows, emergency_notes = (
        _emergency(kinds, aud, directory, pref) if urgent else ([], [])
    )
    # Urgent kinds imply their category even when the words were indirect (飛んだら楽かな).
    if urgent and not parsed.get("categories"):
        implied = {
            "suicide": "suicide_self_harm",
            "threat": "threat_violence",
            "child_sexual": "sexual_image",
            "stalking": "harassment_stalking",
        }
        for kind, cat in implied.items():
            if kind in kinds and cat not in {h.id for h in hits}:
                category = directory.categories[cat]
                # Words that say it (死にたい, 殺す) make it the main trouble; a danger only
                # the model senses keeps the emergency block but not the first place.
                said = kind in reading.urgent_kinds
                first = 0 if kind in {"suicide", "threat"} and said else len(hits)
                if (
                    kind == "threat"
                    and hits
                    and (hits[0].id in SEXUAL_CATEGORIES or hits[0].score >= CONFIDENT_READING)
                ):
                    # 「払わないとばらまく」: the images stay the trouble. A threat found online
                    # against others, a partner's, a classmate's: the conventions file these
                    # under what the text clearly reads as. The threat comes second (and the
                    # emergency block still comes first).
                    first = max(first, 1)
                hits.insert(
                    first,
                    CategoryHit(
                        id=cat,
                        label=category.label,
                        easy_label=category.easy_label,
                        score=0.6,
                        evidence=kinds[kind][:3],
                    ),
                )
                understood = True
        hits = hits[:MAX_CATEGORIES]

    cat_scores = [(h.id, h.score) for h in hits]
    if not cat_scores:
        cat_scores = [("other", 0.3)]
    ranked = _rank(
        directory,
        cat_scores,
        pref=pref,
        audience=aud,
        want=chosen_want,
        platforms=platforms,
        at=when,
        exclude={w.id for w in emergency_windows},
    )
    picks = ranked[:MAX_RECOMMENDATIONS]
    if chosen_want == "identify" and not any(w.kind is WindowKind.legal for _, w, _ in picks):
        legal = _legal_fallback(directory)
        if legal is not None:
            picks = [*picks[: MAX_RECOMMENDATIONS - 1], (0.0, legal, [])]
    recommendations = [
        _recommendation(
            window,
            _reason(
                window,
                matched,
                labels,
                pref=pref,
                audience=aud,
                want=chosen_want,
                platforms=platforms,
            ),
            when,
            score,
        )
        for score, window, matched in picks
    ]
    emergency = [_recommendation(w, _emergency_reason(w), when, 10.0) for w in emergency_windows]

    if any(r.kind == "report_only" for r in recommendations):
        notices.append("「通報窓口」は相談窓口ではありません。通報・情報提供だけを受け付けます。")
    shown = recommendations + emergency
    if any(r.verified.get("status") != "verified" for r in shown):
        notices.append(
            "「未確認」と表示された窓口は、番号や受付時間を公式ページで確認できていません。"
            "電話する前に確かめてください。"
        )
    if not understood and text.strip():
        notices.append("うまく読み取れなかったかもしれません。質問に答えて探すこともできます。")

    steps = _steps([h.id for h in hits] or ["other"], urgent, chosen_want, aud is Audience.child)
    return TriageResult(
        categories=hits,
        urgent=urgent,
        emergency=emergency,
        emergency_reasons=emergency_notes,
        recommendations=recommendations,
        steps=steps,
        notices=notices,
        platforms=platforms,
        audience=aud.value if aud else None,
        prefecture={"code": pref.code, "name": pref.name} if pref else None,
        want=chosen_want,
        at=when.isoformat(),
        understood=understood,
    )


def _emergency_reason(window: Window) -> str:
    if window.kind is WindowKind.emergency:
        return "命や体に危険があるときは、ためらわずに電話してください。"
    if window.hours is not None and window.hours.always_open:
        return "24時間、つらい気持ちや危険について相談できます。"
    return "今すぐ話を聞いてもらえる窓口です。"
