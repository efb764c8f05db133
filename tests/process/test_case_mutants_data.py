"""A move's data: converted and checked once, and measured again once the move completed it.

Written for the mutation run of ``process/_case.py``: the size of what an event records is
checked after a move fills in its classification, its answer or its follow-up case id; the data
of the opening event keeps the process and the inquiry; a move without data still counts.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

import pytest
from pydantic_core import to_json

from vss_care_core.errors import (
    ConcurrencyConflict,
    InvalidEventError,
    InvalidInputError,
    NaiveDatetimeError,
    TransitionNotAllowed,
)
from vss_care_core.models import (
    MAX_DATA_BYTES,
    VIETNAM_TZ,
    Answer,
    InquiryKind,
    PolicyArea,
    Priority,
)
from vss_care_core.process import (
    CALL_PROCESS,
    WRITTEN_PROCESS,
    Case,
    ProcessDefinition,
    open_case,
)
from vss_care_core.testing import case_at, make_inquiry

AT = datetime(2026, 3, 2, 9, 0, tzinfo=VIETNAM_TZ)
UNITS = MappingProxyType({"CCC": "the Customer Care Center"})
"""A directory of one unit: any other code is a ``KeyError``."""
TEXT = "ệ" * 20_000  # the longest answer: 60,000 bytes in UTF-8


def size(data: dict[str, Any]) -> int:
    """Bytes of ``data`` as compact JSON in UTF-8."""
    return len(to_json(data))


def padded(data: dict[str, Any], completed: dict[str, Any], target: int) -> dict[str, Any]:
    """``data`` with a ``note`` so that ``completed`` (what the move records, with the same
    note) takes ``target`` bytes."""
    note = "n" * (target - size({**completed, "note": ""}))
    return {**data, "note": note}


def call_at(step: str) -> Case:
    return case_at(step, inquiry=make_inquiry(channel="phone", received_at=AT), at=AT)


def later(case: Case) -> datetime:
    return case.history[-1].at + timedelta(minutes=1)


class TestSizeOnceCompleted:
    """The given data fits; what the move records may not, and is refused unchanged."""

    def answer_data(self, target: int) -> dict[str, Any]:
        completed = {"answer": {"text": TEXT, "legal_basis": [], "discloses_personal_data": False}}
        return padded({"answer": TEXT}, completed, target)

    def test_answer_given_as_text(self) -> None:
        fits = self.answer_data(MAX_DATA_BYTES)
        assert size(fits) < MAX_DATA_BYTES - 40  # the given data is far below the bound
        case = call_at("respond")
        event = case.complete("respond", at=later(case), by="agent-1", **fits)
        assert size(dict(event.data)) == MAX_DATA_BYTES

        case = call_at("respond")
        with pytest.raises(InvalidInputError) as refused:
            case.complete(
                "respond", at=later(case), by="agent-1", **self.answer_data(MAX_DATA_BYTES + 1)
            )
        assert str(refused.value) == (
            "data takes 65,537 bytes as JSON; at most 65,536 are allowed: store large documents "
            "elsewhere and keep their reference"
        )
        assert (case.state, case.version) == ("respond", 5)

    def test_classification_filled_in_from_the_inquiry(self) -> None:
        inquiry = make_inquiry(received_at=AT, policy_areas=("social",), topic="pension")
        assert inquiry.classification is None  # no kind: the move gives it
        completed = {"kind": "question", "policy_areas": ["social"], "topic": "pension"}
        for target, accepted in ((MAX_DATA_BYTES, True), (MAX_DATA_BYTES + 1, False)):
            case = open_case(inquiry, at=AT, by="clerk")
            data = padded({"kind": "question"}, completed, target)
            assert size(data) <= MAX_DATA_BYTES
            if accepted:
                event = case.complete("intake", at=AT, by="clerk", **data)
                assert size(dict(event.data)) == target
                assert event.data["topic"] == "pension"
            else:
                with pytest.raises(InvalidInputError, match=r"^data takes 65,537 bytes"):
                    case.complete("intake", at=AT, by="clerk", **data)
                assert (case.state, case.version) == ("intake", 1)

    def test_follow_up_case_id_added(self) -> None:
        completed = {"follow_up_case_id": "f" * 32}
        for target, accepted in ((MAX_DATA_BYTES, True), (MAX_DATA_BYTES + 1, False)):
            case = call_at("respond")
            data = padded({}, completed, target)
            assert size(data) <= MAX_DATA_BYTES
            if accepted:
                event = case.fire("escalate", at=later(case), by="agent-1", **data)
                assert len(str(event.data["follow_up_case_id"])) == 32
                assert size(dict(event.data)) == target
            else:
                with pytest.raises(InvalidInputError, match=r"^data takes 65,537 bytes"):
                    case.fire("escalate", at=later(case), by="agent-1", **data)
                assert case.is_open

    def test_moves_that_complete_nothing_are_measured_once(self) -> None:
        """A move that completes nothing is refused at the bound by the one check."""
        case = call_at("listen")
        data = padded({}, {}, MAX_DATA_BYTES + 1)
        with pytest.raises(InvalidInputError, match=r"^data takes 65,537 bytes"):
            case.complete("listen", at=later(case), by="agent-1", **data)
        event = case.complete("listen", at=later(case), by="agent-1", **padded({}, {}, 65_536))
        assert size(dict(event.data)) == MAX_DATA_BYTES


class TestConvertedOnce:
    """What a move is given is recorded in its plain JSON form, and reads back equal."""

    def test_enums_tuples_and_models(self) -> None:
        case = call_at("classify")
        event = case.complete(
            "classify",
            at=later(case),
            by="agent-1",
            kind=InquiryKind.QUESTION,
            policy_areas=(PolicyArea.SOCIAL,),
            topic="pension",
        )
        assert dict(event.data) == {
            "kind": "question",
            "policy_areas": ["social"],
            "topic": "pension",
        }
        assert type(event.data["kind"]) is str
        answer = Answer(text="Có.", legal_basis=("Luật Bảo hiểm xã hội 2024",))
        event = case.complete("respond", at=later(case), by="agent-1", answer=answer)
        assert event.data["answer"] == {
            "text": "Có.",
            "legal_basis": ["Luật Bảo hiểm xã hội 2024"],
            "discloses_personal_data": False,
        }
        event = case.fire("set_priority", at=later(case), by="agent-1", priority=Priority.HIGH)
        assert type(event.data["priority"]) is str
        assert case.priority is Priority.HIGH
        assert Case.replay(case.inquiry, case.history) == case
        for recorded in case.history:
            assert json.loads(recorded.model_dump_json())["data"] == dict(recorded.data)

    def test_moments_in_the_data(self) -> None:
        case = call_at("listen")
        callback = datetime(2026, 3, 3, 8, 0, tzinfo=VIETNAM_TZ)
        event = case.complete("listen", at=later(case), by="agent-1", callback=callback)
        assert event.data["callback"] == "2026-03-03T08:00:00+07:00"

    def test_naive_moment_refused_unchanged(self) -> None:
        case = call_at("listen")
        with pytest.raises(NaiveDatetimeError, match=r"^data\['callback'\] must be timezone"):
            case.complete(
                "listen",
                at=later(case),
                by="agent-1",
                callback=datetime(2026, 3, 3, 8, 0),  # noqa: DTZ001
            )
        assert case.version == 3

    def test_bad_by_and_id_are_refused_by_the_same_check(self) -> None:
        case = call_at("listen")
        with pytest.raises(InvalidInputError, match=r"^by= must be a text of 1 to 100"):
            case.complete("listen", at=later(case), by="x" * 101)
        with pytest.raises(InvalidInputError, match=r"^event_id= must be a text of 1 to 64"):
            case.complete("listen", at=later(case), by="a", event_id="e" * 65)
        with pytest.raises(InvalidInputError, match=r"^by= must be a text"):
            open_case(make_inquiry(received_at=AT), at=AT, by="")
        assert case.version == 3


class TestOpening:
    def test_opening_data_keeps_process_and_inquiry_first(self) -> None:
        inquiry = make_inquiry(channel="phone", received_at=AT)
        case = open_case(inquiry, at=AT, by="switchboard")
        assert list(case.history[0].data.items()) == [
            ("process", "call"),
            ("inquiry_id", inquiry.id),
        ]
        case.complete("greet", at=AT, by="a")
        case.complete("identify", at=AT, by="a")
        case.complete("listen", at=AT, by="a")
        case.complete("classify", at=AT, by="a", kind="question", policy_areas=["social"],
                      topic="pension")  # fmt: skip
        case.fire("escalate", at=AT, by="a")
        follow = case.follow_up()
        assert follow is not None
        assert list(follow.history[0].data) == ["process", "inquiry_id", "escalated_from"]
        assert follow.history[0].data["escalated_from"] == case.id

    def test_stored_opening_cannot_rename_the_process(self) -> None:
        """Replayed with another process of the same steps, the opening no longer matches."""
        renamed = ProcessDefinition.from_dict(
            {**CALL_PROCESS.model_dump(mode="json"), "name": "call_copy"}
        )
        case = call_at("listen")
        assert Case.replay(case.inquiry, case.history, process=CALL_PROCESS) == case
        with pytest.raises(InvalidEventError, match="does not match the inquiry"):
            Case.replay(case.inquiry, case.history, process=renamed)

    def test_a_replayed_opening_is_not_judged_against_the_inquirys_time_again(self) -> None:
        """The opening was checked when it was recorded: a copy of the inquiry with a later
        time of receipt still replays the same history (a live opening is refused)."""
        case = call_at("listen")
        moved = case.inquiry.model_copy(update={"received_at": AT + timedelta(hours=1)})
        assert Case.replay(moved, case.history).history == case.history
        with pytest.raises(InvalidInputError, match="before the inquiry was received"):
            open_case(moved, at=AT, by="switchboard")

    def test_opening_data_is_checked(self) -> None:
        """Even the inquiry's id (an unvalidated copy of an inquiry can hold anything)."""
        odd = make_inquiry(received_at=AT).model_copy(update={"id": "q-\ud800"})
        with pytest.raises(InvalidInputError, match=r"^data\['inquiry_id'\] must be valid"):
            open_case(odd, at=AT, by="switchboard")


