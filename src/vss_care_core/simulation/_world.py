"""The simulated centre's machinery: simulated time, the case store, what is due, the log.

Everything that happens is put on one agenda, ordered by its moment, and done when simulated
time reaches it: an inquiry arrives, a desk makes its next move, the due rules are looked at.
Every move is stored in the case store as it is made (``append`` with the version the desk
read); the log is written from the store's outbox, through a consumer cursor.
"""

from __future__ import annotations

import heapq
import random
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from vss_care_core.calendar import WorkingCalendar
from vss_care_core.due import DueKind, apply_due, due, next_rule_at
from vss_care_core.models import VIETNAM_TZ, Event, Inquiry
from vss_care_core.monitoring import LogRecord, SatisfactionResponse
from vss_care_core.process import Case
from vss_care_core.routing import Agent, RoutingTable
from vss_care_core.store import CaseStore, NextAlertRule

if TYPE_CHECKING:
    from vss_care_core.simulation._catalogue import Template

__all__ = [
    "CHECK_HOURS",
    "DUE_BY",
    "EXPORT_CONSUMER",
    "Contact",
    "Script",
    "World",
    "alert_rule",
]

Script = Generator[datetime, None, None]
"""A desk's handling of one case: it yields the moment of its next move and is resumed then."""

CHECK_HOURS = tuple(range(8, 18))
"""The hours of a working day at which the centre asks what is due (08:00 to 17:00)."""
DUE_HORIZON = timedelta(hours=2)
"""How far ahead ``due`` looks for deadlines."""
DUE_BY = "due-rules"
"""Who makes the moves the due rules ask for."""
EXPORT_CONSUMER = "events-jsonl"
"""The outbox consumer that writes the event log."""


@dataclass(slots=True)
class Contact:
    """One inquiry as the simulation remembers it, for re-contacts within a week."""

    person: dict[str, object]
    template: Template
    at: datetime


@dataclass(order=True, slots=True)
class _Pending:
    """Something to do at a moment; ``order`` keeps things planned for one moment in order."""

    at: datetime
    order: int
    run: Callable[[], None] = field(compare=False)


@dataclass(order=True, slots=True)
class _Survey:
    at: datetime
    order: int
    response: SatisfactionResponse = field(compare=False)


def alert_rule(calendar: WorkingCalendar) -> NextAlertRule:
    """The demo store's next-alert rule: when the next automatic rule comes due on a case.

    The demo acts on the automatic rules only (an SLA warning has no move to make), so that is
    what its store indexes; ``due(store, at=...)`` then loads just the cases a rule may move.
    (:func:`~vss_care_core.store.sla_next_alert` gives the SLA clocks' alerts, for a desk that
    shows warnings.)
    """

    def next_alert(case: Case) -> datetime | None:
        return next_rule_at(case, after=case.history[-1].at, calendar=calendar)

    return next_alert


