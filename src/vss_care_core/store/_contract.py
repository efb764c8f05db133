"""The contract every case store follows, and the values it returns."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self, runtime_checkable

from vss_care_core.models import Event, Inquiry
from vss_care_core.process import Case

__all__ = ["CaseStore", "ImportSummary", "NextAlertRule", "OpenCase", "OutboxRecord"]

NextAlertRule = Callable[[Case], datetime | None]
"""How a store computes a case's ``next_alert_at`` after each write: from the case as it is
after its last move, the next moment someone should look at it (None: no alert).
:func:`~vss_care_core.store.sla_next_alert` gives the rule of the SLA clocks."""


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenCase:
    """One open case as the store lists it (a summary: :meth:`CaseStore.load` gives the case)."""

    case_id: str
    """The case's id."""
    process: str
    """The name of the process it follows (``call``, ``written``, or your own)."""
    state: str
    """Its state: the current step's code, or a pause (``on_hold``, ``awaiting_info``...)."""
    step: str
    """The current step's code (also while paused)."""
    unit: str | None
    """The unit the case is assigned to, once a move recorded one."""
    version: int
    """The number of stored events: the ``expected_version`` of its next move."""
    next_alert_at: datetime | None
    """When someone should next look at it (in UTC), or None."""


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboxRecord:
    """One record of the store's outbox: an inquiry or an event, at its position.

    Positions start at 1 and grow by one with each record, in the order the writes were
    committed; an exporter that acknowledges the position of the last record it delivered
    resumes after it. ``vss_care_core.monitoring.encode_record(record.record)`` is the line of
    the versioned JSON Lines event log.
    """

    position: int
    """The record's place in the outbox (1, 2, 3...)."""
    record: Inquiry | Event
    """The inquiry (stored with the first case that handles it) or the event."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportSummary:
    """What :meth:`CaseStore.import_records` did."""

    inquiries: int
    """Inquiries stored."""
    events: int
    """Events stored (opening events included)."""
    already_stored: int
    """Records that were in the store already, the same (skipped: importing twice is safe)."""


@runtime_checkable
class CaseStore(Protocol):
    """A store of cases: their inquiries and events, the open cases, and an outbox.

    Both :class:`~vss_care_core.store.SQLiteCaseStore` and
    :class:`~vss_care_core.store.PostgresCaseStore` follow this contract, and the same tests
    run against both.

    Every write is one transaction: it is stored completely or not at all. Each write checks
    what it stores the way a live case would (a move the process does not allow is refused),
    and gives every record it stores the next outbox position in the same transaction.

    A store object may be shared between the threads of a process (its operations take turns);
    a :class:`~vss_care_core.process.Case` object may not: each writer loads its own, and the
    store's ``expected_version`` check tells it when another writer moved the case first.
    """

    @property
    def where(self) -> str:
        """The store as messages name it: its file, or its server and database (no password)."""
        ...

    @property
    def schema_version(self) -> int:
        """The version of the store's tables (the library's own, once it is opened)."""
        ...

    def add(self, case: Case, *, next_alert_at: datetime | None = None) -> None:
        """Store a new case: its inquiry (unless stored already) and its events so far.

        Adding the same case again is a no-op; another case under a stored id raises
        :class:`~vss_care_core.errors.ConcurrencyConflict` (expected version 0).
        """
        ...

    def append(
        self, event: Event, *, expected_version: int, next_alert_at: datetime | None = None
    ) -> Event:
        """Store one move, if the case is still at ``expected_version``; return the event.

        A race raises :class:`~vss_care_core.errors.ConcurrencyConflict`. The same event sent
        again is a no-op (the stored event is returned); another event under a stored event id
        raises :class:`~vss_care_core.errors.DuplicateEventError`.
        """
        ...

    def move(
        self,
        case_id: str,
        action: str,
        step: str | None = None,
        *,
        at: datetime,
        by: str,
        expected_version: int | None = None,
        event_id: str | None = None,
        next_alert_at: datetime | None = None,
        **data: Any,
    ) -> Event:
        """Load the case, make the move and store it, in one transaction; return the event.

        ``action`` is ``"complete"`` (with the ``step`` completed) or a side path (``"hold"``,
        ``"request_info"``...); ``data`` is what the move carries, as for
        :meth:`Case.complete <vss_care_core.process.Case.complete>`.
        """
        ...

    def load(self, case_id: str) -> Case:
        """The case rebuilt from its stored inquiry and events.

        Raises :class:`~vss_care_core.store.CaseNotFoundError` for an unknown id.
        """
        ...

    def open_cases(
        self,
        *,
        unit: str | None = None,
        step: str | None = None,
        due_before: datetime | None = None,
        limit: int | None = None,
    ) -> list[OpenCase]:
        """The open cases, filtered by unit, by current step, and by ``next_alert_at`` strictly
        before ``due_before``; the earliest alert first (cases without one last), then by id."""
        ...

    def set_next_alert(self, case_id: str, next_alert_at: datetime | None) -> None:
        """Set (or clear, with None) when someone should next look at an open case."""
        ...

    def outbox(self, *, after: int = 0, limit: int | None = None) -> Iterator[OutboxRecord]:
        """The records after position ``after``, in order (at most ``limit`` of them)."""
        ...

    def last_position(self) -> int:
        """The position of the last record stored (0 for an empty store)."""
        ...

    def cursor(self, consumer: str) -> int:
        """The last position ``consumer`` acknowledged (0 if it never did)."""
        ...

    def acknowledge(self, consumer: str, position: int) -> None:
        """Record that ``consumer`` delivered every record up to ``position``."""
        ...

    def import_records(self, records: Iterable[Inquiry | Event]) -> ImportSummary:
        """Store a log's inquiries and events, in log order, in one transaction."""
        ...

    def close(self) -> None:
        """Close the connection (the store object cannot be used after)."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...
