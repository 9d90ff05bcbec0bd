"""The curated lexicon: strong, explainable signals, matched on Sudachi's normalised forms.

Each match keeps the words that produced it (the evidence a person and a reviewer see).
A match followed by a negation in its own predicate (脅迫はされていない) is dropped; in a
hypothetical sentence (もし写真が流出したら) it counts a quarter for categories.
"""

from __future__ import annotations

import bisect
import functools
import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from operator import itemgetter
from typing import Any, NamedTuple

import yaml

from .text import Analysis, Token, normalize, tokenize

GAP = "…"
MAX_GAP_TOKENS = 8
HYPOTHETICAL_FACTOR = 0.25

# Tokens that may sit between a matched word and its negation: particles, auxiliaries,
# and the light verbs of a predicate (される, している, てない …).
_LIGHT_VERBS = frozenset(
    {"為る", "居る", "有る", "来る", "貰う", "仕舞う", "見る", "呉れる", "遣る", "成る"}
)
_NEGATORS = frozenset({"ない", "ぬ", "ず", "ん", "無い"})
# 「殺す」とは言われていない: a negated reporting verb after a quotation negates the quote.
_QUOTATIVES = frozenset({"と", "って", "は", "とは", "なんて", "とか", "も"})
_REPORTING_VERBS = frozenset({"言う", "書く", "云う", "送る", "脅す", "言い出す", "思う", "考える"})
# 死にたいと思わない日はない: a second negation after 日 / わけ / こと undoes the first.
_DOUBLE_NEGATION_NOUNS = frozenset({"日", "時", "わけ", "訳", "こと", "事"})
_HYPOTHETICAL_CUES = re.compile(
    r"(どうしよう|心配|不安|こわい|怖い|されるかも|かもしれない|たらどう|予防|ならない(よう|ため))"
)


@dataclass(frozen=True)
class Pattern:
    source: str  # as written in the YAML
    parts: tuple[tuple[str, ...], ...]  # token-norm sequences, in order, gaps between
    regex: re.Pattern[str] | None = None

    @functools.cached_property
    def needs(self) -> frozenset[str]:
        """Every normalised form the pattern needs: a cheap test before matching."""
        return frozenset(n for part in self.parts for n in part)


@dataclass(frozen=True)
class Match:
    pattern: str
    evidence: str  # the words in the person's text
    weight: float
    start_token: int
    end_token: int  # exclusive
    negated: bool
    hypothetical: bool


START_LENGTH = 2
_MAX_STARTS = 400
_UNKNOWN = "\x00"  # pads a start whose next characters cannot be known


def match_starts(regex: re.Pattern[str]) -> frozenset[str] | None:
    """Strings of up to two characters, one of which begins every non-empty match; None
    when the regex can begin with anything.

    Most lexicon regexes begin with one of a few words (ころす, 死にたい, 夫が…), and most
    texts contain none of their first two characters: a set test skips the regex without
    running it (about 80 of 144 for a 300-character text). Reads the pattern with the
    standard library's parser; what this does not know gives None (always run).
    """
    try:
        c = importlib.import_module("re._constants")
        parsed = importlib.import_module("re._parser").parse(regex.pattern, regex.flags)
        if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
            return None
        starts = _starts_of(parsed.data, START_LENGTH, c)
    except Exception:  # a parser change only costs speed
        return None
    if starts is None:
        return None
    # "" would be an empty match, which the lexicon never uses.
    found = frozenset(s.rstrip(_UNKNOWN) for s in starts) - {""}
    return found or None


def _starts_of(items: Any, k: int, c: Any) -> set[str] | None:
    """The first k characters of every match of a parsed sequence: fewer where the match
    ends, or where what follows is unknown."""
    done: set[str] = set()
    partial = {""}
    for op, av in items:
        step = _grow(partial, k, functools.partial(_starts_item, op, av, c=c))
        if step is None:
            return None
        grown, unknown = step
        done |= unknown | {p for p in grown if len(p) >= k}
        partial = {p for p in grown if len(p) < k}
        if len(done) + len(partial) > _MAX_STARTS:
            return None
        if not partial:
            break
    return done | partial


