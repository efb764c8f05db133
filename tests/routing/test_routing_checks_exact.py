"""Shadowing and contradiction decided exactly: dated cases, witnesses, and brute force."""

from __future__ import annotations

from itertools import product
from random import Random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vss_care_core.models import Inquiry
from vss_care_core.routing import Rule, check_table
from vss_care_core.routing._checks import Reach, ShadowedProblem, reachability
from vss_care_core.routing._facts import facts_of
from vss_care_core.routing._index import CompiledRules, first_match
from vss_care_core.routing._logic import (
    WITNESS_TIME,
    Logic,
    compile_condition,
    separator_word,
    table_words,
)

END = {"name": "end", "destination": "VSS-CSKH"}


def rule(name: str, when: dict[str, Any]) -> dict[str, Any]:
    """A rule dictionary sending to the care centre."""
    return {"name": name, "when": when, "destination": "VSS-CSKH"}


def problems(*whens: dict[str, Any]) -> list[Any]:
    """The problems of a table of rules r1, r2... with ``whens``, and a catch-all."""
    rules = [rule(f"r{n}", when) for n, when in enumerate(whens, start=1)]
    return list(check_table({"rules": [*rules, END]}))


def codes(*whens: dict[str, Any]) -> list[tuple[str, str | None]]:
    """(code, rule) of each problem."""
    return [(p.code, p.rule) for p in problems(*whens)]


def assert_witness(problem: Any, *whens: dict[str, Any]) -> None:
    """The witness is matched by the shadowed rule and routed to the earlier rule named."""
    assert isinstance(problem, ShadowedProblem)
    rules = [Rule.model_validate(rule(f"r{n}", w)) for n, w in enumerate(whens, start=1)]
    assert problem.witness is not None
    facts = facts_of(problem.witness)
    assert rules[problem.position - 1].when.matches(facts)
    routed = first_match(rules, facts)
    assert routed is not None
    assert routed + 1 == problem.routed_to
    assert problem.routed_to < problem.position
    assert problem.routed_to in problem.earlier or len(problem.earlier) > 1


class TestKeywords:
    """What the boxes could not see: keywords folded, lists and phrases."""

    @pytest.mark.parametrize(
        ("first", "second"),
        [
            ({"any_keywords": ["Thẻ BHYT"]}, {"any_keywords": ["the bhyt"]}),
            ({"any_keywords": ["LƯƠNG HƯU"]}, {"all_keywords": ["lương hưu", "cách tính"]}),
            ({"any_keywords": ["thẻ", "sổ", "lương"]}, {"any_keywords": ["sổ", "thẻ"]}),
            ({"any_keywords": ["thẻ"]}, {"any_keywords": ["cấp lại thẻ bhyt"]}),
            ({"any_keywords": ["thẻ bhyt"]}, {"any_keywords": ["cấp lại thẻ BHYT"]}),
            (
                {"any_keywords": ["thẻ"], "scope": "subject"},
                {"all": [{"any_keywords": ["thẻ"], "scope": "subject"}, {"kind": ["question"]}]},
            ),
            ({"any_keywords": ["thẻ"]}, {"any_keywords": ["thẻ"], "scope": "content"}),
        ],
    )
    def test_shadowed(self, first, second):
        """The later rule can never decide, and the witness shows it."""
        found = problems(first, second)
        assert [(p.code, p.rule) for p in found] == [("shadowed", "r2")]
        assert found[0].earlier == (1,)
        assert_witness(found[0], first, second)

    @pytest.mark.parametrize(
        ("first", "second"),
        [
            ({"any_keywords": ["thẻ bhyt"]}, {"any_keywords": ["thẻ"]}),
            ({"any_keywords": ["bhyt thẻ"]}, {"any_keywords": ["thẻ bhyt"]}),
            ({"all_keywords": ["thẻ", "sổ"]}, {"any_keywords": ["thẻ"]}),
            ({"any_keywords": ["thẻ"], "scope": "content"}, {"any_keywords": ["thẻ"]}),
            ({"any_keywords": ["thẻ bhyt"]}, {"all_keywords": ["thẻ", "bhyt"]}),
        ],
    )
    def test_not_shadowed(self, first, second):
        """The later rule decides for some inquiry: no false alarm."""
        assert codes(first, second) == []

    def test_contradiction_on_one_keyword(self):
        """A keyword and its negation never hold together; a phrase without its word neither."""
        assert codes({"all": [{"any_keywords": ["a"]}, {"not": {"any_keywords": ["A"]}}]}) == [
            ("never-matches", "r1")
        ]
        phrase_without_word = {
            "all": [{"any_keywords": ["thẻ bhyt"]}, {"not": {"any_keywords": ["bhyt"]}}]
        }
        assert codes(phrase_without_word) == [("never-matches", "r1")]


