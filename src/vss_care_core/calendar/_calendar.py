"""The working calendar: opening hours, days off, working-time arithmetic and legal day counting."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Literal, TypeAlias, final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from vss_care_core.calendar._hours import (
    DayHours,
    HoursLike,
    format_hours,
    from_seconds,
    parse_hours,
    to_seconds,
)
from vss_care_core.errors import CalendarError, InvalidInputError
from vss_care_core.models import require_aware

__all__ = [
    "ALWAYS_OPEN",
    "DayOff",
    "DayOffKind",
    "HolidaySource",
    "WeeklyHoursLike",
    "WorkingCalendar",
    "WorkingDay",
]

_US = 1_000_000
_DAY_S = 86_400
_DAY_US = _DAY_S * _US
_ONE_DAY = timedelta(days=1)
_ONE_US = timedelta(microseconds=1)
_MAX_YEARS_WITHOUT_WORK = 20
_MOMENTS_KEPT = 4096
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

DayOffKind: TypeAlias = Literal["statutory", "compensatory", "official", "extra"]
"""Why a day is off: a statutory holiday, a day compensating one that fell on a rest day, a day
of an official (government) schedule, or a day added by the user."""

_Secs: TypeAlias = tuple[tuple[int, int], ...]


@final
@dataclass(frozen=True, slots=True, order=True)
class DayOff:
    """A date on which the office is closed all day (holiday, official day off, local closure).

    ``name`` is the English label, ``name_vi`` the Vietnamese one (either may be empty).
    """

    day: date
    name: str = ""
    name_vi: str = ""
    kind: DayOffKind = "extra"

    def label(self) -> str:
        """The Vietnamese and English labels joined, for display."""
        parts = [p for p in (self.name_vi, self.name) if p]
        return " / ".join(dict.fromkeys(parts)) or "day off"


@final
@dataclass(frozen=True, slots=True, init=False)
class WorkingDay:
    """A date worked with given hours, overriding the weekly hours and any day off.

    Use it for an official worked Saturday (``hours=None``: the calendar's regular weekday hours,
    those of Monday) or for a per-date exception such as a shortened day (``hours="08:00-11:00"``).
    """

    day: date
    hours: DayHours | None
    name: str
    name_vi: str
    kind: DayOffKind

    def __init__(
        self,
        day: date,
        hours: HoursLike | None = None,
        *,
        name: str = "",
        name_vi: str = "",
        kind: DayOffKind = "extra",
    ) -> None:
        normalized: DayHours | None = None
        if hours is not None:
            problems: list[str] = []
            seconds = parse_hours(hours, f"hours of {day.isoformat()}", problems)
            if not seconds and not problems:
                problems.append(
                    f"hours of {day.isoformat()}: a working day needs at least one interval; "
                    "for a closed day use DayOff"
                )
            if problems:
                raise CalendarError(f"working day {day.isoformat()}", problems)
            normalized = from_seconds(seconds)
        object.__setattr__(self, "day", day)
        object.__setattr__(self, "hours", normalized)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "name_vi", name_vi)
        object.__setattr__(self, "kind", kind)

    def label(self) -> str:
        """The Vietnamese and English labels joined, for display."""
        parts = [p for p in (self.name_vi, self.name) if p]
        return " / ".join(dict.fromkeys(parts)) or "working day"


HolidaySource: TypeAlias = Callable[[int], Iterable[DayOff]]
"""A function giving the days off of one year (e.g. statutory holidays computed per year)."""

WeeklyHoursLike: TypeAlias = "Mapping[int | str, HoursLike] | Sequence[HoursLike]"
"""Weekly hours: seven entries Monday..Sunday, or a mapping from weekday (0 = Monday, or
``"mon"``..``"sun"``, or a range ``"mon-fri"``) to that day's hours; missing days are closed."""


@dataclass(frozen=True, slots=True)
class _Index:
    """Working intervals over whole local years, in integer epoch microseconds."""

    first_year: int
    last_year: int
    lo: int
    hi: int
    starts: list[int]
    ends: list[int]
    cum_start: list[int]
    cum_end: list[int]
    fixed_offset: int | None
    """The zone's UTC offset in microseconds when it is the same over the whole index."""


_Fast: TypeAlias = tuple[
    int, int, int, list[int], list[int], list[int], list[int], list[int], int | None
]
"""lo, hi, total, starts, ends, cum_start, cum_end, buckets, fixed UTC offset (µs) or None."""


