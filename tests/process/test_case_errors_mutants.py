"""Cases: what each refusal says and carries, and a few edges of reading a case.

Messages are part of the promise (where, what, how to fix), so the parts each error carries are
checked exactly: the case, the event id, the two moves a duplicate id names, the versions.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from vss_care_core.errors import (
    DuplicateEventError,
    InvalidEventError,
    InvalidInputError,
    TransitionNotAllowed,
)
from vss_care_core.models import Answer, Event, move_of
from vss_care_core.process import (
    CALL_PROCESS,
    WRITTEN_PROCESS,
    Case,
    ProcessDefinition,
    check_structure,
    first_stray_move,
    open_case,
)
from vss_care_core.testing import case_at, make_inquiry

VN = ZoneInfo("Asia/Ho_Chi_Minh")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=VN)


def later(case: Case, minutes: int = 1) -> datetime:
    """A moment a little after the case's last event."""
    return case.history[-1].at + timedelta(minutes=minutes)


def call(case_id: str = "call-1") -> Case:
    """A call opened at 09:00 on Monday 2 March 2026, greeted at 09:01 (event ``e-2``)."""
    case = open_case(make_inquiry(channel="phone", received_at=T0), at=T0, by="sw", case_id=case_id)
    case.complete("greet", at=T0 + timedelta(minutes=1), by="agent", event_id="e-2")
    return case


def with_id(event: Event, **changes: object) -> Event:
    """The same event with some fields changed."""
    return replace(event, **changes)  # type: ignore[type-var]


class TestDuplicateIds:
    """A duplicate id names the case, the id, both moves and the version."""

    def test_new_move_with_a_used_id(self) -> None:
        """A different move sent with an id already used: both moves are named."""
        case = call()
        with pytest.raises(DuplicateEventError) as info:
            case.complete("identify", at=later(case), by="agent", event_id="e-2")
        error = info.value
        assert (error.case_id, error.event_id) == ("call-1", "e-2")
        assert error.first == "seq 2 (complete:greet)"
        assert error.second == "a new move (complete:identify)"
        assert (error.expected, error.actual) == (2, 2)

    def test_side_path_with_a_used_id(self) -> None:
        """A side path sent with a completion's id is named by its action."""
        case = call()
        with pytest.raises(DuplicateEventError) as info:
            case.fire("abandon", at=later(case), by="agent", event_id="e-2")
        assert info.value.second == "a new move (abandon)"

    def test_same_side_path_sent_again(self) -> None:
        """The same side path sent again with its id is the recorded event."""
        case = call()
        first = case.fire("set_priority", at=later(case), by="a", priority="high", event_id="p")
        again = case.fire("set_priority", at=later(case, 5), by="a", priority="high", event_id="p")
        assert again is first
        assert case.version == 3

    def test_apply_another_event_with_a_used_id(self) -> None:
        """apply() of another event under a used id names both events."""
        case = call()
        other = with_id(case.history[-1], by="someone-else")
        with pytest.raises(DuplicateEventError) as info:
            case.apply(other)
        error = info.value
        assert (error.case_id, error.event_id) == ("call-1", "e-2")
        assert (error.first, error.second) == ("seq 2 (complete:greet)", "seq 2 (complete:greet)")
        assert error.expected == 2

    def test_replay_with_a_used_id(self) -> None:
        """A history using an id twice is refused on replay, naming both events."""
        case = call()
        case.fire("abandon", at=later(case), by="agent", event_id="e-3")
        history = list(case.history)
        history[2] = with_id(history[2], id="e-2")
        with pytest.raises(DuplicateEventError) as info:
            Case.replay(case.inquiry, history)
        error = info.value
        assert (error.case_id, error.event_id) == ("call-1", "e-2")
        assert (error.first, error.second) == ("seq 2 (complete:greet)", "seq 3 (abandon)")
        assert error.expected == 2
        with pytest.raises(DuplicateEventError) as trusted:
            Case.replay(case.inquiry, history, trusted=True)
        assert (trusted.value.case_id, trusted.value.event_id) == ("call-1", "e-2")
        assert trusted.value.expected == 2


