"""KPIs from the event stream: a mergeable accumulator and the functions over it."""

from __future__ import annotations

import bisect
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from vss_care_core.errors import CareCoreError, InvalidInputError
from vss_care_core.models import VIETNAM_TZ, Event, Inquiry
from vss_care_core.models._event import Move
from vss_care_core.monitoring._eventlog import LogRecord
from vss_care_core.monitoring._facts import (
    Arrival,
    CaseState,
    Counted,
    Plan,
    Plans,
    StepStats,
)
from vss_care_core.monitoring._figures import (
    AGEING_BUCKETS,
    BacklogFigures,
    KpiFigures,
    KpiReport,
    SatisfactionFigures,
    SlaFigures,
    StepFigures,
)
from vss_care_core.monitoring._satisfaction import SATISFACTION_FACTORS, SatisfactionResponse
from vss_care_core.monitoring._sla import SlaJudge
from vss_care_core.sla import ShapePlan

if TYPE_CHECKING:
    from vss_care_core.calendar import WorkingCalendar

__all__ = ["KpiAccumulator", "KpiSettings", "compute_kpis"]

_DAY = 86_400.0
_SETTLE_SECONDS = 14 * _DAY
"""How long after a case ends a re-contact can still be recognised (its case must end too)."""
_KEEP_ENDED_SECONDS = 30 * _DAY
"""How long a case that ended is remembered: for reopens and late survey answers."""
_PRUNE_EVERY = 4096
_SETTLE_EVERY = 1024
"""Ended cases are counted in batches of this many: the same work, done in a row, runs faster
than spread among the other records (the processor's caches stay warm)."""
_MAX_SHARED_KEYS = 20_000
_UNKNOWN = object()


@dataclass(frozen=True, slots=True, kw_only=True)
class KpiSettings:
    """The choices behind the KPIs; every default is a common contact-centre convention.

    ``service_level_seconds`` (20) is the answer threshold of the service level (80/20 target);
    ``short_abandon_seconds`` (5): a call abandoned in the queue within this time is a short
    abandon, left out of the service level and the abandonment rate; ``fcr_window`` (7 days):
    a re-contact by the same requester on the same topic within it means the first contact did
    not resolve the matter. ``period_start`` / ``period_end`` keep only the cases opened on
    those local dates (both included). ``calendar`` counts backlog ages in working days (the
    Vietnamese state-agency calendar by default). ``sla`` judges the SLA targets of each ended
    case (``None``: no SLA figures).
    """

    service_level_seconds: float = 20.0
    short_abandon_seconds: float = 5.0
    fcr_window: timedelta = timedelta(days=7)
    period_start: date | None = None
    period_end: date | None = None
    calendar: WorkingCalendar | None = None
    sla: SlaJudge | None = None

    def __post_init__(self) -> None:
        problems = []
        if self.service_level_seconds <= 0:
            problems.append("service_level_seconds must be positive (e.g. 20)")
        if self.short_abandon_seconds < 0:
            problems.append("short_abandon_seconds must be zero or positive (e.g. 5)")
        if self.fcr_window <= timedelta(0):
            problems.append("fcr_window must be positive (e.g. timedelta(days=7))")
        if (
            self.period_start is not None
            and self.period_end is not None
            and self.period_end < self.period_start
        ):
            problems.append("period_end is before period_start: swap them")
        if problems:
            raise InvalidInputError("KPI settings are not valid: " + "; ".join(problems))

    def in_period(self, day: date) -> bool:
        """True when a case opened on local date ``day`` is measured."""
        if self.period_start is not None and day < self.period_start:
            return False
        return self.period_end is None or day <= self.period_end


