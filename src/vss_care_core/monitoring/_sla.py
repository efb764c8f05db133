"""SLA compliance for the KPIs: each ended case judged by the SLA layer's rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from vss_care_core.calendar import WorkingCalendar, vietnam_calendar
from vss_care_core.errors import CareCoreError
from vss_care_core.models import Channel, Event, Inquiry, InquiryKind, Priority
from vss_care_core.models._event import Move, move_of
from vss_care_core.process import CALL_PROCESS, WRITTEN_PROCESS
from vss_care_core.process._case import stray_move
from vss_care_core.sla import SlaPolicy
from vss_care_core.sla._defaults import classified_kind, select_policy
from vss_care_core.sla._timers import _priority_at
from vss_care_core.sla._verdicts import EndedJudge, ShapePlan

__all__ = ["SlaJudge", "default_sla_judge"]

_PROCESSES = {definition.name: definition for definition in (CALL_PROCESS, WRITTEN_PROCESS)}
_OUTCOMES = {name: frozenset(d.outcome_codes) for name, d in _PROCESSES.items()}
_MAX_PLANS = 4096
_UNKNOWN = object()
Verdicts = tuple[tuple[str, bool], ...]
_PlanKey = tuple[str | None, str, str | None, str, tuple[Move, ...]]


class SlaJudge:
    """Judges the SLA targets of ended cases, for the SLA compliance KPI.

    ``judge(inquiry, events)`` gives ``(target name, met)`` for each target that
    :func:`~vss_care_core.sla.sla_status` shows met or breached at the moment of the last
    event, on ``calendar`` (the Vietnamese state-agency calendar by default), with the policy
    selected for the case from ``policies`` (the defaults by default) by process, channel,
    classified kind and priority.

    The log is taken as written by this library: a history's structure is checked as
    ``Case.replay(..., trusted=True)`` does (one case, numbered in order, never back in time,
    every move in the process's table), its guards are not run again and the case is not
    rebuilt. A history that does not follow its process, or names a process other than
    ``call`` and ``written``, is not judged (no verdicts).

    >>> from datetime import datetime, timedelta, UTC
    >>> from vss_care_core import open_case
    >>> from vss_care_core.testing import make_inquiry
    >>> start = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    >>> case = open_case(make_inquiry(channel="phone"), at=start, by="agent")
    >>> _ = case.complete("greet", at=start + timedelta(seconds=45), by="agent")
    >>> _ = case.fire("abandon", at=start + timedelta(minutes=1), by="agent")
    >>> SlaJudge()(case.inquiry, case.history)
    (('answer', False), ('handle', True))
    """

    __slots__ = ("_calendar", "_judges", "_plans", "_policies")

    def __init__(
        self,
        *,
        calendar: WorkingCalendar | None = None,
        policies: Sequence[SlaPolicy] | None = None,
    ) -> None:
        self._calendar = calendar if calendar is not None else vietnam_calendar()
        self._policies = tuple(policies) if policies is not None else None
        self._judges: dict[tuple[str, Channel, InquiryKind | None, Priority], EndedJudge] = {}
        self._plans: dict[_PlanKey, ShapePlan | object | None] = {}

    def __call__(self, inquiry: Inquiry, events: Sequence[Event]) -> Verdicts:
        if not events:
            return ()
        first = events[0]
        if any(
            event.case_id != first.case_id or event.seq != number
            for number, event in enumerate(events, start=1)
        ):
            return ()
        process = first.data.get("process") if first.data else None
        try:
            priority = _priority_at(inquiry.priority, events)
        except ValueError:
            return ()
        kind = classified_kind(inquiry.kind, events)
        return self.judge_moves(
            process=process if isinstance(process, str) else None,
            channel=inquiry.channel.value,
            kind=kind.value if kind is not None else None,
            priority=inquiry.priority.value,
            current_priority=priority.value,
            moves=tuple(map(move_of, events)),
            times=[event.at for event in events],
        )

    def judge_moves(
        self,
        *,
        process: str | None,
        channel: str,
        kind: str | None,
        priority: str,
        current_priority: str,
        moves: tuple[Move, ...],
        times: Sequence[datetime],
    ) -> Verdicts:
        """The verdicts of a history given as its moves and their times (one case, numbered in
        order: checked by the caller), with values as recorded: what the KPI accumulator keeps
        of a case.

        ``channel``, ``kind`` (the classified kind, or None) and ``priority`` (the inquiry's)
        select the policy; ``current_priority``, the one in force at the end, selects the
        limits. A value that is not a channel, kind or priority means no verdicts.
        """
        key = (process, channel, kind, priority, moves)
        plan = self._plans.get(key, _UNKNOWN)
        if plan is _UNKNOWN:
            plan = self._plan(process, channel, kind, priority, moves)
            if len(self._plans) < _MAX_PLANS:
                self._plans[key] = plan
        if plan is None or (len(times) > 1 and times != sorted(times)):
            return ()
        assert isinstance(plan, ShapePlan)  # noqa: S101 - the sentinel is handled above
        try:
            return plan.verdicts(times, current_priority)
        except (CareCoreError, ValueError):
            return ()

    def _plan(
        self,
        process: str | None,
        channel: str,
        kind: str | None,
        priority: str,
        moves: tuple[Move, ...],
    ) -> ShapePlan | None:
        """The plan for one selector and shape; None when such a history is not judged."""
        definition = _PROCESSES.get(process or "")
        if definition is None or not moves or stray_move(definition, moves) is not None:
            return None
        try:
            selector = (definition.name, Channel(channel), _kind(kind), Priority(priority))
            judge = self._judges.get(selector)
            if judge is None:
                policy = select_policy(
                    process=definition.name,
                    channel=selector[1],
                    kind=selector[2],
                    priority=selector[3],
                    policies=self._policies,
                )
                judge = EndedJudge(
                    policy, calendar=self._calendar, outcomes=_OUTCOMES[definition.name]
                )
                self._judges[selector] = judge
        except (CareCoreError, ValueError):
            return None
        return judge.plan(moves)


def _kind(value: str | None) -> InquiryKind | None:
    return InquiryKind(value) if value is not None else None


def default_sla_judge(
    *,
    calendar: WorkingCalendar | None = None,
    policies: Sequence[SlaPolicy] | None = None,
) -> SlaJudge:
    """An :class:`SlaJudge` on ``calendar`` with ``policies`` (both defaulted)."""
    return SlaJudge(calendar=calendar, policies=policies)
