"""Events: one set of rules for what is made and what is read, and what is accepted reads back."""

from __future__ import annotations

import json
import pickle
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from vss_care_core.errors import InvalidInputError, LogFormatError, NaiveDatetimeError
from vss_care_core.models import (
    EARLIEST_MOMENT,
    LATEST_MOMENT,
    MAX_BY_LENGTH,
    MAX_DATA_BYTES,
    MAX_DATA_DEPTH,
    MAX_DATA_INTEGER,
    MAX_EVENT_ID_LENGTH,
    MIN_DATA_INTEGER,
    VIETNAM_TZ,
    Event,
    Move,
    check_event_values,
    move_of,
    require_aware,
    trusted_event,
)
from vss_care_core.models._base import HIDDEN_INPUT
from vss_care_core.monitoring import decode_record
from vss_care_core.process import open_case
from vss_care_core.testing import make_inquiry

AT = datetime(2026, 3, 2, 9, 0, tzinfo=VIETNAM_TZ)
BASE: dict[str, Any] = {
    "case_id": "c-1",
    "seq": 1,
    "at": AT,
    "by": "agent-7",
    "action": "open",
    "to_state": "greet",
    "id": "e-1",
}


def nested(depth: int) -> dict[str, Any]:
    """A data mapping ``depth`` levels deep (the mapping itself is level 1)."""
    data: dict[str, Any] = {"leaf": 1}
    for _ in range(depth - 1):
        data = {"k": data}
    return data


def event_line(event: dict[str, Any]) -> str:
    return json.dumps({"schema": "vss-care-events/1", "type": "event", "event": event})


