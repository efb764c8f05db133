"""Ids stay unique across threads and forked worker processes."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from vss_care_core.models import Event, new_event_id, new_id

DRAWS = {"new_id": new_id, "new_event_id": new_event_id}
WORKERS = 8
PER_WORKER = 200


def ids_from_forked_workers(draw: Callable[[], str]) -> list[str]:
    """Fork WORKERS children after a first draw in the parent; each sends its ids on a pipe."""
    draw()  # any state drawn at first use now exists in the parent and is copied by fork
    children: list[tuple[int, int]] = []
    for _ in range(WORKERS):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: draw, write, leave without running the parent's clean-up
            status = 1
            try:
                os.close(read)
                payload = "\n".join(draw() for _ in range(PER_WORKER)).encode("ascii")
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(payload)
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        children.append((pid, read))
    ids: list[str] = []
    for pid, read in children:
        with os.fdopen(read, "rb") as pipe:
            ids.extend(pipe.read().decode("ascii").split("\n"))
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
    return ids


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
@pytest.mark.parametrize("name", sorted(DRAWS))
def test_unique_across_forked_workers(name: str) -> None:
    """8 forked workers drawing 200 ids each give 1,600 distinct ids."""
    ids = ids_from_forked_workers(DRAWS[name])
    assert len(ids) == WORKERS * PER_WORKER
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("name", sorted(DRAWS))
def test_unique_across_threads(name: str) -> None:
    """8 threads drawing 2,000 ids each give 16,000 distinct ids."""
    draw = DRAWS[name]

    def batch(_: int) -> list[str]:
        return [draw() for _ in range(2_000)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = [i for chunk in pool.map(batch, range(8)) for i in chunk]
    assert len(set(ids)) == len(ids) == 16_000


@pytest.mark.parametrize("name", sorted(DRAWS))
def test_shape(name: str) -> None:
    """32 lower-case hexadecimal characters (128 random bits), within the 64-character limit."""
    value = DRAWS[name]()
    assert len(value) == 32
    assert int(value, 16) >= 0
    assert value == value.lower()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_events_built_in_forked_workers_get_distinct_ids() -> None:
    """The default id of an event is drawn per event, in each worker."""

    def event_id() -> str:
        event = Event(
            case_id="c-1",
            seq=1,
            at=datetime(2026, 3, 2, 2, 0, tzinfo=UTC),
            by="agent-7",
            action="open",
            to_state="greet",
        )
        return event.id

    ids = ids_from_forked_workers(event_id)
    assert len(set(ids)) == len(ids)
