"""Process definitions: ordered steps, side paths and outcomes, checked once when built.

A definition is data (it loads from JSON) and compiles into a transition table that every case of
that process shares, so a case costs no more than its own state and history.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal, Self

from pydantic import Field, ValidationError, model_validator

from vss_care_core.errors import ProcessDefinitionError, UnknownNameError
from vss_care_core.models import CareModel, ProcessFamily

__all__ = [
    "MOVE_TAGS",
    "OUTCOME_TAGS",
    "RESUME",
    "STAY",
    "STEP_TAGS",
    "Outcome",
    "PauseState",
    "ProcessDefinition",
    "SidePath",
    "Step",
    "Transition",
]

_Code = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]
_Label = Annotated[str, Field(min_length=1, max_length=200)]

RESUME = "=resume"
"""A side-path target meaning "back to the step that was paused"."""
STAY = "=stay"
"""A side-path target meaning "the state does not change" (a transfer, a priority change)."""

GUARDS: frozenset[str] = frozenset({"classification", "answer", "answer_checklist", "verification"})
"""The guards a step may require; each is implemented in the library and named in data."""

DATA_RULES: frozenset[str] = frozenset({"reasons", "agency", "into", "to", "priority", "follow_up"})
"""The data a side path may require (``reasons=[...]``, ``agency=...``...)."""

OUTCOME_TAGS: frozenset[str] = frozenset(
    {"resolved", "handled", "escalation", "abandon", "forward", "merge", "withdraw"}
)
"""What an outcome means for measuring, as the KPIs and reports read it:

