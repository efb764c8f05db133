"""The store tests run against both stores: SQLite always, PostgreSQL when a server is given.

``backend`` is parametrized over ``sqlite`` and ``postgresql``. Each call of
``backend.new_location()`` gives an empty place for a new store: a file in a temporary folder,
or a schema of its own in the test database (the URL sets its ``search_path``).

The PostgreSQL tests need ``VSS_CARE_TEST_POSTGRES_URL``; without it they are skipped, with a
message saying how to start a throw-away server. The folder of this file is put on
``sys.path`` so that the tests and the writer processes share ``workload.py``.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from vss_care_core.store import CaseStore, PostgresCaseStore, SQLiteCaseStore

sys.path.insert(0, str(Path(__file__).parent))

POSTGRES_URL = os.environ.get("VSS_CARE_TEST_POSTGRES_URL", "")
NO_POSTGRES = (
    "PostgreSQL tests skipped: VSS_CARE_TEST_POSTGRES_URL is not set. Start a throw-away "
    "server with `source .ci/postgres-start` (it sets the variable), run the tests, then "
    "`source .ci/postgres-stop`."
)


def with_schema(url: str, schema: str) -> str:
    """``url`` with its connections' ``search_path`` set to ``schema``."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-c search_path={schema}')}"


@dataclass
class Backend:
    """One kind of store, and fresh places to open stores of that kind."""

    name: str
    folder: Path
    schemas: list[str] = field(default_factory=list)

    def new_location(self) -> str:
        """An empty place for a new store."""
        if self.name == "sqlite":
            return str(self.folder / f"store-{secrets.token_hex(4)}.sqlite3")
        import psycopg  # noqa: PLC0415 - only with a server

        schema = f"t_{secrets.token_hex(6)}"
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(f"CREATE SCHEMA {schema}")
        self.schemas.append(schema)
        return with_schema(POSTGRES_URL, schema)

    def open(self, location: str, *, fast: bool = False, **options: Any) -> CaseStore:
        """The store at ``location``; ``fast`` trades SQLite's durability for speed (only in
        tests about races, where a power cut is not the question)."""
        if self.name == "sqlite":
            synchronous = "NORMAL" if fast else "FULL"
            return SQLiteCaseStore(location, synchronous=synchronous, **options)
        return PostgresCaseStore(location, **options)

    def new_store(self, *, fast: bool = True, **options: Any) -> CaseStore:
        """A new, empty store."""
        return self.open(self.new_location(), fast=fast, **options)

    def drop_schemas(self) -> None:
        if not self.schemas:
            return
        import psycopg  # noqa: PLC0415 - only with a server

        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            for schema in self.schemas:
                connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        self.schemas.clear()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """Each kind of store in turn (PostgreSQL only when a server is given)."""
    if request.param == "postgresql" and not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    chosen = Backend(request.param, tmp_path)
    yield chosen
    chosen.drop_schemas()


@pytest.fixture
def postgres(tmp_path: Path) -> Iterator[Backend]:
    """The PostgreSQL backend alone."""
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    chosen = Backend("postgresql", tmp_path)
    yield chosen
    chosen.drop_schemas()


@pytest.fixture
def store(backend: Backend) -> Iterator[CaseStore]:
    """A new, empty store of each kind."""
    with backend.new_store() as opened:
        yield opened
