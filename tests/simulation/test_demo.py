"""The demo simulation: one working day, through the command line and the API."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from vss_care_core.cli import main
from vss_care_core.models import Event, Inquiry
from vss_care_core.monitoring import (
    EventLogReader,
    SatisfactionResponse,
    compute_kpis,
    encode_record,
)
from vss_care_core.process import Case
from vss_care_core.simulation import DemoAssumptions, simulate

SMALL = DemoAssumptions(
    calls_per_day=120,
    written_per_day=(("portal", 12), ("email", 10), ("zalo", 8), ("post", 4)),
    agents=3,
)


def test_demo_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``vss-care demo --days 1`` writes both files and prints the KPI summary, in Vietnamese
    by default."""
    out = tmp_path / "demo"
    assert main(["demo", "--days", "1", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "1.400 cuộc gọi" in printed
    assert "mức phục vụ" in printed
    assert "hài lòng" in printed
    assert "calls" not in printed
    assert (out / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with (out / "events.jsonl").open("rb") as stream:
        reader = EventLogReader(stream)
        counted = sum(1 for _ in reader)
    assert counted == reader.lines_read
    assert main(["report", str(out / "events.jsonl")]) == 0


def test_demo_summary_in_english(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--lang en`` prints the same summary in English."""
    assert main(["demo", "--days", "1", "--lang", "en", "--out", str(tmp_path / "en")]) == 0
    printed = capsys.readouterr().out
    assert "1,400 calls" in printed
    assert "service level" in printed
    assert "CSAT" in printed
    assert "cuộc gọi" not in printed


def test_same_seed_same_log() -> None:
    first, _ = simulate(days=1, seed=7, assumptions=SMALL)
    second, _ = simulate(days=1, seed=7, assumptions=SMALL)
    assert [encode_record(r) for r in first] == [encode_record(r) for r in second]
    other, _ = simulate(days=1, seed=8, assumptions=SMALL)
    assert [encode_record(r) for r in other] != [encode_record(r) for r in first]


def test_log_rebuilds_every_case() -> None:
    """Every case replays from the logged inquiry and events to the case the simulation holds."""
    records, cases = simulate(days=2, seed=3, start=date(2026, 3, 5), assumptions=SMALL)
    inquiries = {r.id: r for r in records if isinstance(r, Inquiry)}
    histories: dict[str, list[Event]] = {}
    for record in records:
        if isinstance(record, Event):
            histories.setdefault(record.case_id, []).append(record)
    assert len(histories) == len(cases)
    for case in cases:
        history = histories[case.id]
        assert [e.seq for e in history] == list(range(1, len(history) + 1))
        assert Case.replay(inquiries[case.inquiry.id], history) == case
    times = [r.at if isinstance(r, Event) else None for r in records]
    moments = [t for t in times if t is not None]
    assert moments == sorted(moments)  # the log is in time order


def test_skips_the_weekend_and_shows_realistic_shares() -> None:
    """5 March 2026 is a Thursday: two working days are Thursday and Friday."""
    records, _ = simulate(days=2, seed=3, start=date(2026, 3, 5), assumptions=SMALL)
    days = {r.received_at.date() for r in records if isinstance(r, Inquiry)}
    assert days == {date(2026, 3, 5), date(2026, 3, 6)}
    report = compute_kpis(records)
    calls = report.by_channel["phone"]
    assert calls.calls_offered == 240
    assert calls.queue_abandons > 0
    assert calls.transfers > 0
    assert report.overall.satisfaction.responses > 0
    assert sum(isinstance(r, SatisfactionResponse) for r in records) >= (
        report.overall.satisfaction.responses
    )


def test_days_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--days", "0"]) == 1
    assert "--days must be at least 1" in capsys.readouterr().err
