"""Surges, master answers and stale knowledge entries in the reports (table, HTML, command)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from vss_care_core.cli import main
from vss_care_core.knowledge import sample_knowledge_base
from vss_care_core.monitoring import (
    compute_kpis,
    encode_record,
    pseudonymise,
    render_html,
    render_table,
)
from vss_care_core.simulation import DemoAssumptions
from vss_care_core.simulation._demo import Simulation, simulate_in

FLOOD = DemoAssumptions(
    calls_per_day=100,
    written_per_day=(("portal", 10), ("email", 10), ("zalo", 6)),
    agents=3,
    flood_per_day=(150, 60),
)


@pytest.fixture(scope="module")
def flooded() -> Simulation:
    return simulate_in(None, days=4, seed=9, start=date(2026, 3, 2), assumptions=FLOOD, flood=True)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_page_and_the_table_show_them(flooded: Simulation, lang: str) -> None:
    report = compute_kpis(flooded.records)
    stale = sample_knowledge_base().stale_entries(on=date(2026, 3, 6))
    surge = flooded.surges[0]
    for text in (
        render_html(
            report, lang=lang, surges=flooded.surges, stale_entries=stale, stale_on=date(2026, 3, 6)
        ),  # type: ignore[arg-type]
        render_table(
            report, lang=lang, surges=flooded.surges, stale_entries=stale, stale_on=date(2026, 3, 6)
        ),  # type: ignore[arg-type]
    ):
        assert " ".join(surge.written_keywords) in text
        assert "maternity-father-2014" in text
        assert "58/2014/QH13" in text
        assert (
            f"{report.overall.master_answers:,}".replace(",", "." if lang == "vi" else ",") in text
        )
        for inquiry in flooded.records:
            if hasattr(inquiry, "content"):
                assert inquiry.content not in text  # never an inquiry's text  # type: ignore[union-attr]
    assert "Surges" in render_table(report, lang="en", surges=[])
    assert "No surge was raised." in render_table(report, lang="en", surges=[])
    assert "Surges" not in render_table(report, lang="en")


def test_report_command(
    flooded: Simulation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "events.jsonl"
    log.write_text("".join(encode_record(r) + "\n" for r in flooded.records), encoding="utf-8")
    assert main(["report", str(log), "--lang", "en", "--surges", "--knowledge"]) == 0
    out = capsys.readouterr().out
    assert " ".join(flooded.surges[0].written_keywords) in out
    assert "pension-conditions-2014" in out
    shared = tmp_path / "shared.jsonl"
    shared.write_text(
        "".join(encode_record(r) + "\n" for r in pseudonymise(flooded.records, key=b"k" * 32)),
        encoding="utf-8",
    )
    assert main(["report", str(shared), "--lang", "en", "--surges"]) == 0
    captured = capsys.readouterr()
    assert "no surge can be computed" in captured.err
    assert "Surges" not in captured.out
