"""A case: one inquiry driven through its channel's standard process.

A case is its inquiry plus its ordered events; its state, step, outcome and facts are derived
from them, so ``Case.replay(inquiry, history)`` rebuilds exactly the live case. Every move is
checked completely before anything changes: a refused move leaves the case exactly as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from enum import Enum
from functools import lru_cache
from itertools import pairwise
from types import MappingProxyType
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError

from vss_care_core.errors import (
    ConcurrencyConflict,
    InvalidEventError,
    InvalidInputError,
    TransitionNotAllowed,
)
from vss_care_core.models import (
    Answer,
    Classification,
    Event,
    Inquiry,
    Priority,
    new_id,
    require_aware,
)
from vss_care_core.models._event import Move, make_event, move_of, new_event_id
from vss_care_core.process._checklist import check_answer
from vss_care_core.process._definition import ProcessDefinition, Step, Transition
from vss_care_core.process._standard import CALL_PROCESS, WRITTEN_PROCESS, process_for

__all__ = ["Case", "CaseFacts", "open_case"]

_NO_DATA: Mapping[str, Any] = MappingProxyType({})
_PLAIN = frozenset({str, int, float, bool, type(None)})
_FACT_ACTIONS = frozenset({"set_priority", "transfer", "provide_info"})
"""Side paths whose data changes the case's facts (see ``_side_facts``)."""


class CaseFacts(NamedTuple):
    """What the moves so far established about a case (derived from its history)."""

    verified: bool = False
    classification: Classification | None = None
    answer: Answer | None = None
    priority: Priority | None = None
    unit: str | None = None
    assignee: str | None = None
    reopens: int = 0


_EMPTY_FACTS = CaseFacts()


