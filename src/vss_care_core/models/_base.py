"""The shared configuration of every model: frozen, strict about unknown fields, discreet."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict

__all__ = ["CareModel", "Moment", "new_id"]


_NO_OFFSET = timedelta(0)
_MAX_ZONES = 128
_ZONES: dict[timedelta, timezone] = {}
"""One zone object per offset seen (real offsets are few; odd ones past the cap are not kept)."""


def _standard_zone(moment: datetime) -> datetime:
    """The same instant and offset with a standard-library time zone.

    Parsed JSON times carry pydantic's own fixed-offset zone, whose Python-level methods make
    every comparison and subtraction several times slower than with :class:`datetime.timezone`.
    Each offset gets one shared zone object: two times with the same zone object compare and
    subtract without asking either zone for its offset (about 10 times faster).
    """
    zone = moment.tzinfo
    if isinstance(zone, ZoneInfo):
        return moment
    offset = moment.utcoffset() or _NO_OFFSET
    shared = _ZONES.get(offset)
    if shared is None:
        shared = timezone(offset) if offset else UTC
        if len(_ZONES) < _MAX_ZONES:
            _ZONES[offset] = shared
    if zone is shared:
        return moment
    return moment.replace(tzinfo=shared)


Moment = Annotated[AwareDatetime, AfterValidator(_standard_zone)]
"""A timezone-aware datetime; naive ones are refused. Parsed offsets use ``datetime.timezone``."""


def new_id() -> str:
    """A new random identifier (32 hexadecimal characters, 128 random bits)."""
    return os.urandom(16).hex()


class CareModel(BaseModel):
    """Base of the library's models: immutable, unknown fields refused.

    Validation errors never echo the input (``hide_input_in_errors``): inputs may be personal data.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        hide_input_in_errors=True,
        str_strip_whitespace=True,
        validate_default=False,
    )
