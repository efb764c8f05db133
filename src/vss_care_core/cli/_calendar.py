"""``vss-care calendar YEAR``: the year's days off and swapped working days."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from vss_care_core.calendar import DayOff, WorkingDay, vietnam_calendar
from vss_care_core.calendar._hours import format_hours

__all__ = ["register"]

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def register(subparsers: Any) -> None:
    """Add ``calendar``."""
    parser = subparsers.add_parser(
        "calendar",
        help="print a year's days off and swapped working days (Vietnamese state agencies)",
    )
    parser.add_argument("year", type=int, help="the year, e.g. 2026")
    parser.add_argument(
        "--lang",
        choices=("both", "vi", "en"),
        default="both",
        help="labels in Vietnamese, English or both (default: both)",
    )
    parser.add_argument(
        "--schedule",
        type=Path,
        default=None,
        help="a JSON file of official days-off schedules adding to or replacing the shipped years",
    )
    parser.add_argument(
        "--weekdays-only",
        action="store_true",
        help="leave out days off that fall on a weekend",
    )
    parser.set_defaults(handler=_calendar)


def _label(day: DayOff | WorkingDay, lang: str) -> str:
    if lang == "vi":
        return day.name_vi or day.name
    if lang == "en":
        return day.name or day.name_vi
    return day.label()


def _calendar(args: argparse.Namespace) -> int:
    calendar = vietnam_calendar(official_schedule=args.schedule)
    special = calendar.special_days(args.year)
    offs = [
        d
        for d in special
        if isinstance(d, DayOff) and not (args.weekdays_only and d.day.weekday() >= 5)
    ]
    works = [d for d in special if isinstance(d, WorkingDay)]
    print(f"Days off in {args.year} ({calendar.zone.key}):")
    for off in offs:
        print(f"  {off.day.isoformat()} {_WEEKDAYS[off.day.weekday()]}  {_label(off, args.lang)}")
    if not offs:
        print("  (none)")
    print(f"Working days swapped in {args.year}:")
    for work in works:
        hours = format_hours(calendar.hours_on(work.day))
        day = work.day
        print(f"  {day.isoformat()} {_WEEKDAYS[day.weekday()]}  {hours}  {_label(work, args.lang)}")
    if not works:
        print("  (none)")
    if not any(d.kind == "official" for d in special):
        print(
            f"No official schedule for {args.year} yet: statutory holidays only. "
            "Add the year's decision with --schedule FILE."
        )
    return 0
