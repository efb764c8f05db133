"""Each kind of condition, on hand-made inquiries."""

from __future__ import annotations

import unicodedata

import pytest
from pydantic import TypeAdapter, ValidationError

from vss_care_core.routing import (
    AllOf,
    Always,
    AnyOf,
    Condition,
    FieldCondition,
    KeywordCondition,
    Not,
)
from vss_care_core.routing._facts import facts_of

CONDITION: TypeAdapter[Condition] = TypeAdapter(Condition)


def holds(condition: object, inquiry: object) -> bool:
    """Whether the condition holds for the inquiry."""
    parsed = CONDITION.validate_python(condition)
    return parsed.matches(facts_of(inquiry))  # type: ignore[arg-type]


class TestFieldCondition:
    """Field tests: one key per field, several keys all hold."""

    def test_channel(self, make_inquiry):
        """channel accepts any listed channel."""
        assert holds({"channel": ["phone", "email"]}, make_inquiry(channel="email"))
        assert not holds({"channel": ["phone"]}, make_inquiry(channel="email"))

    def test_kind_missing_fails(self, make_inquiry):
        """An inquiry not yet classified fails a test on kind."""
        assert not holds({"kind": ["question"]}, make_inquiry())
        assert holds({"kind": ["question"]}, make_inquiry(kind="question"))

    def test_policy_area_any_overlap(self, make_inquiry):
        """policy_area holds when the inquiry concerns one of the listed areas."""
        inquiry = make_inquiry(policy_areas=["social", "health"])
        assert holds({"policy_area": ["health"]}, inquiry)
        assert not holds({"policy_area": ["unemployment"]}, inquiry)
        assert not holds({"policy_area": ["health"]}, make_inquiry())

    def test_topic(self, make_inquiry):
        """topic compares codes."""
        assert holds({"topic": ["pension"]}, make_inquiry(topic="pension"))
        assert not holds({"topic": ["pension"]}, make_inquiry(topic="refund"))
        assert not holds({"topic": ["pension"]}, make_inquiry())

    def test_priority_and_min_priority(self, make_inquiry):
        """min_priority holds from that level up; with priority, both must hold."""
        assert holds({"min_priority": "high"}, make_inquiry(priority="urgent"))
        assert not holds({"min_priority": "high"}, make_inquiry(priority="normal"))
        both = {"priority": ["low", "high"], "min_priority": "normal"}
        assert holds(both, make_inquiry(priority="high"))
        assert not holds(both, make_inquiry(priority="low"))

    def test_requester_type(self, make_inquiry):
        """requester_type tells individuals from organisations."""
        org = make_inquiry(requester={"type": "organization", "name": "Công ty An Phát"})
        assert holds({"requester_type": ["organization"]}, org)
        assert not holds({"requester_type": ["organization"]}, make_inquiry())

    def test_province_accepts_former_names(self, make_inquiry):
        """A rule written with a former province name matches the merged province."""
        condition = {"province": ["Bình Dương"]}
        assert CONDITION.validate_python(condition).province == ("TP Hồ Chí Minh",)
        assert holds(condition, make_inquiry(province="TP Hồ Chí Minh"))
        assert holds(condition, make_inquiry(province="Bà Rịa - Vũng Tàu"))
        assert not holds(condition, make_inquiry(province="Hà Nội"))
        assert not holds(condition, make_inquiry())

    def test_language(self, make_inquiry):
        """language compares the inquiry's language tag."""
        assert holds({"language": ["en"]}, make_inquiry(language="en"))
        assert not holds({"language": ["en"]}, make_inquiry())

    def test_several_fields_all_hold(self, make_inquiry):
        """Several keys in one table all have to hold."""
        condition = {"channel": ["phone"], "kind": ["complaint"]}
        assert holds(condition, make_inquiry(channel="phone", kind="complaint"))
        assert not holds(condition, make_inquiry(channel="phone", kind="question"))

    def test_refuses_unknown_values_and_empty_lists(self):
        """Unknown enum values, empty lists and unknown provinces are refused."""
        for bad in ({"channel": ["fax"]}, {"kind": []}, {"province": ["Atlantis"]}):
            with pytest.raises(ValidationError):
                CONDITION.validate_python(bad)


