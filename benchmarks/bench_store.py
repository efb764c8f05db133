"""Benchmark: the case store against raw inserts of the same rows, and the due-cases listing.

Figures are printed; nothing is asserted by a test runner (the exit status is 1 when a target
is missed). Times are wall-clock (``time.perf_counter``): a durable commit waits for the disk,
which CPU time would not count. The store is new, so there is no baseline version to compare
with: each figure is compared with its own yardstick, in the same run.

1. **Appending moves, durable commits.** Moves prepared on live cases are stored one per
   transaction through ``store.append(event, expected_version=...)`` (the store reads the case,
   checks the move on it, writes the event, its outbox record and the case's row), against
   raw driver inserts of the same rows in the same tables, one transaction per move, with the
   same durability: SQLite in WAL mode with ``synchronous=FULL``; PostgreSQL with its default
   ``synchronous_commit=on`` (when a URL is given: ``--postgres-url`` or
   ``VSS_CARE_TEST_POSTGRES_URL``). The two take turns in rounds, the one that goes first
   alternating. Target: the store costs at most 2x the raw inserts (the ratio of the totals).
2. **Listing the due cases.** ``open_cases(due_before=...)`` returning the same 100 cases out
   of 10,000 and out of 100,000 open cases (the cases imported in one transaction, each with
   its own ``next_alert_at``). The index on ``next_alert_at`` keeps the time flat. Target:
   the 100,000 / 10,000 ratio of the medians at most 1.5.

Usage::

    python benchmarks/bench_store.py                 # SQLite (and PostgreSQL with a URL)
    python benchmarks/bench_store.py --quick         # smoke run (seconds)
    python benchmarks/bench_store.py --postgres-url postgresql://user:pw@127.0.0.1:5432/db
"""

from __future__ import annotations

import argparse
import os
import secrets
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from vss_care_core.models import VIETNAM_TZ, Event, Inquiry
from vss_care_core.process import Case, open_case
from vss_care_core.store import CaseStore, PostgresCaseStore, SQLiteCaseStore

START = datetime(2026, 3, 2, 8, 0, tzinfo=VIETNAM_TZ)
MINUTE = timedelta(minutes=1)
APPEND_TARGET = 2.0
LISTING_TARGET = 1.5
DUE = 100
"""How many cases the listing returns, whatever the number of open cases."""


# -- the workload ------------------------------------------------------------------------------
def inquiry(number: int) -> Inquiry:
    """A written inquiry (e-mail), the same for the same number."""
    return Inquiry(
        id=f"q-{number}",
        channel="email",
        received_at=START + number * MINUTE,
        requester={"name": "Nguyễn Văn An", "citizen_id": "001203004567"},
        subject="Cách tính lương hưu",
        content="Tôi đã đóng BHXH 25 năm. Lương hưu của tôi được tính thế nào?",
    )


def new_case(number: int) -> Case:
    asked = inquiry(number)
    return open_case(
        asked,
        at=asked.received_at,
        by="email-desk",
        case_id=f"c-{number}",
        event_id=f"open-{number}",
    )


def next_move(case: Case) -> Event:
    """Move a written case on for ever: intake, assign, then ask for information and get it."""
    at = case.history[-1].at + MINUTE
    state = case.state
    if state == "intake":
        return case.complete(
            "intake", at=at, by="agent", kind="question", policy_areas=["social"], topic="pension"
        )
    if state == "assign":
        return case.complete("assign", at=at, by="agent", unit="CCC", assignee="officer-1")
    if state == "draft":
        return case.fire("request_info", at=at, by="agent", note="thiếu ảnh căn cước")
    return case.fire("provide_info", at=at, by="agent")


# -- raw inserts of the same rows ------------------------------------------------------------------
class RawWriter:
    """Writes a move's rows straight through the driver: the outbox record, the event's row,
    the case's row and the outbox head, in one transaction; the floor of what a store costs."""

    def __init__(
        self,
        execute: Callable[[str, tuple[Any, ...]], object],
        begin: str,
        marker: str,
    ) -> None:
        self.execute = execute
        self.begin = begin
        self.marker = marker
        self.position = 0

    def sql(self, text: str) -> str:
        return text.replace("?", self.marker)

    def write(self, event: Event) -> None:
        self.position += 1
        self.execute(self.begin, ())
        self.execute(
            self.sql("INSERT INTO care_outbox (position, kind, body) VALUES (?, 'event', ?)"),
            (self.position, event.model_dump_json()),
        )
        self.execute(
            self.sql("INSERT INTO care_events (id, case_id, seq, position) VALUES (?, ?, ?, ?)"),
            (event.id, event.case_id, event.seq, self.position),
        )
        self.execute(
            self.sql("UPDATE care_cases SET version = ?, state = ?, step = ? WHERE id = ?"),
            (event.seq, event.to_state, event.step or event.to_state, event.case_id),
        )
        self.execute(
            self.sql("UPDATE care_outbox_head SET position = ? WHERE one = 1"), (self.position,)
        )
        self.execute("COMMIT", ())


