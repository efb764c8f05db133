"""`vss-care due`, `surges` and `export`: work due now, floods, logs and facts for sharing."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from vss_care_core.cli._common import input_file, note, writable
from vss_care_core.due import due
from vss_care_core.errors import CareCoreError, InvalidInputError, LogFormatError
from vss_care_core.inputs import read_lines
from vss_care_core.models import VIETNAM_TZ, Event, Inquiry
from vss_care_core.monitoring import (
    EventLogReader,
    LogRecord,
    Surge,
    SurgeDetector,
    encode_record,
    pseudonymise,
    write_case_facts,
)
from vss_care_core.process import Case
from vss_care_core.store import open_store

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``due`` and ``surges`` commands."""
    due_parser = subparsers.add_parser(
        "due",
        help="what is due at a moment on the open cases of an event log: SLA alerts and rules",
    )
    due_parser.add_argument(
        "events", nargs="?", type=input_file, help="the event log (JSON Lines), or --store"
    )
    due_parser.add_argument(
        "--store",
        metavar="STORE",
        help="a case store (a SQLite file or a postgresql:// URL) instead of a log",
    )
    due_parser.add_argument(
        "--at",
        required=True,
        type=_moment,
        help="the moment to ask about, with its offset, e.g. 2026-03-02T14:30+07:00",
    )
    due_parser.add_argument("--format", choices=("table", "json"), default="table")
    due_parser.set_defaults(handler=_due)
    surges = subparsers.add_parser(
        "surges", help="floods of the same question in an event log's inquiries, as they started"
    )
    surges.add_argument("events", type=input_file, help="the event log (JSON Lines)")
    surges.add_argument("--from", dest="start", type=_moment, help="only inquiries from then")
    surges.add_argument("--to", dest="end", type=_moment, help="only inquiries up to then")
    surges.add_argument("--format", choices=("table", "json"), default="table")
    surges.set_defaults(handler=_surges)
    export = subparsers.add_parser(
        "export",
        help="write an event log for sharing: pseudonymised (identifiers hashed); or, with "
        "--parquet, the per-case facts table",
    )
    export.add_argument("events", type=input_file, help="the event log (JSON Lines)")
    export.add_argument(
        "--pseudonymise",
        action="store_true",
        help="replace identifiers by keyed hashes and drop names and free text (what export "
        "always does: the original log is the file itself)",
    )
    export.add_argument(
        "--key-file",
        type=_key_file,
        help="a file holding the secret key (at least 16 bytes; e.g. head -c 32 /dev/urandom); "
        "needed for a pseudonymised log",
    )
    export.add_argument(
        "--parquet",
        action="store_true",
        help="write the per-case facts table instead (one row per case, no personal data) as "
        "a Parquet file to --out; needs the parquet extra (pip install 'vss-care-core[parquet]')",
    )
    export.add_argument("--out", type=Path, help="write to this file instead of stdout")
    export.set_defaults(handler=_export)


def _key_file(text: str) -> Path:
    """A key file holds secret bytes, any bytes: it is read as it is, not as text."""
    return Path(text)


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a moment: write it as 2026-03-02T14:30+07:00"
        ) from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} has no time zone: add its offset, e.g. {text}+07:00"
        )
    return moment


def _records(path: Path) -> Iterator[LogRecord]:
    reader = EventLogReader(read_lines(path))
    try:
        yield from reader
    except LogFormatError as error:
        raise InvalidInputError(f"{path}, line {error.line}: {error.problem}") from None


def _open_cases(path: Path, at: datetime) -> list[Case]:
    """The cases of the log still open at ``at``, rebuilt from their events up to then."""
    inquiries: dict[str, Inquiry] = {}
    histories: dict[str, list[Event]] = {}
    for record in _records(path):
        if isinstance(record, Inquiry):
            inquiries[record.id] = record
        elif isinstance(record, Event) and record.at <= at:
            histories.setdefault(record.case_id, []).append(record)
    cases = []
    for events in histories.values():
        inquiry_id = events[0].data.get("inquiry_id")
        inquiry = inquiries.get(inquiry_id) if isinstance(inquiry_id, str) else None
        if inquiry is None:
            continue
        try:
            case = Case.replay(inquiry, events, trusted=True)
        except CareCoreError as error:
            note(f"{path}: case {events[0].case_id!r} not rebuilt: {error}")
            continue
        if case.is_open:
            cases.append(case)
    return cases


