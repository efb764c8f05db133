"""Explicit time: aware datetimes only, and an injectable clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from vss_care_core.errors import NaiveDatetimeError

__all__ = ["VIETNAM_TZ", "Clock", "require_aware", "system_clock"]

VIETNAM_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
"""The time zone of every VSS office (UTC+7, no daylight saving)."""

Clock = Callable[[], datetime]
"""A function that returns the current moment as an aware datetime."""


def require_aware(value: datetime, name: str) -> datetime:
    """Return ``value`` unchanged if it is timezone-aware; refuse a naive datetime.

    >>> require_aware(datetime(2026, 1, 5, 8, 0), "at")
    Traceback (most recent call last):
    ...
    vss_care_core.errors.NaiveDatetimeError: at must be timezone-aware (got a naive datetime); ...
    """
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise NaiveDatetimeError(name)
    return value


def system_clock() -> datetime:
    """The machine's clock, in UTC: the one place the library reads real time.

    Pass it (or a fake) as ``clock=`` where a component needs the current moment.
    """
    return datetime.now(UTC)  # clock-ok: the single, injectable clock
