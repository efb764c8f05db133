"""Conditions: exact descriptions, traces, reprs and refusals, and a plain oracle for matching.

A routing decision is explained to the officer who reads it, so what a trace says is checked
word for word; which inquiries a field condition accepts is checked against a plain re-reading
of its keys on random inquiries.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from vss_care_core.models import Inquiry, Priority
from vss_care_core.routing import (
    AllOf,
    Always,
    AnyOf,
    Condition,
    ConditionTrace,
    FieldCondition,
    KeywordCondition,
    Not,
)
from vss_care_core.routing._facts import facts_of

CONDITION: TypeAdapter[Condition] = TypeAdapter(Condition)
AT = datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def _make(**fields: Any) -> Inquiry:
    """An e-mail question from an individual, with ``fields`` changed."""
    data: dict[str, Any] = {
        "channel": "email",
        "received_at": AT,
        "requester": {"type": "individual"},
        "subject": "Hỏi đáp",
        "content": "Xin hỏi",
    }
    data.update(fields)
    return Inquiry.model_validate(data)


QUESTION = _make(
    kind="question",
    policy_areas=["social", "health"],
    topic="pension",
    subject="Thẻ BHYT",
    content="Lương hưu và thẻ của tôi",
)
"""An e-mail question on social and health insurance, topic pension, no province."""


def parse(condition: Any) -> Any:
    """The condition read from its table."""
    return CONDITION.validate_python(condition)


def lines(condition: Any, inquiry: Inquiry = QUESTION) -> list[str]:
    """The trace of a condition on an inquiry, as lines."""
    return list(parse(condition).trace(facts_of(inquiry)).lines())


class TestFieldTraces:
    """A field trace gives the inquiry's value of each tested field, and which failed."""

    def test_every_field(self) -> None:
        """Each key in the order of FIELD_KEYS, unknown values and failures marked."""
        condition = {
            "channel": ["phone"],
            "kind": ["question"],
            "policy_area": ["unemployment"],
            "topic": ["pension"],
            "priority": ["normal"],
            "requester_type": ["individual"],
            "province": ["Hà Nội"],
            "language": ["vi"],
        }
        assert lines(condition) == [
            "[no ] channel in [phone] and kind in [question] and policy_area in [unemployment] "
            "and topic in [pension] and priority in [normal] and requester_type in [individual] "
            "and province in [Hà Nội] and language in [vi]: channel is email (no match); "
            "kind is question; policy areas are health, social (no match); topic is pension; "
            "priority is normal; requester_type is individual; province is unknown (no match); "
            "language is vi"
        ]

    def test_holding_and_empty_areas(self) -> None:
        """A held test has no mark; an inquiry without areas shows 'none'."""
        assert lines({"policy_area": ["health"]}) == [
            "[yes] policy_area in [health]: policy areas are health, social"
        ]
        assert lines({"policy_area": ["health"]}, _make()) == [
            "[no ] policy_area in [health]: policy areas are none (no match)"
        ]
        assert lines({"kind": ["complaint"]}, _make()) == [
            "[no ] kind in [complaint]: kind is unknown (no match)"
        ]

    def test_min_priority(self) -> None:
        """min_priority is described as 'priority at least' and traced on the priority."""
        assert lines({"min_priority": "high"}, _make(priority="urgent")) == [
            "[yes] priority at least high: priority is urgent"
        ]
        assert lines({"min_priority": "high"}) == [
            "[no ] priority at least high: priority is normal (no match)"
        ]

    def test_priority_with_min_priority_is_their_intersection(self) -> None:
        """priority and min_priority together accept the listed levels at least that high."""
        condition = parse({"priority": ["low", "high"], "min_priority": "normal"})
        assert condition.accepted() == {"priority": frozenset({Priority.HIGH})}
        only_min = parse({"min_priority": "high"})
        assert only_min.accepted() == {"priority": frozenset({Priority.HIGH, Priority.URGENT})}
        both = parse({"channel": ["email"], "min_priority": "urgent"})
        assert both.accepted() == {
            "channel": frozenset({"email"}),
            "priority": frozenset({Priority.URGENT}),
        }

    def test_several_values_are_listed(self) -> None:
        """A test on several values lists them all, separated by commas."""
        condition = parse({"channel": ["phone", "email"], "topic": ["pension", "refund"]})
        assert condition.describe() == ("channel in [phone, email] and topic in [pension, refund]")

    def test_repr_leaves_unset_keys_out(self) -> None:
        """repr names only the keys given."""
        assert repr(parse({"channel": ["phone"]})) == (
            "FieldCondition(channel=(<Channel.PHONE: 'phone'>,))"
        )


