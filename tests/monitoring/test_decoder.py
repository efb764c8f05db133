"""The fast decoder of the event log against the reference (pydantic) decoder.

On every line, good or bad: the fast decoder accepts a line only if the reference accepts it,
and reads it equal (times with the same offset); with its fallback, ``decode_record`` accepts
and refuses exactly what the reference does, with the same message.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.monitoring.conftest import at, inquiry

from vss_care_core.errors import InvalidInputError, LogFormatError
from vss_care_core.models import MAX_DATA_DEPTH, VIETNAM_TZ, Event
from vss_care_core.monitoring import (
    EVENT_LOG_SCHEMA,
    EventLogReader,
    LogRecord,
    SatisfactionResponse,
    decode_record,
    encode_record,
)
from vss_care_core.monitoring._decode import SCHEMA_NAME, fast_record
from vss_care_core.testing import inquiries


def _reference(line: str | bytes) -> LogRecord | str:
    """The reference's record, or its message when it refuses the line."""
    try:
        return decode_record(line, line_number=3, decoder="pydantic")
    except LogFormatError as error:
        return str(error)


def _same(left: LogRecord, right: LogRecord, *, line: str | bytes) -> None:
    """Equal records; a time with the same offset; an id drawn anew only when none was given."""
    if isinstance(left, Event) and isinstance(right, Event):
        document = json.loads(line)["event"]
        if document.get("id") is None:
            right = Event.model_validate({**right.model_dump(), "id": left.id})
        assert left == right
        assert left.at.utcoffset() == right.at.utcoffset()
        assert dict(left.data) == dict(right.data)
        return
    assert left == right


def check_line(line: str | bytes) -> LogRecord | str:
    """Check both decoders on one line; return what the reference made of it."""
    expected = _reference(line)
    fast = fast_record(line)
    if fast is not None:
        assert not isinstance(expected, str), f"the fast decoder accepts a refused line: {expected}"
        _same(fast, expected, line=line)
    if isinstance(expected, str):
        with pytest.raises(LogFormatError) as caught:
            decode_record(line, line_number=3)
        assert str(caught.value) == expected
    else:
        _same(decode_record(line, line_number=3), expected, line=line)
    return expected


def _event(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "case_id": "c-1",
        "seq": 2,
        "at": "2026-03-02T09:00:00+07:00",
        "by": "agent-7",
        "action": "complete",
        "to_state": "listen",
        "step": "identify",
        "from_state": "identify",
        "data": {"verified": True},
        "id": "e-2",
    }
    document.update(changes)
    return {key: value for key, value in document.items() if value is not ...}


def _line(payload: dict[str, Any], *, kind: str = "event", **envelope: Any) -> str:
    record: dict[str, Any] = {"schema": EVENT_LOG_SCHEMA, "type": kind, kind: payload}
    record.update(envelope)
    return json.dumps(record, ensure_ascii=False)


_NESTED = {"a": 1}
for _ in range(MAX_DATA_DEPTH):
    _NESTED = {"a": _NESTED}

