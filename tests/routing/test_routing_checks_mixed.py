"""Exact checks on mixed tables: fields and keywords, ``any`` across them and ``not``.

The checks deny one alternative of an earlier rule per round (the favourite that matches, else
the one routing reaches), so the rules a shadowing message names are the solver's core: these
tests hold them to what the message says, against brute force and a fresh solver.
"""

from __future__ import annotations

from itertools import product
from random import Random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from vss_care_core.models import Inquiry
from vss_care_core.routing import Rule, check_table
from vss_care_core.routing._checks import ShadowedProblem, reachability
from vss_care_core.routing._facts import facts_of
from vss_care_core.routing._index import first_match
from vss_care_core.routing._logic import (
    WITNESS_TIME,
    Logic,
    compile_condition,
    plan_of,
    separator_word,
    table_words,
)


def rule(name: str, when: dict[str, Any]) -> Rule:
    """A rule sending to the care centre."""
    return Rule.model_validate({"name": name, "when": when, "destination": "VSS-CSKH"})


def covers(rules: list[Rule], index: int, earlier: tuple[int, ...]) -> bool:
    """True when the rules at the 0-based ``earlier`` together match every inquiry rule
    ``index`` matches, asked of a fresh solver."""
    separator = separator_word(table_words(r.when for r in rules))
    with Logic(separator=separator) as logic:
        own = logic.literal(rules[index].when)
        return not logic.solve([own, *(-logic.literal(rules[i].when) for i in earlier)])


# --- mixed shapes over a few atoms, against every combination of them ---------------------

_FIELDS = st.one_of(
    st.builds(
        lambda v: {"channel": v},
        st.lists(st.sampled_from(["phone", "email"]), min_size=1, max_size=2, unique=True),
    ),
    st.builds(
        lambda v, k: {"channel": v, "kind": k},
        st.lists(st.sampled_from(["phone", "email"]), min_size=1, max_size=1),
        st.lists(st.sampled_from(["question", "complaint"]), min_size=1, max_size=2, unique=True),
    ),
    st.builds(
        lambda v: {"policy_area": v},
        st.lists(st.sampled_from(["social", "health"]), min_size=1, max_size=2, unique=True),
    ),
)
_KEYWORDS = st.builds(
    lambda words, which, scope: {which: words, "scope": scope},
    st.lists(st.sampled_from(["a", "b", "a b", "b a", "c"]), min_size=1, max_size=2, unique=True),
    st.sampled_from(["any_keywords", "all_keywords"]),
    st.sampled_from(["text", "subject", "content"]),
)
_MIXED = st.one_of(
    st.builds(lambda f, k: {"all": [f, k]}, _FIELDS, _KEYWORDS),
    st.builds(lambda f, g, k: {"any": [f, g, k]}, _FIELDS, _FIELDS, _KEYWORDS),
    st.builds(lambda k, f: {"all": [k, {"not": f}]}, _KEYWORDS, _FIELDS),
    st.builds(lambda f, k: {"all": [f, {"not": k}]}, _FIELDS, _KEYWORDS),
    _FIELDS,
    _KEYWORDS,
)
_TEXTS = ["-"] + [" ".join(w) for size in (1, 2, 3) for w in product("abcx", repeat=size)]
_UNIVERSE = list(
    product(
        ("phone", "email", "post"),
        ("question", "complaint", None),
        ((), ("social",), ("health",), ("social", "health")),
        _TEXTS,
        _TEXTS,
    )
)


