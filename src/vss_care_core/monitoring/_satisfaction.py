"""Satisfaction survey responses (khảo sát sự hài lòng) and CSAT."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Annotated, Any

from pydantic import AwareDatetime, Field

from vss_care_core.models import CareModel, new_id

__all__ = [
    "SATISFACTION_FACTORS",
    "SATISFACTION_TARGETS",
    "SatisfactionResponse",
    "csat",
]

Score = Annotated[int, Field(ge=1, le=5)]

SATISFACTION_FACTORS: tuple[str, ...] = (
    "accessibility",
    "procedures",
    "quality",
    "results",
    "feedback_handling",
)
"""The five factors VSS surveys, in the order of its 2025 survey."""

SATISFACTION_TARGETS: dict[int, float] = {2020: 0.80, 2025: 0.85, 2030: 0.90}
"""The satisfaction targets of Resolution 28-NQ/TW (2018), by year: a share of people satisfied.

The 2030 target is "at least 90 %".
"""


class SatisfactionResponse(CareModel):
    """One answer to the satisfaction survey about one case.

    Scores go from 1 (very dissatisfied) to 5 (very satisfied); ``overall`` is required, the
    five VSS factors are optional (a short survey asks only the overall question). The free-text
    ``comment`` may hold personal data: it is hidden in ``repr``.

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> response = SatisfactionResponse(
    ...     case_id="c-1",
    ...     answered_at=datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
    ...     overall=4,
    ...     quality=5,
    ...     comment="Cán bộ Nguyễn Văn An trả lời rất rõ",
    ... )
    >>> response.is_satisfied
    True
    >>> "Nguyễn" in repr(response)
    False
    """

    id: Annotated[str, Field(min_length=1, max_length=64)] = Field(default_factory=new_id)
    case_id: Annotated[str, Field(min_length=1, max_length=64)]
    answered_at: AwareDatetime
    overall: Score
    accessibility: Score | None = None
    procedures: Score | None = None
    quality: Score | None = None
    results: Score | None = None
    feedback_handling: Score | None = None
    comment: Annotated[str, Field(min_length=1, max_length=2000)] | None = None

    @property
    def is_satisfied(self) -> bool:
        """True for an overall score of 4 (satisfied) or 5 (very satisfied)."""
        return self.overall >= 4

    def factor_scores(self) -> dict[str, int]:
        """The factor scores that were given, by factor name."""
        scores: dict[str, int] = {}
        for name in SATISFACTION_FACTORS:
            value = getattr(self, name)
            if value is not None:
                scores[name] = value
        return scores

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        for name, value in super().__repr_args__():
            if name == "comment":
                if value is not None:
                    yield name, f"<{len(value)} characters>"
            elif value is not None:
                yield name, value


def csat(responses: Iterable[SatisfactionResponse]) -> float | None:
    """The CSAT: the share of responses whose overall score is 4 or 5; None without responses.

    >>> from datetime import datetime, UTC
    >>> at = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
    >>> csat(SatisfactionResponse(case_id="c", answered_at=at, overall=s) for s in (5, 4, 3, 2))
    0.5
    """
    total = 0
    satisfied = 0
    for response in responses:
        total += 1
        satisfied += response.is_satisfied
    return satisfied / total if total else None
