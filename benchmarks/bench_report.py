"""Benchmark of the monitoring layer: the report against the parse, duplicates against all pairs.

1. On a generated event log (at least 50,000 events by default, from the demo simulation): the
   cost of only parsing and validating every line (``EventLogReader``), against the whole report
   (``compute_kpis`` with SLA compliance, and without); the ratio (target: the report costs at
   most 1.5x the parse) and the peak memory (resident set size; and, in one more run under
   tracemalloc, what the whole report allocated). For scale, also the least a streaming fold can
   do in Python: keep each open case's moves and times and count the ended cases by shape,
   nothing else, and what the report reads (every line checked by the models' rules, the
   events as their checked fields, no fold), both on the working tree only.
   Beside them (working tree only), the floors of the 1M-event targets: orjson decoding every
   line and doing nothing else (and, for scale, msgspec decoding every line into typed Structs
   with no rule beyond the types); DuckDB computing the SQL-expressible KPIs (volume per channel per
   day, abandonment, handle time, service level) straight from the JSON Lines file; the shipped
   KPI SQL (``kpi_sql("kpis")``) over the Parquet facts table against DuckDB's own query of the
   same table of figures (its rows checked equal), and, for scale, against the least query of
   four figures without breakdown. Targets: the whole report <= 5x the orjson floor; the KPI SQL
   within 2x of DuckDB's own query of the same figures. The generated log and its facts are
   cached in ``--cache`` (``vss-care-bench-report`` in the temporary folder), one folder per
   size.
2. ``find_duplicates`` on 10,000 inquiries against the all-pairs comparison on a 1,000 sample
   (the two in turn), and the all-pairs cost extrapolated (it grows with the square of the count).

Every measurement runs in a fresh worker process, in CPU time, the garbage collector running
(it is part of the report's cost). The log and the inquiries are generated once, by the working
tree, and every worker reads the same files. The working tree is compared with a baseline
version (git ref in ``benchmarks/BASELINE``) in ``--rounds`` rounds where the two versions take
turns, each running the parse and both reports in turn; then in as many rounds of
``find_duplicates``. The least time of each is kept, and the ratios are also shown round by
round. Target: no figure more than 10% slower than the baseline. The exit status is 1 when a
figure is over budget.

Run::

    python benchmarks/bench_report.py                   # against the baseline (2 to 3 minutes)
    python benchmarks/bench_report.py --baseline none   # the working tree alone
    python benchmarks/bench_report.py --events 1000000 --inquiries 100000 --sample 5000
    python benchmarks/bench_report.py --events 1000000 --baseline none --rounds 1
"""

from __future__ import annotations

import argparse
import heapq
import itertools
import re
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import msgspec
from _compare import (
    WORKING_TREE,
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
    run_worker,
    timed,
    versions,
)

if TYPE_CHECKING:
    from vss_care_core import Inquiry, SlaJudge, WorkingCalendar

WEEK = timedelta(days=7)
MOVE = attrgetter("action", "from_state", "to_state", "step")
MODES = {
    "parse": "parse and validate every line",
    "report": "whole report, SLA compliance included",
    "report-without-sla": "report without SLA compliance",
}
FLOOR = "the least fold: moves kept, shapes counted"
READ = "reading alone: every line checked, no fold"
FLOORS = {
    "orjson": "orjson-decode every line, nothing else",
    "structs": "msgspec-decode every line into typed Structs",
    "duckdb-json": "DuckDB: 4 KPIs straight from the JSONL",
    "facts-sql": "the shipped KPI SQL over the Parquet facts",
    "duckdb-parquet-same": "DuckDB's own query of the same figures",
    "duckdb-parquet": "DuckDB's least query over the Parquet",
}
"""Measured on the working tree only (they need orjson, duckdb and pyarrow)."""


# -- the log's records as typed Structs with no rule beyond the types: decoding alone ---------
class FloorEvent(msgspec.Struct):
    """An event's fields, typed."""

    case_id: str
    seq: int
    at: datetime
    by: str
    action: str
    to_state: str
    step: str | None = None
    from_state: str | None = None
    data: dict[str, Any] = {}
    id: str | None = None


class FloorEventLine(msgspec.Struct, tag_field="type", tag="event"):
    """An event line."""

    schema: str
    event: FloorEvent


class FloorInquiryLine(msgspec.Struct, tag_field="type", tag="inquiry"):
    """An inquiry line, the inquiry as a plain mapping."""

    schema: str
    inquiry: dict[str, Any]


