"""The KPI figures a report holds: plain, immutable values ready for JSON, tables and charts."""

from __future__ import annotations

from datetime import date

from pydantic import AwareDatetime, Field

from vss_care_core.errors import InvalidInputError
from vss_care_core.models import CareModel

__all__ = [
    "AGEING_BUCKETS",
    "BacklogFigures",
    "KpiFigures",
    "KpiReport",
    "SatisfactionFigures",
    "SlaFigures",
    "StepFigures",
]

AGEING_BUCKETS: tuple[tuple[str, int], ...] = (
    ("0-1", 1),
    ("2-5", 5),
    ("6-10", 10),
    ("11-15", 15),
    ("16+", 1_000_000),
)
"""Backlog ageing buckets: a label and the largest age (in working days) it holds.

15 working days is the time limit for answering a question on an agency's portal
(Decree 43/2011 Art. 17); a case in ``16+`` is past it.
"""


class SlaFigures(CareModel):
    """One SLA target: how many timers were met and breached, and the compliance."""

    met: int = 0
    breached: int = 0

    @property
    def compliance(self) -> float | None:
        """met / (met + breached); None when no timer was judged."""
        total = self.met + self.breached
        return self.met / total if total else None


class SatisfactionFigures(CareModel):
    """Survey responses: count, satisfied (overall 4 or 5), CSAT and the factor means."""

    responses: int = 0
    satisfied: int = 0
    factor_means: dict[str, float] = Field(default_factory=dict)

    @property
    def csat(self) -> float | None:
        """satisfied / responses; None without responses."""
        return self.satisfied / self.responses if self.responses else None


class BacklogFigures(CareModel):
    """Cases still open at the end of the log, by age in working days (see ``AGEING_BUCKETS``)."""

    open: int = 0
    ageing: dict[str, int] = Field(default_factory=dict)


class StepFigures(CareModel):
    """One process step: how many times it was completed and the mean time spent in it."""

    completions: int = 0
    mean_seconds: float | None = None


class KpiFigures(CareModel):
    """Every KPI for one group of cases (all cases, one channel, one unit, one kind or one day).

    Counts are of cases that ended, except ``backlog`` (cases still open). Rates are None when
    their denominator is zero. Definitions: see the monitoring page of the documentation.
    """

    ended: int = 0
    outcomes: dict[str, int] = Field(default_factory=dict)
    calls_offered: int = 0
    calls_answered: int = 0
    answered_within_threshold: int = 0
    queue_abandons: int = 0
    short_abandons: int = 0
    dropped_calls: int = 0
    service_level: float | None = None
    average_speed_of_answer: float | None = None
    abandonment_rate: float | None = None
    average_handle_time: float | None = None
    fcr_eligible: int = 0
    fcr_resolved: int = 0
    first_contact_resolution: float | None = None
    transfers: int = 0
    escalations: int = 0
    requests_for_info: int = 0
    returned_drafts: int = 0
    written_answered: int = 0
    reopens: int = 0
    master_answers: int = 0
    """Cases answered with a master answer (one answer for a flood of the same question)."""
    knowledge_suggested: int = 0
    """Answered cases for which a knowledge-base entry was suggested (``knowledge_entry=``)."""
    knowledge_share: float | None = None
    """The share of those whose answer used the entry (``knowledge_used=True``)."""
    reopen_rate: float | None = None
    sla: dict[str, SlaFigures] = Field(default_factory=dict)
    sla_not_judged: dict[str, int] = Field(default_factory=dict)
    percentiles: dict[str, dict[str, float]] = Field(default_factory=dict)
    """The 50th, 90th and 95th percentiles (``"p50"``...) of ``wait`` and ``handle`` (answered
    calls) and ``written_answer`` (from receipt to the answer, written cases answered), in
    seconds; each within 1 % of the exact value (see :data:`PERCENTILE_ACCURACY`)."""
    """Ended cases whose SLA could not be judged, by reason (no policy applies, the history
    does not follow its process, events missing...)."""
    satisfaction: SatisfactionFigures = SatisfactionFigures()
    backlog: BacklogFigures = BacklogFigures()


class KpiReport(CareModel):
    """A KPI report over an event log or a set of cases.

    ``overall`` covers every case; ``by_channel``, ``by_unit``, ``by_kind`` and ``by_day`` split
    it; ``by_step`` gives the time spent per process step (``"call:greet"``...); ``volume`` counts
    the cases opened per day (local date) and channel. ``as_of`` is the last moment seen in the log
    (the backlog is measured then).
    """

    service_level_seconds: float
    short_abandon_seconds: float
    fcr_window_days: float
    period_start: date | None = None
    period_end: date | None = None
    as_of: AwareDatetime | None = None
    records: int = 0
    orphan_events: int = 0
    unmatched_responses: int = 0
    overall: KpiFigures = KpiFigures()
    by_channel: dict[str, KpiFigures] = Field(default_factory=dict)
    by_unit: dict[str, KpiFigures] = Field(default_factory=dict)
    by_kind: dict[str, KpiFigures] = Field(default_factory=dict)
    by_day: dict[str, KpiFigures] = Field(default_factory=dict)
    by_step: dict[str, StepFigures] = Field(default_factory=dict)
    volume: dict[str, dict[str, int]] = Field(default_factory=dict)

    def group(self, by: str) -> dict[str, KpiFigures]:
        """The figures split by ``channel``, ``unit``, ``kind`` or ``day``."""
        groups = {
            "channel": self.by_channel,
            "unit": self.by_unit,
            "kind": self.by_kind,
            "day": self.by_day,
        }
        if by not in groups:
            message = f"cannot group by {by!r}: choose one of channel, unit, kind, day"
            raise InvalidInputError(message)
        return groups[by]