- ``resolved``: the requester got an answer (a closed call, an answered letter);
- ``handled``: the inquiry was dealt with by this case (resolved, or passed on to a follow-up);
- ``escalation``, ``abandon``, ``forward``, ``merge``, ``withdraw``: how else a case can end.
"""

MOVE_TAGS: frozenset[str] = frozenset(
    {
        "transfer",
        "escalation",
        "abandon",
        "request_info",
        "info_received",
        "returned_draft",
        "reopen",
        "merge",
        "forward",
        "withdraw",
        "hold",
        "resume",
        "suspend",
        "priority",
    }
)
"""What a side path means for measuring: a ``transfer`` (to another agent or unit), an
``escalation`` (to a written follow-up), an ``abandon`` (the requester left), a ``request_info``
(the case waits for the requester), a ``returned_draft`` (review sent the draft back), a
``reopen``, and the other kinds of move (``merge``, ``forward``, ``withdraw``, ``hold``...)."""

STEP_TAGS: frozenset[str] = frozenset({"assignment", "answer", "review"})
"""What a step is for, where other layers need to know: the step that names the handling unit
(``assignment``), the step that gives or drafts the answer (``answer``), the review (``review``)."""


class Step(CareModel):
    """One numbered step of a process (bước), with its Vietnamese and English labels."""

    code: _Code
    number: Annotated[int, Field(ge=1)]
    label_vi: _Label
    label_en: _Label
    description: Annotated[str, Field(max_length=2000)] = ""
    guards: tuple[_Code, ...] = ()
    tags: tuple[_Code, ...] = ()
    """What the step is for (see :data:`STEP_TAGS`)."""


class Outcome(CareModel):
    """How a case can end (kết quả): ``closed``, ``answered``, ``escalated``...

    ``tags`` say what the outcome means for measuring (see :data:`OUTCOME_TAGS`).
    """

    code: _Code
    label_vi: _Label
    label_en: _Label
    tags: tuple[_Code, ...] = ()


class PauseState(CareModel):
    """A state in which the case waits and its step is remembered (hold, awaiting information)."""

    code: _Code
    label_vi: _Label
    label_en: _Label


class SidePath(CareModel):
    """A move off the main line: hold, transfer, escalate, request information...

    ``sources`` are the states it may start from (step codes, pause codes or outcome codes).
    ``target`` is a step code, an outcome code, a pause code, :data:`RESUME` (back to the paused
    step) or :data:`STAY` (no change of state). ``requires`` names the data the move must carry.
    """

    action: _Code
    label_vi: _Label
    label_en: _Label
    description: Annotated[str, Field(max_length=2000)] = ""
    sources: Annotated[tuple[_Code, ...], Field(min_length=1)]
    target: Annotated[str, Field(min_length=1, max_length=40)]
    requires: tuple[_Code, ...] = ()
    tags: tuple[_Code, ...] = ()


TransitionKind = Literal["complete", "goto", "pause", "resume", "stay", "end"]


@dataclass(frozen=True, slots=True)
class Transition:
    """One compiled entry of a definition's transition table.

    ``target`` is the destination state; for ``resume`` it is empty (the paused step is used).
    ``tags`` are the side path's tags (a completion has none).
    """

    action: str
    source: str
    target: str
    kind: TransitionKind
    requires: tuple[str, ...]
    guards: tuple[str, ...]
    tags: tuple[str, ...]


class ProcessDefinition(CareModel):
    """A standard process: ordered steps, side paths, pause states and outcomes.

    A definition carries its own vocabulary, so that every other layer reads it instead of
    naming steps, actions or outcomes: its ``family`` (``call`` or ``written``: which KPIs apply),
    its ``answering_step`` (completing it means the inquiry was answered: the agent picked up
    the call, the letter's answer was sent), the tags of its outcomes, side paths and steps, and
    ``follow_up_process``, the process a linked follow-up case opens in (an escalated call).

    The definition is checked when it is built: exactly one first step, contiguous step numbers,
    unique codes, known states in every side path, known guards and data rules, every state
    reachable and every state that is not an outcome with a way out. A bad definition is refused
    with :class:`~vss_care_core.errors.ProcessDefinitionError` listing every problem.

    To relabel steps or add side paths, dump the definition (``to_dict``), edit the data and
    load it again (``from_dict``): the result is checked the same way.
    """

    name: _Code
    label_vi: _Label
    label_en: _Label
    family: ProcessFamily
    answering_step: _Code
    follow_up_process: _Code | None = None
    steps: Annotated[tuple[Step, ...], Field(min_length=1)]
    completion_outcome: _Code
    outcomes: Annotated[tuple[Outcome, ...], Field(min_length=1)]
    pause_states: tuple[PauseState, ...] = ()
    side_paths: tuple[SidePath, ...] = ()
    reopen_outcomes: tuple[_Code, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Self:
        problems = _problems(self)
        if problems:
            raise ProcessDefinitionError(f"process definition {self.name!r}", problems)
        return self

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> ProcessDefinition:
        return self  # immutable

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ProcessDefinition:
        """Build a definition from plain data; every problem is reported at once."""
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            name = str(data.get("name", "?"))
            problems: list[str] = []
            for item in error.errors(include_url=False, include_input=False):
                cause = item.get("ctx", {}).get("error")
                if isinstance(cause, ProcessDefinitionError):
                    problems.extend(cause.problems)
                else:
                    where = ".".join(str(p) for p in item["loc"]) or "(definition)"
                    problems.append(f"{where}: {item['msg']}")
            raise ProcessDefinitionError(f"process definition {name!r}", problems) from None

    @classmethod
    def from_json_file(cls, path: str | Path) -> ProcessDefinition:
        """Load a definition from a JSON file (the format ``to_dict`` produces)."""
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

    def to_dict(self) -> dict[str, Any]:
        """The definition as plain JSON-compatible data."""
        return self.model_dump(mode="json")

    @property
    def first_step(self) -> Step:
        """Step number 1."""
        return self.steps[0]

    def step(self, code: str) -> Step:
        """The step with this code; :class:`~vss_care_core.errors.UnknownNameError` (a
        ``KeyError``) if there is none."""
        found = self.steps_by_state.get(code)
        if found is None:
            raise UnknownNameError(f"step of the {self.name!r} process", code, self.step_codes)
        return found

    @cached_property
    def steps_by_state(self) -> Mapping[str, Step]:
        """The steps by their code (the state a case is in while working on the step)."""
        return MappingProxyType({step.code: step for step in self.steps})

    def outcome(self, code: str) -> Outcome:
        """The outcome with this code; :class:`~vss_care_core.errors.UnknownNameError` (a
        ``KeyError``) if there is none."""
        for outcome in self.outcomes:
            if outcome.code == code:
                return outcome
        raise UnknownNameError(f"outcome of the {self.name!r} process", code, self.outcome_codes)

    @cached_property
    def step_codes(self) -> tuple[str, ...]:
        """The step codes, in order."""
        return tuple(step.code for step in self.steps)

    @cached_property
    def outcome_codes(self) -> tuple[str, ...]:
        """The outcome codes."""
        return tuple(outcome.code for outcome in self.outcomes)

    @cached_property
    def pause_codes(self) -> tuple[str, ...]:
        """The pause-state codes."""
        return tuple(pause.code for pause in self.pause_states)

    @cached_property
    def states(self) -> tuple[str, ...]:
        """Every state a case of this process can be in."""
        return self.step_codes + self.pause_codes + self.outcome_codes

    @cached_property
    def transitions(self) -> tuple[Transition, ...]:
        """The compiled transition table (also what the diagrams draw)."""
        return _compile(self)

    @cached_property
    def table(self) -> Mapping[tuple[str, str], Transition]:
        """The transition table indexed by (state, action), as the runtime uses it."""
        return MappingProxyType({(t.source, t.action): t for t in self.transitions})

    @cached_property
    def moves(self) -> Mapping[str, tuple[str, ...]]:
        """For each state, the moves possible there (``complete:<step>`` for a completion)."""
        found: dict[str, list[str]] = {state: [] for state in self.states}
        for t in self.transitions:
            found[t.source].append(f"complete:{t.source}" if t.action == "complete" else t.action)
        return MappingProxyType({state: tuple(moves) for state, moves in found.items()})

    def side_path(self, action: str) -> SidePath:
        """The side path with this action; :class:`~vss_care_core.errors.UnknownNameError` (a
        ``KeyError``) if there is none."""
        for side in self.side_paths:
            if side.action == action:
                return side
        known = tuple(side.action for side in self.side_paths)
        raise UnknownNameError(f"side path of the {self.name!r} process", action, known)

    # -- the vocabulary, as the other layers read it ----------------------------------------
    @cached_property
    def outcome_set(self) -> frozenset[str]:
        """The outcome codes, as a set: a case has ended when its state is one of them."""
        return frozenset(self.outcome_codes)

    def outcomes_tagged(self, tag: str) -> frozenset[str]:
        """The outcome codes that carry ``tag`` (see :data:`OUTCOME_TAGS`)."""
        return self._outcome_tags.get(tag, frozenset())

    def actions_tagged(self, tag: str) -> frozenset[str]:
        """The side-path actions that carry ``tag`` (see :data:`MOVE_TAGS`)."""
        return self._move_tags.get(tag, frozenset())

    def steps_tagged(self, tag: str) -> tuple[str, ...]:
        """The step codes that carry ``tag`` (see :data:`STEP_TAGS`), in order."""
        return tuple(step.code for step in self.steps if tag in step.tags)

    def states_entered_by(self, tag: str) -> frozenset[str]:
        """The states that side paths carrying ``tag`` lead to (a move that keeps or resumes
        the state leads to none): ``states_entered_by("request_info")`` is where a case waits
        for the requester."""
        return frozenset(
            side.target
            for side in self.side_paths
            if tag in side.tags and side.target not in (STAY, RESUME)
        )

    @cached_property
    def _outcome_tags(self) -> Mapping[str, frozenset[str]]:
        return _by_tag((o.code, o.tags) for o in self.outcomes)

    @cached_property
    def _move_tags(self) -> Mapping[str, frozenset[str]]:
        return _by_tag((side.action, side.tags) for side in self.side_paths)


def _by_tag(items: Iterable[tuple[str, tuple[str, ...]]]) -> Mapping[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for code, tags in items:
        for tag in tags:
            found.setdefault(tag, set()).add(code)
    return MappingProxyType({tag: frozenset(codes) for tag, codes in found.items()})


def _problems(definition: ProcessDefinition) -> list[str]:
    problems: list[str] = []
    steps = definition.steps
    numbers = sorted(step.number for step in steps)
    if numbers.count(1) != 1:
        problems.append(f"exactly one step must be number 1 (found {numbers.count(1)})")
    if numbers != list(range(1, len(steps) + 1)):
        problems.append(f"step numbers must be 1..{len(steps)} without gaps (found {numbers})")
    if [step.number for step in steps] != numbers:
        problems.append("steps must be listed in the order of their numbers")
    codes = [*definition.step_codes, *definition.pause_codes, *definition.outcome_codes]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        problems.append(f"state codes must be unique (repeated: {', '.join(duplicates)})")
    actions = [side.action for side in definition.side_paths]
    repeated = sorted(
        {a for a in actions if actions.count(a) > 1} | ({"complete", "open"} & set(actions))
    )
    if repeated:
        problems.append(f"side-path actions must be unique and not reserved: {', '.join(repeated)}")
    if definition.completion_outcome not in definition.outcome_codes:
        problems.append(
            f"completion_outcome {definition.completion_outcome!r} is not one of the outcomes"
        )
    for code in definition.reopen_outcomes:
        if code not in definition.outcome_codes:
            problems.append(f"reopen_outcomes names an unknown outcome {code!r}")
    problems.extend(_vocabulary_problems(definition))
    for step in steps:
        for guard in step.guards:
            if guard not in GUARDS:
                problems.append(
                    f"step {step.code!r} names an unknown guard {guard!r} "
                    f"(known: {', '.join(sorted(GUARDS))})"
                )
    problems.extend(_side_path_problems(definition))
    if not problems:
        problems.extend(_graph_problems(definition))
    return problems


def _unknown_tags(where: str, tags: Iterable[str], known: frozenset[str]) -> list[str]:
    return [
        f"{where} has an unknown tag {tag!r} (known: {', '.join(sorted(known))})"
        for tag in tags
        if tag not in known
    ]


def _vocabulary_problems(definition: ProcessDefinition) -> list[str]:
    problems: list[str] = []
    if definition.answering_step not in definition.step_codes:
        problems.append(
            f"answering_step {definition.answering_step!r} is not one of the steps "
            f"({', '.join(definition.step_codes)})"
        )
    for step in definition.steps:
        problems.extend(_unknown_tags(f"step {step.code!r}", step.tags, STEP_TAGS))
    for outcome in definition.outcomes:
        problems.extend(_unknown_tags(f"outcome {outcome.code!r}", outcome.tags, OUTCOME_TAGS))
    for side in definition.side_paths:
        problems.extend(_unknown_tags(f"side path {side.action!r}", side.tags, MOVE_TAGS))
    if not definition.outcomes_tagged("resolved"):
        problems.append("no outcome is tagged 'resolved': tag the outcome of an answered inquiry")
    return problems


def _side_path_problems(definition: ProcessDefinition) -> list[str]:
    problems: list[str] = []
    states = set(definition.states)
    pauses = set(definition.pause_codes)
    for side in definition.side_paths:
        where = f"side path {side.action!r}"
        unknown = [s for s in side.sources if s not in states]
        if unknown:
            problems.append(f"{where} starts from unknown states: {', '.join(unknown)}")
        if side.target not in states and side.target not in {RESUME, STAY}:
            problems.append(f"{where} goes to an unknown state {side.target!r}")
        if side.target == RESUME and any(s in states and s not in pauses for s in side.sources):
            problems.append(f"{where} resumes, so it must start only from pause states")
        if side.target in pauses and any(
            s in states and s not in definition.step_codes for s in side.sources
        ):
            problems.append(f"{where} pauses, so it must start only from steps")
        for rule in side.requires:
            if rule not in DATA_RULES:
                known = ", ".join(sorted(DATA_RULES))
                problems.append(f"{where} requires unknown data {rule!r} (known: {known})")
    return problems


def _graph_problems(definition: ProcessDefinition) -> list[str]:
    table = _compile(definition)
    exits: dict[str, set[str]] = {state: set() for state in definition.states}
    for transition in table:
        if transition.kind == "resume":
            exits[transition.source].update(
                t.source for t in table if t.kind == "pause" and t.target == transition.source
            )
        else:
            exits[transition.source].add(transition.target)
    reachable = {definition.first_step.code}
    frontier = [definition.first_step.code]
    while frontier:
        state = frontier.pop()
        for nxt in exits[state] - reachable:
            reachable.add(nxt)
            frontier.append(nxt)
    problems: list[str] = []
    unreachable = [s for s in definition.states if s not in reachable]
    if unreachable:
        problems.append(f"these states cannot be reached from step 1: {', '.join(unreachable)}")
    stuck = [s for s in (*definition.step_codes, *definition.pause_codes) if not (exits[s] - {s})]
    if stuck:
        problems.append(f"these states have no way out: {', '.join(stuck)}")
    return problems


def _compile(definition: ProcessDefinition) -> tuple[Transition, ...]:
    table: list[Transition] = []
    steps = definition.steps
    for index, step in enumerate(steps):
        last = index == len(steps) - 1
        target = definition.completion_outcome if last else steps[index + 1].code
        table.append(
            Transition(
                action="complete",
                source=step.code,
                target=target,
                kind="end" if last else "complete",
                requires=(),
                guards=step.guards,
                tags=(),
            )
        )
    outcomes = set(definition.outcome_codes)
    pauses = set(definition.pause_codes)
    for side in definition.side_paths:
        for source in side.sources:
            if side.target == RESUME:
                kind: TransitionKind = "resume"
                target = ""
            elif side.target == STAY:
                kind, target = "stay", source
            elif side.target in outcomes:
                kind, target = "end", side.target
            elif side.target in pauses:
                kind, target = "pause", side.target
            else:
                kind, target = "goto", side.target
            table.append(
                Transition(
                    action=side.action,
                    source=source,
                    target=target,
                    kind=kind,
                    requires=side.requires,
                    guards=(),
                    tags=side.tags,
                )
            )
    return tuple(table)