class FloorSatisfactionLine(msgspec.Struct, tag_field="type", tag="satisfaction"):
    """A survey response line, the response as a plain mapping."""

    schema: str
    satisfaction: dict[str, Any]


FLOOR_STRUCTS = msgspec.json.Decoder(FloorEventLine | FloorInquiryLine | FloorSatisfactionLine)

# The four SQL-expressible KPIs straight from the log: volume per channel per day, abandonment,
# handle time and service level (20 s; short abandons left out), read by DuckDB from the JSON
# Lines file itself (one thread, as the library's report).
JSON_KPIS = """
WITH lines AS (
    SELECT type, inquiry, event FROM read_json($path, format = 'newline_delimited',
        columns = {type: 'VARCHAR', inquiry: 'STRUCT(id VARCHAR, channel VARCHAR)',
                   event: 'STRUCT(case_id VARCHAR, "at" TIMESTAMPTZ, action VARCHAR,
                                  step VARCHAR, to_state VARCHAR, data JSON)'})
),
inquiries AS (SELECT inquiry.id AS id, inquiry.channel AS channel FROM lines
              WHERE type = 'inquiry'),
events AS (SELECT event.case_id AS case_id, event."at" AS moment, event.action AS action,
                  event.step AS step, event.to_state AS to_state, event.data AS data
           FROM lines WHERE type = 'event'),
opened AS (SELECT case_id, moment AS opened,
                  coalesce(json_extract_string(data, '$.inquiry_id'), case_id) AS inquiry_id,
                  json_extract_string(data, '$.process') AS process
           FROM events WHERE action = 'open'),
answered AS (SELECT case_id, min(moment) AS answered FROM events
             WHERE action = 'complete' AND step = 'greet' GROUP BY case_id),
ended AS (SELECT case_id, max(moment) AS ended, bool_or(action = 'abandon') AS abandoned
          FROM events WHERE to_state IN ('closed', 'escalated', 'abandoned') GROUP BY case_id),
calls AS (SELECT o.case_id, CAST(timezone('Asia/Ho_Chi_Minh', o.opened) AS DATE) AS day,
                 i.channel, epoch(a.answered - o.opened) AS wait,
                 epoch(e.ended - a.answered) AS handle, epoch(e.ended - o.opened) AS queued,
                 a.answered IS NOT NULL AS is_answered, e.abandoned AND a.answered IS NULL
                 AS is_abandon
          FROM opened o JOIN inquiries i ON i.id = o.inquiry_id
          LEFT JOIN answered a USING (case_id) JOIN ended e USING (case_id)
          WHERE o.process = 'call')
SELECT (SELECT count(*) FROM (SELECT day, channel, count(*) FROM calls GROUP BY ALL)) AS volume,
       sum(CASE WHEN is_answered AND wait <= 20 THEN 1 ELSE 0 END)
           / nullif(sum(CASE WHEN is_answered OR (is_abandon AND queued > 5) THEN 1 ELSE 0 END),
                    0) AS service_level,
       sum(CASE WHEN is_abandon AND queued > 5 THEN 1 ELSE 0 END)
           / nullif(sum(CASE WHEN is_abandon AND queued <= 5 THEN 0 ELSE 1 END), 0)
           AS abandonment_rate,
       avg(CASE WHEN is_answered THEN handle END) AS average_handle_time
FROM calls
"""

