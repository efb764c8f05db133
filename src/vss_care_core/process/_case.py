"""A case: one inquiry driven through its channel's standard process.

A case is its inquiry plus its ordered events; its state, step, outcome and facts are derived
from them by one fold (:mod:`vss_care_core.process` ``fold_facts``), so
``Case.replay(inquiry, history)`` rebuilds exactly the live case. Every move is checked
completely before anything changes: a refused move leaves the case exactly as it was.

A case is not safe to share between threads: two threads moving the same case must go through
a store's optimistic check (``expected_version=``), each on its own copy of the case.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from itertools import pairwise
from types import MappingProxyType
from typing import Any, Protocol

from pydantic import ValidationError
from pydantic_core import to_json

from vss_care_core.errors import (
    ConcurrencyConflict,
    DuplicateEventError,
    InvalidEventError,
    InvalidInputError,
    TransitionNotAllowed,
)
from vss_care_core.models import (
    MAX_DATA_BYTES,
    Answer,
    Classification,
    Event,
    Inquiry,
    Move,
    Priority,
    check_event_values,
    mask_code,
    move_of,
    new_event_id,
    new_id,
    require_aware,
)
from vss_care_core.models import trusted_event as _event
from vss_care_core.process._checklist import check_answer
from vss_care_core.process._definition import ProcessDefinition, Step, Transition
from vss_care_core.process._fold import CaseFacts, classification_of, fold_facts
from vss_care_core.process._standard import process_for, standard_process

__all__ = ["Case", "UnitLookup", "check_structure", "first_stray_move", "open_case"]

_NO_DATA: Mapping[str, Any] = MappingProxyType({})
_EMPTY_FACTS = CaseFacts()


def _describe(event: Event) -> str:
    """An event named for a message: its seq and move (never its data)."""
    move = f"complete:{event.step}" if event.action == "complete" else event.action
    return f"seq {event.seq} ({move})"


class Case:
    """One inquiry handled through a process; create it with :func:`open_case`.

    Moves: :meth:`complete` (finish the current step) and :meth:`fire` (a side path). Both
    take ``at=`` (an aware datetime, never earlier than the last event) and ``by=`` (who acts),
    optional ``expected_version=`` (optimistic concurrency) and ``event_id=`` (idempotency), and
    return the recorded :class:`~vss_care_core.Event`.
    """

    __slots__ = (
        "_definition",
        "_events",
        "_facts",
        "_id",
        "_ids",
        "_inquiry",
        "_snapshot",
        "_state",
        "_step",
        "_units",
    )

    _id: str
    _inquiry: Inquiry
    _definition: ProcessDefinition
    _events: list[Event]
    """The history; it only grows (appending never copies it)."""
    _ids: dict[str, int]
    """Each event id with its position in ``_events``: idempotency without a scan."""
    _snapshot: tuple[Event, ...] | None
    """The history as a tuple, made when first read after a move."""
    _state: str
    _step: Step
    _facts: CaseFacts
    _units: UnitLookup | None
    """Where unit and agency codes given to moves are looked up (a directory), if anywhere."""

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
        if self._snapshot is None or len(self._snapshot) != len(self._events):
            self._snapshot = tuple(self._events)
        return self._snapshot

    @property
    def version(self) -> int:
        """The number of events so far; the ``expected_version`` to pass on the next move."""
        return len(self._events)

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
        return self._state if self._state in self._definition.outcome_set else None

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
        outcomes = self._definition.outcome_set
        events = self._events
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
        """The follow-up case opened by an escalation, or None if the case was not escalated.

        It is derived from the escalating event (same id, time and actor every time), so a
        replayed case gives the same follow-up; drive it and store its own history from there.
        Its process is ``process``, else the definition's ``follow_up_process``.
        """
        escalations = self._definition.actions_tagged("escalation")
        for event in reversed(self._events):
            follow_id = event.data.get("follow_up_case_id")
            if event.action in escalations and isinstance(follow_id, str):
                if process is None:
                    process = standard_process(self._definition.follow_up_process or "")
                return _open(
                    self._inquiry,
                    process,
                    case_id=follow_id,
                    at=event.at,
                    by=event.by,
                    event_id=f"{event.id}.open",
                    data={"escalated_from": self._id},
                    units=self._units,
                )
        return None

    def __repr__(self) -> str:
        return (
            f"Case(id={mask_code(self._id)!r}, process={self._definition.name!r}, "
            f"state={self._state!r}, version={self.version})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Case):
            return NotImplemented
        return (
            self._id == other._id
            and self._inquiry == other._inquiry
            and self._definition == other._definition
            and self._events == other._events
            and self._state == other._state
            and self._step == other._step
            and self._facts == other._facts
        )

    __hash__ = None  # type: ignore[assignment]

    def __copy__(self) -> Case:
        twin = object.__new__(Case)
        twin._id = self._id
        twin._inquiry = self._inquiry
        twin._definition = self._definition
        twin._events = list(self._events)
        twin._ids = dict(self._ids)
        twin._snapshot = self._snapshot
        twin._state = self._state
        twin._step = self._step
        twin._facts = self._facts
        twin._units = self._units
        return twin

    def __deepcopy__(self, memo: dict[int, Any]) -> Case:
        # Events, the inquiry and the definition are immutable: copying the lists is enough.
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

        The same event delivered again is a no-op (at-least-once delivery); another event with
        an id already in the history is refused with
        :class:`~vss_care_core.errors.DuplicateEventError`.
        """
        position = self._ids.get(event.id)
        if position is not None:
            known = self._events[position]
            if known == event:
                return known
            raise DuplicateEventError(
                self._id, event.id, _describe(known), _describe(event), version=self.version
            )
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
        planned = self._plan(
            event.action, event.step, event.at, event.by, event.data, event.id, stored=True
        )
        # the rest of the event is what the move was planned from: compare what it derives
        step = event.step if event.action == "complete" else None
        if planned.state != event.to_state or step != event.step or planned.values != event.data:
            raise InvalidEventError(
                f"event {event.id!r} does not match what the process gives for it "
                f"(to {planned.state!r}); it was not applied"
            )
        self._record(event, planned)
        return event

    @classmethod
    def replay(
        cls,
        inquiry: Inquiry,
        history: Iterable[Event],
        *,
        process: ProcessDefinition | None = None,
        trusted: bool = False,
        units: UnitLookup | None = None,
    ) -> Case:
        """Rebuild a case from its inquiry and its stored history.

        The process is the standard one named in the opening event (``call``/``written``)
        unless given. Every event is checked as the move it records, guards included. With
        ``trusted=True``, for a history this library wrote and a store kept unchanged, only its
        structure is checked (see :func:`check_structure`), not the guards again: several
        times faster, for reports over large logs. Either way, an event id used twice is
        refused (:class:`~vss_care_core.errors.DuplicateEventError`): a move is never dropped.
        """
        events = list(history)
        if not events or events[0].action != "open":
            raise InvalidEventError("a history starts with its 'open' event")
        first = events[0]
        definition = process or _named_process(first)
        case = _open(
            inquiry,
            definition,
            case_id=first.case_id,
            at=first.at,
            by=first.by,
            event_id=first.id,
            data=first.data,
            stored=True,
            units=units,
        )
        if case._events[0] != first:
            raise InvalidEventError(f"the opening event {first.id!r} does not match the inquiry")
        if trusted:
            case._follow_structure(events)
            return case
        for event in events[1:]:
            if event.id in case._ids:
                known = case._events[case._ids[event.id]]
                raise DuplicateEventError(
                    case._id, event.id, _describe(known), _describe(event), version=case.version
                )
            case.apply(event)
        return case

    def _follow_structure(self, events: list[Event]) -> None:
        """Apply stored events checking their structure only (see ``replay(trusted=True)``)."""
        definition = self._definition
        check_structure(definition, events)
        table = definition.table
        state, step, facts = self._state, self._step, self._facts
        for event in events[1:]:
            transition = table[(state, event.action)]
            if event.data or transition.tags:
                facts = fold_facts(facts, transition, event.data)
            state = event.to_state
            step = definition.steps_by_state.get(state, step)
        self._events = list(events)
        self._ids = {event.id: index for index, event in enumerate(events)}
        self._state, self._step, self._facts = state, step, facts

    # -- internals -------------------------------------------------------------------------
    def _move(  # noqa: PLR0917 - the two public moves share it
        self,
        action: str,
        step_code: str | None,
        at: datetime,
        by: str,
        expected: int | None,
        eid: str | None,
        data: Mapping[str, Any],
    ) -> Event:
        if eid is not None and eid in self._ids:
            return self._same_move_again(eid, action, step_code, by)
        if expected is not None and expected != self.version:
            raise ConcurrencyConflict(self._id, expected, self.version)
        planned = self._plan(action, step_code, at, by, data, eid)
        values = planned.values
        event = _event(
            case_id=self._id,
            seq=self.version + 1,
            at=at,
            by=by,
            action=action,
            to_state=planned.state,
            step=self._state if action == "complete" else None,
            from_state=self._state,
            data=MappingProxyType(values) if values else _NO_DATA,
            id=eid if eid is not None else new_event_id(),
        )
        self._record(event, planned)
        return event

    def _same_move_again(self, eid: str, action: str, step_code: str | None, by: str) -> Event:
        """The recorded event of a move sent again with its ``event_id``; a different move
        with the same id is refused (it would be lost)."""
        known = self._events[self._ids[eid]]
        same_step = action != "complete" or known.step == step_code
        if known.action == action and known.by == by and same_step:
            return known
        move = f"complete:{step_code}" if action == "complete" else action
        raise DuplicateEventError(
            self._id, eid, _describe(known), f"a new move ({move})", version=self.version
        )

    def _record(self, event: Event, planned: _Planned) -> None:
        self._ids[event.id] = len(self._events)
        self._events.append(event)
        self._state, self._step, self._facts = planned.state, planned.step, planned.facts

    def _plan(  # noqa: PLR0917 - a move's parts, as the two callers hold them
        self,
        action: str,
        step_code: str | None,
        at: datetime,
        by: str,
        data: Mapping[str, Any],
        eid: str | None = None,
        *,
        stored: bool = False,
    ) -> _Planned:
        """Check a move completely and compute its result, changing nothing (the caller
        builds or compares the event).

        ``stored``: the parts come from an :class:`~vss_care_core.models.Event`, whose type
        already holds the rules of its values (an aware ``at`` in range; ``by``, the id and
        the data as :func:`~vss_care_core.models.check_event_values` wants them); what the
        process says of the move is checked all the same.
        """
        if not stored:
            require_aware(at, "at")
        last_at = self._events[-1].at
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
        values, facts = self._checked(transition, by, eid, data, at, stored=stored)
        target = self._step.code if transition.kind == "resume" else transition.target
        return _Planned(values, target, definition.steps_by_state.get(target, self._step), facts)

    def _checked(
        self,
        transition: Transition,
        by: str,
        eid: str | None,
        data: Mapping[str, Any],
        at: datetime,
        *,
        stored: bool,
    ) -> tuple[dict[str, Any], CaseFacts]:
        """The move's data made JSON and checked, and the facts after the move.

        ``by``, the id and the data are checked and the data converted to JSON values in one
        pass (:func:`~vss_care_core.models.check_event_values`); then the data is checked
        against the move (types, required data, classification, answer), folded into the facts
        with :func:`fold_facts`, and the guards that judge the new facts run (the review
        checklist, verification before disclosure). When the move completed its data (a whole
        classification, an answer in full, a follow-up case id), the size of what is recorded
        is measured again. The data of a ``stored`` event holds JSON values already: it is
        copied, not checked again.
        """
        values = _recorded_values(by, eid, data, stored=stored)
        if not values and _plain(transition):
            return values, self._facts  # nothing to check or fold: the facts stay as they are
        problems: list[str] = []
        answer: Answer | None = None
        classification: Classification | None = None
        completes = transition.action == "complete"
        if completes:
            _check_recorded(values, problems)
        if "classification" in transition.guards:
            classification = self._normalise_classification(values, problems)
        if "answer" in transition.guards:
            answer = _normalise_answer(values, problems)
        _check_required(transition, values, problems)
        if self._units is not None:
            _check_units(self._units, values, problems)
        facts = self._facts
        if not problems:
            if values or transition.tags:  # as in a trusted replay: nothing else changes facts
                facts = fold_facts(
                    facts, transition, values, answer=answer, classification=classification
                )
            if "answer_checklist" in transition.guards:
                self._guard_checklist(facts, problems, at)
            if "verification" in transition.guards:
                _guard_verification(facts, problems)
        if problems:
            action = transition.action
            name = f"complete:{transition.source}" if action == "complete" else action
            raise TransitionNotAllowed(name, self._state, self.allowed(), problems)
        if _completes_data(transition):
            _check_size(values)
        return values, facts

    def _normalise_classification(
        self, values: dict[str, Any], problems: list[str]
    ) -> Classification | None:
        """Complete the given classification from the known one and check it; the recorded
        values are the whole classification (kind, policy areas, topic). The classification
        the move records, or None (none given, or a problem found)."""
        given = {k: values[k] for k in ("kind", "policy_areas", "topic") if k in values}
        known: Classification | None = self._facts.classification or self._inquiry.classification
        if not given:
            if known is None:
                problems.append(
                    "a classification is needed: give kind=, policy_areas= and topic= "
                    "(the inquiry does not have them all)"
                )
            return None
        base = known if known is not None else self._inquiry
        kind = given.get("kind", base.kind)
        areas = given.get("policy_areas", [a.value for a in base.policy_areas] or None)
        topic = given.get("topic", base.topic)
        if areas is not None and not isinstance(areas, list):
            problems.append("policy_areas= must be a list of policy areas")
            return None
        try:
            classification = classification_of(
                kind, tuple(areas) if areas is not None else None, topic
            )
        except ValidationError as error:
            for item in error.errors(include_url=False, include_input=False):
                where = ".".join(str(p) for p in item["loc"]) or "classification"
                problems.append(f"{where}: {item['msg']}")
            return None
        except TypeError:
            problems.append("policy_areas= must be a list of policy areas")
            return None
        values["kind"] = classification.kind.value
        values["policy_areas"] = [area.value for area in classification.policy_areas]
        values["topic"] = classification.topic
        return classification

    def _guard_checklist(self, facts: CaseFacts, problems: list[str], at: datetime) -> None:
        if facts.answer is None:
            problems.append("there is no drafted answer to review")
            return
        classification = facts.classification or self._inquiry.classification
        kind = classification.kind if classification else self._inquiry.kind
        problems.extend(check_answer(self._inquiry, facts.answer, kind=kind, on=at))


