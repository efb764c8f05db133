"""The routing table: ordered rules, checked when built, compiled once, explained on demand."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any, Literal, NamedTuple

from pydantic import ValidationError

from vss_care_core.errors import InvalidInputError, RoutingTableError
from vss_care_core.inputs import (
    kind_of,
    load_document,
    load_json,
    load_toml,
    parse_json,
    parse_toml,
)
from vss_care_core.models import CareModel, Inquiry, Priority, UnitLevel
from vss_care_core.routing._checks import check_rules
from vss_care_core.routing._conditions import MAX_DEPTH, ConditionTrace
from vss_care_core.routing._directory import Directory, vss_directory
from vss_care_core.routing._facts import InquiryFacts, RoutableCase, facts_of
from vss_care_core.routing._index import CompiledRules, first_match
from vss_care_core.routing._rules import Rule, TableProblem
from vss_care_core.routing._toml import table_to_toml

__all__ = [
    "MAX_TABLE_BYTES",
    "RoutingDecision",
    "RoutingExplanation",
    "RoutingTable",
    "RuleTrace",
    "check_table",
]

MAX_TABLE_BYTES = 5_000_000
"""The largest rules file accepted, in bytes (a rules text: in characters)."""
_TABLE_KEYS = frozenset({"description", "default", "topics", "rules"})


class RoutingDecision(CareModel):
    """Where an inquiry goes and why: the unit, the deciding rule and its effects.

    ``rule`` and ``position`` are None when no rule matched and the table default was used;
    ``fallback_used`` is True when the rule asked for the requester's provincial office but the
    province was unknown; ``forward`` is True when the unit is an outside agency.
    """

    unit: str
    unit_name: str
    rule: str | None
    position: int | None
    priority: Priority
    tags: tuple[str, ...] = ()
    fallback_used: bool = False
    forward: bool = False


class RuleTrace(CareModel):
    """One rule tried on an inquiry: its position, name, whether it matched, and why."""

    position: int
    name: str
    matched: bool
    condition: ConditionTrace


class RoutingExplanation(CareModel):
    """The rules tried in order, up to the one that decided, and the decision.

    ``str()`` gives a readable account, free of personal data.
    """

    inquiry_id: str
    summary: str
    rules: tuple[RuleTrace, ...]
    destination: str
    decision: RoutingDecision

    def __str__(self) -> str:
        lines = [f"Routing of inquiry {self.inquiry_id} ({self.summary})"]
        for trace in self.rules:
            verdict = "matched" if trace.matched else "did not match"
            lines.append(f"rule {trace.position} {trace.name!r}: {verdict}")
            lines.extend(trace.condition.lines(indent=1))
        if not any(t.matched for t in self.rules):
            lines.append("no rule matched: the table default applies")
        decision = self.decision
        lines.append(f"→ {decision.unit} ({decision.unit_name}): {self.destination}")
        effects = [f"priority {decision.priority}"]
        if decision.tags:
            effects.append("tags " + ", ".join(decision.tags))
        lines.append("  " + "; ".join(effects))
        return "\n".join(lines)


def _summary(facts: InquiryFacts) -> str:
    areas = ", ".join(sorted(facts.policy_areas)) or "none"
    return (
        f"channel {facts.channel}, kind {facts.kind or 'unknown'}, policy areas {areas}, "
        f"topic {facts.topic or 'unknown'}, priority {facts.priority}, "
        f"requester {facts.requester_type}, province {facts.province or 'unknown'}, "
        f"language {facts.language}"
    )


_TAG_SEGMENTS = frozenset({"field", "keywords"})


def _errors(where: str, error: ValidationError) -> list[str]:
    items = error.errors(include_input=False, include_url=False)
    locations = [tuple(str(part) for part in item["loc"]) for item in items]
    found = []
    for item, loc in zip(items, locations, strict=True):
        deeper = any(other[: len(loc)] == loc and len(other) > len(loc) for other in locations)
        if item["type"] == "too_short" and deeper:
            continue  # the list is short only because an item inside it was refused
        shown: list[str] = []
        for part in loc:
            if part in _TAG_SEGMENTS or (shown and shown[-1] == part):
                continue
            shown.append(part)
        path = ".".join(shown)
        found.append(f"{where}{' ' + path if path else ''}: {item['msg']}")
    return found


_MAX_RAW_DEPTH = 4 * MAX_DEPTH + 4
"""Nesting of raw tables and lists beyond which a rule is refused before validation."""


def _raw_depth(value: object) -> int:
    """How deeply mappings and lists nest in ``value`` (iteratively: no recursion limit)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > _MAX_RAW_DEPTH:
            break
        if isinstance(item, Mapping):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list | tuple):
            stack.extend((child, depth + 1) for child in item)
    return deepest