class _Counts:
    """Additive counters for one group; merging two is adding them.

    Ended cases are counted by the plan of their shape (``shapes``): what depends only on the
    shape (outcome, answered, abandoned, transfers...) is read from the plans when the figures
    are made; the times are added case by case.
    """

    __slots__ = (
        "answered_in",
        "factor_counts",
        "factor_sums",
        "fcr_eligible",
        "fcr_resolved",
        "handle_sum",
        "reopens",
        "responses",
        "satisfied",
        "shapes",
        "short_abandons",
        "sla_breached",
        "sla_met",
        "wait_sum",
    )

    def __init__(self) -> None:
        self.shapes: dict[Counted, int] = {}
        self.answered_in = 0
        self.short_abandons = 0
        self.wait_sum = 0.0
        self.handle_sum = 0.0
        self.fcr_eligible = 0
        self.fcr_resolved = 0
        self.reopens = 0
        self.sla_met: dict[str, int] = {}
        self.sla_breached: dict[str, int] = {}
        self.responses = 0
        self.satisfied = 0
        self.factor_sums: dict[str, int] = {}
        self.factor_counts: dict[str, int] = {}

    def add_case(
        self,
        plan: Plan,
        case: CaseState,
        settings: KpiSettings,
        sla: tuple[tuple[str, bool], ...],
    ) -> None:
        shapes = self.shapes
        counted = plan.counted
        shapes[counted] = shapes.get(counted, 0) + 1
        if plan.is_call:
            if plan.answered is not None:
                wait = case.wait
                self.wait_sum += wait
                self.answered_in += wait <= settings.service_level_seconds
                self.handle_sum += case.handle
            elif plan.queue_abandon:
                self.short_abandons += case.wait <= settings.short_abandon_seconds
        for name, met in sla:
            target = self.sla_met if met else self.sla_breached
            target[name] = target.get(name, 0) + 1

    def add_response(self, response: SatisfactionResponse) -> None:
        self.responses += 1
        self.satisfied += response.is_satisfied
        for name, score in response.factor_scores().items():
            self.factor_sums[name] = self.factor_sums.get(name, 0) + score
            self.factor_counts[name] = self.factor_counts.get(name, 0) + 1

    def merge(self, other: _Counts) -> None:
        for name in self.__slots__:
            mine = getattr(self, name)
            theirs = getattr(other, name)
            if isinstance(mine, dict):
                for key, value in theirs.items():
                    mine[key] = mine.get(key, 0) + value
            else:
                setattr(self, name, mine + theirs)

    def copy(self) -> _Counts:
        clone = _Counts()
        clone.merge(self)
        return clone

    def figures(self, backlog: BacklogFigures) -> KpiFigures:
        shaped = _ShapeTotals.of(self.shapes)
        answered = shaped.answered
        sl_base = answered + shaped.abandons - self.short_abandons
        offered = shaped.calls - self.short_abandons
        targets = sorted(set(self.sla_met) | set(self.sla_breached))
        return KpiFigures(
            ended=shaped.ended,
            outcomes=dict(sorted(shaped.outcomes.items())),
            calls_offered=shaped.calls,
            calls_answered=answered,
            answered_within_threshold=self.answered_in,
            queue_abandons=shaped.abandons,
            short_abandons=self.short_abandons,
            dropped_calls=shaped.dropped,
            service_level=self.answered_in / sl_base if sl_base else None,
            average_speed_of_answer=self.wait_sum / answered if answered else None,
            abandonment_rate=(shaped.abandons - self.short_abandons) / offered if offered else None,
            average_handle_time=self.handle_sum / answered if answered else None,
            fcr_eligible=self.fcr_eligible,
            fcr_resolved=self.fcr_resolved,
            first_contact_resolution=(
                self.fcr_resolved / self.fcr_eligible if self.fcr_eligible else None
            ),
            transfers=shaped.transfers,
            escalations=shaped.escalations,
            requests_for_info=shaped.requests,
            returned_drafts=shaped.returns,
            written_answered=shaped.written_answered,
            reopens=self.reopens,
            reopen_rate=(
                self.reopens / shaped.written_answered if shaped.written_answered else None
            ),
            sla={
                name: SlaFigures(
                    met=self.sla_met.get(name, 0), breached=self.sla_breached.get(name, 0)
                )
                for name in targets
            },
            satisfaction=SatisfactionFigures(
                responses=self.responses,
                satisfied=self.satisfied,
                factor_means={
                    name: self.factor_sums[name] / self.factor_counts[name]
                    for name in SATISFACTION_FACTORS
                    if self.factor_counts.get(name)
                },
            ),
            backlog=backlog,
        )


