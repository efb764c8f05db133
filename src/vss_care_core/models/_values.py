"""What an event may carry: the one set of rules for ``by``, the event id and the data.

The same rules apply when a move is made (the process layer calls :func:`check_event_values`)
and when an event is read (``Event(...)``, ``Event.model_validate``, ``model_validate_json``,
the event log): what is accepted can always be written as JSON and read back equal.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from typing import Literal, TypeAlias, overload

from pydantic import BaseModel, JsonValue
from pydantic_core import to_json

from vss_care_core.errors import InvalidInputError, NaiveDatetimeError
from vss_care_core.models._time import RANGE_HINT, out_of_range

__all__ = [
    "MAX_BY_LENGTH",
    "MAX_DATA_BYTES",
    "MAX_DATA_DEPTH",
    "MAX_DATA_INTEGER",
    "MAX_EVENT_ID_LENGTH",
    "MIN_DATA_INTEGER",
    "check_by",
    "check_event_id",
    "check_event_values",
    "checked_data",
]

MAX_BY_LENGTH = 100
"""The longest ``by`` (who acts), in characters."""
MAX_EVENT_ID_LENGTH = 64
"""The longest event id, in characters."""
MAX_DATA_DEPTH = 32
"""How deep an event's data may nest mappings and lists (the data mapping itself is level 1)."""
MAX_DATA_BYTES = 64 * 1024
"""The largest an event's data may be, written as compact JSON in UTF-8 (64 KiB)."""
MIN_DATA_INTEGER = -(2**63)
"""The smallest whole number an event's data may hold (64-bit signed range)."""
MAX_DATA_INTEGER = 2**63 - 1
"""The largest whole number an event's data may hold (64-bit signed range)."""

_Path: TypeAlias = list[str | int]
_SHOWN_KEY = 40


class _Refusal(Exception):  # noqa: N818 - internal signal, never raised to users
    """A value inside the data is refused; the path to it is filled in while unwinding."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.path: _Path = []


class _NaiveMoment(_Refusal):
    """A naive datetime in a move's data: refused as a
    :class:`~vss_care_core.errors.NaiveDatetimeError` naming where it is."""


def _described(value: object) -> str:  # noqa: PLR0911 - one return per kind of value
    """What a value is, in the user's words, never the value itself."""
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "True or False"
    if isinstance(value, str):
        if not value:
            return "an empty text"
        return "a text of 1 character" if len(value) == 1 else f"a text of {len(value)} characters"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list | tuple):
        return f"a {type(value).__name__}"
    if isinstance(value, Mapping):
        return "a mapping"
    return f"a {type(value).__name__}"


