"""What routing looks at in an inquiry, computed once per inquiry."""

from __future__ import annotations

from dataclasses import dataclass

from vss_care_core.models import (
    Channel,
    Inquiry,
    InquiryKind,
    PolicyArea,
    Priority,
    words,
)

__all__ = ["AREA_BITS", "InquiryFacts", "facts_of"]

AREA_BITS: dict[PolicyArea, int] = {area: 1 << i for i, area in enumerate(PolicyArea)}
"""One bit per policy area, so that a set of areas is a small integer."""


@dataclass(frozen=True, slots=True)
class InquiryFacts:
    """The routed fields of an inquiry and the folded words of its subject and content.

    ``subject_text`` and ``content_text`` are the folded words joined by single spaces, with a
    space at each end, so that a phrase matches as consecutive whole words by a substring test.
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


def facts_of(inquiry: Inquiry) -> InquiryFacts:
    """The facts routing needs, with subject and content folded once."""
    subject = words(inquiry.subject)
    content = words(inquiry.content)
    subject_set = frozenset(subject)
    content_set = frozenset(content)
    bits = 0
    for area in inquiry.policy_areas:
        bits |= AREA_BITS[area]
    return InquiryFacts(
        channel=inquiry.channel,
        kind=inquiry.kind,
        policy_areas=frozenset(inquiry.policy_areas),
        area_bits=bits,
        topic=inquiry.topic,
        priority=inquiry.priority,
        requester_type=inquiry.requester.type,
        province=inquiry.requester.province,
        language=inquiry.language,
        subject_words=subject_set,
        content_words=content_set,
        words=subject_set | content_set,
        subject_text=f" {' '.join(subject)} ",
        content_text=f" {' '.join(content)} ",
    )
