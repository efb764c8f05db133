"""Benchmark: the process API against two naive `transitions` uses, long histories, a baseline.

Measures, in worker processes, in CPU time (``time.process_time``), the garbage collector paused
while timing:

1. the full call lifecycle (open, then complete the 7 steps: 8 audit events per case) for N cases
   with ``open_case`` / ``Case.complete``; the same lifecycle with ``transitions`` used naively,
   (a) one ``Machine`` per model object and (b) one shared ``Machine`` with ``add_model`` /
   ``remove_model`` per case, each recording an equivalent audit record per move; the variants
   take turns on small chunks;
2. opening and replaying a case with many other cases open against with none;
3. memory per open case (tracemalloc over many cases) and per case after a full lifecycle;
4. for contrast, the shared Machine's ``add_model`` / ``remove_model`` with many models attached;
5. long histories: the cost of one move (``set_priority`` on a written case) when the case's
   history holds 10, 1,000 and 4,000 events (timed on copies of the case read back with a
   trusted replay, as from a store), and the cost per event of an untrusted ``Case.replay`` of
   such histories;
6. the working tree against a baseline version (git ref in ``benchmarks/BASELINE``): the
   lifecycle, ``open_case``, ``Case.replay`` and the figures of 5, the workers of the two
   versions taking turns for ``--rounds`` rounds, each figure the least of ``--repeats`` runs.

Sections 1 to 4 measure the working tree only. Targets: our lifecycle at least 4x faster than a
Machine per object and faster than the shared Machine; open and replay within +/-25% with
100,000 other cases open; at most 2 KB per open case; a move and a replayed event at 4,000
events within 1.5x of their cost at 10; no figure of 6 more than 10% slower than the baseline.
The exit status is 1 when a target is missed.

Usage::

    python benchmarks/bench_process.py                   # against the baseline (a minute or two)
    python benchmarks/bench_process.py --baseline none   # the working tree alone
    python benchmarks/bench_process.py --quick           # smoke run (seconds)
    python benchmarks/bench_process.py --n 10000 --repeats 9 --rounds 5
"""

from __future__ import annotations

import argparse
import gc
import math
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from importlib.metadata import version
from itertools import pairwise
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from _compare import (
    WORKING_TREE,
    BenchmarkError,
    Result,
    Version,
    add_options,
    check_counts,
    compare,
    cpu_seconds,
    describe,
    digest,
    emit,
    fail,
    in_rounds,
    least,
    least_cpu_seconds,
    run_worker,
    versions,
)

if TYPE_CHECKING:
    from vss_care_core import Case, Event, Inquiry

# -- the process, as a transition table ------------------------------------------------------
# The call process's main line: 7 steps, each completed by the trigger "complete", the last one
# ending the call with outcome "closed". Both transitions variants use exactly this table.
#
#   trigger    source      dest
#   complete   greet    -> identify
#   complete   identify -> listen
#   complete   listen   -> classify
#   complete   classify -> respond
#   complete   respond  -> confirm
#   complete   confirm  -> close
#   complete   close    -> closed
STEPS: tuple[str, ...] = ("greet", "identify", "listen", "classify", "respond", "confirm", "close")
STATES: tuple[str, ...] = (*STEPS, "closed")
TABLE: list[dict[str, str]] = [
    {"trigger": "complete", "source": source, "dest": dest, "after": "record"}
    for source, dest in pairwise(STATES)
]

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
AT: tuple[datetime, ...] = tuple(START + timedelta(seconds=20 * i) for i in range(len(STATES)))
AGENT = "agent-017"
ANSWER = (
    "Lương hưu hằng tháng được tính bằng tỷ lệ hưởng nhân với mức bình quân tiền lương "
    "tháng đóng bảo hiểm xã hội; với 25 năm đóng, tỷ lệ hưởng là 65%."
)
CLASSIFICATION: Mapping[str, Any] = {
    "kind": "question",
    "policy_areas": ["social"],
    "topic": "pension",
}
NO_DATA: Mapping[str, Any] = {}

