"""The KPIs and SLA figures hold for any valid process definition, not only the two standard
ones: monitoring reads a definition's family, answering step and tags, never names."""

from __future__ import annotations

import ast
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from vss_care_core import CALL_PROCESS, WRITTEN_PROCESS, Inquiry, ProcessDefinition, open_case
from vss_care_core.monitoring import KpiReport, KpiSettings, LogRecord, compute_kpis
from vss_care_core.process import Case
from vss_care_core.sla import SlaJudge
from vss_care_core.testing import make_inquiry

VN_START = datetime.fromisoformat("2026-03-02T09:00:00+07:00")
ANSWER = (
    "Thẻ BHYT có giá trị sử dụng đến hết ngày 31 tháng 12 năm 2026, theo Điều 16 Luật "
    "Bảo hiểm y tế."
)
CLASSIFIED = {"kind": "question", "policy_areas": ["health"], "topic": "health-card"}


def variant(definition: ProcessDefinition, **changes: Any) -> ProcessDefinition:
    """A copy of ``definition`` with ``changes`` to its data, checked like any definition."""
    return ProcessDefinition.from_dict({**definition.to_dict(), **changes})


def with_extra_step(definition: ProcessDefinition, code: str, before: str) -> ProcessDefinition:
    """A copy with a step ``code`` inserted before the step ``before``, numbers redone."""
    data = definition.to_dict()
    steps = []
    for step in data["steps"]:
        if step["code"] == before:
            steps.append({"code": code, "number": 0, "label_vi": "Khảo sát", "label_en": "Survey"})
        steps.append(step)
    for number, step in enumerate(steps, start=1):
        step["number"] = number
    return ProcessDefinition.from_dict({**data, "name": "hotline", "steps": steps})


class Calls:
    """Drives calls through a process (standard or not) and keeps the log."""

    def __init__(self, process: ProcessDefinition) -> None:
        self.process = process
        self.log: list[LogRecord] = []
        self.count = 0

    def _open(self, minutes: int) -> tuple[Case, datetime]:
        self.count += 1
        at = VN_START + timedelta(minutes=minutes)
        inquiry: Inquiry = make_inquiry(channel="phone", received_at=at)
        self.log.append(inquiry)
        case = open_case(inquiry, at=at, by="switchboard", process=self.process)
        return case, at

    def answered(self, minutes: int, *, extra: tuple[str, ...] = ()) -> Case:
        """A call answered after 10 s and taken through every step to the end."""
        case, at = self._open(minutes)
        at += timedelta(seconds=10)
        for step in self.process.step_codes:
            data: dict[str, Any] = {}
            if step == "classify":
                data = CLASSIFIED
            elif step == "respond":
                data = {"answer": ANSWER}
            case.complete(step, at=at, by="agent", **data)
            at += timedelta(seconds=30)
        self.log.extend(case.history)
        return case

    def abandoned(self, minutes: int) -> Case:
        """A call abandoned in the queue after 40 s."""
        case, at = self._open(minutes)
        abandon = next(iter(self.process.actions_tagged("abandon")))
        case.fire(abandon, at=at + timedelta(seconds=40), by="switchboard")
        self.log.extend(case.history)
        return case

    def ended_by(self, minutes: int, action: str, at_step: str, **data: Any) -> Case:
        """A call answered, taken to ``at_step`` and ended (or moved) by ``action``."""
        case, at = self._open(minutes)
        for step in self.process.step_codes:
            if step == at_step:
                break
            at += timedelta(seconds=10)
            case.complete(step, at=at, by="agent", **(CLASSIFIED if step == "classify" else {}))
        case.fire(action, at=at + timedelta(seconds=5), by="agent", **data)
        self.log.extend(case.history)
        return case


def _report(calls: Calls, *processes: ProcessDefinition) -> KpiReport:
    settings = KpiSettings(processes=processes, sla=SlaJudge(processes=processes))
    return compute_kpis(calls.log, settings=settings)


def _scripted(process: ProcessDefinition) -> Calls:
    calls = Calls(process)
    calls.answered(0)
    calls.answered(5)
    calls.abandoned(10)
    return calls


@pytest.mark.parametrize("standard", [CALL_PROCESS, WRITTEN_PROCESS])
def test_a_renamed_copy_has_the_same_vocabulary(standard: ProcessDefinition) -> None:
    copy = variant(standard, name="renamed")
    assert copy.family == standard.family
    assert copy.outcomes_tagged("resolved") == standard.outcomes_tagged("resolved")
    assert copy.actions_tagged("transfer") == standard.actions_tagged("transfer")


def test_a_renamed_call_process_is_measured_like_the_standard_one() -> None:
    """``hotline``, a copy of the call process under another name, gives the same KPIs."""
    hotline = variant(CALL_PROCESS, name="hotline")
    standard = _report(_scripted(CALL_PROCESS))
    renamed = _report(_scripted(hotline), hotline)
    assert renamed.overall.calls_offered == 3
    assert renamed.overall.calls_answered == 2
    assert renamed.overall.queue_abandons == 1
    assert renamed.overall.sla  # the call policy applies to the call family
    assert renamed.overall.model_dump() == standard.overall.model_dump()
    assert {k.replace("hotline:", "call:") for k in renamed.by_step} == set(standard.by_step)


def test_a_process_the_settings_do_not_know_is_not_measured() -> None:
    """A log naming a process nobody declared: its events are orphans, not guesses."""
    hotline = variant(CALL_PROCESS, name="hotline")
    report = compute_kpis(_scripted(hotline).log)
    assert report.overall.ended == 0
    assert report.orphan_events > 0


