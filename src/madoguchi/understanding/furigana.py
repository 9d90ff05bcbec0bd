"""ふりがな: ruby markup from SudachiPy readings, over kanji only (pykakasi is GPL: not used)."""

from __future__ import annotations

import functools
import re

import jaconv
from markupsafe import Markup, escape

from .text import _tokenizer

_KANJI = re.compile(r"[\u3400-\u9fff々〆ヶ]")
_KANA_TAIL = re.compile(r"[\u3040-\u309f\u30a0-\u30ff]+$")
_KANA_HEAD = re.compile(r"^[\u3040-\u309f\u30a0-\u30ff]+")


def _split_okurigana(surface: str, reading: str) -> list[tuple[str, str | None]]:
    """書かれ/かかれ → [(書, か), (かれ, None)]: ruby only over the kanji part."""
    head = _KANA_HEAD.match(surface)
    tail = _KANA_TAIL.search(surface)
    h = head.group(0) if head else ""
    t = tail.group(0) if tail else ""
    core = surface[len(h) : len(surface) - len(t) if t else None]
    r_core = reading
    if h and r_core.startswith(jaconv.kata2hira(h)):
        r_core = r_core[len(h) :]
    if t and r_core.endswith(jaconv.kata2hira(t)):
        r_core = r_core[: len(r_core) - len(t)]
    parts: list[tuple[str, str | None]] = []
    if h:
        parts.append((h, None))
    parts.append((core, r_core or None))
    if t:
        parts.append((t, None))
    return parts


@functools.lru_cache(maxsize=4096)
def ruby(text: str) -> Markup:
    """HTML-escaped text with <ruby> readings over each word that contains kanji."""
    if not text or not _KANJI.search(text):
        return Markup(escape(text))
    out: list[str] = []
    for line_no, line in enumerate(text.split("\n")):
        if line_no:
            out.append("\n")
        if not line:
            continue
        for m in _tokenizer().tokenize(line):
            surface = m.surface()
            if not _KANJI.search(surface):
                out.append(str(escape(surface)))
                continue
            reading = jaconv.kata2hira(m.reading_form())
            if not reading or reading == surface:
                out.append(str(escape(surface)))
                continue
            for piece, rt in _split_okurigana(surface, reading):
                if rt and _KANJI.search(piece):
                    out.append(f"<ruby>{escape(piece)}<rt>{escape(rt)}</rt></ruby>")
                else:
                    out.append(str(escape(piece)))
    return Markup("".join(out))


# Elements whose text must stay plain: ruby inside them is invalid or unwanted.
_SKIP_ELEMENTS = frozenset({"script", "style", "title", "textarea", "option", "rt", "rp", "ruby"})
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>|<!--.*?-->|<![^>]*>", re.S)