BAD_EVENTS = {
    "naive time": _event(at="2026-03-02T09:00:00"),
    "a date": _event(at="2026-03-02"),
    "before 1990": _event(at="1989-12-31T23:00:00+00:00"),
    "after 2200": _event(at="2200-01-01T00:00:00Z"),
    "a leap second": _event(at="2026-03-02T09:00:60+07:00"),
    "seq zero": _event(seq=0),
    "seq as text": _event(seq="2"),
    "seq as float": _event(seq=2.0),
    "seq as bool": _event(seq=True),
    "seq huge": _event(seq=2**63),
    "case id empty": _event(case_id=""),
    "case id long": _event(case_id="c" * 65),
    "by long": _event(by="b" * 101),
    "by a number": _event(by=7),
    "id long": _event(id="e" * 65),
    "step empty": _event(step=""),
    "data a list": _event(data=[1]),
    "data huge number": _event(data={"n": 2**64}),
    "data below range": _event(data={"n": -(2**63) - 1}),
    "data too deep": _event(data=_NESTED),
    "data too large": _event(data={"text": "x" * 70_000}),
    "missing case": _event(case_id=...),
    "missing at": _event(at=...),
    "extra field": _event(note="x"),
}
GOOD_EVENTS = {
    "no id": _event(id=...),
    "null id": _event(id=None),
    "no data": _event(data=...),
    "utc with Z": _event(at="2026-03-02T02:00:00Z"),
    "minus zero": _event(at="2026-03-02T02:00:00-00:00"),
    "space and compact offset": _event(at="2026-03-02 09:00:00+0700"),
    "no seconds": _event(at="2026-03-02T09:00+07:00"),
    "a number as time": _event(at=1_772_413_200),
    "odd offset": _event(at="2026-03-02T09:00:00+23:59"),
    "seven digits": _event(at="2026-03-02T09:00:00.9999999+07:00"),
    "nine digits": _event(at="2026-03-02T09:00:00.123456789+07:00"),
    "spaces kept": _event(case_id=" c-1 ", by=" agent "),
    "data at the limits": _event(data={"n": 2**63 - 1, "m": -(2**63), "f": 1e308, "z": -0.0}),
    "data just deep enough": _event(data=_NESTED["a"]),
    "vietnamese text": _event(data={"ghi chú": "Khách gọi lại sau"}),
}
_GOOD = _line(_event())
RAW_LINES: dict[str, str | bytes] = {
    "good": _GOOD,
    "NaN": _GOOD.replace('"verified": true', '"score": NaN'),
    "Infinity": _GOOD.replace('"verified": true', '"score": Infinity'),
    "1e400": _GOOD.replace('"verified": true', '"score": 1e400'),
    "escaped fraction": _GOOD.replace("09:00:00+", "09:00:00\\u002e1234567+"),
    "cut": _GOOD[:-9],
    "empty object": "{}",
    "a list": "[1, 2]",
    "BOM": "\ufeff" + _GOOD,
    "BOM bytes": b"\xef\xbb\xbf" + _GOOD.encode(),
    "not UTF-8": _GOOD.encode().replace(b"agent-7", b"agent-\xe9"),
    "lone surrogate escaped": _GOOD.replace("agent-7", "agent-\\ud800"),
    "lone surrogate in text": _GOOD.replace("agent-7", "agent-\ud800"),
    "wrong schema": _GOOD.replace(EVENT_LOG_SCHEMA, "vss-care-events/2"),
    "schema with spaces": _GOOD.replace(f'"{EVENT_LOG_SCHEMA}"', f'" {EVENT_LOG_SCHEMA} "'),
    "no schema": json.dumps({"type": "event", "event": _event()}),
    "unknown type": _line(_event(), type="note"),
    "type missing": json.dumps({"schema": EVENT_LOG_SCHEMA, "event": _event()}),
    "type twice": _GOOD.replace('"type": "event"', '"type": "inquiry", "type": "event"'),
    "seq twice": _GOOD.replace('"seq": 2', '"seq": 0, "seq": 2'),
    "extra envelope field": _line(_event(), extra=1),
    "payload under the wrong name": _GOOD.replace('"event": {', '"inquiry": {'),
    "deep nesting": "[" * 1000 + "]" * 1000,
    "padded past the line limit": _GOOD[:-1] + " " * 1_000_001 + "}",
}


@pytest.mark.parametrize("name", sorted(BAD_EVENTS))
def test_bad_events_refused_by_both(name: str) -> None:
    assert isinstance(check_line(_line(BAD_EVENTS[name])), str)
    assert fast_record(_line(BAD_EVENTS[name])) is None


@pytest.mark.parametrize("name", sorted(GOOD_EVENTS))
def test_good_events_read_equal_by_both(name: str) -> None:
    assert not isinstance(check_line(_line(GOOD_EVENTS[name])), str)


@pytest.mark.parametrize("name", sorted(RAW_LINES))
def test_raw_lines_agree(name: str) -> None:
    check_line(RAW_LINES[name])


def test_refusals_say_where_and_hide_the_content() -> None:
    line = _line(_event(at="2026-03-02T09:00:00", by="Nguyễn Văn An 0912345678"))
    with pytest.raises(LogFormatError) as caught:
        decode_record(line, line_number=41)
    assert caught.value.line == 41
    assert "event.at" in str(caught.value)
    assert "0912345678" not in str(caught.value)
    assert "Nguyễn" not in str(caught.value)


def test_fast_path_takes_the_writers_lines(log: list[LogRecord]) -> None:
    """What the library writes is read by the Structs themselves, not by the fallback."""
    for record in log:
        line = encode_record(record)
        assert fast_record(line) == record
        assert fast_record(line.encode()) == record


