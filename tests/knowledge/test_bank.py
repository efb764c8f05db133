"""The shipped sample bank and loading a base from data."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from vss_care_core.errors import UnknownNameError
from vss_care_core.knowledge import (
    KnowledgeBase,
    KnowledgeDataError,
    KnowledgeEntry,
    load_knowledge_base,
    sample_knowledge_base,
)
from vss_care_core.models import PolicyArea

SHIPPED = (
    Path(__file__).parents[2]
    / "src"
    / "vss_care_core"
    / "knowledge"
    / "data"
    / "sample_entries.json"
)


def _entry(**extra: Any) -> dict[str, Any]:
    return {
        "id": "e1",
        "question": "Câu hỏi thử?",
        "answer": "Câu trả lời thử.",
        "policy_areas": ["social"],
        "valid_from": "2025-07-01",
        **extra,
    }


class TestSampleBank:
    """At least 60 sample entries covering the three insurances and the common topics."""

    def test_size_and_flag(self) -> None:
        """Every shipped entry is a sample."""
        base = sample_knowledge_base()
        assert len(base) >= 60
        assert all(entry.sample for entry in base)
        assert repr(base) == f"KnowledgeBase(<{len(base)} entries, {len(base)} samples>)"

    def test_coverage(self) -> None:
        """The three insurances and the topics the issue names."""
        base = sample_knowledge_base()
        areas = Counter(area for entry in base for area in entry.policy_areas)
        assert all(areas[area] >= 10 for area in PolicyArea)
        topics = {topic for entry in base for topic in entry.topics}
        for topic in (
            "contribution",
            "health-card",
            "benefit-level",
            "pension",
            "lump-sum",
            "sickness",
            "maternity",
            "unemployment-benefit",
            "vssid",
            "si-number",
        ):
            assert topic in topics, topic

    def test_social_answers_cite_the_law_in_force(self) -> None:
        """From 1 July 2025 social-insurance answers cite 41/2024/QH15, never 58/2014/QH13;
        the older ones end on 30 June 2025."""
        for entry in sample_knowledge_base():
            if "58/2014/QH13" in entry.documents:
                assert entry.valid_to == date(2025, 6, 30), entry.id
            if entry.valid_from >= date(2025, 7, 1) and "social" in entry.policy_areas:
                assert "58/2014/QH13" not in entry.documents, entry.id

    def test_every_policy_entry_cites_something(self) -> None:
        """Every sample answer has a legal basis, in force from its first day."""
        base = sample_knowledge_base()
        for entry in base:
            assert entry.citations, entry.id
            assert (
                base.check_citations(
                    entry.answer,
                    [str(c) for c in entry.citations],
                    on=entry.valid_from,
                    policy=True,
                )
                == ()
            ), entry.id

    def test_english_glosses(self) -> None:
        """Every sample has an English gloss."""
        assert all(entry.answer_en for entry in sample_knowledge_base())

    def test_repr_hides_texts(self) -> None:
        """repr shows the question and the answer by their length only."""
        entry = sample_knowledge_base().entry("pension-conditions")
        shown = repr(entry)
        assert "lương hưu" not in shown
        assert "pension-conditions" in shown
        assert "41/2024/QH15, Điều 64" in shown

    def test_unknown_id(self) -> None:
        """An unknown id raises UnknownNameError with close ids."""
        with pytest.raises(UnknownNameError, match="'pension-conditions'"):
            sample_knowledge_base().entry("pension-condition")

    def test_in_force(self) -> None:
        """Entries in force on a day: the old pension answer before, the new one after."""
        before = {e.id for e in sample_knowledge_base().in_force(on=date(2025, 6, 30))}
        after = {e.id for e in sample_knowledge_base().in_force(on=date(2025, 7, 1))}
        assert "pension-conditions-2014" in before - after
        assert "pension-conditions" in after - before


class TestLoading:
    """A base from user data is checked whole, every problem listed."""

    def test_from_file(self, tmp_path: Path) -> None:
        """The shipped file loads as user data; a broken file names itself."""
        assert len(load_knowledge_base(SHIPPED)) == len(sample_knowledge_base())
        broken = tmp_path / "bank.json"
        broken.write_text("[")
        with pytest.raises(KnowledgeDataError, match=r"'bank\.json'"):
            load_knowledge_base(broken)

    def test_every_problem_listed(self) -> None:
        """Duplicate ids, unknown documents (with close numbers), entries older than their law."""
        data = {
            "entries": [
                _entry(citations=[{"document": "41/2024/QH15"}]),
                _entry(citations=[{"document": "41/2024/QH16"}]),
                _entry(id="e2", valid_from="2024-01-01", citations=[{"document": "41/2024/QH15"}]),
            ]
        }
        with pytest.raises(KnowledgeDataError) as caught:
            load_knowledge_base(data)
        assert caught.value.problems == (
            "entry 'e1': the id is used more than once",
            "entry 'e1' cites an unknown legal document '41/2024/QH16': did you mean "
            "'41/2024/QH15' or '51/2024/QH15' or '91/2025/QH15'?",
            "entry 'e2' is valid from 2024-01-01 but cites Law 41/2024/QH15, in force only from "
            "2025-07-01: move valid_from, or cite the document in force then",
        )

    def test_field_problems(self) -> None:
        """Field errors name their place; dates out of order are refused."""
        data = {
            "entries": [
                _entry(id="Bad Id", policy_areas=[]),
                _entry(valid_to="2025-01-01"),
            ]
        }
        with pytest.raises(KnowledgeDataError) as caught:
            KnowledgeBase.from_dict(data)
        places = [problem.split(":")[0] for problem in caught.value.problems]
        assert places == ["entries.0.id", "entries.0.policy_areas", "entries.1"]
        assert "valid_to 2025-01-01 is before valid_from 2025-07-01" in caught.value.problems[2]

    def test_shape(self) -> None:
        """The top level is an object with an entries list."""
        with pytest.raises(KnowledgeDataError, match="entries"):
            load_knowledge_base({"questions": []})
        with pytest.raises(KnowledgeDataError, match="unknown keys"):
            load_knowledge_base({"entries": [], "version": 2})

    def test_valid_on_boundaries(self) -> None:
        """valid_to is the last valid day, included."""
        entry = KnowledgeEntry.model_validate(_entry(valid_to="2025-12-31"))
        assert entry.valid_on(date(2025, 7, 1))
        assert entry.valid_on(date(2025, 12, 31))
        assert not entry.valid_on(date(2026, 1, 1))
        assert not entry.valid_on(date(2025, 6, 30))

    def test_shipped_data_round_trips(self) -> None:
        """Entries dumped to JSON load back equal."""
        raw = json.loads(SHIPPED.read_text("utf-8"))
        entries = [KnowledgeEntry.model_validate(e) for e in raw["entries"]]
        dumped = {"entries": [json.loads(e.model_dump_json()) for e in entries]}
        assert list(load_knowledge_base(dumped)) == entries