def _jsonable(value: Any, name: str) -> Any:  # noqa: PLR0911 - one return per kind of value
    """``value`` as JSON data (enums as their values, models dumped); refuse anything else."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is list or kind is tuple:
        return [_jsonable(v, name) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool | int | float | str):  # subclasses of the plain types
        return value
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v, f"{name}.{k}") for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v, name) for v in value]
    if isinstance(value, datetime):
        return require_aware(value, name).isoformat()
    raise InvalidInputError(
        f"{name}= must be JSON data (text, numbers, lists, mappings), got {type(value).__name__}"
    )


class Case:
    """One inquiry handled through a process; create it with :func:`open_case`.

    Moves: :meth:`complete` (finish the current step) and :meth:`fire` (a side path). Both
    take ``at=`` (an aware datetime, never earlier than the last event) and ``by=`` (who acts),
    optional ``expected_version=`` (optimistic concurrency) and ``event_id=`` (idempotency), and
    return the recorded :class:`~vss_care_core.Event`.
    """

    __slots__ = ("_definition", "_facts", "_history", "_id", "_inquiry", "_state", "_step")

    _id: str
    _inquiry: Inquiry
    _definition: ProcessDefinition
    _history: tuple[Event, ...]
    _state: str
    _step: Step
    _facts: CaseFacts

    def __init__(self) -> None:
        raise TypeError("open a case with open_case(...) or rebuild one with Case.replay(...)")

    # -- reading ---------------------------------------------------------------------------
    @property
    def id(self) -> str:
        """The case identifier."""
        return self._id

    @property
    def inquiry(self) -> Inquiry:
        """The inquiry this case handles."""
        return self._inquiry

    @property
    def definition(self) -> ProcessDefinition:
        """The process the case follows."""
        return self._definition

    @property
    def history(self) -> tuple[Event, ...]:
        """Every event so far, oldest first (the audit trail)."""
        return self._history

    @property
    def version(self) -> int:
        """The number of events so far; the ``expected_version`` to pass on the next move."""
        return len(self._history)

    @property
    def state(self) -> str:
        """A step code while active, a pause code while paused, an outcome code once ended."""
        return self._state

    @property
    def step(self) -> Step:
        """The current step (also while paused; the last step worked on once ended)."""
        return self._step

    @property
    def outcome(self) -> str | None:
        """The outcome code once the case ended (``closed``, ``answered``...); None while open."""
        return self._state if self._state in self._definition.outcome_codes else None

    @property
    def is_open(self) -> bool:
        """True until the case reaches an outcome."""
        return self.outcome is None

    @property
    def is_paused(self) -> bool:
        """True while on hold, waiting for the requester or suspended."""
        return self._state in self._definition.pause_codes

    @property
    def facts(self) -> CaseFacts:
        """What the moves established: verification, classification, answer, unit..."""
        return self._facts

    @property
    def classification(self) -> Classification | None:
        """The classification recorded in the process, else the inquiry's own."""
        return self._facts.classification or self._inquiry.classification

    @property
    def priority(self) -> Priority:
        """The current priority: the last ``set_priority``, else the inquiry's."""
        return self._facts.priority or self._inquiry.priority

    def allowed(self) -> tuple[str, ...]:
        """The moves possible now: ``"complete"`` and the side-path actions.

        Guards (a missing answer, a failed checklist) are checked when the move is made.
        """
        moves = self._definition.moves[self._state]
        return tuple("complete" if m.startswith("complete:") else m for m in moves)

    def step_durations(self, *, at: datetime | None = None) -> dict[str, timedelta]:
        """Time spent in each step, and apart from it in each pause state.

        The time between two events is charged to the state the first one entered. With ``at``,
        the time since the last event is charged to the current state (while the case is open).
        """
        totals: dict[str, timedelta] = {}
        outcomes = self._definition.outcome_codes
        events = self._history
        for current, following in pairwise(events):
            state = current.to_state
            if state not in outcomes:
                totals[state] = totals.get(state, timedelta()) + (following.at - current.at)
        if at is not None and self.is_open:
            last = events[-1]
            spent = require_aware(at, "at") - last.at
            if spent < timedelta():
                raise InvalidInputError("at= is earlier than the case's last event")
            totals[self._state] = totals.get(self._state, timedelta()) + spent
        return totals

    def follow_up(self, *, process: ProcessDefinition | None = None) -> Case | None:
        """The written follow-up case opened by ``escalate``, or None if not escalated.

        It is derived from the escalate event (same id, time and actor every time), so a replayed
        call gives the same follow-up; drive it and store its own history from there.
        """
        for event in reversed(self._history):
            if event.action == "escalate":
                follow_id = str(event.data["follow_up_case_id"])
                return _open(
                    self._inquiry,
                    process or WRITTEN_PROCESS,
                    case_id=follow_id,
                    at=event.at,
                    by=event.by,
                    event_id=f"{event.id}.open",
                    data={"escalated_from": self._id},
                )
        return None

    def __repr__(self) -> str:
        return (
            f"Case(id={self._id!r}, process={self._definition.name!r}, "
            f"state={self._state!r}, version={self.version})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Case):
            return NotImplemented
        return (
            self._id == other._id
            and self._inquiry == other._inquiry
            and self._definition == other._definition
            and self._history == other._history
            and self._state == other._state
            and self._step == other._step
            and self._facts == other._facts
        )

    __hash__ = None  # type: ignore[assignment]

    def __copy__(self) -> Case:
        twin = object.__new__(Case)
        for name in Case.__slots__:
            setattr(twin, name, getattr(self, name))
        return twin

    def __deepcopy__(self, memo: dict[int, Any]) -> Case:
        # Everything a case holds is immutable: a shallow copy is already independent.
        return self.__copy__()

    # -- moving ----------------------------------------------------------------------------
    def complete(
        self,
        step_code: str,
        *,
        at: datetime,
        by: str,
        expected_version: int | None = None,
        event_id: str | None = None,
        **data: Any,
    ) -> Event:
        """Complete the current step ``step_code`` and move to the next one.

        Completing the last step ends the case with the process's completion outcome.
        """
        return self._move("complete", step_code, at, by, expected_version, event_id, data)

    def fire(
        self,
        action: str,
        *,
        at: datetime,
        by: str,
        expected_version: int | None = None,
        event_id: str | None = None,
        **data: Any,
    ) -> Event:
        """Take the side path ``action`` (``hold``, ``transfer``, ``request_info``...)."""
        if action == "complete":
            raise TransitionNotAllowed(
                action, self._state, self.allowed(), ("use case.complete(step_code, ...)",)
            )
        return self._move(action, None, at, by, expected_version, event_id, data)

    def apply(self, event: Event) -> Event:
        """Apply a recorded event (from a store or a queue) after checking it like a move.

        An event whose id is already in the history is a no-op (at-least-once delivery).
        """
        for known in self._history:
            if known.id == event.id:
                return known
        if event.case_id != self._id:
            raise InvalidEventError(f"event {event.id!r} belongs to case {event.case_id!r}")
        if event.seq != self.version + 1:
            raise InvalidEventError(
                f"event {event.id!r} has seq {event.seq}, the case expects {self.version + 1}"
            )
        if event.from_state != self._state:
            raise InvalidEventError(
                f"event {event.id!r} starts from {event.from_state!r}, "
                f"the case is in {self._state!r}"
            )
        plan = self._plan(event.action, event.step, event.at, event.by, event.data, event.id)
        if plan[0] != event:
            raise InvalidEventError(
                f"event {event.id!r} does not match what the process gives for it "
                f"(to {plan[0].to_state!r}); it was not applied"
            )
        self._history = (*self._history, event)
        _, self._state, self._step, self._facts = plan
        return event

    @classmethod
    def replay(
        cls,
        inquiry: Inquiry,
        history: Iterable[Event],
        *,
        process: ProcessDefinition | None = None,
        trusted: bool = False,
    ) -> Case:
        """Rebuild a case from its inquiry and its stored history.

        The process is the one named in the opening event (``call``/``written``) unless given.
        Every event is checked as the move it records, guards included. With ``trusted=True``,
        for a history this library wrote and a store kept unchanged, only its structure is
        checked (case, sequence, time order, each move in the process's table and its target),
        not the guards again: several times faster, for reports over large logs.
        """
        events = list(history)
        if not events or events[0].action != "open":
            raise InvalidEventError("a history starts with its 'open' event")
        first = events[0]
        definition = process or _standard_by_name(str(first.data.get("process", "")))
        case = _open(
            inquiry,
            definition,
            case_id=first.case_id,
            at=first.at,
            by=first.by,
            event_id=first.id,
            data=first.data,
        )
        if case._history[0] != first:
            raise InvalidEventError(f"the opening event {first.id!r} does not match the inquiry")
        if trusted:
            case._follow_structure(events)
            return case
        for event in events[1:]:
            case.apply(event)
        return case

    def _follow_structure(self, events: list[Event]) -> None:
        """Apply stored events checking their structure only (see ``replay(trusted=True)``)."""
        definition = self._definition
        check_structure(definition, events)
        table = definition.table
        state, step, facts = self._state, self._step, self._facts
        answer: Any = None
        for event in events[1:]:
            transition = table[(state, event.action)]
            if event.data or transition.counts_as:
                facts, answer = _stored_facts(event, transition, facts, answer)
            state = event.to_state
            step = definition.steps_by_state.get(state, step)
        if answer is not None:
            facts = facts._replace(answer=Answer.model_validate(answer))
        self._history = tuple(events)
        self._state, self._step, self._facts = state, step, facts

    # -- internals -------------------------------------------------------------------------
    def _move(  # noqa: PLR0917 - the hot path: positional calls cost less
        self,
        action: str,
        step_code: str | None,
        at: datetime,
        by: str,
        expected: int | None,
        eid: str | None,
        data: Mapping[str, Any],
    ) -> Event:
        if eid is not None:
            for known in self._history:
                if known.id == eid:
                    return known
        if expected is not None and expected != len(self._history):
            raise ConcurrencyConflict(self._id, expected, len(self._history))
        event, self._state, self._step, self._facts = self._plan(
            action, step_code, at, by, data, eid
        )
        self._history = (*self._history, event)
        return event

    def _plan(  # noqa: PLR0917 - the hot path: positional calls cost less
        self,
        action: str,
        step_code: str | None,
        at: datetime,
        by: str,
        data: Mapping[str, Any],
        eid: str | None = None,
    ) -> tuple[Event, str, Step, CaseFacts]:
        """Check a move completely and compute its result, changing nothing."""
        tz = at.tzinfo
        if tz is None or tz.utcoffset(at) is None:
            require_aware(at, "at")
        if not by:
            raise InvalidInputError("by= must name who acts (an agent id, 'system'...)")
        history = self._history
        last_at = history[-1].at
        if at < last_at:
            raise InvalidEventError(
                f"at={at.isoformat()} is earlier than the case's last event "
                f"({last_at.isoformat()}): time never goes backwards"
            )
        state = self._state
        definition = self._definition
        transition = definition.table.get((state, action))
        if transition is None:
            name = f"complete:{step_code}" if action == "complete" else action
            raise TransitionNotAllowed(name, state, self.allowed())
        if action == "complete" and step_code != state:
            raise TransitionNotAllowed(
                f"complete:{step_code}",
                state,
                self.allowed(),
                (f"the current step is {state!r}, not {step_code!r}",),
            )
        facts = self._facts
        values: Mapping[str, Any] = _NO_DATA
        if data or transition.guards or transition.requires or transition.counts_as:
            checked, facts = self._checked_data(action, transition, data)
            if checked:
                values = MappingProxyType(checked)
        target = self._step.code if transition.kind == "resume" else transition.target
        event = make_event(
            self._id,
            len(history) + 1,
            at,
            by,
            action,
            target,
            state if action == "complete" else None,
            state,
            values,
            eid if eid is not None else new_event_id(),
        )
        return event, target, definition.steps_by_state.get(target, self._step), facts

    def _checked_data(
        self, action: str, transition: Transition, data: Mapping[str, Any]
    ) -> tuple[dict[str, Any], CaseFacts]:
        """The move's data made JSON, its guards run, and the facts it establishes."""
        values = {k: _jsonable(v, k) for k, v in data.items()}
        facts = self._facts
        problems: list[str] = []
        if transition.guards or action == "complete":
            facts = self._run_step_guards(transition, values, facts, problems)
        if transition.requires:
            _check_required(transition, values, problems)
        if problems:
            name = f"complete:{transition.source}" if action == "complete" else action
            raise TransitionNotAllowed(name, self._state, self.allowed(), problems)
        if action in _FACT_ACTIONS or transition.counts_as:
            facts = _side_facts(action, values, facts, transition)
        return values, facts

    def _run_step_guards(
        self,
        transition: Transition,
        values: dict[str, Any],
        facts: CaseFacts,
        problems: list[str],
    ) -> CaseFacts:
        code = transition.source
        if code == "identify" or "verified" in values:
            verified = values.get("verified", False)
            if not isinstance(verified, bool):
                problems.append("verified= must be True or False")
            elif verified:
                facts = facts._replace(verified=True)
        if code == "assign" or "unit" in values or "assignee" in values:
            for key in ("unit", "assignee"):
                if key in values and not (isinstance(values[key], str) and values[key]):
                    problems.append(f"{key}= must be a non-empty text")
            facts = facts._replace(
                unit=values.get("unit", facts.unit),
                assignee=values.get("assignee", facts.assignee),
            )
        for guard in transition.guards:
            if guard == "classification":
                facts = self._guard_classification(values, facts, problems)
            elif guard == "answer":
                facts = self._guard_answer(values, facts, problems)
            elif guard == "answer_checklist":
                self._guard_checklist(facts, problems)
            elif guard == "verification":
                self._guard_verification(facts, problems)
        return facts

    def _guard_classification(
        self, values: dict[str, Any], facts: CaseFacts, problems: list[str]
    ) -> CaseFacts:
        given: dict[str, Any] = {
            k: values[k] for k in ("kind", "policy_areas", "topic") if k in values
        }
        known = facts.classification or self._inquiry.classification
        if not given:
            if known is None:
                problems.append(
                    "a classification is needed: give kind=, policy_areas= and topic= "
                    "(the inquiry does not have them all)"
                )
            return facts
        inquiry = self._inquiry
        base = known if known is not None else inquiry
        kind = given.get("kind", base.kind)
        areas = given.get("policy_areas", [a.value for a in base.policy_areas] or None)
        topic = given.get("topic", base.topic)
        try:
            classification, json_values = _classification(
                kind, tuple(areas) if isinstance(areas, list) else areas, topic
            )
        except ValidationError as error:
            for item in error.errors(include_url=False, include_input=False):
                where = ".".join(str(p) for p in item["loc"]) or "classification"
                problems.append(f"{where}: {item['msg']}")
            return facts
        except TypeError:
            problems.append("policy_areas= must be a list of policy areas")
            return facts
        values.update(json_values)
        return facts._replace(classification=classification)

    def _guard_answer(
        self, values: dict[str, Any], facts: CaseFacts, problems: list[str]
    ) -> CaseFacts:
        raw = values.get("answer")
        if raw is None:
            problems.append("an answer is needed: give answer='...' or answer=Answer(...)")
            return facts
        try:
            answer = Answer(text=raw) if type(raw) is str else Answer.model_validate(raw)
        except ValidationError as error:
            for item in error.errors(include_url=False, include_input=False):
                where = ".".join(str(p) for p in ("answer", *item["loc"]))
                problems.append(f"{where}: {item['msg']}")
            return facts
        values["answer"] = {
            "text": answer.text,
            "legal_basis": list(answer.legal_basis),
            "discloses_personal_data": answer.discloses_personal_data,
        }
        return facts._replace(answer=answer)

    def _guard_checklist(self, facts: CaseFacts, problems: list[str]) -> None:
        if facts.answer is None:
            problems.append("there is no drafted answer to review")
            return
        classification = facts.classification or self._inquiry.classification
        kind = classification.kind if classification else self._inquiry.kind
        problems.extend(check_answer(self._inquiry, facts.answer, kind=kind))

    def _guard_verification(self, facts: CaseFacts, problems: list[str]) -> None:
        if facts.answer is not None and facts.answer.discloses_personal_data and not facts.verified:
            problems.append(
                "the answer discloses the requester's personal data: verify the requester's "
                "identity first (complete('identify', verified=True) on a call; "
                "verified=True at intake or provide_info for a written case)"
            )


@lru_cache(maxsize=4096)
def _classification(kind: Any, areas: Any, topic: Any) -> tuple[Classification, dict[str, Any]]:
    """A validated classification and its JSON values; the same few recur, so they are cached."""
    given = {"kind": kind, "policy_areas": areas, "topic": topic}
    classification = Classification.model_validate(
        {k: v for k, v in given.items() if v is not None}
    )
    return classification, {
        "kind": classification.kind.value,
        "policy_areas": [area.value for area in classification.policy_areas],
        "topic": classification.topic,
    }


def _stored_facts(
    event: Event, transition: Transition, facts: CaseFacts, answer: Any
) -> tuple[CaseFacts, Any]:
    """The facts a stored event establishes; the answer is kept raw until the end."""
    data = event.data
    if event.action == "complete":
        if data.get("verified") is True:
            facts = facts._replace(verified=True)
        if "unit" in data or "assignee" in data:
            unit, assignee = data.get("unit", facts.unit), data.get("assignee", facts.assignee)
            facts = facts._replace(
                unit=unit if isinstance(unit, str) else None,
                assignee=assignee if isinstance(assignee, str) else None,
            )
    if "classification" in transition.guards and "kind" in data:
        areas = data.get("policy_areas")
        classification, _ = _classification(
            str(data["kind"]),
            tuple(str(a) for a in areas) if isinstance(areas, list) else None,
            str(data.get("topic")),
        )
        facts = facts._replace(classification=classification)
    if "answer" in data and "answer" in transition.guards:
        answer = data["answer"]
    if event.action in _FACT_ACTIONS or transition.counts_as:
        facts = _side_facts(event.action, data, facts, transition)
    return facts, answer


def _check_required(transition: Transition, values: dict[str, Any], problems: list[str]) -> None:
    for rule in transition.requires:
        if rule == "reasons":
            reasons = values.get("reasons")
            if (
                not isinstance(reasons, list)
                or not reasons
                or not all(isinstance(r, str) and r.strip() for r in reasons)
            ):
                problems.append("reasons=[...] is needed: at least one non-empty reason")
        elif rule == "priority":
            try:
                Priority(str(values.get("priority")))
            except ValueError:
                choices = ", ".join(p.value for p in Priority)
                problems.append(f"priority= is needed: one of {choices}")
        elif rule == "follow_up":
            follow = values.setdefault("follow_up_case_id", new_id())
            if not isinstance(follow, str) or not follow:
                problems.append("follow_up_case_id= must be a non-empty text")
        else:
            value = values.get(rule)
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{rule}= is needed: a non-empty text")


def _side_facts(
    action: str, values: Mapping[str, Any], facts: CaseFacts, transition: Transition
) -> CaseFacts:
    if transition.counts_as == "reopen":
        facts = facts._replace(reopens=facts.reopens + 1)
    if action == "set_priority" and isinstance(values.get("priority"), str):
        try:
            facts = facts._replace(priority=Priority(values["priority"]))
        except ValueError:
            return facts
    if action == "transfer" and isinstance(values.get("to"), str):
        facts = facts._replace(assignee=values["to"])
    if action == "provide_info" and values.get("verified") is True:
        facts = facts._replace(verified=True)
    return facts


def stray_move(definition: ProcessDefinition, moves: Sequence[Move]) -> int | None:
    """The index of the first of ``moves`` that does not follow ``definition``'s table.

    The first move must open a case in step 1; each later one must be a move of the table from
    the state the previous one reached, to its target, and ``complete`` exactly the current
    step. None when every move follows. Times, sequence numbers and guards are not looked at.
    """
    table = definition.table
    steps = definition.steps_by_state
    step = definition.first_step
    action, _, state, _ = moves[0]
    if action != "open" or state != step.code:
        return 0
    for index in range(1, len(moves)):
        action, from_state, to_state, step_code = moves[index]
        transition = table.get((state, action))
        if transition is None:
            return index
        target = step.code if transition.kind == "resume" else transition.target
        if (
            from_state != state
            or to_state != target
            or (action == "complete") != (step_code == state)
        ):
            return index
        state = to_state
        step = steps.get(state, step)
    return None


def check_structure(definition: ProcessDefinition, events: Sequence[Event]) -> None:
    """Check that stored ``events`` follow ``definition``: the structure ``Case.replay(...,
    trusted=True)`` relies on.

    The first event opens the case in step 1; each later one belongs to the same case, carries
    the next ``seq``, does not go back in time and is a move of the table (see
    :func:`stray_move`). Guards are not run. Raises
    :class:`~vss_care_core.errors.InvalidEventError` at the first event that does not follow.
    """
    stray = stray_move(definition, [move_of(event) for event in events])
    first = events[0]
    for index, event in enumerate(events):
        if index == 0:
            if stray == 0 or event.seq != 1:
                raise InvalidEventError(
                    f"event {event.id!r} does not open a case of the {definition.name!r} process"
                )
            continue
        if (
            index == stray
            or event.case_id != first.case_id
            or event.seq != index + 1
            or event.at < events[index - 1].at
        ):
            raise InvalidEventError(
                f"event {event.id!r} (seq {event.seq}) does not follow the process from "
                f"{events[index - 1].to_state!r}; replay without trusted=True to see why"
            )


def _standard_by_name(name: str) -> ProcessDefinition:
    for definition in (CALL_PROCESS, WRITTEN_PROCESS):
        if definition.name == name:
            return definition
    raise InvalidEventError(
        f"the opening event names an unknown process {name!r}: pass process= to Case.replay"
    )


def _open(
    inquiry: Inquiry,
    definition: ProcessDefinition,
    *,
    case_id: str,
    at: datetime,
    by: str,
    event_id: str,
    data: Mapping[str, Any],
) -> Case:
    require_aware(at, "at")
    if not by:
        raise InvalidInputError("by= must name who acts (an agent id, 'system'...)")
    first = definition.first_step
    values: dict[str, Any] = {"process": definition.name, "inquiry_id": inquiry.id}
    if data:
        values.update({k: _jsonable(v, k) for k, v in data.items() if k not in values})
    event = make_event(
        case_id, 1, at, by, "open", first.code, None, None, MappingProxyType(values), event_id
    )
    case = object.__new__(Case)
    case._id = case_id
    case._inquiry = inquiry
    case._definition = definition
    case._history = (event,)
    case._state = first.code
    case._step = first
    case._facts = _EMPTY_FACTS
    return case


def open_case(
    inquiry: Inquiry,
    *,
    at: datetime,
    by: str,
    process: ProcessDefinition | None = None,
    case_id: str | None = None,
    event_id: str | None = None,
) -> Case:
    """Open a case for ``inquiry`` at step 1 of its channel's process.

    The phone channel opens the 7-step call process, every other channel the 5-step written
    process, unless ``process`` is given. For a call, open the case when the call is offered to
    the switchboard; completing ``greet`` means it was answered.
    """
    return _open(
        inquiry,
        process or process_for(inquiry.channel),
        case_id=case_id or new_id(),
        at=at,
        by=by,
        event_id=event_id or new_event_id(),
        data=_NO_DATA,
    )
