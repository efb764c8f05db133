"""Stale entries: every entry citing a replaced document is flagged from that day."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from vss_care_core.knowledge import KnowledgeEntry, sample_knowledge_base


def _unreviewed_entry() -> KnowledgeEntry:
    """An answer of the 2014 law that nobody retired (no valid_to)."""
    return KnowledgeEntry(
        id="old-pension",
        question="Đóng bao nhiêu năm thì có lương hưu?",
        answer="Cần đủ 20 năm đóng bảo hiểm xã hội (Luật 58/2014/QH13).",
        policy_areas=("social",),
        citations=({"document": "58/2014/QH13", "articles": ("Điều 54",)},),
        valid_from=date(2016, 1, 1),
    )


def test_nothing_stale_before_the_change() -> None:
    """On 30 June 2025 no entry cites a document out of force."""
    assert sample_knowledge_base().stale_entries(on=date(2025, 6, 30)) == ()


def test_retired_entries_flagged_from_the_day() -> None:
    """From 1 July 2025 every entry citing 58/2014/QH13 is flagged, as retired in time."""
    base = sample_knowledge_base()
    stale = base.stale_entries(on=date(2025, 7, 1))
    citing = {e.id for e in base if "58/2014/QH13" in e.documents}
    assert {s.entry.id for s in stale} == citing
    assert len(citing) >= 5
    first = stale[0]
    assert first.retired
    assert first.since == date(2025, 7, 1)
    assert first.replacement is not None
    assert first.replacement.number == "41/2024/QH15"
    assert first.reason.startswith(
        "cites Law 58/2014/QH13, replaced by 41/2024/QH15 from 1 July 2025"
    )
    assert "(retired: valid until 30 June 2025)" in first.reason
    assert first.reason_vi.startswith(
        "trích dẫn Luật 58/2014/QH13, đã được thay thế bởi 41/2024/QH15"
    )


def test_unreviewed_entry_needs_a_review() -> None:
    """An entry without an end, citing the replaced law, needs a review and comes first."""
    base = sample_knowledge_base().with_entries([_unreviewed_entry()])
    stale = base.stale_entries(on=date(2025, 7, 1))
    assert stale[0].entry.id == "old-pension"
    assert not stale[0].retired
    assert "retired" not in stale[0].reason
    assert all(s.retired for s in stale[1:])
    # It is no longer suggested: it cites a document out of force.
    question = "Đóng bao nhiêu năm thì có lương hưu?"
    assert "old-pension" in [s.entry.id for s in base.suggest(question, at=date(2025, 6, 30))]
    assert "old-pension" not in [s.entry.id for s in base.suggest(question, at=date(2025, 7, 1))]


def test_employment_law_later() -> None:
    """Entries of the 2013 Law on Employment become stale on 1 January 2026."""
    base = sample_knowledge_base()
    before = {s.entry.id for s in base.stale_entries(on=date(2025, 12, 31))}
    after = {s.entry.id for s in base.stale_entries(on=date(2026, 1, 1))}
    assert after - before == {e.id for e in base if "38/2013/QH13" in e.documents}


@given(st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31)))
def test_sample_bank_never_needs_a_review(day: date) -> None:
    """The shipped samples retire each answer before the document it cites ceases."""
    assert all(s.retired for s in sample_knowledge_base().stale_entries(on=day))
