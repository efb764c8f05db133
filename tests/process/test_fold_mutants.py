"""The fold: what a history's shape means for measuring, the priority and kind in force.

``summarise`` is checked against a plain re-counting of the moves (an oracle written from its
docstrings) on random walks through both standard processes, and on dated cases;
``priority_in_force`` and ``recorded_kind`` on hand-made histories, bad stored values included.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st
from tests.process.stored import stored

from vss_care_core.models import Answer, InquiryKind, Move, Priority, move_of
from vss_care_core.process import (
    CALL_PROCESS,
    WRITTEN_PROCESS,
    Case,
    CaseFacts,
    ProcessDefinition,
    fold_facts,
    priority_in_force,
    recorded_kind,
    summarise,
)
from vss_care_core.testing import case_at, make_inquiry

VN = ZoneInfo("Asia/Ho_Chi_Minh")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=VN)
PROCESSES = (CALL_PROCESS, WRITTEN_PROCESS)


def later(case: Case, minutes: int = 1) -> datetime:
    """A moment a little after the case's last event."""
    return case.history[-1].at + timedelta(minutes=minutes)


def moves_of(case: Case) -> list[Move]:
    """The moves of a case's history."""
    return [move_of(event) for event in case.history]


# -- an oracle for summarise ----------------------------------------------------------------
def oracle(definition: ProcessDefinition, moves: list[Move]) -> dict[str, Any]:
    """What summarise should say, counted move by move in the plainest way."""

    def tagged(tag: str) -> list[int]:
        actions = definition.actions_tagged(tag)
        return [i for i, move in enumerate(moves) if i > 0 and move.action in actions]

    answered = next(
        (
            i
            for i, move in enumerate(moves)
            if i > 0 and move.action == "complete" and move.step == definition.answering_step
        ),
        None,
    )
    abandons = tagged("abandon")
    last = moves[-1].to_state
    outcome = last if last in definition.outcome_codes else None
    tags = set(definition.outcome(outcome).tags) if outcome is not None else set()
    return {
        "family": definition.family,
        "outcome": outcome,
        "resolved": "resolved" in tags,
        "handled": "handled" in tags,
        "answered_index": answered,
        "abandoned_before_answer": any(answered is None or i < answered for i in abandons),
        "abandoned_after_answer": any(answered is not None and i > answered for i in abandons),
        "transferred": bool(tagged("transfer")),
        "escalated": bool(tagged("escalation")),
        "requests_for_info": len(tagged("request_info")),
        "returned_drafts": len(tagged("returned_draft")),
        "reopens": len(tagged("reopen")),
        "completions": tuple(
            (i, move.step) for i, move in enumerate(moves) if i > 0 and move.action == "complete"
        ),
    }


@st.composite
def walks(draw: st.DrawFn) -> tuple[ProcessDefinition, list[Move]]:
    """A process and a random sequence of moves that follows its table."""
    definition = draw(st.sampled_from(PROCESSES))
    step = definition.first_step
    state = step.code
    moves = [Move("open", None, state, None)]
    for _ in range(draw(st.integers(0, 14))):
        choices = sorted(action for (source, action) in definition.table if source == state)
        if not choices:
            break
        action = draw(st.sampled_from(choices))
        transition = definition.table[(state, action)]
        target = step.code if transition.kind == "resume" else transition.target
        completed = state if action == "complete" else None
        moves.append(Move(action, state, target, completed))
        state = target
        step = definition.steps_by_state.get(state, step)
    return definition, moves


@given(walks())
def test_summarise_agrees_with_a_plain_count(walk: tuple[ProcessDefinition, list[Move]]) -> None:
    """On any walk through either process, summarise gives what the oracle counts."""
    definition, moves = walk
    summary = summarise(definition, moves)
    expected = oracle(definition, moves)
    assert {name: getattr(summary, name) for name in expected} == expected
    assert summary.first_contact_candidate == (
        expected["resolved"] and not expected["transferred"] and not expected["escalated"]
    )


