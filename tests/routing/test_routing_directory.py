"""The organisation directory."""

from __future__ import annotations

import json

import pytest

from vss_care_core.errors import CareCoreError, RoutingTableError, UnknownNameError
from vss_care_core.models import PROVINCES, UnitLevel
from vss_care_core.routing import Directory, RoutingTable, check_table, vss_directory


def test_default_directory_shape():
    """One provincial office per province, the Care Center, departments and agencies."""
    directory = vss_directory()
    offices = directory.at_level(UnitLevel.PROVINCIAL)
    assert len(offices) == 34
    assert sorted(o.provinces[0] for o in offices) == sorted(PROVINCES)
    assert directory["VSS-CSKH"].name_vi == "Trung tâm Chăm sóc khách hàng"
    assert directory["VSS-CSKH"].contact.phone == "1900 9068"
    assert {u.code for u in directory.at_level("external")} == {"EXT-BNV", "EXT-BYT"}
    assert all(u.assumed for u in directory.at_level("department"))
    assert "VSS" in directory
    assert directory.parent_of("BHXH-HUE") is directory["VSS"]
    assert directory.parent_of("VSS") is None


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Hà Nội", "BHXH-HA-NOI"),
        ("tinh Binh Duong", "BHXH-TP-HO-CHI-MINH"),
        ("Yên Bái", "BHXH-LAO-CAI"),
        ("Quảng Nam", "BHXH-DA-NANG"),
    ],
)
def test_provincial_office_by_current_or_former_name(name, code):
    """Former (pre-July-2025) names find the merged province's office."""
    office = vss_directory().provincial_office(name)
    assert office is not None
    assert office.code == code


def test_unknown_province_has_no_office():
    """An unknown name gives None."""
    assert vss_directory().provincial_office("Atlantis") is None


def test_with_units_adds_grassroots_office():
    """Grassroots offices are added as data under their provincial office."""
    directory = vss_directory().with_units(
        [
            {
                "code": "BHXH-HUE-CS-1",
                "name_vi": "Bảo hiểm xã hội cơ sở Phú Xuân",
                "level": "grassroots",
                "parent": "BHXH-HUE",
                "provinces": ["Huế"],
            }
        ]
    )
    assert len(directory) == len(vss_directory()) + 1
    assert directory.parent_of("BHXH-HUE-CS-1").code == "BHXH-HUE"
    assert "BHXH-HUE-CS-1" not in vss_directory()


def test_every_problem_at_once():
    """Duplicates, unknown parents, loops, two offices for a province, bad levels."""
    with pytest.raises(RoutingTableError) as caught:
        Directory(
            [
                {"code": "A", "name_vi": "A", "level": "central", "parent": "B"},
                {"code": "B", "name_vi": "B", "level": "central", "parent": "A"},
                {"code": "D", "name_vi": "D", "level": "central"},
                {"code": "D", "name_vi": "D2", "level": "central"},
                {"code": "P1", "name_vi": "P", "level": "provincial", "provinces": ["Huế"]},
                {
                    "code": "P2",
                    "name_vi": "P",
                    "level": "provincial",
                    "provinces": ["Thừa Thiên Huế"],
                },
                {"code": "G", "name_vi": "G", "level": "grassroots", "parent": "A"},
                {"code": "X", "name_vi": "X", "level": "district"},
                {"code": "Y", "name_vi": "Y", "level": "central", "parent": "NOPE"},
            ]
        )
    problems = caught.value.problems
    assert problems == (
        "unit 'X': level: Input should be 'central', 'department', 'provincial', "
        "'grassroots' or 'external'",
        "unit code 'D' is used twice: give each unit its own code",
        "unit 'A': its chain of parents loops",
        "unit 'B': its chain of parents loops",
        "unit 'P2': province 'Huế' already has a provincial office, 'P1'",
        "unit 'G': a grassroots office's parent must be a provincial office",
        "unit 'G': its chain of parents loops",
        "unit 'Y': parent 'NOPE' is not a unit of the directory",
    )


