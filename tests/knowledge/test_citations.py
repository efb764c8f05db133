"""Citation checks: a document not in force on the answer's day is refused."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from vss_care_core.knowledge import check_citations, default_legal_registry, sample_knowledge_base
from vss_care_core.models import Answer


def _codes(problems: tuple[object, ...]) -> list[str]:
    return [getattr(problem, "code", "") for problem in problems]


class TestRefused:
    """Documents not in force on the day."""

    def test_replaced_law(self) -> None:
        """The issue's example, word for word, with the Vietnamese message too."""
        answer = Answer(text="Theo Luật 58/2014/QH13, cần đủ 20 năm đóng để hưởng lương hưu.")
        (problem,) = check_citations(answer, on=date(2025, 7, 1), policy=True)
        assert problem.refuses
        assert problem.code == "replaced"
        assert problem.message.startswith(
            "cites Law 58/2014/QH13, replaced by 41/2024/QH15 from 1 July 2025"
        )
        assert problem.message_vi.startswith(
            "trích dẫn Luật 58/2014/QH13, đã được thay thế bởi 41/2024/QH15 từ ngày 01/07/2025"
        )
        assert (problem.document, problem.replacement) == ("58/2014/QH13", "41/2024/QH15")

    def test_same_answer_the_day_before(self) -> None:
        """On 30 June 2025 the same answer is fine."""
        answer = Answer(text="Theo Luật 58/2014/QH13, cần đủ 20 năm đóng để hưởng lương hưu.")
        assert check_citations(answer, on=date(2025, 6, 30), policy=True) == ()

    def test_not_yet_in_force(self) -> None:
        """Citing the 2025 Law on Employment on 31 December 2025 is refused."""
        problems = check_citations(
            "Trợ cấp trả từ ngày làm việc thứ 11.",
            ["Luật Việc làm 74/2025/QH15, Điều 39"],
            on=date(2025, 12, 31),
            policy=True,
        )
        assert _codes(problems) == ["not_yet_in_force"]
        assert "not in force until 1 January 2026" in problems[0].message
        assert check_citations("x", ["74/2025/QH15"], on=date(2026, 1, 1), policy=True) == ()

    def test_title_and_year(self) -> None:
        """``Luật Bảo hiểm xã hội 2014`` is read as 58/2014/QH13, ``Luật BHXH năm 2024`` as
        41/2024/QH15."""
        old = check_citations(
            "Căn cứ Luật Bảo hiểm xã hội 2014, ...", on=date(2026, 3, 2), policy=True
        )
        assert _codes(old) == ["replaced"]
        assert check_citations("Theo Luật BHXH năm 2024.", on=date(2026, 3, 2), policy=True) == ()

    def test_moment_of_the_answer(self) -> None:
        """An aware moment is read in Vietnam: 17:00 UTC on 30 June is 1 July there."""
        answer = "Theo Luật 58/2014/QH13."
        assert (
            check_citations(answer, on=datetime(2025, 6, 30, 16, 59, tzinfo=UTC), policy=True) == ()
        )
        assert _codes(
            check_citations(answer, on=datetime(2025, 6, 30, 17, 0, tzinfo=UTC), policy=True)
        ) == ["replaced"]


class TestWarnings:
    """Problems that do not refuse the answer."""

    def test_policy_answer_citing_nothing(self) -> None:
        """A policy answer without a legal basis gets a warning; another answer does not."""
        text = "Lương hưu được tính theo tỷ lệ hưởng nhân với mức bình quân tiền lương."
        (problem,) = check_citations(text, on=date(2026, 3, 2), policy=True)
        assert (problem.severity, problem.code) == ("warning", "no_citation")
        assert check_citations(text, on=date(2026, 3, 2), policy=False) == ()

    def test_unknown_number(self) -> None:
        """A number the registry does not know is a warning naming it."""
        (problem,) = check_citations(
            "Theo Nghị định 999/2030/NĐ-CP.", on=date(2026, 3, 2), policy=True
        )
        assert (problem.severity, problem.code, problem.document) == (
            "warning",
            "unknown_document",
            "999/2030/NĐ-CP",
        )

    def test_title_without_number(self) -> None:
        """A legal basis naming a title only is read as the document in force, with a warning."""
        problems = check_citations(
            "Điều kiện hưởng lương hưu.",
            ["Luật Bảo hiểm xã hội, Điều 64"],
            on=date(2026, 3, 2),
            policy=True,
        )
        assert _codes(problems) == ["unnumbered"]
        assert "41/2024/QH15 is the one in force" in problems[0].message

    def test_dates_are_not_document_numbers(self) -> None:
        """``01/07/2025`` in a text is a date, not a document."""
        assert check_citations("Từ 01/07/2025 áp dụng.", on=date(2026, 3, 2), policy=False) == ()

    def test_amended_law_still_in_force(self) -> None:
        """The Law on Health Insurance is amended, not replaced: citing it stays fine."""
        answer = Answer(
            text="Mức hưởng BHYT 80%.",
            legal_basis=("Luật Bảo hiểm y tế 25/2008/QH12, Điều 22", "51/2024/QH15"),
        )
        assert check_citations(answer, on=date(2026, 3, 2), policy=True) == ()


def test_messages_never_quote_the_answer() -> None:
    """The answer's text (which may hold personal data) is never echoed in a message."""
    text = "Gửi chị Nguyễn Thị Mai (CCCD 079190012345): theo Luật 58/2014/QH13 và 123/2099/XYZ."
    for problem in check_citations(
        text, ["ghi chú riêng của chị Mai"], on=date(2026, 3, 2), policy=True
    ):
        for private in ("Mai", "079190012345", "ghi chú"):
            assert private not in problem.message
            assert private not in problem.message_vi


def test_base_method_uses_its_registry() -> None:
    """KnowledgeBase.check_citations is the function with the base's registry."""
    base = sample_knowledge_base()
    assert base.registry is default_legal_registry()
    assert base.check_citations("Theo Luật 58/2014/QH13.", on=date(2026, 3, 2), policy=True) == (
        check_citations("Theo Luật 58/2014/QH13.", on=date(2026, 3, 2), policy=True)
    )


def test_wrong_types_refused() -> None:
    """Anything but a text or an Answer is refused."""
    with pytest.raises(TypeError):
        check_citations(42, on=date(2026, 3, 2), policy=True)  # type: ignore[arg-type]
