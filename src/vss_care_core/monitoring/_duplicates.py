"""Duplicates across channels: the same requester again, or the same question from many.

After a policy change the same question arrives by letter, phone, e-mail, Zalo, fanpage and SMS.
:func:`find_duplicates` finds, in near-linear time:

- **same requester**: inquiries whose requesters share an identifier key (citizen ID, BHXH
  number, phone, e-mail, tax code) within the time window, through any channel (union-find over
  the keys, in time order);
- **same question**: inquiries from different requesters whose texts are near-identical, compared
  without diacritics (MinHash signatures of word pairs, banded into an LSH index, so that only
  inquiries sharing a band are compared).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta
from enum import StrEnum
from typing import Annotated, NamedTuple

from pydantic import AwareDatetime, Field

from vss_care_core.errors import InvalidInputError
from vss_care_core.models import CareModel, Channel, Inquiry
from vss_care_core.monitoring._lsh import QuestionIndex, shingles_of

__all__ = [
    "DuplicateGroup",
    "DuplicateKind",
    "SuggestedMerge",
    "find_duplicates",
    "question_similarity",
]

_Id = Annotated[str, Field(min_length=1, max_length=64)]


class DuplicateKind(StrEnum):
    """Why inquiries were grouped."""

    SAME_REQUESTER = "same_requester"
    SAME_QUESTION = "same_question"


class SuggestedMerge(CareModel):
    """Merge the written case of ``inquiry_id`` into the case of ``into``.

    Apply it with ``case.fire("merge", into=<the case id of into>, at=..., by=...)`` on the
    duplicate's case, while that case can still be merged (before its answer is drafted).
    """

    inquiry_id: _Id
    into: _Id


class DuplicateGroup(CareModel):
    """Inquiries found to be duplicates of each other.

    ``representative`` is the earliest member; ``members`` are in order of receipt (the
    representative first). ``similarity`` is the lowest estimated text similarity (Jaccard of
    word pairs) linking a same-question group, None for a same-requester group. ``merges`` are
    suggested for the written cases of a same-requester group; a same-question group comes from
    different people, who each need an answer: answer once and reuse it, do not merge.
    """

    kind: DuplicateKind
    representative: _Id
    members: Annotated[tuple[_Id, ...], Field(min_length=2)]
    channels: tuple[Channel, ...]
    first_at: AwareDatetime
    last_at: AwareDatetime
    similarity: float | None = None
    merges: tuple[SuggestedMerge, ...] = ()


class _UnionFind:
    __slots__ = ("parent",)

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        parent = self.parent
        root = item
        while parent[root] != root:
            root = parent[root]
        while parent[item] != root:
            parent[item], item = root, parent[item]
        return root

    def union(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            if root_a < root_b:
                self.parent[root_b] = root_a
            else:
                self.parent[root_a] = root_b

    def groups(self) -> list[list[int]]:
        found: dict[int, list[int]] = {}
        for item in range(len(self.parent)):
            found.setdefault(self.find(item), []).append(item)
        return [members for members in found.values() if len(members) > 1]


def _text(inquiry: Inquiry) -> str:
    return f"{inquiry.subject} {inquiry.content}"


def question_similarity(first: Inquiry, second: Inquiry) -> float:
    """The exact Jaccard similarity of two inquiries' word pairs (diacritics ignored).

    >>> from datetime import datetime, UTC
    >>> def ask(text):
    ...     return Inquiry(channel="email", received_at=datetime(2026, 3, 2, tzinfo=UTC),
    ...                    requester={}, subject="Hỏi", content=text)
    >>> question_similarity(ask("Mức đóng BHXH tự nguyện năm 2026 là bao nhiêu?"),
    ...                     ask("muc dong bhxh tu nguyen nam 2026 la bao nhieu"))
    1.0
    """
    a, b = shingles_of(_text(first)), shingles_of(_text(second))
    union = a | b
    return len(a & b) / len(union) if union else 0.0


class _Seen(NamedTuple):
    """Where and when a requester key was last seen."""

    position: int
    at: float


def _requester_groups(ordered: Sequence[Inquiry], window: float) -> list[list[int]]:
    links = _UnionFind(len(ordered))
    last: dict[str, _Seen] = {}
    for index, inquiry in enumerate(ordered):
        moment = inquiry.received_at.timestamp()
        for key in inquiry.requester.identifiers:
            seen = last.get(key)
            if seen is not None and moment - seen.at <= window:
                links.union(seen.position, index)
            last[key] = _Seen(index, moment)
    return links.groups()


def _question_groups(
    ordered: Sequence[Inquiry], window: float, threshold: float
) -> list[tuple[list[int], float]]:
    """Groups of near-identical questions from different requesters: each question joins
    every earlier similar one the index finds (links are transitive)."""
    links = _UnionFind(len(ordered))
    index = QuestionIndex(window=window, threshold=threshold)
    weakest: dict[int, float] = {}
    for position, inquiry in enumerate(ordered):
        match = index.add(
            position,
            _text(inquiry),
            inquiry.received_at.timestamp(),
            asker=frozenset(inquiry.requester.identifiers),
            one_per_cluster=True,  # its clusters are joined: one link to each is enough
        )
        for similar in match.similar:
            if links.find(similar.key) != links.find(position):
                links.union(similar.key, position)
                weakest[position] = min(weakest.get(position, 1.0), similar.similarity)
    result = []
    for members in links.groups():
        low = min((weakest[m] for m in members if m in weakest), default=threshold)
        result.append((members, low))
    return result


def _group(
    kind: DuplicateKind,
    ordered: Sequence[Inquiry],
    members: list[int],
    similarity: float | None,
) -> DuplicateGroup:
    chosen = [ordered[i] for i in sorted(members)]
    merges: tuple[SuggestedMerge, ...] = ()
    if kind is DuplicateKind.SAME_REQUESTER:
        written = [q for q in chosen if q.channel is not Channel.PHONE]
        if len(written) > 1:
            merges = tuple(SuggestedMerge(inquiry_id=q.id, into=written[0].id) for q in written[1:])
    return DuplicateGroup(
        kind=kind,
        representative=chosen[0].id,
        members=tuple(q.id for q in chosen),
        channels=tuple(dict.fromkeys(q.channel for q in chosen)),
        first_at=chosen[0].received_at,
        last_at=chosen[-1].received_at,
        similarity=round(similarity, 3) if similarity is not None else None,
        merges=merges,
    )


def find_duplicates(
    inquiries: Iterable[Inquiry],
    *,
    window: timedelta,
    threshold: float = 0.5,
) -> tuple[DuplicateGroup, ...]:
    """Group duplicate inquiries: the same requester again, the same question from many.

    Two inquiries are linked when they arrived within ``window`` of each other and either their
    requesters share an identifier key (same-requester), or their texts' estimated similarity is
    at least ``threshold`` (same-question; Jaccard of folded word pairs, estimated from 64
    MinHash values, candidates found through 21 LSH bands of 3 values). Links are transitive.
    Groups come in order of their representative's receipt, same-requester groups first.
    Anonymous requesters are never linked by identity; texts of fewer than four words are never
    linked by content.

    >>> from datetime import datetime, timedelta
    >>> from zoneinfo import ZoneInfo
    >>> vn = ZoneInfo("Asia/Ho_Chi_Minh")
    >>> def inquiry(id, channel, hour, requester, text):
    ...     received = datetime(2026, 3, 2, hour, tzinfo=vn)
    ...     return Inquiry(id=id, channel=channel, received_at=received,
    ...                    requester=requester, subject="Hỏi đáp", content=text)
    >>> found = find_duplicates([
    ...     inquiry("a", "phone", 8, {"phone": "0912345678"}, "Hỏi về thẻ BHYT"),
    ...     inquiry("b", "email", 9, {"phone": "0912345678"}, "Thẻ BHYT của tôi hết hạn"),
    ...     inquiry("c", "zalo", 10, {"phone": "0912345678"}, "Gia hạn thẻ BHYT"),
    ... ], window=timedelta(days=7))
    >>> [(g.kind.value, g.representative, g.members) for g in found]
    [('same_requester', 'a', ('a', 'b', 'c'))]
    >>> found[0].merges
    (SuggestedMerge(inquiry_id='c', into='b'),)
    """
    if window <= timedelta(0):
        raise InvalidInputError("window must be positive, e.g. timedelta(days=7)")
    if not 0 < threshold <= 1:
        raise InvalidInputError("threshold must be in (0, 1], e.g. 0.5")
    ordered = sorted(inquiries, key=lambda q: (q.received_at.timestamp(), q.id))
    seconds = window.total_seconds()
    groups = [
        _group(DuplicateKind.SAME_REQUESTER, ordered, members, None)
        for members in _requester_groups(ordered, seconds)
    ]
    groups.extend(
        _group(DuplicateKind.SAME_QUESTION, ordered, members, similarity)
        for members, similarity in _question_groups(ordered, seconds, threshold)
    )
    groups.sort(key=lambda g: (g.kind is DuplicateKind.SAME_QUESTION, g.first_at, g.members))
    return tuple(groups)
