"""SLA limits in months and years, counted as the Civil Code counts them (Art. 147-148)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from vss_care_core import SlaPolicyError, open_case
from vss_care_core.calendar import vietnam_calendar
from vss_care_core.process import Case
from vss_care_core.sla import SlaJudge, SlaPolicy, SlaState, SlaTarget, sla_status
from vss_care_core.testing import make_inquiry

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR = vietnam_calendar()
ANSWER = (
    "Lương hưu hằng tháng được tính theo số năm đóng BHXH và mức bình quân tiền lương "
    "tháng đóng BHXH, theo Điều 66 Luật BHXH 2024."
)
TET = date(2026, 2, 17)


def _policy(unit: str, limit: int) -> SlaPolicy:
    target = SlaTarget(name="settle", unit=unit, limit=limit, source="ASSUMED: for the test")
    return SlaPolicy(name="monthly", targets=(target,))


def _answered(received: datetime, answered: datetime) -> Case:
    case = open_case(make_inquiry(channel="email", received_at=received), at=received, by="o")
    topic = {"kind": "question", "policy_areas": ["social"], "topic": "pension"}
    case.complete("intake", at=received, by="o", **topic)
    case.complete("assign", at=received, by="o", unit="BHXH-HN")
    case.complete("draft", at=received + timedelta(hours=1), by="o", answer=ANSWER)
    case.complete("review", at=received + timedelta(hours=2), by="head")
    case.complete("send", at=answered, by="o")
    return case


@pytest.mark.parametrize(
    ("answered", "state"),
    [
        (datetime(2026, 3, 2, 23, 59, 59, tzinfo=VN), SlaState.MET),
        (datetime(2026, 3, 3, 0, 0, 1, tzinfo=VN), SlaState.BREACHED),
    ],
)
def test_a_month_from_31_january_ends_after_the_weekend(
    answered: datetime, state: SlaState
) -> None:
    """Received on 31 January 2026: one month ends on 28 February (no 31st), a Saturday, so
    the period runs to the end of Monday 2 March."""
    received = datetime(2026, 1, 31, 9, 0, tzinfo=VN)
    case = _answered(received, answered)
    policy = _policy("months", 1)
    (timer,) = sla_status(case, at=answered, policy=policy, calendar=CALENDAR)
    assert timer.deadline == datetime(2026, 3, 3, 0, 0, tzinfo=VN)
    assert timer.state is state
    judge = SlaJudge(policies=[policy], calendar=CALENDAR)
    assert judge(case.inquiry, case.history).verdicts == (("settle", state is SlaState.MET),)


def test_a_year_from_a_leap_day() -> None:
    """29 February 2028 plus one year: 28 February 2029 (a Wednesday)."""
    received = datetime(2028, 2, 29, 9, 0, tzinfo=VN)
    case = open_case(make_inquiry(channel="email", received_at=received), at=received, by="o")
    (timer,) = sla_status(case, at=received, policy=_policy("years", 1), calendar=CALENDAR)
    assert timer.deadline == datetime(2029, 3, 1, 0, 0, tzinfo=VN)
    assert timer.state is SlaState.RUNNING


def test_a_month_ending_in_tet() -> None:
    """17 January 2026 plus one month is 17 February, the Tết holiday: the period runs to the
    end of the first working day after it (see the official schedule shipped for 2026)."""
    received = datetime(2026, 1, 17, 9, 0, tzinfo=VN)
    case = open_case(make_inquiry(channel="email", received_at=received), at=received, by="o")
    (timer,) = sla_status(case, at=received, policy=_policy("months", 1), calendar=CALENDAR)
    assert timer.deadline is not None
    last_day = (timer.deadline - timedelta(seconds=1)).date()
    assert last_day > TET
    assert CALENDAR.is_working_day(last_day)
    assert all(
        not CALENDAR.is_working_day(TET + timedelta(days=n)) for n in range((last_day - TET).days)
    )


def test_a_month_limit_is_a_whole_number() -> None:
    with pytest.raises(SlaPolicyError, match="whole number of months"):
        SlaTarget(name="settle", unit="months", limit=timedelta(days=30), source="ASSUMED")
