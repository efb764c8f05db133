"""What is due now: dated cases across lunch breaks and Tết, idempotent application, queues."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vss_care_core import DefinitionError, Priority, open_case
from vss_care_core.calendar import vietnam_calendar
from vss_care_core.due import DEFAULT_RULES, DueKind, apply_due, due, load_rules, next_case
from vss_care_core.process import Case
from vss_care_core.routing import Agent
from vss_care_core.testing import make_inquiry

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR = vietnam_calendar()
TOPIC = {"kind": "question", "policy_areas": ["health"], "topic": "health-card"}


def written(received: datetime, **overrides: object) -> Case:
    inquiry = make_inquiry(channel="email", received_at=received, **overrides)
    return open_case(inquiry, at=received, by="portal")


def rule_items(case: Case, at: datetime) -> list[str]:
    return [i.name for i in due([case], at=at, calendar=CALENDAR) if i.kind is DueKind.RULE]


class TestEscalateUnmoved:
    """No move for 4 working hours: escalate. Monday 2 March 2026, intake done at 09:30: 2 h 30
    before lunch, lunch 12:00-13:00 does not count, so the 4 hours end at 14:30."""

    @pytest.fixture
    def case(self) -> Case:
        case = written(datetime(2026, 3, 2, 9, 0, tzinfo=VN))
        case.complete("intake", at=datetime(2026, 3, 2, 9, 30, tzinfo=VN), by="officer", **TOPIC)
        return case

    def test_not_before_its_time(self, case: Case) -> None:
        assert rule_items(case, datetime(2026, 3, 2, 14, 29, tzinfo=VN)) == []

    def test_due_at_the_end_of_four_working_hours(self, case: Case) -> None:
        items = due([case], at=datetime(2026, 3, 2, 14, 30, tzinfo=VN), calendar=CALENDAR)
        rules = [i for i in items if i.kind is DueKind.RULE]
        assert [i.name for i in rules] == ["escalate-unmoved"]
        assert rules[0].due_at == datetime(2026, 3, 2, 14, 30, tzinfo=VN)
        assert rules[0].action == "set_priority"

    def test_applied_once_however_often_it_is_asked(self, case: Case) -> None:
        at = datetime(2026, 3, 2, 15, 0, tzinfo=VN)
        (item,) = [i for i in due([case], at=at, calendar=CALENDAR) if i.kind is DueKind.RULE]
        event = apply_due(case, item, at=at)
        assert event is not None
        assert case.priority is Priority.URGENT
        assert apply_due(case, item, at=at) is event  # the same item again: no second move
        assert case.version == 3
        later = at + timedelta(days=3)
        assert rule_items(case, later) == []  # urgent now: the rule does not act again


class TestRequestForInformation:
    """A request for information on Tuesday 10 February 2026; Tết (16-20 February) is not
    counted. 5 working days: 11, 12, 13, 23, 24 February, so the reminder is due at 24:00 on
    24 February; 10 working days end at 24:00 on 3 March."""

    @pytest.fixture
    def case(self) -> Case:
        case = written(datetime(2026, 2, 10, 8, 0, tzinfo=VN))
        case.complete("intake", at=datetime(2026, 2, 10, 8, 30, tzinfo=VN), by="officer", **TOPIC)
        case.fire("request_info", at=datetime(2026, 2, 10, 10, 0, tzinfo=VN), by="officer")
        return case

    def test_the_reminder_comes_after_five_working_days(self, case: Case) -> None:
        assert rule_items(case, datetime(2026, 2, 24, 23, 59, tzinfo=VN)) == []
        at = datetime(2026, 2, 25, 0, 0, tzinfo=VN)
        items = [i for i in due([case], at=at, calendar=CALENDAR) if i.kind is DueKind.RULE]
        assert [i.name for i in items] == ["remind-requester"]
        assert items[0].action is None
        assert apply_due(case, items[0], at=at) is None  # a notice: no move

    def test_closed_as_withdrawn_after_ten_working_days(self, case: Case) -> None:
        assert "close-unanswered-request" not in rule_items(
            case, datetime(2026, 3, 3, 23, 59, tzinfo=VN)
        )
        at = datetime(2026, 3, 4, 8, 0, tzinfo=VN)
        items = [i for i in due([case], at=at, calendar=CALENDAR) if i.kind is DueKind.RULE]
        close = next(i for i in items if i.name == "close-unanswered-request")
        assert close.due_at == datetime(2026, 3, 4, 0, 0, tzinfo=VN)
        apply_due(case, close, at=at)
        assert case.outcome == "withdrawn"
        assert due([case], at=at, calendar=CALENDAR) == ()  # an ended case has nothing due

    def test_paused_clock_means_no_escalation(self, case: Case) -> None:
        """Waiting for the requester is not "nobody moved": the escalation rule stays quiet."""
        assert "escalate-unmoved" not in rule_items(case, datetime(2026, 2, 27, tzinfo=VN))


def test_sla_breaches_come_first_and_urgent_before_normal() -> None:
    """Two calls waiting in the queue past the 20 s answer target and one fresh: the breaches
    are listed first, the urgent one before the normal one."""
    start = datetime(2026, 3, 2, 9, 0, tzinfo=VN)
    normal = open_case(make_inquiry(channel="phone", received_at=start), at=start, by="ivr")
    urgent_inquiry = make_inquiry(channel="phone", received_at=start, priority="urgent")
    urgent = open_case(urgent_inquiry, at=start, by="ivr")
    later = start + timedelta(seconds=25)
    fresh = open_case(make_inquiry(channel="phone", received_at=later), at=later, by="ivr")
    items = due([normal, fresh, urgent], at=start + timedelta(seconds=30), calendar=CALENDAR)
    breaches = [i for i in items if i.kind is DueKind.SLA_BREACH]
    assert [i.case_id for i in breaches] == [urgent.id, normal.id]
    assert items[: len(breaches)] == tuple(breaches)
    assert all(i.name == "pickup" for i in breaches)
    assert any(i.case_id == fresh.id and i.kind is DueKind.SLA_DUE for i in items)


def test_next_case_orders_by_priority_then_deadline_then_age() -> None:
    base = datetime(2026, 3, 2, 8, 0, tzinfo=VN)
    cases = []
    for hours, priority, areas in [
        (0, "normal", ["health"]),
        (1, "high", ["health"]),
        (2, "normal", ["social"]),
        (3, "normal", ["health"]),
    ]:
        received = base + timedelta(hours=hours)
        case = written(received, priority=priority)
        topic = {**TOPIC, "policy_areas": areas}
        case.complete("intake", at=received, by="officer", **topic)
        case.complete("assign", at=received, by="officer", unit="BHXH-HN")
        cases.append(case)
    other = written(base)
    other.complete("intake", at=base, by="officer", **TOPIC)
    other.complete("assign", at=base, by="officer", unit="BHXH-HUE")
    at = base + timedelta(hours=5)
    queue = next_case([*cases, other], unit="BHXH-HN", at=at, calendar=CALENDAR)
    assert queue == (cases[1], cases[0], cases[2], cases[3])
    health = Agent(id="hn-1", unit="BHXH-HN", policy_areas=["health"], capacity=5)
    skilled = next_case(cases, unit="BHXH-HN", agent=health, at=at, calendar=CALENDAR)
    assert skilled == (cases[1], cases[0], cases[3])


def test_rules_are_checked_when_loaded() -> None:
    with pytest.raises(DefinitionError) as raised:
        load_rules(
            [
                {"name": "x", "label_vi": "x", "label_en": "x", "unit": "working_days",
                 "limit": "PT4H", "source": "ASSUMED"},
                {"name": "x", "label_vi": "x", "label_en": "x", "unit": "elapsed",
                 "limit": "PT1H", "since": "whenever", "source": "ASSUMED"},
            ]
        )  # fmt: skip
    problems = raised.value.problems
    assert any("whole number of days" in p for p in problems)
    assert any("since" in p for p in problems)
    assert len(DEFAULT_RULES) == 3


@settings(max_examples=60, deadline=None)
@given(
    checks=st.lists(
        st.integers(min_value=0, max_value=60 * 24 * 20) | st.integers(290, 310),
        min_size=1,
        max_size=12,
    )
)
def test_running_due_again_and_again_never_acts_twice(checks: list[int]) -> None:
    """An application that runs due and applies everything at any moments, as often as it
    likes, makes each rule's move at most once per due time."""
    received = datetime(2026, 3, 2, 9, 0, tzinfo=VN)
    case = written(received)
    case.complete("intake", at=received, by="officer", **TOPIC)
    applied: list[str] = []
    for minutes in sorted(checks):
        at = received + timedelta(minutes=minutes)
        if at < case.history[-1].at:
            continue
        for item in due([case], at=at, calendar=CALENDAR):
            if item.kind is DueKind.RULE and item.action is not None:
                event = apply_due(case, item, at=at)
                assert event is not None
                applied.append(event.id)
    # the escalation is due at 14:00 (4 working hours after 09:00, the 12:00-13:00 lunch
    # excluded) and raises the priority to urgent: it is made exactly once if any check came
    # at or after that
    escalation_due = 5 * 60
    assert applied == ([applied[0]] if max(checks) >= escalation_due else [])
    assert case.priority is (Priority.URGENT if applied else Priority.NORMAL)
    ids = [e.id for e in case.history]
    assert len(ids) == len(set(ids))


def test_due_from_a_store_reads_only_what_its_index_says_is_due(tmp_path: object) -> None:
    """With a case store, only the cases whose indexed next alert falls within the horizon
    are loaded: a written case due in days is not even read."""
    from pathlib import Path  # noqa: PLC0415

    from vss_care_core.store import SQLiteCaseStore, sla_next_alert  # noqa: PLC0415

    assert isinstance(tmp_path, Path)
    store = SQLiteCaseStore(tmp_path / "cases.sqlite3", next_alert=sla_next_alert())
    start = datetime(2026, 3, 2, 9, 0, tzinfo=VN)
    call = open_case(make_inquiry(channel="phone", received_at=start), at=start, by="ivr")
    letter = written(start)
    store.add(call)
    store.add(letter)
    loaded: list[str] = []
    real_load = store.load

    def counting_load(case_id: str) -> Case:
        loaded.append(case_id)
        return real_load(case_id)

    store.load = counting_load  # type: ignore[method-assign]
    items = due(store, at=start + timedelta(seconds=30), calendar=CALENDAR)
    assert [(i.case_id, i.kind) for i in items] == [(call.id, DueKind.SLA_BREACH)]
    assert loaded == [call.id]
    store.close()