@dataclass(slots=True)
class _ShapeTotals:
    """The counters that depend only on the shapes of the ended cases."""

    ended: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    calls: int = 0
    answered: int = 0
    abandons: int = 0
    dropped: int = 0
    transfers: int = 0
    escalations: int = 0
    requests: int = 0
    returns: int = 0
    written_answered: int = 0

    @classmethod
    def of(cls, shapes: dict[Counted, int]) -> _ShapeTotals:
        totals = cls()
        for counted, count in shapes.items():
            outcome, call, answered, abandoned, dropped = counted[:5]
            transferred, escalated, requests, returns, written_answered = counted[5:]
            totals.ended += count
            totals.outcomes[outcome] = totals.outcomes.get(outcome, 0) + count
            if call:
                totals.calls += count
                totals.answered += count * answered
                totals.abandons += count * abandoned
                totals.dropped += count * dropped
            totals.written_answered += count * written_answered
            totals.transfers += count * transferred
            totals.escalations += count * escalated
            totals.requests += count * requests
            totals.returns += count * returns
        return totals


_Key = tuple[str, str, str, str]
"""A case's group: (channel, unit, kind, local day of opening)."""
_Group = tuple[str, str, str]
_NOWHERE: _Key = ("", "", "", "")
"""The group of survey responses whose case is unknown: counted in the overall figures only."""
_DIMENSIONS = ("channel", "unit", "kind")
_Receipts = float | list[float]
"""When a requester asked about a topic: one time, or several in time order.

Why not tuples: CPython's garbage collector stops watching a dictionary that holds only plain
values, puts it back among the new objects as soon as a new tuple is stored in it, and then
scans it whole. The tables kept for weeks (this one, the ended cases) therefore hold numbers,
shared keys or lists, never fresh tuples, so that they are not scanned again and again.
"""


_Pending = tuple[float, tuple[str, ...], str, _Key]
"""A case resolved at first contact unless its requester asks again: when it was received, the
requester's keys, the topic, its group. A plain tuple of plain values, which the garbage
collector stops scanning after its first look (it keeps scanning named tuples).
"""


class _TimeOrder:
    """Names (case ids, inquiry ids, receipts) in about time order, trimmed from the old end.

    Two parallel queues instead of one of (time, name) pairs: a pair would be a new object for
    the garbage collector to watch for as long as it is kept, and these are kept for weeks.
    """

    __slots__ = ("names", "times")

    def __init__(self, pairs: Iterable[tuple[float, str]] = ()) -> None:
        self.times: deque[float] = deque()
        self.names: deque[str] = deque()
        for at, name in pairs:
            self.append(at, name)

    def append(self, at: float, name: str) -> None:
        self.times.append(at)
        self.names.append(name)

    def before(self, cutoff: float) -> Iterator[str]:
        """Remove and give the names noted before ``cutoff``, oldest first."""
        times, names = self.times, self.names
        while times and times[0] < cutoff:
            times.popleft()
            yield names.popleft()

    def pairs(self) -> Iterator[tuple[float, str]]:
        return zip(self.times, self.names, strict=True)


def _receipt(identifier: str, topic: str) -> str:
    """The key of a receipt: a requester's identifier and a topic, as one text."""
    return f"{identifier}\x1f{topic}"


def _key_of(case: CaseState) -> _Key:
    return (case.channel, case.unit, case.kind, case.day_text)


def _inquiry_key(event: Event) -> str:
    if event.data:
        for name in ("inquiry_id", "inquiry"):
            value = event.data.get(name)
            if isinstance(value, str) and value:
                return value
    return event.case_id


