"""Working-time arithmetic: vss-care-core against pandas, a brute-force oracle and a baseline.

Adds 16 working hours to random starts over 2025-2027 on the Vietnamese state-agency calendar
(8:00-12:00, 13:00-17:00 Monday to Friday, holidays and official swapped days), with:

- ``WorkingCalendar.add`` (precomputed working intervals, bisect, prefix sums);
- pandas ``Timestamp + CustomBusinessHour(16)`` with the same hours and the weekday days off;
- a brute-force oracle that walks minute by minute.

It prints the cost per operation, the ratios (target: pandas at least 30x slower than ours),
how many results differ and why (ours must never differ from the oracle), and the cost of
``sla_status`` on a case with 10 events as a multiple of one ``add``. Ours and pandas take turns
``--repeat`` times in one worker, in CPU time, the least time of each kept; the oracle runs once.

Then the working tree is compared with a baseline version (git ref in ``benchmarks/BASELINE``):
``add``, ``working_time``, ``add_days``, ``add_working_days`` and ``sla_status``, each timed
``--repeat`` times per worker in CPU time (garbage collector paused), the workers of the two
versions taking turns for ``--rounds`` rounds. Target: no figure more than 10% slower. The exit
status is 1 when ours differs from the oracle or a figure is over budget.

Run::

    python benchmarks/bench_calendar.py                   # against the baseline (a minute or two)
    python benchmarks/bench_calendar.py --baseline none   # the working tree alone
    python benchmarks/bench_calendar.py --n 10000 --rounds 2 --baseline HEAD~3
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from _compare import (
    BenchmarkError,
    Result,
    Version,
    add_options,
    check_counts,
    compare,
    describe,
    digest,
    emit,
    fail,
    in_rounds,
    least,
    least_cpu_seconds,
    least_timed,
    run_worker,
    timed,
    versions,
)

if TYPE_CHECKING:
    from vss_care_core import Case, WorkingCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DURATION = timedelta(hours=16)
FIRST = datetime(2025, 1, 1, tzinfo=VN)
LAST = datetime(2028, 1, 1, tzinfo=VN)
SPAN = timedelta(days=3)  # working_time from each start to three days later
DAYS = 15  # add_days and add_working_days from each start
Adder = Callable[[], list[datetime]]
"""Adds 16 working hours to every start, one way."""
SHARED = {
    "add": "WorkingCalendar.add, 16 working hours",
    "working_time": "WorkingCalendar.working_time, 3 days",
    "add_days": f"WorkingCalendar.add_days, {DAYS} days",
    "add_working_days": f"WorkingCalendar.add_working_days, {DAYS} days",
    "sla_status": "sla_status, written case with 10 events",
}


def random_starts(n: int, seed: int) -> list[datetime]:
    """Whole-minute starts, uniform over 2025-2027, in Vietnamese time."""
    rng = random.Random(seed)
    minutes = int((LAST - FIRST).total_seconds() // 60)
    return [FIRST + timedelta(minutes=rng.randrange(minutes)) for _ in range(n)]


class Oracle:
    """Minute stepping on local wall-clock minutes, one open/closed flag per minute of a day."""

    def __init__(self, calendar: WorkingCalendar) -> None:
        self.calendar = calendar
        self.days: dict[date, list[int]] = {}

    def flags(self, day: date) -> list[int]:
        found = self.days.get(day)
        if found is None:
            found = [0] * 1440
            for start, end in self.calendar.hours_on(day):
                a = start.hour * 60 + start.minute
                b = end.hour * 60 + end.minute or 1440
                found[a:b] = [1] * (b - a)
            self.days[day] = found
        return found

    def add(self, start: datetime, duration: timedelta) -> datetime:
        local = start.astimezone(VN)
        day = local.date()
        first = local.hour * 60 + local.minute
        left = int(duration.total_seconds() // 60)
        if left == 0:
            return local
        while True:
            flags = self.flags(day)
            for minute in range(first, 1440):
                if flags[minute]:
                    left -= 1
                    if left == 0:
                        midnight = datetime.combine(day, datetime.min.time(), tzinfo=VN)
                        return midnight + timedelta(minutes=minute + 1)
            day += timedelta(days=1)
            first = 0


def ten_event_case() -> tuple[Case, datetime]:
    """A written case with 10 events: pauses, a return to draft, a priority change."""
    from vss_care_core import Inquiry, open_case  # noqa: PLC0415 - workers only

    t = datetime(2026, 2, 10, 9, 0, tzinfo=VN)
    inquiry = Inquiry(
        channel="email",
        received_at=t,
        requester={"type": "individual", "name": "Trần Thị Bình"},
        subject="Cách tính lương hưu",
        content="Tôi đóng BHXH 25 năm, lương hưu được tính thế nào?",
    )
    answer = (
        "Lương hưu của bạn được tính theo số năm đóng bảo hiểm xã hội và mức bình quân tiền "
        "lương tháng đóng bảo hiểm xã hội."
    )
    case = open_case(inquiry, at=t, by="clerk")
    h = timedelta(hours=1)
    case.complete(
        "intake", at=t + h, by="clerk", kind="question", policy_areas=["social"], topic="pension"
    )
    case.complete("assign", at=t + 2 * h, by="lead", unit="hn")
    case.fire("request_info", at=t + 3 * h, by="agent")
    case.fire("provide_info", at=t + 20 * h, by="agent")
    case.fire("set_priority", at=t + 21 * h, by="lead", priority="high")
    case.complete("draft", at=t + 24 * h, by="agent", answer=answer)
    case.fire("return_draft", at=t + 26 * h, by="reviewer", reasons=["unclear"])
    case.complete("draft", at=t + 44 * h, by="agent", answer=answer)
    case.complete("review", at=t + 46 * h, by="reviewer")
    assert len(case.history) == 10
    return case, t + 47 * h


def classify(ours: datetime, theirs: datetime, calendar: WorkingCalendar) -> str:
    """Why pandas differs from us on one start."""
    tick = timedelta(microseconds=1)
    at_closing = calendar.is_open(ours - tick) and not calendar.is_open(ours)
    if at_closing and theirs > ours and theirs.time() in (dt_time(8), dt_time(13)):
        return "closing-time rule: pandas moves a result on 12:00/17:00 to the next opening"
    worked = {d.day for d in calendar.working_days}
    span = {min(ours, theirs).date() + timedelta(days=i) for i in range(-12, 12)}
    if worked & span:
        return "worked Saturday: pandas' weekmask cannot open one Saturday"
    return f"other (ours {ours:%Y-%m-%d %H:%M}, pandas {theirs:%Y-%m-%d %H:%M})"


# -- workers ----------------------------------------------------------------------------------
def warmed_calendar() -> WorkingCalendar:
    """The Vietnamese calendar with the working intervals of every year used already built."""
    from vss_care_core import vietnam_calendar  # noqa: PLC0415 - workers only

    calendar = vietnam_calendar()
    for year in range(FIRST.year, LAST.year + 1):
        calendar.add(datetime(year, 6, 1, 9, 0, tzinfo=VN), DURATION)
    return calendar


def shared_worker(args: argparse.Namespace) -> None:
    """The public-API figures both versions are measured on, in seconds per operation."""
    from vss_care_core import sla_status  # noqa: PLC0415 - workers only

    calendar = warmed_calendar()
    starts = random_starts(args.n, args.seed)
    ends = [start + SPAN for start in starts]
    work: dict[str, Callable[[], list[object]]] = {
        "add": lambda: [calendar.add(s, DURATION) for s in starts],
        "working_time": lambda: [
            calendar.working_time(s, e) for s, e in zip(starts, ends, strict=True)
        ],
        "add_days": lambda: [calendar.add_days(s, DAYS) for s in starts],
        "add_working_days": lambda: [calendar.add_working_days(s, DAYS) for s in starts],
    }
    seconds: dict[str, float] = {}
    answers: list[object] = []
    for key, run in work.items():
        spent, found = least_timed(run, args.repeat)
        seconds[key] = spent / args.n
        answers.extend(found)
    case, at = ten_event_case()
    repeats = max(200, args.n // 50)
    statuses = sla_status(case, at=at)
    seconds["sla_status"] = (
        least_cpu_seconds(lambda: [sla_status(case, at=at) for _ in range(repeats)], args.repeat)
        / repeats
    )
    emit(
        seconds=seconds,
        targets=len(statuses),
        digest=digest(answers),
    )


def pandas_adder(calendar: WorkingCalendar, starts: list[datetime]) -> Adder | None:
    """The same additions with pandas' CustomBusinessHour; None when pandas is not installed."""
    try:
        import pandas as pd  # noqa: PLC0415 - only the benchmark needs pandas
    except ImportError:
        return None
    days_off = [
        d
        for year in (2025, 2026, 2027, 2028)
        for d in (date(year, 1, 1) + timedelta(days=i) for i in range(366))
        if d.year == year and d.weekday() < 5 and not calendar.is_working_day(d)
    ]
    offset = pd.offsets.CustomBusinessHour(
        n=16,
        start=["08:00", "13:00"],
        end=["12:00", "17:00"],
        holidays=days_off,
        weekmask="Mon Tue Wed Thu Fri",
    )
    naive = [pd.Timestamp(s.replace(tzinfo=None)) for s in starts]
    return lambda: [(t + offset).to_pydatetime().replace(tzinfo=VN) for t in naive]