class _Planned:
    """A checked move: the data it records (checked, as JSON values) and the case's state,
    step and facts after it."""

    __slots__ = ("facts", "state", "step", "values")

    def __init__(self, values: dict[str, Any], state: str, step: Step, facts: CaseFacts) -> None:
        self.values = values
        self.state = state
        self.step = step
        self.facts = facts


class UnitLookup(Protocol):
    """Where unit and agency codes are looked up: a
    :class:`~vss_care_core.routing.Directory` is one. A code it does not know raises a
    ``KeyError`` whose message says so (with close matches)."""

    def __getitem__(self, code: str, /) -> object: ...


_UNIT_KEYS = ("unit", "agency")
"""The data of a move that names a unit or an agency of the directory."""


def _check_size(values: Mapping[str, Any]) -> None:
    """Refuse data completed by the move (checked values only) once it outgrows an event.

    The same bound, and the same words, as :func:`~vss_care_core.models.check_event_values`
    gives for the data it checks: an event that holds more could not be read back.
    """
    size = len(to_json(values))
    if size > MAX_DATA_BYTES:
        raise InvalidInputError(
            f"data takes {size:,} bytes as JSON; at most {MAX_DATA_BYTES:,} are allowed: store "
            "large documents elsewhere and keep their reference"
        )


