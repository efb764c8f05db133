"""``vss-care report`` through ``main``, and the HTML page it writes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from tests.monitoring.conftest import A, Script, at, hand_log, inquiry

from vss_care_core.cli import main
from vss_care_core.cli._progress import Progress
from vss_care_core.monitoring import (
    LogRecord,
    compute_kpis,
    encode_record,
    render_html,
    render_table,
    write_event_log,
)
from vss_care_core.simulation import DemoAssumptions, simulate

TINY = DemoAssumptions(calls_per_day=40, written_per_day=(("email", 5),), agents=2)


@pytest.fixture
def log_file(tmp_path: Path) -> Path:
    path = tmp_path / "events.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_event_log(hand_log(), out)
    return path


class TestReportCommand:
    def test_table(self, log_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["report", str(log_file), "--lang", "en"]) == 0
        out = capsys.readouterr().out
        assert "Service level (20 s)" in out
        assert "60.0 %" in out  # 3 / 5, see test_kpis.py

    def test_by_channel(self, log_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["report", str(log_file), "--by", "channel", "--lang", "en"]) == 0
        lines = capsys.readouterr().out.splitlines()
        rows = {line.split("  ")[0]: line for line in lines if line}
        assert "60.0 %" in rows["Phone switchboard"]
        assert rows["Web portal"].split()[-1] == "1"  # W3 in the backlog

    def test_by_step(self, log_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["report", str(log_file), "--by", "step", "--lang", "en"]) == 0
        assert "Receive the call and greet (call)" in capsys.readouterr().out

    def test_json(self, log_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["report", str(log_file), "--format", "json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["overall"]["service_level"] == pytest.approx(0.6)
        assert data["overall"]["first_contact_resolution"] == pytest.approx(0.4)

    def test_html_to_file(self, log_file: Path, tmp_path: Path) -> None:
        out = tmp_path / "report.html"
        assert main(["report", str(log_file), "--format", "html", "--out", str(out)]) == 0
        page = out.read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>")
        assert page.count("<svg") >= 5
        for external in ("<script", "http://", "https://", "<link", "@import", "url("):
            assert external not in page
        assert A not in page  # no personal data

    def test_no_sla(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A log written through the process API: SLA lines unless --no-sla."""
        path = tmp_path / "demo.jsonl"
        records, _ = simulate(days=1, assumptions=TINY)
        with path.open("w", encoding="utf-8") as out:
            write_event_log(records, out)
        assert main(["report", str(path), "--lang", "en"]) == 0
        assert "SLA: Time to pick up a call" in capsys.readouterr().out
        assert main(["report", str(path), "--no-sla", "--lang", "en"]) == 0
        assert "SLA: Time to pick up a call" not in capsys.readouterr().out

    def test_period(self, log_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
        args = ["report", str(log_file), "--from", "2026-03-03", "--format", "json"]
        assert main(args) == 0
        assert json.loads(capsys.readouterr().out)["overall"]["ended"] == 1  # W1

    def test_period_reversed(self, log_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Said with the options typed, never the settings' Python names."""
        assert main(["report", str(log_file), "--from", "2026-03-09", "--to", "2026-03-02"]) == 1
        assert capsys.readouterr().err == (
            "vss-care: error: --to 2026-03-02 is before --from 2026-03-09: swap them\n"
        )

    def test_period_without_cases_is_said(
        self, log_file: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["report", str(log_file), "--from", "2027-01-01"]) == 0
        assert capsys.readouterr().err == (
            f"vss-care: note: no case of {log_file} was opened in the period asked "
            "(--from 2027-01-01): the report is empty\n"
        )

    def test_out_directory_refused_before_reading(
        self, log_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["report", str(log_file), "--out", str(tmp_path)]) == 1
        assert capsys.readouterr().err == (
            f"vss-care: error: {tmp_path} (--out) is a directory: give the name of a file\n"
        )

    def test_bad_date(self, log_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit):
            main(["report", str(log_file), "--from", "02/03/2026"])
        assert "YYYY-MM-DD" in capsys.readouterr().err


class TestMalformedLog:
    @pytest.fixture
    def broken(self, tmp_path: Path) -> Path:
        lines = [encode_record(record) for record in hand_log()]
        lines.insert(2, '{"schema": "vss-care-events/1", "type": "event", "event": {"seq": 0}}')
        lines.insert(5, "not json")
        path = tmp_path / "broken.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    def test_refused_with_file_line_and_a_way_on(
        self, broken: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["report", str(broken)]) == 1
        (line,) = capsys.readouterr().err.splitlines()
        assert line.startswith(f"vss-care: error: {broken}, line 3: invalid record: event.")
        assert "event.seq" in line
        assert line.endswith("(to skip malformed lines and count them, add --skip-bad)")

    def test_skip_bad_counts(self, broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["report", str(broken), "--skip-bad", "--format", "json"]) == 0
        captured = capsys.readouterr()
        assert "skipped 2 malformed line(s) (lines 3, 6)" in captured.err
        assert json.loads(captured.out)["overall"]["service_level"] == pytest.approx(0.6)

    def test_missing_file(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["report", str(tmp_path / "none.jsonl")]) == 1
        assert capsys.readouterr().err == (
            f"vss-care: error: {tmp_path / 'none.jsonl'} does not exist: check the path\n"
        )

    def test_deep_line_skipped(self, broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A line nested 1,000 deep is one more malformed line, even with --skip-bad."""
        deep = len(broken.read_text("utf-8").splitlines()) + 1
        with broken.open("a", encoding="utf-8") as out:
            out.write("[" * 1000 + "]" * 1000 + "\n")
        assert main(["report", str(broken), "--skip-bad", "--format", "json"]) == 0
        assert f"skipped 3 malformed line(s) (lines 3, 6, {deep})" in capsys.readouterr().err

    def test_nothing_valid_is_an_error(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--skip-bad over a file where no line is a record: refused, not an empty report."""
        path = tmp_path / "notes.txt"
        path.write_text("hello\nworld\n", encoding="utf-8")
        assert main(["report", str(path), "--skip-bad"]) == 1
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err.splitlines()[-1] == (
            f"vss-care: error: {path}: no line holds a valid record (2 malformed, skipped): is it "
            "a vss-care event log (vss-care-events/1)?"
        )

    @pytest.mark.parametrize(("text", "what"), [("", "is empty"), ("\n\n", "holds no record")])
    def test_empty_log_is_said(
        self, text: str, what: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An empty log gives an empty report, and a note that says so."""
        path = tmp_path / "events.jsonl"
        path.write_text(text, encoding="utf-8")
        assert main(["report", str(path), "--format", "json"]) == 0
        captured = capsys.readouterr()
        assert json.loads(captured.out)["records"] == 0
        assert captured.err.startswith(f"vss-care: note: {path} {what}")
        assert captured.err.endswith(": the report has no data\n")


class TestRendering:
    def test_html_escapes_every_text(self) -> None:
        """A unit code from the data cannot inject markup into the page."""
        records: list[LogRecord] = [inquiry("X1", "email", at(2, 9))]
        script = Script("X1", "X1").open(at(2, 9), "intake")
        script.complete(
            "intake", at(2, 10), "assign", kind="question", policy_areas=["social"], topic="pension"
        )
        script.complete("assign", at(2, 11), "draft", unit="<script>alert(1)</script>")
        script.complete("draft", at(2, 12), "review", answer={"text": "..."})
        script.complete("review", at(2, 13), "send")
        script.complete("send", at(2, 14), "answered")
        records.extend(script.events)
        page = render_html(compute_kpis(records), title="<b>Báo cáo</b>")
        assert "<script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "&lt;b&gt;Báo cáo&lt;/b&gt;" in page

    def test_empty_report(self) -> None:
        report = compute_kpis([])
        assert "no data" in render_html(report, lang="en")
        assert "Service level" in render_table(report, lang="en")
        assert "Mức độ phục vụ" in render_table(report)  # Vietnamese by default


class TestProgress:
    def test_quiet_on_a_pipe(self, log_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """When stderr is not a terminal, no progress is shown."""
        assert main(["report", str(log_file), "--by", "day", "--lang", "en"]) == 0
        captured = capsys.readouterr()
        assert captured.err == ""
        assert "2026-03-02" in captured.out


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_shows_the_total_and_the_time_left() -> None:
    """On a terminal: done of total, the share and the time left, then a closing line."""
    ticks = iter(range(100))
    terminal = _Terminal()
    progress = Progress(4, "working days simulated", terminal, clock=lambda: float(next(ticks)))
    for done in range(1, 5):
        progress.update(done)
    progress.finish()
    shown = terminal.getvalue().split("\r")
    assert "1 of 4 working days simulated (25%), about 3 s left" in shown[1]
    assert "3 of 4 working days simulated (75%), about 1 s left" in shown[3]
    assert shown[-1].startswith("4 working days simulated done in 5 s")
    quiet = io.StringIO()
    Progress(4, "days", quiet).update(2)
    assert quiet.getvalue() == ""


def test_out_that_cannot_be_written(
    log_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A --out in a folder that does not exist: the option and the reason, one line."""
    out = tmp_path / "no-such-folder" / "report.html"
    assert main(["report", str(log_file), "--out", str(out)]) == 1
    assert capsys.readouterr().err == (
        f"vss-care: error: {out} (--out) cannot be written: No such file or directory\n"
    )
