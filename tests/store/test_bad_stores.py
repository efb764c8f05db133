"""Stores that cannot be opened, and migrations: each refusal is a StoreError that names what
and where, and writes nothing; an older store is brought to the current schema."""

from __future__ import annotations

import hashlib
import socket
import sqlite3
from pathlib import Path

import pytest
from workload import make_move, new_case

from conftest import NO_POSTGRES, POSTGRES_URL, Backend
from vss_care_core.errors import CareCoreError, InvalidInputError
from vss_care_core.store import (
    SCHEMA_VERSION,
    PostgresCaseStore,
    SchemaVersionError,
    SQLiteCaseStore,
    StoreError,
    open_store,
)
from vss_care_core.store._schema import MIGRATIONS, POSTGRES, SQLITE


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _siblings(path: Path) -> set[str]:
    return {item.name for item in path.parent.iterdir()}


# ---------------------------------------------------------------------------------- SQLite
@pytest.mark.parametrize(
    "content",
    [b"hello, this is a text file\n", bytes(range(256)) * 8, b"SQLite format 3\x00" + b"\x00" * 50],
    ids=["text", "binary", "cut-header"],
)
def test_a_file_that_is_not_a_database(tmp_path: Path, content: bytes) -> None:
    """Refused, naming the file; the file is left byte for byte, nothing created beside it."""
    path = tmp_path / "cases.sqlite3"
    path.write_bytes(content)
    with pytest.raises(StoreError) as raised:
        SQLiteCaseStore(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: is not a SQLite database")
    assert "give the path of a case store" in message
    assert path.read_bytes() == content
    assert _siblings(path) == {"cases.sqlite3"}


def test_a_database_of_another_program(tmp_path: Path) -> None:
    """A SQLite database with its own tables is not taken over."""
    path = tmp_path / "app.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    connection.close()
    before = _digest(path)
    with pytest.raises(StoreError, match="not a case store"):
        SQLiteCaseStore(path)
    assert _digest(path) == before


def _sqlite_at_version(path: Path, version: int) -> None:
    """A store file at ``version``, built with the released migrations only."""
    with sqlite3.connect(path, isolation_level=None) as connection:
        for migration in MIGRATIONS[:version]:
            for statement in migration.sql(SQLITE):
                connection.execute(statement)
            connection.execute(
                "INSERT INTO care_schema_version (version, description) VALUES (?, ?)",
                (migration.version, migration.description),
            )
    connection.close()


def test_a_newer_sqlite_store_is_refused(tmp_path: Path) -> None:
    """A store of schema version SCHEMA_VERSION + 1 is refused and left untouched."""
    path = tmp_path / "cases.sqlite3"
    with SQLiteCaseStore(path) as store:
        store.add(new_case(1))
    with sqlite3.connect(path) as connection:
        connection.execute(
            "INSERT INTO care_schema_version (version, description) VALUES (?, 'future')",
            (SCHEMA_VERSION + 1,),
        )
    connection.close()
    before = _digest(path)
    with pytest.raises(SchemaVersionError) as raised:
        SQLiteCaseStore(path)
    assert (raised.value.found, raised.value.supported) == (SCHEMA_VERSION + 1, SCHEMA_VERSION)
    assert str(raised.value) == (
        f"{path}: the case store has schema version {SCHEMA_VERSION + 1}, and this "
        f"vss-care-core knows versions up to {SCHEMA_VERSION}: upgrade vss-care-core to open "
        "it (the store was not changed)"
    )
    assert _digest(path) == before


def test_an_older_sqlite_store_is_migrated(tmp_path: Path) -> None:
    """A version-1 store (no consumer cursors yet) holding a case is brought to the current
    version on opening: the case and the outbox are kept, and cursors work."""
    older = tmp_path / "older.sqlite3"
    _sqlite_at_version(older, 1)
    case = new_case(1)
    make_move(case, by="agent-1")
    with SQLiteCaseStore(tmp_path / "current.sqlite3") as current:
        current.add(case)
    source = sqlite3.connect(tmp_path / "current.sqlite3")
    target = sqlite3.connect(older, isolation_level=None)
    for table in ("care_outbox", "care_inquiries", "care_cases", "care_events"):
        rows = source.execute(f"SELECT * FROM {table}").fetchall()  # noqa: S608 - ours
        marks = ", ".join("?" * len(rows[0]))
        target.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)  # noqa: S608
    target.execute("UPDATE care_outbox_head SET position = 3")
    source.close()
    target.close()
    with SQLiteCaseStore(older) as migrated:
        assert migrated.schema_version == SCHEMA_VERSION
        assert migrated.load("c-1") == case
        assert migrated.last_position() == 3
        migrated.acknowledge("exporter", 3)
        assert migrated.cursor("exporter") == 3
    check = sqlite3.connect(older)
    versions = [row[0] for row in check.execute("SELECT version FROM care_schema_version")]
    check.close()
    assert versions == [migration.version for migration in MIGRATIONS]