def _recorded_values(
    by: str, eid: str | None, data: Mapping[str, Any], *, stored: bool
) -> dict[str, Any]:
    """A move's data as the event records it: checked and converted to JSON values, with ``by``
    and the id checked (:func:`~vss_care_core.models.check_event_values`); a copy of a
    ``stored`` event's data, whose type already holds those rules."""
    if stored:
        return dict(data)
    return check_event_values(by=by, event_id=eid, data=data, convert=True)


def _plain(transition: Transition) -> bool:
    """True when a move of ``transition`` that carries no data has nothing to check and
    changes no fact: no data rule, no guard, no tag (see ``_checked``)."""
    return not (transition.requires or transition.guards or transition.tags)


def _completes_data(transition: Transition) -> bool:
    """True when checking a move of ``transition`` completes its data (see ``_checked``)."""
    return (
        "classification" in transition.guards
        or "answer" in transition.guards
        or "follow_up" in transition.requires
    )


def _check_units(units: UnitLookup, values: dict[str, Any], problems: list[str]) -> None:
    for key in _UNIT_KEYS:
        code = values.get(key)
        if isinstance(code, str) and code:
            try:
                units[code]
            except KeyError as error:
                problems.append(f"{key}=: {error}")


def _check_recorded(values: dict[str, Any], problems: list[str]) -> None:
    """A completion may record ``verified=``, ``unit=`` and ``assignee=``: check their types."""
    if "verified" in values and not isinstance(values["verified"], bool):
        problems.append("verified= must be True or False")
    for key in ("unit", "assignee"):
        if key in values and not (isinstance(values[key], str) and values[key]):
            problems.append(f"{key}= must be a non-empty text")


