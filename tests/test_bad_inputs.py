"""Bad input never gives a traceback, and nothing is silent.

Every command of ``vss-care``, found in the argument parser (so that a new command is covered
without a word here), is run over a corpus of bad files built below, for each file it reads: a
refusal is an exit code of 1 and one line on stderr that names the file. The reading helper
(:mod:`vss_care_core.inputs`) is tested on its own too: its bounds against simple oracles, its
messages on concrete bytes.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import io
import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from vss_care_core import inputs
from vss_care_core.cli import EXIT_BROKEN_PIPE, EXIT_INTERNAL_ERROR, build_parser, main
from vss_care_core.cli._common import input_file
from vss_care_core.errors import InvalidInputError
from vss_care_core.monitoring import encode_record
from vss_care_core.routing import vss_directory
from vss_care_core.routing._toml import table_to_toml
from vss_care_core.testing import make_inquiry

# ----------------------------------------------------------------------- good files
RULES_TOML = """\
default = "VSS-CSKH"

[[rules]]
name = "khiếu nại"
when = { kind = ["complaint"] }
destination = "provincial-office"
fallback = "VSS-KT"

[[rules]]
name = "còn lại"
destination = "VSS-CSKH"
"""

SCHEDULE = {
    "years": {
        "2027": {
            "source": "a decision",
            "days_off": [
                {"from": "2027-02-05", "to": "2027-02-10", "name": "Tết", "name_vi": "Tết"}
            ],
            "working_days": [],
        }
    }
}


def _inquiry_json() -> str:
    return make_inquiry().model_dump_json()


GOOD: dict[str, tuple[str, str]] = {
    "inquiry": (".json", _inquiry_json()),
    "rules": (".toml", RULES_TOML),
    "directory": (
        ".json",
        json.dumps(
            {"units": [unit.model_dump(mode="json") for unit in vss_directory()]},
            ensure_ascii=False,
        ),
    ),
    "inquiries": (".jsonl", _inquiry_json() + "\n" + _inquiry_json() + "\n"),
    "events": (".jsonl", encode_record(make_inquiry()) + "\n"),
    "schedule": (".json", json.dumps(SCHEDULE)),
}
"""A good file of each kind a command reads: its suffix and its text."""

KIND_OF_INPUT = {
    ("validate", "file"): "inquiry",
    ("route", "inquiry"): "inquiry",
    ("route", "rules"): "rules",
    ("rules check", "file"): "rules",
    ("rules diff", "old"): "rules",
    ("rules diff", "new"): "rules",
    ("rules diff", "inquiries"): "inquiries",
    ("report", "events"): "events",
    ("due", "events"): "events",
    ("store import", "log"): "events",
    ("export", "events"): "events",
    ("surges", "events"): "events",
    ("calendar", "schedule"): "schedule",
}
"""What each file argument holds; ``--directory`` holds a directory wherever it appears."""

OTHER_VALUES = {"year": "2026", "at": "2026-03-02T14:30+07:00", "key_file": __file__}
"""Values of the required arguments that are not files (this test file is a fine key)."""

CHOSEN_OPTIONS = {"export": ["--key-file", __file__]}
"""Options a command needs one of although none is required alone (``export`` writes a
pseudonymised log with a key, or the facts table with ``--parquet``)."""

WITHOUT_FILES = {"schema", "diagram", "demo", "provinces", "store init", "store export"}
"""The commands that read no file (``demo`` only writes one, with --out)."""

LINE_BY_LINE = {"inquiries", "events"}
"""The kinds read line by line, where an empty file is nothing to count (said in a note)."""


# ------------------------------------------------------------------ the commands, found
@dataclass(frozen=True)
class Command:
    """A command as the parser knows it: its words, its file arguments, its other arguments."""

    words: tuple[str, ...]
    files: tuple[argparse.Action, ...]
    required: tuple[argparse.Action, ...]

    @property
    def name(self) -> str:
        return " ".join(self.words)


def _subcommands(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()) -> Iterator[Command]:
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for group in subparsers:
        for word, subparser in group.choices.items():
            yield from _subcommands(subparser, (*words, word))
    if words and not subparsers:
        actions = [a for a in parser._actions if not isinstance(a, argparse._HelpAction)]
        for action in actions:
            if action.type is Path:
                assert action.option_strings == ["--out"], (
                    f"'vss-care {' '.join(words)}' reads {action.dest} with type=Path: give "
                    "files that are read type=input_file, so that this test covers them"
                )
        yield Command(
            words=words,
            files=tuple(a for a in actions if a.type is input_file),
            required=tuple(
                a
                for a in actions
                if a.type is not input_file
                and (a.required or not a.option_strings)
                and a.nargs != "?"
            ),
        )


COMMANDS = tuple(_subcommands(build_parser()))


def test_every_command_is_found() -> None:
    """The parser gives the commands, and every file argument has a kind of good file."""
    names = {command.name for command in COMMANDS}
    assert {"validate", "route", "rules check", "rules diff", "report", "calendar"} <= names
    for command in COMMANDS:
        if not command.files:
            assert command.name in WITHOUT_FILES, f"{command.name} reads no file: say so here"
        for action in command.files:
            assert _kind(command, action) in GOOD, f"add a good file for {command.name} {action}"
        for action in command.required if command.files else ():
            known = action.dest in OTHER_VALUES or action.dest == "store"
            assert known, f"add a value for {command.name} {action.dest}"


def _kind(command: Command, action: argparse.Action) -> str:
    if action.dest == "directory":
        return "directory"
    return KIND_OF_INPUT[command.name, action.dest]


# -------------------------------------------------------------------------- the corpus
MAX = inputs.MAX_FILE_BYTES

BAD_CASES = (
    "binary",
    "utf-16",
    "latin-1",
    "empty",
    "huge",
    "nested",
    "dotted",
    "truncated",
    "directory",
    "missing",
)


def _bad_bytes(case: str, suffix: str, good: str) -> bytes:
    nested = "x = " + "[" * 1000 + "]" * 1000 if suffix == ".toml" else "[" * 1000 + "]" * 1000
    contents = {
        "binary": bytes(range(128, 256)) + bytes(range(128)),
        "utf-16": good.encode("utf-16"),
        "latin-1": '{"subject": "Café au lait", "content": "Crème"}\n'.encode("latin-1"),
        "empty": b"",
        "huge": b"#" * (MAX + 10),
        "nested": nested.encode(),
        "dotted": ("a" + ".a" * 100_000 + " = 1\n").encode(),
        "truncated": good.rstrip()[:-3].encode(),
    }
    return contents[case]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Each bad case for each kind of file, with the kind's suffix; and the good files."""
    root = tmp_path_factory.mktemp("corpus")
    files: dict[tuple[str, str], Path] = {}
    store = root / "cases.sqlite"
    assert main(["store", "init", str(store)]) == 0
    files["store", "good"] = store
    huge = root / "huge.dat"
    huge.write_bytes(_bad_bytes("huge", "", ""))
    for kind, (suffix, good) in GOOD.items():
        path = root / f"good-{kind}{suffix}"
        path.write_text(good, encoding="utf-8")
        files[kind, "good"] = path
        bom = root / f"bom-{kind}{suffix}"
        bom.write_bytes(codecs.BOM_UTF8 + good.encode())
        files[kind, "bom"] = bom
        for case in BAD_CASES:
            path = root / f"{case}-{kind}{suffix}"
            if case == "directory":
                path.mkdir()
            elif case == "huge":
                path = huge
            elif case != "missing":
                path.write_bytes(_bad_bytes(case, suffix, good))
            files[kind, case] = path
    return files


