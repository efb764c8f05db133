"""What one case contributes to the KPIs, kept compact while it is open and read when it ends.

While a case is open, each of its events is reduced to its *move* (action, from state, to
state, step) and its time, and the few recorded values the KPIs read (kind, topic, unit,
wrap-up, priority) are noted; the event itself is not kept. When the case ends, what depends
only on the sequence of moves, its *shape* (which steps were completed, whether the call was
answered before an abandon, transfers, escalations...), is worked out once per distinct shape
and reused: a contact centre's cases follow a few dozen shapes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, NamedTuple

from vss_care_core._time import VIETNAM_TZ
from vss_care_core.models import Channel, Event, Inquiry, InquiryKind, Priority
from vss_care_core.models._event import Move, move_of

__all__ = [
    "CALL_FAMILY",
    "ENDING_OUTCOMES",
    "WRITTEN_FAMILY",
    "Arrival",
    "CaseState",
    "Shape",
    "StepStats",
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
_TRANSFERS = frozenset({"transfer", "reassign"})
_KINDS = frozenset(kind.value for kind in InquiryKind)
_MAX_PLANS = 4096

StepStats = dict[tuple[str, str], list[float]]
"""(process, step) → [completions, total seconds]."""

Shape = tuple[Move, ...]
"""The moves of a history, in order."""


class Arrival(NamedTuple):
    """What the KPIs keep of an inquiry until its case ends (the inquiry itself is not kept)."""

    id: str
    channel: Channel
    kind: InquiryKind | None
    topic: str | None
    priority: Priority
    received_at: datetime
    keys: tuple[str, ...]

    @classmethod
    def of(cls, inquiry: Inquiry) -> Arrival:
        """The arrival of ``inquiry``."""
        return cls(
            inquiry.id,
            inquiry.channel,
            inquiry.kind,
            inquiry.topic,
            inquiry.priority,
            inquiry.received_at,
            inquiry.requester.identifiers,
        )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    return max(float(value), 0.0)


class _Plan:
    """What a shape means for the KPIs, worked out once per (process, shape)."""

    __slots__ = (
        "answered",
        "completions",
        "dropped",
        "escalated",
        "queue_abandon",
        "requests",
        "returns",
        "transferred",
    )

    def __init__(self, family: str, shape: Shape) -> None:
        self.answered: int | None = None
        completions: list[tuple[int, tuple[str, str]]] = []
        self.transferred = self.escalated = self.queue_abandon = self.dropped = False
        self.requests = self.returns = 0
        is_call = family == CALL_FAMILY
        for index, (action, _, _, step) in enumerate(shape):
            if index == 0:
                continue
            if action == "complete":
                code = step or "?"
                completions.append((index, (family, code)))
                if code == _CALL_FIRST_STEP and self.answered is None and is_call:
                    self.answered = index
            elif action in _TRANSFERS:
                self.transferred = True
            elif action == "escalate":
                self.escalated = True
            elif action == "request_info":
                self.requests += 1
            elif action == "return_draft":
                self.returns += 1
            elif action == "abandon" and is_call:
                if self.answered is None:
                    self.queue_abandon = True
                else:
                    self.dropped = True
        self.completions = tuple(completions)


_PLANS: dict[tuple[str, Shape], _Plan] = {}


def _plan_for(family: str, shape: Shape) -> _Plan:
    key = (family, shape)
    plan = _PLANS.get(key)
    if plan is None:
        plan = _Plan(family, shape)
        if len(_PLANS) < _MAX_PLANS:  # unusual shapes past the cap are worked out each time
            _PLANS[key] = plan
    return plan


class CaseState:
    """One case: its moves and times while open, its facts once :meth:`close` has read them."""

    __slots__ = (
        "answered",
        "arrival",
        "channel",
        "day",
        "day_text",
        "dropped",
        "escalated",
        "family",
        "kind",
        "last",
        "measured",
        "moves",
        "opened",
        "outcome",
        "priority",
        "process",
        "queue_abandon",
        "received",
        "requests",
        "returns",
        "seq",
        "sla_kind",
        "times",
        "topic",
        "transferred",
        "unit",
        "wrap_up",
    )

    def __init__(self, arrival: Arrival, event: Event, *, measured: bool = True) -> None:
        self.arrival = arrival
        self.measured = measured
        self.moves: list[Move] = [move_of(event)]
        self.times: list[datetime] = [event.at]
        self.seq = event.seq
        named = event.data.get("process") if event.data else None
        self.process = named if isinstance(named, str) and named else None
        if self.process is not None:
            self.family = self.process
        else:
            self.family = CALL_FAMILY if event.to_state == _CALL_FIRST_STEP else WRITTEN_FAMILY
        self.channel = arrival.channel.value
        self.day: date = event.at.astimezone(VIETNAM_TZ).date()
        self.day_text = self.day.isoformat()
        self.kind = arrival.kind.value if arrival.kind is not None else "unclassified"
        self.sla_kind: str | None = self.kind if arrival.kind is not None else None
        self.topic = arrival.topic
        self.unit = "unassigned"
        self.wrap_up = 0.0
        self.priority: str = arrival.priority.value
        self.outcome: str | None = None
        if event.data:
            self.read(event)

    def read(self, event: Event) -> None:
        """Note what the KPIs and the SLA judge read from ``event``'s data."""
        data: Mapping[str, Any] = event.data
        if "kind" in data:
            kind = data["kind"]
            self.kind = _text(kind) or self.kind
            if isinstance(kind, str) and kind in _KINDS:
                self.sla_kind = kind
        if "topic" in data:
            self.topic = _text(data["topic"]) or self.topic
        if "unit" in data:
            self.unit = _text(data["unit"]) or self.unit
        if "wrap_up_seconds" in data:
            self.wrap_up += _number(data["wrap_up_seconds"])
        if "priority" in data and event.action == "set_priority":
            self.priority = str(data["priority"])

    def close(self, steps: StepStats | None) -> Shape:
        """Work out the facts from the moves so far (the outcome, if any, is the last one); add
        each step's duration to ``steps`` when given; return the shape."""
        shape = tuple(self.moves)
        times = self.times
        plan = _plan_for(self.family, shape)
        first = times[0]
        self.opened = opened = first.timestamp()
        self.last = opened + (times[-1] - first).total_seconds()
        received = self.arrival.received_at
        self.received = opened if received >= first else received.timestamp()
        index = plan.answered
        self.answered = None if index is None else opened + (times[index] - first).total_seconds()
        self.transferred = plan.transferred
        self.escalated = plan.escalated
        self.queue_abandon = plan.queue_abandon
        self.dropped = plan.dropped
        self.requests = plan.requests
        self.returns = plan.returns
        state = shape[-1][2]
        self.outcome = state if state in ENDING_OUTCOMES else None
        if steps is not None:
            for index, key in plan.completions:
                seconds = (times[index] - times[index - 1]).total_seconds()
                stats = steps.get(key)
                if stats is None:
                    steps[key] = [1, seconds]
                else:
                    stats[0] += 1
                    stats[1] += seconds
        return shape

    @property
    def keys(self) -> tuple[str, ...]:
        """The requester's identifier keys."""
        return self.arrival.keys

    @property
    def is_call(self) -> bool:
        """True for a case of the call process."""
        return self.family == CALL_FAMILY

    @property
    def wait(self) -> float:
        """Seconds from the offer to the answer (or to the end, unanswered)."""
        return (self.answered if self.answered is not None else self.last) - self.opened

    @property
    def handle(self) -> float | None:
        """Seconds from the answer to the end, plus the recorded wrap-up; None if unanswered."""
        if self.answered is None:
            return None
        return self.last - self.answered + self.wrap_up

    @property
    def handled(self) -> bool:
        """True when the case was dealt with (closed, answered or escalated)."""
        return self.outcome in _HANDLED

    @property
    def fcr_candidate(self) -> bool:
        """True when resolved without transfer or escalation (re-contacts aside)."""
        return self.outcome in _RESOLVED and not self.transferred and not self.escalated