class TestOpeningChecks:
    def test_a_naive_opening_moment_is_named_at(self) -> None:
        with pytest.raises(NaiveDatetimeError) as naive:
            open_case(make_inquiry(received_at=AT), at=datetime(2026, 3, 2, 9), by="a")  # noqa: DTZ001
        assert naive.value.name == "at"

    def test_the_opening_event_id_is_checked(self) -> None:
        with pytest.raises(InvalidInputError, match=r"^event_id= must be a text of 1 to 64"):
            open_case(make_inquiry(received_at=AT), at=AT, by="a", event_id="e" * 65)

    def test_the_opening_event_is_known_by_its_id(self) -> None:
        case = open_case(make_inquiry(received_at=AT), at=AT, by="a", event_id="ev-1")
        opening = case.history[0]
        assert case.apply(opening) is opening
        assert case.fire("open", at=AT, by="a", event_id="ev-1") is opening
        assert case.version == 1


class TestMovesWithoutData:
    def test_reopen_without_data_counts(self) -> None:
        case = case_at("answered", inquiry=make_inquiry(received_at=AT), at=AT)
        event = case.fire("reopen", at=later(case), by="clerk")
        assert dict(event.data) == {}
        assert case.facts.reopens == 1
        assert Case.replay(case.inquiry, case.history).facts.reopens == 1


