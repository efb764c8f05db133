"""The flood of the same question after a policy change, seen while it starts.

"When there is a change in policies on social insurance and health insurance, people will send
questions of the same content through letter, phone, email, zalo, fanpage, text": a
:class:`SurgeDetector` takes inquiries as they arrive, on any channel, joins each to a cluster
of near-identical questions (:class:`~vss_care_core.monitoring.QuestionIndex`, the index of
:func:`find_duplicates`, used incrementally), counts each cluster's arrivals per working hour,
and raises a :class:`Surge` when a cluster grows well beyond its own baseline and beyond the
overall flow. Memory is bounded by the clusters active in a window: old, quiet clusters are
forgotten.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Annotated

from pydantic import AwareDatetime, Field

from vss_care_core.calendar import WorkingCalendar, vietnam_calendar
from vss_care_core.errors import InvalidInputError
from vss_care_core.models import CareModel, Inquiry, words
from vss_care_core.monitoring._lsh import QuestionIndex

__all__ = ["Surge", "SurgeDetector", "SurgeSettings", "detect_surges"]

_HOUR = timedelta(hours=1)
_KEYWORDS = 8
_FORGET_EVERY = 1024
"""Quiet clusters are forgotten every this many inquiries (memory: the clusters active within
``forget_after``, plus at most this many)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SurgeSettings:
    """The thresholds of surge detection, as data; every default is stated here.

    A cluster surges when, over the last ``recent`` (2 hours) of working time, it received at
    least ``min_count`` inquiries (10), at a rate at least ``growth`` (5) times its own rate over
    the ``baseline`` before (16 working hours: two working days; a new cluster's baseline is
    zero, so any cluster that reaches ``min_count`` counts as grown), and at least ``share``
    (5 %) of everything that
    arrived in that time. Questions join a cluster when their estimated similarity is at least
    ``threshold`` (0.5) and they arrived within ``window`` (14 days) of the cluster's earlier
    questions; a cluster quiet for ``forget_after`` (10 days) is forgotten. A surge is raised
    once; the cluster may surge again after ``quiet`` (1 working day) without one. Nothing is
    raised before the detector has seen ``baseline`` of working time (its warm-up): until
    then no cluster has a baseline to grow from.
    """

    recent: timedelta = timedelta(hours=2)
    baseline: timedelta = timedelta(hours=16)
    min_count: int = 10
    growth: float = 5.0
    share: float = 0.05
    threshold: float = 0.5
    window: timedelta = timedelta(days=14)
    forget_after: timedelta = timedelta(days=10)
    quiet: timedelta = timedelta(hours=8)

    def __post_init__(self) -> None:
        problems = []
        for name in ("recent", "baseline", "window", "forget_after", "quiet"):
            if getattr(self, name) <= timedelta(0):
                problems.append(f"{name} must be a positive duration")
        if self.min_count < 2:
            problems.append("min_count must be at least 2")
        if self.growth < 1:
            problems.append("growth must be at least 1 (a multiple of the baseline rate)")
        if not 0 <= self.share < 1:
            problems.append("share must be a fraction in [0, 1)")
        if not 0 < self.threshold <= 1:
            problems.append("threshold must be in (0, 1]")
        if problems:
            raise InvalidInputError("surge settings are not valid: " + "; ".join(problems))


class Surge(CareModel):
    """A cluster of the same question arriving far faster than before.

    ``representative`` is the id of the cluster's first inquiry; ``keywords`` the folded words
    that most of the cluster's questions share (words shared by many different people, so not
    anyone's personal data), the rarest elsewhere first; ``written_keywords`` the same words as
    they are most often written (lowercase, with their diacritics), in the order of the
    cluster's first question, for people to read; ``rate_per_hour`` the arrivals per working
    hour over the recent window, ``baseline_per_hour`` the cluster's rate before;
    ``by_channel`` and ``by_province`` count the cluster's inquiries so far.
    """

    cluster: int
    representative: Annotated[str, Field(min_length=1, max_length=64)]
    keywords: tuple[str, ...]
    written_keywords: tuple[str, ...] = ()
    started_at: AwareDatetime
    """The first arrival of the recent window."""
    raised_at: AwareDatetime
    """The arrival that made the cluster cross the thresholds."""
    count: int
    """Inquiries in the cluster so far."""
    recent_count: int
    rate_per_hour: float
    baseline_per_hour: float
    by_channel: dict[str, int]
    by_province: dict[str, int]
    suggested_action_vi: str
    suggested_action_en: str