OTHER_OPEN = 100_000  # cases kept open for the "with other cases open" figures
TOLERANCE = 0.25  # open / replay: with OTHER_OPEN open within +/-25% of with none
MEMORY_TARGET = 2048  # bytes per open case
LIFECYCLE_MEMORY_SAMPLE = 10_000  # cases driven to the end under tracemalloc (slow when traced)
DEPTHS = (10, 1_000, 4_000)  # events in the history of the long-history figures
FLAT = 1.5  # a move / a replayed event at 4,000 events: at most 1.5x its cost at 10
REPLAYED_EVENTS = 8_000  # events replayed per timing run at each depth
MOVES = 200  # moves timed per timing run at each depth
SHARED = {
    "lifecycle": "lifecycle: open + 7 steps, per case",
    "open_case": "open_case",
    "replay": "Case.replay, 8 events",
    **{f"move_{d}": f"one move, history of {d:,} events" for d in DEPTHS},
    **{f"replay_{d}": f"Case.replay per event, {d:,} events" for d in DEPTHS},
}


# -- inquiries (built before any timing) -------------------------------------------------------
def make_inquiries(
    count: int, *, classified: bool, offset: int = 0, channel: str = "phone"
) -> list[Inquiry]:
    """``count`` inquiries; with ``classified`` they carry kind, policy areas and topic."""
    from vss_care_core import Inquiry  # noqa: PLC0415 - workers only

    extra: Mapping[str, Any] = CLASSIFICATION if classified else NO_DATA
    return [
        Inquiry(
            channel=channel,
            received_at=START,
            requester={"name": f"Nguyễn Văn An {offset + i}"},
            subject="Cách tính lương hưu",
            content="Tôi đã đóng bảo hiểm xã hội 25 năm, lương hưu của tôi được tính thế nào?",
            **extra,
        )
        for i in range(count)
    ]


# -- our API -----------------------------------------------------------------------------------
def ours_lifecycle(inquiry: Inquiry, classify: Mapping[str, Any]) -> Case:
    """Open a call case and complete its 7 steps (8 events in its history)."""
    from vss_care_core import open_case  # noqa: PLC0415 - workers only

    case = open_case(inquiry, at=AT[0], by=AGENT)
    case.complete("greet", at=AT[1], by=AGENT)
    case.complete("identify", at=AT[2], by=AGENT, verified=True)
    case.complete("listen", at=AT[3], by=AGENT)
    case.complete("classify", at=AT[4], by=AGENT, **classify)
    case.complete("respond", at=AT[5], by=AGENT, answer=ANSWER)
    case.complete("confirm", at=AT[6], by=AGENT)
    case.complete("close", at=AT[7], by=AGENT)
    return case


def other_priority(case: Case) -> str:
    """A priority the case does not have now, for one more ``set_priority``."""
    return "normal" if case.priority == "high" else "high"


def long_history(events: int) -> tuple[Inquiry, tuple[Event, ...], datetime]:
    """A written case kept open by ``set_priority`` moves until its history holds ``events``:
    the inquiry, the history and the moment of its last event."""
    from vss_care_core import open_case  # noqa: PLC0415 - workers only

    inquiry = make_inquiries(1, classified=False, channel="email")[0]
    case = open_case(inquiry, at=START, by=AGENT)
    at = START
    while case.version < events:
        at += timedelta(minutes=1)
        case.fire("set_priority", at=at, by=AGENT, priority=other_priority(case))
    return inquiry, case.history, at


# -- transitions, used naively -----------------------------------------------------------------
class CallModel:
    """A plain model object; the Machine sets ``state`` and binds the ``complete`` trigger."""

    state: str
    complete: Callable[..., bool]

    def __init__(self, inquiry: Inquiry, at: datetime, by: str) -> None:
        self.inquiry = inquiry
        # One audit record per move: (when, who, action, from, to, data), the opening included.
        self.audit: list[tuple[datetime, str, str, str | None, str, dict[str, Any]]] = [
            (at, by, "open", None, STATES[0], {})
        ]

    def record(self, event: Any) -> None:
        """``after`` callback of every transition (the Machine passes its EventData)."""
        data = dict(event.kwargs)
        at = data.pop("at")
        by = data.pop("by")
        transition = event.transition
        self.audit.append((at, by, event.event.name, transition.source, transition.dest, data))