def _fresh_store(folder: Path) -> Path:
    """A new, empty store for one run (a command that imports changes its store)."""
    path = folder / f"store-{len(list(folder.glob('store-*')))}.sqlite"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["store", "init", str(path)]) == 0
    return path


def _argv(
    command: Command, corpus: dict[tuple[str, str], Path], target: argparse.Action, case: str
) -> list[str]:
    """The command line with ``case`` for ``target`` and good files for its other inputs."""
    argv = list(command.words)
    for action in (*command.required, *command.files):
        if action.type is input_file:
            if action is not target and not (action.required or not action.option_strings):
                continue  # an optional file: left out unless it is the one under test
            value = str(corpus[_kind(command, action), case if action is target else "good"])
        elif action.dest == "store":
            value = str(_fresh_store(corpus["store", "good"].parent))
        else:
            value = OTHER_VALUES[action.dest]
        argv.extend([value] if not action.option_strings else [action.option_strings[0], value])
    argv.extend(CHOSEN_OPTIONS.get(command.name, []))
    return argv


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


CASES = [
    pytest.param(command, action, case, id=f"{command.name}-{action.dest}-{case}")
    for command in COMMANDS
    for action in command.files
    for case in BAD_CASES
]


@pytest.mark.parametrize(("command", "target", "case"), CASES)
def test_bad_file_is_refused_in_one_line(
    command: Command, target: argparse.Action, case: str, corpus: dict[tuple[str, str], Path]
) -> None:
    """Exit 1, one stderr line naming the file, no traceback, no Python name; quickly."""
    path = corpus[_kind(command, target), case]
    start = time.perf_counter()
    code, out, err = _run(_argv(command, corpus, target, case))
    elapsed = time.perf_counter() - start
    lines = err.splitlines()
    assert "Traceback" not in out + err
    assert "vss_care_core" not in err
    assert len(lines) == 1, err
    assert str(path) in lines[0]
    if case == "empty" and _kind(command, target) in LINE_BY_LINE:
        assert code == 0  # nothing to count is not an error, but it is said
        assert lines[0].startswith("vss-care: note: ")
    else:
        assert code == 1
        assert lines[0].startswith("vss-care: error: ")
    assert elapsed < 5, f"{elapsed:.1f} s"