class TestAcrossFields:
    """``any`` across fields, ``not`` over policy areas, covers by several rules."""

    def test_any_across_fields(self):
        """An earlier ``any`` of two fields covers a rule testing both."""
        first = {"any": [{"channel": ["phone"]}, {"kind": ["complaint"]}]}
        second = {"channel": ["phone"], "kind": ["question"]}
        found = problems(first, second)
        assert [(p.code, p.rule) for p in found] == [("shadowed", "r2")]
        assert_witness(found[0], first, second)

    def test_not_over_policy_areas(self):
        """Policy areas are a set: an inquiry may concern several."""
        assert codes({"not": {"policy_area": ["social"]}}, {"policy_area": ["health"]}) == []
        never = {
            "all": [{"policy_area": ["health"]}, {"not": {"policy_area": ["health", "social"]}}]
        }
        assert codes(never) == [("never-matches", "r1")]

    def test_cover_by_several_rules(self):
        """Two earlier rules that together match everything the third does are named."""
        whens = (
            {"policy_area": ["social"]},
            {"not": {"policy_area": ["social"]}, "channel": ["phone", "email"]},
            {"channel": ["email"], "kind": ["question"]},
        )
        found = problems(*whens)
        assert [(p.code, p.rule) for p in found] == [("shadowed", "r3")]
        assert found[0].earlier == (1, 2)
        assert "rules 1 'r1' and 2 'r2' come first and together match" in found[0].message
        assert_witness(found[0], *whens)

    def test_no_default_is_decided_exactly(self):
        """A last rule that matches everything, however written, is a catch-all."""
        tautology = {"any": [{"channel": ["phone"]}, {"not": {"channel": ["phone"]}}]}
        found = check_table({"rules": [rule("a", {"kind": ["question"]}), rule("z", tautology)]})
        assert list(found) == []


def test_witness_is_an_inquiry_without_personal_data():
    """The witness is a valid inquiry, received at the fixed moment, with an anonymous
    requester."""
    (problem,) = problems({"any_keywords": ["thẻ"]}, {"any_keywords": ["thẻ bhyt"]})
    witness = problem.witness
    assert isinstance(witness, Inquiry)
    assert witness.received_at == WITNESS_TIME
    assert witness.requester.is_anonymous
    assert "the bhyt" in f"{witness.subject} {witness.content}"


# --- brute force over small tables -------------------------------------------------------

_WORDS = ("a", "b", "c")
_KEYWORDS = ("a", "b", "a b", "b a", "c")
_FIELD = st.one_of(
    st.builds(
        lambda v: {"channel": v},
        st.lists(st.sampled_from(["phone", "email"]), min_size=1, max_size=2, unique=True),
    ),
    st.builds(
        lambda v: {"kind": v},
        st.lists(st.sampled_from(["question", "complaint"]), min_size=1, max_size=2, unique=True),
    ),
    st.builds(
        lambda v: {"policy_area": v},
        st.lists(st.sampled_from(["social", "health"]), min_size=1, max_size=2, unique=True),
    ),
)
_KEYWORD = st.builds(
    lambda words, which, scope: {which: words, "scope": scope},
    st.lists(st.sampled_from(_KEYWORDS), min_size=1, max_size=2, unique=True),
    st.sampled_from(["any_keywords", "all_keywords"]),
    st.sampled_from(["text", "subject", "content"]),
)
_CONDITION = st.recursive(
    st.one_of(_FIELD, _KEYWORD),
    lambda inner: st.one_of(
        st.builds(lambda parts: {"all": parts}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda parts: {"any": parts}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda part: {"not": part}, inner),
    ),
    max_leaves=4,
)
# Every text over the keywords' words up to three words, the filler "x" standing for any other
# word: enough to realise every combination of the keywords above in one place.
_TEXTS = ["-"] + [
    " ".join(words) for size in (1, 2, 3) for words in product((*_WORDS, "x"), repeat=size)
]


