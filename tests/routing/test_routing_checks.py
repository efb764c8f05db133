"""Each check of a routing table, and that every problem is reported at once."""

from __future__ import annotations

from typing import Any

import pytest

from vss_care_core.errors import RoutingTableError
from vss_care_core.routing import RoutingTable, check_table

END = {"name": "end", "destination": "VSS-CSKH"}


def codes(*rules: dict[str, Any], **table: Any) -> list[tuple[str, str | None]]:
    """(code, rule) of every problem of a table made of ``rules``."""
    found = check_table({"rules": list(rules), **table})
    return [(p.code, p.rule) for p in found]


def rule(name: str, when: dict[str, Any], destination: str = "VSS-CSKH") -> dict[str, Any]:
    """A rule dictionary."""
    return {"name": name, "when": when, "destination": destination}


class TestUnits:
    """Destinations, fallbacks and defaults must be units of the directory."""

    def test_unknown_destination_fallback_and_default(self):
        """Each unknown code is its own problem."""
        found = codes(
            rule("a", {"kind": ["question"]}, "NOPE"),
            {"name": "b", "destination": "provincial-office", "fallback": "GONE"},
            default="MISSING",
        )
        assert found == [
            ("unknown-unit", "a"),
            ("unknown-unit", "b"),
            ("unknown-unit", None),
        ]

    def test_provincial_office_needs_a_fallback_or_default(self):
        """Sending to the provincial office needs a unit for an unknown province."""
        alone = {"name": "p", "when": {"kind": ["support"]}, "destination": "provincial-office"}
        assert codes(alone, END) == [("no-fallback", "p")]
        assert codes(alone, END, default="VSS-CSKH") == []


class TestNames:
    """Rule names are unique."""

    def test_duplicate(self):
        """The second use of a name is reported."""
        found = codes(rule("a", {"kind": ["question"]}), rule("a", {"kind": ["support"]}), END)
        assert found == [("duplicate-name", "a")]


class TestNeverMatches:
    """Contradictory conditions are found."""

    @pytest.mark.parametrize(
        "when",
        [
            {"all": [{"channel": ["phone"]}, {"channel": ["email"]}]},
            {"not": {"always": True}},
            {"not": {}},
            {"priority": ["low"], "min_priority": "high"},
            {
                "all": [
                    {"kind": ["question"]},
                    {"not": {"kind": ["question", "support"]}},
                    {"any_keywords": ["x"]},
                ]
            },
            {
                "any": [
                    {"all": [{"topic": ["pension"]}, {"topic": ["refund"]}]},
                    {"not": {"any": [{"kind": ["question"]}, {"always": True}]}},
                ]
            },
            {"not": {"not": {"all": [{"province": ["Hà Nội"]}, {"province": ["Huế"]}]}}},
            {"all": [{"any_keywords": ["a"]}, {"not": {"any_keywords": ["a"]}}]},
        ],
    )
    def test_contradictions(self, when):
        """Each of these can never hold."""
        assert codes(rule("dead", when), END) == [("never-matches", "dead")]

    @pytest.mark.parametrize(
        "when",
        [
            {"not": {"channel": ["phone"]}},
            {"all": [{"policy_area": ["social"]}, {"policy_area": ["health"]}]},
            {"not": {"any_keywords": ["x"]}},
            {"all": [{"any_keywords": ["a"]}, {"not": {"any_keywords": ["b"]}}]},
        ],
    )
    def test_satisfiable_conditions_pass(self, when):
        """Satisfiable conditions are not reported."""
        assert codes(rule("alive", when), END) == []


class TestShadowing:
    """A rule is reported when an earlier one matches everything it matches."""

    @pytest.mark.parametrize(
        ("first", "second"),
        [
            ({"channel": ["phone", "email"]}, {"channel": ["phone"], "kind": ["question"]}),
            ({"kind": ["complaint"]}, {"kind": ["complaint"]}),
            ({"policy_area": ["social", "health"]}, {"policy_area": ["health"]}),
            ({"min_priority": "normal"}, {"priority": ["high", "urgent"]}),
            ({"any_keywords": ["thẻ"]}, {"any_keywords": ["thẻ"]}),
            (
                {"any_keywords": ["thẻ"]},
                {"all": [{"kind": ["support"]}, {"any_keywords": ["thẻ"]}]},
            ),
            ({"not": {"channel": ["phone"]}}, {"channel": ["email"]}),
            ({"any": [{"kind": ["question"]}, {"kind": ["support"]}]}, {"kind": ["support"]}),
            ({"province": ["Bình Dương"]}, {"province": ["TP Hồ Chí Minh"], "topic": ["pension"]}),
        ],
    )
    def test_shadowed(self, first, second):
        """The later rule can never decide."""
        assert codes(rule("first", first), rule("second", second), END) == [("shadowed", "second")]

    @pytest.mark.parametrize(
        ("first", "second"),
        [
            ({"channel": ["phone"]}, {"channel": ["phone", "email"]}),
            ({"policy_area": ["health"]}, {"policy_area": ["social", "health"]}),
            (
                {"all": [{"policy_area": ["social"]}, {"policy_area": ["health"]}]},
                {"policy_area": ["social"]},
            ),
            ({"kind": ["question"], "any_keywords": ["thẻ"]}, {"kind": ["question"]}),
            ({"topic": ["pension"]}, {"not": {"topic": ["refund"]}}),
        ],
    )
    def test_not_shadowed(self, first, second):
        """The later rule still decides for some inquiries."""
        assert codes(rule("first", first), rule("second", second), END) == []

    def test_everything_after_a_catch_all(self):
        """A rule after a rule without condition is shadowed, and so is the end rule."""
        found = codes(
            {"name": "all", "destination": "VSS-CSKH"}, rule("late", {"kind": ["question"]}), END
        )
        assert found == [("shadowed", "late"), ("shadowed", "end")]


