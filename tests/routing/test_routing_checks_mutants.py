"""Tests that pin down the table checks exactly: their messages, positions and bookkeeping."""

from __future__ import annotations

from typing import Any

import pytest

from vss_care_core.routing import Directory, Rule, check_table
from vss_care_core.routing import _checks as checks
from vss_care_core.routing._checks import (
    MAX_RULES,
    ShadowedProblem,
    _reach,
    _Table,
    check_rules,
    matches_everything,
    reachability,
    walk,
)
from vss_care_core.routing._conditions import AllOf, AnyOf, FieldCondition, Not
from vss_care_core.routing._directory import vss_directory
from vss_care_core.routing._logic import Scenario

END = {"name": "end", "destination": "VSS-CSKH"}


def rule(name: str, when: dict[str, Any], destination: str = "VSS-CSKH", **more: Any) -> Rule:
    """A validated rule."""
    return Rule.model_validate({"name": name, "when": when, "destination": destination, **more})


def when_of(condition: dict[str, Any]) -> Any:
    """The parsed condition."""
    return rule("x", condition).when


def messages(*rules: Rule, default: str | None = "VSS-CSKH", **options: Any) -> list[str]:
    """``str()`` of every problem ``check_rules`` finds."""
    found = check_rules(rules, directory=vss_directory(), default=default, **options)
    return [str(problem) for problem in found]


class TestWalk:
    """Every condition inside a condition, itself first."""

    def test_nested(self) -> None:
        inner = {"channel": ["phone"]}
        condition = when_of(
            {"all": [inner, {"any": [{"kind": ["question"]}, {"not": {"topic": ["refund"]}}]}]}
        )
        kinds = [type(part).__name__ for part in walk(condition)]
        assert kinds == [
            "AllOf",
            "FieldCondition",
            "AnyOf",
            "FieldCondition",
            "Not",
            "FieldCondition",
        ]
        assert isinstance(next(iter(walk(condition))), AllOf)
        assert list(walk(FieldCondition(kind=["question"]))) == [FieldCondition(kind=["question"])]
        assert any(isinstance(part, AnyOf) for part in walk(condition))
        assert any(isinstance(part, Not) for part in walk(condition))


