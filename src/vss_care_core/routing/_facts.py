"""What routing looks at in an inquiry, computed once per inquiry."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Protocol

from vss_care_core.models import (
    Channel,
    Classification,
    Inquiry,
    InquiryKind,
    PolicyArea,
    Priority,
    fold_vietnamese,
)

__all__ = ["AREA_BITS", "InquiryFacts", "RoutableCase", "facts_of", "fast_words"]

_WORD = re.compile(r"[0-9a-z]+")


class _FoldTable(dict[int, str]):
    """Each character's folded form, computed on first sight, for ``str.translate``.

    Folding (decompose, drop combining marks, đ → d, casefold) works character by character,
    so translating with this table gives exactly :func:`~vss_care_core.models.fold_vietnamese`.
    """

    def __missing__(self, code: int) -> str:
        folded = fold_vietnamese(chr(code))
        if len(self) < 100_000:
            self[code] = folded
        return folded


_FOLD = _FoldTable()


def fast_words(text: str) -> list[str]:
    """The same list as :func:`vss_care_core.models.words`, by one table translation."""
    return _WORD.findall(text.translate(_FOLD))


AREA_BITS: dict[PolicyArea, int] = {area: 1 << i for i, area in enumerate(PolicyArea)}
"""One bit per policy area, so that a set of areas is a small integer."""


@dataclass(frozen=True, slots=True)
class InquiryFacts:
    """The routed fields of an inquiry and the folded words of its subject and content.

    ``subject_text`` and ``content_text`` are the folded words joined by single spaces, with a
    space at each end, so that a phrase matches as consecutive whole words by a substring test.
    ``terms`` holds every word and every pair of consecutive words (``"luong huu"``), the keys
    of the keyword index.
    """

    channel: Channel
    kind: InquiryKind | None
    policy_areas: frozenset[PolicyArea]
    area_bits: int
    topic: str | None
    priority: Priority
    requester_type: str
    province: str | None
    language: str
    subject_words: frozenset[str]
    content_words: frozenset[str]
    words: frozenset[str]
    subject_text: str
    content_text: str
    terms: frozenset[str]


class RoutableCase(Protocol):
    """What routing reads of a case (:class:`vss_care_core.process.Case` has it): its
    inquiry, and the classification and priority recorded so far."""

    @property
    def inquiry(self) -> Inquiry:
        """The inquiry the case handles."""

    @property
    def classification(self) -> Classification | None:
        """The classification recorded in the process, else the inquiry's."""

    @property
    def priority(self) -> Priority:
        """The priority in force."""


def facts_of(subject: Inquiry | RoutableCase) -> InquiryFacts:
    """The facts routing needs, with subject and content folded once.

    For a case, the classification (kind, policy areas, topic) and priority recorded so far
    take the place of the inquiry's own fields.
    """
    if isinstance(subject, Inquiry):
        inquiry = subject
        kind, areas, topic = inquiry.kind, inquiry.policy_areas, inquiry.topic
        priority = inquiry.priority
    else:
        inquiry = subject.inquiry
        classification = subject.classification
        if classification is not None:
            kind = classification.kind
            areas = classification.policy_areas
            topic = classification.topic
        else:
            kind, areas, topic = inquiry.kind, inquiry.policy_areas, inquiry.topic
        priority = subject.priority
    subject_words = fast_words(inquiry.subject)
    content = fast_words(inquiry.content)
    subject_set = frozenset(subject_words)
    content_set = frozenset(content)
    pairs = {f"{a} {b}" for text in (subject_words, content) for a, b in pairwise(text)}
    bits = 0
    for area in areas:
        bits |= AREA_BITS[area]
    return InquiryFacts(
        channel=inquiry.channel,
        kind=kind,
        policy_areas=frozenset(areas),
        area_bits=bits,
        topic=topic,
        priority=priority,
        requester_type=getattr(inquiry.requester, "of", inquiry.requester.type),
        province=inquiry.requester.province,
        language=inquiry.language,
        subject_words=subject_set,
        content_words=content_set,
        words=subject_set | content_set,
        subject_text=f" {' '.join(subject_words)} ",
        content_text=f" {' '.join(content)} ",
        terms=subject_set | content_set | pairs,
    )
