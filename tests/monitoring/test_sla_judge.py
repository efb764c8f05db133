"""The report's SLA judge gives the verdicts of ``sla_status``, on any history and a whole log."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.sla.histories import ANSWER, drive

from vss_care_core import (
    Case,
    Event,
    Inquiry,
    open_case,
)
from vss_care_core.calendar import vietnam_calendar
from vss_care_core.models import Channel, Priority
from vss_care_core.monitoring import KpiSettings, compute_kpis
from vss_care_core.process import STANDARD_PROCESSES
from vss_care_core.simulation import simulate
from vss_care_core.sla import SlaJudge, SlaJudgement, SlaState, default_policies, sla_status
from vss_care_core.sla._judge import NO_POLICY, NO_PROCESS, NOT_FOLLOWING, NOT_IN_ORDER
from vss_care_core.testing import make_inquiry

CALENDAR = vietnam_calendar()
VIETNAM = CALENDAR.zone
JUDGE = SlaJudge(calendar=CALENDAR)
ENDING_OUTCOMES = frozenset().union(*(d.outcome_set for d in STANDARD_PROCESSES))
JUDGED = (SlaState.MET, SlaState.BREACHED)

# gaps between moves: seconds and minutes on a call; hours and days on a written case, so that
# the clocks cross lunch, nights, weekends, Tết and the 1 July 2026 suspension rule
call_gaps = st.one_of(st.integers(0, 40), st.integers(0, 1800))
written_gaps = st.one_of(
    st.integers(0, 6 * 3600),
    st.builds(
        lambda days, seconds: days * 86_400 + seconds, st.integers(0, 25), st.integers(0, 86_399)
    ),
)
starts = st.datetimes(
    min_value=datetime(2026, 1, 2),  # noqa: DTZ001 - made aware below
    max_value=datetime(2026, 12, 20),  # noqa: DTZ001
).map(lambda moment: moment.replace(microsecond=0, tzinfo=UTC))


def reference(inquiry: Inquiry, events: list[Event]) -> tuple[tuple[str, bool], ...]:
    """The verdicts read from ``sla_status`` on the case rebuilt from ``events``."""
    case = Case.replay(inquiry, events)
    timers = sla_status(case, at=events[-1].at, calendar=CALENDAR)
    return tuple((t.name, t.state is SlaState.MET) for t in timers if t.state in JUDGED)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    channel=st.sampled_from([Channel.PHONE, Channel.EMAIL, Channel.PORTAL, Channel.POST]),
    kind=st.sampled_from(["question", "complaint", "denunciation", "feedback"]),
    priority=st.sampled_from(list(Priority)),
    start=starts,
    data=st.data(),
)
def test_judge_equals_sla_status(
    channel: Channel,
    kind: str,
    priority: Priority,
    start: datetime,
    data: st.DataObject,
) -> None:
    """At every event of a generated history, the judge says what ``sla_status`` says."""
    gaps = call_gaps if channel is Channel.PHONE else written_gaps
    choices = data.draw(st.lists(st.tuples(st.integers(0, 20), gaps), max_size=14))
    inquiry = make_inquiry(channel=channel, received_at=start, priority=priority)
    case = open_case(inquiry, at=start, by="agent")
    drive(case, choices, kind, start)
    history = list(case.history)
    for length in range(1, len(history) + 1):
        if length < len(history) and history[length].at == history[length - 1].at:
            continue  # sla_status at that moment would also see the next event
        events = history[:length]
        assert JUDGE(inquiry, events).verdicts == reference(inquiry, events)


def test_judge_on_a_simulated_log() -> None:
    """The report's SLA figures equal ``sla_status`` read on every case when it ended."""
    records, _ = simulate(days=2, seed=11, settle_days=20)
    report = compute_kpis(records, settings=KpiSettings(calendar=CALENDAR, sla=JUDGE))
    inquiries = {r.id: r for r in records if isinstance(r, Inquiry)}
    histories: dict[str, list[Event]] = {}
    for record in records:
        if isinstance(record, Event):
            histories.setdefault(record.case_id, []).append(record)
    expected: Counter[tuple[str, bool]] = Counter()
    for events in histories.values():
        ended = next((i for i, e in enumerate(events) if e.to_state in ENDING_OUTCOMES), None)
        if ended is None:
            continue  # still open at the end of the log: not judged
        inquiry = inquiries[str(events[0].data["inquiry_id"])]
        expected.update(reference(inquiry, events[: ended + 1]))
    found = {
        (name, met): count
        for name, figures in report.overall.sla.items()
        for met, count in ((True, figures.met), (False, figures.breached))
        if count
    }
    assert sum(expected.values()) > 1000
    assert found == dict(expected)