def _universe() -> list[Inquiry]:
    inquiries = []
    for channel, kind, areas, subject, content in product(
        ("phone", "email", "post"),
        ("question", "complaint", None),
        ((), ("social",), ("health",), ("social", "health"), ("unemployment",)),
        _TEXTS,
        _TEXTS,
    ):
        inquiries.append((channel, kind, areas, subject, content))
    return inquiries  # type: ignore[return-value]


_UNIVERSE = _universe()


def _facts(channel: str, kind: str | None, areas: tuple[str, ...], subject: str, content: str):
    return facts_of(
        Inquiry(
            channel=channel,
            received_at=WITNESS_TIME,
            requester={},
            subject=subject,
            content=content,
            policy_areas=areas,
            kind=kind,
        )
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(_CONDITION, min_size=1, max_size=4), st.integers(0, 2**32))
def test_agrees_with_brute_force(whens, seed):
    """No false alarm, nothing missed: on small tables, each verdict agrees with routing a
    sample of every combination of the rules' own atoms, and every witness routes as stated."""
    rules = [Rule.model_validate(rule(f"r{n}", w)) for n, w in enumerate(whens, start=1)]
    reaches = reachability(rules)
    decided: set[int] = set()
    matched: set[int] = set()
    for case in Random(seed).sample(_UNIVERSE, 4000):
        facts = _facts(*case)
        position = first_match(rules, facts)
        if position is not None:
            decided.add(position)
        matched.update(i for i, r in enumerate(rules) if r.when.matches(facts))
    for index, reach in enumerate(reaches):
        if reach.verdict == "never":
            assert index not in matched
            continue
        assert reach.witness is not None
        facts = reach.witness.facts()
        inquiry = reach.witness.inquiry()
        assert inquiry is not None
        assert facts_of(inquiry) == facts
        assert rules[index].when.matches(facts)
        assert first_match(rules, facts) == reach.routed_to
        if reach.verdict == "decides":
            assert reach.routed_to == index
        else:
            assert index not in decided
            assert reach.routed_to < index
            assert reach.cover
            assert all(c < index for c in reach.cover)


# --- differential: the compiled checks against the plain refinement loop -------------------


def _reach_plain(index: int, rules: list[Rule], compiled: CompiledRules, separator: str) -> Reach:
    """The refinement loop as first written: every condition encoded from its model, every
    inquiry routed by the plain index, one denied rule per round."""
    with Logic(separator=separator) as logic:
        own = logic.literal(rules[index].when)
        if not logic.solve([own]):
            return Reach("never")
        witness = logic.scenario()
        scenario = witness
        denied: dict[int, int] = {}
        routed_to = -1
        while True:
            position = compiled.first_match(scenario.facts())
            assert position is not None
            assert position <= index
            if routed_to < 0:
                routed_to = position
            if position == index:
                return Reach("decides", witness=scenario, routed_to=index)
            denied.setdefault(-logic.literal(rules[position].when), position)
            if not logic.solve([own, *denied]):
                core = sorted({denied[lit] for lit in logic.core() if lit in denied})
                cover = tuple(core) if core else tuple(sorted(denied.values()))
                return Reach("shadowed", cover=cover, witness=witness, routed_to=routed_to)
            scenario = logic.scenario()


def _reachability_plain(rules: list[Rule]) -> list[Reach]:
    compiled = CompiledRules(rules)
    separator = separator_word(table_words(rule.when for rule in rules))
    return [_reach_plain(index, rules, compiled, separator) for index in range(len(rules))]


_VOCABULARY = ("thẻ", "bhyt", "lương", "hưu", "sổ", "cấp", "lại", "BHXH")


