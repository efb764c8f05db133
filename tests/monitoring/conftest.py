"""A small, hand-made event log whose KPIs are computed by hand in the tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from vss_care_core.models import Event, Inquiry
from vss_care_core.monitoring import LogRecord, SatisfactionResponse

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A moment in March 2026, Vietnam time."""
    return datetime(2026, 3, day, hour, minute, second, tzinfo=VN)


@dataclass
class Script:
    """Writes the events of one case by hand, numbering them."""

    case_id: str
    inquiry_id: str
    events: list[Event] = field(default_factory=list)
    state: str = ""

    def _add(
        self, action: str, moment: datetime, target: str, step: str | None, **data: Any
    ) -> None:
        event = Event(
            id=f"{self.case_id}-{len(self.events) + 1}",
            case_id=self.case_id,
            seq=len(self.events) + 1,
            at=moment,
            by="agent-1",
            action=action,
            step=step,
            from_state=self.state or None,
            to_state=target,
            data=data,
        )
        self.events.append(event)
        self.state = target

    def open(self, moment: datetime, first: str) -> Script:
        data = {} if self.case_id == self.inquiry_id else {"inquiry_id": self.inquiry_id}
        data["process"] = "call" if first == "greet" else "written"
        self._add("open", moment, first, None, **data)
        return self

    def complete(self, step: str, moment: datetime, to: str, **data: Any) -> Script:
        self._add("complete", moment, to, step, **data)
        return self

    def fire(self, action: str, moment: datetime, state: str | None = None, **data: Any) -> Script:
        self._add(action, moment, state or self.state, None, **data)
        return self


def inquiry(
    inquiry_id: str, channel: str, received: datetime, *, cid: str | None = None, **extra: Any
) -> Inquiry:
    requester: dict[str, Any] = {"type": "individual"}
    if cid is not None:
        requester["citizen_id"] = cid
    return Inquiry(
        id=inquiry_id,
        channel=channel,
        received_at=received,
        requester=requester,
        subject="Hỏi về chế độ",
        content="Xin hỏi về chế độ bảo hiểm xã hội.",
        **extra,
    )


CALL_STEPS = ("identify", "listen", "classify", "respond", "confirm", "close")


def full_call(script: Script, answered: datetime, closed: datetime, **close_data: Any) -> None:
    """greet at ``answered``, the middle steps a second apart, close at ``closed``."""
    script.complete("greet", answered, "identify")
    moment = answered
    for index, step in enumerate(CALL_STEPS[:-1]):
        moment += timedelta(seconds=1)
        data: dict[str, Any] = {}
        if step == "classify":
            data = {"kind": "question", "policy_areas": ["social"], "topic": "pension"}
        script.complete(step, moment, CALL_STEPS[index + 1], **data)
    script.complete("close", closed, "closed", **close_data)


A = "079203001234"  # requester A's citizen ID
B = "001085000123"  # requester B's citizen ID


