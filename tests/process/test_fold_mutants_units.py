"""Who holds a case: ``units_held`` and the ``unit`` fact, move by move.

A completion that names a unit (the assignment) and a move tagged ``transfer`` that names one
hand the case over; any other move that carries ``unit=`` does not. ``units_held`` is checked
against the facts a live case records after each of its moves, on a dated case.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from tests.process.stored import stored

from vss_care_core.models import Classification
from vss_care_core.process import (
    CALL_PROCESS,
    WRITTEN_PROCESS,
    Case,
    CaseFacts,
    ProcessDefinition,
    Transition,
    fold_facts,
    units_held,
)
from vss_care_core.testing import case_at

HANOI = "BHXH-HA-NOI"
HCMC = "BHXH-TP-HO-CHI-MINH"
HUE = "BHXH-THUA-THIEN-HUE"


def transition(definition: ProcessDefinition, action: str, source: str) -> Transition:
    """The transition of ``action`` from ``source`` in ``definition``."""
    (found,) = (t for t in definition.transitions if t.action == action and t.source == source)
    return found


def handed_case() -> tuple[Case, list[str | None]]:
    """A written case assigned to Hà Nội, reassigned to Hồ Chí Minh City, then asked for
    information with a ``unit`` that hands nothing over; with the unit its facts recorded
    after each move."""
    case = case_at("assign")
    recorded: list[str | None] = [None] * len(case.history)
    moment = case.history[-1].at

    def then(move: str, **data: Any) -> None:
        nonlocal moment
        moment += timedelta(minutes=5)
        if move == "assign":
            case.complete(move, at=moment, by="clerk", **data)
        else:
            case.fire(move, at=moment, by="clerk", **data)
        recorded.append(case.facts.unit)

    then("assign", unit=HANOI)
    then("reassign", unit=HCMC)
    then("request_info", unit=HUE)
    then("provide_info")
    return case, recorded


class TestUnitsHeld:
    """The unit after each event, as the facts record it."""

    def test_dated_hand_overs(self) -> None:
        """None before the assignment, then Hà Nội, then Hồ Chí Minh City for good."""
        case, recorded = handed_case()
        held = units_held(case.definition, case.history)
        assert held == (None, None, HANOI, HCMC, HCMC, HCMC)
        assert list(held) == recorded

    def test_a_unit_left_empty(self) -> None:
        """A stored assignment to an empty unit leaves the case to no unit."""
        case, _ = handed_case()
        events = [*case.history, stored(case, "complete", {"unit": ""}, step="assign")]
        assert units_held(case.definition, events)[-4:] == (HCMC, HCMC, HCMC, None)

    def test_no_event(self) -> None:
        """No events, no units."""
        assert units_held(WRITTEN_PROCESS, []) == ()

    def test_call_transfer(self) -> None:
        """On a call, the ``transfer`` side path hands the case over."""
        case = case_at("listen")
        events = [*case.history, stored(case, "transfer", {"to": "agent-2", "unit": HUE})]
        held = units_held(case.definition, events)
        assert held == (None,) * len(case.history) + (HUE,)


class TestFoldUnit:
    """``fold_facts`` records the unit by the same rule."""

    @pytest.mark.parametrize(
        ("definition", "action", "source", "unit"),
        [
            (WRITTEN_PROCESS, "reassign", "draft", HCMC),  # tagged transfer
            (WRITTEN_PROCESS, "reassign", "review", HCMC),
            (CALL_PROCESS, "transfer", "respond", HCMC),
            (WRITTEN_PROCESS, "request_info", "draft", HANOI),  # not a hand-over
            (WRITTEN_PROCESS, "forward", "draft", HANOI),
        ],
    )
    def test_side_path_with_a_unit(
        self, definition: ProcessDefinition, action: str, source: str, unit: str
    ) -> None:
        """A side path naming Hồ Chí Minh City on a case held by Hà Nội."""
        facts = fold_facts(
            CaseFacts(unit=HANOI), transition(definition, action, source), {"unit": HCMC}
        )
        assert facts.unit == unit

    def test_classification_without_policy_areas(self) -> None:
        """Stored data of a classification without policy areas is refused as invalid, naming
        the missing field; with them, it is recorded."""
        intake = next(t for t in WRITTEN_PROCESS.transitions if "classification" in t.guards)
        with pytest.raises(ValueError, match="policy_areas"):
            fold_facts(CaseFacts(), intake, {"kind": "question", "topic": "pension"})
        data = {"kind": "question", "policy_areas": ["social"], "topic": "pension"}
        facts = fold_facts(CaseFacts(), intake, data)
        assert facts.classification == Classification(
            kind="question", policy_areas=("social",), topic="pension"
        )
