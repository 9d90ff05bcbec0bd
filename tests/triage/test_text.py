"""Normalising and reading Japanese: forms meet, negation and hypotheticals are respected."""

from __future__ import annotations

from madoguchi.understanding import lexicon
from madoguchi.understanding.text import (
    ONLINE_CRITICISM,
    analyse,
    features,
    has_japanese,
    normalize,
)


def test_width_repeats_and_emoji_are_normalised() -> None:
    assert normalize("ｲﾝｽﾀで　ＡＢＣ！！！😭😭") == "インスタで ABC!"
    assert normalize("しにたいいいいい") == "しにたい"
    assert normalize("草草草 www ほんと") == "ほんと"
    assert normalize("\x00\x07制御\u200b文字") == "制御 文字"


def test_conjugations_and_kana_spellings_meet() -> None:
    forms = set()
    for text in ["晒された", "さらされた", "晒されてる", "晒されています"]:
        forms.add(analyse(text).tokens[0].norm)
    assert forms == {"晒す"}


def test_lexicon_finds_evidence_words() -> None:
    signals = lexicon.category_signals(analyse("Xで実名と学校名を晒されて、悪口を書かれている"))
    assert "privacy_leak" in signals and "defamation" in signals
    assert any("晒さ" in word for word in signals["privacy_leak"][1])
    assert any("悪口" in word for word in signals["defamation"][1])


def test_negation_does_not_trigger() -> None:
    signals = lexicon.category_signals(analyse("脅迫はされていない。でも悪口がひどい"))
    assert "threat_violence" not in signals
    assert "defamation" in signals
    assert "threat" not in lexicon.urgent_signals(analyse("殺すとは言われてない"))


def test_a_word_later_in_the_sentence_is_not_negated() -> None:
    signals = lexicon.category_signals(analyse("ストーカーが止まらない"))
    assert "harassment_stalking" in signals


def test_one_decisive_word_is_decisive_weak_words_that_add_up_are_not() -> None:
    strong = lexicon.category_signals(analyse("元彼に裸の写真を撮られた"))
    weak = lexicon.category_signals(analyse("元夫が来た。元夫が怖い。元夫がまた元夫の車で"))
    assert strong["sexual_image"].decisive
    assert weak["sexual_image"].score >= lexicon.DECISIVE_WEIGHT
    assert not weak["sexual_image"].decisive


def test_hypotheticals_count_less() -> None:
    real = lexicon.category_signals(analyse("写真が流出した"))
    imagined = lexicon.category_signals(analyse("もし写真が流出したらどうしよう"))
    assert imagined["privacy_leak"][0] < real["privacy_leak"][0]


def test_platforms_are_read_from_the_raw_text() -> None:
    assert lexicon.platforms("Xで晒された") == ["x"]
    assert "instagram" in lexicon.platforms("インスタのストーリーに")
    assert "line" in lexicon.platforms("LINEグループで")
    assert lexicon.platforms("xylophone") == []


def test_japanese_detection() -> None:
    assert has_japanese("たすけて")
    assert not has_japanese("help me please")


def test_long_text_is_cut_and_marked() -> None:
    analysis = analyse("悪口を書かれた。" * 2000)
    assert analysis.truncated
    assert len(analysis.text) <= 4000


def test_a_denied_wish_to_die_is_not_an_urgent_word_but_a_double_negation_is() -> None:
    assert not lexicon.urgent_signals(analyse("死にたいとも思ってない"))
    assert not lexicon.urgent_signals(analyse("死にたいとは思ってない"))
    assert lexicon.urgent_signals(analyse("死にたいと思わない日はない"))
    assert lexicon.urgent_signals(analyse("死にたいと思わないわけじゃない"))


def test_precedence_rules_name_real_categories() -> None:
    from madoguchi.directory import load_directory

    categories = set(load_directory().categories)
    rules = lexicon.load_lexicon().precedence
    assert rules
    for rule in rules:
        assert rule.lead in categories and rule.over <= categories and rule.lead not in rule.over


