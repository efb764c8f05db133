"""Benchmark: the 7-step call lifecycle with the process API against two naive `transitions` uses.

Measures, in one process run:

1. the full call lifecycle (open, then complete the 7 steps: 8 audit events per case) for N cases
   with ``open_case`` / ``Case.complete``; the same lifecycle with ``transitions`` used naively,
   (a) one ``Machine`` per model object and (b) one shared ``Machine`` with ``add_model`` /
   ``remove_model`` per case, each recording an equivalent audit record per move;
2. opening and replaying a case with many other cases open against with none (and, for contrast,
   the shared Machine's ``add_model`` / ``remove_model`` with many models attached against none);
3. memory per open case (tracemalloc over many cases) and per case after a full lifecycle.

Every timed figure is the median of several repeats, with the garbage collector disabled while
timing. Targets: our lifecycle at least 4x faster than a Machine per object and faster than the
shared Machine; open and replay within +/-25% with 100,000 other cases open; at most 2 KB per open
case. The exit status is 1 when a target is missed.

Usage::

    python benchmarks/bench_process.py             # default run (about a minute)
    python benchmarks/bench_process.py --quick     # smoke run (a few seconds)
    python benchmarks/bench_process.py --n 10000 --repeats 9
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
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
from typing import Any
from zoneinfo import ZoneInfo

from transitions import Machine

from vss_care_core.models import Inquiry
from vss_care_core.process import Case, open_case

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


# -- inquiries (built before any timing) -------------------------------------------------------
def make_inquiries(count: int, *, classified: bool, offset: int = 0) -> list[Inquiry]:
    """``count`` phone inquiries; with ``classified`` they carry kind, policy areas and topic."""
    extra: Mapping[str, Any] = CLASSIFICATION if classified else NO_DATA
    return [
        Inquiry(
            channel="phone",
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
    case = open_case(inquiry, at=AT[0], by=AGENT)
    case.complete("greet", at=AT[1], by=AGENT)
    case.complete("identify", at=AT[2], by=AGENT, verified=True)
    case.complete("listen", at=AT[3], by=AGENT)
    case.complete("classify", at=AT[4], by=AGENT, **classify)
    case.complete("respond", at=AT[5], by=AGENT, answer=ANSWER)
    case.complete("confirm", at=AT[6], by=AGENT)
    case.complete("close", at=AT[7], by=AGENT)
    return case


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


# -- timing ------------------------------------------------------------------------------------
def timed(run: Callable[[], object]) -> int:
    """Nanoseconds taken by ``run()``, the collector off; what it returns is freed afterwards."""
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter_ns()
        kept = run()
        elapsed = time.perf_counter_ns() - started
    finally:
        gc.enable()
    del kept
    return elapsed


def us(ns: float) -> str:
    return f"{ns / 1000:,.2f}"


@dataclass
class Verdict:
    target: str
    passed: bool
    detail: str


def check_lifecycles() -> None:
    """Each variant really ends at 'closed' with 8 audit records (checked once, untimed)."""
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


Lifecycle = Callable[[Inquiry, Mapping[str, Any]], object]


def run_all(func: Lifecycle, inquiries: Sequence[Inquiry], data: Mapping[str, Any]) -> list[object]:
    """One lifecycle per inquiry; the results are kept, so freeing them is not timed."""
    return [func(inquiry, data) for inquiry in inquiries]


# -- 1. lifecycles -----------------------------------------------------------------------------
def bench_lifecycles(n: int, repeats: int, verdicts: list[Verdict]) -> None:
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
    per_case: list[list[float]] = [[] for _ in variants]  # [variant][repeat] -> ns per lifecycle
    for _ in range(repeats):
        totals = [0] * len(variants)
        # The variants take turns on small chunks (in a rotating order), so a change in the
        # machine's load affects them alike; each repeat sums its chunks per variant.
        for turn, first in enumerate(range(0, n, chunk)):
            for k in range(len(variants)):
                index = (k + turn) % len(variants)
                _, func, inquiries, data = variants[index]
                part = inquiries[first : first + chunk]
                totals[index] += timed(partial(run_all, func, part, data))
        for index, total in enumerate(totals):
            per_case[index].append(total / n)
    ours = per_case[0]
    ratios = [[theirs / mine for theirs, mine in zip(row, ours, strict=True)] for row in per_case]

    print("1. Full call lifecycle: open + 7 completed steps = 8 audit events per case")
    print(f"   {n:,} cases per repeat (in chunks of {chunk:,}, the variants taking turns),")
    print(f"   {repeats} repeats; 'x ours' is the median of the per-repeat ratios")
    print()
    print(f"   {'variant':<44} {'median µs':>10} {'min µs':>9} {'max µs':>9} {'x ours':>7}")
    for (name, *_), values, ratio in zip(variants, per_case, ratios, strict=True):
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


# -- 2 and 3. open and replay with other cases open; memory ------------------------------------
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


def bench_scaling_and_memory(
    others: int, batch: int, repeats: int, verdicts: list[Verdict]
) -> None:
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
        figures["o0"].append(timed(open_batch) / batch)
        figures["r0"].append(timed(replay_batch) / replays)
        kept: list[Any] = [None] * others
        gc.disable()
        open_all(kept)
        gc.enable()
        figures["o1"].append(timed(open_batch) / batch)
        figures["r1"].append(timed(replay_batch) / replays)
        assert all(case.state == "greet" for case in kept)
        del kept

    print(f"2. Open and replay with {others:,} other cases open vs none (ours)")
    print(f"   {repeats} rounds, each timing both with none open, then with {others:,} open;")
    print(f"   open: {batch:,} per batch; replay: {replays:,} replays of an 8-event history;")
    print("   'change' is the median of the per-round ratios")
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

    print("3. Memory per case, tracemalloc (the inquiries were created before tracing started,")
    print("   so only what the cases themselves add is counted)")
    print()
    print(f"   {f'open case, 1 event (over {others:,} cases)':<52} {per_open:>8,.0f} bytes")
    print(
        f"   {f'after a full lifecycle, 8 events (over {closed_count:,})':<52} "
        f"{per_closed:>8,.0f} bytes (for information)"
    )
    print()
    verdicts.append(
        Verdict(
            f"memory per open case ≤{MEMORY_TARGET:,} bytes",
            per_open <= MEMORY_TARGET,
            f"{per_open:,.0f} bytes",
        )
    )


def bench_shared_machine(attached: int, batch: int, repeats: int) -> None:
    """For contrast: the shared Machine's add_model / remove_model with models attached."""
    machine = new_machine(None)
    inquiry = make_inquiries(1, classified=False)[0]

    def add_remove(models: list[CallModel]) -> tuple[int, int]:
        added = removed = 0
        gc.collect()
        gc.disable()
        try:
            for model in models:
                started = time.perf_counter_ns()
                machine.add_model(model)
                middle = time.perf_counter_ns()
                machine.remove_model(model)
                removed += time.perf_counter_ns() - middle
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
            statistics.median(a / batch for a, _ in runs),
            statistics.median(r / batch for _, r in runs),
        )

    add_none, remove_none = medians()
    models = [CallModel(inquiry, AT[0], AGENT) for _ in range(attached)]
    started = time.perf_counter_ns()
    for model in models:
        machine.add_model(model)
    attach_total = time.perf_counter_ns() - started
    add_many, remove_many = medians()

    print(
        f"4. For contrast: one shared transitions Machine with {attached:,} models attached vs none"
    )
    print(f"   median of {repeats} repeats of {batch:,} fresh models each")
    print()
    print(f"   {'operation':<44} {'none µs':>10} {f'{attached:,} attached µs':>19} {'x none':>8}")
    for name, none, many in (
        ("add_model", add_none, add_many),
        ("remove_model", remove_none, remove_many),
    ):
        print(f"   {name:<44} {us(none):>10} {us(many):>19} {many / none:>7.1f}x")
    print()
    print(f"   attaching the {attached:,} models one by one took {attach_total / 1e9:,.2f} s")
    if attached < OTHER_OPEN:
        print(f"   ({attached:,} models rather than {OTHER_OPEN:,}: every add_model scans the list")
        print(f"   of attached models, so attaching {OTHER_OPEN:,} one by one takes minutes)")
    print()


