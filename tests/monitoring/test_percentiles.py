"""Percentiles of wait, handle and written answer times: within the stated bound of the exact
value, over one log and over partial accumulators merged."""

from __future__ import annotations

import pytest

from vss_care_core.models import Event, Inquiry
from vss_care_core.monitoring import KpiAccumulator, KpiSettings, LogRecord, compute_kpis
from vss_care_core.monitoring._kpis import PERCENTILE_ACCURACY, PERCENTILES
from vss_care_core.simulation import simulate


@pytest.fixture(scope="module")
def records() -> list[LogRecord]:
    log, _ = simulate(days=1, seed=21, settle_days=2)
    return list(log)


def _exact_waits(records: list[LogRecord]) -> list[float]:
    """Each answered call's wait, read straight from its events: open to the greeting."""
    opened: dict[str, Event] = {}
    waits = []
    for record in records:
        if not isinstance(record, Event):
            continue
        if record.action == "open" and record.to_state == "greet":
            opened[record.case_id] = record
        elif record.action == "complete" and record.step == "greet":
            start = opened.pop(record.case_id, None)
            if start is not None:
                waits.append((record.at - start.at).total_seconds())
    return sorted(waits)


def test_wait_percentiles_are_within_their_bound(records: list[LogRecord]) -> None:
    report = compute_kpis(records, settings=KpiSettings(sla=None))
    waits = _exact_waits(records)
    assert len(waits) == report.overall.calls_answered > 500
    for label, q in PERCENTILES:
        exact = waits[int(q * (len(waits) - 1))]
        found = report.overall.percentiles["wait"][label]
        assert abs(found - exact) <= PERCENTILE_ACCURACY * exact + 1e-9, (label, found, exact)


def test_every_duration_has_its_percentiles(records: list[LogRecord]) -> None:
    report = compute_kpis(records, settings=KpiSettings(sla=None))
    assert set(report.overall.percentiles) == {"wait", "handle", "written_answer"}
    for values in report.overall.percentiles.values():
        assert list(values) == [label for label, _ in PERCENTILES]
        assert values["p50"] <= values["p90"] <= values["p95"]


def test_merged_parts_agree_with_the_whole(records: list[LogRecord]) -> None:
    """Accumulators over parts of the log (split by inquiry) merge into the same percentiles."""
    settings = KpiSettings(sla=None)
    whole = KpiAccumulator(settings=settings).add_all(records).report()
    parts = [KpiAccumulator(settings=settings) for _ in range(3)]
    owner: dict[str, int] = {}
    for record in records:
        if isinstance(record, Inquiry):
            owner[record.id] = len(owner) % 3
            parts[owner[record.id]].add(record)
        elif isinstance(record, Event):
            key = str(record.data.get("inquiry_id", "")) if record.action == "open" else ""
            if key:
                owner[record.case_id] = owner[key]
            parts[owner.get(record.case_id, 0)].add(record)
        else:  # a survey response goes with its case
            parts[owner.get(record.case_id, 0)].add(record)
    merged = parts[0].merge(parts[1]).merge(parts[2]).report()
    assert merged.overall.percentiles == whole.overall.percentiles
