"""The checks a routing table passes before it is used, every problem reported at once."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from vss_care_core.routing._analysis import Box, over, under
from vss_care_core.routing._conditions import (
    MAX_DEPTH,
    AllOf,
    AnyOf,
    FieldCondition,
    Not,
)
from vss_care_core.routing._directory import Directory
from vss_care_core.routing._rules import Rule, TableProblem
from vss_care_core.routing._topics import TOPICS

__all__ = ["MAX_RULES", "check_rules", "walk"]

MAX_RULES = 10_000
"""The most rules one table may have."""


def walk(condition: object) -> Iterator[object]:
    """The condition and every condition inside it."""
    yield condition
    if isinstance(condition, AllOf):
        for part in condition.all_of:
            yield from walk(part)
    elif isinstance(condition, AnyOf):
        for part in condition.any_of:
            yield from walk(part)
    elif isinstance(condition, Not):
        yield from walk(condition.negated)


def _problem(code: str, position: int, rule: Rule, message: str) -> TableProblem:
    return TableProblem.model_validate(
        {"code": code, "rule": rule.name, "position": position, "message": message}
    )


def _unit_problems(
    position: int, rule: Rule, directory: Directory, default: str | None
) -> Iterator[TableProblem]:
    if not rule.to_provincial_office and rule.destination not in directory:
        yield _problem(
            "unknown-unit",
            position,
            rule,
            f"destination {rule.destination!r} is not a unit of the directory "
            "(add the unit to the directory or correct the code)",
        )
    if rule.fallback is not None and rule.fallback not in directory:
        yield _problem(
            "unknown-unit",
            position,
            rule,
            f"fallback {rule.fallback!r} is not a unit of the directory",
        )
    if rule.to_provincial_office and rule.fallback is None and default is None:
        yield _problem(
            "no-fallback",
            position,
            rule,
            "sends to the requester's provincial office but says nowhere to send an inquiry "
            'whose province is unknown: add fallback = "UNIT" or a table default',
        )


def _condition_problems(
    position: int, rule: Rule, topics: frozenset[str]
) -> Iterator[TableProblem]:
    depth = rule.when.depth()
    if depth > MAX_DEPTH:
        yield _problem(
            "too-deep",
            position,
            rule,
            f"conditions nest {depth} levels deep; at most {MAX_DEPTH}: flatten all/any/not",
        )
    for part in walk(rule.when):
        if isinstance(part, FieldCondition) and part.topic is not None:
            unknown = sorted(set(part.topic) - topics)
            if unknown:
                yield _problem(
                    "unknown-topic",
                    position,
                    rule,
                    f"topic(s) {unknown} are not in the vocabulary: correct them or declare "
                    "them in the table's topics list",
                )


def _shadowing(
    position: int, rule: Rule, earlier: Sequence[tuple[int, Rule, Box]], box: Box
) -> TableProblem | None:
    for other_position, other, other_under in earlier:
        same = other.when == rule.when
        conjunct = isinstance(rule.when, AllOf) and other.when in rule.when.all_of
        if same or conjunct or other_under.contains(box):
            return _problem(
                "shadowed",
                position,
                rule,
                f"can never decide: rule {other_position} {other.name!r} comes first and "
                "matches every inquiry this rule matches (move this rule up or narrow the "
                "earlier one)",
            )
    return None


def check_rules(
    rules: Sequence[Rule],
    *,
    directory: Directory,
    default: str | None,
    extra_topics: Sequence[str] = (),
    positions: Sequence[int] | None = None,
) -> list[TableProblem]:
    """Every problem of the rules, in rule order, then the table-wide ones.

    ``positions`` gives each rule's 1-based place in the file (when invalid rules were left out).
    """
    problems: list[TableProblem] = []
    if len(rules) > MAX_RULES:
        problems.append(
            TableProblem(
                code="too-many-rules",
                message=f"the table has {len(rules)} rules; at most {MAX_RULES}",
            )
        )
        return problems
    topics = frozenset(TOPICS) | frozenset(extra_topics)
    seen: dict[str, int] = {}
    earlier: list[tuple[int, Rule, Box]] = []
    places = positions if positions is not None else range(1, len(rules) + 1)
    for position, rule in zip(places, rules, strict=True):
        if rule.name in seen:
            problems.append(
                _problem(
                    "duplicate-name",
                    position,
                    rule,
                    f"the name is already used by rule {seen[rule.name]}: give each rule its "
                    "own name",
                )
            )
        else:
            seen[rule.name] = position
        problems.extend(_unit_problems(position, rule, directory, default))
        problems.extend(_condition_problems(position, rule, topics))
        box = over(rule.when)
        if box.empty:
            problems.append(
                _problem(
                    "never-matches",
                    position,
                    rule,
                    f"the condition can never hold (it contradicts itself): {rule.when.describe()}",
                )
            )
            continue
        shadow = _shadowing(position, rule, earlier, box)
        if shadow is not None:
            problems.append(shadow)
        earlier.append((position, rule, under(rule.when)))
    if default is not None and default not in directory:
        problems.append(
            TableProblem(
                code="unknown-unit",
                message=f"the table default {default!r} is not a unit of the directory",
            )
        )
    if default is None and (not rules or not under(rules[-1].when).universal):
        problems.append(
            TableProblem(
                code="no-default",
                message="no default destination: end the table with a rule without a condition "
                '(or with always = true), or set default = "UNIT"',
            )
        )
    return problems
