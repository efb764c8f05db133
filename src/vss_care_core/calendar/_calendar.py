"""The working calendar: opening hours, days off, working-time arithmetic and legal day counting."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any, Literal, NamedTuple, TypeAlias, final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.relativedelta import relativedelta

from vss_care_core.calendar._hours import (
    DayHours,
    HoursLike,
    Spans,
    format_hours,
    from_seconds,
    parse_hours,
    to_seconds,
)
from vss_care_core.calendar._index import (
    DAY_US,
    FIRST_YEAR,
    LAST_YEAR,
    US,
    WorkingIndex,
    build_index,
    epoch_us,
)
from vss_care_core.calendar._rules import RecurringHours, SeasonalHours, check_keys, labels_of
from vss_care_core.calendar._week import WEEKDAY_NAMES, WeeklyHoursLike, parse_weekly
from vss_care_core.errors import CalendarError, InvalidInputError, NaiveDatetimeError

__all__ = [
    "ALWAYS_OPEN",
    "DayOff",
    "DayOffKind",
    "HolidaySource",
    "WorkingCalendar",
    "WorkingDay",
]

_ONE_DAY = timedelta(days=1)
_ONE_US = timedelta(microseconds=1)
_MAX_YEARS_WITHOUT_WORK = 20
_RESULTS_KEPT = 4096
_STEPS_BEFORE_SEARCH = 16

DayOffKind: TypeAlias = Literal["statutory", "compensatory", "official", "extra", "recurring"]
"""Why a day is off (or worked): a statutory holiday, a day compensating one that fell on a rest
day, a day of an official (government) schedule, a day added by the user, or a date of a
recurring rule (:class:`RecurringHours`)."""


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
        return labels_of(self.name_vi, self.name, "day off")


@final
@dataclass(frozen=True, slots=True, init=False)
class WorkingDay:
    """A date worked with given hours, overriding the weekly hours and any day off.

    Use it for an official worked Saturday (``hours=None``: the calendar's regular weekday hours,
    those of Monday in force on that date) or for a per-date exception such as a shortened day
    (``hours="08:00-11:00"``).
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
            spans = parse_hours(hours, f"hours of {day.isoformat()}", problems)
            if not spans and not problems:
                problems.append(
                    f"hours of {day.isoformat()}: a working day needs at least one interval; "
                    "for a closed day use DayOff"
                )
            if problems:
                raise CalendarError(f"working day {day.isoformat()}", problems)
            normalized = from_seconds(spans)
        object.__setattr__(self, "day", day)
        object.__setattr__(self, "hours", normalized)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "name_vi", name_vi)
        object.__setattr__(self, "kind", kind)

    def label(self) -> str:
        """The Vietnamese and English labels joined, for display."""
        return labels_of(self.name_vi, self.name, "working day")


HolidaySource: TypeAlias = Callable[[int], Iterable[DayOff]]
"""A function giving the days off of one year (e.g. statutory holidays computed per year)."""


@dataclass(frozen=True, slots=True)
class _Duration:
    """A duration given to :meth:`WorkingCalendar.add` and its microseconds."""

    given: timedelta
    microseconds: int


@dataclass(slots=True)
class _Cache:
    """Tables derived lazily from the calendar; the calendar itself stays immutable."""

    index: WorkingIndex | None = None
    """The working-time index of the years asked so far."""
    dates: dict[int, dict[date, Spans]] = field(default_factory=dict)
    """Per year, the dates whose hours are not the weekly ones."""
    special: dict[int, tuple[DayOff | WorkingDay, ...]] = field(default_factory=dict)
    """Per year, the result of ``special_days``."""
    results: dict[int, datetime] = field(default_factory=dict)
    """Datetimes of results of ``add``, by epoch µs (at most ``_RESULTS_KEPT``)."""
    last_duration: _Duration | None = None
    """The last duration given to ``add``."""


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


