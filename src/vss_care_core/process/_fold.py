"""The one fold from a case's moves to its facts.

Two things are derived from a history, and each is derived here only:

- :func:`fold_facts` gives what a move's data establishes (verification, classification,
  answer, priority, unit, assignee, reopens). Live moves call it once their data is checked;
  a trusted replay calls it on the stored data; the KPIs call it on the events of the log.
- :func:`summarise` gives what the sequence of moves alone means for measuring (the outcome,
  when the inquiry was answered, transfers, escalations, abandons...), read from the
  definition's vocabulary (its family, answering step and tags), never from names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from vss_care_core.models import (
    Answer,
    Classification,
    Event,
    InquiryKind,
    Move,
    Priority,
    ProcessFamily,
)
from vss_care_core.process._definition import ProcessDefinition, Transition

__all__ = [
    "CaseFacts",
    "MoveSummary",
    "classification_of",
    "fold_facts",
    "priority_in_force",
    "recorded_kind",
    "summarise",
    "units_held",
]

_KINDS = frozenset(kind.value for kind in InquiryKind)
_PRIORITIES = frozenset(priority.value for priority in Priority)


class CaseFacts(NamedTuple):
    """What the moves so far established about a case (derived from its history)."""

    verified: bool = False
    classification: Classification | None = None
    answer: Answer | None = None
    priority: Priority | None = None
    unit: str | None = None
    assignee: str | None = None
    reopens: int = 0


@lru_cache(maxsize=4096)
def classification_of(
    kind: str, areas: tuple[str, ...] | None, topic: str | None
) -> Classification:
    """A validated classification; the same few recur, so they are cached."""
    given: dict[str, Any] = {"kind": kind, "policy_areas": areas, "topic": topic}
    return Classification.model_validate({k: v for k, v in given.items() if v is not None})


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def fold_facts(
    facts: CaseFacts,
    transition: Transition,
    data: Mapping[str, Any],
    *,
    answer: Answer | None = None,
    classification: Classification | None = None,
    keep_answer: bool = True,
) -> CaseFacts:
    """The facts after a move of ``transition`` that carried ``data`` (JSON values).

    ``data`` is either checked by the live move or stored by this library; ``answer``, when the
    caller has already validated the move's answer, saves validating it again, and
    ``classification`` likewise for the classification the move records;
    ``keep_answer=False`` leaves the answer out (a report does not read it).

    - ``verified=True`` on a completion or on a move tagged ``info_received`` verifies the
      requester;
    - ``unit=`` / ``assignee=`` on a completion name who handles the case, and ``unit=`` on a
      move tagged ``transfer`` hands it to another unit (see :func:`units_held`);
    - a step guarded by ``classification`` records the kind, policy areas and topic;
    - a step guarded by ``answer`` records the answer;
    - a move that requires ``priority`` changes it, one that requires ``to`` changes the
      assignee, and one tagged ``reopen`` counts a reopening.
    """
    completes = transition.action == "complete"
    verified = facts.verified
    if data.get("verified") is True and (completes or "info_received" in transition.tags):
        verified = True
    assignee = facts.assignee
    if completes and "assignee" in data:
        assignee = _text(data["assignee"])
    unit = facts.unit
    if "unit" in data and _hands_over(transition.action, transfer="transfer" in transition.tags):
        unit = _text(data["unit"])
    classified = facts.classification
    if "classification" in transition.guards and "kind" in data:
        if classification is None:
            areas = data.get("policy_areas")
            classification = classification_of(
                str(data["kind"]),
                tuple(str(a) for a in areas) if isinstance(areas, list) else None,
                _text(data.get("topic")),
            )
        classified = classification
    answered = facts.answer
    if keep_answer and "answer" in transition.guards and "answer" in data:
        answered = answer if answer is not None else Answer.model_validate(data["answer"])
    priority = facts.priority
    if "priority" in transition.requires and data.get("priority") in _PRIORITIES:
        priority = Priority(data["priority"])
    if "to" in transition.requires and isinstance(data.get("to"), str):
        assignee = data["to"]
    reopens = facts.reopens + 1 if "reopen" in transition.tags else facts.reopens
    return CaseFacts(
        verified=verified,
        classification=classified,
        answer=answered,
        priority=priority,
        unit=unit,
        assignee=assignee,
        reopens=reopens,
    )


def _hands_over(action: str, *, transfer: bool) -> bool:
    """Whether a move of ``action`` that carries ``unit=`` hands the case to that unit: a
    completion (the assignment step) or a move tagged ``transfer``. The one rule of who holds a
    case, read by :func:`fold_facts` and :func:`units_held`."""
    return action == "complete" or transfer


def units_held(definition: ProcessDefinition, events: Iterable[Event]) -> tuple[str | None, ...]:
    """The unit that holds the case after each of ``events`` (None before any unit is named):
    the same unit :func:`fold_facts` records, one per event, for clocks that count each
    unit's time on its own calendar."""
    transfers = definition.actions_tagged("transfer")
    held: list[str | None] = []
    unit: str | None = None
    for event in events:
        if "unit" in event.data and _hands_over(event.action, transfer=event.action in transfers):
            unit = _text(event.data["unit"])
        held.append(unit)
    return tuple(held)


