"""``vss-care report`` and ``vss-care demo``: KPIs from an event log, and the simulation."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from vss_care_core.cli._common import input_file, note, writable
from vss_care_core.cli._progress import Progress
from vss_care_core.errors import CareCoreError, InvalidInputError, LogFormatError
from vss_care_core.inputs import read_lines
from vss_care_core.knowledge import StaleEntry, load_knowledge_base, sample_knowledge_base
from vss_care_core.models import Inquiry
from vss_care_core.monitoring import (
    EVENT_LOG_SCHEMA,
    GROUPINGS,
    REMOVED_TEXT,
    EventLogReader,
    KpiAccumulator,
    KpiReport,
    KpiSettings,
    Surge,
    detect_surges,
    render_csv,
    render_html,
    render_table,
)
from vss_care_core.sla import default_sla_judge

__all__ = ["register"]

_SAMPLE = "sample"


def register(subparsers: Any) -> None:
    """Add ``report`` and ``demo``."""
    report = subparsers.add_parser(
        "report",
        help="KPIs from an event log (JSON Lines): table, JSON or a self-contained HTML page",
    )
    report.add_argument(
        "events", type=input_file, help="the event log (vss-care-events/1 JSON Lines)"
    )
    report.add_argument(
        "--from", dest="start", type=_date, help="only cases opened on or after this date"
    )
    report.add_argument("--to", dest="end", type=_date, help="only cases opened up to this date")
    report.add_argument(
        "--by", choices=GROUPINGS, help="one row per channel, unit, step, kind or day"
    )
    report.add_argument(
        "--format",
        choices=("table", "json", "html", "csv"),
        default="table",
        help="default: table; csv for spreadsheets (UTF-8 with a byte-order mark)",
    )
    report.add_argument(
        "--lang",
        choices=("vi", "en"),
        default="vi",
        help="the language of the labels: vi (Vietnamese, the default) or en (English)",
    )
    report.add_argument(
        "--skip-bad",
        action="store_true",
        help="skip malformed lines and count them, instead of stopping at the first",
    )
    report.add_argument(
        "--no-sla",
        action="store_true",
        help="leave out SLA compliance (each ended case is rebuilt to judge it): about 3x faster",
    )
    report.add_argument(
        "--surges",
        action="store_true",
        help="run the surge detector over the log's inquiries and show the surges (not in json)",
    )
    report.add_argument(
        "--knowledge",
        nargs="?",
        const=_SAMPLE,
        metavar="BANK",
        help="show the knowledge entries citing a law no longer in force at the period's end "
        "(BANK: a knowledge base JSON file; without it, the sample bank)",
    )
    report.add_argument("--out", type=Path, help="write to this file instead of stdout")
    report.set_defaults(handler=_report)
    _register_demo(subparsers)


def _register_demo(subparsers: Any) -> None:
    from vss_care_core.simulation import DEFAULT_SEED, DEFAULT_START  # noqa: PLC0415

    demo = subparsers.add_parser(
        "demo",
        help="simulate the Customer Care Center for a few working days and report on it",
    )
    demo.add_argument("--days", type=int, default=5, help="working days to simulate (default 5)")
    demo.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="the report's language (default vi)"
    )
    demo.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default 2021)")
    demo.add_argument(
        "--start",
        type=_date,
        default=DEFAULT_START,
        help=f"first day, YYYY-MM-DD (default {DEFAULT_START.isoformat()})",
    )
    demo.add_argument(
        "--out",
        type=Path,
        default=Path("vss-care-demo"),
        help="directory for events.jsonl and report.html (default ./vss-care-demo)",
    )
    demo.set_defaults(handler=_demo)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        message = f"{text!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-03-02"
        raise argparse.ArgumentTypeError(message) from None


def _progress(lines: Iterable[bytes], progress: Progress) -> Iterator[bytes]:
    """The lines, telling ``progress`` how many bytes were read (on a terminal only)."""
    done = 0
    for line in lines:
        done += len(line)
        progress.update(done)
        yield line
    progress.finish()


def _read(
    path: Path,
    accumulator: KpiAccumulator,
    *,
    skip_bad: bool,
    inquiries: list[Inquiry] | None = None,
) -> EventLogReader:
    """Feed the log to ``accumulator``; a refusal names the file and the line, in the user's
    terms."""
    size = path.stat().st_size if path.is_file() else 0
    progress = Progress(size, "MB read", sys.stderr, scale=1e6)
    reader = EventLogReader(_progress(read_lines(path), progress), skip_bad=skip_bad)
    try:
        if inquiries is None:
            accumulator.add_all(reader)  # events as their checked fields: no model per line
        else:
            for record in reader:
                accumulator.add(record)
                if isinstance(record, Inquiry):
                    inquiries.append(record)
    except LogFormatError as error:
        raise InvalidInputError(
            f"{path}, line {error.line}: {error.problem} (to skip malformed lines and count "
            "them, add --skip-bad)"
        ) from None
    except CareCoreError as error:
        if str(error).startswith(str(path)):
            raise  # the file itself was refused (missing, a directory, UTF-16): it is named
        raise InvalidInputError(f"{path}, line {reader.lines_read}: {error}") from None
    return reader


def _say_what_was_read(path: Path, reader: EventLogReader, args: argparse.Namespace) -> None:
    """Never silent: skipped lines, an empty log, a period that holds nothing."""
    if args.skip_bad:
        shown = ", ".join(str(n) for n in reader.bad_lines[:10])
        where = f" (lines {shown}{', …' if reader.skipped > 10 else ''})" if shown else ""
        note(f"{path}: skipped {reader.skipped} malformed line(s){where}")
    if reader.records:
        return
    if reader.skipped:
        raise InvalidInputError(
            f"{path}: no line holds a valid record ({reader.skipped:,} malformed, skipped): is "
            f"it a vss-care event log ({EVENT_LOG_SCHEMA})?"
        )
    what = "is empty" if reader.lines_read == 0 else "holds no record (only blank lines)"
    note(f"{path} {what}: the report has no data")


def _period_note(path: Path, report: KpiReport, args: argparse.Namespace) -> None:
    if (args.start or args.end) and report.records and not report.volume:
        period = " ".join(
            f"{option} {day.isoformat()}"
            for option, day in (("--from", args.start), ("--to", args.end))
            if day is not None
        )
        note(f"no case of {path} was opened in the period asked ({period}): the report is empty")


def _report(args: argparse.Namespace) -> int:
    if args.start and args.end and args.end < args.start:
        raise InvalidInputError(
            f"--to {args.end.isoformat()} is before --from {args.start.isoformat()}: swap them"
        )
    if args.out is not None:
        writable(args.out, "--out")
    judge = None if args.no_sla else default_sla_judge()
    settings = KpiSettings(period_start=args.start, period_end=args.end, sla=judge)
    accumulator = KpiAccumulator(settings=settings)
    path: Path = args.events
    inquiries: list[Inquiry] | None = [] if args.surges else None
    reader = _read(path, accumulator, skip_bad=args.skip_bad, inquiries=inquiries)
    _say_what_was_read(path, reader, args)
    report = accumulator.report()
    _period_note(path, report, args)
    surges = _surges(path, inquiries)
    stale_on = args.end or (report.as_of.date() if report.as_of is not None else None)
    stale = _stale(args.knowledge, stale_on)
    if args.format == "json":
        text = _json(report, args.by)
    elif args.format == "html":
        text = render_html(
            report,
            lang=args.lang,
            by=args.by,
            surges=surges,
            stale_entries=stale,
            stale_on=stale_on,
        )
    elif args.format == "csv":
        text = render_csv(report, by=args.by, lang=args.lang)
    else:
        text = render_table(
            report,
            by=args.by,
            lang=args.lang,
            surges=surges,
            stale_entries=stale,
            stale_on=stale_on,
        )
    if args.out is None:
        sys.stdout.write(text)
    else:
        try:
            args.out.write_text(text, encoding="utf-8", newline="")
        except OSError as error:
            raise InvalidInputError(
                f"{args.out} (--out) cannot be written: {error.strerror or error}"
            ) from None
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


def _surges(path: Path, inquiries: list[Inquiry] | None) -> list[Surge] | None:
    """The surges in the log's inquiries; None when not asked, or when the texts were removed
    (a pseudonymised log: said on stderr)."""
    if inquiries is None:
        return None
    if inquiries and all(inquiry.content == REMOVED_TEXT for inquiry in inquiries):
        note(
            f"{path}: no surge can be computed: the inquiries' texts were removed "
            "(a pseudonymised log)"
        )
        return None
    return detect_surges(inquiries)


def _stale(bank: str | None, on: date | None) -> tuple[StaleEntry, ...] | None:
    """The entries of ``bank`` citing a document no longer in force ``on``; None when not
    asked."""
    if bank is None or on is None:
        return None
    base = sample_knowledge_base() if bank == _SAMPLE else load_knowledge_base(input_file(bank))
    return base.stale_entries(on=on)


def _json(report: KpiReport, by: str | None) -> str:
    """The report as JSON; with ``--by``, only that grouping's figures."""
    if by is None:
        return report.model_dump_json(indent=2) + "\n"
    found: Mapping[str, BaseModel] = report.by_step if by == "step" else report.group(by)
    groups = {name: figures.model_dump(mode="json") for name, figures in found.items()}
    return json.dumps({"by": by, "groups": groups}, ensure_ascii=False, indent=2) + "\n"


def _demo(args: argparse.Namespace) -> int:
    from vss_care_core.simulation import run_demo  # noqa: PLC0415 - the heaviest command

    if args.days < 1:
        raise InvalidInputError(f"--days must be at least 1 working day (got {args.days})")
    if args.out.exists() and not args.out.is_dir():
        raise InvalidInputError(
            f"{args.out} (--out) is a file: give a directory for events.jsonl and report.html"
        )
    try:
        progress = Progress(args.days, "working days simulated", sys.stderr)
        result = run_demo(
            days=args.days,
            seed=args.seed,
            start=args.start,
            out=args.out,
            lang=args.lang,
            progress=progress.update,
        )
        progress.finish()
    except OSError as error:
        raise InvalidInputError(
            f"{args.out} (--out) cannot be written: {error.strerror or error}"
        ) from None
    print(result.summary)
    return 0
