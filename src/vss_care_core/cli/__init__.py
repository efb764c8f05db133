"""The ``vss-care`` command line: thin commands over the public API.

Each command module exports ``register(subparsers)``, which adds its subcommands and stores the
handler with ``set_defaults(handler=...)``; a handler takes the parsed arguments and returns the
exit code.

No input ends in a traceback. A refused input or option prints one ``vss-care: error: ...``
line on stderr (naming the file, the line, the option) and exits with 1; a usage error exits
with 2 (argparse); output cut by a closed pipe (``vss-care calendar 2026 | head -3``) ends
quietly with 141, as a process ended by SIGPIPE does; an interruption exits with 130; and an
unexpected failure, a bug, prints one line asking to report it and exits with 70.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from vss_care_core import __version__
from vss_care_core.cli._common import user_terms
from vss_care_core.errors import CareCoreError

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_INTERNAL_ERROR",
    "EXIT_INTERRUPTED",
    "build_parser",
    "main",
]

EXIT_BROKEN_PIPE = 141
"""The exit code when the reader of the output went away (128 + SIGPIPE, as shells report)."""
EXIT_INTERRUPTED = 130
"""The exit code after Ctrl-C (128 + SIGINT)."""
EXIT_INTERNAL_ERROR = 70
"""The exit code of an unexpected failure, a bug (``EX_SOFTWARE`` of sysexits.h)."""

_COMMAND_MODULES: tuple[str, ...] = (
    "_models",
    "_process",
    "_calendar",
    "_monitoring",
    "_routing",
    "_store",
    "_work",
)

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


def _error(message: str) -> None:
    print(f"vss-care: error: {user_terms(message)}", file=sys.stderr)


def _os_message(error: OSError) -> str:
    reason = error.strerror or type(error).__name__
    return f"{error.filename}: {reason}" if error.filename else reason


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it again at exit cannot fail once more."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file (a test's capture): nothing is flushed at exit
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)


def _run(handler: Handler, args: argparse.Namespace) -> int:
    """Run one command; every way it can end becomes an exit code and at most one line."""
    try:
        code = handler(args)
        sys.stdout.flush()  # a closed pipe shows here, while it can still be handled
    except BrokenPipeError:
        _silence_stdout()
        code = EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        print("vss-care: interrupted", file=sys.stderr)
        code = EXIT_INTERRUPTED
    except CareCoreError as error:
        _error(str(error))
        code = 1
    except OSError as error:
        _error(_os_message(error))
        code = 1
    except Exception as error:  # the last guard: a bug, never a traceback
        # Only the type is shown: the message of an unexpected error may quote the input.
        _error(
            f"internal error ({type(error).__name__}); this is a bug in vss-care-core {__version__}"
            ": please report it with the command that caused it"
        )
        code = EXIT_INTERNAL_ERROR
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``vss-care`` with ``argv`` (the process arguments by default); return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    return _run(handler, args)
