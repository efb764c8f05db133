"""The embedded case store: one SQLite file, through the standard library's ``sqlite3``.

The file is in WAL mode (readers never wait for the writer, the writer never waits for
readers) with ``synchronous=FULL``: a write the store reports done is on disk and survives a
power cut, not only a crash of the program. ``synchronous="NORMAL"`` is faster (the log is
synced at checkpoints only) but a power cut may lose the last writes; it never corrupts the file.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from vss_care_core.errors import InvalidInputError
from vss_care_core.process import ProcessDefinition
from vss_care_core.store._contract import NextAlertRule
from vss_care_core.store._errors import SchemaVersionError, StoreError
from vss_care_core.store._schema import SCHEMA_VERSION, SQLITE
from vss_care_core.store._sql import Row, SqlCaseStore

__all__ = ["SQLiteCaseStore"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_SYNCHRONOUS = ("FULL", "NORMAL")


def _dict_row(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> dict[str, Any]:
    return {column[0]: value for column, value in zip(cursor.description, values, strict=True)}


class SQLiteCaseStore(SqlCaseStore):
    """A case store in the SQLite file ``path`` (the embedded default).

    ``create=False`` refuses a path where there is no store yet, instead of creating one.
    ``processes`` lists the definitions of your own processes, so that their cases can be
    rebuilt (the standard ones are known). ``next_alert`` computes each open case's
    ``next_alert_at`` after every write (see :func:`~vss_care_core.store.sla_next_alert`); a
    write's own ``next_alert_at=`` wins over it. ``timeout`` is how long a write waits for
    another writer, in seconds.

    A file that is not a SQLite database, a database of another program, or a store of a newer
    schema is refused with :class:`~vss_care_core.store.StoreError`, and left as it was.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with SQLiteCaseStore(pathlib.Path(folder) / "cases.sqlite3") as store:
    ...         print(store.schema_version, store.last_position())
    2 0
    """

    dialect = SQLITE

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        create: bool = True,
        processes: Iterable[ProcessDefinition] = (),
        next_alert: NextAlertRule | None = None,
        synchronous: Literal["FULL", "NORMAL"] = "FULL",
        timeout: float = 30.0,
    ) -> None:
        self._path = Path(path)
        super().__init__(str(self._path), processes=processes, next_alert=next_alert)
        if synchronous not in _SYNCHRONOUS:
            raise InvalidInputError(
                f"synchronous= is 'FULL' (durable, the default) or 'NORMAL', got {synchronous!r}"
            )
        self._check_path(create=create)
        try:
            self._connection = sqlite3.connect(
                self._path, isolation_level=None, check_same_thread=False, timeout=timeout
            )
        except sqlite3.Error as error:
            raise StoreError(self.where, f"cannot open the file ({error})") from None
        self._connection.row_factory = _dict_row
        try:
            with self._translated():
                self._open(synchronous)
        except BaseException:
            self._connection.close()
            raise

    def _check_path(self, *, create: bool) -> None:
        path = self._path
        if path.is_dir():
            raise StoreError(
                self.where, "is a directory: give the path of a store file (cases.sqlite3)"
            )
        if path.exists():
            return
        if not create:
            raise StoreError(
                self.where,
                "there is no case store here: create one first (vss-care store init "
                "PATH, or SQLiteCaseStore(path) in Python)",
            )
        if not path.parent.is_dir():
            raise StoreError(
                self.where, f"the folder {path.parent} does not exist: create it first"
            )

    def _open(self, synchronous: str) -> None:
        """Check what the file holds, then set it up and migrate it; nothing is written to a
        file that is refused."""
        try:
            tables = {
                row["name"]
                for row in self._run("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        except sqlite3.DatabaseError as error:
            raise StoreError(
                self.where,
                f"is not a SQLite database ({error}): give the path of a case store, or the "
                "name of a new file",
            ) from None
        if tables and "care_schema_version" not in tables:
            raise StoreError(
                self.where,
                "is a SQLite database but not a case store (it has other tables and no "
                "care_schema_version): give a case store, or the name of a new file",
            )
        found = self._stored_version()
        if found > SCHEMA_VERSION:
            raise SchemaVersionError(self.where, found=found, supported=SCHEMA_VERSION)
        mode = self._run("PRAGMA journal_mode = WAL")[0]["journal_mode"]
        if mode != "wal":
            raise StoreError(
                self.where,
                f"SQLite cannot use WAL mode here (it stays in {mode!r} mode): keep the store on a "
                "local disk",
            )
        self._run(f"PRAGMA synchronous = {synchronous}")
        self._run("PRAGMA foreign_keys = ON")
        if found < SCHEMA_VERSION:
            self._migrate()

    # -- the database hooks --------------------------------------------------------------------
    def _has_table(self, name: str) -> bool:
        rows = self._run(
            "SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        )
        return bool(rows)

    def _lock_for_migration(self) -> None:
        pass  # BEGIN IMMEDIATE has taken the database's write lock

    def _run(self, sql: str, parameters: Sequence[Any] = ()) -> list[Row]:
        rows: list[Row] = self._connection.execute(sql, parameters).fetchall()
        return rows

    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._connection.executemany(sql, rows)

    def _begin_write(self) -> None:
        # IMMEDIATE takes the write lock now: the reads that decide a write see the last commit.
        self._connection.execute("BEGIN IMMEDIATE")

    def _commit(self) -> None:
        self._connection.execute("COMMIT")

    def _rollback(self) -> None:
        if self._connection.in_transaction:
            # A failed rollback means the transaction is gone already; the error that led here
            # is the one raised.
            with suppress(sqlite3.Error):
                self._connection.execute("ROLLBACK")

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise StoreError(
                    self.where,
                    f"the database stayed locked by another writer ({error}): try again, or "
                    "give a longer timeout=",
                ) from None
            raise StoreError(self.where, f"SQLite failed: {error}") from None
        except sqlite3.DatabaseError as error:
            raise StoreError(self.where, f"SQLite failed: {error}") from None

    def _to_moment(self, value: datetime) -> int:
        return (value - _EPOCH) // _MICROSECOND

    def _from_moment(self, value: Any) -> datetime:
        return _EPOCH + int(value) * _MICROSECOND

    def _disconnect(self) -> None:
        self._connection.close()