class TestDefault:
    """A table must say where an unmatched inquiry goes."""

    def test_no_default(self):
        """Without a final catch-all or a default, the table is refused."""
        assert codes(rule("a", {"kind": ["question"]})) == [("no-default", None)]
        assert codes() == [("no-default", None)]

    def test_default_or_catch_all(self):
        """Either a default or a final rule that matches everything will do."""
        assert codes(rule("a", {"kind": ["question"]}), default="VSS-CSKH") == []
        assert codes(rule("a", {"kind": ["question"]}), rule("z", {"always": True})) == []
        assert codes(rule("a", {"kind": ["question"]}), rule("z", {"not": {"not": {}}})) == []


class TestLimitsAndSyntax:
    """Bounded size, topics vocabulary and syntax errors."""

    def test_too_deep(self):
        """Nesting deeper than MAX_DEPTH is refused."""
        when: dict[str, Any] = {"kind": ["question"]}
        for _ in range(9):
            when = {"not": when}
        assert ("too-deep", "deep") in codes(rule("deep", when), END)

    @pytest.mark.parametrize("levels", [50, 3000])
    def test_absurd_nesting_is_refused_without_crashing(self, levels):
        """Nesting far too deep is one problem, never a RecursionError."""
        when = '{ kind = ["question"] }'
        for _ in range(levels):
            when = "{ not = " + when + " }"
        text = f'[[rules]]\nname = "deep"\nwhen = {when}\ndestination = "VSS-CSKH"\n'
        problems = check_table(text)
        assert problems[0].code in {"too-deep", "invalid"}
        assert "nest far" in problems[0].message
        with pytest.raises(RoutingTableError, match="nest far"):
            RoutingTable.from_toml(text)

    def test_too_many_keywords(self):
        """More keywords than MAX_KEYWORDS is refused."""
        found = codes(rule("many", {"any_keywords": [f"w{i}" for i in range(201)]}), END)
        assert found == [("invalid", "many")]

    def test_unknown_topic_unless_declared(self):
        """Topics outside the vocabulary are reported, unless the table declares them."""
        assert codes(rule("t", {"topic": ["pensoin"]}), END) == [("unknown-topic", "t")]
        assert codes(rule("t", {"topic": ["covid-19"]}), END, topics=["covid-19"]) == []

    def test_toml_syntax_error(self):
        """A TOML syntax error is one invalid problem."""
        (problem,) = check_table("[[rules]\nname = 1")
        assert problem.code == "invalid"
        assert "not valid TOML" in problem.message

    def test_unknown_table_key(self):
        """An unknown top-level key is reported."""
        assert codes(END, defualt="VSS-CSKH") == [("invalid", None)]


def test_every_problem_at_once():
    """The error lists every problem, each naming its rule."""
    with pytest.raises(RoutingTableError) as caught:
        RoutingTable.from_dict(
            {
                "rules": [
                    rule("a", {"channel": ["fax"]}),
                    rule("b", {"kind": ["question"]}, "NOPE"),
                    rule("b", {"all": [{"kind": ["support"]}, {"kind": ["complaint"]}]}),
                ]
            }
        )
    error = caught.value
    assert error.what == "routing table"
    assert len(error.problems) == 5
    assert error.problems[0].startswith("rule 1 'a': field when.channel.0: Input should be")
    assert error.problems[1].startswith("rule 2 'b': destination 'NOPE'")
    assert error.problems[2].startswith("rule 3 'b': the name is already used by rule 2")
    assert error.problems[3].startswith("rule 3 'b': the condition can never hold")
    assert error.problems[4].startswith("no default destination")
    assert "5 problems" in str(error)