def _grow(
    partial: set[str], k: int, tails_of: Callable[[int], set[str] | None]
) -> tuple[set[str], set[str]] | None:
    """Each prefix followed by what can come next: (grown, padded). Where what comes next is
    unknown (家[^。]…), the prefix alone still begins the match: padded to k. None when an
    empty prefix meets the unknown."""
    grown: set[str] = set()
    padded: set[str] = set()
    for prefix in partial:
        tails = tails_of(k - len(prefix))
        if tails is None:
            if not prefix:
                return None
            padded.add(prefix.ljust(k, _UNKNOWN))
            continue
        grown |= {prefix + tail for tail in tails}
    return grown, padded


def _starts_item(op: Any, av: Any, k: int, c: Any) -> set[str] | None:
    if op is c.LITERAL:
        return {chr(av)}
    if op is c.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is c.LITERAL:
                chars.add(chr(value))
            elif kind is c.RANGE and value[1] - value[0] < 64:
                chars.update(map(chr, range(value[0], value[1] + 1)))
            else:
                return None  # negated sets, \d, wide ranges
        return chars
    if op is c.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            starts = _starts_of(branch.data, k, c)
            if starts is None:
                return None
            out |= starts
        return out
    if op is c.SUBPATTERN:
        if av[1] or av[2]:  # (?i:…) and other local flags
            return None
        return _starts_of(av[3].data, k, c)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, high, sub = av
        if low > 8:
            return None
        out = {""} if low == 0 else set()
        partial = {""}
        copies = 0
        # Each copy that is not empty adds a character: k copies past `low` are enough.
        while partial and copies < high and copies < low + k:
            step = _grow(partial, k, functools.partial(_starts_of, sub.data, c=c))
            if step is None:
                return None
            grown, unknown = step
            copies += 1
            partial = {p for p in grown if len(p) < k}
            out |= unknown | {p for p in grown if len(p) >= k}
            if copies >= low:
                out |= partial
            if len(out) > _MAX_STARTS:
                return None
        return out
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return {""}  # consumes nothing
    return None


def _compile(term: str) -> Pattern:
    if term.startswith("re:"):
        return Pattern(term, (), re.compile(term[3:]))
    parts = []
    for part in term.split(GAP):
        norms = tuple(
            t.norm for t in tokenize(normalize(part.strip())) if t.pos not in {"補助記号", "空白"}
        )
        if norms:
            parts.append(norms)
    if not parts:
        raise ValueError(f"lexicon term has no tokens: {term!r}")
    return Pattern(term, tuple(parts))


class PatternSet:
    """The patterns of several groups (categories, or kinds of emergency), indexed by their
    first word: one pass over a text's words finds the patterns that can match there."""

    def __init__(self, groups: dict[str, list[tuple[Pattern, float]]]) -> None:
        # Regexes with the strings their matches start with (None: anything).
        self._regex_starts: list[tuple[frozenset[str] | None, str, int, Pattern, float]] = []
        self._by_first: dict[str, list[tuple[str, int, Pattern, float]]] = {}
        for key, entries in groups.items():
            for order, (pattern, weight) in enumerate(entries):
                if pattern.regex is not None:
                    starts = match_starts(pattern.regex)
                    self._regex_starts.append((starts, key, order, pattern, weight))
                else:
                    first = pattern.parts[0][0]
                    self._by_first.setdefault(first, []).append((key, order, pattern, weight))

    def candidates(self, analysis: Analysis) -> dict[str, list[tuple[Pattern, float]]]:
        """Per group, in YAML order: the patterns that can match this text.

        Regexes whose first two characters occur in it, and word patterns whose first word
        does.
        """
        found: dict[str, list[tuple[int, Pattern, float]]] = {}
        starts = analysis.starts
        for first, key, order, pattern, weight in self._regex_starts:
            if first is None or not first.isdisjoint(starts):
                found.setdefault(key, []).append((order, pattern, weight))
        by_first = self._by_first
        for norm in analysis.norm_set:
            for key, order, pattern, weight in by_first.get(norm, ()):
                found.setdefault(key, []).append((order, pattern, weight))
        return {
            key: [(pattern, weight) for _, pattern, weight in sorted(items, key=itemgetter(0))]
            for key, items in found.items()
        }


class Precedence(NamedTuple):
    """When `lead` is said, it goes before any of `over` (the labelling conventions).

    Said means decisive words of `lead` in the text, or, when the rule has `when`, one of
    those patterns ("re:…", as in the word lists): a rule about who did it (a partner) needs
    more than the category's words.
    """

    lead: str
    over: frozenset[str]
    when: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Lexicon:
    categories: PatternSet
    urgent: PatternSet
    platforms: dict[str, re.Pattern[str]]
    wants: dict[str, re.Pattern[str]]  # what the person wants, in YAML order
    audiences: dict[str, re.Pattern[str]]  # who writes, in YAML order
    minor: re.Pattern[str]  # a child is involved
    minor_subject: re.Pattern[str]  # the person it happened to is a child (中2の娘, 高1です)
    precedence: tuple[Precedence, ...] = ()