class _Cache:
    """Lazily built tables; the calendar stays immutable, only derived data is cached here."""

    __slots__ = ("duration", "fast", "index", "moments", "special", "years")

    def __init__(self) -> None:
        self.index: _Index | None = None
        self.fast: _Fast | None = None
        self.duration: tuple[object, int] = (None, 0)
        self.moments: dict[int, datetime] = {}
        self.years: dict[int, dict[date, _Secs]] = {}
        self.special: dict[int, tuple[DayOff | WorkingDay, ...]] = {}


def _weekday_keys(key: int | str, problems: list[str]) -> list[int]:
    if isinstance(key, int) and not isinstance(key, bool):
        if 0 <= key <= 6:
            return [key]
        problems.append(f"weekday {key} is not between 0 (Monday) and 6 (Sunday)")
        return []
    if isinstance(key, str):
        text = key.strip().lower()[:7]
        if "-" in text:
            first, _, last = text.partition("-")
            if first[:3] in _WEEKDAYS and last[:3] in _WEEKDAYS:
                a, b = _WEEKDAYS.index(first[:3]), _WEEKDAYS.index(last[:3])
                if a <= b:
                    return list(range(a, b + 1))
        elif text[:3] in _WEEKDAYS:
            return [_WEEKDAYS.index(text[:3])]
    problems.append(f"weekday {key!r} is not a weekday; use 0-6 or 'mon'..'sun' or 'mon-fri'")
    return []


def _parse_weekly(weekly: WeeklyHoursLike, problems: list[str]) -> tuple[_Secs, ...]:
    days: list[_Secs] = [()] * 7
    if isinstance(weekly, Mapping):
        seen: set[int] = set()
        for key, hours in weekly.items():
            parsed = parse_hours(hours, f"hours of {key}", problems)
            for wd in _weekday_keys(key, problems):
                if wd in seen:
                    problems.append(f"{_WEEKDAYS[wd]} is given more than once in the weekly hours")
                seen.add(wd)
                days[wd] = parsed
    elif isinstance(weekly, str):
        problems.append("weekly hours must be a mapping or seven entries, not one string")
    else:
        entries = list(weekly)
        if len(entries) != 7:
            problems.append(f"weekly hours need 7 entries (Monday..Sunday), got {len(entries)}")
        for wd, hours in enumerate(entries[:7]):
            days[wd] = parse_hours(hours, f"hours of {_WEEKDAYS[wd]}", problems)
    return tuple(days)


def _check_zone(zone: object, problems: list[str]) -> ZoneInfo | None:
    if isinstance(zone, ZoneInfo):
        return zone
    if zone is UTC:
        return ZoneInfo("UTC")
    if isinstance(zone, str):
        try:
            return ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(
                f"time zone {zone!r} is unknown; use an IANA name such as 'Asia/Ho_Chi_Minh'"
            )
            return None
    problems.append(
        f"zone must be a ZoneInfo or an IANA name such as 'Asia/Ho_Chi_Minh', got {zone!r}"
    )
    return None


def _is(value: object, kind: type, name: str, problems: list[str]) -> bool:
    if isinstance(value, kind):
        return True
    problems.append(f"{name} must hold {kind.__name__} values, got {value!r}")
    return False


def _explicit_days(
    offs: list[DayOff], works: list[WorkingDay], weekly: tuple[_Secs, ...], problems: list[str]
) -> dict[int, dict[date, _Secs]]:
    """The hours of explicitly given dates, grouped by year; conflicts go to ``problems``."""
    explicit: dict[int, dict[date, _Secs]] = {}
    seen_off: set[date] = set()
    for off in offs:
        if off.day in seen_off:
            problems.append(f"day off {off.day.isoformat()} is given more than once")
        seen_off.add(off.day)
        explicit.setdefault(off.day.year, {})[off.day] = ()
    seen_work: set[date] = set()
    regular = weekly[0] or next((d for d in weekly if d), ())
    for work in works:
        if work.day in seen_work:
            problems.append(f"working day {work.day.isoformat()} is given more than once")
        if work.day in seen_off:
            problems.append(f"{work.day.isoformat()} is both a day off and a working day; keep one")
        seen_work.add(work.day)
        secs = to_seconds(work.hours) if work.hours is not None else regular
        explicit.setdefault(work.day.year, {})[work.day] = secs
    return explicit