def hand_log() -> list[LogRecord]:
    """The log of the KPI tests: six calls, three written cases, four survey responses."""
    records: list[LogRecord] = []
    q = {
        "C1": inquiry("C1", "phone", at(2, 9), cid=A),
        "C2": inquiry("C2", "phone", at(2, 9, 1)),
        "C3": inquiry("C3", "phone", at(2, 9, 2)),
        "C4": inquiry("C4", "phone", at(2, 9, 3)),
        "C5": inquiry("C5", "phone", at(2, 9, 4)),
        "C6": inquiry("C6", "phone", at(2, 9, 5), cid=B),
        "W1": inquiry("W1", "email", at(4, 9), cid=A),
        "W3": inquiry("W3", "portal", at(2, 10)),
    }
    c1 = Script("C1", "C1").open(at(2, 9), "greet")
    full_call(c1, at(2, 9, 0, 10), at(2, 9, 5, 10), wrap_up_seconds=30)
    c2 = Script("C2", "C2").open(at(2, 9, 1), "greet")
    c2.complete("greet", at(2, 9, 1, 30), "identify")
    c2.fire("transfer", at(2, 9, 2), to="queue-health")
    c2.complete("identify", at(2, 9, 2, 1), "listen")
    c2.complete("listen", at(2, 9, 2, 2), "classify")
    c2.complete(
        "classify",
        at(2, 9, 2, 3),
        "respond",
        kind="question",
        policy_areas=["health"],
        topic="health-card",
    )
    c2.complete("respond", at(2, 9, 3), "confirm", answer={"text": "Thẻ BHYT còn hạn."})
    c2.complete("confirm", at(2, 9, 4), "close")
    c2.complete("close", at(2, 9, 4, 30), "closed")
    c3 = Script("C3", "C3").open(at(2, 9, 2), "greet").fire("abandon", at(2, 9, 2, 3), "abandoned")
    c4 = Script("C4", "C4").open(at(2, 9, 3), "greet").fire("abandon", at(2, 9, 3, 40), "abandoned")
    c5 = Script("C5", "C5").open(at(2, 9, 4), "greet")
    c5.complete("greet", at(2, 9, 4, 15), "identify")
    c5.fire("abandon", at(2, 9, 6, 15), "abandoned")
    c6 = Script("C6", "C6").open(at(2, 9, 5), "greet")
    c6.complete("greet", at(2, 9, 5, 5), "identify")
    c6.complete("identify", at(2, 9, 5, 6), "listen")
    c6.complete("listen", at(2, 9, 5, 7), "classify")
    c6.complete(
        "classify",
        at(2, 9, 5, 8),
        "respond",
        kind="complaint",
        policy_areas=["health"],
        topic="health-card",
    )
    c6.fire("escalate", at(2, 9, 8, 5), "escalated")
    w2 = Script("W2", "C6").open(at(2, 9, 8, 5), "intake")
    w2.complete("intake", at(2, 10), "assign")
    w2.complete("assign", at(2, 11), "draft", unit="PB-HCM")
    w2.complete("draft", at(3, 11), "review", answer={"text": "Trả lời"})
    w2.complete("review", at(5, 9), "send")
    w2.complete("send", at(6, 9), "answered")
    w1 = Script("W1", "W1").open(at(4, 9), "intake")
    w1.complete(
        "intake", at(4, 9, 30), "assign", kind="question", policy_areas=["social"], topic="pension"
    )
    w1.complete("assign", at(4, 10), "draft", unit="TT-CSKH")
    w1.complete("draft", at(4, 11), "review", answer={"text": "Trả lời"})
    w1.fire("return_draft", at(4, 14), "draft", reasons=["thiếu căn cứ"])
    w1.complete("draft", at(4, 15), "review", answer={"text": "Trả lời đầy đủ"})
    w1.complete("review", at(5, 9), "send")
    w1.complete("send", at(5, 10), "answered")
    w3 = Script("W3", "W3").open(at(2, 10), "intake")
    w3.complete(
        "intake", at(2, 11), "assign", kind="support", policy_areas=["social"], topic="contribution"
    )
    w3.complete("assign", at(2, 14), "draft", unit="TT-CSKH")
    w3.fire("request_info", at(3, 9), "awaiting_info")
    survey = [
        SatisfactionResponse(id="S1", case_id="C1", answered_at=at(2, 10), overall=5),
        SatisfactionResponse(id="S2", case_id="C2", answered_at=at(2, 10), overall=3),
        SatisfactionResponse(
            id="S3", case_id="W1", answered_at=at(6, 8), overall=4, accessibility=4, quality=5
        ),
        SatisfactionResponse(id="S4", case_id="W2", answered_at=at(6, 10), overall=2),
    ]
    # the log: everything in time order, each inquiry just before its case opens
    timed: list[tuple[datetime, int, LogRecord]] = []
    order = 0
    for key, value in q.items():
        timed.append((value.received_at, order, value))
        order += 1
        del key
    for script in (c1, c2, c3, c4, c5, c6, w2, w1, w3):
        for event in script.events:
            timed.append((event.at, order, event))
            order += 1
    for response in survey:
        timed.append((response.answered_at, order, response))
        order += 1
    reopen = Script("W2", "C6")
    reopen.events = list(w2.events)
    reopen.state = "answered"
    reopen.fire("reopen", at(9, 10), "draft")
    timed.append((at(9, 10), order, reopen.events[-1]))
    timed.sort(key=lambda item: (item[0], item[1]))
    records.extend(record for _, _, record in timed)
    return records


@pytest.fixture
def log() -> list[LogRecord]:
    return hand_log()
