"""Publishing an approved answer: a new base, the old one unchanged."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from vss_care_core.errors import InvalidInputError, UnknownNameError
from vss_care_core.knowledge import Citation, sample_knowledge_base
from vss_care_core.models import VIETNAM_TZ, Answer

APPROVED = Answer(
    text=(
        "Người lao động đã đóng BHXH trước ngày 01/7/2025, sau 12 tháng không tham gia và có "
        "dưới 20 năm đóng thì được nhận BHXH một lần."
    ),
    legal_basis=("Luật Bảo hiểm xã hội 41/2024/QH15, khoản 1 Điều 70",),
)


def _publish(**extra: object) -> object:
    arguments: dict[str, object] = {
        "entry_id": "lump-sum-12-months",
        "question": "Nghỉ việc 12 tháng có được rút BHXH một lần không?",
        "at": datetime(2026, 3, 2, 10, 0, tzinfo=VIETNAM_TZ),
        "policy_areas": ["social"],
        "topics": ["lump-sum"],
    }
    arguments.update(extra)
    return sample_knowledge_base().publish(APPROVED, **arguments)  # type: ignore[arg-type]


def test_publish_returns_a_new_base() -> None:
    """The entry is added to a new base; the sample base is unchanged."""
    base = sample_knowledge_base()
    published = base.publish(
        APPROVED,
        entry_id="lump-sum-12-months",
        question="Nghỉ việc 12 tháng có được rút BHXH một lần không?",
        at=datetime(2026, 3, 2, 10, 0, tzinfo=VIETNAM_TZ),
        policy_areas=["social"],
        topics=["lump-sum"],
    )
    assert len(published) == len(base) + 1
    with pytest.raises(UnknownNameError):
        base.entry("lump-sum-12-months")
    entry = published.entry("lump-sum-12-months")
    assert entry.citations == (Citation(document="41/2024/QH15", articles=("Điều 70",)),)
    assert entry.valid_from == date(2026, 3, 2)
    assert entry.valid_to is None
    assert not entry.sample
    question = "nghỉ việc 12 tháng rút bhxh một lần được không"
    assert published.suggest(question, at=date(2026, 3, 2))[0].entry.id == "lump-sum-12-months"
    assert published.suggest(question, at=date(2026, 3, 1))[0].entry.id != "lump-sum-12-months"


def test_supersedes_retires_the_old_entry() -> None:
    """The superseded entry stays, valid until the day before."""
    published = sample_knowledge_base().publish(
        APPROVED,
        entry_id="lump-sum-conditions-v2",
        question="Điều kiện rút BHXH một lần",
        at=date(2026, 3, 2),
        policy_areas=["social"],
        supersedes="lump-sum-conditions",
    )
    assert published.entry("lump-sum-conditions").valid_to == date(2026, 3, 1)
    assert sample_knowledge_base().entry("lump-sum-conditions").valid_to is None


def test_refused_when_citing_a_replaced_law() -> None:
    """An answer citing 58/2014/QH13 after 1 July 2025 cannot be published."""
    old = Answer(text="Theo Điều 60 Luật 58/2014/QH13, nghỉ việc một năm thì được rút.")
    with pytest.raises(InvalidInputError, match="cites Law 58/2014/QH13, replaced by 41/2024/QH15"):
        sample_knowledge_base().publish(
            old,
            entry_id="x-old",
            question="Rút BHXH?",
            at=date(2026, 3, 2),
            policy_areas=["social"],
        )


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Số CCCD 079190012345 tra ở đâu?", APPROVED),
        ("Tra cứu mã số BHXH?", Answer(text="Gọi 0912 345 678 để được hỗ trợ, theo 41/2024/QH15.")),
        ("Tra cứu mã số BHXH?", Answer(text="Gửi thư tới an.nguyen@example.vn, 41/2024/QH15.")),
        (
            "Quá trình đóng của tôi?",
            Answer(text="Quá trình đóng của chị... 41/2024/QH15", discloses_personal_data=True),
        ),
    ],
)
def test_refused_with_personal_data(question: str, answer: Answer) -> None:
    """A shared knowledge base holds no personal data; the message does not echo it."""
    with pytest.raises(InvalidInputError, match="personal data") as caught:
        sample_knowledge_base().publish(
            answer,
            entry_id="x-private",
            question=question,
            at=date(2026, 3, 2),
            policy_areas=["social"],
        )
    for private in ("079190012345", "0912", "an.nguyen"):
        assert private not in str(caught.value)


def test_refused_when_the_id_exists() -> None:
    """An id already used is refused, with the way to supersede it."""
    with pytest.raises(InvalidInputError, match="supersedes='pension-conditions'"):
        _publish(entry_id="pension-conditions")


def test_refused_when_nothing_would_remain_of_the_old_entry() -> None:
    """Superseding an entry from its own first day would leave it no valid day."""
    with pytest.raises(InvalidInputError, match="no valid day"):
        _publish(at=date(2025, 7, 1), supersedes="pension-conditions")


def test_refused_when_not_an_answer() -> None:
    """``answer`` must be an Answer (approved by the review)."""
    with pytest.raises(InvalidInputError, match="must be an Answer"):
        sample_knowledge_base().publish(
            "text",  # type: ignore[arg-type]
            entry_id="x",
            question="Câu hỏi?",
            at=date(2026, 3, 2),
            policy_areas=["social"],
        )
