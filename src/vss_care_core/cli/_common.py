"""What the commands share: input files, messages in the user's terms, notes on stderr."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from vss_care_core.errors import DefinitionError, InvalidInputError
from vss_care_core.inputs import (
    MAX_FILE_BYTES,
    describe_errors,
    kind_of,
    parse_json,
    read_stream,
    read_text,
)
from vss_care_core.models import Inquiry

__all__ = [
    "STDIN",
    "input_file",
    "name_of",
    "named",
    "note",
    "parse_inquiry",
    "read_input",
    "user_terms",
    "writable",
]

STDIN = "-"
"""The file name that stands for standard input, where a command accepts it."""

_PYTHON_NAMES = (
    (re.compile(r",? as does vss_care_core\.PROVINCES"), ""),
    (
        re.compile(r"(?:see )?vss_care_core\.PROVINCES(?: lists them)?"),
        "'vss-care provinces' lists them",
    ),
)
"""Hints written for Python callers, and what a command-line user is told instead."""


def input_file(text: str) -> Path:
    """The argument type of every file a command reads (the bad-input tests find them by it)."""
    return Path(text)


def name_of(path: Path) -> str:
    """The file as messages name it."""
    return "standard input" if str(path) == STDIN else str(path)


def read_input(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The text of ``path``, or of standard input for ``-``, through the reading helper."""
    if str(path) == STDIN:
        return read_stream(sys.stdin.buffer, name=name_of(path), max_bytes=max_bytes)
    return read_text(path, max_bytes=max_bytes)


def user_terms(message: str) -> str:
    """``message`` with the hints meant for Python callers replaced by the command's own."""
    for python, command in _PYTHON_NAMES:
        message = python.sub(command, message)
    return message


def note(message: str) -> None:
    """Tell the user something they should know about the result (never silently)."""
    print(f"vss-care: note: {user_terms(message)}", file=sys.stderr)


def named(error: DefinitionError, where: str) -> DefinitionError:
    """The same refusal, said of ``where`` (the file and the option the user typed)."""
    return type(error)(where, error.problems)


def parse_inquiry(text: str, *, where: str, check_with: str) -> Inquiry:
    """The inquiry in ``text``; refused with the place of the first error and a way to see all."""
    document: Any = parse_json(text, name=where, what="one inquiry (a JSON object)")
    if not isinstance(document, dict):
        raise InvalidInputError(
            f"{where} holds {kind_of(document)}, not an object: write one inquiry as a JSON "
            "object, {...}"
        )
    try:
        return Inquiry.model_validate_json(text)
    except ValidationError as error:
        problems = describe_errors(error, document, models=(Inquiry,))
        count = len(problems)
        raise InvalidInputError(
            f"{where}: not a valid inquiry ({count} error{'s' if count > 1 else ''}; first: "
            f"{problems[0]}); {check_with}"
        ) from None


def writable(path: Path, option: str) -> Path:
    """``path`` if a file can be written there; a directory is refused before any work."""
    if path.is_dir():
        raise InvalidInputError(f"{path} ({option}) is a directory: give the name of a file")
    return path