@dataclass(slots=True)
class World:
    """The simulated centre: its agenda, its store, its desks' cases and what they did."""

    rng: random.Random
    calendar: WorkingCalendar
    table: RoutingTable
    store: CaseStore
    horizon: datetime
    prefix: str
    live: dict[str, Case] = field(default_factory=dict)
    """Each desk's own copy of the cases it works on (every move is stored from it)."""
    staff: dict[str, list[Agent]] = field(default_factory=dict)
    recent: deque[Contact] = field(default_factory=deque)
    templates: dict[str, Template] = field(default_factory=dict)
    """The template of each inquiry, by inquiry id (what the simulated requester asked)."""
    inquiries: dict[str, Inquiry] = field(default_factory=dict)
    due_moves: Counter[str] = field(default_factory=Counter)
    """Moves made by the due rules, by rule name."""
    due_notices: Counter[str] = field(default_factory=Counter)
    """Notices given by the due rules (items without a move), by rule name."""
    first_due_event: Event | None = None
    agenda: list[_Pending] = field(default_factory=list)
    surveys: list[_Survey] = field(default_factory=list)
    checks: deque[datetime] = field(default_factory=deque)
    order: int = 0
    count: int = 0
    calls: int = 0
    written: int = 0

    def next_id(self) -> str:
        """The next inquiry id: ``q000001``..."""
        self.count += 1
        return f"{self.prefix}{self.count:06d}"

    def _next_order(self) -> int:
        self.order += 1
        return self.order

    # -- the agenda ---------------------------------------------------------------------------
    def plan(self, at: datetime, run: Callable[[], None]) -> None:
        """Do ``run`` when simulated time reaches ``at``."""
        heapq.heappush(self.agenda, _Pending(at, self._next_order(), run))

    def start(self, script: Script) -> None:
        """Run ``script`` from its first move on."""
        self._resume(script)

    def _resume(self, script: Script) -> None:
        try:
            moment = next(script)
        except StopIteration:
            return
        self.plan(moment, lambda: self._resume(script))

    def plan_checks(self, days: Iterator[date]) -> None:
        """Ask what is due at each of :data:`CHECK_HOURS` of these days."""
        for day in days:
            for hour in CHECK_HOURS:
                moment = datetime.combine(day, time(hour), tzinfo=VIETNAM_TZ)
                if moment <= self.horizon:
                    self.checks.append(moment)

    def run_until(self, end: datetime) -> None:
        """Do everything planned before ``end``, the due checks included, in time order."""
        while self.agenda and self.agenda[0].at < end:
            pending = heapq.heappop(self.agenda)
            self._check_until(pending.at)
            pending.run()
        self._check_until(end)

    def _check_until(self, moment: datetime) -> None:
        while self.checks and self.checks[0] <= moment:
            self.check_due(self.checks.popleft())

    # -- the store ----------------------------------------------------------------------------
    def add(self, case: Case) -> None:
        """Store a new case and take it on."""
        self.store.add(case)
        self.live[case.id] = case

    def stored(self, event: Event) -> None:
        """Store the move ``event``, made on the desk's copy at the version before it."""
        self.store.append(event, expected_version=event.seq - 1)

    def check_due(self, at: datetime) -> None:
        """Ask the store what is due at ``at`` and make the moves asked for, once."""
        looked_at = self.store.open_cases(due_before=at + DUE_HORIZON)
        moved = set()
        for item in due(self.store, at=at, horizon=DUE_HORIZON, calendar=self.calendar):
            if item.kind is not DueKind.RULE:
                continue  # SLA warnings and breaches: the desks see them in their queues
            if item.action is None:
                self.due_notices[item.name] += 1
                continue
            case = self.live[item.case_id]
            event = apply_due(case, item, at=at, by=DUE_BY)
            if event is None:
                continue
            self.stored(event)
            self.due_moves[item.name] += 1
            moved.add(case.id)
            if self.first_due_event is None:
                self.first_due_event = event
        for row in looked_at:
            passed = row.next_alert_at is not None and row.next_alert_at <= at
            if passed and row.case_id not in moved:
                case = self.store.load(row.case_id)
                following = next_rule_at(case, after=at, calendar=self.calendar)
                self.store.set_next_alert(row.case_id, following)

    # -- the log ------------------------------------------------------------------------------
    def survey(self, response: SatisfactionResponse) -> None:
        """A survey answer, to be logged at the moment it was given."""
        heapq.heappush(self.surveys, _Survey(response.answered_at, self._next_order(), response))

    def export(self, before: datetime, sink: Callable[[LogRecord], None]) -> None:
        """Give ``sink`` the outbox records not yet exported, with the survey answers given
        before ``before``, in time order; then acknowledge the outbox position reached."""
        after = self.store.cursor(EXPORT_CONSUMER)
        last = after
        for item in self.store.outbox(after=after):
            record = item.record
            moment = record.received_at if isinstance(record, Inquiry) else record.at
            while self.surveys and self.surveys[0].at < moment:
                sink(heapq.heappop(self.surveys).response)
            sink(record)
            last = item.position
        while self.surveys and self.surveys[0].at < before:
            sink(heapq.heappop(self.surveys).response)
        if last != after:
            self.store.acknowledge(EXPORT_CONSUMER, last)
