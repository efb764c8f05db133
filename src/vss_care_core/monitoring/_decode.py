"""The fast reading of an event log's lines: msgspec Structs that mirror the versioned records.

Events are most of a log's lines, and they are read here in full: the line is decoded by msgspec
straight into typed Structs (a union tagged by the record's ``type``), which check the schema
name, the types, the lengths of the names, of ``by`` and of the id, ``seq`` from 1 to 2**63 - 1,
an aware ``at``; msgspec itself refuses a line that is not UTF-8, a lone surrogate and a number
too large for a float. Then the models' own rules finish the check:
:func:`~vss_care_core.models.require_aware` for the range of ``at``, and
:func:`~vss_care_core.models.check_event_values` for the rest of its rules on ``by``, the id
and the data (valid Unicode, whole numbers in the 64-bit range, the depth and the size), asked
only when the line can break one of them. That is decided on the line's bytes, exactly and in
one pass (:func:`_may_break_rules`): without a backslash no text holds an escape, so no lone
surrogate; without a run of 19 digits no whole number is out of range; with few brackets the
data cannot nest too deep, and a short line cannot hold data too large. The event is built
with :func:`~vss_care_core.models.trusted_event`, as the pydantic path would build it.

Inquiries and survey responses are pydantic models with many validators (identifiers, masked
texts, stripped whitespace, lax numbers): their payload is kept as raw JSON by the Struct and
validated by the model itself, so that there is one set of rules for them.

The fast decoder only vouches for the lines it can read exactly as the reference (pydantic)
path does. For any other line it answers None, and the caller reads the line again with the
reference path, which accepts it or says what is wrong. It answers None for:

- a line the Structs or the rules refuse (the reference path then names the problem);
- an event line holding a fraction with seven digits or more (``.1234567``): msgspec rounds the
  fraction of a time to the microsecond where pydantic cuts it, so such a time would be read
  differently (the log's writer never writes more than six digits);
- texts written differently from what the reference reads: a schema name with spaces around it,
  a time without seconds or as a number (the reference accepts them).
"""

from __future__ import annotations

import re
from datetime import datetime
from types import MappingProxyType
from typing import Annotated, Any, Final, Literal

import msgspec

from vss_care_core.errors import InvalidInputError
from vss_care_core.inputs import MAX_LINE_BYTES
from vss_care_core.models import (
    MAX_BY_LENGTH,
    MAX_DATA_BYTES,
    MAX_DATA_DEPTH,
    MAX_DATA_INTEGER,
    MAX_EVENT_ID_LENGTH,
    Event,
    Inquiry,
    check_event_values,
    new_event_id,
    require_aware,
    trusted_event,
)
from vss_care_core.monitoring._satisfaction import SatisfactionResponse

__all__ = ["SCHEMA_NAME", "EventFields", "checked_record", "fast_record"]

SCHEMA_NAME: Final = "vss-care-events/1"
"""The schema the Structs read (the event log's ``EVENT_LOG_SCHEMA``)."""

_MAX_NAME_LENGTH = 64
"""The longest case id, action or state name (the Event model's ``_Name``)."""

_Name = Annotated[str, msgspec.Meta(min_length=1, max_length=_MAX_NAME_LENGTH)]
_By = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_BY_LENGTH)]
_EventId = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_EVENT_ID_LENGTH)]
_Seq = Annotated[int, msgspec.Meta(ge=1, le=MAX_DATA_INTEGER)]
_AwareTime = Annotated[datetime, msgspec.Meta(tz=True)]
_Schema = Literal["vss-care-events/1"]


