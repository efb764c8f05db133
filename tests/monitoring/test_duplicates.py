"""Cross-channel duplicates on Vietnamese examples."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest
from tests.monitoring.conftest import at

from vss_care_core.errors import InvalidInputError
from vss_care_core.models import Inquiry
from vss_care_core.monitoring import DuplicateKind, find_duplicates, question_similarity
from vss_care_core.monitoring._lsh import QuestionIndex

WEEK = timedelta(days=7)
VOCABULARY = (
    "lương hưu bảo hiểm xã hội y tế thất nghiệp thẻ sổ đóng hưởng chế độ thai sản ốm đau "
    "mức tiền tháng năm người lao động doanh nghiệp hồ sơ thủ tục cấp lại gia hạn"
)


def ask(
    qid: str, channel: str, when: tuple[int, int], requester: dict[str, Any], text: str
) -> Inquiry:
    return Inquiry(
        id=qid,
        channel=channel,
        received_at=at(*when),
        requester=requester,
        subject="Hỏi",
        content=text,
    )


POLICY = (
    "Từ ngày 1 tháng 7 năm 2025 mức đóng bảo hiểm xã hội tự nguyện thay đổi thế nào, "
    "tôi có được nhà nước hỗ trợ tiền đóng không?"
)


class TestSameQuestion:
    def test_many_channels_with_and_without_diacritics(self) -> None:
        """The seed's pain point: one question by letter, phone, e-mail, Zalo, fanpage, SMS."""
        inquiries = [
            ask("post-1", "post", (2, 8), {"name": "Lê Văn Tám"}, POLICY),
            ask("mail-1", "email", (2, 9), {"email": "hoa@example.vn"}, POLICY.upper()),
            ask("zalo-1", "zalo", (2, 10), {"phone": "0912345678"}, POLICY.replace("?", "!!")),
            ask(
                "sms-1",
                "sms",
                (3, 8),
                {"phone": "0987654321"},
                "tu ngay 1 thang 7 nam 2025 muc dong bao hiem xa hoi tu nguyen thay doi the nao "
                "toi co duoc nha nuoc ho tro tien dong khong",
            ),
            ask(
                "fan-1",
                "fanpage",
                (3, 9),
                {},
                "Thẻ BHYT hết hạn thì gia hạn ở đâu và cần giấy tờ gì?",
            ),
        ]
        groups = find_duplicates(inquiries, window=WEEK)
        assert len(groups) == 1
        group = groups[0]
        assert group.kind is DuplicateKind.SAME_QUESTION
        assert group.representative == "post-1"
        assert group.members == ("post-1", "mail-1", "zalo-1", "sms-1")
        assert [c.value for c in group.channels] == ["post", "email", "zalo", "sms"]
        assert group.merges == ()  # different people: answer once, do not merge
        assert group.similarity is not None
        assert group.similarity >= 0.5

    def test_different_questions_stay_apart(self) -> None:
        inquiries = [
            ask("a", "email", (2, 8), {}, "Cách tính lương hưu khi đã đóng bảo hiểm xã hội 20 năm"),
            ask("b", "email", (2, 9), {}, "Thủ tục hưởng trợ cấp thất nghiệp cần những giấy tờ gì"),
            ask("c", "email", (2, 10), {}, "Đổi nơi khám chữa bệnh ban đầu trên thẻ bảo hiểm y tế"),
        ]
        assert find_duplicates(inquiries, window=WEEK) == ()

    def test_window(self) -> None:
        inquiries = [
            ask("a", "email", (2, 8), {}, POLICY),
            ask("b", "portal", (20, 8), {}, POLICY),
        ]
        assert find_duplicates(inquiries, window=WEEK) == ()
        assert len(find_duplicates(inquiries, window=timedelta(days=30))) == 1

    def test_similarity_ignores_diacritics_and_case(self) -> None:
        a = ask("a", "email", (2, 8), {}, "Lương hưu tháng 7 được tăng bao nhiêu phần trăm?")
        b = ask("b", "sms", (2, 9), {}, "LUONG HUU THANG 7 DUOC TANG BAO NHIEU PHAN TRAM")
        assert question_similarity(a, b) == 1.0


