"""A KPI accumulator's state as a versioned JSON document, and back.

The document holds everything a :class:`~vss_care_core.monitoring.KpiAccumulator` keeps: the
counters of every group (the percentile sketches as their bins), the cases still open (their
moves, times and facts), what is remembered of recent inquiries and ended cases, and the
first-contact receipts. So a state saved at the end of one day's log and loaded the next day
continues as if the log had been read in one pass, and the states of parts of a log that each
hold whole cases (a province each) merge into the report of the whole.

Requesters are present only as digests of their identifiers; no name, text or identifier is
written.
"""

from __future__ import annotations

from collections import deque
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ddsketch import DDSketch
from ddsketch.ddsketch import BaseDDSketch
from ddsketch.mapping import LogarithmicMapping
from ddsketch.store import DenseStore

from vss_care_core.errors import InvalidInputError
from vss_care_core.models import Classification, InquiryKind, Move, PolicyArea, Priority
from vss_care_core.monitoring._facts import Arrival, GroupKey, OpenCase
from vss_care_core.monitoring._kpis import (
    PERCENTILE_ACCURACY,
    KpiAccumulator,
    KpiSettings,
    _Counts,
    _Ended,
    _Noted,
    _Pending,
    _Receipt,
    _StepTotal,
)
from vss_care_core.process import CaseFacts

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["KPI_STATE_SCHEMA", "dump_state", "load_state"]

KPI_STATE_SCHEMA = "vss-care-kpi-state/1"
"""The version a saved KPI state names; a reader refuses any other."""


def _settings_of(settings: KpiSettings) -> dict[str, Any]:
    return {
        "service_level_seconds": settings.service_level_seconds,
        "short_abandon_seconds": settings.short_abandon_seconds,
        "fcr_window_seconds": settings.fcr_window.total_seconds(),
        "period_start": _day(settings.period_start),
        "period_end": _day(settings.period_end),
    }


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _sketch(sketch: BaseDDSketch) -> dict[str, Any]:
    # the bins and the zero count are the sketch: a percentile is read from them alone
    # (ddsketch offers no public reading of its stores)
    positive, negative = sketch._store, sketch._negative_store
    return {
        "zero_count": sketch._zero_count,
        "positive": _bins(positive),
        "negative": _bins(negative),
    }


def _bins(store: Any) -> dict[str, float]:
    return {str(store.offset + index): weight for index, weight in enumerate(store.bins) if weight}


def _sketch_from(document: Mapping[str, Any]) -> DDSketch:
    positive, negative = DenseStore(), DenseStore()
    for store, name in ((positive, "positive"), (negative, "negative")):
        for key, weight in document[name].items():
            store.add(int(key), float(weight))
    bins = BaseDDSketch(
        mapping=LogarithmicMapping(PERCENTILE_ACCURACY),
        store=positive,
        negative_store=negative,
        zero_count=float(document["zero_count"]),
    )
    sketch = DDSketch(relative_accuracy=PERCENTILE_ACCURACY)
    sketch.merge(bins)
    return sketch


def _counts(counts: _Counts) -> dict[str, Any]:
    return {
        "numbers": {name: getattr(counts, name) for name in _Counts._NUMBERS},
        "tables": {name: dict(getattr(counts, name)) for name in _Counts._TABLES},
        "durations": {name: _sketch(sketch) for name, sketch in counts.durations.items()},
    }


def _counts_from(document: Mapping[str, Any]) -> _Counts:
    counts = _Counts()
    for name in _Counts._NUMBERS:
        setattr(counts, name, document["numbers"][name])
    for name in _Counts._TABLES:
        setattr(counts, name, dict(document["tables"][name]))
    for name, sketch in document["durations"].items():
        counts.durations[name] = _sketch_from(sketch)
    return counts


def _group(key: GroupKey | None) -> dict[str, str] | None:
    """A group key as a mapping (None stays None: a case that is not measured)."""
    if key is None:
        return None
    return {"channel": key.channel, "unit": key.unit, "kind": key.kind, "day": key.day}


def _group_from(document: Mapping[str, str] | None) -> GroupKey | None:
    return _key_from(document) if document is not None else None


def _key_from(document: Mapping[str, str]) -> GroupKey:
    return GroupKey(
        channel=document["channel"],
        unit=document["unit"],
        kind=document["kind"],
        day=document["day"],
    )


def _arrival(arrival: Arrival) -> dict[str, Any]:
    return {
        "id": arrival.id,
        "channel": arrival.channel,
        "kind": arrival.kind,
        "topic": arrival.topic,
        "priority": arrival.priority,
        "received_at": arrival.received_at.isoformat(),
        "keys": list(arrival.keys),
    }