@dataclass(frozen=True, slots=True, kw_only=True)
class MoveSummary:
    """What a sequence of moves (a history's *shape*) means for measuring.

    Worked out from the definition's vocabulary only, so it holds for any valid definition.
    Indexes point into the moves (0 is the opening).
    """

    family: ProcessFamily
    outcome: str | None
    """The outcome the moves end in; None while the case is open."""
    resolved: bool
    """The outcome is tagged ``resolved``."""
    handled: bool
    """The outcome is tagged ``handled``."""
    answered_index: int | None
    """The move that first completed the answering step, if any."""
    abandoned_before_answer: bool
    """A move tagged ``abandon`` came before the answering step was completed (a call
    abandoned in the queue)."""
    abandoned_after_answer: bool
    """A move tagged ``abandon`` came after it (a dropped call)."""
    transferred: bool
    """At least one move tagged ``transfer``."""
    escalated: bool
    """At least one move tagged ``escalation``."""
    requests_for_info: int
    """Moves tagged ``request_info``."""
    returned_drafts: int
    """Moves tagged ``returned_draft``."""
    reopens: int
    """Moves tagged ``reopen``."""
    completions: tuple[tuple[int, str], ...]
    """Each completion: (index of the move, step completed)."""

    @property
    def first_contact_candidate(self) -> bool:
        """Resolved without a transfer or an escalation: resolved at first contact unless the
        requester asks again."""
        return self.resolved and not self.transferred and not self.escalated


def summarise(definition: ProcessDefinition, moves: Sequence[Move]) -> MoveSummary:
    """What ``moves`` (a history of ``definition``, in order) mean for measuring."""
    answering = definition.answering_step
    transfer = definition.actions_tagged("transfer")
    escalation = definition.actions_tagged("escalation")
    abandon = definition.actions_tagged("abandon")
    request = definition.actions_tagged("request_info")
    returned = definition.actions_tagged("returned_draft")
    reopen = definition.actions_tagged("reopen")
    answered: int | None = None
    before = after = transferred = escalated = False
    requests = returns = reopens = 0
    completions: list[tuple[int, str]] = []
    for index, move in enumerate(moves):
        if index == 0:
            continue
        action = move.action
        if action == "complete":
            step = move.step or ""
            completions.append((index, step))
            if step == answering and answered is None:
                answered = index
        elif action in abandon:
            if answered is None:
                before = True
            else:
                after = True
        transferred = transferred or action in transfer
        escalated = escalated or action in escalation
        requests += action in request
        returns += action in returned
        reopens += action in reopen
    last = moves[-1].to_state
    outcome = last if last in definition.outcome_set else None
    tags = definition.outcome(outcome).tags if outcome is not None else ()
    return MoveSummary(
        family=definition.family,
        outcome=outcome,
        resolved="resolved" in tags,
        handled="handled" in tags,
        answered_index=answered,
        abandoned_before_answer=before,
        abandoned_after_answer=after,
        transferred=transferred,
        escalated=escalated,
        requests_for_info=requests,
        returned_drafts=returns,
        reopens=reopens,
        completions=tuple(completions),
    )


def priority_in_force(
    definition: ProcessDefinition, priority: Priority, events: Iterable[Event]
) -> Priority:
    """The priority after ``events``: the last one a priority-changing move (a side path that
    requires ``priority``) recorded, else ``priority``."""
    changing = {side.action for side in definition.side_paths if "priority" in side.requires}
    for event in events:
        if event.action in changing and isinstance(event.data.get("priority"), str):
            try:
                priority = Priority(str(event.data["priority"]))
            except ValueError:
                continue
    return priority


def recorded_kind(
    definition: ProcessDefinition, kind: InquiryKind | None, events: Iterable[Event]
) -> InquiryKind | None:
    """The kind the last classification among ``events`` recorded (a completion of a step
    guarded by ``classification``), else ``kind``."""
    classifying = {step.code for step in definition.steps if "classification" in step.guards}
    for event in events:
        if event.action == "complete" and event.step in classifying:
            recorded = event.data.get("kind")
            if isinstance(recorded, str) and recorded in _KINDS:
                kind = InquiryKind(recorded)
    return kind