@dataclass(slots=True)
class _Tally:
    """Counts by (channel, unit, kind) and by day; a case adds to one of each."""

    groups: dict[_Group, _Counts] = field(default_factory=dict)
    days: dict[str, _Counts] = field(default_factory=dict)
    nowhere: _Counts = field(default_factory=_Counts)

    def both(self, key: _Key) -> tuple[_Counts, _Counts]:
        if key == _NOWHERE:
            return self.nowhere, _Counts()
        return self.pair(key[:3], key[3])

    def pair(self, group_key: _Group, day_key: str) -> tuple[_Counts, _Counts]:
        group = self.groups.get(group_key)
        if group is None:
            group = self.groups[group_key] = _Counts()
        day = self.days.get(day_key)
        if day is None:
            day = self.days[day_key] = _Counts()
        return group, day

    def absorb(self, other: _Tally) -> None:
        for name, counts in other.groups.items():
            self.groups.setdefault(name, _Counts()).merge(counts)
        for day, counts in other.days.items():
            self.days.setdefault(day, _Counts()).merge(counts)
        self.nowhere.merge(other.nowhere)

    def copy(self) -> _Tally:
        clone = _Tally()
        clone.absorb(self)
        return clone


@dataclass(slots=True)
class KpiAccumulator:
    """Reads log records one at a time and keeps what the KPIs need; mergeable.

    Each case is kept in a compact form while it is open (its moves, their times, the few
    recorded values the KPIs read) and read once after it ends (the cases that ended are
    counted in batches of up to 1,024, and always before a report is made); memory is bounded by
    the cases still open, plus a few figures per case that ended in the last weeks (for
    re-contacts, reopens and late survey responses), not by the length of the log. Feed it the
    records of a log in the order they were written (:meth:`add`), or all at once
    (:meth:`add_all`, :func:`compute_kpis`); :meth:`merge` combines accumulators built over
    parts of a log that each hold whole cases, so that a report over a log equals the report
    over its parts merged.
    """

    settings: KpiSettings = field(default_factory=KpiSettings)
    records: int = 0
    orphan_events: int = 0
    unmatched_responses: int = 0
    _tally: _Tally = field(default_factory=_Tally)
    _steps: StepStats = field(default_factory=dict)
    _plans: Plans = field(default_factory=dict)
    _moves: dict[Move, Move] = field(default_factory=dict)
    """Each distinct move once: open cases share them (less memory, less for the collector)."""
    _keys: dict[_Key, _Key] = field(default_factory=dict)
    """Each (channel, unit, kind, day) group key once, shared by the records that hold it."""
    _volume: dict[tuple[str, str], int] = field(default_factory=dict)
    _inquiries: dict[str, Arrival] = field(default_factory=dict)
    _open: dict[str, CaseState] = field(default_factory=dict)
    _refs: dict[str, int] = field(default_factory=dict)
    _ended: dict[str, _Key | None] = field(default_factory=dict)
    """The cases that ended in the last weeks: their group (None when not measured)."""
    _ended_seq: dict[str, int] = field(default_factory=dict)
    """The last ``seq`` seen of each case in ``_ended``."""
    _ended_order: _TimeOrder = field(default_factory=_TimeOrder)
    _inquiry_order: _TimeOrder = field(default_factory=_TimeOrder)
    _pending: deque[_Pending] = field(default_factory=deque)
    _receipts: dict[str, _Receipts] = field(default_factory=dict)
    """When each requester asked about each topic, by :func:`_receipt` key."""
    _receipt_order: _TimeOrder = field(default_factory=_TimeOrder)
    _as_of: datetime | None = None
    _last: Event | None = None
    _closing: list[CaseState] = field(default_factory=list)
    """Cases that ended and are yet to be counted: they are taken in batches (see
    ``_SETTLE_EVERY``), and before anything reads the counts."""

    def add(self, record: LogRecord) -> None:
        """Take one record of the log into account."""
        self.records += 1
        if type(record) is Event or isinstance(record, Event):
            self._add_event(record)
        elif isinstance(record, Inquiry):
            self._add_inquiry(record)
        elif isinstance(record, SatisfactionResponse):
            self._add_response(record)
        else:
            message = f"a KPI accumulator takes log records, not {type(record).__name__}"
            raise TypeError(message)
        if self.records % _PRUNE_EVERY == 0:
            self._prune()

    def add_all(self, records: Iterable[LogRecord]) -> KpiAccumulator:
        """Add every record of ``records``; return the accumulator itself.

        The same as :meth:`add` for each record, with the common records (an inquiry, the next
        event of an open case) handled inline: a report spends most of its time here.
        """
        find = self._open.get
        moves = self._moves
        add_inquiry = self._add_inquiry
        add_event = self._add_event
        end_case = self._end_case
        add = self.add
        count = self.records
        last = self._last
        try:
            for record in records:
                if type(record) is Event:
                    last = record
                    state = find(record.case_id)
                    if state is None:
                        add_event(record)
                    elif state.follow(record, moves):
                        self._last = record
                        end_case(record.case_id, state)
                elif type(record) is Inquiry:
                    add_inquiry(record)
                else:
                    self._last, self.records = last, count
                    add(record)
                    last, count = self._last, self.records
                    continue
                count += 1
                if count % _PRUNE_EVERY == 0:
                    self._last, self.records = last, count
                    self._prune()
                    last = self._last
        finally:
            self._last, self.records = last, count
        return self

    def _add_inquiry(self, inquiry: Inquiry) -> None:
        self._inquiries[inquiry.id] = Arrival.of(inquiry)
        self._inquiry_order.append(inquiry.received_at.timestamp(), inquiry.id)

    def _add_event(self, event: Event) -> None:
        self._last = event
        state = self._open.get(event.case_id)
        if state is None:
            if event.action == "open":
                self._open_case(event)
            elif event.case_id in self._ended:
                self._after_end(event)
            else:
                self.orphan_events += 1
            return
        if state.follow(event, self._moves):
            self._end_case(event.case_id, state)

    def _open_case(self, event: Event) -> None:
        self._later(event.at)
        arrival = self._inquiries.get(_inquiry_key(event))
        if arrival is None:
            self.orphan_events += 1
            return
        state = CaseState(arrival, event)
        state.measured = measured = self.settings.in_period(state.day)
        self._open[event.case_id] = state
        self._refs[arrival.id] = self._refs.get(arrival.id, 0) + 1
        if measured:
            key = (state.day_text, state.channel)
            self._volume[key] = self._volume.get(key, 0) + 1

    def _after_end(self, event: Event) -> None:
        case_id = event.case_id
        if event.seq <= self._ended_seq.get(case_id, 0):
            return  # delivered again: already counted
        self._ended_seq[case_id] = event.seq
        key = self._ended[case_id]
        if event.action == "reopen" and key is not None:
            for counts in self._tally.both(key):
                counts.reopens += 1
        # other moves after a reopen: the case was measured when it first ended

    def _later(self, at: datetime) -> None:
        if self._as_of is None or at > self._as_of:
            self._as_of = at

    @property
    def as_of(self) -> datetime | None:
        """The latest moment seen in the log: the backlog is measured then."""
        if self._last is not None:
            self._later(self._last.at)
            self._last = None
        return self._as_of

    def _end_case(self, case_id: str, state: CaseState) -> None:
        """Note at once what later records of the log may ask about a case that ended (its
        group, its last ``seq``, its inquiry's release); the rest waits in ``_closing``."""
        if self._last is not None:
            self._later(self._last.at)
        del self._open[case_id]
        key = _key_of(state)
        key = self._keys.setdefault(key, key)  # one tuple per group and day, shared
        self._ended[case_id] = key if state.measured else None
        self._ended_seq[case_id] = state.seq
        state.group_key = key
        escalated = state.moves[-1][2] == "escalated"
        self._release(state.arrival.id, keep=escalated, at=state.times[-1].timestamp())
        closing = self._closing
        closing.append(state)
        if len(closing) >= _SETTLE_EVERY:
            self._settle()

    def _settle(self) -> None:
        """Take into account the cases that ended since the last call, one after the other."""
        closing = self._closing
        if not closing:
            return
        self._closing = []
        finish = self._finish
        for state in closing:
            finish(state)

    def _finish(self, state: CaseState) -> None:
        key = state.group_key
        measured = state.measured
        plan = state.close(self._plans, measured=measured)
        if not plan.kept:
            plan.add_steps(self._steps)
        self._ended_order.append(state.last, state.case_id)
        topic = state.topic
        keys = state.arrival.keys
        if topic is not None and keys:
            self._receive(keys, topic, state.received)
        if not measured:
            return
        judge = self.settings.sla
        verdicts = self._judge(judge, plan, state) if judge is not None else ()
        group, day = self._tally.pair(key[:3], key[3])
        settings = self.settings
        group.add_case(plan, state, settings, verdicts)
        day.add_case(plan, state, settings, verdicts)
        if not plan.handled:
            return
        if not plan.fcr_candidate:
            group.fcr_eligible += 1
            day.fcr_eligible += 1
        elif topic is None or not keys:  # nobody to recognise again: resolved
            group.fcr_eligible += 1
            day.fcr_eligible += 1
            group.fcr_resolved += 1
            day.fcr_resolved += 1
        else:
            self._pending.append((state.received, keys, topic, key))

    def _receive(self, keys: tuple[str, ...], topic: str, received: float) -> None:
        """Remember that the requester with ``keys`` asked about ``topic`` at ``received``."""
        order = self._receipt_order
        for identifier in keys:
            receipt = _receipt(identifier, topic)
            self._add_receipt(receipt, received)
            order.append(received, receipt)

    def _add_receipt(self, receipt: str, received: float) -> None:
        receipts = self._receipts
        times = receipts.get(receipt)
        if times is None:
            receipts[receipt] = received
        elif type(times) is float:
            receipts[receipt] = [times, received] if times <= received else [received, times]
        else:
            assert isinstance(times, list)  # noqa: S101 - one time or a list of them
            bisect.insort(times, received)

    @staticmethod
    def _judge(judge: SlaJudge, plan: Plan, state: CaseState) -> tuple[tuple[str, bool], ...]:
        """The SLA verdicts of an ended case, with the judge's plan for its shape."""
        if state.process is None or state.backwards or state.seq != len(state.times):
            return ()  # not a whole history in order (a missing or misnumbered event)
        key = (state.channel, state.sla_kind, state.opening_priority)
        found = plan.sla.get(key, _UNKNOWN)
        if found is _UNKNOWN:
            found = plan.sla[key] = judge.plan_for(
                process=state.process,
                channel=key[0],
                kind=key[1],
                priority=key[2],
                moves=plan.shape,
            )
        if found is None:
            return ()
        assert isinstance(found, ShapePlan)  # noqa: S101 - the sentinel is handled above
        try:
            return found.verdicts(state.times, state.priority)
        except (CareCoreError, ValueError):
            return ()

    def _release(self, inquiry_id: str, *, keep: bool, at: float) -> None:
        refs = self._refs.get(inquiry_id, 1) - 1
        if refs > 0:
            self._refs[inquiry_id] = refs
            return
        self._refs.pop(inquiry_id, None)
        if keep:  # an escalated call's inquiry opens its written follow-up next
            self._inquiry_order.append(at, inquiry_id)
        else:
            self._inquiries.pop(inquiry_id, None)

    def _add_response(self, response: SatisfactionResponse) -> None:
        case_id = response.case_id
        state = self._open.get(case_id)
        if state is not None:
            if not state.measured:
                return
            key = _key_of(state)
        elif case_id in self._ended:
            ended = self._ended[case_id]
            if ended is None:
                return  # not measured
            key = ended
        else:
            if not self.settings.in_period(response.answered_at.astimezone(VIETNAM_TZ).date()):
                return
            self.unmatched_responses += 1
            key = _NOWHERE
        for counts in self._tally.both(key):
            counts.add_response(response)

    def _recontacted(self, pending: _Pending) -> bool:
        window = self.settings.fcr_window.total_seconds()
        received_at, keys, topic, _ = pending
        for identifier in keys:
            times = self._receipts.get(_receipt(identifier, topic))
            if times is None:
                continue
            if type(times) is float:
                if received_at < times <= received_at + window:
                    return True
                continue
            assert isinstance(times, list)  # noqa: S101 - one time or a list of them
            index = bisect.bisect_right(times, received_at)
            if index < len(times) and times[index] <= received_at + window:
                return True
        return False

    def _decide(self, pending: _Pending, tally: _Tally) -> None:
        resolved = not self._recontacted(pending)
        for counts in tally.both(pending[3]):
            counts.fcr_eligible += 1
            counts.fcr_resolved += resolved

    def _prune(self) -> None:
        """Forget what can no longer change a figure (the log is read in time order).

        Each structure is kept in (about) time order and trimmed from its old end, so a prune
        costs what it removes, not what is kept.
        """
        self._settle()
        as_of = self.as_of
        if as_of is None:
            return
        if len(self._keys) > _MAX_SHARED_KEYS:
            self._keys.clear()  # the keys still in use stay in the records that hold them
        watermark = as_of.timestamp()
        window = self.settings.fcr_window.total_seconds()
        horizon = watermark - window - _SETTLE_SECONDS
        pending = self._pending
        while pending and pending[0][0] < horizon:
            self._decide(pending.popleft(), self._tally)
        cutoff = horizon - window
        for receipt in self._receipt_order.before(cutoff):
            times = self._receipts.get(receipt)
            if times is None:
                continue
            if type(times) is float:
                if times < cutoff:
                    del self._receipts[receipt]
                continue
            assert isinstance(times, list)  # noqa: S101 - one time or a list of them
            del times[: bisect.bisect_left(times, cutoff)]
            if not times:
                del self._receipts[receipt]
        for case_id in self._ended_order.before(watermark - _KEEP_ENDED_SECONDS):
            self._ended.pop(case_id, None)
            self._ended_seq.pop(case_id, None)
        unopened = watermark - _DAY  # an inquiry's case opens when it arrives
        for inquiry_id in self._inquiry_order.before(unopened):
            if inquiry_id not in self._refs:  # opened and ended, or never opened
                self._inquiries.pop(inquiry_id, None)

    def merge(self, other: KpiAccumulator) -> KpiAccumulator:
        """A new accumulator holding both; the two must cover different cases."""
        merged = KpiAccumulator(settings=self.settings)
        self._settle()
        other._settle()
        pending: list[_Pending] = []
        order: list[tuple[float, str]] = []
        ended: list[tuple[float, str]] = []
        arrivals: list[tuple[float, str]] = []
        for part in (self, other):
            merged.records += part.records
            merged.orphan_events += part.orphan_events
            merged.unmatched_responses += part.unmatched_responses
            merged._tally.absorb(part._tally)
            for step, (count, seconds) in part.step_stats().items():
                stats = merged._steps.setdefault(step, [0, 0.0])
                stats[0] += count
                stats[1] += seconds
            for day_channel, count in part._volume.items():
                merged._volume[day_channel] = merged._volume.get(day_channel, 0) + count
            merged._inquiries.update(part._inquiries)
            for inquiry_id, refs in part._refs.items():
                merged._refs[inquiry_id] = merged._refs.get(inquiry_id, 0) + refs
            ended.extend(part._ended_order.pairs())
            merged._ended.update(part._ended)
            merged._ended_seq.update(part._ended_seq)
            arrivals.extend(part._inquiry_order.pairs())
            pending.extend(part._pending)
            order.extend(part._receipt_order.pairs())
            for receipt, times in part._receipts.items():
                for moment in [times] if isinstance(times, float) else times:
                    merged._add_receipt(receipt, moment)
            part_as_of = part.as_of
            if part_as_of is not None:
                merged._later(part_as_of)
            for case_id, state in part._open.items():
                if case_id in merged._open:
                    message = f"both parts hold events of the open case {case_id!r}: split by case"
                    raise InvalidInputError(message)
                merged._open[case_id] = state
        merged._ended_order = _TimeOrder(sorted(ended))
        merged._inquiry_order = _TimeOrder(sorted(arrivals))
        merged._pending = deque(sorted(pending, key=lambda item: item[0]))
        merged._receipt_order = _TimeOrder(sorted(order))
        return merged

    def step_stats(self) -> StepStats:
        """(process, step) → [completions, total seconds] over the measured cases that ended."""
        self._settle()
        stats = {key: list(value) for key, value in self._steps.items()}
        for plan in self._plans.values():
            plan.add_steps(stats)
        return stats

    def _backlog(self) -> dict[_Key, dict[str, int]]:
        as_of = self.as_of
        if as_of is None or not self._open:
            return {}
        calendar = self.settings.calendar
        if calendar is None:
            calendar = _default_calendar()
        today = as_of.astimezone(VIETNAM_TZ).date()
        ages: dict[date, int] = {}
        buckets: dict[_Key, dict[str, int]] = {}
        for state in self._open.values():
            if not state.measured:
                continue
            state.close(self._plans, measured=False)
            day = datetime.fromtimestamp(state.received, VIETNAM_TZ).date()
            age = ages.get(day)
            if age is None:
                age = ages[day] = _working_days_between(calendar, day, today)
            label = next(name for name, upper in AGEING_BUCKETS if age <= upper)
            counts = buckets.setdefault(_key_of(state), {})
            counts[label] = counts.get(label, 0) + 1
        return buckets

    def report(self) -> KpiReport:
        """The KPI report for everything added so far (the accumulator is left unchanged)."""
        self._settle()
        tally = self._tally.copy()
        for pending in self._pending:
            self._decide(pending, tally)
        totals: dict[tuple[str, str], tuple[_Counts, dict[str, int]]] = {}

        def total(name: tuple[str, str]) -> tuple[_Counts, dict[str, int]]:
            found = totals.get(name)
            if found is None:
                found = totals[name] = (_Counts(), {})
            return found

        # added in the order of the keys, so that sums of times do not depend on the order in
        # which the groups first appeared (floating-point addition is not associative)
        for group, counts in sorted(tally.groups.items()):
            for name in zip(_DIMENSIONS, group, strict=True):
                total(name)[0].merge(counts)
        for day, counts in sorted(tally.days.items()):
            total(("day", day))[0].merge(counts)
            total(("all", ""))[0].merge(counts)
        total(("all", ""))[0].merge(tally.nowhere)
        for key, ageing in self._backlog().items():
            names = [*zip(_DIMENSIONS, key[:3], strict=True), ("day", key[3]), ("all", "")]
            for name in names:
                bucket = total(name)[1]
                for label, count in ageing.items():
                    bucket[label] = bucket.get(label, 0) + count
        figures = {
            name: value.figures(
                BacklogFigures(
                    open=sum(ageing.values()),
                    ageing={label: ageing.get(label, 0) for label, _ in AGEING_BUCKETS},
                )
            )
            for name, (value, ageing) in totals.items()
        }
        split: dict[str, dict[str, KpiFigures]] = {name: {} for name in (*_DIMENSIONS, "day")}
        for (dimension, group_name), value in sorted(figures.items()):
            if dimension in split:
                split[dimension][group_name] = value
        volume: dict[str, dict[str, int]] = {}
        for (day, channel), count in sorted(self._volume.items()):
            volume.setdefault(day, {})[channel] = count
        settings = self.settings
        return KpiReport(
            service_level_seconds=settings.service_level_seconds,
            short_abandon_seconds=settings.short_abandon_seconds,
            fcr_window_days=settings.fcr_window.total_seconds() / _DAY,
            period_start=settings.period_start,
            period_end=settings.period_end,
            as_of=self.as_of,
            records=self.records,
            orphan_events=self.orphan_events,
            unmatched_responses=self.unmatched_responses,
            overall=figures.get(("all", ""), KpiFigures()),
            by_channel=split["channel"],
            by_unit=split["unit"],
            by_kind=split["kind"],
            by_day=split["day"],
            by_step={
                f"{family}:{step}": StepFigures(
                    completions=int(count), mean_seconds=seconds / count
                )
                for (family, step), (count, seconds) in sorted(self.step_stats().items())
            },
            volume=volume,
        )


def _default_calendar() -> WorkingCalendar:
    from vss_care_core.calendar import vietnam_calendar  # noqa: PLC0415 - built only when needed

    return vietnam_calendar()


def _working_days_between(calendar: WorkingCalendar, start: date, end: date) -> int:
    """Working days after ``start`` up to ``end`` included (the legal way: day 0 not counted)."""
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        count += calendar.is_working_day(day)
        day += timedelta(days=1)
    return count


def compute_kpis(
    records: Iterable[LogRecord],
    *,
    settings: KpiSettings | None = None,
) -> KpiReport:
    """The KPI report over log records (inquiries, events and survey responses, in log order).

    A pure function of its input: the same records give the same report.
    """
    accumulator = KpiAccumulator(settings=settings or KpiSettings())
    return accumulator.add_all(records).report()
