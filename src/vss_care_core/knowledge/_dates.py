"""The day a question is about: a date, or an aware moment read in Vietnam's time zone."""

from __future__ import annotations

from datetime import date, datetime

from vss_care_core.errors import InvalidInputError
from vss_care_core.models import VIETNAM_TZ, require_aware

__all__ = ["as_day", "english_date", "vietnamese_date"]

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def as_day(value: object, name: str) -> date:
    """The day ``value`` stands for.

    A ``date`` is taken as it is. An aware ``datetime`` is read on the Vietnamese calendar
    (Asia/Ho_Chi_Minh): a law in force "from 1 July 2025" is in force from 00:00 that day in
    Vietnam, wherever the server runs. A naive ``datetime`` is refused
    (:class:`~vss_care_core.errors.NaiveDatetimeError`), as is anything else.

    >>> from datetime import timezone
    >>> as_day(datetime(2025, 6, 30, 18, 0, tzinfo=timezone.utc), "at")
    datetime.date(2025, 7, 1)
    """
    if isinstance(value, datetime):
        return require_aware(value, name).astimezone(VIETNAM_TZ).date()
    if isinstance(value, date):
        return value
    raise InvalidInputError(
        f"{name} must be a date or an aware datetime (got a {type(value).__name__}); give e.g. "
        "date(2026, 3, 2) or datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo('Asia/Ho_Chi_Minh'))"
    )


def english_date(day: date) -> str:
    """``1 July 2025``.

    >>> english_date(date(2025, 7, 1))
    '1 July 2025'
    """
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def vietnamese_date(day: date) -> str:
    """``ngày 01/07/2025``.

    >>> vietnamese_date(date(2025, 7, 1))
    'ngày 01/07/2025'
    """
    return f"ngày {day.day:02d}/{day.month:02d}/{day.year}"
