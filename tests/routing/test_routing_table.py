"""Routing decisions, explanations, the default table and TOML round trips."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from vss_care_core.errors import InvalidInputError, RoutingTableError
from vss_care_core.models import Priority
from vss_care_core.routing import RoutingTable, TableProblem, check_table, vss_directory

SMALL = """
default = "VSS-CSKH"

[[rules]]
name = "khiếu nại"
when = { kind = ["complaint"] }
destination = "provincial-office"
fallback = "VSS-KT"
effects = { raise_priority = "high", tags = ["khieu-nai"] }

[[rules]]
name = "thẻ"
when = { any_keywords = ["thẻ bhyt"], not = { channel = ["phone"] } }
destination = "VSS-BHYT"
effects = { raise_priority = "low", tags = ["the"] }
"""


@pytest.fixture
def table() -> RoutingTable:
    """A two-rule table with a default."""
    return RoutingTable.from_toml(SMALL)


class TestRoute:
    """Decisions: unit, rule, effects."""

    def test_provincial_office_of_requester(self, table, make_inquiry):
        """A complaint goes to the office of the requester's (current) province."""
        decision = table.route(make_inquiry(kind="complaint", province="Hà Giang"))
        assert decision.unit == "BHXH-TUYEN-QUANG"
        assert decision.unit_name == "Bảo hiểm xã hội tỉnh Tuyên Quang"
        assert (decision.rule, decision.position) == ("khiếu nại", 1)
        assert decision.priority is Priority.HIGH
        assert decision.tags == ("khieu-nai",)
        assert not decision.fallback_used
        assert not decision.forward

    def test_fallback_when_province_unknown(self, table, make_inquiry):
        """Without a province, the rule's fallback unit is used, and said so."""
        decision = table.route(make_inquiry(kind="complaint"))
        assert (decision.unit, decision.fallback_used) == ("VSS-KT", True)
        text = str(table.explain(make_inquiry(kind="complaint")))
        assert "the requester's province is unknown: fallback used" in text

    def test_priority_never_lowered(self, table, make_inquiry):
        """raise_priority raises, never lowers."""
        inquiry = make_inquiry(content="Thẻ BHYT hết hạn", priority="urgent")
        decision = table.route(inquiry)
        assert (decision.unit, decision.priority) == ("VSS-BHYT", Priority.URGENT)

    def test_default_when_nothing_matches(self, table, make_inquiry):
        """The table default decides when no rule matches."""
        decision = table.route(make_inquiry(channel="phone", content="Thẻ BHYT"))
        assert (decision.unit, decision.rule, decision.position) == ("VSS-CSKH", None, None)
        explanation = table.explain(make_inquiry(channel="phone", content="Thẻ BHYT"))
        assert "no rule matched: the table default applies" in str(explanation)

    def test_route_equals_reference(self, table, make_inquiry):
        """The indexed route agrees with trying the rules one by one."""
        for inquiry in (
            make_inquiry(kind="complaint", province="Huế"),
            make_inquiry(content="thẻ bhyt"),
            make_inquiry(channel="phone"),
        ):
            assert table.route(inquiry) == table._reference_route(inquiry)


class TestExplain:
    """Explanations: rules tried in order, each condition, no personal data."""

    def test_rules_tried_in_order(self, table, make_inquiry):
        """Each rule up to the deciding one, with its conditions."""
        explanation = table.explain(make_inquiry(content="Thẻ BHYT của tôi", province="Huế"))
        assert [(r.position, r.name, r.matched) for r in explanation.rules] == [
            (1, "khiếu nại", False),
            (2, "thẻ", True),
        ]
        assert explanation.rules[0].condition.detail == "kind is unknown (no match)"
        assert explanation.decision.unit == "VSS-BHYT"
        assert str(explanation).splitlines() == [
            f"Routing of inquiry {explanation.inquiry_id} (channel email, kind unknown, "
            "policy areas none, topic unknown, priority normal, requester individual, "
            "province Huế, language vi)",
            "rule 1 'khiếu nại': did not match",
            "  [no ] kind in [complaint]: kind is unknown (no match)",
            "rule 2 'thẻ': matched",
            "  [yes] all of: every part held",
            "    [yes] any of the keywords ['thẻ bhyt'] in subject or content: found ['thẻ bhyt']",
            "    [yes] not: the part failed",
            "      [no ] channel in [phone]: channel is email (no match)",
            "→ VSS-BHYT (Ban Thực hiện chính sách bảo hiểm y tế): the destination of rule 2 'thẻ'",
            "  priority normal; tags the",
        ]

    def test_no_personal_data(self, table, make_inquiry):
        """Names, identifiers, phones and text of the inquiry never appear."""
        inquiry = make_inquiry(
            requester={
                "type": "individual",
                "name": "Nguyễn Văn An",
                "citizen_id": "079203001234",
                "phone": "0912345678",
                "email": "an@example.com",
                "province": "Huế",
            },
            subject="Bí mật riêng",
            content="Số nhà 12 phố Huế; thẻ BHYT",
        )
        text = str(table.explain(inquiry)) + table.explain(inquiry).model_dump_json()
        for secret in (
            "Nguyễn",
            "079203001234",
            "0912345678",
            "an@example.com",
            "Số nhà",
            "Bí mật",
        ):
            assert secret not in text


