"""Suggestions: dates, explanations without personal data, a BM25 oracle."""

from __future__ import annotations

import math
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.knowledge.conftest import labelled

from vss_care_core.errors import InvalidInputError, NaiveDatetimeError
from vss_care_core.knowledge import KnowledgeBase, KnowledgeEntry, sample_knowledge_base
from vss_care_core.models import VIETNAM_TZ, fold_vietnamese

QUESTION = "Đóng bảo hiểm xã hội bao nhiêu năm thì được hưởng lương hưu?"


def _ids(question: str, at: object, limit: int = 3) -> list[str]:
    return [s.entry.id for s in sample_knowledge_base().suggest(question, at=at, limit=limit)]


class TestDates:
    """Only entries in force on the day are suggested."""

    def test_the_day_the_law_changed(self) -> None:
        """On 30 June 2025 the 2014 answer; on 1 July 2025 the 2024 one."""
        assert _ids(QUESTION, date(2025, 6, 30))[0] == "pension-conditions-2014"
        assert "pension-conditions" not in _ids(QUESTION, date(2025, 6, 30), limit=10)
        assert _ids(QUESTION, date(2025, 7, 1))[0] == "pension-conditions"
        assert "pension-conditions-2014" not in _ids(QUESTION, date(2025, 7, 1), limit=10)

    def test_unemployment_law_changed_later(self) -> None:
        """The Law on Employment changed on 1 January 2026, not 1 July 2025."""
        question = "Điều kiện hưởng trợ cấp thất nghiệp là gì?"
        assert _ids(question, date(2025, 12, 31))[0] == "ui-conditions-2013"
        assert _ids(question, date(2026, 1, 1))[0] == "ui-conditions"

    def test_aware_moment_read_in_vietnam(self) -> None:
        """23:30 in Hà Nội on 30 June is 16:30 UTC: still the old law; 17:00 UTC is 1 July."""
        late = datetime(2025, 6, 30, 23, 30, tzinfo=VIETNAM_TZ)
        assert _ids(QUESTION, late)[0] == "pension-conditions-2014"
        assert _ids(QUESTION, datetime(2025, 6, 30, 17, 0, tzinfo=UTC))[0] == "pension-conditions"

    def test_naive_and_other_values_refused(self) -> None:
        """A naive datetime, a text or a number is refused."""
        base = sample_knowledge_base()
        with pytest.raises(NaiveDatetimeError):
            base.suggest(QUESTION, at=datetime(2026, 3, 2, 9))  # noqa: DTZ001
        for wrong in ("2026-03-02", 20260302, None):
            with pytest.raises(InvalidInputError, match="at must be a date or an aware datetime"):
                base.suggest(QUESTION, at=wrong)

    @settings(max_examples=40)
    @given(
        day=st.dates(min_value=date(2014, 1, 1), max_value=date(2028, 12, 31)),
        index=st.integers(min_value=0, max_value=305),
    )
    def test_every_suggestion_is_in_force(self, day: date, index: int) -> None:
        """Whatever the day and the question, every suggestion is in force that day."""
        base = sample_knowledge_base()
        question = labelled()[index]["question"]
        for suggestion in base.suggest(question, at=day, limit=10):
            entry = suggestion.entry
            assert entry.valid_on(day)
            assert all(base.registry.in_force(number, on=day) for number in entry.documents)


class TestExplanations:
    """Each suggestion says why, in folded words of the knowledge base only."""

    def test_matched_terms(self) -> None:
        """The terms that matched, folded, best first."""
        best = sample_knowledge_base().suggest("Thẻ BHYT hết hạn khi nào?", at=date(2026, 3, 2))[0]
        assert best.entry.id == "hi-card-validity"
        assert best.matched[:2] == ("het han", "bhyt het")
        assert best.why.startswith("matched 'het han', 'bhyt het'")
        assert best.score > 0

    def test_no_personal_data_in_explanations(self) -> None:
        """A name, an ID number, a phone and an e-mail in the question never appear."""
        base = sample_knowledge_base()
        question = (
            "Tôi là Phùng Thị Huyền Trang, CCCD 079190012345, điện thoại 0912 345 678, email "
            "trang.phung@example.vn. Cho tôi hỏi cách tra cứu mã số bảo hiểm xã hội?"
        )
        suggestions = base.suggest(question, at=date(2026, 3, 2), limit=10)
        assert suggestions[0].entry.id == "si-number-lookup"
        for suggestion in suggestions:
            for term in suggestion.matched:
                assert all(word in base.vocabulary for word in term.split())
                assert not any(character.isdigit() for character in term)
                for private in ("phung", "huyen", "trang", "example", "079190012345"):
                    assert private not in term.split()
            assert "079190012345" not in repr(suggestion)

    @settings(max_examples=30)
    @given(st.text(min_size=1, max_size=80))
    def test_any_text_explained_in_vocabulary(self, text: str) -> None:
        """Whatever the text, explanations use vocabulary words only, never digits."""
        base = sample_knowledge_base()
        for suggestion in base.suggest(text, at=date(2026, 3, 2)):
            for term in suggestion.matched:
                assert set(term.split()) <= base.vocabulary

    def test_nothing_in_common(self) -> None:
        """A question sharing no word with the base gets no suggestion."""
        assert sample_knowledge_base().suggest("xyzzy plugh 12345", at=date(2026, 3, 2)) == ()
        assert sample_knowledge_base().suggest("", at=date(2026, 3, 2)) == ()

    def test_limit(self) -> None:
        """``limit`` bounds the suggestions; a bad limit is refused."""
        assert len(_ids(QUESTION, date(2026, 3, 2), limit=5)) == 5
        for wrong in (0, -1, 2.5, True):
            with pytest.raises(InvalidInputError, match="limit"):
                sample_knowledge_base().suggest(QUESTION, at=date(2026, 3, 2), limit=wrong)  # type: ignore[arg-type]