class _Parsed(NamedTuple):
    rules: list[Rule]
    positions: list[int]
    default: str | None
    topics: tuple[str, ...]
    description: str | None
    problems: list[TableProblem]
    is_table: bool = True
    """False when the document is not a table at all: its one problem says so, and no rule
    check adds to it."""

    def check(self, directory: Directory) -> list[TableProblem]:
        if not self.is_table:
            return self.problems
        return self.problems + check_rules(
            self.rules,
            directory=directory,
            default=self.default,
            extra_topics=self.topics,
            positions=self.positions,
        )


def _parse(document: object) -> _Parsed:
    if not isinstance(document, Mapping):
        problem = TableProblem(
            code="invalid",
            message=f"the table is {kind_of(document)}: write a table (a TOML document, or a "
            'JSON object) with "rules", and optionally "default", "topics" and "description"',
        )
        return _Parsed([], [], None, (), None, [problem], is_table=False)
    problems: list[TableProblem] = []
    unknown = sorted(set(document) - _TABLE_KEYS)
    if unknown:
        problems.append(
            TableProblem(
                code="invalid",
                message=f"unknown table key(s) {unknown}; use {sorted(_TABLE_KEYS)}",
            )
        )
    default = document.get("default")
    if default is not None and not isinstance(default, str):
        problems.append(TableProblem(code="invalid", message="default must be a unit code"))
        default = None
    description = document.get("description")
    description = description if isinstance(description, str) else None
    raw_topics = document.get("topics", [])
    topics: tuple[str, ...] = ()
    if isinstance(raw_topics, list) and all(isinstance(t, str) for t in raw_topics):
        topics = tuple(raw_topics)
    else:
        problems.append(TableProblem(code="invalid", message="topics must be a list of codes"))
    raw_rules = document.get("rules", [])
    if not isinstance(raw_rules, list):
        problems.append(TableProblem(code="invalid", message="rules must be a list of tables"))
        raw_rules = []
    rules: list[Rule] = []
    positions: list[int] = []
    for position, raw in enumerate(raw_rules, start=1):
        if _raw_depth(raw) > _MAX_RAW_DEPTH:
            name = raw.get("name") if isinstance(raw, Mapping) else None
            problems.append(
                TableProblem(
                    code="too-deep",
                    rule=name if isinstance(name, str) else None,
                    position=position,
                    message=f"conditions nest far deeper than {MAX_DEPTH} levels: "
                    "flatten all/any/not",
                )
            )
            continue
        try:
            rules.append(Rule.model_validate(raw))
            positions.append(position)
        except ValidationError as error:
            name = raw.get("name") if isinstance(raw, Mapping) else None
            for message in _errors("field", error):
                problems.append(
                    TableProblem(
                        code="invalid",
                        rule=name if isinstance(name, str) else None,
                        position=position,
                        message=message,
                    )
                )
    return _Parsed(rules, positions, default, topics, description, problems)


_Syntax = Literal["toml", "json", "by-name"]


