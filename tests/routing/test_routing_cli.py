"""The routing commands, through vss_care_core.cli.main."""

from __future__ import annotations

import json
import tomllib

import pytest

from vss_care_core.cli import main

INQUIRY = {
    "channel": "email",
    "received_at": "2026-03-02T09:30:00+07:00",
    "requester": {"type": "individual", "province": "Bình Dương", "name": "Lê Văn Cường"},
    "subject": "Đổi thẻ BHYT",
    "content": "Tôi muốn đổi thẻ BHYT",
    "kind": "support",
    "topic": "health-card",
}

OLD = """
[[rules]]
name = "all"
destination = "VSS-CSKH"
"""

NEW = """
[[rules]]
name = "cards"
when = { topic = ["health-card"] }
destination = "provincial-office"
fallback = "VSS-THU"

[[rules]]
name = "all"
destination = "VSS-CSKH"
"""


@pytest.fixture
def files(tmp_path):
    """An inquiry file, two rules files and a JSON Lines file of inquiries."""
    inquiry = tmp_path / "inquiry.json"
    inquiry.write_text(json.dumps(INQUIRY, ensure_ascii=False), encoding="utf-8")
    old = tmp_path / "old.toml"
    old.write_text(OLD, encoding="utf-8")
    new = tmp_path / "new.toml"
    new.write_text(NEW, encoding="utf-8")
    lines = []
    for province in ["Hà Nội", "Hà Nội", "Huế", None]:
        item = dict(INQUIRY, requester={"type": "individual", "province": province})
        lines.append(json.dumps(item, ensure_ascii=False))
    lines.append(json.dumps(dict(INQUIRY, topic="pension"), ensure_ascii=False))
    stream = tmp_path / "inquiries.jsonl"
    stream.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    return {"inquiry": inquiry, "old": old, "new": new, "stream": stream}


def test_route_default_table(files, capsys):
    """The decision as JSON, with the default table."""
    assert main(["route", str(files["inquiry"])]) == 0
    decision = json.loads(capsys.readouterr().out)
    assert decision["unit"] == "BHXH-TP-HO-CHI-MINH"
    assert decision["rule"] == "ho-so-ca-nhan"


def test_route_explain_with_rules(files, capsys):
    """--explain prints each rule tried, without the requester's name."""
    assert main(["route", str(files["inquiry"]), "--rules", str(files["new"]), "--explain"]) == 0
    out = capsys.readouterr().out
    assert "rule 1 'cards': matched" in out
    assert "→ BHXH-TP-HO-CHI-MINH" in out
    assert "Cường" not in out


def test_route_invalid_inquiry(tmp_path, capsys):
    """An invalid inquiry is an error, exit 1."""
    bad = tmp_path / "bad.json"
    bad.write_text('{"channel": "fax"}', encoding="utf-8")
    assert main(["route", str(bad)]) == 1
    assert "not a valid inquiry" in capsys.readouterr().err


def test_rules_check_ok(files, capsys):
    """A clean file: exit 0."""
    assert main(["rules", "check", str(files["new"])]) == 0
    assert "no problems (2 rules)" in capsys.readouterr().out