@pytest.mark.parametrize(
    ("command", "target"),
    [
        pytest.param(command, action, id=f"{command.name}-{action.dest}")
        for command in COMMANDS
        for action in command.files
    ],
)
def test_bom_is_accepted(
    command: Command, target: argparse.Action, corpus: dict[tuple[str, str], Path]
) -> None:
    """A UTF-8 file with a byte-order mark reads exactly as the same file without it."""
    plain = _run(_argv(command, corpus, target, "good"))
    marked = _run(_argv(command, corpus, target, "bom"))
    assert plain[0] == 0, plain[2]
    assert marked[0] == plain[0]
    stores = re.compile(r"store-\d+\.sqlite")  # each run has a fresh store of its own
    assert stores.sub("store", marked[1].replace("/bom-", "/good-")) == stores.sub(
        "store", plain[1]
    )


def test_messages_of_the_corpus(corpus: dict[tuple[str, str], Path]) -> None:
    """What the messages say, for a few of the cases above."""

    def error(kind: str, case: str, *argv: str) -> str:
        code, _, err = _run([*argv, str(corpus[kind, case])])
        assert code == 1
        return err.removeprefix("vss-care: error: ").strip()

    path = corpus["inquiry", "binary"]
    assert error("inquiry", "binary", "validate") == (
        f"{path} is not UTF-8 text (byte 0x80 at offset 0): save it as UTF-8"
    )
    assert "it looks like UTF-16" in error("rules", "utf-16", "rules", "check")
    assert "does not exist: check the path" in error("rules", "missing", "rules", "check")
    assert "is a directory, not a file" in error("inquiry", "directory", "validate")
    assert "is too large (5,000,010 bytes; at most 5,000,000)" in error(
        "rules", "huge", "rules", "check"
    )
    assert "is empty" in error("rules", "empty", "rules", "check")
    assert "a dotted key has more than 16 parts (at line 1)" in error(
        "rules", "dotted", "rules", "check"
    )
    assert "nest far too deeply" in error(
        "directory", "nested", "rules", "check", str(corpus["rules", "good"]), "--directory"
    )
    assert "the text ends too early: is the file cut short?" in error(
        "inquiry", "truncated", "validate"
    )
    assert "line 1: not UTF-8 text (byte 0xe9 at offset 16 of the line)" in error(
        "events", "latin-1", "report"
    )
    assert "add --skip-bad" in error("events", "nested", "report")


# ----------------------------------------------------------------- through a real process
def _process(*argv: str, **options: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter, our own arguments
        [sys.executable, "-m", "vss_care_core.cli", *argv],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        **options,
    )


def test_in_a_real_process(corpus: dict[tuple[str, str], Path]) -> None:
    """The installed entry point behaves as main() does: one line, exit 1, no traceback."""
    for argv in (
        ["report", str(corpus["events", "utf-16"])],
        ["route", str(corpus["inquiry", "good"]), "--rules", str(corpus["rules", "nested"])],
    ):
        done = _process(*argv)
        assert done.returncode == 1
        assert done.stdout == ""
        assert len(done.stderr.splitlines()) == 1, done.stderr
        assert argv[-1] in done.stderr
        assert "Traceback" not in done.stderr


