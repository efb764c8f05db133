"""``vss-care route``, ``vss-care rules check`` and ``vss-care rules diff``."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from vss_care_core.errors import InvalidInputError
from vss_care_core.models import Inquiry
from vss_care_core.routing import Directory, RoutingTable, check_table, vss_directory

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add ``route`` and ``rules`` (``check``, ``diff``)."""
    route = subparsers.add_parser(
        "route", help="route an inquiry in a JSON file: print the decision or its explanation"
    )
    route.add_argument("inquiry", type=Path, help="a JSON file holding one inquiry ('-': stdin)")
    route.add_argument("--rules", type=Path, help="a rules file (TOML; default: built-in table)")
    route.add_argument("--explain", action="store_true", help="print every rule tried and why")
    _directory_option(route)
    route.set_defaults(handler=_route)

    rules = subparsers.add_parser("rules", help="check routing rules, or compare two tables")
    commands = rules.add_subparsers(title="rules commands", metavar="COMMAND")
    check = commands.add_parser("check", help="print every problem of a rules file")
    check.add_argument("file", type=Path, help="a rules file (TOML)")
    _directory_option(check)
    check.set_defaults(handler=_check)
    diff = commands.add_parser(
        "diff", help="how many inquiries would change destination between two rules files"
    )
    diff.add_argument("old", type=Path, help="the rules in force (TOML)")
    diff.add_argument("new", type=Path, help="the proposed rules (TOML)")
    diff.add_argument(
        "--inquiries", type=Path, required=True, help="inquiries, one JSON object a line"
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
        type=Path,
        help='an organisation directory (JSON, {"units": [...]}; default: built-in)',
    )


def _directory(args: argparse.Namespace) -> Directory:
    path: Path | None = args.directory
    return vss_directory() if path is None else Directory.from_json(path)


def _table(path: Path | None, directory: Directory) -> RoutingTable:
    if path is None:
        return RoutingTable.default(directory=directory)
    return RoutingTable.from_toml(path, directory=directory)


def _inquiry(text: str, where: str) -> Inquiry:
    try:
        return Inquiry.model_validate_json(text)
    except ValidationError as error:
        first = error.errors(include_input=False, include_url=False)[0]
        field = ".".join(str(part) for part in first["loc"]) or "(document)"
        raise InvalidInputError(
            f"{where}: not a valid inquiry ({error.error_count()} error(s); first: "
            f"{field}: {first['msg']}); check it with 'vss-care validate'"
        ) from None


def _route(args: argparse.Namespace) -> int:
    path: Path = args.inquiry
    text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    inquiry = _inquiry(text, str(path))
    table = _table(args.rules, _directory(args))
    if args.explain:
        print(table.explain(inquiry))
    else:
        print(table.route(inquiry).model_dump_json(indent=2))
    return 0


def _check(args: argparse.Namespace) -> int:
    path: Path = args.file
    problems = check_table(path, directory=_directory(args))
    if not problems:
        rules = RoutingTable.from_toml(path, directory=_directory(args)).rules
        print(f"{path}: no problems ({len(rules)} rules)")
        return 0
    noun = "problem" if len(problems) == 1 else "problems"
    print(f"{path}: {len(problems)} {noun}")
    for problem in problems:
        print(f"  - {problem}")
    return 1


def _diff(args: argparse.Namespace) -> int:
    directory = _directory(args)
    old = _table(args.old, directory)
    new = _table(args.new, directory)
    path: Path = args.inquiries
    moves: Counter[tuple[str, str]] = Counter()
    total = 0
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            inquiry = _inquiry(line, f"{path}, line {number}")
            total += 1
            before, after = old.route(inquiry).unit, new.route(inquiry).unit
            if before != after:
                moves[before, after] += 1
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
