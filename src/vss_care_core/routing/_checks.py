"""The checks a routing table passes before it is used, every problem reported at once."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

from vss_care_core.models import Inquiry
from vss_care_core.routing._conditions import (
    MAX_DEPTH,
    AllOf,
    AnyOf,
    Condition,
    FieldCondition,
    Not,
)
from vss_care_core.routing._directory import Directory
from vss_care_core.routing._facts import InquiryFacts
from vss_care_core.routing._index import CompiledRules
from vss_care_core.routing._logic import (
    Compiled,
    Logic,
    Plan,
    Scenario,
    compile_condition,
    plan_of,
    separator_word,
    table_words,
)
from vss_care_core.routing._rules import Rule, TableProblem
from vss_care_core.routing._topics import TOPICS

__all__ = [
    "MAX_RULES",
    "Reach",
    "ShadowedProblem",
    "check_rules",
    "matches_everything",
    "reachability",
    "walk",
]

MAX_RULES = 10_000
"""The most rules one table may have."""
_NAMED = 5
"""The most earlier rules a shadowing message names."""
_FAVOURITES = 100
"""How many alternatives the checks try first to deny (the most useful so far)."""
_REFRESH = 50
"""After how many shadowed rules the favourites are chosen again."""


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


class ShadowedProblem(TableProblem):
    """A ``shadowed`` problem, with what shows it.

    ``earlier`` lists the 1-based positions of earlier rules that together match every inquiry
    this rule matches (one position when a single rule does); ``witness`` is an inquiry this
    rule matches that the table routes to the earlier rule at ``routed_to`` (None when its text
    would be longer than an inquiry may hold). The witness is made of the rules' own keywords and
    values: it holds no personal data.
    """

    earlier: tuple[int, ...]
    routed_to: int
    witness: Inquiry | None = None


@dataclass(frozen=True, slots=True)
class Reach:
    """Whether a rule can decide: ``"decides"``, ``"never"`` (matches no inquiry) or
    ``"shadowed"``. ``witness`` is an inquiry the rule matches (none for ``"never"``) and
    ``routed_to`` the 0-based index of the rule the table routes it to: the rule itself when it
    decides, an earlier one when it is shadowed; ``cover`` holds the 0-based indexes of earlier
    rules that together match every inquiry a shadowed rule matches."""

    verdict: Literal["decides", "never", "shadowed"]
    cover: tuple[int, ...] = ()
    witness: Scenario | None = None
    routed_to: int = -1


def _alternatives(condition: Condition) -> Iterator[Condition]:
    """The parts of a top-level ``any`` (nested ones flattened), else the condition itself: the
    rule matches exactly when one of them does."""
    if isinstance(condition, AnyOf):
        for part in condition.any_of:
            yield from _alternatives(part)
    else:
        yield condition


class _Table:
    """The rules compiled once for one check.

    Each rule is split into its alternatives (:func:`_alternatives`), compiled to plain objects
    and indexed apart, so that a rule ``any`` of fields and keywords is a routing candidate only
    for the inquiries one of its parts may match. Alternative ``i`` belongs to rule
    ``owners[i]``; a rule's alternatives are consecutive and in rule order, so the first
    alternative that matches belongs to the first rule that matches.

    ``useful`` counts how often each alternative was in the solver's core of a shadowed rule
    checked so far, and ``favourites`` lists the most useful ones (see :meth:`learn`).
    """

    __slots__ = (
        "checked",
        "compiled",
        "favourites",
        "firsts",
        "index",
        "owners",
        "part_plans",
        "parts",
        "plans",
        "separator",
        "useful",
    )

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.compiled: list[Compiled] = []
        self.plans: list[Plan] = []
        self.separator = separator_word(table_words(rule.when for rule in rules))
        pieces: list[Condition] = []
        self.owners: list[int] = []
        self.firsts: list[int] = []
        self.parts: list[Compiled] = []
        self.part_plans: list[Plan] = []
        for position, rule in enumerate(rules):
            self.firsts.append(len(pieces))
            compiled = compile_condition(rule.when)
            plan = plan_of(compiled)
            self.compiled.append(compiled)
            self.plans.append(plan)
            alternatives = list(_alternatives(rule.when))
            for part in alternatives:
                self.owners.append(position)
                pieces.append(part)
                if len(alternatives) == 1:  # the rule itself, compiled and planned already
                    self.parts.append(compiled)
                    self.part_plans.append(plan)
                else:
                    self.parts.append(compile_condition(part))
                    self.part_plans.append(plan_of(self.parts[-1]))
        self.firsts.append(len(pieces))
        self.useful: Counter[int] = Counter()
        self.favourites: list[int] = []
        self.checked = 0
        self.index = CompiledRules(pieces)

    def first_match(self, facts: InquiryFacts, *, upto: int, skip: int = 0) -> int | None:
        """The first alternative of a rule at or before ``upto`` that matches (its owner is
        what routing chooses when it is one of them), leaving out the alternatives in the mask
        ``skip`` (known not to match)."""
        mask = self.index.candidates(facts) & ((1 << self.firsts[upto + 1]) - 1) & ~skip
        while mask:
            low = mask & -mask
            alternative = low.bit_length() - 1
            if self.parts[alternative].matches(facts):
                return alternative
            mask ^= low
        return None

    def favourite_match(self, facts: InquiryFacts, *, before: int, skip: int) -> int | None:
        """The most useful alternative (of those before ``before``, outside ``skip``) that
        matches, if any."""
        for alternative in self.favourites:
            if (
                alternative < before
                and not skip & (1 << alternative)
                and self.parts[alternative].matches(facts)
            ):
                return alternative
        return None

    def learn(self, core: Iterable[int]) -> None:
        """Count the alternatives of a shadowed rule's core; every 50 rules, the 100 most useful
        become the favourites."""
        self.useful.update(core)
        self.checked += 1
        if self.checked % _REFRESH == 0:
            self.favourites = [
                alternative for alternative, _ in self.useful.most_common(_FAVOURITES)
            ]


def _reach(index: int, table: _Table) -> Reach:
    """Decide rule ``index``: refine the question by counterexamples the routing index finds.

    An inquiry the rule matches is routed through the index; when an earlier rule takes it, an
    alternative of an earlier rule that matches it is denied and the solver is asked again:
    the favourite that matches (an alternative often needed to cover earlier rules), else the
    one routing chose. The loop ends with an inquiry the rule decides, or with no inquiry the
    rule matches that the denied alternatives all miss: then the rules of those in the solver's
    core cover it. Only alternatives that match an inquiry found are ever encoded, each once;
    a denied alternative matches none of the later inquiries found, so routing skips it.
    """
    with Logic(separator=table.separator) as logic:
        own = logic.encode(table.plans[index])
        if not logic.solve([own]):
            return Reach("never")
        witness = logic.scenario()
        scenario = witness
        denied: dict[int, int] = {}
        denied_mask = 0
        routed_to = -1
        while True:
            facts = scenario.facts()
            favourite = table.favourite_match(facts, before=table.firsts[index], skip=denied_mask)
            if favourite is not None and routed_to >= 0:
                alternative = favourite  # an earlier rule matches: no need to route
            else:
                first = table.first_match(facts, upto=index, skip=denied_mask)
                if first is None:  # pragma: no cover - a broken encoding
                    raise RuntimeError(
                        f"internal error: the inquiry found for rule {index + 1} does not match it"
                    )
                if routed_to < 0:
                    routed_to = table.owners[first]
                if table.owners[first] == index:
                    return Reach("decides", witness=scenario, routed_to=index)
                alternative = first if favourite is None else favourite
            denied.setdefault(-logic.encode(table.part_plans[alternative]), alternative)
            denied_mask |= 1 << alternative
            if not logic.solve([own, *denied]):
                core = {denied[lit] for lit in logic.core() if lit in denied}
                table.learn(core)
                cover = sorted({table.owners[alternative] for alternative in core})
                return Reach("shadowed", cover=tuple(cover), witness=witness, routed_to=routed_to)
            scenario = logic.scenario()


def reachability(rules: Sequence[Rule]) -> list[Reach]:
    """For each rule, in order, whether it can decide (see :class:`Reach`): exact for every
    condition the rule language can express."""
    table = _Table(rules)
    return [_reach(index, table) for index in range(len(rules))]


def matches_everything(condition: object) -> bool:
    """True when ``condition`` holds for every inquiry."""
    with Logic(separator="x") as logic:
        return not logic.solve([-logic.literal(condition)])


def _named(positions: Sequence[int], rules: Sequence[Rule], places: Sequence[int]) -> str:
    shown = [f"{places[i]} {rules[i].name!r}" for i in positions[:_NAMED]]
    more = len(positions) - len(shown)
    if more:
        shown.append(f"{more} more")
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _shadowed(
    index: int, reach: Reach, rules: Sequence[Rule], places: Sequence[int]
) -> ShadowedProblem:
    if len(reach.cover) == 1:
        (other,) = reach.cover
        message = (
            f"can never decide: rule {places[other]} {rules[other].name!r} comes first and "
            "matches every inquiry this rule matches (move this rule up or narrow the earlier one)"
        )
    else:
        message = (
            f"can never decide: rules {_named(reach.cover, rules, places)} come first and "
            "together match every inquiry this rule matches (move this rule up or narrow the "
            "earlier ones)"
        )
    witness = None if reach.witness is None else reach.witness.inquiry()
    return ShadowedProblem(
        code="shadowed",
        rule=rules[index].name,
        position=places[index],
        message=message,
        earlier=tuple(places[i] for i in reach.cover),
        routed_to=places[reach.routed_to],
        witness=witness,
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the checks run, then restore it.

    The checks build hundreds of thousands of small objects (clauses, plans, solver inputs) that
    live until the end; the collector would scan them again and again for cycles there are
    none of. Measured on 10,000 mixed rules (benchmarks/bench_checks.py), pausing it cuts the
    CPU time by 13 % (10.8 s to 9.4 s); nothing is lost, what it would free is freed once it
    runs again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
    places = list(positions) if positions is not None else list(range(1, len(rules) + 1))
    with _collector_paused():
        reaches = reachability(rules)
    for index, (position, rule) in enumerate(zip(places, rules, strict=True)):
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
        reach = reaches[index]
        if reach.verdict == "never":
            problems.append(
                _problem(
                    "never-matches",
                    position,
                    rule,
                    f"the condition can never hold (it contradicts itself): {rule.when.describe()}",
                )
            )
        elif reach.verdict == "shadowed":
            problems.append(_shadowed(index, reach, rules, places))
    if default is not None and default not in directory:
        problems.append(
            TableProblem(
                code="unknown-unit",
                message=f"the table default {default!r} is not a unit of the directory",
            )
        )
    if default is None and (not rules or not matches_everything(rules[-1].when)):
        problems.append(
            TableProblem(
                code="no-default",
                message="no default destination: end the table with a rule without a condition "
                '(or with always = true), or set default = "UNIT"',
            )
        )
    return problems