class TestNotJudged:
    """Histories that cannot be judged get no verdicts, and the reason why (nothing raised)."""

    @pytest.fixture
    def call(self) -> tuple[Inquiry, list[Event]]:
        start = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
        inquiry = make_inquiry(channel="phone", received_at=start)
        case = open_case(inquiry, at=start, by="agent")
        case.complete("greet", at=start + timedelta(seconds=45), by="agent")
        case.fire("abandon", at=start + timedelta(minutes=1), by="agent")
        return inquiry, list(case.history)

    def test_follows(self, call: tuple[Inquiry, list[Event]]) -> None:
        inquiry, events = call
        assert JUDGE(inquiry, events).verdicts == (("pickup", False), ("handle", True))

    def test_time_going_back(self, call: tuple[Inquiry, list[Event]]) -> None:
        inquiry, events = call
        earlier = events[0].at - timedelta(seconds=1)
        events[2] = Event.model_validate({**events[2].model_dump(), "at": earlier})
        assert JUDGE(inquiry, events) == SlaJudgement(not_judged=NOT_IN_ORDER)

    def test_numbers_out_of_order(self, call: tuple[Inquiry, list[Event]]) -> None:
        inquiry, events = call
        assert JUDGE(inquiry, [events[0], events[2]]) == SlaJudgement(not_judged=NOT_IN_ORDER)

    def test_move_outside_the_table(self, call: tuple[Inquiry, list[Event]]) -> None:
        inquiry, events = call
        events[1] = Event.model_validate({**events[1].model_dump(), "to_state": "confirm"})
        assert JUDGE(inquiry, events) == SlaJudgement(not_judged=NOT_FOLLOWING)

    def test_unknown_process(self, call: tuple[Inquiry, list[Event]]) -> None:
        inquiry, events = call
        data = {**events[0].data, "process": "hotline-2"}
        events[0] = Event.model_validate({**events[0].model_dump(), "data": data})
        assert JUDGE(inquiry, events) == SlaJudgement(not_judged=NO_PROCESS)

    def test_no_policy_for_the_case(self, call: tuple[Inquiry, list[Event]]) -> None:
        inquiry, events = call
        written_only = [p for p in default_policies() if "call" not in p.processes]
        judged = SlaJudge(policies=written_only)(inquiry, events)
        assert judged == SlaJudgement(not_judged=NO_POLICY)

    def test_empty(self) -> None:
        assert JUDGE(make_inquiry(), []) == SlaJudgement(not_judged=NOT_IN_ORDER)


def test_report_skips_what_the_judge_skips() -> None:
    """A case whose log lost an event (or whose times go back) gets no verdicts in the report,
    as the judge alone gives none; the case still counts in the other KPIs."""
    start = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    inquiry = make_inquiry(channel="phone", received_at=start)
    case = open_case(inquiry, at=start, by="agent")
    case.complete("greet", at=start + timedelta(seconds=45), by="agent")
    case.fire("set_priority", at=start + timedelta(seconds=50), by="agent", priority="high")
    case.fire("abandon", at=start + timedelta(minutes=2), by="agent")
    whole = list(case.history)
    gap = [whole[0], whole[1], whole[3]]  # every move still follows: only the numbering shows
    settings = KpiSettings(calendar=CALENDAR, sla=JUDGE)
    assert compute_kpis([inquiry, *whole], settings=settings).overall.sla["pickup"].breached == 1
    assert JUDGE(inquiry, gap) == SlaJudgement(not_judged=NOT_IN_ORDER)
    report = compute_kpis([inquiry, *gap], settings=settings)
    assert report.overall.sla == {}
    assert report.overall.sla_not_judged == {NOT_IN_ORDER: 1}
    assert report.overall.ended == 1


@pytest.mark.parametrize(("late", "met"), [(timedelta(0), True), (timedelta(seconds=1), False)])
def test_written_answer_at_the_legal_end_of_its_period(late: timedelta, met: bool) -> None:
    """A question received on Tuesday 10 February 2026 is due within 15 working days: Tết
    (16-20 February) does not count, so the period ends at 24:00 on Tuesday 10 March. An answer
    sent at that very moment is on time; one second later it is late. The judge reads the end of
    the period straight from the calendar and says what ``sla_status`` says."""
    received = datetime(2026, 2, 10, 9, 0, tzinfo=VIETNAM)
    due = datetime(2026, 3, 11, 0, 0, tzinfo=VIETNAM)
    assert CALENDAR.add_working_days(received, 15) == due
    inquiry = make_inquiry(channel=Channel.EMAIL, received_at=received)
    case = open_case(inquiry, at=received, by="officer")
    topic = {"kind": "question", "policy_areas": ["social"], "topic": "pension"}
    case.complete("intake", at=received + timedelta(hours=1), by="officer", **topic)
    case.complete("assign", at=received + timedelta(hours=2), by="officer", unit="BHXH")
    drafted = due - timedelta(days=2)
    case.complete("draft", at=drafted, by="officer", answer=ANSWER)
    case.complete("review", at=drafted + timedelta(hours=3), by="head")
    case.complete("send", at=due + late, by="officer")
    events = list(case.history)
    verdicts = dict(JUDGE(inquiry, events).verdicts)
    assert verdicts["answer"] is met
    assert verdicts["review"] is True
    assert JUDGE(inquiry, events).verdicts == reference(inquiry, events)
