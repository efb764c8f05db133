"""What one case contributes to the KPIs, kept compact while it is open and read when it ends.

While a case is open, each of its events is reduced to its *move* (action, from state, to
state, step) and its time, and the few recorded values the KPIs read (kind, topic, unit,
wrap-up, priority) are noted; the event itself is not kept. When the case ends, what depends
only on the sequence of moves, its *shape* (its outcome, which steps were completed, whether the
call was answered before an abandon, transfers, escalations...), is read from a :class:`Plan`
worked out once per distinct shape: a contact centre's cases follow a few dozen shapes. Only
the times are read from each case.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from sys import intern
from typing import Any, NamedTuple

from vss_care_core.models import VIETNAM_TZ, Event, Inquiry, InquiryKind
from vss_care_core.models._event import Move, move_of
from vss_care_core.sla import ShapePlan

__all__ = [
    "CALL_FAMILY",
    "ENDING_OUTCOMES",
    "READ_KEYS",
    "WRITTEN_FAMILY",
    "Arrival",
    "CaseState",
    "Counted",
    "Plan",
    "Plans",
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
READ_KEYS = frozenset({"kind", "topic", "unit", "wrap_up_seconds", "priority"})
"""The keys of an event's data that :meth:`CaseState.read` looks at."""
_MAX_PLANS = 4096
_ZERO = timedelta(0)
_DAY_TEXT: dict[date, str] = {}

StepStats = dict[tuple[str, str], list[float]]
"""(process, step) → [completions, total seconds]."""

Shape = tuple[Move, ...]
"""The moves of a history, in order."""


class Arrival(NamedTuple):
    """What the KPIs keep of an inquiry until its case ends (the inquiry itself is not kept)."""

    id: str
    channel: str
    kind: str | None
    topic: str | None
    priority: str
    received_at: datetime
    keys: tuple[str, ...]

    @classmethod
    def of(cls, inquiry: Inquiry) -> Arrival:
        """The arrival of ``inquiry`` (enumerations as their recorded values)."""
        kind = inquiry.kind
        values = (
            inquiry.id,
            inquiry.channel.value,
            None if kind is None else kind.value,
            _text(inquiry.topic),
            inquiry.priority.value,
            inquiry.received_at,
            inquiry.requester.identifiers,
        )
        return tuple.__new__(cls, values)  # the fields in order: no keyword handling needed


def _text(value: object) -> str | None:
    """A non-empty text value, interned: the same topic or unit recorded on many cases is then
    kept once, however long the cases that name it are remembered."""
    return intern(value) if type(value) is str and value else None


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    return max(float(value), 0.0)


def _day_text(day: date) -> str:
    text = _DAY_TEXT.get(day)
    if text is None:
        text = day.isoformat()
        if len(_DAY_TEXT) < 100_000:
            _DAY_TEXT[day] = text
    return text


class Plan:
    """What a shape means for the KPIs, worked out once per (process, shape).

    It also gathers, for the measured cases of the shape, the time each completed step took
    (``step_times``, ``step_cases``), and keeps the SLA judge's plans for the shape by
    (channel, kind, priority) in ``sla``.
    """

    __slots__ = (
        "answered",
        "completions",
        "counted",
        "dropped",
        "escalated",
        "fcr_candidate",
        "handled",
        "is_call",
        "kept",
        "outcome",
        "queue_abandon",
        "requests",
        "returns",
        "shape",
        "sla",
        "step_cases",
        "step_times",
        "transferred",
        "written_answered",
    )

    def __init__(self, family: str, shape: Shape) -> None:
        self.shape = shape
        self.sla: dict[tuple[str, str | None, str], ShapePlan | None] = {}
        self.is_call = is_call = family == CALL_FAMILY
        self.answered: int | None = None
        completions: list[tuple[int, tuple[str, str]]] = []
        self.transferred = self.escalated = self.queue_abandon = self.dropped = False
        self.requests = self.returns = 0
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
        last = shape[-1][2]
        self.outcome = last if last in ENDING_OUTCOMES else None
        self.handled = self.outcome in _HANDLED
        self.fcr_candidate = (
            self.outcome in _RESOLVED and not self.transferred and not self.escalated
        )
        self.written_answered = not is_call and self.outcome == "answered"
        self.step_times = [_ZERO] * len(completions)
        self.step_cases = 0
        self.kept = True
        self.counted: Counted = (
            self.outcome or "?",
            is_call,
            self.answered is not None,
            self.queue_abandon,
            self.dropped,
            self.transferred,
            self.escalated,
            self.requests,
            self.returns,
            self.written_answered,
        )
        """The facts the counters add up, the same for every plan with the same facts."""

    def add_steps(self, stats: StepStats) -> None:
        """Add the step times gathered here to ``stats``."""
        if not self.step_cases:
            return
        for (_, key), total in zip(self.completions, self.step_times, strict=True):
            found = stats.setdefault(key, [0, 0.0])
            found[0] += self.step_cases
            found[1] += total.total_seconds()


