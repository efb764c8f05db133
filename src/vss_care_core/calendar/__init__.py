"""Working calendars: opening hours, days off, working-time arithmetic and legal day counting.

:class:`WorkingCalendar` answers "is the office open?", "when is 16 working hours after this
moment?" and "when does a period of 5 working days, or of 3 months, end, as the law counts it?".
Its hours can change with the season (:class:`SeasonalHours`) and on the dates of a recurrence
rule, such as the first Saturday of each month (:class:`RecurringHours`).
:func:`vietnam_calendar` builds the calendar of Vietnamese state agencies (statutory holidays of
the Labour Code and the government's official days-off schedules, shipped as data).
"""

from vss_care_core.calendar._calendar import (
    ALWAYS_OPEN,
    DayOff,
    DayOffKind,
    HolidaySource,
    WorkingCalendar,
    WorkingDay,
)
from vss_care_core.calendar._hours import DayHours, HoursLike, Interval, IntervalLike, format_hours
from vss_care_core.calendar._rules import RecurringHours, SeasonalHours
from vss_care_core.calendar._vietnam import (
    STATE_AGENCY_HOURS,
    OfficialSchedule,
    load_official_schedule,
    statutory_days_off,
    vietnam_calendar,
)
from vss_care_core.calendar._week import WeeklyHoursLike

__all__ = [
    "ALWAYS_OPEN",
    "STATE_AGENCY_HOURS",
    "DayHours",
    "DayOff",
    "DayOffKind",
    "HolidaySource",
    "HoursLike",
    "Interval",
    "IntervalLike",
    "OfficialSchedule",
    "RecurringHours",
    "SeasonalHours",
    "WeeklyHoursLike",
    "WorkingCalendar",
    "WorkingDay",
    "format_hours",
    "load_official_schedule",
    "statutory_days_off",
    "vietnam_calendar",
]
