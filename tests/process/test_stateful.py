"""Hypothesis stateful tests: random sequences of allowed and refused moves on both processes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from vss_care_core import (
    CALL_PROCESS,
    WRITTEN_PROCESS,
    Case,
    Event,
    Inquiry,
    InvalidEventError,
    ProcessDefinition,
    TransitionNotAllowed,
    check_answer,
    open_case,
)
from vss_care_core.testing import DEFAULT_TIME, make_inquiry

GOOD_ANSWER = (
    "Lương hưu hằng tháng được tính theo số năm đóng BHXH và mức bình quân tiền lương "
    "tháng đóng BHXH, theo Điều 66 Luật BHXH 2024."
)

DATA_CHOICES: list[dict[str, Any]] = [
    {},
    {"verified": True},
    {"kind": "question", "policy_areas": ["social"], "topic": "pension"},
    {"answer": GOOD_ANSWER},
    {"answer": "ok"},
    {"to": "queue-2"},
    {"reasons": ["clearer please"]},
    {"agency": "Sở Nội vụ"},
    {"into": "case-1"},
    {"priority": "high"},
    {"note": "ghi chú"},
]


VALID_DATA: dict[str, dict[str, Any]] = {
    "identify": {"verified": True},
    "classify": {"kind": "question", "policy_areas": ["social"], "topic": "pension"},
    "intake": {"kind": "question", "policy_areas": ["social"], "topic": "pension"},
    "respond": {"answer": GOOD_ANSWER},
    "draft": {"answer": GOOD_ANSWER},
}


def _snapshot(case: Case) -> tuple[object, ...]:
    return (case.state, case.step, case.version, case.history, case.facts)


class ProcessMachine(RuleBasedStateMachine):
    """Drives one case with random moves and checks it against its definition's table."""

    definition: ProcessDefinition = CALL_PROCESS

    def __init__(self) -> None:
        super().__init__()
        self.case: Case | None = None
        self.clock = DEFAULT_TIME
        self.ended_once = False

    @initialize()
    def open(self) -> None:
        channel = "phone" if self.definition is CALL_PROCESS else "email"
        self.case = open_case(make_inquiry(channel=channel), at=self.clock, by="agent")

    def _case(self) -> Case:
        assert self.case is not None
        return self.case

    @rule(
        action=st.sampled_from(
            sorted({t.action for t in CALL_PROCESS.transitions + WRITTEN_PROCESS.transitions})
        ),
        step=st.sampled_from(CALL_PROCESS.step_codes + WRITTEN_PROCESS.step_codes) | st.none(),
        data=st.sampled_from(DATA_CHOICES),
        seconds=st.integers(0, 600),
    )
    def move(self, action: str, step: str | None, data: dict[str, Any], seconds: int) -> None:
        case = self._case()
        before = _snapshot(case)
        state = case.state
        self.clock += timedelta(seconds=seconds)
        step_code = step if step is not None else state
        expected = self.definition.table.get((state, action))
        if action == "complete" and step_code != state:
            expected = None
        try:
            if action == "complete":
                case.complete(step_code, at=self.clock, by="agent", **data)
            else:
                case.fire(action, at=self.clock, by="agent", **data)
        except TransitionNotAllowed:
            assert _snapshot(case) == before, "a refused move changed the case"
            return
        assert expected is not None, f"{action} from {state} should have been refused"
        if expected.kind == "resume":
            assert case.state == before[1].code  # type: ignore[attr-defined]
        else:
            assert case.state == expected.target
        assert case.version == before[2] + 1  # type: ignore[operator]

    @rule(seconds=st.integers(0, 600))
    def advance(self, seconds: int) -> None:
        """Complete the current step with valid data, so that deep states are explored."""
        case = self._case()
        if case.state not in self.definition.step_codes:
            return
        before = case.state
        snapshot = _snapshot(case)
        self.clock += timedelta(seconds=seconds)
        try:
            case.complete(case.state, at=self.clock, by="agent", **VALID_DATA.get(case.state, {}))
        except TransitionNotAllowed:
            # the review approves the drafted answer: a random move may have drafted a poor one
            # (and the review refuses it, changing nothing)
            assert _snapshot(case) == snapshot, "a refused completion changed the case"
            facts = case.facts
            assert before == "review"
            assert facts.answer is not None
            kind = None if facts.classification is None else facts.classification.kind
            assert check_answer(case.inquiry, facts.answer, kind=kind)
            return
        table = self.definition.table[(before, "complete")]
        assert case.state == table.target

    @rule(seconds=st.integers(1, 3600))
    def move_back_in_time(self, seconds: int) -> None:
        case = self._case()
        before = _snapshot(case)
        earlier = case.history[-1].at - timedelta(seconds=seconds)
        try:
            case.fire("set_priority", at=earlier, by="agent", priority="low")
        except (InvalidEventError, TransitionNotAllowed):
            assert _snapshot(case) == before
        else:
            raise AssertionError("an event earlier than the last one was accepted")

    @invariant()
    def version_is_event_count(self) -> None:
        case = self._case()
        assert case.version == len(case.history)
        assert [e.seq for e in case.history] == list(range(1, case.version + 1))

    @invariant()
    def replay_equals_live(self) -> None:
        case = self._case()
        assert Case.replay(case.inquiry, case.history) == case
        assert Case.replay(case.inquiry, case.history, trusted=True) == case

    @invariant()
    def replay_from_json_equals_live(self) -> None:
        """What was accepted can be read back: the history and the inquiry through JSON
        rebuild the same case."""
        case = self._case()
        inquiry = Inquiry.model_validate_json(case.inquiry.model_dump_json())
        history = [Event.model_validate_json(e.model_dump_json()) for e in case.history]
        assert history == list(case.history)
        assert Case.replay(inquiry, history) == case

    @invariant()
    def outcome_consistent(self) -> None:
        case = self._case()
        codes = self.definition.outcome_codes
        if case.outcome is not None:
            assert case.outcome in codes
            assert case.state == case.outcome
            reopenable = case.outcome in self.definition.reopen_outcomes
            assert set(case.allowed()) <= ({"reopen"} if reopenable else set())
        else:
            assert case.state not in codes

    @invariant()
    def step_is_a_real_step(self) -> None:
        case = self._case()
        assert case.step in self.definition.steps
        if case.state in self.definition.step_codes:
            assert case.step.code == case.state


class CallMachine(ProcessMachine):
    definition = CALL_PROCESS


class WrittenMachine(ProcessMachine):
    definition = WRITTEN_PROCESS


TestCallProcessStateful = CallMachine.TestCase
TestCallProcessStateful.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)
TestWrittenProcessStateful = WrittenMachine.TestCase
TestWrittenProcessStateful.settings = settings(
    max_examples=60, stateful_step_count=30, deadline=None
)