def test_paths_that_cannot_hold_a_store(tmp_path: Path) -> None:
    """A directory, a missing folder, or no store with create=False: refused, nothing made."""
    with pytest.raises(StoreError, match="is a directory"):
        SQLiteCaseStore(tmp_path)
    with pytest.raises(StoreError, match="does not exist: create it first"):
        SQLiteCaseStore(tmp_path / "missing" / "cases.sqlite3")
    with pytest.raises(StoreError, match="there is no case store here"):
        SQLiteCaseStore(tmp_path / "cases.sqlite3", create=False)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(InvalidInputError, match="synchronous="):
        SQLiteCaseStore(tmp_path / "cases.sqlite3", synchronous="OFF")  # type: ignore[arg-type]


def test_a_locked_store_is_a_clear_error(tmp_path: Path) -> None:
    """Another program holding the write lock past the timeout: a StoreError saying so."""
    path = tmp_path / "cases.sqlite3"
    with SQLiteCaseStore(path) as store:
        store.add(new_case(1))
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with SQLiteCaseStore(path, timeout=0.1) as store:
            with pytest.raises(StoreError, match="stayed locked by another writer"):
                store.move("c-1", "withdraw", at=new_case(1).history[0].at, by="agent-1")
            assert store.load("c-1").version == 1  # reading goes on
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


# ------------------------------------------------------------------------------ PostgreSQL
def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_a_url_that_refuses_the_connection() -> None:
    """No server on that port: refused, naming the server and database, never the password."""
    pytest.importorskip("psycopg")
    port = _free_port()
    url = f"postgresql://care:s3cret-pw@127.0.0.1:{port}/cases"
    with pytest.raises(StoreError) as raised:
        open_store(url)
    message = str(raised.value)
    assert message.startswith(f"postgresql://care@127.0.0.1:{port}/cases: cannot connect")
    assert "check that the server is running" in message
    assert "s3cret-pw" not in message + repr(raised.value)
    assert isinstance(raised.value, CareCoreError)


def test_a_url_that_is_not_one() -> None:
    """Something that is not a PostgreSQL URL is refused before anything is tried."""
    with pytest.raises(InvalidInputError, match="must be a PostgreSQL URL"):
        PostgresCaseStore("mysql://localhost/cases")


def test_a_newer_postgres_store_is_refused(postgres: Backend) -> None:
    """A store of a newer schema is refused; the database is left as it was."""
    import psycopg  # noqa: PLC0415

    location = postgres.new_location()
    with postgres.open(location) as store:
        store.add(new_case(1))
    with psycopg.connect(location, autocommit=True) as connection:
        connection.execute(
            "INSERT INTO care_schema_version (version, description) VALUES (%s, 'future')",
            (SCHEMA_VERSION + 1,),
        )
    with pytest.raises(SchemaVersionError, match="upgrade vss-care-core"):
        postgres.open(location)
    with psycopg.connect(location, autocommit=True) as connection:
        rows = connection.execute("SELECT count(*) FROM care_outbox").fetchall()
    assert rows == [(2,)]


def test_an_older_postgres_store_is_migrated(postgres: Backend) -> None:
    """A version-1 store with a case in it is migrated on opening; the case is kept."""
    import psycopg  # noqa: PLC0415

    location = postgres.new_location()
    with psycopg.connect(location, autocommit=True) as connection:
        for migration in MIGRATIONS[:1]:
            for statement in migration.sql(POSTGRES):
                connection.execute(statement)  # type: ignore[call-overload]
            connection.execute(
                "INSERT INTO care_schema_version (version, description) VALUES (%s, %s)",
                (migration.version, migration.description),
            )
    with (
        psycopg.connect(location, autocommit=True) as connection,
        pytest.raises(psycopg.errors.UndefinedTable),
    ):
        connection.execute("SELECT * FROM care_outbox_consumers")  # only version 2 has it
    with postgres.open(location) as store:
        assert store.schema_version == SCHEMA_VERSION
        store.add(new_case(1))
        store.acknowledge("exporter", 2)
        assert store.cursor("exporter") == 2


def test_without_a_store_and_create_false(backend: Backend) -> None:
    """create=False where there is no store yet: refused, nothing created."""
    location = backend.new_location()
    with pytest.raises(StoreError, match="no case store"):
        backend.open(location, create=False)
    if backend.name == "sqlite":
        assert not Path(location).exists()


@pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)
def test_the_url_in_messages_has_no_password() -> None:
    """The store's ``where`` and repr never show the password of its URL."""
    with PostgresCaseStore(POSTGRES_URL) as store:
        password = POSTGRES_URL.split("@", 1)[0].rsplit(":", 1)[-1]
        assert password not in store.where
        assert password not in repr(store)
        assert store.where.startswith("postgresql://")