def _check_explicit(offs: list[DayOff], works: list[WorkingDay], problems: list[str]) -> None:
    """Dates given twice, or both off and worked, go to ``problems``."""
    seen_off: set[date] = set()
    for off in offs:
        if off.day in seen_off:
            problems.append(f"day off {off.day.isoformat()} is given more than once")
        seen_off.add(off.day)
    seen_work: set[date] = set()
    for work in works:
        if work.day in seen_work:
            problems.append(f"working day {work.day.isoformat()} is given more than once")
        if work.day in seen_off:
            problems.append(f"{work.day.isoformat()} is both a day off and a working day; keep one")
        seen_work.add(work.day)


def _where(kind: str, position: int, name: str) -> str:
    return f"{kind}[{position}] {name!r}" if name else f"{kind}[{position}]"


def _seasons(given: Iterable[object], problems: list[str]) -> list[SeasonalHours]:
    """Seasonal hours from values or data; overlapping seasons go to ``problems``."""
    seasons: list[SeasonalHours] = []
    for position, item in enumerate(given):
        if isinstance(item, SeasonalHours):
            seasons.append(item)
            continue
        if not isinstance(item, Mapping):
            problems.append(
                f"seasonal_hours[{position}] must be a SeasonalHours or a mapping such as "
                f"{{'from': '11-01', 'to': '03-31', 'weekly_hours': {{...}}}}, got {item!r}"
            )
            continue
        try:
            seasons.append(SeasonalHours.from_dict(item))
        except CalendarError as error:
            where = _where("seasonal_hours", position, str(item.get("name", "")))
            problems.extend(f"{where}: {problem}" for problem in error.problems)
    for position, season in enumerate(seasons):
        for later_position in range(position + 1, len(seasons)):
            later = seasons[later_position]
            shared = season.shared_days(later)
            if shared:
                problems.append(
                    f"{_where('seasonal_hours', position, season.name)} ({season.first} to "
                    f"{season.last}) and {_where('seasonal_hours', later_position, later.name)} "
                    f"({later.first} to {later.last}) overlap on {len(shared)} days of the year, "
                    f"from {shared[0]}; a date may be in one season only"
                )
    return seasons


def _recurring(given: Iterable[object], problems: list[str]) -> list[RecurringHours]:
    """Recurring hours from values or data; their problems go to ``problems``."""
    rules: list[RecurringHours] = []
    for position, item in enumerate(given):
        if isinstance(item, RecurringHours):
            rules.append(item)
            continue
        if not isinstance(item, Mapping):
            problems.append(
                f"recurring_hours[{position}] must be a RecurringHours or a mapping such as "
                f"{{'rule': 'FREQ=MONTHLY;BYDAY=+1SA', 'hours': '08:00-11:30'}}, got {item!r}"
            )
            continue
        try:
            rules.append(RecurringHours.from_dict(item))
        except CalendarError as error:
            where = _where("recurring_hours", position, str(item.get("name", "")))
            problems.extend(f"{where}: {problem}" for problem in error.problems)
    return rules


class _Season(NamedTuple):
    """A season and its weekly hours in seconds, as the calendar reads them."""

    season: SeasonalHours
    week: tuple[Spans, ...]


def _recurring_day(rule: RecurringHours, day: date) -> DayOff | WorkingDay:
    """A date of a recurring rule, as :meth:`WorkingCalendar.special_days` lists it."""
    if rule.hours:
        return WorkingDay(day, rule.hours, name=rule.name, name_vi=rule.name_vi, kind="recurring")
    return DayOff(day, name=rule.name, name_vi=rule.name_vi, kind="recurring")


def _regular(week: tuple[Spans, ...]) -> Spans:
    """The regular weekday hours of a week: Monday's, or the first open day's."""
    for day in week:
        if day:
            return day
    return ()