Counted = tuple[str, bool, bool, bool, bool, bool, bool, int, int, bool]
"""What a shape adds to the counters: outcome, call, answered, abandoned in the queue,
dropped, transferred, escalated, requests for information, returned drafts, written answer."""

Plans = dict[tuple[str, Shape], Plan]
"""The plans worked out so far, by (process, shape)."""


class CaseState:
    """One case: its moves and times while open, its time facts once :meth:`close` has run."""

    __slots__ = (
        "arrival",
        "backwards",
        "case_id",
        "channel",
        "day",
        "day_text",
        "family",
        "group_key",
        "handle",
        "kind",
        "last",
        "measured",
        "moves",
        "opening_priority",
        "priority",
        "process",
        "received",
        "seq",
        "sla_kind",
        "times",
        "topic",
        "unit",
        "wait",
        "wrap_up",
    )

    def __init__(self, arrival: Arrival, event: Event, *, measured: bool = True) -> None:
        self.arrival = arrival
        self.case_id = event.case_id
        self.group_key: tuple[str, str, str, str] = ("", "", "", "")
        """The case's group once it ended: (channel, unit, kind, local day of opening)."""
        self.measured = measured
        self.moves: list[Move] = [move_of(event)]
        self.times: list[datetime] = [event.at]
        self.backwards = False
        """True once an event was recorded earlier than the one before it."""
        self.seq = event.seq
        data = event.data
        named = data.get("process") if data else None
        self.process = named if isinstance(named, str) and named else None
        if self.process is not None:
            self.family = self.process
        else:
            self.family = CALL_FAMILY if event.to_state == _CALL_FIRST_STEP else WRITTEN_FAMILY
        self.channel = arrival.channel
        self.day: date = event.at.astimezone(VIETNAM_TZ).date()
        self.day_text = _day_text(self.day)
        kind = arrival.kind
        self.kind = "unclassified" if kind is None else kind
        self.sla_kind = kind
        self.topic = arrival.topic
        self.unit = "unassigned"
        self.wrap_up = 0.0
        self.opening_priority = self.priority = arrival.priority
        if data and not READ_KEYS.isdisjoint(data):
            self.read(event)

    def follow(self, event: Event, moves: dict[Move, Move]) -> bool:
        """Take the next ``event`` of the case into account; True when it ends the case.

        An event already seen (its ``seq`` not past the last one) is ignored. Moves are shared
        through ``moves``: each distinct move is kept once.
        """
        if event.seq <= self.seq:
            return False  # delivered again: already counted
        self.seq = event.seq
        move = move_of(event)
        self.moves.append(moves.setdefault(move, move))
        times = self.times
        if event.at < times[-1]:
            self.backwards = True
        times.append(event.at)
        data = event.data
        if data and not READ_KEYS.isdisjoint(data):
            self.read(event)
        return event.to_state in ENDING_OUTCOMES

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

    def close(self, plans: Plans, *, measured: bool) -> Plan:
        """Work out the time facts of the moves so far (the outcome, if any, is the last one)
        with the plan of their shape, taken from ``plans`` (or worked out and kept there);
        when ``measured``, add each completed step's time to the plan. Return the plan."""
        shape = tuple(self.moves)
        key = (self.family, shape)
        plan = plans.get(key)
        if plan is None:
            plan = Plan(self.family, shape)
            if len(plans) < _MAX_PLANS:
                plans[key] = plan
            else:  # unusual shapes past the cap are worked out each time
                plan.kept = False
        times = self.times
        first = times[0]
        opened = first.timestamp()
        self.last = opened + (times[-1] - first).total_seconds()
        received = self.arrival.received_at
        self.received = opened if received >= first else received.timestamp()
        index = plan.answered
        if index is None:
            self.wait = self.last - opened
            self.handle = 0.0
        else:
            answered = times[index]
            self.wait = (answered - first).total_seconds()
            self.handle = (times[-1] - answered).total_seconds() + self.wrap_up
        if measured and plan.completions:
            step_times = plan.step_times
            for slot, (index, _) in enumerate(plan.completions):
                step_times[slot] += times[index] - times[index - 1]
            plan.step_cases += 1
        return plan