def test_rules_check_problems(tmp_path, capsys):
    """Every problem printed, exit 1."""
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[rules]]\nname = "a"\nwhen = { channel = ["phone"] }\ndestination = "NOPE"\n'
        '[[rules]]\nname = "a"\nwhen = { channel = ["phone"] }\ndestination = "VSS-CSKH"\n',
        encoding="utf-8",
    )
    assert main(["rules", "check", str(bad)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("bad.toml: 4 problems")
    assert out[1].startswith("  - rule 1 'a': destination 'NOPE' is not a unit")
    assert out[2].startswith("  - rule 2 'a': the name is already used by rule 1")
    assert out[3].startswith("  - rule 2 'a': can never decide: rule 1 'a' comes first")
    assert out[4].startswith("  - no default destination")


def test_rules_diff(files, capsys):
    """How many inquiries change destination, as a from → to table."""
    args = ["rules", "diff", str(files["old"]), str(files["new"]), "--inquiries"]
    assert main([*args, str(files["stream"])]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "5 inquiries, 4 would change destination (80.0%)",
        "from      to           count",
        "VSS-CSKH  BHXH-HA-NOI      2",
        "VSS-CSKH  BHXH-HUE         1",
        "VSS-CSKH  VSS-THU          1",
    ]


def test_rules_diff_bad_line(files, tmp_path, capsys):
    """A bad line is reported with its number."""
    stream = tmp_path / "bad.jsonl"
    stream.write_text(json.dumps(INQUIRY) + "\n{}\n", encoding="utf-8")
    args = ["rules", "diff", str(files["old"]), str(files["new"]), "--inquiries", str(stream)]
    assert main(args) == 1
    assert "bad.jsonl, line 2: not a valid inquiry" in capsys.readouterr().err


def test_custom_directory(files, tmp_path, capsys):
    """--directory replaces the built-in directory."""
    directory = tmp_path / "units.json"
    directory.write_text(
        json.dumps({"units": [{"code": "ONLY", "name_vi": "Đơn vị", "level": "central"}]}),
        encoding="utf-8",
    )
    rules = tmp_path / "only.toml"
    rules.write_text('[[rules]]\nname = "x"\ndestination = "ONLY"\n', encoding="utf-8")
    argv = ["route", str(files["inquiry"]), "--rules", str(rules), "--directory", str(directory)]
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["unit"] == "ONLY"
    assert main(["rules", "check", str(files["new"]), "--directory", str(directory)]) == 1


def test_rules_without_command(capsys):
    """'vss-care rules' alone prints its help, exit 2."""
    assert main(["rules"]) == 2
    assert "check" in capsys.readouterr().out


def _rules_json(tmp_path, text):
    """The rules of a TOML text, written as a JSON rules file."""
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(tomllib.loads(text), ensure_ascii=False), encoding="utf-8")
    return path


def test_json_rules_work_wherever_toml_does(files, tmp_path, capsys):
    """route --rules, rules check and rules diff read a .json rules file as JSON."""
    rules = _rules_json(tmp_path, NEW)
    assert main(["route", str(files["inquiry"]), "--rules", str(rules)]) == 0
    assert json.loads(capsys.readouterr().out)["rule"] == "cards"
    assert main(["rules", "check", str(rules)]) == 0
    assert "no problems (2 rules)" in capsys.readouterr().out
    args = ["rules", "diff", str(files["old"]), str(rules), "--inquiries", str(files["stream"])]
    assert main(args) == 0
    assert capsys.readouterr().out.startswith("5 inquiries, 4 would change destination")


def test_json_in_a_toml_file_is_pointed_out(files, tmp_path, capsys):
    """A JSON document in a .toml file: the error says it looks like JSON."""
    rules = tmp_path / "rules.toml"
    rules.write_text(_rules_json(tmp_path, NEW).read_text("utf-8"), encoding="utf-8")
    assert main(["rules", "check", str(rules)]) == 1
    assert "it looks like JSON: give the file a .json name" in capsys.readouterr().err


def test_diff_says_which_file_is_bad(files, tmp_path, capsys):
    """A refusal names the file and whether it is OLD or NEW."""
    bad = tmp_path / "bad.toml"
    bad.write_text('[[rules]]\nname = "x"\ndestination = "NOPE"\n', encoding="utf-8")
    for argv, role in (([files["old"], bad], "NEW"), ([bad, files["new"]], "OLD")):
        args = ["rules", "diff", *map(str, argv), "--inquiries", str(files["stream"])]
        assert main(args) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"vss-care: error: {bad} ({role}) is not valid (1 problem):")
        assert "destination 'NOPE' is not a unit" in err


def test_diff_unreadable_file_named(files, tmp_path, capsys):
    """A file that cannot be read is named, whichever of the two it is."""
    bad = tmp_path / "latin1.toml"
    bad.write_bytes('[[rules]]\nname = "Café"\n'.encode("latin-1"))
    args = ["rules", "diff", str(files["old"]), str(bad), "--inquiries", str(files["stream"])]
    assert main(args) == 1
    assert capsys.readouterr().err == (
        f"vss-care: error: {bad} is not UTF-8 text (byte 0xe9 at offset 21): save it as UTF-8\n"
    )


def test_diff_empty_inquiries_said(files, tmp_path, capsys):
    """No inquiry to compare is said, not left to a '0 inquiries' line."""
    empty = tmp_path / "none.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    args = ["rules", "diff", str(files["old"]), str(files["new"]), "--inquiries", str(empty)]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert captured.out == "0 inquiries, 0 would change destination\n"
    assert captured.err == (
        f"vss-care: note: {empty} (--inquiries) holds no inquiry: there is nothing to compare\n"
    )


def test_empty_directory_is_empty(files, tmp_path, capsys):
    """--directory with no units is not replaced by the built-in one: every unit is unknown."""
    directory = tmp_path / "none.json"
    directory.write_text('{"units": []}', encoding="utf-8")
    assert main(["rules", "check", str(files["new"]), "--directory", str(directory)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{files['new']}: 2 problems",
        "  - rule 1 'cards': fallback 'VSS-THU' is not a unit of the directory",
        "  - rule 2 'all': destination 'VSS-CSKH' is not a unit of the directory (add the unit to "
        "the directory or correct the code)",
    ]
    assert main(["route", str(files["inquiry"]), "--directory", str(directory)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        f"vss-care: error: the built-in routing table, on the units of {directory} (--directory),"
        " is not valid"
    )


def test_directory_problems_named(files, tmp_path, capsys):
    """A directory the library refuses is said of its file and the option."""
    directory = tmp_path / "units.json"
    directory.write_text('{"units": [{"code": "A", "name_vi": "A", "levle": "central"}]}', "utf-8")
    assert main(["route", str(files["inquiry"]), "--directory", str(directory)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"vss-care: error: {directory} (--directory) is not valid (2 problems):",
        "  - unit 'A': level: is missing: add it",
        "  - unit 'A': levle: is not a known field: did you mean 'level'?",
    ]
    directory.write_text("[]", encoding="utf-8")
    assert main(["route", str(files["inquiry"]), "--directory", str(directory)]) == 1
    assert '"units" list' in capsys.readouterr().err


def test_route_bad_rules_named_with_the_option(files, tmp_path, capsys):
    """Rules the table refuses are said of the file and of --rules."""
    rules = tmp_path / "r.toml"
    rules.write_text('[[rules]]\nname = "x"\ndestination = "NOPE"\n', encoding="utf-8")
    assert main(["route", str(files["inquiry"]), "--rules", str(rules)]) == 1
    assert capsys.readouterr().err.startswith(f"vss-care: error: {rules} (--rules) is not valid")
