"""Near-identical questions, found incrementally: MinHash signatures banded into an LSH index.

A question's text is folded (no diacritics, lower case) into words, and its *shingles* are its
pairs of consecutive words. Two questions are near-identical when the Jaccard similarity of their
shingles is high; 64 MinHash values estimate it, and 21 bands of 3 values index the signatures
so that only questions sharing a band are compared (a pair with similarity 0.5 shares a band
94 % of the time). :class:`QuestionIndex` takes questions one at a time and joins each to a
cluster of earlier near-identical ones: the batch :func:`find_duplicates` and the streaming
:class:`SurgeDetector` both use it.
"""

from __future__ import annotations

import hashlib
import itertools
import operator
from array import array
from dataclasses import dataclass, field

from vss_care_core.models import words

__all__ = [
    "MIN_SHINGLES",
    "Match",
    "QuestionIndex",
    "Similar",
    "estimate",
    "shingles_of",
    "signature_of",
]

_HASHES = 64
_ROWS = 3
_BANDS = _HASHES // _ROWS
_WIDTH = 2 * _ROWS  # bytes of one band: 3 values of 16 bits
_SEED = b"vss-care-minhash-2021"
_PERSONS = (b"vss-care-mh-0", b"vss-care-mh-1")
MIN_SHINGLES = 3
"""Texts with fewer word pairs (fewer than four words) are never linked by content."""


def shingles_of(text: str) -> set[bytes]:
    """The folded word pairs of ``text``."""
    tokens = words(text)
    return {f"{a} {b}".encode() for a, b in itertools.pairwise(tokens)}


def _shingle_hashes(shingle: bytes) -> array[int]:
    """64 hash values (16 bits each) of one shingle: two keyed BLAKE2b digests."""
    first, second = (
        hashlib.blake2b(shingle, digest_size=64, key=_SEED, person=person).digest()
        for person in _PERSONS
    )
    return array("H", first + second)


def signature_of(shingles: set[bytes], cache: dict[bytes, array[int]]) -> array[int]:
    """The MinHash signature: for each of the 64 hash functions, the least value; the hash
    values of each shingle are kept in ``cache`` (the same word pairs recur)."""
    rows = []
    for shingle in shingles:
        row = cache.get(shingle)
        if row is None:
            row = cache[shingle] = _shingle_hashes(shingle)
        rows.append(row)
    return array("H", map(min, zip(*rows, strict=True)))


def estimate(a: array[int], b: array[int]) -> float:
    """The Jaccard similarity estimated from two signatures."""
    same: int = sum(map(operator.eq, a, b))
    return same / _HASHES


@dataclass(slots=True)
class _Entry:
    """A question in the index: its key, signature, time and cluster."""

    key: int
    signature: array[int]
    at: float
    cluster: int
    asker: frozenset[str]
    """Who asked it: their identifier keys (empty when not known)."""


@dataclass(slots=True)
class _Bucket:
    """The questions that share one band: the first and the latest are compared with."""

    first: _Entry
    latest: _Entry


@dataclass(frozen=True, slots=True)
class Similar:
    """An earlier question found similar: its key, its cluster and the estimated similarity."""

    key: int
    cluster: int
    similarity: float


@dataclass(frozen=True, slots=True)
class Match:
    """Where :meth:`QuestionIndex.add` put a question: its cluster (the most similar earlier
    question's, or a new one), and every earlier question it was found similar to."""

    cluster: int
    similar: tuple[Similar, ...] = ()


@dataclass(slots=True)
class QuestionIndex:
    """An incremental LSH index of questions, clustering near-identical ones.

    :meth:`add` takes a question (a key, its text, its time as a POSIX timestamp) and joins it
    to the cluster of an earlier question that shares a band, arrived within ``window`` seconds
    and is at least ``threshold`` similar; otherwise it starts a new cluster. Each band keeps its
    first and its latest question only, so adding costs the same however many came before.
    :meth:`forget` drops what is older than a moment (memory bounded by a window).
    """

    window: float
    threshold: float
    _buckets: dict[tuple[int, bytes], _Bucket] = field(default_factory=dict)
    _cache: dict[bytes, array[int]] = field(default_factory=dict)
    _clusters: itertools.count[int] = field(default_factory=itertools.count)

    def add(
        self,
        key: int,
        text: str,
        at: float,
        *,
        asker: frozenset[str] = frozenset(),
        one_per_cluster: bool = False,
    ) -> Match:
        """Index a question and return its cluster; ``asker`` (the identifier keys of who asks
        it) keeps it from joining an earlier question of the same person.

        With ``one_per_cluster``, an earlier question is not compared once another of its
        cluster was found similar: the match then names one similar question per cluster,
        enough for a caller that joins clusters (:func:`find_duplicates`: 317 → 277 ms on
        2,000 inquiries)."""
        shingles = shingles_of(text)
        if len(shingles) < MIN_SHINGLES:
            return Match(cluster=next(self._clusters))
        if len(self._cache) > 200_000:
            self._cache.clear()  # word pairs of the past: recomputed when they come back
        signature = signature_of(shingles, self._cache)
        raw = signature.tobytes()
        bands = [(band, raw[band * _WIDTH : (band + 1) * _WIDTH]) for band in range(_BANDS)]
        buckets = [self._buckets.get(band_key) for band_key in bands]
        similar: dict[int, Similar] = {}
        compared: set[int] = set()  # a question met in several bands is compared once
        joined: set[int] = set()  # the clusters of the similar questions found
        for bucket in buckets:
            if bucket is None:
                continue
            for other in (bucket.first, bucket.latest):
                if other.key in compared or at - other.at > self.window:
                    continue
                compared.add(other.key)
                if not asker.isdisjoint(other.asker):
                    continue  # the same person: a same-requester duplicate, not this kind
                if one_per_cluster and other.cluster in joined:
                    continue
                similarity = estimate(signature, other.signature)
                if similarity >= self.threshold:
                    similar[other.key] = Similar(other.key, other.cluster, similarity)
                    joined.add(other.cluster)
        found = tuple(sorted(similar.values(), key=lambda s: (-s.similarity, s.key)))
        cluster = found[0].cluster if found else next(self._clusters)
        entry = _Entry(key=key, signature=signature, at=at, cluster=cluster, asker=asker)
        for band_key, bucket in zip(bands, buckets, strict=True):
            if bucket is None:
                self._buckets[band_key] = _Bucket(first=entry, latest=entry)
                continue
            if at - bucket.first.at > self.window:
                bucket.first = bucket.latest  # the first is out of every future window
            bucket.latest = entry
        return Match(cluster=cluster, similar=found)

    def forget(self, before: float) -> None:
        """Drop the bands whose latest question is older than ``before``."""
        stale = [key for key, bucket in self._buckets.items() if bucket.latest.at < before]
        for key in stale:
            del self._buckets[key]

    def __len__(self) -> int:
        """The number of bands held."""
        return len(self._buckets)
