"""The JSON Lines event log: round trip, versioning, malformed lines."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.monitoring.conftest import at, inquiry

from vss_care_core.errors import InvalidInputError, LogFormatError
from vss_care_core.inputs import MAX_LINE_BYTES, read_lines
from vss_care_core.monitoring import (
    EVENT_LOG_SCHEMA,
    EventLogReader,
    LogRecord,
    SatisfactionResponse,
    decode_record,
    encode_record,
    read_event_log,
    write_event_log,
)


class TestRoundTrip:
    def test_every_record_type(self, log: list[LogRecord], tmp_path: Path) -> None:
        """Inquiries, events and survey responses come back equal."""
        path = tmp_path / "events.jsonl"
        with path.open("w", encoding="utf-8") as out:
            assert write_event_log(log, out) == len(log)
        assert list(read_event_log(path)) == log

    def test_each_line_names_schema_and_type(self, log: list[LogRecord]) -> None:
        kinds = {json.loads(encode_record(r))["type"] for r in log}
        assert kinds == {"inquiry", "event", "satisfaction"}
        assert all(json.loads(encode_record(r))["schema"] == EVENT_LOG_SCHEMA for r in log)

    def test_refuses_other_objects(self) -> None:
        with pytest.raises(TypeError, match="give an Inquiry, an Event or a SatisfactionResponse"):
            encode_record("event")  # type: ignore[arg-type]


class TestMalformed:
    def test_cut_line(self) -> None:
        with pytest.raises(LogFormatError, match=r"line 12: not a JSON object") as caught:
            decode_record('{"schema": "vss-care-events/1", "type": "ev', line_number=12)
        assert caught.value.line == 12

    def test_not_an_object(self) -> None:
        with pytest.raises(LogFormatError, match="not a JSON object"):
            decode_record("[1, 2]")

    def test_unknown_schema(self) -> None:
        line = '{"schema": "vss-care-events/2", "type": "event", "event": {}}'
        with pytest.raises(LogFormatError, match="unknown schema 'vss-care-events/2'"):
            decode_record(line, line_number=3)

    def test_invalid_event_names_field_not_value(self) -> None:
        """The message names the field; the value (maybe personal data) is never shown."""
        record = json.loads(
            encode_record(
                SatisfactionResponse(case_id="c1", answered_at=at(2, 9), overall=4, comment="x")
            )
        )
        record["satisfaction"]["overall"] = 9
        record["satisfaction"]["comment"] = "Nguyễn Văn An 0912345678"
        with pytest.raises(LogFormatError) as caught:
            decode_record(json.dumps(record), line_number=5)
        message = str(caught.value)
        assert "satisfaction.overall" in message
        assert "0912345678" not in message

    def test_naive_time_refused(self) -> None:
        record = json.loads(
            encode_record(SatisfactionResponse(case_id="c1", answered_at=at(2, 9), overall=4))
        )
        record["satisfaction"]["answered_at"] = "2026-03-02T09:00:00"
        with pytest.raises(LogFormatError, match=r"satisfaction\.answered_at"):
            decode_record(json.dumps(record))


class TestInTheUsersTerms:
    """Places as written in the line, a hint for the time zone, no 'unknown schema None'."""

    def test_naive_time_of_an_inquiry(self) -> None:
        record = json.loads(encode_record(inquiry("Q1", "email", at(2, 9))))
        record["inquiry"]["received_at"] = "2026-03-02T09:00:00"
        with pytest.raises(LogFormatError) as caught:
            decode_record(json.dumps(record), line_number=4)
        assert str(caught.value) == (
            "line 4: invalid record: inquiry.received_at: has no time zone: write it with its "
            "offset, e.g. 2026-03-02T09:00:00+07:00"
        )

    def test_no_schema_field(self) -> None:
        with pytest.raises(LogFormatError, match='line 2: no "schema" field: each line names'):
            decode_record('{"type": "event", "event": {}}', line_number=2)

    def test_schema_not_text(self) -> None:
        with pytest.raises(LogFormatError, match='the "schema" field should be the text'):
            decode_record('{"schema": {"v": 1}, "type": "event"}')

    def test_unknown_type(self) -> None:
        with pytest.raises(LogFormatError) as caught:
            decode_record('{"schema": "vss-care-events/1", "type": "note"}')
        assert "type: is not one of 'inquiry', 'event', 'satisfaction'" in str(caught.value)

    def test_unknown_field_gets_close_matches(self) -> None:
        record = json.loads(
            encode_record(SatisfactionResponse(case_id="c1", answered_at=at(2, 9), overall=4))
        )
        record["satisfaction"]["overal"] = record["satisfaction"].pop("overall")
        with pytest.raises(LogFormatError) as caught:
            decode_record(json.dumps(record))
        assert "satisfaction.overal: is not a known field: did you mean 'overall'?" in str(
            caught.value
        )


class TestBounds:
    """Lines are bounded before they are parsed."""

    def test_nesting_refused_without_recursion_error(self) -> None:
        line = "[" * 1000 + "]" * 1000
        with pytest.raises(LogFormatError, match="line 9: lists and objects nest far too deeply"):
            decode_record(line, line_number=9)
        reader = EventLogReader([line, '{"a": ' * 1000 + "1" + "}" * 1000], skip_bad=True)
        assert list(reader) == []
        assert reader.bad_lines == (1, 2)

    def test_long_line(self) -> None:
        with pytest.raises(LogFormatError, match="longer than 1,000,000 bytes"):
            decode_record(b" " * (MAX_LINE_BYTES + 1))

    def test_not_utf8(self) -> None:
        line = b'{"schema": "vss-care-events/1", "type": "caf\xe9"}'
        with pytest.raises(LogFormatError) as caught:
            decode_record(line, line_number=3)
        assert str(caught.value) == (
            "line 3: not UTF-8 text (byte 0xe9 at offset 44 of the line): save the log as UTF-8"
        )

    def test_byte_order_mark_on_the_first_line(self, log: list[LogRecord]) -> None:
        first = encode_record(log[0])
        assert list(EventLogReader(["\ufeff" + first])) == [log[0]]
        assert list(EventLogReader([b"\xef\xbb\xbf" + first.encode()])) == [log[0]]
        with pytest.raises(LogFormatError, match="line 2"):
            list(EventLogReader([first, "\ufeff" + first]))


class TestReadEventLog:
    def test_missing_file_named(self, tmp_path: Path) -> None:
        path = tmp_path / "none.jsonl"
        with pytest.raises(InvalidInputError, match=f"{path} does not exist"):
            list(read_event_log(path))

    def test_a_utf16_log_is_refused_whole(self, log: list[LogRecord], tmp_path: Path) -> None:
        path = tmp_path / "events.jsonl"
        path.write_bytes((encode_record(log[0]) + "\n").encode("utf-16"))
        with pytest.raises(InvalidInputError, match="it looks like UTF-16"):
            list(read_event_log(path, skip_bad=True))

    def test_counts_over_read_lines(self, log: list[LogRecord], tmp_path: Path) -> None:
        path = tmp_path / "events.jsonl"
        path.write_text("\n".join([encode_record(log[0]), "oops", ""]) + "\n", encoding="utf-8")
        reader = EventLogReader(read_lines(path), skip_bad=True)
        assert list(reader) == [log[0]]
        assert (reader.records, reader.skipped, reader.lines_read) == (1, 1, 3)


class TestReader:
    def test_stops_at_first_bad_line(self, log: list[LogRecord]) -> None:
        lines = [encode_record(r) for r in log[:3]] + ["{oops"] + [encode_record(log[3])]
        reader = EventLogReader(lines)
        seen: list[LogRecord] = []
        with pytest.raises(LogFormatError, match="line 4"):
            seen.extend(reader)
        assert seen == log[:3]

    def test_skip_bad_counts(self, log: list[LogRecord]) -> None:
        lines = [encode_record(r) for r in log[:3]]
        lines[1:1] = ["{oops", "", "   "]
        reader = EventLogReader(io.StringIO("\n".join(lines) + "\n"), skip_bad=True)
        assert list(reader) == log[:3]
        assert (reader.skipped, reader.bad_lines, reader.lines_read) == (1, (2,), 6)


_scores = st.one_of(st.none(), st.integers(1, 5))


@given(
    overall=st.integers(1, 5),
    factors=st.tuples(_scores, _scores, _scores, _scores, _scores),
    minutes=st.integers(0, 60 * 24 * 365),
    comment=st.one_of(st.none(), st.text(min_size=1, max_size=40).filter(str.strip)),
)
def test_satisfaction_round_trip(
    overall: int,
    factors: tuple[int | None, ...],
    minutes: int,
    comment: str | None,
) -> None:
    """Any valid survey answer comes back equal from its log line."""
    names = ("accessibility", "procedures", "quality", "results", "feedback_handling")
    response = SatisfactionResponse(
        case_id="c-1",
        answered_at=at(2, 8) + timedelta(minutes=minutes),
        overall=overall,
        comment=comment,
        **dict(zip(names, factors, strict=True)),
    )
    assert decode_record(encode_record(response)) == response


def test_read_event_log_with_either_decoder(log: list[LogRecord], tmp_path: Path) -> None:
    """The reference decoder stays available and reads the same records."""
    path = tmp_path / "events.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_event_log(log, out)
    assert list(read_event_log(path, decoder="pydantic")) == list(read_event_log(path)) == log
    with pytest.raises(InvalidInputError, match="decoder= must be 'fast' or 'pydantic'"):
        list(read_event_log(path, decoder="json"))  # type: ignore[arg-type]