def _document(source: str | os.PathLike[str], syntax: _Syntax) -> Any:
    """The document of a rules text, or of a rules file; any problem is a RoutingTableError.

    A file is read with :mod:`vss_care_core.inputs` (UTF-8, bounded, errors naming the file);
    ``by-name`` reads a ``.json`` file as JSON and any other as TOML.
    """
    try:
        if isinstance(source, os.PathLike):
            if syntax == "json":
                return load_json(source, what="routing rules", max_bytes=MAX_TABLE_BYTES)
            if syntax == "toml":
                return load_toml(source, what="routing rules", max_bytes=MAX_TABLE_BYTES)
            return load_document(source, what="routing rules", max_bytes=MAX_TABLE_BYTES)
        if len(source) > MAX_TABLE_BYTES:
            raise RoutingTableError(
                "routing table",
                [f"the text has {len(source):,} characters; at most {MAX_TABLE_BYTES:,}"],
            )
        return parse_json(source) if syntax == "json" else parse_toml(source)
    except InvalidInputError as error:
        raise RoutingTableError("routing table", [str(error)]) from None


def check_table(
    source: str | os.PathLike[str] | Mapping[str, Any], *, directory: Directory | None = None
) -> tuple[TableProblem, ...]:
    """Every problem of a rules table, without raising.

    ``source`` is TOML text, a path (a ``.json`` file is read as JSON, any other as TOML), or
    the parsed document. A file that cannot be read, a syntax error or an oversized file is
    reported as one ``invalid`` problem. The units are checked against ``directory`` (the
    built-in one when it is None; an empty directory has no unit).

    >>> [str(p) for p in check_table('''
    ... [[rules]]
    ... name = "phone"
    ... when = { channel = ["phone"], kind = ["question"] }
    ... destination = "VSS-CSKH"
    ... [[rules]]
    ... name = "phone questions"
    ... when = { channel = ["phone"], kind = ["question"], policy_area = ["health"] }
    ... destination = "VSS-BHYT"
    ... ''')]  # doctest: +NORMALIZE_WHITESPACE
    ["rule 2 'phone questions': can never decide: rule 1 'phone' comes first and matches every
     inquiry this rule matches (move this rule up or narrow the earlier one)",
     'no default destination: end the table with a rule without a condition (or with always =
     true), or set default = "UNIT"']
    """
    document: object = source
    if isinstance(source, str | os.PathLike):
        try:
            document = _document(source, "toml" if isinstance(source, str) else "by-name")
        except RoutingTableError as error:
            return tuple(TableProblem(code="invalid", message=p) for p in error.problems)
    return tuple(_parse(document).check(vss_directory() if directory is None else directory))


