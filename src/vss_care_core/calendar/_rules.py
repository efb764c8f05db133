"""Hours that repeat: recurring dates (RFC 5545 recurrence rules) and seasons of the year.

A :class:`RecurringHours` opens (or closes) an office on the dates of a recurrence rule, such as
the first Saturday of each month (``FREQ=MONTHLY;BYDAY=+1SA``); the dates come from
python-dateutil's ``rrule``. A :class:`SeasonalHours` replaces the weekly hours between two days
of every year, such as winter hours from 1 November to 31 March.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from difflib import get_close_matches
from typing import Any, final

from dateutil.rrule import rrule, rrulestr

from vss_care_core.calendar._hours import DayHours, HoursLike, from_seconds, parse_hours
from vss_care_core.calendar._week import WeeklyHoursLike, parse_weekly
from vss_care_core.errors import CalendarError

__all__ = ["RecurringHours", "SeasonalHours", "check_keys", "labels_of"]

_FREQUENCIES = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY")
_TOO_FINE = ("HOURLY", "MINUTELY", "SECONDLY")
_RULE_PARTS = (
    "FREQ",
    "INTERVAL",
    "COUNT",
    "UNTIL",
    "BYDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
    "WKST",
)
_TIME_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")
_DAY_PARTS = ("BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO")
_NUMBER_RANGES = {
    "INTERVAL": (1, 1000),
    "COUNT": (1, 100_000),
    "BYMONTH": (1, 12),
    "BYMONTHDAY": (-31, 31),
    "BYYEARDAY": (-366, 366),
    "BYWEEKNO": (-53, 53),
    "BYSETPOS": (-366, 366),
}
"""The numbers a part may hold; a negative bound means counting from the end is allowed."""
_WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_BYDAY_ITEM = re.compile(r"(?P<ordinal>[+-]?\d{1,2})?(?P<weekday>[A-Z]+)")
_UNTIL = re.compile(r"(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})(T\d{6})?")
_MONTH_DAY = re.compile(r"(?P<month>\d{2})-(?P<day>\d{2})")
_LEAP_YEAR = 2028
_UNDATED_START = datetime(2000, 1, 1)  # noqa: DTZ001 - rules give local dates, not moments
"""The start a rule without ``start`` is checked with; its dates do not depend on it."""


def labels_of(name_vi: str, name: str, fallback: str) -> str:
    """The Vietnamese and English labels joined, for display."""
    parts = [p for p in (name_vi, name) if p]
    return " / ".join(dict.fromkeys(parts)) or fallback


def check_keys(
    data: object, allowed: tuple[str, ...], required: tuple[str, ...], problems: list[str]
) -> Mapping[str, Any]:
    """``data`` as a mapping; unknown keys (with close matches) and missing ones to ``problems``."""
    if not isinstance(data, Mapping):
        problems.append(f"must be a mapping with the keys {', '.join(allowed)}, got {data!r}")
        return {}
    for key in data:
        if key not in allowed:
            close = get_close_matches(str(key), allowed, n=1, cutoff=0.5)
            hint = f"did you mean {close[0]!r}?" if close else f"the keys are {', '.join(allowed)}"
            problems.append(f"unknown key {key!r}: {hint}")
    for key in required:
        if key not in data:
            problems.append(f"{key!r} is missing")
    return data


def _check_rule(text: object, has_start: bool, problems: list[str]) -> str:
    """The rule in normal form (upper case, no ``RRULE:``); its problems go to ``problems``."""
    if not isinstance(text, str):
        problems.append(
            f"the rule must be a string such as 'FREQ=MONTHLY;BYDAY=+1SA', got {text!r}"
        )
        return ""
    rule = text.strip().upper()
    rule = rule.removeprefix("RRULE:")
    if "\n" in rule or "DTSTART" in rule:
        problems.append(
            f"rule {text!r}: give one RRULE, such as 'FREQ=MONTHLY;BYDAY=+1SA', and the first "
            "date it applies as 'start' (not DTSTART)"
        )
        return rule
    parts: dict[str, str] = {}
    for part in rule.split(";"):
        key, equals, value = part.partition("=")
        key = key.strip()
        if not equals or not key:
            problems.append(f"rule {text!r}: {part!r} is not KEY=VALUE, e.g. 'BYDAY=SA'")
        elif key in _TIME_PARTS:
            problems.append(
                f"rule {text!r}: {key} sets times, but a rule gives dates only; the opening "
                "hours of those dates come from 'hours'"
            )
        elif key not in _RULE_PARTS:
            close = get_close_matches(key, _RULE_PARTS, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]}?" if close else f"use {', '.join(_RULE_PARTS)}"
            problems.append(f"rule {text!r}: unknown part {key!r}; {hint}")
        elif key in parts:
            problems.append(f"rule {text!r}: {key} is given twice; give it once")
        else:
            parts[key] = ",".join(item.strip() for item in value.split(","))
    _check_parts(text, parts, has_start, problems)
    return ";".join(f"{key}={value}" for key, value in parts.items())


def _check_parts(text: str, parts: dict[str, str], has_start: bool, problems: list[str]) -> None:
    frequency = parts.get("FREQ")
    if frequency is None:
        problems.append(f"rule {text!r}: FREQ is missing; e.g. 'FREQ=MONTHLY;BYDAY=+1SA'")
    elif frequency in _TOO_FINE:
        problems.append(
            f"rule {text!r}: FREQ={frequency} repeats within a day, but a rule gives dates only; "
            "use FREQ=DAILY, WEEKLY, MONTHLY or YEARLY"
        )
    elif frequency not in _FREQUENCIES:
        problems.append(
            f"rule {text!r}: FREQ={frequency} is not a frequency; use {', '.join(_FREQUENCIES)}"
        )
    weekdays = parts.get("BYDAY")
    for item in weekdays.split(",") if weekdays is not None else []:
        match = _BYDAY_ITEM.fullmatch(item.strip())
        if match is None or match["weekday"] not in _WEEKDAY_CODES:
            problems.append(
                f"rule {text!r}: {item!r} in BYDAY is not a weekday; write MO, TU, WE, TH, FR, "
                "SA or SU, optionally numbered: +1SA is the first Saturday, -1FR the last Friday"
            )
    for key, (lowest, highest) in _NUMBER_RANGES.items():
        for item in parts[key].split(",") if key in parts else []:
            if not _in_range(item, lowest, highest):
                allowed = (
                    f"{lowest} to {highest}" if lowest > 0 else f"1 to {highest} or -1 to {lowest}"
                )
                problems.append(f"rule {text!r}: {key}={parts[key]}: {item!r} is not {allowed}")
    until = parts.get("UNTIL")
    if until is not None and not _valid_until(until):
        problems.append(
            f"rule {text!r}: UNTIL={until} is not a local date; write it as YYYYMMDD, "
            "e.g. UNTIL=20261231"
        )
    if has_start:
        return
    interval = parts.get("INTERVAL", "1").strip()
    if "COUNT" in parts or interval.lstrip("0") != "1":
        problems.append(
            f"rule {text!r}: COUNT and INTERVAL count from the rule's first date; "
            "give it as 'start', e.g. 'start': '2026-01-03'"
        )
    if frequency in {"YEARLY", "MONTHLY", "WEEKLY"} and not any(p in parts for p in _DAY_PARTS):
        problems.append(
            f"rule {text!r}: it names no day (BYDAY, BYMONTHDAY, BYYEARDAY or BYWEEKNO), so it "
            "would repeat the day of its first date; name the day, e.g. 'FREQ=WEEKLY;BYDAY=SA', "
            "or give 'start'"
        )


def _in_range(item: str, lowest: int, highest: int) -> bool:
    try:
        number = int(item.strip())
    except ValueError:
        return False
    if lowest > 0:
        return lowest <= number <= highest
    return number != 0 and lowest <= number <= highest


def _valid_until(value: str) -> bool:
    match = _UNTIL.fullmatch(value)
    if match is None:
        return False
    try:
        date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return False
    return True


def _to_date(value: object, what: str, problems: list[str]) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        problems.append(f"{what} must be a date, not a datetime: {value!r}")
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    problems.append(f"{what} {value!r} is not a date; write it as 'YYYY-MM-DD'")
    return None


@final
@dataclass(frozen=True, slots=True, init=False)
class RecurringHours:
    """Opening hours on the dates of a recurrence rule, such as the first Saturday of a month.

    ``rule`` is an RFC 5545 RRULE of dates (``FREQ`` of ``DAILY`` or longer; no times):
    ``"FREQ=MONTHLY;BYDAY=+1SA"`` (the first Saturday of each month), ``"FREQ=WEEKLY;BYDAY=SA"``
    (every Saturday), ``"FREQ=MONTHLY;BYDAY=-1FR"`` (the last Friday). ``hours`` are the opening
    hours of those dates; ``"closed"`` closes them. ``start`` is the first date the rule may
    apply; it is needed when the rule counts from it (``INTERVAL``, ``COUNT``). Checked when
    built: a bad rule raises :class:`~vss_care_core.errors.CalendarError` listing every problem.

    >>> first_saturday = RecurringHours("FREQ=MONTHLY;BYDAY=+1SA", "08:00-11:30",
    ...                                 name="First Saturday of the month",
    ...                                 name_vi="Thứ Bảy đầu tháng")
    >>> [d.isoformat() for d in first_saturday.dates(2026)[:3]]
    ['2026-01-03', '2026-02-07', '2026-03-07']
    """

    rule: str
    """The rule in normal form: upper case, without ``RRULE:``."""
    hours: DayHours
    """The opening intervals of the rule's dates (empty: closed)."""
    start: date | None
    """The first date the rule may apply (``None``: it always applied)."""
    name: str
    """The English label."""
    name_vi: str
    """The Vietnamese label."""
    _compiled: rrule = field(compare=False, repr=False)

    def __init__(
        self,
        rule: str,
        hours: HoursLike,
        *,
        start: date | str | None = None,
        name: str = "",
        name_vi: str = "",
    ) -> None:
        problems: list[str] = []
        first = _to_date(start, "start", problems)
        normal = _check_rule(rule, start is not None, problems)
        spans = parse_hours(hours, "hours", problems)
        compiled = None
        if not problems:
            dtstart = _UNDATED_START if first is None else _midnight(first)
            try:
                compiled = rrulestr(normal, dtstart=dtstart)
            except (ValueError, TypeError, KeyError) as exc:
                problems.append(f"rule {rule!r} is not a valid recurrence rule: {exc}")
        if problems or not isinstance(compiled, rrule):
            label = repr(name) if name else repr(rule)
            raise CalendarError(f"recurring hours {label}", problems or ["give one RRULE"])
        object.__setattr__(self, "rule", normal)
        object.__setattr__(self, "hours", from_seconds(spans))
        object.__setattr__(self, "start", first)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "name_vi", name_vi)
        object.__setattr__(self, "_compiled", compiled)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RecurringHours:
        """Build from data: ``{"rule": ..., "hours": ..., "start"?, "name"?, "name_vi"?}``.

        ``note`` is accepted and ignored (for the people who keep the data). Every problem,
        unknown keys included, is reported at once.
        """
        problems: list[str] = []
        allowed = ("rule", "hours", "start", "name", "name_vi", "note")
        fields = check_keys(data, allowed, ("rule", "hours"), problems)
        name = str(fields.get("name", ""))
        if "rule" in fields and "hours" in fields:
            try:
                return_value = cls(
                    fields["rule"],
                    fields["hours"],
                    start=fields.get("start"),
                    name=name,
                    name_vi=str(fields.get("name_vi", "")),
                )
            except CalendarError as error:
                problems.extend(error.problems)
            else:
                if not problems:
                    return return_value
        raise CalendarError(f"recurring hours {name!r}" if name else "recurring hours", problems)

    def dates(self, year: int) -> tuple[date, ...]:
        """The rule's dates in ``year``, sorted."""
        first, last = _midnight(date(year, 1, 1)), datetime(year, 12, 31, 23, 59, 59)  # noqa: DTZ001
        if self.start is None:
            # the rule's dates do not depend on its start (checked when built): start a year
            # earlier, so that a week or a set position reaching into the year is kept
            compiled = self._compiled.replace(dtstart=_midnight(date(max(year - 1, 1), 1, 1)))
        else:
            compiled = self._compiled
        found = compiled.between(first, last, inc=True)
        return tuple(sorted({moment.date() for moment in found}))

    def label(self) -> str:
        """The Vietnamese and English labels joined, for display."""
        return labels_of(self.name_vi, self.name, self.rule)


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)  # noqa: DTZ001 - a local date for rrule