def _mixed_condition(rng: Random) -> dict[str, Any]:
    def fields() -> dict[str, Any]:
        choices = {
            "channel": lambda: rng.sample(["phone", "email", "portal", "post"], rng.randint(1, 3)),
            "kind": lambda: rng.sample(["question", "complaint", "support"], rng.randint(1, 2)),
            "priority": lambda: rng.sample(["low", "normal", "high"], rng.randint(1, 2)),
            "policy_area": lambda: rng.sample(["social", "health"], rng.randint(1, 2)),
            "topic": lambda: rng.sample(["pension", "refund"], 1),
            "province": lambda: rng.sample(["Hà Nội", "Huế", "Cần Thơ"], rng.randint(1, 2)),
        }
        keys = rng.sample(sorted(choices), rng.randint(1, 3))
        return {key: choices[key]() for key in keys}

    def keywords() -> dict[str, Any]:
        listed = [
            " ".join(rng.sample(_VOCABULARY, rng.choice((1, 1, 2, 3))))
            for _ in range(rng.randint(1, 3))
        ]
        condition: dict[str, Any] = {rng.choice(("any_keywords", "all_keywords")): listed}
        if rng.random() < 0.3:
            condition["scope"] = rng.choice(("subject", "content"))
        return condition

    shape = rng.random()
    if shape < 0.3:
        return {"all": [fields(), keywords()]}
    if shape < 0.5:
        return {"any": [fields(), fields(), keywords()]}
    if shape < 0.65:
        return {"all": [keywords(), {"not": fields()}]}
    if shape < 0.8:
        return {"all": [fields(), {"not": keywords()}]}
    if shape < 0.9:
        return {"any": [keywords(), {"any": [fields(), {"not": keywords()}]}]}
    return fields()


def _covers(rules: list[Rule], index: int, cover: tuple[int, ...]) -> bool:
    """True when the rules at ``cover`` together match every inquiry rule ``index`` matches,
    asked of a fresh solver."""
    separator = separator_word(table_words(rule.when for rule in rules))
    with Logic(separator=separator) as logic:
        own = logic.literal(rules[index].when)
        return not logic.solve([own, *(-logic.literal(rules[i].when) for i in cover)])


def assert_same_verdicts(rules: list[Rule], found: list[Reach], plain: list[Reach]) -> None:
    """The checks and the plain loop agree on every verdict; every cover really covers and
    every witness routes as stated."""
    assert [reach.verdict for reach in found] == [reach.verdict for reach in plain]
    for index, reach in enumerate(found):
        if reach.verdict == "shadowed":
            assert reach.cover
            assert all(c < index for c in reach.cover)
            assert list(reach.cover) == sorted(set(reach.cover))
            assert _covers(rules, index, reach.cover)
        if reach.witness is not None:
            facts = reach.witness.facts()
            assert rules[index].when.matches(facts)
            assert first_match(rules, facts) == reach.routed_to


@pytest.mark.parametrize("seed", range(6))
def test_compiled_checks_report_what_the_plain_loop_reports(seed):
    """On generated mixed tables, every verdict is the one the plain refinement loop finds,
    every cover really covers, and every witness routes as stated."""
    rng = Random(seed)
    rules = [Rule.model_validate(rule(f"r{n}", _mixed_condition(rng))) for n in range(1, 121)]
    found = reachability(rules)
    assert_same_verdicts(rules, found, _reachability_plain(rules))
    verdicts = {reach.verdict for reach in found}
    assert {"decides", "shadowed"} <= verdicts


@settings(max_examples=30, deadline=None)
@given(st.lists(_CONDITION, min_size=1, max_size=6))
def test_compiled_checks_agree_with_the_plain_loop_on_small_tables(whens):
    """Nested all / any / not of every kind: the same verdicts as the plain loop."""
    rules = [Rule.model_validate(rule(f"r{n}", w)) for n, w in enumerate(whens, start=1)]
    assert_same_verdicts(rules, reachability(rules), _reachability_plain(rules))


@given(_CONDITION)
@settings(max_examples=60, deadline=None)
def test_compiled_condition_matches_like_the_condition(when):
    """A compiled condition holds on exactly the inquiries its condition holds on."""
    condition = Rule.model_validate(rule("r", when)).when
    compiled = compile_condition(condition)
    for case in Random(repr(when)).sample(_UNIVERSE, 300):
        facts = _facts(*case)
        assert compiled.matches(facts) == condition.matches(facts)
