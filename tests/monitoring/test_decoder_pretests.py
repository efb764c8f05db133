"""The fast decoder's pre-tests on a line's bytes: each one exact, both sides of each bound.

The models' rules on an event's data, ``by`` and id are asked only when the line can break
one (:func:`_may_break_rules`); these tests check that a line that can break none indeed breaks
none, and that the lines on either side of each bound are decided as the reference decides.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import to_json
from tests.monitoring.test_decoder import _event, _line, check_line

from vss_care_core.models import MAX_DATA_BYTES, MAX_DATA_DEPTH
from vss_care_core.monitoring._decode import (
    _DECODER,
    _LONGEST_SMALL_LINE,
    _checked,
    _EventLine,
    _may_break_rules,
    _shape,
    fast_record,
)


def _nested(levels: int) -> dict[str, Any]:
    """Data that nests ``levels`` mappings (the data itself is the first)."""
    value: dict[str, Any] = {"a": 1}
    for _ in range(levels - 1):
        value = {"a": value}
    return value


def _pretest(line: str) -> bool:
    raw = line.encode()
    return _may_break_rules(raw, _shape(raw))


def test_the_writers_lines_need_no_rule_asked() -> None:
    assert not _pretest(_line(_event()))
    assert not _pretest(_line(_event(data={"note": "Khách gọi lại sau", "n": 2**59})))


@pytest.mark.parametrize(
    ("data", "asked"),
    [
        ({"n": 10**17}, False),  # 18 digits
        ({"n": 2**63 - 1}, True),  # 19 digits, in range
        ({"n": 2**63}, True),  # out of range
        ({"text": "0" * 19}, True),  # a run in a text: asked, and accepted
        ({"text": "ok\n"}, True),  # an escape
        ({"text": "\u00e9"}, False),  # written as UTF-8 by json.dumps(ensure_ascii=False)
        (_nested(MAX_DATA_DEPTH), False),  # 2 + 32 openings
        (_nested(MAX_DATA_DEPTH + 1), True),
        ({"text": "[" * (MAX_DATA_DEPTH + 1)}, True),  # brackets in a text: asked, accepted
        ({"text": "x" * (_LONGEST_SMALL_LINE - 400)}, False),
        ({"text": "x" * _LONGEST_SMALL_LINE}, True),
    ],
)
def test_each_bound_from_both_sides(data: dict[str, Any], asked: bool) -> None:
    line = _line(_event(data=data))
    assert _pretest(line) is asked
    check_line(line)  # both decoders decide alike


def test_an_escaped_surrogate_pair_is_read_fast() -> None:
    line = _line(_event(data={"smile": "😀"})).replace("😀", "\\ud83d\\ude00")
    assert _pretest(line)
    record = fast_record(line)
    assert record is not None
    assert check_line(line) == record


def test_seven_decimals_in_a_time_go_to_the_reference() -> None:
    assert fast_record(_line(_event(at="2026-03-02T09:00:00.123456+07:00"))) is not None
    assert fast_record(_line(_event(at="2026-03-02T09:00:00.1234567+07:00"))) is None


_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3)
    ),
    max_leaves=20,
)


@settings(max_examples=300)
@given(data=st.dictionaries(st.text(max_size=4), _json, max_size=4), ascii_only=st.booleans())
def test_a_line_that_can_break_no_rule_breaks_none(data: dict[str, Any], ascii_only: bool) -> None:
    """The pre-test is exact: when it says no rule can be broken, the rules accept the event."""
    raw = json.dumps(
        {"schema": "vss-care-events/1", "type": "event", "event": _event(data=data)},
        ensure_ascii=ascii_only,
    ).encode()
    parsed = _DECODER.decode(raw)
    assert isinstance(parsed, _EventLine)
    if not _may_break_rules(raw, _shape(raw)):
        assert _checked(parsed.event)


@settings(max_examples=300)
@given(
    st.lists(
        st.one_of(
            st.floats(allow_nan=False, allow_infinity=False),
            st.integers(-(2**63), 2**63 - 1),
            st.sampled_from(["1e15", "9e15", "-1e15", "1E9", "5e-5", "0e0"]),
        ),
        max_size=30,
    )
)
def test_numbers_grow_at_most_four_and_a_half_times(numbers: list[float | int | str]) -> None:
    """The bound behind the longest line that cannot hold data too large: written again as
    compact JSON, a number takes at most 4.5 times its bytes in the line."""
    written = "[" + ",".join(n if isinstance(n, str) else json.dumps(n) for n in numbers) + "]"
    decoded = msgspec.json.decode(written.encode())
    assert len(to_json(decoded)) <= 4.5 * len(written)
    assert _LONGEST_SMALL_LINE * 4.5 < MAX_DATA_BYTES