class TestEventValidates:
    def test_constructor_refuses_what_model_validate_refuses(self) -> None:
        """The fuzzed case: Event(seq=-5, at=<naive>, case_id="") is refused, field by field."""
        with pytest.raises(ValidationError) as info:
            Event(
                case_id="",
                seq=-5,
                at=datetime(2026, 3, 2, 9, 0),  # noqa: DTZ001
                by="agent-7",
                action="open",
                to_state="greet",
            )
        assert {error["loc"][0] for error in info.value.errors()} == {"case_id", "seq", "at"}

    @pytest.mark.parametrize(
        ("field", "value", "words"),
        [
            ("by", 7, "by= must be a text of 1 to 100 characters naming who acts (got a number)"),
            ("by", "x" * 101, "(got a text of 101 characters)"),
            ("id", "", "event_id= must be a text of 1 to 64 characters"),
            ("id", "e" * 65, "(got a text of 65 characters)"),
            ("id", 12, "(got a number)"),
            ("data", {"score": float("nan")}, "data['score'] must be a finite number"),
            ("data", {"score": float("-inf")}, "data['score'] must be a finite number"),
            ("data", {"note": "a\ud800b"}, "data['note'] must be valid Unicode text"),
            ("data", nested(2_000), "nests more than 32 levels"),
            ("data", {"big": 2**64}, "data['big'] must be a whole number between"),
            ("data", {"pair": (1, 2)}, "(got a tuple); use a list"),
            ("data", {1: "x"}, "data has a key that is not a text (got a number)"),
            ("at", datetime(1989, 12, 31, tzinfo=UTC), "before 1990-01-01"),
            ("at", datetime(2200, 1, 1, tzinfo=UTC), "on or after 2200-01-01"),
        ],
    )
    def test_refused_everywhere_with_the_same_words(
        self, field: str, value: object, words: str
    ) -> None:
        """Event(...), model_validate and the check of a move refuse alike, and say so alike."""
        values = {**BASE, field: value}
        for build in (lambda: Event(**values), lambda: Event.model_validate(values)):
            with pytest.raises(ValidationError) as info:
                build()
            assert words in str(info.value)
        if field in {"by", "id", "data"}:
            arguments = {"by": "agent-7", "event_id": None, "data": {}}
            arguments["event_id" if field == "id" else field] = value
            with pytest.raises(InvalidInputError) as refused:
                check_event_values(**arguments)  # type: ignore[arg-type]
            assert words in str(refused.value)

    def test_read_from_json_and_from_the_log_refuses_too(self) -> None:
        """NaN written by hand in a JSON log line is refused, not read as a float."""
        text = json.dumps({**BASE, "at": AT.isoformat()})
        bad = text.replace('"id"', '"data": {"score": NaN}, "id"')
        with pytest.raises(ValidationError, match="finite number"):
            Event.model_validate_json(bad)
        with pytest.raises(LogFormatError, match="by= must be a text of 1 to 100"):
            decode_record(event_line({**BASE, "at": AT.isoformat(), "by": "x" * 101}))
        line = event_line({**BASE, "at": AT.isoformat()})
        line = line.replace('"id"', '"data": {"s": NaN}, "id"')
        with pytest.raises(LogFormatError, match="finite number"):
            decode_record(line)

    def test_depth_bound(self) -> None:
        """32 levels are accepted, 33 refused, both when made and when read."""
        assert Event(**BASE, data=nested(MAX_DATA_DEPTH)).data["k"]
        check_event_values(by="a", event_id=None, data=nested(MAX_DATA_DEPTH))
        with pytest.raises(InvalidInputError, match="32 levels"):
            check_event_values(by="a", event_id=None, data=nested(MAX_DATA_DEPTH + 1))
        with pytest.raises(ValidationError, match="32 levels"):
            Event(**BASE, data=nested(MAX_DATA_DEPTH + 1))

    def test_size_bound(self) -> None:
        """64 KiB of compact UTF-8 JSON is accepted; one byte more is refused."""
        fits = {"t": "ă" * ((MAX_DATA_BYTES - 8) // 2)}  # '{"t":"' + text + '"}': 8 bytes more
        assert len(json.dumps(fits, ensure_ascii=False, separators=(",", ":")).encode()) == (
            MAX_DATA_BYTES
        )
        check_event_values(by="a", event_id=None, data=fits)
        too_big = {"t": fits["t"] + "x"}
        with pytest.raises(InvalidInputError, match="65,537 bytes"):
            check_event_values(by="a", event_id=None, data=too_big)
        with pytest.raises(ValidationError, match="at most 65,536"):
            Event(**BASE, data=too_big)

    def test_integer_bounds(self) -> None:
        """Whole numbers in the 64-bit signed range only: a longer one could not be read back."""
        check_event_values(
            by="a", event_id=None, data={"max": MAX_DATA_INTEGER, "min": MIN_DATA_INTEGER}
        )
        for value in (MAX_DATA_INTEGER + 1, MIN_DATA_INTEGER - 1, 10**5000):
            with pytest.raises(InvalidInputError, match="whole number"):
                check_event_values(by="a", event_id=None, data={"n": value})

    def test_lengths_at_their_bounds(self) -> None:
        """100 characters of by and 64 of id are accepted."""
        event = Event(**{**BASE, "by": "b" * MAX_BY_LENGTH, "id": "i" * MAX_EVENT_ID_LENGTH})
        assert Event.model_validate_json(event.model_dump_json()) == event

    def test_none_id_draws_a_new_one(self) -> None:
        """id=None (or no id) means a new random id."""
        first = Event(**{**BASE, "id": None})
        second = Event.model_validate({k: v for k, v in BASE.items() if k != "id"})
        assert len(first.id) == len(second.id) == 32
        assert first.id != second.id

    def test_data_is_copied_read_only_and_plain(self) -> None:
        """The event keeps its own copy: changing the caller's lists does not change it."""

        class Kind(StrEnum):
            QUESTION = "question"

        notes = ["first"]
        event = Event(**BASE, data={"notes": notes, "kind": Kind.QUESTION})
        notes.append("second")
        assert event.data["notes"] == ["first"]
        assert type(event.data["kind"]) is str
        assert isinstance(event.data, MappingProxyType)
        with pytest.raises(TypeError):
            event.data["kind"] = "x"  # type: ignore[index]

    def test_errors_never_hold_the_input(self) -> None:
        """errors() and json() of a refused event show the marker, not the values."""
        personal = "CCCD 079203001234"
        values = {**BASE, "by": personal * 10, "data": {"note": personal, "x": float("nan")}}
        for build in (
            lambda: Event(**values),
            lambda: Event.model_validate(values),
            lambda: Event.model_validate_json(json.dumps({**values, "at": "2026"})),
        ):
            with pytest.raises(ValidationError) as info:
                build()
            error = info.value
            assert {item["input"] for item in error.errors()} == {HIDDEN_INPUT}
            assert "079203001234" not in error.json() + str(error) + repr(error)
            assert error.__context__ is None


# -- accepted values read back equal ---------------------------------------------------------

LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["\ud800", "a\udfffb", "Nguyễn Văn An", ""])
)
JSONISH = st.recursive(
    LEAVES,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=6), children, max_size=3)
        | st.tuples(children, children)
    ),
    max_leaves=12,
)
DATA = st.dictionaries(st.text(max_size=8), JSONISH, max_size=4) | st.builds(
    nested, st.integers(min_value=30, max_value=34)
)
TEXTS = st.text(max_size=4) | st.text(min_size=60, max_size=110) | st.just("a\ud800")
MOMENTS = st.datetimes(
    min_value=datetime(1985, 1, 1),  # noqa: DTZ001
    max_value=datetime(2205, 1, 1),  # noqa: DTZ001
    timezones=st.sampled_from([UTC, VIETNAM_TZ, timezone(timedelta(hours=-3, minutes=-30))]),
)