class TestInvalidEvents:
    """Events that do not fit are refused with a message saying which and why."""

    def test_event_of_another_case(self) -> None:
        """An event of another case names both."""
        case, other = call("call-1"), call("call-2")
        other.complete("identify", at=later(other), by="agent", event_id="x-3")
        with pytest.raises(InvalidEventError, match="event 'x-3' belongs to case 'call-2'"):
            case.apply(other.history[-1])

    def test_event_with_the_wrong_seq(self) -> None:
        """An event with a seq out of order says which seq the case expects."""
        case = call()
        twin = call()
        twin.complete("identify", at=later(twin), by="agent", event_id="e-3")
        twin.complete("listen", at=later(twin), by="agent", event_id="e-4")
        with pytest.raises(InvalidEventError, match=r"has seq 4, the case expects 3$"):
            case.apply(twin.history[-1])

    def test_event_from_another_state(self) -> None:
        """An event starting from another state names both states."""
        case = call()
        event = with_id(case_at("classify").history[-1], case_id="call-1", seq=3, id="e-3")
        with pytest.raises(InvalidEventError) as info:
            case.apply(event)
        assert str(info.value) == "event 'e-3' starts from 'listen', the case is in 'identify'"

    def test_history_without_opening(self) -> None:
        """An empty history, or one not starting with 'open', is refused."""
        case = call()
        for history in ([], list(case.history[1:])):
            with pytest.raises(InvalidEventError, match=r"^a history starts with its 'open' event"):
                Case.replay(case.inquiry, history)

    def test_unknown_process_named(self) -> None:
        """An opening naming no standard process says so and how to replay it."""
        case = call()
        for data, shown in (({}, "''"), ({"process": "fax"}, "'fax'")):
            opening = with_id(case.history[0], data=data)
            with pytest.raises(InvalidEventError) as info:
                Case.replay(case.inquiry, [opening])
            assert str(info.value) == (
                f"the opening event names a process {shown} that is not a standard one: "
                "pass its definition with process= to Case.replay"
            )

    def test_opening_of_another_inquiry(self) -> None:
        """An opening that does not match the inquiry names the event."""
        case = call()
        opening = with_id(case.history[0], data={"process": "call", "inquiry_id": "other"})
        with pytest.raises(InvalidEventError, match=r"the opening event '.+' does not match"):
            Case.replay(case.inquiry, [opening])

    def test_replay_before_the_inquiry_was_received_is_accepted(self) -> None:
        """A stored history is replayed as it is, even opened before the inquiry arrived."""
        inquiry = make_inquiry(channel="phone", received_at=T0)
        case = open_case(inquiry, at=T0, by="sw", case_id="c", event_id="o")
        early = with_id(case.history[0], at=T0 - timedelta(minutes=5))
        replayed = Case.replay(inquiry, [early])
        assert replayed.history == (early,)
        assert replayed.history[0].data == case.history[0].data

    def test_check_structure_messages(self) -> None:
        """A bad opening, another case, a seq gap or time going back: each refused."""
        case = case_at("listen")
        events = list(case.history)
        with pytest.raises(InvalidEventError, match="does not open a case of the 'call' process"):
            check_structure(CALL_PROCESS, [with_id(events[0], seq=2), *events[1:]])
        bad_cases = (
            with_id(events[2], case_id="other"),
            with_id(events[2], seq=9),
            with_id(events[2], at=events[0].at - timedelta(minutes=1)),
        )
        for bad in bad_cases:
            history = [*events[:2], bad, *events[3:]]
            with pytest.raises(InvalidEventError) as info:
                check_structure(CALL_PROCESS, history)
            assert str(info.value) == (
                f"event {bad.id!r} (seq {bad.seq}) does not follow the process from "
                f"{events[1].to_state!r}; replay without trusted=True to see why"
            )

    def test_check_structure_opening_in_another_state(self) -> None:
        """An opening with seq 1 that enters another state does not open a case."""
        events = list(case_at("listen").history)
        with pytest.raises(InvalidEventError, match="does not open a case of the 'call' process"):
            check_structure(CALL_PROCESS, [with_id(events[0], to_state="listen"), *events[1:]])

    def test_trusted_replay_keeps_ids(self) -> None:
        """After a trusted replay, a move sent again with a known id is the recorded one."""
        case = call()
        replayed = Case.replay(case.inquiry, case.history, trusted=True)
        assert replayed == case
        again = replayed.complete("greet", at=later(case), by="agent", event_id="e-2")
        assert again is replayed.history[1]
        assert replayed.version == 2

    def test_replay_of_a_follow_up_case(self) -> None:
        """A follow-up case's opening carries where it came from; its replay equals it."""
        case = case_at("classify")
        case.fire("escalate", at=later(case), by="agent")
        follow = case.follow_up()
        assert follow is not None
        assert follow.history[0].data["escalated_from"] == case.id
        assert Case.replay(follow.inquiry, follow.history) == follow

    def test_first_stray_move_opening(self) -> None:
        """An opening in the wrong state, or not an opening at all, is move 0."""
        good = [move_of(event) for event in case_at("listen").history]
        assert first_stray_move(CALL_PROCESS, good) is None
        paused = case_at("confirm")
        paused.fire("hold", at=later(paused), by="a")
        paused.fire("resume", at=later(paused), by="a")
        assert paused.state == "confirm"
        assert first_stray_move(CALL_PROCESS, [move_of(e) for e in paused.history]) is None
        assert first_stray_move(CALL_PROCESS, [good[0]._replace(to_state="listen")]) == 0
        assert first_stray_move(CALL_PROCESS, [good[0]._replace(action="hold")]) == 0


