"""The answer checklist that review runs before an answer may go out.

The seed article names "incomplete and unclear answers" as a real failure: an answer must not be
empty or a few words, must address the question, must cite its legal basis when it settles a
complaint or a denunciation, and must not reveal anyone else's personal data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

from vss_care_core.knowledge import check_citations
from vss_care_core.models import (
    Answer,
    CitizenId,
    EmailAddress,
    Identifier,
    Inquiry,
    InquiryKind,
    PhoneNumber,
    mask_email,
    mask_middle,
    words,
)

__all__ = ["MIN_ANSWER_WORDS", "check_answer", "key_terms"]

MIN_ANSWER_WORDS = 8
"""An answer with fewer words than this is refused as incomplete."""

_STOPWORDS = frozenset(
    [
        "a",
        "ah",
        "ai",
        "and",
        "anh",
        "are",
        "ba",
        "ban",
        "bao",
        "bi",
        "cach",
        "cac",
        "cai",
        "can",
        "chi",
        "cho",
        "chua",
        "co",
        "con",
        "cua",
        "cung",
        "da",
        "dang",
        "de",
        "dear",
        "den",
        "di",
        "do",
        "duoc",
        "em",
        "for",
        "gi",
        "gio",
        "hai",
        "has",
        "have",
        "hay",
        "hello",
        "hoi",
        "hon",
        "how",
        "khi",
        "khong",
        "la",
        "lai",
        "lam",
        "len",
        "ma",
        "minh",
        "moi",
        "muon",
        "mot",
        "nao",
        "nay",
        "neu",
        "ngay",
        "nhieu",
        "nhu",
        "nhung",
        "noi",
        "o",
        "oi",
        "ong",
        "our",
        "phai",
        "please",
        "qua",
        "ra",
        "rang",
        "rat",
        "roi",
        "sao",
        "sau",
        "se",
        "tai",
        "tam",
        "thank",
        "thanks",
        "that",
        "the",
        "thi",
        "this",
        "tho",
        "toi",
        "tra",
        "trong",
        "tu",
        "va",
        "van",
        "vang",
        "vao",
        "vay",
        "ve",
        "vi",
        "voi",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "with",
        "xin",
        "you",
        "your",
    ]
)

_CITATION = re.compile(
    r"\b(luat|nghi dinh|thong tu|quyet dinh|nghi quyet|cong van|dieu \d+|khoan \d+)\b"
)
_DIGITS = re.compile(r"(?<![\d+])(?:\+84|0)?\d[\d .\-]{7,14}\d(?!\d)")
_EMAILS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def key_terms(text: str) -> frozenset[str]:
    """The meaningful folded words of ``text`` (stop words and one-letter words dropped).

    >>> sorted(key_terms("Tôi muốn hỏi về lương hưu"))
    ['huu', 'luong']
    """
    return frozenset(
        w for w in words(text) if len(w) > 1 and not w.isdigit() and w not in _STOPWORDS
    )


def _own_values(inquiry: Inquiry) -> set[str]:
    requester = inquiry.requester
    own: set[str] = set()
    for name in ("citizen_id", "social_insurance_number", "tax_code", "phone", "email"):
        value = getattr(requester, name, None)
        if isinstance(value, Identifier):
            own.add(value.value.lower())
            if isinstance(value, PhoneNumber):
                own.add(value.local)
    return own


def _personal_data_in(text: str) -> Iterable[tuple[str, str, str]]:
    """(kind, normal form, masked form) of each identifier-looking thing in ``text``."""
    for match in _DIGITS.finditer(text):
        raw = re.sub(r"[ .\-]", "", match.group())
        if raw.startswith(("+84", "0")) and len(raw) in (10, 11, 12):
            try:
                phone = PhoneNumber(raw)
            except ValueError:
                phone = None
            if phone is not None:
                yield "phone number", phone.value, phone.masked
                continue
        if len(raw) == 12 and raw.isdigit():
            cid = CitizenId(raw)
            yield "citizen ID", cid.value, cid.masked
        elif len(raw) == 10 and raw.isdigit():
            yield "ID number", raw, mask_middle(raw)
    for match in _EMAILS.finditer(text):
        try:
            email = EmailAddress(match.group())
        except ValueError:
            continue
        yield "e-mail address", email.value.lower(), mask_email(email.value)


def check_answer(
    inquiry: Inquiry,
    answer: Answer,
    *,
    kind: InquiryKind | None,
    on: date | datetime | None = None,
) -> tuple[str, ...]:
    """Every problem the review checklist finds in ``answer``; empty when it may be approved.

    ``kind`` is the inquiry's classified kind (complaints and denunciations need a legal basis).
    With ``on`` (the day the answer goes out), a cited legal document that is not in force that
    day is refused: replaced, ceased or not yet in force (the legal registry of
    :mod:`vss_care_core.knowledge`); the review step of a case passes the moment of review.

    >>> from datetime import datetime, timezone
    >>> inquiry = Inquiry(channel="email", received_at=datetime(2026, 3, 2, tzinfo=timezone.utc),
    ...                   requester={"name": "Lê Văn C"}, subject="Lương hưu",
    ...                   content="Cách tính lương hưu khi đóng BHXH 25 năm?")
    >>> check_answer(inquiry, Answer(text="Đã nhận."), kind=InquiryKind.QUESTION)
    ('the answer is incomplete: 2 words, at least 8 expected', \
"the answer does not address the question: it shares none of the question's 6 key terms; \
answer what was asked, in its words")
    """
    problems: list[str] = []
    text = answer.text.strip()
    answer_words = words(text)
    if not answer_words:
        return ("the answer is empty",)
    if len(answer_words) < MIN_ANSWER_WORDS:
        problems.append(
            f"the answer is incomplete: {len(answer_words)} words, "
            f"at least {MIN_ANSWER_WORDS} expected"
        )
    question = key_terms(f"{inquiry.subject} {inquiry.content}")
    if question and not question & set(answer_words):
        # The question's words are the requester's and may hold a name: they are not quoted.
        count = len(question)
        noun = "key term" if count == 1 else "key terms"
        problems.append(
            "the answer does not address the question: it shares none of the question's "
            f"{count} {noun}; answer what was asked, in its words"
        )
    if kind in (InquiryKind.COMPLAINT, InquiryKind.DENUNCIATION):
        folded = " ".join(answer_words)
        if not answer.legal_basis and not _CITATION.search(folded):
            problems.append(
                f"a {kind.value} must be answered with its legal basis: "
                "cite the law, decree or article (legal_basis=[...])"
            )
    own = _own_values(inquiry)
    for label, value, masked in _personal_data_in(text):
        if value not in own:
            problems.append(
                f"the answer contains personal data of someone else ({label} {masked!r}): remove it"
            )
    if on is not None:
        problems.extend(
            str(problem)
            for problem in check_citations(answer, on=on, policy=False)
            if problem.refuses
        )
    return tuple(problems)