class TestPartialClassification:
    """A classification given in part is completed from the one known, else the inquiry's."""

    def intake(self, inquiry_values: dict[str, Any], **given: Any) -> Case:
        case = open_case(make_inquiry(received_at=AT, **inquiry_values), at=AT, by="clerk")
        case.complete("intake", at=AT, by="clerk", **given)
        return case

    def test_topic_only_keeps_kind_and_areas_of_the_inquiry(self) -> None:
        inquiry = {"kind": "complaint", "policy_areas": ("health",), "topic": "pension"}
        case = self.intake(inquiry, topic="health-card")
        assert dict(case.history[1].data) == {
            "topic": "health-card",
            "kind": "complaint",
            "policy_areas": ["health"],
        }
        assert case.classification is not None
        assert case.classification.topic == "health-card"

    def test_kind_only_keeps_areas_and_topic(self) -> None:
        inquiry = {"kind": "complaint", "policy_areas": ("social", "health"), "topic": "pension"}
        case = self.intake(inquiry, kind="question")
        assert dict(case.history[1].data) == {
            "kind": "question",
            "policy_areas": ["social", "health"],
            "topic": "pension",
        }

    def test_areas_from_an_inquiry_that_is_not_fully_classified(self) -> None:
        case = self.intake({"policy_areas": ("unemployment",)}, kind="question", topic="benefit")
        assert case.history[1].data["policy_areas"] == ["unemployment"]

    def test_nothing_known_and_nothing_given(self) -> None:
        case = open_case(make_inquiry(received_at=AT), at=AT, by="clerk")
        with pytest.raises(TransitionNotAllowed) as refused:
            case.complete("intake", at=AT, by="clerk")
        assert refused.value.problems == (
            "a classification is needed: give kind=, policy_areas= and topic= "
            "(the inquiry does not have them all)",
        )

    @pytest.mark.parametrize("areas", ["social", {"social": True}, 3])
    def test_areas_must_be_a_list(self, areas: object) -> None:
        case = open_case(make_inquiry(received_at=AT), at=AT, by="clerk")
        with pytest.raises(TransitionNotAllowed) as refused:
            case.complete(
                "intake", at=AT, by="clerk", kind="question", policy_areas=areas, topic="pension"
            )
        assert refused.value.problems == ("policy_areas= must be a list of policy areas",)

    def test_a_second_classification_step_completes_from_the_first(self) -> None:
        """In a process of two classifying steps, the second completes from the facts."""
        values = WRITTEN_PROCESS.model_dump(mode="json")
        values["name"] = "written_twice"
        values["steps"][1]["guards"] = ["classification"]
        twice = ProcessDefinition.from_dict(values)
        case = open_case(make_inquiry(received_at=AT), at=AT, by="clerk", process=twice)
        case.complete("intake", at=AT, by="clerk", kind="complaint", policy_areas=["health"],
                      topic="pension")  # fmt: skip
        event = case.complete("assign", at=AT, by="clerk", topic="health-card", unit="CCC")
        assert (event.data["kind"], event.data["policy_areas"]) == ("complaint", ["health"])
        assert case.classification is not None
        assert case.classification.topic == "health-card"


