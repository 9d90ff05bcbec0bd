"""`madoguchi lint`: each rule catches what it is for, and the shipped data passes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from madoguchi.directory.lint import lint
from madoguchi.directory.model import Phone, PhoneFee
from madoguchi.directory.phones import SHORT_CODES, e164, problem


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(entries)
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")


def _by_id(entries: list[dict], window_id: str) -> dict:  # type: ignore[type-arg]
    return next(e for e in entries if e["id"] == window_id)


def test_shipped_data_passes() -> None:
    report = lint()
    assert report.ok, report.errors
    assert report.windows >= 40
    assert not report.stale


def test_phone_rules() -> None:
    assert problem(Phone(number="0570-003-110", fee=PhoneFee.navi_dial)) is None
    assert problem(Phone(number="0120-007-110", fee=PhoneFee.toll_free)) is None
    assert problem(Phone(number="#9110", fee=PhoneFee.short_code)) is None
    assert problem(Phone(number="188", fee=PhoneFee.short_code)) is None
    assert "短縮番号" in (problem(Phone(number="#1234", fee=PhoneFee.short_code)) or "")
    assert "0570" in (problem(Phone(number="0570-003-110", fee=PhoneFee.toll_free)) or "")
    assert "無効" in (problem(Phone(number="03-1234", fee=PhoneFee.normal)) or "")
    assert "short_code" in (problem(Phone(number="#9110", fee=PhoneFee.normal)) or "")


def test_tel_links() -> None:
    assert e164(Phone(number="0952-26-9110", fee=PhoneFee.normal)) == "+81952269110"
    assert e164(Phone(number="#9110", fee=PhoneFee.short_code)) == "#9110"
    assert Phone(number="0570-003-110", fee=PhoneFee.navi_dial).dial == "0570003110"
    assert {"110", "#9110", "188", "189", "#8008", "#8103", "#8891"} <= set(SHORT_CODES)


def test_bad_phone_in_data_is_an_error(data_copy: Path) -> None:
    _edit(
        data_copy / "national.yaml",
        lambda e: _by_id(e, "minna-no-jinken-110")["phones"][0].__setitem__("fee", "toll_free"),
    )
    report = lint(data_copy)
    assert not report.ok
    assert any("minna-no-jinken-110" in line for line in report.errors)


def test_every_category_needs_a_national_window(data_copy: Path) -> None:
    def drop_copyright(entries: list[dict]) -> None:  # type: ignore[type-arg]
        for entry in entries:
            if "copyright" in entry["categories"] and len(entry["categories"]) > 1:
                entry["categories"].remove("copyright")

    _edit(data_copy / "national.yaml", drop_copyright)
    report = lint(data_copy)
    assert any("copyright" in line for line in report.errors)


def test_old_verification_is_listed_as_stale(data_copy: Path) -> None:
    _edit(
        data_copy / "national.yaml",
        lambda e: e[0]["verified"].__setitem__("date", dt.date(2020, 1, 1)),
    )
    report = lint(data_copy)
    assert report.ok
    assert any("2020-01-01" in line for line in report.stale)


def test_future_verification_date_is_an_error(data_copy: Path) -> None:
    _edit(
        data_copy / "national.yaml",
        lambda e: e[0]["verified"].__setitem__("date", dt.date(2099, 1, 1)),
    )
    assert not lint(data_copy).ok


def test_unverified_entries_are_reported(data_copy: Path) -> None:
    report = lint(data_copy)
    assert any(line.startswith("saga-") for line in report.warnings)


def test_loading_error_becomes_a_lint_error(data_copy: Path) -> None:
    (data_copy / "categories.yaml").write_text("- {id: nope}\n", encoding="utf-8")
    report = lint(data_copy)
    assert not report.ok
    assert "categories.yaml" in report.errors[0]
