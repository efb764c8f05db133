"""`vss-care export --parquet`: the facts table of a log, and no traceback on bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.monitoring.conftest import hand_log

from vss_care_core.cli import main
from vss_care_core.monitoring import CASE_FACT_COLUMNS, compute_kpis, write_event_log

pyarrow_parquet = pytest.importorskip("pyarrow.parquet")


@pytest.fixture
def log_file(tmp_path: Path) -> Path:
    path = tmp_path / "events.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        write_event_log(hand_log(), handle)
    return path


def test_export_parquet_writes_one_row_per_case(
    log_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "facts.parquet"
    assert main(["export", str(log_file), "--parquet", "--out", str(out)]) == 0
    table = pyarrow_parquet.read_table(out)
    assert table.column_names == [column.name for column in CASE_FACT_COLUMNS]
    report = compute_kpis(hand_log())
    assert table.num_rows == report.overall.ended + report.overall.backlog.open == 9
    rows = table.to_pylist()
    assert sorted(row["channel"] for row in rows).count("phone") == 6
    assert [row["inquiry_channel"] for row in rows if row["channel"] == "post"] == ["phone"]
    assert "9 cases (8 ended)" in capsys.readouterr().err
    assert not (tmp_path / "facts.parquet.part").exists()


def test_export_parquet_needs_a_file(log_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(log_file), "--parquet"]) == 1
    error = capsys.readouterr().err
    assert "--out FILE.parquet" in error
    assert "Traceback" not in error


def test_a_bad_line_leaves_no_file(
    log_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with log_file.open("a", encoding="utf-8") as handle:
        handle.write('{"schema": "vss-care-events/1", "type": "event", "event": {}}\n')
    out = tmp_path / "facts.parquet"
    assert main(["export", str(log_file), "--parquet", "--out", str(out)]) == 1
    error = capsys.readouterr().err
    assert f"line {len(hand_log()) + 1}:" in error
    assert "Traceback" not in error
    assert not out.exists()
    assert not (tmp_path / "facts.parquet.part").exists()


def test_a_log_export_still_needs_its_key(
    log_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(log_file)]) == 1
    assert "--key-file KEY" in capsys.readouterr().err
