"""The event log: inquiries, case events and survey responses as versioned JSON Lines.

Each line is one JSON object, a *record*::

    {"schema": "vss-care-events/1", "type": "inquiry", "inquiry": {...}}
    {"schema": "vss-care-events/1", "type": "event", "event": {...}}
    {"schema": "vss-care-events/1", "type": "satisfaction", "satisfaction": {...}}

The payload is the JSON form of :class:`~vss_care_core.models.Inquiry`,
:class:`~vss_care_core.models.Event` or :class:`SatisfactionResponse`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, Literal, TextIO

from pydantic import Field, TypeAdapter, ValidationError

from vss_care_core.errors import LogFormatError
from vss_care_core.models import CareModel, Event, Inquiry
from vss_care_core.monitoring._satisfaction import SatisfactionResponse

__all__ = [
    "EVENT_LOG_SCHEMA",
    "EventLogReader",
    "LogRecord",
    "decode_record",
    "encode_record",
    "read_event_log",
    "write_event_log",
]

EVENT_LOG_SCHEMA = "vss-care-events/1"
"""The schema name and major version written on every line of an event log."""

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


def _problem(error: ValidationError, text: str | bytes) -> str:
    try:
        document = json.loads(text)
    except ValueError:
        return "not a JSON object (the line is cut or is not JSON); each line holds one record"
    if not isinstance(document, dict):
        return "not a JSON object; each line holds one record"
    schema = document.get("schema")
    if schema != EVENT_LOG_SCHEMA:
        return (
            f"unknown schema {schema!r}: this reader reads {EVENT_LOG_SCHEMA!r}; "
            "convert the log or upgrade vss-care-core"
        )
    items = error.errors(include_input=False, include_url=False)
    shown = []
    for item in items[:_MAX_LISTED_ERRORS]:
        where = ".".join(str(part) for part in item["loc"]) or "(record)"
        shown.append(f"{where}: {item['msg']}")
    more = len(items) - len(shown)
    tail = f" (and {more} more)" if more > 0 else ""
    return "invalid record: " + "; ".join(shown) + tail


def decode_record(line: str | bytes, *, line_number: int = 1) -> LogRecord:
    """The record held by one line of an event log.

    A malformed line raises :class:`~vss_care_core.errors.LogFormatError` with ``line_number``
    and what is wrong (never the line's content, which may hold personal data).

    >>> decode_record('{"schema": "vss-care-events/1", "type": "note"}', line_number=7)
    Traceback (most recent call last):
    ...
    vss_care_core.errors.LogFormatError: line 7: invalid record: (record): Input tag 'note' ...
    """
    try:
        parsed = _LINE.validate_json(line)
    except ValidationError as error:
        raise LogFormatError(line_number, _problem(error, line)) from None
    if parsed.schema_name != EVENT_LOG_SCHEMA:
        problem = (
            f"unknown schema {parsed.schema_name!r}: this reader reads {EVENT_LOG_SCHEMA!r}; "
            "convert the log or upgrade vss-care-core"
        )
        raise LogFormatError(line_number, problem)
    if isinstance(parsed, _EventLine):
        return parsed.event
    if isinstance(parsed, _InquiryLine):
        return parsed.inquiry
    return parsed.satisfaction


class EventLogReader:
    """Iterates over the records of an event log, line by line (the log is never loaded whole).

    Blank lines are ignored. A malformed line raises
    :class:`~vss_care_core.errors.LogFormatError`; with ``skip_bad=True`` it is skipped and
    counted instead (``skipped``, and the first line numbers in ``bad_lines``).

    >>> reader = EventLogReader(['{"schema": "vss-care-events/1"', ""], skip_bad=True)
    >>> list(reader), reader.skipped, reader.bad_lines, reader.lines_read
    ([], 1, (1,), 2)
    """

    def __init__(self, lines: Iterable[str | bytes], *, skip_bad: bool = False) -> None:
        self._lines = lines
        self._skip_bad = skip_bad
        self.lines_read = 0
        """How many lines were read so far."""
        self.skipped = 0
        """How many malformed lines were skipped (only with ``skip_bad=True``)."""
        self._bad: list[int] = []

    @property
    def bad_lines(self) -> tuple[int, ...]:
        """The numbers of the first 100 malformed lines skipped."""
        return tuple(self._bad)

    def __iter__(self) -> Iterator[LogRecord]:
        number = self.lines_read
        for line in self._lines:
            number += 1
            self.lines_read = number
            if not line.strip():
                continue
            try:
                yield decode_record(line, line_number=number)
            except LogFormatError:
                if not self._skip_bad:
                    raise
                self.skipped += 1
                if len(self._bad) < 100:
                    self._bad.append(number)


def read_event_log(path: str | Path, *, skip_bad: bool = False) -> Iterator[LogRecord]:
    """Stream the records of the event log at ``path`` (UTF-8 JSON Lines).

    Use :class:`EventLogReader` directly to learn how many bad lines were skipped.
    """
    with Path(path).open("rb") as stream:
        yield from EventLogReader(stream, skip_bad=skip_bad)


def write_event_log(records: Iterable[LogRecord], out: TextIO) -> int:
    """Write ``records`` to ``out`` as JSON Lines, one record per line; return how many."""
    count = 0
    for record in records:
        out.write(encode_record(record))
        out.write("\n")
        count += 1
    return count
