"""BM25 over folded syllables and syllable pairs: an inverted index built once per base.

Each entry is one document: its question and variants (weight 1), its topics (weight 1) and its
answer (weight :data:`ANSWER_WEIGHT`). A term is a syllable (``luong``) or a pair of adjacent
meaningful syllables (``luong huu``). The BM25 weight of every (term, entry) is computed when the
index is built, so a query only adds up precomputed weights of its own terms.

A question word that no entry uses is read as the word one edit away (a letter dropped, added,
changed or two swapped) that entries use most, when there is one: ``ngiep`` is read as
``nghiep`` (:class:`Speller`). This happens before phrases are rewritten, so that a typo inside
``trợ cấp thất nghiệp`` does not hide the phrase. A word that matches nothing is dropped, so that
explanations only ever show words of the knowledge base, never a name or a number from the
question.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from types import MappingProxyType

from vss_care_core.knowledge._wording import Wording
from vss_care_core.models import fold_vietnamese, words

__all__ = ["ANSWER_WEIGHT", "Bm25Index", "Match", "QueryTerm", "Speller"]

K1 = 1.2
"""BM25 term-frequency saturation."""
B = 0.75
"""BM25 length normalisation."""
ANSWER_WEIGHT = 0.3
"""How much a word of the answer counts, against 1 for a word of the question or a variant."""
CONTEXT_WEIGHT = 0.35
"""How much a word counts when it is outside the question sentences of a long text."""
MIN_CORRECTED_LENGTH = 4
"""Shorter words are never corrected: too many words are one letter away from them."""

_SENTENCE = re.compile(r"[^.!?;:\n]+[.!?;:\n]*")
_QUESTION_MARKERS = (
    "?",
    "bao nhieu",
    "the nao",
    "lam sao",
    "o dau",
    "khi nao",
    "bao gio",
    "bao lau",
    "co duoc",
    "duoc khong",
    "khong a",
    "xin hoi",
    "cho hoi",
    "hoi ve",
    "la gi",
    "ra sao",
    "nhu nao",
)
_ASKING_LAST_WORDS = frozenset(["khong", "ko", "k", "chua", "hong", "hem", "ha", "a"])


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """A term of a question: its text (folded) and how much it counts."""

    text: str
    weight: float


@dataclass(frozen=True, slots=True)
class Match:
    """An entry's position in the index, its score and the terms that made it."""

    position: int
    score: float
    terms: tuple[str, ...]


def document_terms(tokens: Sequence[str]) -> list[str]:
    """The terms of a sequence of meaningful syllables: the syllables and adjacent pairs."""
    pairs = [f"{first} {second}" for first, second in pairwise(tokens)]
    return [*tokens, *pairs]


def _deletions(word: str) -> set[str]:
    return {word[:cut] + word[cut + 1 :] for cut in range(len(word))}


class Speller:
    """Corrects a word to the word one edit away that the knowledge base uses most.

    Built from every folded word of the entries (before phrases are rewritten) and of the
    reading rules; words shorter than :data:`MIN_CORRECTED_LENGTH` are never corrected.

    >>> Speller(["nghiep", "nghiem", "nghiep"]).correct("ngiep")
    'nghiep'
    """

    __slots__ = ("_frequency", "_near")

    def __init__(self, known_words: Iterable[str]) -> None:
        self._frequency: Counter[str] = Counter(known_words)
        near: dict[str, set[str]] = {}
        for word in self._frequency:
            if len(word) >= MIN_CORRECTED_LENGTH - 1:
                for key in {word, *_deletions(word)}:
                    near.setdefault(key, set()).add(word)
        self._near: Mapping[str, frozenset[str]] = MappingProxyType(
            {key: frozenset(found) for key, found in near.items()}
        )

    def correct(self, word: str) -> str:
        """``word`` when it is known or has no known word one edit away; else that word (the
        most used, ties broken alphabetically)."""
        if word in self._frequency or len(word) < MIN_CORRECTED_LENGTH:
            return word
        candidates: set[str] = set()
        for key in {word, *_deletions(word)}:
            candidates.update(self._near.get(key, ()))
        if not candidates:
            return word
        return min(candidates, key=lambda c: (-self._frequency[c], c))