class RoutingTable:
    """An ordered list of routing rules, checked when built and compiled once.

    The first rule whose condition holds decides; when none does, ``default`` (a unit code)
    does. Build a table with :meth:`from_toml`, :meth:`from_json`, :meth:`from_dict` or
    :meth:`default`; every problem is reported at once as a
    :class:`~vss_care_core.errors.RoutingTableError`. Unit codes are checked against
    ``directory``: the built-in one when it is None (an empty directory has no unit at all).

    >>> table = RoutingTable.from_toml('''
    ... [[rules]]
    ... name = "hỏi lương hưu"
    ... when = { any_keywords = ["lương hưu"] }
    ... destination = "VSS-BHXH"
    ...
    ... [[rules]]
    ... name = "còn lại"
    ... destination = "VSS-CSKH"
    ... ''')
    >>> len(table.rules)
    2
    """

    __slots__ = (
        "_compiled",
        "_decisions",
        "_default",
        "_description",
        "_directory",
        "_rules",
        "_topics",
    )

    def __init__(
        self,
        rules: Iterable[Rule | Mapping[str, Any]],
        *,
        default: str | None = None,
        topics: Sequence[str] = (),
        description: str | None = None,
        directory: Directory | None = None,
    ) -> None:
        document = {
            "rules": [r.model_dump(by_alias=True) if isinstance(r, Rule) else r for r in rules],
            "default": default,
            "topics": list(topics),
        }
        parsed = _parse(document)
        directory = vss_directory() if directory is None else directory
        problems = parsed.check(directory)
        if problems:
            raise RoutingTableError("routing table", [str(p) for p in problems])
        self._rules = tuple(parsed.rules)
        self._default = parsed.default
        self._topics = parsed.topics
        self._description = description
        self._directory = directory
        self._compiled = CompiledRules(self._rules)
        self._decisions: dict[tuple[int | None, str | None, Priority], RoutingDecision] = {}

    @classmethod
    def from_dict(
        cls, document: Mapping[str, Any], *, directory: Directory | None = None
    ) -> RoutingTable:
        """A table from a mapping ``{"rules": [...], "default": ..., "topics": [...]}``.

        Anything but a mapping (a list, a string) is refused as a
        :class:`~vss_care_core.errors.RoutingTableError`.
        """
        parsed = _parse(document)
        if parsed.problems:
            problems = parsed.check(vss_directory() if directory is None else directory)
            raise RoutingTableError("routing table", [str(p) for p in problems])
        return cls(
            parsed.rules,
            default=parsed.default,
            topics=parsed.topics,
            description=parsed.description,
            directory=directory,
        )

    @classmethod
    def from_toml(
        cls, source: str | os.PathLike[str], *, directory: Directory | None = None
    ) -> RoutingTable:
        """A table from TOML text, or from a TOML file when given a path (``pathlib.Path``).

        A file that cannot be read (missing, not UTF-8, too large, nested too deeply) or that is
        not valid TOML is refused as a :class:`~vss_care_core.errors.RoutingTableError` whose
        problem names the file.
        """
        return cls.from_dict(_document(source, "toml"), directory=directory)

    @classmethod
    def from_json(
        cls, source: str | os.PathLike[str], *, directory: Directory | None = None
    ) -> RoutingTable:
        """A table from JSON text, or from a JSON file when given a path: the same document as
        :meth:`from_dict` reads and :meth:`to_dict` writes.

        >>> import json
        >>> table = RoutingTable.default()
        >>> RoutingTable.from_json(json.dumps(table.to_dict(), ensure_ascii=False)) == table
        True
        """
        return cls.from_dict(_document(source, "json"), directory=directory)

    @classmethod
    def default(cls, *, directory: Directory | None = None) -> RoutingTable:
        """The default table (``data/default_rules.toml``), on the default directory.

        >>> table = RoutingTable.default()
        >>> table.rules[-1].when.describe()
        'always'
        """
        if directory is None:
            return _default_table()
        return cls.from_toml(_default_text(), directory=directory)

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The rules, in the order they are tried."""
        return self._rules

    @property
    def default_unit(self) -> str | None:
        """The unit used when no rule matches, if any."""
        return self._default

    @property
    def topics(self) -> tuple[str, ...]:
        """The topic codes this table adds to the vocabulary."""
        return self._topics

    @property
    def directory(self) -> Directory:
        """The directory the table's unit codes refer to."""
        return self._directory

    def to_dict(self) -> dict[str, Any]:
        """The table as plain data; ``RoutingTable.from_dict(t.to_dict())`` equals ``t``."""
        document: dict[str, Any] = {}
        if self._description is not None:
            document["description"] = self._description
        if self._default is not None:
            document["default"] = self._default
        if self._topics:
            document["topics"] = list(self._topics)
        document["rules"] = [
            rule.model_dump(mode="json", by_alias=True, exclude_defaults=True)
            for rule in self._rules
        ]
        return document

    def to_toml(self) -> str:
        """The table as TOML text that :meth:`from_toml` reads back."""
        return table_to_toml(self.to_dict())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RoutingTable):
            return NotImplemented
        return (self._rules, self._default, self._topics, self._directory) == (
            other._rules,
            other._default,
            other._topics,
            other._directory,
        )

    def __hash__(self) -> int:
        return hash((self._rules, self._default, self._topics))

    def __repr__(self) -> str:
        return f"RoutingTable(<{len(self._rules)} rules>, default={self._default!r})"

    def route(self, subject: Inquiry | RoutableCase) -> RoutingDecision:
        """Where an inquiry, or a case, goes: the first matching rule decides, else the table
        default. For a case, the classification and priority recorded in its process so far
        are read (a question classified at intake as personal health-card business goes to the
        requester's provincial office, not to the fallback).

        Candidate rules come from indexes built once; the result is the same as trying every
        rule in order (the tests check it against that reference).
        """
        facts = facts_of(subject)
        return self._decision(self._compiled.first_match(facts), facts)

    def _reference_route(self, subject: Inquiry | RoutableCase) -> RoutingDecision:
        """The same decision as :meth:`route`, by trying every rule in order: the tests'
        oracle."""
        facts = facts_of(subject)
        return self._decision(first_match(self._rules, facts), facts)

    def explain(self, subject: Inquiry | RoutableCase) -> RoutingExplanation:
        """The rules tried in order, with each condition's outcome, and the decision."""
        facts = facts_of(subject)
        inquiry = subject if isinstance(subject, Inquiry) else subject.inquiry
        traces: list[RuleTrace] = []
        chosen: int | None = None
        for position, rule in enumerate(self._rules):
            trace = rule.when.trace(facts)
            traces.append(
                RuleTrace(
                    position=position + 1, name=rule.name, matched=trace.held, condition=trace
                )
            )
            if trace.held:
                chosen = position
                break
        decision = self._decision(chosen, facts)
        return RoutingExplanation(
            inquiry_id=inquiry.id,
            summary=_summary(facts),
            rules=tuple(traces),
            destination=self._destination_note(chosen, facts, decision),
            decision=decision,
        )

    def _destination_note(
        self, chosen: int | None, facts: InquiryFacts, decision: RoutingDecision
    ) -> str:
        if chosen is None:
            return "the table default"
        rule = self._rules[chosen]
        if not rule.to_provincial_office:
            return f"the destination of rule {chosen + 1} {rule.name!r}"
        if decision.fallback_used:
            why = (
                "the requester's province is unknown"
                if facts.province is None
                else f"the directory has no provincial office for {facts.province}"
            )
            return f"the requester's provincial office was asked for, but {why}: fallback used"
        return f"the provincial office of the requester's province, {facts.province}"

    def _decision(self, position: int | None, facts: InquiryFacts) -> RoutingDecision:
        key = (position, facts.province, facts.priority)
        cached = self._decisions.get(key)
        if cached is not None:
            return cached
        decision = self._decide(position, facts)
        if len(self._decisions) < 100_000:
            self._decisions[key] = decision
        return decision

    def _decide(self, position: int | None, facts: InquiryFacts) -> RoutingDecision:
        priority = facts.priority
        tags: tuple[str, ...] = ()
        fallback_used = False
        if position is None:
            if self._default is None:  # pragma: no cover - excluded by the checks
                raise RoutingTableError("routing table", ["no rule matched and no default"])
            code = self._default
            name = None
        else:
            rule = self._rules[position]
            name = rule.name
            raised = rule.effects.raise_priority
            if raised is not None and raised.rank > priority.rank:
                priority = raised
            tags = rule.effects.tags
            code = rule.destination
            if rule.to_provincial_office:
                office = (
                    None
                    if facts.province is None
                    else self._directory.provincial_office(facts.province)
                )
                if office is not None:
                    code = office.code
                else:
                    fallback_used = True
                    code = rule.fallback or self._default or ""
        unit = self._directory[code]
        return RoutingDecision(
            unit=unit.code,
            unit_name=unit.name_vi,
            rule=name,
            position=None if position is None else position + 1,
            priority=priority,
            tags=tags,
            fallback_used=fallback_used,
            forward=unit.level is UnitLevel.EXTERNAL,
        )


def _default_text() -> str:
    return (
        resources.files("vss_care_core.routing")
        .joinpath("data/default_rules.toml")
        .read_text("utf-8")
    )


@cache
def _default_table() -> RoutingTable:
    return RoutingTable.from_toml(_default_text())
