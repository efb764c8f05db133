"""Assignment to agents: qualification, strategies, overflow, recording on the case."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from vss_care_core.errors import InvalidInputError, TransitionNotAllowed
from vss_care_core.process import open_case
from vss_care_core.routing import Agent, Assignment, RoundRobinCursor, assign, record_assignment
from vss_care_core.testing import case_at

AT = datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def agent(agent_id: str, **fields) -> Agent:
    """An agent of BHXH-HUE with room for 10 cases, unless told otherwise."""
    return Agent.model_validate({"id": agent_id, "unit": "BHXH-HUE", "capacity": 10, **fields})


@pytest.fixture
def case(make_inquiry):
    """A written case about health insurance, in Vietnamese, at its assign step."""
    inquiry = make_inquiry(
        kind="support", policy_areas=["health"], topic="health-card", province="Huế"
    )
    opened = open_case(inquiry, at=AT, by="cskh-01")
    opened.complete("intake", at=AT + timedelta(minutes=1), by="cskh-01")
    return opened


class TestLeastLoaded:
    """The lowest load wins; ties go to fewer open cases, then the smaller id."""

    def test_lowest_load(self, case):
        """3/10 beats 2/4."""
        agents = [agent("b", open_cases=2, capacity=4), agent("a", open_cases=3)]
        result = assign(case, agents, unit="BHXH-HUE")
        assert (result.unit, result.agent, result.overflow) == ("BHXH-HUE", "a", False)
        assert result.reason == (
            "assigned to agent a of BHXH-HUE: least loaded (3/10 open cases), among 2 "
            "qualified agent(s) for health in language vi"
        )

    def test_ties_by_id(self, case):
        """Equal loads: the smallest id, whatever the input order."""
        agents = [agent("c", open_cases=1), agent("b", open_cases=1), agent("d", open_cases=1)]
        assert assign(case, agents, unit="BHXH-HUE").agent == "b"
        assert assign(case, list(reversed(agents)), unit="BHXH-HUE").agent == "b"

    def test_qualification(self, case, make_inquiry):
        """Unavailable, full, unskilled, wrong-language and other-unit agents are skipped."""
        agents = [
            agent("a", available=False),
            agent("b", open_cases=10),
            agent("c", policy_areas=["social"]),
            agent("d", languages=["en"]),
            agent("e", unit="BHXH-HA-NOI"),
            agent("f", policy_areas=["health", "social"], open_cases=9),
        ]
        assert assign(case, agents, unit="BHXH-HUE").agent == "f"


class TestRoundRobin:
    """Turns follow id order and wrap round; the cursor is returned, never kept."""

    def test_turns(self, case):
        """a, b, c, a... with the cursor passed along."""
        agents = [agent("c"), agent("a"), agent("b", available=False), agent("d")]
        cursor = RoundRobinCursor()
        chosen = []
        for _ in range(4):
            result = assign(case, agents, unit="BHXH-HUE", strategy="round_robin", cursor=cursor)
            chosen.append(result.agent)
            assert result.cursor is not None
            cursor = result.cursor
        assert chosen == ["a", "c", "d", "a"]
        assert cursor.last_for("BHXH-HUE") == "a"

    def test_deterministic(self, case):
        """The same input gives the same output; the input cursor is unchanged."""
        cursor = RoundRobinCursor(last={"BHXH-HUE": "a"})
        agents = [agent("a"), agent("b")]
        first = assign(case, agents, unit="BHXH-HUE", strategy="round_robin", cursor=cursor)
        again = assign(case, agents, unit="BHXH-HUE", strategy="round_robin", cursor=cursor)
        assert first == again
        assert first.agent == "b"
        assert cursor.last_for("BHXH-HUE") == "a"


class TestOverflow:
    """No qualified agent: the parent unit takes the case."""

    def test_overflow_to_parent(self, case):
        """The provincial office's parent is VSS; the reason counts why agents were refused."""
        agents = [agent("a", available=False), agent("b", open_cases=10), agent("c", open_cases=12)]
        result = assign(case, agents, unit="BHXH-HUE")
        assert (result.unit, result.agent, result.overflow) == ("VSS", None, True)
        assert result.reason == (
            "no agent of BHXH-HUE qualifies for health in language vi "
            "(2 at capacity, 1 unavailable): overflow to the parent unit VSS"
        )

    def test_top_unit_keeps_the_case(self, case):
        """A unit without parent keeps the case, unassigned."""
        result = assign(case, [], unit="VSS")
        assert (result.unit, result.agent, result.overflow) == ("VSS", None, False)
        assert result.reason.endswith("(no agents): left unassigned in the unit")

    def test_unknown_unit_or_strategy(self, case):
        """Unknown units and strategies are refused."""
        with pytest.raises(InvalidInputError, match="not in the directory"):
            assign(case, [], unit="NOPE")
        with pytest.raises(InvalidInputError, match="strategy"):
            assign(case, [], unit="VSS", strategy="random")  # type: ignore[arg-type]


