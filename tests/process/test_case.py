"""Cases: every step, side path and guard of both processes, refusals that change nothing."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest

from vss_care_core import (
    Answer,
    Case,
    ConcurrencyConflict,
    Event,
    InvalidEventError,
    NaiveDatetimeError,
    Priority,
    TransitionNotAllowed,
    open_case,
)
from vss_care_core.testing import DEFAULT_TIME, case_at, make_inquiry

T0 = DEFAULT_TIME
GOOD_DRAFT = (
    "Lương hưu hằng tháng được tính theo số năm đóng BHXH và mức bình quân tiền lương "
    "tháng đóng BHXH, theo Điều 66 Luật BHXH 2024."
)


def later(case: Case, minutes: float = 1) -> datetime:
    """A moment a little after the case's last event."""
    return case.history[-1].at + timedelta(minutes=minutes)


def snapshot(case: Case) -> tuple[object, ...]:
    """Everything observable about a case."""
    return (case.state, case.step, case.version, case.history, case.facts, case.outcome)


def assert_refused_unchanged(case: Case, move: str, **kwargs: object) -> TransitionNotAllowed:
    """The move is refused with TransitionNotAllowed and the case is exactly as it was."""
    before = snapshot(case)
    if move.startswith("complete:"):
        with pytest.raises(TransitionNotAllowed) as info:
            case.complete(move.split(":", 1)[1], at=later(case), by="a", **kwargs)
    else:
        with pytest.raises(TransitionNotAllowed) as info:
            case.fire(move, at=later(case), by="a", **kwargs)
    assert snapshot(case) == before
    return info.value