class TestReading:
    """repr, allowed moves, the constructor and step durations at the edges."""

    def test_constructor_says_how_to_make_a_case(self) -> None:
        """Case() is refused with the two ways to get one."""
        with pytest.raises(TypeError) as info:
            Case()
        assert str(info.value) == (
            "open a case with open_case(...) or rebuild one with Case.replay(...)"
        )

    def test_repr_masks_the_id(self) -> None:
        """The repr shows the masked id, the process, the state and the version."""
        case = call("CASE-123456789")
        text = repr(case)
        assert "CASE-123456789" not in text
        assert re.fullmatch(
            r"Case\(id='[^']+', process='call', state='identify', version=2\)", text
        )
        assert "None" not in text

    def test_allowed_names_complete_plainly(self) -> None:
        """allowed() says 'complete', not the step-qualified move."""
        assert call().allowed() == ("complete", "hold", "transfer", "abandon", "set_priority")
        assert case_at("intake").allowed()[0] == "complete"

    def test_durations_at_the_last_event(self) -> None:
        """Asked at the moment of the last event, the current state gets zero more."""
        case = call()
        durations = case.step_durations(at=later(case, 0))
        assert durations == {"greet": timedelta(minutes=1), "identify": timedelta()}

    def test_durations_add_to_a_state_seen_before(self) -> None:
        """The open time since the last event adds to what the state already had."""
        case = call()
        case.fire("hold", at=later(case, 2), by="a")
        case.fire("resume", at=later(case, 3), by="a")
        durations = case.step_durations(at=later(case, 4))
        assert durations["identify"] == timedelta(minutes=6)
        assert durations["on_hold"] == timedelta(minutes=3)

    def test_durations_refuse_naive_and_early(self) -> None:
        """A naive at= names at=; one before the last event says so."""
        case = call()
        with pytest.raises(InvalidInputError, match=r"^at must be timezone-aware"):
            case.step_durations(at=datetime(2026, 3, 2, 10, 0))  # noqa: DTZ001 - the point
        with pytest.raises(InvalidInputError) as info:
            case.step_durations(at=T0)
        assert str(info.value) == "at= is earlier than the case's last event"


class TestFollowUp:
    """The follow-up case of an escalation."""

    def test_follow_up_is_derived_from_the_escalation(self) -> None:
        """Same id every time, opened by the escalating event, in the written process."""
        case = case_at("classify")
        escalation = case.fire("escalate", at=later(case), by="agent")
        follow = case.follow_up()
        assert follow is not None
        assert follow.definition is WRITTEN_PROCESS or follow.definition == WRITTEN_PROCESS
        assert follow.id == escalation.data["follow_up_case_id"]
        assert follow.history[0].id == f"{escalation.id}.open"
        assert follow.history[0].at == escalation.at
        assert follow == case.follow_up()

    def test_no_follow_up_without_escalation(self) -> None:
        """A data key follow_up_case_id on another move opens nothing."""
        case = call()
        case.fire("set_priority", at=later(case), by="a", priority="high", follow_up_case_id="x")
        assert case.follow_up() is None