def test_bad_inquiries_and_responses(log: list[LogRecord]) -> None:
    document = json.loads(encode_record(inquiry("Q1", "email", at(2, 9))))["inquiry"]
    for change in (
        {"channel": "fax"},
        {"priority": "soon"},
        {"kind": "wish"},
        {"received_at": "2026-03-02T09:00:00"},
        {"subject": ""},
        {"channel": 1},
        {"colour": "red"},
    ):
        assert isinstance(check_line(_line({**document, **change}, kind="inquiry")), str)
    assert not isinstance(
        check_line(_line({**document, "subject": "  Thẻ  "}, kind="inquiry")), str
    )
    response = SatisfactionResponse(case_id="c-1", answered_at=at(2, 10), overall=4)
    payload = json.loads(encode_record(response))["satisfaction"]
    for change, accepted in (
        ({"overall": 6}, False),
        ({"overall": "4"}, True),
        ({"overall": 4.0}, True),
        ({"answered_at": "2026-03-02T10:00:00"}, False),
        ({"comment": "   "}, False),
        ({"case_id": " c-1 "}, True),
    ):
        result = check_line(_line({**payload, **change}, kind="satisfaction"))
        assert isinstance(result, str) is not accepted


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=12,
)
_plain_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=12,
)
_moments = st.datetimes(
    min_value=datetime(1989, 12, 31),  # noqa: DTZ001 - hypothesis bounds are naive
    max_value=datetime(2200, 1, 2),  # noqa: DTZ001
    timezones=st.sampled_from([UTC, VIETNAM_TZ]) | st.none(),
)
_names = st.text(min_size=0, max_size=66)


@settings(max_examples=300)
@given(
    case_id=_names,
    seq=st.integers(-1, 2**64) | st.text(max_size=3),
    moment=_moments,
    by=st.text(max_size=102) | st.integers(),
    data=st.dictionaries(st.text(max_size=5), _json, max_size=4) | _json,
    event_id=st.none() | _names,
)
def test_generated_events_agree(  # noqa: PLR0917 - one argument per field
    case_id: str, seq: int | str, moment: datetime, by: str | int, data: Any, event_id: str | None
) -> None:
    """Events drawn near every bound: both decoders decide alike and read alike."""
    document = _event(
        case_id=case_id,
        seq=seq,
        at=moment.isoformat(),
        by=by,
        data=data,
        id=event_id,
    )
    check_line(json.dumps({"schema": EVENT_LOG_SCHEMA, "type": "event", "event": document}))


@settings(max_examples=50)
@given(inquiries())
def test_generated_inquiries_agree(generated: Any) -> None:
    line = encode_record(generated)
    assert fast_record(line) == generated
    assert check_line(line) == generated


@given(
    st.builds(
        Event,
        case_id=st.text(min_size=1, max_size=64),
        seq=st.integers(1, 2**63 - 1),
        at=st.datetimes(
            min_value=datetime(1990, 1, 2),  # noqa: DTZ001 - hypothesis bounds are naive
            max_value=datetime(2199, 12, 30),  # noqa: DTZ001
            timezones=st.sampled_from([UTC, VIETNAM_TZ]),
        ),
        by=st.text(min_size=1, max_size=100),
        action=st.sampled_from(["open", "complete", "hold"]),
        to_state=st.text(min_size=1, max_size=64),
        data=st.dictionaries(st.text(max_size=5), _plain_json, max_size=3),
    )
)
def test_any_valid_event_takes_the_fast_path(event: Event) -> None:
    """Floats aside (one with seven decimals or more goes to the reference), the Structs read
    every valid event themselves."""
    line = encode_record(event)
    assert fast_record(line) == event


def test_readers_choose_the_decoder(log: list[LogRecord]) -> None:
    lines = [encode_record(record) for record in log]
    assert list(EventLogReader(lines, decoder="pydantic")) == list(EventLogReader(lines)) == log
    with pytest.raises(InvalidInputError, match="decoder= must be 'fast' or 'pydantic'"):
        EventLogReader(lines, decoder="orjson")  # type: ignore[arg-type]


def test_schema_names_agree() -> None:
    assert SCHEMA_NAME == EVENT_LOG_SCHEMA


def test_a_time_keeps_its_offset() -> None:
    line = _line(_event(at="2026-03-02T09:00:00+07:00"))
    record = fast_record(line)
    assert isinstance(record, Event)
    assert record.at.utcoffset() == timedelta(hours=7)
