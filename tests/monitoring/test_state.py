"""Saved KPI states: a state saved and loaded continues as one pass, the states of parts
merge into the report of the whole, and a state of another version is refused."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.monitoring.conftest import A, B, hand_log

from vss_care_core.errors import InvalidInputError
from vss_care_core.models import Event, Inquiry
from vss_care_core.monitoring import (
    KPI_STATE_SCHEMA,
    KpiAccumulator,
    KpiSettings,
    LogRecord,
    SatisfactionResponse,
    compute_kpis,
)
from vss_care_core.simulation import simulate

_FOLLOW_UPS = {"W2": "C6"}


def _owner(record: LogRecord) -> str:
    """The inquiry a record belongs to (a case's events go with its inquiry)."""
    if isinstance(record, Inquiry):
        return record.id
    assert isinstance(record, Event | SatisfactionResponse)
    return _FOLLOW_UPS.get(record.case_id, record.case_id)


def _round_trip(accumulator: KpiAccumulator) -> KpiAccumulator:
    return KpiAccumulator.from_state(accumulator.save_state(), settings=accumulator.settings)


@given(
    st.dictionaries(
        st.sampled_from(["C1", "C2", "C3", "C4", "C5", "C6", "W1", "W3"]), st.integers(0, 3)
    ),
    st.integers(1, 4),
)
@settings(max_examples=40, deadline=None)
def test_saved_states_of_parts_merge_into_one_pass(parts: dict[str, int], count: int) -> None:
    """Provinces: each part holds whole cases; their saved states merged = one pass."""
    log = hand_log()
    whole = compute_kpis(log)
    pieces = [KpiAccumulator() for _ in range(count)]
    for record in log:
        pieces[parts.get(_owner(record), 0) % count].add(record)
    merged = _round_trip(pieces[0])
    for piece in pieces[1:]:
        merged = merged.merge(_round_trip(piece))
    assert merged.report() == whole


@given(st.integers(0, len(hand_log())))
@settings(max_examples=30, deadline=None)
def test_a_state_saved_midway_continues_as_one_pass(cut: int) -> None:
    log = hand_log()
    first = KpiAccumulator().add_all(log[:cut])
    assert _round_trip(first).add_all(log[cut:]).report() == compute_kpis(log)


@pytest.fixture(scope="module")
def days() -> list[list[LogRecord]]:
    """Two working days of the demo, split at midnight (cases open across the split)."""
    records, _ = simulate(days=2, seed=3)
    first_day = records[0].received_at.date() if isinstance(records[0], Inquiry) else None
    assert first_day is not None

    def day_of(record: LogRecord) -> object:
        if isinstance(record, Inquiry):
            return record.received_at.date()
        if isinstance(record, Event):
            return record.at.date()
        return record.answered_at.date()

    split = next(i for i, record in enumerate(records) if day_of(record) != first_day)
    return [records[:split], records[split:]]


def test_daily_states_chain_into_the_report_of_both_days(days: list[list[LogRecord]]) -> None:
    """Day 1's state, saved as JSON, loaded the next day and fed day 2's log."""
    first, second = days
    whole = compute_kpis([*first, *second])
    saved = KpiAccumulator().add_all(first).save_state()
    resumed = KpiAccumulator.from_state(saved)
    assert resumed.report() == compute_kpis(first)
    assert resumed.add_all(second).report() == whole
    assert whole.overall.sla
    assert whole.overall.percentiles
    assert whole.overall.fcr_eligible > 1000


def test_the_document_names_its_version_and_no_identifier() -> None:
    text = KpiAccumulator().add_all(hand_log()).save_state()
    document = json.loads(text)
    assert document["schema"] == KPI_STATE_SCHEMA == "vss-care-kpi-state/1"
    assert A not in text
    assert B not in text
    assert "Xin hỏi" not in text  # no inquiry text


def test_a_state_of_another_version_is_refused() -> None:
    document = json.loads(KpiAccumulator().add_all(hand_log()).save_state())
    document["schema"] = "vss-care-kpi-state/2"
    with pytest.raises(InvalidInputError, match=r"version 'vss-care-kpi-state/2'.*upgrade"):
        KpiAccumulator.from_state(json.dumps(document))


def test_a_state_loaded_with_other_settings_is_refused() -> None:
    text = KpiAccumulator().add_all(hand_log()).save_state()
    with pytest.raises(InvalidInputError, match=r"service_level_seconds=20\.0 but these"):
        KpiAccumulator.from_state(text, settings=KpiSettings(service_level_seconds=30))


@pytest.mark.parametrize("text", ["", "[1, 2]", '{"schema": "vss-care-kpi-state/1"}', "{"])
def test_a_damaged_state_is_refused(text: str) -> None:
    with pytest.raises(InvalidInputError, match="KPI state"):
        KpiAccumulator.from_state(text)
