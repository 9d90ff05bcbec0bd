"""Opening hours in JST: weekdays, national holidays, the year-end closure, overnight lines."""

from __future__ import annotations

import datetime as dt

from madoguchi.directory.hours import JST, describe_status, is_open, next_open
from madoguchi.directory.model import Closure, Hours, ScheduleRule

WEEKDAYS = Hours(
    text="平日 8:30〜17:15（土日祝日・年末年始を除く）",
    schedule=[
        ScheduleRule(byday=["MO", "TU", "WE", "TH", "FR"], opens_at="08:30", closes_at="17:15")
    ],
    closed_on_holidays=True,
    closures=[Closure(start="12-29", end="01-03", label="年末年始")],
)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=JST)


def test_open_on_a_weekday_morning() -> None:
    assert is_open(WEEKDAYS, at("2026-11-25T10:00")) is True  # Wednesday
    assert next_open(WEEKDAYS, at("2026-11-25T10:00")) is None


def test_closed_before_opening_and_opens_the_same_day() -> None:
    assert is_open(WEEKDAYS, at("2026-11-25T08:00")) is False
    assert next_open(WEEKDAYS, at("2026-11-25T08:00")) == at("2026-11-25T08:30")
    assert describe_status(WEEKDAYS, at("2026-11-25T08:00")) == "受付時間外（次は今日 8:30から）"


def test_closing_time_is_exclusive() -> None:
    assert is_open(WEEKDAYS, at("2026-11-25T17:14")) is True
    assert is_open(WEEKDAYS, at("2026-11-25T17:15")) is False


def test_closed_on_a_national_holiday() -> None:
    # 2026-11-23 is 勤労感謝の日, a Monday.
    assert is_open(WEEKDAYS, at("2026-11-23T10:00")) is False
    assert next_open(WEEKDAYS, at("2026-11-23T10:00")) == at("2026-11-24T08:30")
    assert describe_status(WEEKDAYS, at("2026-11-23T10:00")) == "受付時間外（次は明日 8:30から）"


def test_weekend_points_to_monday() -> None:
    assert is_open(WEEKDAYS, at("2026-11-28T10:00")) is False  # Saturday
    assert describe_status(WEEKDAYS, at("2026-11-28T10:00")) == "受付時間外（次は月曜 8:30から）"


def test_year_end_closure_wraps_the_new_year() -> None:
    assert is_open(WEEKDAYS, at("2026-12-29T10:00")) is False  # Tuesday, closed
    assert is_open(WEEKDAYS, at("2027-01-01T10:00")) is False
    assert is_open(WEEKDAYS, at("2026-12-28T10:00")) is True
    # Reopens Monday 4 January 2027.
    assert next_open(WEEKDAYS, at("2026-12-29T10:00")) == at("2027-01-04T08:30")


def test_overnight_line_is_open_after_midnight() -> None:
    night = Hours(
        text="毎日 16:00〜翌9:00",
        schedule=[
            ScheduleRule(
                byday=["MO", "TU", "WE", "TH", "FR", "SA", "SU"],
                opens_at="16:00",
                closes_at="09:00",
            )
        ],
    )
    assert is_open(night, at("2026-11-25T02:00")) is True
    assert is_open(night, at("2026-11-25T12:00")) is False
    assert next_open(night, at("2026-11-25T12:00")) == at("2026-11-25T16:00")


def test_always_open_and_unknown_hours() -> None:
    always = Hours(text="24時間", always_open=True)
    assert is_open(always, at("2027-01-01T03:00")) is True
    assert describe_status(always, at("2027-01-01T03:00")) == "24時間受付"
    unknown = Hours(text="受付時間は窓口により異なる")
    assert is_open(unknown, at("2026-11-25T10:00")) is None
    assert next_open(unknown, at("2026-11-25T10:00")) is None
    assert is_open(None) is None
    assert "公式ページ" in describe_status(unknown)


def test_times_in_other_zones_are_converted_to_jst() -> None:
    utc = dt.datetime(2026, 11, 25, 1, 0, tzinfo=dt.UTC)  # 10:00 JST
    assert is_open(WEEKDAYS, utc) is True
