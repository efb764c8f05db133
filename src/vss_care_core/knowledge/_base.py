"""The knowledge base: entries, suggestions for a question, stale entries, publishing."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any, final

from pydantic import TypeAdapter, ValidationError

from vss_care_core.errors import InvalidInputError, UnknownNameError
from vss_care_core.knowledge._citations import (
    CitationProblem,
    answer_parts,
    check_cited,
    find_cited,
)
from vss_care_core.knowledge._dates import as_day, english_date, vietnamese_date
from vss_care_core.knowledge._entries import Citation, KnowledgeEntry
from vss_care_core.knowledge._errors import KnowledgeDataError
from vss_care_core.knowledge._index import ANSWER_WEIGHT, Bm25Index, Speller, document_terms
from vss_care_core.knowledge._registry import (
    LegalDocument,
    LegalRegistry,
    default_legal_registry,
    validation_problems,
)
from vss_care_core.knowledge._wording import Wording, default_wording
from vss_care_core.models import Answer, PolicyArea, words

__all__ = [
    "DEFAULT_SUGGESTIONS",
    "KnowledgeBase",
    "StaleEntry",
    "Suggestion",
    "check_citations",
    "load_knowledge_base",
    "sample_knowledge_base",
]

_DATA_FILE = "sample_entries.json"
DEFAULT_SUGGESTIONS = 3
"""How many suggestions :meth:`KnowledgeBase.suggest` returns unless told."""
_MAX_EXPLAINED_TERMS = 8
_MAX_CACHED_DAYS = 64
_PERSONAL = re.compile(r"\d(?:[ .\-]?\d){8,}|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
"""Nine digits or more (an ID, a phone or a social insurance number), or an e-mail address."""


@final
@dataclass(frozen=True, slots=True)
class Suggestion:
    """An entry suggested for a question: its ``score`` (BM25, higher is better) and the
    ``matched`` terms that made it, folded, best first. The terms are words of the knowledge
    base only, never a name or a number taken from the question."""

    entry: KnowledgeEntry
    score: float
    matched: tuple[str, ...]

    @property
    def why(self) -> str:
        """``matched 'luong huu', 'dieu kien'``."""
        return "matched " + ", ".join(repr(term) for term in self.matched)


@final
@dataclass(frozen=True, slots=True)
class StaleEntry:
    """An entry citing a document that is no longer in force.

    ``since`` is the first day the document is not in force, ``replacement`` the document that
    replaces it (None when it simply ceased). ``retired`` is True when the entry's own validity
    ended before ``since`` (it was retired in time; nothing to do), False when it still needs a
    review.
    """

    entry: KnowledgeEntry
    document: LegalDocument
    replacement: LegalDocument | None
    since: date
    retired: bool

    @property
    def reason(self) -> str:
        """``cites Law 58/2014/QH13, replaced by 41/2024/QH15 from 1 July 2025``."""
        if self.replacement is not None:
            text = (
                f"cites {self.document.label_en}, replaced by {self.replacement.number} "
                f"from {english_date(self.since)}"
            )
        else:
            since = english_date(self.since)
            text = f"cites {self.document.label_en}, no longer in force from {since}"
        if self.retired and self.entry.valid_to is not None:
            text += f" (retired: valid until {english_date(self.entry.valid_to)})"
        return text

    @property
    def reason_vi(self) -> str:
        """The reason in Vietnamese."""
        if self.replacement is not None:
            text = (
                f"trích dẫn {self.document.label_vi}, đã được thay thế bởi "
                f"{self.replacement.number} từ {vietnamese_date(self.since)}"
            )
        else:
            text = (
                f"trích dẫn {self.document.label_vi}, hết hiệu lực từ {vietnamese_date(self.since)}"
            )
        if self.retired and self.entry.valid_to is not None:
            text += f" (đã ngừng áp dụng sau {vietnamese_date(self.entry.valid_to)})"
        return text


@cache
def _entries_adapter() -> TypeAdapter[list[KnowledgeEntry]]:
    return TypeAdapter(list[KnowledgeEntry])


class KnowledgeBase:
    """Knowledge entries, checked against a legal registry, with an index built once.

    Building checks every entry: unique ids, cited documents known to the registry, no entry
    valid before a document it cites takes effect; every problem is listed in a
    :class:`~vss_care_core.knowledge.KnowledgeDataError`. A base never changes: :meth:`publish`
    and :meth:`with_entries` return a new one.

    An entry is **in force** on a day when its own dates include the day and every document it
    cites is in force that day; only entries in force are suggested.

    >>> base = sample_knowledge_base()
    >>> question = "Đóng BHXH bao nhiêu năm thì được lãnh lương hưu?"
    >>> best = base.suggest(question, at=date(2026, 3, 2))[0]
    >>> best.entry.id, best.entry.documents
    ('pension-conditions', ('41/2024/QH15', '45/2019/QH14'))
    >>> base.suggest(question, at=date(2025, 3, 2))[0].entry.id
    'pension-conditions-2014'
    """

    __slots__ = ("_by_id", "_entries", "_in_force", "_index", "_registry", "_speller", "_wording")

    def __init__(
        self,
        entries: Iterable[KnowledgeEntry],
        *,
        registry: LegalRegistry | None = None,
        wording: Wording | None = None,
        what: str = "knowledge base",
    ) -> None:
        self._registry = default_legal_registry() if registry is None else registry
        self._wording = default_wording() if wording is None else wording
        listed = tuple(entries)
        problems: list[str] = []
        by_id: dict[str, KnowledgeEntry] = {}
        for entry in listed:
            if not isinstance(entry, KnowledgeEntry):
                problems.append(f"{type(entry).__name__} is not a KnowledgeEntry")
                continue
            if entry.id in by_id:
                problems.append(f"entry {entry.id!r}: the id is used more than once")
            by_id[entry.id] = entry
            problems.extend(self._citation_problems(entry))
        if problems:
            raise KnowledgeDataError(what, problems)
        self._entries = tuple(e for e in listed if isinstance(e, KnowledgeEntry))
        self._by_id = by_id
        folded = [_folded_texts(entry) for entry in self._entries]
        self._index = Bm25Index([self._fields(texts) for texts in folded])
        self._speller = _speller(folded, self._wording)
        self._in_force: dict[date, frozenset[int]] = {}

    def _citation_problems(self, entry: KnowledgeEntry) -> list[str]:
        problems = []
        for citation in entry.citations:
            document = self._registry.get(citation.document)
            if document is None:
                known = [d.number for d in self._registry]
                hint = UnknownNameError("legal document", citation.document, known).message
                problems.append(f"entry {entry.id!r} cites an {hint}")
            elif entry.valid_from < document.effective_from:
                problems.append(
                    f"entry {entry.id!r} is valid from {entry.valid_from} but cites "
                    f"{document.label_en}, in force only from {document.effective_from}: "
                    "move valid_from, or cite the document in force then"
                )
        return problems

    def _fields(self, folded: Mapping[str, list[str]]) -> list[tuple[list[str], float]]:
        """The weighted fields of an entry, from its folded texts (see :func:`_folded_texts`)."""
        terms = self._wording.terms_of_words
        fields = [(document_terms(terms(folded[name])), 1.0) for name in folded if name != "answer"]
        fields.append((document_terms(terms(folded["answer"])), ANSWER_WEIGHT))
        return fields

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        *,
        registry: LegalRegistry | None = None,
        wording: Wording | None = None,
        what: str = "knowledge base",
    ) -> KnowledgeBase:
        """A base from parsed data in the shipped format:
        ``{"entries": [{"id": ..., "question": ..., ...}], "description": ...}``."""
        if not isinstance(data, Mapping) or not isinstance(data.get("entries"), list):
            raise KnowledgeDataError(what, ['the data must be an object with an "entries" list'])
        unknown = sorted(set(data) - {"entries", "description"})
        if unknown:
            raise KnowledgeDataError(
                what, [f"unknown keys {unknown}: use 'entries' and 'description'"]
            )
        try:
            entries = _entries_adapter().validate_python(data["entries"])
        except ValidationError as error:
            raise KnowledgeDataError(what, validation_problems(error, "entries")) from None
        return cls(entries, registry=registry, wording=wording, what=what)

    @property
    def entries(self) -> tuple[KnowledgeEntry, ...]:
        """Every entry, in the order given."""
        return self._entries

    @property
    def registry(self) -> LegalRegistry:
        """The legal registry the entries are checked against."""
        return self._registry

    @property
    def wording(self) -> Wording:
        """The reading rules of questions."""
        return self._wording

    @property
    def vocabulary(self) -> frozenset[str]:
        """The folded words the index knows; explanations use no other."""
        return self._index.vocabulary

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[KnowledgeEntry]:
        return iter(self._entries)

    def __repr__(self) -> str:
        samples = sum(entry.sample for entry in self._entries)
        return f"KnowledgeBase(<{len(self._entries)} entries, {samples} samples>)"

    def entry(self, entry_id: str) -> KnowledgeEntry:
        """The entry ``entry_id``; :class:`~vss_care_core.errors.UnknownNameError` (a
        ``KeyError``) with the closest ids when there is none."""
        found = self._by_id.get(entry_id)
        if found is None:
            raise UnknownNameError("knowledge entry", entry_id, list(self._by_id))
        return found

    def in_force(self, *, on: object) -> tuple[KnowledgeEntry, ...]:
        """The entries in force on ``on`` (a date, or an aware datetime read in Vietnam)."""
        allowed = self._allowed(as_day(on, "on"))
        return tuple(entry for position, entry in enumerate(self._entries) if position in allowed)

    def _allowed(self, day: date) -> frozenset[int]:
        cached = self._in_force.get(day)
        if cached is None:
            cached = frozenset(
                position
                for position, entry in enumerate(self._entries)
                if entry.valid_on(day)
                and all(self._registry.in_force(d, on=day) for d in entry.documents)
            )
            if len(self._in_force) >= _MAX_CACHED_DAYS:
                self._in_force.clear()
            self._in_force[day] = cached
        return cached

    def suggest(
        self, question: str, *, at: object, limit: int = DEFAULT_SUGGESTIONS
    ) -> tuple[Suggestion, ...]:
        """The best entries in force at ``at`` for ``question``, best first, at most ``limit``.

        ``at`` is the day the question is answered: a ``date``, or an aware ``datetime`` read in
        Vietnam's time zone (a naive one is refused). The question is read folded, with and
        without diacritics, abbreviations matching their phrases both ways, regional wording and
        small typos; see :class:`~vss_care_core.knowledge.Wording`. Each suggestion says which
        terms matched; an entry that shares no term with the question is not suggested.
        """
        if not isinstance(question, str):
            raise InvalidInputError(f"question must be a text (got a {type(question).__name__})")
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise InvalidInputError(f"limit must be a whole number >= 1 (got {limit!r})")
        allowed = self._allowed(as_day(at, "at"))
        terms = self._index.query_terms(question, self._wording, self._speller)
        return tuple(
            Suggestion(
                entry=self._entries[match.position],
                score=round(match.score, 3),
                matched=match.terms[:_MAX_EXPLAINED_TERMS],
            )
            for match in self._index.search(terms, allowed=allowed, limit=limit)
        )

    def stale_entries(self, *, on: object) -> tuple[StaleEntry, ...]:
        """Every entry citing a document that is no longer in force on ``on``, flagged from
        the day the document ceased (for a replaced document, the day its replacement took
        effect). Entries still needing a review come first, then the retired ones."""
        day = as_day(on, "on")
        found = []
        for entry in self._entries:
            for number in entry.documents:
                end = self._registry.end_of(number)
                if end is None or day < end:
                    continue
                found.append(
                    StaleEntry(
                        entry=entry,
                        document=self._registry.document(number),
                        replacement=self._registry.replacement_of(number),
                        since=end,
                        retired=entry.valid_to is not None and entry.valid_to < end,
                    )
                )
        return tuple(sorted(found, key=lambda s: (s.retired, s.since, s.entry.id)))

    def check_citations(
        self,
        answer: str | Answer,
        legal_basis: Iterable[str] = (),
        *,
        on: object,
        policy: bool,
    ) -> tuple[CitationProblem, ...]:
        """See :func:`check_citations`; this base's registry and wording are used."""
        return check_citations(
            answer,
            legal_basis,
            on=on,
            policy=policy,
            registry=self._registry,
            wording=self._wording,
        )

    def with_entries(self, entries: Iterable[KnowledgeEntry]) -> KnowledgeBase:
        """A new base with ``entries`` added; one with the id of an existing entry replaces
        it. Checked and indexed as a whole."""
        merged = dict(self._by_id)
        for entry in entries:
            merged[entry.id] = entry
        return KnowledgeBase(merged.values(), registry=self._registry, wording=self._wording)

    def publish(
        self,
        answer: Answer,
        *,
        entry_id: str,
        question: str,
        at: object,
        policy_areas: Sequence[PolicyArea | str],
        topics: Sequence[str] = (),
        variants: Sequence[str] = (),
        answer_en: str | None = None,
        supersedes: str | None = None,
    ) -> KnowledgeBase:
        """A new base with an approved ``answer`` published as the entry ``entry_id``.

        The entry is valid from the day of ``at``, cites the documents the answer cites (its
        text and its ``legal_basis``, with the articles named there) and is not a sample.
        ``supersedes`` names an entry this one replaces: that entry is kept, valid until the
        day before. Refused (:class:`~vss_care_core.errors.InvalidInputError`) when a citation
        is refused on that day, when the id is taken, when the answer discloses personal data,
        or when the question or the answer contains what looks like an ID or phone number or an
        e-mail address: a knowledge base is shared, personal data has no place in it.
        """
        if not isinstance(answer, Answer):
            raise InvalidInputError(f"answer must be an Answer (got a {type(answer).__name__})")
        day = as_day(at, "at")
        if entry_id in self._by_id:
            raise InvalidInputError(
                f"entry {entry_id!r} already exists: give a new id, and supersedes={entry_id!r} "
                "to retire the old entry"
            )
        if answer.discloses_personal_data or _PERSONAL.search(f"{question}\n{answer.text}"):
            raise InvalidInputError(
                f"entry {entry_id!r}: the question or the answer contains personal data (an ID "
                "or phone number, an e-mail address, or the requester's own records): write the "
                "entry in general terms before publishing it"
            )
        cited = find_cited(
            answer.text, answer.legal_basis, registry=self._registry, wording=self._wording, on=day
        )
        problems = check_cited(cited, registry=self._registry, on=day, policy=True)
        refused = [problem.message for problem in problems if problem.refuses]
        if refused:
            raise InvalidInputError(
                f"entry {entry_id!r} cannot be published: " + "; ".join(refused)
            )
        entry = KnowledgeEntry(
            id=entry_id,
            question=question,
            variants=tuple(variants),
            answer=answer.text,
            answer_en=answer_en,
            policy_areas=tuple(policy_areas),
            topics=tuple(topics),
            citations=tuple(
                Citation(document=d.number, articles=cited.articles.get(d.key, ()))
                for d in cited.documents
            ),
            valid_from=day,
        )
        replaced = [entry]
        if supersedes is not None:
            old = self.entry(supersedes)
            last_day = day - timedelta(days=1)
            if last_day < old.valid_from:
                raise InvalidInputError(
                    f"entry {supersedes!r} is valid from {old.valid_from}: a successor published "
                    f"on {day} would leave it no valid day; publish from a later day"
                )
            if old.valid_to is None or old.valid_to > last_day:
                replaced.append(KnowledgeEntry.model_validate({**dict(old), "valid_to": last_day}))
        return self.with_entries(replaced)


