"""The ``vss-care`` command line: thin commands over the public API.

Each command module exports ``register(subparsers)``, which adds its subcommands and stores the
handler with ``set_defaults(handler=...)``; a handler takes the parsed arguments and returns the
exit code.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from vss_care_core._version import __version__
from vss_care_core.errors import CareCoreError

__all__ = ["build_parser", "main"]

_COMMAND_MODULES: tuple[str, ...] = ("_models", "_process", "_calendar", "_monitoring", "_routing")

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``vss-care`` with every registered command."""
    parser = argparse.ArgumentParser(
        prog="vss-care",
        description="Customer-care standards of Vietnam Social Security, from the command line.",
    )
    parser.add_argument("--version", action="version", version=f"vss-care {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in _COMMAND_MODULES:
        module = importlib.import_module(f"vss_care_core.cli.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``vss-care`` with ``argv`` (the process arguments by default); return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return handler(args)
    except CareCoreError as error:
        print(f"vss-care: error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"vss-care: error: {error}", file=sys.stderr)
        return 1