class TestCallProcess:
    def test_full_call(self) -> None:
        """Seven completions end the call with outcome 'closed' and eight events."""
        case = case_at("closed")
        assert case.outcome == "closed"
        assert case.version == 8
        assert [e.step for e in case.history[1:]] == list(case.definition.step_codes)
        assert case.allowed() == ()

    def test_open_at_step_one(self) -> None:
        """open_case picks the call process for the phone channel and starts at step 1."""
        case = open_case(make_inquiry(channel="phone"), at=T0, by="switchboard")
        assert (case.definition.name, case.step.number, case.step.code) == ("call", 1, "greet")
        assert case.outcome is None
        assert case.history[0].action == "open"

    def test_hold_and_resume_back_to_the_same_step(self) -> None:
        """Hold from 'listen' pauses; resume returns to 'listen'."""
        case = case_at("listen")
        case.fire("hold", at=later(case), by="a")
        assert (case.state, case.step.code, case.is_paused) == ("on_hold", "listen", True)
        assert case.allowed() == ("resume", "abandon", "set_priority")
        case.fire("resume", at=later(case, 2), by="a")
        assert case.state == "listen"
        assert case.step_durations()["on_hold"] == timedelta(minutes=2)

    def test_hold_not_allowed_in_greet(self) -> None:
        """Hold starts from 'identify' at the earliest."""
        case = case_at("greet")
        error = assert_refused_unchanged(case, "hold")
        assert "greet" in str(error)
        assert "abandon" in str(error)

    def test_transfer_keeps_step_records_assignee(self) -> None:
        """Transfer stays at the step and records the new assignee; to= is required."""
        case = case_at("respond")
        assert_refused_unchanged(case, "transfer")
        case.fire("transfer", at=later(case), by="a", to="specialist-queue-bhyt")
        assert case.state == "respond"
        assert case.facts.assignee == "specialist-queue-bhyt"

    def test_escalate_opens_linked_written_case(self) -> None:
        """Escalation ends the call and opens a written follow-up at its first step."""
        case = case_at("classify")
        case.complete("classify", at=later(case), by="a", kind="complaint",
                      policy_areas=["social"], topic="contribution")  # fmt: skip
        event = case.fire("escalate", at=later(case), by="a", note="needs records")
        assert case.outcome == "escalated"
        follow = case.follow_up()
        assert follow is not None
        assert follow.id == event.data["follow_up_case_id"]
        assert (follow.definition.name, follow.state) == ("written", "intake")
        assert follow.history[0].data["escalated_from"] == case.id
        assert follow.inquiry == case.inquiry
        replayed = Case.replay(case.inquiry, case.history)
        assert replayed.follow_up() == follow

    def test_escalate_refused_before_classify(self) -> None:
        """Escalation starts from 'classify' on."""
        assert_refused_unchanged(case_at("listen"), "escalate")

    @pytest.mark.parametrize("step", ["greet", "identify", "respond", "close"])
    def test_abandon_from_any_step(self, step: str) -> None:
        """The caller can hang up at any step before the goodbye is completed."""
        case = case_at(step)
        case.fire("abandon", at=later(case), by="system")
        assert case.outcome == "abandoned"

    def test_abandon_on_hold(self) -> None:
        """A caller on hold can hang up too."""
        case = case_at("confirm")
        case.fire("hold", at=later(case), by="a")
        case.fire("abandon", at=later(case), by="system")
        assert case.outcome == "abandoned"

    def test_classify_needs_classification_unless_inquiry_has_it(self) -> None:
        """No classification → refused; a classified inquiry needs no data."""
        case = case_at("classify")
        error = assert_refused_unchanged(case, "complete:classify")
        assert "classification is needed" in str(error)
        inquiry = make_inquiry(
            channel="phone", kind="question", policy_areas=["health"], topic="health-card"
        )
        classified = case_at("classify", inquiry=inquiry)
        classified.complete("classify", at=later(classified), by="a")
        assert classified.state == "respond"

    def test_classification_values_are_validated(self) -> None:
        """A wrong kind is refused with its field named."""
        case = case_at("classify")
        error = assert_refused_unchanged(
            case, "complete:classify", kind="gossip", policy_areas=["social"], topic="pension"
        )
        assert "kind" in str(error)

    def test_respond_needs_answer(self) -> None:
        """respond requires answer=."""
        error = assert_refused_unchanged(case_at("respond"), "complete:respond")
        assert "answer is needed" in str(error)

    def test_disclosure_needs_verified_identity(self) -> None:
        """An answer that reveals the caller's records needs identify(verified=True)."""
        inquiry = make_inquiry(channel="phone")
        case = open_case(inquiry, at=T0, by="a")
        case.complete("greet", at=later(case), by="a")
        case.complete("identify", at=later(case), by="a")  # not verified
        case.complete("listen", at=later(case), by="a")
        case.complete("classify", at=later(case), by="a", kind="question",
                      policy_areas=["social"], topic="contribution")  # fmt: skip
        answer = Answer(text="Quá trình đóng của anh đủ 20 năm.", discloses_personal_data=True)
        error = assert_refused_unchanged(case, "complete:respond", answer=answer)
        assert "verify the requester's identity" in str(error)

    def test_complete_wrong_step_names_current_step(self) -> None:
        """Completing another step than the current one is refused and says which is current."""
        error = assert_refused_unchanged(case_at("listen"), "complete:respond", answer="x")
        assert "the current step is 'listen'" in str(error)

    def test_fire_complete_is_refused(self) -> None:
        """fire('complete') points to complete()."""
        case = case_at("listen")
        with pytest.raises(TransitionNotAllowed, match=r"case.complete"):
            case.fire("complete", at=later(case), by="a")

    def test_set_priority(self) -> None:
        """set_priority changes no state; priority= must be a known level."""
        case = case_at("listen")
        assert_refused_unchanged(case, "set_priority", priority="asap")
        case.fire("set_priority", at=later(case), by="a", priority=Priority.URGENT)
        assert (case.state, case.priority) == ("listen", Priority.URGENT)


def written_at(step: str, **inquiry: object) -> Case:
    """A written case at ``step``."""
    return case_at(step, inquiry=make_inquiry(**inquiry)) if inquiry else case_at(step)