def test_broken_pipe_ends_quietly() -> None:
    """Output to a reader that went away (``| head``) ends with 141 and no message."""
    process = subprocess.Popen(
        [sys.executable, "-m", "vss_care_core.cli", "schema", "Inquiry"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()  # before the command writes: its first write finds no reader
    err = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=120) == EXIT_BROKEN_PIPE
    assert err == b""


def test_broken_pipe_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """main() itself turns a closed pipe into the conventional code, without a message."""

    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    err = io.StringIO()
    monkeypatch.setattr(sys, "stdout", Closed())
    with contextlib.redirect_stderr(err):
        assert main(["calendar", "2026"]) == EXIT_BROKEN_PIPE
    assert err.getvalue() == ""


def test_an_unexpected_failure_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug prints one line, without the error's text (it may quote the input), exit 70."""
    from vss_care_core.cli import _models  # noqa: PLC0415

    def broken(_args: argparse.Namespace) -> int:
        raise AttributeError("Nguyễn Văn An 0912345678")

    monkeypatch.setattr(_models, "_provinces", broken)
    code, _, err = _run(["provinces"])
    assert code == EXIT_INTERNAL_ERROR
    assert err.splitlines() == [err.strip()]
    assert "internal error (AttributeError)" in err
    assert "0912345678" not in err


# -------------------------------------------------------------------- random inputs
@settings(max_examples=40)
@given(data=st.binary(max_size=300))
def test_random_bytes_never_crash(data: bytes, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Any bytes, to the commands that read a file whole or line by line: exit 0 or 1."""
    path = tmp_path_factory.mktemp("random") / "input.json"
    path.write_bytes(data)
    for argv in (["validate"], ["rules", "check"], ["report"], ["calendar", "2026", "--schedule"]):
        code, out, err = _run([*argv, str(path)])
        assert code in (0, 1)
        assert "Traceback" not in out + err
        if code == 1 and err:
            assert err.startswith(("vss-care: error: ", f"{path}: ")), err


@settings(max_examples=40)
@given(cut=st.integers(0, len(RULES_TOML)), junk=st.sampled_from(["", '"', "[", "{", "\\", "."]))
def test_damaged_rules_never_crash(
    cut: int, junk: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A rules file cut anywhere, or with a stray character: checked or refused, never a crash."""
    path = tmp_path_factory.mktemp("damaged") / "rules.toml"
    path.write_text(RULES_TOML[:cut] + junk + RULES_TOML[cut:], encoding="utf-8")
    code, out, err = _run(["rules", "check", str(path)])
    assert code in (0, 1)
    assert "Traceback" not in out + err
    assert (out.startswith(f"{path}: ") and not err) or err.startswith(f"vss-care: error: {path}")


# -------------------------------------------------------------------- the reading helper
class TestReading:
    def test_bom_dropped_and_offsets_counted_from_the_start(self, tmp_path: Path) -> None:
        path = tmp_path / "a.json"
        path.write_bytes(codecs.BOM_UTF8 + b'{"a": "caf\xe9"}')
        with pytest.raises(InvalidInputError, match=r"byte 0xe9 at offset 13\)"):
            inputs.read_text(path)
        path.write_bytes(codecs.BOM_UTF8 + '{"a": "Huế"}'.encode())
        assert inputs.load_json(path) == {"a": "Huế"}

    def test_size_bounded_before_reading(self, tmp_path: Path) -> None:
        path = tmp_path / "big.toml"
        path.write_bytes(b"#" * 101)
        with pytest.raises(InvalidInputError, match=r"too large \(101 bytes; at most 100\)"):
            inputs.read_text(path, max_bytes=100)
        assert inputs.read_text(path, max_bytes=101) == "#" * 101

    def test_json_or_toml_by_name(self, tmp_path: Path) -> None:
        (tmp_path / "r.json").write_text('{"default": "X"}', encoding="utf-8")
        (tmp_path / "r.toml").write_text('default = "X"', encoding="utf-8")
        assert inputs.load_document(tmp_path / "r.json") == inputs.load_document(
            tmp_path / "r.toml"
        )
        (tmp_path / "j.toml").write_text('{"default": "X"}', encoding="utf-8")
        with pytest.raises(
            InvalidInputError, match=r"it looks like JSON: give the file a \.json name"
        ):
            inputs.load_document(tmp_path / "j.toml")

    def test_long_line_cut_and_the_rest_skipped(self, tmp_path: Path) -> None:
        path = tmp_path / "log.jsonl"
        path.write_bytes(codecs.BOM_UTF8 + b"one\n" + b"x" * 50 + b"\n" + b"three\n")
        lines = list(inputs.read_lines(path, max_line_bytes=10))
        assert lines == [b"one\n", b"x" * 11, b"three\n"]

    def test_utf16_log_refused_at_once(self, tmp_path: Path) -> None:
        path = tmp_path / "log.jsonl"
        path.write_bytes("{}\n{}\n".encode("utf-16"))
        with pytest.raises(InvalidInputError, match="it looks like UTF-16"):
            next(inputs.read_lines(path))

    def test_dotted_keys_refused_fast(self) -> None:
        """A 200 KB file of one dotted key: refused in far less than a second (tomllib alone
        would take minutes)."""
        text = "a" + ".a" * 100_000 + " = 1\n"
        start = time.perf_counter()
        with pytest.raises(InvalidInputError, match="more than 16 parts"):
            inputs.parse_toml(text)
        assert time.perf_counter() - start < 0.5

    def test_numbers_too_long(self) -> None:
        for parse in (inputs.parse_json, inputs.parse_toml):
            text = "1" + "0" * 5000 if parse is inputs.parse_json else "default = 1" + "0" * 5000
            with pytest.raises(InvalidInputError, match="a number has more than 4,300 digits"):
                parse(text)


_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(alphabet='ab[]{}"\\. ', max_size=4),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(alphabet="ab[]{}.", max_size=3), children, max_size=3)
    ),
    max_leaves=120,
)


