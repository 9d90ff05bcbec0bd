"""ふりがな: ruby over kanji only, okurigana outside, everything else escaped."""

from __future__ import annotations

from madoguchi.understanding.furigana import ruby


def test_ruby_over_kanji_with_okurigana_outside() -> None:
    html = str(ruby("悪口を書かれた"))
    assert "<ruby>悪口<rt>わるぐち</rt></ruby>" in html
    assert "<ruby>書<rt>か</rt></ruby>かれた" in html


def test_kana_only_text_is_unchanged() -> None:
    assert str(ruby("ひらがなだけ")) == "ひらがなだけ"


def test_markup_is_escaped() -> None:
    html = str(ruby("<b>写真</b>"))
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert "<ruby>写真<rt>しゃしん</rt></ruby>" in html