class TestWrittenProcess:
    def test_full_written_case(self) -> None:
        """Five completions end the case with outcome 'answered'."""
        case = case_at("answered")
        assert case.outcome == "answered"
        assert case.facts.unit == "CCC"
        assert case.allowed() == ("reopen",)

    def test_request_and_provide_info_return_to_the_step(self) -> None:
        """Waiting for the requester pauses at the step left; provide_info returns there."""
        case = written_at("draft")
        case.fire("request_info", at=later(case), by="a", note="need the contract")
        assert (case.state, case.step.code) == ("awaiting_info", "draft")
        case.fire("provide_info", at=later(case, 60 * 24), by="requester")
        assert case.state == "draft"
        assert case.step_durations()["awaiting_info"] == timedelta(days=1)

    def test_draft_needs_answer(self) -> None:
        """draft requires answer=; a blank answer is refused with its field named."""
        case = written_at("draft")
        error = assert_refused_unchanged(case, "complete:draft")
        assert "answer is needed" in str(error)
        error = assert_refused_unchanged(case, "complete:draft", answer="   ")
        assert "answer" in str(error)

    def test_written_disclosure_needs_verified_identity(self) -> None:
        """Review refuses an answer that reveals the requester's records until identity is
        verified; verified=True on provide_info (or at intake) lifts it."""
        case = written_at("draft")
        answer = Answer(text=GOOD_DRAFT, discloses_personal_data=True)
        case.complete("draft", at=later(case), by="a", answer=answer)
        error = assert_refused_unchanged(case, "complete:review")
        assert "verify the requester's identity" in str(error)
        case.fire("request_info", at=later(case), by="lead", note="copy of the CCCD please")
        case.fire("provide_info", at=later(case), by="requester", verified=True)
        case.complete("review", at=later(case), by="lead")
        assert case.state == "send"

    def test_return_draft_needs_reasons(self) -> None:
        """Review sends the draft back only with reasons."""
        case = written_at("review")
        assert_refused_unchanged(case, "return_draft")
        assert_refused_unchanged(case, "return_draft", reasons=[])
        case.fire("return_draft", at=later(case), by="lead", reasons=["cite the decree"])
        assert case.state == "draft"

    def test_reassign_goes_back_to_assign(self) -> None:
        """Reassign from draft returns to the assign step."""
        case = written_at("draft")
        case.fire("reassign", at=later(case), by="lead")
        assert case.state == "assign"

    def test_forward_needs_agency(self) -> None:
        """Forwarding outside VSS's authority names the agency and ends the case."""
        case = written_at("assign")
        assert_refused_unchanged(case, "forward")
        case.fire("forward", at=later(case), by="a", agency="Sở Nội vụ Hà Nội")
        assert case.outcome == "forwarded"

    def test_merge_needs_target_and_keeps_link(self) -> None:
        """A duplicate is merged into another case, whose id is kept."""
        case = written_at("intake")
        assert_refused_unchanged(case, "merge")
        event = case.fire("merge", at=later(case), by="a", into="case-42")
        assert (case.outcome, event.data["into"]) == ("merged", "case-42")

    def test_withdraw(self) -> None:
        """The requester withdraws at any point before the answer is sent."""
        case = written_at("review")
        case.fire("withdraw", at=later(case), by="requester")
        assert case.outcome == "withdrawn"

    def test_reopen_counts(self) -> None:
        """After 'answered', reopen returns to draft and is counted."""
        case = case_at("answered")
        case.fire("reopen", at=later(case), by="requester", note="not satisfied")
        assert (case.state, case.facts.reopens, case.outcome) == ("draft", 1, None)

    def test_reopen_only_after_answered(self) -> None:
        """A case still in progress cannot be reopened."""
        assert_refused_unchanged(written_at("draft"), "reopen")

    def test_suspend_pauses(self) -> None:
        """Suspension pauses handling and returns to the step."""
        case = written_at("draft")
        case.fire("suspend", at=later(case), by="lead")
        assert case.is_paused
        case.fire("unsuspend", at=later(case), by="lead")
        assert case.state == "draft"

    def test_review_checklist_refuses_incomplete_answer(self) -> None:
        """A short answer that ignores the question is refused with every problem."""
        case = written_at("draft")
        case.complete("draft", at=later(case), by="a", answer="Đã nhận được thư.")
        error = assert_refused_unchanged(case, "complete:review")
        assert "incomplete" in str(error)
        assert "does not address the question" in str(error)

    def test_review_needs_legal_basis_for_complaints(self) -> None:
        """A complaint's answer must cite its legal basis."""
        case = case_at("draft")
        inquiry = make_inquiry(kind="complaint", policy_areas=["social"], topic="pension")
        case = open_case(inquiry, at=T0, by="a")
        case.complete("intake", at=later(case), by="a")
        case.complete("assign", at=later(case), by="a", unit="BHXH-HN")
        text = "Lương hưu của ông được tính đúng theo số năm đóng BHXH và mức bình quân."
        case.complete("draft", at=later(case), by="a", answer=text)
        error = assert_refused_unchanged(case, "complete:review")
        assert "legal basis" in str(error)
        case.fire("return_draft", at=later(case), by="lead", reasons=["legal basis"])
        case.complete(
            "draft", at=later(case), by="a",
            answer=Answer(text=text, legal_basis=("Luật BHXH 2024, Điều 66",)),
        )  # fmt: skip
        case.complete("review", at=later(case), by="lead")
        assert case.state == "send"

    def test_review_refuses_someone_elses_personal_data(self) -> None:
        """An answer quoting another person's ID number is refused, masked in the message."""
        case = written_at("draft")
        text = GOOD_DRAFT + " Hồ sơ của ông 079203009999 cũng vậy."
        case.complete("draft", at=later(case), by="a", answer=text)
        error = assert_refused_unchanged(case, "complete:review")
        assert "someone else" in str(error)
        assert "079203009999" not in str(error)

    def test_requesters_own_data_is_fine_when_verified(self) -> None:
        """The requester's own ID in the answer is accepted once identity is verified."""
        case = open_case(make_inquiry(), at=T0, by="a")
        case.complete("intake", at=later(case), by="a", verified=True, kind="question",
                      policy_areas=["social"], topic="pension")  # fmt: skip
        case.complete("assign", at=later(case), by="a")
        text = GOOD_DRAFT + " Mã số 001203004567 là của ông."
        case.complete(
            "draft", at=later(case), by="a",
            answer=Answer(text=text, discloses_personal_data=True),
        )  # fmt: skip
        case.complete("review", at=later(case), by="lead")
        assert case.state == "send"