class TestCombinators:
    """all, any, not and always."""

    def test_all(self, make_inquiry):
        """all holds when every part holds."""
        condition = {"all": [{"channel": ["email"]}, {"any_keywords": ["hưu"]}]}
        assert holds(condition, make_inquiry(content="lương hưu"))
        assert not holds(condition, make_inquiry(content="thẻ"))

    def test_any(self, make_inquiry):
        """any holds when one part holds."""
        condition = {"any": [{"channel": ["phone"]}, {"topic": ["pension"]}]}
        assert holds(condition, make_inquiry(topic="pension"))
        assert not holds(condition, make_inquiry())

    def test_not(self, make_inquiry):
        """not inverts its part."""
        assert holds({"not": {"channel": ["phone"]}}, make_inquiry())
        assert not holds({"not": {"channel": ["email"]}}, make_inquiry())

    def test_always_and_empty_table(self, make_inquiry):
        """always = true and an empty table match everything."""
        assert isinstance(CONDITION.validate_python({}), Always)
        assert holds({"always": True}, make_inquiry())

    def test_mixed_table_is_all_of_its_parts(self, make_inquiry):
        """Field keys, keywords and combinators in one table are read as all of them."""
        parsed = CONDITION.validate_python(
            {"kind": ["complaint"], "any_keywords": ["thẻ"], "not": {"channel": ["phone"]}}
        )
        assert isinstance(parsed, AllOf)
        assert [type(p) for p in parsed.all_of] == [FieldCondition, KeywordCondition, Not]
        assert holds(parsed, make_inquiry(kind="complaint", content="thẻ BHYT"))
        assert not holds(parsed, make_inquiry(kind="complaint", channel="phone", content="thẻ"))

    def test_unknown_key_is_named(self):
        """An unknown key is refused and named."""
        with pytest.raises(ValidationError, match="unknown condition key"):
            CONDITION.validate_python({"chanel": ["phone"]})

    def test_round_trip(self):
        """A condition dumped by alias reads back equal."""
        parsed = CONDITION.validate_python(
            {"any": [{"kind": ["question"]}, {"not": {"all_keywords": ["a", "b c"]}}]}
        )
        assert isinstance(parsed, AnyOf)
        dumped = CONDITION.dump_python(parsed, mode="json", by_alias=True, exclude_defaults=True)
        assert dumped == {"any": [{"kind": ["question"]}, {"not": {"all_keywords": ["a", "b c"]}}]}
        assert CONDITION.validate_python(dumped) == parsed


class TestKeywords:
    """Keywords: whole words, no diacritics or case needed, phrases as consecutive words."""

    @pytest.mark.parametrize(
        ("keyword", "text"),
        [
            ("luong huu", "Cách tính lương hưu thế nào?"),
            ("lương hưu", "CÁCH TÍNH LUONG HUU"),
            ("đóng", "Tôi ĐÓNG bhxh"),
            ("Đóng", "tôi dong bhxh"),
            ("dong", "Công ty chưa đóng"),
            ("thẻ bhyt", "Thẻ BHYT: hết hạn?"),
        ],
    )
    def test_diacritics_case_and_d(self, make_inquiry, keyword, text):
        """Keywords match with or without diacritics, in any case, đ as d."""
        assert holds({"any_keywords": [keyword]}, make_inquiry(content=text))

    def test_composed_and_decomposed_unicode(self, make_inquiry):
        """NFC and NFD forms of the same words match each other both ways."""
        nfc = unicodedata.normalize("NFC", "lương hưu")
        nfd = unicodedata.normalize("NFD", "lương hưu")
        assert nfc != nfd
        assert holds({"any_keywords": [nfd]}, make_inquiry(content=f"Hỏi về {nfc}"))
        assert holds({"any_keywords": [nfc]}, make_inquiry(content=f"Hỏi về {nfd}"))

    def test_whole_words_only(self, make_inquiry):
        """'the' does not match inside 'thêm'; 'huu' does not match 'huuu'."""
        assert not holds({"any_keywords": ["the"]}, make_inquiry(content="thêm thắt"))
        assert holds({"any_keywords": ["the"]}, make_inquiry(content="thêm thẻ"))
        assert not holds({"any_keywords": ["huu"]}, make_inquiry(content="huuu"))

    def test_phrase_needs_consecutive_words(self, make_inquiry):
        """A phrase matches only when its words are consecutive, in order."""
        condition = {"any_keywords": ["lương hưu"]}
        assert not holds(condition, make_inquiry(content="lương tháng và hưu trí"))
        assert not holds(condition, make_inquiry(content="hưu lương"))
        assert holds(condition, make_inquiry(content="mức lương, hưu trí... lương  hưu"))

    def test_phrase_does_not_span_subject_and_content(self, make_inquiry):
        """Subject and content are separate texts."""
        inquiry = make_inquiry(subject="Lương", content="hưu trí")
        assert not holds({"any_keywords": ["lương hưu"]}, inquiry)

    def test_all_keywords(self, make_inquiry):
        """all_keywords needs every keyword, anywhere."""
        condition = {"all_keywords": ["thẻ", "hết hạn"]}
        assert holds(condition, make_inquiry(subject="Thẻ", content="đã hết hạn"))
        assert not holds(condition, make_inquiry(content="thẻ mới"))

    def test_scope(self, make_inquiry):
        """scope limits the search to the subject or the content."""
        inquiry = make_inquiry(subject="Lương hưu", content="xin hỏi")
        assert holds({"any_keywords": ["huu"], "scope": "subject"}, inquiry)
        assert not holds({"any_keywords": ["huu"], "scope": "content"}, inquiry)

    def test_refuses_empty_and_long_keywords(self):
        """A keyword without letters, too long a phrase, or both lists are refused."""
        for bad in (
            {"any_keywords": ["?!"]},
            {"any_keywords": ["a b c d e f g h i"]},
            {"any_keywords": ["a"], "all_keywords": ["b"]},
            {"any_keywords": []},
        ):
            with pytest.raises(ValidationError):
                CONDITION.validate_python(bad)


def test_trace_shows_rule_keywords_not_text(make_inquiry):
    """A keyword trace names the rule's keywords, never the inquiry's text."""
    parsed = CONDITION.validate_python({"any_keywords": ["lương hưu", "thẻ"]})
    trace = parsed.trace(facts_of(make_inquiry(content="Bí mật 0912345678: lương hưu")))
    assert trace.held
    assert trace.detail == "found ['lương hưu']"
    assert "0912345678" not in str(trace)
