"""`vss-care due` and `vss-care surges` on real logs."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from vss_care_core import Inquiry, open_case
from vss_care_core.cli import main
from vss_care_core.monitoring import write_event_log
from vss_care_core.testing import make_inquiry

VN = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2026, 3, 2, 8, 0, tzinfo=VN)


def test_due_lists_a_case_nobody_moved(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inquiry = make_inquiry(channel="email", received_at=START)
    case = open_case(inquiry, at=START, by="portal")
    topic = {"kind": "question", "policy_areas": ["health"], "topic": "health-card"}
    case.complete("intake", at=START + timedelta(minutes=30), by="officer", **topic)
    log = tmp_path / "events.jsonl"
    with log.open("w", encoding="utf-8") as out:
        write_event_log([inquiry, *case.history], out)
    at = "2026-03-02T13:30+07:00"  # 4 working hours after 08:30, lunch excluded
    assert main(["due", str(log), "--at", at, "--format", "json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [(i["kind"], i["name"], i["case_id"]) for i in items] == [
        ("rule", "escalate-unmoved", case.id)
    ]
    assert main(["due", str(log), "--at", "2026-03-02T13:29+07:00", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_due_needs_a_time_zone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "events.jsonl"
    log.write_text("", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["due", str(log), "--at", "2026-03-02T13:30"])
    assert "+07:00" in capsys.readouterr().err


def test_surges_finds_a_flood(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Three days of varied questions, then the same question 30 times in an hour."""
    records: list[Inquiry] = []
    words = (  # noqa: SIM905 - a word list reads better as text
        "the bao hiem xa hoi y te that nghiep luong huu dong muc huong che do om dau"
    ).split()
    moment = START
    for n in range(330):  # 15 an hour for three working days: past the 16-hour warm-up
        moment += timedelta(minutes=4)
        if moment.hour >= 17:
            moment = moment.replace(hour=8) + timedelta(days=1)
        text = " ".join(words[(n * 7 + k * 3) % len(words)] for k in range(9)) + f" {n}"
        records.append(make_inquiry(channel="email", received_at=moment, content=text))
    flood = "Điều kiện rút bảo hiểm xã hội một lần theo luật mới từ 1/7/2025 là gì"
    for _ in range(30):
        moment += timedelta(minutes=2)
        records.append(make_inquiry(channel="zalo", received_at=moment, content=flood))
    log = tmp_path / "events.jsonl"
    with log.open("w", encoding="utf-8") as out:
        write_event_log(records, out)
    assert main(["surges", str(log), "--format", "json"]) == 0
    surges = json.loads(capsys.readouterr().out)
    assert len(surges) == 1
    assert surges[0]["by_channel"].get("zalo", 0) >= 10
    assert main(["surges", str(log)]) == 0
    assert "luat" in capsys.readouterr().out
