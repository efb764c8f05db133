"""Explicit time: aware datetimes only, in a sane range; the zone of every VSS office."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from vss_care_core.errors import NaiveDatetimeError

__all__ = ["VIETNAM_TZ", "require_aware"]

VIETNAM_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
"""The time zone of every VSS office (UTC+7, no daylight saving)."""


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