class TestKeywordTraces:
    """A keyword trace names the rule's keywords found and missing."""

    def test_all_keywords_missing_one(self) -> None:
        """all_keywords with one missing lists both."""
        assert lines({"all_keywords": ["thẻ", "bhyt", "lương hưu", "sổ"]}) == [
            "[no ] all of the keywords ['thẻ', 'bhyt', 'lương hưu', 'sổ'] in subject or content: "
            "found ['thẻ', 'bhyt', 'lương hưu'], missing ['sổ']"
        ]

    def test_all_found_and_none_found(self) -> None:
        """Every keyword found says only found; none found says so."""
        assert lines({"all_keywords": ["thẻ", "lương hưu"]}) == [
            "[yes] all of the keywords ['thẻ', 'lương hưu'] in subject or content: "
            "found ['thẻ', 'lương hưu']"
        ]
        assert lines({"any_keywords": ["sổ"], "scope": "subject"}) == [
            "[no ] any of the keywords ['sổ'] in subject: none found"
        ]
        assert lines({"any_keywords": ["sổ", "thẻ"], "scope": "content"}) == [
            "[yes] any of the keywords ['sổ', 'thẻ'] in content: found ['thẻ']"
        ]

    def test_any_keywords_missing_some_are_not_listed(self) -> None:
        """any_keywords does not list what is missing."""
        assert lines({"any_keywords": ["thẻ", "sổ"]}) == [
            "[yes] any of the keywords ['thẻ', 'sổ'] in subject or content: found ['thẻ']"
        ]

    @pytest.mark.parametrize(
        ("scope", "phrase", "held"),
        [
            ("subject", "thẻ bhyt", True),
            ("content", "thẻ bhyt", False),
            ("text", "thẻ bhyt", True),
            ("subject", "lương hưu", False),
            ("content", "lương hưu", True),
            ("text", "lương hưu", True),
            ("subject", "bhyt", True),
            ("content", "bhyt", False),
            ("subject", "hưu", False),
            ("content", "hưu", True),
        ],
    )
    def test_scope_of_words_and_phrases(self, scope: str, phrase: str, held: bool) -> None:
        """Words and phrases are looked for where the scope says."""
        condition = parse({"any_keywords": [phrase], "scope": scope})
        assert condition.matches(facts_of(QUESTION)) is held

    def test_keyword_properties(self) -> None:
        """keywords as written, folded words, and which list was given."""
        any_of = parse({"any_keywords": ["Lương Hưu", "thẻ"]})
        assert any_of.keywords == ("Lương Hưu", "thẻ")
        assert any_of.folded == (("luong", "huu"), ("the",))
        assert not any_of.needs_all
        all_of = parse({"all_keywords": ["đóng"]})
        assert all_of.keywords == ("đóng",)
        assert all_of.needs_all

    def test_refusals_name_the_keyword(self) -> None:
        """A keyword without letters or too long is named in the message."""
        with pytest.raises(ValidationError, match=r"keyword '\?!' has no letters or digits"):
            parse({"any_keywords": ["?!"]})
        with pytest.raises(
            ValidationError, match="keyword 'a b c d e f g h i' has 9 words; at most 8"
        ):
            parse({"all_keywords": ["a b c d e f g h i"]})
        parse({"all_keywords": ["a b c d e f g h"]})
        for both_or_none in ({"any_keywords": ["a"], "all_keywords": ["b"]}, {"scope": "text"}):
            with pytest.raises(ValidationError, match="give exactly one of any_keywords or"):
                parse(both_or_none)


