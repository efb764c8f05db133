"""KPIs from the event stream: a mergeable accumulator and the functions over it.

The accumulator is split by concern:

- :class:`_Counts`: the additive counters of one group of cases (merging two is adding them);
- :class:`_FirstContact`: first-contact resolution, decided once the re-contact window closed;
- :class:`_Memory`: what is kept of inquiries and ended cases so that later records of the
  log can be understood (a reopen, a late survey answer, an escalated call's follow-up), and
  forgotten in time order once it can no longer change a figure;
- :class:`KpiAccumulator`: reads records, follows open cases, and makes the report.
"""

from __future__ import annotations

import bisect
import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Literal, NamedTuple

from ddsketch import DDSketch

from vss_care_core.errors import InvalidInputError
from vss_care_core.models import (
    VIETNAM_TZ,
    Channel,
    Event,
    Inquiry,
    InquiryKind,
    Priority,
    ProcessFamily,
)
from vss_care_core.monitoring._decode import EventFields
from vss_care_core.monitoring._eventlog import EventLogReader, LogRecord
from vss_care_core.monitoring._facts import (
    Arrival,
    GroupKey,
    OpenCase,
    Period,
    Shapes,
    TimeFacts,
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
from vss_care_core.monitoring._table import CaseFact
from vss_care_core.process import STANDARD_PROCESSES, MoveSummary, ProcessDefinition
from vss_care_core.sla import SlaJudge, SlaJudgement, UnitCalendars

if TYPE_CHECKING:
    from vss_care_core.calendar import WorkingCalendar

__all__ = ["KpiAccumulator", "KpiSettings", "compute_kpis"]

_DAY = 86_400.0
_SETTLE_SECONDS = 14 * _DAY
"""How long after a case ends a re-contact can still be recognised (its case must end too)."""
_KEEP_ENDED_SECONDS = 30 * _DAY
"""How long a case that ended is remembered: for reopens and late survey answers."""
_PRUNE_EVERY = 4096
_NOT_IN_ORDER = "events missing, repeated or out of time order"

PERCENTILE_ACCURACY = 0.01
"""The relative accuracy of the reported percentiles: a reported value ``v`` of a percentile
whose exact value is ``x`` satisfies ``|v - x| <= 0.01 * x`` (the guarantee of a DDSketch),
whether it comes from one log or from partial accumulators merged."""
PERCENTILES = (("p50", 0.50), ("p90", 0.90), ("p95", 0.95))
_DURATIONS = ("wait", "handle", "written_answer")


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
    case: by default an :class:`~vss_care_core.sla.SlaJudge` with the default policies on
    ``calendar`` (``None``: no SLA figures). ``units`` (a
    :class:`~vss_care_core.sla.UnitCalendars`) gives that default judge each unit's calendar
    and level, as for :func:`~vss_care_core.sla.sla_status`: a clock counted in opening hours
    runs on the calendar of the unit holding the case (a judge given as ``sla`` brings its
    own). ``processes`` are the process definitions the log may name besides the two standard
    ones (a case of an unknown process is counted as an orphan).
    """

    service_level_seconds: float = 20.0
    short_abandon_seconds: float = 5.0
    fcr_window: timedelta = timedelta(days=7)
    period_start: date | None = None
    period_end: date | None = None
    calendar: WorkingCalendar | None = None
    sla: SlaJudge | Literal["default"] | None = "default"
    processes: tuple[ProcessDefinition, ...] = ()
    units: UnitCalendars | None = None

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
        if (
            self.units is not None
            and isinstance(self.sla, SlaJudge)
            and self.sla.units is not self.units
        ):
            problems.append(
                "units= is given to the default judge only: give the units to the judge "
                "instead (SlaJudge(units=...)), or leave sla= out"
            )
        if problems:
            raise InvalidInputError("KPI settings are not valid: " + "; ".join(problems))
        object.__setattr__(self, "processes", tuple(self.processes))
        if self.sla == "default":
            judge = SlaJudge(calendar=self.calendar, processes=self.processes, units=self.units)
            object.__setattr__(self, "sla", judge)

    @property
    def judge(self) -> SlaJudge | None:
        """The SLA judge in use (None: no SLA figures)."""
        return self.sla if isinstance(self.sla, SlaJudge) else None

    def in_period(self, day: date) -> bool:
        """True when a case opened on local date ``day`` is measured."""
        return self.period.includes(day)

    @property
    def period(self) -> Period:
        """The measured period of opening dates."""
        return Period(self.period_start, self.period_end)

    def process_named(self, name: str) -> ProcessDefinition | None:
        """The definition the log's ``name`` refers to: one of ``processes``, else a standard
        one; None when neither has it."""
        for definition in (*self.processes, *STANDARD_PROCESSES):
            if definition.name == name:
                return definition
        return None


class _Counts:
    """Additive counters for one group of cases; merging two is adding them."""

    _NUMBERS = (
        "ended",
        "calls_offered",
        "calls_answered",
        "answered_within",
        "queue_abandons",
        "short_abandons",
        "dropped_calls",
        "wait_sum",
        "handle_sum",
        "fcr_eligible",
        "fcr_resolved",
        "transfers",
        "escalations",
        "requests_for_info",
        "returned_drafts",
        "written_answered",
        "reopens",
        "master_answers",
        "knowledge_suggested",
        "knowledge_used",
        "responses",
        "satisfied",
    )
    _TABLES = (
        "outcomes",
        "sla_met",
        "sla_breached",
        "sla_not_judged",
        "factor_sums",
        "factor_counts",
    )

    def __init__(self) -> None:
        self.durations: dict[str, DDSketch] = {}
        """A quantile sketch of each duration (see :data:`PERCENTILE_ACCURACY`)."""
        self.ended = self.calls_offered = self.calls_answered = self.answered_within = 0
        self.queue_abandons = self.short_abandons = self.dropped_calls = 0
        self.wait_sum = self.handle_sum = 0.0
        self.fcr_eligible = self.fcr_resolved = 0
        self.transfers = self.escalations = self.requests_for_info = self.returned_drafts = 0
        self.written_answered = self.reopens = self.responses = self.satisfied = 0
        self.master_answers = 0
        self.knowledge_suggested = self.knowledge_used = 0
        self.outcomes: dict[str, int] = {}
        self.sla_met: dict[str, int] = {}
        self.sla_breached: dict[str, int] = {}
        self.sla_not_judged: dict[str, int] = {}
        self.factor_sums: dict[str, int] = {}
        self.factor_counts: dict[str, int] = {}

    def add_case(
        self,
        summary: MoveSummary,
        times: TimeFacts,
        settings: KpiSettings,
        judgement: SlaJudgement | None,
        *,
        from_master: bool = False,
        knowledge: bool | None = None,
    ) -> None:
        self.ended += 1
        self.master_answers += from_master and summary.resolved
        if knowledge is not None and summary.resolved:
            self.knowledge_suggested += 1
            self.knowledge_used += knowledge
        outcome = summary.outcome or "?"
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1
        if summary.family is ProcessFamily.CALL:
            self.calls_offered += 1
            if summary.answered_index is not None:
                self.calls_answered += 1
                self.wait_sum += times.wait
                self.answered_within += times.wait <= settings.service_level_seconds
                self.handle_sum += times.handle
                self._sketch("wait").add(times.wait)
                self._sketch("handle").add(times.handle)
            if summary.abandoned_before_answer:
                self.queue_abandons += 1
                self.short_abandons += times.wait <= settings.short_abandon_seconds
            self.dropped_calls += summary.abandoned_after_answer
        elif summary.resolved:
            self.written_answered += 1
            self._sketch("written_answer").add(max(times.ended - times.received, 0.0))
        self.transfers += summary.transferred
        self.escalations += summary.escalated
        self.requests_for_info += summary.requests_for_info
        self.returned_drafts += summary.returned_drafts
        if judgement is not None:
            for name, met in judgement.verdicts:
                table = self.sla_met if met else self.sla_breached
                table[name] = table.get(name, 0) + 1
            if judgement.not_judged is not None:
                reason = judgement.not_judged
                self.sla_not_judged[reason] = self.sla_not_judged.get(reason, 0) + 1

    def _sketch(self, name: str) -> DDSketch:
        sketch = self.durations.get(name)
        if sketch is None:
            sketch = self.durations[name] = DDSketch(relative_accuracy=PERCENTILE_ACCURACY)
        return sketch

    def add_response(self, response: SatisfactionResponse) -> None:
        self.responses += 1
        self.satisfied += response.is_satisfied
        for name, score in response.factor_scores().items():
            self.factor_sums[name] = self.factor_sums.get(name, 0) + score
            self.factor_counts[name] = self.factor_counts.get(name, 0) + 1

    def merge(self, other: _Counts) -> None:
        for name in self._NUMBERS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in self._TABLES:
            mine: dict[str, int] = getattr(self, name)
            for key, value in getattr(other, name).items():
                mine[key] = mine.get(key, 0) + value
        for name, sketch in other.durations.items():
            self._sketch(name).merge(sketch)

    def figures(self, backlog: BacklogFigures) -> KpiFigures:
        answered = self.calls_answered
        counted_abandons = self.queue_abandons - self.short_abandons
        sl_base = answered + counted_abandons
        offered = self.calls_offered - self.short_abandons
        targets = sorted(set(self.sla_met) | set(self.sla_breached))
        return KpiFigures(
            ended=self.ended,
            outcomes=dict(sorted(self.outcomes.items())),
            calls_offered=self.calls_offered,
            calls_answered=answered,
            answered_within_threshold=self.answered_within,
            queue_abandons=self.queue_abandons,
            short_abandons=self.short_abandons,
            dropped_calls=self.dropped_calls,
            service_level=self.answered_within / sl_base if sl_base else None,
            average_speed_of_answer=self.wait_sum / answered if answered else None,
            abandonment_rate=counted_abandons / offered if offered else None,
            average_handle_time=self.handle_sum / answered if answered else None,
            fcr_eligible=self.fcr_eligible,
            fcr_resolved=self.fcr_resolved,
            first_contact_resolution=(
                self.fcr_resolved / self.fcr_eligible if self.fcr_eligible else None
            ),
            transfers=self.transfers,
            escalations=self.escalations,
            requests_for_info=self.requests_for_info,
            returned_drafts=self.returned_drafts,
            written_answered=self.written_answered,
            reopens=self.reopens,
            reopen_rate=self.reopens / self.written_answered if self.written_answered else None,
            master_answers=self.master_answers,
            knowledge_suggested=self.knowledge_suggested,
            knowledge_share=(
                self.knowledge_used / self.knowledge_suggested if self.knowledge_suggested else None
            ),
            sla={
                name: SlaFigures(
                    met=self.sla_met.get(name, 0), breached=self.sla_breached.get(name, 0)
                )
                for name in targets
            },
            sla_not_judged=dict(sorted(self.sla_not_judged.items())),
            percentiles={
                name: {
                    label: float(sketch.get_quantile_value(q) or 0.0) for label, q in PERCENTILES
                }
                for name in _DURATIONS
                if (sketch := self.durations.get(name)) is not None and sketch.count
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


_NOWHERE = GroupKey(channel="", unit="", kind="", day="")
"""The group of survey responses whose case is unknown: counted in the overall figures only."""
_DIMENSIONS = ("channel", "unit", "kind")


@dataclass(slots=True)
class _Tally:
    """Counts by (channel, unit, kind) and by day; a case adds to one of each."""

    groups: dict[tuple[str, str, str], _Counts] = field(default_factory=dict)
    days: dict[str, _Counts] = field(default_factory=dict)
    nowhere: _Counts = field(default_factory=_Counts)

    def counts_of(self, key: GroupKey) -> tuple[_Counts, ...]:
        """The counters a case of group ``key`` adds to."""
        if key == _NOWHERE:
            return (self.nowhere,)
        name = (key.channel, key.unit, key.kind)
        group = self.groups.get(name)
        if group is None:
            group = self.groups[name] = _Counts()
        day = self.days.get(key.day)
        if day is None:
            day = self.days[key.day] = _Counts()
        return group, day

    def absorb(self, other: _Tally) -> None:
        for name, counts in other.groups.items():
            self.groups.setdefault(name, _Counts()).merge(counts)
        for day, counts in other.days.items():
            self.days.setdefault(day, _Counts()).merge(counts)
        self.nowhere.merge(other.nowhere)


@dataclass(slots=True)
class _StepTotal:
    """How often a step was completed, and the time it took in all."""

    completions: int = 0
    seconds: float = 0.0


class _Pending(NamedTuple):
    """A case resolved at first contact unless its requester asks again on the same topic."""

    received: float
    keys: tuple[str, ...]
    topic: str
    group: GroupKey


class _Noted(NamedTuple):
    """A name (case id, inquiry id, receipt) noted at a time, to forget it in time order."""

    at: float
    name: str


class _Receipt(NamedTuple):
    """A requester (by one identifier) asking about a topic at a time."""

    at: float
    identifier: str
    topic: str


class _FirstContact:
    """First-contact resolution: when each requester asked about each topic, and the cases
    whose resolution waits for the re-contact window to close."""

    def __init__(self, window: timedelta) -> None:
        self.window = window.total_seconds()
        self.receipts: dict[tuple[str, str], list[float]] = {}
        """Times (sorted) each (requester identifier, topic) was received."""
        self.receipt_order: deque[_Receipt] = deque()
        self.pending: deque[_Pending] = deque()

    def receive(self, keys: Sequence[str], topic: str, received: float) -> None:
        for identifier in keys:
            bisect.insort(self.receipts.setdefault((identifier, topic), []), received)
            self.receipt_order.append(_Receipt(received, identifier, topic))

    def recontacted(self, pending: _Pending) -> bool:
        for identifier in pending.keys:
            times = self.receipts.get((identifier, pending.topic))
            if not times:
                continue
            index = bisect.bisect_right(times, pending.received)
            if index < len(times) and times[index] <= pending.received + self.window:
                return True
        return False

    def decide(self, pending: _Pending, tally: _Tally) -> None:
        resolved = not self.recontacted(pending)
        for counts in tally.counts_of(pending.group):
            counts.fcr_eligible += 1
            counts.fcr_resolved += resolved

    def settle(self, watermark: float, tally: _Tally) -> None:
        """Decide the cases whose window closed before ``watermark``; forget old receipts."""
        horizon = watermark - self.window - _SETTLE_SECONDS
        while self.pending and self.pending[0].received < horizon:
            self.decide(self.pending.popleft(), tally)
        cutoff = horizon - self.window
        while self.receipt_order and self.receipt_order[0].at < cutoff:
            receipt = self.receipt_order.popleft()
            key = (receipt.identifier, receipt.topic)
            times = self.receipts.get(key)
            if times is None:
                continue
            del times[: bisect.bisect_left(times, cutoff)]
            if not times:
                del self.receipts[key]

    def absorb(self, other: _FirstContact) -> None:
        for key, times in other.receipts.items():
            for moment in times:
                bisect.insort(self.receipts.setdefault(key, []), moment)
        self.receipt_order = deque(sorted([*self.receipt_order, *other.receipt_order]))
        self.pending = deque(sorted([*self.pending, *other.pending], key=lambda p: p.received))


@dataclass(slots=True)
class _Ended:
    """What is remembered of a case that ended: its group (None when not measured), its last
    ``seq`` and the actions that reopen it."""

    group: GroupKey | None
    last_seq: int
    reopen_actions: frozenset[str]


class _Memory:
    """Inquiries waiting for their case, and cases that ended recently; forgotten in time
    order once they can no longer change a figure."""

    def __init__(self) -> None:
        self.inquiries: dict[str, Arrival] = {}
        self.inquiry_order: deque[_Noted] = deque()
        self.open_refs: dict[str, int] = {}
        """How many open cases each inquiry has."""
        self.ended: dict[str, _Ended] = {}
        self.ended_order: deque[_Noted] = deque()

    def arrive(self, arrival: Arrival) -> None:
        self.inquiries[arrival.id] = arrival
        self.inquiry_order.append(_Noted(arrival.received_at.timestamp(), arrival.id))

    def opened(self, inquiry_id: str) -> None:
        self.open_refs[inquiry_id] = self.open_refs.get(inquiry_id, 0) + 1

    def release(self, inquiry_id: str, *, keep: bool, at: float) -> None:
        """A case of the inquiry ended; ``keep`` it for a follow-up case that opens next."""
        refs = self.open_refs.get(inquiry_id, 1) - 1
        if refs > 0:
            self.open_refs[inquiry_id] = refs
            return
        self.open_refs.pop(inquiry_id, None)
        if keep:
            self.inquiry_order.append(_Noted(at, inquiry_id))
        else:
            self.inquiries.pop(inquiry_id, None)

    def end(self, case_id: str, ended: _Ended, at: float) -> None:
        self.ended[case_id] = ended
        self.ended_order.append(_Noted(at, case_id))

    def forget(self, watermark: float) -> None:
        while self.ended_order and self.ended_order[0].at < watermark - _KEEP_ENDED_SECONDS:
            self.ended.pop(self.ended_order.popleft().name, None)
        unopened = watermark - _DAY  # an inquiry's case opens when it arrives
        while self.inquiry_order and self.inquiry_order[0].at < unopened:
            inquiry_id = self.inquiry_order.popleft().name
            if inquiry_id not in self.open_refs:  # opened and ended, or never opened
                self.inquiries.pop(inquiry_id, None)

    def absorb(self, other: _Memory) -> None:
        self.inquiries.update(other.inquiries)
        for inquiry_id, refs in other.open_refs.items():
            self.open_refs[inquiry_id] = self.open_refs.get(inquiry_id, 0) + refs
        self.ended.update(other.ended)
        self.inquiry_order = deque(sorted([*self.inquiry_order, *other.inquiry_order]))
        self.ended_order = deque(sorted([*self.ended_order, *other.ended_order]))


def _inquiry_key(event: Event | EventFields) -> str:
    for name in ("inquiry_id", "inquiry"):
        value = event.data.get(name)
        if isinstance(value, str) and value:
            return value
    return event.case_id


class KpiAccumulator:
    """Reads log records one at a time and keeps what the KPIs need; mergeable.

    Each case is kept in a compact form while it is open (its moves, their times, the facts of
    its events' data) and counted when it ends; memory is bounded by the cases still open, plus
    a few figures per case that ended in the last weeks (for re-contacts, reopens and late
    survey responses), not by the length of the log. Feed it the records of a log in the order
    they were written (:meth:`add`), or all at once (:meth:`add_all`, :func:`compute_kpis`);
    :meth:`merge` combines accumulators built over parts of a log that each hold whole cases,
    so that a report over a log equals the report over its parts merged.

    ``on_case``, if given, is called with the :class:`~vss_care_core.monitoring.CaseFact` of
    each measured case when it ends (the rows of the facts table);
    :meth:`open_case_facts` gives those of the cases still open.
    """

    def __init__(
        self,
        *,
        settings: KpiSettings | None = None,
        on_case: Callable[[CaseFact], None] | None = None,
    ) -> None:
        self.settings = settings if settings is not None else KpiSettings()
        self._on_case = on_case
        self.records = 0
        """Records read."""
        self.orphan_events = 0
        """Events of no known case (no opening, or an opening for an unknown inquiry or
        process)."""
        self.unmatched_responses = 0
        """Survey responses of no known case."""
        self._tally = _Tally()
        self._steps: dict[tuple[str, str], _StepTotal] = {}
        """(process, step) → [completions, total seconds], over measured ended cases."""
        self._volume: dict[tuple[str, str], int] = {}
        self._open: dict[str, OpenCase] = {}
        self._memory = _Memory()
        self._first_contact = _FirstContact(self.settings.fcr_window)
        self._shapes = Shapes()
        self._responses: set[str] = set()
        """The ids of the survey responses counted (a response delivered twice counts once)."""
        self._as_of: datetime | None = None
        self._period = self.settings.period
        """The measured period of opening dates, worked out once."""

    def __repr__(self) -> str:
        return f"KpiAccumulator(records={self.records}, open_cases={len(self._open)})"

    @property
    def as_of(self) -> datetime | None:
        """The latest moment seen in the log: the backlog is measured then."""
        return self._as_of

    def add(self, record: LogRecord) -> None:
        """Take one record of the log into account."""
        self._take(record)

    def _take(self, record: LogRecord | EventFields) -> None:
        if isinstance(record, EventFields | Event):
            self._add_event(record)
        elif isinstance(record, Inquiry):
            self._memory.arrive(Arrival.of(record))
        elif isinstance(record, SatisfactionResponse):
            self._add_response(record)
        else:
            message = f"a KPI accumulator takes log records, not {type(record).__name__}"
            raise InvalidInputError(message)
        self.records += 1
        if self.records % _PRUNE_EVERY == 0:
            self._prune()

    def add_all(self, records: Iterable[LogRecord]) -> KpiAccumulator:
        """Add every record of ``records``; return the accumulator itself.

        From an :class:`~vss_care_core.monitoring.EventLogReader`, the events are taken as
        their checked fields (:meth:`~vss_care_core.monitoring.EventLogReader.checked_records`):
        the same figures, without building an event per line.
        """
        taken = records.checked_records() if isinstance(records, EventLogReader) else records
        for record in taken:
            self._take(record)
        return self

    def _add_event(self, event: Event | EventFields) -> None:
        if self._as_of is None or event.at > self._as_of:
            self._as_of = event.at
        case = self._open.get(event.case_id)
        if case is not None:
            if case.follow(event):
                self._end(case)
        elif event.action == "open":
            self._open_case(event)
        elif event.case_id in self._memory.ended:
            self._after_end(event)
        else:
            self.orphan_events += 1

    def _open_case(self, event: Event | EventFields) -> None:
        arrival = self._memory.inquiries.get(_inquiry_key(event))
        named = event.data.get("process")
        definition = self.settings.process_named(named) if isinstance(named, str) else None
        if arrival is None or definition is None:
            self.orphan_events += 1
            return
        root = self._shapes.root(definition)
        case = OpenCase.opened(event, arrival, root, period=self._period)
        self._open[event.case_id] = case
        self._memory.opened(arrival.id)
        if case.measured:
            key = (case.opened_on.isoformat(), case.channel)
            self._volume[key] = self._volume.get(key, 0) + 1

    def _after_end(self, event: Event | EventFields) -> None:
        ended = self._memory.ended[event.case_id]
        if event.seq <= ended.last_seq:
            return  # delivered again: already counted
        ended.last_seq = event.seq
        if event.action in ended.reopen_actions and ended.group is not None:
            for counts in self._tally.counts_of(ended.group):
                counts.reopens += 1
        # other moves after a reopen: the case was measured when it first ended

    def _end(self, case: OpenCase) -> None:
        """Count a case that ended, and remember what later records may ask about it."""
        del self._open[case.case_id]
        definition = case.definition
        summary = case.shape.summary
        times = case.time_facts(summary)
        group = case.group
        self._memory.end(
            case.case_id,
            _Ended(
                group=group if case.measured else None,
                last_seq=case.last_seq,
                reopen_actions=definition.actions_tagged("reopen"),
            ),
            times.ended,
        )
        self._memory.release(case.arrival.id, keep=summary.escalated, at=times.ended)
        topic, keys = case.topic, case.arrival.keys
        if topic is not None and keys:
            self._first_contact.receive(keys, topic, times.received)
        if not case.measured:
            return
        for index, step in summary.completions:
            totals = self._steps.get((definition.name, step))
            if totals is None:
                totals = self._steps[definition.name, step] = _StepTotal()
            totals.completions += 1
            totals.seconds += (case.times[index] - case.times[index - 1]).total_seconds()
        judgement = self._judge(case, summary)
        if self._on_case is not None:
            self._on_case(CaseFact.ended(case, summary, times, judgement))
        counted = self._tally.counts_of(group)
        for counts in counted:
            counts.add_case(
                summary,
                times,
                self.settings,
                judgement,
                from_master=case.from_master,
                knowledge=case.knowledge,
            )
        if not summary.handled:
            return
        if not summary.first_contact_candidate or topic is None or not keys:
            resolved = summary.first_contact_candidate  # nobody to recognise again
            for counts in counted:
                counts.fcr_eligible += 1
                counts.fcr_resolved += resolved
        else:
            self._first_contact.pending.append(_Pending(times.received, keys, topic, group))

    def _judge(self, case: OpenCase, summary: MoveSummary) -> SlaJudgement | None:
        judge = self.settings.judge
        if judge is None:
            return None
        if not case.whole:
            return SlaJudgement(not_judged=_NOT_IN_ORDER)
        arrival = case.arrival
        kind = case.kind
        return judge.judge(
            definition=case.definition,
            channel=Channel(arrival.channel),
            kind=InquiryKind(kind) if kind is not None else None,
            opening_priority=Priority(arrival.priority),
            priority=case.facts.priority or Priority(arrival.priority),
            moves=case.moves,
            times=case.times,
            held=case.held,
        )

    def _add_response(self, response: SatisfactionResponse) -> None:
        if response.id in self._responses:
            return  # delivered again: counted once
        self._responses.add(response.id)
        case = self._open.get(response.case_id)
        ended = self._memory.ended.get(response.case_id)
        if case is not None:
            if not case.measured:
                return
            key = case.group
        elif ended is not None:
            if ended.group is None:
                return  # not measured
            key = ended.group
        else:
            if not self._period.includes(response.answered_at.astimezone(VIETNAM_TZ).date()):
                return
            self.unmatched_responses += 1
            key = _NOWHERE
        for counts in self._tally.counts_of(key):
            counts.add_response(response)

    def _prune(self) -> None:
        """Forget what can no longer change a figure (the log is read in time order)."""
        if self._as_of is None:
            return
        watermark = self._as_of.timestamp()
        self._first_contact.settle(watermark, self._tally)
        self._memory.forget(watermark)

    def merge(self, other: KpiAccumulator) -> KpiAccumulator:
        """A new accumulator holding both; the two must cover different cases."""
        merged = KpiAccumulator(settings=self.settings)
        for part in (self, other):
            merged.records += part.records
            merged.orphan_events += part.orphan_events
            merged.unmatched_responses += part.unmatched_responses
            merged._tally.absorb(part._tally)
            for step, part_totals in part._steps.items():
                totals = merged._steps.setdefault(step, _StepTotal())
                totals.completions += part_totals.completions
                totals.seconds += part_totals.seconds
            for day_channel, count in part._volume.items():
                merged._volume[day_channel] = merged._volume.get(day_channel, 0) + count
            merged._memory.absorb(part._memory)
            merged._first_contact.absorb(part._first_contact)
            merged._responses |= part._responses
            if part._as_of is not None and (merged._as_of is None or part._as_of > merged._as_of):
                merged._as_of = part._as_of
            for case_id, case in part._open.items():
                if case_id in merged._open:
                    message = f"both parts hold events of the open case {case_id!r}: split by case"
                    raise InvalidInputError(message)
                merged._open[case_id] = case
        return merged

    def save_state(self) -> str:
        """The accumulator's state as a versioned JSON document (``vss-care-kpi-state/1``).

        :meth:`from_state` reads it back: continued with the rest of the log, or merged with
        the states of other parts (each holding whole cases), it gives the report of one
        pass. Requesters appear only as digests of their identifiers.
        """
        from vss_care_core.monitoring._state import dump_state  # noqa: PLC0415 - a cycle

        return json.dumps(dump_state(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_state(
        cls, document: str | bytes, *, settings: KpiSettings | None = None
    ) -> KpiAccumulator:
        """The accumulator a :meth:`save_state` document describes, with ``settings`` (the
        thresholds, window and period must be those it was saved with; a state of another
        version is refused)."""
        from vss_care_core.monitoring._state import load_state  # noqa: PLC0415 - a cycle

        try:
            parsed = json.loads(document)
        except ValueError as error:
            message = f"a KPI state must be a JSON document, as save_state() writes it ({error})"
            raise InvalidInputError(message) from None
        if not isinstance(parsed, dict):
            message = "a KPI state must be a JSON object, as save_state() writes it"
            raise InvalidInputError(message)
        try:
            return load_state(parsed, settings=settings)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            if isinstance(error, InvalidInputError):
                raise
            message = (
                f"the KPI state is incomplete or damaged ({type(error).__name__}): "
                "use a document written by save_state()"
            )
            raise InvalidInputError(message) from None

    def open_case_facts(self) -> Iterator[CaseFact]:
        """The facts-table rows of the measured cases still open."""
        for case in self._open.values():
            if case.measured:
                yield CaseFact.still_open(case)

    def step_stats(self) -> dict[tuple[str, str], list[float]]:
        """(process, step) → [completions, total seconds] over the measured cases that ended."""
        return {key: [total.completions, total.seconds] for key, total in self._steps.items()}

    def _backlog(self) -> Iterator[tuple[GroupKey, str]]:
        """The group and ageing bucket of each measured open case."""
        if self._as_of is None:
            return
        calendar = self.settings.calendar
        if calendar is None:
            calendar = _default_calendar()
        today = self._as_of.astimezone(VIETNAM_TZ).date()
        ages: dict[date, int] = {}
        for case in self._open.values():
            if not case.measured:
                continue
            received = min(case.arrival.received_at, case.times[0])
            day = received.astimezone(VIETNAM_TZ).date()
            if day not in ages:
                ages[day] = _working_days_between(calendar, day, today)
            label = next(name for name, upper in AGEING_BUCKETS if ages[day] <= upper)
            yield case.group, label

    def report(self) -> KpiReport:
        """The KPI report for everything added so far (the accumulator is left unchanged)."""
        # the cases whose first contact waits for its window, decided as of now apart: the
        # accumulator's own counts are read, not copied
        decided = _Tally()
        for pending in self._first_contact.pending:
            self._first_contact.decide(pending, decided)
        totals: dict[tuple[str, str], _Counts] = {}
        ageing: dict[tuple[str, str], dict[str, int]] = {}
        # added in the order of the keys, so that sums of times do not depend on the order in
        # which the groups first appeared (floating-point addition is not associative); the
        # decisions hold counts only
        for tally in (self._tally, decided):
            for group, counts in sorted(tally.groups.items()):
                for name in zip(_DIMENSIONS, group, strict=True):
                    _total(totals, name).merge(counts)
            for day, counts in sorted(tally.days.items()):
                _total(totals, ("day", day)).merge(counts)
                _total(totals, ("all", "")).merge(counts)
            _total(totals, ("all", "")).merge(tally.nowhere)
        for key, label in self._backlog():
            names = [*zip(_DIMENSIONS, key[:3], strict=True), ("day", key.day), ("all", "")]
            for name in names:
                totals.setdefault(name, _Counts())
                bucket = ageing.setdefault(name, {})
                bucket[label] = bucket.get(label, 0) + 1
        figures = {
            name: counts.figures(_backlog_figures(ageing.get(name, {})))
            for name, counts in totals.items()
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
            as_of=self._as_of,
            records=self.records,
            orphan_events=self.orphan_events,
            unmatched_responses=self.unmatched_responses,
            overall=figures.get(("all", ""), KpiFigures()),
            by_channel=split["channel"],
            by_unit=split["unit"],
            by_kind=split["kind"],
            by_day=split["day"],
            by_step={
                f"{process}:{step}": StepFigures(
                    completions=self._steps[process, step].completions,
                    mean_seconds=(
                        self._steps[process, step].seconds / self._steps[process, step].completions
                    ),
                )
                for process, step in sorted(self._steps)
            },
            volume=volume,
        )


def _total(totals: dict[tuple[str, str], _Counts], name: tuple[str, str]) -> _Counts:
    """The counts of ``name`` (a dimension and a group) in ``totals``, made when first asked."""
    counts = totals.get(name)
    if counts is None:
        counts = totals[name] = _Counts()
    return counts


def _backlog_figures(ageing: dict[str, int]) -> BacklogFigures:
    return BacklogFigures(
        open=sum(ageing.values()),
        ageing={label: ageing.get(label, 0) for label, _ in AGEING_BUCKETS},
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
    return KpiAccumulator(settings=settings).add_all(records).report()
