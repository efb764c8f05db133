"""``vss-care calendar YEAR``: the year's days off and swapped working days."""

from __future__ import annotations

import argparse
from functools import cache
from pathlib import Path
from typing import Any

import holidays

from vss_care_core.calendar import DayHours, DayOff, WorkingDay, vietnam_calendar
from vss_care_core.cli._common import input_file, named
from vss_care_core.errors import CalendarError
from vss_care_core.inputs import load_json

__all__ = ["register"]

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@cache
def _known_years() -> range:
    """The years whose statutory holidays are known (from the ``holidays`` data for Vietnam)."""
    vietnam = holidays.country_holidays("VN")
    return range(int(vietnam.start_year), int(vietnam.end_year) + 1)


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year: write it as 2026") from None
    known = _known_years()
    if year not in known:
        message = (
            f"{year} is outside the years the calendar knows, {known.start} to {known.stop - 1}:"
            " give a year in that range"
        )
        raise argparse.ArgumentTypeError(message)
    return year


def register(subparsers: Any) -> None:
    """Add ``calendar``."""
    parser = subparsers.add_parser(
        "calendar",
        help="print a year's days off and swapped working days (Vietnamese state agencies)",
    )
    parser.add_argument("year", type=_year, help="the year, e.g. 2026")
    parser.add_argument(
        "--lang",
        choices=("both", "vi", "en"),
        default="both",
        help="labels in Vietnamese, English or both (default: both)",
    )
    parser.add_argument(
        "--schedule",
        type=input_file,
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


def _hours(hours: DayHours) -> str:
    """``08:00-12:00, 13:00-17:00``; an end at midnight shows as 24:00."""
    if not hours:
        return "closed"
    spans = []
    for start, end in hours:
        until = "24:00" if end.hour == 0 and end.minute == 0 else f"{end:%H:%M}"
        spans.append(f"{start:%H:%M}-{until}")
    return ", ".join(spans)


def _schedule(path: Path | None) -> Any:
    if path is None:
        return None
    return load_json(path, what='official days-off schedules, {"years": {...}}')


def _calendar(args: argparse.Namespace) -> int:
    try:
        calendar = vietnam_calendar(official_schedule=_schedule(args.schedule))
    except CalendarError as error:
        raise named(error, f"{args.schedule} (--schedule)") from None
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
        hours = _hours(calendar.hours_on(work.day))
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
