"""The errors of a case store: it cannot be opened, it is of a newer version, a case is missing.

They join the library's tree under :class:`~vss_care_core.errors.CareCoreError`::

    CareCoreError
    └── StoreError                      the store cannot be opened or used
        ├── SchemaVersionError          the store was written by a newer vss-care-core
        └── CaseNotFoundError (KeyError) no case with that id in the store

Races and event ids keep the library's own errors:
:class:`~vss_care_core.errors.ConcurrencyConflict` and
:class:`~vss_care_core.errors.DuplicateEventError`.
"""

from __future__ import annotations

from vss_care_core.errors import CareCoreError

__all__ = ["CaseNotFoundError", "SchemaVersionError", "StoreError"]


class StoreError(CareCoreError):
    """A case store cannot be opened or used: not a database, not a case store, a server that
    refuses the connection, a database that stays locked.

    ``where`` names the store (a file path, or a PostgreSQL address without its password);
    the message says what went wrong there and how to fix it. Nothing was written.
    """

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")


class SchemaVersionError(StoreError):
    """The store's schema is newer than this version of the library knows (``found`` >
    ``supported``): it was written by a newer vss-care-core, and it is left untouched."""

    def __init__(self, where: str, *, found: int, supported: int) -> None:
        self.found = found
        self.supported = supported
        super().__init__(
            where,
            f"the case store has schema version {found}, and this vss-care-core knows versions "
            f"up to {supported}: upgrade vss-care-core to open it (the store was not changed)",
        )


class CaseNotFoundError(StoreError, KeyError):
    """No case with the id ``case_id`` is stored (also a ``KeyError``)."""

    def __init__(self, where: str, case_id: str) -> None:
        self.case_id = case_id
        super().__init__(
            where,
            f"there is no case {case_id!r} in the store: check the id, or store the case first "
            "with store.add(case)",
        )

    def __str__(self) -> str:
        # KeyError shows its argument's repr; the message reads better as it is.
        return f"{self.where}: {self.problem}"