_SUGGESTION_VI = (
    "Soạn một câu trả lời chung đã được duyệt (một hồ sơ văn bản chính) và gửi cho mọi yêu cầu "
    "cùng nội dung qua kênh của từng yêu cầu; đăng câu trả lời lên cơ sở tri thức."
)
_SUGGESTION_EN = (
    "Answer once: draft and approve one master written answer and deliver it to every inquiry "
    "of the same content through its own channel; publish it in the knowledge base."
)


@dataclass(slots=True)
class _Cluster:
    first_id: str
    arrivals: deque[datetime] = field(default_factory=deque)
    """Arrival times within the baseline and recent windows, oldest first."""
    count: int = 0
    by_channel: Counter[str] = field(default_factory=Counter)
    by_province: Counter[str] = field(default_factory=Counter)
    words: Counter[str] = field(default_factory=Counter)
    spellings: dict[str, Counter[str]] = field(default_factory=dict)
    """For each folded word, how it was written (lowercase), and how often."""
    first_words: tuple[str, ...] = ()
    """The folded words of the cluster's first question, in order (to order what is shown)."""
    last_at: datetime | None = None
    last_surge: datetime | None = None


_WRITTEN_WORD = re.compile(r"[^\W_]+")
"""A word as written: letters (with their diacritics) and digits."""


def _as_written(keywords: Sequence[str], cluster: _Cluster) -> tuple[str, ...]:
    """``keywords`` as most often written, in the order of the cluster's first question."""
    first = {word: index for index, word in reversed(list(enumerate(cluster.first_words)))}
    ordered = sorted(keywords, key=lambda word: (first.get(word, len(first)), word))
    shown = []
    for word in ordered:
        spelled = cluster.spellings.get(word)
        shown.append(spelled.most_common(1)[0][0] if spelled else word)
    return tuple(shown)