# -- main --------------------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=5000, help="lifecycles per repeat (5000)")
    parser.add_argument("--repeats", type=int, default=7, help="repeats per figure (7)")
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
    args = parser.parse_args(argv)
    n, repeats, others, attached = args.n, args.repeats, args.others, args.attached
    if args.quick:
        n, repeats, others, attached = 300, 3, 5_000, 1_000
    if min(n, repeats, others, attached) < 1:
        parser.error("--n, --repeats, --others and --attached must be at least 1")

    started = time.perf_counter()
    print("Process benchmark: the 7-step call lifecycle, our API against transitions")
    print(
        f"Python {platform.python_version()}, transitions {version('transitions')}, "
        f"pydantic {version('pydantic')}, {platform.machine()}"
        + (", QUICK smoke run (figures are rough)" if args.quick else "")
    )
    print(f"Load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print()
    check_lifecycles()
    verdicts: list[Verdict] = []
    bench_lifecycles(n, repeats, verdicts)
    bench_scaling_and_memory(others, min(n, 2000), repeats, verdicts)
    bench_shared_machine(attached, max(min(n // 10, 500), 20), repeats)

    print("Targets")
    for verdict in verdicts:
        mark = "PASS" if verdict.passed else "FAIL"
        print(f"   [{mark}] {verdict.target}: {verdict.detail}")
    print()
    print(f"Total time {time.perf_counter() - started:,.1f} s")
    return 0 if all(v.passed for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
