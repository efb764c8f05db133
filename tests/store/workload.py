"""The store tests' workload: written cases that can take moves for ever, and racing writers.

A written case goes intake → assign → draft, then asks the requester for information and
gets it, again and again (``request_info`` / ``provide_info``), so that 100 cases can take
10,000 moves. Run as a script, it is one writer process of the race tests::

    python workload.py STORE WRITER ATTEMPTS SEED CASES OUT.json [--fast]

and writes what it did to OUT.json.
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from vss_care_core.errors import ConcurrencyConflict
from vss_care_core.models import Event, Inquiry
from vss_care_core.process import Case, open_case
from vss_care_core.store import CaseStore, SQLiteCaseStore, open_store
from vss_care_core.testing import DEFAULT_TIME, make_inquiry

STEP = timedelta(minutes=1)
UNITS = ("CCC", "BHXH-HN", "BHXH-HCM")
ANSWER = (
    "Lương hưu hằng tháng được tính theo số năm đóng BHXH và mức bình quân tiền lương tháng "
    "đóng BHXH, theo Điều 66 Luật BHXH 2024."
)


def inquiry(number: int) -> Inquiry:
    """The e-mail inquiry ``q-<number>``, received ``number`` minutes after 9:00 on 2 Mar 2026."""
    return make_inquiry(id=f"q-{number}", received_at=DEFAULT_TIME + number * STEP)


def new_case(number: int) -> Case:
    """Case ``c-<number>``, opened when its inquiry arrives (the same every time)."""
    asked = inquiry(number)
    return open_case(
        asked,
        at=asked.received_at,
        by="email-desk",
        case_id=f"c-{number}",
        event_id=f"open-{number}",
    )


def next_move(case: Case) -> tuple[str, str | None, dict[str, Any]]:
    """The move to make next on a workload case: its action, step and data."""
    state = case.state
    if state == "intake":
        return (
            "complete",
            "intake",
            {
                "kind": "question",
                "policy_areas": ["social"],
                "topic": "pension",
            },
        )
    if state == "assign":
        unit = UNITS[int(case.id.removeprefix("c-")) % len(UNITS)]
        return "complete", "assign", {"unit": unit, "assignee": "officer-1"}
    if state == "draft":
        return "request_info", None, {"note": "thiếu ảnh căn cước"}
    if state == "awaiting_info":
        return "provide_info", None, {}
    raise AssertionError(f"the workload never leaves a case in {state!r}")


def make_move(case: Case, *, by: str, expected_version: int | None = None) -> Event:
    """Make the next move on the live case ``case``, a minute after its last event."""
    action, step, data = next_move(case)
    at = case.history[-1].at + STEP
    if step is not None:
        return case.complete(step, at=at, by=by, expected_version=expected_version, **data)
    return case.fire(action, at=at, by=by, expected_version=expected_version, **data)


def store_move(store: CaseStore, case: Case, *, by: str) -> Event:
    """The same move through ``store.move``, checked against the version of ``case``."""
    action, step, data = next_move(case)
    at = case.history[-1].at + STEP
    return store.move(case.id, action, step, at=at, by=by, expected_version=case.version, **data)


@dataclass
class WriterResult:
    """What one writer did: the events the store accepted, and the conflicts it was told of."""

    accepted: list[Event] = field(default_factory=list)
    conflicts: int = 0

    def to_json(self) -> str:
        return json.dumps(
            {
                "accepted": [event.model_dump_json() for event in self.accepted],
                "conflicts": self.conflicts,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> WriterResult:
        document = json.loads(text)
        return cls(
            accepted=[Event.model_validate_json(line) for line in document["accepted"]],
            conflicts=document["conflicts"],
        )


def run_writer(
    store: CaseStore, *, writer: int, attempts: int, seed: int, cases: int
) -> WriterResult:
    """Make ``attempts`` moves on random cases: load, move, store; count the refusals.

    Half the moves go load → move → ``append(expected_version=...)``, half through
    ``store.move(..., expected_version=...)``.
    """
    chance = random.Random(seed)
    result = WriterResult()
    for attempt in range(attempts):
        case = store.load(f"c-{chance.randrange(cases)}")
        by = f"writer-{writer}"
        try:
            if attempt % 2 == 0:
                read = case.version
                event = make_move(case, by=by, expected_version=read)
                store.append(event, expected_version=read)
            else:
                event = store_move(store, case, by=by)
        except ConcurrencyConflict:
            result.conflicts += 1
        else:
            result.accepted.append(event)
    return result


def main(argv: list[str]) -> None:
    location, writer, attempts, seed, cases, out = argv[:6]
    fast = "--fast" in argv[6:]
    store = SQLiteCaseStore(location, synchronous="NORMAL") if fast else open_store(location)
    with store:
        result = run_writer(
            store, writer=int(writer), attempts=int(attempts), seed=int(seed), cases=int(cases)
        )
    with open(out, "w", encoding="utf-8") as stream:
        stream.write(result.to_json())


if __name__ == "__main__":
    main(sys.argv[1:])
