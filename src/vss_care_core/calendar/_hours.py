"""Opening hours within one day: parsing and checking.

A day's hours are a tuple of ``(start, end)`` pairs of :class:`datetime.time`. An ``end`` of
``00:00`` means midnight at the end of the day (24:00), so ``(time(0), time(0))`` is the whole day.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time
from itertools import pairwise
from typing import NamedTuple, TypeAlias

__all__ = [
    "DayHours",
    "HoursLike",
    "Interval",
    "IntervalLike",
    "Span",
    "Spans",
    "format_hours",
    "from_seconds",
    "parse_hours",
    "to_seconds",
]

Interval: TypeAlias = tuple[time, time]
"""One opening interval ``(start, end)``; an ``end`` of 00:00 means 24:00."""

DayHours: TypeAlias = tuple[Interval, ...]
"""A day's opening intervals, sorted, not overlapping; empty when the day is closed."""

IntervalLike: TypeAlias = "tuple[time | str, time | str] | str"
"""An interval as ``(time, time)``, ``("08:00", "12:00")`` or ``"08:00-12:00"``."""

HoursLike: TypeAlias = "Iterable[IntervalLike] | str"
"""A day's hours: intervals, or one string such as ``"08:00-12:00, 13:00-17:00"`` (``"closed"``
or an empty string for none)."""

_DAY = 86_400


class Span(NamedTuple):
    """One opening interval of a day in seconds since local midnight; ``end`` may be 86400."""

    start: int
    end: int


Spans: TypeAlias = tuple[Span, ...]
"""A day's opening intervals in seconds since midnight, sorted, not overlapping."""


def _parse_time(value: time | str, what: str, problems: list[str]) -> int | None:
    """Seconds since midnight of ``value``; ``"24:00"`` gives 86400."""
    if isinstance(value, str):
        text = value.strip()
        if text in {"24:00", "24:00:00"}:
            return _DAY
        try:
            value = time.fromisoformat(text)
        except ValueError:
            problems.append(f"{what}: {value!r} is not a time; write it as 'HH:MM', e.g. '08:00'")
            return None
    problem = ""
    if not isinstance(value, time):
        problem = f"{value!r} is not a time or an 'HH:MM' string"
    elif value.tzinfo is not None:
        problem = f"{value} has a time zone; give local wall-clock times"
    elif value.microsecond:
        problem = f"{value} has microseconds; use whole seconds"
    if problem:
        problems.append(f"{what}: {problem}")
        return None
    return value.hour * 3600 + value.minute * 60 + value.second


def _split_interval(item: object, what: str, problems: list[str]) -> tuple[object, object] | None:
    if isinstance(item, str):
        parts = item.replace("–", "-").split("-")
        if len(parts) != 2:
            problems.append(f"{what}: {item!r} is not an interval; write it as '08:00-12:00'")
            return None
        start, end = parts
        return start, end
    if isinstance(item, tuple | list) and len(item) == 2:
        start, end = item
        return start, end
    problems.append(f"{what}: {item!r} is not an interval; give (start, end) or '08:00-12:00'")
    return None


def parse_hours(value: HoursLike, what: str, problems: list[str]) -> Spans:
    """Check a day's hours and return them as sorted spans of seconds since midnight.

    Every problem found is appended to ``problems`` (nothing is raised here), so that a calendar
    can report all its problems at once.
    """
    items: Iterable[object] = _items(value)
    result: list[Span] = []
    count = len(problems)
    for item in items:
        pair = _split_interval(item, what, problems)
        if pair is None:
            continue
        start_raw, end_raw = pair
        start = _parse_time(start_raw, what, problems)  # type: ignore[arg-type]
        end = _parse_time(end_raw, what, problems)  # type: ignore[arg-type]
        if start is None or end is None:
            continue
        if start == _DAY:
            problems.append(f"{what}: an interval cannot start at 24:00")
            continue
        if end == 0:
            end = _DAY  # an end of 00:00 is midnight at the end of the day
        if end <= start:
            problems.append(
                f"{what}: interval {_fmt(start)}-{_fmt(end)} is empty or reversed; "
                "the end must come after the start"
            )
            continue
        result.append(Span(start, end))
    if len(problems) > count:
        return ()
    _check_order(result, what, problems)
    return tuple(result)


def _items(value: HoursLike) -> Iterable[object]:
    if isinstance(value, str):
        if value.strip().lower() == "closed":
            return []
        return [part for part in value.split(",") if part.strip()]
    return value


def _check_order(result: list[Span], what: str, problems: list[str]) -> None:
    for previous, current in pairwise(result):
        if current.start >= previous.end:
            continue
        if current.start >= previous.start:
            problems.append(
                f"{what}: intervals {_fmt_span(previous)} and {_fmt_span(current)} overlap; "
                "merge them into one"
            )
        else:
            problems.append(
                f"{what}: intervals are not in order ({_fmt_span(current)} comes after "
                f"{_fmt_span(previous)}); sort them"
            )


def to_seconds(hours: DayHours) -> Spans:
    """Convert checked :data:`DayHours` back to spans of seconds since midnight."""
    out = []
    for start, end in hours:
        start_s = start.hour * 3600 + start.minute * 60 + start.second
        end_s = end.hour * 3600 + end.minute * 60 + end.second
        out.append(Span(start_s, end_s or _DAY))
    return tuple(out)


def from_seconds(spans: Spans) -> DayHours:
    """Convert spans of seconds since midnight to :data:`DayHours`."""
    return tuple((_time(span.start), _time(span.end)) for span in spans)


def _time(seconds: int) -> time:
    seconds %= _DAY
    return time(seconds // 3600, seconds // 60 % 60, seconds % 60)


def _fmt(seconds: int) -> str:
    text = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}"
    if seconds % 60:
        text += f":{seconds % 60:02d}"
    return text


def _fmt_span(span: Span) -> str:
    return f"{_fmt(span.start)}-{_fmt(span.end)}"


def format_hours(hours: DayHours) -> str:
    """Format a day's hours as ``"08:00-12:00, 13:00-17:00"`` (``"closed"`` when empty)."""
    if not hours:
        return "closed"
    return ", ".join(_fmt_span(span) for span in to_seconds(hours))