def _is_unicode(text: str) -> bool:
    """True when ``text`` can be written as UTF-8 (it holds no lone surrogate)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_NOT_UNICODE = (
    "a text that is not valid Unicode (a lone surrogate such as '\\ud800', which JSON cannot "
    "hold); decode the source with errors='replace'"
)


def _checked_text(value: object, name: str, limit: int, meaning: str) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= limit:
        raise InvalidInputError(
            f"{name}= must be a text of 1 to {limit} characters {meaning} (got {_described(value)})"
        )
    if not _is_unicode(value):
        raise InvalidInputError(f"{name}= must be valid Unicode (got {_NOT_UNICODE})")
    return value


def check_by(value: object) -> str:
    """``value`` if it is a valid ``by`` (a text of 1 to 100 characters); refuse it otherwise."""
    return _checked_text(value, "by", MAX_BY_LENGTH, "naming who acts")


def check_event_id(value: object) -> str | None:
    """``value`` if it is a valid event id (a text of 1 to 64 characters) or None (a new one)."""
    if value is None:
        return None
    return _checked_text(
        value, "event_id", MAX_EVENT_ID_LENGTH, "that identifies the move, or None for a new one"
    )


_NOT_JSON = (
    "must be JSON data: a text, a number, True, False, None, a list or a mapping with text keys"
)
_NOT_FINITE = (
    "must be a finite number (got NaN or an infinity, which JSON cannot hold); store None or a "
    "text instead"
)
_TOO_LARGE = (
    "must be a whole number between -2**63 and 2**63 - 1 (got one outside that range, which "
    "not every reader can read back); store it as a text"
)
_TOO_DEEP = (
    f"nests more than {MAX_DATA_DEPTH} levels of mappings and lists; flatten it, or store the "
    "document elsewhere and keep its reference"
)


def _copy(value: object, depth: int, convert: bool) -> JsonValue:  # noqa: PLR0911 - one per kind
    """A checked copy of one JSON value held at level ``depth``.

    The plain types are looked at first, by their exact type: they are nearly all the data a
    move carries. Anything else (a subclass of a plain type, another mapping, what a move may
    convert) goes to :func:`_copy_other`.
    """
    if type(value) is str:
        if not (value.isascii() or _is_unicode(value)):  # most texts are ASCII
            raise _Refusal(f"must be valid Unicode text (got {_NOT_UNICODE})")
        return value
    if type(value) is bool or value is None:
        return value
    if type(value) is int:
        if not MIN_DATA_INTEGER <= value <= MAX_DATA_INTEGER:
            raise _Refusal(_TOO_LARGE)
        return value
    if type(value) is float:
        if not math.isfinite(value):
            raise _Refusal(_NOT_FINITE)
        return value
    if type(value) is dict:
        if depth >= MAX_DATA_DEPTH:
            raise _Refusal(_TOO_DEEP)
        return _copy_mapping(value, depth + 1, convert)
    if type(value) is list:
        if depth >= MAX_DATA_DEPTH:
            raise _Refusal(_TOO_DEEP)
        return _copy_list(value, depth + 1, convert)
    return _copy_other(value, depth, convert)


def _copy_other(value: object, depth: int, convert: bool) -> JsonValue:  # noqa: PLR0911
    """:func:`_copy` of a value whose type is not exactly a plain JSON type.

    Subclasses of the plain types (an enum member that is also a text or a number) are stored
    as the plain value, so that the value read back from JSON is the same as the one recorded.
    With ``convert`` (a move's data), what has one plain JSON form is stored in that form: other
    enum members as their value, pydantic models as their JSON dump, tuples and sets as lists,
    aware datetimes as ISO 8601 texts, mapping keys as texts.
    """
    if convert and isinstance(value, Enum) and not isinstance(value, str | int | float):
        return _copy(value.value, depth, convert)
    if isinstance(value, str):
        return _copy(str.__str__(value), depth, convert)
    if isinstance(value, int):  # bool has no subclasses: this is an int subclass
        return _copy(int(value), depth, convert)
    if isinstance(value, float):
        return _copy(float(value), depth, convert)
    if isinstance(value, list | Mapping):
        if depth >= MAX_DATA_DEPTH:
            raise _Refusal(_TOO_DEEP)
        if isinstance(value, list):
            return _copy_list(value, depth + 1, convert)
        return _copy_mapping(value, depth + 1, convert)
    if convert:
        if isinstance(value, tuple | set | frozenset):
            return _copy(list(value), depth, convert)
        if isinstance(value, BaseModel):
            return _copy(value.model_dump(mode="json"), depth, convert)
        if isinstance(value, datetime):
            return _moment_text(value)
    hint = "; use a list" if isinstance(value, tuple | set | frozenset) else ""
    raise _Refusal(f"{_NOT_JSON} (got {_described(value)}){hint}")


def _moment_text(value: datetime) -> str:
    """An aware datetime of a move's data as an ISO 8601 text; refuse a naive or odd one."""
    if value.utcoffset() is None:
        raise _NaiveMoment("must be timezone-aware")
    where = out_of_range(value)
    if where is not None:
        raise _Refusal(f"is {where}: {RANGE_HINT}")
    return value.isoformat()


def _copy_list(items: list[object], depth: int, convert: bool) -> list[JsonValue]:
    copied: list[JsonValue] = []
    for index, item in enumerate(items):
        try:
            copied.append(_copy(item, depth, convert))
        except _Refusal as refusal:
            refusal.path.append(index)
            raise
    return copied


def _copy_mapping(
    mapping: Mapping[object, object], depth: int, convert: bool
) -> dict[str, JsonValue]:
    copied: dict[str, JsonValue] = {}
    for key, item in mapping.items():
        name = key if type(key) is str else _key_text(key, convert)
        if not (name.isascii() or _is_unicode(name)):
            raise _Refusal(f"has a key that is not valid Unicode (got {_NOT_UNICODE})")
        try:
            copied[name] = _copy(item, depth, convert)
        except _Refusal as refusal:
            refusal.path.append(name)
            raise
    return copied


def _key_text(key: object, convert: bool) -> str:
    """A mapping key that is not exactly a text, as a text (a move's data converts any key)."""
    if isinstance(key, str):
        return str.__str__(key)
    if convert:
        return str(key)
    raise _Refusal(f"has a key that is not a text (got {_described(key)})")


def _where(path: _Path) -> str:
    """``data['answer']['text']`` for the path (inner-most last), keys shortened."""
    parts = []
    for part in reversed(path):
        shown = (
            part[:_SHOWN_KEY] + "…" if isinstance(part, str) and len(part) > _SHOWN_KEY else part
        )
        parts.append(f"[{shown!r}]")
    return "data" + "".join(parts)


def _checked_copy(data: object, *, convert: bool) -> dict[str, JsonValue]:
    """The checked (and, with ``convert``, converted) copy of ``data``; see :func:`checked_data`."""
    if not isinstance(data, dict | Mapping):  # a dict is the common case: looked at first
        raise InvalidInputError(
            f"data must be a mapping of names to JSON values (got {_described(data)})"
        )
    if not data:
        return {}
    try:
        copied = _copy_mapping(data, 1, convert)
    except _NaiveMoment as naive:
        raise NaiveDatetimeError(_where(naive.path)) from None
    except _Refusal as refusal:
        raise InvalidInputError(f"{_where(refusal.path)} {refusal.problem}") from None
    size = len(to_json(copied))
    if size > MAX_DATA_BYTES:
        raise InvalidInputError(
            f"data takes {size:,} bytes as JSON; at most {MAX_DATA_BYTES:,} are allowed: store "
            "large documents elsewhere and keep their reference"
        )
    return copied


def checked_data(data: object) -> dict[str, JsonValue]:
    """A checked copy of an event's ``data``; refuse it with a message naming the bad value.

    ``data`` must be a mapping with text keys whose values are JSON data: texts (valid
    Unicode), whole numbers in the 64-bit range, finite numbers, True, False, None, lists and
    mappings with text keys, nested at most :data:`MAX_DATA_DEPTH` levels, and at most
    :data:`MAX_DATA_BYTES` once written as compact JSON in UTF-8. Enum members and other
    subclasses of texts and numbers are stored as the plain value.
    """
    return _checked_copy(data, convert=False)


@overload
def check_event_values(
    *, by: object, event_id: object, data: Mapping[str, object], convert: Literal[False] = False
) -> None: ...


@overload
def check_event_values(
    *, by: object, event_id: object, data: Mapping[str, object], convert: Literal[True]
) -> dict[str, JsonValue]: ...


def check_event_values(
    *, by: object, event_id: object, data: Mapping[str, object], convert: bool = False
) -> dict[str, JsonValue] | None:
    """Check what a move carries, with the rules an event is read with; raise if any is bad.

    - ``by`` (who acts): a text of 1 to :data:`MAX_BY_LENGTH` characters;
    - ``event_id``: None (a new id is drawn) or a text of 1 to :data:`MAX_EVENT_ID_LENGTH`
      characters;
    - ``data``: JSON values only, as :func:`checked_data` describes (finite numbers, valid
      Unicode, at most :data:`MAX_DATA_DEPTH` levels and :data:`MAX_DATA_BYTES`).

    With ``convert=True`` (the data given to a move), values that have one plain JSON form are
    converted in the same pass, and the checked copy is returned (what the event records):
    enum members become their value, pydantic models their JSON dump, tuples and sets lists,
    aware datetimes ISO 8601 texts (a naive one is a
    :class:`~vss_care_core.errors.NaiveDatetimeError`), mapping keys texts.

    Texts must be valid Unicode. Raises :class:`~vss_care_core.errors.InvalidInputError` naming
    the argument and how to fix it; the message never repeats the value.

    >>> check_event_values(by="agent-7", event_id=None, data={"note": "gọi lại sau"})
    >>> check_event_values(by="agent-7", event_id=None, data={"areas": ("social",)}, convert=True)
    {'areas': ['social']}
    >>> check_event_values(by=7, event_id=None, data={})
    Traceback (most recent call last):
    ...
    vss_care_core.errors.InvalidInputError: by= must be a text of 1 to 100 characters naming who \
acts (got a number)
    >>> check_event_values(by="agent-7", event_id=None, data={"score": float("nan")})
    Traceback (most recent call last):
    ...
    vss_care_core.errors.InvalidInputError: data['score'] must be a finite number (got NaN ...
    """
    check_by(by)
    check_event_id(event_id)
    copied = _checked_copy(data, convert=convert)
    return copied if convert else None
