"""Is a window taking calls now, and when does it open next? All times are JST."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import jpholiday

from .model import WEEKDAYS, Hours, ScheduleRule

JST = ZoneInfo("Asia/Tokyo")
_WEEKDAY_JA = ("月", "火", "水", "木", "金", "土", "日")
_SEARCH_DAYS = 21  # the longest closure (year end) plus a weekend, with room


def to_jst(at: dt.datetime | None) -> dt.datetime:
    """`at` as an aware JST datetime; naive datetimes are taken as JST, None as now."""
    if at is None:
        return dt.datetime.now(JST)
    if at.tzinfo is None:
        return at.replace(tzinfo=JST)
    return at.astimezone(JST)


def _in_closure(day: dt.date, start: str, end: str) -> bool:
    md = f"{day.month:02d}-{day.day:02d}"
    if start <= end:
        return start <= md <= end
    return md >= start or md <= end  # wraps over the new year, e.g. 12-29 → 01-03


def is_closed_day(hours: Hours, day: dt.date) -> bool:
    """Closed all day: a dated closure, a yearly closure, or a national holiday."""
    if day in hours.closed_dates:
        return True
    if any(_in_closure(day, c.start, c.end) for c in hours.closures):
        return True
    return hours.closed_on_holidays and jpholiday.is_holiday(day)


def _minutes(hhmm: str) -> int:
    hour, minute = hhmm.split(":")
    return int(hour) * 60 + int(minute)


def _spans(rule: ScheduleRule, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The opening span of `rule` starting on `day` (the end may be the next day)."""
    start = dt.datetime.combine(day, dt.time(), JST) + dt.timedelta(minutes=_minutes(rule.opens_at))
    end_min = _minutes(rule.closes_at)
    end = dt.datetime.combine(day, dt.time(), JST) + dt.timedelta(minutes=end_min)
    if end <= start:
        end += dt.timedelta(days=1)
    return start, end


# (id(hours), day) → (hours, its opening spans that day). A triage asks for a dozen
# windows' days, and the answer depends on nothing else: Hours is frozen, and kept in
# the value so that a reused id cannot return another schedule's spans.
_OPENINGS: dict[tuple[int, dt.date], tuple[Hours, tuple[tuple[dt.datetime, dt.datetime], ...]]] = {}


def _openings(hours: Hours, day: dt.date) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
    key = (id(hours), day)
    cached = _OPENINGS.get(key)
    if cached is not None and cached[0] is hours:
        return cached[1]
    if is_closed_day(hours, day):
        spans: tuple[tuple[dt.datetime, dt.datetime], ...] = ()
    else:
        code = WEEKDAYS[day.weekday()]
        spans = tuple(sorted(_spans(rule, day) for rule in hours.schedule if code in rule.byday))
    if len(_OPENINGS) > 8192:
        _OPENINGS.clear()
    _OPENINGS[key] = (hours, spans)
    return spans


def is_open(hours: Hours | None, at: dt.datetime | None = None) -> bool | None:
    """True or False when the schedule is known; None when it is not (never guess open)."""
    if hours is None or not hours.known:
        return None
    if hours.always_open:
        return True
    now = to_jst(at)
    for offset in (-1, 0):  # a span that began yesterday may run past midnight
        for start, end in _openings(hours, now.date() + dt.timedelta(days=offset)):
            if start <= now < end:
                return True
    return False


def next_open(hours: Hours | None, at: dt.datetime | None = None) -> dt.datetime | None:
    """When a closed window next opens (JST); None if open now, unknown, or always open."""
    if hours is None or not hours.known or hours.always_open:
        return None
    now = to_jst(at)
    if is_open(hours, now):
        return None
    for offset in range(_SEARCH_DAYS + 1):
        for start, _end in _openings(hours, now.date() + dt.timedelta(days=offset)):
            if start > now:
                return start
    return None


def describe_status(hours: Hours | None, at: dt.datetime | None = None) -> str:
    """A short Japanese status line: 受付中 / 受付時間外（次は◯曜 9:00から） / 24時間受付."""
    state = is_open(hours, at)
    if state is None:
        return "受付時間は公式ページで確認してください"
    if hours is not None and hours.always_open:
        return "24時間受付"
    if state:
        return "受付中"
    nxt = next_open(hours, at)
    if nxt is None:
        return "受付時間外"
    now = to_jst(at)
    clock = f"{nxt.hour}:{nxt.minute:02d}"
    if nxt.date() == now.date():
        when = f"今日 {clock}"
    elif nxt.date() == now.date() + dt.timedelta(days=1):
        when = f"明日 {clock}"
    elif (nxt.date() - now.date()).days < 7:
        when = f"{_WEEKDAY_JA[nxt.weekday()]}曜 {clock}"
    else:
        when = f"{nxt.month}月{nxt.day}日（{_WEEKDAY_JA[nxt.weekday()]}） {clock}"
    return f"受付時間外（次は{when}から）"