class TestDefaultTable:
    """The default table encodes the seed's principle."""

    @pytest.mark.parametrize(
        ("fields", "unit", "rule"),
        [
            ({"kind": "denunciation"}, "VSS-KT", "to-cao"),
            ({"kind": "complaint", "province": "Long An"}, "BHXH-TAY-NINH", "khieu-nai"),
            ({"kind": "question", "topic": "wages"}, "EXT-BNV", "ngoai-tham-quyen-lao-dong"),
            ({"topic": "medical-care-quality"}, "EXT-BYT", "ngoai-tham-quyen-y-te"),
            ({"content": "Công ty nợ lương tôi 3 tháng"}, "EXT-BNV", "ngoai-tham-quyen-tu-khoa"),
            ({"content": "Công ty nợ lương và nợ BHXH"}, "VSS-CSKH", "con-lai"),
            ({"kind": "support", "topic": "e-services"}, "VSS-CNTT", "dich-vu-cong"),
            (
                {"kind": "support", "topic": "health-card", "province": "Cần Thơ"},
                "BHXH-CAN-THO",
                "ho-so-ca-nhan",
            ),
            ({"kind": "feedback", "topic": "pension"}, "VSS-CSKH", "ho-so-ca-nhan"),
            (
                {"content": "Sổ BHXH của tôi bị sai thông tin", "province": "Đà Nẵng"},
                "BHXH-DA-NANG",
                "ho-so-ca-nhan-tu-khoa",
            ),
            ({"kind": "question", "topic": "pension"}, "VSS-CSKH", "chinh-sach-chung"),
            ({}, "VSS-CSKH", "con-lai"),
        ],
    )
    def test_cases(self, make_inquiry, fields, unit, rule):
        """Hand-checked destinations."""
        decision = RoutingTable.default().route(make_inquiry(**fields))
        assert (decision.unit, decision.rule) == (unit, rule)

    def test_forwarding_is_marked(self, make_inquiry):
        """An outside agency decision says forward."""
        assert RoutingTable.default().route(make_inquiry(topic="wages")).forward

    def test_default_file_passes_checks(self):
        """The shipped file has no problem."""
        path = Path(__file__).parents[2] / "src/vss_care_core/routing/data/default_rules.toml"
        assert check_table(path) == ()


class TestRoundTrip:
    """to_dict / to_toml read back equal."""

    def test_toml_round_trip(self):
        """The default table survives to_toml and from_toml."""
        table = RoutingTable.default()
        assert RoutingTable.from_toml(table.to_toml()) == table
        assert RoutingTable.from_dict(table.to_dict()) == table

    def test_from_toml_path(self, tmp_path):
        """A pathlib.Path is read as a file."""
        path = tmp_path / "rules.toml"
        path.write_text(SMALL, encoding="utf-8")
        assert RoutingTable.from_toml(path) == RoutingTable.from_toml(SMALL)

    def test_other_directory(self):
        """A table is checked against the directory it is given."""
        directory = vss_directory().with_units(
            [{"code": "X-NEW", "name_vi": "Đơn vị mới", "level": "department", "parent": "VSS"}]
        )
        text = '[[rules]]\nname = "new"\ndestination = "X-NEW"\n'
        assert RoutingTable.from_toml(text, directory=directory).rules[0].destination == "X-NEW"
        with pytest.raises(RoutingTableError, match="'X-NEW' is not a unit"):
            RoutingTable.from_toml(text)

    def test_too_large(self):
        """A rules text over the size limit is refused before parsing."""
        with pytest.raises(RoutingTableError, match="at most"):
            RoutingTable.from_toml("#" * 5_000_001)