# DuckDB's own least query of the same four figures over the facts table: no grouping sets, no
# split by channel, unit, kind and day; what the shipped SQL is compared with.
PARQUET_LEAST = """
SELECT (SELECT count(*) FROM (SELECT opened_on, channel, count(*) FROM case_facts GROUP BY ALL)),
       sum(CASE WHEN call_answered AND wait_seconds <= 20 THEN 1 ELSE 0 END)
           / nullif(sum(CASE WHEN call_answered OR (queue_abandon AND wait_seconds > 5)
                        THEN 1 ELSE 0 END), 0),
       sum(CASE WHEN queue_abandon AND wait_seconds > 5 THEN 1 ELSE 0 END)
           / nullif(sum(CASE WHEN process_family = 'call' AND outcome IS NOT NULL
                        AND NOT (queue_abandon AND wait_seconds <= 5) THEN 1 ELSE 0 END), 0),
       avg(handle_seconds)
FROM case_facts
"""
# DuckDB's own query of the same figures as the shipped KPI SQL (kpi_sql("kpis"), default
# thresholds), written as DuckDB is usually asked: one GROUPING SETS over the table, count_if
# and FILTER instead of the portable flags. Its rows must equal the shipped query's (checked):
# the target compares two ways of computing the same table of figures, where the least query
# above computes 4 figures with no breakdown.
PARQUET_SAME = """
SELECT
    CASE
        WHEN GROUPING(channel) = 0 THEN 'channel'
        WHEN GROUPING(unit) = 0 THEN 'unit'
        WHEN GROUPING(kind) = 0 THEN 'kind'
        WHEN GROUPING(opened_on) = 0 THEN 'day'
        ELSE 'all'
    END AS dimension,
    COALESCE(channel, unit, kind, CAST(opened_on AS VARCHAR), '') AS group_name,
    count_if(outcome IS NOT NULL) AS ended,
    count_if(outcome IS NOT NULL AND process_family = 'call') AS calls_offered,
    count_if(call_answered) AS calls_answered,
    count_if(call_answered AND wait_seconds <= 20.0) AS answered_within_threshold,
    count_if(queue_abandon) AS queue_abandons,
    count_if(queue_abandon AND wait_seconds <= 5.0) AS short_abandons,
    count_if(dropped_call) AS dropped_calls,
    count_if(call_answered AND wait_seconds <= 20.0) / NULLIF(count_if(call_answered)
        + count_if(queue_abandon) - count_if(queue_abandon AND wait_seconds <= 5.0), 0)
        AS service_level,
    COALESCE(SUM(wait_seconds) FILTER (WHERE call_answered), 0.0)
        / NULLIF(count_if(call_answered), 0) AS average_speed_of_answer,
    (count_if(queue_abandon) - count_if(queue_abandon AND wait_seconds <= 5.0))
        / NULLIF(count_if(outcome IS NOT NULL AND process_family = 'call')
                 - count_if(queue_abandon AND wait_seconds <= 5.0), 0) AS abandonment_rate,
    COALESCE(SUM(handle_seconds) FILTER (WHERE call_answered), 0.0)
        / NULLIF(count_if(call_answered), 0) AS average_handle_time,
    count_if(transferred) AS transfers,
    count_if(was_escalated) AS escalations,
    SUM(requests_for_info) AS requests_for_info,
    SUM(returned_drafts) AS returned_drafts,
    count_if(outcome IS NOT NULL AND process_family <> 'call' AND resolved) AS written_answered,
    count_if(master_answer) AS master_answers,
    count_if(knowledge_suggested) AS knowledge_suggested,
    count_if(knowledge_used) / NULLIF(count_if(knowledge_suggested), 0) AS knowledge_share,
    count_if(outcome IS NULL) AS backlog_open
FROM case_facts
GROUP BY GROUPING SETS ((channel), (unit), (kind), (opened_on), ())
ORDER BY dimension, group_name
"""
TURNS = 2  # find_duplicates and all pairs take turns this many times (least kept)


# -- generated input (working tree) -----------------------------------------------------------
def _at(record: object) -> datetime:
    from vss_care_core import Event, Inquiry, SatisfactionResponse  # noqa: PLC0415

    if isinstance(record, Inquiry):
        return record.received_at
    if isinstance(record, Event):
        return record.at
    assert isinstance(record, SatisfactionResponse)
    return record.answered_at


BLOCK_WEEKS = 2
"""Working weeks simulated for a log; a longer log repeats them, shifted (see
:func:`generate_log`)."""
_BLOCK_DAYS = 7 * BLOCK_WEEKS
_DATE = re.compile(rb'"([0-9]{4}-[0-9]{2}-[0-9]{2})T')
_WEEK_ID = re.compile(rb"w([0-9]{4})-")
HOW_MADE = (
    f"{BLOCK_WEEKS} simulated working weeks, repeated every {_BLOCK_DAYS} days with their "
    "ids renamed and their dates shifted (each requester recurs once per repetition, "
    "outside the 7-day re-contact window; the repetitions ignore holidays)"
)


class Line(NamedTuple):
    """One written line of a simulated block, with its time (POSIX seconds)."""

    at: float
    text: bytes
    is_event: bool


def simulated_block(events: int) -> list[Line]:
    """Simulate working weeks, up to :data:`BLOCK_WEEKS` or until ``events`` events; their
    lines in time order.

    Each week's cases go on for three more weeks (``settle_days``), so that they end as in a
    real centre; the weeks' records are merged in time order.
    """
    from vss_care_core import Event  # noqa: PLC0415 - workers only
    from vss_care_core.monitoring import encode_record  # noqa: PLC0415
    from vss_care_core.simulation import simulate  # noqa: PLC0415

    start = date(2026, 1, 5)
    lines: list[Line] = []
    for _ in range(BLOCK_WEEKS):
        records, _ = simulate(
            days=5, seed=start.toordinal(), start=start, id_prefix=f"w{start:%m%d}-", settle_days=21
        )
        week = [
            Line(_at(r).timestamp(), encode_record(r).encode(), isinstance(r, Event))  # type: ignore[arg-type]
            for r in records
        ]
        lines = list(heapq.merge(lines, week, key=attrgetter("at")))
        start += timedelta(days=7)
        if sum(line.is_event for line in lines) >= events:
            break
    return lines


