"""The judge's sums against the clock engine run in full, near every limit.

The judge settles most clocks by adding up their spans and comparing the sum with the limit;
only the engine (``run_clock``) says what happens exactly at a limit and past it in a day unit.
Here the two are compared on histories whose gaps sit on, just before and just after the limits
of the default policies, and on concrete calls timed to the second.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.sla.histories import drive

from vss_care_core import open_case
from vss_care_core.calendar import vietnam_calendar
from vss_care_core.models import Channel, InquiryKind, Move, Priority, move_of
from vss_care_core.process import ProcessDefinition, priority_in_force, recorded_kind
from vss_care_core.sla import SlaJudge, SlaState, select_policy
from vss_care_core.sla._clock import ClockCourse, SpanMeasures, run_clock
from vss_care_core.testing import make_inquiry

CALENDAR = vietnam_calendar()
JUDGE = SlaJudge(calendar=CALENDAR)
JUDGED = (SlaState.MET, SlaState.BREACHED)

# the limits of the default policies, in seconds, and a second either side: 20 s, 2 min and
# 15 min on a call; 16 working hours, one and several working days on a written case
_LIMITS = (20, 120, 900, 3600, 4 * 3600, 8 * 3600, 16 * 3600, 86_400, 3 * 86_400, 15 * 86_400)
near_limits = st.sampled_from([limit + shift for limit in _LIMITS for shift in (-1, 0, 1)])
gaps = st.one_of(near_limits, st.integers(0, 1800), st.integers(0, 20 * 86_400))


def engine_verdicts(
    definition: ProcessDefinition,
    *,
    channel: Channel,
    kind: InquiryKind | None,
    opening: Priority,
    priority: Priority,
    moves: tuple[Move, ...],
    times: Sequence[datetime],
) -> tuple[tuple[str, bool], ...]:
    """The oracle: every target of the selected policy run by the engine, at the last move."""
    policy = select_policy(
        process=definition.family.value, channel=channel, kind=kind, priority=opening
    )
    spans = SpanMeasures(CALENDAR, times, len(times))
    verdicts = []
    for target in policy.targets:
        course = ClockCourse.of(target, moves, definition.outcome_set)
        if course.start is None:
            continue
        run = run_clock(
            target,
            target.limit_for(priority),
            course,
            times,
            times[-1],
            measures=spans.per_move(target.unit),
            calendar=CALENDAR,
        )
        if run.state in JUDGED:
            verdicts.append((target.name, run.state is SlaState.MET))
    return tuple(verdicts)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    channel=st.sampled_from([Channel.PHONE, Channel.EMAIL, Channel.POST]),
    kind=st.sampled_from(["question", "complaint", "denunciation", "feedback"]),
    priority=st.sampled_from(list(Priority)),
    start=st.datetimes(
        min_value=datetime(2026, 1, 2),  # noqa: DTZ001 - made aware below
        max_value=datetime(2026, 12, 20),  # noqa: DTZ001
    ).map(lambda moment: moment.replace(microsecond=0, tzinfo=UTC)),
    data=st.data(),
)
def test_sums_agree_with_the_engine_near_the_limits(
    channel: Channel, kind: str, priority: Priority, start: datetime, data: st.DataObject
) -> None:
    """Every prefix of a generated history, its moves re-timed near the limits."""
    choices = data.draw(st.lists(st.tuples(st.integers(0, 20), st.just(1)), max_size=14))
    inquiry = make_inquiry(channel=channel, received_at=start, priority=priority)
    case = open_case(inquiry, at=start, by="agent")
    drive(case, choices, kind, start)
    events = list(case.history)
    definition = case.definition
    moves = tuple(move_of(event) for event in events)
    offsets = data.draw(st.lists(gaps, min_size=len(moves) - 1, max_size=len(moves) - 1))
    times = [start]
    for offset in offsets:
        times.append(times[-1] + timedelta(seconds=offset))
    for length in range(1, len(moves) + 1):
        parts = {
            "channel": inquiry.channel,
            "kind": recorded_kind(definition, inquiry.kind, events[:length]),
            "opening": inquiry.priority,
            "priority": priority_in_force(definition, inquiry.priority, events[:length]),
            "moves": moves[:length],
            "times": times[:length],
        }
        judged = JUDGE.judge(
            definition=definition,
            channel=parts["channel"],
            kind=parts["kind"],
            opening_priority=parts["opening"],
            priority=parts["priority"],
            moves=parts["moves"],
            times=parts["times"],
        )
        assert judged.verdicts == engine_verdicts(definition, **parts)


def _call(pickup: int, handle: int) -> tuple[tuple[str, bool], ...]:
    """The verdicts of a call answered after ``pickup`` seconds and closed ``handle`` seconds
    later (the judge's view)."""
    start = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    inquiry = make_inquiry(channel="phone", received_at=start)
    case = open_case(inquiry, at=start, by="agent")
    answered = start + timedelta(seconds=pickup)
    case.complete("greet", at=answered, by="agent")
    case.fire("abandon", at=answered + timedelta(seconds=handle), by="agent")
    return JUDGE(inquiry, list(case.history)).verdicts


@pytest.mark.parametrize(
    ("pickup", "handle", "expected"),
    [
        (19, 899, (("pickup", True), ("handle", True))),
        (20, 900, (("pickup", True), ("handle", True))),  # exactly at the limits: met
        (21, 901, (("pickup", False), ("handle", False))),
        (20, 901, (("pickup", True), ("handle", False))),
    ],
)
def test_a_call_timed_to_the_second(
    pickup: int, handle: int, expected: tuple[tuple[str, bool], ...]
) -> None:
    assert _call(pickup, handle) == expected


VIETNAM = CALENDAR.zone


@pytest.mark.parametrize(
    ("accepted", "met"),
    [
        # 10 calendar days from 2 March 10:00, two hours paused: the limit is reached on
        # 13 March at 02:00, so the deadline is 24:00 that day (past the limit, still met)
        (datetime(2026, 3, 13, 3, 0, tzinfo=VIETNAM), True),
        (datetime(2026, 3, 13, 23, 59, tzinfo=VIETNAM), True),
        (datetime(2026, 3, 14, 0, 1, tzinfo=VIETNAM), False),
    ],
)
def test_a_day_clock_past_its_limit_is_met_until_24_00(accepted: datetime, met: bool) -> None:
    """A complaint accepted after its clock used more than its 10 days, on the day the limit
    was reached: only the engine can say it is met (the deadline is 24:00)."""
    opened = datetime(2026, 3, 2, 10, 0, tzinfo=VIETNAM)
    inquiry = make_inquiry(channel="email", received_at=opened)
    case = open_case(inquiry, at=opened, by="agent")
    case.fire("request_info", at=opened + timedelta(hours=1), by="agent")
    case.fire("provide_info", at=opened + timedelta(hours=3), by="agent")
    classified = {"kind": "complaint", "policy_areas": ["social"], "topic": "pension"}
    case.complete("intake", at=accepted, by="agent", **classified)
    verdicts = dict(JUDGE(inquiry, list(case.history)).verdicts)
    assert verdicts["accept"] is met
