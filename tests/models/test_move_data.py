"""A move's data: converted and checked in one pass, against a simple oracle of both steps."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from enum import Enum, IntEnum, StrEnum
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel
from pydantic_core import to_json

from vss_care_core.errors import InvalidInputError, NaiveDatetimeError
from vss_care_core.models import (
    EARLIEST_MOMENT,
    LATEST_MOMENT,
    MAX_DATA_BYTES,
    MAX_DATA_DEPTH,
    MAX_DATA_INTEGER,
    MIN_DATA_INTEGER,
    VIETNAM_TZ,
    Answer,
    check_event_values,
    require_aware,
)

PLAIN = (str, int, float, bool, type(None), list, dict)


class Colour(Enum):
    RED = "red"
    PAIR = (1, 2)


class Level(IntEnum):
    HIGH = 3


class Area(StrEnum):
    SOCIAL = "social"


class Code(str):
    """A text subclass, as some libraries return."""


class Count(int):
    """A whole-number subclass."""


class Ratio(float):
    """A number subclass."""


class Note(BaseModel):
    text: str
    pages: tuple[int, ...] = ()


def converted(data: Mapping[str, object]) -> dict[str, Any]:
    """The checked copy of a move's data."""
    return check_event_values(by="agent-7", event_id=None, data=data, convert=True)


def all_plain(value: object) -> bool:
    """True when ``value`` holds only the exact plain JSON types."""
    if type(value) not in PLAIN:
        return False
    if isinstance(value, list):
        return all(all_plain(item) for item in value)
    if isinstance(value, dict):
        return all(type(k) is str and all_plain(v) for k, v in value.items())
    return True


# -- the oracle: the two old steps, convert then check ---------------------------------------
class RefusedError(Exception):
    """The oracle refuses the data."""


