"""Cases: equality, step durations and complaint answers, as mutation testing asked.

``Case.__eq__`` is what every "a replay equals the live case" assertion relies on, so each of
its parts is shown to matter on its own.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from vss_care_core.errors import TransitionNotAllowed
from vss_care_core.models import Answer, Inquiry
from vss_care_core.process import CALL_PROCESS, WRITTEN_PROCESS, Case, open_case

VN = ZoneInfo("Asia/Ho_Chi_Minh")
ANSWER = (
    "Lương hưu của bạn được tính theo số năm đóng bảo hiểm xã hội và mức bình quân tiền lương "
    "tháng đóng bảo hiểm xã hội."
)
LEGAL_ANSWER = Answer(
    text="Khiếu nại về lương hưu của bạn được giải quyết theo mức bình quân tiền lương tháng "
    "đóng bảo hiểm xã hội và số năm đóng.",
    legal_basis=("Luật Bảo hiểm xã hội 2024",),
)


def vn(*args: int) -> datetime:
    """A moment in Vietnamese local time."""
    return datetime(*args, tzinfo=VN)  # type: ignore[misc]


def inquiry(subject: str = "Cách tính lương hưu") -> Inquiry:
    """A written inquiry about a pension."""
    return Inquiry(
        channel="email",
        received_at=vn(2026, 3, 2, 9, 0),
        requester={"type": "individual", "name": "Trần Thị Bình"},
        subject=subject,
        content="Tôi đóng BHXH 25 năm, lương hưu được tính thế nào?",
    )


def opened(**kwargs: Any) -> Case:
    """A written case opened at 09:00 on Monday 2 March 2026, with fixed ids."""
    values: dict[str, Any] = {"case_id": "case-1", "event_id": "ev-1"}
    values.update(kwargs)
    source = values.pop("inquiry", None) or inquiry()
    return open_case(source, at=vn(2026, 3, 2, 9, 0), by="clerk", **values)


def classify(case: Case, kind: str = "question", at: datetime | None = None) -> None:
    """Complete intake."""
    case.complete(
        "intake",
        at=at or vn(2026, 3, 2, 9, 30),
        by="clerk",
        kind=kind,
        policy_areas=["social"],
        topic="pension",
        event_id="ev-2",
    )


class TestEquality:
    """Two cases are equal only when every part is."""

    def test_replay_equals_live_and_copies(self) -> None:
        """A replay, a copy and a deep copy equal the live case."""
        case = opened()
        classify(case)
        assert Case.replay(case.inquiry, case.history) == case
        assert copy.copy(case) == case
        assert copy.deepcopy(case) == case

    def test_another_id(self) -> None:
        """Same inquiry and process, another case id: not equal."""
        assert opened(case_id="case-2") != opened()

    def test_another_inquiry(self) -> None:
        """Same ids and moves, another inquiry: not equal."""
        assert opened(inquiry=inquiry("Thẻ BHYT")) != opened()

    def test_another_process(self) -> None:
        """Same ids and inquiry, another process: not equal."""
        assert opened(process=CALL_PROCESS) != opened(process=WRITTEN_PROCESS)

    def test_one_more_event(self) -> None:
        """The same case one move further: not equal."""
        case = opened()
        before = copy.deepcopy(case)
        classify(case)
        assert case != before

    def test_same_state_other_facts(self) -> None:
        """Same state after intake, but another classification: not equal."""
        question, complaint = opened(), opened()
        classify(question, "question")
        classify(complaint, "complaint")
        assert question.state == complaint.state
        assert question != complaint

    def test_not_a_case(self) -> None:
        """Comparing with something else is left to the other side."""
        case = opened()
        assert case.__eq__("case-1") is NotImplemented
        assert case != "case-1"


class TestStepDurations:
    """Time is charged to the state each event entered, a state visited twice summed."""

    def test_state_visited_twice(self) -> None:
        """Draft, then awaiting information, then draft again: both drafts are added."""
        case = opened()
        classify(case, at=vn(2026, 3, 2, 9, 30))
        case.complete("assign", at=vn(2026, 3, 2, 10, 0), by="lead", unit="hn")
        case.fire("request_info", at=vn(2026, 3, 2, 11, 0), by="agent")
        case.fire("provide_info", at=vn(2026, 3, 2, 14, 0), by="agent")
        case.complete("draft", at=vn(2026, 3, 2, 14, 45), by="agent", answer=ANSWER)
        assert case.step_durations() == {
            "intake": timedelta(minutes=30),
            "assign": timedelta(minutes=30),
            "draft": timedelta(hours=1, minutes=45),
            "awaiting_info": timedelta(hours=3),
        }
        assert case.step_durations(at=vn(2026, 3, 2, 15, 0))["review"] == timedelta(minutes=15)


class TestComplaintAnswer:
    """A complaint classified at intake needs an answer that cites its legal basis."""

    def _complaint(self) -> Case:
        case = opened()
        classify(case, "complaint")
        case.complete("assign", at=vn(2026, 3, 2, 10, 0), by="lead", unit="hn")
        return case

    def test_answer_without_legal_basis_is_refused(self) -> None:
        """No legal basis: the review's checklist refuses it and the case stays in review."""
        case = self._complaint()
        case.complete("draft", at=vn(2026, 3, 2, 11, 0), by="agent", answer=ANSWER)
        with pytest.raises(TransitionNotAllowed, match="legal basis"):
            case.complete("review", at=vn(2026, 3, 2, 11, 30), by="reviewer")
        assert case.state == "review"
        assert case.version == 4

    def test_answer_with_legal_basis_is_accepted(self) -> None:
        """With its legal basis the same complaint passes review."""
        case = self._complaint()
        case.complete("draft", at=vn(2026, 3, 2, 11, 0), by="agent", answer=LEGAL_ANSWER)
        case.complete("review", at=vn(2026, 3, 2, 11, 30), by="reviewer")
        assert case.state == "send"