def drive(model: CallModel, classify: Mapping[str, Any]) -> None:
    """Complete the 7 steps through the model's ``complete`` trigger, with the same data."""
    model.complete(at=AT[1], by=AGENT)
    model.complete(at=AT[2], by=AGENT, verified=True)
    model.complete(at=AT[3], by=AGENT)
    model.complete(at=AT[4], by=AGENT, **classify)
    model.complete(at=AT[5], by=AGENT, answer=ANSWER)
    model.complete(at=AT[6], by=AGENT)
    model.complete(at=AT[7], by=AGENT)


def new_machine(model: object) -> Any:
    """A Machine for ``model`` (None: a shared Machine without models) over the table above."""
    from transitions import Machine  # noqa: PLC0415 - workers only

    return Machine(
        model=model,
        states=list(STATES),
        transitions=TABLE,
        initial=STATES[0],
        auto_transitions=False,
        send_event=True,
    )


def per_object_lifecycle(inquiry: Inquiry, classify: Mapping[str, Any]) -> CallModel:
    model = CallModel(inquiry, AT[0], AGENT)
    new_machine(model)
    drive(model, classify)
    return model


def make_shared_lifecycle(machine: Any) -> Callable[[Inquiry, Mapping[str, Any]], CallModel]:
    def shared_lifecycle(inquiry: Inquiry, classify: Mapping[str, Any]) -> CallModel:
        model = CallModel(inquiry, AT[0], AGENT)
        machine.add_model(model)
        drive(model, classify)
        machine.remove_model(model)
        return model

    return shared_lifecycle


def check_lifecycles() -> None:
    """Each variant really ends at 'closed' with 8 audit records (checked once, untimed)."""
    from vss_care_core import Case  # noqa: PLC0415 - workers only

    inquiry = make_inquiries(1, classified=False)[0]
    case = ours_lifecycle(inquiry, CLASSIFICATION)
    assert case.outcome == "closed"
    assert len(case.history) == 8
    shared = new_machine(None)
    for model in (
        per_object_lifecycle(inquiry, CLASSIFICATION),
        make_shared_lifecycle(shared)(inquiry, CLASSIFICATION),
    ):
        assert model.state == "closed"
        assert len(model.audit) == 8
        assert [rec[3] for rec in model.audit[1:]] == list(STEPS)
    assert Case.replay(inquiry, case.history) == case


Lifecycle = Callable[["Inquiry", Mapping[str, Any]], object]


def run_all(func: Lifecycle, inquiries: Sequence[Inquiry], data: Mapping[str, Any]) -> list[object]:
    """One lifecycle per inquiry; the results are kept, so freeing them is not timed."""
    return [func(inquiry, data) for inquiry in inquiries]


# -- the working tree's worker: sections 1 to 4 ------------------------------------------------
def lifecycles_in_turns(n: int, repeats: int) -> dict[str, Any]:
    """Seconds per lifecycle of each variant, one figure per repeat."""
    plain = make_inquiries(n, classified=False)
    classified = make_inquiries(n, classified=True, offset=n)
    shared_lifecycle = make_shared_lifecycle(new_machine(None))
    variants: list[tuple[str, Lifecycle, list[Inquiry], Mapping[str, Any]]] = [
        ("ours: classification given to complete()", ours_lifecycle, plain, CLASSIFICATION),
        ("ours: inquiry already classified", ours_lifecycle, classified, NO_DATA),
        ("transitions: a Machine per object", per_object_lifecycle, plain, CLASSIFICATION),
        ("transitions: shared Machine, add/remove", shared_lifecycle, plain, CLASSIFICATION),
    ]
    chunk = min(n, 250)
    per_case: list[list[float]] = [[] for _ in variants]  # [variant][repeat] -> s per lifecycle
    for _ in range(repeats):
        totals = [0.0] * len(variants)
        # The variants take turns on small chunks (in a rotating order), so a change in the
        # machine's load affects them alike; each repeat sums its chunks per variant.
        for turn, first in enumerate(range(0, n, chunk)):
            for k in range(len(variants)):
                index = (k + turn) % len(variants)
                _, func, inquiries, data = variants[index]
                part = inquiries[first : first + chunk]
                totals[index] += cpu_seconds(partial(run_all, func, part, data))
        for index, total in enumerate(totals):
            per_case[index].append(total / n)
    return {"names": [name for name, *_ in variants], "per_case": per_case, "chunk": chunk}