class SurgeDetector:
    """Takes inquiries as they arrive and raises a :class:`Surge` when one question floods in.

    Feed it in order of receipt (:meth:`add`); each call returns the surge the inquiry
    triggered, if any (a cluster surges once, and again only after a quiet spell). Working time
    is counted on ``calendar`` (the Vietnamese state-agency calendar by default), so a night or
    a weekend does not dilute a rate.
    """

    def __init__(
        self,
        settings: SurgeSettings | None = None,
        *,
        calendar: WorkingCalendar | None = None,
    ) -> None:
        self.settings = settings if settings is not None else SurgeSettings()
        self.calendar = calendar if calendar is not None else vietnam_calendar()
        self._index = QuestionIndex(
            window=self.settings.window.total_seconds(), threshold=self.settings.threshold
        )
        self._clusters: dict[int, _Cluster] = {}
        self._all: deque[datetime] = deque()
        """Every arrival within the recent window (for the overall flow)."""
        self._words: Counter[str] = Counter()
        """In how many inquiries each folded word appeared (to pick a cluster's own words)."""
        self._seen = 0
        self._first: datetime | None = None
        self._last: datetime | None = None
        self.surges: list[Surge] = []
        """Every surge raised so far, in order."""

    def __repr__(self) -> str:
        return f"SurgeDetector(seen={self._seen}, clusters={len(self._clusters)})"

    @property
    def active_clusters(self) -> int:
        """Clusters still remembered (memory is bounded by these)."""
        return len(self._clusters)

    def add(self, inquiry: Inquiry) -> Surge | None:
        """Take one arriving inquiry into account; the surge it raised, if any."""
        at = inquiry.received_at
        if self._last is not None and at < self._last:
            raise InvalidInputError(
                "inquiries must be added in order of receipt: "
                f"{at.isoformat()} is before {self._last.isoformat()}"
            )
        self._last = at
        if self._first is None:
            self._first = at
        self._seen += 1
        text = f"{inquiry.subject} {inquiry.content}"
        match = self._index.add(self._seen, text, at.timestamp())
        cluster = self._clusters.get(match.cluster)
        if cluster is None:
            cluster = _Cluster(first_id=inquiry.id, first_words=tuple(words(text)))
            self._clusters[match.cluster] = cluster
        cluster.count += 1
        cluster.arrivals.append(at)
        cluster.last_at = at
        cluster.by_channel[inquiry.channel.value] += 1
        province = getattr(inquiry.requester, "province", None)
        cluster.by_province[str(province) if province else "?"] += 1
        present = set(words(text))
        cluster.words.update(present)
        for written in _WRITTEN_WORD.findall(text.lower()):
            folded = words(written)
            if len(folded) == 1:
                cluster.spellings.setdefault(folded[0], Counter())[written] += 1
        self._words.update(present)
        self._all.append(at)
        self._trim(cluster, at)
        surge = self._judge(match.cluster, cluster, at)
        if self._seen % _FORGET_EVERY == 0:
            self._forget(at)
        if surge is not None:
            self.surges.append(surge)
        return surge

    def add_all(self, inquiries: Iterable[Inquiry]) -> list[Surge]:
        """Add every inquiry (in order of receipt); the surges raised."""
        raised = []
        for inquiry in inquiries:
            surge = self.add(inquiry)
            if surge is not None:
                raised.append(surge)
        return raised

    def _working(self, start: datetime, end: datetime) -> timedelta:
        return self.calendar.working_time(start, end)

    def _window_start(self, at: datetime, length: timedelta) -> datetime:
        """The moment ``length`` of working time before ``at``."""
        return self.calendar.subtract(at, length)

    def _trim(self, cluster: _Cluster, at: datetime) -> None:
        settings = self.settings
        oldest = self._window_start(at, settings.recent + settings.baseline)
        while cluster.arrivals and cluster.arrivals[0] < oldest:
            cluster.arrivals.popleft()
        recent = self._window_start(at, settings.recent)
        while self._all and self._all[0] < recent:
            self._all.popleft()

    def _judge(self, key: int, cluster: _Cluster, at: datetime) -> Surge | None:
        settings = self.settings
        if self._first is None or self._working(self._first, at) < settings.baseline:
            return None  # warming up: no baseline yet
        recent_start = self._window_start(at, settings.recent)
        recent = [moment for moment in cluster.arrivals if moment >= recent_start]
        if len(recent) < settings.min_count:
            return None
        if cluster.last_surge is not None and self._working(cluster.last_surge, at) < (
            settings.quiet
        ):
            cluster.last_surge = at  # still the same surge: it goes on
            return None
        hours = settings.recent / _HOUR
        rate = len(recent) / hours
        before = len(cluster.arrivals) - len(recent)
        baseline = before / (settings.baseline / _HOUR)
        if rate < settings.growth * baseline:
            return None
        if len(recent) < settings.share * len(self._all):
            return None
        cluster.last_surge = at
        # the words most of the cluster shares, the rarest elsewhere first: what sets it apart
        shared = [w for w, n in cluster.words.items() if n >= cluster.count / 2]
        shared.sort(key=lambda word: (self._words[word] - cluster.words[word], word))
        keywords = shared[:_KEYWORDS]
        return Surge(
            cluster=key,
            representative=cluster.first_id,
            keywords=tuple(keywords),
            written_keywords=_as_written(keywords, cluster),
            started_at=recent[0],
            raised_at=at,
            count=cluster.count,
            recent_count=len(recent),
            rate_per_hour=round(rate, 2),
            baseline_per_hour=round(baseline, 3),
            by_channel=dict(sorted(cluster.by_channel.items())),
            by_province=dict(sorted(cluster.by_province.items())),
            suggested_action_vi=_SUGGESTION_VI,
            suggested_action_en=_SUGGESTION_EN,
        )

    def _forget(self, at: datetime) -> None:
        """Drop clusters quiet for ``forget_after`` and the index bands older than that."""
        cutoff = at - self.settings.forget_after
        quiet = [
            key
            for key, cluster in self._clusters.items()
            if cluster.last_at is not None and cluster.last_at < cutoff
        ]
        for key in quiet:
            del self._clusters[key]
        self._index.forget(cutoff.timestamp())


def detect_surges(
    inquiries: Iterable[Inquiry],
    *,
    settings: SurgeSettings | None = None,
    calendar: WorkingCalendar | None = None,
) -> list[Surge]:
    """The surges in ``inquiries`` (sorted by receipt first)."""
    detector = SurgeDetector(settings, calendar=calendar)
    ordered = sorted(inquiries, key=lambda q: (q.received_at, q.id))
    return detector.add_all(ordered)
