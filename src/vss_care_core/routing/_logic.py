"""Conditions as propositional formulas, decided exactly by a SAT solver.

The atoms of an inquiry, as routing sees it, are:

- ``field = value`` for each routed field: a closed field (channel, kind, priority, requester
  type, province) has exactly one value of its domain (``None`` included where a field may be
  unknown); an open field (topic, language) has any value. Only the values the formulas mention
  get a variable, at most one of them true; none true means "some value no formula mentions"
  (a closed field whose every value is mentioned must take one of them);
- one independent boolean per policy area;
- for the subject and for the content, the presence of each folded keyword (a word, or a phrase
  of consecutive words). A phrase implies every shorter keyword it contains consecutively (each
  of its words among them), and nothing else: any assignment that respects these implications is
  the text of a real inquiry, built by writing each present keyword once, separated by a word no
  rule mentions (:meth:`Logic.scenario`).

A condition becomes a literal through Tseitin's definitions (both directions, so that a rule's
literal can be asserted or denied). The solver is MiniSat 2.2, from ``python-sat``.

The checks compare each rule with many others, so :func:`compile_condition` turns a condition
once into plain objects (:class:`Compiled`) that match facts, and :func:`plan_of` works out once
the atoms, gates and clauses of a compiled condition (:class:`Plan`). :meth:`Logic.encode` adds a
plan to a solver (its atoms looked up, made when first used, its gates given fresh variables):
the literal it gives is true on exactly the inquiries :meth:`Logic.literal` of the condition is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from itertools import pairwise
from types import TracebackType
from typing import Any, Literal, NamedTuple

from pysat.solvers import Solver  # type: ignore[import-untyped]

from vss_care_core.models import (
    VIETNAM_TZ,
    Channel,
    Inquiry,
    PolicyArea,
    Priority,
)
from vss_care_core.routing._analysis import CLOSED_DOMAINS
from vss_care_core.routing._conditions import (
    AllOf,
    Always,
    AnyOf,
    FieldCondition,
    KeywordCondition,
    Not,
)
from vss_care_core.routing._facts import AREA_BITS, InquiryFacts

__all__ = [
    "WITNESS_TIME",
    "Atom",
    "Compiled",
    "CompiledAll",
    "CompiledAlways",
    "CompiledAny",
    "CompiledFields",
    "CompiledKeywords",
    "CompiledNot",
    "Logic",
    "Plan",
    "Scenario",
    "compile_condition",
    "plan_of",
    "separator_word",
    "table_words",
]

Place = Literal["subject", "content"]
_PLACES: dict[str, tuple[Place, ...]] = {
    "text": ("subject", "content"),
    "subject": ("subject",),
    "content": ("content",),
}

WITNESS_TIME = datetime(2026, 1, 5, 9, 0, tzinfo=VIETNAM_TZ)
"""The moment a witness inquiry says it was received (routing never reads it)."""

_DEFAULTS: dict[str, Any] = {
    "channel": Channel.EMAIL,
    "kind": None,
    "priority": Priority.NORMAL,
    "requester_type": "individual",
    "province": None,
    "topic": None,
    "language": "vi",
}
_SORTED_DOMAINS: dict[str, tuple[Any, ...]] = {
    key: tuple(sorted(domain, key=lambda v: "" if v is None else str(v)))
    for key, domain in CLOSED_DOMAINS.items()
}
"""Each closed domain in a fixed order (``None`` first): a value no formula mentions is the
first of them when the usual one is mentioned."""
_LANGUAGES = ("vi", "en", "fr", "zh", "ko", "ja", "de", "ru", "km", "lo", "th")


_WORD_SETS: dict[str, str] = {
    "text": "words",
    "subject": "subject_words",
    "content": "content_words",
}
_TEXTS: dict[str, tuple[str, ...]] = {
    "text": ("subject_text", "content_text"),
    "subject": ("subject_text",),
    "content": ("content_text",),
}


class Compiled:
    """A condition compiled once for the checks: :meth:`matches` agrees with the condition's
    own ``matches``, and its plan (:func:`plan_of`) encodes the same formula."""

    __slots__ = ()

    def matches(self, facts: InquiryFacts) -> bool:  # pragma: no cover - abstract
        """True when the condition holds for the inquiry's facts."""
        raise NotImplementedError


