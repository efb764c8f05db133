"""SLA compliance for the KPIs: each ended case judged by the SLA layer."""

from __future__ import annotations

from collections.abc import Sequence

from vss_care_core.calendar import WorkingCalendar, vietnam_calendar
from vss_care_core.errors import CareCoreError
from vss_care_core.models import Event, Inquiry
from vss_care_core.monitoring._facts import SlaJudge
from vss_care_core.process import Case
from vss_care_core.sla import SlaState, sla_status

__all__ = ["default_sla_judge"]

_JUDGED = (SlaState.MET, SlaState.BREACHED)


def default_sla_judge(*, calendar: WorkingCalendar | None = None) -> SlaJudge:
    """A judge that rebuilds each ended case and reads its timers with :func:`sla_status`.

    Each case gets the default policy selected for it (by channel, kind and priority) on
    ``calendar`` (the Vietnamese state-agency calendar by default), read when the case ended.
    The log is taken as written by this library: each history is rebuilt with
    ``Case.replay(..., trusted=True)`` (its structure checked, its guards not run again). A
    history the process refuses to replay is not judged.
    """
    chosen = calendar if calendar is not None else vietnam_calendar()

    def judge(inquiry: Inquiry, events: Sequence[Event]) -> tuple[tuple[str, bool], ...]:
        try:
            case = Case.replay(inquiry, events, trusted=True)
            timers = sla_status(case, at=events[-1].at, calendar=chosen)
        except (CareCoreError, ValueError):
            return ()
        return tuple(
            (timer.name, timer.state is SlaState.MET) for timer in timers if timer.state in _JUDGED
        )

    return judge