class TestAnswerProblems:
    def test_where_an_answer_is_wrong(self) -> None:
        case = call_at("respond")
        with pytest.raises(TransitionNotAllowed) as refused:
            case.complete("respond", at=later(case), by="a", answer={"text": "", "x": 1})
        assert sorted(problem.split(":")[0] for problem in refused.value.problems) == [
            "answer.text",
            "answer.x",
        ]


class TestUnitsTravel:
    """The directory a case checks unit codes against goes with its copies, replays and
    follow-up cases."""

    def refuses_unknown_unit(self, case: Case) -> None:
        with pytest.raises(TransitionNotAllowed, match="unit=: 'XYZ'"):
            case.complete(case.state, at=later(case), by="a", unit="XYZ", assignee="o-1")

    def at_assign(self) -> Case:
        case = open_case(make_inquiry(received_at=AT), at=AT, by="clerk", units=UNITS)
        case.complete("intake", at=AT, by="clerk", kind="question", policy_areas=["social"],
                      topic="pension")  # fmt: skip
        return case

    def test_copies(self) -> None:
        self.refuses_unknown_unit(copy.copy(self.at_assign()))
        self.refuses_unknown_unit(copy.deepcopy(self.at_assign()))

    def test_replays(self) -> None:
        case = self.at_assign()
        for trusted in (False, True):
            again = Case.replay(case.inquiry, case.history, trusted=trusted, units=UNITS)
            self.refuses_unknown_unit(again)
        Case.replay(case.inquiry, case.history).complete(
            "assign", at=later(case), by="a", unit="XYZ"
        )

    def test_follow_up(self) -> None:
        call = case_at("respond", inquiry=make_inquiry(channel="phone", received_at=AT), at=AT)
        call = Case.replay(call.inquiry, call.history, units=UNITS)
        call.fire("escalate", at=later(call), by="a")
        follow = call.follow_up()
        assert follow is not None
        follow.complete("intake", at=later(follow), by="clerk", kind="question",
                        policy_areas=["social"], topic="pension")  # fmt: skip
        self.refuses_unknown_unit(follow)

    def test_only_texts_are_looked_up(self) -> None:
        """An empty unit is refused as a text, not looked up in the directory."""
        case = self.at_assign()
        with pytest.raises(TransitionNotAllowed) as refused:
            case.complete("assign", at=later(case), by="a", unit="")
        assert refused.value.problems == ("unit= must be a non-empty text",)