def test_a_renamed_written_process() -> None:
    letters = variant(WRITTEN_PROCESS, name="letters")
    inquiry = make_inquiry(channel="email", received_at=VN_START)
    case = open_case(inquiry, at=VN_START, by="officer", process=letters)
    at = VN_START
    for step, data in [
        ("intake", CLASSIFIED),
        ("assign", {"unit": "BHXH-HN"}),
        ("draft", {"answer": ANSWER}),
        ("review", {}),
        ("send", {}),
    ]:
        at += timedelta(hours=2)
        case.complete(step, at=at, by="officer", **data)
    settings = KpiSettings(processes=(letters,), sla=SlaJudge(processes=(letters,)))
    figures = compute_kpis([inquiry, *case.history], settings=settings)
    assert figures.overall.written_answered == 1
    assert figures.overall.calls_offered == 0
    assert figures.by_unit["BHXH-HN"].ended == 1
    assert figures.overall.sla["answer"].met == 1


def test_a_custom_outcome_ends_the_case() -> None:
    """``callback_booked``, an outcome of our own reached by a side path, ends the case: it
    leaves the backlog and is counted under its own outcome."""
    data = CALL_PROCESS.to_dict()
    custom = ProcessDefinition.from_dict(
        {
            **data,
            "name": "hotline",
            "outcomes": [
                *data["outcomes"],
                {
                    "code": "callback_booked",
                    "label_vi": "Hẹn gọi lại",
                    "label_en": "Callback booked",
                    "tags": ["handled"],
                },
            ],
            "side_paths": [
                *data["side_paths"],
                {
                    "action": "book_callback",
                    "label_vi": "Hẹn gọi lại",
                    "label_en": "Book a callback",
                    "sources": ["respond"],
                    "target": "callback_booked",
                },
            ],
        }
    )
    calls = Calls(custom)
    case = calls.ended_by(0, "book_callback", "respond")
    assert not case.is_open
    report = _report(calls, custom)
    assert report.overall.outcomes == {"callback_booked": 1}
    assert report.overall.backlog.open == 0
    assert report.overall.calls_answered == 1
    assert report.overall.fcr_eligible == 1  # handled, but not resolved: not first contact
    assert report.overall.fcr_resolved == 0


def test_a_custom_side_path_tagged_as_a_transfer() -> None:
    """``hand_over``, a side path of our own tagged ``transfer``, counts as a transfer."""
    data = CALL_PROCESS.to_dict()
    custom = ProcessDefinition.from_dict(
        {
            **data,
            "name": "hotline",
            "side_paths": [
                *data["side_paths"],
                {
                    "action": "hand_over",
                    "label_vi": "Bàn giao",
                    "label_en": "Hand over to a colleague",
                    "sources": ["listen"],
                    "target": "=stay",
                    "tags": ["transfer"],
                },
            ],
        }
    )
    inquiry = make_inquiry(channel="phone", received_at=VN_START)
    case = open_case(inquiry, at=VN_START, by="switchboard", process=custom)
    at = VN_START
    for step in ("greet", "identify"):
        at += timedelta(seconds=10)
        case.complete(step, at=at, by="agent")
    case.fire("hand_over", at=at + timedelta(seconds=5), by="agent")
    for step, data in [
        ("listen", {}),
        ("classify", CLASSIFIED),
        ("respond", {"answer": ANSWER}),
        ("confirm", {}),
        ("close", {}),
    ]:
        at += timedelta(seconds=20)
        case.complete(step, at=at, by="agent-2", **data)
    settings = KpiSettings(processes=(custom,), sla=SlaJudge(processes=(custom,)))
    report = compute_kpis([inquiry, *case.history], settings=settings)
    assert report.overall.ended == 1
    assert report.overall.transfers == 1
    assert report.overall.fcr_resolved == 0  # a transferred call is not resolved at first contact


def test_a_definition_with_an_extra_step() -> None:
    """A step added before the last one is measured; the answering step still answers."""
    hotline = with_extra_step(CALL_PROCESS, "survey", before="close")
    calls = Calls(hotline)
    calls.answered(0)
    report = _report(calls, hotline)
    assert report.overall.calls_answered == 1
    assert report.overall.outcomes == {"closed": 1}
    assert report.by_step["hotline:survey"].completions == 1
    assert report.overall.sla


STANDARD_NAMES = frozenset(
    {
        *(d.name for d in (CALL_PROCESS, WRITTEN_PROCESS)),
        *CALL_PROCESS.states,
        *WRITTEN_PROCESS.states,
        *(side.action for side in CALL_PROCESS.side_paths),
        *(side.action for side in WRITTEN_PROCESS.side_paths),
    }
)


def test_monitoring_names_no_standard_step_action_or_outcome() -> None:
    """No text in the monitoring code is the name of a standard process, step, action or
    outcome (docstrings and tags asked of a definition aside): the KPIs read the definitions'
    vocabulary."""
    from vss_care_core import monitoring  # noqa: PLC0415 - the package's own folder

    folder = Path(monitoring.__file__).parent
    found = []
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        tag_arguments = {
            id(argument)
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr.endswith("_tagged")
            for argument in node.args
        }
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and id(node) not in tag_arguments
                and node.value in STANDARD_NAMES
            ):
                found.append(f"{path.name}:{node.lineno}: {node.value!r}")
    assert found == []