def _depth(value: object) -> int:
    """The oracle: how deeply lists and mappings nest in a parsed value."""
    if isinstance(value, list):
        return 1 + max((_depth(item) for item in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(item) for item in value.values()), default=0)
    return 0


def _wrapped(value: object, levels: int) -> object:
    for index in range(levels):
        value = [value] if index % 2 else {"k": value}
    return value


@given(value=_values, levels=st.integers(0, 80))
def test_json_nesting_agrees_with_the_oracle(value: object, levels: int) -> None:
    """The scan refuses a JSON text exactly when the parsed value nests beyond the bound."""
    document = _wrapped(value, levels)
    text = json.dumps(document)
    too_deep = _depth(document) > inputs.MAX_NESTING
    assert (inputs.json_nesting_problem(text) is not None) == too_deep
    if too_deep:
        with pytest.raises(InvalidInputError, match="nest far too deeply"):
            inputs.parse_json(text)
    else:
        assert inputs.parse_json(text) == document


@given(value=_values, levels=st.integers(0, 80))
def test_toml_nesting_agrees_with_the_oracle(value: object, levels: int) -> None:
    """The same for TOML written with inline tables and arrays (strings full of brackets)."""
    value = _without_none(value)
    assume(value is not None)
    document = {"x": _wrapped(value, levels)}
    text = table_to_toml(document)
    if _depth(document["x"]) > inputs.MAX_NESTING:
        with pytest.raises(InvalidInputError, match="nest far too deeply"):
            inputs.parse_toml(text)
    else:
        assert inputs.parse_toml(text) == _as_toml_reads(document)


def _without_none(value: object) -> object:
    if isinstance(value, list):
        return [_without_none(item) for item in value if item is not None]
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    return value


def _as_toml_reads(value: object) -> object:
    return json.loads(json.dumps(value))


@given(
    parts=st.lists(st.sampled_from(["a", "b-c", '"x.y"', "'[z]'", "1"]), min_size=1, max_size=30),
    spaced=st.booleans(),
)
def test_dotted_keys_agree_with_the_oracle(parts: list[str], spaced: bool) -> None:
    """A dotted key is refused exactly when it has more parts than the bound."""
    key = (" . " if spaced else ".").join(parts)
    text = (
        f"{key} = 1.5\n"
        "# a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s\n"
        "note = 'a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q'\n"
    )
    if len(parts) > inputs.MAX_KEY_PARTS:
        with pytest.raises(InvalidInputError, match="dotted key"):
            inputs.parse_toml(text)
    else:
        value: Any = inputs.parse_toml(text)
        for part in parts:
            value = value[part.strip("\"'")]
        assert value == 1.5


class TestDescribeErrors:
    def test_paths_as_written_and_zone_hint(self) -> None:
        from pydantic import ValidationError  # noqa: PLC0415

        from vss_care_core.models import Inquiry  # noqa: PLC0415

        document = json.loads(_inquiry_json())
        document["received_at"] = "2026-03-02T09:00:00"
        document["requester"]["citizen_id"] = "123"
        document["attachments"] = [{"filename": "", "media_type": "text/plain", "size": 1}]
        document["requestr"] = {}
        with pytest.raises(ValidationError) as caught:
            Inquiry.model_validate_json(json.dumps(document))
        described = inputs.describe_errors(caught.value, document, models=(Inquiry,))
        places = [problem.split(":")[0] for problem in described]
        assert "requester.citizen_id" in places
        assert any(place.startswith("attachments[0]") for place in places)
        assert (
            "received_at: has no time zone: write it with its offset, e.g. "
            "2026-03-02T09:00:00+07:00" in described
        )
        assert "requestr: is not a known field: did you mean 'requester'?" in described
        assert not any("123" in problem for problem in described)