def _normalise_answer(values: dict[str, Any], problems: list[str]) -> Answer | None:
    raw = values.get("answer")
    if raw is None:
        problems.append("an answer is needed: give answer='...' or answer=Answer(...)")
        return None
    try:
        answer = Answer(text=raw) if type(raw) is str else Answer.model_validate(raw)
    except ValidationError as error:
        for item in error.errors(include_url=False, include_input=False):
            where = ".".join(str(p) for p in ("answer", *item["loc"]))
            problems.append(f"{where}: {item['msg']}")
        return None
    values["answer"] = {
        "text": answer.text,
        "legal_basis": list(answer.legal_basis),
        "discloses_personal_data": answer.discloses_personal_data,
    }
    return answer


def _guard_verification(facts: CaseFacts, problems: list[str]) -> None:
    if facts.answer is not None and facts.answer.discloses_personal_data and not facts.verified:
        problems.append(
            "the answer discloses the requester's personal data: verify the requester's "
            "identity first (complete('identify', verified=True) on a call; "
            "verified=True at intake or provide_info for a written case)"
        )


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


def first_stray_move(definition: ProcessDefinition, moves: Sequence[Move]) -> int | None:
    """The index of the first of ``moves`` that does not follow ``definition``'s table.

    The first move must open a case in step 1; each later one must be a move of the table from
    the state the previous one reached, to its target, and ``complete`` exactly the current
    step. None when every move follows. Times, sequence numbers and guards are not looked at.
    """
    table = definition.table
    steps = definition.steps_by_state
    step = definition.first_step
    opening = moves[0]
    if opening.action != "open" or opening.to_state != step.code:
        return 0
    state = step.code
    for index in range(1, len(moves)):
        move = moves[index]
        transition = table.get((state, move.action))
        if transition is None:
            return index
        target = step.code if transition.kind == "resume" else transition.target
        if (
            move.from_state != state
            or move.to_state != target
            or (move.action == "complete") != (move.step == state)
        ):
            return index
        state = move.to_state
        step = steps.get(state, step)
    return None