class TestCombinatorTraces:
    """all, any and not: their descriptions, details, parts and depth."""

    def test_all_of(self) -> None:
        """all of: how many parts failed, every part below, indented."""
        condition = {"all": [{"channel": ["email"]}, {"channel": ["phone"]}, {"kind": ["support"]}]}
        assert parse(condition).describe() == (
            "all of (channel in [email]; channel in [phone]; kind in [support])"
        )
        assert lines(condition) == [
            "[no ] all of: 2 of 3 parts failed",
            "  [yes] channel in [email]: channel is email",
            "  [no ] channel in [phone]: channel is email (no match)",
            "  [no ] kind in [support]: kind is question (no match)",
        ]
        assert lines({"all": [{"channel": ["email"]}]}) == [
            "[yes] all of: every part held",
            "  [yes] channel in [email]: channel is email",
        ]

    def test_any_of(self) -> None:
        """any of: how many parts held, or that none did."""
        condition = {"any": [{"channel": ["email"]}, {"kind": ["question"]}, {"topic": ["x"]}]}
        assert parse(condition).describe() == (
            "any of (channel in [email]; kind in [question]; topic in [x])"
        )
        assert lines(condition)[0] == "[yes] any of: 2 of 3 parts held"
        assert lines({"any": [{"channel": ["phone"]}]}) == [
            "[no ] any of: no part held",
            "  [no ] channel in [phone]: channel is email (no match)",
        ]

    def test_not(self) -> None:
        """not: the part's trace below, inverted above."""
        assert parse({"not": {"channel": ["phone"]}}).describe() == "not (channel in [phone])"
        assert lines({"not": {"channel": ["phone"]}}) == [
            "[yes] not: the part failed",
            "  [no ] channel in [phone]: channel is email (no match)",
        ]
        assert lines({"not": {"channel": ["email"]}}) == [
            "[no ] not: the part held",
            "  [yes] channel in [email]: channel is email",
        ]

    def test_always(self) -> None:
        """always holds and says so."""
        assert lines({}) == ["[yes] always: matches every inquiry"]
        assert parse({"always": True}).describe() == "always"

    def test_depth(self) -> None:
        """Depth is 1 for a leaf, 1 + the deepest part for a combinator."""
        leaf = {"channel": ["email"]}
        assert parse(leaf).depth() == 1
        assert parse({}).depth() == 1
        assert parse({"any_keywords": ["a"]}).depth() == 1
        assert parse({"not": leaf}).depth() == 2
        assert parse({"all": [leaf, {"not": {"not": leaf}}]}).depth() == 4
        assert parse({"any": [{"all": [leaf]}, leaf]}).depth() == 3

    def test_nested_lines_indent_by_level(self) -> None:
        """Each level indents by two spaces; lines() can start deeper."""
        trace = parse({"all": [{"not": {"channel": ["phone"]}}]}).trace(facts_of(QUESTION))
        assert list(trace.lines(1)) == [
            "  [yes] all of: every part held",
            "    [yes] not: the part failed",
            "      [no ] channel in [phone]: channel is email (no match)",
        ]
        assert isinstance(trace, ConditionTrace)
        assert trace.description == "all of"


class TestReading:
    """How tables are read into conditions."""

    def test_mixed_table_order(self) -> None:
        """Fields, keywords, all, any, not, then always."""
        parsed = parse(
            {
                "always": True,
                "not": {"channel": ["phone"]},
                "any": [{"kind": ["question"]}],
                "all": [{"topic": ["pension"]}],
                "scope": "subject",
                "any_keywords": ["thẻ"],
                "language": ["vi"],
            }
        )
        assert isinstance(parsed, AllOf)
        assert [type(part) for part in parsed.all_of] == [
            FieldCondition,
            KeywordCondition,
            AllOf,
            AnyOf,
            Not,
            Always,
        ]
        assert parsed.all_of[1].scope == "subject"
        assert parsed.matches(facts_of(QUESTION))

    def test_already_parsed_conditions_are_kept(self) -> None:
        """A condition object inside a table is taken as it is."""
        inner = FieldCondition(channel=["email"])
        parsed = parse({"all": [inner, Always()]})
        assert parsed.all_of == (inner, Always())
        assert parse(inner) is inner or parse(inner) == inner
        assert parse(Not.model_validate({"not": {}})).negated == Always()

    def test_unknown_key_message(self) -> None:
        """An unknown key is named, with every known key."""
        with pytest.raises(ValidationError) as info:
            parse({"chanel": ["phone"], "kind": ["question"]})
        assert (
            "unknown condition key(s) ['chanel']; use channel, kind, policy_area, topic, "
            "priority, min_priority, requester_type, province, language, any_keywords, "
            "all_keywords, scope, all, any, not, always" in str(info.value)
        )

    def test_not_a_table(self) -> None:
        """A value that is not a table is refused with what a condition is."""
        for bad in (5, "channel", ["channel"]):
            with pytest.raises(ValidationError, match="a condition is a table of field tests"):
                parse(bad)

    def test_field_condition_needs_a_key(self) -> None:
        """A field table with only empty keys is refused, naming the keys."""
        with pytest.raises(
            ValidationError, match="a field condition needs at least one of channel"
        ):
            parse({"channel": None})

    def test_combinator_with_other_keys_is_split(self) -> None:
        """'all' with a field key is read as all of both."""
        parsed = parse({"all": [{"kind": ["question"]}], "channel": ["phone"]})
        assert isinstance(parsed, AllOf)
        assert not parsed.matches(facts_of(QUESTION))
        assert parse({"not": {"kind": ["question"]}, "any": [{"channel": ["email"]}]}).depth() == 3