def _month_day(value: object, what: str, problems: list[str]) -> int | None:
    """``"MM-DD"`` as ``month * 100 + day``; 29 February is allowed (leap years)."""
    match = _MONTH_DAY.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is not None:
        month, day = int(match["month"]), int(match["day"])
        try:
            date(_LEAP_YEAR, month, day)
        except ValueError:
            pass
        else:
            return month * 100 + day
    problems.append(
        f"{what}: {value!r} is not a day of the year; write it as 'MM-DD', e.g. '11-01'"
    )
    return None


@final
@dataclass(frozen=True, slots=True, init=False)
class SeasonalHours:
    """Weekly hours in force between two days of every year, such as winter hours.

    ``first`` and ``last`` are days of the year, ``"MM-DD"``, both included; a season may run
    over New Year (``"11-01"`` to ``"03-31"``). During the season its ``weekly_hours`` replace
    the calendar's weekly hours for the whole week (a day they do not give is closed). A season
    that ends on ``"02-28"`` leaves out 29 February; end it on ``"02-29"`` to keep it.

    >>> winter = SeasonalHours("11-01", "03-31", {"mon-fri": "07:30-11:30, 13:00-16:30"},
    ...                        name="Winter hours", name_vi="Giờ làm việc mùa đông")
    >>> winter.contains(date(2026, 11, 1)), winter.contains(date(2026, 4, 1))
    (True, False)
    """

    first: str
    """The first day of the season, ``"MM-DD"``."""
    last: str
    """The last day of the season, ``"MM-DD"`` (included)."""
    weekly_hours: tuple[DayHours, ...]
    """Seven entries, Monday to Sunday, each the day's opening intervals during the season."""
    name: str
    """The English label."""
    name_vi: str
    """The Vietnamese label."""
    _first_key: int = field(compare=False, repr=False)
    _last_key: int = field(compare=False, repr=False)

    def __init__(
        self,
        first: str,
        last: str,
        weekly_hours: WeeklyHoursLike,
        *,
        name: str = "",
        name_vi: str = "",
    ) -> None:
        problems: list[str] = []
        first_key = _month_day(first, "'from'", problems)
        last_key = _month_day(last, "'to'", problems)
        week = parse_weekly(weekly_hours, "weekly_hours", problems)
        if problems or first_key is None or last_key is None:
            label = f"seasonal hours {name!r}" if name else "seasonal hours"
            raise CalendarError(label, problems)
        object.__setattr__(self, "first", f"{first_key // 100:02d}-{first_key % 100:02d}")
        object.__setattr__(self, "last", f"{last_key // 100:02d}-{last_key % 100:02d}")
        object.__setattr__(self, "weekly_hours", tuple(from_seconds(day) for day in week))
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "name_vi", name_vi)
        object.__setattr__(self, "_first_key", first_key)
        object.__setattr__(self, "_last_key", last_key)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SeasonalHours:
        """Build from data: ``{"from": "11-01", "to": "03-31", "weekly_hours": {...}, ...}``.

        ``name``, ``name_vi`` and ``note`` (ignored) are optional. Every problem is reported at
        once.
        """
        problems: list[str] = []
        allowed = ("from", "to", "weekly_hours", "name", "name_vi", "note")
        fields = check_keys(data, allowed, ("from", "to", "weekly_hours"), problems)
        name = str(fields.get("name", ""))
        if all(key in fields for key in ("from", "to", "weekly_hours")):
            try:
                season = cls(
                    fields["from"],
                    fields["to"],
                    fields["weekly_hours"],
                    name=name,
                    name_vi=str(fields.get("name_vi", "")),
                )
            except CalendarError as error:
                problems.extend(error.problems)
            else:
                if not problems:
                    return season
        raise CalendarError(f"seasonal hours {name!r}" if name else "seasonal hours", problems)

    def contains(self, day: date) -> bool:
        """Whether the season is in force on this date."""
        key = day.month * 100 + day.day
        if self._first_key <= self._last_key:
            return self._first_key <= key <= self._last_key
        return key >= self._first_key or key <= self._last_key

    def label(self) -> str:
        """The Vietnamese and English labels joined, for display."""
        return labels_of(self.name_vi, self.name, f"{self.first} to {self.last}")

    def shared_days(self, other: SeasonalHours) -> list[str]:
        """The days of the year (``"MM-DD"``) that both seasons cover, in order."""
        shared = []
        day = date(_LEAP_YEAR, 1, 1)
        while day.year == _LEAP_YEAR:
            if self.contains(day) and other.contains(day):
                shared.append(f"{day.month:02d}-{day.day:02d}")
            day = date.fromordinal(day.toordinal() + 1)
        return shared