class Bm25Index:
    """An inverted index of weighted documents, each a list of ``(terms, weight)`` fields."""

    __slots__ = ("_postings", "_size", "_vocabulary")

    def __init__(self, documents: Sequence[Sequence[tuple[Sequence[str], float]]]) -> None:
        frequencies: list[dict[str, float]] = []
        for fields in documents:
            counts: dict[str, float] = {}
            for terms, weight in fields:
                for term in terms:
                    counts[term] = counts.get(term, 0.0) + weight
            frequencies.append(counts)
        self._size = len(frequencies)
        lengths = [sum(counts.values()) for counts in frequencies]
        average = (sum(lengths) / len(lengths)) if lengths and sum(lengths) else 1.0
        document_frequency: Counter[str] = Counter()
        for counts in frequencies:
            document_frequency.update(counts.keys())
        postings: dict[str, dict[int, float]] = {}
        for position, counts in enumerate(frequencies):
            norm = K1 * (1 - B + B * lengths[position] / average)
            for term, frequency in counts.items():
                idf = math.log(
                    1
                    + (self._size - document_frequency[term] + 0.5)
                    / (document_frequency[term] + 0.5)
                )
                weight = idf * frequency * (K1 + 1) / (frequency + norm)
                postings.setdefault(term, {})[position] = weight
        self._postings: Mapping[str, Mapping[int, float]] = MappingProxyType(postings)
        self._vocabulary = frozenset(term for term in postings if " " not in term)

    @property
    def vocabulary(self) -> frozenset[str]:
        """The syllables of the index."""
        return self._vocabulary

    def __len__(self) -> int:
        return self._size

    def query_terms(self, text: str, wording: Wording, speller: Speller) -> list[QueryTerm]:
        """The weighted terms of a question.

        In a text of several sentences, the sentences that ask something (a question mark, or
        words such as *bao nhiêu*, *thế nào*, *có được... không*) count fully and the others
        count :data:`CONTEXT_WEIGHT`; a text with no such sentence counts fully throughout.
        Pairs are made only of adjacent known words, never across a word that was dropped.
        """
        sentences = [s for s in _SENTENCE.findall(text) if s.strip()]
        asking = [_asks(sentence) for sentence in sentences]
        weights: dict[str, float] = {}
        for sentence, asks in zip(sentences, asking, strict=True):
            weight = 1.0 if asks or not any(asking) else CONTEXT_WEIGHT
            for run in self._known_runs(wording.terms(sentence, spell=speller.correct)):
                for term in document_terms(run):
                    if term in self._postings:
                        weights[term] = max(weights.get(term, 0.0), weight)
        return [QueryTerm(term, weight) for term, weight in weights.items()]

    def _known_runs(self, words: Sequence[str]) -> list[list[str]]:
        """The runs of consecutive words the index knows (an unknown word ends a run)."""
        runs: list[list[str]] = [[]]
        for word in words:
            if word in self._vocabulary:
                runs[-1].append(word)
            elif runs[-1]:
                runs.append([])
        return [run for run in runs if run]

    def search(
        self, terms: Sequence[QueryTerm], *, allowed: frozenset[int], limit: int
    ) -> list[Match]:
        """The ``limit`` best documents of ``allowed`` that share a term with the query, best
        first (ties in index order), each with the terms that scored, best first."""
        scores = [0.0] * self._size
        for term in terms:
            for position, weight in self._postings.get(term.text, {}).items():
                scores[position] += weight * term.weight
        scored = (position for position in allowed if scores[position] > 0)
        best = heapq.nlargest(limit, scored, key=lambda position: (scores[position], -position))
        return [
            Match(position=position, score=scores[position], terms=self._matched(position, terms))
            for position in best
        ]

    def _matched(self, position: int, terms: Sequence[QueryTerm]) -> tuple[str, ...]:
        """The query terms found in the document at ``position``, by what they added."""
        gained = [
            (self._postings[term.text][position] * term.weight, term.text)
            for term in terms
            if position in self._postings.get(term.text, {})
        ]
        return tuple(text for _, text in sorted(gained, key=lambda pair: (-pair[0], pair[1])))


def _asks(sentence: str) -> bool:
    folded = fold_vietnamese(sentence)
    last_words = words(sentence)[-1:]
    return any(marker in folded for marker in _QUESTION_MARKERS) or (
        bool(last_words) and last_words[0] in _ASKING_LAST_WORDS
    )