class TestReviewOnTheDay:
    """The review checklist judges citations on the day of the review."""

    def test_citation_of_a_replaced_law_is_refused(self) -> None:
        """A complaint answer citing the 2014 law, replaced on 1 July 2025, fails review."""
        inquiry = make_inquiry(received_at=T0)
        case = open_case(inquiry, at=T0, by="clerk")
        case.complete(
            "intake",
            at=later(case),
            by="clerk",
            kind="complaint",
            policy_areas=["social"],
            topic="pension",
        )
        case.complete("assign", at=later(case), by="lead", unit="CCC")
        answer = Answer(
            text="Khiếu nại về lương hưu của bạn được giải quyết theo số năm đóng bảo hiểm xã "
            "hội và mức bình quân tiền lương tháng đóng bảo hiểm xã hội.",
            legal_basis=("58/2014/QH13",),
        )
        case.complete("draft", at=later(case), by="officer", answer=answer)
        with pytest.raises(TransitionNotAllowed, match="58/2014/QH13"):
            case.complete("review", at=later(case), by="lead")
        assert case.state == "review"


def variant(base: ProcessDefinition, **changes: Any) -> ProcessDefinition:
    """A copy of a standard process with some steps' guards, or top-level keys, changed."""
    data = base.to_dict()
    guards = changes.pop("guards", {})
    for step in data["steps"]:
        if step["code"] in guards:
            step["guards"] = guards[step["code"]]
    data.update(changes)
    return ProcessDefinition.from_dict({**data, "name": f"{base.name}_variant"})


class TestGuardMessages:
    """The guards' refusals say what is missing and how to give it."""

    def test_no_answer(self) -> None:
        """Drafting without an answer says how to give one."""
        case = case_at("draft")
        with pytest.raises(TransitionNotAllowed) as info:
            case.complete("draft", at=later(case), by="officer")
        assert "an answer is needed: give answer='...' or answer=Answer(...)" in info.value.problems

    def test_disclosure_without_verification(self) -> None:
        """An answer disclosing personal data before verification says how to verify."""
        case = case_at("identify")
        case.complete("identify", at=later(case), by="agent")
        case.complete("listen", at=later(case), by="agent")
        case.complete(
            "classify",
            at=later(case),
            by="agent",
            kind="question",
            policy_areas=["social"],
            topic="pension",
        )
        answer = Answer(
            text="Lương hưu của bạn được tính theo số năm đóng bảo hiểm xã hội.",
            discloses_personal_data=True,
        )
        with pytest.raises(TransitionNotAllowed) as info:
            case.complete("respond", at=later(case), by="agent", answer=answer)
        assert info.value.problems == (
            "the answer discloses the requester's personal data: verify the requester's "
            "identity first (complete('identify', verified=True) on a call; "
            "verified=True at intake or provide_info for a written case)",
        )

    def test_review_without_a_draft(self) -> None:
        """A process whose draft step records no answer cannot pass review: it says why."""
        definition = variant(WRITTEN_PROCESS, guards={"draft": []})
        case = open_case(make_inquiry(received_at=T0), at=T0, by="clerk", process=definition)
        case.complete(
            "intake",
            at=later(case),
            by="clerk",
            kind="question",
            policy_areas=["social"],
            topic="pension",
        )
        case.complete("assign", at=later(case), by="lead", unit="CCC")
        case.complete("draft", at=later(case), by="officer")
        with pytest.raises(TransitionNotAllowed) as info:
            case.complete("review", at=later(case), by="lead")
        assert info.value.problems == ("there is no drafted answer to review",)

    def test_review_without_any_classification(self) -> None:
        """Without a classification anywhere, the review judges the answer as a question."""
        definition = variant(WRITTEN_PROCESS, guards={"intake": []})
        case = open_case(make_inquiry(received_at=T0), at=T0, by="clerk", process=definition)
        assert case.classification is None
        case.complete("intake", at=later(case), by="clerk")
        case.complete("assign", at=later(case), by="lead", unit="CCC")
        draft = (
            "Lương hưu hằng tháng được tính theo số năm đóng BHXH và mức bình quân tiền lương "
            "tháng đóng BHXH, theo Điều 66 Luật BHXH 2024."
        )
        case.complete("draft", at=later(case), by="officer", answer=draft)
        case.complete("review", at=later(case), by="lead")
        assert case.state == "send"

    def test_follow_up_without_a_named_process(self) -> None:
        """An escalating process that names no follow-up process says none is known."""
        definition = variant(CALL_PROCESS, follow_up_process=None)
        case = open_case(
            make_inquiry(channel="phone", received_at=T0), at=T0, by="sw", process=definition
        )
        for step in ("greet", "identify", "listen"):
            case.complete(step, at=later(case), by="agent")
        case.fire("escalate", at=later(case), by="agent")
        with pytest.raises(KeyError, match="''"):
            case.follow_up()
        assert case.follow_up(process=WRITTEN_PROCESS) is not None
