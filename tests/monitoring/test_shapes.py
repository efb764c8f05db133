"""The tree of shapes a report follows its cases in: one node per sequence of moves."""

from __future__ import annotations

from vss_care_core import CALL_PROCESS, WRITTEN_PROCESS
from vss_care_core.models import Move
from vss_care_core.monitoring._facts import Shapes

OPEN = Move("open", None, "greet", None)
GREET = Move("complete", "greet", "identify", "greet")


def test_a_move_and_its_parts_lead_to_the_same_node() -> None:
    tree = Shapes()
    root = tree.root(CALL_PROCESS)
    by_move = root.then(OPEN).then(GREET)
    by_parts = root.then(("open", None, "greet", None)).then(
        ("complete", "greet", "identify", "greet")
    )
    assert by_parts is by_move
    assert tree.size == 2
    assert tree.of(CALL_PROCESS, [OPEN, GREET]) is by_move


def test_a_node_keeps_its_moves_as_moves() -> None:
    shape = Shapes().root(CALL_PROCESS).then(("open", None, "greet", None))
    assert shape.moves == (OPEN,)
    assert type(shape.moves[0]) is Move
    assert shape.moves[0].to_state == "greet"


def test_each_process_has_its_own_root() -> None:
    tree = Shapes()
    call = tree.root(CALL_PROCESS).then(OPEN)
    written = tree.root(WRITTEN_PROCESS).then(OPEN)
    assert call is not written
    assert call.definition is CALL_PROCESS
    assert written.definition is WRITTEN_PROCESS
    assert tree.root(CALL_PROCESS).then(OPEN) is call


def test_a_different_move_is_a_different_node() -> None:
    root = Shapes().root(CALL_PROCESS).then(OPEN)
    assert root.then(GREET) is not root.then(Move("abandon", "greet", "abandoned", None))
