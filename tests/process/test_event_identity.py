"""A move is never dropped: event ids are unique in a history, and an id reused for another
move is refused, live and on replay (checked and trusted alike)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vss_care_core import (
    Case,
    ConcurrencyConflict,
    DuplicateEventError,
    Event,
    InvalidInputError,
    open_case,
)
from vss_care_core.testing import make_inquiry

START = datetime.fromisoformat("2026-03-02T09:00:00+07:00")


def _written() -> Case:
    inquiry = make_inquiry(channel="email", received_at=START)
    return open_case(inquiry, at=START, by="officer")


def _with_id(event: Event, event_id: str) -> Event:
    return Event.model_validate({**event.model_dump(), "id": event_id})


class TestLiveMoves:
    def test_the_same_move_sent_again_is_recorded_once(self) -> None:
        case = _written()
        first = case.fire("set_priority", at=START, by="officer", priority="high", event_id="k1")
        again = case.fire("set_priority", at=START, by="officer", priority="high", event_id="k1")
        assert again is first
        assert case.version == 2

    def test_an_id_reused_for_another_move_is_refused(self) -> None:
        """``set_priority`` then ``withdraw`` with the same key: the withdrawal would be lost."""
        case = _written()
        case.fire("set_priority", at=START, by="officer", priority="high", event_id="k1")
        before = case.history
        with pytest.raises(DuplicateEventError) as raised:
            case.fire("withdraw", at=START, by="officer", event_id="k1")
        assert isinstance(raised.value, ConcurrencyConflict)
        assert "seq 2 (set_priority)" in str(raised.value)
        assert "withdraw" in str(raised.value)
        assert case.history == before
        assert case.is_open

    def test_an_id_reused_by_another_actor_is_refused(self) -> None:
        case = _written()
        case.fire("set_priority", at=START, by="officer", priority="high", event_id="k1")
        with pytest.raises(DuplicateEventError):
            case.fire("set_priority", at=START, by="someone-else", priority="high", event_id="k1")

    def test_a_case_opens_no_earlier_than_its_inquiry_arrived(self) -> None:
        inquiry = make_inquiry(channel="email", received_at=START)
        with pytest.raises(InvalidInputError, match="before the inquiry was received"):
            open_case(inquiry, at=START - timedelta(seconds=1), by="officer")


class TestReplay:
    case: Case

    @pytest.fixture
    def history(self) -> list[Event]:
        case = self.case = _written()
        case.fire("set_priority", at=START, by="officer", priority="high")
        case.fire("set_priority", at=START + timedelta(minutes=1), by="officer", priority="urgent")
        case.fire("withdraw", at=START + timedelta(minutes=2), by="officer")
        return list(case.history)

    @pytest.mark.parametrize("trusted", [False, True])
    def test_a_history_that_reuses_an_id_is_refused(
        self, history: list[Event], trusted: bool
    ) -> None:
        """Two events with one id: replaying would drop the second one without a word."""
        inquiry = self.case.inquiry
        history[2] = _with_id(history[2], history[1].id)
        with pytest.raises(DuplicateEventError, match=r"seq 2 .* seq 3"):
            Case.replay(inquiry, history, trusted=trusted)

    @pytest.mark.parametrize("trusted", [False, True])
    def test_a_whole_history_replays_to_the_live_case(
        self, history: list[Event], trusted: bool
    ) -> None:
        inquiry = self.case.inquiry
        case = Case.replay(inquiry, history, trusted=trusted)
        assert case.version == 4
        assert case.outcome == "withdrawn"

    def test_the_same_event_applied_again_is_a_no_op(self, history: list[Event]) -> None:
        inquiry = self.case.inquiry
        case = Case.replay(inquiry, history[:2])
        assert case.apply(history[1]) is not None
        assert case.version == 2

    def test_another_event_under_a_known_id_is_refused(self, history: list[Event]) -> None:
        inquiry = self.case.inquiry
        case = Case.replay(inquiry, history[:2])
        with pytest.raises(DuplicateEventError):
            case.apply(_with_id(history[2], history[1].id))
        assert case.version == 2


@given(moves=st.integers(min_value=1, max_value=60))
def test_moves_and_their_ids_are_found_in_any_long_history(moves: int) -> None:
    """Every move of a long history is found again by its id, and the history keeps them all
    in order."""
    case = _written()
    recorded = [
        case.fire("set_priority", at=START, by="officer", priority="high", event_id=f"m{n}")
        for n in range(moves)
    ]
    assert case.version == moves + 1
    assert list(case.history[1:]) == recorded
    for n in (0, moves // 2, moves - 1):
        again = case.fire("set_priority", at=START, by="officer", priority="high", event_id=f"m{n}")
        assert again is recorded[n]
    assert case.version == moves + 1
