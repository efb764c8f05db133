"""Reading the files a user names: UTF-8 text, bounded before it is parsed, refused clearly.

Every ``vss-care`` command and every loader of the library that reads a file it is given by name
(routing rules in TOML or JSON, an organisation directory, an inquiry, a days-off schedule, an
event log or a stream of inquiries, line by line) reads it here, so that all of them accept the
same files and refuse the others with the same messages:

- the text is UTF-8, with or without a byte-order mark; anything else is refused with the first
  byte that is not UTF-8 and its offset, e.g. ``rules.toml is not UTF-8 text (byte 0xff at
  offset 15): save it as UTF-8``;
- a missing file, a directory, or a file that cannot be read is refused, naming it;
- the size (:data:`MAX_FILE_BYTES`, :data:`MAX_LINE_BYTES`), the nesting of lists and tables
  (:data:`MAX_NESTING`) and the parts of a dotted TOML key (:data:`MAX_KEY_PARTS`) are bounded
  before the text reaches a parser, so that no file can exhaust the memory, the recursion limit
  or the time of a parser;
- a syntax error is reported with its line and column.

Every refusal is an :class:`~vss_care_core.errors.InvalidInputError` whose message starts with
the file's name, says what is wrong and how to fix it, and never quotes the file's content.

>>> try:
...     parse_json('{"units": [{"code": "VSS"},, {"code": "VSS-CSKH"}]}', name="units.json")
... except InvalidInputError as error:
...     print(error)
units.json is not valid JSON: Expecting value (line 1, column 28)
>>> try:
...     decode_text("Đơn vị: Huế".encode("utf-16"), name="units.json")
... except InvalidInputError as error:
...     print(error)
units.json is not UTF-8 text (byte 0xff at offset 0; it looks like UTF-16): save it as UTF-8
"""

from __future__ import annotations

import codecs
import dataclasses
import json
import os
import re
import sys
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from difflib import get_close_matches
from functools import cache
from pathlib import Path
from typing import IO, Any, get_args

from pydantic import BaseModel, ValidationError

from vss_care_core.errors import InvalidInputError, NaiveDatetimeError

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_KEY_PARTS",
    "MAX_LINE_BYTES",
    "MAX_NESTING",
    "decode_text",
    "describe_errors",
    "json_nesting_problem",
    "kind_of",
    "load_document",
    "load_json",
    "load_toml",
    "parse_json",
    "parse_toml",
    "read_lines",
    "read_stream",
    "read_text",
    "utf8_problem",
]

MAX_FILE_BYTES = 5_000_000
"""The largest file read whole (rules, a directory, an inquiry, a schedule), in bytes."""

MAX_LINE_BYTES = 1_000_000
"""The longest line of a JSON Lines file (an event log, a stream of inquiries), in bytes.

The largest record the models accept (an inquiry of 20,000 characters with its attachments)
takes about a tenth of it."""

MAX_NESTING = 64
"""The deepest nesting of lists and tables (objects) accepted in a document or a line.

The library's own documents nest at most about 36 levels (routing conditions 8 levels deep);
Python's parsers recurse once per level and fail near 1,000."""

MAX_KEY_PARTS = 16
"""The most parts of one dotted TOML key (``a.b.c`` has 3).

The TOML parser's time grows with the square of a key's parts: 100,000 parts (a 200 KB file)
keep it busy for minutes, while a routing rule needs at most about 10
(``when.not.not.kind``)."""

_BOM = codecs.BOM_UTF8
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

# A JSON string (left open when it has no closing quote: it then runs to the end of the text),
# or a bracket. Possessive quantifiers keep the scan linear whatever the text.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]++|\\.)*+(?P<closed>")?|[\[\]{}]', re.DOTALL)

# TOML, token by token: strings (multi-line first; single-line ones stop at the end of the line
# when left open), comments, brackets, dots, bare words (keys, numbers, dates), separators.
_TOML_TOKEN = re.compile(
    r'(?P<string>"""(?:[^"\\]++|\\.|"{1,2}(?!"))*+(?:"{3,5}|\Z)'
    r"|'''(?:[^']++|'{1,2}(?!'))*+(?:'{3,5}|\Z)"
    r'|"(?:[^"\\\n]++|\\.)*+"?'
    r"|'[^'\n]*+'?)"
    r"|(?P<comment>#[^\n]*+)"
    r"|(?P<open>[\[{])"
    r"|(?P<close>[\]}])"
    r"|(?P<dot>\.)"
    r"|(?P<word>[^\s.\[\]{}=,#\"']++)"
    r"|(?P<stop>[=,\n])",
    re.DOTALL,
)


