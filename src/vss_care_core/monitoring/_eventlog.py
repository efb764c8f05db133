"""The event log: inquiries, case events and survey responses as versioned JSON Lines.

Each line is one JSON object, a *record*::

    {"schema": "vss-care-events/1", "type": "inquiry", "inquiry": {...}}
    {"schema": "vss-care-events/1", "type": "event", "event": {...}}
    {"schema": "vss-care-events/1", "type": "satisfaction", "satisfaction": {...}}

The payload is the JSON form of :class:`~vss_care_core.models.Inquiry`,
:class:`~vss_care_core.models.Event` or :class:`SatisfactionResponse`.

A line is refused, with its number and what is wrong (never its content), when it is not UTF-8,
is longer than :data:`~vss_care_core.inputs.MAX_LINE_BYTES`, nests lists and objects deeper
than :data:`~vss_care_core.inputs.MAX_NESTING` (checked before it is parsed), is not JSON, names
another schema, or does not hold a valid record.

Lines are read by a fast decoder (``decoder="fast"``, the default): msgspec Structs that mirror
the records and the models' own rules, building the same values as the reference, pydantic
path (``decoder="pydantic"``), which reads any line the fast decoder does not vouch for and
says what is wrong with a malformed one. Both accept the same lines and read them equal.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Annotated, Literal, TextIO, TypeAlias, TypeVar

from pydantic import Field, TypeAdapter, ValidationError

from vss_care_core.errors import InvalidInputError, LogFormatError
from vss_care_core.inputs import (
    MAX_LINE_BYTES,
    describe_errors,
    json_nesting_problem,
    read_lines,
    utf8_problem,
)
from vss_care_core.models import CareModel, Event, Inquiry
from vss_care_core.monitoring._decode import SCHEMA_NAME, EventFields, checked_record, fast_record
from vss_care_core.monitoring._satisfaction import SatisfactionResponse

__all__ = [
    "EVENT_LOG_SCHEMA",
    "Decoder",
    "EventLogReader",
    "LogRecord",
    "decode_record",
    "encode_record",
    "read_event_log",
    "write_event_log",
]

EVENT_LOG_SCHEMA = SCHEMA_NAME
"""The schema name and major version written on every line of an event log."""

Decoder: TypeAlias = Literal["fast", "pydantic"]
"""How lines are read: ``"fast"`` (msgspec Structs, the default) or ``"pydantic"`` (the
reference: the models' own JSON validation). Both accept the same lines and read them equal."""
_DECODERS = ("fast", "pydantic")

LogRecord = Inquiry | Event | SatisfactionResponse
"""What one line of an event log holds."""

_SchemaName = Annotated[str, Field(alias="schema")]


class _InquiryLine(CareModel):
    schema_name: _SchemaName
    type: Literal["inquiry"]
    inquiry: Inquiry


class _EventLine(CareModel):
    schema_name: _SchemaName
    type: Literal["event"]
    event: Event


class _SatisfactionLine(CareModel):
    schema_name: _SchemaName
    type: Literal["satisfaction"]
    satisfaction: SatisfactionResponse


_Line = Annotated[_InquiryLine | _EventLine | _SatisfactionLine, Field(discriminator="type")]
_LINE: TypeAdapter[_InquiryLine | _EventLine | _SatisfactionLine] = TypeAdapter(_Line)
_MAX_LISTED_ERRORS = 3


def encode_record(record: LogRecord) -> str:
    """One line of the event log (without its newline) for ``record``.

    >>> from datetime import datetime, UTC
    >>> from vss_care_core.models import Event
    >>> event = Event(id="e1", case_id="c1", seq=1, by="agent-7", action="open",
    ...               to_state="greet", at=datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    >>> encode_record(event)[:54]
    '{"schema":"vss-care-events/1","type":"event","event":{'
    >>> decode_record(encode_record(event)) == event
    True
    """
    if isinstance(record, Event):
        kind = "event"
    elif isinstance(record, Inquiry):
        kind = "inquiry"
    elif isinstance(record, SatisfactionResponse):
        kind = "satisfaction"
    else:
        message = (
            f"cannot write a {type(record).__name__} to an event log: "
            "give an Inquiry, an Event or a SatisfactionResponse"
        )
        raise TypeError(message)
    payload = record.model_dump_json()
    return f'{{"schema":"{EVENT_LOG_SCHEMA}","type":"{kind}","{kind}":{payload}}}'


_BOM = b"\xef\xbb\xbf"
_OTHER_SCHEMA = "convert the log or upgrade vss-care-core"


def _without_bom(line: str | bytes) -> str | bytes:
    if isinstance(line, bytes):
        return line.removeprefix(_BOM)
    return line.removeprefix("\ufeff")


def _schema_problem(schema: object) -> str:
    if schema is None:
        return (
            f'no "schema" field: each line names its schema, {{"schema": "{EVENT_LOG_SCHEMA}", '
            '"type": ..., ...}; is this a vss-care event log?'
        )
    if isinstance(schema, str) and len(schema) <= 60:
        return f"unknown schema {schema!r}: this reader reads {EVENT_LOG_SCHEMA!r}; {_OTHER_SCHEMA}"
    return f'the "schema" field should be the text "{EVENT_LOG_SCHEMA}"; {_OTHER_SCHEMA}'


def _problem(error: ValidationError, text: str | bytes) -> str:
    if isinstance(text, bytes):
        where = utf8_problem(text)
        if where is not None:
            return f"not UTF-8 text ({where} of the line): save the log as UTF-8"
    try:
        document = json.loads(text)
    except ValueError:
        return "not a JSON object (the line is cut or is not JSON); each line holds one record"
    if not isinstance(document, dict):
        return "not a JSON object; each line holds one record"
    schema = document.get("schema")
    if schema != EVENT_LOG_SCHEMA:
        return _schema_problem(schema)
    problems = describe_errors(
        error, document, models=(Inquiry, Event, SatisfactionResponse), whole="the record"
    )
    shown = problems[:_MAX_LISTED_ERRORS]
    more = len(problems) - len(shown)
    tail = f" (and {more} more)" if more > 0 else ""
    return "invalid record: " + "; ".join(shown) + tail


def _check_decoder(decoder: object) -> None:
    if decoder not in _DECODERS:
        shown = repr(decoder) if isinstance(decoder, str) and len(decoder) <= 20 else "that value"
        raise InvalidInputError(
            f"decoder= must be 'fast' or 'pydantic' (got {shown}): 'fast' reads lines with "
            "msgspec, 'pydantic' with the models' own validation"
        )


def decode_record(
    line: str | bytes, *, line_number: int = 1, decoder: Decoder = "fast"
) -> LogRecord:
    """The record held by one line of an event log.

    A malformed line raises :class:`~vss_care_core.errors.LogFormatError` with ``line_number``
    and what is wrong (never the line's content, which may hold personal data).
    ``decoder="pydantic"`` reads the line with the reference path only (see :data:`Decoder`);
    the record and the error are the same.

    >>> decode_record('{"schema": "vss-care-events/1", "type": "note"}', line_number=7)
    Traceback (most recent call last):
    ...
    vss_care_core.errors.LogFormatError: line 7: invalid record: type: is not one of 'inquiry', ...
    """
    if decoder != "fast":
        _check_decoder(decoder)
    else:
        record = fast_record(line)
        if record is not None:
            return record
    return _reference_record(line, line_number)


def _reference_record(line: str | bytes, line_number: int) -> LogRecord:
    """The record of one line, read with pydantic; what is wrong with it, in the user's terms."""
    if len(line) > MAX_LINE_BYTES:
        raise LogFormatError(
            line_number,
            f"the line is longer than {MAX_LINE_BYTES:,} bytes: each line holds one record; "
            "is this a vss-care event log?",
        )
    nesting = json_nesting_problem(line)
    if nesting is not None:
        raise LogFormatError(line_number, nesting)
    try:
        parsed = _LINE.validate_json(line)
    except ValidationError as error:
        raise LogFormatError(line_number, _problem(error, line)) from None
    if parsed.schema_name != EVENT_LOG_SCHEMA:
        raise LogFormatError(line_number, _schema_problem(parsed.schema_name))
    if isinstance(parsed, _EventLine):
        return parsed.event
    if isinstance(parsed, _InquiryLine):
        return parsed.inquiry
    return parsed.satisfaction


_Read = TypeVar("_Read", LogRecord, LogRecord | EventFields)


def _needs_reference(line: str | bytes) -> None:
    """The fast decoder of ``decoder="pydantic"``: every line goes to the reference."""
    del line


class EventLogReader:
    """Iterates over the records of an event log, line by line (the log is never loaded whole).

    Blank lines are ignored, and so is a byte-order mark at the start of the first line. A
    malformed line raises :class:`~vss_care_core.errors.LogFormatError`; with ``skip_bad=True``
    it is skipped and counted instead (``skipped``, and the first line numbers in
    ``bad_lines``). ``records`` counts the records read. ``decoder`` chooses how lines are
    read (see :data:`Decoder`).

    >>> reader = EventLogReader(['{"schema": "vss-care-events/1"', ""], skip_bad=True)
    >>> list(reader), reader.skipped, reader.bad_lines, reader.lines_read
    ([], 1, (1,), 2)
    """

    def __init__(
        self, lines: Iterable[str | bytes], *, skip_bad: bool = False, decoder: Decoder = "fast"
    ) -> None:
        _check_decoder(decoder)
        self._lines = lines
        self._skip_bad = skip_bad
        self._decoder: Decoder = decoder
        self.lines_read = 0
        """How many lines were read so far."""
        self.skipped = 0
        """How many malformed lines were skipped (only with ``skip_bad=True``)."""
        self.records = 0
        """How many records were read so far."""
        self._bad: list[int] = []

    @property
    def bad_lines(self) -> tuple[int, ...]:
        """The numbers of the first 100 malformed lines skipped."""
        return tuple(self._bad)

    def __iter__(self) -> Iterator[LogRecord]:
        return self._read(fast_record)

    def checked_records(self) -> Iterator[LogRecord | EventFields]:
        """The records, each event read by the fast decoder given as its checked
        :class:`~vss_care_core.monitoring._decode.EventFields` rather than as an
        :class:`~vss_care_core.models.Event`: the same lines accepted and refused, the same
        counts, the same values. What a report reads: it keeps no event."""
        return self._read(checked_record)

    def _read(self, fast: Callable[[str | bytes], _Read | None]) -> Iterator[_Read | LogRecord]:
        """The records, each line read by ``fast`` (the fast decoder), else by the reference."""
        if self._decoder != "fast":
            fast = _needs_reference
        number = self.lines_read
        for line in self._lines:
            number += 1
            self.lines_read = number
            if number == 1:
                line = _without_bom(line)  # noqa: PLW2901 - the same line, its mark dropped
            if not line.strip():
                continue
            try:
                record = fast(line)
                if record is None:
                    record = _reference_record(line, number)
            except LogFormatError:
                if not self._skip_bad:
                    raise
                self.skipped += 1
                if len(self._bad) < 100:
                    self._bad.append(number)
                continue
            self.records += 1
            yield record


def read_event_log(
    path: str | Path, *, skip_bad: bool = False, decoder: Decoder = "fast"
) -> Iterator[LogRecord]:
    """Stream the records of the event log at ``path`` (UTF-8 JSON Lines).

    ``decoder`` chooses how lines are read (see :data:`Decoder`): the records are the same.

    The file is read with :func:`vss_care_core.inputs.read_lines`: a missing file, a directory
    or a UTF-16 file is refused as an :class:`~vss_care_core.errors.InvalidInputError` naming
    it. Use :class:`EventLogReader` over ``read_lines(path)`` to learn how many bad lines were
    skipped.
    """
    _check_decoder(decoder)
    yield from EventLogReader(read_lines(path), skip_bad=skip_bad, decoder=decoder)


def write_event_log(records: Iterable[LogRecord], out: TextIO) -> int:
    """Write ``records`` to ``out`` as JSON Lines, one record per line; return how many."""
    count = 0
    for record in records:
        out.write(encode_record(record))
        out.write("\n")
        count += 1
    return count
