"""What the two stores share: the contract written once in SQL, over a few database hooks.

Every write runs in :meth:`SqlCaseStore._writing`: a transaction that first locks the one row
of ``care_outbox_head`` (SQLite: the database's write lock, taken by ``BEGIN IMMEDIATE``). So
writes take turns, each gives outbox positions following the last one committed, and a reader
that has seen position *p* will never see a smaller position appear later: an exporter that
resumes after the last position it delivered can neither skip nor repeat a record. (Positions
drawn from a sequence would not do: a transaction that drew 7 may commit after one that drew 8.)

Each write reads the case as stored, checks the move on it the way a live case does, and
writes the event, its outbox record and the case's row in the same transaction.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from copy import copy
from datetime import datetime
from types import TracebackType
from typing import Any, Self, TypeVar

from pydantic import ValidationError

from vss_care_core.errors import (
    ConcurrencyConflict,
    DuplicateEventError,
    InvalidInputError,
)
from vss_care_core.models import Event, Inquiry, require_aware
from vss_care_core.process import Case, ProcessDefinition, standard_process
from vss_care_core.store._contract import (
    ImportSummary,
    NextAlertRule,
    OpenCase,
    OutboxRecord,
)
from vss_care_core.store._errors import CaseNotFoundError, SchemaVersionError, StoreError
from vss_care_core.store._schema import MIGRATIONS, SCHEMA_VERSION, Dialect

__all__ = ["PAGE_SIZE", "Row", "SqlCaseStore"]

Row = Mapping[str, Any]
"""A row as the hooks return it: column name to value."""

PAGE_SIZE = 500
"""Records read from the outbox per query while streaming it."""

RECENT_CASES = 1_000
"""Cases a store object keeps, the last it read or wrote: a write rebuilds a case only when
another writer moved it since. Measured on SQLite (50 cases, histories of up to 31 events):
the store's CPU time per append fell from 390 to 111 µs, and with durable commits on a fast
disk the store went from 2.97x to 1.07x the time of raw inserts (benchmarks/bench_store.py)."""

MAX_CONSUMER_LENGTH = 200
_T = TypeVar("_T")


class _Transaction:
    """One write transaction: the outbox positions it gives, after the last committed one, and
    the cases it leaves, to remember once it has committed."""

    __slots__ = ("first", "last", "written")

    def __init__(self, head: int) -> None:
        self.first = head
        self.last = head
        self.written: dict[str, Case] = {}

    def take(self) -> int:
        """The next position."""
        self.last += 1
        return self.last

    def wrote(self, case: Case) -> None:
        """``case`` is what the transaction stores for its id (no one else holds it)."""
        self.written[case.id] = case


def _describe(event: Event) -> str:
    """An event named for a message: its seq and move (never its data)."""
    move = f"complete:{event.step}" if event.action == "complete" else event.action
    return f"seq {event.seq} ({move})"


def _text_argument(value: object, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidInputError(f"{name}= must be a non-empty text, got {type(value).__name__}")
    return value


def _count_argument(value: object, name: str, *, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(
            f"{name}= must be a whole number from {least}, got {type(value).__name__}"
        )
    if value < least:
        raise InvalidInputError(f"{name}= must be a whole number from {least}, got {value}")
    return value


def _alert_argument(value: object) -> datetime | None:
    return None if value is None else require_aware(value, "next_alert_at")


class SqlCaseStore(ABC):
    """The case store's logic over a SQL database; the subclasses connect and translate.

    Not meant to be used directly: open a :class:`~vss_care_core.store.SQLiteCaseStore` or a
    :class:`~vss_care_core.store.PostgresCaseStore`.
    """

    dialect: Dialect
    _head_query = "SELECT position FROM care_outbox_head WHERE one = 1"
    """How a write reads the outbox head (PostgreSQL adds ``FOR UPDATE``: locked until it
    commits; SQLite's ``BEGIN IMMEDIATE`` has locked the database already)."""

    def __init__(
        self,
        where: str,
        *,
        processes: Iterable[ProcessDefinition],
        next_alert: NextAlertRule | None,
    ) -> None:
        self._where = where
        self._lock = threading.RLock()
        self._closed = False
        self._next_alert = next_alert
        self._recent: OrderedDict[str, Case] = OrderedDict()
        """The cases this object last read or wrote, by id: a write rebuilds a case only when
        another writer moved it since (see :meth:`_stored_case`)."""
        self._processes: dict[str, ProcessDefinition] = {}
        for definition in processes:
            if not isinstance(definition, ProcessDefinition):
                raise InvalidInputError(
                    f"processes= must hold ProcessDefinition values, got "
                    f"{type(definition).__name__}"
                )
            self._processes[definition.name] = definition

    # -- what a database gives ---------------------------------------------------------------
    @abstractmethod
    def _run(self, sql: str, parameters: Sequence[Any] = ()) -> list[Row]:
        """Run one statement (``?`` placeholders) and return its rows (none for a write)."""

    @abstractmethod
    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one write statement for each of ``rows``."""

    @abstractmethod
    def _begin_write(self) -> None:
        """Begin a transaction that will write."""

    @abstractmethod
    def _commit(self) -> None:
        """Commit the transaction."""

    @abstractmethod
    def _rollback(self) -> None:
        """Roll the transaction back (quietly, even on a connection that is gone)."""

    @abstractmethod
    def _translated(self) -> AbstractContextManager[None]:
        """A context that turns the driver's errors into :class:`StoreError` naming the store."""

    @abstractmethod
    def _to_moment(self, value: datetime) -> Any:
        """A moment as the ``next_alert_at`` column holds it."""

    @abstractmethod
    def _from_moment(self, value: Any) -> datetime:
        """A ``next_alert_at`` value as an aware datetime in UTC."""

    @abstractmethod
    def _disconnect(self) -> None:
        """Close the connection."""

    # -- opening -----------------------------------------------------------------------------
    @abstractmethod
    def _has_table(self, name: str) -> bool:
        """True if the database holds the table ``name``."""

    @abstractmethod
    def _lock_for_migration(self) -> None:
        """In a migration's transaction, wait for any other program migrating the same store."""

    def _stored_version(self) -> int:
        """The version recorded in the store (0 for a database without a store yet)."""
        if not self._has_table("care_schema_version"):
            return 0
        rows = self._run("SELECT MAX(version) AS version FROM care_schema_version")
        return int(rows[0]["version"] or 0)

    def _migrate(self, *, up_to: int = SCHEMA_VERSION) -> None:
        """Apply the migrations the store lacks, up to ``up_to``, each in its own transaction.

        Each transaction reads the version again under the write lock: another program may
        have opened and migrated the same store meanwhile.
        """
        for migration in MIGRATIONS:
            if migration.version > up_to:
                return
            self._begin_write()
            try:
                self._lock_for_migration()
                found = self._stored_version()
                if found > SCHEMA_VERSION:
                    raise SchemaVersionError(self._where, found=found, supported=SCHEMA_VERSION)
                if found < migration.version:
                    for statement in migration.sql(self.dialect):
                        self._run(statement)
                    self._run(
                        "INSERT INTO care_schema_version (version, description) VALUES (?, ?)",
                        (migration.version, migration.description),
                    )
                self._commit()
            except BaseException:
                self._rollback()
                raise

    # -- the contract: properties and lifetime -------------------------------------------------
    @property
    def where(self) -> str:
        """The store as messages name it: its file, or its server and database (no password)."""
        return self._where

    @property
    def schema_version(self) -> int:
        """The version of the store's tables."""
        with self._reading():
            return self._stored_version()

    def close(self) -> None:
        """Close the connection (the store object cannot be used after)."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._disconnect()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._where!r})"

    # -- transactions ------------------------------------------------------------------------
    def _guarded(self) -> None:
        if self._closed:
            raise StoreError(self._where, "the store is closed: open it again to use it")

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """One operation on the connection at a time, driver errors translated."""
        with self._lock:
            self._guarded()
            with self._translated():
                yield

    def _remember(self, case: Case) -> None:
        """Keep ``case`` as the store's latest copy of it (the least recently used goes)."""
        self._recent[case.id] = case
        self._recent.move_to_end(case.id)
        if len(self._recent) > RECENT_CASES:
            self._recent.popitem(last=False)

    @contextmanager
    def _writing(self) -> Iterator[_Transaction]:
        """One write transaction: the outbox head locked first, committed or rolled back."""
        with self._reading():
            self._begin_write()
            try:
                rows = self._run(self._head_query)
                transaction = _Transaction(int(rows[0]["position"]))
                yield transaction
                if transaction.last != transaction.first:
                    self._run(
                        "UPDATE care_outbox_head SET position = ? WHERE one = 1",
                        (transaction.last,),
                    )
                self._commit()
            except BaseException:
                self._rollback()
                raise
            for case in transaction.written.values():
                self._remember(case)

    def _write(self, work: Callable[[_Transaction], _T]) -> _T:
        """Run ``work`` in a write transaction; commit if it returns, roll back if it raises."""
        with self._writing() as positions:
            return work(positions)

    # -- reading records ---------------------------------------------------------------------
    def _decode(self, kind: str, body: str, position: int) -> Inquiry | Event:
        try:
            if kind == "inquiry":
                return Inquiry.model_validate_json(body)
            return Event.model_validate_json(body)
        except ValidationError:
            raise StoreError(
                self._where,
                f"the record at outbox position {position} is not a valid {kind}: the store was "
                "changed outside vss-care-core; restore it from a backup",
            ) from None

    def _decoded_event(self, row: Row) -> Event:
        record = self._decode("event", row["body"], row["position"])
        assert isinstance(record, Event)  # noqa: S101 - the kind was asked for
        return record

    def _stored_event(self, event_id: str) -> Event | None:
        rows = self._run(
            "SELECT o.position, o.body FROM care_events e"
            " JOIN care_outbox o ON o.position = e.position WHERE e.id = ?",
            (event_id,),
        )
        return self._decoded_event(rows[0]) if rows else None

    def _stored_inquiry(self, inquiry_id: str) -> Inquiry | None:
        rows = self._run(
            "SELECT o.position, o.body FROM care_inquiries i"
            " JOIN care_outbox o ON o.position = i.position WHERE i.id = ?",
            (inquiry_id,),
        )
        if not rows:
            return None
        record = self._decode("inquiry", rows[0]["body"], rows[0]["position"])
        assert isinstance(record, Inquiry)  # noqa: S101 - the kind was asked for
        return record

    def _version_of(self, case_id: str) -> int | None:
        rows = self._run("SELECT version FROM care_cases WHERE id = ?", (case_id,))
        return int(rows[0]["version"]) if rows else None

    def _load(self, case_id: str) -> Case:
        rows = self._run("SELECT inquiry_id FROM care_cases WHERE id = ?", (case_id,))
        if not rows:
            raise CaseNotFoundError(self._where, case_id)
        inquiry = self._stored_inquiry(rows[0]["inquiry_id"])
        if inquiry is None:
            raise StoreError(self._where, f"the inquiry of case {case_id!r} is missing")
        events = [
            self._decoded_event(row)
            for row in self._run(
                "SELECT o.position, o.body FROM care_events e"
                " JOIN care_outbox o ON o.position = e.position"
                " WHERE e.case_id = ? ORDER BY e.seq",
                (case_id,),
            )
        ]
        return self._replay(inquiry, events)

    def _stored_case(self, case_id: str, version: int) -> Case:
        """The case as stored at ``version`` (read just before, in the same transaction).

        A stored history only ever grows, so a copy this object holds at that same version is
        the stored case; otherwise the case is rebuilt from the database.
        """
        known = self._recent.get(case_id)
        if known is not None and known.version == version:
            return copy(known)
        return self._load(case_id)

    def _replay(self, inquiry: Inquiry, events: list[Event]) -> Case:
        """The case of stored events: trusted, its structure checked (the store wrote them)."""
        name = events[0].data.get("process") if events else None
        process = self._processes.get(name) if isinstance(name, str) else None
        return Case.replay(inquiry, events, process=process, trusted=True)

    # -- writing records ---------------------------------------------------------------------
    def _check_process(self, definition: ProcessDefinition) -> None:
        """A case can be stored only if the store can rebuild it: its process is a standard one
        or one the store was given."""
        known = self._processes.get(definition.name)
        if known is None:
            try:
                known = standard_process(definition.name)
            except KeyError:
                known = None
        if known != definition:
            raise InvalidInputError(
                f"case process {definition.name!r} is not one this store knows: give its "
                f"definition when opening the store (processes=[...]) so that its cases can be "
                "rebuilt"
            )

    def _insert_inquiry(self, transaction: _Transaction, inquiry: Inquiry) -> bool:
        """Store ``inquiry`` unless it is stored already (the same); True if it was stored."""
        stored = self._stored_inquiry(inquiry.id)
        if stored is not None:
            if stored != inquiry:
                raise InvalidInputError(
                    f"inquiry {inquiry.id!r} is stored already, with other content: give each "
                    "inquiry its own id"
                )
            return False
        position = transaction.take()
        self._run(
            "INSERT INTO care_outbox (position, kind, body) VALUES (?, 'inquiry', ?)",
            (position, inquiry.model_dump_json()),
        )
        self._run("INSERT INTO care_inquiries (id, position) VALUES (?, ?)", (inquiry.id, position))
        return True

    def _insert_events(self, transaction: _Transaction, events: Sequence[Event]) -> None:
        taken = [transaction.take() for _ in events]
        self._run_many(
            "INSERT INTO care_outbox (position, kind, body) VALUES (?, 'event', ?)",
            [
                (position, event.model_dump_json())
                for position, event in zip(taken, events, strict=True)
            ],
        )
        self._run_many(
            "INSERT INTO care_events (id, case_id, seq, position) VALUES (?, ?, ?, ?)",
            [
                (event.id, event.case_id, event.seq, position)
                for position, event in zip(taken, events, strict=True)
            ],
        )

    def _case_columns(self, case: Case, next_alert_at: datetime | None) -> list[Any]:
        """The columns of a case's row, from the case after its last move."""
        if case.outcome is not None:
            alert = None
        elif next_alert_at is not None:
            alert = next_alert_at
        elif self._next_alert is not None:
            alert = self._next_alert(case)
        else:
            alert = None
        return [
            case.definition.name,
            case.version,
            case.state,
            case.step.code,
            case.facts.unit,
            case.outcome,
            None if alert is None else self._to_moment(require_aware(alert, "next alert")),
        ]

    def _insert_case_row(self, case: Case, next_alert_at: datetime | None) -> None:
        self._run(
            "INSERT INTO care_cases (id, inquiry_id, process, version, state, step, unit,"
            " outcome, next_alert_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [case.id, case.inquiry.id, *self._case_columns(case, next_alert_at)],
        )

    def _update_case_row(self, case: Case, next_alert_at: datetime | None) -> None:
        self._run(
            "UPDATE care_cases SET process = ?, version = ?, state = ?, step = ?, unit = ?,"
            " outcome = ?, next_alert_at = ? WHERE id = ?",
            [*self._case_columns(case, next_alert_at), case.id],
        )

    def _refuse_known_id(self, event: Event) -> None:
        """Refuse ``event`` if its id is stored for another event (in any case)."""
        known = self._stored_event(event.id)
        if known is not None and known != event:
            raise DuplicateEventError(
                known.case_id,
                event.id,
                _describe(known),
                _describe(event),
                version=self._version_of(known.case_id) or 0,
            )

    # -- the contract: writing ----------------------------------------------------------------
    def add(self, case: Case, *, next_alert_at: datetime | None = None) -> None:
        """Store a new case: its inquiry (unless stored already) and its events so far.

        Adding the same case again is a no-op; another case under a stored id raises
        :class:`~vss_care_core.errors.ConcurrencyConflict` (expected version 0).
        """
        if not isinstance(case, Case):
            raise InvalidInputError(f"add() takes a Case, got {type(case).__name__}")
        alert = _alert_argument(next_alert_at)
        self._check_process(case.definition)

        def work(transaction: _Transaction) -> None:
            if self._version_of(case.id) is not None:
                stored = self._load(case.id)
                if stored == case:
                    return
                raise ConcurrencyConflict(case.id, 0, stored.version)
            for event in case.history:
                self._refuse_known_id(event)
            self._insert_inquiry(transaction, case.inquiry)
            self._insert_case_row(case, alert)
            self._insert_events(transaction, case.history)
            transaction.wrote(copy(case))  # the caller keeps moving its own

        self._write(work)

    def append(
        self, event: Event, *, expected_version: int, next_alert_at: datetime | None = None
    ) -> Event:
        """Store one move, if the case is still at ``expected_version``; return the event.

        The event is checked on the stored case as :meth:`Case.apply
        <vss_care_core.process.Case.apply>` checks it. A race raises
        :class:`~vss_care_core.errors.ConcurrencyConflict`. The same event sent again is a
        no-op (the stored event is returned); another event under a stored event id raises
        :class:`~vss_care_core.errors.DuplicateEventError`.
        """
        if not isinstance(event, Event):
            raise InvalidInputError(f"append() takes an Event, got {type(event).__name__}")
        expected = _count_argument(expected_version, "expected_version", least=1)
        alert = _alert_argument(next_alert_at)

        def work(transaction: _Transaction) -> Event:
            known = self._stored_event(event.id)
            if known is not None:
                if known == event:
                    return known
                self._refuse_known_id(event)
            actual = self._version_of(event.case_id)
            if actual is None:
                raise CaseNotFoundError(self._where, event.case_id)
            if actual != expected:
                raise ConcurrencyConflict(event.case_id, expected, actual)
            case = self._stored_case(event.case_id, actual)
            case.apply(event)
            self._insert_events(transaction, [event])
            self._update_case_row(case, alert)
            transaction.wrote(case)
            return event

        return self._write(work)

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
        :meth:`Case.complete <vss_care_core.process.Case.complete>`. With ``expected_version``
        the move is refused with :class:`~vss_care_core.errors.ConcurrencyConflict` if the case
        has moved since; with an ``event_id`` already used for this same move, nothing is
        stored again and the stored event is returned.
        """
        _text_argument(case_id, "case_id")
        _text_argument(action, "action")
        if action == "complete" and step is None:
            raise InvalidInputError(
                "move(case_id, 'complete', step, ...) needs the code of the step completed"
            )
        if action != "complete" and step is not None:
            raise InvalidInputError(
                f"move(case_id, {action!r}, ...) takes no step: only 'complete' names one"
            )
        if expected_version is not None:
            _count_argument(expected_version, "expected_version", least=1)
        alert = _alert_argument(next_alert_at)

        def work(transaction: _Transaction) -> Event:
            before = self._version_of(case_id)
            if before is None:
                raise CaseNotFoundError(self._where, case_id)
            case = self._stored_case(case_id, before)
            if step is not None:
                event = case.complete(
                    step,
                    at=at,
                    by=by,
                    expected_version=expected_version,
                    event_id=event_id,
                    **data,
                )
            else:
                event = case.fire(
                    action,
                    at=at,
                    by=by,
                    expected_version=expected_version,
                    event_id=event_id,
                    **data,
                )
            if case.version == before:
                return event  # the same move sent again with its event id
            if event_id is not None:
                self._refuse_known_id(event)
            self._insert_events(transaction, [event])
            self._update_case_row(case, alert)
            transaction.wrote(case)
            return event

        return self._write(work)

    def set_next_alert(self, case_id: str, next_alert_at: datetime | None) -> None:
        """Set (or clear, with None) when someone should next look at an open case."""
        _text_argument(case_id, "case_id")
        alert = _alert_argument(next_alert_at)

        def work(_transaction: _Transaction) -> None:
            rows = self._run("SELECT outcome FROM care_cases WHERE id = ?", (case_id,))
            if not rows:
                raise CaseNotFoundError(self._where, case_id)
            outcome = rows[0]["outcome"]
            if outcome is not None:
                raise InvalidInputError(
                    f"case {case_id!r} has ended ({outcome}): an ended case has no alert"
                )
            self._run(
                "UPDATE care_cases SET next_alert_at = ? WHERE id = ?",
                (None if alert is None else self._to_moment(alert), case_id),
            )

        self._write(work)

    def import_records(self, records: Iterable[Inquiry | Event]) -> ImportSummary:
        """Store a log's inquiries and events, in log order, in one transaction.

        Each event is checked as a live move would be (the log may come from anywhere); an
        ``open`` event needs its inquiry earlier in the log or in the store. Records stored
        already (the same) are skipped, so importing a log twice stores it once. The first
        record that cannot be stored raises, and nothing at all is stored.
        """
        counts = {"inquiries": 0, "events": 0, "already_stored": 0}

        def work(transaction: _Transaction) -> None:
            live: dict[str, Case] = {}
            for record in records:
                if isinstance(record, Inquiry):
                    stored = self._insert_inquiry(transaction, record)
                    counts["inquiries" if stored else "already_stored"] += 1
                elif isinstance(record, Event):
                    stored = self._import_event(transaction, record, live)
                    counts["events" if stored else "already_stored"] += 1
                else:
                    raise InvalidInputError(
                        f"a store imports inquiries and events, not a {type(record).__name__}"
                    )
            for case in live.values():
                self._update_case_row(case, None)
                transaction.wrote(case)

        self._write(work)
        return ImportSummary(**counts)

    def _import_event(self, transaction: _Transaction, event: Event, live: dict[str, Case]) -> bool:
        known = self._stored_event(event.id)
        if known is not None:
            if known == event:
                return False
            self._refuse_known_id(event)
        case = live.get(event.case_id)
        if event.action == "open":
            version = case.version if case is not None else self._version_of(event.case_id)
            if version is not None:
                raise ConcurrencyConflict(event.case_id, 0, version)
            inquiry_id = event.data.get("inquiry_id")
            inquiry = self._stored_inquiry(inquiry_id) if isinstance(inquiry_id, str) else None
            if inquiry is None:
                raise InvalidInputError(
                    f"event {event.id!r} opens case {event.case_id!r} for inquiry "
                    f"{inquiry_id!r}, which is neither earlier in the log nor in the store"
                )
            name = event.data.get("process")
            process = self._processes.get(name) if isinstance(name, str) else None
            case = Case.replay(inquiry, [event], process=process)
            self._check_process(case.definition)
            self._insert_case_row(case, None)
        else:
            if case is None:
                try:
                    case = self._stored_case(event.case_id, self._version_of(event.case_id) or 0)
                except CaseNotFoundError:
                    raise InvalidInputError(
                        f"event {event.id!r} moves case {event.case_id!r}, whose 'open' event is "
                        "neither earlier in the log nor in the store"
                    ) from None
            case.apply(event)
        live[case.id] = case
        self._insert_events(transaction, [event])
        return True

    # -- the contract: reading ----------------------------------------------------------------
    def load(self, case_id: str) -> Case:
        """The case rebuilt from its stored inquiry and events.

        Raises :class:`~vss_care_core.store.CaseNotFoundError` for an unknown id.
        """
        _text_argument(case_id, "case_id")
        with self._reading():
            version = self._version_of(case_id)
            if version is None:
                raise CaseNotFoundError(self._where, case_id)
            case = self._stored_case(case_id, version)
            self._remember(copy(case))
            return case

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
        conditions = ["outcome IS NULL"]
        parameters: list[Any] = []
        if unit is not None:
            conditions.append("unit = ?")
            parameters.append(_text_argument(unit, "unit"))
        if step is not None:
            conditions.append("step = ?")
            parameters.append(_text_argument(step, "step"))
        if due_before is not None:
            conditions.append("next_alert_at < ?")
            parameters.append(self._to_moment(require_aware(due_before, "due_before")))
            order = "next_alert_at, id"
        else:
            order = "next_alert_at IS NULL, next_alert_at, id"
        sql = (
            "SELECT id, process, state, step, unit, version, next_alert_at FROM care_cases"  # noqa: S608 - our own text
            f" WHERE {' AND '.join(conditions)} ORDER BY {order}"
        )
        if limit is not None:
            sql += " LIMIT ?"
            parameters.append(_count_argument(limit, "limit", least=1))
        with self._reading():
            rows = self._run(sql, parameters)
        return [
            OpenCase(
                case_id=row["id"],
                process=row["process"],
                state=row["state"],
                step=row["step"],
                unit=row["unit"],
                version=int(row["version"]),
                next_alert_at=(
                    None
                    if row["next_alert_at"] is None
                    else self._from_moment(row["next_alert_at"])
                ),
            )
            for row in rows
        ]

    def outbox(self, *, after: int = 0, limit: int | None = None) -> Iterator[OutboxRecord]:
        """The records after position ``after``, in order (at most ``limit`` of them).

        They are read a page at a time, so a long outbox is never held in memory, and no
        transaction stays open between pages.
        """
        position = _count_argument(after, "after", least=0)
        remaining = None if limit is None else _count_argument(limit, "limit", least=1)
        return self._pages(position, remaining)

    def _pages(self, position: int, remaining: int | None) -> Iterator[OutboxRecord]:
        while remaining is None or remaining > 0:
            size = PAGE_SIZE if remaining is None else min(PAGE_SIZE, remaining)
            with self._reading():
                rows = self._run(
                    "SELECT position, kind, body FROM care_outbox WHERE position > ?"
                    " ORDER BY position LIMIT ?",
                    (position, size),
                )
                records = [
                    OutboxRecord(
                        position=int(row["position"]),
                        record=self._decode(row["kind"], row["body"], row["position"]),
                    )
                    for row in rows
                ]
            yield from records
            if len(records) < size:
                return
            position = records[-1].position
            if remaining is not None:
                remaining -= len(records)

    def last_position(self) -> int:
        """The position of the last record stored (0 for an empty store)."""
        with self._reading():
            rows = self._run("SELECT position FROM care_outbox_head WHERE one = 1")
            return int(rows[0]["position"])

    def cursor(self, consumer: str) -> int:
        """The last position ``consumer`` acknowledged (0 if it never did)."""
        name = _consumer_argument(consumer)
        with self._reading():
            return self._cursor(name)

    def _cursor(self, consumer: str) -> int:
        rows = self._run(
            "SELECT position FROM care_outbox_consumers WHERE consumer = ?", (consumer,)
        )
        return int(rows[0]["position"]) if rows else 0

    def acknowledge(self, consumer: str, position: int) -> None:
        """Record that ``consumer`` delivered every record up to ``position``.

        Positions only move forward: acknowledging the same position again is a no-op, an
        earlier one or one not stored yet is refused.
        """
        name = _consumer_argument(consumer)
        wanted = _count_argument(position, "position", least=0)

        def work(transaction: _Transaction) -> None:
            current = self._cursor(name)
            if wanted < current:
                raise InvalidInputError(
                    f"consumer {name!r} acknowledged position {current} already: positions only "
                    f"move forward (to read again from {wanted}, use store.outbox(after={wanted}))"
                )
            if wanted > transaction.first:
                raise InvalidInputError(
                    f"position {wanted} is beyond the last record stored ({transaction.first}): "
                    "acknowledge the position of a record you delivered"
                )
            self._run(
                "INSERT INTO care_outbox_consumers (consumer, position) VALUES (?, ?)"
                " ON CONFLICT (consumer) DO UPDATE SET position = excluded.position",
                (name, wanted),
            )

        self._write(work)


def _consumer_argument(value: object) -> str:
    name = _text_argument(value, "consumer")
    if len(name) > MAX_CONSUMER_LENGTH:
        raise InvalidInputError(
            f"consumer= is a name of at most {MAX_CONSUMER_LENGTH} characters, got {len(name)}"
        )
    return name