@final
@dataclass(frozen=True, slots=True, init=False, repr=False)
class WorkingCalendar:
    """When an office works: a time zone, weekly hours, seasons, recurring dates and days off.

    Immutable and checked when built: every problem (unknown zone, empty, reversed, overlapping
    or unsorted intervals, an unknown weekday, a bad recurrence rule, overlapping seasons, a
    date both off and worked, ...) is reported at once in a
    :class:`~vss_care_core.errors.CalendarError`.

    Which hours apply on a date, first match wins:

    1. a :class:`WorkingDay` given for that date;
    2. a :class:`DayOff` given for it;
    3. a day off from ``holiday_source`` (a statutory holiday closes the office even on a date
       of a recurring rule; only a :class:`WorkingDay` opens it);
    4. the first of ``recurring_hours`` (:class:`RecurringHours`) whose rule gives that date;
    5. the weekly hours of the season (:class:`SeasonalHours`) that contains the date;
    6. the weekly hours.

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
    """Seven entries, Monday to Sunday, each the day's opening intervals (outside seasons)."""
    days_off: tuple[DayOff, ...]
    """Days off given explicitly, sorted by date."""
    working_days: tuple[WorkingDay, ...]
    """Exceptional working days given explicitly (worked Saturdays, special hours), sorted."""
    seasonal_hours: tuple[SeasonalHours, ...]
    """Weekly hours in force during parts of every year (winter hours), in the order given."""
    recurring_hours: tuple[RecurringHours, ...]
    """Hours on the dates of recurrence rules (first Saturdays), in the order given."""
    holiday_source: HolidaySource | None
    """Gives the days off of a year (statutory holidays), called lazily once per year."""
    name: str
    """A short name for display."""
    _weekly: tuple[Spans, ...] = field(compare=False)
    _seasons: tuple[_Season, ...] = field(compare=False)
    _local_epoch: datetime = field(compare=False)
    _cache: _Cache = field(compare=False)

    def __init__(
        self,
        *,
        zone: ZoneInfo | str | tzinfo,
        weekly_hours: WeeklyHoursLike,
        days_off: Iterable[DayOff] = (),
        working_days: Iterable[WorkingDay] = (),
        seasonal_hours: Iterable[SeasonalHours | Mapping[str, Any]] = (),
        recurring_hours: Iterable[RecurringHours | Mapping[str, Any]] = (),
        holiday_source: HolidaySource | None = None,
        name: str = "",
    ) -> None:
        problems: list[str] = []
        zone_info = _check_zone(zone, problems)
        weekly = parse_weekly(weekly_hours, "", problems)
        if not problems and not any(weekly):
            problems.append("the weekly hours are all empty; open at least one day a week")
        offs = [d for d in days_off if _is(d, DayOff, "days_off", problems)]
        works = [w for w in working_days if _is(w, WorkingDay, "working_days", problems)]
        offs.sort()
        works.sort(key=lambda work: work.day)
        _check_explicit(offs, works, problems)
        seasons = _seasons(seasonal_hours, problems)
        rules = _recurring(recurring_hours, problems)
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
        object.__setattr__(self, "seasonal_hours", tuple(seasons))
        object.__setattr__(self, "recurring_hours", tuple(rules))
        object.__setattr__(self, "holiday_source", holiday_source)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "_weekly", weekly)
        compiled = tuple(_Season(s, tuple(to_seconds(d) for d in s.weekly_hours)) for s in seasons)
        object.__setattr__(self, "_seasons", compiled)
        object.__setattr__(self, "_local_epoch", datetime(1970, 1, 1, tzinfo=zone_info))
        object.__setattr__(self, "_cache", _Cache())

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, holiday_source: HolidaySource | None = None
    ) -> WorkingCalendar:
        """A calendar from data (parsed JSON), every problem reported at once.

        The keys are ``zone`` and ``weekly_hours`` (required), ``name``, ``seasonal_hours``
        and ``recurring_hours`` (lists in the form of :meth:`SeasonalHours.from_dict` and
        :meth:`RecurringHours.from_dict`), ``days_off`` (``{"from": "2026-03-03", "to"?,
        "name"?, "name_vi"?}``, as in the official schedule) and ``working_days``
        (``{"date": ..., "hours"?, "name"?, "name_vi"?}``); ``note`` is ignored. Holidays computed
        per year are not data: pass ``holiday_source``.
        """
        problems: list[str] = []
        allowed = (
            "name",
            "zone",
            "weekly_hours",
            "seasonal_hours",
            "recurring_hours",
            "days_off",
            "working_days",
            "note",
        )
        fields = check_keys(data, allowed, ("zone", "weekly_hours"), problems)
        name = str(fields.get("name", ""))
        days_off = _days_off_from(fields.get("days_off", ()), problems)
        working_days = _working_days_from(fields.get("working_days", ()), problems)
        calendar = None
        try:
            calendar = cls(
                zone=fields.get("zone", "UTC"),
                weekly_hours=fields.get("weekly_hours", {"mon-sun": "00:00-24:00"}),
                days_off=days_off,
                working_days=working_days,
                seasonal_hours=_listed(fields, "seasonal_hours", problems),
                recurring_hours=_listed(fields, "recurring_hours", problems),
                holiday_source=holiday_source,
                name=name,
            )
        except CalendarError as error:
            problems.extend(error.problems)
        if problems or calendar is None:
            raise CalendarError(
                f"working calendar {name!r}" if name else "working calendar", problems
            )
        return calendar

    def __repr__(self) -> str:
        week = "; ".join(
            f"{WEEKDAY_NAMES[i][:3]} {format_hours(h)}"
            for i, h in enumerate(self.weekly_hours)
            if h
        )
        label = f"{self.name!r}, " if self.name else ""
        extra = ""
        if self.seasonal_hours:
            extra += f", {len(self.seasonal_hours)} seasonal"
        if self.recurring_hours:
            extra += f", {len(self.recurring_hours)} recurring"
        return f"WorkingCalendar({label}zone={self.zone.key!r}, {week}{extra})"

    # ----------------------------------------------------------------- days
    def _week_on(self, day: date) -> tuple[Spans, ...]:
        """The weekly hours in force on a date: its season's, or the calendar's own."""
        for in_force in self._seasons:
            if in_force.season.contains(day):
                return in_force.week
        return self._weekly

    def _regular_on(self, day: date) -> Spans:
        """The hours of a :class:`WorkingDay` without hours: Monday's in force that day."""
        return _regular(self._week_on(day)) or _regular(self._weekly)

    def _dates_of(self, year: int) -> dict[date, Spans]:
        """The dates of a year whose hours are not the weekly ones (precedence in the class doc)."""
        table = self._cache.dates.get(year)
        if table is not None:
            return table
        table = {}
        for rule in self.recurring_hours:
            spans = to_seconds(rule.hours)
            for day in rule.dates(year):
                table.setdefault(day, spans)  # the first rule listed wins
        if self.holiday_source is not None:
            for off in self.holiday_source(year):
                if off.day.year == year:
                    table[off.day] = ()
        for off in self.days_off:
            if off.day.year == year:
                table[off.day] = ()
        for work in self.working_days:
            if work.day.year == year:
                if work.hours is None:
                    table[work.day] = self._regular_on(work.day)
                else:
                    table[work.day] = to_seconds(work.hours)
        self._cache.dates[year] = table
        return table

    def _spans_on(self, day: date) -> Spans:
        """The opening spans of a local date, as the precedence in the class docstring says."""
        table = self._cache.dates.get(day.year)
        if table is None:
            table = self._dates_of(day.year)
        found = table.get(day)
        if found is not None:
            return found
        for in_force in self._seasons:
            if in_force.season.contains(day):
                return in_force.week[day.weekday()]
        return self._weekly[day.weekday()]

    def hours_on(self, day: date) -> DayHours:
        """The opening intervals of a local date (empty when the office is closed all day)."""
        return from_seconds(self._spans_on(day))

    def is_working_day(self, day: date) -> bool:
        """Whether the office opens at all on this local date."""
        return bool(self._spans_on(day))

    def special_days(self, year: int) -> tuple[DayOff | WorkingDay, ...]:
        """The year's days off and exceptional working days, sorted by date, with labels.

        The dates of recurring rules are included (``kind="recurring"``: a :class:`WorkingDay`
        with the rule's hours, or a :class:`DayOff` for a rule that closes); a date that a later
        step of the precedence overrides is given once, as that step says (a holiday on a first
        Saturday is a :class:`DayOff`). Seasons, which change the hours of every day of a part
        of the year, are not listed (see :attr:`seasonal_hours`).
        """
        cached = self._cache.special.get(year)
        if cached is not None:
            return cached
        found: dict[date, DayOff | WorkingDay] = {}
        for rule in self.recurring_hours:
            for day in rule.dates(year):
                if day not in found:  # the first rule listed wins
                    found[day] = _recurring_day(rule, day)
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
    def _year_of(self, moment_us: int) -> int:
        try:
            return datetime.fromtimestamp(moment_us // US, self.zone).year
        except (OverflowError, OSError, ValueError) as exc:
            raise InvalidInputError(
                f"{moment_us // US} seconds after 1970 is outside the supported years "
                f"{FIRST_YEAR} to {LAST_YEAR}"
            ) from exc

    def _index_covering(self, earliest: int, latest: int) -> WorkingIndex:
        """The cached index if it covers both moments, else one rebuilt to cover them."""
        index = self._cache.index
        if index is not None and index.lo <= earliest and latest < index.hi:
            return index
        first, last = self._year_of(earliest), self._year_of(latest)
        if index is not None:
            first, last = min(first, index.first_year), max(last, index.last_year)
        return self._rebuild(first, last)

    def _rebuild(self, first_year: int, last_year: int) -> WorkingIndex:
        index = build_index(self.zone, self._spans_on, first_year, last_year)
        self._cache.index = index
        return index

    def _from_us(self, moment_us: int) -> datetime:
        seconds, micro = divmod(moment_us, US)
        moment = datetime.fromtimestamp(seconds, self.zone)
        if micro:
            moment = moment.replace(microsecond=micro)
        return moment

    # ------------------------------------------------------------ operations
    def is_open(self, at: datetime) -> bool:
        """Whether the office is open at this moment (it is closed exactly at a closing time)."""
        moment = epoch_us(at, "at")
        return self._index_covering(moment, moment).is_open(moment)

    def next_open(self, at: datetime) -> datetime:
        """``at`` itself if the office is open then, otherwise the next opening time."""
        moment = epoch_us(at, "at")
        index = self._index_covering(moment, moment)
        for _ in range(_MAX_YEARS_WITHOUT_WORK + 1):
            opening = index.next_opening(moment)
            if opening == moment:
                return at.astimezone(self.zone)
            if opening is not None:
                return self._from_us(opening)
            index = self._rebuild(index.first_year, index.last_year + 1)
        raise InvalidInputError(
            f"the calendar does not open within {_MAX_YEARS_WITHOUT_WORK} years "
            f"after {at.isoformat()}"
        )

    def add(self, start: datetime, working_time: timedelta) -> datetime:  # noqa: PLR0912 - the measured fast path, kept in one piece
        """The moment when ``working_time`` of opening hours has passed after ``start``.

        Time before the first opening after ``start`` is not counted. A result that lands
        exactly on a closing time stays there (due at 17:00, not at 08:00 the next day). Adding
        zero returns ``start`` itself (in the calendar's zone). A negative duration is refused:
        use :meth:`subtract` to count backwards.
        """
        # The fast path, for a start inside the indexed years: the steps of _add_general without
        # its calls, and four tricks. Each figure is µs per add on benchmarks/bench_calendar.py,
        # without the trick -> with it; the whole block: 49% (2.68 -> 1.37 µs) against
        # _add_general alone, which gives the same results (tested).
        index = self._cache.index
        if (
            index is not None
            and index.utc_offset is not None
            and isinstance(start, datetime)
            and start.tzinfo is self.zone
        ):
            # Two datetimes with the same zone object subtract by their wall clocks, without
            # asking the zone for its offset: 25% (1.83 -> 1.37 µs) against epoch_us.
            moment = (start - self._local_epoch) // _ONE_US - index.utc_offset
        else:
            moment = epoch_us(start, "start")
        # Deadlines reuse the same few durations: the last one's microseconds are kept, 10%
        # (1.53 -> 1.37 µs) against converting every time.
        last = self._cache.last_duration
        if last is not None and last.given is working_time:
            duration = last.microseconds
        else:
            duration = _duration_us(working_time, "working_time")
            self._cache.last_duration = _Duration(working_time, duration)
        if index is None or duration == 0 or not index.lo <= moment < index.hi:
            return self._add_general(start, working_time)
        # The first interval that ends after the moment is a step or two from the first one
        # that ends after the moment's 24 hours start; the interval where the working time runs
        # out is a few steps further (16 hours: 4 half days), searched past 16 steps. 14%
        # (1.60 -> 1.37 µs) against two binary searches over years of intervals.
        i = index.first_by_day[(moment - index.lo) // DAY_US]
        while i < index.count and index.ends[i] <= moment:
            i += 1
        if i == index.count:
            return self._add_general(start, working_time)
        target = index.worked_before[i] + duration
        if index.starts[i] < moment:
            target += moment - index.starts[i]
        if target > index.total:
            return self._add_general(start, working_time)
        j = i
        while index.worked_after[j] < target:
            j += 1
            if j - i == _STEPS_BEFORE_SEARCH:
                j = bisect_left(index.worked_after, target, j)
                break
        result = index.starts[j] + target - index.worked_before[j]
        # Results cluster on closing times: their datetimes are kept, 19% (1.70 -> 1.37 µs)
        # against building each one.
        known = self._cache.results.get(result)
        if known is None:
            known = self._from_us(result)
            if len(self._cache.results) >= _RESULTS_KEPT:
                self._cache.results.clear()
            self._cache.results[result] = known
        return known

    def _add_general(self, start: datetime, working_time: timedelta) -> datetime:
        """:meth:`add` for any start, extending the index as far as needed."""
        moment = epoch_us(start, "start")
        duration = _duration_us(working_time, "working_time")
        if duration == 0:
            return start.astimezone(self.zone)
        index = self._index_covering(moment, moment)
        for _ in range(_MAX_YEARS_WITHOUT_WORK + 1):
            result = index.after(moment, duration)
            if result is not None:
                return self._from_us(result)
            index = self._rebuild(index.first_year, index.last_year + 1)
        raise InvalidInputError(
            f"the calendar does not open within {_MAX_YEARS_WITHOUT_WORK} years "
            f"after {start.isoformat()}"
        )

    def subtract(self, end: datetime, working_time: timedelta) -> datetime:
        """The latest moment from which ``working_time`` of opening hours reaches ``end``.

        The mirror of :meth:`add`: a result that lands exactly on an opening time stays there.
        Subtracting zero returns ``end`` itself.
        """
        duration = _duration_us(working_time, "working_time")
        moment = epoch_us(end, "end")
        if duration == 0:
            return end.astimezone(self.zone)
        index = self._index_covering(moment, moment)
        for _ in range(_MAX_YEARS_WITHOUT_WORK + 1):
            target = index.worked_until(moment) - duration
            if target >= 0 and index.starts:
                return self._from_us(index.moment_before(target))
            index = self._rebuild(index.first_year - 1, index.last_year)
        raise InvalidInputError(
            f"the calendar was not open within {_MAX_YEARS_WITHOUT_WORK} years "
            f"before {end.isoformat()}"
        )

    def working_time(self, start: datetime, end: datetime) -> timedelta:
        """The opening hours between ``start`` and ``end``; ``end`` must not be before ``start``."""
        first = epoch_us(start, "start")
        last = epoch_us(end, "end")
        if last < first:
            raise InvalidInputError(
                f"end {end.isoformat()} is before start {start.isoformat()}; swap them"
            )
        if first == last:
            return timedelta(0)
        index = self._index_covering(first, last)
        return timedelta(microseconds=index.worked_until(last) - index.worked_until(first))

    def working_times(self, start: datetime, moments: Iterable[datetime]) -> tuple[timedelta, ...]:
        """The opening hours from ``start`` to each of ``moments``, in one pass.

        The same as ``working_time(start, m)`` for each moment, with one index look-up each;
        no moment may be before ``start``.
        """
        first = epoch_us(start, "start")
        given = list(moments)
        points = [epoch_us(m, "moments") for m in given]
        for point, moment in zip(points, given, strict=True):
            if point < first:
                raise InvalidInputError(
                    f"moment {moment.isoformat()} is before start {start.isoformat()}"
                )
        index = self._index_covering(first, max(points, default=first))
        origin = index.worked_until(first)
        return tuple(timedelta(microseconds=index.worked_until(p) - origin) for p in points)

    # ------------------------------------------------------- legal day counting
    def _local_date(self, moment: datetime, name: str) -> date:
        if not isinstance(moment, datetime):
            raise InvalidInputError(
                f"{name} must be a timezone-aware datetime (the moment of the event), "
                f"got {type(moment).__name__}"
            )
        if moment.tzinfo is not self.zone and moment.utcoffset() is None:
            raise NaiveDatetimeError(name)
        return moment.astimezone(self.zone).date()

    def _end_of(self, day: date) -> datetime:
        """24:00 of a local date, returned as 00:00 of the next date."""
        following = day + _ONE_DAY
        return datetime(following.year, following.month, following.day, tzinfo=self.zone)

    def _next_working_day(self, day: date, *, include: bool) -> date:
        if include and self._spans_on(day):
            return day
        for _ in range(366 * _MAX_YEARS_WITHOUT_WORK):
            day += _ONE_DAY
            if self._spans_on(day):
                return day
        raise InvalidInputError(f"no working day within {_MAX_YEARS_WITHOUT_WORK} years of {day}")

    def _end_of_period(self, last_day: date, n: int) -> datetime:
        """24:00 of a period's last day, or of the next working day when it is not one."""
        if n > 0:
            last_day = self._next_working_day(last_day, include=True)
        return self._end_of(last_day)

    def add_working_days(self, event_at: datetime, n: int) -> datetime:
        """The end of a period of ``n`` working days after an event, counted as the law does.

        Civil Code 2015 Art. 147-148: the day of the event is not counted; counting starts the
        next day and counts only working days (days with opening hours, so an official worked
        Saturday counts and a holiday does not); the period ends at 24:00 of its last day, which
        is returned as 00:00 of the following date in the calendar's zone. ``n = 0`` gives the
        end of the event's own day.
        """
        day = self._local_date(event_at, "event_at")
        _require_count(n, "days")
        for _ in range(n):
            day = self._next_working_day(day, include=False)
        return self._end_of(day)

    def add_days(self, event_at: datetime, n: int) -> datetime:
        """The end of a period of ``n`` calendar days after an event, counted as the law does.

        Civil Code 2015 Art. 147-148: the day of the event is not counted; the period ends at
        24:00 of its ``n``-th day, returned as 00:00 of the following date; when that last day
        is not a working day (weekly rest day, holiday, official day off), the period ends at
        24:00 of the next working day. ``n = 0`` gives the end of the event's own day.
        """
        day = self._local_date(event_at, "event_at")
        _require_count(n, "days")
        return self._end_of_period(day + timedelta(days=n), n)

    def add_months(self, event_at: datetime, n: int) -> datetime:
        """The end of a period of ``n`` months after an event, counted as the law does.

        Civil Code 2015 Art. 147-148: the day of the event is not counted; the period ends on
        the corresponding day of its last month, or on that month's last day when it has none
        (31 January + 1 month: 28 February, or 29 in a leap year); when that day is not a
        working day, on the next working day. As :meth:`add_days`, the end is 24:00 of the last
        day, returned as 00:00 of the following date in the calendar's zone; ``n = 0`` gives
        the end of the event's own day.
        """
        day = self._local_date(event_at, "event_at")
        _require_count(n, "months")
        return self._end_of_period(day + relativedelta(months=n), n)

    def add_years(self, event_at: datetime, n: int) -> datetime:
        """The end of a period of ``n`` years after an event, counted as the law does.

        Civil Code 2015 Art. 147-148: the period ends on the same day and month of its last
        year (29 February + 1 year: 28 February), moved to the next working day when that day
        is not one, at 24:00, returned as 00:00 of the following date, as :meth:`add_months`.
        """
        day = self._local_date(event_at, "event_at")
        _require_count(n, "years")
        return self._end_of_period(day + relativedelta(years=n), n)


def _listed(fields: Mapping[str, Any], key: str, problems: list[str]) -> list[Any]:
    value = fields.get(key, [])
    if isinstance(value, list | tuple):
        return list(value)
    problems.append(f"{key} must be a list, got {type(value).__name__}")
    return []


def _iso_date(value: object, where: str, problems: list[str]) -> date | None:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    problems.append(f"{where}: {value!r} is not a date; write it as 'YYYY-MM-DD'")
    return None


def _days_off_from(entries: object, problems: list[str]) -> list[DayOff]:
    """Days off from data: ``{"from": ..., "to"?, "name"?, "name_vi"?, "note"?}`` each."""
    if not isinstance(entries, list | tuple):
        problems.append(f"days_off must be a list, got {type(entries).__name__}")
        return []
    offs: list[DayOff] = []
    for position, entry in enumerate(entries):
        where = f"days_off[{position}]"
        found: list[str] = []
        fields = check_keys(entry, ("from", "to", "name", "name_vi", "note"), ("from",), found)
        first = _iso_date(fields["from"], f"{where} 'from'", found) if "from" in fields else None
        last = _iso_date(fields["to"], f"{where} 'to'", found) if "to" in fields else first
        if first is not None and last is not None:
            if last < first:
                found.append(f"'to' {last} is before 'from' {first}")
            elif (last - first).days > 366:
                found.append(f"range {first}..{last} is longer than a year; check the dates")
            else:
                day = first
                while day <= last:
                    name, name_vi = str(fields.get("name", "")), str(fields.get("name_vi", ""))
                    offs.append(DayOff(day, name=name, name_vi=name_vi, kind="extra"))
                    day += _ONE_DAY
        problems.extend(p if p.startswith(where) else f"{where}: {p}" for p in found)
    return offs


def _working_days_from(entries: object, problems: list[str]) -> list[WorkingDay]:
    """Working days from data: ``{"date": ..., "hours"?, "name"?, "name_vi"?, "note"?}`` each."""
    if not isinstance(entries, list | tuple):
        problems.append(f"working_days must be a list, got {type(entries).__name__}")
        return []
    works: list[WorkingDay] = []
    allowed = ("date", "hours", "name", "name_vi", "note")
    for position, entry in enumerate(entries):
        where = f"working_days[{position}]"
        found: list[str] = []
        fields = check_keys(entry, allowed, ("date",), found)
        day = _iso_date(fields["date"], f"{where} 'date'", found) if "date" in fields else None
        if day is not None:
            try:
                works.append(
                    WorkingDay(
                        day,
                        fields.get("hours"),
                        name=str(fields.get("name", "")),
                        name_vi=str(fields.get("name_vi", "")),
                    )
                )
            except CalendarError as error:
                found.extend(error.problems)
        problems.extend(p if p.startswith(where) else f"{where}: {p}" for p in found)
    return works


def _require_count(n: int, unit: str) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise InvalidInputError(f"the number of {unit} must be an int, got {n!r}")
    if n < 0:
        raise InvalidInputError(f"the number of {unit} must not be negative, got {n}")


def _duration_us(value: timedelta, name: str) -> int:
    if not isinstance(value, timedelta):
        raise InvalidInputError(f"{name} must be a timedelta, got {value!r}")
    micro = (value.days * 86_400 + value.seconds) * US + value.microseconds
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