@dataclass
class AppendFigures:
    """Seconds spent storing the same moves, round by round."""

    store: list[float]
    raw: list[float]
    moves_per_round: int

    def show(self, title: str) -> bool:
        print(f"\n{title}: {self.moves_per_round} moves per round, one transaction each")
        print("  round   store moves/s   raw moves/s   store / raw")
        for number, (ours, theirs) in enumerate(zip(self.store, self.raw, strict=True), 1):
            print(
                f"  {number:>5}   {self.moves_per_round / ours:>13,.0f}   "
                f"{self.moves_per_round / theirs:>11,.0f}   {ours / theirs:>11.2f}"
            )
        ratio = sum(self.store) / sum(self.raw)
        total = self.moves_per_round * len(self.store)
        verdict = "ok" if ratio <= APPEND_TARGET else "MISSED"
        print(
            f"  all     {total / sum(self.store):>13,.0f}   {total / sum(self.raw):>11,.0f}   "
            f"{ratio:>11.2f}   target <= {APPEND_TARGET:.1f}: {verdict}"
        )
        return ratio <= APPEND_TARGET


def measure_appends(
    store: CaseStore, raw: RawWriter, *, cases: int, rounds: int, per_round: int
) -> AppendFigures:
    """Store the same prepared moves through the store and raw, taking turns."""
    live = [new_case(number) for number in range(cases)]
    for case in live:
        store.add(case)
    raw.position = store.last_position()
    figures = AppendFigures(store=[], raw=[], moves_per_round=per_round)
    for number in range(rounds):
        events = [next_move(live[index % cases]) for index in range(per_round)]

        def through_store(batch: list[Event] = events) -> float:
            began = time.perf_counter()
            for event in batch:
                store.append(event, expected_version=event.seq - 1)
            return time.perf_counter() - began

        def through_raw(batch: list[Event] = events) -> float:
            began = time.perf_counter()
            for event in batch:
                raw.write(event)
            return time.perf_counter() - began

        if number % 2 == 0:
            figures.store.append(through_store())
            figures.raw.append(through_raw())
        else:
            figures.raw.append(through_raw())
            figures.store.append(through_store())
    return figures


# -- listing the due cases ------------------------------------------------------------------
def _alert_rule(size: int) -> Callable[[Case], datetime | None]:
    """Each case its own alert minute, spread over ``size`` minutes (a fixed permutation)."""
    step = 7919  # a prime that divides none of the sizes used: a permutation of 0..size-1

    def alert(case: Case) -> datetime:
        number = int(case.id.removeprefix("c-"))
        return START + timedelta(days=1) + (number * step % size) * MINUTE

    return alert


def _cases_for_listing(size: int) -> Iterator[Inquiry | Event]:
    for number in range(size):
        case = new_case(number)
        yield case.inquiry
        yield case.history[0]


def measure_listing(open_store: Callable[..., CaseStore], size: int, repeats: int) -> float:
    """The median time of listing the DUE earliest due cases among ``size`` open cases."""
    with open_store(next_alert=_alert_rule(size)) as store:
        began = time.perf_counter()
        store.import_records(_cases_for_listing(size))
        print(f"  {size:,} open cases imported in {time.perf_counter() - began:.1f} s")
        due_before = START + timedelta(days=1) + DUE * MINUTE
        times = []
        for _ in range(repeats):
            began = time.perf_counter()
            listed = store.open_cases(due_before=due_before)
            times.append(time.perf_counter() - began)
            assert len(listed) == DUE, len(listed)
    return statistics.median(times)


def show_listing(title: str, small: tuple[int, float], large: tuple[int, float]) -> bool:
    ratio = large[1] / small[1]
    verdict = "ok" if ratio <= LISTING_TARGET else "MISSED"
    print(f"\n{title}: open_cases(due_before=...) returning {DUE} cases, median")
    for size, seconds in (small, large):
        print(f"  {size:>9,} open cases   {seconds * 1000:8.2f} ms")
    print(f"  ratio {ratio:.2f}   target <= {LISTING_TARGET:.1f}: {verdict}")
    return ratio <= LISTING_TARGET


