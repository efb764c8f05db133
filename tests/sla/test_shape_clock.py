"""A shape's clock, settled from sums, against the clock engine run in full.

:class:`ShapeClock` answers the state :func:`run_clock` gives at a history's last move, or says
that only the engine can tell (None). Here every answer it gives is compared with the engine's
state (running and paused included, not only the verdicts a report keeps), and the common
cases are checked to be answered without the engine at all.
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
from vss_care_core.process import CALL_PROCESS, WRITTEN_PROCESS, ProcessDefinition
from vss_care_core.sla import SlaState, SlaTarget, select_policy
from vss_care_core.sla._clock import ShapeClock, SpanMeasures, run_clock
from vss_care_core.testing import make_inquiry

CALENDAR = vietnam_calendar()
START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 09:00 in Hà Nội
gaps = st.one_of(
    st.sampled_from([19, 20, 21, 899, 900, 901, 3599, 3600, 3601]),
    st.integers(0, 1800),
    st.integers(0, 20 * 86_400),
)


def engine_state(
    target: SlaTarget, moves: Sequence[Move], times: Sequence[datetime], priority: Priority
) -> SlaState:
    """The oracle: the engine's state of ``target``'s clock at the last move."""
    clock = ShapeClock.of(target, moves, _outcomes(moves))
    spans = SpanMeasures(CALENDAR, times, len(times))
    return run_clock(
        target,
        target.limit_for(priority),
        clock.course,
        times,
        times[-1],
        measures=spans.per_move(target.unit),
        calendar=CALENDAR,
    ).state


def _outcomes(moves: Sequence[Move]) -> frozenset[str]:
    return _definition(moves).outcome_set


def _definition(moves: Sequence[Move]) -> ProcessDefinition:
    return CALL_PROCESS if moves[0].to_state == CALL_PROCESS.first_step.code else WRITTEN_PROCESS


def settled(
    target: SlaTarget, moves: Sequence[Move], times: Sequence[datetime], priority: Priority
) -> SlaState | None:
    clock = ShapeClock.of(target, moves, _outcomes(moves))
    worked = CALENDAR.working_times(times[0], times)
    return clock.settled(target.limit_for(priority), times, worked, CALENDAR)


# starts from January to December 2026: clocks cross Tết, weekends and the rule that pauses
# complaints from 1 July 2026 (a pause state whose effect depends on the times)
starts = st.datetimes(
    min_value=datetime(2026, 1, 2),  # noqa: DTZ001 - made aware below
    max_value=datetime(2026, 12, 20),  # noqa: DTZ001
).map(lambda moment: moment.replace(microsecond=0, tzinfo=UTC))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    channel=st.sampled_from([Channel.PHONE, Channel.EMAIL, Channel.POST]),
    kind=st.sampled_from(list(InquiryKind)),
    priority=st.sampled_from(list(Priority)),
    start=starts,
    data=st.data(),
)
def test_every_settled_state_is_the_engines(
    channel: Channel, kind: InquiryKind, priority: Priority, start: datetime, data: st.DataObject
) -> None:
    """On every prefix of a generated history, re-timed near the limits, open or ended."""
    choices = data.draw(st.lists(st.tuples(st.integers(0, 20), st.just(1)), max_size=12))
    case = open_case(make_inquiry(channel=channel, received_at=start), at=start, by="agent")
    drive(case, choices, kind.value, start)
    moves = tuple(move_of(event) for event in case.history)
    offsets = data.draw(st.lists(gaps, min_size=len(moves) - 1, max_size=len(moves) - 1))
    times = [start]
    for offset in offsets:
        times.append(times[-1] + timedelta(seconds=offset))
    family = case.definition.family.value
    policy = select_policy(process=family, channel=channel, kind=kind, priority=priority)
    for length in range(1, len(moves) + 1):
        for target in policy.targets:
            state = settled(target, moves[:length], times[:length], priority)
            clock = ShapeClock.of(target, moves[:length], case.definition.outcome_set)
            if clock.course.start is None:
                assert state is None  # nothing to settle: the clock has not started
            elif state is not None:
                assert state is engine_state(target, moves[:length], times[:length], priority)


def _call(*gaps_seconds: int, end: str | None = "abandon") -> tuple[list[Move], list[datetime]]:
    """A call answered after the first gap, then ended by ``end`` after the second (or left
    open when ``end`` is None)."""
    case = open_case(make_inquiry(channel="phone", received_at=START), at=START, by="agent")
    answered = START + timedelta(seconds=gaps_seconds[0])
    case.complete("greet", at=answered, by="agent")
    if end is not None:
        case.fire(end, at=answered + timedelta(seconds=gaps_seconds[1]), by="agent")
    return [move_of(e) for e in case.history], [e.at for e in case.history]


def _targets() -> dict[str, SlaTarget]:
    policy = select_policy(process="call", channel=Channel.PHONE, kind=None, priority="normal")
    return {target.name: target for target in policy.targets}


@pytest.mark.parametrize(
    ("pickup", "handle", "pickup_state", "handle_state"),
    [
        (15, 300, SlaState.MET, SlaState.MET),  # within both limits
        (25, 300, SlaState.BREACHED, SlaState.MET),  # past the 20 s in plain time
        (15, 1000, SlaState.MET, SlaState.BREACHED),  # past the 15 min
    ],
)
def test_a_call_is_settled_without_the_engine(
    pickup: int, handle: int, pickup_state: SlaState, handle_state: SlaState
) -> None:
    moves, times = _call(pickup, handle)
    targets = _targets()
    normal = Priority.NORMAL
    assert settled(targets["pickup"], moves, times, normal) is pickup_state
    assert settled(targets["handle"], moves, times, normal) is handle_state
    for target in targets.values():
        state = settled(target, moves, times, normal)
        assert state is None or state is engine_state(target, moves, times, normal)


def test_a_running_clock_within_its_limit_is_running() -> None:
    """An answered call still open: its handling clock runs, settled as running."""
    moves, times = _call(10, end=None)
    handle = _targets()["handle"]
    assert settled(handle, moves, times, Priority.NORMAL) is SlaState.RUNNING
    assert engine_state(handle, moves, times, Priority.NORMAL) is SlaState.RUNNING


def test_exactly_at_the_limit_only_the_engine_tells() -> None:
    """20 s to pick up, exactly: the sum equals the limit, so the engine decides (met)."""
    moves, times = _call(20, 300)
    pickup = _targets()["pickup"]
    assert settled(pickup, moves, times, Priority.NORMAL) is None
    assert engine_state(pickup, moves, times, Priority.NORMAL) is SlaState.MET


def test_a_written_answer_in_opening_hours_is_settled() -> None:
    """A letter answered within its working days: summed over opening hours, met."""
    case = open_case(make_inquiry(channel="email", received_at=START), at=START, by="agent")
    classified = {"kind": "question", "policy_areas": ["social"], "topic": "pension"}
    moment = START
    for step, data in (
        ("intake", classified),
        ("assign", {"unit": "CCC"}),
        ("draft", {"answer": "Lương hưu được tính theo Điều 66 Luật BHXH 2024."}),
        ("review", {}),
        ("send", {}),
    ):
        moment += timedelta(hours=2)
        case.complete(step, at=moment, by="agent", **data)
    moves = [move_of(e) for e in case.history]
    times = [e.at for e in case.history]
    policy = select_policy(process="written", channel=Channel.EMAIL, kind=None, priority="normal")
    states = {t.name: settled(t, moves, times, Priority.NORMAL) for t in policy.targets}
    assert SlaState.MET in states.values()
    for target in policy.targets:
        state = states[target.name]
        assert state is None or state is engine_state(target, moves, times, Priority.NORMAL)
