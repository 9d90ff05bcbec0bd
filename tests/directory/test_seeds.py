"""Every phone number and short code in the two seed pages is in the directory, on the right window."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from madoguchi.directory import load_directory

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"

# number → (the window it belongs to, words its name or operator must contain)
SEED_NUMBERS = {
    "0120-797-100": ("saga-nakuna-100ban", "泣くな100番"),
    "0952-26-9110": ("saga-police-soudan-dial", "佐賀県警察"),
    "#9110": ("keisatsu-soudan-9110", "警察相談"),
    "03-5978-7509": ("ipa-anshin-soudan", "情報セキュリティ安心相談窓口"),
    "03-5974-0068": ("meiwaku-mail-soudan-center", "迷惑メール相談センター"),
    "0570-003-110": ("minna-no-jinken-110", "みんなの人権110番"),
    "0120-007-110": ("kodomo-no-jinken-110", "こどもの人権110番"),
    "0570-070-810": ("josei-no-jinken-hotline", "女性の人権ホットライン"),
    "0952-26-0018": ("saga-0952-26-0018-relationship-dv", ""),
    "080-6426-3867": ("saga-dv-center-mens-line", ""),
    "090-1926-8339": ("saga-dv-center-lgbt-line", ""),
    "188": ("shohisha-hotline-188", "消費者ホットライン"),
}


def test_the_seed_pages_hold_exactly_these_numbers() -> None:
    saga = (SEEDS / "001_4a91440c5a931049.txt").read_text(encoding="utf-8")
    found = set(re.findall(r"0\d{1,4}-\d{2,4}-\d{3,4}|#9110", saga))
    found |= {"188"} if "188" in saga else set()
    assert found == set(SEED_NUMBERS)


@pytest.mark.parametrize(("number", "expected"), sorted(SEED_NUMBERS.items()))
def test_seed_number_is_on_the_right_window(number: str, expected: tuple[str, str]) -> None:
    window_id, words = expected
    window = load_directory().get(window_id)
    assert window is not None
    assert number in [p.number for p in window.phones]
    assert words in window.name + window.operator.name
    assert window.sources and window.verified


def test_seed_windows_without_phones_are_there_too() -> None:
    directory = load_directory()
    for window_id in [
        "moj-internet-jinken-soudan",
        "moj-line-jinken-soudan",
        "ihaho-soudan-center",
        "hibou-chushou-hotline",
        "safeline",
        "internet-hotline-center",
        "police-cyber-soudan",
        "meiwaku-mail-joho-teikyo",
        "antiphishing-council",
        "antiphishing-report",
        "x-help-report",
        "line-report",
        "google-search-removal",
        "kokumin-seikatsu-center",
    ]:
        assert directory.get(window_id) is not None, window_id


def test_report_only_windows_say_they_are_not_consultation() -> None:
    directory = load_directory()
    for window_id in ["internet-hotline-center", "safeline", "hibou-chushou-hotline"]:
        window = directory.get(window_id)
        assert window is not None and window.kind.value == "report_only"


def test_saga_groups_are_kept() -> None:
    directory = load_directory()
    groups = {g: [w.id for w in directory.windows if g in w.groups] for g in directory.groups}
    assert "saga-nakuna-100ban" in groups["general_cyber"]
    assert "minna-no-jinken-110" in groups["abuse_posting"]
    assert "internet-hotline-center" in groups["report_removal"]
    assert directory.groups["report_removal"].notice


def test_unverified_names_from_the_advert_are_documented() -> None:
    from madoguchi.directory.load import DATA_ROOT

    text = (DATA_ROOT / "UNVERIFIED.md").read_text(encoding="utf-8")
    for name in [
        "全国一般・子どもネットホットライン",
        "ネットホットライン協会",
        "エフェクチュアル",
    ]:
        assert name in text
    names = {w.name for w in load_directory().windows}
    assert not any("ネットホットライン協会" in n for n in names)