def test_from_json_errors():
    """Malformed JSON and a wrong shape are reported."""
    with pytest.raises(RoutingTableError, match="not valid JSON"):
        Directory.from_json("{")
    with pytest.raises(RoutingTableError, match='"units" list'):
        Directory.from_json("[]")


def test_from_json_file(tmp_path):
    """A file is read as UTF-8 (a byte-order mark is fine); a bad one is refused, named."""
    path = tmp_path / "units.json"
    units = {"units": [{"code": "A", "name_vi": "Đơn vị A", "level": "central"}]}
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(units, ensure_ascii=False).encode())
    assert Directory.from_json(path)["A"].name_vi == "Đơn vị A"
    path.write_bytes(json.dumps(units, ensure_ascii=False).encode("utf-16"))
    with pytest.raises(RoutingTableError) as caught:
        Directory.from_json(path)
    assert caught.value.problems == (
        f"{path} is not UTF-8 text (byte 0xff at offset 0; it looks like UTF-16): save it as UTF-8",
    )
    with pytest.raises(RoutingTableError, match="does not exist"):
        Directory.from_json(tmp_path / "none.json")


def test_from_dict_shape():
    """The document must be an object with a units list."""
    assert len(Directory.from_dict({"units": []})) == 0
    for document in ([], {"unit": []}, {"units": {}}):
        with pytest.raises(RoutingTableError, match='"units" list'):
            Directory.from_dict(document)


class TestLookup:
    def test_unknown_code_gives_close_matches(self):
        """A lookup by an unknown code is an UnknownNameError, also a KeyError."""
        with pytest.raises(UnknownNameError) as caught:
            vss_directory()["BHXH-HA-NOY"]
        error = caught.value
        assert isinstance(error, KeyError)
        assert isinstance(error, CareCoreError)
        assert (error.kind, error.name) == ("unit", "BHXH-HA-NOY")
        assert str(error).startswith("unknown unit 'BHXH-HA-NOY': did you mean 'BHXH-HA-NOI'")

    def test_parent_of_unknown_unit(self):
        with pytest.raises(UnknownNameError, match="unknown unit 'NOPE'"):
            vss_directory().parent_of("NOPE")

    def test_get_and_in_do_not_raise(self):
        assert vss_directory().get("NOPE") is None
        assert "NOPE" not in vss_directory()

    def test_empty_directory(self):
        with pytest.raises(UnknownNameError, match="there is no unit at all"):
            Directory([])["VSS"]


class TestEmptyDirectory:
    """An empty directory is empty: it is never replaced by the built-in one."""

    TEXT = '[[rules]]\nname = "all"\ndestination = "VSS-CSKH"\n'

    def test_checks_report_every_unknown_unit(self):
        problems = check_table(self.TEXT, directory=Directory([]))
        assert [(p.code, p.rule) for p in problems] == [("unknown-unit", "all")]
        assert check_table(self.TEXT, directory=None) == ()

    def test_table_refused(self):
        with pytest.raises(RoutingTableError, match="'VSS-CSKH' is not a unit"):
            RoutingTable.from_toml(self.TEXT, directory=Directory([]))
        with pytest.raises(RoutingTableError, match="is not a unit"):
            RoutingTable.default(directory=Directory([]))


def test_with_units_refuses_bad_units_with_every_problem():
    """A bad unit added is a RoutingTableError listing its problems, not a pydantic error."""
    with pytest.raises(RoutingTableError) as caught:
        vss_directory().with_units([{"code": "x", "name_vi": "X", "level": "central"}, "oops"])
    assert caught.value.problems == (
        "unit 'x': code: String should match pattern '^[A-Z0-9][A-Z0-9_.\\-]{0,39}$'",
        "unit #2: the unit: Input should be a valid dictionary or instance of OrgUnit",
    )
