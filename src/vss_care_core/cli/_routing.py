"""``vss-care route``, ``vss-care rules check`` and ``vss-care rules diff``.

Rules files are TOML, or JSON when their name ends in ``.json`` (the document of
:meth:`~vss_care_core.routing.RoutingTable.from_dict`).
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from vss_care_core.cli._common import input_file, name_of, named, note, parse_inquiry, read_input
from vss_care_core.errors import InvalidInputError, RoutingTableError
from vss_care_core.inputs import (
    MAX_LINE_BYTES,
    decode_text,
    load_document,
    load_json,
    read_lines,
)
from vss_care_core.models import Inquiry
from vss_care_core.routing import (
    MAX_TABLE_BYTES,
    Directory,
    RoutingTable,
    check_table,
    vss_directory,
)

__all__ = ["register"]

_RULES = "a rules file (TOML, or JSON if its name ends in .json)"


def register(subparsers: Any) -> None:
    """Add ``route`` and ``rules`` (``check``, ``diff``)."""
    route = subparsers.add_parser(
        "route", help="route an inquiry in a JSON file: print the decision or its explanation"
    )
    route.add_argument(
        "inquiry", type=input_file, help="a JSON file holding one inquiry ('-': stdin)"
    )
    route.add_argument("--rules", type=input_file, help=f"{_RULES}; default: built-in table")
    route.add_argument("--explain", action="store_true", help="print every rule tried and why")
    _directory_option(route)
    route.set_defaults(handler=_route)

    rules = subparsers.add_parser("rules", help="check routing rules, or compare two tables")
    commands = rules.add_subparsers(title="rules commands", metavar="COMMAND")
    check = commands.add_parser("check", help="print every problem of a rules file")
    check.add_argument("file", type=input_file, help=_RULES)
    _directory_option(check)
    check.set_defaults(handler=_check)
    diff = commands.add_parser(
        "diff", help="how many inquiries would change destination between two rules files"
    )
    diff.add_argument("old", metavar="OLD", type=input_file, help="the rules in force (TOML/JSON)")
    diff.add_argument("new", metavar="NEW", type=input_file, help="the proposed rules (TOML/JSON)")
    diff.add_argument(
        "--inquiries", type=input_file, required=True, help="inquiries, one JSON object a line"
    )
    _directory_option(diff)
    diff.set_defaults(handler=_diff)
    rules.set_defaults(handler=lambda _args: _usage(rules))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _directory_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--directory",
        type=input_file,
        help='an organisation directory (JSON, {"units": [...]}; default: built-in)',
    )


def _directory(args: argparse.Namespace) -> Directory:
    path: Path | None = args.directory
    if path is None:
        return vss_directory()
    document = load_json(path, what='an organisation directory, {"units": [...]}')
    try:
        return Directory.from_dict(document)
    except RoutingTableError as error:
        raise named(error, f"{path} (--directory)") from None


def _table(
    path: Path | None, directory: Directory, args: argparse.Namespace, role: str
) -> RoutingTable:
    """The rules of ``path`` (the built-in ones when None) on ``directory``, or their problems
    said of the file and the option or argument (``role``) that named it."""
    if path is None:
        try:
            return RoutingTable.default(directory=directory)
        except RoutingTableError as error:
            where = f"the built-in routing table, on the units of {args.directory} (--directory),"
            raise named(error, where) from None
    document = load_document(path, what="routing rules", max_bytes=MAX_TABLE_BYTES)
    try:
        return RoutingTable.from_dict(document, directory=directory)
    except RoutingTableError as error:
        raise named(error, f"{path} ({role})") from None


def _route(args: argparse.Namespace) -> int:
    name = name_of(args.inquiry)
    inquiry = parse_inquiry(
        read_input(args.inquiry),
        where=name,
        check_with=f"see every error with 'vss-care validate {args.inquiry}'",
    )
    table = _table(args.rules, _directory(args), args, "--rules")
    if args.explain:
        print(table.explain(inquiry))
    else:
        print(table.route(inquiry).model_dump_json(indent=2))
    return 0


def _check(args: argparse.Namespace) -> int:
    path: Path = args.file
    directory = _directory(args)
    document = load_document(path, what="routing rules", max_bytes=MAX_TABLE_BYTES)
    problems = check_table(document, directory=directory)
    if not problems:
        rules = RoutingTable.from_dict(document, directory=directory).rules
        print(f"{path}: no problems ({len(rules)} rules)")
        return 0
    noun = "problem" if len(problems) == 1 else "problems"
    print(f"{path}: {len(problems)} {noun}")
    for problem in problems:
        print(f"  - {problem}")
    return 1


def _inquiries(path: Path) -> Iterator[Inquiry]:
    """The inquiries of a JSON Lines file; a bad line is refused with its number."""
    for number, raw in enumerate(read_lines(path), start=1):
        where = f"{path}, line {number}"
        if len(raw) > MAX_LINE_BYTES:
            raise InvalidInputError(
                f"{where} is longer than {MAX_LINE_BYTES:,} bytes: write one inquiry a line"
            )
        line = decode_text(raw, name=where)
        if line.strip():
            yield parse_inquiry(line, where=where, check_with="check it with 'vss-care validate'")


def _diff(args: argparse.Namespace) -> int:
    directory = _directory(args)
    old = _table(args.old, directory, args, "OLD")
    new = _table(args.new, directory, args, "NEW")
    moves: Counter[tuple[str, str]] = Counter()
    total = 0
    for inquiry in _inquiries(args.inquiries):
        total += 1
        before, after = old.route(inquiry).unit, new.route(inquiry).unit
        if before != after:
            moves[before, after] += 1
    if not total:
        note(f"{args.inquiries} (--inquiries) holds no inquiry: there is nothing to compare")
    changed = sum(moves.values())
    share = f" ({changed / total:.1%})" if total else ""
    print(f"{total:,} inquiries, {changed:,} would change destination{share}")
    if moves:
        rows = sorted(moves.items(), key=lambda item: (-item[1], item[0]))
        width_from = max(len("from"), *(len(a) for (a, _), _ in rows))
        width_to = max(len("to"), *(len(b) for (_, b), _ in rows))
        print(f"{'from':<{width_from}}  {'to':<{width_to}}  count")
        for (before, after), count in rows:
            print(f"{before:<{width_from}}  {after:<{width_to}}  {count:>5,}")
    return 0
