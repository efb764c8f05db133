"""The shared configuration of every model: frozen, strict about unknown fields, discreet."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timezone
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict

__all__ = ["CareModel", "Moment", "new_id"]


def _standard_zone(moment: datetime) -> datetime:
    """The same instant and offset with a standard-library time zone.

    Parsed JSON times carry pydantic's own fixed-offset zone, whose Python-level methods make
    every comparison and subtraction several times slower than with :class:`datetime.timezone`.
    """
    zone = moment.tzinfo
    if type(zone) is timezone or isinstance(zone, ZoneInfo):
        return moment
    return moment.replace(tzinfo=timezone(moment.utcoffset() or UTC.utcoffset(None)))


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