class TestTimeVersionsAndReplay:
    def test_naive_time_refused(self) -> None:
        """A naive datetime is refused before anything changes."""
        case = case_at("listen")
        before = snapshot(case)
        with pytest.raises(NaiveDatetimeError):
            case.complete("listen", at=datetime(2026, 3, 2, 10, 0), by="a")  # noqa: DTZ001
        assert snapshot(case) == before

    def test_time_never_goes_backwards(self) -> None:
        """An event earlier than the last one is refused."""
        case = case_at("listen")
        before = snapshot(case)
        with pytest.raises(InvalidEventError, match="time never goes backwards"):
            case.complete("listen", at=T0 - timedelta(seconds=1), by="a")
        assert snapshot(case) == before

    def test_same_moment_allowed(self) -> None:
        """Two moves at the same instant are fine (UTC and +07 compare as instants)."""
        case = case_at("listen")
        same = case.history[-1].at.astimezone(UTC)
        case.complete("listen", at=same, by="a")
        assert case.state == "classify"

    def test_expected_version(self) -> None:
        """A stale writer gets ConcurrencyConflict and changes nothing."""
        case = case_at("listen")
        version = case.version
        case.complete("listen", at=later(case), by="a", expected_version=version)
        before = snapshot(case)
        with pytest.raises(ConcurrencyConflict) as info:
            case.fire("hold", at=later(case), by="b", expected_version=version)
        assert (info.value.expected, info.value.actual) == (version, version + 1)
        assert snapshot(case) == before

    def test_event_id_makes_moves_idempotent(self) -> None:
        """The same command delivered twice is applied once."""
        case = case_at("listen")
        first = case.complete("listen", at=later(case), by="a", event_id="cmd-1")
        again = case.complete("listen", at=later(case), by="a", event_id="cmd-1")
        assert first is again
        assert case.state == "classify"

    def test_replay_equals_live_case_through_json(self) -> None:
        """Replaying the stored history (through JSON) rebuilds an identical case."""
        case = case_at("review")
        case.fire("return_draft", at=later(case), by="lead", reasons=["clearer"])
        stored = [e.model_dump_json() for e in case.history]
        rebuilt = Case.replay(case.inquiry, [Event.model_validate_json(s) for s in stored])
        assert rebuilt == case
        assert snapshot(rebuilt) == snapshot(case)

    def test_apply_duplicate_is_noop_and_foreign_event_refused(self) -> None:
        """A redelivered event is a no-op; an event out of sequence is refused."""
        live = case_at("listen")
        copy_ = Case.replay(live.inquiry, live.history[:-1])
        copy_.apply(live.history[-1])
        assert copy_ == live
        copy_.apply(live.history[-1])
        assert copy_.version == live.version
        bogus = Event(
            case_id=live.id, seq=live.version + 5, at=later(live), by="a",
            action="complete", step="listen", from_state="listen", to_state="classify",
        )  # fmt: skip
        with pytest.raises(InvalidEventError, match="seq"):
            copy_.apply(bogus)

    def test_apply_refuses_forged_target(self) -> None:
        """An event whose target disagrees with the process is refused."""
        live = case_at("listen")
        forged = Event(
            case_id=live.id, seq=live.version + 1, at=later(live), by="a",
            action="complete", step="listen", from_state="listen", to_state="close",
        )  # fmt: skip
        before = snapshot(live)
        with pytest.raises(InvalidEventError, match="does not match"):
            live.apply(forged)
        assert snapshot(live) == before

    def test_apply_refuses_a_step_on_a_side_path(self) -> None:
        """Only a completion names a step: a side path's event that names one was forged."""
        live = case_at("listen")
        forged = Event(
            case_id=live.id, seq=live.version + 1, at=later(live), by="a",
            action="hold", step="listen", from_state="listen", to_state="on_hold",
        )  # fmt: skip
        before = snapshot(live)
        with pytest.raises(InvalidEventError, match="does not match"):
            live.apply(forged)
        assert snapshot(live) == before
        honest = Event(
            case_id=live.id, seq=live.version + 1, at=later(live), by="a",
            action="hold", from_state="listen", to_state="on_hold",
        )  # fmt: skip
        assert live.apply(honest) is honest

    def test_apply_refuses_data_the_move_would_record_otherwise(self) -> None:
        """A classification recorded in part (the move records it whole) was not written by a
        move: refused, even though its state and step agree with the process."""
        inquiry = make_inquiry(channel="phone", policy_areas=["social"], topic="pension")
        live = case_at("classify", inquiry=inquiry, at=inquiry.received_at)
        at = later(live)
        partial = Event(
            case_id=live.id, seq=live.version + 1, at=at, by="a", action="complete",
            step="classify", from_state="classify", to_state="respond",
            data={"kind": "question"},
        )  # fmt: skip
        with pytest.raises(InvalidEventError, match="does not match"):
            live.apply(partial)
        recorded = copy.copy(live).complete("classify", at=at, by="a", kind="question")
        assert dict(recorded.data) == {
            "kind": "question", "policy_areas": ["social"], "topic": "pension"
        }  # fmt: skip
        assert live.apply(recorded) is recorded

    def test_data_must_be_json(self) -> None:
        """Step data that is not JSON-compatible is refused clearly."""
        case = case_at("listen")
        with pytest.raises(ValueError, match="JSON"):
            case.complete("listen", at=later(case), by="a", note=object())

    def test_history_is_immutable(self) -> None:
        """The history is a tuple; a deep copy of the case is independent."""
        case = case_at("listen")
        assert isinstance(case.history, tuple)
        twin = copy.deepcopy(case)
        twin.complete("listen", at=later(twin), by="a")
        assert case.state == "listen"

    def test_case_cannot_be_built_directly(self) -> None:
        """Cases come from open_case or replay."""
        with pytest.raises(TypeError, match="open_case"):
            Case()

    def test_step_durations_with_at(self) -> None:
        """The running step is charged up to at=."""
        case = case_at("listen")
        durations = case.step_durations(at=later(case, 5))
        assert durations["listen"] == timedelta(minutes=5)
        assert durations["greet"] == timedelta(minutes=1)