def _due(args: argparse.Namespace) -> int:
    if (args.events is None) == (args.store is None):
        raise InvalidInputError("give an event log or --store STORE (one of the two)")
    if args.store is not None:
        store = open_store(args.store)
        try:
            items = due(store, at=args.at)
        finally:
            store.close()
        where = args.store
        opened = "the store's"
    else:
        cases = _open_cases(args.events, args.at)
        items = due(cases, at=args.at)
        where = args.events
        opened = str(len(cases))
    if args.format == "json":
        print(json.dumps([item.model_dump(mode="json") for item in items], ensure_ascii=False))
        return 0
    note(f"{where}: {opened} open case(s) at {args.at.isoformat()}, {len(items)} due")
    for item in items:
        local = item.due_at.astimezone(VIETNAM_TZ).strftime("%Y-%m-%d %H:%M")
        action = item.action or "notice"
        print(f"{item.kind.value:12}  {item.case_id:34}  {local}  {action:14}  {item.reason_en}")
    return 0


def _export(args: argparse.Namespace) -> int:
    if args.parquet:
        return _export_facts(args)
    key_path: Path | None = args.key_file
    if key_path is None:
        raise InvalidInputError(
            "export writes a pseudonymised log: give --key-file KEY (make one with: "
            "head -c 32 /dev/urandom > KEY), or --parquet --out FILE for the facts table"
        )
    if not key_path.is_file():
        raise InvalidInputError(f"{key_path} (--key-file) is not a file: give the key's file")
    key = key_path.read_bytes()
    if len(key) < 16:
        raise InvalidInputError(
            f"{key_path} (--key-file) holds {len(key)} bytes: a key needs at least 16 "
            "(make one with: head -c 32 /dev/urandom > KEY)"
        )
    lines = [encode_record(record) for record in pseudonymise(_records(args.events), key=key)]
    if not lines:
        note(f"{args.events} holds no record: nothing to export")
    text = "".join(f"{line}\n" for line in lines)
    if args.out is None:
        sys.stdout.write(text)
    else:
        writable(args.out, "--out")
        args.out.write_text(text, encoding="utf-8")
        note(f"wrote {len(lines)} pseudonymised records to {args.out}")
    return 0


def _export_facts(args: argparse.Namespace) -> int:
    out: Path | None = args.out
    if out is None:
        raise InvalidInputError("--parquet writes a file: give --out FILE.parquet")
    writable(out, "--out")
    partial = out.with_name(out.name + ".part")  # a log that fails midway leaves no file
    try:
        report = write_case_facts(_records(args.events), partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(out)
    cases = report.overall.ended + report.overall.backlog.open
    note(f"wrote the facts of {cases} cases ({report.overall.ended} ended) to {out}")
    return 0


def _surges(args: argparse.Namespace) -> int:
    if args.start is not None and args.end is not None and args.end < args.start:
        raise InvalidInputError("--to is before --from: swap them")
    inquiries = [
        record
        for record in _records(args.events)
        if isinstance(record, Inquiry)
        and (args.start is None or record.received_at >= args.start)
        and (args.end is None or record.received_at <= args.end)
    ]
    inquiries.sort(key=lambda q: (q.received_at, q.id))
    detector = SurgeDetector()
    raised: list[Surge] = detector.add_all(inquiries)
    if args.format == "json":
        print(json.dumps([s.model_dump(mode="json") for s in raised], ensure_ascii=False))
        return 0
    note(f"{args.events}: {len(inquiries)} inquiries read, {len(raised)} surge(s)")
    for surge in raised:
        started = surge.started_at.astimezone(VIETNAM_TZ).strftime("%Y-%m-%d %H:%M")
        channels = ", ".join(f"{k} {v}" for k, v in surge.by_channel.items())
        print(
            f"{started}  {surge.recent_count} in the last 2 working hours "
            f"({surge.rate_per_hour}/h, before {surge.baseline_per_hour}/h)  "
            f"{' '.join(surge.keywords)}  [{channels}]"
        )
    sys.stdout.flush()
    return 0