@final
@dataclass(frozen=True, slots=True, init=False, repr=False)
class WorkingCalendar:
    """When an office works: a time zone, weekly hours, days off and exceptional working days.

    Immutable and checked when built: every problem (unknown zone, empty, reversed, overlapping
    or unsorted intervals, a date both off and worked, ...) is reported at once in a
    :class:`~vss_care_core.errors.CalendarError`.

    Which hours apply on a date, first match wins: a :class:`WorkingDay` given for that date; a
    :class:`DayOff` given for it; a day off from ``holiday_source``; the weekly hours.

    All operations take timezone-aware datetimes (a naive one raises
    :class:`~vss_care_core.errors.NaiveDatetimeError`) and return datetimes in the calendar's
    zone. Opening intervals are half-open, ``[start, end)``: at 17:00 an office open until 17:00
    is closed.

    **Closing-time rule**: a result of :meth:`add` that lands exactly on a closing time stays
    there ("due at 17:00"), it does not move to the next opening.

    >>> from datetime import datetime, timedelta
    >>> cal = WorkingCalendar(zone="Asia/Ho_Chi_Minh",
    ...                       weekly_hours={"mon-fri": "08:00-12:00, 13:00-17:00"})
    >>> start = datetime(2026, 3, 2, 11, 0, tzinfo=cal.zone)  # a Monday
    >>> cal.add(start, timedelta(hours=2))
    datetime.datetime(2026, 3, 2, 14, 0, tzinfo=zoneinfo.ZoneInfo(key='Asia/Ho_Chi_Minh'))
    """

    zone: ZoneInfo
    """The calendar's time zone; every result is given in it."""
    weekly_hours: tuple[DayHours, ...]
    """Seven entries, Monday to Sunday, each the day's opening intervals."""
    days_off: tuple[DayOff, ...]
    """Days off given explicitly, sorted by date."""
    working_days: tuple[WorkingDay, ...]
    """Exceptional working days given explicitly (worked Saturdays, special hours), sorted."""
    holiday_source: HolidaySource | None
    """Gives the days off of a year (statutory holidays), called lazily once per year."""
    name: str
    """A short name for display."""
    _weekly: tuple[_Secs, ...] = field(compare=False)
    _explicit: dict[int, dict[date, _Secs]] = field(compare=False)
    _cache: _Cache = field(compare=False)

    def __init__(
        self,
        *,
        zone: ZoneInfo | str | tzinfo,
        weekly_hours: WeeklyHoursLike,
        days_off: Iterable[DayOff] = (),
        working_days: Iterable[WorkingDay] = (),
        holiday_source: HolidaySource | None = None,
        name: str = "",
    ) -> None:
        problems: list[str] = []
        zone_info = _check_zone(zone, problems)
        weekly = _parse_weekly(weekly_hours, problems)
        if not problems and not any(weekly):
            problems.append("the weekly hours are all empty; open at least one day a week")
        offs = [d for d in days_off if _is(d, DayOff, "days_off", problems)]
        works = [w for w in working_days if _is(w, WorkingDay, "working_days", problems)]
        offs.sort()
        works.sort(key=lambda w: w.day)
        explicit = _explicit_days(offs, works, weekly, problems)
        if holiday_source is not None and not callable(holiday_source):
            problems.append(
                f"holiday_source must be callable (year -> days off), got {holiday_source!r}"
            )
        if problems:
            raise CalendarError(
                f"working calendar {name!r}" if name else "working calendar", problems
            )
        assert zone_info is not None  # noqa: S101 - guaranteed when there is no problem
        object.__setattr__(self, "zone", zone_info)
        object.__setattr__(self, "weekly_hours", tuple(from_seconds(d) for d in weekly))
        object.__setattr__(self, "days_off", tuple(offs))
        object.__setattr__(self, "working_days", tuple(works))
        object.__setattr__(self, "holiday_source", holiday_source)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "_weekly", weekly)
        object.__setattr__(self, "_explicit", explicit)
        object.__setattr__(self, "_cache", _Cache())

    def __repr__(self) -> str:
        week = "; ".join(
            f"{_WEEKDAYS[i]} {format_hours(h)}" for i, h in enumerate(self.weekly_hours) if h
        )
        label = f"{self.name!r}, " if self.name else ""
        return f"WorkingCalendar({label}zone={self.zone.key!r}, {week})"

    # ----------------------------------------------------------------- days
    def _year_table(self, year: int) -> dict[date, _Secs]:
        table = self._cache.years.get(year)
        if table is None:
            table = {}
            if self.holiday_source is not None:
                for off in self.holiday_source(year):
                    if off.day.year == year:
                        table[off.day] = ()
            table.update(self._explicit.get(year, {}))
            self._cache.years[year] = table
        return table

    def _secs_on(self, day: date) -> _Secs:
        table = self._cache.years.get(day.year)
        if table is None:
            table = self._year_table(day.year)
        found = table.get(day)
        return self._weekly[day.weekday()] if found is None else found

    def hours_on(self, day: date) -> DayHours:
        """The opening intervals of a local date (empty when the office is closed all day)."""
        return from_seconds(self._secs_on(day))

    def is_working_day(self, day: date) -> bool:
        """Whether the office opens at all on this local date."""
        return bool(self._secs_on(day))

    def special_days(self, year: int) -> tuple[DayOff | WorkingDay, ...]:
        """The year's days off and exceptional working days, sorted by date, with labels.

        A day off from the holiday source that an explicit entry overrides is not repeated.
        """
        cached = self._cache.special.get(year)
        if cached is not None:
            return cached
        found: dict[date, DayOff | WorkingDay] = {}
        if self.holiday_source is not None:
            for off in self.holiday_source(year):
                if off.day.year == year:
                    found[off.day] = off
        for off in self.days_off:
            if off.day.year == year:
                found[off.day] = off
        for work in self.working_days:
            if work.day.year == year:
                found[work.day] = work
        result = tuple(found[d] for d in sorted(found))
        self._cache.special[year] = result
        return result

    # ------------------------------------------------------------ the index
    def _local_us(self, day: date, seconds: int) -> int:
        if seconds >= _DAY_S:
            day, seconds = day + timedelta(days=seconds // _DAY_S), seconds % _DAY_S
        moment = datetime.combine(day, time(), tzinfo=self.zone) + timedelta(seconds=seconds)
        return int(moment.timestamp()) * _US

    def _build(self, first_year: int, last_year: int) -> _Index:
        starts: list[int] = []
        ends: list[int] = []
        day = date(first_year, 1, 1)
        stop = date(last_year + 1, 1, 1)
        midnight = self._local_us(day, 0)
        lo = midnight
        all_regular = True
        while day < stop:
            next_day = day + _ONE_DAY
            next_midnight = self._local_us(next_day, 0)
            secs = self._secs_on(day)
            regular = next_midnight - midnight == _DAY_US
            all_regular = all_regular and regular
            if secs:
                for a, b in secs:
                    if regular:
                        s, e = midnight + a * _US, midnight + b * _US
                    else:
                        s, e = self._local_us(day, a), self._local_us(day, b)
                    if starts and s <= ends[-1]:
                        ends[-1] = max(ends[-1], e)
                    elif e > s:
                        starts.append(s)
                        ends.append(e)
            day, midnight = next_day, next_midnight
        cum_start: list[int] = []
        cum_end: list[int] = []
        total = 0
        for s, e in zip(starts, ends, strict=True):
            cum_start.append(total)
            total += e - s
            cum_end.append(total)
        fixed_offset = None
        first_offset = datetime(first_year, 1, 1, tzinfo=self.zone).utcoffset()
        last_offset = datetime(last_year, 12, 31, tzinfo=self.zone).utcoffset()
        if all_regular and first_offset is not None and first_offset == last_offset:
            fixed_offset = first_offset // _ONE_US
        return _Index(
            first_year, last_year, lo, midnight, starts, ends, cum_start, cum_end, fixed_offset
        )

    def _year_of(self, moment_us: int) -> int:
        try:
            return datetime.fromtimestamp(moment_us // _US, self.zone).year
        except (OverflowError, OSError, ValueError) as exc:
            raise InvalidInputError(f"{moment_us // _US} is outside the supported years") from exc

    def _index_covering(self, *moments: int) -> _Index:
        idx = self._cache.index
        if idx is not None and all(idx.lo <= m < idx.hi for m in moments):
            return idx
        years = [self._year_of(m) for m in moments]
        first, last = min(years), max(years)
        if idx is not None:
            first, last = min(first, idx.first_year), max(last, idx.last_year)
        return self._rebuild(first, last)

    def _rebuild(self, first: int, last: int) -> _Index:
        if first < 2 or last > 9997:
            raise InvalidInputError(
                f"the calendar covers the years 2 to 9997; years {first}..{last} were asked"
            )
        if last - first > 400:
            raise InvalidInputError(
                f"working-time arithmetic over {last - first} years is not supported; "
                "keep periods under 400 years"
            )
        idx = self._build(first, last)
        self._cache.index = idx
        if idx.starts:
            # the fast path's tables: a sentinel interval after the index stops every scan;
            # ``buckets`` gives, for each 24-hour slice of the index, the first interval that
            # ends after the slice starts
            sentinel = idx.hi + _DAY_US
            ends = [*idx.ends, sentinel + 1]
            buckets = []
            i = 0
            for edge in range(idx.lo, idx.hi, _DAY_US):
                while ends[i] <= edge:
                    i += 1
                buckets.append(i)
            total = idx.cum_end[-1]
            self._cache.fast = (
                idx.lo, idx.hi, total, [*idx.starts, sentinel], ends,
                [*idx.cum_start, total], [*idx.cum_end, total + 1], buckets, idx.fixed_offset,
            )  # fmt: skip
        else:
            self._cache.fast = None
        return idx

    def _extend_forward(self, idx: _Index) -> _Index:
        return self._rebuild(idx.first_year, idx.last_year + 1)

    def _extend_backward(self, idx: _Index) -> _Index:
        return self._rebuild(idx.first_year - 1, idx.last_year)

    def _to_us(self, moment: datetime, name: str) -> int:
        return _epoch_us(moment, name)

    def _from_us(self, moment_us: int) -> datetime:
        seconds, micro = divmod(moment_us, _US)
        if not micro:
            return datetime.fromtimestamp(seconds, self.zone)
        if -_FLOAT_EXACT < seconds < _FLOAT_EXACT:
            # a float carries whole microseconds exactly up to 2**31 s, and is much faster than
            # replace(microsecond=...)
            return datetime.fromtimestamp(seconds + micro / _US, self.zone)
        return datetime.fromtimestamp(seconds, self.zone).replace(microsecond=micro)

    def _position(self, idx: _Index, moment_us: int) -> int:
        """Working microseconds from the start of the index to ``moment_us``."""
        i = bisect_right(idx.starts, moment_us) - 1
        if i < 0:
            return 0
        return idx.cum_start[i] + min(moment_us - idx.starts[i], idx.ends[i] - idx.starts[i])

    # ------------------------------------------------------------ operations
    def is_open(self, at: datetime) -> bool:
        """Whether the office is open at this moment (it is closed exactly at a closing time)."""
        t = self._to_us(at, "at")
        idx = self._cache.index
        if idx is None or not idx.lo <= t < idx.hi:
            idx = self._index_covering(t)
        i = bisect_right(idx.starts, t) - 1
        return i >= 0 and t < idx.ends[i]

    def next_open(self, at: datetime) -> datetime:
        """``at`` itself if the office is open then, otherwise the next opening time."""
        t = self._to_us(at, "at")
        idx = self._index_covering(t)
        misses = 0
        while True:
            i = bisect_right(idx.starts, t) - 1
            if i >= 0 and t < idx.ends[i]:
                return at.astimezone(self.zone)
            if i + 1 < len(idx.starts):
                return self._from_us(idx.starts[i + 1])
            misses += 1
            if misses > _MAX_YEARS_WITHOUT_WORK:
                raise InvalidInputError(
                    f"the calendar does not open within {_MAX_YEARS_WITHOUT_WORK} years "
                    f"after {at.isoformat()}"
                )
            idx = self._extend_forward(idx)

    def add(self, start: datetime, working_time: timedelta) -> datetime:  # noqa: PLR0912 - hot path kept inline
        """The moment when ``working_time`` of opening hours has passed after ``start``.

        Time before the first opening after ``start`` is not counted. A result that lands
        exactly on a closing time stays there (due at 17:00, not at 08:00 the next day). Adding
        zero returns ``start`` itself (in the calendar's zone). A negative duration is refused:
        use :meth:`subtract` to count backwards.
        """
        cache = self._cache
        fast = cache.fast
        try:
            if fast is not None and fast[8] is not None and start.tzinfo is self.zone:
                # the zone keeps one UTC offset over the indexed years: read the wall clock
                t = (
                    (
                        (start.toordinal() - _EPOCH_ORDINAL) * _DAY_S
                        + start.hour * 3600
                        + start.minute * 60
                        + start.second
                    )
                    * _US
                    + start.microsecond
                    - fast[8]
                )
            else:
                t = (start - _EPOCH) // _ONE_US
            last = cache.duration
            if working_time is last[0]:
                duration = last[1]
            else:
                duration = working_time // _ONE_US
                cache.duration = (working_time, duration)
        except (TypeError, AttributeError):
            _epoch_us(start, "start")
            _duration_us(working_time, "working_time")
            raise  # pragma: no cover - one of the two calls above raised
        if duration > 0 and fast is not None and fast[0] <= t < fast[1]:
            # the hot path: the moment lies in the indexed years. ``buckets`` gives, for each
            # 24-hour slice of the index, the first interval ending after the slice starts;
            # a few steps forward find the interval ending after ``t``
            lo, _, total, starts, ends, cum_start, cum_end, buckets, _ = fast
            i = buckets[(t - lo) // _DAY_US]
            while ends[i] <= t:
                i += 1
            target = cum_start[i] + duration
            if starts[i] < t:
                target += t - starts[i]
            if target <= total:
                j = i
                while cum_end[j] < target:
                    j += 1
                    if j - i == 16:
                        j = bisect_left(cum_end, target, j)
                        break
                moment = starts[j] + target - cum_start[j]
                # results cluster on opening and closing times: reuse those datetimes
                moments = cache.moments
                known = moments.get(moment)
                if known is None:
                    known = self._from_us(moment)
                    if len(moments) >= _MOMENTS_KEPT:
                        moments.clear()
                    moments[moment] = known
                return known
        if duration <= 0:
            if duration == 0:
                return start.astimezone(self.zone)
            _duration_us(working_time, "working_time")
        return self._add_slow(start, t, duration)

    def _add_slow(self, start: datetime, t: int, duration: int) -> datetime:
        idx = self._index_covering(t)
        grown = 0
        while True:
            starts = idx.starts
            i = bisect_right(starts, t) - 1
            if i < 0:
                position = 0
            elif t < idx.ends[i]:
                position = idx.cum_start[i] + t - starts[i]
            else:
                position = idx.cum_end[i]
            target = position + duration
            cum_end = idx.cum_end
            if cum_end and target <= cum_end[-1]:
                j = bisect_left(cum_end, target)
                return self._from_us(starts[j] + target - idx.cum_start[j])
            grown += 1
            if grown > _MAX_YEARS_WITHOUT_WORK and (not cum_end or position >= cum_end[-1]):
                raise InvalidInputError(
                    f"the calendar does not open within {_MAX_YEARS_WITHOUT_WORK} years "
                    f"after {start.isoformat()}"
                )
            idx = self._extend_forward(idx)

    def subtract(self, end: datetime, working_time: timedelta) -> datetime:
        """The latest moment from which ``working_time`` of opening hours reaches ``end``.

        The mirror of :meth:`add`: a result that lands exactly on an opening time stays there.
        Subtracting zero returns ``end`` itself.
        """
        duration = _duration_us(working_time, "working_time")
        t = self._to_us(end, "end")
        if duration == 0:
            return end.astimezone(self.zone)
        idx = self._index_covering(t)
        grown = 0
        while True:
            position = self._position(idx, t)
            target = position - duration
            if target >= 0 and idx.starts:
                # the last interval starting at or before the target: exactly at an opening,
                # the result stays on it
                j = bisect_right(idx.cum_start, target) - 1
                return self._from_us(idx.starts[j] + target - idx.cum_start[j])
            grown += 1
            if grown > _MAX_YEARS_WITHOUT_WORK:
                raise InvalidInputError(
                    f"the calendar was not open within {_MAX_YEARS_WITHOUT_WORK} years "
                    f"before {end.isoformat()}"
                )
            idx = self._extend_backward(idx)

    def working_time(self, start: datetime, end: datetime) -> timedelta:
        """The opening hours between ``start`` and ``end``; ``end`` must not be before ``start``."""
        a = self._to_us(start, "start")
        b = self._to_us(end, "end")
        if b < a:
            raise InvalidInputError(
                f"end {end.isoformat()} is before start {start.isoformat()}; swap them"
            )
        if a == b:
            return timedelta(0)
        idx = self._cache.index
        if idx is None or not (idx.lo <= a < idx.hi and idx.lo <= b < idx.hi):
            idx = self._index_covering(a, b)
        return timedelta(microseconds=self._position(idx, b) - self._position(idx, a))

    def working_times(self, start: datetime, moments: Iterable[datetime]) -> tuple[timedelta, ...]:
        """The opening hours from ``start`` to each of ``moments``, in one pass.

        The same as ``working_time(start, m)`` for each moment, with one index look-up each;
        no moment may be before ``start``.
        """
        a = _epoch_us(start, "start")
        given = list(moments)
        points = [_epoch_us(m, "moments") for m in given]
        for point, moment in zip(points, given, strict=True):
            if point < a:
                raise InvalidInputError(
                    f"moment {moment.isoformat()} is before start {start.isoformat()}"
                )
        idx = self._index_covering(a, *points)
        origin = self._position(idx, a)
        return tuple(timedelta(microseconds=self._position(idx, p) - origin) for p in points)

    def _local_date(self, moment: datetime, name: str) -> date:
        require_aware(moment, name)
        return moment.astimezone(self.zone).date()

    def _end_of(self, day: date) -> datetime:
        """24:00 of a local date, returned as 00:00 of the next date."""
        following = day + _ONE_DAY
        return datetime(following.year, following.month, following.day, tzinfo=self.zone)

    def _next_working_day(self, day: date, *, include: bool) -> date:
        if include and self._secs_on(day):
            return day
        for _ in range(366 * _MAX_YEARS_WITHOUT_WORK):
            day += _ONE_DAY
            if self._secs_on(day):
                return day
        raise InvalidInputError(f"no working day within {_MAX_YEARS_WITHOUT_WORK} years of {day}")

    def add_working_days(self, event_at: datetime, n: int) -> datetime:
        """The end of a period of ``n`` working days after an event, counted as the law does.

        Civil Code 2015 Art. 147-148: the day of the event is not counted; counting starts the
        next day and counts only working days (days with opening hours, so an official worked
        Saturday counts and a holiday does not); the period ends at 24:00 of its last day, which
        is returned as 00:00 of the following date in the calendar's zone. ``n = 0`` gives the
        end of the event's own day.
        """
        day = self._local_date(event_at, "event_at")
        _require_count(n)
        for _ in range(n):
            day = self._next_working_day(day, include=False)
        return self._end_of(day)

    def add_days(self, event_at: datetime, n: int) -> datetime:
        """The end of a period of ``n`` calendar days after an event, counted as the law does.

        Civil Code 2015 Art. 147-148: the day of the event is not counted; the period ends at
        24:00 of its ``n``-th day, returned as 00:00 of the following date; when that last day
        is not a working day (weekly rest day, holiday, official day off), the period ends at
        24:00 of the next working day.
        """
        day = self._local_date(event_at, "event_at")
        _require_count(n)
        last = day + timedelta(days=n)
        if n > 0:
            last = self._next_working_day(last, include=True)
        return self._end_of(last)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_FLOAT_EXACT = 2**31
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _epoch_us(moment: datetime, name: str) -> int:
    """Integer microseconds since the epoch of an aware datetime; naive ones are refused."""
    if not isinstance(moment, datetime):
        raise InvalidInputError(f"{name} must be a datetime, got {moment!r}")
    try:
        delta = moment - _EPOCH
    except TypeError:
        require_aware(moment, name)
        raise
    return (delta.days * _DAY_S + delta.seconds) * _US + delta.microseconds


def _require_count(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise InvalidInputError(f"the number of days must be an int, got {n!r}")
    if n < 0:
        raise InvalidInputError(f"the number of days must not be negative, got {n}")


def _duration_us(value: timedelta, name: str) -> int:
    if not isinstance(value, timedelta):
        raise InvalidInputError(f"{name} must be a timedelta, got {value!r}")
    micro = (value.days * _DAY_S + value.seconds) * _US + value.microseconds
    if micro < 0:
        raise InvalidInputError(
            f"{name} must not be negative (got {value}); use subtract() to count backwards"
        )
    return micro


ALWAYS_OPEN = WorkingCalendar(
    zone="Asia/Ho_Chi_Minh",
    weekly_hours={"mon-sun": "00:00-24:00"},
    name="always open",
)
"""Open 24 hours a day, 7 days a week (the hotline): working time equals elapsed time, every day
is a working day. Its zone is Asia/Ho_Chi_Minh, so legal day counting uses Vietnamese dates."""
