"""``vss-care store init | import | export``: one clear line for every refusal, no traceback."""

from __future__ import annotations

import contextlib
import io
import socket
from datetime import timedelta
from pathlib import Path

import pytest
from workload import make_move, new_case

import vss_care_core.cli
from conftest import Backend
from vss_care_core.monitoring import SatisfactionResponse, encode_record
from vss_care_core.store import open_store


@pytest.fixture(autouse=True)
def _store_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    """The store commands, registered as the command line registers its modules."""
    modules = vss_care_core.cli._COMMAND_MODULES
    if "_store" not in modules:
        monkeypatch.setattr(vss_care_core.cli, "_COMMAND_MODULES", (*modules, "_store"))


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = vss_care_core.cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


def refused(*argv: str) -> str:
    """The one error line of a refused command (exit 1, no traceback)."""
    code, out, err = run(*argv)
    assert code == 1, err
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("vss-care: error: ")
    return lines[0].removeprefix("vss-care: error: ")


def _log_lines() -> list[str]:
    """An event log of three cases, with a survey response (which a store leaves out)."""
    cases = [new_case(number) for number in range(3)]
    for number, case in enumerate(cases):
        for _ in range(number + 1):
            make_move(case, by="agent-1")
    lines = []
    for case in cases:
        lines += [encode_record(case.inquiry), *(encode_record(e) for e in case.history)]
    survey = SatisfactionResponse(
        case_id="c-0", answered_at=cases[0].history[-1].at + timedelta(hours=1), overall=5
    )
    return [*lines[:4], encode_record(survey), *lines[4:]]


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(_log_lines()) + "\n", encoding="utf-8")
    return path


def test_init_import_export_round_trip(backend: Backend, log: Path, tmp_path: Path) -> None:
    """The export of an imported log is the log, survey responses left out; importing again
    stores nothing more."""
    location = backend.new_location()
    code, out, _ = run("store", "init", location)
    assert code == 0
    assert "case store ready (schema version 2, 0 records in its outbox)" in out
    code, out, err = run("store", "import", location, str(log))
    assert code == 0, err
    assert "imported 3 inquiries and " in out
    assert "1 satisfaction response(s) left out" in err
    code, out, err = run("store", "import", location, str(log))
    assert code == 0, err
    assert "imported 0 inquiries and 0 events" in out
    written = log.read_text(encoding="utf-8").splitlines()
    expected = [line for line in written if '"type":"satisfaction"' not in line]
    code, out, err = run("store", "export", location)
    assert code == 0, err
    assert out.splitlines() == expected
    assert f"exported positions 1–{len(expected)}; continue with --from-cursor" in err
    code, out, _ = run("store", "export", location, "--from-cursor", "4")
    assert out.splitlines() == expected[4:]
    target = tmp_path / "export.jsonl"
    code, out, _ = run("store", "export", location, "-o", str(target))
    assert (code, out) == (0, "")
    assert target.read_text(encoding="utf-8").splitlines() == expected
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_a_consumer_resumes_where_it_stopped(backend: Backend, log: Path) -> None:
    """--consumer exports what its cursor has not reached, then acknowledges it."""
    location = backend.new_location()
    run("store", "init", location)
    run("store", "import", location, str(log))
    _, first, _ = run("store", "export", location, "--consumer", "kpi")
    with open_store(location) as store:
        assert store.cursor("kpi") == store.last_position()
        case = store.load("c-1")
        read = case.version
        event = make_move(case, by="agent-2")
        store.append(event, expected_version=read)
    _, second, _ = run("store", "export", location, "--consumer", "kpi")
    assert second.splitlines() == [encode_record(event)]
    code, third, err = run("store", "export", location, "--consumer", "kpi")
    assert (code, third) == (0, "")
    assert "nothing exported" in err
    assert len(first.splitlines()) > 1


def test_a_bad_log_imports_nothing(backend: Backend, tmp_path: Path) -> None:
    """A malformed line, or a move its case does not allow, names the file and the line; the
    store is left empty."""
    location = backend.new_location()
    run("store", "init", location)
    lines = _log_lines()
    cut = tmp_path / "cut.jsonl"
    cut.write_text("\n".join([*lines[:3], lines[3][:40], *lines[4:]]) + "\n", encoding="utf-8")
    message = refused("store", "import", location, str(cut))
    assert message.startswith(f"{cut}, line 4: not a JSON object")
    assert message.endswith("nothing was imported")
    swapped = tmp_path / "swapped.jsonl"
    swapped.write_text("\n".join([lines[0], lines[2], lines[1]]) + "\n", encoding="utf-8")
    message = refused("store", "import", location, str(swapped))
    assert message.startswith(f"{swapped}, line 2: ")
    with open_store(location) as store:
        assert store.last_position() == 0


def test_an_empty_log_is_said(backend: Backend, tmp_path: Path) -> None:
    """An empty log is nothing to import, and the command says so."""
    location = backend.new_location()
    run("store", "init", location)
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    code, out, err = run("store", "import", location, str(empty))
    assert (code, out) == (0, "")
    assert err == f"vss-care: note: {empty} is empty: nothing was imported\n"


def test_stores_that_cannot_be_opened(tmp_path: Path, log: Path) -> None:
    """Not a database, no store yet, a server that refuses: one line naming the store."""
    text = tmp_path / "notes.txt"
    text.write_text("không phải cơ sở dữ liệu\n", encoding="utf-8")
    assert refused("store", "init", str(text)).startswith(f"{text}: is not a SQLite database")
    missing = tmp_path / "missing.sqlite3"
    assert "there is no case store here" in refused("store", "export", str(missing))
    assert "there is no case store here" in refused("store", "import", str(missing), str(log))
    assert not missing.exists()
    pytest.importorskip("psycopg")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    message = refused("store", "export", f"postgresql://care:pw-9x@127.0.0.1:{port}/cases")
    assert message.startswith(f"postgresql://care@127.0.0.1:{port}/cases: cannot connect")
    assert "pw-9x" not in message


def test_a_bad_log_file(tmp_path: Path) -> None:
    """A log that is missing or UTF-16 is refused naming it (the store is fine)."""
    location = str(tmp_path / "cases.sqlite3")
    run("store", "init", location)
    assert "does not exist" in refused("store", "import", location, str(tmp_path / "nope.jsonl"))
    utf16 = tmp_path / "utf16.jsonl"
    utf16.write_bytes("\n".join(_log_lines()).encode("utf-16"))
    assert refused("store", "import", location, str(utf16)).startswith(str(utf16))


def test_a_position_is_a_whole_number(tmp_path: Path) -> None:
    """--from-cursor takes a whole number from 0: a usage error otherwise (exit 2)."""
    location = str(tmp_path / "cases.sqlite3")
    run("store", "init", location)
    err = io.StringIO()
    with pytest.raises(SystemExit) as raised, contextlib.redirect_stderr(err):
        vss_care_core.cli.main(["store", "export", location, "--from-cursor", "-3"])
    assert raised.value.code == 2
    assert "is not a position" in err.getvalue()
