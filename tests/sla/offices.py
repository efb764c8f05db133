"""Two offices that keep calendars of their own, and the SLA targets counted on them, for the
tests of clocks that run on the calendar of the unit holding a case (SLA and report alike)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from vss_care_core.calendar import vietnam_calendar
from vss_care_core.models import Answer
from vss_care_core.routing import Directory, OrgUnit, vss_directory
from vss_care_core.sla import SlaPolicy, SlaTarget, UnitCalendars, standard_calendars

VN = ZoneInfo("Asia/Ho_Chi_Minh")
H = timedelta(hours=1)
EARLY = vietnam_calendar(hours="07:30-11:30, 13:30-17:00", name="early")
"""Hà Nội's office in these tests opens at 7:30 and closes for lunch 11:30-13:30."""
SATURDAYS = vietnam_calendar(saturday_morning=True, name="saturdays")
"""Hồ Chí Minh City's office in these tests also opens on Saturday mornings (8:00-12:00)."""
HANOI = "BHXH-HA-NOI"
HCMC = "BHXH-TP-HO-CHI-MINH"
ANSWER = Answer(
    text="Lương hưu được tính theo số năm đóng bảo hiểm xã hội và mức bình quân tiền lương tháng "
    "đóng bảo hiểm xã hội của người lao động.",
    legal_basis=("Luật Bảo hiểm xã hội 2024",),
)


def vn(*args: int) -> datetime:
    """A moment in Vietnamese local time."""
    return datetime(*args, tzinfo=VN)  # type: ignore[misc]


def _with_calendar(directory: Directory, code: str, calendar: str) -> OrgUnit:
    return OrgUnit.model_validate({**directory[code].model_dump(), "calendar": calendar})


def directory() -> Directory:
    """The shipped directory, with two offices keeping calendars of their own."""
    base = vss_directory()
    return base.with_units(
        [_with_calendar(base, HANOI, "early"), _with_calendar(base, HCMC, "saturdays")]
    )


UNITS = UnitCalendars(
    directory(), calendars={**standard_calendars(), "early": EARLY, "saturdays": SATURDAYS}
)
RESPOND = SlaTarget(
    name="respond",
    unit="working_time",
    limit=16 * H,
    pause=("awaiting_info",),
    source="ASSUMED: a test target of 16 working hours",
)
PERIOD = SlaTarget(
    name="period", unit="working_days", limit=3, source="ASSUMED: a test target of 3 days"
)
HOURS_POLICY = SlaPolicy(name="hours", targets=(RESPOND, PERIOD))
