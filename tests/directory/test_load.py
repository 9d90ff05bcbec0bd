"""Loading the shipped data, and clear errors for broken data files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from madoguchi.directory import CATEGORY_IDS, DataError, WindowKind, load_directory


def test_shipped_data_loads_every_file() -> None:
    directory = load_directory()
    assert len(directory) >= 40
    assert set(directory.categories) == set(CATEGORY_IDS)
    assert set(directory.groups) == {"general_cyber", "abuse_posting", "report_removal"}
    assert len(directory.prefectures) == 47
    assert any(w.region.code == "41" for w in directory.windows)


def test_national_windows_come_first() -> None:
    windows = load_directory().windows
    first_local = next(i for i, w in enumerate(windows) if not w.is_national)
    assert all(not w.is_national for w in windows[first_local:])


def test_every_kind_of_place_is_represented() -> None:
    kinds = {w.kind for w in load_directory().windows}
    assert kinds == set(WindowKind)


def _rewrite(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(entries)
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")


def test_bad_phone_names_file_and_entry(data_copy: Path) -> None:
    def change(entries: list[dict]) -> None:  # type: ignore[type-arg]
        entries[2]["phones"][0]["number"] = "0570 003 110!"

    _rewrite(data_copy / "national.yaml", change)
    with pytest.raises(DataError) as err:
        load_directory(data_copy)
    message = str(err.value)
    assert "national.yaml" in message
    assert "項目 3" in message and "id=" in message
    assert "phones.0.number" in message


def test_unknown_category_is_an_error(data_copy: Path) -> None:
    _rewrite(data_copy / "national.yaml", lambda e: e[0]["categories"].append("cyber_magic"))
    with pytest.raises(DataError, match="cyber_magic"):
        load_directory(data_copy)


def test_missing_source_is_an_error(data_copy: Path) -> None:
    _rewrite(data_copy / "national.yaml", lambda e: e[0].__setitem__("sources", []))
    with pytest.raises(DataError, match="sources"):
        load_directory(data_copy)


def test_verified_needs_a_date_and_unverified_a_reason(data_copy: Path) -> None:
    _rewrite(
        data_copy / "national.yaml", lambda e: e[0].__setitem__("verified", {"status": "verified"})
    )
    with pytest.raises(DataError, match="確認日"):
        load_directory(data_copy)
    _rewrite(
        data_copy / "national.yaml",
        lambda e: e[0].__setitem__("verified", {"status": "unverified"}),
    )
    with pytest.raises(DataError, match="理由"):
        load_directory(data_copy)


def test_typo_in_a_key_is_an_error_not_a_lost_fact(data_copy: Path) -> None:
    _rewrite(data_copy / "national.yaml", lambda e: e[0].__setitem__("phonez", []))
    with pytest.raises(DataError, match="phonez"):
        load_directory(data_copy)


def test_duplicate_ids_are_refused(data_copy: Path) -> None:
    def change(entries: list[dict]) -> None:  # type: ignore[type-arg]
        entries[1]["id"] = entries[0]["id"]

    _rewrite(data_copy / "national.yaml", change)
    with pytest.raises(DataError, match="重複"):
        load_directory(data_copy)


def test_prefecture_file_must_match_its_code(data_copy: Path) -> None:
    saga = data_copy / "prefectures" / "41-saga.yaml"
    _rewrite(saga, lambda e: e[0].__setitem__("region", {"code": "40", "name": "福岡県"}))
    with pytest.raises(DataError, match=r"41-saga\.yaml"):
        load_directory(data_copy)


def test_national_file_holds_only_national_windows(data_copy: Path) -> None:
    _rewrite(
        data_copy / "national.yaml",
        lambda e: e[0].__setitem__("region", {"code": "13", "name": "東京都"}),
    )
    with pytest.raises(DataError, match="national"):
        load_directory(data_copy)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("- id: [unclosed\n", "YAML"),
        ("id: not-a-list\n", "リスト"),
        ("- just a string\n", "マッピング"),
        (b"\xff\xfe\x00binary", "UTF-8"),
    ],
)
def test_malformed_files_give_a_clear_message(
    data_copy: Path, content: str | bytes, expected: str
) -> None:
    target = data_copy / "national.yaml"
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=expected) as err:
        load_directory(data_copy)
    assert "national.yaml" in str(err.value)


def test_unknown_group_is_an_error(data_copy: Path) -> None:
    _rewrite(data_copy / "national.yaml", lambda e: e[0].__setitem__("groups", ["no_such_group"]))
    with pytest.raises(DataError, match="no_such_group"):
        load_directory(data_copy)
