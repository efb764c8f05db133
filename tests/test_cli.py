"""The vss-care command line: version, schema, validate, provinces, diagram, calendar."""

from __future__ import annotations

import io
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
    assert "requester.citizen_id" in err  # as written in the file, without pydantic's tag
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
    assert capsys.readouterr().err == (
        "vss-care: error: no-such-file.json does not exist: check the path\n"
    )


def _inquiry_file(tmp_path: Path, **changes: object) -> Path:
    data = json.loads(make_inquiry().model_dump_json())
    for key, value in changes.items():
        if key == "province":
            data["requester"]["province"] = value
        else:
            data[key] = value
    path = tmp_path / "inquiry.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_validate_asks_for_the_offset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A time without a zone: the error says how to write one, in JSON's terms."""
    path = _inquiry_file(tmp_path, received_at="2026-03-02T09:00:00")
    assert main(["validate", str(path)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{path}: 1 error(s)",
        "  received_at: has no time zone: write it with its offset, e.g. 2026-03-02T09:00:00+07:00",
    ]


def test_validate_suggests_close_field_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A misspelt field gets the close matches among the model's fields."""
    path = _inquiry_file(tmp_path, chanel="email")
    assert main(["validate", str(path)]) == 1
    assert "  chanel: is not a known field: did you mean 'channel'?" in capsys.readouterr().err


def test_unknown_province_points_to_a_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command-line user is pointed to 'vss-care provinces', never to a Python name."""
    path = _inquiry_file(tmp_path, province="Atlantis")
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "requester.province: unknown province" in err
    assert "vss-care provinces" in err
    assert "vss_care_core" not in err
    assert main(["route", str(path)]) == 1
    err = capsys.readouterr().err
    assert "vss-care provinces" in err
    assert f"see every error with 'vss-care validate {path}'" in err
    assert "vss_care_core" not in err


def test_validate_refuses_a_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A JSON document that is not an object is refused as such."""
    path = tmp_path / "list.json"
    path.write_text("[]", encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    assert capsys.readouterr().err == (
        f"vss-care: error: {path} holds a list, not an object: write one inquiry as a JSON "
        "object, {...}\n"
    )


def test_validate_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """'-' reads standard input, with the same checks (here: a byte-order mark, accepted)."""
    data = "\ufeff" + make_inquiry().model_dump_json()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data.encode("utf-8"))))
    assert main(["validate", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["channel"] == "email"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"\xff\xfe{\x00")))
    assert main(["validate", "-"]) == 1
    assert "standard input is not UTF-8 text (byte 0xff at offset 0" in capsys.readouterr().err


def test_provinces(capsys: pytest.CaptureFixture[str]) -> None:
    """The 34 provinces, each with the former provinces it absorbed."""
    assert main(["provinces"]) == 0
    out = capsys.readouterr().out.splitlines()
    rows = [line for line in out if line.startswith("  ")]
    assert len(rows) == 34
    assert any(row.startswith("  TP Hồ Chí Minh") and "Bình Dương" in row for row in rows)
    assert "  Hà Nội" in rows  # kept its name: no former name shown
    assert "34 provinces and cities since 1 July 2025" in out[0]


class TestCalendar:
    def test_a_year(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The year's days off and swapped days, with their hours."""
        assert main(["calendar", "2026", "--lang", "en"]) == 0
        out = capsys.readouterr().out
        assert "  2026-01-01 Thu  New Year's Day" in out
        assert "Working days swapped in 2026:" in out

    @pytest.mark.parametrize("year", ["0", "99999", "1900", "2101"])
    def test_years_it_cannot_answer(self, year: str, capsys: pytest.CaptureFixture[str]) -> None:
        """A year outside the holiday data is refused with the range, never '(none)'."""
        with pytest.raises(SystemExit) as info:
            main(["calendar", year])
        assert info.value.code == 2
        err = capsys.readouterr().err
        assert f"{int(year)} is outside the years the calendar knows, 1901 to 2100" in err
        assert "(none)" not in err

    @pytest.mark.parametrize("year", ["1901", "2100"])
    def test_the_ends_of_the_range(self, year: str, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["calendar", year]) == 0
        assert f"Days off in {year}" in capsys.readouterr().out

    def test_schedule_problems_name_the_file(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A schedule the calendar refuses is said of the file and the option."""
        path = tmp_path / "2027.json"
        path.write_text('{"years": {"2027": {"days_off": [{"from": "2027-13-01"}]}}}', "utf-8")
        assert main(["calendar", "2027", "--schedule", str(path)]) == 1
        assert capsys.readouterr().err.startswith(f"vss-care: error: {path} (--schedule) is not")


def test_demo_out_must_be_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--out naming a file is refused before the simulation starts."""
    path = tmp_path / "events.jsonl"
    path.write_text("", encoding="utf-8")
    assert main(["demo", "--out", str(path)]) == 1
    assert capsys.readouterr().err == (
        f"vss-care: error: {path} (--out) is a file: give a directory for events.jsonl and "
        "report.html\n"
    )


def test_interrupted(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Ctrl-C ends with 130 and one word, not a traceback."""
    from vss_care_core.cli import EXIT_INTERRUPTED, _models  # noqa: PLC0415

    def interrupted(_args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(_models, "_provinces", interrupted)
    assert main(["provinces"]) == EXIT_INTERRUPTED
    assert capsys.readouterr().err == "vss-care: interrupted\n"