class TestMessages:
    """Each message says where, what and how to fix it."""

    def test_units(self) -> None:
        found = messages(
            rule("a", {"kind": ["question"]}, "NOPE"),
            rule("b", {"kind": ["support"]}, "provincial-office", fallback="GONE"),
            rule("c", {"kind": ["feedback"]}, "provincial-office"),
            Rule.model_validate(END),
            default=None,
        )
        assert found == [
            "rule 1 'a': destination 'NOPE' is not a unit of the directory (add the unit to the "
            "directory or correct the code)",
            "rule 2 'b': fallback 'GONE' is not a unit of the directory",
            "rule 3 'c': sends to the requester's provincial office but says nowhere to send an "
            'inquiry whose province is unknown: add fallback = "UNIT" or a table default',
        ]

    def test_a_known_fallback_and_office_pass(self) -> None:
        office = rule("p", {"kind": ["support"]}, "provincial-office", fallback="VSS-CSKH")
        assert messages(office, Rule.model_validate(END), default=None) == []

    def test_unknown_default(self) -> None:
        assert messages(Rule.model_validate(END), default="MISSING") == [
            "the table default 'MISSING' is not a unit of the directory"
        ]

    def test_duplicate_name_says_where_it_was_used(self) -> None:
        found = messages(rule("a", {"kind": ["question"]}), rule("a", {"kind": ["support"]}))
        assert found == [
            "rule 2 'a': the name is already used by rule 1: give each rule its own name"
        ]

    def test_positions_are_the_file_places(self) -> None:
        found = messages(
            rule("a", {"kind": ["question"]}),
            rule("a", {"kind": ["support"]}),
            positions=[3, 7],
        )
        assert found == [
            "rule 7 'a': the name is already used by rule 3: give each rule its own name"
        ]

    def test_unknown_topic_in_a_nested_part(self) -> None:
        when = {"all": [{"kind": ["question"]}, {"not": {"topic": ["pension", "zzz", "aaa"]}}]}
        assert messages(rule("t", when)) == [
            "rule 1 't': topic(s) ['aaa', 'zzz'] are not in the vocabulary: correct them or "
            "declare them in the table's topics list"
        ]
        assert messages(rule("t", when), extra_topics=["zzz", "aaa"]) == []

    def test_never_matches_shows_the_condition(self) -> None:
        when = {"all": [{"channel": ["email"]}, {"not": {"channel": ["email"]}}]}
        assert messages(rule("x", when)) == [
            "rule 1 'x': the condition can never hold (it contradicts itself): "
            "all of (channel in [email]; not (channel in [email]))"
        ]

    def test_shadowed_by_one(self) -> None:
        first = rule("phone", {"channel": ["phone"]})
        second = rule("phone questions", {"channel": ["phone"], "kind": ["question"]})
        (problem,) = check_rules([first, second], directory=vss_directory(), default="VSS-CSKH")
        assert isinstance(problem, ShadowedProblem)
        assert problem.code == "shadowed"
        assert (problem.rule, problem.position, problem.earlier) == ("phone questions", 2, (1,))
        assert problem.routed_to == 1
        assert str(problem) == (
            "rule 2 'phone questions': can never decide: rule 1 'phone' comes first and matches "
            "every inquiry this rule matches (move this rule up or narrow the earlier one)"
        )

    def test_shadowed_by_several_names_at_most_five(self) -> None:
        channels = ["phone", "email", "portal", "post", "zalo", "sms", "fanpage"]
        earlier = [rule(f"c{n}", {"channel": [c]}) for n, c in enumerate(channels, start=1)]
        last = rule("all channels", {"kind": ["question"]})
        problems = check_rules(
            [*earlier, last], directory=vss_directory(), default="VSS-CSKH", positions=range(11, 19)
        )
        (problem,) = problems
        assert isinstance(problem, ShadowedProblem)
        assert problem.earlier == (11, 12, 13, 14, 15, 16, 17)
        assert problem.position == 18
        assert str(problem) == (
            "rule 18 'all channels': can never decide: rules 11 'c1', 12 'c2', 13 'c3', 14 'c4', "
            "15 'c5' and 2 more come first and together match every inquiry this rule matches "
            "(move this rule up or narrow the earlier ones)"
        )

    def test_shadowed_by_two_names_both(self) -> None:
        found = messages(
            rule("p", {"channel": ["phone"]}),
            rule("not p", {"not": {"channel": ["phone"]}, "kind": ["question", "support"]}),
            rule("q", {"kind": ["question"]}),
        )
        assert found == [
            "rule 3 'q': can never decide: rules 1 'p' and 2 'not p' come first and together "
            "match every inquiry this rule matches (move this rule up or narrow the earlier ones)"
        ]

    def test_too_deep(self) -> None:
        when: dict[str, Any] = {"kind": ["question"]}
        for _ in range(7):
            when = {"not": when}
        assert messages(rule("deep", when)) == []  # 8 levels: the limit itself
        assert messages(rule("deeper", {"not": when})) == [
            "rule 1 'deeper': conditions nest 9 levels deep; at most 8: flatten all/any/not"
        ]


