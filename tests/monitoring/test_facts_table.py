"""The per-case facts table, its Parquet file and the KPI SQL over it, against the report."""

# ruff: noqa: S608 - the queries name files and columns the tests made themselves

from __future__ import annotations

import math
import re
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.monitoring.conftest import at

from vss_care_core import open_case
from vss_care_core.errors import UnknownNameError
from vss_care_core.models import Inquiry
from vss_care_core.monitoring import (
    CASE_FACT_COLUMNS,
    KPI_QUERIES,
    CaseFact,
    KpiAccumulator,
    KpiFigures,
    KpiReport,
    LogRecord,
    compute_kpis,
    kpi_sql,
    write_case_facts,
)
from vss_care_core.simulation import simulate

duckdb = pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")


@pytest.fixture(scope="module")
def demo_log() -> list[LogRecord]:
    records, _ = simulate(days=2, seed=11, settle_days=1)
    return records


@pytest.fixture(scope="module")
def facts(demo_log: list[LogRecord], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("facts") / "facts.parquet"
    report = write_case_facts(demo_log, path)
    assert report == compute_kpis(demo_log)  # the same pass gives the same report
    return path


@pytest.fixture(scope="module")
def report(demo_log: list[LogRecord]) -> KpiReport:
    return compute_kpis(demo_log)


def _query(path: Path, name: str) -> list[dict[str, Any]]:
    connection = duckdb.connect()
    connection.execute(f"CREATE VIEW case_facts AS SELECT * FROM read_parquet('{path}')")
    cursor = connection.execute(kpi_sql(name))
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _groups(report: KpiReport) -> dict[tuple[str, str], KpiFigures]:
    groups = {("all", ""): report.overall}
    for dimension in ("channel", "unit", "kind", "day"):
        for name, figures in report.group(dimension).items():
            groups[dimension, name] = figures
    return groups


_COUNTS = (
    "ended",
    "calls_offered",
    "calls_answered",
    "answered_within_threshold",
    "queue_abandons",
    "short_abandons",
    "dropped_calls",
    "transfers",
    "escalations",
    "requests_for_info",
    "returned_drafts",
    "written_answered",
    "master_answers",
    "knowledge_suggested",
)
_RATES = (
    "service_level",
    "average_speed_of_answer",
    "abandonment_rate",
    "average_handle_time",
    "knowledge_share",
)


def test_the_sql_kpis_agree_with_the_report(facts: Path, report: KpiReport) -> None:
    """Every count to the last case, every rate to the last rounding, in every group."""
    expected = _groups(report)
    rows = _query(facts, "kpis")
    assert {(row["dimension"], row["group_name"]) for row in rows} == set(expected)
    assert report.overall.calls_offered > 2000
    for row in rows:
        figures = expected[row["dimension"], row["group_name"]]
        for name in _COUNTS:
            assert row[name] == getattr(figures, name), (row["group_name"], name)
        for name in _RATES:
            value = getattr(figures, name)
            if value is None:
                assert row[name] is None, (row["group_name"], name)
            else:
                assert math.isclose(row[name], value, rel_tol=1e-12), (row["group_name"], name)
        assert row["backlog_open"] == figures.backlog.open


def test_the_sql_volume_outcomes_and_sla_agree(facts: Path, report: KpiReport) -> None:
    volume: dict[str, dict[str, int]] = {}
    for row in _query(facts, "volume"):
        volume.setdefault(row["opened_day"], {})[row["channel"]] = row["cases"]
    assert volume == report.volume
    expected = _groups(report)
    outcomes: dict[tuple[str, str], dict[str, int]] = {}
    for row in _query(facts, "outcomes"):
        outcomes.setdefault((row["dimension"], row["group_name"]), {})[row["outcome"]] = row[
            "cases"
        ]
    assert outcomes == {key: f.outcomes for key, f in expected.items() if f.outcomes}
    sla: dict[tuple[str, str], dict[str, tuple[int, int]]] = {}
    for row in _query(facts, "sla"):
        key = (row["dimension"], row["group_name"])
        sla.setdefault(key, {})[row["target"]] = (row["met"], row["breached"])
    assert sla == {
        key: {name: (t.met, t.breached) for name, t in f.sla.items()}
        for key, f in expected.items()
        if f.sla
    }
    assert report.overall.sla["pickup"].breached > 0
    not_judged: dict[tuple[str, str], dict[str, int]] = {}
    for row in _query(facts, "sla_not_judged"):
        not_judged.setdefault((row["dimension"], row["group_name"]), {})[row["reason"]] = row[
            "cases"
        ]
    assert not_judged == {key: f.sla_not_judged for key, f in expected.items() if f.sla_not_judged}


def test_the_file_has_the_documented_columns(facts: Path, report: KpiReport) -> None:
    connection = duckdb.connect()
    described = connection.execute(f"DESCRIBE SELECT * FROM read_parquet('{facts}')").fetchall()
    assert [(row[0], row[1]) for row in described] == [
        (column.name, column.sql_type) for column in CASE_FACT_COLUMNS
    ]
    (count,) = connection.execute(f"SELECT COUNT(*) FROM read_parquet('{facts}')").fetchone()
    assert count == report.overall.ended + report.overall.backlog.open


def test_no_column_is_a_reserved_word() -> None:
    reserved = {
        row[0].lower()
        for row in duckdb.sql(
            "SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category <> 'unreserved'"
        ).fetchall()
    }
    reserved |= {"at", "day", "date", "time", "timestamp", "user", "value", "key", "level"}
    names = [column.name for column in CASE_FACT_COLUMNS]
    assert not [name for name in names if name in reserved]
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", name) for name in names)


def test_no_personal_data_in_the_rows(demo_log: list[LogRecord], facts: Path) -> None:
    """No identifier, name, text nor id of an inquiry or a case: only codes and figures."""
    secrets: set[str] = set()
    for record in demo_log:
        if isinstance(record, Inquiry):
            secrets |= {record.id, record.subject, record.content, *record.requester.identifiers}
            if record.requester.name:
                secrets.add(record.requester.name)
    connection = duckdb.connect()
    text_columns = [c.name for c in CASE_FACT_COLUMNS if c.sql_type == "VARCHAR"]
    values: set[str] = set()
    for name in text_columns:
        rows = connection.execute(f"SELECT DISTINCT {name} FROM read_parquet('{facts}')")
        values |= {row[0] for row in rows.fetchall() if row[0] is not None}
    assert values
    assert not values & secrets
    assert not [value for value in values if re.search(r"\d{9,}", value)]


def test_an_escalated_call_counts_once_and_its_follow_up_in_writing() -> None:
    """A call escalated to a written follow-up: the call under phone (offered, ended
    escalated), the follow-up under post, the channel of a written case of a phone inquiry."""
    start = at(2, 9)
    inquiry = Inquiry(
        id="q-esc",
        channel="phone",
        received_at=start,
        requester={"citizen_id": "079203001234"},
        subject="Khiếu nại",
        content="Tôi khiếu nại về việc chậm chi trả chế độ.",
    )
    call = open_case(inquiry, at=start, by="switchboard", case_id="c-esc")
    moment = start + timedelta(seconds=8)
    call.complete("greet", at=moment, by="agent-1")
    for step in ("identify", "listen"):
        moment += timedelta(seconds=20)
        call.complete(step, at=moment, by="agent-1")
    moment += timedelta(seconds=20)
    call.complete(
        "classify", at=moment, by="agent-1", kind="complaint", policy_areas=["social"],
        topic="pension",
    )  # fmt: skip
    moment += timedelta(seconds=40)
    call.fire("escalate", at=moment, by="agent-1", follow_up_case_id="c-esc-f")
    follow = call.follow_up()
    assert follow is not None
    log: list[LogRecord] = [inquiry, *call.history, *follow.history]
    rows: list[CaseFact] = []
    accumulator = KpiAccumulator(on_case=rows.append).add_all(log)
    report = accumulator.report()
    phone = report.by_channel["phone"]
    assert (phone.calls_offered, phone.ended, phone.outcomes) == (1, 1, {"escalated": 1})
    assert phone.escalations == 1
    assert report.by_channel["post"].backlog.open == 1  # the follow-up, still open
    assert report.by_channel["post"].calls_offered == 0
    assert report.volume == {"2026-03-02": {"phone": 1, "post": 1}}
    (row,) = rows
    assert (row.channel, row.inquiry_channel, row.outcome) == ("phone", "phone", "escalated")
    assert row.ended_utc is not None
    assert row.ended_utc.tzinfo is UTC
    (open_row,) = accumulator.open_case_facts()
    assert (open_row.channel, open_row.inquiry_channel) == ("post", "phone")
    assert (open_row.process_family, open_row.outcome) == ("written", None)


def test_kpi_sql_names_and_thresholds() -> None:
    assert set(KPI_QUERIES) == {"volume", "kpis", "outcomes", "sla", "sla_not_judged"}
    assert "<= 30.0" in kpi_sql("kpis", service_level_seconds=30)
    assert "FROM facts_2026_03" in kpi_sql("volume", table="facts_2026_03")
    with pytest.raises(UnknownNameError, match="unknown KPI query 'fcr'"):
        kpi_sql("fcr")
