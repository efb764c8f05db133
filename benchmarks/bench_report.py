"""Benchmark of the monitoring layer: the report against the parse, duplicates against all pairs.

1. On a generated event log (1,000,000 events by default, from the demo simulation): the cost of
   only parsing and validating every line, against the whole report (KPIs with SLA compliance,
   and KPIs alone); the ratios (target: the report costs at most 1.5x the parse) and the peak
   memory of the report (tracemalloc, in a separate pass). For scale, also the least a streaming
   fold can do in Python: keep each open case's moves and times and count the ended cases by
   shape, nothing else (no KPI, no SLA, no re-contacts).
Each report measurement runs in fresh processes, ``--repeat`` times (the least CPU time is kept;
the largest peak resident set size; and, in a separate run under tracemalloc, the peak memory
the whole report allocated). Then, to show where the report's time goes, the reading of the log
is clocked record by record, alone and inside the whole report, with the time spent in the
garbage collector.
2. ``find_duplicates`` on 100,000 inquiries against the all-pairs comparison on a 5,000 sample,
   and the all-pairs cost extrapolated to 100,000 (it grows with the square of the count).

Run: python benchmarks/bench_report.py [--events N] [--inquiries N] [--sample N] [--repeat N]
"""

from __future__ import annotations

import argparse
import bisect
import gc
import heapq
import itertools
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta
from operator import attrgetter
from pathlib import Path
from typing import Any

from vss_care_core import CALL_PROCESS, WRITTEN_PROCESS
from vss_care_core.calendar import vietnam_calendar
from vss_care_core.models import Event, Inquiry, words
from vss_care_core.monitoring import (
    EventLogReader,
    KpiAccumulator,
    KpiSettings,
    SatisfactionResponse,
    default_sla_judge,
    encode_record,
    find_duplicates,
)
from vss_care_core.simulation import simulate

WEEK = timedelta(days=7)
OUTCOMES = frozenset(CALL_PROCESS.outcome_codes + WRITTEN_PROCESS.outcome_codes)
MOVE = attrgetter("action", "from_state", "to_state", "step")


def floor_fold(records: Iterable[object]) -> Counter[tuple[object, ...]]:
    """The least a streaming report does: keep each open case's moves and times, and count the
    ended cases by their sequence of moves. No KPI, no SLA, no re-contacts, no pruning."""
    open_cases: dict[str, tuple[list[object], list[datetime]]] = {}
    shapes: Counter[tuple[object, ...]] = Counter()
    for record in records:
        if type(record) is not Event:
            continue
        case = open_cases.get(record.case_id)
        if case is None:
            if record.action == "open":
                open_cases[record.case_id] = ([MOVE(record)], [record.at])
            continue
        case[0].append(MOVE(record))
        case[1].append(record.at)
        if record.to_state in OUTCOMES:
            del open_cases[record.case_id]
            shapes[tuple(case[0])] += 1
    return shapes


def _at(record: object) -> datetime:
    if isinstance(record, Inquiry):
        return record.received_at
    if isinstance(record, Event):
        return record.at
    assert isinstance(record, SatisfactionResponse)
    return record.answered_at


def generate(path: Path, events: int) -> tuple[int, int, list[Inquiry]]:
    """Simulate working weeks until at least ``events`` events are written; return the counts
    and the inquiries.

    Each week's cases go on for three more weeks (``settle_days``), so that they end as in a
    real centre; the weeks' records are merged in time order as they are written.
    """
    written_events = 0
    lines = 0
    inquiries: list[Inquiry] = []
    start = date(2026, 1, 5)
    waiting: list[tuple[datetime, int, object]] = []  # later weeks' records, in time order
    number = itertools.count()
    with path.open("w", encoding="utf-8") as out:
        while written_events < events:
            records, _ = simulate(
                days=5,
                seed=start.toordinal(),
                start=start,
                id_prefix=f"w{start:%m%d}-",
                settle_days=21,
            )
            week = [(_at(r), next(number), r) for r in records]
            waiting = list(heapq.merge(waiting, week))
            last = max(r.received_at for r in records if isinstance(r, Inquiry))
            start = last.date() + timedelta(days=1)
            cut = datetime.combine(start, datetime.min.time(), tzinfo=last.tzinfo)
            index = bisect.bisect_left(waiting, (cut, -1))
            for _, _, record in waiting[:index]:
                if isinstance(record, Event):
                    written_events += 1
                elif isinstance(record, Inquiry):
                    inquiries.append(record)
                out.write(encode_record(record))  # type: ignore[arg-type]
                out.write("\n")
                lines += 1
            waiting = waiting[index:]
        for _, _, record in waiting:
            written_events += isinstance(record, Event)
            out.write(encode_record(record))  # type: ignore[arg-type]
            out.write("\n")
            lines += 1
    return lines, written_events, inquiries


def timed(label: str, work: Callable[[], object]) -> float:
    gc.collect()
    began = time.perf_counter()
    work()
    seconds = time.perf_counter() - began
    print(f"  {label:<44} {seconds:8.2f} s")
    return seconds