class EventFields(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """The JSON form of an :class:`~vss_care_core.models.Event`: its fields, as decoded.

    Once :func:`checked_record` returned it, its fields are exactly those of the event the
    reference path builds (except ``id``, which stays None when the line has none): a report
    reads them as they are, without building the event.
    """

    case_id: _Name
    seq: _Seq
    at: _AwareTime
    by: _By
    action: _Name
    to_state: _Name
    step: _Name | None = None
    from_state: _Name | None = None
    data: dict[str, Any] = {}
    id: _EventId | None = None


class _EventLine(msgspec.Struct, tag_field="type", tag="event", forbid_unknown_fields=True):
    """``{"schema": ..., "type": "event", "event": {...}}``."""

    schema: _Schema
    event: EventFields


class _InquiryLine(msgspec.Struct, tag_field="type", tag="inquiry", forbid_unknown_fields=True):
    """``{"schema": ..., "type": "inquiry", "inquiry": {...}}``; the inquiry stays raw JSON."""

    schema: _Schema
    inquiry: msgspec.Raw


class _SatisfactionLine(
    msgspec.Struct, tag_field="type", tag="satisfaction", forbid_unknown_fields=True
):
    """``{"schema": ..., "type": "satisfaction", "satisfaction": {...}}``; the response stays
    raw JSON."""

    schema: _Schema
    satisfaction: msgspec.Raw


_DECODER: Final = msgspec.json.Decoder(_EventLine | _InquiryLine | _SatisfactionLine)


def _character_classes() -> bytes:
    """The table that writes a line as its :func:`_shape`."""
    table = bytearray(b" " * 256)
    for digit in b"0123456789":
        table[digit] = ord("0")
    for kept in b".[\\":
        table[kept] = kept
    table[ord("{")] = ord("[")
    return bytes(table)


_CLASSES: Final = _character_classes()


def _shape(line: bytes) -> bytes:
    """``line`` with each digit written ``0``, each ``{`` written ``[``, dots, ``[`` and
    backslashes kept, and every other byte a space: what the pre-tests below look for, in one
    pass over the line."""
    return line.translate(_CLASSES)


_LONG_FRACTION: Final = b"." + b"0" * 7
"""Seven digits after a dot, in a line's shape: a time msgspec would round where the reference
cuts (or any number with seven decimals: such a line goes to the reference)."""
_ESCAPED_FRACTION: Final = re.compile(rb"(?:\.|\\u002[eE])(?:[0-9]|\\u003[0-9]){7}")
"""The same, some characters written as ``\\u`` escapes (checked only when the line has one)."""
_LONG_INTEGER: Final = b"0" * 19
"""A run of 19 digits, in a line's shape. A whole number outside the 64-bit range has at least
19 digits (2**63 has 19, and JSON writes no leading zero): without such a run, every number of
the data is within the range the models accept (msgspec keeps any size)."""
_MOST_OPENINGS: Final = MAX_DATA_DEPTH + 2
"""How many lists and objects a line may open and still hold data no deeper than the models
accept: data nested more than :data:`~vss_care_core.models.MAX_DATA_DEPTH` levels opens more
than that many, inside the line's own object and its event's."""
_LONGEST_SMALL_LINE: Final = MAX_DATA_BYTES // 5
"""The longest line whose data cannot take more than
:data:`~vss_care_core.models.MAX_DATA_BYTES` as compact JSON. Written again, a text or a key
takes no more bytes than in the line (an escape is never longer than what it stands for) and so
does a whole number; only a number with a fraction or an exponent can grow, at most 4.5 times
(``1e15``, 4 bytes, is written ``1000000000000000.0``, 18 bytes)."""


def _long_fraction(line: bytes, shape: bytes) -> bool:
    """Whether ``line`` (whose :func:`_shape` is ``shape``) may hold a time with seven digits
    or more after the second."""
    if _LONG_FRACTION in shape:
        return True
    return b"\\" in shape and _ESCAPED_FRACTION.search(line) is not None


def _may_break_rules(line: bytes, shape: bytes) -> bool:
    """Whether the data, ``by`` or the id of the event on ``line`` (whose :func:`_shape` is
    ``shape``) can break a rule of the models that the Structs do not check; when not, the
    models' rules need not be asked.

    The Structs check the lengths of ``by`` and of the id (in characters, as the models count
    them); msgspec refuses a line that is not UTF-8, a lone surrogate written as an escape and a
    number too large for a float (JSON holds no NaN nor infinity). What is left: a text that is
    not valid Unicode needs an escape (a backslash), a whole number out of the 64-bit range a
    long run of digits, data nested too deep many brackets, and data too large a long line.
    """
    return (
        b"\\" in shape
        or _LONG_INTEGER in shape
        or shape.count(b"[") > _MOST_OPENINGS
        or len(line) > _LONGEST_SMALL_LINE
    )


_REFUSED: Final = (msgspec.DecodeError, msgspec.ValidationError, ValueError, RecursionError)
"""What decoding a line may raise: not JSON, not a record, not UTF-8, nested too deep.

A model's ``ValidationError`` is a ``ValueError``."""


def _checked(fields: EventFields) -> bool:
    """Whether the models' rules for ``by``, the id and the data accept ``fields``."""
    try:
        check_event_values(by=fields.by, event_id=fields.id, data=fields.data)
    except InvalidInputError:
        return False
    return True


def as_event(fields: EventFields) -> Event:
    """The event of ``fields`` accepted by :func:`checked_record`, as the reference builds it."""
    data = fields.data
    return trusted_event(
        case_id=fields.case_id,
        seq=fields.seq,
        at=fields.at,
        by=fields.by,
        action=fields.action,
        to_state=fields.to_state,
        step=fields.step,
        from_state=fields.from_state,
        # The dict was made by the decoder for this event alone: wrapping it is enough.
        data=MappingProxyType(data) if data else data,
        id=new_event_id() if fields.id is None else fields.id,
    )


def _checked_event(line: bytes, event: EventFields) -> EventFields | None:
    """``event``, decoded from ``line``, once the rules the Structs cannot express are checked
    (None: read the line with the reference path)."""
    shape = _shape(line)
    if _long_fraction(line, shape):
        return None
    require_aware(event.at, "at")  # msgspec checked that it is aware, not its range
    if _may_break_rules(line, shape) and not _checked(event):
        return None
    return event


def checked_record(line: str | bytes) -> EventFields | Inquiry | SatisfactionResponse | None:
    """What :func:`fast_record` reads, an event given as its checked :class:`EventFields`.

    A report reads a log's events this way: every rule is checked as for :func:`fast_record`,
    but no :class:`~vss_care_core.models.Event` is built. None: read the line with the
    reference path.
    """
    if len(line) > MAX_LINE_BYTES:
        return None
    raw = line.encode("utf-8", "surrogatepass") if isinstance(line, str) else line
    try:
        parsed = _DECODER.decode(raw)
        if isinstance(parsed, _EventLine):
            # only an event's time is decoded by msgspec: inquiries and responses are read
            # by their models, as the reference reads them
            return _checked_event(raw, parsed.event)
        if isinstance(parsed, _InquiryLine):
            return Inquiry.model_validate_json(bytes(parsed.inquiry))
        return SatisfactionResponse.model_validate_json(bytes(parsed.satisfaction))
    except _REFUSED:
        return None


def fast_record(line: str | bytes) -> Event | Inquiry | SatisfactionResponse | None:
    """The record one line of an event log holds, or None when the line needs the reference.

    None means "read this line with the reference (pydantic) path": it is either malformed (the
    reference says how) or written in a way only the reference reads exactly (see the module's
    description). A line the fast decoder accepts is read exactly as the reference reads it.

    >>> line = (
    ...     '{"schema":"vss-care-events/1","type":"event","event":{"case_id":"c1","seq":1,'
    ...     '"at":"2026-03-02T09:00:00+07:00","by":"agent-7","action":"open","to_state":"greet",'
    ...     '"id":"e1"}}'
    ... )
    >>> fast_record(line).to_state
    'greet'
    >>> fast_record(line.replace('"seq":1', '"seq":0')) is None
    True
    """
    record = checked_record(line)
    return as_event(record) if isinstance(record, EventFields) else record
