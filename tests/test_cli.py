"""The vss-care command line: version, schema, validate, diagram."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vss_care_core import __version__
from vss_care_core.cli import main
from vss_care_core.testing import make_inquiry


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """--version prints the package version."""
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_schema_default_is_inquiry(capsys: pytest.CaptureFixture[str]) -> None:
    """schema prints the Inquiry JSON Schema by default."""
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Inquiry"


def test_schema_event(capsys: pytest.CaptureFixture[str]) -> None:
    """schema Event prints the event schema."""
    assert main(["schema", "Event"]) == 0
    assert "to_state" in json.loads(capsys.readouterr().out)["properties"]


def test_validate_prints_normal_form(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A valid inquiry is printed normalised (phone in E.164)."""
    data = json.loads(make_inquiry().model_dump_json())
    data["requester"]["phone"] = "0912 345 678"
    path = tmp_path / "inquiry.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["requester"]["phone"] == "+84912345678"


def test_validate_lists_every_error_without_leaking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every error is printed with its field path; the bad ID is not echoed."""
    data = json.loads(make_inquiry().model_dump_json())
    data["requester"]["citizen_id"] = "07920300123"
    data["received_at"] = "2026-03-02T09:00:00"
    data["channel"] = "fax"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "3 error(s)" in err
    assert "requester.individual.citizen_id" in err
    assert "received_at" in err
    assert "channel" in err
    assert "07920300123" not in err


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_diagram(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    """diagram prints the process in the chosen format."""
    assert main(["diagram", "call", "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert ("stateDiagram-v2" in out) if fmt == "mermaid" else out.startswith("digraph call")


def test_missing_file_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    """A missing file gives exit code 1 and a message, not a traceback."""
    assert main(["validate", "no-such-file.json"]) == 1
    assert "no-such-file.json" in capsys.readouterr().err