def _folded_texts(entry: KnowledgeEntry) -> dict[str, list[str]]:
    """The folded words of each text of an entry, before phrases are rewritten: the question,
    each variant, the topics and the answer (numbers kept; the reading drops them)."""
    texts = {"question": words(entry.question)}
    for number, variant in enumerate(entry.variants):
        texts[f"variant {number}"] = words(variant)
    texts["topics"] = [word for topic in entry.topics for word in words(topic)]
    texts["answer"] = words(entry.answer)
    return texts


def _speller(folded: Sequence[Mapping[str, list[str]]], wording: Wording) -> Speller:
    """A speller knowing every word of the entries (numbers aside) and of the reading rules."""
    known = [
        word
        for texts in folded
        for text in texts.values()
        for word in text
        if not any(character.isdigit() for character in word)
    ]
    return Speller([*known, *wording.phrase_words])


def check_citations(
    answer: str | Answer,
    legal_basis: Iterable[str] = (),
    *,
    on: object,
    policy: bool,
    registry: LegalRegistry | None = None,
    wording: Wording | None = None,
) -> tuple[CitationProblem, ...]:
    """Every problem with the documents ``answer`` cites, on the answer's day ``on``.

    ``answer`` is an :class:`~vss_care_core.models.Answer` (its text and ``legal_basis``) or a
    text; ``legal_basis`` adds items. Documents are read by number (``41/2024/QH15``) or by
    title and year (``Luật Bảo hiểm xã hội 2024``). A document not in force on ``on`` is
    **refused**: not yet in force, replaced, or ceased. Warnings: a number not in the registry,
    a legal-basis item without a number, and, when ``policy`` is True (the answer explains a
    policy), an answer that cites nothing. Empty when all is well.

    >>> from datetime import date
    >>> answer = "Theo Luật 58/2014/QH13, cần 20 năm đóng."
    >>> problems = check_citations(answer, on=date(2025, 7, 1), policy=True)
    >>> [p.severity for p in problems]
    ['refused']
    >>> print(problems[0])
    cites Law 58/2014/QH13, replaced by 41/2024/QH15 from 1 July 2025: review the answer against
    Law 41/2024/QH15
    >>> check_citations(answer, on=date(2025, 6, 30), policy=True)
    ()
    """
    registry = default_legal_registry() if registry is None else registry
    wording = default_wording() if wording is None else wording
    day = as_day(on, "on")
    text, basis = answer_parts(answer, legal_basis)
    if not isinstance(text, str) or not all(isinstance(item, str) for item in basis):
        raise InvalidInputError("answer must be an Answer or a text, legal_basis a list of texts")
    cited = find_cited(text, basis, registry=registry, wording=wording, on=day)
    return check_cited(cited, registry=registry, on=day, policy=policy)


def load_knowledge_base(
    source: str | PathLike[str] | Mapping[str, Any],
    *,
    registry: LegalRegistry | None = None,
    wording: Wording | None = None,
) -> KnowledgeBase:
    """A base from a JSON file or parsed data in the shipped format (see
    :meth:`KnowledgeBase.from_dict`); every problem is listed in a
    :class:`~vss_care_core.knowledge.KnowledgeDataError`."""
    if isinstance(source, Mapping):
        return KnowledgeBase.from_dict(source, registry=registry, wording=wording)
    path = Path(source)
    what = f"knowledge base {path.name!r}"
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise KnowledgeDataError(what, [str(error)]) from None
    return KnowledgeBase.from_dict(data, registry=registry, wording=wording, what=what)


@cache
def sample_knowledge_base() -> KnowledgeBase:
    """The shipped **sample** base: entries written as examples for this library (each has
    ``sample=True``), to be replaced by VSS's own reviewed answers."""
    text = resources.files("vss_care_core.knowledge").joinpath("data", _DATA_FILE)
    return KnowledgeBase.from_dict(
        json.loads(text.read_text("utf-8")), what="the shipped sample knowledge base"
    )
