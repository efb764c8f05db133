"""Explicit time: aware datetimes only, in a sane range; the zone of every VSS office."""

from __future__ import annotations

from datetime import UTC, date, datetime, timezone
from zoneinfo import ZoneInfo

from vss_care_core.errors import InvalidInputError, NaiveDatetimeError

__all__ = ["EARLIEST_MOMENT", "LATEST_MOMENT", "VIETNAM_TZ", "check_moment", "require_aware"]

VIETNAM_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
"""The time zone of every VSS office (UTC+7, no daylight saving)."""

EARLIEST_MOMENT = datetime(1990, 1, 1, tzinfo=UTC)
"""The earliest moment accepted (included): 1 January 1990, 00:00 UTC."""

LATEST_MOMENT = datetime(2200, 1, 1, tzinfo=UTC)
"""The end of the moments accepted (excluded): 1 January 2200, 00:00 UTC."""

_EXAMPLES = (
    "datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo('Asia/Ho_Chi_Minh')), "
    "or datetime.fromisoformat('2026-03-02T10:00+07:00') for a text"
)


def _given(value: object) -> str:
    """What was given instead of a datetime, in the user's words (never the value)."""
    if value is None:
        return "None"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, bool):
        return "True or False"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, date):
        return "a date without a time of day"
    return f"a {type(value).__name__}"


_ALWAYS_AWARE = (timezone, ZoneInfo)
"""The zones that give every moment an offset: a datetime with one of them is aware without
asking the zone (the question was half the cost of :func:`require_aware`, which runs on every
move and every event read)."""

_INNER_YEARS = range(EARLIEST_MOMENT.year + 1, LATEST_MOMENT.year - 1)
"""The years (1991 to 2198) whose moments are inside the range whatever their offset."""


def out_of_range(value: datetime) -> str | None:
    """Where an aware ``value`` lies when it is outside the accepted range, else None."""
    if value.year in _INNER_YEARS:
        return None
    if value < EARLIEST_MOMENT:
        return "before 1990-01-01 (UTC)"
    if value >= LATEST_MOMENT:
        return "on or after 2200-01-01 (UTC)"
    return None


RANGE_HINT = (
    "moments from 1990-01-01 (included) to 2200-01-01 (excluded), UTC, are accepted; check the year"
)
"""How to fix a moment out of range, for the messages that refuse one."""


def check_moment(value: datetime) -> datetime:
    """Return an aware ``value`` unchanged if it lies in the accepted range; refuse it otherwise.

    The range runs from :data:`EARLIEST_MOMENT` (included) to :data:`LATEST_MOMENT`
    (excluded): a moment outside it is a typing error (a year 20026, a date of birth given as
    the time of a move), not a moment of customer care.
    """
    where = out_of_range(value)
    if where is not None:
        raise InvalidInputError(f"the moment is {where}: {RANGE_HINT}")
    return value


def require_aware(value: object, name: str) -> datetime:
    """Return ``value`` unchanged if it is an aware datetime in the accepted range.

    A value that is not a datetime (a text, a number, a date, None) is refused with
    :class:`~vss_care_core.errors.InvalidInputError`, a naive datetime with
    :class:`~vss_care_core.errors.NaiveDatetimeError`, a moment before 1990-01-01 or from
    2200-01-01 (UTC) with :class:`~vss_care_core.errors.InvalidInputError`. ``name`` is the
    argument's name, used in the message.

    >>> require_aware(datetime(2026, 1, 5, 8, 0, tzinfo=VIETNAM_TZ), "at").isoformat()
    '2026-01-05T08:00:00+07:00'
    >>> require_aware(datetime(2026, 1, 5, 8, 0), "at")
    Traceback (most recent call last):
    ...
    vss_care_core.errors.NaiveDatetimeError: at must be timezone-aware (got a naive datetime); ...
    >>> require_aware("2026-03-02T10:00+07:00", "at")
    Traceback (most recent call last):
    ...
    vss_care_core.errors.InvalidInputError: at must be an aware datetime (got a text); give ...
    """
    if not isinstance(value, datetime):
        raise InvalidInputError(
            f"{name} must be an aware datetime (got {_given(value)}); give {_EXAMPLES}"
        )
    if type(value.tzinfo) not in _ALWAYS_AWARE and value.utcoffset() is None:
        raise NaiveDatetimeError(name)  # no zone, or a zone that gives no offset
    if value.year in _INNER_YEARS:  # nearly every moment: in range whatever its offset
        return value
    where = out_of_range(value)
    if where is not None:
        raise InvalidInputError(f"{name} is {where}: {RANGE_HINT}")
    return value