def _arrival_from(document: Mapping[str, Any]) -> Arrival:
    return Arrival(
        id=document["id"],
        channel=document["channel"],
        kind=document["kind"],
        topic=document["topic"],
        priority=document["priority"],
        received_at=datetime.fromisoformat(document["received_at"]),
        keys=tuple(document["keys"]),
    )


def _facts(facts: CaseFacts) -> dict[str, Any]:
    classification = facts.classification
    return {
        "verified": facts.verified,
        "classification": None
        if classification is None
        else {
            "kind": classification.kind.value,
            "policy_areas": [area.value for area in classification.policy_areas],
            "topic": classification.topic,
        },
        "priority": facts.priority.value if facts.priority is not None else None,
        "unit": facts.unit,
        "assignee": facts.assignee,
        "reopens": facts.reopens,
    }


def _facts_from(document: Mapping[str, Any]) -> CaseFacts:
    given = document["classification"]
    classification = None
    if given is not None:
        classification = Classification(
            kind=InquiryKind(given["kind"]),
            policy_areas=tuple(PolicyArea(area) for area in given["policy_areas"]),
            topic=given["topic"],
        )
    priority = document["priority"]
    return CaseFacts(
        verified=document["verified"],
        classification=classification,
        priority=Priority(priority) if priority is not None else None,
        unit=document["unit"],
        assignee=document["assignee"],
        reopens=document["reopens"],
    )


def _open_case(case: OpenCase) -> dict[str, Any]:
    return {
        "case_id": case.case_id,
        "arrival": _arrival(case.arrival),
        "process": case.definition.name,
        "measured": case.measured,
        "opened_on": case.opened_on.isoformat(),
        "channel": case.channel,
        "moves": [
            {
                "action": move.action,
                "from_state": move.from_state,
                "to_state": move.to_state,
                "step": move.step,
            }
            for move in case.moves
        ],
        "times": [moment.isoformat() for moment in case.times],
        "held": case.held,
        "facts": _facts(case.facts),
        "last_seq": case.last_seq,
        "whole": case.whole,
        "wrap_up": case.wrap_up,
        "from_master": case.from_master,
        "knowledge": case.knowledge,
    }


def _open_case_from(document: Mapping[str, Any], accumulator: KpiAccumulator) -> OpenCase:
    definition = accumulator.settings.process_named(document["process"])
    if definition is None:
        message = (
            f"the saved state has an open case of the process {document['process']!r}, which "
            "these settings do not know: load it with the same processes= as when it was saved"
        )
        raise InvalidInputError(message)
    return OpenCase(
        case_id=document["case_id"],
        arrival=_arrival_from(document["arrival"]),
        shape=accumulator._shapes.of(
            definition,
            (
                Move(
                    action=move["action"],
                    from_state=move["from_state"],
                    to_state=move["to_state"],
                    step=move["step"],
                )
                for move in document["moves"]
            ),
        ),
        measured=document["measured"],
        opened_on=date.fromisoformat(document["opened_on"]),
        channel=document["channel"],
        times=[datetime.fromisoformat(moment) for moment in document["times"]],
        # a state saved before units were kept: not known (the judge's calendar is used)
        held=document.get("held", [None] * len(document["moves"])),
        facts=_facts_from(document["facts"]),
        last_seq=document["last_seq"],
        whole=document["whole"],
        wrap_up=document["wrap_up"],
        from_master=document["from_master"],
        knowledge=document["knowledge"],
    )


def _noted(items: deque[_Noted]) -> list[dict[str, Any]]:
    return [{"at": item.at, "name": item.name} for item in items]


def _noted_from(items: list[Mapping[str, Any]]) -> deque[_Noted]:
    return deque(_Noted(at=item["at"], name=item["name"]) for item in items)