def test_emergency_words_read_the_form_not_only_the_word() -> None:
    """A request (「服めくって」) is a child's emergency; a story of what was done is not one
    by itself, and losing a game (ボコられた) or breaking one's own phone is no threat."""
    assert "child_sexual" in lexicon.urgent_signals(analyse("配信で「服めくって」って言われた"))
    assert not lexicon.urgent_signals(analyse("先輩が私の服をめくって撮った"))
    assert "threat" in lexicon.urgent_signals(analyse("見つけたらボコすからな"))
    assert not lexicon.urgent_signals(analyse("対戦でボコられた"))
    assert not lexicon.urgent_signals(analyse("スマホを壊してしまった"))
    # Warning signs in their own form only: being away tomorrow, studying 死ぬほど.
    assert "suicide" in lexicon.urgent_signals(analyse("明日にはもういないかも"))
    assert not lexicon.urgent_signals(analyse("明日はいないので荷物は置き配にしてほしい"))
    assert "suicide" in lexicon.urgent_signals(analyse("今から飛ぶ"))
    assert not lexicon.urgent_signals(analyse("これから死ぬほど勉強する"))
    assert not lexicon.urgent_signals(analyse("スキーで足を折って入院中"))
    assert not lexicon.urgent_signals(analyse("今日死ぬほど笑った"))
    assert not lexicon.urgent_signals(analyse("暑すぎて今日死ぬかと思った"))


def test_the_start_test_never_skips_a_regex_that_matches() -> None:
    from madoguchi.understanding.classifier import load_corpus

    sets = [lexicon.load_lexicon().categories, lexicon.load_lexicon().urgent]
    regexes = [(starts, pattern) for s in sets for starts, _, _, pattern, _ in s._regex_starts]
    assert all(starts for starts, _ in regexes)  # every lexicon regex can be skipped
    for example in load_corpus():
        analysis = analyse(example.text)
        for starts, pattern in regexes:
            for _, _, evidence in lexicon.match_pattern(analysis, pattern):
                assert starts is not None
                assert any(evidence.startswith(s) for s in starts), (pattern.source, evidence)
                assert not starts.isdisjoint(analysis.starts)


def test_the_strings_regex_matches_start_with() -> None:
    import re

    def starts(rx: str) -> set[str] | None:
        found = lexicon.match_starts(re.compile(rx))
        return None if found is None else set(found)

    assert starts("(?<![元の])(夫|妻)(から|が)") == {"夫か", "夫が", "妻か", "妻が"}
    assert starts("(もう|全部)?(無理|むり)") == {"もう", "全部", "無理", "むり"}
    assert starts("[〇○]す") == {"〇す", "○す"}
    assert starts("中[1-3]{0,2}") == {"中", "中1", "中2", "中3"}
    assert starts("a*b") == {"aa", "ab", "b"}
    assert starts("(ab){2}") == {"ab"}
    assert starts("x(?=y)") == {"x"}
    assert starts("a?") == {"a"}
    assert starts("(家|部屋)[^。]{0,3}入") == {"家", "部屋"}
    assert starts(".{0,3}死") is None
    assert starts("[^。]死") is None
    assert starts("(?i)line") is None
    text = analyse("夫が怖い").starts
    assert {"夫", "夫が", "が怖", "い"} <= text


def test_dying_as_an_intensifier_gets_its_own_form() -> None:
    def norms(text: str) -> list[str]:
        return [t.norm for t in analyse(text).tokens]

    assert "死ぬほど" in norms("しぬほどねむい")
    assert "死ぬか" in norms("死ぬかと思った")
    assert "死ぬ気" in norms("死ぬ気で頑張る")
    assert "死ぬ" in norms("死ぬかもしれない")  # a real fear stays 死ぬ
    assert norms("死ぬほどつらい、もう死にたい").count("死ぬ") == 1
    assert not lexicon.urgent_signals(analyse("推しに死ぬほど会いたい"))
    assert lexicon.urgent_signals(analyse("もう死にたい"))


def test_online_criticism_is_its_own_word_for_the_model() -> None:
    online = features(analyse("口コミでめちゃくちゃ叩かれて炎上してる")).split("\n")[-1].split()
    at_home = features(analyse("夫に叩かれる。SNSも見られてる")).split("\n")[-1].split()
    assert ONLINE_CRITICISM in online and "叩く" not in online
    assert "叩く" in at_home and ONLINE_CRITICISM not in at_home
    # The lexicon still reads 叩く in both.
    assert "defamation" in lexicon.category_signals(analyse("口コミで叩かれて炎上してる"))


def test_death_as_an_intensifier_is_blanked_in_the_characters() -> None:
    doc = features(analyse("死ぬかと思った。死にたい"))
    chars = doc.split("\n")[0]
    assert chars.startswith("◇◇かと思った") and "死にたい" in chars