class CompiledAlways(Compiled):
    """Every inquiry."""

    __slots__ = ()

    def matches(self, facts: InquiryFacts) -> bool:
        """Always True."""
        return True


class CompiledFields(Compiled):
    """Field tests: ``tests`` in the order of :meth:`FieldCondition.accepted` (the order they
    are encoded in), the policy-area test also as a mask of area bits for matching."""

    __slots__ = ("area_mask", "tests", "value_tests")

    def __init__(self, tests: Sequence[tuple[str, frozenset[Any]]]) -> None:
        self.tests = tuple(tests)
        self.value_tests = tuple((key, values) for key, values in tests if key != "policy_area")
        areas = dict(tests).get("policy_area")
        self.area_mask: int | None = None
        if areas is not None:
            self.area_mask = 0
            for area in areas:
                self.area_mask |= AREA_BITS[area]

    def matches(self, facts: InquiryFacts) -> bool:
        """True when every test holds."""
        if self.area_mask is not None and not facts.area_bits & self.area_mask:
            return False
        return all(getattr(facts, key) in values for key, values in self.value_tests)


class CompiledKeywords(Compiled):
    """Folded keywords: single words are looked up in the scope's word set, phrases (padded
    with spaces) in its texts."""

    __slots__ = ("needs_all", "phrases", "places", "single", "spaced", "text_names", "word_set")

    def __init__(self, condition: KeywordCondition) -> None:
        self.phrases = condition.folded
        self.places = _PLACES[condition.scope]
        self.needs_all = condition.needs_all
        self.word_set = _WORD_SETS[condition.scope]
        self.text_names = _TEXTS[condition.scope]
        self.single = tuple(phrase[0] for phrase in self.phrases if len(phrase) == 1)
        self.spaced = tuple(f" {' '.join(p)} " for p in self.phrases if len(p) > 1)

    def _found(self, facts: InquiryFacts) -> Iterator[bool]:
        present = getattr(facts, self.word_set)
        for word in self.single:
            yield word in present
        texts = [getattr(facts, name) for name in self.text_names]
        for spaced in self.spaced:
            yield any(spaced in text for text in texts)

    def matches(self, facts: InquiryFacts) -> bool:
        """True when any (or all) of the keywords are found."""
        if self.needs_all:
            return all(self._found(facts))
        return any(self._found(facts))


class CompiledAll(Compiled):
    """Every part."""

    __slots__ = ("parts",)

    def __init__(self, parts: Sequence[Compiled]) -> None:
        self.parts = tuple(parts)

    def matches(self, facts: InquiryFacts) -> bool:
        """True when every part matches."""
        return all(part.matches(facts) for part in self.parts)


class CompiledAny(Compiled):
    """Some part."""

    __slots__ = ("parts",)

    def __init__(self, parts: Sequence[Compiled]) -> None:
        self.parts = tuple(parts)

    def matches(self, facts: InquiryFacts) -> bool:
        """True when some part matches."""
        return any(part.matches(facts) for part in self.parts)


class CompiledNot(Compiled):
    """The negation of a part."""

    __slots__ = ("part",)

    def __init__(self, part: Compiled) -> None:
        self.part = part

    def matches(self, facts: InquiryFacts) -> bool:
        """True when the part does not match."""
        return not self.part.matches(facts)


def compile_condition(condition: object) -> Compiled:
    """The condition as plain objects, read from the condition models once."""
    if isinstance(condition, FieldCondition):
        return CompiledFields(list(condition.accepted().items()))
    if isinstance(condition, KeywordCondition):
        return CompiledKeywords(condition)
    if isinstance(condition, AllOf):
        return CompiledAll([compile_condition(part) for part in condition.all_of])
    if isinstance(condition, AnyOf):
        return CompiledAny([compile_condition(part) for part in condition.any_of])
    if isinstance(condition, Not):
        return CompiledNot(compile_condition(condition.negated))
    if isinstance(condition, Always):
        return CompiledAlways()
    raise TypeError(f"not a condition: {type(condition).__name__}")  # pragma: no cover


