"""SLA clocks: targets with legal or assumed limits, policies that group them, timers per case.

:func:`sla_status` replays a case's events on a :class:`~vss_care_core.calendar.WorkingCalendar`
and returns one :class:`SlaTimer` per target of the case's :class:`SlaPolicy`: its state, its
deadline (pauses accounted), the warnings crossed and the next moment to look again.
"""

from vss_care_core.sla._defaults import (
    default_policies,
    default_policy_for,
    load_policies,
    policy_for_case,
    policy_named,
    select_policy,
)
from vss_care_core.sla._judge import SlaJudge, SlaJudgement, default_sla_judge
from vss_care_core.sla._policy import ASSUMED, Limit, LimitUnit, SlaPolicy, SlaTarget
from vss_care_core.sla._timers import SlaState, SlaTimer, sla_status
from vss_care_core.sla._units import (
    UnitCalendars,
    UnitDirectory,
    UnitInfo,
    UnitTime,
    standard_calendars,
)

__all__ = [
    "ASSUMED",
    "Limit",
    "LimitUnit",
    "SlaJudge",
    "SlaJudgement",
    "SlaPolicy",
    "SlaState",
    "SlaTarget",
    "SlaTimer",
    "UnitCalendars",
    "UnitDirectory",
    "UnitInfo",
    "UnitTime",
    "default_policies",
    "default_policy_for",
    "default_sla_judge",
    "load_policies",
    "policy_for_case",
    "policy_named",
    "select_policy",
    "sla_status",
    "standard_calendars",
]
