"""One way to open either store from where it is: a file path or a PostgreSQL URL."""

from __future__ import annotations

import os
from collections.abc import Iterable

from vss_care_core.process import ProcessDefinition
from vss_care_core.store._contract import CaseStore, NextAlertRule
from vss_care_core.store._postgres import PostgresCaseStore, is_postgres_url
from vss_care_core.store._sqlite import SQLiteCaseStore

__all__ = ["open_store"]


def open_store(
    location: str | os.PathLike[str],
    *,
    create: bool = True,
    processes: Iterable[ProcessDefinition] = (),
    next_alert: NextAlertRule | None = None,
) -> CaseStore:
    """The store at ``location``: a :class:`PostgresCaseStore` for a ``postgresql://`` (or
    ``postgres://``) URL, else a :class:`SQLiteCaseStore` in that file.

    The options are the stores' own; ``create=False`` refuses a location without a store.
    """
    if isinstance(location, str) and is_postgres_url(location):
        return PostgresCaseStore(
            location, create=create, processes=processes, next_alert=next_alert
        )
    return SQLiteCaseStore(location, create=create, processes=processes, next_alert=next_alert)