def traced_bytes(build: Callable[[list[Any]], None], count: int) -> tuple[float, list[Any]]:
    """Bytes traced per item while ``build`` fills a list of ``count`` slots, and that list.

    The list itself is allocated before tracing starts, so only what ``build`` adds is counted.
    """
    holder: list[Any] = [None] * count
    gc.collect()
    gc.disable()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        build(holder)
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
        gc.enable()
    return (after - before) / count, holder


def scaling_and_memory(others: int, batch: int, repeats: int) -> dict[str, Any]:
    """Open and replay with ``others`` cases open against none; memory per case."""
    from vss_care_core import Case, open_case  # noqa: PLC0415 - workers only

    population = make_inquiries(others, classified=False, offset=10_000_000)
    probes = make_inquiries(batch, classified=False, offset=20_000_000)
    history = ours_lifecycle(probes[0], CLASSIFICATION).history
    replays = max(batch // 10, 10)

    def open_all(holder: list[Any]) -> None:
        for i, inquiry in enumerate(population):
            holder[i] = open_case(inquiry, at=AT[0], by=AGENT)

    def open_batch() -> list[Case]:  # the batch's cases stay open until it is timed
        return [open_case(q, at=AT[0], by=AGENT) for q in probes]

    def replay_batch() -> list[Case]:
        return [Case.replay(probes[0], history) for _ in range(replays)]

    # Each round times both operations with no other case open, then with `others` open.
    figures: dict[str, list[float]] = {key: [] for key in ("o0", "o1", "r0", "r1")}
    for _ in range(repeats):
        figures["o0"].append(cpu_seconds(open_batch) / batch)
        figures["r0"].append(cpu_seconds(replay_batch) / replays)
        kept: list[Any] = [None] * others
        gc.disable()
        open_all(kept)
        gc.enable()
        figures["o1"].append(cpu_seconds(open_batch) / batch)
        figures["r1"].append(cpu_seconds(replay_batch) / replays)
        assert all(case.state == "greet" for case in kept)
        del kept

    per_open, kept = traced_bytes(open_all, others)
    assert all(case.state == "greet" for case in kept)
    del kept
    closed_count = min(others, LIFECYCLE_MEMORY_SAMPLE)
    closing = population[:closed_count]

    def drive_all(holder: list[Any]) -> None:
        for i, inquiry in enumerate(closing):
            holder[i] = ours_lifecycle(inquiry, CLASSIFICATION)

    per_closed, closed = traced_bytes(drive_all, closed_count)
    assert all(case.outcome == "closed" for case in closed)
    del closed
    return {
        "figures": figures,
        "batch": batch,
        "replays": replays,
        "per_open": per_open,
        "per_closed": per_closed,
        "closed_count": closed_count,
    }


def shared_machine(attached: int, batch: int, repeats: int) -> dict[str, Any]:
    """For contrast: the shared Machine's add_model / remove_model with models attached."""
    machine = new_machine(None)
    inquiry = make_inquiries(1, classified=False)[0]

    def add_remove(models: list[CallModel]) -> tuple[int, int]:
        added = removed = 0
        gc.collect()
        gc.disable()
        try:
            for model in models:
                started = time.process_time_ns()
                machine.add_model(model)
                middle = time.process_time_ns()
                machine.remove_model(model)
                removed += time.process_time_ns() - middle
                added += middle - started
        finally:
            gc.enable()
        return added, removed

    def medians() -> tuple[float, float]:
        # A fresh model every time: a removed model keeps its bound triggers, and adding it
        # again would only log "skip binding" warnings.
        runs = [
            add_remove([CallModel(inquiry, AT[0], AGENT) for _ in range(batch)])
            for _ in range(repeats)
        ]
        return (
            statistics.median(a / batch for a, _ in runs) / 1e9,
            statistics.median(r / batch for _, r in runs) / 1e9,
        )

    add_none, remove_none = medians()
    models = [CallModel(inquiry, AT[0], AGENT) for _ in range(attached)]

    def attach_all() -> None:
        for model in models:
            machine.add_model(model)

    attach_seconds = cpu_seconds(attach_all, collector=True)
    add_many, remove_many = medians()
    return {
        "batch": batch,
        "add": [add_none, add_many],
        "remove": [remove_none, remove_many],
        "attach_seconds": attach_seconds,
    }


def alternatives_worker(args: argparse.Namespace) -> None:
    """Sections 1 to 4 (working tree only)."""
    n, repeats, others, attached = sizes(args)
    check_lifecycles()
    emit(
        transitions=version("transitions"),
        pydantic=version("pydantic"),
        lifecycles=lifecycles_in_turns(n, repeats),
        scaling=scaling_and_memory(others, min(n, 2000), repeats),
        machine=shared_machine(attached, max(min(n // 10, 500), 20), repeats),
    )


# -- the worker of both versions: sections 5 and 6 ---------------------------------------------
def move_each(cases: list[Case], *, moves: int, at: datetime) -> None:
    """``moves`` more ``set_priority`` moves on each of ``cases``, a minute apart."""
    for case in cases:
        priority = other_priority(case)
        for number in range(moves):
            case.fire(
                "set_priority", at=at + timedelta(minutes=number), by=AGENT, priority=priority
            )
            priority = "normal" if priority == "high" else "high"


def moves_at(events: int, repeats: int) -> tuple[float, float]:
    """Seconds of one move on a case whose history holds ``events``, and per replayed event.

    The moves are timed on copies of one long case, each rebuilt (untimed) with a trusted
    replay, as a case read back from a store. Each copy takes ``events // 100`` moves (at least
    one), so that every timed move finds between ``events`` and 1% more events in the history;
    ``MOVES`` are timed in all. A replay checks every event (untrusted).
    """
    from vss_care_core import Case  # noqa: PLC0415 - workers only

    inquiry, history, last = long_history(events)
    per_copy = max(1, events // 100)
    copies = math.ceil(MOVES / per_copy)
    move_seconds = []
    for _ in range(repeats):
        cases = [Case.replay(inquiry, history, trusted=True) for _ in range(copies)]
        move = partial(move_each, cases, moves=per_copy, at=last + timedelta(minutes=1))
        move_seconds.append(cpu_seconds(move) / (copies * per_copy))
        assert all(case.version == events + per_copy for case in cases)
    replays = max(1, REPLAYED_EVENTS // events)
    replay_seconds = least_cpu_seconds(
        lambda: [Case.replay(inquiry, history) for _ in range(replays)], repeats
    )
    return min(move_seconds), replay_seconds / (replays * events)


def shared_worker(args: argparse.Namespace) -> None:
    """The public-API figures both versions are measured on, in seconds."""
    from vss_care_core import Case, open_case  # noqa: PLC0415 - workers only

    n, repeats, _, _ = sizes(args)
    plain = make_inquiries(n, classified=False)
    probes = plain[: min(n, 2000)]
    replays = max(len(probes) // 10, 10)
    case = ours_lifecycle(probes[0], CLASSIFICATION)
    figures = {
        "lifecycle": least_cpu_seconds(
            partial(run_all, ours_lifecycle, plain, CLASSIFICATION), repeats
        )
        / n,
        "open_case": least_cpu_seconds(
            lambda: [open_case(q, at=AT[0], by=AGENT) for q in probes], repeats
        )
        / len(probes),
        "replay": least_cpu_seconds(
            lambda: [Case.replay(probes[0], case.history) for _ in range(replays)], repeats
        )
        / replays,
    }
    for events in DEPTHS:
        figures[f"move_{events}"], figures[f"replay_{events}"] = moves_at(events, repeats)
    emit(
        seconds=figures,
        digest=digest(f"{event.action} {event.to_state} {event.at}" for event in case.history),
    )


# -- the parent --------------------------------------------------------------------------------
@dataclass
class Verdict:
    target: str
    passed: bool
    detail: str


def us(seconds: float) -> str:
    return f"{seconds * 1e6:,.2f}"


def print_lifecycles(found: Mapping[str, Any], n: int, verdicts: list[Verdict]) -> None:
    per_case: list[list[float]] = found["per_case"]
    ours = per_case[0]
    ratios = [[theirs / mine for theirs, mine in zip(row, ours, strict=True)] for row in per_case]
    print("1. Full call lifecycle: open + 7 completed steps = 8 audit events per case")
    print(
        f"   {n:,} cases per repeat (in chunks of {found['chunk']:,}, the variants taking turns),"
    )
    print(f"   {len(ours)} repeats, CPU time; 'x ours' is the median of the per-repeat ratios")
    print()
    print(f"   {'variant':<44} {'median µs':>10} {'min µs':>9} {'max µs':>9} {'x ours':>7}")
    for name, values, ratio in zip(found["names"], per_case, ratios, strict=True):
        print(
            f"   {name:<44} {us(statistics.median(values)):>10} {us(min(values)):>9} "
            f"{us(max(values)):>9} {statistics.median(ratio):>6.2f}x"
        )
    print()
    print("   Ours is compared in its first row (the classification is validated during the call).")
    print("   The transitions rows record (at, by, action, from, to, data) per move plus an 'open'")
    print("   record; ours also validates the step data, checks the time order and makes ids.")
    print()
    per_object = statistics.median(ratios[2])
    shared = statistics.median(ratios[3])
    verdicts.append(
        Verdict(
            "lifecycle ≥4x faster than a Machine per object",
            per_object >= 4.0,
            f"{per_object:.2f}x",
        )
    )
    verdicts.append(
        Verdict("lifecycle faster than the shared Machine", shared > 1.0, f"{shared:.2f}x")
    )


def print_scaling(found: Mapping[str, Any], others: int, verdicts: list[Verdict]) -> None:
    figures = found["figures"]
    rounds = len(figures["o0"])
    print(f"2. Open and replay with {others:,} other cases open vs none (ours)")
    print(f"   {rounds} rounds, each timing both with none open, then with {others:,} open;")
    print(f"   open: {found['batch']:,} per batch; replay: {found['replays']:,} replays of an")
    print("   8-event history; 'change' is the median of the per-round ratios")
    print()
    print(f"   {'operation':<44} {'none µs':>10} {f'{others:,} open µs':>18} {'change':>8}")
    for name, none, many in (
        ("open_case", figures["o0"], figures["o1"]),
        ("Case.replay (8 events)", figures["r0"], figures["r1"]),
    ):
        change = statistics.median(m / z for m, z in zip(many, none, strict=True)) - 1.0
        print(
            f"   {name:<44} {us(statistics.median(none)):>10} "
            f"{us(statistics.median(many)):>18} {change:>+7.1%}"
        )
        verdicts.append(
            Verdict(
                f"{name} with {others:,} open within ±{TOLERANCE:.0%} of none",
                abs(change) <= TOLERANCE,
                f"{change:+.1%}",
            )
        )
    print()
    print("3. Memory per case, tracemalloc (the inquiries were created before tracing started,")
    print("   so only what the cases themselves add is counted)")
    print()
    print(
        f"   {f'open case, 1 event (over {others:,} cases)':<52} {found['per_open']:>8,.0f} bytes"
    )
    closed = f"after a full lifecycle, 8 events (over {found['closed_count']:,})"
    print(f"   {closed:<52} {found['per_closed']:>8,.0f} bytes (for information)")
    print()
    verdicts.append(
        Verdict(
            f"memory per open case ≤{MEMORY_TARGET:,} bytes",
            found["per_open"] <= MEMORY_TARGET,
            f"{found['per_open']:,.0f} bytes",
        )
    )


def print_machine(found: Mapping[str, Any], attached: int, repeats: int) -> None:
    print(
        f"4. For contrast: one shared transitions Machine with {attached:,} models attached vs none"
    )
    print(f"   median of {repeats} repeats of {found['batch']:,} fresh models each, CPU time")
    print()
    print(f"   {'operation':<44} {'none µs':>10} {f'{attached:,} attached µs':>19} {'x none':>8}")
    for name in ("add", "remove"):
        none, many = found[name]
        print(f"   {name + '_model':<44} {us(none):>10} {us(many):>19} {many / none:>7.1f}x")
    print()
    print(f"   attaching the {attached:,} models one by one took {found['attach_seconds']:,.2f} s")
    if attached < OTHER_OPEN:
        print(f"   ({attached:,} models rather than {OTHER_OPEN:,}: every add_model scans the list")
        print(f"   of attached models, so attaching {OTHER_OPEN:,} one by one takes minutes)")
    print()


def print_growth(results: Mapping[str, Sequence[Result]], verdicts: list[Verdict]) -> None:
    """Section 5: the long-history figures of each version, and the flatness targets."""
    print("5. Long histories: a written case kept open by set_priority moves; a move (timed")
    print(f"   {MOVES} times on copies read back with a trusted replay, each copy moved up to 1%")
    print("   deeper) and an untrusted Case.replay, per event; least over the rounds, CPU time")
    print()
    header = "".join(f"{f'{d:,} ev µs':>13}" for d in DEPTHS)
    print(f"   {'figure':<36}{header} {f'{DEPTHS[-1]:,} vs {DEPTHS[0]}':>12}")
    for name, runs in results.items():
        for kind, label in (("move", "one move"), ("replay", "replay, per event")):
            values = [least(runs, f"{kind}_{d}") for d in DEPTHS]
            growth = values[-1] / values[0]
            cells = "".join(f"{us(value):>13}" for value in values)
            print(f"   {f'{label} ({name})':<36}{cells} {growth:>11.2f}x")
            if name == WORKING_TREE.name:
                verdicts.append(
                    Verdict(
                        f"{label} at {DEPTHS[-1]:,} events within {FLAT}x of {DEPTHS[0]}",
                        growth <= FLAT,
                        f"{growth:.2f}x",
                    )
                )
    print()


def sizes(args: argparse.Namespace) -> tuple[int, int, int, int]:
    """Lifecycles per repeat, repeats, other cases open and models attached (``--quick`` aware)."""
    if args.quick:
        return 300, 3, 5_000, 1_000
    return args.n, args.repeats, args.others, args.attached


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark (or one of its workers); 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=3000, help="lifecycles per repeat (3,000)")
    parser.add_argument("--repeats", type=int, default=5, help="repeats per figure (5)")
    parser.add_argument(
        "--others", type=int, default=OTHER_OPEN, help=f"other cases kept open ({OTHER_OPEN:,})"
    )
    parser.add_argument(
        "--attached",
        type=int,
        default=20_000,
        help="models attached to the shared Machine for the contrast figure (20,000)",
    )
    parser.add_argument("--quick", action="store_true", help="a fast smoke run (seconds)")
    add_options(parser)
    args = parser.parse_args(argv)
    check_counts(parser, args, "n", "repeats", "others", "attached", "rounds")
    if args.worker == "alternatives":
        alternatives_worker(args)
        return 0
    if args.worker == "shared":
        shared_worker(args)
        return 0

    n, repeats, others, attached = sizes(args)
    passed = ["--n", str(args.n), "--repeats", str(args.repeats), "--others", str(args.others)]
    passed += ["--attached", str(args.attached), *(["--quick"] if args.quick else [])]
    started = time.perf_counter()
    title = "Process benchmark: the 7-step call lifecycle, our API against transitions"
    try:
        with versions(args.baseline) as found:
            if args.quick:
                title += " (QUICK smoke run: figures are rough)"
            describe(title, found, args.rounds)
            working = found[-1]
            extras = run_worker(working, __file__, [*passed, "--worker", "alternatives"])

            def shared(version: Version) -> Result:
                return run_worker(version, __file__, [*passed, "--worker", "shared"])

            results = in_rounds(found, args.rounds, shared)
    except BenchmarkError as error:
        return fail(__file__, error)

    print(f"transitions {extras['transitions']}, pydantic {extras['pydantic']}")
    print()
    verdicts: list[Verdict] = []
    print_lifecycles(extras["lifecycles"], n, verdicts)
    print_scaling(extras["scaling"], others, verdicts)
    print_machine(extras["machine"], attached, repeats)
    print_growth(results, verdicts)
    print(f"6. The public process API, each figure the least of {repeats} runs per worker")
    within = compare(results, SHARED)
    if len(results) > 1:
        verdicts.append(
            Verdict("no figure of 6 more than 10% slower than the baseline", within, "see 6")
        )

    print("Targets")
    for verdict in verdicts:
        mark = "PASS" if verdict.passed else "FAIL"
        print(f"   [{mark}] {verdict.target}: {verdict.detail}")
    print()
    print(f"Total time {time.perf_counter() - started:,.1f} s")
    return 0 if all(v.passed for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
