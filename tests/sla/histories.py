"""Histories for the SLA tests: a case driven along moves that hypothesis picks among the allowed
ones, with the data each move needs."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from vss_care_core import CareCoreError, Case

ANSWER = (
    "Lương hưu hằng tháng được tính theo số năm đóng BHXH và mức bình quân tiền lương "
    "tháng đóng BHXH, theo Điều 66 Luật BHXH 2024."
)
SIDE_DATA: dict[str, dict[str, Any]] = {
    "transfer": {"to": "queue-2"},
    "return_draft": {"reasons": ["thiếu căn cứ"]},
    "forward": {"agency": "Sở Nội vụ"},
    "merge": {"into": "case-0"},
    "set_priority": {"priority": "urgent"},
}


def drive(case: Case, choices: list[tuple[int, int]], kind: str, start: datetime) -> None:
    """Make the moves ``choices`` pick among the allowed ones, each after its gap."""
    moment = start
    for pick, gap in choices:
        allowed = case.allowed()
        if not allowed:
            return
        # mostly the next step, so that cases get far; otherwise any allowed move
        action = "complete" if pick < 12 and "complete" in allowed else allowed[pick % len(allowed)]
        moment += timedelta(seconds=gap)
        data: dict[str, Any] = dict(SIDE_DATA.get(action, {}))
        if action == "complete":
            data = {
                "identify": {"verified": True},
                "classify": {"kind": kind, "policy_areas": ["social"], "topic": "pension"},
                "intake": {"kind": kind, "policy_areas": ["social"], "topic": "pension"},
                "respond": {"answer": ANSWER},
                "draft": {"answer": ANSWER},
            }.get(case.state, {})
        try:
            if action == "complete":
                case.complete(case.state, at=moment, by="agent", **data)
            else:
                case.fire(action, at=moment, by="agent", **data)
        except CareCoreError:
            continue  # a guard refused it: try the next choice