DECISIVE_WEIGHT = 3.0
# Strong and supporting words count half: common on their own (写真, アプリ, 友達), they pushed
# the wrong category where the model, seeing the context, was right. 5-fold CV on train
# 80.3 → 82.3 % first category with LEXICON_WEIGHT 0.15 (and an outside dev set 89.4 → 91.6 %).
WEAK_SCALE = 0.5


@functools.cache
def load_lexicon() -> Lexicon:
    raw: dict[str, Any] = yaml.safe_load(
        (resources.files("madoguchi.understanding") / "lexicon.yaml").read_text(encoding="utf-8")
    )
    categories: dict[str, list[tuple[Pattern, float]]] = {}
    for cat, groups in raw["categories"].items():
        entries = []
        for group in groups or []:
            weight = float(group["weight"])
            if weight < DECISIVE_WEIGHT:
                weight *= WEAK_SCALE
            for term in group["terms"]:
                entries.append((_compile(str(term)), weight))
        if entries:
            categories[cat] = entries
    urgent = {
        kind: [(_compile(str(term)), 1.0) for term in terms]
        for kind, terms in raw["urgent"].items()
    }
    platforms = {name: _any_of(pats) for name, pats in raw["platforms"].items()}
    return Lexicon(
        PatternSet(categories),
        PatternSet(urgent),
        platforms,
        wants={name: _any_of(pats) for name, pats in raw["wants"].items()},
        audiences={name: _any_of(pats) for name, pats in raw["audiences"].items()},
        minor=_any_of(raw["minor"]),
        minor_subject=_any_of(raw["minor_subject"]),
        precedence=tuple(
            Precedence(
                str(rule["lead"]),
                frozenset(map(str, rule["over"])),
                _any_of([str(w).removeprefix("re:") for w in rule["when"]])
                if rule.get("when")
                else None,
            )
            for rule in raw.get("precedence", [])
        ),
    )