def check_structure(definition: ProcessDefinition, events: Sequence[Event]) -> None:
    """Check that stored ``events`` follow ``definition``: the structure ``Case.replay(...,
    trusted=True)`` relies on.

    The first event opens the case in step 1; each later one belongs to the same case, carries
    the next ``seq`` and its own id, does not go back in time and is a move of the table (see
    :func:`first_stray_move`). Guards are not run. Raises
    :class:`~vss_care_core.errors.InvalidEventError` at the first event that does not follow,
    :class:`~vss_care_core.errors.DuplicateEventError` at an id used twice.
    """
    stray = first_stray_move(definition, [move_of(event) for event in events])
    first = events[0]
    seen: dict[str, Event] = {}
    for index, event in enumerate(events):
        known = seen.get(event.id)
        if known is not None:
            raise DuplicateEventError(
                first.case_id, event.id, _describe(known), _describe(event), version=index
            )
        seen[event.id] = event
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


def _named_process(opening: Event) -> ProcessDefinition:
    name = str(opening.data.get("process", ""))
    try:
        return standard_process(name)
    except KeyError:
        raise InvalidEventError(
            f"the opening event names a process {name!r} that is not a standard one: "
            "pass its definition with process= to Case.replay"
        ) from None


def _open(
    inquiry: Inquiry,
    definition: ProcessDefinition,
    *,
    case_id: str,
    at: datetime,
    by: str,
    event_id: str,
    data: Mapping[str, Any],
    stored: bool = False,
    units: UnitLookup | None = None,
) -> Case:
    """A case opened at ``at``; ``stored``: from a stored opening event, whose type holds the
    rules of its values (its time is not compared with the inquiry's either, as it was when
    it was recorded), and which the caller compares with the opening event made here."""
    if not stored:
        require_aware(at, "at")
        if at < inquiry.received_at:
            raise InvalidInputError(
                f"at={at.isoformat()} is before the inquiry was received "
                f"({inquiry.received_at.isoformat()}): open its case when it arrives or later"
            )
    first = definition.first_step
    values: dict[str, Any] = {"process": definition.name, "inquiry_id": inquiry.id}
    for key, value in data.items():
        values.setdefault(key, value)
    if not stored:
        values = check_event_values(by=by, event_id=event_id, data=values, convert=True)
    event = _event(
        case_id=case_id,
        seq=1,
        at=at,
        by=by,
        action="open",
        to_state=first.code,
        step=None,
        from_state=None,
        data=MappingProxyType(values),
        id=event_id,
    )
    case = object.__new__(Case)
    case._id = case_id
    case._inquiry = inquiry
    case._definition = definition
    case._events = [event]
    case._ids = {event_id: 0}
    case._snapshot = None
    case._state = first.code
    case._step = first
    case._facts = _EMPTY_FACTS
    case._units = units
    return case


def open_case(
    inquiry: Inquiry,
    *,
    at: datetime,
    by: str,
    process: ProcessDefinition | None = None,
    case_id: str | None = None,
    event_id: str | None = None,
    units: UnitLookup | None = None,
) -> Case:
    """Open a case for ``inquiry`` at step 1 of its channel's process.

    The phone channel opens the 7-step call process, every other channel the 5-step written
    process, unless ``process`` is given. For a call, open the case when the call is offered to
    the switchboard; completing the answering step (``greet``) means it was answered. ``at``
    may not be before the inquiry was received. With ``units`` (a directory), every unit and
    agency code a move gives (``unit=``, ``agency=``) is looked up there, and a code it does not
    know refuses the move, with close matches.
    """
    return _open(
        inquiry,
        process or process_for(inquiry.channel),
        case_id=case_id or new_id(),
        at=at,
        by=by,
        event_id=event_id or new_event_id(),
        data=_NO_DATA,
        units=units,
    )