def depth_of(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max((depth_of(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth_of(v) for v in value), default=0)
    return 0


def ints_in_range(value: object) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return MIN_DATA_INTEGER <= value <= MAX_DATA_INTEGER
    if isinstance(value, dict):
        return all(ints_in_range(v) for v in value.values())
    if isinstance(value, list | tuple):
        return all(ints_in_range(v) for v in value)
    return True


def oracle_accepts(data: Mapping[Any, Any]) -> bool:
    """A simple reference: the standard json module writes it and reads back the same thing."""
    try:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        size = len(text.encode("utf-8"))
    except (ValueError, UnicodeEncodeError, RecursionError):
        return False
    return (
        json.loads(text) == data
        and depth_of(dict(data)) <= MAX_DATA_DEPTH
        and size <= MAX_DATA_BYTES
        and ints_in_range(dict(data))
    )


def accepted(check: Any) -> bool:
    try:
        check()
    except (InvalidInputError, ValidationError):
        return False
    return True


class TestReadBack:
    @given(DATA)
    def test_data_rules_match_the_oracle(self, data: dict[Any, Any]) -> None:
        """check_event_values, Event(...) and the json-module oracle accept the same data."""
        expected = oracle_accepts(data)
        assert accepted(lambda: check_event_values(by="a", event_id=None, data=data)) is expected
        assert accepted(lambda: Event(**BASE, data=data)) is expected

    @given(by=TEXTS, event_id=st.none() | TEXTS | st.integers(), at=MOMENTS, data=DATA)
    def test_every_accepted_event_round_trips(
        self, by: str, event_id: Any, at: datetime, data: dict[str, Any]
    ) -> None:
        """What Event(...) accepts, JSON writes and model_validate_json reads back equal; and
        check_event_values accepts exactly the by, id and data that Event accepts."""
        values = {**BASE, "by": by, "id": event_id, "at": at, "data": data}
        try:
            event = Event(**values)
        except ValidationError:
            made = accepted(lambda: check_event_values(by=by, event_id=event_id, data=data))
            in_range = EARLIEST_MOMENT <= at < LATEST_MOMENT
            assert not (made and in_range)
            return
        check_event_values(by=by, event_id=event_id, data=data)
        text = event.model_dump_json()
        again = Event.model_validate_json(text)
        assert again == event
        assert again.model_dump_json() == text
        assert Event.model_validate(event.model_dump(mode="json")) == event
        assert pickle.loads(pickle.dumps(event)) == event  # noqa: S301 - our own bytes


class TestTrustedEvent:
    def test_same_event_as_the_validated_one(self) -> None:
        """For checked values, trusted_event builds the event Event(...) builds."""
        values = {**BASE, "step": None, "from_state": None, "data": MappingProxyType({"a": 1})}
        assert trusted_event(**values) == Event(**values)

    def test_keyword_only_and_data_made_read_only(self) -> None:
        """A plain dict is copied into a read-only mapping; positional calls are refused."""
        source = {"a": 1}
        event = trusted_event(**{**BASE, "step": None, "from_state": None, "data": source})
        source["a"] = 2
        assert event.data == {"a": 1}
        assert isinstance(event.data, MappingProxyType)
        with pytest.raises(TypeError):
            trusted_event("c", 1)  # type: ignore[misc]

    def test_trusted_event_equals_the_validated_one(self) -> None:
        """The trusted constructor builds the event validation builds from the same values."""
        data = MappingProxyType({"a": 1})
        event = trusted_event(
            case_id="c-1", seq=1, at=AT, by="agent-7", action="open", to_state="greet",
            step=None, from_state=None, data=data, id="e-1",
        )  # fmt: skip
        assert event == Event(**BASE, data={"a": 1})


class TestMove:
    def test_named_fields_in_order(self) -> None:
        """Move is a NamedTuple: fields by name, and unpacking in the old order still works."""
        event = Event(**{**BASE, "action": "complete", "step": "greet", "from_state": "greet"})
        move = move_of(event)
        assert isinstance(move, Move)
        assert move == Move(action="complete", from_state="greet", to_state="greet", step="greet")
        action, from_state, to_state, step = move
        assert (action, from_state, to_state, step) == ("complete", "greet", "greet", "greet")
        assert Move._fields == ("action", "from_state", "to_state", "step")
        assert {move: 1}[("complete", "greet", "greet", "greet")] == 1


class TestRepr:
    def test_data_values_masked_keys_shown(self) -> None:
        """Notes and answers never show; keys and True/False/None do."""
        note = "Khách Nguyễn Văn An gọi từ 0912345678"
        event = Event(**BASE, data={"note": note, "verified": True, "answer": {"text": note}})
        for text in (repr(event), str(event), repr((event,))):
            assert "Nguyễn" not in text
            assert "0912345678" not in text
            assert "'note': …" in text
            assert "'verified': True" in text

    def test_codes_shown_personal_values_masked(self) -> None:
        """by, ids and states show as codes; a name or a number in them is masked."""
        event = Event(**{**BASE, "by": "Nguyễn Văn An", "case_id": "079203001234"})
        text = repr(event)
        assert "by='<13 characters>'" in text
        assert "case_id='0792…34'" in text
        assert "action='open'" in text

    def test_history_of_a_case(self) -> None:
        """A case's history (a tuple of events) prints masked."""
        case = open_case(make_inquiry(), at=AT, by="switchboard")
        later = AT + timedelta(minutes=1)
        case.fire("request_info", at=later, by="officer-1", note="gọi 0912345678")
        assert "0912345678" not in repr(case.history)


class TestRequireAware:
    @pytest.mark.parametrize(
        ("value", "given"),
        [
            ("2026-04-01T08:30+07:00", "a text"),
            (1_772_420_400, "a number"),
            (date(2026, 3, 2), "a date without a time of day"),
            (None, "None"),
        ],
    )
    def test_wrong_types_refused_with_help(self, value: object, given: str) -> None:
        """Not a datetime: say what was given and show the two ways to give a moment."""
        with pytest.raises(InvalidInputError) as info:
            require_aware(value, "at")
        message = str(info.value)
        assert f"at must be an aware datetime (got {given})" in message
        assert "ZoneInfo('Asia/Ho_Chi_Minh')" in message
        assert "datetime.fromisoformat('2026-03-02T10:00+07:00')" in message
        if isinstance(value, str | int):
            assert str(value) not in message

    def test_naive_refused(self) -> None:
        """A naive datetime is a NaiveDatetimeError naming the argument."""
        with pytest.raises(NaiveDatetimeError) as info:
            require_aware(datetime(2026, 3, 2, 10, 0), "received_at")  # noqa: DTZ001
        assert info.value.name == "received_at"

    def test_range_boundaries(self) -> None:
        """1990-01-01 00:00 UTC is accepted, a microsecond earlier is not; 2200 is excluded."""
        tick = timedelta(microseconds=1)
        assert require_aware(EARLIEST_MOMENT, "at") == EARLIEST_MOMENT
        assert require_aware(LATEST_MOMENT - tick, "at") == LATEST_MOMENT - tick
        with pytest.raises(InvalidInputError, match="at is before 1990-01-01"):
            require_aware(EARLIEST_MOMENT - tick, "at")
        with pytest.raises(InvalidInputError, match="at is on or after 2200-01-01"):
            require_aware(LATEST_MOMENT, "at")
        birth = datetime(1985, 5, 12, tzinfo=VIETNAM_TZ)
        with pytest.raises(InvalidInputError) as info:
            require_aware(birth, "at")
        assert "1985" not in str(info.value)

    def test_range_applies_to_models(self) -> None:
        """An inquiry received in 1985 is refused like an event of 1985."""
        with pytest.raises(ValidationError, match="before 1990-01-01"):
            make_inquiry(received_at=datetime(1985, 1, 1, tzinfo=UTC))
