"""Checking the documents an answer cites: refused when not in force on the answer's day.

The seed of the problem: after a policy change, yesterday's correct answer is wrong. An answer
that cites a document replaced on its day is refused ("cites Law 58/2014/QH13, replaced by
41/2024/QH15 from 1 July 2025"); a policy answer that cites nothing gets a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal, final

from vss_care_core.knowledge._dates import english_date, vietnamese_date
from vss_care_core.knowledge._registry import LegalDocument, LegalRegistry
from vss_care_core.knowledge._wording import Wording
from vss_care_core.models import Answer, fold_vietnamese

__all__ = ["CitationProblem", "Cited", "answer_parts", "check_cited", "find_cited"]

Severity = Literal["refused", "warning"]

_NUMBER = re.compile(
    r"(?<![\w/])\d{1,5}/(?:\d{4}/)?[A-Za-zĐđ][A-Za-zĐđ0-9]*(?:-[A-Za-zĐđ0-9]+)*(?![\w/])"
)
_ARTICLE = re.compile(r"\b(?:dieu|article|art)\.?\s*(\d{1,3}[a-z]?)\b")


@final
@dataclass(frozen=True, slots=True)
class CitationProblem:
    """One problem with an answer's citations.

    - ``severity``: ``"refused"`` (the answer must not go out as it is) or ``"warning"``;
    - ``code``: ``replaced``, ``ceased``, ``not_yet_in_force``, ``unknown_document``,
      ``unnumbered`` or ``no_citation``;
    - ``message`` (English) and ``message_vi`` (Vietnamese), saying what and how to fix;
    - ``document`` and ``replacement``: the numbers concerned, when there are.

    ``str()`` gives the English message.
    """

    severity: Severity
    code: str
    message: str
    message_vi: str
    document: str | None = None
    replacement: str | None = None

    @property
    def refuses(self) -> bool:
        """True when the answer must not be approved as it is."""
        return self.severity == "refused"

    def __str__(self) -> str:
        return self.message


@final
@dataclass(frozen=True, slots=True)
class Cited:
    """What an answer cites: the documents found (in order), with the articles named beside
    them in the legal basis, and the problems of reading them (unknown or unnumbered)."""

    documents: tuple[LegalDocument, ...]
    articles: dict[str, tuple[str, ...]]
    problems: tuple[CitationProblem, ...]


def _title_patterns(
    registry: LegalRegistry, wording: Wording
) -> list[tuple[LegalDocument, re.Pattern[str]]]:
    """A pattern per document for its title followed by its year (``luat bhxh nam 2024``)."""
    found = []
    for document in registry:
        if document.issued_on is None:
            continue
        title = " ".join(wording.normalise(document.title_vi))
        year = document.issued_on.year
        found.append((document, re.compile(rf"\b{re.escape(title)} (?:nam |so )?{year}\b")))
    return found


def find_cited(
    text: str, legal_basis: Iterable[str], *, registry: LegalRegistry, wording: Wording, on: date
) -> Cited:
    """The documents cited by ``text`` and ``legal_basis``: by number (``41/2024/QH15``) or by
    title and year (``Luật Bảo hiểm xã hội 2024``); a legal-basis item that names neither is
    read by title alone when one document of that title is in force on ``on``."""
    documents: dict[str, LegalDocument] = {}
    articles: dict[str, list[str]] = {}
    problems: list[CitationProblem] = []
    patterns = _title_patterns(registry, wording)

    def cite(document: LegalDocument, item: str | None) -> None:
        documents.setdefault(document.key, document)
        if item is not None:
            named = [f"Điều {n}" for n in _ARTICLE.findall(fold_vietnamese(item))]
            listed = articles.setdefault(document.key, [])
            listed.extend(a for a in named if a not in listed)

    def read(part: str, item: str | None) -> bool:
        found_any = False
        for number in _NUMBER.findall(part):
            document = registry.get(number)
            if document is None:
                problems.append(_unknown(number))
            else:
                cite(document, item)
            found_any = True
        normalised = " ".join(wording.normalise(part))
        for document, pattern in patterns:
            if pattern.search(normalised):
                cite(document, item)
                found_any = True
        return found_any

    read(text, None)
    for index, item in enumerate(legal_basis, start=1):
        if read(item, item):
            continue
        by_title = _by_title(item, registry, wording, on)
        if by_title is not None:
            cite(by_title, item)
            problems.append(_unnumbered(index, by_title))
        else:
            problems.append(_unreadable(index))
    return Cited(
        documents=tuple(documents.values()),
        articles={key: tuple(found) for key, found in articles.items()},
        problems=tuple(problems),
    )


def _by_title(
    item: str, registry: LegalRegistry, wording: Wording, on: date
) -> LegalDocument | None:
    normalised = f" {' '.join(wording.normalise(item))} "
    matching = [
        document
        for document in registry
        if f" {' '.join(wording.normalise(document.title_vi))} " in normalised
        and registry.in_force(document.number, on=on)
    ]
    return matching[0] if len(matching) == 1 else None


def check_cited(
    cited: Cited, *, registry: LegalRegistry, on: date, policy: bool
) -> tuple[CitationProblem, ...]:
    """The problems of ``cited`` on ``on``: reading problems first, then each document not in
    force, then the warning for a policy answer that cites nothing."""
    problems = list(cited.problems)
    for document in cited.documents:
        problem = _force_problem(document, registry, on)
        if problem is not None:
            problems.append(problem)
    if policy and not cited.documents and not any(p.code == "unknown_document" for p in problems):
        problems.append(
            CitationProblem(
                severity="warning",
                code="no_citation",
                message=(
                    "a policy answer cites no legal document: give its legal basis "
                    "(legal_basis=['Luật 41/2024/QH15, Điều 70'], for instance)"
                ),
                message_vi=(
                    "câu trả lời về chính sách chưa nêu căn cứ pháp lý: bổ sung văn bản và điều "
                    "khoản áp dụng"
                ),
            )
        )
    return tuple(problems)


def _force_problem(
    document: LegalDocument, registry: LegalRegistry, on: date
) -> CitationProblem | None:
    if on < document.effective_from:
        return CitationProblem(
            severity="refused",
            code="not_yet_in_force",
            message=(
                f"cites {document.label_en}, not in force until "
                f"{english_date(document.effective_from)}: cite the document in force on "
                f"{english_date(on)}"
            ),
            message_vi=(
                f"trích dẫn {document.label_vi}, chưa có hiệu lực đến "
                f"{vietnamese_date(document.effective_from)}"
            ),
            document=document.number,
        )
    end = registry.end_of(document.number)
    if end is None or on < end:
        return None
    replacement = registry.replacement_of(document.number)
    if replacement is not None:
        return CitationProblem(
            severity="refused",
            code="replaced",
            message=(
                f"cites {document.label_en}, replaced by {replacement.number} from "
                f"{english_date(end)}: review the answer against {replacement.label_en}"
            ),
            message_vi=(
                f"trích dẫn {document.label_vi}, đã được thay thế bởi {replacement.number} "
                f"từ {vietnamese_date(end)}: rà soát lại câu trả lời theo văn bản mới"
            ),
            document=document.number,
            replacement=replacement.number,
        )
    return CitationProblem(
        severity="refused",
        code="ceased",
        message=(
            f"cites {document.label_en}, no longer in force from {english_date(end)}: cite the "
            "document in force"
        ),
        message_vi=f"trích dẫn {document.label_vi}, hết hiệu lực từ {vietnamese_date(end)}",
        document=document.number,
    )


def _unknown(number: str) -> CitationProblem:
    return CitationProblem(
        severity="warning",
        code="unknown_document",
        message=(
            f"cites {number}, which is not in the legal registry: check the number, or add the "
            "document to the registry with its dates"
        ),
        message_vi=f"trích dẫn {number}, văn bản không có trong danh mục: kiểm tra lại số hiệu",
        document=number,
    )


def _unnumbered(index: int, document: LegalDocument) -> CitationProblem:
    return CitationProblem(
        severity="warning",
        code="unnumbered",
        message=(
            f"legal basis {index} names a document by its title only: give its number "
            f"({document.number} is the one in force)"
        ),
        message_vi=f"căn cứ pháp lý thứ {index} chưa ghi số hiệu văn bản ({document.number})",
        document=document.number,
    )


def _unreadable(index: int) -> CitationProblem:
    return CitationProblem(
        severity="warning",
        code="unnumbered",
        message=(
            f"legal basis {index} names no document of the legal registry: give the document's "
            "number (41/2024/QH15) or its title and year (Luật Bảo hiểm xã hội 2024)"
        ),
        message_vi=f"căn cứ pháp lý thứ {index} không xác định được văn bản: ghi rõ số hiệu",
    )


def answer_parts(answer: str | Answer, legal_basis: Iterable[str]) -> tuple[str, tuple[str, ...]]:
    """The text and the legal basis of ``answer`` (an Answer's own basis first)."""
    if isinstance(answer, Answer):
        return answer.text, (*answer.legal_basis, *legal_basis)
    return answer, tuple(legal_basis)