def _walk_keywords(condition: object) -> Iterator[KeywordCondition]:
    stack = [condition]
    while stack:
        item = stack.pop()
        if isinstance(item, KeywordCondition):
            yield item
        elif isinstance(item, AllOf):
            stack.extend(item.all_of)
        elif isinstance(item, AnyOf):
            stack.extend(item.any_of)
        elif isinstance(item, Not):
            stack.append(item.negated)


def table_words(conditions: Iterable[object]) -> frozenset[str]:
    """Every folded word the keyword conditions of ``conditions`` mention."""
    found: set[str] = set()
    for condition in conditions:
        for keywords in _walk_keywords(condition):
            for phrase in keywords.folded:
                found.update(phrase)
    return frozenset(found)


def separator_word(vocabulary: frozenset[str]) -> str:
    """A folded word outside ``vocabulary``, to separate the keywords of a witness text."""
    number = 0
    while f"x{number}" in vocabulary:
        number += 1
    return f"x{number}"


@lru_cache(maxsize=65_536)
def _parts(phrase: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    """Every run of consecutive words of ``phrase`` (the phrase included), computed once."""
    size = len(phrase)
    return frozenset(
        phrase[start:end] for start in range(size) for end in range(start + 1, size + 1)
    )


def _contains(phrase: tuple[str, ...], part: tuple[str, ...]) -> bool:
    """True when ``part`` occurs in ``phrase`` as consecutive words."""
    return part in _parts(phrase)


@dataclass(frozen=True)
class Scenario:
    """What an inquiry shows to routing: its routed fields and the folded words of its subject
    and content. :meth:`facts` is what :func:`~vss_care_core.routing._facts.facts_of` computes
    for :meth:`inquiry`."""

    fields: dict[str, Any]
    policy_areas: frozenset[PolicyArea]
    subject_words: tuple[str, ...]
    content_words: tuple[str, ...]

    def facts(self) -> InquiryFacts:
        """The facts routing reads, built without an :class:`Inquiry` (no length limits)."""
        subject_set = frozenset(self.subject_words)
        content_set = frozenset(self.content_words)
        pairs = {
            f"{a} {b}"
            for text in (self.subject_words, self.content_words)
            for a, b in pairwise(text)
        }
        bits = 0
        for area in self.policy_areas:
            bits |= AREA_BITS[area]
        return InquiryFacts(
            channel=self.fields["channel"],
            kind=self.fields["kind"],
            policy_areas=self.policy_areas,
            area_bits=bits,
            topic=self.fields["topic"],
            priority=self.fields["priority"],
            requester_type=self.fields["requester_type"],
            province=self.fields["province"],
            language=self.fields["language"],
            subject_words=subject_set,
            content_words=content_set,
            words=subject_set | content_set,
            subject_text=f" {' '.join(self.subject_words)} ",
            content_text=f" {' '.join(self.content_words)} ",
            terms=subject_set | content_set | pairs,
        )

    def inquiry(self) -> Inquiry | None:
        """The scenario as an inquiry, or None when its text is longer than an inquiry holds.

        The requester is anonymous (an organisation gets a placeholder name); the subject and
        content are the folded keywords, or ``"-"`` when there are none.
        """
        requester: dict[str, Any] = {"type": self.fields["requester_type"]}
        if requester["type"] == "organization":
            requester["name"] = "Đơn vị mẫu"
        if self.fields["province"] is not None:
            requester["province"] = self.fields["province"]
        data: dict[str, Any] = {
            "channel": self.fields["channel"],
            "received_at": WITNESS_TIME,
            "requester": requester,
            "subject": " ".join(self.subject_words) or "-",
            "content": " ".join(self.content_words) or "-",
            "policy_areas": sorted(self.policy_areas),
            "kind": self.fields["kind"],
            "topic": self.fields["topic"],
            "priority": self.fields["priority"],
            "language": self.fields["language"],
        }
        try:
            return Inquiry.model_validate(data)
        except ValueError:
            return None


class Atom(NamedTuple):
    """What a plan's variable stands for: ``field`` (``key = value``), ``area`` (the policy area
    ``value``) or ``term`` (the folded phrase ``value`` in the place ``key``)."""

    kind: Literal["field", "area", "term"]
    key: str
    value: Any


@dataclass(frozen=True, slots=True)
class Plan:
    """A compiled condition's clauses, worked out once and added to many solvers.

    Its own numbering: 1 is "true", ``2 .. len(atoms) + 1`` stand for ``atoms`` and the next
    ``gates`` numbers are its gates (Tseitin definitions, both directions). ``literal`` is the
    condition's literal in that numbering (``1`` or ``-1`` when it is constant).
    """

    atoms: tuple[Atom, ...]
    gates: int
    clauses: tuple[tuple[int, ...], ...]
    literal: int


_GATES = 1 << 40
"""Where a plan's gates are numbered while it is built (moved after its atoms at the end)."""


def _conjoined(literals: Iterable[int]) -> int | frozenset[int]:
    """The parts of a conjunction of ``literals`` (1 is true, -1 false), the true ones left out;
    or its literal when that is decided already: -1 when a part is false or two contradict,
    1 when every part is true, the part itself when there is one. Both encoders use it."""
    kept: set[int] = set()
    for literal in literals:
        if literal == -1:
            return -1
        if literal != 1:
            kept.add(literal)
    if any(-literal in kept for literal in kept):
        return -1
    if not kept:
        return 1
    if len(kept) == 1:
        return next(iter(kept))
    return frozenset(kept)


class _Planner:
    """Builds one :class:`Plan`, folding constants and sharing equal gates as :class:`Logic`
    does."""

    def __init__(self) -> None:
        self.atoms: dict[Atom, int] = {}
        self.gates: dict[frozenset[int], int] = {}
        self.clauses: list[tuple[int, ...]] = []

    def atom(self, atom: Atom) -> int:
        if atom.kind == "field":
            domain = CLOSED_DOMAINS.get(atom.key)
            if domain is not None and atom.value not in domain:
                return -1  # outside a closed domain: never
        number = self.atoms.get(atom)
        if number is None:
            number = self.atoms[atom] = len(self.atoms) + 2
        return number

    def conjunction(self, literals: Iterable[int]) -> int:
        kept = _conjoined(literals)
        if isinstance(kept, int):
            return kept
        gate = self.gates.get(kept)
        if gate is None:
            gate = self.gates[kept] = _GATES + len(self.gates)
            for literal in kept:
                self.clauses.append((-gate, literal))
            self.clauses.append((gate, *(-literal for literal in kept)))
        return gate

    def disjunction(self, literals: Iterable[int]) -> int:
        return -self.conjunction(-literal for literal in literals)

    def literal(self, compiled: Compiled) -> int:
        if isinstance(compiled, CompiledFields):
            tests = []
            for key, accepted in compiled.tests:
                kind: Literal["area", "field"] = "area" if key == "policy_area" else "field"
                tests.append(
                    self.disjunction(self.atom(Atom(kind, key, value)) for value in accepted)
                )
            return self.conjunction(tests)
        if isinstance(compiled, CompiledKeywords):
            found = [
                self.disjunction(
                    self.atom(Atom("term", place, phrase)) for place in compiled.places
                )
                for phrase in compiled.phrases
            ]
            return self.conjunction(found) if compiled.needs_all else self.disjunction(found)
        if isinstance(compiled, CompiledAll):
            return self.conjunction([self.literal(part) for part in compiled.parts])
        if isinstance(compiled, CompiledAny):
            return self.disjunction([self.literal(part) for part in compiled.parts])
        if isinstance(compiled, CompiledNot):
            return -self.literal(compiled.part)
        return 1  # CompiledAlways

    def renumbered(self, literal: int) -> int:
        """The literal with gates numbered after the atoms."""
        variable = abs(literal)
        if variable >= _GATES:
            variable = variable - _GATES + len(self.atoms) + 2
        return variable if literal > 0 else -variable


def plan_of(compiled: Compiled) -> Plan:
    """The plan of a compiled condition: its atoms, gates and clauses, worked out once."""
    planner = _Planner()
    literal = planner.literal(compiled)
    return Plan(
        atoms=tuple(planner.atoms),
        gates=len(planner.gates),
        clauses=tuple(
            tuple(planner.renumbered(lit) for lit in clause) for clause in planner.clauses
        ),
        literal=planner.renumbered(literal),
    )


class Logic:
    """Conditions encoded into one incremental SAT solver.

    :meth:`literal` gives the literal that is true exactly on the inquiries a condition matches;
    :meth:`solve` asks whether some inquiry makes the given literals true, and
    :meth:`scenario` reads that inquiry back from the solver's model. Use it as a context
    manager, so that the solver is freed.
    """

    def __init__(self, *, separator: str) -> None:
        self._separator = separator
        self._solver = Solver(name="minisat22")
        self._count = 1
        self._solver.add_clause([1])  # variable 1 is "true"
        self._fields: dict[str, dict[Any, int]] = {}
        self._last: dict[str, int] = {}
        self._areas: dict[PolicyArea, int] = {}
        self._terms: dict[tuple[Place, tuple[str, ...]], int] = {}
        self._by_word: dict[tuple[Place, str], list[tuple[str, ...]]] = {}
        self._gates: dict[tuple[str, frozenset[int]], int] = {}
        self._model: frozenset[int] = frozenset()
        self._failed: list[int] | None = None

    def __enter__(self) -> Logic:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._solver.delete()

    def _new(self) -> int:
        self._count += 1
        return self._count

    def _add(self, clause: list[int]) -> None:
        self._solver.add_clause(clause)

    def _at_most_one(self, key: str, variable: int) -> None:
        """Extend the field's at-most-one chain by ``variable`` (a ladder: 3 clauses each)."""
        previous = self._last.get(key)
        if previous is None:
            self._last[key] = variable
            return
        seen = self._new()
        self._add([-previous, seen])
        self._add([-variable, seen])
        self._add([-variable, -previous])
        self._last[key] = seen

    def _field(self, key: str, value: Any) -> int:
        """The variable of ``field = value``, made when first asked for.

        Only the values the formulas mention get a variable, at most one of them true; none true
        means a value no formula mentions. A closed field whose every value is mentioned must
        take one of them, so the last value's variable also adds "at least one".
        """
        values = self._fields.setdefault(key, {})
        variable = values.get(value, 0)
        if variable:
            return variable
        domain = CLOSED_DOMAINS.get(key)
        if domain is not None and value not in domain:
            return -1  # outside a closed domain: never
        values[value] = variable = self._new()
        self._at_most_one(key, variable)
        if domain is not None and len(values) == len(domain):
            self._add(list(values.values()))
        return variable

    def _area(self, area: PolicyArea) -> int:
        variable = self._areas.get(area)
        if variable is None:
            variable = self._areas[area] = self._new()
        return variable

    def _term(self, place: Place, phrase: tuple[str, ...]) -> int:
        variable = self._terms.get((place, phrase))
        if variable is not None:
            return variable
        variable = self._terms[(place, phrase)] = self._new()
        related: set[tuple[str, ...]] = set()
        for word in set(phrase):
            related.update(self._by_word.get((place, word), ()))
        for other in related:
            other_variable = self._terms[(place, other)]
            if _contains(phrase, other):
                self._add([-variable, other_variable])
            elif _contains(other, phrase):
                self._add([-other_variable, variable])
        for word in set(phrase):
            self._by_word.setdefault((place, word), []).append(phrase)
        return variable

    def _and(self, literals: Iterable[int]) -> int:
        kept = _conjoined(literals)
        if isinstance(kept, int):
            return kept
        key = ("and", kept)
        gate = self._gates.get(key)
        if gate is None:
            gate = self._gates[key] = self._new()
            for literal in kept:
                self._add([-gate, literal])
            self._add([gate, *(-literal for literal in kept)])
        return gate

    def _or(self, literals: Iterable[int]) -> int:
        return -self._and(-literal for literal in literals)

    def literal(self, condition: object) -> int:
        """The literal true exactly on the inquiries ``condition`` matches."""
        if isinstance(condition, FieldCondition):
            tests = []
            for key, accepted in condition.accepted().items():
                if key == "policy_area":
                    tests.append(self._or(self._area(area) for area in accepted))
                else:
                    tests.append(self._or(self._field(key, value) for value in accepted))
            return self._and(tests)
        if isinstance(condition, KeywordCondition):
            places = _PLACES[condition.scope]
            found = [
                self._or(self._term(place, phrase) for place in places)
                for phrase in condition.folded
            ]
            return self._and(found) if condition.needs_all else self._or(found)
        if isinstance(condition, AllOf):
            return self._and([self.literal(part) for part in condition.all_of])
        if isinstance(condition, AnyOf):
            return self._or([self.literal(part) for part in condition.any_of])
        if isinstance(condition, Not):
            return -self.literal(condition.negated)
        if isinstance(condition, Always):
            return 1
        raise TypeError(f"not a condition: {type(condition).__name__}")  # pragma: no cover

    def _atom(self, atom: Atom) -> int:
        if atom.kind == "field":
            return self._field(atom.key, atom.value)
        if atom.kind == "area":
            return self._area(atom.value)
        place: Place = "subject" if atom.key == "subject" else "content"
        return self._term(place, atom.value)

    def encode(self, plan: Plan) -> int:
        """The literal of a planned condition, true exactly on the inquiries it matches: its
        atoms are looked up (made when first used), its gates get fresh variables and its
        clauses are added with those numbers."""
        numbers = [0, 1]  # the plan's 1 is "true", as here
        numbers.extend(self._atom(atom) for atom in plan.atoms)
        numbers.extend(range(self._count + 1, self._count + plan.gates + 1))
        self._count += plan.gates
        self._solver.append_formula(
            [
                [numbers[lit] if lit > 0 else -numbers[-lit] for lit in clause]
                for clause in plan.clauses
            ]
        )
        if plan.literal > 0:
            return numbers[plan.literal]
        return -numbers[-plan.literal]

    def solve(self, literals: Sequence[int]) -> bool:
        """True when some inquiry makes every literal true (then :meth:`scenario` gives one)."""
        if -1 in literals:
            self._model, self._failed = frozenset(), [-1]
            return False
        self._failed = None
        found = bool(self._solver.solve(assumptions=list(literals)))
        # The model lists each variable as v (true) or -v (false): the true ones are those in it.
        self._model = frozenset(self._solver.get_model() or ()) if found else frozenset()
        return found

    def core(self) -> list[int]:
        """After a failed :meth:`solve`: literals among those given that cannot hold together."""
        if self._failed is not None:
            return self._failed
        return list(self._solver.get_core() or [])

    def _value(self, key: str) -> Any:
        """The field's value in the model: the mentioned value whose variable is true, else
        one no formula mentions (the usual one when it is free)."""
        values = self._fields.get(key, {})
        for value, variable in values.items():
            if variable in self._model:
                return value
        if _DEFAULTS[key] not in values:
            return _DEFAULTS[key]
        domain = _SORTED_DOMAINS.get(key)
        if domain is not None:
            return next(value for value in domain if value not in values)
        if key == "topic":
            return None
        return next(
            (code for code in _LANGUAGES if code not in values),
            next(
                f"{a}{b}"
                for a in "zyxwvutsrq"
                for b in "abcdefghijklmnopqrstuvwxyz"
                if f"{a}{b}" not in values
            ),
        )

    def scenario(self) -> Scenario:
        """The inquiry found by the last successful :meth:`solve`.

        Each present keyword is written once (unless a longer present one contains it),
        followed by the separator word, so that no keyword absent from the model appears.
        """
        fields = {key: self._value(key) for key in _DEFAULTS}
        areas = frozenset(area for area, v in self._areas.items() if v in self._model)
        texts: dict[Place, list[str]] = {"subject": [], "content": []}
        written: dict[Place, list[tuple[str, ...]]] = {"subject": [], "content": []}
        present = sorted(
            (key for key, v in self._terms.items() if v in self._model),
            key=lambda key: -len(key[1]),
        )
        for place, phrase in present:
            if any(_contains(longer, phrase) for longer in written[place]):
                continue
            written[place].append(phrase)
            texts[place].extend((*phrase, self._separator))
        return Scenario(
            fields=fields,
            policy_areas=areas,
            subject_words=tuple(texts["subject"]),
            content_words=tuple(texts["content"]),
        )
