"""Case stores: cases kept in a database, moved safely by many writers, exported in order.

One contract, :class:`CaseStore`, and two implementations: :class:`SQLiteCaseStore` (one file,
the standard library's ``sqlite3``: the embedded default) and :class:`PostgresCaseStore`
(a PostgreSQL server, through psycopg 3). A store keeps each case's inquiry and events; it
checks every move it stores the way a live case does, refuses a move made on a stale version
(:class:`~vss_care_core.errors.ConcurrencyConflict`), lists the open cases by unit, by step
and by next alert, and keeps every record in an outbox whose positions an exporter follows
with a cursor. Its tables carry a schema version and are migrated when it is opened.
"""

from vss_care_core.store._alerts import sla_next_alert
from vss_care_core.store._contract import (
    CaseStore,
    ImportSummary,
    NextAlertRule,
    OpenCase,
    OutboxRecord,
)
from vss_care_core.store._errors import CaseNotFoundError, SchemaVersionError, StoreError
from vss_care_core.store._open import open_store
from vss_care_core.store._postgres import PostgresCaseStore
from vss_care_core.store._schema import SCHEMA_VERSION
from vss_care_core.store._sqlite import SQLiteCaseStore

__all__ = [
    "SCHEMA_VERSION",
    "CaseNotFoundError",
    "CaseStore",
    "ImportSummary",
    "NextAlertRule",
    "OpenCase",
    "OutboxRecord",
    "PostgresCaseStore",
    "SQLiteCaseStore",
    "SchemaVersionError",
    "StoreError",
    "open_store",
    "sla_next_alert",
]
