"""The shared configuration of every model: frozen, strict about unknown fields, discreet."""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from functools import partial
from typing import Annotated, Any, Literal, Self, TypeVar, get_args
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError
from pydantic_core.core_schema import ErrorType

from vss_care_core.models._time import check_moment

__all__ = ["HIDDEN_INPUT", "CareModel", "Moment", "discreet_error", "discreetly", "new_id"]

_T = TypeVar("_T")

HIDDEN_INPUT = "<hidden>"
"""What the ``input`` of every validation error raised by the library's models holds."""

_KNOWN_ERROR_TYPES = frozenset(get_args(ErrorType))
_INPUT_IN_CONTEXT = ("tag",)
"""Context entries of pydantic errors that repeat part of the input (a union's tag)."""

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


Moment = Annotated[AwareDatetime, AfterValidator(_standard_zone), AfterValidator(check_moment)]
"""A timezone-aware datetime from 1990-01-01 to 2200-01-01 (UTC); naive ones are refused.

Parsed offsets use ``datetime.timezone``.
"""


_ID_BITS = random.Random(os.urandom(32))  # noqa: S311 - unique, not secret (see below)
"""Where identifiers are drawn: seeded from the operating system, again in every forked child.

Twice as cheap as asking the operating system for every identifier (0.23 against 0.44 µs), which
a move does once. Identifiers are unique, not secret: nothing is protected by guessing one."""


def _reseed_ids() -> None:
    _ID_BITS.seed(os.urandom(32))


os.register_at_fork(after_in_child=_reseed_ids)


def new_id() -> str:
    """A new random identifier (32 hexadecimal characters, 128 random bits).

    The bits come from a generator seeded by the operating system, and seeded again in every
    forked process, so that threads, forked workers and separate machines never share a
    sequence.
    """
    return _ID_BITS.randbytes(16).hex()


def discreet_error(
    error: ValidationError, *, input_type: Literal["python", "json"] = "python"
) -> ValidationError:
    """The same validation error without the input: ``errors()`` and ``json()`` show
    :data:`HIDDEN_INPUT` where pydantic puts the value given, and a union's tag is hidden too.

    Types, locations, messages and contexts are kept, so callers that read ``errors()`` still
    learn what was wrong and where.
    """
    details: list[InitErrorDetails] = []
    for item in error.errors(include_url=False):
        context: Mapping[str, Any] | None = item.get("ctx")
        if context is not None and any(key in context for key in _INPUT_IN_CONTEXT):
            context = {k: ("…" if k in _INPUT_IN_CONTEXT else v) for k, v in context.items()}
        kind = item["type"]
        detail: InitErrorDetails = {
            "type": kind if kind in _KNOWN_ERROR_TYPES else PydanticCustomError(kind, item["msg"]),
            "loc": item["loc"],
            "input": HIDDEN_INPUT,
        }
        if context is not None and kind in _KNOWN_ERROR_TYPES:
            detail["ctx"] = dict(context)
        details.append(detail)
    return ValidationError.from_exception_data(
        error.title, details, input_type=input_type, hide_input=True
    )


def discreetly(
    validate: Callable[[], _T], *, input_type: Literal["python", "json"] = "python"
) -> _T:
    """Run ``validate`` and raise its validation error, if any, as :func:`discreet_error`.

    The error is raised outside the handler, so that it does not carry the original error (and
    its input) as its ``__context__``.
    """
    try:
        return validate()
    except ValidationError as error:
        discreet = discreet_error(error, input_type=input_type)
    raise discreet


class CareModel(BaseModel):
    """Base of the library's models: immutable, unknown fields refused, discreet.

    Validation errors never echo the input, inputs may be personal data: neither their message
    (``hide_input_in_errors``) nor ``errors()`` and ``json()``, whose ``input`` is
    :data:`HIDDEN_INPUT`.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        hide_input_in_errors=True,
        str_strip_whitespace=True,
        validate_default=False,
    )

    def __init__(self, /, **data: Any) -> None:
        discreetly(partial(super().__init__, **data))

    # This __init__ validates exactly as BaseModel's does: the marker (the one pydantic's own
    # RootModel sets) keeps pydantic validating nested models in its core instead of calling
    # __init__ for each of them, which made reading an inquiry twice as slow (24 -> 46 us).
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def model_validate(cls, obj: Any, **options: Any) -> Self:
        """Validate ``obj`` (a mapping or an instance) into a model; errors hide the input."""
        return discreetly(partial(super().model_validate, obj, **options))

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, **options: Any) -> Self:
        """Validate a JSON document into a model; errors hide the input."""
        return discreetly(
            partial(super().model_validate_json, json_data, **options), input_type="json"
        )

    @classmethod
    def model_validate_strings(cls, obj: Any, **options: Any) -> Self:
        """Validate a mapping of texts into a model; errors hide the input."""
        return discreetly(partial(super().model_validate_strings, obj, **options))

    def __setattr__(self, name: str, value: Any) -> None:
        discreetly(partial(super().__setattr__, name, value))

    def __delattr__(self, name: str) -> None:
        discreetly(partial(super().__delattr__, name))