class TestTableWide:
    """The checks of the whole table."""

    def test_the_limit_itself_is_allowed(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(checks, "MAX_RULES", 3)
        rules = [rule(f"r{n}", {"kind": ["question"]}) for n in range(3)]
        assert [p.code for p in check_rules(rules, directory=vss_directory(), default=None)] == [
            "shadowed",
            "shadowed",
            "no-default",
        ]
        found = check_rules(
            [*rules, Rule.model_validate(END)], directory=vss_directory(), default=None
        )
        assert [(p.code, str(p)) for p in found] == [
            ("too-many-rules", "the table has 4 rules; at most 3")
        ]

    def test_too_many_rules(self) -> None:
        rules = [rule(f"r{n}", {"kind": ["question"]}) for n in range(MAX_RULES + 1)]
        found = check_rules(rules, directory=Directory([]), default=None)
        assert [(p.code, p.rule, str(p)) for p in found] == [
            ("too-many-rules", None, f"the table has {MAX_RULES + 1} rules; at most {MAX_RULES}")
        ]

    def test_no_default_unless_the_last_rule_matches_everything(self) -> None:
        text = (
            "no default destination: end the table with a rule without a condition (or with "
            'always = true), or set default = "UNIT"'
        )
        assert messages(default=None) == [text]
        assert messages(rule("a", {"kind": ["question"]}), default=None) == [text]
        assert messages(Rule.model_validate(END), default=None) == []
        assert messages(rule("a", {"kind": ["question"]}), default="VSS-CSKH") == []

    def test_matches_everything(self) -> None:
        assert matches_everything(when_of({"always": True}))
        assert matches_everything(
            when_of({"any": [{"channel": ["phone"]}, {"not": {"channel": ["phone"]}}]})
        )
        assert not matches_everything(when_of({"channel": ["phone"]}))


class TestBookkeeping:
    """Alternatives, favourites and what the reaches hold."""

    def test_alternatives_belong_to_their_rules(self) -> None:
        rules = [
            rule("a", {"any": [{"channel": ["phone"]}, {"any": [{"kind": ["question"]}]}]}),
            rule("b", {"channel": ["email"]}),
        ]
        table = _Table(rules)
        assert table.owners == [0, 0, 1]
        assert table.firsts == [0, 2, 3]
        assert table.plans[1] is table.part_plans[2]
        assert table.compiled[1] is table.parts[2]
        assert len(table.plans) == 2
        assert len(table.part_plans) == 3

    def test_favourites_are_the_most_useful_every_fifty(self) -> None:
        table = _Table([rule("a", {"channel": ["phone"]})])
        for number in range(30):
            table.learn({1, 200 + number})
        for number in range(19):
            table.learn({0, 300 + number})
        assert table.favourites == []
        table.learn({2})
        assert table.favourites[:2] == [1, 0]
        assert len(table.favourites) == 52
        assert 2 in table.favourites
        for number in range(50):
            table.learn({1000 + number})
        assert len(table.favourites) == 100
        assert table.favourites[0] == 1
        assert table.checked == 100

    def test_checks_learn_their_favourites(self) -> None:
        kinds = ["question", "support", "feedback", "complaint", "denunciation"]
        rules = [
            rule("phone", {"channel": ["phone"]}),
            rule("not phone", {"not": {"channel": ["phone"]}}),
            *(rule(f"k{n}", {"kind": [kinds[n % 5]], "priority": ["high"]}) for n in range(60)),
        ]
        table = _Table(rules)
        reaches = [_reach(index, table) for index in range(len(rules))]
        assert [r.cover for r in reaches[2:]] == [(0, 1)] * 60
        assert table.checked == 60
        assert table.favourites == [0, 1]

    def test_favourite_match_respects_the_limits(self) -> None:
        rules = [rule("a", {"channel": ["phone"]}), rule("b", {"channel": ["phone", "email"]})]
        table = _Table(rules)
        table.favourites = [1, 0]
        phone = Scenario(
            fields={
                "channel": "phone",
                "kind": None,
                "priority": "normal",
                "requester_type": "individual",
                "province": None,
                "topic": None,
                "language": "vi",
            },
            policy_areas=frozenset(),
            subject_words=(),
            content_words=(),
        ).facts()
        assert table.favourite_match(phone, before=2, skip=0) == 1
        assert table.favourite_match(phone, before=1, skip=0) == 0
        assert table.favourite_match(phone, before=2, skip=0b10) == 0
        assert table.favourite_match(phone, before=2, skip=0b11) is None
        assert table.favourite_match(phone, before=0, skip=0) is None
        assert table.first_match(phone, upto=1) == 0
        assert table.first_match(phone, upto=1, skip=0b1) == 1
        assert table.first_match(phone, upto=0, skip=0b1) is None

    def test_reaches(self) -> None:
        rules = [
            rule("a", {"channel": ["phone"]}),
            rule("b", {"channel": ["phone"], "kind": ["question"]}),
            rule("c", {"all": [{"channel": ["email"]}, {"not": {"channel": ["email"]}}]}),
            rule("d", {"kind": ["complaint"]}),
        ]
        reaches = reachability(rules)
        assert [r.verdict for r in reaches] == ["decides", "shadowed", "never", "decides"]
        assert [r.routed_to for r in reaches] == [0, 0, -1, 3]
        assert [r.cover for r in reaches] == [(), (0,), (), ()]
        assert reaches[2].witness is None
        assert all(r.witness is not None for i, r in enumerate(reaches) if i != 2)


def test_check_table_names_the_witness_rule() -> None:
    """The witness of a rule covered by two is routed to the first one routing reaches."""
    (problem,) = check_table(
        {
            "rules": [
                {"name": "p", "when": {"channel": ["phone"]}, "destination": "VSS-CSKH"},
                {
                    "name": "q",
                    "when": {"not": {"channel": ["phone"]}},
                    "destination": "VSS-CSKH",
                },
                {"name": "r", "when": {"kind": ["question"]}, "destination": "VSS-CSKH"},
            ],
            "default": "VSS-CSKH",
        }
    )
    assert isinstance(problem, ShadowedProblem)
    assert problem.earlier == (1, 2)
    assert problem.routed_to in (1, 2)
