"""Due work counted on the hours of the unit that holds each case."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from vss_care_core.calendar import vietnam_calendar
from vss_care_core.due import DueKind, due, load_rules
from vss_care_core.process import Case, open_case
from vss_care_core.routing import OrgUnit, vss_directory
from vss_care_core.sla import UnitCalendars, standard_calendars
from vss_care_core.testing import make_inquiry

VN = ZoneInfo("Asia/Ho_Chi_Minh")
HANOI = "BHXH-HA-NOI"


def vn(*args: int) -> datetime:
    """A moment in Vietnamese local time."""
    return datetime(*args, tzinfo=VN)  # type: ignore[misc]


def early_units() -> UnitCalendars:
    """Hà Nội's office opens at 7:30 (lunch 11:30-13:30); the others keep the state hours."""
    base = vss_directory()
    hanoi = OrgUnit.model_validate({**base[HANOI].model_dump(), "calendar": "early"})
    early = vietnam_calendar(hours="07:30-11:30, 13:30-17:00")
    return UnitCalendars(
        base.with_units([hanoi]), calendars={**standard_calendars(), "early": early}
    )


def assigned_case(unit: str = HANOI) -> Case:
    """A written case assigned to ``unit`` on Monday 2 March 2026 at 17:00, then left alone."""
    received = vn(2026, 3, 2, 16, 0)
    case = open_case(make_inquiry(channel="email", received_at=received), at=received, by="portal")
    case.complete("intake", at=vn(2026, 3, 2, 16, 30), by="officer", kind="question",
                  policy_areas=["social"], topic="pension")  # fmt: skip
    case.complete("assign", at=vn(2026, 3, 2, 17, 0), by="officer", unit=unit)
    return case


UNMOVED_DRAFT = load_rules(
    [
        {"name": "unmoved-draft", "label_vi": "Chưa soạn trả lời sau 4 giờ làm việc",
         "label_en": "No draft after 4 working hours", "states": ["draft"],
         "unit": "working_time", "limit": "PT4H", "source": "ASSUMED: a test rule"}
    ]
)  # fmt: skip


def test_unmoved_case_is_due_on_the_units_hours() -> None:
    """4 working hours from Monday 17:00 end on Tuesday at 11:30 on Hà Nội's hours, at 12:00 on
    the state hours: at 11:45 the rule is due only with the unit's calendar."""
    case = assigned_case()
    at = vn(2026, 3, 3, 11, 45)
    with_units = due([case], at=at, rules=UNMOVED_DRAFT, units=early_units())
    rules = [item for item in with_units if item.kind is DueKind.RULE]
    assert [item.due_at for item in rules] == [vn(2026, 3, 3, 11, 30)]
    without = due([case], at=at, rules=UNMOVED_DRAFT)
    assert [item for item in without if item.kind is DueKind.RULE] == []
    later = due([case], at=vn(2026, 3, 3, 12, 0), rules=UNMOVED_DRAFT)
    assert [item.due_at for item in later if item.kind is DueKind.RULE] == [vn(2026, 3, 3, 12, 0)]