def alternatives_worker(args: argparse.Namespace) -> None:
    """Ours and pandas in turn, the oracle once, and the differences (working tree only)."""
    calendar = warmed_calendar()
    starts = random_starts(args.n, args.seed)
    adders: dict[str, Adder] = {"ours": lambda: [calendar.add(s, DURATION) for s in starts]}
    pandas = pandas_adder(calendar, starts)
    if pandas is not None:
        adders["pandas"] = pandas
    times: dict[str, list[float]] = {name: [] for name in adders}
    results: dict[str, list[datetime]] = {}
    for turn in range(args.repeat):  # the two take turns; who goes first alternates
        order = list(adders) if turn % 2 == 0 else list(reversed(adders))
        for name in order:
            seconds, results[name] = timed(adders[name])
            times[name].append(seconds)
    oracle = Oracle(calendar)
    oracle_seconds, expected = timed(lambda: [oracle.add(s, DURATION) for s in starts])
    ours = results["ours"]
    kinds = Counter(
        classify(a, b, calendar)
        for a, b in zip(ours, results.get("pandas", ours), strict=True)
        if a != b
    )
    emit(
        ours=min(times["ours"]) / args.n,
        pandas=min(times["pandas"]) / args.n if pandas is not None else None,
        oracle=oracle_seconds / args.n,
        wrong=sum(1 for a, b in zip(ours, expected, strict=True) if a != b),
        pandas_differs=dict(kinds.most_common()),
    )


