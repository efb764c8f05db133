"""The next alert of a case from its SLA clocks, for a store's ``next_alert_at`` column."""

from __future__ import annotations

from datetime import datetime

from vss_care_core.calendar import WorkingCalendar, vietnam_calendar
from vss_care_core.process import Case
from vss_care_core.sla import SlaPolicy, UnitCalendars, sla_status
from vss_care_core.store._contract import NextAlertRule

__all__ = ["sla_next_alert"]


def sla_next_alert(
    *,
    policy: SlaPolicy | None = None,
    calendar: WorkingCalendar | None = None,
    units: UnitCalendars | None = None,
) -> NextAlertRule:
    """The rule that gives a case's next alert from its SLA clocks.

    After each write, the store asks :func:`~vss_care_core.sla.sla_status` about the case at
    the moment of its last event and keeps the earliest ``next_alert_at`` of its timers: the
    next warning threshold or breach of a running clock (None when every clock is paused, met
    or breached). The clock is never read: the answer depends on the stored events only.
    ``policy`` defaults to each case's own policy, ``calendar`` to
    :func:`~vss_care_core.calendar.vietnam_calendar` (built once, here); ``units`` lets the
    unit holding each case decide its clocks (see :func:`~vss_care_core.sla.sla_status`).

    Once that moment has passed (the alert was raised), set the following one with
    :meth:`CaseStore.set_next_alert <vss_care_core.store.CaseStore.set_next_alert>`, e.g.
    from ``sla_status(case, at=now)``.
    """
    working = calendar if calendar is not None else vietnam_calendar()

    def next_alert(case: Case) -> datetime | None:
        moment = case.history[-1].at
        alerts = [
            timer.next_alert_at
            for timer in sla_status(case, at=moment, policy=policy, calendar=working, units=units)
            if timer.next_alert_at is not None
        ]
        return min(alerts, default=None)

    return next_alert