class TestSummariseDated:
    """Dated cases whose every figure is known."""

    def test_open_case_has_no_outcome(self) -> None:
        """A case still in a step has no outcome and is neither resolved nor handled."""
        summary = summarise(CALL_PROCESS, moves_of(case_at("listen")))
        assert summary.outcome is None
        assert (summary.resolved, summary.handled) == (False, False)
        assert summary.answered_index == 1
        assert summary.completions == ((1, "greet"), (2, "identify"))

    def test_closed_call(self) -> None:
        """A full call: resolved and handled, answered at move 1, nothing else counted."""
        summary = summarise(CALL_PROCESS, moves_of(case_at("closed")))
        assert summary.family == "call"
        assert summary.outcome == "closed"
        assert (summary.resolved, summary.handled) == (True, True)
        assert summary.answered_index == 1
        assert not summary.abandoned_before_answer
        assert not summary.abandoned_after_answer
        assert not summary.transferred
        assert not summary.escalated
        assert (summary.requests_for_info, summary.returned_drafts, summary.reopens) == (0, 0, 0)
        assert summary.first_contact_candidate
        assert [step for _, step in summary.completions] == list(CALL_PROCESS.step_codes)

    def test_call_abandoned_in_the_queue(self) -> None:
        """Abandoned before greeting: abandoned before the answer, never answered."""
        case = case_at("greet", inquiry=make_inquiry(channel="phone", received_at=T0), at=T0)
        case.fire("abandon", at=later(case), by="switchboard")
        summary = summarise(CALL_PROCESS, moves_of(case))
        assert summary.outcome == "abandoned"
        assert summary.answered_index is None
        assert (summary.abandoned_before_answer, summary.abandoned_after_answer) == (True, False)
        assert (summary.resolved, summary.handled) == (False, False)

    def test_call_dropped_after_the_answer(self) -> None:
        """Abandoned while listening: a dropped call, after the answer."""
        case = case_at("listen")
        case.fire("abandon", at=later(case), by="a")
        summary = summarise(CALL_PROCESS, moves_of(case))
        assert (summary.abandoned_before_answer, summary.abandoned_after_answer) == (False, True)

    def test_transfer_and_escalation(self) -> None:
        """A transferred then escalated call: handled, not resolved, not first contact."""
        case = case_at("classify")
        case.fire("transfer", at=later(case), by="a", to="agent-9")
        case.fire("escalate", at=later(case, 2), by="agent-9")
        summary = summarise(CALL_PROCESS, moves_of(case))
        assert summary.outcome == "escalated"
        assert (summary.transferred, summary.escalated) == (True, True)
        assert (summary.resolved, summary.handled) == (False, True)
        assert not summary.first_contact_candidate

    def test_written_counts(self) -> None:
        """Two requests for information, two returned drafts and a reopening are counted."""
        case = case_at("draft")
        for _ in range(2):
            case.fire("request_info", at=later(case), by="officer")
            case.fire("provide_info", at=later(case), by="officer")
        for reason in ("thiếu căn cứ", "sai số liệu"):
            case.complete("draft", at=later(case), by="officer", answer=_DRAFT)
            case.fire("return_draft", at=later(case), by="lead", reasons=[reason])
        case.complete("draft", at=later(case), by="officer", answer=_DRAFT)
        case.complete("review", at=later(case), by="lead")
        case.complete("send", at=later(case), by="clerk")
        case.fire("reopen", at=later(case), by="lead")
        case.complete("draft", at=later(case), by="officer", answer=_DRAFT)
        case.complete("review", at=later(case), by="lead")
        case.complete("send", at=later(case), by="clerk")
        case.fire("reopen", at=later(case), by="lead")
        summary = summarise(WRITTEN_PROCESS, moves_of(case))
        assert summary.family == "written"
        assert summary.outcome is None
        assert (summary.requests_for_info, summary.returned_drafts, summary.reopens) == (2, 2, 2)
        assert summary.answered_index == case.version - 6
        assert not summary.transferred

    def test_completion_without_a_step_is_recorded_as_empty(self) -> None:
        """A stored completion that lost its step is listed with an empty step code."""
        moves = [Move("open", None, "greet", None), Move("complete", "greet", "identify", None)]
        summary = summarise(CALL_PROCESS, moves)
        assert summary.completions == ((1, ""),)
        assert summary.answered_index is None


_DRAFT = (
    "Lương hưu hằng tháng được tính theo số năm đóng BHXH và mức bình quân tiền lương "
    "tháng đóng BHXH, theo Điều 66 Luật BHXH 2024."
)


# -- priority and kind in force --------------------------------------------------------------
class TestPriorityInForce:
    """The last valid priority set by a priority-changing move, else the given one."""

    def test_no_change(self) -> None:
        """Without a priority move the given priority stays."""
        case = case_at("listen")
        assert priority_in_force(CALL_PROCESS, Priority.LOW, case.history) is Priority.LOW

    def test_last_set_priority_wins(self) -> None:
        """Two set_priority moves: the last one is in force."""
        case = case_at("listen")
        case.fire("set_priority", at=later(case), by="a", priority="high")
        case.fire("set_priority", at=later(case, 2), by="a", priority="urgent")
        assert priority_in_force(CALL_PROCESS, Priority.LOW, case.history) is Priority.URGENT

    def test_priority_on_another_move_is_ignored(self) -> None:
        """A completion carrying priority= does not change the priority."""
        case = case_at("identify")
        case.complete("identify", at=later(case), by="a", verified=True, priority="urgent")
        assert case.history[-1].data["priority"] == "urgent"
        assert priority_in_force(CALL_PROCESS, Priority.NORMAL, case.history) is Priority.NORMAL

    def test_bad_stored_priority_is_skipped(self) -> None:
        """An unknown or non-text stored priority is skipped; a later valid one still counts."""
        case = case_at("listen")
        history = [*case.history, stored(case, "set_priority", {"priority": "very-high"})]
        assert priority_in_force(CALL_PROCESS, Priority.LOW, history) is Priority.LOW
        history = [
            *case.history,
            stored(case, "set_priority", {"priority": "very-high"}),
            stored(case, "set_priority", {"priority": "high"}),
            stored(case, "set_priority", {"priority": 3}),
        ]
        assert priority_in_force(CALL_PROCESS, Priority.LOW, history) is Priority.HIGH


