"""Weekly hours: weekday names, weekday ranges and the seven days of a week.

A weekday is named by its number (0 = Monday .. 6 = Sunday), its English name or its
three-letter abbreviation, in any case: ``"tuesday"``, ``"Tue"``, ``"TUE"``. A range joins two
names with a hyphen and covers both ends: ``"tue-fri"``, ``"Tuesday-Friday"``, ``"sat-sun"``. A
range runs forwards within one week, Monday to Sunday: ``"fri-mon"`` is refused (write
``"fri-sun"`` and ``"mon"``), so that a reversed range typed by mistake never opens a weekend.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from difflib import SequenceMatcher, get_close_matches
from typing import TypeAlias

from vss_care_core.calendar._hours import HoursLike, Spans, parse_hours

__all__ = ["WEEKDAY_NAMES", "WeeklyHoursLike", "parse_weekly", "weekdays_of"]

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
"""The full English names, Monday first (index = ``date.weekday()``)."""

_SHORT_NAMES = tuple(name[:3] for name in WEEKDAY_NAMES)
_NUMBER_OF = {
    **{name: number for number, name in enumerate(WEEKDAY_NAMES)},
    **{short: number for number, short in enumerate(_SHORT_NAMES)},
}
_HOW = "use 0-6 (0 = Monday), a name such as 'tue' or 'tuesday', or a range such as 'tue-fri'"

WeeklyHoursLike: TypeAlias = "Mapping[int | str, HoursLike] | Sequence[HoursLike]"
"""Weekly hours: seven entries Monday..Sunday, or a mapping from weekday (0 = Monday; a full or
three-letter English name in any case, ``"tue"`` or ``"Tuesday"``; or a range of them within one
week, ``"mon-fri"``, ``"tuesday-friday"``) to that day's hours; missing days are closed."""


def _name_number(name: str, key: object, problems: list[str]) -> int | None:
    """The weekday number of one name; an unknown name goes to ``problems`` with close matches."""
    number = _NUMBER_OF.get(name)
    if number is not None:
        return number
    close = get_close_matches(name, list(_NUMBER_OF), n=3, cutoff=0.6)
    if close:  # only the names about as close as the closest one
        best = SequenceMatcher(None, name, close[0]).ratio()
        close = [c for c in close if SequenceMatcher(None, name, c).ratio() >= best - 0.1]
    hint = "did you mean " + " or ".join(repr(c) for c in close) + "? " if close else ""
    shown = f"{name!r} in {key!r}" if name != key else repr(key)
    problems.append(f"weekday {shown} is not a weekday; {hint}{_HOW}")
    return None


def weekdays_of(key: int | str, problems: list[str]) -> list[int]:
    """The weekday numbers a key of weekly hours names, Monday = 0; problems go to ``problems``."""
    if isinstance(key, int) and not isinstance(key, bool):
        if 0 <= key <= 6:
            return [key]
        problems.append(f"weekday {key} is not between 0 (Monday) and 6 (Sunday)")
        return []
    if not isinstance(key, str):
        problems.append(f"weekday {key!r} is not a weekday; {_HOW}")
        return []
    text = key.strip().lower().replace("–", "-")
    if "-" not in text:
        number = _name_number(text, key, problems)
        return [] if number is None else [number]
    first_name, _, last_name = (part.strip() for part in text.partition("-"))
    first = _name_number(first_name, key, problems)
    last = _name_number(last_name, key, problems)
    if first is not None and last is not None and first > last:
        to_sunday = "sun" if first == 6 else f"{_SHORT_NAMES[first]}-sun"
        from_monday = "mon" if last == 0 else f"mon-{_SHORT_NAMES[last]}"
        problems.append(
            f"weekday range {key!r} runs backwards (a range goes from Monday towards Sunday); "
            f"write '{_SHORT_NAMES[last]}-{_SHORT_NAMES[first]}' if you meant those days, or "
            f"split a range over the weekend in two keys: '{to_sunday}' and '{from_monday}'"
        )
    if first is None or last is None or first > last:
        return []
    return list(range(first, last + 1))


def parse_weekly(weekly: object, where: str, problems: list[str]) -> tuple[Spans, ...]:
    """Check weekly hours and return seven days of spans, Monday first.

    ``where`` says where they are (``""`` for a calendar's own weekly hours,
    ``"weekly_hours"`` for a season's); it prefixes every problem appended to ``problems``.
    """
    prefix = f"{where}: " if where else ""
    days: list[Spans] = [()] * 7
    if isinstance(weekly, Mapping):
        given_by: dict[int, object] = {}
        for key, hours in weekly.items():
            spans = parse_hours(hours, f"{prefix}hours of {key}", problems)
            key_problems: list[str] = []
            numbers = weekdays_of(key, key_problems)
            problems.extend(prefix + problem for problem in key_problems)
            for number in numbers:
                if number in given_by:
                    problems.append(
                        f"{prefix}{WEEKDAY_NAMES[number]} is given more than once in the weekly "
                        f"hours ({given_by[number]!r} and {key!r}); give each day once"
                    )
                given_by[number] = key
                days[number] = spans
        return tuple(days)
    if isinstance(weekly, str) or not isinstance(weekly, Iterable):
        problems.append(
            f"{prefix}weekly hours must be a mapping such as {{'mon-fri': '08:00-17:00'}} or "
            f"seven entries (Monday..Sunday), not a {type(weekly).__name__}"
        )
        return tuple(days)
    entries = list(weekly)
    if len(entries) != 7:
        problems.append(f"{prefix}weekly hours need 7 entries (Monday..Sunday), got {len(entries)}")
    for number, hours in enumerate(entries[:7]):
        days[number] = parse_hours(hours, f"{prefix}hours of {WEEKDAY_NAMES[number]}", problems)
    return tuple(days)
