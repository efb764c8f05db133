"""Automatic rules name the process's vocabulary, so they hold for a renamed process."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from vss_care_core.due import DEFAULT_RULES, DueKind, apply_due, due, load_rules
from vss_care_core.errors import DefinitionError
from vss_care_core.process import WRITTEN_PROCESS, Case, ProcessDefinition, open_case
from vss_care_core.testing import make_inquiry

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(*args: int) -> datetime:
    """A moment in Vietnamese local time."""
    return datetime(*args, tzinfo=VN)  # type: ignore[misc]


def letters_process() -> ProcessDefinition:
    """The written process under other names: its waiting state, its request for information,
    its withdrawal and its priority change all renamed (the tags stay)."""
    text = json.dumps(WRITTEN_PROCESS.to_dict(), ensure_ascii=False)
    for old, new in [
        ('"awaiting_info"', '"waiting_for_requester"'),
        ('"action": "request_info"', '"action": "ask_requester"'),
        ('"action": "withdraw"', '"action": "drop"'),
        ('"action": "set_priority"', '"action": "raise_priority"'),
        ('"name": "written"', '"name": "letters"'),
    ]:
        assert old in text
        text = text.replace(old, new)
    return ProcessDefinition.from_dict(json.loads(text))


LETTERS = letters_process()


def waiting_case(process: ProcessDefinition, request: str) -> Case:
    """A letter classified on Tuesday 10 February 2026 and sent back for information."""
    received = vn(2026, 2, 10, 9, 0)
    case = open_case(
        make_inquiry(channel="post", received_at=received), at=received, by="mailroom",
        process=process,
    )  # fmt: skip
    case.complete("intake", at=received, by="officer", kind="question",
                  policy_areas=["social"], topic="pension")  # fmt: skip
    case.fire(request, at=received + timedelta(minutes=5), by="officer")
    return case


@pytest.mark.parametrize(
    ("process", "asking", "withdraw"),
    [(WRITTEN_PROCESS, "request_info", "withdraw"), (LETTERS, "ask_requester", "drop")],
)
def test_unanswered_request_is_closed_in_either_process(
    process: ProcessDefinition, asking: str, withdraw: str
) -> None:
    """The shipped rules remind and close the same way whatever the names: 10 working days
    after Tuesday 10 February 2026 (Tết not counted) end at 24:00 on 3 March."""
    case = waiting_case(process, asking)
    items = due([case], at=vn(2026, 3, 4, 8, 0))
    names = {item.name: item for item in items if item.kind is DueKind.RULE}
    assert set(names) == {"remind-requester", "close-unanswered-request"}
    close = names["close-unanswered-request"]
    assert close.action == withdraw
    assert close.due_at == vn(2026, 3, 4, 0, 0)
    apply_due(case, close, at=vn(2026, 3, 4, 8, 0))
    assert case.state == "withdrawn"


def test_unmoved_case_is_raised_in_a_renamed_process() -> None:
    """ "No move for 4 working hours" raises the priority through the renamed action."""
    received = vn(2026, 3, 2, 9, 0)
    case = open_case(make_inquiry(channel="post", received_at=received), at=received,
                     by="mailroom", process=LETTERS)  # fmt: skip
    (item,) = [i for i in due([case], at=vn(2026, 3, 2, 14, 0)) if i.name == "escalate-unmoved"]
    assert item.action == "raise_priority"
    apply_due(case, item, at=vn(2026, 3, 2, 14, 0))
    assert case.priority.value == "urgent"


def test_a_case_being_drafted_is_not_escalated() -> None:
    """Once someone works on the answer, "nobody took it up" no longer holds."""
    received = vn(2026, 3, 2, 9, 0)
    case = open_case(make_inquiry(channel="post", received_at=received), at=received,
                     by="mailroom", process=LETTERS)  # fmt: skip
    case.complete("intake", at=received, by="officer", kind="question", policy_areas=["social"],
                  topic="pension")  # fmt: skip
    case.complete("assign", at=received, by="officer", unit="BHXH-HA-NOI")
    assert case.state == "draft"
    assert [i.name for i in due([case], at=vn(2026, 3, 4, 9, 0)) if i.kind is DueKind.RULE] == []


def test_shipped_rules_name_no_state_or_action() -> None:
    """The shipped rules name tags, never a standard process's states or actions."""
    for rule in DEFAULT_RULES:
        assert rule.states == ()
        assert rule.action is None


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"action": "withdraw", "action_tag": "withdraw"}, "either action or action_tag"),
        ({"states": ["draft"], "waiting_after": "request_info"}, "one of states, waiting_after"),
        ({"action_tag": "withdrawal"}, "'withdrawal' is not a move tag; use one of"),
        ({"waiting_after": "request"}, "'request' is not a move tag"),
        ({"before_step": "drafting"}, "'drafting' is not a step tag; use one of answer"),
        ({"states": ["draft"], "before_step": "answer"}, "one of states, waiting_after and"),
    ],
)
def test_bad_vocabulary_is_refused(extra: dict[str, object], message: str) -> None:
    """Rules that mix names and tags, or name an unknown tag, are refused with the fix."""
    rule = {"name": "r", "label_vi": "Quy tắc", "label_en": "Rule", "unit": "working_days",
            "limit": 2, "source": "ASSUMED: test", **extra}  # fmt: skip
    with pytest.raises(DefinitionError, match=message):
        load_rules([rule])
