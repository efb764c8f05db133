"""Which unit holds a case, which calendar it keeps, and where its clock time went.

A case is handled by units in turn: the Customer Care Center first (the first line), then, after
an assignment or a transfer, a provincial office or a central department (the second line).
Each unit keeps its own hours (a provincial office opens at 7:30, a grassroots office opens
on the first Saturday morning of the month). :class:`UnitCalendars` says which calendar each
unit keeps and at which level it sits, so that:

- a clock counted in opening hours (``working_time``) runs, while a unit holds the case, on
  that unit's calendar;
- a policy can be selected by the unit that holds the case, or by its level;
- each timer tells how much of its clock time each unit used (:class:`UnitTime`).

Legal periods (``working_days``, ``calendar_days``, ``months``, ``years``) are counted as the
law counts them, on the case's calendar (the national state-agency calendar by default),
whoever holds the case: a unit's opening hours do not move a legal deadline.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from types import MappingProxyType
from typing import NamedTuple, Protocol, final

from vss_care_core.calendar import ALWAYS_OPEN, WorkingCalendar, vietnam_calendar
from vss_care_core.errors import SlaPolicyError
from vss_care_core.models import UnitLevel

__all__ = ["UnitCalendars", "UnitDirectory", "UnitInfo", "UnitTime", "standard_calendars"]


class UnitInfo(Protocol):
    """What the SLA clocks read of a unit: its level and the name of the calendar it keeps
    (a :class:`~vss_care_core.routing.OrgUnit` is one)."""

    @property
    def level(self) -> str:
        """The unit's level (a :class:`~vss_care_core.models.UnitLevel` value)."""
        ...

    @property
    def calendar(self) -> str | None:
        """The name of the calendar the unit keeps, or None for the case's calendar."""
        ...


class UnitDirectory(Protocol):
    """Where units are found by code, and listed (a :class:`~vss_care_core.routing.Directory`
    is one)."""

    def get(self, code: str, /) -> UnitInfo | None:
        """The unit with this code, or None."""
        ...

    def __iter__(self) -> Iterator[UnitInfo]:
        """Every unit."""
        ...


class UnitTime(NamedTuple):
    """The clock time one unit used on a target (None: before any unit was named)."""

    unit: str | None
    elapsed: timedelta


def standard_calendars() -> Mapping[str, WorkingCalendar]:
    """The calendars the shipped directory names: ``"vietnam-local"`` (the state-agency
    calendar, :func:`~vss_care_core.calendar.vietnam_calendar`) and ``"always-open"`` (the
    24/7 hotline, :data:`~vss_care_core.calendar.ALWAYS_OPEN`).

    >>> sorted(standard_calendars())
    ['always-open', 'vietnam-local']
    """
    return MappingProxyType({"vietnam-local": vietnam_calendar(), "always-open": ALWAYS_OPEN})


@final
@dataclass(frozen=True, slots=True)
class UnitCalendars:
    """The calendar each unit keeps and its level, read from a directory.

    ``calendars`` maps the calendar names that units give (:attr:`UnitInfo.calendar`) to
    calendars; by default :func:`standard_calendars`. A unit that names no calendar, and the
    time before any unit is named, count on the case's own calendar. A calendar name the
    directory uses and ``calendars`` lacks is refused at construction.

    >>> from vss_care_core.routing import vss_directory
    >>> units = UnitCalendars(vss_directory())
    >>> units.level_of("BHXH-HA-NOI"), units.level_of("NOT-A-UNIT")
    ('provincial', None)
    """

    directory: UnitDirectory
    calendars: Mapping[str, WorkingCalendar] = field(default_factory=standard_calendars)

    def __post_init__(self) -> None:
        object.__setattr__(self, "calendars", MappingProxyType(dict(self.calendars)))
        named = {unit.calendar for unit in self.directory if unit.calendar is not None}
        missing = sorted(named - set(self.calendars))
        if missing:
            given = ", ".join(sorted(self.calendars)) or "none"
            raise SlaPolicyError(
                "unit calendars",
                [
                    f"the directory names the calendar {name!r}, which is not given; add it to "
                    f"calendars= (given: {given})"
                    for name in missing
                ],
            )

    def level_of(self, unit: str | None) -> str | None:
        """The level of the unit ``unit``, or None when it is not in the directory."""
        if unit is None:
            return None
        found = self.directory.get(unit)
        return None if found is None else UnitLevel(found.level).value

    def calendar_of(self, unit: str | None, default: WorkingCalendar) -> WorkingCalendar:
        """The calendar of the unit ``unit``: its own, or ``default`` (the case's calendar)
        when it names none, is unknown to the directory, or is None."""
        if unit is None:
            return default
        found = self.directory.get(unit)
        if found is None or found.calendar is None:
            return default
        return self.calendars[found.calendar]  # every name is there: checked when built