class TestGuardMessages:
    """Each refusal of a guard says which argument and how, in its own words."""

    def intake_refused(self, **given: Any) -> tuple[str, ...]:
        case = open_case(make_inquiry(received_at=AT), at=AT, by="clerk")
        with pytest.raises(TransitionNotAllowed) as refused:
            case.complete("intake", at=AT, by="clerk", **given)
        assert case.version == 1
        return refused.value.problems

    def test_areas_that_cannot_be_looked_up(self) -> None:
        problems = self.intake_refused(kind="question", policy_areas=[["social"]], topic="p")
        assert problems == ("policy_areas= must be a list of policy areas",)

    def test_no_areas_anywhere(self) -> None:
        problems = self.intake_refused(kind="question", topic="pension")
        assert len(problems) == 1
        assert problems[0].startswith("policy_areas: ")

    def test_where_a_classification_is_wrong(self) -> None:
        problems = self.intake_refused(kind="nonsense", policy_areas=["social", "x"], topic="p")
        assert sorted(problem.split(":")[0] for problem in problems) == ["kind", "policy_areas.1"]

    @pytest.mark.parametrize(
        ("given", "problem"),
        [
            ({"verified": "yes"}, "verified= must be True or False"),
            ({"verified": 1}, "verified= must be True or False"),
            ({"unit": 5}, "unit= must be a non-empty text"),
            ({"assignee": ""}, "assignee= must be a non-empty text"),
            ({"assignee": ["o-1"]}, "assignee= must be a non-empty text"),
        ],
    )
    def test_what_a_completion_records(self, given: dict[str, Any], problem: str) -> None:
        case = call_at("listen")
        with pytest.raises(TransitionNotAllowed) as refused:
            case.complete("listen", at=later(case), by="a", **given)
        assert refused.value.problems == (problem,)

    def test_recorded_values_of_the_right_type_pass(self) -> None:
        case = call_at("listen")
        case.complete("listen", at=later(case), by="a", verified=False, unit="CCC", assignee="o")
        assert (case.facts.unit, case.facts.assignee) == ("CCC", "o")

    def test_fire_complete_points_to_complete(self) -> None:
        case = call_at("listen")
        with pytest.raises(TransitionNotAllowed) as refused:
            case.fire("complete", at=later(case), by="a")
        assert (refused.value.action, refused.value.state) == ("complete", "listen")
        assert refused.value.problems == ("use case.complete(step_code, ...)",)

    def test_complete_checks_the_expected_version(self) -> None:
        case = call_at("listen")
        with pytest.raises(ConcurrencyConflict) as conflict:
            case.complete("listen", at=later(case), by="a", expected_version=2)
        assert (conflict.value.case_id, conflict.value.expected) == (case.id, 2)
        case.complete("listen", at=later(case), by="a", expected_version=3)
        assert case.version == 4

    def test_a_naive_moment_is_named_at(self) -> None:
        case = call_at("listen")
        with pytest.raises(NaiveDatetimeError) as naive:
            case.complete("listen", at=datetime(2026, 3, 2, 10, 0), by="a")  # noqa: DTZ001
        assert naive.value.name == "at"

    def test_a_move_not_in_the_table_is_named(self) -> None:
        case = call_at("closed")
        with pytest.raises(TransitionNotAllowed) as refused:
            case.complete("close", at=later(case), by="a")
        assert (refused.value.action, refused.value.state) == ("complete:close", "closed")
        with pytest.raises(TransitionNotAllowed) as refused:
            case.fire("hold", at=later(case), by="a")
        assert refused.value.action == "hold"

    def test_a_refused_side_path_is_named(self) -> None:
        case = case_at("review", inquiry=make_inquiry(received_at=AT), at=AT)
        with pytest.raises(TransitionNotAllowed) as refused:
            case.fire("return_draft", at=later(case), by="lead", reasons=["  "])
        assert (refused.value.action, refused.value.state) == ("return_draft", "review")
        assert refused.value.problems == ("reasons=[...] is needed: at least one non-empty reason",)
        with pytest.raises(TransitionNotAllowed):
            case.fire("return_draft", at=later(case), by="lead", reasons=[5])
        with pytest.raises(TransitionNotAllowed) as refused:
            case.complete("review", at=later(case), by="lead", verified="no")
        assert (refused.value.action, refused.value.state) == ("complete:review", "review")

    def test_priority_choices_are_listed(self) -> None:
        case = call_at("listen")
        with pytest.raises(TransitionNotAllowed) as refused:
            case.fire("set_priority", at=later(case), by="a", priority="top")
        assert refused.value.problems == ("priority= is needed: one of low, normal, high, urgent",)

    def test_an_empty_follow_up_case_id_is_refused(self) -> None:
        case = call_at("respond")
        with pytest.raises(TransitionNotAllowed) as refused:
            case.fire("escalate", at=later(case), by="a", follow_up_case_id="")
        assert refused.value.problems == ("follow_up_case_id= must be a non-empty text",)
        event = case.fire("escalate", at=later(case), by="a", follow_up_case_id="w-1")
        assert event.data["follow_up_case_id"] == "w-1"

    def test_completing_another_step_is_named(self) -> None:
        case = call_at("listen")
        with pytest.raises(TransitionNotAllowed) as refused:
            case.complete("close", at=later(case), by="a")
        assert (refused.value.action, refused.value.state) == ("complete:close", "listen")
        assert refused.value.allowed == case.allowed()
        assert "hold" in refused.value.allowed
        assert refused.value.problems == ("the current step is 'listen', not 'close'",)