class TestJson:
    """Rules in JSON: the document of from_dict, read wherever TOML is."""

    def test_from_json_text_and_file(self, tmp_path):
        table = RoutingTable.from_toml(SMALL)
        text = json.dumps(table.to_dict(), ensure_ascii=False)
        assert RoutingTable.from_json(text) == table
        path = tmp_path / "rules.json"
        path.write_text(text, encoding="utf-8")
        assert RoutingTable.from_json(path) == table
        assert check_table(path) == ()

    def test_check_table_reads_a_path_by_its_name(self, tmp_path):
        """A .json path is read as JSON, any other as TOML."""
        path = tmp_path / "rules.json"
        path.write_text('{"rules": [{"name": "x", "destination": "NOPE"}]}', encoding="utf-8")
        assert [p.code for p in check_table(path)] == ["unknown-unit"]
        toml = tmp_path / "rules.toml"
        toml.write_text(path.read_text("utf-8"), encoding="utf-8")
        (problem,) = check_table(toml)
        assert "it looks like JSON: give the file a .json name" in problem.message

    def test_json_syntax_error(self):
        with pytest.raises(RoutingTableError, match=r"not valid JSON: .*\(line 1, column 11\)"):
            RoutingTable.from_json('{"rules": ]')


class TestRefusedWithoutCrashing:
    """Whatever the document, a table problem: never a bare ValueError or AttributeError."""

    @pytest.mark.parametrize("document", [[], 3, None, [{"name": "x"}]])
    def test_not_a_mapping(self, document):
        with pytest.raises(RoutingTableError, match=r"the table is (a list|a number|null):"):
            RoutingTable.from_dict(document)
        (problem,) = check_table(document)
        assert problem.code == "invalid"
        assert "write a table (a TOML document, or a JSON object)" in problem.message

    def test_a_number_too_long(self):
        """A 5,000-digit number is one problem (tomllib alone raises a bare ValueError)."""
        (problem,) = check_table("default = 1" + "0" * 5000)
        assert problem.code == "invalid"
        assert "a number has more than 4,300 digits" in problem.message
        with pytest.raises(RoutingTableError, match="more than 4,300 digits"):
            RoutingTable.from_toml("default = 1" + "0" * 5000)

    def test_deeply_dotted_keys_refused_at_once(self):
        """200 KB of one dotted key: one problem, in far less than a second."""
        start = time.perf_counter()
        (problem,) = check_table("a" + ".a" * 100_000 + " = 1\n")
        assert time.perf_counter() - start < 0.5
        assert "a dotted key has more than 16 parts (at line 1)" in problem.message

    def test_unreadable_file_named(self, tmp_path):
        path = tmp_path / "rules.toml"
        path.write_bytes(b"\xef\xbb\xbf" + SMALL.encode())
        assert RoutingTable.from_toml(path) == RoutingTable.from_toml(SMALL)  # a BOM is fine
        path.write_bytes(SMALL.replace("thẻ", "café").encode("latin-1", errors="replace"))
        with pytest.raises(RoutingTableError) as caught:
            RoutingTable.from_toml(path)
        (message,) = caught.value.problems
        assert message.startswith(f"{path} is not UTF-8 text (byte 0x")
        assert check_table(tmp_path / "none.toml")[0].message.endswith(
            "does not exist: check the path"
        )

    def test_toml_writer_refuses_other_values(self):
        from vss_care_core.routing._toml import table_to_toml  # noqa: PLC0415

        with pytest.raises(InvalidInputError, match="cannot write a set as TOML"):
            table_to_toml({"default": {1, 2}})


def test_problem_str():
    """A problem names its rule by position and name."""
    problem = TableProblem(code="shadowed", rule="a", position=3, message="why")
    assert str(problem) == "rule 3 'a': why"
    assert str(TableProblem(code="no-default", message="why")) == "why"