# ------------------------------------------------------------------------------ reading
def _os_problem(name: str, error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return f"{name} does not exist: check the path"
    if isinstance(error, IsADirectoryError):
        return f"{name} is a directory, not a file: give the path of a file"
    if isinstance(error, NotADirectoryError):
        return f"{name} does not exist: a part of its path is a file, not a directory"
    if isinstance(error, PermissionError):
        return f"{name} cannot be read: permission denied"
    return f"{name} cannot be read: {error.strerror or type(error).__name__}"


def _bounded(stream: IO[bytes], *, name: str, max_bytes: int) -> bytes:
    data = stream.read(max_bytes + 1)
    if len(data) <= max_bytes:
        return data
    try:
        size = f"{os.fstat(stream.fileno()).st_size:,} bytes"
    except (OSError, ValueError):
        size = f"more than {max_bytes:,} bytes"
    raise InvalidInputError(
        f"{name} is too large ({size}; at most {max_bytes:,}): split it, or leave out what is "
        "not needed"
    )


def utf8_problem(data: bytes) -> str | None:
    """Where ``data`` stops being UTF-8 (``"byte 0xff at offset 15"``), or None if it is UTF-8.

    >>> utf8_problem("Huế".encode()), utf8_problem("café".encode("latin-1"))
    (None, 'byte 0xe9 at offset 3')
    """
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"byte 0x{data[error.start]:02x} at offset {error.start}"
    return None


def decode_text(data: bytes, *, name: str) -> str:
    """``data`` as text: UTF-8, a leading byte-order mark dropped; anything else is refused."""
    start = len(_BOM) if data.startswith(_BOM) else 0
    try:
        return data[start:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = start + error.start
        looks = "; it looks like UTF-16" if data.startswith(_UTF16_BOMS) else ""
        raise InvalidInputError(
            f"{name} is not UTF-8 text (byte 0x{data[offset]:02x} at offset {offset}{looks}): "
            "save it as UTF-8"
        ) from None


def read_text(source: str | os.PathLike[str], *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The text of the file ``source``, read whole: UTF-8, at most ``max_bytes`` bytes."""
    name = os.fspath(source)
    try:
        with open(source, "rb") as stream:
            data = _bounded(stream, name=name, max_bytes=max_bytes)
    except OSError as error:
        raise InvalidInputError(_os_problem(name, error)) from error
    return decode_text(data, name=name)


def read_stream(stream: IO[bytes], *, name: str, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The text of an open binary stream (standard input), read whole, as :func:`read_text`."""
    try:
        data = _bounded(stream, name=name, max_bytes=max_bytes)
    except OSError as error:
        raise InvalidInputError(_os_problem(name, error)) from error
    return decode_text(data, name=name)


def _skip_rest_of_line(stream: IO[bytes]) -> None:
    while True:
        chunk = stream.readline(1 << 20)
        if not chunk or chunk.endswith(b"\n"):
            return


def read_lines(
    source: str | os.PathLike[str], *, max_line_bytes: int = MAX_LINE_BYTES
) -> Iterator[bytes]:
    """The lines of the file ``source``, as bytes, one at a time (the file is never read whole).

    A byte-order mark at the start is dropped; a file that starts with a UTF-16 one is refused
    at once. A line longer than ``max_line_bytes`` is cut after ``max_line_bytes + 1`` bytes and
    the rest of it skipped, so memory stays bounded and the caller sees it is too long. Each
    line's own UTF-8 is left to the caller, who reports it with the line's number
    (:func:`utf8_problem`).
    """
    name = os.fspath(source)
    try:
        stream = open(source, "rb")  # noqa: SIM115 - closed by the with below, across yields
    except OSError as error:
        raise InvalidInputError(_os_problem(name, error)) from error
    with stream:
        first = True
        while True:
            try:
                line = stream.readline(max_line_bytes + 1)
                if len(line) > max_line_bytes and not line.endswith(b"\n"):
                    _skip_rest_of_line(stream)
            except OSError as error:
                raise InvalidInputError(_os_problem(name, error)) from error
            if not line:
                return
            if first:
                first = False
                if line.startswith(_UTF16_BOMS):
                    raise InvalidInputError(
                        f"{name} is not UTF-8 text (byte 0x{line[0]:02x} at offset 0; it looks "
                        "like UTF-16): save it as UTF-8"
                    )
                if line.startswith(_BOM):
                    line = line[len(_BOM) :]
            yield line


# ------------------------------------------------------------------------------ bounds
def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _left_open(text: str) -> bool:
    """Whether a JSON text ends inside a string, a list or an object (it was cut short)."""
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
        elif token in ("]", "}"):
            depth -= 1
        elif match.group("closed") is None:
            return True
    return depth > 0


def _cut(text: str, error: json.JSONDecodeError) -> bool:
    """Whether a JSON syntax error is the end of a text cut short: a string, a list or an object
    is left open, and nothing follows the error but the start of a word (``nul``)."""
    if not _left_open(text):
        return False
    return error.msg.startswith("Unterminated string") or len(text[error.pos :].strip()) <= 5


def _json_too_deep_at(text: str) -> int | None:
    """The offset where lists and objects first nest deeper than MAX_NESTING, or None."""
    if text.count("[") + text.count("{") <= MAX_NESTING:
        return None
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_NESTING:
                return match.start()
        elif token in ("]", "}"):
            depth = max(depth - 1, 0)
    return None


def json_nesting_problem(line: str | bytes) -> str | None:
    """What is wrong with the nesting of one JSON line, or None when it is within the bounds.

    >>> json_nesting_problem("[" * 100 + "]" * 100)
    'lists and objects nest far too deeply (more than 64 levels): flatten them'
    """
    # The opening brackets are counted first, so an ordinary line costs two counts.
    if isinstance(line, bytes):
        opening = line.count(b"[") + line.count(b"{")
        text = line.decode("utf-8", errors="replace") if opening > MAX_NESTING else ""
    else:
        opening = line.count("[") + line.count("{")
        text = line
    if opening <= MAX_NESTING:
        return None
    if _json_too_deep_at(text) is None:
        return None
    return f"lists and objects nest far too deeply (more than {MAX_NESTING} levels): flatten them"


def _check_json_bounds(text: str, name: str) -> None:
    offset = _json_too_deep_at(text)
    if offset is not None:
        raise InvalidInputError(
            f"{name}: lists and objects nest far too deeply (more than {MAX_NESTING} levels, "
            f"at line {_line_of(text, offset)}): flatten them"
        )


def _check_toml_bounds(text: str, name: str) -> None:
    if text.count("[") + text.count("{") <= MAX_NESTING and text.count(".") < MAX_KEY_PARTS:
        return
    depth = 0
    parts = 0
    after_dot = False
    for match in _TOML_TOKEN.finditer(text):
        kind = match.lastgroup
        if kind in ("string", "word"):
            parts = parts + 1 if after_dot else 1
            after_dot = False
            if parts > MAX_KEY_PARTS:
                raise InvalidInputError(
                    f"{name}: a dotted key has more than {MAX_KEY_PARTS} parts (at line "
                    f"{_line_of(text, match.start())}): write a [table] header, or use fewer "
                    "levels"
                )
            continue
        if kind == "dot":
            after_dot = True
            continue
        parts = 0
        after_dot = False
        if kind == "open":
            depth += 1
            if depth > MAX_NESTING:
                raise InvalidInputError(
                    f"{name}: tables and lists nest far too deeply (more than {MAX_NESTING} "
                    f"levels, at line {_line_of(text, match.start())}): flatten them"
                )
        elif kind == "close":
            depth = max(depth - 1, 0)


# ------------------------------------------------------------------------------ parsing
def _too_many_digits(name: str, syntax: str) -> InvalidInputError:
    return InvalidInputError(
        f"{name} is not valid {syntax}: a number has more than {sys.get_int_max_str_digits():,} "
        "digits; write it as text (in quotes) if it is an identifier"
    )


def parse_json(text: str, *, name: str = "the text", what: str = "a JSON document") -> Any:
    """The JSON document in ``text``, its nesting bounded first.

    ``name`` (the file) and ``what`` (what it should hold) are used in messages.
    """
    if not text.strip():
        raise InvalidInputError(f"{name} is empty: it should hold {what}")
    _check_json_bounds(text, name)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        cut = "; the text ends too early: is the file cut short?" if _cut(text, error) else ""
        raise InvalidInputError(
            f"{name} is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
            f"{cut}"
        ) from None
    except ValueError:
        raise _too_many_digits(name, "JSON") from None


def parse_toml(text: str, *, name: str = "the text") -> dict[str, Any]:
    """The TOML document in ``text``, its nesting and dotted keys bounded first."""
    _check_toml_bounds(text, name)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInputError(f"{name} is not valid TOML: {error}") from None
    except ValueError:
        raise _too_many_digits(name, "TOML") from None


def _not_empty(text: str, name: str, what: str) -> str:
    if not text.strip():
        raise InvalidInputError(f"{name} is empty: it should hold {what}")
    return text


def load_json(
    source: str | os.PathLike[str],
    *,
    what: str = "a JSON document",
    max_bytes: int = MAX_FILE_BYTES,
) -> Any:
    """The JSON document in the file ``source`` (``what`` names it in messages)."""
    name = os.fspath(source)
    return parse_json(_not_empty(read_text(source, max_bytes=max_bytes), name, what), name=name)


def load_toml(
    source: str | os.PathLike[str],
    *,
    what: str = "a TOML document",
    max_bytes: int = MAX_FILE_BYTES,
) -> dict[str, Any]:
    """The TOML document in the file ``source``."""
    name = os.fspath(source)
    text = _not_empty(read_text(source, max_bytes=max_bytes), name, what)
    try:
        return parse_toml(text, name=name)
    except InvalidInputError as error:
        if text.lstrip().startswith("{"):
            raise InvalidInputError(
                f"{error}; it looks like JSON: give the file a .json name"
            ) from None
        raise


def load_document(
    source: str | os.PathLike[str],
    *,
    what: str = "a document",
    max_bytes: int = MAX_FILE_BYTES,
) -> Any:
    """The document in the file ``source``: JSON when its name ends in ``.json``, else TOML."""
    if Path(source).suffix.lower() == ".json":
        return load_json(source, what=what, max_bytes=max_bytes)
    return load_toml(source, what=what, max_bytes=max_bytes)


# ------------------------------------------------------------------ validation messages
def kind_of(value: object) -> str:
    """What a parsed value is, in JSON's words (``"a list"``, ``"an object"``, ``"null"``).

    >>> kind_of([]), kind_of({}), kind_of("x"), kind_of(None)
    ('a list', 'an object', 'a string', 'null')
    """
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return "null" if value is None else f"a {type(value).__name__}"


_PREFIXES = ("Value error, ", "Assertion failed, ")
_TIME_ZONE_HINT = "has no time zone: write it with its offset, e.g. 2026-03-02T09:00:00+07:00"


def _models_in(annotation: object) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for argument in get_args(annotation):
        yield from _models_in(argument)


@cache
def _field_names(model: type) -> frozenset[str]:
    """The field names (and aliases) of a pydantic model or a dataclass, and of the pydantic
    models inside it."""
    if dataclasses.is_dataclass(model):
        return frozenset(field.name for field in dataclasses.fields(model))
    names: set[str] = set()
    seen: set[type[BaseModel]] = set()
    todo = list(_models_in(model))
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for field_name, field in current.model_fields.items():
            names.add(field.alias or field_name)
            todo.extend(_models_in(field.annotation))
    return frozenset(names)


def _user_path(document: object, loc: Sequence[int | str]) -> str:
    """The place of an error as the user wrote it: union tags dropped, list items as ``[0]``."""
    shown = ""
    current = document
    last = len(loc) - 1
    for index, segment in enumerate(loc):
        if isinstance(current, Mapping) and isinstance(segment, str):
            if segment not in current and index < last:
                continue  # a tag pydantic adds for a union member, not a key of the document
            shown += f".{segment}" if shown else segment
            current = current.get(segment)
        elif isinstance(current, list) and isinstance(segment, int):
            shown += f"[{segment}]"
            current = current[segment] if 0 <= segment < len(current) else None
        else:
            if isinstance(segment, int):
                shown += f"[{segment}]"
            else:
                shown += f".{segment}" if shown else segment
            current = None
    return shown


def _message(item: Any, names: frozenset[str]) -> str:
    kind = item["type"]
    error = item.get("ctx", {}).get("error")
    if kind == "timezone_aware" or isinstance(error, NaiveDatetimeError):
        return _TIME_ZONE_HINT
    if kind == "missing":
        return "is missing: add it"
    if kind == "extra_forbidden":
        unknown = str(item["loc"][-1])
        close = get_close_matches(unknown, sorted(names), n=3, cutoff=0.6)
        if close:
            return "is not a known field: did you mean " + " or ".join(map(repr, close)) + "?"
        return "is not a known field: remove it or check its spelling"
    if kind == "union_tag_invalid":
        return "is not one of " + str(item.get("ctx", {}).get("expected_tags", "the known kinds"))
    message = str(item["msg"])
    for prefix in _PREFIXES:
        message = message.removeprefix(prefix)
    return message


def describe_errors(
    error: ValidationError,
    document: object,
    *,
    models: Iterable[type] = (),
    whole: str = "the document",
) -> list[str]:
    """Pydantic's errors for ``document`` in the user's terms, one ``"place: problem"`` each.

    The place is the path as written in the document (``requester.citizen_id``, not pydantic's
    ``requester.individual.citizen_id``; list items as ``attachments[0]``; ``whole`` for the
    document itself); a time without a zone asks for its offset (``+07:00``); an unknown field
    gets the close matches among the field names of ``models`` (pydantic models or
    dataclasses). Values are never shown.
    """
    names = frozenset().union(*(_field_names(model) for model in models))
    described = []
    for item in error.errors(include_input=False, include_url=False):
        loc = item["loc"]
        if item["type"] == "union_tag_invalid" and not loc:
            loc = (str(item.get("ctx", {}).get("discriminator", "")).strip("'"),)
        place = _user_path(document, loc) or whole
        described.append(f"{place}: {_message(item, names)}")
    return described
