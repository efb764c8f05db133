"""What one ended case contributes to the KPIs, derived from its inquiry and its events."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from vss_care_core._time import VIETNAM_TZ
from vss_care_core.models import Event, Inquiry

__all__ = [
    "CALL_FAMILY",
    "ENDING_OUTCOMES",
    "WRITTEN_FAMILY",
    "CaseFacts",
    "SlaJudge",
    "case_facts",
    "case_unit",
]

CALL_FAMILY = "call"
WRITTEN_FAMILY = "written"
ENDING_OUTCOMES: frozenset[str] = frozenset(
    {"closed", "answered", "escalated", "abandoned", "forwarded", "merged", "withdrawn"}
)
"""The states in which a case has ended (the outcomes of the two standard processes)."""

_RESOLVED = frozenset({"closed", "answered"})
_HANDLED = frozenset({"closed", "answered", "escalated"})
_CALL_FIRST_STEP = "greet"

SlaJudge = Callable[[Inquiry, Sequence[Event]], tuple[tuple[str, bool], ...]]
"""Judges the SLA targets of an ended case: ``(target name, met)`` for each met or breached one."""


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """The measurable facts of one ended case (times in seconds)."""

    case_id: str
    family: str
    channel: str
    kind: str
    topic: str | None
    unit: str
    day: date
    received_at: float
    outcome: str
    requester_keys: tuple[str, ...]
    answered: bool
    wait_seconds: float | None
    queue_abandon: bool
    short_abandon: bool
    dropped: bool
    handle_seconds: float | None
    transferred: bool
    escalated: bool
    requests_for_info: int
    returned_drafts: int
    steps: tuple[tuple[str, float], ...]
    sla: tuple[tuple[str, bool], ...]

    @property
    def handled(self) -> bool:
        """True when the case was dealt with (closed, answered or escalated)."""
        return self.outcome in _HANDLED

    @property
    def fcr_candidate(self) -> bool:
        """True when the case was resolved without transfer or escalation (re-contact aside)."""
        return self.outcome in _RESOLVED and not self.transferred and not self.escalated


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def case_unit(events: Sequence[Event]) -> str | None:
    """The last unit named in the events' data (``assign``, ``reassign``, ``transfer``...)."""
    unit: str | None = None
    for event in events:
        found = _text(event.data.get("unit")) if event.data else None
        if found is not None:
            unit = found
    return unit


def _classification(inquiry: Inquiry, events: Sequence[Event]) -> tuple[str, str | None]:
    kind = inquiry.kind.value if inquiry.kind is not None else None
    topic = inquiry.topic
    for event in events:
        if not event.data:
            continue
        kind = _text(event.data.get("kind")) or kind
        topic = _text(event.data.get("topic")) or topic
    return kind or "unclassified", topic


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    return max(float(value), 0.0)


def _call_times(
    opened: float, answered_at: float | None, ended: float, wrap_up: float
) -> tuple[float, float | None]:
    """Wait (to the answer, or to the end when unanswered) and handle time of a call."""
    if answered_at is None:
        return ended - opened, None
    return answered_at - opened, ended - answered_at + wrap_up


def case_facts(
    inquiry: Inquiry,
    events: Sequence[Event],
    *,
    short_abandon_seconds: float,
    sla: SlaJudge | None = None,
) -> CaseFacts:
    """The facts of a case from its inquiry and its events (the last one ends the case)."""
    first = events[0]
    last = events[-1]
    opened = first.at.timestamp()
    named = first.data.get("process") if first.data else None
    if isinstance(named, str) and named:
        family = named
    else:
        family = CALL_FAMILY if first.to_state == _CALL_FIRST_STEP else WRITTEN_FAMILY
    kind, topic = _classification(inquiry, events)
    answered_at: float | None = None
    transferred = escalated = queue_abandon = dropped = False
    counted: dict[str, int] = {}
    wrap_up = 0.0
    steps: list[tuple[str, float]] = []
    previous = opened
    for event in events[1:]:
        moment = event.at.timestamp()
        action = event.action
        if action == "complete":
            step = event.step or "?"
            steps.append((f"{family}:{step}", moment - previous))
            if step == _CALL_FIRST_STEP and family == CALL_FAMILY and answered_at is None:
                answered_at = moment
            if event.data:
                wrap_up += _number(event.data.get("wrap_up_seconds"))
        elif action in {"transfer", "reassign"}:
            transferred = True
        elif action == "escalate":
            escalated = True
        elif action in {"request_info", "return_draft"}:
            counted[action] = counted.get(action, 0) + 1
        elif action == "abandon":
            if family == CALL_FAMILY and answered_at is None:
                queue_abandon = True
            elif family == CALL_FAMILY:
                dropped = True
        previous = moment
    wait, handle = (
        _call_times(opened, answered_at, last.at.timestamp(), wrap_up)
        if family == CALL_FAMILY
        else (None, None)
    )
    return CaseFacts(
        case_id=first.case_id,
        family=family,
        channel=inquiry.channel.value,
        kind=kind,
        topic=topic,
        unit=case_unit(events) or "unassigned",
        day=first.at.astimezone(VIETNAM_TZ).date(),
        received_at=min(inquiry.received_at.timestamp(), opened),
        outcome=last.to_state,
        requester_keys=inquiry.requester.identifiers,
        answered=answered_at is not None,
        wait_seconds=wait,
        queue_abandon=queue_abandon,
        short_abandon=queue_abandon and wait is not None and wait <= short_abandon_seconds,
        dropped=dropped,
        handle_seconds=handle,
        transferred=transferred,
        escalated=escalated,
        requests_for_info=counted.get("request_info", 0),
        returned_drafts=counted.get("return_draft", 0),
        steps=tuple(steps),
        sla=sla(inquiry, events) if sla is not None else (),
    )


def local_day(moment: datetime) -> date:
    """The date of ``moment`` in Vietnam."""
    return moment.astimezone(VIETNAM_TZ).date()
