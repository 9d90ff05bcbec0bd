"""Normalising and tokenising what a person wrote, so that 晒された / さらされた / 晒されてる meet.

SudachiPy gives each token a normalised form (さらす → 晒す, 載せる → 乗せる); the lexicon
and the classifier both work on those forms.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

MAX_ANALYSED_CHARS = 4000  # longer texts are read up to here (and the result says so)

_REPEAT = re.compile(r"(.)\1{2,}")
_LAUGH = re.compile(r"(?<![a-z])w{2,}(?![a-z])|草{2,}")
_SPACE = re.compile(r"\s+")
_SENTENCE_END = frozenset("。！？!?\n")


class Token(NamedTuple):
    """One Sudachi morpheme (a tuple: built some 100 times per text, so kept cheap)."""

    surface: str
    norm: str  # Sudachi normalized_form (lower-case for ASCII)
    pos: str  # first part-of-speech level: 名詞, 動詞, 助動詞 …
    pos2: str  # second level: 非自立可能, 普通名詞 …
    conj: str  # conjugation form: 仮定形-一般 …
    start: int  # character offsets into the normalised text
    end: int


@dataclass(frozen=True)
class Analysis:
    """The normalised text, its tokens, and where each sentence starts."""

    raw: str
    text: str
    tokens: tuple[Token, ...]
    sentence_of: tuple[int, ...]  # sentence index of each token
    truncated: bool

    @functools.cached_property
    def norms(self) -> tuple[str, ...]:
        return tuple(t.norm for t in self.tokens)

    @functools.cached_property
    def norm_set(self) -> frozenset[str]:
        return frozenset(self.norms)

    @functools.cached_property
    def starts(self) -> frozenset[str]:
        """Every character and every pair of neighbouring characters of the text."""
        return frozenset(self.text).union(map(str.__add__, self.text, self.text[1:]))

    @functools.cached_property
    def sentence_spans(self) -> dict[int, tuple[int, int]]:
        """Sentence index → (first token, last token), inclusive."""
        spans: dict[int, tuple[int, int]] = {}
        for i, sentence in enumerate(self.sentence_of):
            first = spans.get(sentence, (i, i))[0]
            spans[sentence] = (first, i)
        return spans

    @functools.cached_property
    def positions(self) -> dict[str, list[int]]:
        """Normalised form → the token positions where it occurs, ascending."""
        index: dict[str, list[int]] = {}
        for i, norm in enumerate(self.norms):
            index.setdefault(norm, []).append(i)
        return index

    @functools.cached_property
    def conditionals(self) -> list[int]:
        """Positions of conditional forms (流出したら, 送れば), ascending."""
        return [i for i, t in enumerate(self.tokens) if t.conj.startswith("仮定形")]

    @functools.cached_property
    def token_ends(self) -> list[int]:
        return [t.end for t in self.tokens]


_NOT_LANGUAGE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "So", "Sk"})


@functools.lru_cache(maxsize=16384)
def _clean_char(ch: str) -> str:
    if ch == "\n":
        return ch
    if ch == "\t" or unicodedata.category(ch) in _NOT_LANGUAGE:
        return " "
    return ch


def clean(raw: str) -> str:
    """Strip what is not language: control characters, emoji, private-use and lone surrogates."""
    return "".join(map(_clean_char, raw))


def normalize(raw: str) -> str:
    """NFKC (full/half width, ｶﾅ → カナ), emoji and control characters out, repeats folded."""
    text = unicodedata.normalize("NFKC", clean(raw))
    text = _LAUGH.sub(" ", text)
    text = _REPEAT.sub(r"\1", text)  # しにたいいいい → しにたい, ！！！ → ！
    text = text.replace("〜", "ー").replace("~", "ー")
    lines = [_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


_local = threading.local()


@functools.cache
def _dictionary():  # type: ignore[no-untyped-def]
    from sudachipy import Dictionary

    return Dictionary()


def _tokenizer():  # type: ignore[no-untyped-def]
    """One Sudachi tokenizer per thread: a tokenizer refuses concurrent use."""
    tok = getattr(_local, "tokenizer", None)
    if tok is None:
        from sudachipy import SplitMode

        tok = _local.tokenizer = _dictionary().tokenizer(mode=SplitMode.C)
    return tok


# Part of speech by Sudachi's id: (level 1, level 2, conjugation form). Sudachi builds a
# new six-tuple on every part_of_speech() call; a text asks for it a hundred times.
_POS: dict[int, tuple[str, str, str]] = {}
_new_token = tuple.__new__  # NamedTuple's own __new__ is a Python function: slower


def tokenize(text: str) -> list[Token]:
    """Sudachi tokens of already-normalised text (mode C: compounds stay whole)."""
    tokens: list[Token] = []
    tok = _tokenizer()
    pos_table = _POS
    append = tokens.append
    # Sudachi limits input size per call; feed it line by line, in chunks.
    offset = 0
    for line in text.split("\n"):
        for start in range(0, len(line), 1000):
            at = offset + start
            for m in tok.tokenize(line[start : start + 1000]):
                pid = m.part_of_speech_id()
                pos = pos_table.get(pid)
                if pos is None:
                    full = m.part_of_speech()
                    pos = pos_table[pid] = (full[0], full[1], full[5])
                append(
                    _new_token(
                        Token,
                        (
                            m.surface(),
                            m.normalized_form().lower(),
                            *pos,
                            at + m.begin(),
                            at + m.end(),
                        ),
                    )
                )
        end = offset + len(line)
        append(Token("\n", "\n", "補助記号", "改行", "*", end, end + 1))
        offset = end + 1
    return tokens


# 死ぬ as an intensifier, not a wish: 死ぬほど眠い, 死ぬかと思った, 死ぬ気で頑張る. Given a norm of
# its own, it no longer meets 死ぬ … たい (推しに死ぬほど会いたい is not an emergency) nor
# teaches the model that such texts are about dying; every such corpus text is calm.
_HYPERBOLE = {"ほど": ("ほど",), "か": ("か", "と", "思う"), "気": ("気", "で")}


_HYPERBOLE_NORMS = frozenset("死ぬ" + words[0] for words in _HYPERBOLE.values())


def _mark_hyperbole(tokens: list[Token]) -> list[Token]:
    for i, token in enumerate(tokens):
        if token.norm != "死ぬ" or token.conj.startswith("連用"):
            continue
        following = _HYPERBOLE.get(tokens[i + 1].norm) if i + 1 < len(tokens) else None
        if following and tuple(t.norm for t in tokens[i + 1 : i + 1 + len(following)]) == following:
            tokens[i] = token._replace(norm="死ぬ" + following[0])
    return tokens


# 叩く online means criticism (口コミで叩かれて炎上), at home a blow (夫に叩かれる). In a sentence
# that speaks of the internet the model sees it as a word of its own, so it no longer learns
# from DV texts that a flame-up is violence. (The lexicon still sees 叩く.)
_ONLINE_WORDS = frozenset(
    [
        "ネット",
        "sns",
        "炎上",
        "口コミ",
        "レビュー",
        "コメント",
        "コメ欄",
        "掲示板",
        "5ch",
        "2ch",
        "スレ",
        "リプ",
        "リプライ",
        "ツイッター",
        "twitter",
        "x",
        "インスタ",
        "tiktok",
        "youtube",
        "投稿",
        "書き込み",
        "書き込む",
        "まとめ",
        "ブログ",
        "配信",
        "ツイート",
        "ポスト",
        "引用",
        "拡散",
        "アンチ",
        "ネット上",
        "ヤフコメ",
        "晒す",
    ]
)
ONLINE_CRITICISM = "叩く(ネット)"


def analyse(raw: str) -> Analysis:
    """Normalise, cut to MAX_ANALYSED_CHARS, tokenise, and number the sentences."""
    text = normalize(raw)
    truncated = len(text) > MAX_ANALYSED_CHARS
    if truncated:
        text = text[:MAX_ANALYSED_CHARS]
    tokens = _mark_hyperbole(tokenize(text)) if text else []
    sentence_of = []
    sentence = 0
    for token in tokens:
        sentence_of.append(sentence)
        if token.surface[-1:] in _SENTENCE_END:
            sentence += 1
    return Analysis(raw, text, tuple(tokens), tuple(sentence_of), truncated)


def has_japanese(text: str) -> bool:
    return any(
        "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" or "\uff66" <= ch <= "\uff9f"
        for ch in text
    )


def features(analysis: Analysis) -> str:
    """The text the classifier sees: normalised surface plus a line of Sudachi normal forms."""
    online = {
        analysis.sentence_of[i] for i, t in enumerate(analysis.tokens) if t.norm in _ONLINE_WORDS
    }
    content = [
        ONLINE_CRITICISM if t.norm == "叩く" and analysis.sentence_of[i] in online else t.norm
        for i, t in enumerate(analysis.tokens)
        if t.pos not in {"補助記号", "空白"} and t.norm.strip()
    ]
    return _without_hyperbole(analysis) + "\n" + " ".join(content)


def _without_hyperbole(analysis: Analysis) -> str:
    """The text with 死ぬ as an intensifier (死ぬほど, 死ぬかと思った) blanked, so that its
    characters do not teach the model that such a text is about dying."""
    text = analysis.text
    for token in reversed(analysis.tokens):
        if token.norm in _HYPERBOLE_NORMS:
            text = text[: token.start] + "◇" * (token.end - token.start) + text[token.end :]
    return text