def shifted(line: bytes, copy: int) -> bytes:
    """``line`` of the ``copy``-th repetition: its ids renamed, its dates moved on by
    ``copy`` blocks (whole days: the times of day and the offsets are kept as written)."""
    if copy == 0:
        return line
    days = timedelta(days=_BLOCK_DAYS * copy)

    def moved(match: re.Match[bytes]) -> bytes:
        day = date.fromisoformat(match.group(1).decode()) + days
        return b'"' + day.isoformat().encode() + b"T"

    return _WEEK_ID.sub(rb"r%dw\1-" % copy, _DATE.sub(moved, line))


def cached_block(events: int, cache: Path) -> list[Line]:
    """:func:`simulated_block`, kept in ``cache`` once a whole block was simulated (as lines
    ``<at> <0|1>\t<record>``), so that logs of other sizes reuse it."""
    kept = cache / f"block-{BLOCK_WEEKS}-weeks.txt"
    if kept.exists():
        lines = []
        with kept.open("rb") as stream:
            for row in stream:
                head, _, text = row.rstrip(b"\n").partition(b"\t")
                at, is_event = head.split()
                lines.append(Line(float(at), text, is_event == b"1"))
        return lines
    block = simulated_block(events)
    if sum(line.is_event for line in block) < events:  # the whole block: keep it
        with kept.open("wb") as out:
            for line in block:
                out.write(b"%r %d\t%s\n" % (line.at, line.is_event, line.text))
    return block