class TestRecordedKind:
    """The kind recorded by the last completion of a classifying step, else the given one."""

    def test_no_classification(self) -> None:
        """Before intake the given kind (or None) stays."""
        case = case_at("intake")
        assert recorded_kind(WRITTEN_PROCESS, None, case.history) is None
        assert recorded_kind(WRITTEN_PROCESS, InquiryKind.FEEDBACK, case.history) is (
            InquiryKind.FEEDBACK
        )

    def test_intake_records_the_kind(self) -> None:
        """Intake with kind=complaint records a complaint."""
        case = case_at("intake")
        case.complete(
            "intake",
            at=later(case),
            by="clerk",
            kind="complaint",
            policy_areas=["social"],
            topic="pension",
        )
        assert recorded_kind(WRITTEN_PROCESS, None, case.history) is InquiryKind.COMPLAINT

    def test_kind_on_other_moves_is_ignored(self) -> None:
        """kind= on a completion of another step, or on a side path, records nothing."""
        case = case_at("assign")
        case.complete("assign", at=later(case), by="lead", unit="CCC", kind="complaint")
        case.fire("set_priority", at=later(case), by="lead", priority="high", kind="complaint")
        assert recorded_kind(WRITTEN_PROCESS, None, case.history) is InquiryKind.QUESTION

    def test_bad_stored_kind_is_skipped(self) -> None:
        """A stored intake whose kind is unknown or not text leaves the kind as it was."""
        case = case_at("assign")
        for bad in ("rumour", 7):
            history = [*case.history, stored(case, "complete", {"kind": bad}, step="intake")]
            assert recorded_kind(WRITTEN_PROCESS, None, history) is InquiryKind.QUESTION


# -- fold_facts on stored data ---------------------------------------------------------------
class TestFoldFacts:
    """What a move's data establishes, on live moves and on stored data."""

    def test_assignee_and_unit_on_a_completion(self) -> None:
        """assign with unit= and assignee= records both."""
        case = case_at("assign")
        case.complete("assign", at=later(case), by="lead", unit="CCC", assignee="officer-2")
        assert (case.facts.unit, case.facts.assignee) == ("CCC", "officer-2")

    def test_facts_a_move_does_not_name_are_kept(self) -> None:
        """A later move with data of its own keeps the assignee, unit, classification,
        priority and verification established before."""
        case = case_at("assign")
        case.complete("assign", at=later(case), by="lead", unit="CCC", assignee="officer-2")
        case.fire("set_priority", at=later(case), by="lead", priority="high")
        before = case.facts
        case.fire("request_info", at=later(case), by="officer-2", note="cần bản sao sổ BHXH")
        assert case.facts == before
        assert (case.facts.unit, case.facts.assignee) == ("CCC", "officer-2")
        assert case.facts.priority is Priority.HIGH

    def test_priority_and_to_only_on_the_moves_that_require_them(self) -> None:
        """priority= and to= on a completion change neither the priority nor the assignee."""
        case = case_at("identify")
        case.complete("identify", at=later(case), by="a", priority="urgent", to="agent-9")
        assert case.facts.priority is None
        assert case.facts.assignee is None
        case.fire("transfer", at=later(case), by="a", to="agent-9")
        assert case.facts.assignee == "agent-9"

    def test_stored_empty_or_odd_values_are_none(self) -> None:
        """A stored empty or non-text unit folds to None, not to the stored value."""
        transition = WRITTEN_PROCESS.table[("assign", "complete")]
        for stored_value in ("", 5, None):
            facts = fold_facts(CaseFacts(), transition, {"unit": stored_value})
            assert facts.unit is None
        assert fold_facts(CaseFacts(), transition, {"unit": "CCC"}).unit == "CCC"

    def test_a_validated_answer_is_used_as_given(self) -> None:
        """The answer the move already validated is kept, not read again from the data."""
        transition = WRITTEN_PROCESS.table[("draft", "complete")]
        given_answer = Answer(text="Câu trả lời đã kiểm tra.")
        facts = fold_facts(
            CaseFacts(), transition, {"answer": {"text": "Khác."}}, answer=given_answer
        )
        assert facts.answer is given_answer
        read = fold_facts(CaseFacts(), transition, {"answer": {"text": "Khác."}})
        assert read.answer == Answer(text="Khác.")
        skipped = fold_facts(
            CaseFacts(), transition, {"answer": {"text": "Khác."}}, keep_answer=False
        )
        assert skipped.answer is None