class TestRecord:
    """The reason is recorded on the case through its process."""

    def test_complete_assign_step(self, case):
        """At the assign step: complete it with unit, assignee and reason."""
        result = assign(case, [agent("a")], unit="BHXH-HUE")
        (event,) = record_assignment(case, result, at=AT + timedelta(minutes=2), by="cskh-01")
        assert event.step == "assign"
        assert event.data == {"unit": "BHXH-HUE", "assignee": "a", "reason": result.reason}
        assert (case.facts.unit, case.facts.assignee, case.state) == ("BHXH-HUE", "a", "draft")

    def test_reassign_later(self, case):
        """At the draft step: reassign, then complete assign again."""
        first = assign(case, [agent("a")], unit="BHXH-HUE")
        record_assignment(case, first, at=AT + timedelta(minutes=2), by="cskh-01")
        overflow = assign(case, [agent("a", available=False)], unit="BHXH-HUE")
        events = record_assignment(case, overflow, at=AT + timedelta(minutes=3), by="cskh-01")
        assert [e.action for e in events] == ["reassign", "complete"]
        assert (case.facts.unit, case.state) == ("VSS", "draft")

    def test_call_transfer(self, make_inquiry):
        """A call records the agent through the transfer side path."""
        call = open_case(make_inquiry(channel="phone"), at=AT, by="switchboard")
        call.complete("greet", at=AT + timedelta(seconds=5), by="tdv-01")
        result = assign(call, [agent("a")], unit="BHXH-HUE")
        (event,) = record_assignment(call, result, at=AT + timedelta(seconds=9), by="tdv-01")
        assert (event.action, event.data["to"]) == ("transfer", "a")

    def test_refused_move_leaves_case(self, case):
        """Where the process allows no assignment, the case raises and is unchanged."""
        case.fire("withdraw", at=AT + timedelta(minutes=2), by="cskh-01")
        version = case.version
        with pytest.raises(TransitionNotAllowed):
            record_assignment(
                case,
                assign(case, [agent("a")], unit="BHXH-HUE"),
                at=AT + timedelta(minutes=3),
                by="x",
            )
        assert case.version == version


def test_record_assignment_is_idempotent_with_event_id() -> None:
    """Recording the same assignment twice with one event_id adds the events once."""
    case = case_at("draft")
    moment = case.history[-1].at
    assignment = Assignment(
        unit="BHXH-HA-NOI",
        agent="officer-9",
        overflow=False,
        strategy="least_loaded",
        reason="least loaded",
    )
    first = record_assignment(case, assignment, at=moment, by="lead", event_id="asg-1")
    version = case.version
    again = record_assignment(case, assignment, at=moment, by="lead", event_id="asg-1")
    assert [e.action for e in first] == ["reassign", "complete"]
    assert again == first
    assert case.version == version
    assert case.facts.assignee == "officer-9"