def dump_state(accumulator: KpiAccumulator) -> dict[str, Any]:
    """The state of ``accumulator`` as a JSON-ready document (see :data:`KPI_STATE_SCHEMA`)."""
    tally = accumulator._tally
    memory = accumulator._memory
    first = accumulator._first_contact
    as_of = accumulator.as_of
    return {
        "schema": KPI_STATE_SCHEMA,
        "settings": _settings_of(accumulator.settings),
        "records": accumulator.records,
        "orphan_events": accumulator.orphan_events,
        "unmatched_responses": accumulator.unmatched_responses,
        "as_of": as_of.isoformat() if as_of is not None else None,
        "groups": [
            {"channel": channel, "unit": unit, "kind": kind, "counts": _counts(counts)}
            for (channel, unit, kind), counts in tally.groups.items()
        ],
        "days": {day: _counts(counts) for day, counts in tally.days.items()},
        "nowhere": _counts(tally.nowhere),
        "steps": [
            {"process": process, "step": step, "completions": t.completions, "seconds": t.seconds}
            for (process, step), t in accumulator._steps.items()
        ],
        "volume": [
            {"day": day, "channel": channel, "cases": cases}
            for (day, channel), cases in accumulator._volume.items()
        ],
        "open_cases": [_open_case(case) for case in accumulator._open.values()],
        "inquiries": [_arrival(arrival) for arrival in memory.inquiries.values()],
        "inquiry_order": _noted(memory.inquiry_order),
        "open_refs": dict(memory.open_refs),
        "ended": [
            {
                "case_id": case_id,
                "group": _group(ended.group),
                "last_seq": ended.last_seq,
                "reopen_actions": sorted(ended.reopen_actions),
            }
            for case_id, ended in memory.ended.items()
        ],
        "ended_order": _noted(memory.ended_order),
        "receipts": [
            {"key": key, "topic": topic, "times": times}
            for (key, topic), times in first.receipts.items()
        ],
        "receipt_order": [
            {"at": receipt.at, "key": receipt.identifier, "topic": receipt.topic}
            for receipt in first.receipt_order
        ],
        "pending": [
            {
                "received": pending.received,
                "keys": list(pending.keys),
                "topic": pending.topic,
                "group": _group(pending.group),
            }
            for pending in first.pending
        ],
        "responses": sorted(accumulator._responses),
    }


def load_state(
    document: Mapping[str, Any], *, settings: KpiSettings | None = None
) -> KpiAccumulator:
    """The accumulator a document of :func:`dump_state` describes, with ``settings`` (the same
    figures' settings as when it was saved: they are checked)."""
    schema = document.get("schema")
    if schema != KPI_STATE_SCHEMA:
        message = (
            f"the KPI state is of version {schema!r}: this vss-care-core reads "
            f"{KPI_STATE_SCHEMA!r}; save the state again with this version, or upgrade "
            "vss-care-core"
        )
        raise InvalidInputError(message)
    accumulator = KpiAccumulator(settings=settings)
    saved, given = document["settings"], _settings_of(accumulator.settings)
    differing = [name for name in given if saved.get(name) != given[name]]
    if differing:
        name = differing[0]
        message = (
            f"the KPI state was saved with {name}={saved.get(name)!r} but these settings say "
            f"{given[name]!r}: load it with the settings it was computed with"
        )
        raise InvalidInputError(message)
    accumulator.records = document["records"]
    accumulator.orphan_events = document["orphan_events"]
    accumulator.unmatched_responses = document["unmatched_responses"]
    as_of = document["as_of"]
    accumulator._as_of = datetime.fromisoformat(as_of) if as_of is not None else None
    tally = accumulator._tally
    for group in document["groups"]:
        key = (group["channel"], group["unit"], group["kind"])
        tally.groups[key] = _counts_from(group["counts"])
    for day, counts in document["days"].items():
        tally.days[day] = _counts_from(counts)
    tally.nowhere = _counts_from(document["nowhere"])
    for step in document["steps"]:
        accumulator._steps[step["process"], step["step"]] = _StepTotal(
            completions=step["completions"], seconds=step["seconds"]
        )
    for volume in document["volume"]:
        accumulator._volume[volume["day"], volume["channel"]] = volume["cases"]
    for case in document["open_cases"]:
        accumulator._open[case["case_id"]] = _open_case_from(case, accumulator)
    memory = accumulator._memory
    for arrival in document["inquiries"]:
        memory.inquiries[arrival["id"]] = _arrival_from(arrival)
    memory.inquiry_order = _noted_from(document["inquiry_order"])
    memory.open_refs = dict(document["open_refs"])
    for ended in document["ended"]:
        memory.ended[ended["case_id"]] = _Ended(
            group=_group_from(ended["group"]),
            last_seq=ended["last_seq"],
            reopen_actions=frozenset(ended["reopen_actions"]),
        )
    memory.ended_order = _noted_from(document["ended_order"])
    first = accumulator._first_contact
    for receipt in document["receipts"]:
        first.receipts[receipt["key"], receipt["topic"]] = list(receipt["times"])
    first.receipt_order = deque(
        _Receipt(at=item["at"], identifier=item["key"], topic=item["topic"])
        for item in document["receipt_order"]
    )
    first.pending = deque(
        _Pending(
            received=item["received"],
            keys=tuple(item["keys"]),
            topic=item["topic"],
            group=_key_from(item["group"]),
        )
        for item in document["pending"]
    )
    accumulator._responses = set(document["responses"])
    return accumulator