def _any_of(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def _find_seq(analysis: Analysis, seq: tuple[str, ...], start: int, stop: int) -> int:
    """The first position >= start (and < stop) where `seq` occurs, via the norm index."""
    norms = analysis.norms
    n = len(seq)
    positions = analysis.positions.get(seq[0], ())
    for i in positions[bisect.bisect_left(positions, start) :]:
        if i >= stop:
            break
        if norms[i : i + n] == seq:
            return i
    return -1


def _negated(tokens: tuple[Token, ...], end: int) -> bool:
    """Is the predicate that starts at `end` negated? (されていない, じゃない, 殺すとは言われてない)."""
    previous = tokens[end - 1] if end > 0 else None
    for at, token in enumerate(tokens[end : end + 8], start=end):
        if token.pos in {"補助記号", "空白"}:
            return False
        if token.norm in _NEGATORS and token.pos in {"助動詞", "形容詞"}:
            return not _negated_again(tokens, at + 1)
        quoted = previous is not None and previous.norm in _QUOTATIVES
        previous = token
        if token.pos in {"助詞", "助動詞"} or (token.pos == "動詞" and token.norm in _LIGHT_VERBS):
            continue
        if token.pos == "動詞" and quoted and token.norm in _REPORTING_VERBS:
            continue
        if token.pos == "形容詞" and token.pos2 == "非自立可能":
            continue
        return False
    return False


def _negated_again(tokens: tuple[Token, ...], start: int) -> bool:
    """After a negation: 日 / わけ / こと, then another negation (思わない日はない)."""
    following = tokens[start : start + 6]
    for i, token in enumerate(following):
        if token.norm in _DOUBLE_NEGATION_NOUNS:
            return any(t.norm in _NEGATORS for t in following[i + 1 : i + 5])
    return False


def _hypothetical(analysis: Analysis, start: int, end: int) -> bool:
    """Inside a sentence that only imagines it: もし…, or …たら／ば followed by worry."""
    first, last = analysis.sentence_spans[analysis.sentence_of[start]]
    if _any_between(analysis.positions.get("若し", ()), first, start):
        return True
    if _any_between(analysis.conditionals, end, last):
        tail = analysis.text[analysis.tokens[end - 1].end : analysis.tokens[last].end]
        return bool(_HYPOTHETICAL_CUES.search(tail))
    return False


def _any_between(positions: Sequence[int], low: int, high: int) -> bool:
    """Is there a position p with low <= p <= high? (positions ascending)"""
    i = bisect.bisect_left(positions, low)
    return i < len(positions) and positions[i] <= high


def match_pattern(analysis: Analysis, pattern: Pattern) -> list[tuple[int, int, str]]:
    """All (start_token, end_token, evidence) spans where the pattern occurs."""
    if pattern.regex is not None:
        out = []
        for m in pattern.regex.finditer(analysis.text):
            if not m.group(0):
                continue
            ends = analysis.token_ends
            start = min(bisect.bisect_right(ends, m.start()), len(ends) - 1)
            end = min(bisect.bisect_left(ends, m.end()) + 1, len(ends))
            out.append((start, end, m.group(0)))
        return out
    norms = analysis.norms
    if not pattern.needs <= analysis.norm_set:
        return []
    spans = []
    first = pattern.parts[0]
    pos = 0
    while True:
        i = _find_seq(analysis, first, pos, len(norms))
        if i < 0:
            break
        cursor = i + len(first)
        ok = True
        pieces = [(i, cursor)]
        for part in pattern.parts[1:]:
            sentence = analysis.sentence_of[i]
            limit = cursor + MAX_GAP_TOKENS + len(part)
            j = _find_seq(analysis, part, cursor, limit)
            if j < 0 or analysis.sentence_of[j] != sentence:
                ok = False
                break
            pieces.append((j, j + len(part)))
            cursor = j + len(part)
        if ok:
            words = ["".join(t.surface for t in analysis.tokens[a:b]) for a, b in pieces]
            spans.append((i, cursor, "…".join(words)))
        pos = i + 1
    return spans


def find(analysis: Analysis, patterns: list[tuple[Pattern, float]]) -> list[Match]:
    matches = []
    for pattern, weight in patterns:
        for start, end, evidence in match_pattern(analysis, pattern):
            negated = _negated(analysis.tokens, end) if end <= len(analysis.tokens) else False
            hypothetical = not negated and _hypothetical(analysis, start, end)
            matches.append(
                Match(pattern.source, evidence, weight, start, end, negated, hypothetical)
            )
    return matches


class Signal(NamedTuple):
    """What the lexicon found for one category."""

    score: float  # the weights of its matches, summed
    evidence: list[str]  # the words found, best first
    decisive: bool  # one match alone is decisive (weight 3): 元夫 said four times is not


NO_SIGNAL = Signal(0.0, [], decisive=False)


def category_signals(analysis: Analysis) -> dict[str, Signal]:
    """Per category: the lexicon's raw score, its evidence words and whether it is decisive."""
    out: dict[str, Signal] = {}
    if not analysis.tokens:
        return out
    for cat, patterns in load_lexicon().categories.candidates(analysis).items():
        score = 0.0
        evidence: dict[str, float] = {}
        seen_spans: set[tuple[int, int]] = set()
        for m in find(analysis, patterns):
            if m.negated:
                continue
            span = (m.start_token, m.end_token)
            if span in seen_spans:
                continue
            seen_spans.add(span)
            weight = m.weight * (HYPOTHETICAL_FACTOR if m.hypothetical else 1.0)
            score += weight
            evidence[m.evidence] = max(evidence.get(m.evidence, 0.0), weight)
        if score > 0:
            ranked = sorted(evidence, key=lambda e: (-evidence[e], e))
            decisive = max(evidence.values()) >= DECISIVE_WEIGHT
            out[cat] = Signal(score, ranked, decisive)
    return out


def urgent_signals(analysis: Analysis) -> dict[str, list[str]]:
    """Per kind of emergency (suicide, threat, child_sexual, stalking): the words found."""
    out: dict[str, list[str]] = {}
    if not analysis.tokens:
        return out
    for kind, patterns in load_lexicon().urgent.candidates(analysis).items():
        words = []
        for m in find(analysis, patterns):
            if not m.negated and m.evidence not in words:
                words.append(m.evidence)
        if words:
            out[kind] = words
    return out


def platforms(raw: str) -> list[str]:
    """Platforms named in the raw text (before normalisation lower-cases X and LINE)."""
    import unicodedata

    text = unicodedata.normalize("NFKC", raw)
    return [name for name, rx in load_lexicon().platforms.items() if rx.search(text)]
