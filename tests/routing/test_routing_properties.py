"""Hypothesis: routing through the indexes is the same as trying the rules one by one."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vss_care_core.models import Channel, Inquiry, InquiryKind, PolicyArea, Priority, words
from vss_care_core.routing import RoutingTable, Rule, check_table
from vss_care_core.routing._analysis import Box, over, under
from vss_care_core.routing._facts import InquiryFacts, facts_of, fast_words
from vss_care_core.routing._index import CompiledRules, first_match

AT = datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
TOPICS = ["pension", "refund", "health-card", "wages"]
PROVINCES = ["Hà Nội", "Huế", "Cần Thơ"]
WORDS = ["lương", "hưu", "luong", "thẻ", "BHYT", "đóng", "dong", "sổ", "nợ", "công", "ty"]


def lists(values: list[Any], max_size: int = 3) -> st.SearchStrategy[list[Any]]:
    """Non-empty unique lists of values."""
    return st.lists(st.sampled_from(values), min_size=1, max_size=max_size, unique=True)


FIELDS = {
    "channel": lists([c.value for c in Channel]),
    "kind": lists([k.value for k in InquiryKind]),
    "policy_area": lists([a.value for a in PolicyArea]),
    "topic": lists(TOPICS),
    "priority": lists([p.value for p in Priority]),
    "min_priority": st.sampled_from([p.value for p in Priority]),
    "requester_type": lists(["individual", "organization"], 2),
    "province": lists(PROVINCES),
    "language": lists(["vi", "en"], 2),
}

phrases = st.lists(st.sampled_from(WORDS), min_size=1, max_size=2).map(" ".join)

field_conditions = st.sets(st.sampled_from(sorted(FIELDS)), min_size=1, max_size=3).flatmap(
    lambda keys: st.fixed_dictionaries({k: FIELDS[k] for k in keys})
)
keyword_conditions = st.tuples(
    st.sampled_from(["any_keywords", "all_keywords"]),
    st.lists(phrases, min_size=1, max_size=3),
    st.sampled_from(["text", "subject", "content"]),
).map(lambda t: {t[0]: t[1], "scope": t[2]})
leaves = st.one_of(field_conditions, keyword_conditions, st.just({"always": True}))
conditions = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda c: {"all": c}),
        st.lists(inner, min_size=1, max_size=3).map(lambda c: {"any": c}),
        inner.map(lambda c: {"not": c}),
    ),
    max_leaves=6,
)
rule_lists = st.lists(conditions, min_size=0, max_size=12).map(
    lambda cs: [
        Rule.model_validate({"name": f"r{i}", "when": c, "destination": "VSS-CSKH"})
        for i, c in enumerate(cs)
    ]
)

texts = st.lists(st.sampled_from([*WORDS, "Lương", "HƯU", "x"]), min_size=1, max_size=6).map(
    " ".join
)
inquiries = st.builds(
    lambda channel, kind, areas, topic, priority, org, province, language, subject, content: (
        Inquiry.model_validate(
            {
                "channel": channel,
                "received_at": AT,
                "requester": (
                    {"type": "organization", "name": "Công ty", "province": province}
                    if org
                    else {"type": "individual", "province": province}
                ),
                "subject": subject,
                "content": content,
                "kind": kind,
                "policy_areas": areas,
                "topic": topic,
                "priority": priority,
                "language": language,
            }
        )
    ),
    st.sampled_from(list(Channel)),
    st.none() | st.sampled_from(list(InquiryKind)),
    st.lists(st.sampled_from(list(PolicyArea)), max_size=3, unique=True),
    st.none() | st.sampled_from(TOPICS),
    st.sampled_from(list(Priority)),
    st.booleans(),
    st.none() | st.sampled_from(PROVINCES),
    st.sampled_from(["vi", "en"]),
    texts,
    texts,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=rule_lists, batch=st.lists(inquiries, min_size=1, max_size=8))
def test_indexes_agree_with_first_match_loop(rules, batch):
    """For any rules, checked or not, the compiled indexes pick the reference rule."""
    compiled = CompiledRules(rules)
    for inquiry in batch:
        facts = facts_of(inquiry)
        assert compiled.first_match(facts) == first_match(rules, facts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=rule_lists, batch=st.lists(inquiries, min_size=1, max_size=8))
def test_route_agrees_with_reference_on_checked_tables(rules, batch):
    """Tables that pass the checks route exactly like the one-by-one reference."""
    document = {
        "default": "VSS-CSKH",
        "rules": [r.model_dump(mode="json", by_alias=True, exclude_defaults=True) for r in rules],
    }
    flagged = {p.rule for p in check_table(document)}
    document["rules"] = [r for r in document["rules"] if r["name"] not in flagged]
    table = RoutingTable.from_dict(document)
    for inquiry in batch:
        assert table.route(inquiry) == table._reference_route(inquiry)


def in_box(box: Box, facts: InquiryFacts) -> bool:
    """Whether the inquiry's facts lie in the box."""
    if box.empty:
        return False
    for key, accepted in box.sets.items():
        if getattr(facts, key) not in accepted:
            return False
    return all(not facts.policy_areas.isdisjoint(areas) for areas in box.areas)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=rule_lists, inquiry=inquiries)
def test_boxes_bound_what_conditions_match(rules, inquiry):
    """Whatever matches lies in the over box; whatever lies in the under box matches.

    This is what makes the never-matches and shadowing checks sound.
    """
    facts = facts_of(inquiry)
    for rule in rules:
        matched = rule.when.matches(facts)
        if matched:
            assert in_box(over(rule.when), facts)
        if in_box(under(rule.when), facts):
            assert matched


@settings(max_examples=500, deadline=None)
@given(
    text=st.text(
        alphabet=st.one_of(
            st.sampled_from("ăâđêôơưĐĂÂÊÔƠƯáàảãạéèẻẽẹÁÀẢÃẠ\u0300\u0301\u0303\u0309\u0323 ,.-"),
            st.characters(),
        ),
        max_size=60,
    )
)
def test_fast_words_equals_words(text):
    """The table-driven folding gives the same words as the models' folding, NFC or NFD."""
    for form in ("NFC", "NFD"):
        normalised = unicodedata.normalize(form, text)
        assert fast_words(normalised) == words(normalised)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=rule_lists)
def test_toml_round_trip(rules):
    """Any checked table written as TOML reads back equal."""
    document = {
        "default": "VSS-CSKH",
        "rules": [r.model_dump(mode="json", by_alias=True, exclude_defaults=True) for r in rules],
    }
    flagged = {p.rule for p in check_table(document)}
    document["rules"] = [r for r in document["rules"] if r["name"] not in flagged]
    table = RoutingTable.from_dict(document)
    assert RoutingTable.from_toml(table.to_toml()) == table