class TestTrustedReplay:
    def test_same_case_as_full_replay(self) -> None:
        """A trusted replay of a stored history equals the live case, facts included."""
        case = case_at("review")
        case.fire("return_draft", at=later(case), by="lead", reasons=["clearer"])
        case.fire("set_priority", at=later(case), by="lead", priority="high")
        case.complete("draft", at=later(case), by="a", answer=GOOD_DRAFT)
        stored = [Event.model_validate_json(e.model_dump_json()) for e in case.history]
        rebuilt = Case.replay(case.inquiry, stored, trusted=True)
        assert rebuilt == case
        assert rebuilt.facts.answer is not None
        assert rebuilt.priority is Priority.HIGH

    def test_structure_still_checked(self) -> None:
        """A forged target or a gap in the sequence is refused even when trusted."""
        live = case_at("listen")
        forged = Event(
            case_id=live.id, seq=live.version + 1, at=later(live), by="a",
            action="complete", step="listen", from_state="listen", to_state="close",
        )  # fmt: skip
        with pytest.raises(InvalidEventError, match="does not follow the process"):
            Case.replay(live.inquiry, [*live.history, forged], trusted=True)
        with pytest.raises(InvalidEventError, match="does not follow the process"):
            Case.replay(live.inquiry, [live.history[0], *live.history[2:]], trusted=True)

    def test_guards_are_not_run_again(self) -> None:
        """Trusted means the guards ran when the events were written: a stored approval that
        today's checklist would refuse is replayed as it was, where a full replay refuses it."""
        case = case_at("draft")
        case.complete("draft", at=later(case), by="a", answer="Đã nhận.")
        approval = Event(
            case_id=case.id, seq=case.version + 1, at=later(case), by="lead",
            action="complete", step="review", from_state="review", to_state="send",
        )  # fmt: skip
        history = [*case.history, approval]
        assert Case.replay(case.inquiry, history, trusted=True).state == "send"
        with pytest.raises(TransitionNotAllowed, match="incomplete"):
            Case.replay(case.inquiry, history)