# -- the two databases ---------------------------------------------------------------------------
def sqlite_run(folder: Path, args: argparse.Namespace) -> bool:
    store = SQLiteCaseStore(folder / "store.sqlite3")  # synchronous=FULL, the default
    SQLiteCaseStore(folder / "raw.sqlite3").close()  # the same tables, for the raw inserts
    connection = sqlite3.connect(folder / "raw.sqlite3", isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    raw = RawWriter(connection.execute, "BEGIN IMMEDIATE", "?")
    with store:
        for case in (new_case(number) for number in range(args.cases)):
            raw_case_rows(connection.execute, "?", case)
        figures = measure_appends(
            store, raw, cases=args.cases, rounds=args.rounds, per_round=args.moves
        )
    connection.close()
    met = figures.show("SQLite, synchronous=FULL (durable commits)")
    sizes = []
    for size in args.sizes:
        print(f"\nSQLite listing store of {size:,} open cases")
        seconds = measure_listing(
            lambda place=folder / f"listing-{size}.sqlite3", **options: SQLiteCaseStore(
                place, synchronous="NORMAL", **options
            ),
            size,
            args.repeats,
        )
        sizes.append((size, seconds))
    return show_listing("SQLite", sizes[0], sizes[-1]) and met


def raw_case_rows(
    execute: Callable[[str, tuple[Any, ...]], object], marker: str, case: Case
) -> None:
    """The inquiry, case and opening rows of ``case`` for the raw writer's tables."""
    sql = {
        "inquiry": "INSERT INTO care_outbox (position, kind, body) VALUES (?, 'inquiry', ?)",
        "link": "INSERT INTO care_inquiries (id, position) VALUES (?, ?)",
        "case": "INSERT INTO care_cases (id, inquiry_id, process, version, state, step)"
        " VALUES (?, ?, 'written', 1, 'intake', 'intake')",
        "open": "INSERT INTO care_outbox (position, kind, body) VALUES (?, 'event', ?)",
        "event": "INSERT INTO care_events (id, case_id, seq, position) VALUES (?, ?, 1, ?)",
    }
    number = int(case.id.removeprefix("c-"))
    first, second = 2 * number + 1, 2 * number + 2
    execute(sql["inquiry"].replace("?", marker), (first, case.inquiry.model_dump_json()))
    execute(sql["link"].replace("?", marker), (case.inquiry.id, first))
    execute(sql["case"].replace("?", marker), (case.id, case.inquiry.id))
    execute(sql["open"].replace("?", marker), (second, case.history[0].model_dump_json()))
    execute(sql["event"].replace("?", marker), (case.history[0].id, case.id, second))


def postgres_run(url: str, args: argparse.Namespace) -> bool:
    import psycopg  # noqa: PLC0415 - only with a server

    schemas = [f"bench_{secrets.token_hex(4)}" for _ in range(2 + len(args.sizes))]
    with psycopg.connect(url, autocommit=True) as admin:
        for schema in schemas:
            admin.execute(f"CREATE SCHEMA {schema}")  # type: ignore[call-overload]
    try:
        at = [f"{url}{'&' if '?' in url else '?'}options={quote(f'-c search_path={s}')}"
              for s in schemas]  # fmt: skip
        PostgresCaseStore(at[1]).close()  # the same tables, for the raw inserts
        with PostgresCaseStore(at[0]) as store, psycopg.connect(at[1], autocommit=True) as raw_db:

            def execute(sql: str, parameters: tuple[Any, ...]) -> object:
                return raw_db.execute(sql, parameters)  # type: ignore[call-overload]

            for case in (new_case(number) for number in range(args.cases)):
                raw_case_rows(execute, "%s", case)
            raw = RawWriter(execute, "BEGIN", "%s")
            figures = measure_appends(
                store, raw, cases=args.cases, rounds=args.rounds, per_round=args.moves
            )
            where = store.where  # the URL without its password
        met = figures.show(f"PostgreSQL ({where}), durable commits")
        sizes = []
        for size, location in zip(args.sizes, at[2:], strict=True):
            print(f"\nPostgreSQL listing store of {size:,} open cases")
            seconds = measure_listing(
                lambda place=location, **options: PostgresCaseStore(place, **options),
                size,
                args.repeats,
            )
            sizes.append((size, seconds))
        return show_listing("PostgreSQL", sizes[0], sizes[-1]) and met
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            for schema in schemas:
                admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")  # type: ignore[call-overload]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--rounds", type=int, default=6, help="rounds of appends (default 6)")
    parser.add_argument("--moves", type=int, default=250, help="moves per round (default 250)")
    parser.add_argument("--cases", type=int, default=50, help="cases the moves go to")
    parser.add_argument("--repeats", type=int, default=50, help="listings timed per size")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("VSS_CARE_TEST_POSTGRES_URL"),
        help="also measure PostgreSQL (default: $VSS_CARE_TEST_POSTGRES_URL)",
    )
    args = parser.parse_args(argv)
    args.sizes = [10_000, 100_000]
    if args.quick:
        args.rounds, args.moves, args.repeats, args.sizes = 2, 30, 5, [1_000, 5_000]
    print(
        f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs"
    )
    met = True
    with tempfile.TemporaryDirectory() as folder:
        met = sqlite_run(Path(folder), args) and met
    if args.postgres_url:
        met = postgres_run(args.postgres_url, args) and met
    else:
        print("\nPostgreSQL: skipped (give --postgres-url or set VSS_CARE_TEST_POSTGRES_URL)")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