def oracle_convert(value: object) -> object:  # noqa: PLR0911 - one per kind
    """A move's value in its JSON form, written plainly (no checks but the types)."""
    if isinstance(value, Enum) and not isinstance(value, str | int | float):
        return oracle_convert(value.value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [oracle_convert(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): oracle_convert(item) for key, item in value.items()}
    raise RefusedError


def oracle_check(value: object, level: int) -> None:
    """Refuse what an event cannot hold, the value being at ``level`` (the data is level 1)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise RefusedError from None
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        if not MIN_DATA_INTEGER <= value <= MAX_DATA_INTEGER:
            raise RefusedError
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise RefusedError
    elif isinstance(value, list | dict):
        if level > MAX_DATA_DEPTH:
            raise RefusedError
        items = value.values() if isinstance(value, dict) else value
        keys = value.keys() if isinstance(value, dict) else ()
        for key in keys:
            oracle_check(key, level)
        for item in items:
            oracle_check(item, level + 1)


def oracle(data: Mapping[str, object]) -> dict[str, Any]:
    result = oracle_convert(data)
    assert isinstance(result, dict)
    oracle_check(result, 1)
    compact = json.dumps(result, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    if len(compact.encode("utf-8")) > MAX_DATA_BYTES:
        raise RefusedError
    return result


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**65), max_value=2**65),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.text(alphabet=st.characters(min_codepoint=0xD7F0, max_codepoint=0xE010), max_size=3),
    st.sampled_from([Area.SOCIAL, Level.HIGH, Colour.RED, Colour.PAIR, Code("mã"), Count(7)]),
    st.sampled_from([Ratio(0.5), Ratio(float("nan"))]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.text(max_size=4), inner, max_size=3),
        st.dictionaries(st.integers(0, 9), inner, max_size=2),
    ),
    max_leaves=12,
)


def deep(levels: int) -> object:
    """A value nesting ``levels`` lists."""
    value: object = "leaf"
    for _ in range(levels):
        value = [value]
    return value


class TestAgainstTheOracle:
    @given(data=st.dictionaries(st.text(max_size=6), values, max_size=4))
    def test_same_result_or_both_refuse(self, data: dict[str, object]) -> None:
        try:
            expected = oracle(data)
        except RefusedError:
            with pytest.raises(InvalidInputError):
                converted(data)
            return
        result = converted(data)
        assert result == expected
        assert all_plain(result)
        assert json.loads(to_json(result)) == result
        check_event_values(by="agent-7", event_id=None, data=result)  # reads back as an event

    @given(levels=st.integers(0, 40))
    def test_depth_bound_of_lists_and_tuples(self, levels: int) -> None:
        """The data is level 1: a value may nest 31 more lists, tuples counting as lists."""
        for value in (deep(levels), (deep(levels),)):
            nests = levels + (1 if isinstance(value, tuple) else 0)
            if nests <= MAX_DATA_DEPTH - 1:
                assert converted({"v": value})["v"] == json.loads(json.dumps(value))
            else:
                with pytest.raises(InvalidInputError, match="nests more than 32 levels"):
                    converted({"v": value})


class TestConversions:
    def test_enum_members_become_plain_values(self) -> None:
        result = converted({"area": Area.SOCIAL, "level": Level.HIGH, "colour": Colour.RED})
        assert result == {"area": "social", "level": 3, "colour": "red"}
        assert [type(v) for v in result.values()] == [str, int, str]

    def test_an_enum_value_is_converted_too(self) -> None:
        assert converted({"pair": Colour.PAIR}) == {"pair": [1, 2]}

    def test_subclasses_become_plain(self) -> None:
        result = converted({"code": Code("x"), "count": Count(2), "ratio": Ratio(0.25)})
        assert result == {"code": "x", "count": 2, "ratio": 0.25}
        assert [type(v) for v in result.values()] == [str, int, float]

    def test_collections_become_lists(self) -> None:
        result = converted({"t": (1, (2, 3)), "s": {4}, "f": frozenset({5})})
        assert result == {"t": [1, [2, 3]], "s": [4], "f": [5]}

    def test_models_are_dumped_as_json(self) -> None:
        answer = Answer(text="Có", legal_basis=("Luật BHXH 2024",))
        result = converted({"answer": answer, "note": Note(text="n", pages=(1, 2))})
        assert result == {
            "answer": {
                "text": "Có",
                "legal_basis": ["Luật BHXH 2024"],
                "discloses_personal_data": False,
            },
            "note": {"text": "n", "pages": [1, 2]},
        }

    def test_aware_moments_become_iso_texts(self) -> None:
        moment = datetime(2026, 3, 2, 9, 30, tzinfo=VIETNAM_TZ)
        assert converted({"when": [moment]}) == {"when": ["2026-03-02T09:30:00+07:00"]}

    def test_keys_become_texts(self) -> None:
        result = converted({"by_level": {1: "a", Code("k"): "b", Area.SOCIAL: "c"}})
        assert result == {"by_level": {"1": "a", "k": "b", "social": "c"}}
        assert all(type(key) is str for key in result["by_level"])

    def test_other_mappings_become_dicts(self) -> None:
        result = converted(MappingProxyType({"m": MappingProxyType({"x": 1})}))
        assert result == {"m": {"x": 1}}
        assert type(result["m"]) is dict

    def test_the_copy_is_new(self) -> None:
        inner = {"x": [1]}
        result = converted({"inner": inner})
        result["inner"]["x"].append(2)
        assert inner == {"x": [1]}


class TestRefusals:
    def test_naive_moment_names_its_place(self) -> None:
        with pytest.raises(NaiveDatetimeError) as info:
            converted({"when": {"from": datetime(2026, 3, 2, 9, 0)}})  # noqa: DTZ001
        assert str(info.value).startswith("data['when']['from'] must be timezone-aware")

    def test_a_zone_without_offset_is_naive(self) -> None:
        class NoOffset(tzinfo):
            def utcoffset(self, dt: datetime | None) -> timedelta | None:
                return None

            def dst(self, dt: datetime | None) -> timedelta | None:
                return None

            def tzname(self, dt: datetime | None) -> str | None:
                return None

        with pytest.raises(NaiveDatetimeError):
            converted({"when": datetime(2026, 3, 2, tzinfo=NoOffset())})
        with pytest.raises(NaiveDatetimeError):
            require_aware(datetime(2026, 3, 2, tzinfo=NoOffset()), "at")

    def test_moments_out_of_range(self) -> None:
        early = EARLIEST_MOMENT - timedelta(microseconds=1)
        with pytest.raises(InvalidInputError) as info:
            converted({"when": early})
        assert str(info.value).startswith("data['when'] is before 1990-01-01 (UTC): moments")
        with pytest.raises(InvalidInputError, match=r"^data\['w'\] is on or after 2200-01-01"):
            converted({"w": LATEST_MOMENT})
        assert converted({"w": EARLIEST_MOMENT}) == {"w": "1990-01-01T00:00:00+00:00"}

    @pytest.mark.parametrize(
        ("value", "words"),
        [
            (Decimal("1.5"), "(got a Decimal)"),
            (b"bytes", "(got a bytes)"),
            (object(), "(got a object)"),
            (float("nan"), "must be a finite number"),
            (2**63, "must be a whole number between"),
            (Count(2**63), "must be a whole number between"),
            (Ratio(float("inf")), "must be a finite number"),
            ("a\ud800", "must be valid Unicode text"),
            (Code("a\udfff"), "must be valid Unicode text"),
        ],
    )
    def test_what_has_no_json_form(self, value: object, words: str) -> None:
        with pytest.raises(InvalidInputError) as info:
            converted({"x": [value]})
        message = str(info.value)
        assert message.startswith("data['x'][0] ")
        assert words in message

    def test_keys_that_are_not_unicode(self) -> None:
        with pytest.raises(InvalidInputError, match=r"^data\['m'\] has a key that is not valid"):
            converted({"m": {"a\ud800": 1}})
        with pytest.raises(InvalidInputError, match=r"^data has a key that is not valid Unicode"):
            converted({Code("\udc00"): 1})

    def test_without_convert_tuples_and_other_keys_are_refused(self) -> None:
        with pytest.raises(InvalidInputError, match=r"\(got a tuple\); use a list$"):
            check_event_values(by="a", event_id=None, data={"t": (1,)})
        with pytest.raises(InvalidInputError, match="has a key that is not a text"):
            check_event_values(by="a", event_id=None, data={"m": {1: "x"}})
        with pytest.raises(InvalidInputError, match=r"\(got a Colour\)$"):
            check_event_values(by="a", event_id=None, data={"c": Colour.RED})
        assert check_event_values(by="a", event_id=None, data={"k": Code("v")}) is None

    def test_size_bound(self) -> None:
        """64 KiB of compact UTF-8 JSON once converted is accepted; one byte more is not."""
        fits = {"t": ("ă" * ((MAX_DATA_BYTES - 10) // 2),)}  # '{"t":["' + text + '"]}'
        assert len(to_json(converted(fits))) == MAX_DATA_BYTES
        with pytest.raises(InvalidInputError, match="data takes 65,537 bytes as JSON"):
            converted({"t": (fits["t"][0] + "a",)})

    def test_data_must_be_a_mapping(self) -> None:
        with pytest.raises(InvalidInputError, match=r"^data must be a mapping .*\(got a list\)"):
            check_event_values(by="a", event_id=None, data=[], convert=True)  # type: ignore[call-overload]

    def test_by_and_id_are_checked_with_convert(self) -> None:
        with pytest.raises(InvalidInputError, match=r"^by= must be a text"):
            check_event_values(by="", event_id=None, data={}, convert=True)
        with pytest.raises(InvalidInputError, match=r"^event_id= must be a text"):
            check_event_values(by="a", event_id="e" * 65, data={}, convert=True)
        assert check_event_values(by="a", event_id=None, data={}, convert=True) == {}


class TestRange:
    """The year shortcut agrees with comparing the instants, whatever the offset."""

    @given(
        moment=st.datetimes(
            min_value=datetime(1988, 1, 1),  # noqa: DTZ001 - made aware below
            max_value=datetime(2201, 12, 31),  # noqa: DTZ001
        ),
        minutes=st.integers(-14 * 60, 14 * 60),
    )
    def test_accepted_exactly_inside(self, moment: datetime, minutes: int) -> None:
        aware = moment.replace(tzinfo=timezone(timedelta(minutes=minutes)))
        if EARLIEST_MOMENT <= aware < LATEST_MOMENT:
            assert require_aware(aware, "at") is aware
        else:
            with pytest.raises(InvalidInputError, match=r"^at is "):
                require_aware(aware, "at")

    @pytest.mark.parametrize(
        ("moment", "inside"),
        [
            (datetime(1990, 1, 1, 6, 59, tzinfo=VIETNAM_TZ), False),
            (datetime(1990, 1, 1, 7, 0, tzinfo=VIETNAM_TZ), True),
            (datetime(1991, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=14))), True),
            (datetime(1990, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-12))), True),
            (datetime(2198, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-12))), True),
            (datetime(2199, 12, 31, 19, 0, tzinfo=timezone(timedelta(hours=-5))), False),
            (datetime(2199, 12, 31, 18, 59, tzinfo=timezone(timedelta(hours=-5))), True),
            (datetime(2199, 6, 1, tzinfo=UTC), True),
        ],
    )
    def test_years_at_the_edges(self, moment: datetime, inside: bool) -> None:
        if inside:
            assert require_aware(moment, "at") is moment
        else:
            with pytest.raises(InvalidInputError):
                require_aware(moment, "at")