def generate_log(path: Path, events: int) -> tuple[int, int]:
    """Write a log of at least ``events`` events; return the counts of lines and events.

    :data:`BLOCK_WEEKS` working weeks are simulated (or fewer lines of them, for a small
    log); a longer log repeats that block every :data:`_BLOCK_DAYS` days, the repetitions
    merged in time order (simulating a year of weeks would take hours on a loaded machine).
    """
    block = cached_block(events, path.parent.parent)
    per_block = sum(line.is_event for line in block)
    copies = -(-events // per_block)
    shift = _BLOCK_DAYS * 86_400.0

    def repetition(copy: int) -> Iterator[tuple[float, int, bytes, bool]]:
        for line in block:
            yield line.at + copy * shift, copy, line.text, line.is_event

    written_events = lines = 0
    with path.open("wb") as out:
        for _, copy, text, is_event in heapq.merge(*(repetition(c) for c in range(copies))):
            if copies == 1 and written_events >= events:
                break  # a small log: the first lines of the block
            out.write(shifted(text, copy))
            out.write(b"\n")
            written_events += is_event
            lines += 1
    return lines, written_events


def generate_inquiries(path: Path, count: int) -> int:
    """Write ``count`` simulated inquiries (working weeks, one after another) to ``path``."""
    from vss_care_core import Inquiry  # noqa: PLC0415 - workers only
    from vss_care_core.monitoring import encode_record  # noqa: PLC0415
    from vss_care_core.simulation import simulate  # noqa: PLC0415

    written = 0
    start = date(2026, 1, 5)
    with path.open("w", encoding="utf-8") as out:
        for chunk in itertools.count():
            records, _ = simulate(days=5, seed=100 + chunk, start=start, id_prefix=f"d{chunk}-")
            for record in records:
                if isinstance(record, Inquiry) and written < count:
                    out.write(encode_record(record))
                    out.write("\n")
                    written += 1
            start += timedelta(days=7)
            if written >= count:
                return written
    return written


def generate_worker(args: argparse.Namespace) -> None:
    """Write the event log and the inquiries into ``--data``; print their sizes."""
    folder = Path(args.data)
    began = time.perf_counter()
    log, sizes = folder / "events.jsonl", folder / "sizes.txt"
    how = folder / "how.txt"
    if args.events and not sizes.exists():
        lines, events = generate_log(log, args.events)
        write_facts(log, folder / "facts.parquet")
        how.write_text(HOW_MADE + "\n")
        sizes.write_text(f"{lines} {events}\n")
    lines, events = (int(n) for n in sizes.read_text().split()) if args.events else (0, 0)
    counted = folder / f"inquiries-{args.inquiries}.jsonl"
    if not counted.exists():
        generate_inquiries(counted, args.inquiries)
    shutil.copyfile(counted, folder / "inquiries.jsonl")
    emit(
        lines=lines,
        events=events,
        inquiries=args.inquiries,
        megabytes=log.stat().st_size / 1e6 if args.events else 0.0,
        how=how.read_text().strip() if how.exists() else "simulated working weeks",
        seconds=time.perf_counter() - began,
    )


def write_facts(log: Path, out: Path) -> None:
    """The facts table of ``log`` as Parquet (working tree), for the SQL measurements."""
    from vss_care_core.monitoring import EventLogReader, write_case_facts  # noqa: PLC0415

    with log.open("rb") as stream:
        write_case_facts(EventLogReader(stream), out)


def floors_worker(args: argparse.Namespace) -> None:
    """One measurement of a floor, ``--mode``, in this fresh process: CPU seconds."""
    import duckdb  # noqa: PLC0415 - workers only
    import orjson  # noqa: PLC0415

    from vss_care_core.monitoring import kpi_sql  # noqa: PLC0415

    folder = Path(args.data)
    log = folder / "events.jsonl"
    with log.open("rb") as stream:  # warm the file cache
        for _ in stream:
            pass
    connection = duckdb.connect(config={"threads": 1})
    facts = str(folder / "facts.parquet")
    quoted = facts.replace("'", "''")  # a view's definition takes no parameter
    connection.execute(f"CREATE VIEW case_facts AS SELECT * FROM read_parquet('{quoted}')")  # noqa: S608

    def measured() -> object:
        if args.mode == "orjson":
            with log.open("rb") as stream:
                return sum(1 for line in stream if orjson.loads(line))
        if args.mode == "structs":
            with log.open("rb") as stream:
                return sum(1 for line in stream if FLOOR_STRUCTS.decode(line))
        if args.mode == "duckdb-json":
            return connection.execute(JSON_KPIS, {"path": str(log)}).fetchall()
        if args.mode == "facts-sql":
            return connection.execute(kpi_sql("kpis")).fetchall()
        if args.mode == "duckdb-parquet-same":
            return connection.execute(PARQUET_SAME).fetchall()
        return connection.execute(PARQUET_LEAST).fetchall()

    seconds, rows = timed(measured, collector=True)
    # a query's rows, its shares and means to 9 significant digits (sums added in another
    # order may differ in the last bits): whether two queries computed the same table
    shown: list[tuple[object, ...]] = []
    if isinstance(rows, list):
        for row in rows:
            shown.append(tuple(f"{v:.9g}" if isinstance(v, float) else v for v in row))
    emit(seconds=seconds, peak_kb=peak_rss_kb(), base_kb=peak_rss_kb(), rows=digest(shown))


# -- measurements -----------------------------------------------------------------------------
def peak_rss_kb() -> int:
    """This process's peak resident set size in KB (VmHWM: reset by exec, unlike ru_maxrss)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def sla_judge(calendar: WorkingCalendar) -> SlaJudge:
    """The default SLA judge on ``calendar``.

    Its factory ``default_sla_judge`` is in ``vss_care_core.sla`` now; the baseline has it in
    ``vss_care_core.monitoring``.
    """
    from vss_care_core import monitoring, sla  # noqa: PLC0415 - workers only

    for home in (sla, monitoring):
        make = getattr(home, "default_sla_judge", None)
        if make is not None:
            judge: SlaJudge = make(calendar=calendar)
            return judge
    raise LookupError("default_sla_judge is in neither vss_care_core.sla nor .monitoring")


def floor_fold(records: Iterable[object]) -> Counter[tuple[object, ...]]:
    """The least a streaming report does: keep each open case's moves and times, and count the
    ended cases by their sequence of moves. No KPI, no SLA, no re-contacts, no pruning."""
    from vss_care_core import CALL_PROCESS, WRITTEN_PROCESS, Event  # noqa: PLC0415

    outcomes = frozenset(CALL_PROCESS.outcome_codes + WRITTEN_PROCESS.outcome_codes)
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
        if record.to_state in outcomes:
            del open_cases[record.case_id]
            shapes[tuple(case[0])] += 1
    return shapes


def log_worker(args: argparse.Namespace) -> None:
    """One measurement of the log, ``--mode``, in this fresh process: CPU seconds, peak memory."""
    from vss_care_core import (  # noqa: PLC0415 - workers only
        EventLogReader,
        KpiSettings,
        compute_kpis,
        vietnam_calendar,
    )

    path = Path(args.data) / "events.jsonl"
    calendar = vietnam_calendar()
    settings = {
        "report": KpiSettings(calendar=calendar, sla=sla_judge(calendar)),
        # sla=None: the default (sla="default") would judge with the default policies
        "report-without-sla": KpiSettings(calendar=calendar, sla=None),
    }
    with path.open("rb") as stream:  # warm the file cache
        for _ in stream:
            pass
    base = peak_rss_kb()
    mode = args.mode.removesuffix("-traced")
    if args.mode.endswith("-traced"):
        tracemalloc.start()

    def measured() -> object:
        with path.open("rb") as stream:
            records = EventLogReader(stream)
            if mode == "parse":
                return sum(1 for _ in records)
            if mode == "floor":
                return floor_fold(records)
            if mode == "read":
                return sum(1 for _ in records.checked_records())
            return compute_kpis(records, settings=settings[mode])

    seconds, outcome = timed(measured, collector=True)
    result: dict[str, Any] = {"seconds": seconds, "peak_kb": peak_rss_kb(), "base_kb": base}
    if args.mode.endswith("-traced"):
        result["traced_kb"] = tracemalloc.get_traced_memory()[1] / 1024
        tracemalloc.stop()
    if mode.startswith("report"):
        result["digest"] = digest([outcome.model_dump_json()])  # type: ignore[attr-defined]
    emit(**result)


def read_inquiries(path: Path) -> list[Inquiry]:
    """The inquiries written by ``generate_inquiries``, read back with the event-log reader."""
    from vss_care_core import EventLogReader, Inquiry  # noqa: PLC0415 - workers only

    with path.open("rb") as stream:
        return [record for record in EventLogReader(stream) if isinstance(record, Inquiry)]


def duplicates_worker(args: argparse.Namespace) -> None:
    """``find_duplicates`` on all the inquiries and on the sample (both versions)."""
    from vss_care_core import find_duplicates  # noqa: PLC0415 - workers only

    inquiries = read_inquiries(Path(args.data) / "inquiries.jsonl")
    small = inquiries[: args.sample]
    whole, groups = timed(lambda: find_duplicates(inquiries, window=WEEK), collector=True)
    sample, _ = timed(lambda: find_duplicates(small, window=WEEK), collector=True)
    emit(
        seconds={"find_duplicates": whole, "find_duplicates_sample": sample},
        digest=digest(sorted(group.members for group in groups)),
    )


def shingles(inquiry: Inquiry) -> frozenset[tuple[str, str]]:
    """The same word pairs find_duplicates compares (folded, diacritics removed)."""
    from vss_care_core.models import words  # noqa: PLC0415 - workers only

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


def all_pairs_worker(args: argparse.Namespace) -> None:
    """All pairs against ``find_duplicates`` on the sample, in turn (working tree only)."""
    from vss_care_core import find_duplicates  # noqa: PLC0415 - workers only

    small = read_inquiries(Path(args.data) / "inquiries.jsonl")[: args.sample]
    ways = {
        "ours": lambda: find_duplicates(small, window=WEEK),
        "pairs": lambda: all_pairs(small),
    }
    seconds: dict[str, list[float]] = {name: [] for name in ways}
    for turn in range(TURNS):
        for name in list(ways) if turn % 2 == 0 else list(reversed(ways)):
            spent, _ = timed(ways[name], collector=True)
            seconds[name].append(spent)
    groups = find_duplicates(small, window=WEEK)
    group_of = {m: n for n, g in enumerate(groups) for m in g.members}
    exact = all_pairs(small)
    kept = sum(1 for a, b in exact if a in group_of and group_of[a] == group_of.get(b))
    emit(
        ours=min(seconds["ours"]),
        pairs=min(seconds["pairs"]),
        links=len(exact),
        kept=kept,
        count=len(small),
    )


# -- the parent -------------------------------------------------------------------------------
def round_ratios(runs: list[Result], mode: str, base: str) -> str:
    """The ratio of ``mode`` to ``base`` in each round, as text."""
    return ", ".join(f"{run['seconds'][mode] / run['seconds'][base]:.2f}" for run in runs)


def measure_log(version: Version, common: list[str]) -> Result:
    """One round of one version: the parse and the reports in turn, each in a fresh process
    (and the least fold, on the working tree); their seconds and memory, as one result."""
    modes = [*MODES, "floor", "read"] if version == WORKING_TREE else list(MODES)
    found = {
        mode: run_worker(version, __file__, [*common, "--worker", "log", "--mode", mode])
        for mode in modes
    }
    if version == WORKING_TREE:
        for mode in FLOORS:
            found[mode] = run_worker(
                version, __file__, [*common, "--worker", "floors", "--mode", mode]
            )
            modes.append(mode)
    return {
        "seconds": {mode: found[mode]["seconds"] for mode in modes},
        "peak_kb": {mode: found[mode]["peak_kb"] for mode in modes},
        "base_kb": {mode: found[mode]["base_kb"] for mode in modes},
        "rows": {mode: found[mode]["rows"] for mode in FLOORS if mode in found},
        "digest": found["report"]["digest"],
    }


def print_targets(mine: list[Result], made: Result) -> None:
    """The 1M-event targets: the report against the orjson floor, the SQL against DuckDB's."""
    print(f"   Floors and targets ({made['events']:,} events):")
    for mode, label in FLOORS.items():
        print(f"   {label:<44} {least(mine, mode):8.2f} s")
    report, floor = least(mine, "report"), least(mine, "orjson")
    sql, own = least(mine, "facts-sql"), least(mine, "duckdb-parquet-same")
    same = all(run["rows"]["facts-sql"] == run["rows"]["duckdb-parquet-same"] for run in mine)
    mark = "PASS" if report / floor <= 5 else "FAIL"
    print(f"   ratio whole report / orjson floor:   {report / floor:5.2f}x (target <= 5x) [{mark}]")
    read, structs = least(mine, "read"), least(mine, "structs")
    print(
        f"   ratio typed Structs / orjson floor:  {structs / floor:5.2f}x; the report's reading "
        f"alone / orjson floor: {read / floor:5.2f}x"
    )
    print(f"   ratio whole report / its reading alone: {report / read:5.2f}x")
    mark = "PASS" if sql / own <= 2 and same else "FAIL"
    print(
        f"   ratio KPI SQL / DuckDB's own query of the same figures: {sql / own:5.2f}x "
        f"(target <= 2x) [{mark}]; same rows: {'yes' if same else 'NO'}"
    )
    print(
        f"   ratio KPI SQL / DuckDB's least query (4 figures, no breakdown): "
        f"{sql / least(mine, 'duckdb-parquet'):5.2f}x"
    )
    print(
        f"   ratio whole report / DuckDB from the JSONL: "
        f"{report / least(mine, 'duckdb-json'):5.2f}x"
    )
    peak = max(run["peak_kb"]["report"] for run in mine) / 1024
    print(f"   peak RSS of the whole report: {peak:,.0f} MB at {made['events']:,} events")
    print()


def print_log(results: dict[str, list[Result]], made: Result, traced: Result) -> None:
    """The headline figures of the report, working tree (and the baseline's ratio)."""
    mine = results[WORKING_TREE.name]
    rounds = len(mine)
    print(f"1. Report over a generated log of {made['lines']:,} lines ({made['events']:,} events,")
    print(f"   {made['megabytes']:,.0f} MB), working tree; {rounds} rounds of fresh processes,")
    print("   least CPU seconds; peak RSS the largest of the rounds")
    for mode, label in [*MODES.items(), ("floor", FLOOR), ("read", READ)]:
        peak = max(run["peak_kb"][mode] for run in mine) / 1024
        base = max(run["base_kb"][mode] for run in mine) / 1024
        print(
            f"   {label:<44} {least(mine, mode):8.2f} s   "
            f"peak RSS {peak:,.0f} MB ({base:,.0f} MB before reading the log)"
        )
    print(
        "   peak memory allocated by the whole report (tracemalloc): "
        f"{traced['traced_kb'] / 1024:,.0f} MB"
    )
    parse, full = least(mine, "parse"), least(mine, "report")
    plain, floor = least(mine, "report-without-sla"), least(mine, "floor")
    lines = made["lines"]
    print(f"   per line: parse {parse / lines * 1e6:.1f} µs, report {full / lines * 1e6:.1f} µs")
    mark = "PASS" if full / parse <= 1.5 else "FAIL"
    print(
        f"   ratio whole report / parse:        {full / parse:5.2f}x (target <= 1.5x) [{mark}]; "
        f"rounds: {round_ratios(mine, 'report', 'parse')}"
    )
    print(
        f"   ratio report without SLA / parse:  {plain / parse:5.2f}x; "
        f"rounds: {round_ratios(mine, 'report-without-sla', 'parse')}"
    )
    print(f"   ratio least fold / parse:          {floor / parse:5.2f}x")
    for name, runs in results.items():
        if name != WORKING_TREE.name:
            ratio = least(runs, "report") / least(runs, "parse")
            print(
                f"   ({name}: whole report / parse {ratio:.2f}x; "
                f"rounds: {round_ratios(runs, 'report', 'parse')})"
            )
    print()


def print_pairs(found: Result, inquiries: int, whole: float) -> None:
    """The comparison of find_duplicates with all pairs (working tree)."""
    count = found["count"]
    print(f"2. find_duplicates on {inquiries:,} inquiries, all pairs on {count:,} (working tree,")
    print(f"   the two in turn {TURNS}x on the sample, least CPU seconds)")
    print(f"   {f'find_duplicates, {inquiries:,} inquiries':<44} {whole:8.2f} s")
    print(f"   {f'find_duplicates, {count:,} inquiries':<44} {found['ours']:8.2f} s")
    print(f"   {f'all pairs, {count:,} inquiries':<44} {found['pairs']:8.2f} s")
    print(f"   exact links on {count:,}: {found['links']:,}; inside our groups: {found['kept']:,}")
    extrapolated = found["pairs"] * (inquiries / count) ** 2
    print(f"   all pairs extrapolated to {inquiries:,}: {extrapolated:10,.0f} s")
    print(f"   ratio on {count:,}: all pairs / ours {found['pairs'] / found['ours']:8.1f}x")
    print(
        f"   ratio on {inquiries:,}: all pairs (extrapolated) / ours {extrapolated / whole:8.1f}x"
    )
    print(
        f"   growth of ours from {count:,} to {inquiries:,}: {whole / found['ours']:.1f}x "
        f"for {inquiries / count:.0f}x the inquiries"
    )
    print()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or one of its workers); 1 if a figure is over budget."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50_000, help="events in the log (0: none)")
    parser.add_argument("--inquiries", type=int, default=10_000, help="inquiries for duplicates")
    parser.add_argument("--sample", type=int, default=1_000, help="inquiries compared in pairs")
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--mode", help=argparse.SUPPRESS)
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "vss-care-bench-report",
        help="where generated logs are kept, one folder per size (default: %(default)s)",
    )
    add_options(parser)
    args = parser.parse_args(argv)
    check_counts(parser, args, "inquiries", "sample", "rounds")
    if args.events < 0 or args.sample > args.inquiries:
        parser.error("--events must be 0 or more, and --sample at most --inquiries")
    workers = {
        "generate": generate_worker,
        "log": log_worker,
        "floors": floors_worker,
        "duplicates": duplicates_worker,
        "pairs": all_pairs_worker,
    }
    if args.worker in workers:
        workers[args.worker](args)
        return 0

    started = time.perf_counter()
    sizes = ["--events", str(args.events), "--inquiries", str(args.inquiries)]
    sizes += ["--sample", str(args.sample)]
    try:
        with versions(args.baseline) as found:
            describe("Monitoring: the report against the parse, duplicates", found, args.rounds)
            folder = args.cache / f"events-{args.events}"
            folder.mkdir(parents=True, exist_ok=True)
            common = [*sizes, "--data", str(folder)]
            made = run_worker(WORKING_TREE, __file__, [*common, "--worker", "generate"])
            print(f"generated the input in {made['seconds']:.0f} s (cached in {folder})")
            print(f"the log: {made['how']}")
            print()
            if args.events:
                logs = in_rounds(found, args.rounds, lambda v: measure_log(v, common))
                traced_mode = [*common, "--worker", "log", "--mode", "report-traced"]
                traced = run_worker(WORKING_TREE, __file__, traced_mode)
            duplicates = in_rounds(
                found,
                args.rounds,
                lambda v: run_worker(v, __file__, [*common, "--worker", "duplicates"]),
            )
            pairs = run_worker(WORKING_TREE, __file__, [*common, "--worker", "pairs"])
    except BenchmarkError as error:
        return fail(__file__, error)

    within = True
    if args.events:
        print_log(logs, made, traced)
        print_targets(logs[WORKING_TREE.name], made)
        print("   The log against the baseline, least CPU seconds of the rounds:")
        within = compare(logs, MODES)
    whole = least(duplicates[WORKING_TREE.name], "find_duplicates")
    print_pairs(pairs, args.inquiries, whole)
    print("   Duplicates against the baseline, least CPU seconds of the rounds:")
    labels = {
        "find_duplicates": f"find_duplicates, {args.inquiries:,} inquiries",
        "find_duplicates_sample": f"find_duplicates, {args.sample:,} inquiries",
    }
    within = compare(duplicates, labels) and within
    print(f"Total time {time.perf_counter() - started:,.1f} s")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
