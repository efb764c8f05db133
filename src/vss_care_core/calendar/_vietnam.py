"""The calendar of Vietnamese state agencies: statutory holidays and official days-off schedules."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any, final

import holidays
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from vss_care_core.calendar._calendar import DayOff, WorkingCalendar, WorkingDay
from vss_care_core.calendar._hours import DayHours, HoursLike, Span, from_seconds, parse_hours
from vss_care_core.calendar._rules import RecurringHours, SeasonalHours
from vss_care_core.errors import CalendarError
from vss_care_core.models import VIETNAM_TZ

__all__ = [
    "STATE_AGENCY_HOURS",
    "OfficialSchedule",
    "load_official_schedule",
    "statutory_days_off",
    "vietnam_calendar",
]

STATE_AGENCY_HOURS: DayHours = from_seconds((Span(8 * 3600, 12 * 3600), Span(13 * 3600, 17 * 3600)))
"""8:00-12:00 and 13:00-17:00, the hours of central state agencies (Decision 188/1999/QĐ-TTg sets
the 40-hour week; local offices vary: pass their hours to :func:`vietnam_calendar`)."""

_DATA_FILE = "vn_official_days_off.json"
_CULTURE_DAY = (11, 24)


# ----------------------------------------------------------------- statutory holidays
@lru_cache(maxsize=256)
def _statutory(year: int, culture_day: bool) -> tuple[DayOff, ...]:
    english = holidays.country_holidays("VN", years=year, language="en_US")
    vietnamese = holidays.country_holidays("VN", years=year, language="vi")
    result = []
    for day in sorted(english):
        name_en = str(english.get(day, ""))
        # Days swapped by a yearly decision belong to the official schedule (data), not here.
        if "substituted" in name_en.lower():
            continue
        if not culture_day and "cultur" in name_en.lower():
            continue
        kind = "compensatory" if "observed" in name_en.lower() else "statutory"
        result.append(
            DayOff(day, name=name_en, name_vi=str(vietnamese.get(day, "")), kind=kind)  # type: ignore[arg-type]
        )
    return tuple(result)


def statutory_days_off(year: int, *, culture_day: bool = True) -> tuple[DayOff, ...]:
    """The statutory holidays of a year in Vietnam, with compensatory days.

    Labour Code 2019 Art. 112 (1 January; Tết, 5 days; Hùng Kings, 10/3 lunar; 30 April; 1 May;
    2 September and the day before or after), a holiday falling on a weekly rest day compensated
    on the next working day (Art. 111(3)), and Vietnam Culture Day, 24 November, from 2026
    (``culture_day=False`` leaves it out). Lunar dates come from the ``holidays`` package, which
    uses the Vietnamese (UTC+7) lunar calendar. Days swapped by a yearly government decision are
    not included: they are in the official schedule (:func:`load_official_schedule`).

    >>> [d.day.isoformat() for d in statutory_days_off(2026) if d.day.month == 4]
    ['2026-04-26', '2026-04-27', '2026-04-30']
    """
    return _statutory(year, culture_day)


@final
@dataclass(frozen=True, slots=True)
class _VietnamStatutory:
    """The holiday source of :func:`vietnam_calendar`: a value, so equal calendars compare equal."""

    culture_day: bool = True

    def __call__(self, year: int) -> tuple[DayOff, ...]:
        return _statutory(year, self.culture_day)


# ------------------------------------------------------------------ official schedule
class _DayOffEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    first: date = Field(alias="from")
    last: date | None = Field(default=None, alias="to")
    name: str = ""
    name_vi: str = ""
    note: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> _DayOffEntry:
        if self.last is not None and self.last < self.first:
            msg = f"'to' {self.last} is before 'from' {self.first}"
            raise ValueError(msg)
        if self.last is not None and (self.last - self.first).days > 31:
            msg = f"range {self.first}..{self.last} is longer than a month; check the dates"
            raise ValueError(msg)
        return self


class _WorkingDayEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    date: date
    hours: str | None = None
    name: str = ""
    name_vi: str = ""
    note: str = ""


class _YearEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str = ""
    days_off: list[_DayOffEntry] = []
    working_days: list[_WorkingDayEntry] = []


class _ScheduleFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    description: str = ""
    years: dict[int, _YearEntry]


@final
@dataclass(frozen=True, slots=True)
class OfficialSchedule:
    """Official days-off schedules, year by year: days off and Saturdays worked in exchange.

    Load one with :func:`load_official_schedule`; combine with :meth:`updated_with`.
    """

    days_off: tuple[DayOff, ...]
    """Every official day off, sorted (weekend days of a holiday period included, for display)."""
    working_days: tuple[WorkingDay, ...]
    """Days worked in exchange (e.g. Saturday 10 January 2026), sorted."""
    sources: tuple[tuple[int, str], ...]
    """``(year, source)`` for each year covered: the decision the data comes from."""

    @property
    def years(self) -> tuple[int, ...]:
        """The years this schedule covers."""
        return tuple(year for year, _ in self.sources)

    def updated_with(self, other: OfficialSchedule) -> OfficialSchedule:
        """A schedule where each year covered by ``other`` replaces the same year of this one."""
        replaced = set(other.years)
        days_off = [d for d in self.days_off if d.day.year not in replaced]
        working = [w for w in self.working_days if w.day.year not in replaced]
        sources = [(year, source) for year, source in self.sources if year not in replaced]
        return OfficialSchedule(
            days_off=tuple(sorted([*days_off, *other.days_off])),
            working_days=tuple(sorted([*working, *other.working_days], key=lambda w: w.day)),
            sources=tuple(sorted([*sources, *other.sources])),
        )


def _problems_of(error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"])
        problems.append(f"{where}: {item['msg']}")
    return problems


def _convert(data: _ScheduleFile, what: str) -> OfficialSchedule:
    problems: list[str] = []
    days_off: dict[date, DayOff] = {}
    working: dict[date, WorkingDay] = {}
    sources = []
    for year, entry in sorted(data.years.items()):
        sources.append((year, entry.source))
        for off in entry.days_off:
            last = off.last or off.first
            day = off.first
            while day <= last:
                if day.year != year:
                    problems.append(f"years.{year}: day off {day} is not in {year}")
                elif day in days_off:
                    problems.append(f"years.{year}: day off {day} is listed twice")
                days_off[day] = DayOff(day, name=off.name, name_vi=off.name_vi, kind="official")
                day += timedelta(days=1)
        for work in entry.working_days:
            if work.date.year != year:
                problems.append(f"years.{year}: working day {work.date} is not in {year}")
            if work.date in working:
                problems.append(f"years.{year}: working day {work.date} is listed twice")
            if work.date in days_off:
                problems.append(f"years.{year}: {work.date} is both a day off and a working day")
            if work.hours is not None:
                parse_hours(work.hours, f"years.{year}: hours of {work.date}", problems)
            if problems:
                continue
            working[work.date] = WorkingDay(
                work.date, work.hours, name=work.name, name_vi=work.name_vi, kind="official"
            )
    if problems:
        raise CalendarError(what, problems)
    return OfficialSchedule(
        days_off=tuple(days_off[d] for d in sorted(days_off)),
        working_days=tuple(working[d] for d in sorted(working)),
        sources=tuple(sources),
    )


@lru_cache(maxsize=1)
def _shipped() -> OfficialSchedule:
    text = resources.files("vss_care_core.calendar").joinpath("data", _DATA_FILE).read_text("utf-8")
    return _parse(json.loads(text), "the shipped official schedule")


def _parse(raw: object, what: str) -> OfficialSchedule:
    try:
        data = _ScheduleFile.model_validate(raw)
    except ValidationError as exc:
        raise CalendarError(what, _problems_of(exc)) from None
    return _convert(data, what)


def load_official_schedule(
    source: str | PathLike[str] | Mapping[str, Any] | None = None,
    *,
    include_shipped: bool = True,
) -> OfficialSchedule:
    """Load official days-off schedules: the shipped ones (2025, 2026) and/or your own.

    ``source`` is a JSON file or an already parsed mapping in the shipped format::

        {"years": {"2027": {"source": "Decision ...",
                            "days_off": [{"from": "2027-02-04", "to": "2027-02-10",
                                          "name": "Lunar New Year", "name_vi": "Tết"}],
                            "working_days": [{"date": "2027-02-20"}]}}}

    A year in ``source`` replaces the same year of the shipped data (so a correction needs no
    release). A working day without ``hours`` works the regular weekday hours. Every problem is
    reported at once in a :class:`~vss_care_core.errors.CalendarError`.

    >>> load_official_schedule().years
    (2025, 2026)
    """
    shipped = _shipped() if include_shipped else OfficialSchedule((), (), ())
    if source is None:
        return shipped
    if isinstance(source, Mapping):
        mine = _parse(source, "official schedule")
    else:
        path = Path(source)
        try:
            raw = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise CalendarError(f"official schedule {path.name!r}", [str(exc)]) from None
        mine = _parse(raw, f"official schedule {path.name!r}")
    return shipped.updated_with(mine)


# ------------------------------------------------------------------------ the calendar
@lru_cache(maxsize=1)
def _default_calendar() -> WorkingCalendar:
    return _make(
        hours=STATE_AGENCY_HOURS,
        saturday_morning=False,
        statutory_holidays=True,
        culture_day=True,
        official_days_off=True,
        official_schedule=None,
        extra_days_off=(),
        extra_working_days=(),
        seasonal_hours=(),
        recurring_hours=(),
        name="vietnam",
    )


def vietnam_calendar(
    *,
    hours: HoursLike = STATE_AGENCY_HOURS,
    saturday_morning: bool | HoursLike = False,
    statutory_holidays: bool = True,
    culture_day: bool = True,
    official_days_off: bool = True,
    official_schedule: OfficialSchedule | str | PathLike[str] | Mapping[str, Any] | None = None,
    extra_days_off: Iterable[date | DayOff] = (),
    extra_working_days: Iterable[date | WorkingDay] = (),
    seasonal_hours: Iterable[SeasonalHours | Mapping[str, Any]] = (),
    recurring_hours: Iterable[RecurringHours | Mapping[str, Any]] = (),
    name: str = "vietnam",
) -> WorkingCalendar:
    """The working calendar of a Vietnamese state agency (Asia/Ho_Chi_Minh).

    - ``hours``: Monday-Friday hours, by default :data:`STATE_AGENCY_HOURS` (8:00-12:00,
      13:00-17:00); local offices pass theirs, e.g. ``"07:30-11:30, 13:30-17:00"``.
    - ``saturday_morning``: ``True`` opens on Saturdays during the first interval of ``hours``;
      or give the Saturday hours themselves (``"08:00-11:30"``). Saturdays then count as
      working days in the legal day counts too, since they have opening hours.
    - ``statutory_holidays``: the Labour Code holidays of every year (:func:`statutory_days_off`);
      ``culture_day=False`` leaves out 24 November.
    - ``official_days_off``: the government's yearly days-off schedules (shipped for 2025 and
      2026; ``official_schedule`` adds or replaces years, see :func:`load_official_schedule`).
      An official worked Saturday is a working day with the weekday hours.
    - ``extra_days_off`` / ``extra_working_days``: local closures and worked days; they win over
      the official data for their dates.
    - ``seasonal_hours`` / ``recurring_hours``: a local office's winter hours or first-Saturday
      mornings (:class:`SeasonalHours`, :class:`RecurringHours`, or the same as data); holidays
      and official days off close the office on those dates too, and an official worked
      Saturday works the Monday hours of its season.

    With the defaults the same calendar object is returned every time (its working-time index is
    built once).

    >>> cal = vietnam_calendar()
    >>> cal.is_working_day(date(2026, 1, 10)), cal.is_working_day(date(2026, 2, 16))
    (True, False)
    """
    if (
        hours == STATE_AGENCY_HOURS
        and saturday_morning is False
        and statutory_holidays
        and culture_day
        and official_days_off
        and official_schedule is None
        and extra_days_off == ()
        and extra_working_days == ()
        and seasonal_hours == ()
        and recurring_hours == ()
        and name == "vietnam"
    ):
        return _default_calendar()
    return _make(
        hours=hours,
        saturday_morning=saturday_morning,
        statutory_holidays=statutory_holidays,
        culture_day=culture_day,
        official_days_off=official_days_off,
        official_schedule=official_schedule,
        extra_days_off=tuple(extra_days_off),
        extra_working_days=tuple(extra_working_days),
        seasonal_hours=tuple(seasonal_hours),
        recurring_hours=tuple(recurring_hours),
        name=name,
    )


def _make(
    *,
    hours: HoursLike,
    saturday_morning: bool | HoursLike,
    statutory_holidays: bool,
    culture_day: bool,
    official_days_off: bool,
    official_schedule: OfficialSchedule | str | PathLike[str] | Mapping[str, Any] | None,
    extra_days_off: tuple[date | DayOff, ...],
    extra_working_days: tuple[date | WorkingDay, ...],
    seasonal_hours: tuple[SeasonalHours | Mapping[str, Any], ...],
    recurring_hours: tuple[RecurringHours | Mapping[str, Any], ...],
    name: str,
) -> WorkingCalendar:
    problems: list[str] = []
    weekday = parse_hours(hours, "hours", problems)
    saturday: HoursLike = ()
    if saturday_morning is True:
        saturday = from_seconds(weekday[:1])
    elif saturday_morning is not False:
        saturday = saturday_morning
    if problems:
        raise CalendarError(f"working calendar {name!r}", problems)
    days_off: dict[date, DayOff] = {}
    working: dict[date, WorkingDay] = {}
    if official_days_off:
        if isinstance(official_schedule, OfficialSchedule):
            schedule = _shipped().updated_with(official_schedule)
        else:
            schedule = load_official_schedule(official_schedule)
        days_off.update((d.day, d) for d in schedule.days_off)
        working.update((w.day, w) for w in schedule.working_days)
    for extra in extra_days_off:
        off = extra if isinstance(extra, DayOff) else DayOff(extra, name="Day off", kind="extra")
        days_off[off.day] = off
        working.pop(off.day, None)
    for extra_work in extra_working_days:
        work = extra_work if isinstance(extra_work, WorkingDay) else WorkingDay(extra_work)
        working[work.day] = work
        days_off.pop(work.day, None)
    return WorkingCalendar(
        zone=VIETNAM_TZ,
        weekly_hours={"mon-fri": from_seconds(weekday), "sat": saturday},
        days_off=days_off.values(),
        working_days=working.values(),
        seasonal_hours=seasonal_hours,
        recurring_hours=recurring_hours,
        holiday_source=_VietnamStatutory(culture_day) if statutory_holidays else None,
        name=name,
    )
