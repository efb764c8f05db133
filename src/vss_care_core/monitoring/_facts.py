"""What one case contributes to the KPIs, folded event by event (the events are not kept)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from vss_care_core._time import VIETNAM_TZ
from vss_care_core.models import Event, Inquiry

__all__ = [
    "CALL_FAMILY",
    "ENDING_OUTCOMES",
    "WRITTEN_FAMILY",
    "CaseState",
    "SlaJudge",
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
_READ_KEYS = frozenset({"kind", "topic", "unit", "wrap_up_seconds"})

SlaJudge = Callable[[Inquiry, Sequence[Event]], tuple[tuple[str, bool], ...]]
"""Judges the SLA targets of an ended case: ``(target name, met)`` for each met or breached one."""

StepStats = dict[tuple[str, str], list[float]]
"""(process, step) → [completions, total seconds]."""


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    return max(float(value), 0.0)


class CaseState:
    """The running facts of one case, updated by each of its events."""

    __slots__ = (
        "answered",
        "channel",
        "day",
        "day_text",
        "dropped",
        "escalated",
        "events",
        "family",
        "inquiry",
        "keys",
        "kind",
        "last",
        "last_seq",
        "measured",
        "opened",
        "outcome",
        "queue_abandon",
        "received",
        "requests",
        "returns",
        "topic",
        "transferred",
        "unit",
        "wrap_up",
    )

    def __init__(
        self, inquiry: Inquiry, event: Event, *, keep: bool, measured: bool = True
    ) -> None:
        self.inquiry = inquiry
        opened = event.at.timestamp()
        named = event.data.get("process") if event.data else None
        if isinstance(named, str) and named:
            self.family = named
        else:
            self.family = CALL_FAMILY if event.to_state == _CALL_FIRST_STEP else WRITTEN_FAMILY
        self.channel = inquiry.channel.value
        self.kind = inquiry.kind.value if inquiry.kind is not None else "unclassified"
        self.topic = inquiry.topic
        self.unit = "unassigned"
        self.keys = inquiry.requester.identifiers
        self.day: date = event.at.astimezone(VIETNAM_TZ).date()
        self.day_text = self.day.isoformat()
        self.opened = opened
        self.received = min(inquiry.received_at.timestamp(), opened)
        self.last = opened
        self.last_seq = event.seq
        self.answered: float | None = None
        self.transferred = self.escalated = self.queue_abandon = self.dropped = False
        self.requests = self.returns = 0
        self.wrap_up = 0.0
        self.outcome: str | None = None
        self.measured = measured
        self.events: list[Event] | None = [event] if keep else None
        if event.data:
            self._read(event)

    def _read(self, event: Event) -> None:
        data = event.data
        if "kind" in data:
            self.kind = _text(data["kind"]) or self.kind
        if "topic" in data:
            self.topic = _text(data["topic"]) or self.topic
        if "unit" in data:
            self.unit = _text(data["unit"]) or self.unit
        if "wrap_up_seconds" in data:
            self.wrap_up += _number(data["wrap_up_seconds"])

    def apply(self, event: Event, steps: StepStats | None) -> bool:
        """Take ``event`` into account; True when it ends the case."""
        moment = event.at.timestamp()
        action = event.action
        if action == "complete":
            step = event.step or "?"
            if steps is not None:
                stats = steps.get((self.family, step))
                if stats is None:
                    steps[(self.family, step)] = [1, moment - self.last]
                else:
                    stats[0] += 1
                    stats[1] += moment - self.last
            if step == _CALL_FIRST_STEP and self.answered is None and self.family == CALL_FAMILY:
                self.answered = moment
        elif action != "open":
            self._side_path(action)
        data = event.data
        if data and not _READ_KEYS.isdisjoint(data):
            self._read(event)
        self.last = moment
        self.last_seq = event.seq
        if self.events is not None:
            self.events.append(event)
        if event.to_state in ENDING_OUTCOMES:
            self.outcome = event.to_state
            return True
        return False

    def _side_path(self, action: str) -> None:
        if action in _TRANSFERS:
            self.transferred = True
        elif action == "escalate":
            self.escalated = True
        elif action == "request_info":
            self.requests += 1
        elif action == "return_draft":
            self.returns += 1
        elif action == "abandon" and self.family == CALL_FAMILY:
            if self.answered is None:
                self.queue_abandon = True
            else:
                self.dropped = True

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
