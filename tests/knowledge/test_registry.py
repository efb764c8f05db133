"""The legal registry: shipped facts, lookups, dates of effect, and the checks of user data."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vss_care_core.errors import DefinitionError, NaiveDatetimeError, UnknownNameError
from vss_care_core.knowledge import (
    DocumentKind,
    KnowledgeDataError,
    LegalDocument,
    LegalRegistry,
    default_legal_registry,
    load_legal_registry,
)

SHIPPED = (
    Path(__file__).parents[2]
    / "src"
    / "vss_care_core"
    / "knowledge"
    / "data"
    / "legal_documents.json"
)


def _document(number: str, effective: str, **extra: Any) -> dict[str, Any]:
    return {
        "number": number,
        "kind": "law",
        "title_vi": "Luật thử",
        "title_en": "Test law",
        "effective_from": effective,
        "source": "written for this test",
        **extra,
    }


class TestShippedRegistry:
    """The documents the issue names, with their dates."""

    @pytest.mark.parametrize(
        ("number", "effective", "end"),
        [
            ("58/2014/QH13", date(2016, 1, 1), date(2025, 7, 1)),
            ("41/2024/QH15", date(2025, 7, 1), None),
            ("25/2008/QH12", date(2009, 7, 1), None),
            ("46/2014/QH13", date(2015, 1, 1), None),
            ("51/2024/QH15", date(2025, 7, 1), None),
            ("38/2013/QH13", date(2015, 1, 1), date(2026, 1, 1)),
            ("74/2025/QH15", date(2026, 1, 1), None),
        ],
    )
    def test_dates(self, number: str, effective: date, end: date | None) -> None:
        """Each law takes effect and ends on the day its source gives."""
        registry = default_legal_registry()
        assert registry.document(number).effective_from == effective
        assert registry.end_of(number) == end

    def test_replacements(self) -> None:
        """41/2024 replaces 58/2014; 74/2025 replaces 38/2013; 51/2024 amends 25/2008."""
        registry = default_legal_registry()
        replacement = registry.replacement_of("58/2014/QH13")
        assert replacement is not None
        assert replacement.number == "41/2024/QH15"
        employment = registry.replacement_of("38/2013/QH13")
        assert employment is not None
        assert employment.number == "74/2025/QH15"
        assert registry.replacement_of("41/2024/QH15") is None
        assert [d.number for d in registry.amendments_of("25/2008/QH12")] == [
            "46/2014/QH13",
            "51/2024/QH15",
        ]

    def test_boundary_of_the_social_insurance_law(self) -> None:
        """58/2014 is in force on 30 June 2025 and not on 1 July 2025; 41/2024 the reverse."""
        registry = default_legal_registry()
        assert registry.in_force("58/2014/QH13", on=date(2025, 6, 30))
        assert not registry.in_force("58/2014/QH13", on=date(2025, 7, 1))
        assert not registry.in_force("41/2024/QH15", on=date(2025, 6, 30))
        assert registry.in_force("41/2024/QH15", on=date(2025, 7, 1))

    def test_moment_read_in_vietnam(self) -> None:
        """18:00 UTC on 30 June 2025 is already 1 July in Vietnam: the new law applies."""
        registry = default_legal_registry()
        moment = datetime(2025, 6, 30, 18, 0, tzinfo=UTC)
        assert registry.in_force("41/2024/QH15", on=moment)
        assert not registry.in_force("41/2024/QH15", on=moment - timedelta(hours=2))

    def test_naive_moment_refused(self) -> None:
        """A naive datetime is refused, never guessed."""
        with pytest.raises(NaiveDatetimeError):
            default_legal_registry().in_force("41/2024/QH15", on=datetime(2025, 7, 1, 9))  # noqa: DTZ001

    def test_every_document_names_its_source(self) -> None:
        """Every document has a source; assumed facts are listed by field."""
        for document in default_legal_registry():
            assert len(document.source) > 10
            assert isinstance(document.kind, DocumentKind)
        assumed = {d.number: d.assumed for d in default_legal_registry() if d.is_assumed}
        assert assumed["1804/BHXH-QLT"] == ("title", "effective_from")
        assert not default_legal_registry().document("41/2024/QH15").is_assumed

    def test_labels(self) -> None:
        """Labels in Vietnamese and English."""
        document = default_legal_registry().document("158/2025/NĐ-CP")
        assert document.label_en == "Decree 158/2025/NĐ-CP"
        assert document.label_vi == "Nghị định 158/2025/NĐ-CP"
        assert DocumentKind.CIRCULAR.label_vi == "Thông tư"


class TestLookups:
    """Numbers are found in any case, with or without diacritics."""

    @pytest.mark.parametrize("number", ["158/2025/NĐ-CP", "158/2025/nd-cp", "158/2025/ND-CP "])
    def test_any_spelling(self, number: str) -> None:
        """The folded number is what is compared."""
        assert default_legal_registry().document(number).number == "158/2025/NĐ-CP"
        assert number in default_legal_registry()

    def test_unknown_number_gives_close_matches(self) -> None:
        """An unknown number raises UnknownNameError, a KeyError, naming close numbers."""
        with pytest.raises(UnknownNameError) as caught:
            default_legal_registry().document("58/2014/QH14")
        assert isinstance(caught.value, KeyError)
        assert "'58/2014/QH13'" in str(caught.value)
        assert default_legal_registry().get("58/2014/QH14") is None


class TestUserData:
    """A registry built from user data is checked whole, every problem listed."""

    def test_every_problem_listed(self) -> None:
        """Duplicates, unknown links, double replacement, cycles and bad dates together."""
        data = {
            "documents": [
                _document("1/2020/QH14", "2020-01-01"),
                _document("1/2020/qh14", "2020-01-01"),
                _document("2/2021/QH15", "2021-01-01", replaces=["1/2020/QH14", "9/2000/QH10"]),
                _document("3/2022/QH15", "2022-01-01", replaces=["1/2020/QH14"]),
                _document("4/2023/QH15", "2023-01-01", replaces=["5/2024/QH15"]),
                _document("5/2024/QH15", "2024-01-01", replaces=["4/2023/QH15"]),
                _document("6/2024/QH15", "2024-01-01", ceased_on="2023-01-01"),
                _document("7/2024/QH15", "2024-01-01", assumed=["colour"], amends=["8/2000/QH10"]),
            ]
        }
        with pytest.raises(KnowledgeDataError) as caught:
            LegalRegistry.from_dict(data)
        problems = "\n".join(caught.value.problems)
        assert isinstance(caught.value, DefinitionError)
        assert isinstance(caught.value, ValueError)
        assert "1/2020/qh14: the number is listed more than once" in problems
        assert "replaces 9/2000/QH10, which is not listed" in problems
        assert "1/2020/QH14 is replaced twice, by 2/2021/QH15 and by 3/2022/QH15" in problems
        assert "takes effect first" in problems
        assert "cycle" in problems
        assert "6/2024/QH15: ceased_on 2023-01-01 must be after effective_from" in problems
        assert "unknown fields ['colour']" in problems
        assert "amends 8/2000/QH10, which is not listed" in problems

    def test_ceased_must_match_its_replacement(self) -> None:
        """A replaced document ceases the day its replacement takes effect."""
        data = {
            "documents": [
                _document("1/2020/QH14", "2020-01-01", ceased_on="2021-06-01"),
                _document("2/2021/QH15", "2021-07-01", replaces=["1/2020/QH14"]),
            ]
        }
        with pytest.raises(KnowledgeDataError, match="make the two dates the same"):
            LegalRegistry.from_dict(data)

    def test_field_errors_name_the_place(self) -> None:
        """Pydantic's errors come with their place, the input never echoed."""
        data = {"documents": [_document("nonsense", "2020-13-01", kind="poem")]}
        with pytest.raises(KnowledgeDataError) as caught:
            LegalRegistry.from_dict(data)
        places = [p.split(":")[0] for p in caught.value.problems]
        assert places == ["documents.0.number", "documents.0.kind", "documents.0.effective_from"]

    def test_shape_of_the_data(self) -> None:
        """The top level must be an object with a documents list and nothing unknown."""
        with pytest.raises(KnowledgeDataError, match="documents"):
            LegalRegistry.from_dict({"docs": []})
        with pytest.raises(KnowledgeDataError, match="unknown keys"):
            LegalRegistry.from_dict({"documents": [], "extra": 1})

    def test_load_from_file(self, tmp_path: Path) -> None:
        """A JSON file loads; a broken one is refused with its name."""
        good = tmp_path / "laws.json"
        good.write_text(json.dumps({"documents": [_document("1/2020/QH14", "2020-01-01")]}))
        assert len(load_legal_registry(good)) == 1
        broken = tmp_path / "broken.json"
        broken.write_text("{")
        with pytest.raises(KnowledgeDataError, match=r"'broken\.json'"):
            load_legal_registry(broken)

    def test_shipped_file_loads_as_user_data(self) -> None:
        """The shipped file is valid data in the documented format."""
        registry = load_legal_registry(SHIPPED)
        assert [d.number for d in registry] == [d.number for d in default_legal_registry()]

    def test_updated_overrides_an_assumed_fact(self) -> None:
        """VSS can override an assumed date with its own; the registry is checked again."""
        registry = default_legal_registry()
        own = registry.document("1804/BHXH-QLT").model_dump()
        own.update(effective_from=date(2025, 8, 4), assumed=(), source="VSS's own record")
        updated = registry.updated([LegalDocument.model_validate(own)])
        assert updated.document("1804/BHXH-QLT").effective_from == date(2025, 8, 4)
        assert registry.document("1804/BHXH-QLT").effective_from == date(2025, 8, 1)
        assert len(updated) == len(registry)


_DAYS = st.dates(min_value=date(2008, 1, 1), max_value=date(2030, 12, 31))


@given(day=_DAYS)
def test_in_force_matches_the_data(day: date) -> None:
    """Differential: in_force agrees with the dates read straight from the shipped file."""
    raw = json.loads(SHIPPED.read_text("utf-8"))["documents"]
    start = {d["number"]: date.fromisoformat(d["effective_from"]) for d in raw}
    end = {d["number"]: date.fromisoformat(d["ceased_on"]) for d in raw if d.get("ceased_on")}
    for document in raw:
        for replaced in document.get("replaces", []):
            end.setdefault(replaced, start[document["number"]])
    registry = default_legal_registry()
    for number, first in start.items():
        expected = first <= day and (number not in end or day < end[number])
        assert registry.in_force(number, on=day) == expected, number
