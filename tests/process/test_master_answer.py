"""Answer once, deliver everywhere: a master answer finishes every linked case's own process."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from vss_care_core import Answer, Event, Inquiry, InvalidInputError, open_case
from vss_care_core.monitoring import compute_kpis
from vss_care_core.process import (
    KNOWLEDGE_ENTRY_KEY,
    KNOWLEDGE_USED_KEY,
    MASTER_CASE_KEY,
    Case,
    deliver_master_answer,
    master_answer,
)
from vss_care_core.testing import make_inquiry

VN = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2026, 3, 2, 8, 0, tzinfo=VN)
QUESTION = "Điều kiện rút bảo hiểm xã hội một lần theo luật mới là gì?"
ANSWER = Answer(
    text=(
        "Từ ngày 1 tháng 7 năm 2025, người lao động được rút bảo hiểm xã hội một lần trong các "
        "trường hợp đủ tuổi nghỉ hưu mà chưa đủ năm đóng, ra nước ngoài định cư, bệnh hiểm nghèo."
    ),
    legal_basis=("Điều 70 Luật Bảo hiểm xã hội số 41/2024/QH15",),
)
TOPIC = {"kind": "question", "policy_areas": ["social"], "topic": "lump-sum"}


def _inquiry(channel: str, minutes: int) -> Inquiry:
    return make_inquiry(
        channel=channel,
        received_at=START + timedelta(minutes=minutes),
        subject="Rút BHXH một lần",
        content=QUESTION,
    )


def _master() -> Case:
    inquiry = _inquiry("portal", 0)
    case = open_case(inquiry, at=START, by="portal")
    at = START
    for step, data in [
        ("intake", TOPIC),
        ("assign", {"unit": "VSS-CSKH"}),
        ("draft", {"answer": ANSWER}),
        ("review", {}),
        ("send", {}),
    ]:
        at += timedelta(minutes=30)
        case.complete(step, at=at, by="officer", **data)
    return case


def test_every_channel_finishes_its_own_steps_with_the_master_answer() -> None:
    master = _master()
    at = START + timedelta(hours=4)
    email = open_case(_inquiry("email", 5), at=START + timedelta(minutes=5), by="mail")
    letter = open_case(_inquiry("post", 6), at=START + timedelta(minutes=6), by="mailroom")
    letter.complete("intake", at=START + timedelta(minutes=20), by="mailroom", **TOPIC)
    call = open_case(_inquiry("phone", 7), at=START + timedelta(minutes=7), by="switchboard")
    for step in ("greet", "identify", "listen"):
        call.complete(step, at=START + timedelta(minutes=8), by="agent")
    for case in (email, letter, call):
        events = deliver_master_answer(case, master, at=at, by="officer")
        assert events
        assert case.outcome in case.definition.outcomes_tagged("resolved")
        assert case.facts.answer is not None
        assert case.facts.answer.text == ANSWER.text
        assert [e.data[MASTER_CASE_KEY] for e in events if MASTER_CASE_KEY in e.data] == [master.id]
    log = [master.inquiry, email.inquiry, letter.inquiry, call.inquiry]
    log += [*master.history, *email.history, *letter.history, *call.history]
    log.sort(key=lambda r: getattr(r, "at", None) or r.received_at)  # type: ignore[attr-defined]
    report = compute_kpis(log)
    assert report.overall.master_answers == 3
    assert report.overall.ended == 4
    assert report.by_channel["phone"].calls_answered == 1


def test_a_master_must_be_answered_and_general() -> None:
    unfinished = open_case(_inquiry("portal", 0), at=START, by="portal")
    with pytest.raises(InvalidInputError, match="not a master answer yet"):
        master_answer(unfinished)
    personal = Answer(text=ANSWER.text, discloses_personal_data=True)
    case = open_case(_inquiry("portal", 0), at=START, by="portal")
    case.complete("intake", at=START, by="o", verified=True, **TOPIC)
    case.complete("assign", at=START, by="o", unit="VSS-CSKH")
    case.complete("draft", at=START, by="o", answer=personal)
    case.complete("review", at=START, by="head")
    case.complete("send", at=START, by="o")
    with pytest.raises(InvalidInputError, match="personal answer"):
        master_answer(case)


def test_a_case_waiting_for_its_requester_is_not_answered_for_it() -> None:
    master = _master()
    waiting = open_case(_inquiry("email", 5), at=START + timedelta(minutes=5), by="mail")
    waiting.fire("request_info", at=START + timedelta(minutes=6), by="officer")
    with pytest.raises(InvalidInputError, match="waiting"):
        deliver_master_answer(waiting, master, at=START + timedelta(hours=4), by="officer")
    assert waiting.version == 2


def test_the_knowledge_base_share_of_answers() -> None:
    """Answers record the entry suggested for them and whether they used it; the KPIs count
    the share of answers that used the knowledge base."""
    records: list[Inquiry | Event] = []
    for minutes, used in ((0, True), (10, True), (20, False)):
        inquiry = _inquiry("portal", minutes)
        at = START + timedelta(minutes=minutes)
        case = open_case(inquiry, at=at, by="portal")
        for step, data in [
            ("intake", TOPIC),
            ("assign", {"unit": "VSS-CSKH"}),
            ("draft", {"answer": ANSWER, KNOWLEDGE_ENTRY_KEY: "kb-1", KNOWLEDGE_USED_KEY: used}),
            ("review", {}),
            ("send", {}),
        ]:
            at += timedelta(minutes=1)
            case.complete(step, at=at, by="officer", **data)
        records += [inquiry, *case.history]
    report = compute_kpis(records)
    assert report.overall.knowledge_suggested == 3
    assert report.overall.knowledge_share == pytest.approx(2 / 3)
