"""Properties: the report over a log equals the report over its parts merged, and does not
depend on when the ended cases are counted."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.monitoring.conftest import Script, at, full_call, hand_log, inquiry

from vss_care_core.calendar import vietnam_calendar
from vss_care_core.models import Event, Inquiry
from vss_care_core.monitoring import (
    KpiAccumulator,
    KpiSettings,
    LogRecord,
    SatisfactionResponse,
)
from vss_care_core.simulation import simulate
from vss_care_core.sla import default_sla_judge


def _owner(record: LogRecord) -> str:
    """The inquiry a record belongs to (a case's events go with its inquiry)."""
    if isinstance(record, Inquiry):
        return record.id
    if isinstance(record, Event):
        return {"W2": "C6"}.get(record.case_id, record.case_id)
    assert isinstance(record, SatisfactionResponse)
    return {"W2": "C6"}.get(record.case_id, record.case_id)


def _split(log: list[LogRecord], parts: dict[str, int], count: int) -> list[KpiAccumulator]:
    accumulators = [KpiAccumulator() for _ in range(count)]
    for record in log:
        accumulators[parts.get(_owner(record), 0) % count].add(record)
    return accumulators


@given(
    st.dictionaries(
        st.sampled_from(["C1", "C2", "C3", "C4", "C5", "C6", "W1", "W3"]), st.integers(0, 2)
    ),
    st.integers(1, 3),
)
@settings(max_examples=60, deadline=None)
def test_hand_log_merged(parts: dict[str, int], count: int) -> None:
    log = hand_log()
    whole = KpiAccumulator().add_all(log).report()
    pieces = _split(log, parts, count)
    merged = pieces[0]
    for piece in pieces[1:]:
        merged = merged.merge(piece)
    assert merged.report() == whole


_call = st.tuples(
    st.integers(0, 3),  # requester
    st.sampled_from(["pension", "health-card"]),
    st.integers(0, 60 * 24 * 10),  # minutes after the start
    st.integers(1, 90),  # wait in seconds
    st.sampled_from(["closed", "abandon", "transfer"]),
)


@given(st.lists(_call, max_size=25), st.lists(st.integers(0, 2), min_size=25, max_size=25))
@settings(max_examples=40, deadline=None)
def test_generated_calls_merged(
    calls: list[tuple[int, str, int, int, str]], parts: list[int]
) -> None:
    ids = ["079203001234", "001085000123", "079303004567", None]
    timed: list[tuple[object, int, LogRecord]] = []
    for number, (who, topic, minute, wait, ending) in enumerate(calls):
        start = at(2, 8) + timedelta(minutes=minute)
        name = f"K{number}"
        timed.append((start, 0, inquiry(name, "phone", start, cid=ids[who], topic=topic)))
        script = Script(name, name).open(start, "greet")
        answered = start + timedelta(seconds=wait)
        if ending == "abandon":
            script.fire("abandon", answered, "abandoned")
        elif ending == "transfer":
            script.complete("greet", answered, "identify")
            script.fire("transfer", answered + timedelta(seconds=5), to="queue-2")
            script.complete("identify", answered + timedelta(seconds=9), "listen")
            script.complete("listen", answered + timedelta(seconds=10), "classify")
            script.complete("classify", answered + timedelta(seconds=11), "respond")
            script.complete("respond", answered + timedelta(seconds=50), "confirm")
            script.complete("confirm", answered + timedelta(seconds=60), "close")
            script.complete("close", answered + timedelta(seconds=70), "closed")
        else:
            full_call(script, answered, answered + timedelta(seconds=200))
        timed.extend((event.at, 1, event) for event in script.events)
    timed.sort(key=lambda item: (item[0], item[1]))  # type: ignore[arg-type,return-value]
    log = [record for _, _, record in timed]
    whole = KpiAccumulator().add_all(log).report()
    assignment = {f"K{n}": parts[n] for n in range(len(calls))}
    left, middle, right = _split(log, assignment, 3)
    assert left.merge(middle).merge(right).report() == whole
    assert right.merge(left.merge(middle)).report() == whole


def test_a_report_midway_changes_nothing() -> None:
    """Asking for a report midway leaves the accumulator as it was: the final report is the
    same as without it."""
    records, _ = simulate(days=1, seed=5, settle_days=3)
    calendar = vietnam_calendar()
    settings = KpiSettings(calendar=calendar, sla=default_sla_judge(calendar=calendar))
    whole = KpiAccumulator(settings=settings).add_all(records).report()
    assert whole.overall.ended > 1000
    assert whole.overall.sla
    halves = KpiAccumulator(settings=settings)
    middle = len(records) // 2
    halves.add_all(records[:middle])
    early = halves.report()
    assert early.overall.ended < whole.overall.ended
    for record in records[middle:]:
        halves.add(record)
    assert halves.report() == whole
