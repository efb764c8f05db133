"""A registry of the legal documents that answers cite: laws, decrees, circulars, decisions.

Each document says when it took effect, when it ceased (when known) and what it replaces or
amends, so that an answer citing a replaced document can be caught the day the replacement takes
effect. The shipped data is in ``knowledge/data/legal_documents.json``; every fact there either
names its source or is listed in the document's ``assumed`` fields.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from enum import StrEnum
from functools import cache
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, TypeAdapter, ValidationError

from vss_care_core.errors import UnknownNameError
from vss_care_core.knowledge._dates import as_day, english_date
from vss_care_core.knowledge._errors import KnowledgeDataError
from vss_care_core.models import CareModel, fold_vietnamese

__all__ = [
    "ASSUMABLE_FIELDS",
    "DocumentKind",
    "LegalDocument",
    "LegalRegistry",
    "default_legal_registry",
    "document_key",
    "load_legal_registry",
    "validation_problems",
]

_DATA_FILE = "legal_documents.json"

ASSUMABLE_FIELDS = frozenset(
    ["number", "title", "issued_on", "effective_from", "ceased_on", "replaces", "amends"]
)
"""The fields of a document that its ``assumed`` list may name (facts no source confirmed)."""


class DocumentKind(StrEnum):
    """The kind of a legal document, with its Vietnamese and English names."""

    CODE = "code"
    LAW = "law"
    RESOLUTION = "resolution"
    DECREE = "decree"
    DECISION = "decision"
    CIRCULAR = "circular"
    OFFICIAL_LETTER = "official_letter"

    @property
    def label_vi(self) -> str:
        """The Vietnamese name (``Luật``, ``Nghị định``...)."""
        return _KIND_LABELS[self][0]

    @property
    def label_en(self) -> str:
        """The English name (``Law``, ``Decree``...)."""
        return _KIND_LABELS[self][1]


_KIND_LABELS = {
    DocumentKind.CODE: ("Bộ luật", "Code"),
    DocumentKind.LAW: ("Luật", "Law"),
    DocumentKind.RESOLUTION: ("Nghị quyết", "Resolution"),
    DocumentKind.DECREE: ("Nghị định", "Decree"),
    DocumentKind.DECISION: ("Quyết định", "Decision"),
    DocumentKind.CIRCULAR: ("Thông tư", "Circular"),
    DocumentKind.OFFICIAL_LETTER: ("Công văn", "Official letter"),
}

_Number = Annotated[
    str,
    Field(
        min_length=3, max_length=40, pattern=r"^\d{1,5}/(\d{4}/)?[A-Za-zĐđ0-9]+(-[A-Za-zĐđ0-9]+)*$"
    ),
]
_Title = Annotated[str, Field(min_length=3, max_length=300)]


def document_key(number: str) -> str:
    """The form in which document numbers are compared: folded, without spaces.

    >>> document_key("158/2025/NĐ-CP") == document_key("158/2025/nd-cp")
    True
    """
    return fold_vietnamese(number).replace(" ", "")


class LegalDocument(CareModel):
    """One legal document.

    - ``number``: its official number (``41/2024/QH15``, ``158/2025/NĐ-CP``);
    - ``kind``, ``title_vi``, ``title_en``;
    - ``issued_on``: the day it was passed or signed (None when not known);
    - ``effective_from``: the first day it is in force;
    - ``ceased_on``: the first day it is **no longer** in force ("hết hiệu lực từ ngày"), when
      known; a document replaced by another ceases the day its replacement takes effect, which
      the registry derives when this field is empty;
    - ``replaces`` and ``amends``: numbers of documents of the same registry;
    - ``source``: where the facts come from; ``assumed``: the fields that no public source
      confirmed (``"effective_from"``...), to be checked and overridden with your own data;
    - ``note``: anything a reader should know (a provision in force earlier, for instance).
    """

    number: _Number
    kind: DocumentKind
    title_vi: _Title
    title_en: _Title
    issued_on: date | None = None
    effective_from: date
    ceased_on: date | None = None
    replaces: tuple[_Number, ...] = ()
    amends: tuple[_Number, ...] = ()
    source: Annotated[str, Field(min_length=3, max_length=1000)]
    assumed: tuple[str, ...] = ()
    note: Annotated[str, Field(max_length=1000)] = ""

    @property
    def key(self) -> str:
        """The number as compared by the registry (see :func:`document_key`)."""
        return document_key(self.number)

    @property
    def label_en(self) -> str:
        """``Law 41/2024/QH15``."""
        return f"{self.kind.label_en} {self.number}"

    @property
    def label_vi(self) -> str:
        """``Luật 41/2024/QH15``."""
        return f"{self.kind.label_vi} {self.number}"

    @property
    def is_assumed(self) -> bool:
        """True when at least one fact of the document is not confirmed by a source."""
        return bool(self.assumed)

    def __str__(self) -> str:
        return f"{self.label_en} ({self.title_en})"


def validation_problems(error: ValidationError, prefix: str) -> list[str]:
    """One line per problem of a pydantic error: where it is, what is wrong."""
    problems = []
    for item in error.errors(include_url=False):
        where = ".".join(str(part) for part in (prefix, *item["loc"]) if part != "")
        message = str(item["msg"]).removeprefix("Value error, ")
        problems.append(f"{where}: {message}")
    return problems


@cache
def _documents_adapter() -> TypeAdapter[list[LegalDocument]]:
    return TypeAdapter(list[LegalDocument])


class LegalRegistry:
    """The legal documents answers may cite, checked when the registry is built.

    Lookups take a number in any case, with or without diacritics (``158/2025/nd-cp``).
    Every problem found when building is listed at once in a
    :class:`~vss_care_core.knowledge.KnowledgeDataError` (a ``ValueError``): duplicate numbers,
    ``replaces`` or ``amends`` naming an unknown document, a document replaced twice, a cycle of
    replacements, dates out of order, an ``assumed`` list naming an unknown field.

    >>> registry = default_legal_registry()
    >>> registry.replacement_of("58/2014/QH13").number
    '41/2024/QH15'
    >>> registry.in_force("58/2014/QH13", on=date(2025, 6, 30))
    True
    >>> registry.in_force("58/2014/QH13", on=date(2025, 7, 1))
    False
    """

    __slots__ = ("_amendments", "_by_key", "_documents", "_replaced_by")

    def __init__(self, documents: Iterable[LegalDocument], *, what: str = "legal registry") -> None:
        listed = tuple(documents)
        problems: list[str] = []
        by_key: dict[str, LegalDocument] = {}
        for document in listed:
            if not isinstance(document, LegalDocument):
                problems.append(f"{type(document).__name__} is not a LegalDocument")
            elif document.key in by_key:
                problems.append(f"{document.number}: the number is listed more than once")
            else:
                by_key[document.key] = document
        for document in by_key.values():
            problems.extend(_own_problems(document))
        replaced_by, replacement_problems = _replacements(by_key)
        amendments, amendment_problems = _amendments(by_key)
        problems.extend(replacement_problems)
        problems.extend(amendment_problems)
        problems.extend(_cycles(replaced_by))
        if problems:
            raise KnowledgeDataError(what, problems)
        self._documents = tuple(sorted(by_key.values(), key=lambda d: (d.effective_from, d.key)))
        self._by_key = by_key
        self._replaced_by = replaced_by
        self._amendments = {
            key: tuple(sorted(found, key=lambda d: d.effective_from))
            for key, found in amendments.items()
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, what: str = "legal registry") -> LegalRegistry:
        """A registry from parsed data in the shipped format:
        ``{"documents": [{"number": ..., "kind": ..., ...}], "description": ...}``."""
        if not isinstance(data, Mapping) or not isinstance(data.get("documents"), list):
            raise KnowledgeDataError(what, ['the data must be an object with a "documents" list'])
        unknown = sorted(set(data) - {"documents", "description"})
        if unknown:
            raise KnowledgeDataError(
                what, [f"unknown keys {unknown}: use 'documents' and 'description'"]
            )
        try:
            documents = _documents_adapter().validate_python(data["documents"])
        except ValidationError as error:
            raise KnowledgeDataError(what, validation_problems(error, "documents")) from None
        return cls(documents, what=what)

    @property
    def documents(self) -> tuple[LegalDocument, ...]:
        """Every document, in order of effect."""
        return self._documents

    def __iter__(self) -> Iterator[LegalDocument]:
        return iter(self._documents)

    def __len__(self) -> int:
        return len(self._documents)

    def __contains__(self, number: object) -> bool:
        return isinstance(number, str) and document_key(number) in self._by_key

    def __repr__(self) -> str:
        return f"LegalRegistry(<{len(self._documents)} documents>)"

    def get(self, number: str) -> LegalDocument | None:
        """The document numbered ``number``, or None."""
        return self._by_key.get(document_key(number))

    def document(self, number: str) -> LegalDocument:
        """The document numbered ``number``; :class:`~vss_care_core.errors.UnknownNameError`
        (a ``KeyError``) with the closest numbers when there is none.

        >>> default_legal_registry().document("41/2024/qh15").title_en
        'Law on Social Insurance'
        """
        found = self.get(number)
        if found is None:
            raise UnknownNameError("legal document", number, [d.number for d in self._documents])
        return found

    def replacement_of(self, number: str) -> LegalDocument | None:
        """The document that replaces ``number``, or None when nothing replaces it."""
        return self._replaced_by.get(self.document(number).key)

    def amendments_of(self, number: str) -> tuple[LegalDocument, ...]:
        """The documents that amend ``number``, in order of effect."""
        return self._amendments.get(self.document(number).key, ())

    def end_of(self, number: str) -> date | None:
        """The first day ``number`` is no longer in force: its ``ceased_on``, else the day its
        replacement takes effect; None while it is in force with no known end."""
        document = self.document(number)
        if document.ceased_on is not None:
            return document.ceased_on
        replacement = self._replaced_by.get(document.key)
        return replacement.effective_from if replacement is not None else None

    def in_force(self, number: str, *, on: object) -> bool:
        """Whether ``number`` is in force on ``on`` (a date, or an aware datetime read in
        Vietnam's time zone): from its ``effective_from`` included to its end excluded."""
        day = as_day(on, "on")
        document = self.document(number)
        end = self.end_of(number)
        return document.effective_from <= day and (end is None or day < end)

    def updated(self, documents: Iterable[LegalDocument]) -> LegalRegistry:
        """A new registry with ``documents`` added; one with the number of a document already
        listed replaces it (to override an assumed fact with VSS's own). Checked as a whole."""
        merged = dict(self._by_key)
        for document in documents:
            merged[document_key(document.number)] = document
        return LegalRegistry(merged.values())


def _replacements(
    by_key: Mapping[str, LegalDocument],
) -> tuple[dict[str, LegalDocument], list[str]]:
    """Which document replaces which (by key), and the problems of the ``replaces`` lists."""
    replaced_by: dict[str, LegalDocument] = {}
    problems: list[str] = []
    for document in by_key.values():
        for number in document.replaces:
            replaced = by_key.get(document_key(number))
            if replaced is None:
                problems.append(f"{document.number}: replaces {number}, which is not listed")
            elif replaced is document:
                problems.append(f"{document.number}: a document cannot replace itself")
            elif replaced.key in replaced_by:
                first = replaced_by[replaced.key].number
                problems.append(
                    f"{number} is replaced twice, by {first} and by {document.number}: "
                    "keep one replacement and list the other as an amendment"
                )
            else:
                replaced_by[replaced.key] = document
                problems.extend(_replacement_problems(replaced, document))
    return replaced_by, problems


def _amendments(
    by_key: Mapping[str, LegalDocument],
) -> tuple[dict[str, list[LegalDocument]], list[str]]:
    """The documents amending each document (by key), and the problems of the ``amends``."""
    amendments: dict[str, list[LegalDocument]] = {}
    problems: list[str] = []
    for document in by_key.values():
        for number in document.amends:
            amended = by_key.get(document_key(number))
            if amended is None:
                problems.append(f"{document.number}: amends {number}, which is not listed")
            elif amended is document:
                problems.append(f"{document.number}: a document cannot amend itself")
            else:
                amendments.setdefault(amended.key, []).append(document)
    return amendments, problems


def _own_problems(document: LegalDocument) -> list[str]:
    problems = []
    if document.issued_on is not None and document.issued_on > document.effective_from:
        problems.append(
            f"{document.number}: issued on {document.issued_on} but in force from "
            f"{document.effective_from}; a document cannot take effect before it is issued"
        )
    if document.ceased_on is not None and document.ceased_on <= document.effective_from:
        problems.append(
            f"{document.number}: ceased_on {document.ceased_on} must be after effective_from "
            f"{document.effective_from} (ceased_on is the first day no longer in force)"
        )
    unknown = sorted(set(document.assumed) - ASSUMABLE_FIELDS)
    if unknown:
        problems.append(
            f"{document.number}: assumed names unknown fields {unknown}; "
            f"use some of {sorted(ASSUMABLE_FIELDS)}"
        )
    return problems


def _replacement_problems(replaced: LegalDocument, replacement: LegalDocument) -> list[str]:
    problems = []
    if replacement.effective_from <= replaced.effective_from:
        problems.append(
            f"{replacement.number} replaces {replaced.number} but takes effect first "
            f"({replacement.effective_from}, not after {replaced.effective_from})"
        )
    if replaced.ceased_on is not None and replaced.ceased_on != replacement.effective_from:
        problems.append(
            f"{replaced.number} ceases on {replaced.ceased_on}, but its replacement "
            f"{replacement.number} takes effect on {replacement.effective_from} "
            f"({english_date(replacement.effective_from)}): make the two dates the same, or "
            "list the later document as an amendment"
        )
    return problems


def _cycles(replaced_by: Mapping[str, LegalDocument]) -> list[str]:
    problems = []
    reported: set[str] = set()
    for start in replaced_by:
        seen = [start]
        current = replaced_by[start].key
        while current in replaced_by and current not in seen:
            seen.append(current)
            current = replaced_by[current].key
        if current == start and start not in reported:
            reported.update(seen)
            problems.append("documents replace each other in a cycle: " + " → ".join(seen))
    return problems


def load_legal_registry(source: str | PathLike[str] | Mapping[str, Any]) -> LegalRegistry:
    """A registry from a JSON file or from parsed data in the shipped format (see
    :meth:`LegalRegistry.from_dict`); every problem is listed in a
    :class:`~vss_care_core.knowledge.KnowledgeDataError`."""
    if isinstance(source, Mapping):
        return LegalRegistry.from_dict(source)
    path = Path(source)
    what = f"legal registry {path.name!r}"
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise KnowledgeDataError(what, [str(error)]) from None
    return LegalRegistry.from_dict(data, what=what)


@cache
def default_legal_registry() -> LegalRegistry:
    """The shipped registry: the laws on social, health and unemployment insurance, their
    replacements and amendments, and the decrees and letters the sample answers cite."""
    text = resources.files("vss_care_core.knowledge").joinpath("data", _DATA_FILE)
    return LegalRegistry.from_dict(
        json.loads(text.read_text("utf-8")), what="the shipped legal registry"
    )