class TestSameRequester:
    def test_same_citizen_through_three_channels(self) -> None:
        person = {"citizen_id": "079203001234"}
        inquiries = [
            ask("call", "phone", (2, 8), person, "Hỏi về sổ BHXH"),
            ask("mail", "email", (2, 14), {**person, "email": "an@example.vn"}, "Xin cấp lại sổ"),
            ask("zalo", "zalo", (4, 9), {"email": "AN@example.vn"}, "Sổ BHXH bị mất"),
            ask("other", "email", (4, 10), {"citizen_id": "001085000123"}, "Chốt sổ BHXH"),
        ]
        groups = find_duplicates(inquiries, window=WEEK)
        assert len(groups) == 1
        group = groups[0]
        assert group.kind is DuplicateKind.SAME_REQUESTER
        # linked through the citizen ID (call, mail) and the e-mail, any case (mail, zalo)
        assert group.members == ("call", "mail", "zalo")
        assert group.representative == "call"
        # the call cannot be merged: the written ones merge into the first written case
        assert [(m.inquiry_id, m.into) for m in group.merges] == [("zalo", "mail")]

    def test_organisation_branch_and_head_office(self) -> None:
        inquiries = [
            ask(
                "hq",
                "post",
                (2, 8),
                {"type": "organization", "name": "Cty A", "tax_code": "0100233488"},
                "Hỏi",
            ),
            ask(
                "branch",
                "email",
                (3, 8),
                {"type": "organization", "name": "Cty A CN", "tax_code": "0100233488-001"},
                "Hỏi",
            ),
        ]
        (group,) = find_duplicates(inquiries, window=WEEK)
        assert group.members == ("hq", "branch")

    def test_anonymous_requesters_are_not_linked(self) -> None:
        inquiries = [ask("a", "phone", (2, 8), {}, "Hỏi"), ask("b", "phone", (2, 9), {}, "Hỏi")]
        assert find_duplicates(inquiries, window=WEEK) == ()

    def test_outside_the_window(self) -> None:
        person = {"phone": "0912345678"}
        inquiries = [
            ask("a", "sms", (2, 8), person, "Hỏi"),
            ask("b", "sms", (12, 8), person, "Hỏi"),
        ]
        assert find_duplicates(inquiries, window=WEEK) == ()


def test_bad_arguments() -> None:
    with pytest.raises(InvalidInputError, match="window must be positive"):
        find_duplicates([], window=timedelta(0))
    with pytest.raises(InvalidInputError, match="threshold"):
        find_duplicates([], window=WEEK, threshold=0)


def variants(seed: int, count: int, *, questions: int, words: int, edits: int) -> list[str]:
    """``count`` texts, each one of ``questions`` random texts of ``words`` words with up to
    ``edits`` words replaced."""
    rng = random.Random(seed)
    vocabulary = VOCABULARY.split()
    templates = [" ".join(rng.choice(vocabulary) for _ in range(words)) for _ in range(questions)]
    texts = []
    for _ in range(count):
        tokens = rng.choice(templates).split()
        for _ in range(rng.randint(0, edits)):
            tokens[rng.randrange(len(tokens))] = rng.choice(vocabulary)
        texts.append(" ".join(tokens))
    return texts


def test_lsh_finds_what_all_pairs_finds() -> None:
    """On generated texts, the LSH groups match the exact all-pairs comparison."""
    texts = variants(2021, 150, questions=12, words=25, edits=2)
    inquiries = [ask(f"q{n}", "email", (2, 8 + n % 10), {}, text) for n, text in enumerate(texts)]
    found = {g.members for g in find_duplicates(inquiries, window=WEEK)}
    exact_links = {
        (a.id, b.id)
        for i, a in enumerate(inquiries)
        for b in inquiries[i + 1 :]
        if question_similarity(a, b) >= 0.5
    }
    grouped = {m: g for g in found for m in g}
    missed = [pair for pair in exact_links if grouped.get(pair[0]) != grouped.get(pair[1])]
    assert len(missed) <= len(exact_links) // 50  # at most 2 % of exact links are missed


def _joined_groups(texts: list[str], *, one_per_cluster: bool) -> set[frozenset[int]]:
    """The groups of texts linked to every similar question a ``QuestionIndex`` names."""
    index = QuestionIndex(window=1e9, threshold=0.5)
    group_of: dict[int, set[int]] = {}
    for key, text in enumerate(texts):
        group = {key}
        match = index.add(key, text, float(key), one_per_cluster=one_per_cluster)
        for similar in match.similar:
            group |= group_of[similar.key]
        for member in group:
            group_of[member] = group
    return {frozenset(group) for group in group_of.values()}


def test_one_link_per_cluster_joins_the_same_groups() -> None:
    """Comparing one question per earlier cluster (as find_duplicates does) gives the groups
    that comparing every candidate gives, and names each cluster once."""
    texts = variants(2024, 300, questions=8, words=20, edits=4)
    lean = _joined_groups(texts, one_per_cluster=True)
    assert lean == _joined_groups(texts, one_per_cluster=False)
    assert any(len(group) > 10 for group in lean)  # the texts do form large groups
    index = QuestionIndex(window=1e9, threshold=0.5)
    for key, text in enumerate(texts):
        match = index.add(key, text, float(key), one_per_cluster=True)
        clusters = [similar.cluster for similar in match.similar]
        assert len(clusters) == len(set(clusters))


def test_one_person_asking_twice_is_a_same_requester_duplicate_only() -> None:
    """The same question twice from one phone: one same-requester group, no same-question
    group (that kind is for different people, who each need an answer)."""
    inquiries = [
        ask("call-1", "phone", (2, 8), {"phone": "0912345678"}, POLICY),
        ask("mail-1", "email", (2, 9), {"phone": "0912345678"}, POLICY),
    ]
    kinds = [group.kind for group in find_duplicates(inquiries, window=WEEK)]
    assert kinds == [DuplicateKind.SAME_REQUESTER]
    other = ask("mail-2", "email", (2, 10), {"phone": "0987654321"}, POLICY)
    groups = find_duplicates([*inquiries, other], window=WEEK)
    same_question = [g for g in groups if g.kind is DuplicateKind.SAME_QUESTION]
    assert [g.members for g in same_question] == [("call-1", "mail-1", "mail-2")]
