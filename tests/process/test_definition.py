"""Process definitions: the two standard processes and the build-time checks."""

from __future__ import annotations

from typing import Any

import pytest

from vss_care_core import (
    CALL_PROCESS,
    WRITTEN_PROCESS,
    Channel,
    ProcessDefinition,
    ProcessDefinitionError,
    process_for,
)


def test_call_process_has_seven_steps() -> None:
    """The switchboard process: 7 steps from receiving the call to goodbye."""
    assert CALL_PROCESS.step_codes == (
        "greet", "identify", "listen", "classify", "respond", "confirm", "close",
    )  # fmt: skip
    assert [s.number for s in CALL_PROCESS.steps] == [1, 2, 3, 4, 5, 6, 7]
    assert CALL_PROCESS.completion_outcome == "closed"


def test_written_process_has_five_steps() -> None:
    """The written process: 5 steps from intake to sending the answer."""
    assert WRITTEN_PROCESS.step_codes == ("intake", "assign", "draft", "review", "send")
    assert WRITTEN_PROCESS.completion_outcome == "answered"


def test_channels_map_to_processes() -> None:
    """Phone → call; fanpage, portal, e-mail, post, Zalo, SMS → written."""
    assert process_for(Channel.PHONE) is CALL_PROCESS
    for channel in Channel:
        if channel is not Channel.PHONE:
            assert process_for(channel) is WRITTEN_PROCESS


def _data() -> dict[str, Any]:
    return CALL_PROCESS.to_dict()


def test_round_trip_through_data() -> None:
    """A definition dumped to data and loaded again is the same definition."""
    assert ProcessDefinition.from_dict(_data()) == CALL_PROCESS


def test_relabel_through_data() -> None:
    """An organisation relabels a step by editing the data."""
    data = _data()
    data["steps"][0]["label_vi"] = "Nhấc máy, chào khách hàng"
    relabelled = ProcessDefinition.from_dict(data)
    assert relabelled.first_step.label_vi == "Nhấc máy, chào khách hàng"


def test_every_problem_listed_at_once() -> None:
    """Gaps in numbering, unknown states and unknown guards are all reported together."""
    data = _data()
    data["steps"][2]["number"] = 9
    data["steps"][3]["guards"] = ["telepathy"]
    data["side_paths"][0]["sources"] = ["identify", "nowhere"]
    with pytest.raises(ProcessDefinitionError) as info:
        ProcessDefinition.from_dict(data)
    problems = info.value.problems
    assert any("without gaps" in p for p in problems)
    assert any("telepathy" in p for p in problems)
    assert any("nowhere" in p for p in problems)


def test_unreachable_and_stuck_states_refused() -> None:
    """A pause state nobody enters is unreachable; one with no exit is stuck."""
    data = _data()
    data["pause_states"].append({"code": "limbo", "label_vi": "x", "label_en": "x"})
    with pytest.raises(ProcessDefinitionError, match=r"cannot be reached.*limbo"):
        ProcessDefinition.from_dict(data)
    data = _data()
    data["side_paths"] = [p for p in data["side_paths"] if p["action"] != "resume"]
    data["side_paths"] = [
        {**p, "sources": [s for s in p["sources"] if s != "on_hold"]} for p in data["side_paths"]
    ]
    with pytest.raises(ProcessDefinitionError, match="no way out: on_hold"):
        ProcessDefinition.from_dict(data)


def test_two_first_steps_refused() -> None:
    """Exactly one step is number 1."""
    data = _data()
    data["steps"][1]["number"] = 1
    with pytest.raises(ProcessDefinitionError, match="exactly one step must be number 1"):
        ProcessDefinition.from_dict(data)


def test_side_path_added_through_data() -> None:
    """A new side path in data is checked and then usable."""
    data = WRITTEN_PROCESS.to_dict()
    data["side_paths"].append(
        {
            "action": "consult",
            "label_vi": "Xin ý kiến chuyên môn",
            "label_en": "Consult a department",
            "sources": ["draft"],
            "target": "=stay",
            "requires": ["to"],
        }
    )
    extended = ProcessDefinition.from_dict(data)
    assert ("draft", "consult") in extended.table
