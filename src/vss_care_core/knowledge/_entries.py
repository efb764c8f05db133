"""A knowledge entry: a question, its phrasings, its answer, the documents it cites, its dates."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any, Self

from pydantic import Field, field_validator, model_validator

from vss_care_core.knowledge._dates import as_day
from vss_care_core.models import MAX_CONTENT_LENGTH, CareModel, PolicyArea, mask_text

__all__ = ["Citation", "KnowledgeEntry"]

_Number = Annotated[str, Field(min_length=3, max_length=40)]
_Article = Annotated[str, Field(min_length=1, max_length=100)]
_Phrase = Annotated[str, Field(min_length=3, max_length=1000)]
_Topic = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9_.\-]*$")]
_AREA_RANK = {area: rank for rank, area in enumerate(PolicyArea)}


class Citation(CareModel):
    """A legal document an answer rests on, by its number, and the articles it relies on.

    >>> str(Citation(document="41/2024/QH15", articles=("Điều 70",)))
    '41/2024/QH15, Điều 70'
    """

    document: _Number
    articles: tuple[_Article, ...] = ()

    def __str__(self) -> str:
        return ", ".join((self.document, *self.articles))


class KnowledgeEntry(CareModel):
    """One entry of a knowledge base.

    - ``id``: a short lowercase code (``pension-conditions``);
    - ``question`` and ``variants``: the question as VSS writes it and other ways people ask it;
    - ``answer`` (Vietnamese) and ``answer_en`` (an English gloss, optional);
    - ``policy_areas`` (social, health, unemployment) and ``topics`` (lowercase codes);
    - ``citations``: the documents of the legal registry the answer rests on;
    - ``valid_from`` and ``valid_to``: the first and the **last** day (included) the answer is
      valid; ``valid_to`` is None while no end is known;
    - ``sample``: True for the entries written as examples for this library, which VSS's own
      reviewed answers must replace.

    ``repr`` shows the question and the answer only by their length (a published answer comes
    from a real case).
    """

    id: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9_.\-]*$")]
    question: _Phrase
    variants: tuple[_Phrase, ...] = ()
    answer: Annotated[str, Field(min_length=1, max_length=MAX_CONTENT_LENGTH)]
    answer_en: Annotated[str, Field(min_length=1, max_length=MAX_CONTENT_LENGTH)] | None = None
    policy_areas: Annotated[tuple[PolicyArea, ...], Field(min_length=1)]
    topics: tuple[_Topic, ...] = ()
    citations: tuple[Citation, ...] = ()
    valid_from: date
    valid_to: date | None = None
    sample: bool = False

    @field_validator("policy_areas")
    @classmethod
    def _sorted_areas(cls, areas: tuple[PolicyArea, ...]) -> tuple[PolicyArea, ...]:
        return tuple(sorted(set(areas), key=_AREA_RANK.__getitem__))

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(
                f"valid_to {self.valid_to} is before valid_from {self.valid_from}; valid_to is "
                "the last day the answer is valid"
            )
        return self

    def valid_on(self, on: object) -> bool:
        """Whether the entry's own dates include ``on`` (a date or an aware datetime); whether
        the documents it cites are in force is the knowledge base's question."""
        day = as_day(on, "on")
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def documents(self) -> tuple[str, ...]:
        """The numbers of the documents cited, in order."""
        return tuple(citation.document for citation in self.citations)

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        yield "id", self.id
        yield "question", mask_text(self.question)
        yield "answer", mask_text(self.answer)
        yield "policy_areas", self.policy_areas
        if self.topics:
            yield "topics", self.topics
        if self.citations:
            yield "citations", tuple(str(c) for c in self.citations)
        yield "valid_from", self.valid_from
        if self.valid_to is not None:
            yield "valid_to", self.valid_to
        if self.sample:
            yield "sample", True