# -- a plain oracle for field conditions -----------------------------------------------------
RANK = {"low": 0, "normal": 1, "high": 2, "urgent": 3}
inquiries = st.builds(
    lambda channel, kind, areas, topic, priority, organisation, language: _make(
        channel=channel,
        policy_areas=areas,
        priority=priority,
        language=language,
        requester={"type": "organization", "name": "Công ty An Phát"}
        if organisation
        else {"type": "individual"},
        **({"kind": kind} if kind else {}),
        **({"topic": topic} if topic else {}),
    ),
    st.sampled_from(["email", "phone", "portal"]),
    st.sampled_from([None, "question", "complaint"]),
    st.lists(st.sampled_from(["social", "health", "unemployment"]), unique=True, max_size=2),
    st.sampled_from([None, "pension", "refund"]),
    st.sampled_from(list(RANK)),
    st.booleans(),
    st.sampled_from(["vi", "en"]),
)
field_tables = st.fixed_dictionaries(
    {},
    optional={
        "channel": st.lists(st.sampled_from(["email", "phone"]), min_size=1, unique=True),
        "kind": st.lists(st.sampled_from(["question", "support"]), min_size=1, unique=True),
        "policy_area": st.lists(st.sampled_from(["social", "health"]), min_size=1, unique=True),
        "topic": st.lists(st.sampled_from(["pension", "card"]), min_size=1, unique=True),
        "priority": st.lists(st.sampled_from(list(RANK)), min_size=1, unique=True),
        "min_priority": st.sampled_from(list(RANK)),
        "requester_type": st.lists(
            st.sampled_from(["individual", "organization"]), min_size=1, unique=True
        ),
        "language": st.lists(st.sampled_from(["vi", "en"]), min_size=1, unique=True),
    },
).filter(bool)


def field_oracle(table: dict[str, Any], inquiry: Inquiry) -> bool:
    """Whether every key of a field table holds, read plainly from the inquiry."""
    values = {
        "channel": inquiry.channel.value,
        "kind": inquiry.kind.value if inquiry.kind else None,
        "topic": inquiry.topic,
        "priority": inquiry.priority.value,
        "requester_type": inquiry.requester.type,
        "language": inquiry.language,
    }
    areas = {area.value for area in inquiry.policy_areas}
    for key, accepted in table.items():
        if key == "policy_area":
            if not areas & set(accepted):
                return False
        elif key == "min_priority":
            if RANK[values["priority"]] < RANK[accepted]:
                return False
        elif values[key] not in accepted:
            return False
    return True


@given(field_tables, inquiries)
def test_field_condition_agrees_with_a_plain_reading(
    table: dict[str, Any], inquiry: Inquiry
) -> None:
    """A field condition holds exactly when every key holds; its trace agrees and marks the
    failed keys."""
    condition = parse(table)
    facts = facts_of(inquiry)
    expected = field_oracle(table, inquiry)
    assert condition.matches(facts) is expected
    trace = condition.trace(facts)
    assert trace.held is expected
    assert ("(no match)" not in trace.detail) is expected
    assert parse({"not": table}).matches(facts) is not expected
    assert parse({"any": [table, {"not": {}}]}).matches(facts) is expected
    assert parse({"all": [table, {}]}).trace(facts).held is expected
