"""The store's tables, as a list of migrations: each one brings a store to the next version.

A store records the versions applied in its ``care_schema_version`` table. Opening a store
applies the migrations it lacks, each in its own transaction; a store of a newer version than
:data:`SCHEMA_VERSION` is refused before anything is written. A migration is never changed once
released: a change of the tables is a new migration at the end of the list.

Both databases run the same statements; only a few types differ (:class:`Dialect`): SQLite
keeps a moment as whole microseconds since 1970-01-01 UTC, PostgreSQL as ``timestamptz``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MIGRATIONS", "POSTGRES", "SCHEMA_VERSION", "SQLITE", "Dialect", "Migration"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Dialect:
    """The column types that differ between the two databases."""

    name: str
    position: str
    """An outbox position: SQLite's ``INTEGER PRIMARY KEY`` is its row id, the fastest key."""
    moment: str
    """A moment (``next_alert_at``)."""


SQLITE = Dialect(name="sqlite", position="INTEGER", moment="INTEGER")
POSTGRES = Dialect(name="postgresql", position="BIGINT", moment="TIMESTAMPTZ")


@dataclass(frozen=True, slots=True, kw_only=True)
class Migration:
    """One step of the schema: the statements that bring a store from ``version - 1``."""

    version: int
    description: str
    statements: tuple[str, ...]
    """SQL with ``{position}`` and ``{moment}`` standing for the dialect's types."""

    def sql(self, dialect: Dialect) -> tuple[str, ...]:
        """The statements for ``dialect``."""
        return tuple(
            statement.format(position=dialect.position, moment=dialect.moment)
            for statement in self.statements
        )


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        version=1,
        description="inquiries, cases and events; the outbox and its head",
        statements=(
            "CREATE TABLE care_schema_version ("
            " version INTEGER PRIMARY KEY, description TEXT NOT NULL)",
            # The last position given; every write locks this one row until it commits, so
            # positions become visible in the order they were given (see _sql.py).
            "CREATE TABLE care_outbox_head ("
            " one INTEGER PRIMARY KEY CHECK (one = 1), position {position} NOT NULL)",
            "INSERT INTO care_outbox_head (one, position) VALUES (1, 0)",
            "CREATE TABLE care_outbox ("
            " position {position} PRIMARY KEY,"
            " kind TEXT NOT NULL CHECK (kind IN ('inquiry', 'event')),"
            " body TEXT NOT NULL)",
            "CREATE TABLE care_inquiries ("
            " id TEXT PRIMARY KEY,"
            " position {position} NOT NULL UNIQUE REFERENCES care_outbox (position))",
            "CREATE TABLE care_cases ("
            " id TEXT PRIMARY KEY,"
            " inquiry_id TEXT NOT NULL REFERENCES care_inquiries (id),"
            " process TEXT NOT NULL,"
            " version INTEGER NOT NULL,"
            " state TEXT NOT NULL,"
            " step TEXT NOT NULL,"
            " unit TEXT,"
            " outcome TEXT,"
            " next_alert_at {moment})",
            "CREATE INDEX care_cases_open_alert ON care_cases (next_alert_at, id)"
            " WHERE outcome IS NULL",
            "CREATE INDEX care_cases_open_unit ON care_cases (unit, id) WHERE outcome IS NULL",
            "CREATE INDEX care_cases_open_step ON care_cases (step, id) WHERE outcome IS NULL",
            "CREATE TABLE care_events ("
            " id TEXT PRIMARY KEY,"
            " case_id TEXT NOT NULL REFERENCES care_cases (id),"
            " seq INTEGER NOT NULL,"
            " position {position} NOT NULL UNIQUE REFERENCES care_outbox (position),"
            " UNIQUE (case_id, seq))",
        ),
    ),
    Migration(
        version=2,
        description="the position each outbox consumer acknowledged",
        statements=(
            "CREATE TABLE care_outbox_consumers ("
            " consumer TEXT PRIMARY KEY, position {position} NOT NULL)",
        ),
    ),
)

SCHEMA_VERSION = MIGRATIONS[-1].version
"""The newest schema version this library knows; stores are brought to it when opened."""
