"""``vss-care store``: create a case store, import an event log into it, export its outbox.

``STORE`` is the path of a SQLite file or a ``postgresql://`` URL. An import is one
transaction: a log with a bad line, or a move its case does not allow, stores nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from vss_care_core.cli._common import input_file, note, writable
from vss_care_core.errors import CareCoreError, InvalidInputError, LogFormatError
from vss_care_core.inputs import read_lines
from vss_care_core.models import Event, Inquiry
from vss_care_core.monitoring import EVENT_LOG_SCHEMA, EventLogReader, encode_record
from vss_care_core.store import CaseStore, StoreError, open_store

__all__ = ["register"]

_STORE_HELP = "the store: a SQLite file path, or a postgresql://user@host:port/database URL"


def register(subparsers: Any) -> None:
    """Add ``store init``, ``store import`` and ``store export``."""
    store = subparsers.add_parser(
        "store", help="a case store (SQLite file or PostgreSQL): create, import, export"
    )
    commands = store.add_subparsers(title="store commands", metavar="COMMAND")

    init = commands.add_parser(
        "init", help="create a case store, or bring an older one to this version's schema"
    )
    init.add_argument("store", metavar="STORE", type=_location, help=_STORE_HELP)
    init.set_defaults(handler=_init)

    load = commands.add_parser(
        "import", help="store the inquiries and events of an event log (JSON Lines)"
    )
    load.add_argument("store", metavar="STORE", type=_location, help=_STORE_HELP)
    load.add_argument(
        "log", metavar="LOG", type=input_file, help=f"the event log ({EVENT_LOG_SCHEMA} lines)"
    )
    load.set_defaults(handler=_import)

    export = commands.add_parser(
        "export", help="write the store's outbox as an event log (JSON Lines), in order"
    )
    export.add_argument("store", metavar="STORE", type=_location, help=_STORE_HELP)
    start = export.add_mutually_exclusive_group()
    start.add_argument(
        "--from-cursor",
        metavar="N",
        type=_position,
        default=None,
        help="only the records after position N (the last position exported before)",
    )
    start.add_argument(
        "--consumer",
        metavar="NAME",
        help="resume after the position NAME acknowledged, and acknowledge the last one written",
    )
    export.add_argument(
        "-o",
        "--out",
        metavar="OUT",
        type=_output,
        help="write to this file (replaced only once complete) instead of stdout",
    )
    export.set_defaults(handler=_export)


def _location(text: str) -> str:
    if not text:
        raise argparse.ArgumentTypeError("give a SQLite file path or a postgresql:// URL")
    return text


def _position(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        message = f"{text!r} is not a position: give a whole number from 0 (0 exports everything)"
        raise argparse.ArgumentTypeError(message)
    return value


def _output(text: str) -> Path:
    """The file the export writes (an output: the bad-input corpus is for files read)."""
    return Path(text)


def _init(args: argparse.Namespace) -> int:
    with open_store(args.store) as store:
        print(
            f"{store.where}: case store ready (schema version {store.schema_version}, "
            f"{store.last_position():,} records in its outbox)"
        )
    return 0


def _records(reader: EventLogReader, skipped: list[int]) -> Iterator[Inquiry | Event]:
    """The inquiries and events of the log; survey responses are counted, not stored."""
    for record in reader:
        if isinstance(record, Inquiry | Event):
            yield record
        else:
            skipped.append(reader.lines_read)


def _import(args: argparse.Namespace) -> int:
    path: Path = args.log
    with open_store(args.store, create=False) as store:
        reader = EventLogReader(read_lines(path))
        surveys: list[int] = []
        try:
            summary = store.import_records(_records(reader, surveys))
        except LogFormatError as error:
            raise InvalidInputError(
                f"{path}, line {error.line}: {error.problem}; nothing was imported"
            ) from None
        except StoreError:
            raise
        except CareCoreError as error:
            if str(error).startswith(str(path)):
                raise  # the file itself was refused (missing, a directory, UTF-16): it is named
            raise InvalidInputError(
                f"{path}, line {reader.lines_read}: {error}; nothing was imported"
            ) from None
        if reader.records == 0:
            what = "is empty" if reader.lines_read == 0 else "holds no record (only blank lines)"
            note(f"{path} {what}: nothing was imported")
            return 0
        if surveys:
            note(
                f"{path}: {len(surveys):,} satisfaction response(s) left out (a case store keeps "
                f"inquiries and events; the first on line {surveys[0]})"
            )
        already = (
            f"; {summary.already_stored:,} record(s) were stored already"
            if summary.already_stored
            else ""
        )
        print(
            f"{store.where}: imported {summary.inquiries:,} inquiries and {summary.events:,} "
            f"events from {path}{already}"
        )
    return 0


def _write_lines(store: CaseStore, after: int, out: TextIO) -> int:
    """Write the records after ``after``; return the position of the last one written."""
    last = after
    for item in store.outbox(after=after):
        out.write(encode_record(item.record))
        out.write("\n")
        last = item.position
    return last


def _export(args: argparse.Namespace) -> int:
    target: Path | None = writable(args.out, "-o") if args.out is not None else None
    with open_store(args.store, create=False) as store:
        consumer: str | None = args.consumer
        after = store.cursor(consumer) if consumer is not None else args.from_cursor or 0
        if target is None:
            last = _write_lines(store, after, sys.stdout)
            sys.stdout.flush()
        else:
            last = _export_to_file(store, after, target)
        if consumer is not None and last > after:
            store.acknowledge(consumer, last)
        if last == after:
            note(f"{store.where}: no record after position {after}: nothing exported")
        else:
            resume = f"consumer {consumer!r} acknowledged" if consumer else "continue with"
            flag = f"position {last}" if consumer else f"--from-cursor {last}"
            note(f"exported positions {after + 1}–{last}; {resume} {flag}")
    return 0


def _export_to_file(store: CaseStore, after: int, target: Path) -> int:
    """Write to a file beside ``target`` and put it in place only once complete."""
    folder = target.parent if str(target.parent) else Path()
    descriptor, partial = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as out:
            last = _write_lines(store, after, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return last