# -- the parent -------------------------------------------------------------------------------
def print_alternatives(found: Result, n: int, repeat: int) -> None:
    """Print the comparison with pandas and the oracle (headline figures of the calendar)."""
    print(f"1. Against pandas and the oracle (working tree; ours and pandas in turn {repeat}x)")
    print(f"   {'vss-care-core WorkingCalendar.add':<44} {found['ours'] * 1e6:10.2f} µs/op")
    if found["pandas"] is None:
        print("   pandas is not installed: pip install pandas")
    else:
        label = "pandas Timestamp + CustomBusinessHour(16)"
        print(f"   {label:<44} {found['pandas'] * 1e6:10.2f} µs/op")
    print(f"   {'brute-force oracle (minute stepping)':<44} {found['oracle'] * 1e6:10.2f} µs/op")
    print("   ratios")
    if found["pandas"] is not None:
        ratio = found["pandas"] / found["ours"]
        mark = "PASS" if ratio >= 30 else "FAIL"
        print(f"     pandas / ours  {ratio:8.1f}x  (target: at least 30x) [{mark}]")
    print(f"     oracle / ours  {found['oracle'] / found['ours']:8.1f}x")
    print("   differences")
    print(f"     ours vs oracle: {found['wrong']} of {n:,}")
    if found["pandas"] is not None:
        total = sum(found["pandas_differs"].values())
        print(f"     ours vs pandas: {total} of {n:,} ({total / n:.2%})")
        for kind, count in found["pandas_differs"].items():
            print(f"       {count:7d}  {kind}")
    print()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or one of its workers); 1 if ours is wrong or over budget."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of random starts")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the starts")
    parser.add_argument(
        "--repeat", type=int, default=3, help="timing runs of each figure in a worker (least kept)"
    )
    add_options(parser)
    args = parser.parse_args(argv)
    check_counts(parser, args, "n", "repeat", "rounds")
    if args.worker == "shared":
        shared_worker(args)
        return 0
    if args.worker == "alternatives":
        alternatives_worker(args)
        return 0

    started = time.perf_counter()
    common = ["--n", str(args.n), "--seed", str(args.seed), "--repeat", str(args.repeat)]
    try:
        with versions(args.baseline) as found:
            describe(
                f"add(start, 16 working hours), {args.n:,} random starts over 2025-2027",
                found,
                args.rounds,
            )
            working = found[-1]
            alternatives = run_worker(working, __file__, [*common, "--worker", "alternatives"])
            print_alternatives(alternatives, args.n, args.repeat)

            def shared(version: Version) -> Result:
                return run_worker(version, __file__, [*common, "--worker", "shared"])

            results = in_rounds(found, args.rounds, shared)
    except BenchmarkError as error:
        return fail(__file__, error)
    print(f"2. The public calendar API, each figure the least of {args.repeat} runs per worker")
    within = compare(results, SHARED)
    mine = results[working.name]
    print(
        f"   sla_status = {least(mine, 'sla_status') / least(mine, 'add'):.0f} x one add "
        f"({mine[0]['targets']} targets, working tree)"
    )
    print()
    print(f"Total time {time.perf_counter() - started:,.1f} s")
    return 1 if alternatives["wrong"] or not within else 0


if __name__ == "__main__":
    sys.exit(main())