def _inquiry(case: tuple[Any, ...]) -> Inquiry:
    channel, kind, areas, subject, content = case
    return Inquiry(
        channel=channel,
        received_at=WITNESS_TIME,
        requester={},
        subject=subject,
        content=content,
        policy_areas=areas,
        kind=kind,
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(_MIXED, min_size=2, max_size=7), st.integers(0, 2**32))
def test_mixed_tables_agree_with_brute_force(whens, seed):
    """On small mixed tables, no verdict is contradicted by routing a sample of every
    combination of the atoms, every witness routes as stated, and every cover covers."""
    rules = [rule(f"r{n}", w) for n, w in enumerate(whens, start=1)]
    reaches = reachability(rules)
    decided: set[int] = set()
    matched: set[int] = set()
    for case in Random(seed).sample(_UNIVERSE, 3000):
        facts = facts_of(_inquiry(case))
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
        assert rules[index].when.matches(facts)
        assert first_match(rules, facts) == reach.routed_to
        if reach.verdict == "decides":
            assert reach.routed_to == index
            assert reach.cover == ()
        else:
            assert index not in decided
            assert reach.routed_to < index
            assert reach.cover
            assert all(c < index for c in reach.cover)
            assert covers(rules, index, reach.cover)


# --- the messages of larger generated tables ---------------------------------------------

_WORDS = ("thẻ", "bhyt", "lương", "hưu", "sổ", "cấp", "lại")


def _generated(rng: Random) -> dict[str, Any]:
    def fields() -> dict[str, Any]:
        choices = {
            "channel": lambda: rng.sample(["phone", "email", "portal"], rng.randint(1, 2)),
            "kind": lambda: rng.sample(["question", "complaint"], 1),
            "policy_area": lambda: rng.sample(["social", "health"], rng.randint(1, 2)),
            "priority": lambda: rng.sample(["low", "normal", "high"], rng.randint(1, 2)),
        }
        keys = rng.sample(sorted(choices), rng.randint(1, 2))
        return {key: choices[key]() for key in keys}

    def keywords() -> dict[str, Any]:
        listed = [" ".join(rng.sample(_WORDS, rng.choice((1, 2)))) for _ in range(2)]
        return {rng.choice(("any_keywords", "all_keywords")): listed}

    shape = rng.random()
    if shape < 0.3:
        return {"all": [fields(), keywords()]}
    if shape < 0.6:
        return {"any": [fields(), fields(), keywords()]}
    if shape < 0.8:
        return {"all": [keywords(), {"not": fields()}]}
    return {"all": [fields(), {"not": keywords()}]}


def test_every_shadowing_message_is_true():
    """On generated mixed tables of 150 rules (enough for favourites to be chosen), each rule a
    shadowing message names comes first, together they cover the rule, and a message naming
    one rule names one that covers it alone."""
    for seed in range(3):
        rng = Random(seed)
        rules = [rule(f"r{n}", _generated(rng)) for n in range(1, 151)]
        document = {"rules": [r.model_dump(by_alias=True) for r in rules], "default": "VSS-CSKH"}
        shadowed = [p for p in check_table(document) if p.code == "shadowed"]
        assert len(shadowed) > 100  # the favourites are chosen after 50
        for problem in shadowed:
            assert isinstance(problem, ShadowedProblem)
            index = problem.position - 1
            earlier = tuple(place - 1 for place in problem.earlier)
            assert all(i < index for i in earlier)
            assert covers(rules, index, earlier)
            if len(earlier) == 1:
                assert f"rule {problem.earlier[0]} 'r{problem.earlier[0]}' comes first" in (
                    problem.message
                )
            else:
                assert "together match every inquiry this rule matches" in problem.message
            assert problem.witness is not None
            routed = first_match(rules, facts_of(problem.witness))
            assert routed is not None
            assert routed + 1 == problem.routed_to


@settings(max_examples=60, deadline=None)
@given(st.recursive(_MIXED, lambda inner: st.builds(lambda p: {"not": p}, inner), max_leaves=3))
def test_a_plan_encodes_the_condition(when):
    """The literal of a condition's plan and the one read from the condition itself are true on
    the same inquiries: no assignment tells them apart."""
    condition = rule("r", when).when
    with Logic(separator="x0") as logic:
        planned = logic.encode(plan_of(compile_condition(condition)))
        direct = logic.literal(condition)
        assert not logic.solve([planned, -direct])
        assert not logic.solve([-planned, direct])
        assert logic.solve([planned]) == logic.solve([direct])
