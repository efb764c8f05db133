"""The server case store: a PostgreSQL database, through psycopg 3.

Install the driver with ``pip install 'vss-care-core[postgres]'``. The store keeps its tables
(named ``care_...``) in the connection's schema, beside any other tables of the database. It
connects with autocommit and runs each write as one explicit transaction at READ COMMITTED;
writes take turns on the row of ``care_outbox_head``, which every write locks first.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from vss_care_core.errors import InvalidInputError
from vss_care_core.process import ProcessDefinition
from vss_care_core.store._contract import NextAlertRule
from vss_care_core.store._errors import SchemaVersionError, StoreError
from vss_care_core.store._schema import POSTGRES, SCHEMA_VERSION
from vss_care_core.store._sql import Row, SqlCaseStore

if TYPE_CHECKING:
    import psycopg

__all__ = ["PostgresCaseStore", "describe_url", "is_postgres_url"]

_SCHEMES = ("postgresql://", "postgres://")
_MIGRATION_LOCK = 0x7663_6172_6501
"""The advisory lock migrations take, so that two programs never migrate at once."""


def is_postgres_url(location: str) -> bool:
    """True if ``location`` is a PostgreSQL URL (``postgresql://...`` or ``postgres://...``)."""
    return location.startswith(_SCHEMES)


def describe_url(url: str) -> str:
    """The URL without its password (and without other options), for messages."""
    try:
        from psycopg.conninfo import conninfo_to_dict  # noqa: PLC0415 - an optional package

        parts = conninfo_to_dict(url)
    except Exception:  # any failure: name the store without quoting it
        return "the PostgreSQL database given"
    user = f"{parts['user']}@" if parts.get("user") else ""
    host = str(parts.get("host") or "localhost")
    port = f":{parts['port']}" if parts.get("port") else ""
    database = str(parts.get("dbname") or "")
    return f"postgresql://{user}{host}{port}/{database}"


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


class PostgresCaseStore(SqlCaseStore):
    """A case store in the PostgreSQL database at ``url`` (``postgresql://user@host:port/db``).

    The options are those of :class:`~vss_care_core.store.SQLiteCaseStore`: ``create=False``
    refuses a database without a store, ``processes`` and ``next_alert`` as there;
    ``connect_timeout`` is in seconds. A server that refuses the connection, a URL that is not
    one, or a store of a newer schema is refused with :class:`~vss_care_core.store.StoreError`
    naming the server and database (never the password).
    """

    dialect = POSTGRES
    _head_query = "SELECT position FROM care_outbox_head WHERE one = 1 FOR UPDATE"

    def __init__(
        self,
        url: str,
        *,
        create: bool = True,
        processes: Iterable[ProcessDefinition] = (),
        next_alert: NextAlertRule | None = None,
        connect_timeout: int = 10,
    ) -> None:
        if not isinstance(url, str) or not is_postgres_url(url):
            raise InvalidInputError(
                "url= must be a PostgreSQL URL, postgresql://user:password@host:port/database"
            )
        super().__init__(describe_url(url), processes=processes, next_alert=next_alert)
        try:
            import psycopg  # noqa: PLC0415 - an optional package
            from psycopg.rows import dict_row  # noqa: PLC0415
        except ImportError:
            raise StoreError(
                self.where,
                "a PostgreSQL store needs the psycopg package: pip install "
                "'vss-care-core[postgres]'",
            ) from None
        self._psycopg = psycopg
        try:
            self._connection: psycopg.Connection[dict[str, Any]] = psycopg.connect(
                url, autocommit=True, row_factory=dict_row, connect_timeout=connect_timeout
            )
        except psycopg.Error as error:
            raise StoreError(
                self.where,
                f"cannot connect to PostgreSQL ({_first_line(error)}): check that the server "
                "is running and that the address, the database and the credentials are right",
            ) from None
        try:
            with self._translated():
                self._open(create=create)
        except BaseException:
            self._connection.close()
            raise

    def _open(self, *, create: bool) -> None:
        found = self._stored_version()
        if found > SCHEMA_VERSION:
            raise SchemaVersionError(self.where, found=found, supported=SCHEMA_VERSION)
        if found == 0 and not create:
            raise StoreError(
                self.where,
                "there is no case store in this database: create one first (vss-care store "
                "init URL, or PostgresCaseStore(url) in Python)",
            )
        if found < SCHEMA_VERSION:
            self._migrate()

    # -- the database hooks --------------------------------------------------------------------
    def _has_table(self, name: str) -> bool:
        rows = self._run("SELECT to_regclass(?) IS NOT NULL AS found", (name,))
        return bool(rows[0]["found"])

    def _lock_for_migration(self) -> None:
        self._run("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))

    def _run(self, sql: str, parameters: Sequence[Any] = ()) -> list[Row]:
        cursor = self._connection.execute(sql.replace("?", "%s"), parameters)
        if cursor.description is None:
            return []
        return list(cursor.fetchall())

    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self._connection.cursor() as cursor:
            cursor.executemany(sql.replace("?", "%s"), rows)

    def _begin_write(self) -> None:
        self._connection.execute("BEGIN")

    def _commit(self) -> None:
        self._connection.execute("COMMIT")

    def _rollback(self) -> None:
        if self._connection.closed:
            return
        # A failed rollback means the connection is gone; the error that led here is raised.
        with suppress(self._psycopg.Error):
            self._connection.execute("ROLLBACK")

    @contextmanager
    def _translated(self) -> Iterator[None]:
        psycopg = self._psycopg
        try:
            yield
        except psycopg.OperationalError as error:
            raise StoreError(
                self.where,
                f"the connection to PostgreSQL failed ({_first_line(error)}): check the server, "
                "then open the store again",
            ) from None
        except psycopg.Error as error:
            raise StoreError(self.where, f"PostgreSQL failed: {_first_line(error)}") from None

    def _to_moment(self, value: datetime) -> datetime:
        return value

    def _from_moment(self, value: Any) -> datetime:
        moment: datetime = value
        return moment.astimezone(UTC)

    def _disconnect(self) -> None:
        self._connection.close()
