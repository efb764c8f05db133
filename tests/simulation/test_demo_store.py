"""The demo on the case store: the log from the outbox, due rules applied, a flood answered once."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pytest

from vss_care_core.calendar import vietnam_calendar
from vss_care_core.models import Event, Inquiry
from vss_care_core.monitoring import compute_kpis, encode_record
from vss_care_core.process import MASTER_CASE_KEY
from vss_care_core.simulation import DemoAssumptions
from vss_care_core.simulation._demo import Simulation, simulate_in
from vss_care_core.simulation._world import alert_rule
from vss_care_core.store import SQLiteCaseStore

SMALL = DemoAssumptions(
    calls_per_day=120,
    written_per_day=(("portal", 12), ("email", 10), ("zalo", 8), ("post", 4)),
    agents=3,
    flood_per_day=(160, 90),
)
START = date(2026, 3, 2)


def _run(seed: int, *, days: int = 4, flood: bool = True, settle_days: int = 0) -> Simulation:
    return simulate_in(
        None,
        days=days,
        seed=seed,
        start=START,
        assumptions=SMALL,
        flood=flood,
        settle_days=settle_days,
    )


@pytest.fixture(scope="module")
def flooded() -> Simulation:
    return _run(5)


def test_the_log_is_what_the_store_rebuilds() -> None:
    """Every case rebuilt from the store has exactly the events of the log, in its order."""
    calendar = vietnam_calendar()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cases.sqlite"
        with SQLiteCaseStore(path, next_alert=alert_rule(calendar)) as store:
            simulation = simulate_in(
                store, days=2, seed=3, start=START, assumptions=SMALL, calendar=calendar
            )
            histories: dict[str, list[Event]] = {}
            for record in simulation.records:
                if isinstance(record, Event):
                    histories.setdefault(record.case_id, []).append(record)
            assert len(histories) == len(simulation.cases)
            for case in simulation.cases:
                rebuilt = store.load(case.id)
                assert list(rebuilt.history) == histories[case.id]
                assert rebuilt == case  # the desk's copy is the stored case
            outbox = [item.record for item in store.outbox()]
    logged = [r for r in simulation.records if isinstance(r, Inquiry | Event)]
    assert logged == outbox  # the log is the outbox, with the survey answers between
    moments = [r.received_at if isinstance(r, Inquiry) else r.at for r in logged]
    assert moments == sorted(moments)


def test_due_moves_are_in_the_log_with_their_rule_ids() -> None:
    """The rules escalate unmoved written cases, and (after 10 working days) close the requests
    for information nobody answered; each move carries its rule-derived id."""
    simulation = _run(2, days=2, flood=False, settle_days=16)
    assert simulation.due_moves.get("escalate-unmoved", 0) > 0
    assert simulation.due_moves.get("close-unanswered-request", 0) > 0
    first = simulation.first_due_event
    assert first is not None
    assert first.id.startswith("due-")
    by_rules = [r for r in simulation.records if isinstance(r, Event) and r.by == "due-rules"]
    assert first in by_rules
    assert len(by_rules) == sum(simulation.due_moves.values())
    assert len({event.id for event in by_rules}) == len(by_rules)  # each applied once
    withdrawn = [e for e in by_rules if e.action == "withdraw"]
    assert all(e.from_state == "awaiting_info" for e in withdrawn)


def _without_ids(simulation: Simulation) -> list[str]:
    """The log with event ids replaced by their order of appearance (a master answer's
    delivered moves get random ids)."""
    names: dict[str, str] = {}
    lines = []
    for record in simulation.records:
        line = encode_record(record)
        if isinstance(record, Event):
            name = names.setdefault(record.id, f"event-{len(names)}")
            line = line.replace(record.id, name)
        lines.append(line)
    return lines


def test_same_seed_same_log(flooded: Simulation) -> None:
    assert _without_ids(_run(5)) == _without_ids(flooded)
    assert _without_ids(_run(6)) != _without_ids(flooded)


def test_the_flood_is_raised_and_answered_once(flooded: Simulation) -> None:
    assert len(flooded.surges) == 1
    surge = flooded.surges[0]
    assert surge.started_at.date() == date(2026, 3, 4)  # the third working day
    assert (surge.raised_at - surge.started_at).total_seconds() < 4 * 3600
    assert len(surge.by_channel) >= 4
    assert len(flooded.master_cases) == 1
    master_id = flooded.master_cases[0]
    events = [r for r in flooded.records if isinstance(r, Event)]
    master = [e for e in events if e.case_id == master_id]
    assert [e.step for e in master if e.action == "complete"] == [
        "intake",
        "assign",
        "draft",
        "review",
        "send",
    ]
    draft = next(e for e in master if e.step == "draft")
    assert draft.data["knowledge_entry"] == "maternity-father"
    delivered = {e.case_id for e in events if e.data.get(MASTER_CASE_KEY) == master_id}
    assert flooded.delivered > 0
    assert len(delivered) >= flooded.delivered  # written cases delivered, and calls answered
    report = compute_kpis(flooded.records)
    assert report.overall.master_answers == len(delivered)
    inquiries = {r.id: r for r in flooded.records if isinstance(r, Inquiry)}
    cases = {case.id: case for case in flooded.cases}
    for case_id in delivered:
        inquiry = inquiries[cases[case_id].inquiry.id]
        assert "tôi được hưởng bao nhiêu tiền" not in inquiry.content  # personal ones apart