@given(index=st.integers(min_value=0, max_value=305))
def test_diacritics_and_case_change_nothing(index: int) -> None:
    """A question asked with or without diacritics, in any case, gets the same suggestions."""
    item = labelled()[index]
    at = date.fromisoformat(item["at"])
    question = item["question"]
    expected = _ids(question, at)
    assert _ids(fold_vietnamese(question), at) == expected
    assert _ids(question.upper(), at) == expected


def _tiny_base() -> KnowledgeBase:
    def entry(entry_id: str, question: str, answer: str, *variants: str) -> KnowledgeEntry:
        return KnowledgeEntry(
            id=entry_id,
            question=question,
            variants=variants,
            answer=answer,
            policy_areas=("social",),
            topics=(entry_id.split("-", 1)[0],),
            valid_from=date(2025, 7, 1),
        )

    return KnowledgeBase(
        [
            entry("pension-a", "Lương hưu tính thế nào?", "Tỷ lệ hưởng lương hưu nhân bình quân."),
            entry("card-b", "Thẻ bảo hiểm y tế bị mất", "Cấp lại thẻ bảo hiểm y tế.", "Mất thẻ"),
            entry("lump-c", "Rút BHXH một lần", "Hưởng bảo hiểm xã hội một lần khi nghỉ hưu sớm."),
            entry("sick-d", "Nghỉ ốm hưởng lương", "Chế độ ốm đau hưởng 75% tiền lương."),
        ]
    )


def _oracle_scores(base: KnowledgeBase, question: str) -> dict[str, float]:
    """BM25 from its definition: k1 1.2, b 0.75; question, variants and topics weigh 1, the
    answer 0.3; terms are the meaningful words and their adjacent pairs."""

    def terms(text: str) -> list[str]:
        words = base.wording.terms(text)
        return words + [f"{a} {b}" for a, b in pairwise(words)]

    documents: list[Counter[str]] = []
    for entry in base:
        counts: Counter[str] = Counter()
        for text in (entry.question, *entry.variants):
            for term in terms(text):
                counts[term] += 1
        for topic in entry.topics:
            for word in base.wording.terms(topic):
                counts[word] += 1
        weighted = {t: float(c) for t, c in counts.items()}
        for term in terms(entry.answer):
            weighted[term] = weighted.get(term, 0.0) + 0.3
        documents.append(Counter(weighted))
    lengths = [sum(d.values()) for d in documents]
    average = sum(lengths) / len(lengths)
    scores = {}
    for entry, counts, length in zip(base, documents, lengths, strict=True):
        score = 0.0
        for term in set(terms(question)):
            frequency = counts.get(term, 0.0)
            if not frequency:
                continue
            having = sum(1 for d in documents if d.get(term))
            idf = math.log(1 + (len(documents) - having + 0.5) / (having + 0.5))
            score += idf * frequency * 2.2 / (frequency + 1.2 * (0.25 + 0.75 * length / average))
        if score:
            scores[entry.id] = round(score, 3)
    return scores


@pytest.mark.parametrize(
    "question",
    ["lương hưu tính sao", "mất thẻ bảo hiểm y tế", "rút bảo hiểm xã hội một lần", "nghỉ ốm"],
)
def test_scores_match_a_bm25_oracle(question: str) -> None:
    """Differential: the index's scores are the textbook BM25 of the same terms."""
    base = _tiny_base()
    expected = _oracle_scores(base, question)
    assert expected
    got = {s.entry.id: s.score for s in base.suggest(question, at=date(2026, 1, 1), limit=10)}
    assert got == pytest.approx(expected, abs=1e-3)


def test_long_letter_weighs_its_question() -> None:
    """In a letter, the sentence that asks weighs more than the story around it."""
    letter = (
        "Kính gửi BHXH. Năm ngoái tôi nghỉ sinh con thứ hai và đã nhận đủ chế độ thai sản. "
        "Tôi đóng bảo hiểm được 12 năm. Xin hỏi mất thẻ bảo hiểm y tế thì cấp lại thế nào?"
    )
    assert _ids(letter, date(2026, 3, 2))[0] == "hi-card-lost"


def test_typo_inside_a_phrase() -> None:
    """A typo inside an abbreviated phrase is corrected before the phrase is read."""
    assert _ids("dieu kien huong tro cap that ngiep", date(2026, 3, 2))[0] == "ui-conditions"


def test_suggest_same_result_twice() -> None:
    """Suggestions do not depend on what was asked before (the per-day cache is sound)."""
    base = sample_knowledge_base()
    first = base.suggest(QUESTION, at=date(2026, 3, 2))
    for offset in range(70):
        base.suggest(QUESTION, at=date(2026, 3, 2) + timedelta(days=offset))
    assert base.suggest(QUESTION, at=date(2026, 3, 2)) == first