def peak_rss_kb() -> int:
    """This process's peak resident set size in KB (VmHWM: reset by exec, unlike ru_maxrss)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class Clocked:
    """The records of a reader, with the time spent reading them (``reading``, seconds) and in
    the garbage collector (``collecting``) while they are used."""

    def __init__(self, records: Iterable[object]) -> None:
        self.records = records
        self.reading = 0.0
        self.collecting = 0.0
        self._began = 0.0

    def _collector(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._began = time.perf_counter()
        else:
            self.collecting += time.perf_counter() - self._began

    def __iter__(self) -> Iterator[object]:
        clock = time.perf_counter
        records = iter(self.records)
        gc.callbacks.append(self._collector)
        try:
            while True:
                began = clock()
                try:
                    record = next(records)
                except StopIteration:
                    self.reading += clock() - began
                    return
                self.reading += clock() - began
                yield record
        finally:
            gc.callbacks.remove(self._collector)


def child(mode: str, path: Path) -> None:
    """Run one measurement in this (fresh) process; print CPU seconds and peak memory as JSON."""
    calendar = vietnam_calendar()
    settings = {
        "report": KpiSettings(calendar=calendar, sla=default_sla_judge(calendar=calendar)),
        "report-without-sla": KpiSettings(calendar=calendar),
    }
    with path.open("rb") as stream:  # warm the file cache
        for _ in stream:
            pass
    gc.collect()
    base = peak_rss_kb()
    traced = mode == "report-traced"
    if traced:
        tracemalloc.start()
    clocked = None
    began = time.process_time()
    began_wall = time.perf_counter()
    with path.open("rb") as stream:
        records: Iterable[Any] = EventLogReader(stream)
        if mode.endswith("-clocked"):
            records = clocked = Clocked(records)
        if mode.startswith("parse"):
            sum(1 for _ in records)
        elif mode == "floor":
            floor_fold(records)
        else:
            name = mode.removesuffix("-traced").removesuffix("-clocked")
            accumulator = KpiAccumulator(settings=settings[name])
            accumulator.add_all(records).report()
    seconds = time.process_time() - began
    wall = time.perf_counter() - began_wall
    peak = peak_rss_kb()
    result = {"seconds": seconds, "peak_kb": peak, "base_kb": base}
    if clocked is not None:
        result["wall"] = wall  # the reading is clocked in wall time too
        result["reading"] = clocked.reading
        result["collecting"] = clocked.collecting
    if traced:
        result["traced_kb"] = tracemalloc.get_traced_memory()[1] / 1024
        tracemalloc.stop()
    print(json.dumps(result))


def run_child(mode: str, path: Path) -> dict[str, float]:
    """One measurement of ``mode`` in a fresh process."""
    command = [sys.executable, __file__, "--child", mode, str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure(
    modes: tuple[str, ...], path: Path, repeat: int = 1
) -> dict[str, list[dict[str, float]]]:
    """Run each of ``modes`` in ``repeat`` rounds of fresh processes, the modes in turn within a
    round, so that a ratio of two modes can be read round by round, under the same load of the
    machine."""
    runs: dict[str, list[dict[str, float]]] = {mode: [] for mode in modes}
    for _ in range(repeat):
        for mode in modes:
            runs[mode].append(run_child(mode, path))
    return runs


def least(runs: list[dict[str, float]]) -> dict[str, float]:
    """The run with the least CPU time (the one least disturbed by the rest of the machine),
    with the largest peak memory of all the runs."""
    result = dict(min(runs, key=lambda run: run["seconds"]))
    result["peak_kb"] = max(run["peak_kb"] for run in runs)
    return result


def round_ratios(runs: dict[str, list[dict[str, float]]], mode: str, base: str) -> str:
    """The ratio of ``mode`` to ``base`` in each round, as text."""
    pairs = zip(runs[mode], runs[base], strict=True)
    return ", ".join(f"{a['seconds'] / b['seconds']:.2f}" for a, b in pairs)


def bench_report(events: int, repeat: int) -> None:
    print(f"== report over a generated log of {events:,} events")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.jsonl"
        began = time.perf_counter()
        lines, written, _ = generate(path, events)
        size = path.stat().st_size / 1e6
        print(
            f"  generated {lines:,} lines ({written:,} events, {size:,.0f} MB) "
            f"in {time.perf_counter() - began:.0f} s"
        )
        print(
            f"  each measured in {repeat} rounds of fresh processes (the modes in turn), "
            "least CPU seconds:"
        )
        labels = {
            "parse": "parse and validate every line (baseline)",
            "report": "whole report, SLA compliance included",
            "report-without-sla": "report without SLA compliance",
            "floor": "the least fold: moves kept, shapes counted",
        }
        runs = measure(tuple(labels), path, repeat)
        results = {mode: least(runs[mode]) for mode in labels}
        for mode, label in labels.items():
            peak = results[mode]["peak_kb"] / 1024
            base = results[mode]["base_kb"] / 1024
            print(
                f"  {label:<44} {results[mode]['seconds']:8.2f} s   "
                f"peak RSS {peak:,.0f} MB ({base:,.0f} MB before reading the log)"
            )
        traced = least(measure(("report-traced",), path)["report-traced"])["traced_kb"] / 1024
        print(f"  peak memory allocated by the whole report (tracemalloc): {traced:,.0f} MB")
        parse = results["parse"]["seconds"]
        full = results["report"]["seconds"]
        plain = results["report-without-sla"]["seconds"]
        floor = results["floor"]["seconds"]
        print(f"  per line: parse {parse / lines * 1e6:.1f} us, report {full / lines * 1e6:.1f} us")
        print(
            f"  ratio whole report / parse:          {full / parse:5.2f}x (target <= 1.5x); "
            f"round by round: {round_ratios(runs, 'report', 'parse')}"
        )
        print(
            f"  ratio report without SLA / parse:    {plain / parse:5.2f}x; "
            f"round by round: {round_ratios(runs, 'report-without-sla', 'parse')}"
        )
        print(f"  ratio least fold / parse:            {floor / parse:5.2f}x")
        print(f"  (the log file itself: {size:,.0f} MB; memory is bounded by the open cases)")
        print("  where the time goes (reading clocked record by record, in fresh processes):")
        clocked = measure(("parse-clocked", "report-clocked"), path, repeat)
        alone = least(clocked["parse-clocked"])
        inside = least(clocked["report-clocked"])
        print(
            f"  reading the log: alone {alone['reading']:.2f} s, inside the whole report "
            f"{inside['reading']:.2f} s"
        )
        print(
            f"  the report's own work: {inside['wall'] - inside['reading']:.2f} s; "
            f"garbage collector: {inside['collecting']:.2f} s "
            f"(parse alone: {alone['collecting']:.2f} s)"
        )


def shingles(inquiry: Inquiry) -> frozenset[tuple[str, str]]:
    """The same word pairs find_duplicates compares (folded, diacritics removed)."""
    tokens = words(f"{inquiry.subject} {inquiry.content}")
    return frozenset(itertools.pairwise(tokens))


def all_pairs(inquiries: list[Inquiry], threshold: float = 0.5) -> set[tuple[str, str]]:
    """The straightforward comparison: every pair within the window, exact Jaccard similarity
    on precomputed word-pair sets; returns the linked pairs."""
    sets = [shingles(q) for q in inquiries]
    times = [q.received_at.timestamp() for q in inquiries]
    window = WEEK.total_seconds()
    links: set[tuple[str, str]] = set()
    for i, first in enumerate(sets):
        if len(first) < 3:
            continue
        for j in range(i + 1, len(sets)):
            second = sets[j]
            if len(second) < 3 or abs(times[j] - times[i]) > window:
                continue
            common = len(first & second)
            if common >= threshold * (len(first) + len(second) - common):
                links.add((inquiries[i].id, inquiries[j].id))
    return links


def bench_duplicates(count: int, sample: int) -> None:
    print(f"== find_duplicates on {count:,} inquiries, all pairs on {sample:,}")
    inquiries: list[Inquiry] = []
    start = date(2026, 1, 5)
    for chunk in itertools.count():
        records, _ = simulate(days=5, seed=100 + chunk, start=start, id_prefix=f"d{chunk}-")
        inquiries.extend(r for r in records if isinstance(r, Inquiry))
        start += timedelta(days=7)
        if len(inquiries) >= count:
            break
    inquiries = inquiries[:count]
    ours = timed(
        f"find_duplicates, {count:,} inquiries", lambda: find_duplicates(inquiries, window=WEEK)
    )
    small = inquiries[:sample]
    ours_small = timed(
        f"find_duplicates, {sample:,} inquiries", lambda: find_duplicates(small, window=WEEK)
    )
    found: list[set[tuple[str, str]]] = []
    pairs = timed(f"all pairs, {sample:,} inquiries", lambda: found.append(all_pairs(small)))
    groups = find_duplicates(small, window=WEEK)
    group_of = {m: n for n, g in enumerate(groups) for m in g.members}
    exact = found[0]
    kept = sum(1 for a, b in exact if a in group_of and group_of[a] == group_of.get(b))
    print(f"  exact links on {sample:,}: {len(exact):,}; inside one of our groups: {kept:,}")
    extrapolated = pairs * (count / sample) ** 2
    print(f"  all pairs extrapolated to {count:,}:   {extrapolated:10,.0f} s")
    print(f"  ratio on {sample:,}: all pairs / ours   {pairs / ours_small:8.1f}x")
    print(f"  ratio on {count:,}: all pairs (extrapolated) / ours {extrapolated / ours:8.1f}x")
    print(
        f"  growth of ours from {sample:,} to {count:,}: {ours / ours_small:.1f}x "
        f"for {count / sample:.0f}x the inquiries"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--inquiries", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each report measurement")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "LOG"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    if args.events:
        bench_report(args.events, args.repeat)
    if args.inquiries:
        bench_duplicates(args.inquiries, args.sample)


if __name__ == "__main__":
    main()
